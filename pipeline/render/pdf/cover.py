"""The print-on-demand cover: back, spine and front in one PDF, with bleed.

Before: the frozen Book (title, authors, back-cover text, print ISBN,
trim, bleed, paper from book.yaml) and the page count of the printer's PDF.
After: one page in DeviceCMYK for the printer's condition, within its
total ink, large black areas in rich black (cmyk.py): PDF/X-4 with the
condition's profile as output intent (generic), PDF/X-1a:2001 (IngramSpark,
pdfx1a.py) or a plain PDF (KDP); TrimBox = back + spine + front, BleedBox/MediaBox
the bleed around it, crop marks; the spine width computed from the page
count and the paper; spine text only when the spine can hold it; a white
barcode area on the back, with the EAN-13 of the print ISBN drawn in it
when the ISBN is valid.

Drawn with WeasyPrint from an HTML page of absolutely placed boxes, with
the book's own faces (styles/fonts), so nothing outside styles/ is read.
"""

from __future__ import annotations

import html as htmlmod
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from pipeline import printers
from pipeline.engines import weasyprint as engine
from pipeline.engines.weasyprint import FontConfiguration
from pipeline.manuscript import PAPERS, BookConfig, PrintSettings, mm
from pipeline.render.pdf import cmyk, layout, merge, pdfx1a
from pipeline.render.pdf.fetcher import ConfinedFetcher
from pipeline.render.pdf.gutter import PrinterRejects
from pipeline.render.pdf.spaces import InkError

SPINE_TEXT_MIN_MM = 8.0          # below this a title on the spine is unreadable: none is set
MODULE_MM = 0.264                # 80 % of the nominal 0.33 mm EAN module (within 80-200 %)


def spine_mm(pages: int, settings: PrintSettings) -> float:
    """Spine width in mm: the printer's figure for the paper, else pages /
    pages-per-inch, or leaves × caliper (book.yaml print.paper)."""
    paper = settings.paper
    per_page = printers.spine_mm_per_page(printers.printer(settings.printer), paper)
    if per_page is not None:
        return round(pages * per_page, 2)
    if paper.caliper is not None:
        return round(pages / 2 * mm(paper.caliper), 2)
    ppi = paper.ppi if paper.ppi is not None else PAPERS[paper.kind]
    return round(pages / ppi * 25.4, 2)


@dataclass(frozen=True)
class CoverGeometry:
    trim_w: float
    trim_h: float
    spine: float
    bleed: float

    @property
    def width(self) -> float:     # the cover's trim width: back + spine + front
        return 2 * self.trim_w + self.spine


def geometry(config: BookConfig, pages: int) -> CoverGeometry:
    trim = config.print.trim
    return CoverGeometry(mm(trim.width), mm(trim.height), spine_mm(pages, config.print), config.print.bleed_mm)


# -- EAN-13 ------------------------------------------------------------------

_L = ["0001101", "0011001", "0010011", "0111101", "0100011", "0110001", "0101111", "0111011", "0110111", "0001011"]
_G = ["".join("1" if b == "0" else "0" for b in reversed(_L[d])) for d in range(10)]   # mirrored R
_R = ["".join("1" if b == "0" else "0" for b in _L[d]) for d in range(10)]
_PARITY = ["LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG", "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL"]


def isbn13(isbn: str | None) -> str | None:
    """The 13 digits of a valid ISBN-13 (hyphens and spaces ignored), else None."""
    digits = re.sub(r"[\s-]", "", isbn or "")
    if not re.fullmatch(r"97[89]\d{10}", digits):
        return None
    return digits if ean_check_digit(digits[:12]) == int(digits[12]) else None


def ean_check_digit(first12: str) -> int:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return (10 - total % 10) % 10


def ean13_modules(code: str) -> str:
    """The 95 modules ('1' bar, '0' space) of an EAN-13 code."""
    first, left, right = int(code[0]), code[1:7], code[7:]
    bits = "101"
    for digit, parity in zip(left, _PARITY[first]):
        bits += (_L if parity == "L" else _G)[int(digit)]
    bits += "01010"
    bits += "".join(_R[int(d)] for d in right)
    return bits + "101"


def _bars_html(code: str, height: float) -> str:
    """Bars as absolutely placed boxes (runs of '1' merged); guards run longer."""
    bits = ean13_modules(code)
    guards = {*range(0, 3), *range(45, 50), *range(92, 95)}
    out, i = [], 0
    while i < len(bits):
        if bits[i] == "0":
            i += 1
            continue
        j = i
        while j < len(bits) and bits[j] == "1" and ((j in guards) == (i in guards)):
            j += 1
        h = height + (1.65 if i in guards else 0)
        out.append(f'<div class="bar" style="left:{(11 + i) * MODULE_MM:.3f}mm;'
                   f'width:{(j - i) * MODULE_MM:.3f}mm;height:{h:.2f}mm"></div>')
        i = j
    return "".join(out)


