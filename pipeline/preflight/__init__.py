"""Preflight: read a built PDF (and its cover) back and check it as a printer would.

Before: a PDF written by `build` (plain or `--print-ready`), optionally the
cover PDF and the book.yaml it came from.
After: a list of `Finding`s (check, status, detail): page boxes, fonts,
page count, PDF/X identification, widows, orphans, hyphen ladders, running
heads and folios, cover geometry. A problem is a diagnostic (C codes,
pipeline/diagnostics.py) at its page: `python -m pipeline check pdf` prints
each as `book.pdf:PAGE: CODE message` (PAGE 0, left out: the whole file),
then a table of the checks passed, and exits 1 if any is an error.

    boxes.py   TrimBox / BleedBox / MediaBox on every page
    fonts.py   embedded, subset, only the book's faces; one program per face,
               a tag per subset, every glyph used in its program
    pdfx.py    XMP PDF/X version, OutputIntent with a profile
    pdfx1a.py  for a file claiming PDF/X-1a:2001: PDF 1.3, Info keys, a CMYK
               or registered OutputIntent, no transparency, no RGB/Lab/ICC,
               no OpenType program; a cover's total ink
    colour.py  RGB and CMYK page by page; separations of sampled pages
               through Ghostscript (separations.py): for a gray interior
               the Black plate alone, for a colour interior no RGB, the
               plates seen and each page's total ink within the printer's
    text.py    lines with positions (pdftotext -bbox-layout) -> widows,
               orphans, ladders, heads and folios
    finish.py  from the same lines and word boxes: a word hyphenated across
               a recto's turn, a heading at a page's foot, loose lines, a
               line opening with a note call (its glyphs read by pdfium,
               glyphs.py) or a closing raya
    margins.py from the same lines, each page's inside and outside margin
               against the printer's least (book.yaml print.printer)
    images.py  each image's resolution as placed (pdfimages -list)
    cover.py   the cover's size against the book's trim, page count and paper;
               its colour (CMYK only) and total ink against the printer's
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.diagnostics import CODES, Diagnostic, Severity

OK, WARN, ERROR = "ok", Severity.WARNING.value, Severity.ERROR.value


@dataclass(frozen=True)
class Finding:
    """A check's result: passed (OK, `detail` says what was seen) or a
    problem, which is a diagnostic: its code, the page (0: the whole file)
    and the file when it is not the book's PDF (the cover)."""

    check: str
    status: str
    detail: str
    code: str | None = None
    page: int = 0
    path: Path | None = None

    def diagnostic(self, pdf: Path) -> Diagnostic:
        return Diagnostic(str(self.path or pdf), self.page, self.code, self.detail)


def passed(check: str, detail: str) -> Finding:
    return Finding(check, OK, detail)


def problem(check: str, code: str, page: int = 0, path: Path | None = None, **fields) -> Finding:
    """A finding with its message from the code's template; its status is the code's severity."""
    spec = CODES[code]
    return Finding(check, spec.severity.value, spec.template.format(**fields), code, page, path)


def run(pdf: Path, cover: Path | None = None, multiple: int | None = None, config=None,
        styles: Path | None = None) -> list[Finding]:
    """Every check of `pdf` (and `cover`); a file that cannot be read is one finding (C024)."""
    import subprocess

    import pikepdf

    for path in filter(None, (pdf, cover)):
        try:
            pikepdf.open(path).close()
        except (pikepdf.PdfError, OSError) as exc:
            return [problem("PDF", "C024", path=path, reason=_one_line(exc))]
    try:
        return _checks(pdf, cover, multiple, config, styles)
    except (pikepdf.PdfError, subprocess.CalledProcessError) as exc:   # readable, yet broken further in
        return [problem("PDF", "C024", path=pdf, reason=_one_line(exc))]


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__


def _checks(pdf: Path, cover: Path | None, multiple: int | None, config, styles: Path | None) -> list[Finding]:
    import pikepdf

    from pipeline.preflight import boxes, colour, finish, fonts, glyphs, images, margins, pdfx, pdfx1a, text
    from pipeline.preflight import cover as cover_check

    findings: list[Finding] = []
    with pikepdf.open(pdf) as doc:
        printer = pdfx.is_pdfx(doc) or pdfx1a.claims(doc)
        findings += colour.check(doc, pdf, gray=_gray_interior(config, printer),
                                 cmyk=_cmyk_interior(config, printer), ink_limit=_ink_limit(config))
        findings += pdfx1a.identification(doc, required=printer, wanted=_x1a_wanted(config))
        findings += boxes.check(doc, config, printer)
        findings += fonts.check(doc, styles)
        findings += pages(len(doc.pages), multiple or (config.print.page_multiple if config else 2))
        page_boxes = boxes.trim_offsets(doc)
    lines = text.read_pages(pdf, page_boxes)    # one pdftotext run, for the text and the margins
    findings += text.check(lines)
    with glyphs.Raised(pdf, page_boxes) as raised:   # pdfium's glyph boxes, for lines that may open with a call
        findings += finish.check(lines, raised)
    if config is not None:
        findings += margins.check(lines, config)
    findings += images.check(pdf)
    if cover is not None:
        findings += cover_check.check(cover, pdf, config, styles)
    return findings


def _x1a_wanted(config) -> bool:
    """book.yaml's printer takes PDF/X-1a:2001 (IngramSpark)."""
    from pipeline import printers

    return bool(config) and printers.printer(config.print.printer).pdf_variant == printers.X1A


def _ink_limit(config) -> int | None:
    """The total ink book.yaml's printer allows, per cent."""
    from pipeline import printers

    return printers.printer(config.print.printer).ink_limit if config else None


def _gray_interior(config, pdfx: bool) -> bool:
    """The file is a printer's black-and-white interior: book.yaml says bw,
    and the file is PDF/X or for a printer that takes plain PDF (KDP)."""
    return bool(config) and config.print.interior == "bw" and (pdfx or config.print.printer != "generic")


def _cmyk_interior(config, pdfx: bool) -> bool:
    """The file is a printer's colour interior, separated to CMYK: book.yaml
    says color, and the file is PDF/X or for a printer that takes plain PDF."""
    return bool(config) and config.print.interior == "color" and (pdfx or config.print.printer != "generic")


def pages(count: int, multiple: int) -> list[Finding]:
    if count % multiple:
        return [problem("page count", "C010", count=count, multiple=multiple)]
    return [passed("page count", f"{count} pages, a multiple of {multiple}")]
