"""Issue 5 on the real book: every registered term marked, the glossary lists
exactly the terms used (or kept with a reason), the lint has nothing left to
say, and each chapter's first use of a term links to its glossary entry."""

from __future__ import annotations

import re
import zipfile
from collections import Counter

import pytest
from lxml import etree

from tests.conftest import MANUSCRIPT

pytestmark = pytest.mark.book

XHTML = "{http://www.w3.org/1999/xhtml}"
NOT_TEXT = {"nav.xhtml", "glossary.xhtml", "cover.xhtml", "titlepage.xhtml"}


def _token(form: str) -> re.Pattern:
    """A form as a whole token, as the build matches it (words of a phrase
    may be split by any white space)."""
    body = r"\s+".join(re.escape(w) for w in form.split())
    return re.compile(rf"(?<![\w.\-]){body}(?![\w\-]|\.\w)")


@pytest.fixture(scope="module")
def documents(real_epub):
    with zipfile.ZipFile(real_epub) as z:
        return {name.rsplit("/", 1)[-1]: etree.fromstring(z.read(name))
                for name in sorted(z.namelist()) if name.endswith(".xhtml")}


def _marks(root):
    """<abbr> and <span class="term"> in document order."""
    for node in root.iter(f"{XHTML}abbr", f"{XHTML}span"):
        if node.tag == f"{XHTML}abbr" or node.get("class") == "term":
            yield node


def test_lint_reports_nothing(book_report):
    _, report = book_report
    left = [str(d) for d in report.items if d.code in ("A001", "A002")]
    assert not left, "\n".join(left)


def test_every_registered_term_is_marked(real_book, documents):
    """<abbr>/<span.term> per term in the EPUB = whole-token count over the Markdown."""
    forms = sorted(((f, a.term) for a in real_book.abbreviations for f in (a.term, *a.variants)),
                   key=lambda ft: -len(ft[0]))
    canonical = dict(forms)
    text = "\n".join(p.read_text("utf-8") for p in sorted(MANUSCRIPT.glob("*.md")))
    expected: Counter = Counter()
    for form, term in forms:  # longest first, blanked once counted ("PCF" is not "PC")
        pattern = _token(form)
        expected[term] += len(pattern.findall(text))
        text = pattern.sub(lambda m: " " * len(m.group()), text)
    marked: Counter = Counter()
    for name, root in documents.items():
        if name in NOT_TEXT:
            continue
        for node in _marks(root):
            marked[canonical[" ".join("".join(node.itertext()).split())]] += 1
    assert +expected == +marked
    assert sum(marked.values()) > 800
    uses = {a.term: a.uses for a in real_book.abbreviations}
    assert {t: n for t, n in uses.items() if n} == dict(+marked)


def test_acronyms_are_abbr_and_words_are_terms(documents):
    kinds = {}
    for name, root in documents.items():
        if name not in NOT_TEXT:
            for node in _marks(root):
                kinds.setdefault("".join(node.itertext()), node.tag.removeprefix(XHTML))
    assert kinds["URSS"] == kinds["OGPU"] == kinds["S.-R."] == kinds["ISR"] == "abbr"
    assert kinds["Duma"] == kinds["Cheka"] == kinds["Komintern"] == kinds["socialdemócratas"] == "span"
    assert kinds["izquierda revolucionaria"] == "span"


def test_glossary_lists_exactly_the_used_terms(real_book, documents):
    listed = ["".join(dt.itertext()) for dt in documents["glossary.xhtml"].iter(f"{XHTML}dt")]
    used = {a.term for a in real_book.abbreviations if a.uses}
    kept = {a.term for a in real_book.abbreviations if a.listed and not a.uses}
    assert set(listed) == used | kept and len(listed) == len(set(listed))
    assert not kept, "no entry is kept unused in this book; an ignore.yaml A002 entry would say why"
    assert {"URSS", "OGPU", "NEP", "S.-R.", "GRB", "PCI", "PUF", "ISR", "Duma"} <= set(listed)
    assert not {"OG", "JSR", "BL", "KPD(S)", "USPD (Linke)"} & set(listed)


def test_each_chapter_links_first_use_to_the_glossary(documents):
    glossary_ids = {dt.get("id") for dt in documents["glossary.xhtml"].iter(f"{XHTML}dt")}
    checked = 0
    for name, root in documents.items():
        if name in NOT_TEXT or name == "notes.xhtml":  # notes are one document for the whole book
            continue
        seen = set()
        for node in _marks(root):
            key = node.get("title")
            parent = node.getparent()
            linked = parent.tag == f"{XHTML}a" and parent.get("class") == "glossary-link"
            in_other_link = any(a.tag == f"{XHTML}a" for a in node.iterancestors()) and not linked
            if key not in seen and not in_other_link:
                seen.add(key)
                assert linked, f"{name}: first {''.join(node.itertext())} not linked"
                href = parent.get("href")
                assert href.startswith("glossary.xhtml#") and href.split("#")[1] in glossary_ids, href
                checked += 1
            else:
                assert not linked, f"{name}: {''.join(node.itertext())} linked twice"
    assert checked > 80
