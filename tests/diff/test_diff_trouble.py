"""`diff` when things go wrong: exit status 2 and one line, never a traceback
or a 1 (CI reads 1 as "the builds differ"); snapshots from elsewhere cannot
make it read files outside their folder; a failed snapshot never fails a build.

Everything runs in-process (pipeline.cli.main) on tiny hand-made inputs.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from pipeline import snapshot
from pipeline.cli import main
from pipeline.diff import DiffError, inputs
from pipeline.diff.pdf import Pdf

SECRET = "PALABRAS SECRETAS FUERA DEL SNAPSHOT"
TEXT = "# I · Capítulo\n\nUn párrafo del capítulo.\n"


def _diff(capsys, *args) -> tuple[int, str, str]:
    """`diff ARGS --format text` in-process -> (status, stdout, stderr)."""
    status = main(["diff", *map(str, args), "--format", "text"])
    out = capsys.readouterr()
    return status, out.out, out.err


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


# -- exit status ---------------------------------------------------------------

@pytest.mark.parametrize("exc, says", [(RuntimeError("pdfium said\nno"), "pdfium said no"),
                                       (MemoryError(), "no message"), (ImportError("no lxml"), "no lxml")])
def test_an_unexpected_failure_is_trouble_in_one_line(monkeypatch, capsys, exc, says):
    def fail(*args):
        raise exc

    monkeypatch.setattr(inputs, "resolve", fail)
    status, out, err = _diff(capsys, "a.pdf", "b.pdf")
    line = _one_line(err)
    assert status == 2 and out == ""
    assert re.match(rf"pipeline/cli/diff\.py:\d+: D027 unexpected error \({type(exc).__name__}\): ", line), line
    assert line.endswith(f"): {says}")


@pytest.mark.parametrize("exc, expected", [
    (OSError("disk on fire"), "output: D015 cannot read: disk on fire"),
    (FileNotFoundError(2, "No such file or directory", "old.pdf"),
     "old.pdf: D015 cannot read: No such file or directory"),
])
def test_an_os_error_names_its_reason_never_none(monkeypatch, capsys, exc, expected):
    def fail(*args):
        raise exc

    monkeypatch.setattr(inputs, "resolve", fail)
    status, _, err = _diff(capsys, "a.pdf", "b.pdf")
    assert status == 2 and _one_line(err) == expected


def test_a_pdf_with_too_many_pages_is_refused_with_its_count(tmp_path, monkeypatch):
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument.new()
    for _ in range(3):
        doc.new_page(200, 300)
    doc.save(str(tmp_path / "three.pdf"))
    doc.close()
    monkeypatch.setattr("pipeline.diff.pdf.MAX_PAGES", 2)
    with pytest.raises(DiffError, match=r"three\.pdf: D025 3 pages, more than the 2 a book may have"):
        Pdf(tmp_path / "three.pdf")


# -- snapshots from elsewhere ----------------------------------------------------

def _snapshot(folder: Path, manifest, files: dict[str, str] | None = None) -> Path:
    """A snapshot folder with `files` and a manifest.json (text as given, or JSON)."""
    folder.mkdir(parents=True)
    for name, text in (files or {"text/01-c.txt": TEXT}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    body = manifest if isinstance(manifest, str) else json.dumps(manifest)
    (folder / "manifest.json").write_text(body, encoding="utf-8")
    return folder


def _part(file: str) -> dict:
    return {"id": "c", "role": "chapter", "file": file}


@pytest.fixture
def good(tmp_path) -> Path:
    return _snapshot(tmp_path / "good", {"parts": [_part("text/01-c.txt")], "formats": {}})


def test_a_well_formed_snapshot_is_read(good, capsys):
    status, out, err = _diff(capsys, good, good)
    assert (status, err) == (0, "") and "identical" in out


@pytest.mark.parametrize("name", ["../secret.txt", "text/../../secret.txt", "ABSOLUTE", "text\\..\\..\\secret.txt",
                                  "link.txt", "text", ""])
@pytest.mark.parametrize("where", ["part", "pdf"])
def test_a_manifest_cannot_name_a_file_outside_its_snapshot(tmp_path, good, capsys, name, where):
    (tmp_path / "secret.txt").write_text(TEXT.replace("Un párrafo del capítulo.", SECRET), encoding="utf-8")
    name = str(tmp_path / "secret.txt") if name == "ABSOLUTE" else name
    manifest = {"parts": [_part(name)]} if where == "part" else \
        {"parts": [_part("text/01-c.txt")], "formats": {"pdf": {"file": name}}}
    crafted = _snapshot(tmp_path / "crafted", manifest)
    (crafted / "link.txt").symlink_to(tmp_path / "secret.txt")
    status, out, err = _diff(capsys, good, crafted)
    assert status == 2 and "is not a file inside the snapshot; refused" in _one_line(err)
    assert SECRET not in out + err


@pytest.mark.parametrize("manifest, says", [
    ("{not json", "D005 not a readable snapshot manifest: Expecting property name"),
    ([], "D006 not a readable snapshot manifest: the manifest is list, not an object"),
    ({"formats": {}}, "manifest.parts is missing, not list"),
    ({"parts": "text/01-c.txt"}, "manifest.parts is str, not list"),
    ({"parts": [1]}, "parts[1] is int, not an object"),
    ({"parts": [{"id": 1, "role": "chapter", "file": "text/01-c.txt"}]}, "parts[1].id is int, not str"),
    ({"parts": [{"id": "c", "role": "chapter"}]}, "parts[1].file is missing, not str"),
    ({"parts": [], "formats": []}, "manifest.formats is list, not dict"),
    ({"parts": [], "formats": {"pdf": "book.pdf"}}, "formats.pdf is str, not dict"),
    ({"parts": [], "formats": {"pdf": {"file": ["book.pdf"]}}}, "formats.pdf.file is list, not str"),
])
def test_a_malformed_manifest_is_trouble(tmp_path, good, capsys, manifest, says):
    crafted = _snapshot(tmp_path / "crafted", manifest)
    status, _, err = _diff(capsys, good, crafted)
    line = _one_line(err)
    assert status == 2 and line.startswith(f"{crafted / 'manifest.json'}: D00") and says in line


# -- snapshots of a build ---------------------------------------------------------

def _book():
    doc = SimpleNamespace(id="c", role="chapter", title="I", number=1)
    return SimpleNamespace(documents=[doc], config=SimpleNamespace(title="Libro"))


def test_a_failing_snapshot_is_reported_and_leaves_nothing(tmp_path, monkeypatch, capsys):
    class PdfiumError(RuntimeError):   # what pypdfium2 raises on a PDF it cannot read
        pass

    def unreadable(path, *args, **kwargs):
        raise PdfiumError("Failed to load document\n(PDFium: Data format error).")

    monkeypatch.setattr(snapshot, "book_texts", lambda book, pages=None: {"c": TEXT})
    monkeypatch.setattr(snapshot, "_page_count", unreadable)
    pdf = tmp_path / "libro.pdf"
    pdf.write_bytes(b"%PDF-1.7")
    assert snapshot.keep(_book(), tmp_path, {"pdf": pdf}, tmp_path / "out", limit=3) is None
    line = _one_line(capsys.readouterr().err)
    assert line == (f"{tmp_path / 'out' / 'builds'}: S001 snapshot not written, the build is kept: "
                    "PdfiumError: Failed to load document (PDFium: Data format error).")
    assert list((tmp_path / "out" / "builds").iterdir()) == []   # no snapshot, no half-written .tmp- folder
