"""Printer profiles (book.yaml print.printer, print.interior), issue 17, on the fixture.

Judged from the files: Ghostscript's separations, pikepdf, pdfinfo and
pdftotext word boxes, and `check pdf`.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageChops, ImageMath, ImageStat

from pipeline import printers
from pipeline.build import STYLES, load_book
from pipeline.cli import main
from pipeline.diagnostics import CODES, Report
from pipeline.preflight import ERROR
from pipeline.preflight import run as preflight
from pipeline.preflight.colour import colour_pages
from pipeline.preflight.separations import inked_plates
from pipeline.render.pdf import render_pdf
from pipeline.render.pdf.cover import render_cover, spine_mm
from pipeline.render.pdf.gutter import Margins, PrinterRejects, shift_mm
from tests.conftest import pdf_words

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "sample"
MM = 72 / 25.4
KDP = printers.printer("kdp")


def with_print(book, **settings):
    """The fixture's Book with book.yaml's print settings changed."""
    config = book.config.model_copy(update={"print": book.config.print.model_copy(update=settings)})
    return replace(book, config=config)


@pytest.fixture(scope="module")
def book():
    return load_book(FIXTURE, None, Report())


@pytest.fixture(scope="module")
def gray(book, tmp_path_factory):
    """The printer's file of the default profile: generic, black-and-white interior."""
    return render_pdf(book, tmp_path_factory.mktemp("gray") / "book.pdf", print_ready=True)


@pytest.fixture(scope="module")
def proof(book, tmp_path_factory):
    return render_pdf(book, tmp_path_factory.mktemp("proof") / "book.pdf")


@pytest.fixture(scope="module")
def kdp(book, tmp_path_factory):
    """KDP prints from 24 pages: the 20-page fixture padded to a multiple of 8."""
    folder = tmp_path_factory.mktemp("kdp")
    kdp_book = with_print(book, printer="kdp", page_multiple=8)
    pdf = render_pdf(kdp_book, folder / "book.pdf", print_ready=True)
    cover = folder / "cover.pdf"
    return kdp_book, pdf, cover, render_cover(kdp_book.config, pdf.page_count, cover, STYLES)


# -- the profiles' figures ---------------------------------------------------------

@pytest.mark.parametrize("pages, inches", [(24, 0.375), (150, 0.375), (151, 0.5), (300, 0.5), (301, 0.625),
                                           (500, 0.625), (501, 0.75), (700, 0.75), (701, 0.875), (828, 0.875)])
def test_kdp_least_inside_margin_grows_with_the_page_count(pages, inches):
    assert KDP.least_inside_mm(pages) == pytest.approx(inches * 25.4)


@pytest.mark.parametrize("pages", [20, 829])
def test_kdp_refuses_a_page_count_it_does_not_print(pages):
    with pytest.raises(PrinterRejects) as caught:
        shift_mm(KDP, pages, Margins(19, 17))
    assert caught.value.code == "L004" and caught.value.fields["pages"] == pages


def test_the_text_block_moves_outward_only_as_far_as_the_printer_asks():
    assert shift_mm(KDP, 610, Margins(inside=19.0, outside=17.0)) == pytest.approx(0.05)
    assert shift_mm(KDP, 610, Margins(inside=20.0, outside=17.0)) == 0
    assert shift_mm(printers.printer("generic"), 610, Margins(inside=5.0, outside=5.0)) == 0


def test_an_outside_margin_too_narrow_to_give_is_an_error_saying_how_much():
    with pytest.raises(PrinterRejects) as caught:
        shift_mm(KDP, 610, Margins(inside=15.0, outside=8.0))   # 19.05 + 6.35 > 23
    assert caught.value.code == "L005"
    assert caught.value.fields["missing"] == pytest.approx(19.05 + 6.35 - 23)


