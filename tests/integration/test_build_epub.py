"""The fixture built end to end into an EPUB: valid, deterministic, atomic."""

import hashlib
import shutil
import zipfile

from pipeline.build import build
from tests.conftest import FIXTURE, epubcheck, run_cli


def test_epubcheck_clean(fixture_epub):
    assert epubcheck(fixture_epub) == []


def test_mimetype_first_and_stored(fixture_epub):
    with zipfile.ZipFile(fixture_epub) as zf:
        first = zf.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert {i.date_time for i in zf.infolist()} == {(2026, 1, 15, 0, 0, 0)}


def test_two_builds_byte_identical(tmp_path, fixture_epub):
    ms = shutil.copytree(FIXTURE, tmp_path / "elsewhere")
    again = build(ms, tmp_path / "out", formats=["epub"]).outputs["epub"]
    digest = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (fixture_epub, again)]
    assert digest[0] == digest[1]


def test_every_note_linked_both_ways(fixture_epub):
    with zipfile.ZipFile(fixture_epub) as zf:
        notes = zf.read("EPUB/notes.xhtml").decode()
        chapter = zf.read("EPUB/capitulo-dos.xhtml").decode()
    assert 'href="notes.xhtml#note-capitulo-dos-1"' in chapter
    assert chapter.count('epub:type="noteref"') == 2
    assert 'href="capitulo-dos.xhtml#ref-capitulo-dos-1"' in notes
    assert 'href="capitulo-dos.xhtml#ref-capitulo-dos-1-2"' in notes


def test_cli_build_and_exit_codes(tmp_path):
    out = tmp_path / "out"
    ok = run_cli("build", FIXTURE, "-o", out, "--format", "epub", "-q")
    assert ok.returncode == 0, ok.stderr
    assert (out / "cuaderno-de-pruebas.epub").is_file()
    assert run_cli("build", FIXTURE, "-o", out, "--format", "mobi").returncode == 2


def test_failed_build_keeps_previous_output(tmp_path):
    ms = shutil.copytree(FIXTURE, tmp_path / "ms")
    out = tmp_path / "out"
    assert run_cli("build", ms, "-o", out, "--format", "epub", "-q").returncode == 0
    before = (out / "cuaderno-de-pruebas.epub").read_bytes()
    chapter = ms / "03-capitulo-dos.md"
    text = chapter.read_text("utf-8") + "\nOtra[^nada].\n"
    chapter.write_text(text, "utf-8")
    failed = run_cli("build", ms, "-o", out, "--format", "epub")
    assert failed.returncode == 1
    line = text.count("\n")
    assert failed.stderr.strip() == f"{chapter}:{line}: N001 reference to undefined note [^nada]"
    assert "Traceback" not in failed.stderr
    assert (out / "cuaderno-de-pruebas.epub").read_bytes() == before
    assert [p.name for p in out.iterdir() if p.name.startswith(".build-")] == []


def test_fixture_passes_ace(fixture_epub, tmp_path):
    from pipeline.validate import run_ace

    verdict = run_ace(fixture_epub, tmp_path)
    assert verdict.problems == ()
    assert verdict.report.is_file()


def test_an_epub_alone_never_loads_the_print_engine(tmp_path):
    """WeasyPrint takes a third of a second to import; an EPUB build does without it."""
    import subprocess
    import sys

    probe = ("import sys; from pipeline.build import build; from pathlib import Path;"
             "build(Path(sys.argv[1]), Path(sys.argv[2]), formats=['epub']);"
             "print('LOADED', [m for m in ('weasyprint', 'pikepdf') if m in sys.modules])")
    run = subprocess.run([sys.executable, "-c", probe, str(FIXTURE), str(tmp_path / "out")],
                         capture_output=True, text=True)
    assert "LOADED []" in run.stdout, run.stdout + run.stderr
    assert list((tmp_path / "out").glob("*.epub"))


def test_notes_at_the_end_of_each_part(tmp_path):
    """book.yaml notes.epub: part-end: each part carries its own notes, every
    call and back-link resolves inside the part's document, EPUBCheck clean."""
    import re

    ms = shutil.copytree(FIXTURE, tmp_path / "ms")
    cfg = ms / "book.yaml"
    cfg.write_text(cfg.read_text("utf-8").replace("  print: endnotes\n", "  print: endnotes\n  epub: part-end\n"),
                   "utf-8")
    epub = build(ms, tmp_path / "out", formats=["epub"]).outputs["epub"]
    assert epubcheck(epub) == []
    with zipfile.ZipFile(epub) as zf:
        docs = {n: zf.read(n).decode() for n in zf.namelist() if n.endswith(".xhtml")}
    notes_doc = next((t for n, t in docs.items() if n.endswith("notes.xhtml")), "")
    assert 'role="doc-endnote"' not in notes_doc
    called = 0
    for name, text in docs.items():
        here = name.rsplit("/", 1)[-1]
        for role in ("doc-noteref", "doc-backlink"):
            for href in re.findall(rf'<a [^>]*?href="([^"]+)"[^>]*role="{role}"|<a [^>]*?role="{role}"[^>]*href="([^"]+)"',
                                   text):
                file, _, ident = (href[0] or href[1]).partition("#")
                assert file in ("", here), f"{name}: {role} {file}#{ident} leaves its part"
                assert f'id="{ident}"' in text, f"{name}: {role} to #{ident}, no such id"
                called += role == "doc-noteref"
    assert called >= 5


def test_validate_without_ace_installed_says_so_without_a_traceback(fixture_epub, tmp_path, monkeypatch, capsys):
    from pipeline import validate
    from pipeline.cli import main

    monkeypatch.setattr(validate, "ACE", tmp_path / "no-ace-cli")
    assert main(["validate", str(fixture_epub), "--reports", str(tmp_path / "reports")]) == 2
    err = capsys.readouterr().err
    assert "validate: Ace by DAISY" in err and "make setup" in err and "Traceback" not in err
