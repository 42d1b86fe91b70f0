"""Gradients, tiling patterns and Lab colour in the printer's files (issue 17).

The fixture with a figure that is an SVG drawing a linear gradient from
orange to blue, chapter titles in CSS `lab()` over a CSS
`linear-gradient()`, and a cover whose front is a CSS gradient. WeasyPrint
70 draws each gradient as a tiling pattern around a form that paints an
axial shading: the printer's files must hold them in gray (bw) or CMYK
(color), not RGB, and Ghostscript must separate them as the file says.
Two interiors of the fixture (generic bw, IngramSpark colour), a proof and
two covers: about 20 s.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageChops, ImageStat

from pipeline import printers
from pipeline.build import STYLES, load_book
from pipeline.diagnostics import Report
from pipeline.preflight import ERROR
from pipeline.preflight import run as preflight
from pipeline.preflight.colour import colour_pages
from pipeline.preflight.separations import inked_plates
from pipeline.render.pdf import render_pdf
from pipeline.render.pdf.cmyk import separator
from pipeline.render.pdf.cover import render_cover
from pipeline.render.pdf.ink import gray_of
from tests.integration.test_malformed import GRADIENT_SVG
from tests.render.test_printers import max_ink, with_isbn, with_print

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "sample"
ORANGE, BLUE = (0xe0 / 255, 0x60 / 255, 0x10 / 255), (0x10 / 255, 0x60 / 255, 0xc0 / 255)
SHEET = "\nh1 { color: lab(35% 45 25); background: linear-gradient(to right, #f3e0c0, #ffffff); }\n"
COVER = "\n.front { background: linear-gradient(#1a2a6c, #b21f1f); }\n"


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """(manuscript, styles): the fixture with the gradient figure, the sheets with the gradients and Lab."""
    folder = tmp_path_factory.mktemp("gradients")
    manuscript = shutil.copytree(FIXTURE, folder / "ms")
    (manuscript / "degradado.svg").write_text(GRADIENT_SVG, "utf-8")
    chapter = manuscript / "03-capitulo-dos.md"
    chapter.write_text(chapter.read_text("utf-8") + "\n\n![Un degradado de naranja a azul](degradado.svg)\n", "utf-8")
    styles = shutil.copytree(STYLES, folder / "styles")
    with open(styles / "print.css", "a", encoding="utf-8") as sheet:
        sheet.write(SHEET)
    with open(styles / "cover.css", "a", encoding="utf-8") as sheet:
        sheet.write(COVER)
    return load_book(manuscript, None, Report()), styles


@pytest.fixture(scope="module")
def gray(made, tmp_path_factory):
    """The generic printer's black-and-white interior (PDF/X-4)."""
    book, styles = made
    return book, render_pdf(book, tmp_path_factory.mktemp("gray") / "book.pdf", styles, print_ready=True)


@pytest.fixture(scope="module")
def colour(made, tmp_path_factory):
    """IngramSpark's colour interior: PDF/X-1a, CMYK for CGATS TR 003, no transparency."""
    book, styles = made
    printed = with_print(book, printer="ingramspark", interior="color")
    return printed, render_pdf(printed, tmp_path_factory.mktemp("colour") / "book.pdf", styles, print_ready=True)


def gradient_page(pdf: Path) -> int:
    """The page whose content fills with a pattern: the figure's."""
    with pikepdf.open(pdf) as doc:
        pages = [n for n, page in enumerate(doc.pages, 1) if b"/Pattern cs" in _content(page.obj)
                 and len(re.findall(rb"/Pattern cs", _content(page.obj))) == 1]
    return pages[-1]            # the chapter titles' gradients come first: the figure ends the book's text


def _content(page) -> bytes:
    contents = page.Contents
    return b"".join(s.read_bytes() for s in (contents if isinstance(contents, pikepdf.Array) else [contents]))


def shadings(pdf: Path) -> list:
    """(colour space, the first and last colour of each sampled function) of every shading in the file."""
    found = []
    with pikepdf.open(pdf) as doc:
        for obj in doc.objects:
            if isinstance(obj, pikepdf.Dictionary) and "/ShadingType" in obj:
                parts = obj.Function.Functions if obj.Function.FunctionType == 3 else [obj.Function]
                found.append((str(obj.ColorSpace), [_ends(part) for part in parts]))
    return found


def _ends(function) -> tuple:
    if function.FunctionType != 0:
        return ("type", int(function.FunctionType))
    n = len(function.Range) // 2
    data = function.read_bytes()
    values = [int.from_bytes(data[i:i + 2], "big") / 65535 for i in range(0, len(data), 2)]
    return tuple(values[:n]), tuple(values[-n:])


