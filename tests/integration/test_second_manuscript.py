"""A second manuscript unlike the Spanish ones: tests/fixtures/english.

An English essay (language en, author and translator, a print ISBN) with
continuous footnotes in print and part-end notes in the EPUB, on white
paper, with an RGB and a gray figure, verse, lists, scene breaks, small
capitals and an index of names. Built once per module: the CLI build
(--strict --print-ready: EPUB, generic printer's file, cover), the proof
PDF (for the footnotes and the RGB the printer's file must not keep) and
KDP's files.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest
from lxml import etree
from PIL import Image

from pipeline.build import STYLES, load_book
from pipeline.cli import main
from pipeline.diagnostics import Report
from pipeline.preflight import ERROR, OK
from pipeline.preflight import run as preflight
from pipeline.preflight.colour import colour_pages
from pipeline.preflight.separations import inked_plates
from pipeline.render.pdf import render_pdf
from pipeline.render.pdf.cover import _G, _L, _PARITY, _R, render_cover
from tests.conftest import epubcheck
from tests.render.test_pdf_notes import footnote_stream, normal, note_text
from tests.render.test_printers import with_print

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "english"
SLUG = "metal-ink-and-light"
FIGURE_CAPTION = "The methods of printing books"      # the RGB figure's caption, as printed
OPF = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
XHTML = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The CLI build: --strict (a warning would stop it) and --print-ready (generic)."""
    out = tmp_path_factory.mktemp("english")
    code = main(["build", str(FIXTURE), "-o", str(out), "--strict", "--print-ready"])
    return code, out


@pytest.fixture(scope="module")
def book():
    report = Report()
    loaded = load_book(FIXTURE, None, report)
    assert report.items == []
    return loaded


@pytest.fixture(scope="module")
def proof(book, tmp_path_factory):
    return render_pdf(book, tmp_path_factory.mktemp("proof") / "book.pdf", print_ready=False)


def printers_files(book, folder: Path, printer: str):
    """(book for `printer`, its interior, its cover)."""
    printed = with_print(book, printer=printer)
    pdf = render_pdf(printed, folder / "book.pdf", print_ready=True)
    cover = folder / "cover.pdf"
    render_cover(printed.config, pdf.page_count, cover, STYLES)
    return printed, pdf.path, cover


@pytest.fixture(scope="module")
def kdp(book, tmp_path_factory):
    return printers_files(book, tmp_path_factory.mktemp("kdp"), "kdp")


@pytest.fixture(scope="module")
def ingramspark(book, tmp_path_factory):
    return printers_files(book, tmp_path_factory.mktemp("ingramspark"), "ingramspark")


