"""The real book's finish (issue 20), checked as `check pdf --strict` checks
it, in endnote mode (the session's build) and in footnote mode (the
session's footnote build, already made for tests/book/test_notes_print.py):
no hyphen ladder, no word hyphenated across a recto's turn, no heading at a
page's foot, no widow or orphan, no line past the measure, no line opening
with a note call or a closing raya, no warning at all; and loose lines (937
before the hold in the line loop) no more than measured when it was made,
which is under the aim of one per ten pages."""

from __future__ import annotations

import re

import pytest

from pipeline.preflight import OK
from pipeline.preflight import run as preflight

pytestmark = pytest.mark.book

# loose lines measured on the real book (check pdf's spacing row): 40 and 45 were counted while some held
# lines were drawn up to 0.3 mm past the measure (issue 20's notes); set within it, a few stay loose.
# Endnotes 43 -> 44 in session 10: 577 more titles set in italics (issue 22) changed line breaks throughout.
# Endnotes 44 -> 32 in session 11: a raya bound with one letter, not its whole word, which can now hyphenate
# (render/pdf/html.py _DASHED), with 123 more italics; footnotes 48 -> 36 the same way.
# Endnotes 32 -> 30, footnotes 36 -> 33 in session 12: an editor's call ("119*") lost the half em its
# asterisk advanced (print.css .call-star), and closing rayas after titles or spaced hold to their word.
LOOSE = {"endnotes": 30, "footnotes": 33}


def strict(pdf_path, config) -> tuple[list, int]:
    """(what --strict fails on, the loose lines counted)."""
    findings = preflight(pdf_path, config=config)
    spacing = next(f.detail for f in findings if f.check == "spacing")
    return [f for f in findings if f.status != OK], int(re.match(r"(\d+) loose", spacing)[1])


def test_the_real_book_passes_check_pdf_strict_in_endnote_mode(real_pdf, real_book):
    failing, loose = strict(real_pdf.path, real_book.config)
    assert [(f.code, f.page, f.detail) for f in failing] == []
    assert loose <= LOOSE["endnotes"]


def test_the_real_book_passes_check_pdf_strict_in_footnote_mode(real_pdf_footnotes):
    book, result = real_pdf_footnotes
    failing, loose = strict(result.path, book.config)
    assert [(f.code, f.page, f.detail) for f in failing] == []
    assert loose <= LOOSE["footnotes"]
