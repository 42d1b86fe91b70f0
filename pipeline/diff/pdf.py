"""A PDF read safely: path -> page count, body lines per page, page images.

PDFs given to `diff` may come from anywhere, so the file's size, its page
count and the pixels of each rendered page are bounded before pdfium does
any work. Running heads and folios are left out of the body lines: they
change whenever a page moves, which is not a change of the text.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from pipeline.diff.errors import DiffError, check_file_size

MAX_BYTES = 500 * 2**20      # a 600-page illustrated book is well under this
MAX_PAGES = 5000
MAX_PIXELS = 6_000_000       # one rendered page, whatever its size in points
DPI_RANGE = (20, 150)
FOLIO = re.compile(r"^(\d+|[ivxlcdm]+)$")   # arabic, or the lower-case roman of front matter
DIGITS = re.compile(r"\d+")
HEAD_REPEATS = 3             # a page-edge line seen this often is a running head
# A line that is one bullet alone: a list item's marker ("–" in the book's
# print.css), which pdfium reads after the page's text, away from its item.
# Not the raya (U+2014), which no list sets: alone, it is a word, the
# table cell's "nothing here", and an edit from it to a value is a change.
MARKER = re.compile(r"^[\u2013\u2022\u25e6\u25aa\u2023\u00b7]$")


class Pdf:
    """An open PDF; use as a context manager."""

    def __init__(self, path: Path):
        import pypdfium2 as pdfium

        self.path = Path(path)
        check_file_size(self.path, MAX_BYTES, "a PDF")
        try:
            self.doc = pdfium.PdfDocument(str(self.path))
        except pdfium.PdfiumError as exc:
            raise DiffError("D024", self.path, reason=exc) from None
        pages = len(self.doc)   # counted before closing: a closed document cannot say
        if pages > MAX_PAGES:
            self.doc.close()
            raise DiffError("D025", self.path, pages=pages, limit=MAX_PAGES)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.doc.close()

    def __len__(self) -> int:
        return len(self.doc)

    def raw_lines(self) -> list[list[str]]:
        """Each page's text lines, in pdfium's reading order."""
        return [_page_lines(self.doc[i]) for i in range(len(self.doc))]

    def body_lines(self) -> list[tuple[str, ...]]:
        """Each page's lines without running heads and folios."""
        return strip_running(self.raw_lines())

    def render(self, index: int, dpi: float):
        """Page `index` (0-based) -> greyscale PIL image at a bounded resolution."""
        page = self.doc[index]
        width, height = page.get_size()
        scale = _bounded_scale(width, height, dpi)
        return page.render(scale=scale, grayscale=True).to_pil().convert("L")


def _bounded_scale(width: float, height: float, dpi: float) -> float:
    """dpi within DPI_RANGE, lowered further if the page would exceed MAX_PIXELS."""
    dpi = min(max(dpi, DPI_RANGE[0]), DPI_RANGE[1])
    scale = dpi / 72
    pixels = max(width * height, 1.0) * scale * scale
    return scale * min(1.0, (MAX_PIXELS / pixels) ** 0.5)


def _page_lines(page) -> list[str]:
    text = page.get_textpage().get_text_range()
    return [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]


def strip_running(pages: list[list[str]]) -> list[tuple[str, ...]]:
    """Drop a page's first or last line when it is a folio, or a head that
    recurs (with or without its folio) at the edge of several pages; and
    list markers read alone (MARKER): they are no words, and where pdfium
    puts them among the words depends on where the page ends, so the same
    list reflowed onto other pages would read as moved dashes."""
    pages = [[line for line in lines if not MARKER.match(line)] for lines in pages]
    counts = Counter(_head_key(line) for lines in pages for line in _edges(lines))
    return [tuple(line for n, line in enumerate(lines)
                  if not (n in (0, len(lines) - 1) and _running(line, counts))) for lines in pages]


def _edges(lines: list[str]) -> list[str]:
    return lines[:1] + lines[1:][-1:]


def _head_key(line: str) -> str:
    """The head without its folio, figures masked: "Notas a las páginas
    16–27" and "… 28–33" are the same running head."""
    words = line.split()
    if words and FOLIO.match(words[0]):
        words = words[1:]
    if words and FOLIO.match(words[-1]):
        words = words[:-1]
    return DIGITS.sub("#", " ".join(words))


def _running(line: str, counts: Counter) -> bool:
    key = _head_key(line)
    return not key or counts[key] >= HEAD_REPEATS
