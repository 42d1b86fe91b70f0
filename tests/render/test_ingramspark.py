"""IngramSpark's PDF/X-1a:2001 (issue 17), on the fixture padded to 24 pages.

Judged from the files: pikepdf, qpdf --check, pdffonts, pdftoppm and
pdftotext, Ghostscript's separations, and `check pdf`.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from pipeline import printers
from pipeline.build import STYLES, build, load_book
from pipeline.diagnostics import BuildError, Report
from pipeline.preflight import ERROR
from pipeline.preflight import run as preflight
from pipeline.preflight.fonts import missing_glyphs, programs_of
from pipeline.preflight.separations import inked_plates
from pipeline.render.pdf import cmyk, pdfx1a, render_pdf
from pipeline.render.pdf.cover import render_cover
from pipeline.render.pdf.gutter import PrinterRejects

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "sample"
INGRAM = printers.printer("ingramspark")
ISBN = "978-0-306-40615-7"      # a valid ISBN-13: the cover draws its barcode


def ingram_book(book, **settings):
    """The fixture for IngramSpark, with a valid print ISBN (its barcode drawn)."""
    ids = book.config.identifiers.model_copy(update={"print": ISBN})
    printing = book.config.print.model_copy(update={"printer": "ingramspark", "page_multiple": 8, **settings})
    return replace(book, config=book.config.model_copy(update={"print": printing, "identifiers": ids}))


def make(book, folder: Path, styles: Path = STYLES):
    pdf = render_pdf(book, folder / "book.pdf", styles_dir=styles, print_ready=True)
    cover = folder / "cover.pdf"
    render_cover(book.config, pdf.page_count, cover, styles)
    return pdf, cover


@pytest.fixture(scope="module")
def book():
    return ingram_book(load_book(FIXTURE, None, Report()))


@pytest.fixture(scope="module")
def files(book, tmp_path_factory):
    return make(book, tmp_path_factory.mktemp("ingram"))


# -- the interior ---------------------------------------------------------------------

def test_interior_and_cover_pass_check_pdf(book, files):
    pdf, cover = files
    findings = preflight(pdf.path, cover, config=book.config)
    assert [f for f in findings if f.status == ERROR] == []
    checks = {f.check for f in findings}
    assert {"PDF version", "transparency", "colour spaces", "font programs (PDF 1.3)", "separations",
            "cover: total ink", "cover: output intent"} <= checks


def test_pdf_1_3_without_object_streams_and_qpdf_finds_nothing(files):
    for path in (files[0].path, files[1]):
        with pikepdf.open(path) as doc:
            assert doc.pdf_version == "1.3"
            assert not any(isinstance(o, pikepdf.Stream) and o.get("/Type") in ("/ObjStm", "/XRef")
                           for o in doc.objects)
        assert path.read_bytes().startswith(b"%PDF-1.3")
        out = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert out.returncode == 0 and "No syntax or stream encoding errors" in out.stdout, out.stdout


def test_identified_as_pdfx1a_2001_with_a_registered_output_intent(files):
    for path in (files[0].path, files[1]):
        with pikepdf.open(path) as doc:
            info = doc.docinfo
            assert str(info.GTS_PDFXVersion) == "PDF/X-1:2001"
            assert str(info.GTS_PDFXConformance) == "PDF/X-1a:2001"
            assert info.Trapped == pikepdf.Name("/False")
            assert str(info.CreationDate) == str(info.ModDate) == "D:20260115"   # book.yaml's date
            assert str(info.Title).startswith("Cuaderno de pruebas")
            [intent] = doc.Root.OutputIntents
            assert intent.S == "/GTS_PDFX" and str(intent.OutputConditionIdentifier) == "CGATS TR 003"
            assert str(intent.RegistryName) == "http://www.color.org"
            profile = intent.DestOutputProfile      # our TR 003 profile, whole, 4 channels
            assert profile.N == 4 and profile.Filter == "/FlateDecode"
            assert profile.read_bytes() == (STYLES / "icc" / INGRAM.condition.profile).read_bytes()
            assert profile.read_bytes()[16:20] == b"CMYK"
            assert "/Metadata" not in doc.Root     # PDF 1.3: the Info dictionary alone
    with pikepdf.open(files[0].path) as doc:     # nothing interactive in the interior
        assert not any("/Annots" in page for page in doc.pages) and "/Outlines" not in doc.Root


def test_no_transparency_left_not_even_a_no_op(files):
    for path in (files[0].path, files[1]):
        with pikepdf.open(path) as doc:
            for page in doc.pages:
                for holder in _drawn(page.obj):
                    assert not re.search(rb"\sgs\s", b" " + _content(holder) + b" ")
                    assert not len(holder.get("/Resources", {}).get("/ExtGState", {}))


def _drawn(holder):
    """A page and every form it draws, nested."""
    yield holder
    for xobject in holder.get("/Resources", {}).get("/XObject", {}).values():
        if xobject.get("/Subtype") == "/Form":
            yield from _drawn(xobject)


def _content(holder) -> bytes:
    if isinstance(holder, pikepdf.Stream):
        return holder.read_bytes()
    contents = holder.Contents
    return b"\n".join(s.read_bytes() for s in (contents if isinstance(contents, pikepdf.Array) else [contents]))


def test_pdffonts_lists_each_face_once_as_a_bare_cff(files):
    for path in (files[0].path, files[1]):
        out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        rows = [line for line in out.splitlines()[2:] if line.strip()]
        faces = [re.sub(r"^[A-Z]{6}\+", "", row.split()[0]) for row in rows]
        assert sorted(faces) == ["EB-Garamond-Print", "EB-Garamond-Print-Italic"]
        assert all("CID Type 0C " in row and "(OT)" not in row for row in rows), out


def test_the_bare_cff_draws_what_the_opentype_program_drew(book, files, tmp_path, monkeypatch):
    """The same book with its OpenType programs kept: the same pictures and text."""
    monkeypatch.setattr(pdfx1a, "bare_cff", lambda pdf, printer: None)
    before = render_pdf(book, tmp_path / "opentype.pdf", print_ready=True)
    assert "(OT)" in subprocess.run(["pdffonts", str(before.path)], capture_output=True, text=True).stdout
    for name, path in (("ot", before.path), ("cff", files[0].path)):
        subprocess.run(["pdftoppm", "-r", "60", "-gray", str(path), str(tmp_path / name)], check=True)
    pictures = sorted(tmp_path.glob("ot-*.pgm"))
    assert len(pictures) == before.page_count
    for picture in pictures:
        assert picture.read_bytes() == (tmp_path / picture.name.replace("ot-", "cff-")).read_bytes(), picture.name
    text = [subprocess.run(["pdftotext", str(p), "-"], capture_output=True, check=True).stdout
            for p in (before.path, files[0].path)]
    assert text[0] == text[1] and len(text[0]) > 1000


def test_interior_inks_the_black_plate_alone(files):
    pdf, _ = files
    plates = inked_plates(pdf.path, list(range(1, pdf.page_count + 1)))
    assert {p for inked in plates.values() for p in inked} == {"Black"}


def test_interior_has_the_printers_bleed(files):
    with pikepdf.open(files[0].path) as doc:
        for page in doc.pages:
            trim, bleed = [float(v) for v in page.TrimBox], [float(v) for v in page.BleedBox]
            assert trim[0] - bleed[0] == pytest.approx(0.125 * 72, abs=0.01)


def test_a_rebuild_is_byte_identical(book, files, tmp_path):
    pdf, cover = make(book, tmp_path)
    assert pdf.path.read_bytes() == files[0].path.read_bytes()
    assert cover.read_bytes() == files[1].read_bytes()


# -- the cover ---------------------------------------------------------------------------

def test_cover_is_cmyk_within_the_ink_limit_its_barcode_pure_black(book, files):
    _, cover = files
    with pikepdf.open(cover) as doc:
        data = doc.pages[0].obj.Contents.read_bytes()
    assert not re.search(rb"\s(rg|RG)\s", data)
    colours = {tuple(float(v) for v in m.groups()) for m in
               re.finditer(rb"([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) k", data)}
    assert (0, 0, 0, 1) in colours                        # the bars and the ISBN: 100 % K
    ground = cmyk.separator(STYLES, INGRAM.condition).colour(0x2b / 255, 0x2a / 255, 0x33 / 255)
    assert ground in colours and ground[3] > 0.75 and min(ground[:3]) > 0.2    # #2b2a33 on four plates
    assert 150 < sum(ground) * 100 <= max(sum(c) for c in colours) * 100 <= INGRAM.ink_limit
    findings = preflight(files[0].path, cover, config=book.config)
    ink = next(f for f in findings if f.check == "cover: total ink")
    assert ink.status != ERROR and f"at most {round(sum(ground) * 100)} %" in ink.detail


def test_a_cover_colour_over_the_ink_limit_stops_with_its_code(book, tmp_path):
    """RGB is separated within the profile's 240 %; a CMYK colour the sheets set is taken as it is."""
    styles = shutil.copytree(STYLES, tmp_path / "styles")
    with open(styles / "cover.css", "a", encoding="utf-8") as sheet:
        sheet.write("\n.front { background: device-cmyk(1 0.8 0 0.5); }\n")    # 230 + the text on it
        sheet.write("\n.front .title { color: device-cmyk(1 1 0 0.5); }\n")     # 250 %
    with pytest.raises(PrinterRejects) as caught:
        render_cover(book.config, 24, tmp_path / "cover.pdf", styles)
    assert caught.value.code == "L008" and caught.value.fields["ink"] == pytest.approx(250, abs=0.5)
    assert caught.value.fields["colour"] == "(C 100 M 100 Y 0 K 50)"


