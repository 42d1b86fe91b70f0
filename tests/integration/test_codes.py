"""Every diagnostic code is produced by some fixture, through the real command.

As Standard Ebooks proves each of its lint codes: a table maps each code to a
minimal input that triggers it; the input goes through `python -m pipeline`
(in-process), and the code must appear in what it prints. A code defined in
pipeline/diagnostics.py without an entry here fails `test_every_code_has_a_fixture`.

The manuscript codes (M, P, N, R, I, A, X, L, F) are the catalogue of
malformed manuscripts (test_malformed.py); this file adds the other commands:
`diff` (D), `check pdf` (C), `import` (T) and the build's snapshot (S). A few failures no input is known
to cause (git failing half-way, a layout that never settles) are injected with
monkeypatch, the trigger named beside them.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pikepdf
import pytest

from pipeline.cli import main
from pipeline.diagnostics import CODES
from pipeline.render.pdf.fonts import NotShared
from tests.conftest import FIXTURE
from tests.integration.test_malformed import CASES as MANUSCRIPT_CASES
from tests.typeset import openings, typeset


@dataclass
class Trigger:
    code: str
    args: Callable[[Path], list]        # tmp folder -> the command's arguments (after making its inputs)
    patch: dict | None = None           # "module.NAME": value, for failures injected
    status: int | None = None           # the exit status, when it is not simply "not 0" (a warning)


# -- diff ----------------------------------------------------------------------

def _git(where: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(where), "-c", "user.name=t", "-c", "user.email=t@t", *args],
                   check=True, capture_output=True)


REPO: list[Path] = []    # the manuscript folder of the `repo` fixture, for the revision triggers


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """Three commits: no manuscript yet; a manuscript that does not build; a symlink added."""
    root = tmp_path_factory.mktemp("repo")
    _git(root, "init", "-q")
    (root / "README").write_text("x\n")
    _git(root, "add", ".")
    _git(root, "commit", "-qm", "1")
    shutil.copytree(FIXTURE, root / "ms")
    (root / "ms" / "03-capitulo-dos.md").write_text("# Dos\n\nUna llamada[^falta].\n", "utf-8")
    _git(root, "add", ".")
    _git(root, "commit", "-qm", "2")
    (root / "ms" / "enlace.md").symlink_to("/etc/hostname")
    _git(root, "add", ".")
    _git(root, "commit", "-qm", "3")
    REPO[:] = [root / "ms"]
    return root / "ms"


def diff(*positional, manuscript: Path | None = None):
    def args(tmp: Path) -> list:
        ms = manuscript or tmp
        return ["diff", "--format", "text", "--output", tmp / "out", "--manuscript", ms, "--", *positional]
    return args


def snapshot_dir(tmp: Path, manifest, files=None) -> Path:
    folder = tmp / "snap"
    folder.mkdir(exist_ok=True)
    for name, data in (files or {"text/c.txt": "# I\n\nUn párrafo.\n"}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data if isinstance(data, bytes) else data.encode())
    (folder / "manifest.json").write_text(manifest if isinstance(manifest, str) else json.dumps(manifest))
    return folder


def snap(manifest, files=None):
    def args(tmp: Path) -> list:
        folder = snapshot_dir(tmp, manifest, files)
        return diff(folder, folder)(tmp)
    return args


def epub(members: dict[str, bytes] | bytes, name: str = "a.epub"):
    def args(tmp: Path) -> list:
        path = tmp / name
        if isinstance(members, bytes):
            path.write_bytes(members)
        else:
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
                for member, data in members.items():
                    zf.writestr(member, data)
        return diff(path, path)(tmp)
    return args


CONTAINER = (b'<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
             b'<rootfile full-path="p.opf"/></rootfiles></container>')
OPF = (b'<package xmlns="http://www.idpf.org/2007/opf"><manifest><item id="c" href="c.xhtml" '
       b'media-type="application/xhtml+xml"/></manifest><spine><itemref idref="c"/></spine></package>')


def pdf_file(tmp: Path, name: str = "a.pdf", pages: int = 1) -> Path:
    doc = pikepdf.new()
    for _ in range(pages):
        doc.add_blank_page(page_size=(200, 300))
    doc.save(tmp / name)
    return tmp / name


def pdfs(pages: int = 1):
    def args(tmp: Path) -> list:
        path = pdf_file(tmp, pages=pages)
        return diff(path, path)(tmp)
    return args


def raising(exc: Exception):
    def fail(*args, **kwargs):
        raise exc
    return fail


def git_failing(command: str, result: Callable):
    """inputs._git, with `command` answered by `result(args)` as a broken git would."""
    from pipeline.diff import inputs

    real = inputs._git

    def fake(where, *args, stdin=None):
        return result(args) if command in args else real(where, *args, stdin=stdin)
    return fake


def revision(*revs: str):
    def args(tmp: Path) -> list:
        return diff(*revs, manuscript=REPO[0])(tmp)
    return args


DIFF = [
    Trigger("D001", diff()),
    Trigger("D002", diff("-x", "HEAD")),
    Trigger("D003", diff("no-such-thing", "HEAD")),
    Trigger("D004", snap({"parts": [{"id": "c", "role": "chapter", "file": "text/c.txt"}]},
                         {"text/c.txt": b"\xff\xfe"})),
    Trigger("D005", snap("{not json")),
    Trigger("D006", snap([])),
    Trigger("D007", snap({"parts": [{"id": "c", "role": "chapter", "file": "../secret.txt"}]})),
    Trigger("D008", revision("HEAD~1", "HEAD~1")),
    Trigger("D009", diff("HEAD", "HEAD"), {"pipeline.diff.inputs.git_commit": lambda ms, rev: "0" * 40}),
    Trigger("D010", revision("HEAD~2", "HEAD")),
    Trigger("D011", revision("HEAD", "HEAD")),
    Trigger("D012", pdfs(), {"pipeline.diff.pdf.MAX_BYTES": 10}),
    Trigger("D013", revision("HEAD~1", "HEAD~1"),
            {"pipeline.diff.inputs._git": "git cat-file fails"}),
    Trigger("D014", revision("HEAD~1", "HEAD~1"),
            {"pipeline.diff.inputs._git": "git cat-file finds no object"}),
    Trigger("D015", diff("a.pdf", "b.pdf"),
            {"pipeline.diff.inputs.resolve": raising(FileNotFoundError(2, "No such file", "a.pdf"))}),
    Trigger("D016", epub(b"not a zip")),
    Trigger("D017", epub({"a": b"1", "b": b"2"}), {"pipeline.diff.epub.MAX_MEMBERS": 1}),
    Trigger("D018", epub({"../evil": b"x"})),
    Trigger("D019", epub({"mimetype": b"application/epub+zip", "EPUB/a.xhtml": bytes(20 * 2**20)})),
    Trigger("D020", epub({"META-INF/container.xml": b"<container"})),
    Trigger("D021", epub({"mimetype": b"application/epub+zip"})),
    Trigger("D022", epub({"META-INF/container.xml": b'<container xmlns="urn:oasis:names:tc:opendocument:'
                                                    b'xmlns:container"/>'})),
    Trigger("D023", epub({"META-INF/container.xml": CONTAINER, "p.opf": OPF,
                          "c.xhtml": b'<html xmlns="http://www.w3.org/1999/xhtml"/>'})),
    Trigger("D024", (lambda tmp: (tmp / "f.pdf").write_bytes(b"%PDF-1.7 nothing") and
                         diff(tmp / "f.pdf", tmp / "f.pdf")(tmp))),
    Trigger("D025", pdfs(3), {"pipeline.diff.pdf.MAX_PAGES": 2}),
    Trigger("D026", (lambda tmp: diff(pdf_file(tmp), snapshot_dir(tmp, {"parts": []}))(tmp))),
    Trigger("D027", diff("a.pdf", "b.pdf"), {"pipeline.diff.inputs.resolve": raising(RuntimeError("boom"))}),
]


def _broken_git(kind: str):
    if kind == "git cat-file fails":
        return git_failing("cat-file", lambda args: subprocess.CompletedProcess(args, 1, b"", b""))
    return git_failing("cat-file", lambda args: subprocess.CompletedProcess(args, 0, b"0000 missing\n", b""))


# -- check pdf -------------------------------------------------------------------

W, H = 420, 595      # points; no TrimBox: positions are the MediaBox's
FULL, INDENTED, SHORT = 50, 48, 20    # Courier 10 pt: 6 points a character


def words(count: int, end: str = "") -> str:
    text = ("abcd " * 20)[:count - 1 - len(end)] + "x" + end
    return text.replace(" x", "xx") if text.endswith(" x") else text


def body(*kinds: str) -> list[tuple[float, str]]:
    """Lines of running text: (x, text) by kind: full, indented, short, hyphen."""
    made = {"full": (60, words(FULL)), "indented": (72, words(INDENTED)), "short": (60, words(SHORT)),
            "hyphen": (60, words(FULL, "-"))}
    return [made[k] for k in kinds]


def text_pdf(path: Path, pages: list[tuple[str | None, list]]) -> Path:
    """One page per (running head or None, body lines: (x, text) or (x, text, word spacing in points)),
    set in Courier, not embedded."""
    doc = pikepdf.new()
    font = doc.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Courier))
    for head, lines in pages:
        rows = ([(60, 40, head, 0)] if head else []) + [(x, 100 + 14 * i, t, tw) for i, (x, t, tw) in
                                                       enumerate((*line, 0)[:3] for line in lines)]
        ops = "".join(f"BT /F1 10 Tf {tw} Tw {x} {H - y} Td ({t}) Tj ET\n" for x, y, t, tw in rows)
        page = doc.add_blank_page(page_size=(W, H))
        page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        page.obj.Contents = doc.make_stream(ops.encode())
    doc.docinfo["/Title"] = "T"
    doc.save(path)
    return path


# pages: 1 a ladder, an orphan at its foot; 2 and 3 open on a widow; 3 a head glued to its
# folio; 4 a folio and no head; 5 text and no folio.
PAGES = [
    ("Libro 1", body("indented", "hyphen", "hyphen", "hyphen", "full", "indented")),
    ("Libro 2", body("short", "indented", "full", "full")),
    ("Libro3", body("short", "indented", "full", "short")),
    ("4", body("indented", "full", "full", "short")),
    (None, body("indented", "full", "full", "short")),
]

# The finish (preflight/finish.py): page 1, a recto, ends on a hyphen; page 2 holds a loose line
# (spaces 7 points wider than the short lines', 13 points in all) and ends on a centred heading;
# page 3 holds a line a character (6 points) longer than the measure.
LOOSE_LINE = (60, "abcdefg " + "abcd " * 6 + "abcx", 7)   # 35 characters and 7 spaces of 13 points: a full line
CENTRED_LINE = (60 + (FULL - 10) * 3, "Capitulo x")   # 10 characters in the middle of the measure
FINISH = [
    ("Libro 1", body("indented", "full", "full", "short", "short", "short", "short", "short", "hyphen")),
    ("Libro 2", body("indented", "full", "full", "short", "short", "short") + [LOOSE_LINE, CENTRED_LINE]),
    ("Libro 3", body("full", "full", "full", "short") + [(60, words(FULL + 1))]),
]


def check_pdf(make: Callable[[Path], Path], *extra, cover: Callable[[Path], Path] | None = None):
    def args(tmp: Path) -> list:
        more = ["--cover", cover(tmp)] if cover else []
        return ["check", "pdf", make(tmp), *more, *extra]
    return args


def boxed(tmp: Path, name="b.pdf", pages=1, media=(0, 0, W, H), trim=None, bleed=None, pdfx=False,
          intent=False, size=(W, H)) -> Path:
    doc = pikepdf.new()
    for n in range(pages):
        page = doc.add_blank_page(page_size=size if n == 0 else (size[0] + 10, size[1]))
        page.obj.MediaBox = pikepdf.Array(media if n == 0 else (0, 0, size[0] + 10, size[1]))
        if trim:
            page.obj.TrimBox = pikepdf.Array(trim)
        if bleed:
            page.obj.BleedBox = pikepdf.Array(bleed)
    if pdfx:
        with doc.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["{http://www.npes.org/pdfx/ns/id/}GTS_PDFXVersion"] = "PDF/X-4"
    if intent:
        doc.Root.OutputIntents = pikepdf.Array([pikepdf.Dictionary(S=pikepdf.Name("/GTS_PDFX"))])
    doc.save(tmp / name)
    return tmp / name


def drawn(tmp: Path, content: bytes, name: str = "d.pdf") -> Path:
    doc = pikepdf.new()
    page = doc.add_blank_page(page_size=(W, H))
    page.obj.Contents = doc.make_stream(content)
    doc.docinfo["/Title"] = "T"
    doc.save(tmp / name)
    return tmp / name


def printer_book(tmp: Path, printer: str, interior: str = "bw") -> Path:
    """The fixture's manuscript with book.yaml's printer (and interior) set."""
    ms = shutil.copytree(FIXTURE, tmp / f"ms-{printer}-{interior}")
    yaml = ms / "book.yaml"
    yaml.write_text(yaml.read_text("utf-8") + f"print:\n  printer: {printer}\n  interior: {interior}\n", "utf-8")
    return ms


def bad_x1a(tmp: Path) -> Path:
    """Claims PDF/X-1a:2001 in Info, yet PDF 1.7, no GTS_PDFXVersion, no output intent, no boxes, a
    JPEG 2000 stream, a half-transparent state, an RGB fill and an OpenType font program."""
    doc = pikepdf.new()
    page = doc.add_blank_page(page_size=(W, H))
    page.obj.Contents = doc.make_stream(b"/G gs 1 0 0 rg 10 10 50 50 re f")
    jpx = pikepdf.Stream(doc, b"")
    jpx.write(b"\x00\x00\x00\x0cjP  ", filter=pikepdf.Name.JPXDecode)   # qpdf cannot decode it: kept as is
    program = doc.make_stream(b"OTTO")
    program.Subtype = pikepdf.Name.OpenType
    font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0, BaseFont=pikepdf.Name("/F"),
                              DescendantFonts=[pikepdf.Dictionary(FontDescriptor=pikepdf.Dictionary(
                                  FontFile3=program))])
    page.obj.Resources = pikepdf.Dictionary(ExtGState=pikepdf.Dictionary(G=pikepdf.Dictionary(ca=0.5)),
                                            Font=pikepdf.Dictionary(F=font), XObject=pikepdf.Dictionary())
    doc.Root.Extra = jpx
    doc.docinfo["/GTS_PDFXConformance"] = "PDF/X-1a:2001"
    doc.save(tmp / "x1a.pdf", force_version="1.7", stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return tmp / "x1a.pdf"


def x1a_cover(tmp: Path) -> Path:
    """A cover that claims PDF/X-1a and lays 400 % of ink."""
    path = drawn(tmp, b"1 1 1 1 k 0 0 100 100 re f", "cover.pdf")
    with pikepdf.open(path, allow_overwriting_input=True) as doc:
        doc.docinfo["/GTS_PDFXConformance"] = "PDF/X-1a:2001"
        doc.save(path)
    return path


def pictured(tmp: Path, pixels: int, points: float) -> Path:
    """A gray image of `pixels` square drawn `points` wide."""
    doc = pikepdf.new()
    page = doc.add_blank_page(page_size=(W, H))
    image = pikepdf.Stream(doc, bytes(pixels * pixels), Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image,
                           Width=pixels, Height=pixels, ColorSpace=pikepdf.Name.DeviceGray, BitsPerComponent=8)
    page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
    page.obj.Contents = doc.make_stream(f"q {points} 0 0 {points} 50 50 cm /Im0 Do Q".encode())
    doc.save(tmp / "image.pdf")
    return tmp / "image.pdf"


FACE = Path(__file__).resolve().parents[2] / "styles" / "fonts" / "EBGaramond12-Regular.otf"


def fonted(tmp: Path, programs: list[bytes], widths=None) -> Path:
    """A page using one CID font per program, all named ABCDEF+Face (one subset tag)."""
    doc = pikepdf.new()
    page = doc.add_blank_page(page_size=(W, H))
    fonts = {}
    for n, data in enumerate(programs):
        program = doc.make_stream(data)
        program.Subtype = pikepdf.Name.OpenType
        cid = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.CIDFontType0,
                                 BaseFont=pikepdf.Name("/ABCDEF+Face"), CIDToGIDMap=pikepdf.Name.Identity,
                                 W=pikepdf.Array(widths or [1, [500]]),
                                 FontDescriptor=pikepdf.Dictionary(FontFile3=program))
        fonts[f"/F{n}"] = doc.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0, BaseFont=pikepdf.Name("/ABCDEF+Face"),
            Encoding=pikepdf.Name("/Identity-H"), DescendantFonts=[cid]))
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(fonts))
    page.obj.Contents = doc.make_stream(b"".join(f"BT /F{n} 10 Tf (a) Tj ET ".encode() for n in range(len(fonts))))
    doc.save(tmp / "fonts.pdf")
    return tmp / "fonts.pdf"


MM = 72 / 25.4
PRINTER = dict(media=(0, 0, W + 20, H + 20), trim=(10, 10, W + 10, H + 10), bleed=(9, 9, W + 11, H + 11))

PREFLIGHT = [
    Trigger("C001", check_pdf(lambda tmp: boxed(tmp, pages=2))),
    Trigger("C002", check_pdf(lambda tmp: boxed(tmp, trim=(0, 0, W, H), bleed=(10, 10, 100, 100)))),
    Trigger("C003", check_pdf(lambda tmp: boxed(tmp, bleed=(-10, -10, W + 10, H + 10)))),
    Trigger("C004", check_pdf(lambda tmp: boxed(tmp), "--book", FIXTURE)),
    Trigger("C005", check_pdf(lambda tmp: boxed(tmp, pdfx=True))),
    Trigger("C006", check_pdf(lambda tmp: boxed(tmp, pdfx=True, **PRINTER))),
    Trigger("C007", check_pdf(lambda tmp: text_pdf(tmp / "t.pdf", PAGES))),
    Trigger("C008", check_pdf(lambda tmp: text_pdf(tmp / "t.pdf", PAGES))),
    Trigger("C009", check_pdf(lambda tmp: text_pdf(tmp / "t.pdf", PAGES))),
    Trigger("C010", check_pdf(lambda tmp: boxed(tmp), "--pages-multiple", "2")),
    Trigger("C011", check_pdf(lambda tmp: boxed(tmp, pdfx=True, **PRINTER))),
    Trigger("C012", check_pdf(lambda tmp: boxed(tmp), cover=lambda tmp: boxed(tmp, "cover.pdf"))),
    Trigger("C013", check_pdf(lambda tmp: boxed(tmp))),
    Trigger("C014", check_pdf(lambda tmp: text_pdf(tmp / "t.pdf", PAGES))),
    Trigger("C015", check_pdf(lambda tmp: text_pdf(tmp / "t.pdf", PAGES))),
    Trigger("C016", check_pdf(lambda tmp: text_pdf(tmp / "t.pdf", PAGES))),
    Trigger("C017", check_pdf(lambda tmp: text_pdf(tmp / "t.pdf", PAGES))),
    Trigger("C018", check_pdf(lambda tmp: text_pdf(tmp / "t.pdf", PAGES))),
    Trigger("C019", check_pdf(lambda tmp: text_pdf(tmp / "t.pdf", PAGES))),
    Trigger("C020", check_pdf(lambda tmp: text_pdf(tmp / "t.pdf", PAGES))),
    Trigger("C021", check_pdf(lambda tmp: boxed(tmp), cover=lambda tmp: boxed(tmp, "cover.pdf", pages=2))),
    Trigger("C022", check_pdf(lambda tmp: boxed(tmp), cover=lambda tmp: boxed(tmp, "cover.pdf"))),
    Trigger("C023", check_pdf(lambda tmp: boxed(tmp), cover=lambda tmp: boxed(tmp, "cover.pdf", **PRINTER))),
    Trigger("C024", check_pdf(lambda tmp: (tmp / "f.pdf").write_bytes(b"not a PDF") and tmp / "f.pdf")),
    # a black-and-white interior (book.yaml: kdp, bw) drawn in red: its operators and its separations
    Trigger("C025", lambda tmp: ["check", "pdf", drawn(tmp, b"1 0 0 rg 100 100 200 200 re f"), "--book",
                                 printer_book(tmp, "kdp")]),
    Trigger("C026", lambda tmp: ["check", "pdf", drawn(tmp, b"1 0 0 rg 100 100 200 200 re f"), "--book",
                                 printer_book(tmp, "kdp")]),
    # a colour interior (book.yaml: kdp, color) drawn in RGB, where the printer's file must be CMYK
    Trigger("C045", lambda tmp: ["check", "pdf", drawn(tmp, b"1 0 0 rg 100 100 200 200 re f"), "--book",
                                 printer_book(tmp, "kdp", "color")]),
    # a colour interior (book.yaml: kdp, color) laying 400 % of ink, over KDP's 300 %
    Trigger("C046", lambda tmp: ["check", "pdf", drawn(tmp, b"1 1 1 1 k 100 100 200 200 re f"), "--book",
                                 printer_book(tmp, "kdp", "color")]),
    # PDF/X-1a (book.yaml: ingramspark): a file that does not claim it; one that claims it, wrong every way
    Trigger("C027", lambda tmp: ["check", "pdf", boxed(tmp), "--book", printer_book(tmp, "ingramspark")]),
    *[Trigger(code, check_pdf(bad_x1a)) for code in ("C028", "C029", "C030", "C031", "C032", "C033", "C034",
                                                      "C035")],
    Trigger("C036", lambda tmp: ["check", "pdf", boxed(tmp), "--cover", x1a_cover(tmp), "--book",
                                 printer_book(tmp, "ingramspark")]),
    # margins (book.yaml: kdp): one page, its text 5 pt from the spine and 4 pt from the outer edge
    *[Trigger(code, lambda tmp: ["check", "pdf", text_pdf(tmp / "m.pdf", [(None, [(5, "abc"), (380, "abcdef")])]),
                                 "--book", printer_book(tmp, "kdp")]) for code in ("C037", "C038", "C041")],
    # font programs: two under one tag, a face embedded twice, a glyph its program lacks
    Trigger("C039", check_pdf(lambda tmp: pictured(tmp, pixels=10, points=100))),      # 7 ppi
    Trigger("C040", check_pdf(lambda tmp: pictured(tmp, pixels=100, points=30))),      # 240 ppi
    # the finish: a loose line, a hyphen across a recto's turn, a heading at a page's foot
    *[Trigger(code, check_pdf(lambda tmp: text_pdf(tmp / "t.pdf", FINISH))) for code in ("C042", "C043", "C044", "C047")],
    # a call and closing rayas put at lines' starts, in the face's superior figures (laid out by WeasyPrint)
    *[Trigger(code, check_pdf(lambda tmp: typeset(tmp / "o.pdf", openings(cut=True)))) for code in ("C048", "C049")],
    Trigger("F101", check_pdf(lambda tmp: fonted(tmp, [b"one program", b"another program"]))),
    Trigger("F102", check_pdf(lambda tmp: fonted(tmp, [b"one program", b"another program"]))),
    Trigger("F103", check_pdf(lambda tmp: fonted(tmp, [FACE.read_bytes()], widths=[99999, [500]]))),
]


# -- import ----------------------------------------------------------------------

def profile(tmp: Path, register: str | None = None, structure: str | None = None, **files: str) -> Path:
    """A small profile: the source's first line is a one-entry list of abbreviations.
    `files`: other profile files by stem (titles="...", repair="...")."""
    folder = tmp / "profile"
    folder.mkdir(exist_ok=True)
    (folder / "structure.yaml").write_text(structure or (
        "book: {title: T}\nparts:\n  - {layout: abbreviations, title: Abreviaturas, lines: [1, 1]}\n"))
    if register is not None:
        (folder / "register.yaml").write_text(register)
    for stem, text in files.items():
        (folder / f"{stem}.yaml").write_text(text)
    return folder


def imported(register: str | None = None, structure: str | None = None, corrections: str | None = None,
             source: bytes = b"pc: Partido comunista.\n", name: str | None = None, **files: str):
    def args(tmp: Path) -> list:
        (tmp / "source.txt").write_bytes(source)
        (tmp / "ms").mkdir(exist_ok=True)
        if corrections is not None:
            (tmp / "ms" / "corrections.yaml").write_text(corrections)
        chosen = name if name is not None else profile(tmp, register, structure, **files)
        return ["import", tmp / "source.txt", "-o", tmp / "ms", "--profile", chosen, "--report", tmp / "r.md"]
    return args


HEADING = ("book: {title: T}\nparts:\n  - {file: c.md, title: Capítulo, lines: [1, 2], "
           "heading_lines: [1, 1]}\n")

IMPORT = [
    Trigger("T001", imported(name="no-such-profile")),
    Trigger("T002", imported(source=b"\xff\xfe no UTF-8\n")),
    Trigger("T003", imported(corrections="- {where: 1, from: a}\n")),
    Trigger("T004", imported(corrections="- {where: 99, from: a, to: b}\n")),
    Trigger("T005", imported(structure=HEADING, source=b"Otra cosa\ntexto\n")),
    Trigger("T006", imported(name="")),
    Trigger("T007", imported(corrections="- {where: 1, from: zzz, to: b}\n")),
    Trigger("T008", imported(register="extra: 1\n")),
    Trigger("T009", imported(register="fix: {ZZZ: {term: X, why: w}}\n")),
    Trigger("T010", imported(register="fix: {PC: {term: PCE}}\n")),
    Trigger("T011", imported(register="add: [{term: PC, expansion: x}]\n")),
    Trigger("M003", imported(register="fix: [\n")),      # an import file's YAML, told as the manuscript's
    Trigger("T013", imported(register="ignore: [{code: A001}]\n")),
    Trigger("T014", imported(structure=HEADING.replace("heading_lines: [1, 1]", "heading_lines: [7, 7]"))),
    Trigger("T015", imported(structure="book: {title: T}\nparts:\n  - {title: Uno, lines: [1, 2]}\n")),
    Trigger("T016", imported(titles="works:\n  - {text: Pravda, lang: ru-Latn, kind: diario}\n")),
    Trigger("T017", imported(repair="hyphens:\n  keep_prefix: [ex]\n")),
]

# -- build, beyond the manuscript ---------------------------------------------------

BUILD = [
    Trigger("F104", lambda tmp: ["build", FIXTURE, "-o", tmp / "out", "--format", "pdf", "-q", "--strict"],
            {"pipeline.render.pdf.fonts._share": raising(NotShared("a face injected as apart"))}),
    Trigger("M014", lambda tmp: (tmp / "a-file").write_text("x") and
            ["build", FIXTURE, "-o", tmp / "a-file", "--format", "epub", "-q"]),
    Trigger("S001", lambda tmp: ["build", FIXTURE, "-o", tmp / "out", "--format", "epub", "-q"],
            {"pipeline.snapshot.record": raising(OSError("disk full"))}, status=0),
]

# -- citations (the citations fixture, one thing broken; with their lines in test_citations.py) ---------

CITATIONS_FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "citations"


def cited(*edits: tuple[str, str, str], extra: dict[str, str] | None = None):
    """The citations fixture with (file, old, new) edits and extra files, built to an EPUB."""
    def args(tmp: Path) -> list:
        ms = tmp / "ms"
        shutil.copytree(CITATIONS_FIXTURE, ms)
        for name, old, new in edits:
            text = (ms / name).read_text("utf-8")
            assert old in text, old
            (ms / name).write_text(text.replace(old, new), "utf-8")
        for name, content in (extra or {}).items():
            (ms / name).write_text(content, "utf-8")
        return ["build", ms, "-o", tmp / "out", "--format", "epub", "-q", "--strict"]
    return args


STYLE = "csl: chicago-notes-bibliography-subsequent-ibid"
CITATIONS = [
    Trigger("B001", cited(("02-printers.md", "@febvre1958]", "@nosuch2001]"))),
    Trigger("B002", cited(("sources.bib", "  volume       = {40},", "  volume       = {40"))),
    Trigger("B003", cited(("book.yaml", "nocite: [warde1956,", "nocite: ["))),
    Trigger("B004", cited(("book.yaml", STYLE, "csl: house.csl"), extra={"house.csl": "<style>no CSL"})),
    Trigger("B005", cited(("book.yaml", "bibliography: sources.bib\n" + STYLE + "\nnocite: [warde1956, nunez1985, nandu2001]\n", ""),
                          ("book.yaml", "  - {role: references, title: Bibliography}\n", ""))),
    Trigger("B006", cited(("02-printers.md", "[@eisenstein1968; @febvre1958]", "[@febvre1958; @fig-press]"))),
    Trigger("M015", cited(("book.yaml", "bibliography: sources.bib", "bibliography: sources.txt"))),
    Trigger("M016", cited(("book.yaml", STYLE, "csl: harvard"))),
]

COMMANDS = DIFF + PREFLIGHT + IMPORT + BUILD + CITATIONS


def test_every_code_has_a_fixture():
    covered = {case.code for case in MANUSCRIPT_CASES} | {t.code for t in COMMANDS}
    assert sorted(set(CODES) - covered) == [], "codes that no fixture produces"
    assert sorted(covered - set(CODES)) == [], "fixtures for codes that do not exist"


def test_no_code_is_only_its_fields():
    """A template says what is wrong; its fields only fill it in (no bare "{detail}")."""
    bare = [c.code for c in CODES.values() if len(re.sub(r"\{[^}]*\}", "", c.template).split()) < 2]
    assert bare == []


@pytest.mark.parametrize("trigger", COMMANDS, ids=[t.code for t in COMMANDS])
def test_the_command_prints_the_code(trigger: Trigger, tmp_path, repo, capsys, monkeypatch):
    for name, value in (trigger.patch or {}).items():
        monkeypatch.setattr(name, _broken_git(value) if isinstance(value, str) else value)
    status = main([str(a) for a in trigger.args(tmp_path)])
    err = capsys.readouterr().err
    assert (status != 0 if trigger.status is None else status == trigger.status) and f" {trigger.code} " in err, err
    assert "Traceback" not in err
