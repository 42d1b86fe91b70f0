"""A catalogue of malformed manuscripts.

Each case breaks a copy of the fixture in one way. The build must end with
one clear `path:line: CODE message`, exit status 1, no traceback, and the
previous output left exactly as it was.
"""

from __future__ import annotations

import io
import shutil
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
from PIL import Image

from pipeline.cli import main
from pipeline.render.pdf.fetcher import ConfinedFetcher, RefusedURL
from pipeline.render.pdf.gutter import Margins
from tests.conftest import FIXTURE

CH1 = "02-capitulo-uno.md"
CH2 = "03-capitulo-dos.md"


@dataclass
class Case:
    name: str
    breaks: Callable[[Path], None]
    file: str            # the file the message must name
    line: int | None     # its line (None: any)
    code: str
    strict: bool = False
    patch: dict | None = None   # "module.NAME": value, set for this case only (a limit made small)
    formats: str = "epub"


def edit(name: str, fn) -> Callable[[Path], None]:
    def apply(ms: Path):
        path = ms / name
        path.write_text(fn(path.read_text("utf-8")), "utf-8")
    return apply


def write(name: str, content) -> Callable[[Path], None]:
    def apply(ms: Path):
        path = ms / name
        path.parent.mkdir(parents=True, exist_ok=True)
        (path.write_bytes if isinstance(content, bytes) else lambda c: path.write_text(c, "utf-8"))(content)
    return apply


def append(name: str, text: str):
    return edit(name, lambda t: t + text)


def replace(name: str, old: str, new: str):
    return edit(name, lambda t: t.replace(old, new, 1))


def yaml_edit(old: str, new: str):
    return replace("book.yaml", old, new)


def refuse_images(self, url):
    """A fetcher that refuses the images folder: the layout asking for a file it may not read."""
    if "/images/" in url:
        raise RefusedURL(f"refused {url!r}: no such file")
    return CHECK(self, url)


def big_png() -> bytes:
    out = io.BytesIO()
    Image.new("L", (8000, 6000), 200).save(out, "PNG")
    return out.getvalue()


def bomb_png() -> bytes:
    """A tiny file that claims 50,000 × 50,000 pixels."""
    out = io.BytesIO()
    Image.new("1", (50_000, 50_000), 0).save(out, "PNG", optimize=True)
    return out.getvalue()


def nested_list(depth: int) -> str:
    return "\n".join("    " * i + f"- nivel {i}" for i in range(depth)) + "\n"


def printer_yaml(printer: str, **more):
    """book.yaml asks for the printer's files of `printer`, on PRINTER_LINE."""
    extra = "".join(f"  {key}: {value}\n" for key, value in more.items())
    settings = yaml_edit("notes:\n", f"print:\n  print_ready: true\n  printer: {printer}\n{extra}notes:\n")
    isbn = yaml_edit("978-84-0000-000-0", "978-84-0000-000-4")   # a valid one: the cover draws its barcode

    def apply(ms: Path):
        settings(ms)
        isbn(ms)
    return apply


def refuse_font(*args, **kwargs):
    raise ValueError("not an OpenType font")


def gradient(ms: Path) -> None:
    """The generic printer's files, and chapter two ending on an SVG figure drawing a linear gradient."""
    printer_yaml("generic")(ms)
    (ms / "degradado.svg").write_text(GRADIENT_SVG, "utf-8")
    append(CH2, "\n\n![Un degradado](degradado.svg)\n")(ms)


GRADIENT_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="600" height="150"><defs><linearGradient id="g">'
                '<stop offset="0" stop-color="#e06010"/><stop offset="1" stop-color="#1060c0"/></linearGradient>'
                '</defs><rect width="600" height="150" fill="url(#g)"/></svg>')


def refuse_math(tex, display=False):
    from pipeline.engines.ziamath import MathError

    raise MathError("AssertionError")


def refuse_colour(self, space, values):
    from pipeline.render.pdf.spaces import InkError

    raise InkError("a colour in the /DeviceN colour space; set it in sRGB or device-cmyk()")


