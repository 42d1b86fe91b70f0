"""The printer's PDF and its cover (issue 7), on the fixture.

Checked from the files themselves: poppler (pdfinfo -box, pdffonts,
pdftotext), pikepdf, and the preflight (`check pdf`).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest

from pipeline import printers
from pipeline.build import STYLES, build, load_book
from pipeline.cli import main
from pipeline.diagnostics import BuildError, Report
from pipeline.manuscript import Paper, PrintSettings
from pipeline.preflight import ERROR
from pipeline.preflight import run as preflight
from pipeline.render.pdf import render_pdf
from pipeline.render.pdf.cover import ean13_modules, ean_check_digit, isbn13, render_cover, spine_mm

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "sample"
MM = 72 / 25.4


def boxes(pdf: Path) -> dict[str, tuple[float, ...]]:
    """Page 1's boxes as pdfinfo -box prints them."""
    out = subprocess.run(["pdfinfo", "-box", "-f", "1", "-l", "1", str(pdf)], capture_output=True,
                         text=True, check=True).stdout
    return {m[1]: tuple(float(v) for v in m[2].split())
            for m in re.finditer(r"Page\s+1 (\w+Box):\s+([-\d. ]+)", out)}


def faces(pdf: Path) -> set[str]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert all(" yes yes " in r for r in rows), out          # embedded, subset
    return {re.sub(r"^[A-Z]{6}\+", "", r.split()[0]) for r in rows}


@pytest.fixture(scope="module")
def book():
    return load_book(FIXTURE, None, Report())


@pytest.fixture(scope="module")
def printer(book, tmp_path_factory):
    return render_pdf(book, tmp_path_factory.mktemp("print") / "book.pdf", print_ready=True)


@pytest.fixture(scope="module")
def plain(book, tmp_path_factory):
    return render_pdf(book, tmp_path_factory.mktemp("plain") / "book.pdf")


def test_printer_pdf_has_trim_bleed_and_marks_boxes(printer):
    b = boxes(printer.path)
    assert b["TrimBox"] == pytest.approx((0, 0, 150 * MM, 230 * MM), abs=0.02)
    bleed = 3 * MM
    assert b["BleedBox"] == pytest.approx((-bleed, -bleed, 150 * MM + bleed, 230 * MM + bleed), abs=0.02)
    assert b["MediaBox"] == pytest.approx(b["BleedBox"], abs=0.02)


def test_printer_pdf_is_pdfx4_with_an_output_intent_and_metadata(printer):
    with pikepdf.open(printer.path) as pdf:
        assert pdf.open_metadata()["{http://www.npes.org/pdfx/ns/id/}GTS_PDFXVersion"] == "PDF/X-4"
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == "/GTS_PDFX" and str(intent.OutputConditionIdentifier) == "FOGRA39"
        assert str(intent.RegistryName) == "http://www.color.org"
        profile = intent.DestOutputProfile          # our FOGRA39 profile, whole: CMYK, 4 channels
        assert profile.N == 4 and profile.read_bytes()[16:20] == b"CMYK"
        assert profile.read_bytes() == (STYLES / "icc" / printers.FOGRA39.profile).read_bytes()
        assert str(pdf.docinfo.Title) == "Cuaderno de pruebas"
        assert str(pdf.docinfo.Author) == "Ana Autora"
        assert str(pdf.Root.Lang) == "es"


def test_plain_pdf_stays_a_proof_without_bleed_or_intent(plain):
    b = boxes(plain.path)
    assert b["TrimBox"] == b["MediaBox"] == pytest.approx((0, 0, 150 * MM, 230 * MM), abs=0.02)
    with pikepdf.open(plain.path) as pdf:
        assert "/OutputIntents" not in pdf.Root


def test_only_the_book_faces_embedded(printer):
    assert faces(printer.path) <= {"EB-Garamond-Print", "EB-Garamond-Print-Italic", "EB-Garamond-Print-Bold"}


def test_preflight_passes_the_printer_pdf(printer):
    findings = preflight(printer.path, config=load_book(FIXTURE, None, Report()).config)
    assert [f for f in findings if f.status == ERROR] == []
    checks = {f.check for f in findings}
    assert {"PDF/X", "output intent", "trim size", "bleed", "fonts embedded", "font faces", "page count",
            "widows", "orphans", "hyphen ladders", "folios", "running heads"} <= checks


