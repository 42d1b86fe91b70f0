"""The gutter a printer asks for, against the book's own.

Before: the book's sheets (their `@page` margins), its page count and the
printer named in book.yaml (`print.printer`, pipeline/printers.py).
After: how far every page's text block moves outward, in mm (0 when the
book's inside margin is wide enough), or `PrinterRejects` saying what to
change.

Printers ask for a wider inside margin as a book grows thicker (KDP: 0.75
in from 501 pages), since more of each page disappears into the binding.
Moving the text block outward widens the gutter by as much as it narrows
the outside margin, and changes no line or page: the layout stands, the
merge only places each page's drawing further from the spine. When the
outside margin cannot give that much, the book's margins must change, and
the error says by how much.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.printers import Printer
from pipeline.render.pdf import layout
from pipeline.render.pdf.fetcher import ConfinedFetcher

PX_MM = 25.4 / 96
# Two pages, a recto then a verso, each with a mark at both ends of the text block.
PROBE = ('<html><body class="pad"><div id="gutter-r0"></div><div id="gutter-r1" style="margin-left:100%"></div>'
         '<div id="gutter-v0" style="break-before:page"></div>'
         '<div id="gutter-v1" style="margin-left:100%"></div></body></html>')
TOLERANCE_MM = 0.005


class PrinterRejects(Exception):
    """The printer would refuse the book as it is laid out: a diagnostic
    `code` with its fields, about book.yaml's print.printer."""

    def __init__(self, code: str, **fields):
        super().__init__(code, fields)
        self.code, self.fields = code, fields


@dataclass(frozen=True)
class Margins:
    inside: float    # mm, the narrower of recto and verso
    outside: float


def book_margins(root: Path, styles: Path, config, print_ready: bool) -> Margins:
    """The inside and outside margins the book's sheets give its text pages."""
    fetcher = ConfinedFetcher(root, styles)
    document = layout.lay_out(PROBE, root, styles, config, fetcher, print_ready, multiple=1)
    recto, verso = document.pages[0], document.pages[1]
    width = recto.width
    r0, r1 = recto.anchors["gutter-r0"][0], recto.anchors["gutter-r1"][0]
    v0, v1 = verso.anchors["gutter-v0"][0], verso.anchors["gutter-v1"][0]
    inside = min(r0, width - v1) * PX_MM
    outside = min(width - r1, v0) * PX_MM
    return Margins(round(inside, 3), round(outside, 3))


def shift_mm(printer: Printer, pages: int, margins: Margins) -> float:
    """How far the text block moves outward for `printer` (0: not at all)."""
    if printer.pages and not printer.pages[0] <= pages <= printer.pages[1]:
        raise PrinterRejects("L004", printer=printer.name, least=printer.pages[0], most=printer.pages[1],
                             pages=pages)
    least = printer.least_inside_mm(pages)
    if least is None or margins.inside >= least - TOLERANCE_MM:
        return 0.0
    shift = round(least - margins.inside, 3)
    if margins.outside - shift < printer.least_outside_mm - TOLERANCE_MM:
        raise PrinterRejects("L005", printer=printer.name, inside=least, pages=pages,
                             outside=printer.least_outside_mm, book_inside=margins.inside,
                             book_outside=margins.outside,
                             missing=least + printer.least_outside_mm - margins.inside - margins.outside)
    return shift


def move_outward(pdf, shift: float) -> None:
    """Each page's drawing (text, heads, folios) and its links `shift` mm
    away from the spine: rectos (odd pages) right, versos left."""
    if not shift:
        return
    for number, page in enumerate(pdf.pages, 1):
        dx = shift * 72 / 25.4 * (1 if number % 2 else -1)
        page.contents_add(f"q 1 0 0 1 {dx:.4f} 0 cm\n".encode(), prepend=True)
        page.contents_add(b"\nQ\n")
        for annot in page.get("/Annots", []):
            if "/Rect" in annot:
                x0, y0, x1, y1 = (float(v) for v in annot.Rect)
                annot.Rect = [x0 + dx, y0, x1 + dx, y1]
