"""List markers are no words: pdfium reads a list item's marker (WeasyPrint
draws it after the page's text) at the end of the page, away from its item,
so where it stands among the words depends on where the page ends. The
same list reflowed onto other page breaks is a reflow, not changed text
(the real book's endnotes, pp. 592-593, after the hold's reflow)."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from pipeline.diff import pages
from pipeline.diff.pdf import _page_lines

SYLLABLES = ("ma", "re", "ti", "so", "lu", "ne", "ca", "do", "pi", "ve")
CSS = ("@page {{ size: {width} 9cm; margin: 1cm }} body {{ font: 11pt serif }} "
       'ul {{ list-style-type: "\u2013\\2002" }}')   # the book's print.css


def _pdf(path: Path, width: str) -> Path:
    import weasyprint

    words = iter(_words())
    body = "".join(f"<p>{_text(words, 40)}</p><ul>{''.join(f'<li>{_text(words, 22)}</li>' for _ in range(3))}</ul>"
                   for _ in range(4))
    weasyprint.HTML(string=f"<style>{CSS.format(width=width)}</style>{body}").write_pdf(path)
    return path


def _words():
    """Words each met once (the word diff pairs repeated text freely)."""
    return (a + b + c for a in SYLLABLES for b in SYLLABLES for c in SYLLABLES)


def _text(words, n: int) -> str:
    return " ".join(next(words) for _ in range(n)) + "."


@pytest.fixture(scope="module")
def lists(tmp_path_factory):
    d = tmp_path_factory.mktemp("lists")
    return _pdf(d / "wide.pdf", "12cm"), _pdf(d / "narrow.pdf", "11.5cm")


def test_pdfium_reads_the_markers_apart_from_their_items(lists):
    doc = pdfium.PdfDocument(str(lists[0]))
    lines = [line for i in range(len(doc)) for line in _page_lines(doc[i])]
    assert "\u2013" in lines and not any(line.startswith("\u2013 ") for line in lines)


def test_a_list_reflowed_onto_other_pages_is_no_changed_text(lists):
    result = pages.compare_pdfs(*lists)
    assert result.changes and {c.kind for c in result.changes} == {"reflow"}