def test_page_count_padded_with_blank_pages(book, tmp_path):
    multiple = 16
    padded = replace(book, config=book.config.model_copy(
        update={"print": book.config.print.model_copy(update={"page_multiple": multiple})}))
    result = render_pdf(padded, tmp_path / "padded.pdf", print_ready=True)
    assert result.page_count % multiple == 0
    text = subprocess.run(["pdftotext", "-layout", str(result.path), "-"], capture_output=True,
                          text=True, check=True).stdout.split("\f")
    natural = render_pdf(book, tmp_path / "natural.pdf").page_count
    assert result.page_count > natural
    assert all(not page.strip() for page in text[natural:result.page_count])   # no head, no folio
    assert boxes(result.path)["TrimBox"] == pytest.approx((0, 0, 150 * MM, 230 * MM), abs=0.02)


def test_check_pdf_exit_status(printer, plain, capsys):
    assert main(["check", "pdf", str(printer.path), "--book", str(FIXTURE)]) == 0
    assert main(["check", "pdf", str(plain.path), "--pages-multiple", "7"]) == 1
    assert f"{plain.path}: C010 {plain.page_count} pages: not a multiple of 7" in capsys.readouterr().err
    assert main(["check", "pdf", "/nonexistent.pdf"]) == 2
    assert capsys.readouterr().err == "/nonexistent.pdf: C024 not a readable PDF: no such file\n"


# -- cover ---------------------------------------------------------------------

def test_spine_width_from_pages_and_paper():
    assert spine_mm(400, PrintSettings()) == pytest.approx(25.4)                      # cream 80 g: 400 ppi
    assert spine_mm(444, PrintSettings(paper=Paper(kind="white-80"))) == pytest.approx(25.4)
    assert spine_mm(300, PrintSettings(paper=Paper(ppi=500))) == pytest.approx(15.24)
    assert spine_mm(300, PrintSettings(paper=Paper(caliper="0.1mm"))) == pytest.approx(15.0)


def test_unknown_paper_is_a_yaml_error_with_its_line(tmp_path):
    ms = tmp_path / "ms"
    shutil.copytree(FIXTURE, ms)
    text = (ms / "book.yaml").read_text(encoding="utf-8")
    (ms / "book.yaml").write_text(text + "print:\n  paper:\n    kind: papiro\n", encoding="utf-8")
    with pytest.raises(BuildError) as exc:
        load_book(ms, None, Report())
    message = str(exc.value)
    assert "book.yaml:" in message and "M004" in message and "papiro" in message


def test_ean13_of_an_isbn():
    assert ean_check_digit("978030640615") == 7                  # ISBN 978-0-306-40615-7
    assert isbn13("978-0-306-40615-7") == "9780306406157"
    assert isbn13("978-0-306-40615-8") is None and isbn13(None) is None
    bits = ean13_modules("9780306406157")
    assert len(bits) == 95 and bits.startswith("101") and bits.endswith("101") and bits[45:50] == "01010"
    # decoding the bars gives the digits back (first digit from the L/G parity)
    from pipeline.render.pdf.cover import _G, _L, _PARITY, _R
    left = [bits[3 + 7 * i: 10 + 7 * i] for i in range(6)]
    right = [bits[50 + 7 * i: 57 + 7 * i] for i in range(6)]
    parity = "".join("L" if c in _L else "G" for c in left)
    digits = str(_PARITY.index(parity)) + "".join(str((_L if p == "L" else _G).index(c))
                                                  for c, p in zip(left, parity))
    digits += "".join(str(_R.index(c)) for c in right)
    assert digits == "9780306406157"