def test_spine_from_the_printers_own_figure_for_the_paper(book):
    cream = with_print(book, printer="kdp").config.print
    white = cream.model_copy(update={"paper": cream.paper.model_copy(update={"kind": "white-80"})})
    assert spine_mm(610, cream) == pytest.approx(610 * 0.0025 * 25.4, abs=0.006)     # to 0.01 mm
    assert spine_mm(610, white) == pytest.approx(610 * 0.002252 * 25.4, abs=0.006)
    assert spine_mm(610, book.config.print) == pytest.approx(610 / 400 * 25.4, abs=0.006)   # generic: ppi


# -- a black-and-white interior ----------------------------------------------------

def test_the_proof_keeps_rgb_and_separates_into_four_inks(proof):
    assert colour_pages(pikepdf.open(proof.path))
    assert inked_plates(proof.path, [3])[3] == {"Cyan", "Magenta", "Yellow", "Black"}


def test_a_gray_interior_draws_in_gray_alone(gray):
    with pikepdf.open(gray.path) as pdf:
        assert colour_pages(pdf) == {}


def test_a_gray_interior_inks_the_black_plate_alone_on_every_page(gray):
    plates = inked_plates(gray.path, list(range(1, gray.page_count + 1)))
    assert {p for inked in plates.values() for p in inked} == {"Black"}
    assert sum(1 for inked in plates.values() if inked) >= gray.page_count // 2   # text pages have ink


def test_a_gray_interior_passes_the_preflight_with_its_separations(gray, book):
    findings = preflight(gray.path, config=book.config)
    assert [f for f in findings if f.status == ERROR] == []
    assert {f.check for f in findings} >= {"colour", "separations"}


def test_an_rgb_picture_is_printed_in_gray(tmp_path):
    manuscript = shutil.copytree(FIXTURE, tmp_path / "ms")
    Image.new("RGB", (300, 200), (200, 30, 40)).save(manuscript / "rojo.png")
    chapter = manuscript / "03-capitulo-dos.md"
    chapter.write_text(chapter.read_text("utf-8") + "\n\n![Un rectángulo rojo](rojo.png)\n", "utf-8")
    pdf = render_pdf(load_book(manuscript, None, Report()), tmp_path / "book.pdf", print_ready=True)
    with pikepdf.open(pdf.path) as doc:
        assert colour_pages(doc) == {}
    page = _page_with_image(pdf.path)
    assert inked_plates(pdf.path, [page])[page] == {"Black"}


def _page_with_image(path: Path) -> int:
    with pikepdf.open(path) as doc:
        for number, page in enumerate(doc.pages, 1):
            if _places_image(page.obj):
                return number
    raise AssertionError("no page places an image")


def _places_image(holder) -> bool:
    xobjects = holder.get("/Resources", {}).get("/XObject", {}).values()
    return any(x.get("/Subtype") == "/Image" or (x.get("/Subtype") == "/Form" and _places_image(x))
               for x in xobjects)


# -- a colour interior, separated for the printer's condition ----------------------------

@pytest.fixture(scope="module")
def colour(tmp_path_factory):
    """The generic printer's colour interior, with a colour picture in chapter 2."""
    folder = tmp_path_factory.mktemp("colour")
    manuscript = shutil.copytree(FIXTURE, folder / "ms")
    picture = Image.new("RGB", (1440, 960), (240, 240, 240))     # 320 ppi across the text width
    picture.paste((200, 30, 40), (120, 120, 720, 840))
    picture.paste((30, 90, 200), (720, 120, 1320, 840))
    picture.save(manuscript / "colores.png")
    chapter = manuscript / "03-capitulo-dos.md"
    chapter.write_text(chapter.read_text("utf-8") + "\n\n![Rojo y azul](colores.png)\n", "utf-8")
    yaml = manuscript / "book.yaml"
    yaml.write_text(yaml.read_text("utf-8") + "print:\n  interior: color\n", "utf-8")
    book = load_book(manuscript, None, Report())
    return book, render_pdf(book, folder / "book.pdf", print_ready=True)


