"""The real book, Memorias de un revolucionario, built end to end."""

from __future__ import annotations

import re
import subprocess
import zipfile

import pytest

from tests.conftest import epubcheck

pytestmark = pytest.mark.book

# (numbered notes, title notes) per part, in book order: the seed map's counts.
NOTES_PER_PART = [(23, 1), (200, 0), (83, 0), (131, 0), (155, 1), (140, 1), (115, 0), (139, 0), (70, 0),
                  (200, 0), (29, 0), (9, 1), (3, 1), (4, 1)]


def test_note_counts_per_part(real_book):
    counts = [(sum(n.kind != "title" for n in d.notes), sum(n.kind == "title" for n in d.notes))
              for d in real_book.documents if d.notes]
    assert counts == NOTES_PER_PART
    assert sum(a for a, _ in counts) == 1301 and sum(b for _, b in counts) == 6


def test_per_part_numbering_restarts(real_book):
    for doc in real_book.documents:
        numbered = [n.mark.rstrip("*") for n in doc.notes if n.kind != "title"]
        assert numbered == [str(i) for i in range(1, len(numbered) + 1)], doc.id


def test_editors_notes_keep_their_star(real_book):
    editors = [n for n in real_book.notes if n.kind == "editor"]
    assert len(editors) >= 50 and all(n.mark.endswith("*") for n in editors)


def test_no_errors_in_the_manuscript(book_report):
    _, report = book_report
    assert report.errors == []


def test_epub_is_valid(real_epub):
    assert epubcheck(real_epub) == []


def test_epub_links_every_note_both_ways(real_epub, real_book):
    with zipfile.ZipFile(real_epub) as zf:
        texts = {n: zf.read(n).decode() for n in zf.namelist() if n.endswith(".xhtml")}
    notes = texts["EPUB/notes.xhtml"]
    assert notes.count('epub:type="endnote"') == 1307
    refs = sum(t.count('epub:type="noteref"') for t in texts.values())
    assert refs == sum(len(n.ref_ids) for n in real_book.notes)
    assert notes.count('role="doc-backlink"') >= 1307


def test_pdf_pages_fonts(real_pdf):
    assert 400 < real_pdf.page_count < 900
    fonts = subprocess.run(["pdffonts", str(real_pdf.path)], capture_output=True, text=True).stdout
    faces = {line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:]}
    assert faces and all(re.match(r"EB-?Garamond", f) for f in faces), faces


def test_epub_passes_ace(real_epub, tmp_path):
    from pipeline.validate import run_ace

    assert run_ace(real_epub, tmp_path).problems == ()


def test_every_unit_parses_to_tinyhtml5s_tree(real_book):
    """The PDF's parser shortcut (engines/weasyprint.document) on the real
    book: each unit's HTML gives the tree WeasyPrint's own parser would."""
    import tinyhtml5

    from pipeline.engines import weasyprint as engine
    from pipeline.render.pdf.html import build_unit, unit_names
    from tests.render.test_engine import shape

    for name in unit_names(real_book):
        html = build_unit(real_book, name, None)
        ours = engine.document(html, real_book.root.as_uri() + "/", None).etree_element
        assert shape(ours) == shape(tinyhtml5.parse(html, namespace_html_elements=False)), name