def test_cover_geometry_spine_and_bleed(book, printer, tmp_path):
    cfg = book.config.model_copy(update={"identifiers": book.config.identifiers.model_copy(
        update={"print": "978-0-306-40615-7"})})
    path = tmp_path / "cover.pdf"
    geo = render_cover(cfg, 500, path, STYLES)
    assert geo.spine == pytest.approx(500 / 400 * 25.4, abs=0.01)
    b = boxes(path)
    assert b["TrimBox"] == pytest.approx((0, 0, (300 + geo.spine) * MM, 230 * MM), abs=0.05)
    assert b["BleedBox"][0] == pytest.approx(-3 * MM, abs=0.02)
    assert faces(path) <= {"EB-Garamond-Print", "EB-Garamond-Print-Italic"}
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "Cuaderno de pruebas" in text and "ISBN 978-0-306-40615-7" in text and "9780306406157" not in text
    assert "780306" in text and "406157" in text           # the digits under the bars
    # the preflight's spine check compares with the book PDF's page count: 18 pages here
    small = tmp_path / "small-cover.pdf"
    render_cover(cfg, printer.page_count, small, STYLES)
    findings = preflight(printer.path, small, config=book.config)
    assert [f for f in findings if f.status == ERROR] == []
    wrong = preflight(printer.path, path, config=book.config)
    assert any(f.check == "cover: spine" and f.status == ERROR for f in wrong)


def test_build_print_ready_writes_the_cover_beside_the_pdf(tmp_path):
    result = build(FIXTURE, tmp_path / "out", formats=("pdf",), print_ready=True)
    assert result.outputs["pdf"].name == "cuaderno-de-pruebas.pdf" or result.outputs["pdf"].suffix == ".pdf"
    cover = result.outputs["cover"]
    assert cover.parent == result.outputs["pdf"].parent and cover.name.endswith("-cover.pdf")
    plain = build(FIXTURE, tmp_path / "plain", formats=("pdf",))
    assert "cover" not in plain.outputs


# -- missing glyphs ------------------------------------------------------------

def build_with(tmp_path, extra: str) -> BuildError:
    """Build a copy of the fixture with `extra` appended to chapter two; the BuildError."""
    ms = tmp_path / "ms"
    shutil.copytree(FIXTURE, ms)
    chapter = ms / "03-capitulo-dos.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + extra, encoding="utf-8")
    with pytest.raises(BuildError) as exc:
        build(ms, tmp_path / "out", formats=("pdf",))
    return exc.value


def test_a_character_no_face_has_stops_the_build_naming_it(tmp_path):
    error = build_with(tmp_path, "\nUna cara sonriente 😀 al final.\n")
    [diag] = [d for d in error.report.items if d.code == "F001"]
    assert diag.path.endswith("03-capitulo-dos.md") and diag.line > 0
    assert "U+1F600" in diag.message and "sonriente" in diag.message
    assert not (tmp_path / "out" / "cuaderno-de-pruebas.pdf").exists()


def test_bold_text_needs_the_bold_face(tmp_path):
    """The bold face has 127 glyphs: a raya in bold would fall back."""
    error = build_with(tmp_path, "\n**Negrita —con raya—** aquí.\n")
    assert any(d.code == "F001" and "U+2014" in d.message and "bold" in d.message for d in error.report.items)


def test_the_cover_is_deflated_like_the_book_in_a_fresh_process(tmp_path):
    """The compression level is set on every write (engine.Deflate), not only
    once a layout ran in the process: a cover drawn first, as after a build
    whose units all came from the cache, is deflated at the same level."""
    import sys

    script = f"""
import io, zlib, pikepdf
from pathlib import Path
from pipeline.build import STYLES, load_book
from pipeline.diagnostics import Report
from pipeline.engines import weasyprint as engine
from pipeline.render.pdf.cover import render_cover
book = load_book(Path({str(FIXTURE)!r}), None, Report())
render_cover(book.config, 120, Path({str(tmp_path / 'cover.pdf')!r}), STYLES)
with pikepdf.open({str(tmp_path / 'cover.pdf')!r}) as pdf:
    streams = [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Filter") == "/FlateDecode"
               and o.get("/Type") != "/XRef"]   # qpdf's cross-reference stream: PNG-predicted, as in the book
    assert streams and all(s.read_raw_bytes() == zlib.compress(s.read_bytes(), engine.LEVEL) for s in streams)
print("ok")
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert out.stdout.strip() == "ok", out.stderr[-2000:]
