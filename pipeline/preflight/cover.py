"""The cover: one page; its TrimBox the back, spine and front side by side
(2 × trim width + spine) and the trim height; the spine as wide as the
book's page count and paper ask (book.yaml, else 80 g cream); a bleed;
only the book's faces embedded."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pikepdf

from pipeline import printers
from pipeline.preflight import Finding, boxes, fonts, passed, pdfx1a, problem

MM = 72 / 25.4
TOLERANCE_MM = 0.3
SPINE = ("{spine:.2f} mm for {pages} pages on {basis} (want {want:.2f} mm); "
         "cover {width:.1f} × {height:.1f} mm, book trim {bw:.1f} × {bh:.1f}")


def check(cover: Path, book_pdf: Path, config=None, styles: Path | None = None) -> list[Finding]:
    with pikepdf.open(book_pdf) as book:
        pages = len(book.pages)
        btrim = boxes.boxes_of(book.pages[0])
        btrim = btrim["TrimBox"] or btrim["MediaBox"]
    with pikepdf.open(cover) as doc:
        printer = printers.printer(config.print.printer) if config else None
        pdfx_required = printer.pdf_variant is not None if printer else True
        found = [f for f in pdfx1a.identification(doc, pdfx_required, printer and printer.ink_limit,
                                                  printer and printer.pdf_variant == printers.X1A, path=cover)
                 if f.check != "metadata"]
        if printer is not None and not pdfx1a.claims(doc):   # X-1a's own checks measure its colour
            found += pdfx1a.cmyk_content(doc, printer.ink_limit, cover)
        found += fonts.check(doc, styles, path=cover)
        if len(doc.pages) != 1:
            found.append(problem("pages", "C021", path=cover, count=len(doc.pages)))
        b = boxes.boxes_of(doc.pages[0])
    found = [dataclasses.replace(f, check="cover: " + f.check) for f in found]
    if b["TrimBox"] is None or b["BleedBox"] is None:
        return found + [problem("cover: boxes", "C022", 1, cover)]
    return found + _geometry(cover, b, btrim, pages, config)


def _geometry(cover: Path, b, btrim, pages: int, config) -> list[Finding]:
    """The spine as wide as the pages and paper ask, the height the book's; the bleed."""
    from pipeline.manuscript import PrintSettings
    from pipeline.render.pdf.cover import spine_mm

    trim, bleed = b["TrimBox"], b["BleedBox"]
    width, height = (trim[2] - trim[0]) / MM, (trim[3] - trim[1]) / MM
    bw, bh = (btrim[2] - btrim[0]) / MM, (btrim[3] - btrim[1]) / MM
    settings = config.print if config is not None else PrintSettings()
    want, spine, paper = spine_mm(pages, settings), width - 2 * bw, settings.paper
    basis = (f"caliper {paper.caliper}" if paper.caliper else f"{paper.ppi:g} ppi" if paper.ppi
             else f"{paper.kind}")
    sizes = dict(spine=spine, pages=pages, basis=basis, want=want, width=width, height=height, bw=bw, bh=bh)
    if abs(spine - want) <= TOLERANCE_MM and abs(height - bh) <= TOLERANCE_MM:
        found = [passed("cover: spine", SPINE.format(**sizes))]
    else:
        found = [problem("cover: spine", "C023", 1, cover, **sizes)]
    least = min(trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3]) / MM
    want_bleed = settings.bleed_mm
    if least < want_bleed - 0.05:
        return found + [problem("cover: bleed", "C006", 1, cover, least=least, want=want_bleed)]
    return found + [passed("cover: bleed", f"{least:.1f} mm (want {want_bleed:g} mm)")]
