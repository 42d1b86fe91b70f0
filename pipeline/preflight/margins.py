"""The inside and outside margins, measured from the file as a printer's
preflight measures them, against the least the printer asks (book.yaml
print.printer, pipeline/printers.py).

Before: the pages' lines (text.read_pages: pdftotext -bbox-layout, in trim
coordinates), the book's config.
After: an error at each page whose text (running heads and folios
included: printers' margins hold them too) comes nearer the spine (C037) or
the outer edge (C038) than the printer allows for the file's page count;
C041 when the printer does not print that many pages; otherwise a passed
finding with the least margins found.

A recto (odd page) has the spine on its left, a verso on its right. The
boxes pdftotext gives are the glyphs' advance boxes, a little wider than
the ink: a margin measured from them is never wider than the one printed.
"""

from __future__ import annotations

from pipeline import printers
from pipeline.preflight import Finding, passed, problem
from pipeline.preflight.text import Page

MM = 72 / 25.4
TOLERANCE_MM = 0.05


def page_margins(page: Page) -> tuple[float, float] | None:
    """(inside, outside) in mm of a page with text; None for a blank page."""
    lines = [l for l in page.lines if l.text.strip()]
    if not lines:
        return None
    left = min(l.x0 for l in lines) / MM
    right = (page.width - max(l.x1 for l in lines)) / MM
    return (left, right) if page.number % 2 else (right, left)


def check(pages: list[Page], config) -> list[Finding]:
    printer = printers.printer(config.print.printer)
    count = len(pages)
    found: list[Finding] = []
    if printer.pages and not printer.pages[0] <= count <= printer.pages[1]:
        found.append(problem("margins", "C041", printer=printer.name, least=printer.pages[0],
                             most=printer.pages[1], pages=count))
    inside, outside = printer.least_inside_mm(count), printer.least_outside_mm
    if inside is None and not outside:
        return found
    measured = {p.number: m for p in pages if (m := page_margins(p)) is not None}
    for number, (got_in, got_out) in measured.items():
        if inside is not None and got_in < inside - TOLERANCE_MM:
            found.append(problem("margins", "C037", number, got=got_in, printer=printer.name, want=inside,
                                 pages=count))
        if got_out < outside - TOLERANCE_MM:
            found.append(problem("margins", "C038", number, got=got_out, printer=printer.name, want=outside,
                                 pages=count))
    if measured and not any(f.code in ("C037", "C038") for f in found):
        (page_in, (least_in, _)), (page_out, (_, least_out)) = (
            min(measured.items(), key=lambda item: item[1][side]) for side in (0, 1))
        asks = f"{inside:.2f} mm inside" if inside is not None else "no inside margin"
        found.append(passed("margins", f"least inside {least_in:.2f} mm (page {page_in}), least outside "
                                       f"{least_out:.2f} mm (page {page_out}); {printer.name} asks {asks}, "
                                       f"{outside:.2f} mm outside for {count} pages"))
    return found