def test_a_gray_interior_holds_its_gradients_and_lab_in_gray(gray):
    _, pdf = gray
    with pikepdf.open(pdf.path) as doc:
        assert colour_pages(doc) == {}                            # no RGB, Lab or CMYK anywhere
        assert not any(isinstance(o, pikepdf.Array) and len(o) and o[0] == "/Lab" for o in doc.objects)
        data = b"".join(_content(p.obj) for p in doc.pages)
    found = shadings(pdf.path)
    assert found and {space for space, _ in found} == {"/DeviceGray"}
    # the figure's stops, orange then blue, at the luminance each has
    ends = [parts[0] for _, parts in found if len(parts) == 1 and parts[0][0][0] < 0.9]
    assert any(start[0] == pytest.approx(gray_of(*ORANGE), abs=1e-4) and end[0] == pytest.approx(
        gray_of(*BLUE), abs=1e-4) for start, end in ends)
    assert not re.search(rb"\s(rg|RG|k|K|scn)\s", re.sub(rb"/Pattern cs\s+/p\d+ scn", b"", data))  # lab(): g


def test_a_gray_gradient_inks_the_black_plate_alone_and_passes_check_pdf(gray):
    book, pdf = gray
    page = gradient_page(pdf.path)
    assert inked_plates(pdf.path, [page]) == {page: {"Black"}}
    with pikepdf.open(pdf.path) as doc:      # no transparency group left around an opaque gradient
        forms = [o for o in doc.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Form"
                 and re.search(rb"/s\d+ sh", o.read_bytes())]
        assert forms and not any("/Group" in form for form in forms)
    assert [f"{f.check}: {f.detail}" for f in preflight(pdf.path, config=book.config) if f.status == ERROR] == []


def test_a_colour_interior_holds_its_gradients_in_cmyk_as_the_proof_shows_them(colour, made, tmp_path):
    book, pdf = colour
    sep = separator(made[1], printers.printer("ingramspark").condition)
    found = shadings(pdf.path)
    assert found and {space for space, _ in found} == {"/DeviceCMYK"}
    assert any(start == pytest.approx(sep.colour(*ORANGE), abs=1e-4) and end == pytest.approx(
        sep.colour(*BLUE), abs=1e-4) for _, [(start, end)] in found)
    page = gradient_page(pdf.path)
    assert inked_plates(pdf.path, [page])[page] == {"Cyan", "Magenta", "Yellow", "Black"}
    proof = render_pdf(book, tmp_path / "proof.pdf", made[1], print_ready=False)
    seen = [_picture(path, page, tmp_path) for path in (pdf.path, proof.path)]
    assert ImageStat.Stat(ImageChops.difference(*seen).convert("L")).mean[0] < 12


def _picture(pdf: Path, page: int, tmp_path: Path) -> Image.Image:
    """The page drawn by Ghostscript at 20 dpi, in RGB, cut to the trim (a printer's file has bleed)."""
    out = tmp_path / f"{pdf.stem}-{page}.png"
    subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=png16m", "-r20", "-dUseTrimBox",
                    f"-dFirstPage={page}", f"-dLastPage={page}", f"-sOutputFile={out}", str(pdf)],
                   check=True, capture_output=True)
    return Image.open(out).convert("RGB")


def test_a_pdfx1a_colour_interior_with_gradients_passes_check_pdf(colour):
    book, pdf = colour
    findings = preflight(pdf.path, config=book.config)
    assert [f"{f.check}: {f.detail}" for f in findings if f.status == ERROR] == []
    checks = {f.check: f.detail for f in findings}
    pictured = int(re.search(r"\((\d+) with pictures or gradients\)", checks["separations"]).group(1))
    assert pictured >= 3                        # the figure's page, the chapter titles' (over a gradient)
    assert pdf.path.read_bytes().startswith(b"%PDF-1.3")


@pytest.mark.parametrize("name", ["kdp", "ingramspark"])
def test_a_cover_gradient_is_cmyk_within_the_printers_ink_limit(made, name, tmp_path):
    book, styles = made
    config = with_print(with_isbn(book), printer=name).config
    render_cover(config, 120, tmp_path / "cover.pdf", styles)
    with pikepdf.open(tmp_path / "cover.pdf") as doc:
        kinds = colour_pages(doc)
    assert not any(k in ("rg", "cs /DeviceRGB") or "shading /DeviceRGB" in k for k in kinds[1])
    assert "shading /DeviceCMYK" in kinds[1]                   # the front's gradient
    assert max_ink(tmp_path / "cover.pdf") <= printers.printer(name).ink_limit + 1
    checks = {f.check: f for f in preflight(tmp_path / "cover.pdf", tmp_path / "cover.pdf", config=config)
              if f.check.startswith("cover:")}
    assert checks["cover: colour spaces"].status != ERROR and checks["cover: total ink"].status != ERROR