PRINTER_LINE = (FIXTURE / "book.yaml").read_text("utf-8").splitlines().index("notes:") + 3
CH2_LINES = (FIXTURE / CH2).read_text("utf-8").count("\n")
YAML_LINES = (FIXTURE / "book.yaml").read_text("utf-8").count("\n")
CH1_LINES = (FIXTURE / CH1).read_text("utf-8").count("\n")
IMG = "\n![Una imagen](images/{})\n"
# a note holding a table no measure holds: L013 at the note's definition (its 4th line)
WIDE_NOTE = ("\nTexto[^ancha].\n\n[^ancha]: Una tabla:\n\n    | A | B |\n    |---|---|\n    | "
             + "Unbreakable" * 12 + " | x |\n")
CHECK = ConfinedFetcher.check

CASES = [
    Case("broken yaml", append("book.yaml", "contents: [\n"), "book.yaml", None, "M003"),
    Case("tab-indented yaml", yaml_edit("title: Cuaderno", "title:\tCuaderno\n\t- x"), "book.yaml", None, "M003"),
    Case("unknown key", append("book.yaml", "colour: red\n"), "book.yaml", YAML_LINES + 1, "M004"),
    Case("wrong type", yaml_edit('date: "2026-01-15"', "date: [2026]"), "book.yaml", 8, "M004"),
    Case("bad date", yaml_edit('date: "2026-01-15"', 'date: "enero"'), "book.yaml", 8, "M004"),
    Case("bad language", yaml_edit("language: es", "language: Español"), "book.yaml", 3, "M004"),
    Case("missing title", yaml_edit("title: Cuaderno de pruebas\n", ""), "book.yaml", 1, "M004"),
    Case("unknown role", yaml_edit("role: epigraph", "role: poem"), "book.yaml", 18, "M004"),
    Case("chapter without file", yaml_edit("{file: 03-capitulo-dos.md, role: chapter}", "{role: chapter}"),
         "book.yaml", 22, "M004"),
    Case("missing file", yaml_edit("03-capitulo-dos.md", "04-no-existe.md"), "book.yaml", 22, "M005"),
    Case("path outside the manuscript", yaml_edit("03-capitulo-dos.md", "../../etc/passwd"), "book.yaml", 22, "M006"),
    Case("symlink leaving the manuscript", lambda ms: (ms / "enlace.md").symlink_to("/etc/hostname") or
         yaml_edit("03-capitulo-dos.md", "enlace.md")(ms), "book.yaml", 22, "M006"),
    Case("file listed twice", yaml_edit("{file: 03-capitulo-dos.md", "{file: 02-capitulo-uno.md"),
         "book.yaml", 22, "M009"),
    Case("no manuscript folder", lambda ms: shutil.rmtree(ms), ".", None, "M001"),
    Case("pandoc cannot read", lambda ms: None, "00-epigrafe.md", 1, "P001",
         patch={"pipeline.read.READER": "no-such-format"}),
    Case("pandoc warns", append(CH1, "\n[ref]: http://example.org/a\n[ref]: http://example.org/b\n"), CH1,
         CH1_LINES + 3, "P006", strict=True),
    Case("no book.yaml", lambda ms: (ms / "book.yaml").unlink(), "book.yaml", None, "M002"),
    Case("book.yaml not UTF-8", lambda ms: (ms / "book.yaml").write_bytes(
         (FIXTURE / "book.yaml").read_bytes().replace(b"Ana Autora,", b"Ana \xff,")), "book.yaml", 5, "M007"),
    Case("chapter not UTF-8", write(CH2, "# Titulo\n\nUna l\xednea en latin-1.\n".encode("latin-1")), CH2, 3, "M007"),
    Case("binary chapter", write(CH2, b"# T\n\n\x00\x01\x02"), CH2, 3, "M012"),
    Case("empty chapter", write(CH2, "\n\n"), CH2, 1, "M008"),
    Case("undefined note", append(CH2, "\nOtra[^nada].\n"), CH2, CH2_LINES + 2, "N001"),
    Case("unused note", append(CH2, "\n[^sola]: Nadie me llama.\n"), CH2, CH2_LINES + 2, "N002"),
    Case("duplicate note", append(CH2, "\n[^1]: Otra vez.\n"), CH2, CH2_LINES + 2, "N003"),
    Case("note inside a note", replace(CH2, "[^1]: Nota citada dos veces.", "[^1]: Nota con otra[^2].\n[^2]: x"),
         CH2, 9, "N004"),
    Case("empty note", append(CH1, "\nFin[^vacia].\n\n[^vacia]:\n"), CH1, CH1_LINES + 2, "N006"),
    Case("10,000 notes in one chapter", append(CH2, "".join(f"\n\nN[^n{i}]." for i in range(10_000)) +
         "".join(f"\n[^n{i}]: x" for i in range(10_000)) + "\n"), CH2, 1, "N005"),
    Case("unbalanced emphasis", append(CH1, "\nUna *palabra sin cierre.\n"), CH1, CH1_LINES + 2, "P002"),
    Case("unclosed fenced div", append(CH1, "\n::: dateline\nMéxico, 1947\n"), CH1, CH1_LINES + 2, "P003"),
    Case("stray closing fence", append(CH1, "\nTexto.\n\n:::\n"), CH1, CH1_LINES + 4, "P007"),
    Case("10 MB paragraph", append(CH1, "\n" + "palabra " * 1_300_000 + "\n"), CH1, 1, "M011"),
    Case("300,000-character paragraph", append(CH1, "\n" + "largo " * 50_000 + "\n"), CH1, CH1_LINES + 2, "P004"),
    Case("deeply nested lists", append(CH1, "\n" + nested_list(40)), CH1, CH1_LINES + 41, "P005"),
    # nesting deeper than Python's JSON decoder or the AST's walks may recurse
    Case("400 nested lists", append(CH1, "\n" + nested_list(400)), CH1, CH1_LINES + 401, "P008"),
    Case("500 lists on one line", append(CH1, "\n" + "- " * 500 + "x\n"), CH1, CH1_LINES + 2, "P008"),
    Case("3,000 nested block quotes", append(CH1, "\n" + "> " * 3000 + "x\n"), CH1, CH1_LINES + 2, "P008"),
    Case("300 nested emphases", append(CH1, "\n" + "*_" * 300 + "x" + "_*" * 300 + "\n"), CH1, CH1_LINES + 2,
         "P008"),
    Case("200 nested divs", append(CH1, "\n" + "".join(":" * (300 - i) + " d\n\n" for i in range(200)) + "x\n\n"
         + "".join(":" * (101 + i) + "\n\n" for i in range(200))), CH1, None, "P008"),
    Case("block quotes 40 deep in a note", append(CH1, "\nFin[^hondo].\n\n[^hondo]: " + "> " * 40 + "x\n"),
         CH1, CH1_LINES + 4, "P008"),
    Case("a word of 49,000 letters", append(CH1, "\n" + "palabra" * 7000 + "\n"), CH1, CH1_LINES + 2, "P011"),
    Case("nested brackets", append(CH1, "\n" + "[" * 300 + "x" + "](u)" * 300 + "\n"), CH1, CH1_LINES + 2, "P009"),
    Case("pandoc too slow", lambda ms: None, "00-epigrafe.md", 1, "P010", patch={"pipeline.read.PANDOC_SECONDS": 1e-6}),
    Case("script tag", append(CH1, "\n<script>alert(1)</script>\n"), CH1, CH1_LINES + 2, "R001"),
    Case("onload attribute", append(CH1, "\nUn <b onload=\"x()\">texto</b>.\n"), CH1, CH1_LINES + 2, "R001"),
    Case("img of a local file", append(CH1, '\n<img src="file:///etc/passwd">\n'), CH1, CH1_LINES + 2, "R001"),
    Case("iframe", append(CH1, '\n<iframe src="http://example.org"></iframe>\n'), CH1, CH1_LINES + 2, "R001"),
    Case("javascript link", append(CH1, "\n[pulsa](javascript:alert(1))\n"), CH1, CH1_LINES + 2, "R002"),
    Case("missing image", append(CH1, IMG.format("nada.png")), CH1, CH1_LINES + 2, "I001"),
    Case("oversized image", lambda ms: write("images/enorme.png", big_png())(ms) or
         append(CH1, IMG.format("enorme.png"))(ms), CH1, CH1_LINES + 2, "I002"),
    Case("decompression bomb", lambda ms: write("images/bomba.png", bomb_png())(ms) or
         append(CH1, IMG.format("bomba.png"))(ms), CH1, CH1_LINES + 2, "I002"),
    Case("not an image", lambda ms: write("images/falsa.png", b"esto no es un PNG")(ms) or
         append(CH1, IMG.format("falsa.png"))(ms), CH1, CH1_LINES + 2, "I003"),
    Case("truncated image", lambda ms: write("images/rota.png", (FIXTURE / "images/rejas.png").read_bytes()[:120])(ms)
         or append(CH1, IMG.format("rota.png"))(ms), CH1, CH1_LINES + 2, "I003"),
    Case("image outside the manuscript", append(CH1, "\n![x](../../../etc/passwd)\n"), CH1, CH1_LINES + 2, "I004"),
    Case("file URL image", append(CH1, "\n![x](file:///etc/passwd)\n"), CH1, CH1_LINES + 2, "I004"),
    Case("remote image", append(CH1, "\n![x](http://example.org/a.png)\n"), CH1, CH1_LINES + 2, "I005"),
    Case("SVG with external reference", lambda ms: write("images/ext.svg",
         '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
         '<image xlink:href="http://example.org/x.png"/></svg>')(ms) or append(CH1, IMG.format("ext.svg"))(ms),
         CH1, CH1_LINES + 2, "I006"),
    Case("SVG with script", lambda ms: write("images/js.svg",
         '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')(ms) or
         append(CH1, IMG.format("js.svg"))(ms), CH1, CH1_LINES + 2, "I006"),
    Case("image without alt text", append(CH1, "\n![](images/rejas.png)\n"), CH1, CH1_LINES + 2, "I007",
         strict=True),
    # cross-references (issue 19): labels and references to them
    Case("reference to no label", append(CH1, "\nVéase @fig-nada.\n"), CH1, CH1_LINES + 2, "R003"),
    Case("page reference to no label", append(CH1, "\nVéase [p. @sec-nada].\n"), CH1, CH1_LINES + 2, "R003"),
    Case("label defined twice", lambda ms: append(CH1, "\n## Uno {#sec-uno}\n")(ms) or
         append(CH2, "\n## Otro {#sec-uno}\n")(ms), CH2, CH2_LINES + 2, "R004"),
    # equations (issue 19): TeX that Pandoc's texmath (the EPUB's MathML) or ziamath (print's SVG) cannot read
    Case("TeX math texmath cannot read", append(CH1, "\nUna fórmula $\\frac{a$ rota.\n"), CH1, CH1_LINES + 2, "R005"),
    Case("TeX math with an unknown command", append(CH1, "\nUna fórmula $\\nada x$.\n"), CH1, CH1_LINES + 2,
         "R005"),
    Case("TeX math ziamath cannot draw", append(CH1, "\nUna fórmula $x^2$.\n"), CH1, CH1_LINES + 2, "R005",
         patch={"pipeline.transforms.equations.draw": refuse_math}),
    Case("reference to no equation", append(CH1, "\n$$ x = 1 $$ {#eq-uno}\n\nVéase @eq-dos.\n"), CH1,
         CH1_LINES + 4, "R003"),
    Case("equation label defined twice", append(CH1, "\n$$ x = 1 $$ {#eq-uno}\n\n$$ y = 2 $$ {#eq-uno}\n"), CH1,
         CH1_LINES + 4, "R004"),
    Case("labelled figure without alt text", append(CH1, "\n![Rejas.](images/rejas.png){#fig-rejas}\n"), CH1,
         CH1_LINES + 2, "I007", strict=True),
    Case("unknown acronym", append(CH1, "\nLa OGPU llegó.\n"), CH1, CH1_LINES + 2, "A001", strict=True),
    Case("register entry never used", append("abbreviations.yaml", "- term: POUM\n  expansion: Partido Obrero\n"),
         "abbreviations.yaml", 5, "A002", strict=True),
    Case("register entry without expansion", append("abbreviations.yaml", "- term: POUM\n"),
         "abbreviations.yaml", 5, "M004"),
    # book.yaml values of the wrong kind, every one validated before the layout sees it
    Case("trim width not a length", yaml_edit("notes:\n", "print:\n  trim: {width: ancho}\nnotes:\n"),
         "book.yaml", 15, "M004"),
    Case("negative bleed", yaml_edit("notes:\n", "print:\n  bleed: -3mm\nnotes:\n"), "book.yaml", 15, "M004"),
    Case("trim of zero", yaml_edit("notes:\n", "print:\n  trim: {height: 0mm}\nnotes:\n"), "book.yaml", 15, "M004"),
    Case("huge page multiple", yaml_edit("notes:\n", "print:\n  page_multiple: 100000000000000000000\nnotes:\n"),
         "book.yaml", 15, "M004"),
    Case("infinite paper", yaml_edit("notes:\n", "print:\n  paper: {ppi: .inf}\nnotes:\n"), "book.yaml", 15, "M004"),
    Case("book.yaml a list", write("book.yaml", "- title\n"), "book.yaml", 1, "M004"),
    Case("book.yaml empty", write("book.yaml", "\n"), "book.yaml", 1, "M004"),
    Case("YAML alias bomb", append("book.yaml", "x: &a [1, 1, 1]\ny: [*a, *a, *a]\n"), "book.yaml", YAML_LINES + 1,
         "M013"),
    Case("cover outside the manuscript", append("book.yaml", "cover: ../../../etc/passwd\n"), "book.yaml",
         YAML_LINES + 1, "M010"),
    Case("cover not an image", append("book.yaml", f"cover: {CH1}\n"), "book.yaml", YAML_LINES + 1, "M010"),
    Case("abbreviation of the wrong type", append("abbreviations.yaml", "- term: 1936\n  expansion: Un año\n"),
         "abbreviations.yaml", 5, "M004"),
    Case("names.yaml not a list", write("names.yaml", "Gorkin: Julián\n"), "names.yaml", 1, "M004"),
    # names.yaml: cross-references followed to their end
    Case("see cycle", append("names.yaml", "- name: Uno, Ana\n  see: Dos, Eva\n- name: Dos, Eva\n  see: Uno, Ana\n"),
         "names.yaml", 10, "X006"),
    Case("see itself", append("names.yaml", "- name: Uno, Ana\n  see: Uno, Ana\n"), "names.yaml", 10, "X006"),
    Case("under cycle", append("names.yaml", "- name: Uno, Ana\n  under: Dos, Eva\n- name: Dos, Eva\n"
                               "  under: Uno, Ana\n"), "names.yaml", 10, "X006"),
    Case("see to a see", append("names.yaml", "- name: Uno, Ana\n  see: Gómez García, Julián\n"), "names.yaml", 10,
         "X007", strict=True),
    Case("see also to no entry", append("names.yaml", "- name: Uno, Ana\n  see_also: Nadie\n"), "names.yaml", 10,
         "X003"),
    Case("empty variant", append("names.yaml", "- name: Uno, Ana\n  variants: ['']\n"), "names.yaml", 11, "M004"),
    Case("blank abbreviation variant",
         append("abbreviations.yaml", "- term: POUM\n  expansion: P\n  variants: [' ']\n"), "abbreviations.yaml", 7,
         "M004"),
    Case("heading listed twice", append("names.yaml", "- name: Sartre, Jean-Paul\n"), "names.yaml", 10, "X004"),
    Case("variant claimed twice", lambda ms: append("names.yaml", "- name: Otro, Sartre\n  variants: [Sartre]\n")(ms)
         or write("ignore.yaml", "- {code: X001, match: Otro, reason: mentioned as Sartre}\n")(ms),
         "names.yaml", 10, "X002", strict=True),
    Case("name never mentioned", append("names.yaml", "- name: Nadie, Nemo\n  variants: [Nemo Nadie]\n"),
         "names.yaml", 10, "X001", strict=True),
    Case("name key not in the register", append(CH1, "\nVino [el otro]{.name key=\"Nadie, Nemo\"}.\n"),
         CH1, CH1_LINES + 2, "X005"),
    # print
    Case("a character no face has", append(CH2, "\nUna cara sonriente 😀.\n"), CH2, CH2_LINES + 2, "F001",
         formats="pdf"),
    Case("print ISBN not an ISBN", yaml_edit("notes:\n", "print:\n  print_ready: true\nnotes:\n"), "book.yaml", 11,
         "F002", strict=True, formats="pdf"),
    # the layout: failures of the engine no manuscript is known to cause, injected
    Case("pagination never settles", lambda ms: None, "book.yaml", 24, "L001", formats="pdf",
         patch={"pipeline.render.pdf.MAX_PASSES": 0}),
    Case("footnote lost", yaml_edit("print: endnotes", "print: footnotes"), CH1, None, "L002", formats="pdf",
         patch={"pipeline.render.pdf.layout.anchors": lambda document: {}}),
    Case("layout reads a refused file", lambda ms: None, CH2, None, "L003", formats="pdf",
         patch={"pipeline.render.pdf.fetcher.ConfinedFetcher.check": refuse_images}),
    Case("a table too wide for the text block", append(CH2, "\n| A | B |\n|---|---|\n| " + "Unbreakable" * 12
                                                          + " | x |\n"), CH2, CH2_LINES + 2, "L013", formats="pdf"),
    Case("a table too wide in an endnote", append(CH2, WIDE_NOTE), CH2, CH2_LINES + 4, "L013", formats="pdf"),
    Case("a table too wide in a footnote", lambda ms: yaml_edit("  print: endnotes", "  print: footnotes")(ms)
         or append(CH2, WIDE_NOTE)(ms), CH2, CH2_LINES + 4, "L013", formats="pdf"),
    Case("ignore entry without reason", write("ignore.yaml", "- code: A001\n  match: OGPU\n"),
         "ignore.yaml", 1, "M004"),
    # what the printer named in book.yaml would refuse (print.printer's line)
    Case("kdp below 24 pages", printer_yaml("kdp"), "book.yaml", PRINTER_LINE, "L004", formats="pdf"),
    Case("outside margin too narrow for kdp's gutter", printer_yaml("kdp", page_multiple=8), "book.yaml",
         PRINTER_LINE, "L005", formats="pdf",
         patch={"pipeline.render.pdf.gutter.book_margins": lambda *args: Margins(inside=5.0, outside=5.0)}),
    Case("a standard the pipeline does not write", printer_yaml("generic"), "book.yaml", PRINTER_LINE, "L006",
         formats="pdf", patch={"pipeline.printers.WRITTEN": frozenset()}),
    Case("transparency in a PDF/X-1a interior", printer_yaml("ingramspark"), "book.yaml", PRINTER_LINE, "L007",
         formats="pdf", patch={"pipeline.render.pdf.pdfx1a.transparent": lambda state: "an opacity of 0.5"}),
    Case("cover ink over the printer's limit", printer_yaml("ingramspark"), "book.yaml", PRINTER_LINE, "L008",
         formats="pdf", patch={"pipeline.render.pdf.cmyk.ink_of": lambda cmyk: 300.0}),
    # a gradient the printer's colours cannot hold (WeasyPrint 70 draws only axial and radial ones, which
    # are converted: the types converted made none), at the chapter holding it; the same on the cover
    Case("a gradient not converted", gradient, CH2, None, "L011", formats="pdf",
         patch={"pipeline.render.pdf.spaces.CONVERTED": ()}),
    Case("a cover colour not converted", printer_yaml("generic"), "book.yaml", PRINTER_LINE, "L012",
         formats="pdf", patch={"pipeline.render.pdf.cmyk.Separator.convert": refuse_colour}),
    Case("a font PDF 1.3 cannot hold", printer_yaml("ingramspark"), "book.yaml", PRINTER_LINE, "L009",
         formats="pdf", patch={"pipeline.render.pdf.pdfx1a.TTFont": refuse_font}),
]


@pytest.fixture(scope="module")
def previous(tmp_path_factory) -> Path:
    """An output folder holding a good build, to be left untouched."""
    out = tmp_path_factory.mktemp("previous")
    assert main(["build", str(FIXTURE), "-o", str(out), "--format", "epub", "-q"]) == 0
    return out


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def test_catalogue_is_large_enough():
    assert len(CASES) >= 40 and len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_malformed_manuscript(case: Case, tmp_path, previous, capsys, monkeypatch):
    for name, value in (case.patch or {}).items():
        monkeypatch.setattr(name, value)
    ms = shutil.copytree(FIXTURE, tmp_path / "ms")
    case.breaks(ms)
    out = tmp_path / "out"
    shutil.copytree(previous, out, ignore=shutil.ignore_patterns(".cache"))
    before = snapshot(out)
    args = ["build", str(ms), "-o", str(out), "--format", case.formats, "-q"] + (["--strict"] if case.strict else [])
    status = main(args)
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert status == 1
    assert len(lines) == 1, lines
    where = f"{ms / case.file}:{case.line}: " if case.line else f"{ms / case.file}:"
    assert lines[0].startswith(where) and f" {case.code} " in lines[0], lines[0]
    assert snapshot(out) == before