def test_a_colour_interior_is_cmyk_its_text_on_the_black_plate_alone(colour):
    _, pdf = colour
    with pikepdf.open(pdf.path) as doc:
        kinds = set().union(*colour_pages(doc).values())
        images = [o for o in doc.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"]
    assert "rg" not in kinds and "k" in kinds                 # text: 0 0 0 1 k
    assert {str(i.ColorSpace) for i in images if (i.Width, i.Height) == (1440, 960)} == {"/DeviceCMYK"}
    plates = inked_plates(pdf.path, list(range(1, pdf.page_count + 1)))
    listed = subprocess.run(["pdfimages", "-list", str(pdf.path)], capture_output=True, text=True, check=True)
    [picture] = [int(row[0]) for row in map(str.split, listed.stdout.splitlines()[2:]) if row[3:5] == ["1440", "960"]]
    assert plates[picture] >= {"Cyan", "Magenta", "Yellow"}
    assert {p for n, inked in plates.items() if n != picture for p in inked} == {"Black"}


def test_a_colour_interior_passes_check_pdf_and_rgb_in_it_is_an_error(colour, tmp_path):
    book, pdf = colour
    findings = preflight(pdf.path, config=book.config)
    assert [f for f in findings if f.status == ERROR] == []
    assert "none in RGB" in next(f for f in findings if f.check == "colour").detail
    checks = {f.check: f.detail for f in findings}      # the pictures' pages sampled beside the 20 spread
    assert re.search(r"\(1 with pictures or gradients\): ink on Cyan, Magenta, Yellow, Black$",
                     checks["separations"])
    ink = float(re.match(r"at most (\d+) % \(p\. (\d+)\)", checks["total ink"]).group(1))
    assert 150 < ink <= 330                               # the picture's red, separated for FOGRA39
    spoilt = tmp_path / "spoilt.pdf"
    with pikepdf.open(pdf.path) as doc:
        page = doc.pages[4].obj
        page.Contents = doc.make_stream(b"1 0 0 rg 0 0 10 10 re f " + b"".join(
            s.read_bytes() for s in (page.Contents if isinstance(page.Contents, pikepdf.Array) else [page.Contents])))
        doc.save(spoilt)
    found = [f for f in preflight(spoilt, config=book.config) if f.code == "C045"]
    assert [(f.page, f.detail) for f in found] == [(5, CODES["C045"].template.format(what="rg"))]


# -- every printer's cover: CMYK within its ink limit --------------------------------------

@pytest.fixture(scope="module")
def covers(book, tmp_path_factory):
    """Each printer's cover of the fixture at 120 pages, with a valid ISBN (its barcode drawn)."""
    folder = tmp_path_factory.mktemp("covers")
    made = {}
    for name in printers.PRINTER_NAMES:
        config = with_print(with_isbn(book), printer=name).config
        render_cover(config, 120, folder / f"{name}.pdf", STYLES)
        made[name] = folder / f"{name}.pdf"
    return made


def with_isbn(book, isbn: str = "978-0-306-40615-7"):
    ids = book.config.identifiers.model_copy(update={"print": isbn})
    return replace(book, config=book.config.model_copy(update={"identifiers": ids}))


@pytest.mark.parametrize("name", printers.PRINTER_NAMES)
def test_every_printers_cover_is_cmyk_within_its_ink_limit(book, covers, name):
    printer = printers.printer(name)
    with pikepdf.open(covers[name]) as doc:
        data = doc.pages[0].obj.Contents.read_bytes()
        intents = [(str(i.OutputConditionIdentifier), int(i.DestOutputProfile.N))
                   for i in doc.Root.get("/OutputIntents", [])]
    assert not re.search(rb"\s(rg|RG)\s", data) and re.search(rb"\s0 0 0 1 k\s", data)   # the bars: 100 % K
    ink = max_ink(covers[name])
    assert 150 < ink <= printer.ink_limit                                     # the dark ground, measured
    if printer.pdf_variant is None:
        assert intents == []                                                  # KDP: a plain PDF
    else:
        assert intents == [(printer.condition.identifier, 4)]                 # its condition, our profile
    config = with_print(with_isbn(book), printer=name).config
    checks = {f.check: f for f in preflight(covers[name], covers[name], config=config) if "cover" in f.check}
    assert checks["cover: colour spaces"].status != ERROR
    assert checks["cover: total ink"].status != ERROR


def max_ink(pdf: Path, dpi: int = 36) -> float:
    """The largest total ink (C + M + Y + K, per cent) inside the TrimBox, as Ghostscript separates it."""
    with pikepdf.open(pdf) as doc:
        media, trim = ([float(v) for v in doc.pages[0].obj[key]] for key in ("/MediaBox", "/TrimBox"))
    box = [round(v * dpi / 72) for v in (trim[0] - media[0] + 2, media[3] - trim[3] + 2,
                                         trim[2] - media[0] - 2, media[3] - trim[1] - 2)]
    out = pdf.with_name(pdf.stem + "-sep")
    subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=tiffsep", f"-r{dpi}",
                    f"-sOutputFile={out}.tif", str(pdf)], check=True, capture_output=True)
    plates = [Image.open(f"{out}({p}).tif").crop(box).point(lambda v: 255 - v).convert("I")
              for p in ("Cyan", "Magenta", "Yellow", "Black")]
    total = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"] + a["k"],
                                  c=plates[0], m=plates[1], y=plates[2], k=plates[3])
    return total.getextrema()[1] / 255 * 100


