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
or descends below; a superior asterisk stands above the text's asterisk,
which is itself raised to the cap height (0.37 em). A call synthesized
(smaller glyphs moved up) stands clear too. Only a line whose text opens
with a figure or an asterisk is looked up.
"""

from __future__ import annotations

import ctypes
from pathlib import Path

# the least height of a glyph's ink above the line's baseline, in the line's size, that makes it a superscript
RAISED = {"digit": 0.3, "*": 0.55}
NEAR = 40   # characters read on from a line's first to find a letter standing on its baseline


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
        page, text = self._page(number)
        left, top = self.offsets[number - 1][:2]
        x0, _, _, y1 = page.get_mediabox()
        x, y = x0 + line.x0 + left, y1 - (line.y0 + line.y1) / 2 - top
        first = _first(text, x, y, line.height)
        if first is None:
            return False
        char = text.get_text_range(first, 1)
        threshold = RAISED["*"] if char == "*" else RAISED["digit"] if char.isdigit() else None
        if threshold is None:
            return False
        bottom = text.get_charbox(first)[1]
        return bottom - _baseline(text, first) > threshold * line.height

    def _page(self, number: int):
        if self.doc is None:
            import pypdfium2 as pdfium

            self.doc = pdfium.PdfDocument(str(self.pdf))
        if number not in self.pages:
            page = self.doc[number - 1]
            self.pages[number] = (page, page.get_textpage())
        return self.pages[number]

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        if self.doc is not None:
            self.doc.close()
            self.doc, self.pages = None, {}


def _first(text, x: float, y: float, size: float) -> int | None:
    """The index of the glyph whose advance begins at x on the line around y."""
    near = text.get_index(x + 0.5, y, 1.0, size / 2)
    if near is None:
        return None
    around = [i for i in range(max(near - 2, 0), min(near + 3, text.count_chars()))
              if abs(text.get_charbox(i, loose=True)[0] - x) < 0.5]
    return around[0] if around else None


def _baseline(text, first: int) -> float:
    """The baseline of the line: the origin of the first letter after `first`
    on it (a synthesized call's own origin is raised), else its own."""
    import pypdfium2.raw as raw

    def origin(i: int) -> float:
        x, y = ctypes.c_double(), ctypes.c_double()
        raw.FPDFText_GetCharOrigin(text, i, x, y)
        return y.value

    own = origin(first)
    for i in range(first + 1, min(first + NEAR, text.count_chars())):
        char = text.get_text_range(i, 1)
        if char in "\r\n":
            break
        if char.isalpha():
            return origin(i)
    return own
