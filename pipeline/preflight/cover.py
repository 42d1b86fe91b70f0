"""The cover: one page; its TrimBox the back, spine and front side by side
(2 × trim width + spine) and the trim height; the spine as wide as the
book's page count and paper ask (book.yaml, else 80 g cream); a bleed;
only the book's faces embedded."""

from __future__ import annotations

from pathlib import Path

import pikepdf

from pipeline.preflight import ERROR, OK, Finding, boxes, fonts, pdfx

MM = 72 / 25.4
TOLERANCE_MM = 0.3


def check(cover: Path, book_pdf: Path, config=None, styles: Path | None = None) -> list[Finding]:
    from pipeline.manuscript import PrintSettings
    from pipeline.manuscript import mm
    from pipeline.render.pdf.cover import spine_mm

    with pikepdf.open(book_pdf) as book:
        pages = len(book.pages)
        btrim = boxes.boxes_of(book.pages[0])
        btrim = btrim["TrimBox"] or btrim["MediaBox"]
    with pikepdf.open(cover) as doc:
        found = [Finding("cover: " + f.check, f.status, f.detail) for f in pdfx.check(doc, required=True)
                 if f.check != "metadata"]
        found += [Finding("cover: " + f.check, f.status, f.detail) for f in fonts.check(doc, styles)]
        if len(doc.pages) != 1:
            found.append(Finding("cover: pages", ERROR, f"{len(doc.pages)} pages, want 1"))
        b = boxes.boxes_of(doc.pages[0])
    trim, bleed = b["TrimBox"], b["BleedBox"]
    if trim is None or bleed is None:
        return found + [Finding("cover: boxes", ERROR, "no TrimBox/BleedBox")]
    width, height = (trim[2] - trim[0]) / MM, (trim[3] - trim[1]) / MM
    bw, bh = (btrim[2] - btrim[0]) / MM, (btrim[3] - btrim[1]) / MM
    settings = config.print if config is not None else PrintSettings()
    want = spine_mm(pages, settings)
    spine = width - 2 * bw
    paper = settings.paper
    basis = (f"caliper {paper.caliper}" if paper.caliper else f"{paper.ppi:g} ppi" if paper.ppi
             else f"{paper.kind}")
    status = OK if abs(spine - want) <= TOLERANCE_MM and abs(height - bh) <= TOLERANCE_MM else ERROR
    found.append(Finding("cover: spine", status, f"{spine:.2f} mm for {pages} pages on {basis} "
                         f"(want {want:.2f} mm); cover {width:.1f} × {height:.1f} mm, book trim {bw:.1f} × {bh:.1f}"))
    least = min(trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3]) / MM
    want_bleed = mm(settings.bleed)
    found.append(Finding("cover: bleed", OK if least >= want_bleed - 0.05 else ERROR,
                         f"{least:.1f} mm (want {want_bleed:g} mm)"))
    return found
