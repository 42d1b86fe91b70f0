"""Preflight: read a built PDF (and its cover) back and check it as a printer would.

Before: a PDF written by `build` (plain or `--print-ready`), optionally the
cover PDF and the book.yaml it came from.
After: a list of `Finding`s (check, status, detail): page boxes, fonts,
page count, PDF/X identification, widows, orphans, hyphen ladders, running
heads and folios, cover geometry. `python -m pipeline check pdf` prints
them as a table and exits 1 if any is an error.

    boxes.py   TrimBox / BleedBox / MediaBox on every page
    fonts.py   embedded, subset, only the book's faces; one program per face,
               a tag per subset, every glyph used in its program
    pdfx.py    XMP PDF/X version, OutputIntent with a profile
    pdfx1a.py  for a file claiming PDF/X-1a:2001: PDF 1.3, Info keys, a CMYK
               or registered OutputIntent, no transparency, no RGB/Lab/ICC,
               no OpenType program; a cover's total ink
    colour.py  RGB and CMYK page by page; for a gray interior, separations
               of sampled pages through Ghostscript (separations.py)
    text.py    lines with positions (pdftotext -bbox-layout) -> widows,
               orphans, ladders, heads and folios
    cover.py   the cover's size against the book's trim, page count and paper
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

OK, WARN, ERROR = "ok", "warning", "error"


@dataclass(frozen=True)
class Finding:
    check: str
    status: str
    detail: str
    code: str = ""       # pipeline/diagnostics.py, for findings that have one


def coded(check: str, code: str, **fields) -> Finding:
    """A finding from a diagnostic code: its severity and message."""
    from pipeline.diagnostics import CODES

    diag = CODES[code]
    return Finding(check, ERROR if diag.severity.value == "error" else WARN, diag.template.format(**fields), code)


def run(pdf: Path, cover: Path | None = None, multiple: int | None = None, config=None,
        styles: Path | None = None) -> list[Finding]:
    import pikepdf

    from pipeline.preflight import boxes, colour, fonts, pdfx, pdfx1a, text
    from pipeline.preflight import cover as cover_check

    findings: list[Finding] = []
    with pikepdf.open(pdf) as doc:
        printer = pdfx.is_pdfx(doc) or pdfx1a.claims(doc)
        findings += colour.check(doc, pdf, gray=_gray_interior(config, printer))
        findings += pdfx1a.identification(doc, required=printer, wanted=_x1a_wanted(config))
        findings += boxes.check(doc, config, printer)
        findings += fonts.check(doc, styles)
        findings += pages(len(doc.pages), multiple or (config.print.page_multiple if config else 2))
        page_boxes = boxes.trim_offsets(doc)
    findings += text.check(pdf, page_boxes)
    if cover is not None:
        findings += cover_check.check(cover, pdf, config, styles)
    return findings


def _x1a_wanted(config) -> bool:
    """book.yaml's printer takes PDF/X-1a:2001 (IngramSpark)."""
    from pipeline import printers

    return bool(config) and printers.printer(config.print.printer).pdf_variant == printers.X1A


def _gray_interior(config, pdfx: bool) -> bool:
    """The file is a printer's black-and-white interior: book.yaml says bw,
    and the file is PDF/X or for a printer that takes plain PDF (KDP)."""
    return bool(config) and config.print.interior == "bw" and (pdfx or config.print.printer != "generic")


def pages(count: int, multiple: int) -> list[Finding]:
    if count % multiple:
        return [Finding("page count", ERROR, f"{count} pages: not a multiple of {multiple}")]
    return [Finding("page count", OK, f"{count} pages, a multiple of {multiple}")]