def test_a_lab_colour_goes_through_srgb_and_a_neutral_stays_neutral():
    from pipeline.render.pdf.spaces import D50, lab_to_rgb

    assert lab_to_rgb((50, 0, 0), D50) == pytest.approx((0.466327,) * 3, abs=1e-4)  # L* 50: sRGB 119
    assert lab_to_rgb((100, 0, 0), D50) == (1.0, 1.0, 1.0)
    red = lab_to_rgb((54.29, 80.80, 69.89), D50)           # sRGB red, as CSS Color 4 converts it to lab()
    assert red == pytest.approx((1.0, 0.0, 0.0), abs=0.01)


def test_a_rebuild_with_gradients_is_byte_identical(gray, made, tmp_path):
    """A rebuild gives the same bytes (the functions sampled again are made the same way)."""
    book, pdf = gray
    again = render_pdf(book, tmp_path / "again.pdf", made[1], print_ready=True)
    assert again.path.read_bytes() == pdf.path.read_bytes()


def test_a_large_black_shape_is_rich_black_a_row_of_thin_bars_k_alone(tmp_path):
    """device-cmyk() black in a path that is not a rectangle (an SVG circle's curves), and bars side by
    side in one path (a barcode's), each thin: only the shape is a black area."""
    from pipeline.render.pdf.cmyk import to_cmyk

    doc = pikepdf.new()
    page = doc.add_blank_page(page_size=(600, 600))
    circle = b"300 100 m 400 100 450 150 450 250 c 450 350 400 400 300 400 c 200 400 150 350 150 250 c " \
             b"150 150 200 100 300 100 c h f"
    bars = b"".join(f"{50 + 4 * i} 450 2 100 re ".encode() for i in range(30)) + b"f"
    page.obj.Contents = doc.make_stream(b"/DeviceCMYK cs 0 0 0 1 scn " + circle + b" 0 0 0 1 k " + bars)
    ink = to_cmyk(doc, separator(STYLES, printers.TR003), printers.printer("kdp"))
    data = page.obj.Contents.read_bytes()
    assert re.search(rb"q\s+0\.6 0\.4 0\.4 1 k\s+300 100 m", data)          # the circle: rich black
    assert re.search(rb"0 0 0 1 k\s+50 450 2 100 re", data)                   # the bars: K alone
    assert data.count(b"0.6 0.4 0.4 1 k") == 1 and ink == 240


def test_check_pdf_finds_a_gradient_left_in_rgb(colour, tmp_path):
    book, pdf = colour
    spoilt = tmp_path / "spoilt.pdf"
    with pikepdf.open(pdf.path) as doc:
        shading = next(o for o in doc.objects if isinstance(o, pikepdf.Dictionary) and "/ShadingType" in o)
        shading.ColorSpace = pikepdf.Name.DeviceRGB
        doc.save(spoilt)
    found = {f.code: f.detail for f in preflight(spoilt, config=book.config) if f.status == ERROR}
    assert "a gradient in /DeviceRGB" in found["C034"]                  # PDF/X-1a's own check
    assert "shading /DeviceRGB" in found["C045"]                       # the printer's CMYK, page by page


def test_a_gradients_ink_is_measured_as_a_flat_colours_is(tmp_path):
    """An axial shading from white to a dark brown, separated for TR 003: its darkest colour is the
    file's largest ink, and over a printer's limit it stops the build (L008) naming the gradient."""
    from dataclasses import replace

    from pipeline.render.pdf import PrinterRejects
    from pipeline.render.pdf.cmyk import to_cmyk

    def drawn():
        doc = pikepdf.new()
        page = doc.add_blank_page(page_size=(600, 200))
        function = pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[1, 1, 1], C1=[0.1, 0.04, 0.02], N=1)
        shading = pikepdf.Dictionary(ShadingType=2, ColorSpace=pikepdf.Name.DeviceRGB, Coords=[0, 0, 600, 0],
                                     Function=function)
        page.obj.Resources = pikepdf.Dictionary(Shading=pikepdf.Dictionary(s0=doc.make_indirect(shading)))
        page.obj.Contents = doc.make_stream(b"/s0 sh")
        return doc

    kdp, sep = printers.printer("kdp"), separator(STYLES, printers.TR003)
    doc = drawn()
    ink = to_cmyk(doc, sep, kdp)
    assert ink == pytest.approx(sum(sep.colour(0.1, 0.04, 0.02)) * 100, abs=0.5) and 200 < ink <= 240
    assert doc.pages[0].Resources.Shading.s0.ColorSpace == pikepdf.Name.DeviceCMYK
    with pytest.raises(PrinterRejects) as refused:
        to_cmyk(drawn(), sep, replace(kdp, ink_limit=150))
    assert refused.value.code == "L008"
    assert re.match(r"a gradient's #1[9a]0a05 \(C \d+", refused.value.fields["colour"])   # its last sample
