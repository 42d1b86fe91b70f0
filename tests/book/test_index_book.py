"""The real book's index of names: hundreds of persons, every print page
number checked against the PDF's page text, every EPUB locator on a mention."""

from __future__ import annotations

import re
import subprocess
import unicodedata
import zipfile
from collections import Counter

import pytest
from lxml import etree

from pipeline.render.locators import page_locators as locators

pytestmark = pytest.mark.book

OPS = "{http://www.idpf.org/2007/ops}type"


def _normal(text: str) -> str:
    """Page text as a reader sees it: ligatures undone, words hyphenated
    across lines joined ('Trots-\\nky' → 'Trotsky'), spaces collapsed."""
    text = unicodedata.normalize("NFC", unicodedata.normalize("NFKC", text)).replace("\u00ad", "")
    text = re.sub(r"(\w)[-‐]\s*\n\s*(\w)", r"\1\2", text)
    return " ".join(text.split())


@pytest.fixture(scope="module")
def page_texts(real_pdf):
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(real_pdf.path), "-"], capture_output=True,
                         text=True, check=True).stdout
    return [_normal(p) for p in out.split("\f")]


@pytest.fixture(scope="module")
def forms(real_book):
    from pipeline.registers import load
    from pipeline.diagnostics import Report

    return {e.name: e.variants for e in load(real_book.root, Report()).names}


def _bare(text: str) -> str:
    """Hyphens out: a compound name broken at its own hyphen ('Vaillant-|Couturier')
    and one broken by hyphenation read alike."""
    return re.sub(r"[-‐]", "", text)


def _across(variant: str, text: str, after: str) -> bool:
    """A name cut by the page break: its start ends the page, its rest comes
    in the first lines of the next one (after the folio and running head)."""
    end = re.sub(r"\s*\d*\s*$", "", text)
    return any(end.endswith(variant[:i].rstrip()) and variant[i:].strip() in after[:200]
               for i in range(2, len(variant) - 1))


def _pages(locator: str) -> list[int]:
    m = re.match(r"(\d+)(?:–(\d+))?", locator)
    first, last = int(m.group(1)), int(m.group(2) or m.group(1))
    return list(range(first, last + 1))


def _all(entries):
    for e in entries:
        yield e
        yield from _all(e.subentries)


def test_hundreds_of_persons_each_mentioned(real_book, book_report):
    entries = list(_all(real_book.index))
    assert len(entries) >= 500
    assert all(e.mentions for e in entries if not e.see)
    assert not [d for d in book_report[1].items if d.code.startswith("X")]
    by_key = {e.key: e for e in entries}
    assert len(by_key["Trotsky, León"].mentions) > 200
    letters = [e.letter for e in real_book.index]
    assert letters == sorted(letters, key=lambda x: ("ABCDEFGHIJKLMNÑOPQRSTUVWXYZ".find(x), x))


def test_every_print_locator_is_a_page_that_names_the_person(real_book, real_pdf, page_texts, forms):
    pages = real_pdf.anchors
    checked, missing = 0, []
    for entry in _all(real_book.index):
        variants = [_bare(v) for v in forms[entry.key]]
        for loc in locators(entry, pages):
            for page in _pages(loc):
                text = _bare(page_texts[page - 1])
                after = _bare(page_texts[page]) if page < len(page_texts) else ""
                if not any(v in text or _across(v, text, after) for v in variants):
                    missing.append(f"{entry.key}: page {page} ({loc})")
                checked += 1
    assert checked > 2000
    assert not missing, f"{len(missing)} of {checked}: {missing[:10]}"


def test_the_printed_index_carries_those_numbers(real_book, real_pdf, page_texts):
    index_page = real_pdf.anchors["indice-onomastico"] if "indice-onomastico" in real_pdf.anchors else None
    start = index_page or next(i for i, t in enumerate(page_texts, 1) if t.startswith("Índice onomástico"))
    printed = " ".join(page_texts[start - 1:])
    for key in ("Trotsky, León", "Lenin, Vladímir Ilich", "Bujarin, Nikolai Ivanovich"):
        entry = next(e for e in real_book.index if e.key == key)
        assert key in printed
        assert ", ".join(locators(entry, real_pdf.anchors)[:3]) in printed
    assert "000" not in re.sub(r"\d{4,}", "", printed)   # no placeholder left from the first layout


def test_every_epub_locator_lands_on_a_mention(real_book, real_epub, real_pdf):
    with zipfile.ZipFile(real_epub) as zf:
        names = {n.rsplit("/", 1)[-1]: n for n in zf.namelist()}
        index = etree.fromstring(zf.read(names["index.xhtml"]))
        assert index.find(".//{*}section").get(OPS) == "index"
        links = [a for a in index.iter("{*}a") if a.get(OPS) == "index-locator"]
        ids: dict[str, dict] = {}
        for a in links:
            file, _, ident = a.get("href").partition("#")
            if file not in ids:
                doc = etree.fromstring(zf.read(names[file]))
                ids[file] = {el.get("id"): el for el in doc.iter() if el.get("id")}
            target = ids[file].get(ident)
            assert target is not None and target.get("class") == "name", a.get("href")
            label = a.text or ""
            if label.startswith("p. "):   # print page numbers, when the PDF was laid out in the same build
                assert int(label.split()[1]) == real_pdf.anchors[ident], a.get("href")
    assert len(links) > 2000
    kinds = Counter(a.get(OPS) for a in index.iter() if a.get(OPS))
    assert kinds["index-group"] >= 20 and kinds["index-entry"] >= 500 and kinds["index-term"] == kinds["index-entry"]