# -- transparency -------------------------------------------------------------------------

def _with_chapter(tmp_path: Path, extra: str) -> Path:
    manuscript = shutil.copytree(FIXTURE, tmp_path / "ms")
    chapter = manuscript / "03-capitulo-dos.md"
    chapter.write_text(chapter.read_text("utf-8") + extra, "utf-8")
    yaml = manuscript / "book.yaml"
    yaml.write_text(yaml.read_text("utf-8") + "print:\n  printer: ingramspark\n  page_multiple: 8\n", "utf-8")
    return manuscript


def test_an_image_with_alpha_is_laid_on_white(tmp_path):
    manuscript = _with_chapter(tmp_path, "\n\n![Un círculo rojo translúcido](alfa.png)\n")
    picture = Image.new("RGBA", (1440, 960), (0, 0, 0, 0))   # 320 ppi across the text width
    picture.paste((200, 30, 40, 128), (240, 240, 1200, 720))
    picture.save(manuscript / "alfa.png")
    book = load_book(manuscript, None, Report())
    pdf = render_pdf(book, tmp_path / "book.pdf", print_ready=True)
    with pikepdf.open(pdf.path) as doc:
        images = [obj for obj in doc.objects if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"]
        assert all("/SMask" not in obj and obj.ColorSpace == "/DeviceGray" for obj in images)
        [ours] = [obj for obj in images if (obj.Width, obj.Height) == (1440, 960)]
        low, high = pikepdf.PdfImage(ours).as_pil_image().getextrema()
    assert high == 255 and 150 < low < 255    # white paper, and the red at half strength over it
    findings = preflight(pdf.path, config=book.config)
    assert [f for f in findings if f.status == ERROR] == []


def test_css_opacity_stops_the_build_naming_the_page(tmp_path):
    manuscript = _with_chapter(tmp_path, "")
    styles = shutil.copytree(STYLES, tmp_path / "styles")
    with open(styles / "print.css", "a", encoding="utf-8") as sheet:
        sheet.write("\n.epigraph { opacity: 0.5; }\n")
    with pytest.raises(BuildError) as caught:
        build(manuscript, tmp_path / "out", formats=["pdf"], styles=styles, print_ready=True)
    [diag] = caught.value.report.errors
    assert diag.code == "L007" and "opacity of 0.5" in diag.message and re.search(r"page \d+", diag.message)
    assert diag.path.endswith("book.yaml") and diag.line > 0


def test_a_colour_interior_is_pdf_x1a_its_picture_alone_off_the_black_plate(book, tmp_path):
    """A colour interior separated to CMYK in the workers is PDF/X-1a too
    (it was refused, L010, while only gray interiors were separated)."""
    manuscript = shutil.copytree(FIXTURE, tmp_path / "ms")
    picture = Image.new("RGB", (1440, 960), (240, 240, 240))     # 320 ppi across the text width
    picture.paste((200, 30, 40), (120, 120, 720, 840))
    picture.save(manuscript / "colores.png")
    chapter = manuscript / "03-capitulo-dos.md"
    chapter.write_text(chapter.read_text("utf-8") + "\n\n![Rojo](colores.png)\n", "utf-8")
    coloured = ingram_book(load_book(manuscript, None, Report()), interior="color")
    pdf = render_pdf(coloured, tmp_path / "book.pdf", print_ready=True)
    with pikepdf.open(pdf.path) as doc:
        assert doc.pdf_version == "1.3" and str(doc.trailer.Info.GTS_PDFXConformance) == "PDF/X-1a:2001"
        assert str(doc.Root.OutputIntents[0].OutputConditionIdentifier) == "CGATS TR 003"
    assert [f for f in preflight(pdf.path, config=coloured.config) if f.status == ERROR] == []
    plates = inked_plates(pdf.path, list(range(1, pdf.page_count + 1)))
    off_black = {n for n, inked in plates.items() if inked - {"Black"}}
    assert len(off_black) == 1 and plates[off_black.pop()] >= {"Magenta", "Yellow"}


def test_check_pdf_reads_the_glyphs_of_a_bare_cff(files):
    """F103 holds for PDF/X-1a's CFF programs too: HarfBuzz does not read them, fontTools does."""
    with pikepdf.open(files[0].path) as doc:
        programs = programs_of(doc)
    assert programs and all(missing_glyphs(p) == [] for p in programs)
    regular = next(p for p in programs if p.face == "EB-Garamond-Print")
    space = next(gid for gid, text in regular.glyphs.items() if text == " ")
    broken = replace(regular, glyphs={**regular.glyphs, space: "x", 60000: "y"})   # no outline; beyond the font
    assert missing_glyphs(broken) == [f"{space} 'x'", "60000 'y'"]


def test_a_cover_image_becomes_cmyk_laid_on_white_and_its_ink_is_measured(tmp_path):
    from pipeline.preflight import pdfx1a as preflight_x1a
    from pipeline.render.pdf.cmyk import cmyk_image

    pdf = pikepdf.new()
    picture = Image.new("RGB", (4, 1))
    picture.putdata([(0, 0, 0), (255, 255, 255), (0, 0, 128), (43, 42, 51)])
    image = pikepdf.Stream(pdf, picture.tobytes(), Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image,
                           Width=4, Height=1, ColorSpace=pikepdf.Name.DeviceRGB, BitsPerComponent=8)
    image.SMask = pikepdf.Stream(pdf, bytes([255, 255, 255, 0]), Type=pikepdf.Name.XObject,
                                 Subtype=pikepdf.Name.Image, Width=4, Height=1,
                                 ColorSpace=pikepdf.Name.DeviceGray, BitsPerComponent=8)
    ink = cmyk_image(image, cmyk.separator(STYLES, INGRAM.condition))
    assert image.ColorSpace == "/DeviceCMYK" and "/SMask" not in image
    pixels = pikepdf.PdfImage(image).as_pil_image()
    black, white, navy, transparent = (pixels.getpixel((x, 0)) for x in range(4))
    assert black == (0, 0, 0, 255) and white == transparent == (0, 0, 0, 0)   # 100 % K; paper
    assert navy[0] > 200 and navy[1] > 150 and navy[2] < 60                   # perceptual: a blue, mostly C and M
    assert ink == pytest.approx(sum(navy) / 255 * 100, abs=0.5) and 150 < ink <= INGRAM.ink_limit
    page = pdf.add_blank_page(page_size=(10, 10))
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
    page.Contents = pdf.make_stream(b"q 10 0 0 10 0 0 cm /Im0 Do Q")
    findings = {f.check: f for f in preflight_x1a.check(pdf, ink_limit=int(ink) - 10)}
    assert findings["total ink"].status == ERROR and f"{ink:.0f} %" in findings["total ink"].detail


def test_check_pdf_wants_pdfx1a_for_an_ingramspark_book(book, tmp_path):
    """A file that is not X-1a (here KDP's plain PDF of the same book) fails for IngramSpark."""
    kdp = replace(book, config=book.config.model_copy(
        update={"print": book.config.print.model_copy(update={"printer": "kdp"})}))
    plain = render_pdf(kdp, tmp_path / "kdp.pdf", print_ready=True)
    errors = [f for f in preflight(plain.path, config=book.config) if f.status == ERROR]
    assert [f.check for f in errors] == ["PDF/X-1a"]


def test_check_pdf_finds_what_breaks_pdfx1a(files, tmp_path):
    """The X-1a interior, spoilt one way per check: each check says so."""
    from pipeline.preflight import pdfx1a as preflight_x1a

    spoilt = tmp_path / "spoilt.pdf"
    with pikepdf.open(files[0].path) as doc:
        page = doc.pages[2].obj
        page.Resources.ExtGState = pikepdf.Dictionary(half=pikepdf.Dictionary(ca=0.5))
        page.Contents = doc.make_stream(b"1 0 0 rg /half gs 0 0 10 10 re f " + page.Contents.read_bytes()
                                        if isinstance(page.Contents, pikepdf.Stream) else b"1 0 0 rg")
        del doc.pages[1].obj["/BleedBox"]
        doc.Root.OutputIntents[0].DestOutputProfile.N = 3     # an RGB profile, PDF/X-1a wants CMYK
        for obj in doc.objects:
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/CIDFontType0C":
                obj.Subtype = pikepdf.Name.OpenType
        doc.save(spoilt, min_version="1.6", object_stream_mode=pikepdf.ObjectStreamMode.generate)
    with pikepdf.open(spoilt) as doc:
        assert preflight_x1a.claims(doc)
        findings = {f.check: f for f in preflight_x1a.check(doc)}
    wrong = {check for check, f in findings.items() if f.status == ERROR}
    assert wrong == {"PDF version", "output intent", "PDF/X boxes", "transparency", "colour spaces",
                     "font programs (PDF 1.3)"}
    assert "p. 3" in findings["transparency"].detail and "p. 2" in findings["PDF/X boxes"].detail
