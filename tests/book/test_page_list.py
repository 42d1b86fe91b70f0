"""The EPUB's page-list comes from the print edition built in the same run:
each marker stands where that PDF page begins."""

from __future__ import annotations

import random
import re
import subprocess
import zipfile

import pytest
from lxml import etree

pytestmark = pytest.mark.book
XHTML = "{http://www.w3.org/1999/xhtml}"


def epub_files(epub):
    with zipfile.ZipFile(epub) as zf:
        return {n.removeprefix("EPUB/"): zf.read(n) for n in zf.namelist() if n.endswith(".xhtml")}


def words_after(root, marker_id: str, n: int) -> list[str]:
    """The first `n` words after the marker in reading order: the tails of
    the elements it stands in count too (a marker inside a glossary link's
    <abbr> is followed by the abbreviation, then by the link's tail)."""
    texts, started = [], False
    for event, node in etree.iterwalk(root, events=("start", "end")):
        if started:
            texts.append((node.text if event == "start" else node.tail) or "")
        elif event == "end" and node.get("id") == marker_id:
            started = True
            texts.append(node.tail or "")
        if len(" ".join(texts).split()) > n:
            break
    return " ".join(texts).split()[:n]


def letters(words: list[str]) -> str:
    return re.sub(r"[^\w]|\d|_", "", "".join(words))


def page_words(pdf, page: int) -> list[str]:
    text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True).stdout
    return text.split()


def test_page_list_covers_the_text_pages(real_epub, real_pdf):
    nav = epub_files(real_epub)["nav.xhtml"].decode()
    pages = [int(p) for p in re.findall(r'#page-(\d+)">(\d+)<', nav) for p in p[:1]]
    assert len(pages) > 0.9 * real_pdf.page_count - 20
    assert pages == sorted(pages) and len(set(pages)) == len(pages)
    assert 'property="pageBreakSource"' in zipfile.ZipFile(real_epub).read("EPUB/content.opf").decode()


def test_markers_stand_where_pdf_pages_begin(real_epub, real_pdf):
    files = epub_files(real_epub)
    nav = files["nav.xhtml"].decode()
    # Word-exact in the text; in generated documents (notes, glossary, index,
    # laid out differently in each output) a marker stands at the start of
    # the entry the page begins in: checked by EPUBCheck, not here.
    generated = {"notes.xhtml", "glossary.xhtml", "index.xhtml"}
    entries = [e for e in re.findall(r'href="([^"#]+)#page-(\d+)"', nav) if e[0] not in generated]
    random.seed(7)
    checked = 0
    for name, page in random.sample(entries, 40):
        root = etree.fromstring(files[name])
        after = words_after(root, f"page-{page}", 3)
        on_page = page_words(real_pdf.path, int(page))[:25]
        if not after:
            continue
        # The page's text begins with a running head or folio, maybe with the
        # end of a word hyphenated across the break; note calls are glued to
        # their word in the PDF text: compare letters only.
        assert letters(after) in letters(on_page), (name, page, after, on_page)
        checked += 1
    assert checked >= 30
