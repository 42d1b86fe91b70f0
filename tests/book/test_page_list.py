"""The EPUB's page-list comes from the print edition built in the same run:
each marker stands where that PDF page begins."""

from __future__ import annotations

import re
import zipfile

import pytest
from lxml import etree

from tests import reading

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


def test_page_list_covers_the_text_pages(real_epub, real_pdf):
    nav = epub_files(real_epub)["nav.xhtml"].decode()
    pages = [int(p) for p in re.findall(r'#page-(\d+)">(\d+)<', nav) for p in p[:1]]
    assert len(pages) > 0.9 * real_pdf.page_count - 20
    assert pages == sorted(pages) and len(set(pages)) == len(pages)
    assert 'property="pageBreakSource"' in zipfile.ZipFile(real_epub).read("EPUB/content.opf").decode()


def test_every_text_pages_marker_stands_where_its_pdf_page_begins(real_epub, real_pdf):
    """Every text page, not a sample: the words after the marker are the PDF
    page's first words (or those after a word hyphenated across the turn).
    In generated documents (notes, glossary, index, laid out differently in
    each output) the reading harness checks its sample (test_reading_book)."""
    files = epub_files(real_epub)
    nav = files["nav.xhtml"].decode()
    generated = {"notes.xhtml", "glossary.xhtml", "index.xhtml"}
    entries = [e for e in re.findall(r'href="([^"#]+)#page-(\d+)"', nav) if e[0] not in generated]
    pdf_pages = reading.pdf_pages(real_pdf.path)
    roots = {name: etree.fromstring(files[name]) for name in {name for name, _ in entries}}
    late = [(name, page, after[:4], pdf_pages[int(page)].words[:5]) for name, page in entries
            if (after := words_after(roots[name], f"page-{page}", 6))
            and not reading.lands_on_print_page(" ".join(after), pdf_pages[int(page)])]
    assert len(entries) > 400 and late == []