def test_a_large_black_area_is_rich_black_the_barcode_and_text_k_alone(book, tmp_path):
    styles = shutil.copytree(STYLES, tmp_path / "styles")
    with open(styles / "cover.css", "a", encoding="utf-8") as sheet:
        sheet.write("\n.front { background: #000; }\n.front .title { color: #000; background: #fff; }\n")
    render_cover(with_isbn(book).config, 120, tmp_path / "cover.pdf", styles)
    with pikepdf.open(tmp_path / "cover.pdf") as doc:
        data = doc.pages[0].obj.Contents.read_bytes()
    assert re.search(rb"q\s+0\.6 0\.4 0\.4 1 k\s+[-\d. ]+ re\s+f\s+Q", data)   # the front: rich black
    text = re.findall(rb"([\d.]+ [\d.]+ [\d.]+ [\d.]+) k\s+BT", data)
    assert b"0 0 0 1" in text                             # the black title: K alone
    assert max_ink(tmp_path / "cover.pdf") == pytest.approx(240, abs=2)


def test_the_cmyk_cover_looks_like_the_rgb_one(book, covers, tmp_path, monkeypatch):
    """Separated, the cover keeps its look: Ghostscript's picture of it against the RGB drawing's."""
    from pipeline.render.pdf import cmyk

    monkeypatch.setattr(cmyk, "to_cmyk", lambda *args, **kwargs: 0.0)
    render_cover(with_print(with_isbn(book), printer="generic").config, 120, tmp_path / "rgb.pdf", STYLES)
    seen = []
    for pdf in (covers["generic"], tmp_path / "rgb.pdf"):
        subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=png16m", "-r20",
                        f"-sOutputFile={pdf.with_suffix('.png')}", str(pdf)], check=True, capture_output=True)
        seen.append(Image.open(pdf.with_suffix(".png")).convert("RGB"))
    difference = ImageChops.difference(*seen).convert("L")
    assert ImageStat.Stat(difference).mean[0] < 12               # not washed out, not darkened
    assert abs(ImageStat.Stat(seen[0].convert("L")).mean[0] - ImageStat.Stat(seen[1].convert("L")).mean[0]) < 8


# -- KDP: a plain PDF, no marks, no bleed, nothing interactive ---------------------------

def test_kdp_interior_is_a_plain_pdf_cut_at_the_trim(kdp):
    _, pdf, _, _ = kdp
    with pikepdf.open(pdf.path) as doc:
        assert "/OutputIntents" not in doc.Root and "/Outlines" not in doc.Root
        assert not any("/Annots" in page for page in doc.pages)
        assert "GTS_PDFXVersion" not in str(doc.open_metadata())
        page = doc.pages[0]
        assert [float(v) for v in page.TrimBox] == [float(v) for v in page.MediaBox]


