"""The real book's notes in print: endnote heads right on every notes page,
references = notes per part in the PDF text, footnote mode whole and lossless."""

from __future__ import annotations

import re
import subprocess
from collections import Counter

import pytest
from dataclasses import replace

from tests.render.test_pdf_notes import check_endnote_heads, check_no_note_lost, head_of

pytestmark = pytest.mark.book


@pytest.fixture(scope="module")
def endnotes_pdf(request):
    """The session's endnote PDF: from build() (its PdfResult pointed at the
    file where build() moved it) when the session builds so, else real_pdf."""
    try:
        built = request.getfixturevalue("real_build")
    except pytest.FixtureLookupError:
        return request.getfixturevalue("real_pdf")
    return replace(built.pdf, path=built.outputs["pdf"])


def test_every_endnote_head_matches_its_references(real_book, endnotes_pdf):
    real_pdf = endnotes_pdf
    assert real_pdf.anchors["notes"]
    checked = check_endnote_heads(real_book, real_pdf)
    assert checked > 100


def test_folios_are_physical_page_numbers(endnotes_pdf):
    real_pdf = endnotes_pdf
    """Heads cite physical pages: the folio printed on a notes page is that number."""
    page = real_pdf.anchors["notes"] + 3
    assert str(page) in head_of(real_pdf.path, page).split()


def test_references_equal_notes_per_part_in_the_pdf(real_book, real_pdf):
    per_part = Counter(n.doc_id for n in real_book.notes)
    assert sum(per_part.values()) == 1307 and Counter(n.kind for n in real_book.notes)["title"] == 6
    for note in real_book.notes:
        assert f"note-{note.key}" in real_pdf.anchors
        for ref in note.ref_ids:
            assert ref in real_pdf.anchors
    refs = Counter(n.doc_id for n in real_book.notes for _ in n.ref_ids)
    assert refs == per_part


def test_footnote_mode_builds_whole_and_loses_no_note(real_pdf_footnotes):
    book, result = real_pdf_footnotes
    assert "notes" not in result.anchors
    check_no_note_lost(book, result)


def test_footnote_mode_cuts_the_long_notes(real_pdf_footnotes):
    book, result = real_pdf_footnotes
    keys = {f"note-{n.key}" for n in book.notes}
    chunks = [k for k in result.anchors if k.startswith("note-") and k not in keys]
    assert len(chunks) > 50
    text = subprocess.run(["pdftotext", str(result.path), "-"], capture_output=True, text=True).stdout
    assert "(cont.)" in text


def test_every_note_links_both_ways_in_the_pdf(real_book, endnotes_pdf):
    """Each call is a link to its note's page and each note's mark a link
    back to its call's page, through the PDF's named destinations."""
    import pikepdf

    calls, backs = {}, {}
    with pikepdf.open(endnotes_pdf.path) as pdf:
        page_of = {page.objgen: n for n, page in enumerate(pdf.pages, 1)}
        names = pdf.Root.Names.Dests.Names
        dests = {bytes(names[i]).decode("utf-16-be" if bytes(names[i])[:2] == b"\xfe\xff" else "ascii")
                 .lstrip("\ufeff"): page_of[names[i + 1][0].objgen] for i in range(0, len(names), 2)}
        for n, page in enumerate(pdf.pages, 1):
            for annot in page.get("/Annots", []):
                dest = annot.get("/Dest")
                if annot.get("/Subtype") == "/Link" and isinstance(dest, pikepdf.String):
                    target = str(dest)
                    (calls if target.startswith("note-") else backs).setdefault(target, set()).add(n)
    for note in real_book.notes:
        note_page = dests[f"note-{note.key}"]
        assert note_page == endnotes_pdf.anchors[f"note-{note.key}"]
        for ref in note.ref_ids:
            assert endnotes_pdf.anchors[ref] in calls[f"note-{note.key}"], f"no call of {note.key} links to it"
            assert dests[ref] == endnotes_pdf.anchors[ref]
            assert note_page in backs[ref], f"note {note.key} does not link back to {ref}"
