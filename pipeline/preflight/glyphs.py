"""Which lines open with a superscript: a note call, read from its glyph.

Before: the PDF, its pages' trim offsets (boxes.trim_offsets) and lines
read by pdftotext (text.read_pages).
After: `Raised(pdf, offsets)(page, line)`, whether the line's first glyph
is a superior figure or asterisk.

pdftotext reads a call's superior figures (the face's `sups` glyphs, at the
text's own size) as plain digits in a word box as tall as the line's, so
"1936" and a call "31" opening a line read alike. pdfium gives each glyph's
ink box and its baseline origin: a superior figure stands clear of the
baseline (EB Garamond's at 0.42 em), where a figure of the text stands on it
or descends below; a call's asterisk stands above the text's asterisk,
which is itself raised to the cap height (its ink from 0.37 em; the face's
superior asterisk from 0.69 em, print.css's smaller one from 0.50 em).
Only a line whose text opens with a figure or an asterisk is looked up.
A limit: figures synthesized for a face without `sups` (smaller, on a
baseline moved up) pdftotext may read as a line of their own, which the
finish takes for a note's label (another size): such calls go unseen.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from pathlib import Path

# the least height of a glyph's ink above the line's baseline, in the line's size, that makes it a superscript
RAISED = {"digit": 0.3, "*": 0.45}


def opens_with_mark(text: str) -> bool:
    """A line pdftotext reads as opening with what a note call is made of."""
    return bool(text) and (text[0].isdigit() or text[0] == "*")


class Raised:
    """Whether a line (text.Line, trim coordinates) opens with a raised
    glyph; pdfium opens the file on the first question only. Use as a
    context manager."""

    def __init__(self, pdf: Path, offsets):
        self.pdf, self.offsets = pdf, offsets
        self.doc, self.pages = None, {}

    def __call__(self, number: int, line) -> bool:
        if not opens_with_mark(line.text):
            return False
        page = self._page(number)
        left, top = self.offsets[number - 1][:2]
        x, low, high = page.left + line.x0 + left, page.top - line.y1 - top, page.top - line.y0 - top
        first = next((m for m in page.marks if abs(m.left - x) < 0.5 and m.low < high and m.high > low), None)
        baseline = page.baseline(page.left + (line.x0 + line.x1) / 2 + left, (low + high) / 2, line.height)
        if first is None or baseline is None:
            return False
        return first.bottom - baseline > RAISED["*" if first.char == "*" else "digit"] * line.height

    def _page(self, number: int) -> _Page:
        if self.doc is None:
            import pypdfium2 as pdfium

            self.doc = pdfium.PdfDocument(str(self.pdf))
        if number not in self.pages:
            self.pages[number] = _Page(self.doc[number - 1])
        return self.pages[number]

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        if self.doc is not None:
            self.doc.close()
            self.doc, self.pages = None, {}


@dataclass(frozen=True)
class _Mark:
    char: str
    left: float      # where its advance begins
    low: float       # its advance box, bottom and top (the font's size, not the ink)
    high: float
    bottom: float    # its ink's bottom


class _Page:
    """A page's figures and asterisks with their boxes, in PDF space. They
    are found in the text's order, wherever pdfium puts a glyph drawn apart
    (print.css moves a call's asterisk: WeasyPrint draws it after the text)."""

    def __init__(self, page):
        self.text = page.get_textpage()
        self.left, _, _, self.top = page.get_mediabox()
        chars = self.text.get_text_range(0, self.text.count_chars())
        self.marks = [_mark(self.text, i, c) for i, c in enumerate(chars) if c.isdigit() or c == "*"]

    def baseline(self, x: float, y: float, size: float) -> float | None:
        """The baseline of the line around (x, y): the origin of the glyph
        there, in the line's middle, where no call stands as at its start."""
        import pypdfium2.raw as raw

        index = self.text.get_index(x, y, size, size / 2)
        if index is None:
            return None
        ox, oy = ctypes.c_double(), ctypes.c_double()
        raw.FPDFText_GetCharOrigin(self.text, index, ox, oy)
        return oy.value


def _mark(text, index: int, char: str) -> _Mark:
    left, low, _, high = text.get_charbox(index, loose=True)
    return _Mark(char, left, low, high, text.get_charbox(index)[1])