def test_kdp_files_pass_the_preflight(kdp):
    kdp_book, pdf, cover, _ = kdp
    findings = preflight(pdf.path, cover, config=kdp_book.config)
    assert [f for f in findings if f.status == ERROR] == []


def test_kdp_cover_has_its_bleed_spine_and_barcode_area(kdp):
    _, pdf, cover, geo = kdp
    assert geo.bleed == pytest.approx(0.125 * 25.4)
    assert geo.spine == pytest.approx(pdf.page_count * 0.0025 * 25.4, abs=0.006)
    out = subprocess.run(["pdfinfo", "-box", str(cover)], capture_output=True, text=True, check=True).stdout
    trim = [float(v) for v in re.search(r"TrimBox:\s+([-\d. ]+)", out).group(1).split()]
    bleed = [float(v) for v in re.search(r"BleedBox:\s+([-\d. ]+)", out).group(1).split()]
    assert (trim[0] - bleed[0]) / MM == pytest.approx(3.175, abs=0.01)
    assert (trim[2] - trim[0]) / MM == pytest.approx(300 + geo.spine, abs=0.05)
    assert _white_box_mm(cover) == pytest.approx((50.8, 30.48), abs=0.15)


def _white_box_mm(cover: Path) -> tuple[float, float]:
    """The white barcode area on the dark back cover, measured on the page as drawn."""
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-singlefile", str(cover), str(cover.with_suffix(""))],
                   check=True)
    image = Image.open(cover.with_suffix(".png")).convert("L")
    inset = round(9 / 25.4 * 200)   # past the bleed and the page's anti-aliased edge
    image = image.crop((inset, inset, image.width - inset, image.height - inset))
    left, top, right, bottom = image.point(lambda v: 255 if v > 250 else 0).getbbox()
    return (right - left) * 25.4 / 200, (bottom - top) * 25.4 / 200


def test_kdp_below_24_pages_stops_at_the_printer_line_of_book_yaml(tmp_path, capsys):
    manuscript = shutil.copytree(FIXTURE, tmp_path / "ms")
    yaml = manuscript / "book.yaml"
    yaml.write_text(yaml.read_text("utf-8") + "print:\n  printer: kdp\n", "utf-8")
    line = yaml.read_text("utf-8").splitlines().index("  printer: kdp") + 1
    assert main(["build", str(manuscript), "-o", str(tmp_path / "out"), "--print-ready"]) == 1
    err = capsys.readouterr().err
    assert f"book.yaml:{line}: L004 kdp prints books of 24 to 828 pages; this one has 20" in err
    assert "Traceback" not in err


def test_a_printer_whose_standard_is_not_written_yet_is_refused_before_layout():
    from pipeline.render.pdf import _written

    with pytest.raises(PrinterRejects) as caught:
        _written(replace(printers.printer("generic"), pdf_variant="pdf/x-5g"), "bw")
    assert caught.value.code == "L006" and caught.value.fields["standard"] == "PDF/X-5g"


# -- the gutter widened by moving the text block ------------------------------------------

@pytest.fixture(scope="module")
def narrow(book, tmp_path_factory):
    """The KDP book laid out with an 8 mm gutter (a copied print.css), and its proof PDF (not moved)."""
    folder = tmp_path_factory.mktemp("narrow")
    styles = shutil.copytree(STYLES, folder / "styles")
    narrow = "\n@page :left { margin-right: 8mm; margin-left: 28mm; } @page :right { margin-left: 8mm; margin-right: 28mm; }\n"
    with open(styles / "print.css", "a", encoding="utf-8") as sheet:
        sheet.write(narrow)
    kdp_book = with_print(book, printer="kdp", page_multiple=8)
    return kdp_book, styles, render_pdf(kdp_book, folder / "plain.pdf", styles_dir=styles)


