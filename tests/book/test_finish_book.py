"""The real book's finish (issue 20), checked as `check pdf --strict` checks
it, in endnote mode (the session's build) and in footnote mode (the
session's footnote build): no hyphen ladder, no word hyphenated across a
recto's turn, no heading at a page's foot, no widow or orphan, no error.

Loose lines are the one check allowed: the hold in the line loop
(pipeline/engines/weasyprint.py) brings them from 937 to the figure below
but not to the aim of one per ten pages; the figure is the measured one,
so a change that loosens the setting fails here (docs/manuscript.md, Print)."""

from __future__ import annotations

import pytest

from pipeline.preflight import OK
from pipeline.preflight import run as preflight

pytestmark = pytest.mark.book

LOOSE = {"endnotes": 0, "footnotes": 0}   # loose lines measured on the real book (check pdf's C042)


def strict(pdf_path, config) -> tuple[list, int]:
    """(what --strict would fail on but loose lines, the loose lines counted)."""
    findings = preflight(pdf_path, config=config)
    failing = [f for f in findings if f.status != OK and f.code != "C042"]
    loose = sum(int(f.detail.split()[0]) for f in findings if f.code == "C042")
    return failing, loose


def test_the_real_book_passes_check_pdf_strict_in_endnote_mode(real_pdf, real_book):
    failing, loose = strict(real_pdf.path, real_book.config)
    assert [(f.code, f.page, f.detail) for f in failing] == []
    assert loose <= LOOSE["endnotes"]


def test_the_real_book_passes_check_pdf_strict_in_footnote_mode(real_pdf_footnotes):
    book, result = real_pdf_footnotes
    failing, loose = strict(result.path, book.config)
    assert [(f.code, f.page, f.detail) for f in failing] == []
    assert loose <= LOOSE["footnotes"]