def _barcode_html(isbn: str | None) -> str:
    code = isbn13(isbn)
    if code is None:
        return '<div class="barcode"></div>'
    hyphenated = htmlmod.escape(isbn.strip())
    digits = (f'<span style="left:{2 * MODULE_MM:.2f}mm">{code[0]}</span>'
              f'<span style="left:{(11 + 3 + 3) * MODULE_MM:.2f}mm">{code[1:7]}</span>'
              f'<span style="left:{(11 + 50 + 3) * MODULE_MM:.2f}mm">{code[7:]}</span>')
    return (f'<div class="barcode" data-ean="{code}"><p class="isbn-text">ISBN {hyphenated}</p>'
            f'<div class="bars">{_bars_html(code, 15.0)}<div class="digits">{digits}</div></div></div>')


# -- the page ----------------------------------------------------------------

def cover_html(config: BookConfig, geo: CoverGeometry) -> str:
    esc = htmlmod.escape
    authors = [c.name for c in config.creators if c.role == "author"] or [c.name for c in config.creators]
    author = " · ".join(authors)
    back = config.print.back_cover or config.description or ""
    paragraphs = "".join(f"<p>{esc(p.strip())}</p>" for p in back.split("\n\n") if p.strip())
    subtitle = f'<p class="subtitle">{esc(config.subtitle)}</p>' if config.subtitle else ""
    publisher = esc(config.publisher or "")
    spine = ""
    if geo.spine >= SPINE_TEXT_MIN_MM:
        spine = (f'<div class="spine-text"><span class="s-author">{esc(author)}</span>'
                 f'<span class="s-title">{esc(config.title)}</span>'
                 f'<span class="s-publisher">{publisher}</span></div>')
    return f"""<!DOCTYPE html>
<html lang="{esc(config.language)}"><head><meta charset="utf-8">
<title>{esc(config.title)} (cubierta)</title>
<meta name="author" content="{esc(author)}">
<meta name="dcterms.created" content="{esc(config.date)}"><meta name="dcterms.modified" content="{esc(config.date)}">
</head><body>
<section class="panel back" style="left:0;width:{geo.trim_w}mm">
  <div class="back-text">{paragraphs}</div>
  {_barcode_html(config.identifiers.print)}
</section>
<section class="panel spine" style="left:{geo.trim_w}mm;width:{geo.spine}mm">{spine}</section>
<section class="panel front" style="left:{geo.trim_w + geo.spine}mm;width:{geo.trim_w}mm">
  <p class="author">{esc(author)}</p>
  <h1 class="title">{esc(config.title)}</h1>
  {subtitle}
  <p class="publisher">{publisher}</p>
</section>
</body></html>"""


def cover_css(geo: CoverGeometry, printer: printers.Printer) -> str:
    marks = "crop cross" if printer.marks else "none"
    width, height = printer.barcode_mm
    return f"""
@page {{ size: {geo.width:.2f}mm {geo.trim_h}mm; margin: 0; bleed: {geo.bleed}mm;
         marks: {marks}; background: #2b2a33; }}
.barcode {{ width: {width:.2f}mm; height: {height:.2f}mm; }}
:root {{ --h: {geo.trim_h}mm; --spine: {geo.spine}mm; }}
"""


def render_cover(config: BookConfig, pages: int, out_path: Path, styles: Path) -> CoverGeometry:
    geo = geometry(config, pages)
    engine.install()
    fetcher = ConfinedFetcher(styles)
    fonts = FontConfiguration()
    profiles: dict = {}
    printer = printers.printer(config.print.printer)
    variant = layout.pdf_variant(config, True)
    names = ["cover.css"] + (["print-ready.css"] if variant else [])
    sheets = [engine.CSS(url=(styles / name).resolve().as_uri(), url_fetcher=fetcher, font_config=fonts,
                         color_profiles=profiles) for name in names]
    sheets.append(engine.CSS(string=cover_css(geo, printer), font_config=fonts, color_profiles=profiles))
    doc = engine.HTML(string=cover_html(config, geo), base_url=styles.resolve().as_uri() + "/",
                          url_fetcher=fetcher)
    document = doc.render(stylesheets=sheets, font_config=fonts, color_profiles=profiles)
    data = layout.write(document, None, config, variant, part="cover")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        separator = cmyk.separator(styles, printer.condition)
        try:
            cmyk.to_cmyk(pdf, separator, printer)
        except InkError as exc:
            raise PrinterRejects("L012", printer=printer.name, what=str(exc)) from None
        if printer.pdf_variant == printers.X1A:
            pdfx1a.make(pdf, config, printer.name, styles)
            merge.save(pdf, out_path, layout.document_id(config, "cover"), pdfx1a.VERSION, force=True)
        else:
            if variant:
                cmyk.output_intent(pdf, printer.condition, styles)
            merge.save(pdf, out_path, layout.document_id(config, "cover"), pdf.pdf_version)
    return geo