def test_a_narrow_gutter_moves_every_page_outward_and_nothing_else(narrow, tmp_path):
    kdp_book, styles, plain = narrow
    printed = render_pdf(kdp_book, tmp_path / "kdp.pdf", styles_dir=styles, print_ready=True)
    shift = (KDP.least_inside_mm(24) - 8) * MM
    moved = set()
    for page in range(1, printed.page_count + 1):   # a recto moves right, a verso left
        sign = 1 if page % 2 else -1
        before, after = pdf_words(plain.path, page), pdf_words(printed.path, page)
        assert [w for w, _ in before] == [w for w, _ in after]
        assert all(b == pytest.approx(a - sign * shift, abs=0.02) for (_, b), (_, a) in zip(before, after))
        moved |= {sign} if before else set()
    assert moved == {1, -1}


# -- the margins measured from the file (check pdf) ------------------------------------------

def test_the_kdp_file_has_the_margins_kdp_asks_for(kdp):
    kdp_book, pdf, _, _ = kdp
    found = [f for f in preflight(pdf.path, config=kdp_book.config) if f.check == "margins"]
    assert [f.status for f in found] == ["ok"], found
    assert f"kdp asks {KDP.least_inside_mm(pdf.page_count):.2f}" in found[0].detail


def test_a_proof_with_a_narrow_gutter_fails_the_margin_check_on_its_text_pages(narrow):
    """Every page set to the full measure (the fixture's text pages are rectos: each part opens on one);
    display pages (title, copyright, epigraph), centred, stand clear of the gutter."""
    kdp_book, _, plain = narrow
    found = [f for f in preflight(plain.path, config=kdp_book.config) if f.check == "margins"]
    assert {f.code for f in found} == {"C037"}, found
    text_pages = {n for n in range(1, plain.page_count + 1) if pdf_words(plain.path, n)}
    assert len(found) >= len(text_pages) / 2 and 1 not in {f.page for f in found}   # not the half-title
    want = f"inside margin 8.00 mm, kdp asks at least {KDP.least_inside_mm(24):.2f} mm for 24 pages"
    assert all(f.detail == want for f in found), found


def test_the_inside_margin_is_on_the_left_of_a_recto_and_the_right_of_a_verso():
    from pipeline.preflight.margins import page_margins
    from pipeline.preflight.text import Line, Page

    lines = [Line(10 * MM, 20, 100 * MM, 30, "head 7"), Line(12 * MM, 40, 110 * MM, 50, "text")]
    assert page_margins(Page(1, 150 * MM, 230 * MM, lines)) == pytest.approx((10, 40))
    assert page_margins(Page(2, 150 * MM, 230 * MM, lines)) == pytest.approx((40, 10))
    assert page_margins(Page(3, 150 * MM, 230 * MM, [Line(0, 0, 1, 1, " ")])) is None   # blank


# -- images at the size they print ----------------------------------------------------------

def test_the_fixtures_picture_prints_at_printers_resolution(gray, book):
    found = [f for f in preflight(gray.path, config=book.config) if f.check == "image resolution"]
    assert len(found) == 1 and found[0].status == "ok" and found[0].detail.startswith("1 images, the least 3")


def test_a_picture_too_coarse_for_print_is_an_error_at_its_page(tmp_path):
    manuscript = shutil.copytree(FIXTURE, tmp_path / "ms")
    Image.new("L", (300, 200), 90).save(manuscript / "gris.png")   # 300 px over 3.1 in: 96 ppi
    chapter = manuscript / "03-capitulo-dos.md"
    chapter.write_text(chapter.read_text("utf-8") + "\n\n![Un rectángulo gris](gris.png)\n", "utf-8")
    pdf = render_pdf(load_book(manuscript, None, Report()), tmp_path / "book.pdf", print_ready=True)
    coarse = [f for f in preflight(pdf.path) if f.code == "C039"]
    assert [(f.page, "96 ppi" in f.detail) for f in coarse] == [(_page_with_image_of(pdf.path, 300), True)]


def _page_with_image_of(path: Path, width: int) -> int:
    out = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    return next(int(line.split()[0]) for line in out.splitlines()[2:] if line.split()[3] == str(width))