def text_of(pdf: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", *pages, str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def page_count(pdf: Path) -> int:
    with pikepdf.open(pdf) as doc:
        return len(doc.pages)


def figure_page(pdf: Path) -> int:
    """The page whose text holds the RGB figure's caption."""
    pages = [n for n in range(1, page_count(pdf) + 1) if FIGURE_CAPTION in " ".join(text_of(pdf, n).split())]
    assert len(pages) == 1, pages
    return pages[0]


def sampled_pages(pdf: Path) -> list[int]:
    """A few pages: the colour figure's, a first chapter page, a footnoted text page, the index."""
    last = page_count(pdf)
    return sorted({figure_page(pdf), 11, 12, 22, last - 1})


# -- the build ------------------------------------------------------------------------

def test_the_english_book_builds_strict_and_print_ready(built):
    code, out = built
    assert code == 0
    assert {p.name for p in out.iterdir() if p.is_file()} >= {
        f"{SLUG}.epub", f"{SLUG}.pdf", f"{SLUG}-cover.pdf"}
    assert 28 <= page_count(out / f"{SLUG}.pdf") <= 40


def test_the_epub_passes_epubcheck(built):
    _, out = built
    assert epubcheck(out / f"{SLUG}.epub") == []


def test_the_language_is_english_in_the_opf_and_the_pdf(built):
    _, out = built
    with zipfile.ZipFile(out / f"{SLUG}.epub") as epub:
        opf = etree.fromstring(epub.read("EPUB/content.opf"))
    assert opf.xpath("//dc:language/text()", namespaces=OPF) == ["en"]
    assert opf.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert opf.xpath("//dc:source/text()", namespaces=OPF) == ["urn:isbn:9781915000279"]
    with pikepdf.open(out / f"{SLUG}.pdf") as pdf:
        assert str(pdf.Root.Lang) == "en"


def test_credits_are_written_as_english_writes_them(built):
    """"Translated by Tomás Ferreira", not the Spanish "Traducción: X" put into English."""
    _, out = built
    with zipfile.ZipFile(out / f"{SLUG}.epub") as epub:
        titlepage = epub.read("EPUB/titlepage.xhtml").decode()
    assert "Translated by Tomás Ferreira" in titlepage and "by:" not in titlepage
    front = text_of(out / f"{SLUG}.pdf", 3) + text_of(out / f"{SLUG}.pdf", 4)
    assert "Translated by Tomás Ferreira" in " ".join(front.split()) and "by:" not in front


def test_the_epub_has_its_glossary_and_index(built):
    _, out = built
    with zipfile.ZipFile(out / f"{SLUG}.epub") as epub:
        glossary = etree.fromstring(epub.read("EPUB/glossary.xhtml"))
        index = etree.fromstring(epub.read("EPUB/index.xhtml"))
        chapter = etree.fromstring(epub.read("EPUB/appendix.xhtml"))
    terms = glossary.xpath("//x:dt[@epub:type='glossterm']//text()", namespaces=XHTML)
    assert terms == ["ATF", "CMYK", "EPUB", "ISBN", "ISO", "PDF", "POD", "RGB", "UNESCO"]
    headings = index.xpath("//*[@epub:type='index-term']/text()", namespaces=XHTML)
    assert len(headings) == 16                             # 15 persons and one "see"
    assert headings == sorted(headings)
    assert "Didot, Firmin" in headings and "Manutius, Aldus" in headings
    locators = index.xpath("//x:a[@epub:type='index-locator']/@href", namespaces=XHTML)
    assert locators and all(re.fullmatch(r"\w+\.xhtml#m-\w+-\d+", h) for h in locators)
    # the abbreviations are marked in the text, and the notes stand at the part's end
    assert chapter.xpath("//x:abbr[normalize-space()='UNESCO']", namespaces=XHTML)
    assert len(chapter.xpath("//x:section[contains(@class, 'notes-group')]//x:li", namespaces=XHTML)) == 3


def test_part_end_notes_leave_no_empty_notes_document(built):
    _, out = built
    with zipfile.ZipFile(out / f"{SLUG}.epub") as epub:
        names = epub.namelist()
        notes = etree.fromstring(epub.read("EPUB/notes.xhtml")) if "EPUB/notes.xhtml" in names else None
    assert notes is None or notes.xpath("//x:li | //x:aside", namespaces=XHTML)


def test_the_cover_barcode_reads_back_the_books_isbn(built, tmp_path):
    """The bars drawn on the cover, scanned across at 400 dpi, decode to book.yaml's ISBN."""
    dpi, cover = 400, built[1] / f"{SLUG}-cover.pdf"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", "-singlefile", str(cover), str(tmp_path / "c")],
                   check=True)
    image = Image.open(tmp_path / "c.png").convert("L")
    inset = round(9 / 25.4 * dpi)                           # past the bleed and the page's edge
    image = image.crop((inset, inset, image.width - inset, image.height - inset))
    area = image.crop(image.point(lambda v: 255 if v > 250 else 0).getbbox())   # the white barcode area
    rows = [_runs(area, y) for y in range(area.height)]
    across = [r for r in rows if sum(dark for dark, _ in r) == 30]   # EAN-13: 30 bars, above the digits
    assert len(across) > area.height // 3
    runs = across[len(across) // 2][1:-1]                   # the quiet zones dropped
    module = sum(width for _, width in runs) / 95
    assert all(abs(width / module - round(width / module)) < 0.35 for _, width in runs)
    assert _ean13_digits("".join(("1" if dark else "0") * round(width / module) for dark, width in runs)) \
        == "9781915000279"


def _runs(image, y) -> list[tuple[bool, int]]:
    """(dark, width) of the runs of pixels along row y."""
    row = [v < 128 for v in image.tobytes()[y * image.width:(y + 1) * image.width]]
    runs, start = [], 0
    for x in range(1, len(row) + 1):
        if x == len(row) or row[x] != row[start]:
            runs.append((row[start], x - start))
            start = x
    return runs


def _ean13_digits(bits: str) -> str:
    assert len(bits) == 95 and bits[:3] == bits[-3:] == "101" and bits[45:50] == "01010"
    left = [bits[3 + 7 * i: 10 + 7 * i] for i in range(6)]
    right = [bits[50 + 7 * i: 57 + 7 * i] for i in range(6)]
    parity = "".join("L" if c in _L else "G" for c in left)
    return (str(_PARITY.index(parity)) + "".join(str((_L if p == "L" else _G).index(c)) for c, p in zip(left, parity))
            + "".join(str(_R.index(c)) for c in right))


# -- the printers' files --------------------------------------------------------------

def test_the_generic_printers_files_pass_the_preflight(built, book):
    _, out = built
    pdf, cover = out / f"{SLUG}.pdf", out / f"{SLUG}-cover.pdf"
    findings = preflight(pdf, cover, config=book.config)
    assert [f"{f.check}: {f.detail}" for f in findings if f.status == ERROR] == []
    assert {f.check for f in findings} >= {"colour", "separations", "PDF/X", "cover: spine"}


def test_the_finish_passes_check_pdf_strict(built, proof, book):
    """Issue 20's finish on the second manuscript, in the printer's file and
    the proof (footnotes both): `check pdf --strict` finds nothing, the
    copyright page included (its versos hold too few full lines to read
    their measure: they take the rectos' width, preflight/finish._edges)."""
    _, out = built
    for pdf in (out / f"{SLUG}.pdf", proof.path):
        failing = [f for f in preflight(pdf, config=book.config) if f.status != OK]
        assert [(f.code, f.page, f.detail) for f in failing] == [], pdf


def test_the_kdp_files_pass_the_preflight(kdp):
    kdp_book, pdf, cover = kdp
    findings = preflight(pdf, cover, config=kdp_book.config)
    assert [f"{f.check}: {f.detail}" for f in findings if f.status == ERROR] == []
    with pikepdf.open(pdf) as doc:                         # KDP's plain PDF, not the generic PDF/X
        assert "/OutputIntents" not in doc.Root
        assert "GTS_PDFXVersion" not in str(doc.open_metadata())


def test_the_figure_is_rgb_in_the_manuscript_and_the_proof(proof):
    image = Image.open(FIXTURE / "images" / "timeline.png")
    assert image.mode == "RGB"
    assert any(len({r, g, b}) > 1 for _, (r, g, b) in image.getcolors(1 << 16))
    with pikepdf.open(proof.path) as pdf:
        found = colour_pages(pdf)
    assert "image /DeviceRGB" in found[figure_page(proof.path)]    # the proof keeps the picture's RGB
    assert not any("image /DeviceRGB" in found.get(page, ()) for page in range(1, 16))   # the gray one is gray


def test_the_ingramspark_files_are_pdfx1a_and_pass_the_preflight(ingramspark):
    printed, pdf, cover = ingramspark
    findings = preflight(pdf, cover, config=printed.config)
    assert [f"{f.check}: {f.detail}" for f in findings if f.status == ERROR] == []
    assert pdf.read_bytes().startswith(b"%PDF-1.3") and cover.read_bytes().startswith(b"%PDF-1.3")
    assert {"PDF version", "cover: total ink", "separations"} <= {f.check for f in findings}


@pytest.mark.parametrize("which", ["generic", "kdp", "ingramspark"])
def test_the_printers_file_is_gray_and_inks_the_black_plate_alone(which, built, kdp, ingramspark):
    pdf = {"generic": built[1] / f"{SLUG}.pdf", "kdp": kdp[1], "ingramspark": ingramspark[1]}[which]
    with pikepdf.open(pdf) as doc:
        assert colour_pages(doc) == {}
    pages = sampled_pages(pdf)
    plates = inked_plates(pdf, pages)
    assert plates[figure_page(pdf)] == {"Black"}
    assert all(plates[p] == {"Black"} for p in pages), plates


@pytest.mark.parametrize("which", ["generic", "kdp", "ingramspark"])
def test_the_printers_file_lists_each_face_once(which, built, kdp, ingramspark):
    pdf = {"generic": built[1] / f"{SLUG}.pdf", "kdp": kdp[1], "ingramspark": ingramspark[1]}[which]
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    names = [row.split()[0] for row in out.splitlines()[2:]]
    faces = [re.sub(r"^[A-Z]{6}\+", "", n) for n in names]
    assert names and len(faces) == len(set(faces)) and len({n[:6] for n in names}) == len(names)


@pytest.fixture(scope="module")
def kdp_colour(book, tmp_path_factory):
    """KDP's colour interior of the English book (its figure in RGB)."""
    printed = with_print(book, printer="kdp", interior="color")
    return printed, render_pdf(printed, tmp_path_factory.mktemp("kdp-colour") / "book.pdf", print_ready=True).path


def test_a_kdp_colour_interior_inks_colour_for_the_figure_alone_within_the_limit(kdp_colour):
    printed, pdf = kdp_colour
    findings = preflight(pdf, config=printed.config)
    assert [f"{f.check}: {f.detail}" for f in findings if f.status == ERROR] == []
    checks = {f.check: f.detail for f in findings}
    assert checks["separations"].endswith("(1 with pictures or gradients): ink on Cyan, Magenta, Yellow, Black")
    ink = float(re.match(r"at most (\d+) % \(p\. (\d+)\)", checks["total ink"]).group(1))
    assert 100 < ink <= 300                                        # the figure's colours, within KDP's limit
    plates = inked_plates(pdf, sampled_pages(pdf))
    assert plates.pop(figure_page(pdf)) >= {"Cyan", "Magenta", "Yellow"}
    assert set().union(*plates.values()) == {"Black"}              # the text: K alone


# -- footnotes ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def footnotes(book, proof):
    """note -> (page its call stands on, page its text opens on, page it ends on), read from
    the proof: pdftotext word sizes tell the notes at a page's foot from the text
    (tests/render/test_pdf_notes.py), and each note's whole text must be found
    there, in order, in one piece."""
    stream = footnote_stream(proof.path)
    flat, where = "", []
    for page, words in stream:
        where.append((len(flat), page))
        flat += normal(words)
    found_at, at = {}, 0
    for note in (n for n in book.notes if n.ref_ids):
        wanted = normal(note_text(note))
        found = flat.find(wanted[:40], at)
        assert found >= 0, f"note {note.mark} not at any page's foot: {note_text(note)[:60]!r}"
        assert flat[found:found + len(wanted)] == wanted, f"note {note.mark} cut short or mixed with another"
        start = max(p for offset, p in where if offset <= found)
        end = max(p for offset, p in where if offset <= found + len(wanted) - 1)
        opening = max(offset for offset, _ in where if offset <= found)
        first_on_page = flat[opening:found] == normal(note.mark)    # only its own mark before it
        found_at[note.mark] = (proof.anchors[note.ref_ids[0]], start, end, first_on_page)
        at = found + len(wanted)
    return found_at


def test_the_footnotes_are_all_at_the_foot_of_the_pages(book, proof, footnotes):
    assert "notes" not in proof.anchors                     # footnotes in print: no notes section
    assert len(footnotes) == len([n for n in book.notes if n.ref_ids]) >= 25
    numbered = [mark for mark in footnotes if mark != "*"]              # "*": the introduction's title note
    assert list(footnotes)[0] == "*"
    assert numbered == [str(n) for n in range(1, len(numbered) + 1)]     # continuous across the parts


def test_a_footnote_opens_on_its_calls_page_or_heads_the_next(footnotes):
    """A note that does not fit below its call's line takes the line with it
    (footnote-policy: line) or is cut into chunks; whatever the engine still
    carries to the next page's foot must come first there (none in this book
    since the chunks of two lines: the test below)."""
    late = {}
    for mark, (call, start, end, first) in footnotes.items():
        assert start in (call, call + 1), f"note {mark} opens on page {start}, called on page {call}"
        assert end <= start + 1, f"note {mark} runs from page {start} to {end}"
        if start == call + 1:
            assert first, f"note {mark}, carried to page {start}, is not the first note there"
            late[mark] = call
    assert len(late) <= 1, late


def test_every_footnote_opens_on_its_calls_page(footnotes):
    assert {m: (c, s) for m, (c, s, _, _) in footnotes.items() if s != c} == {}
