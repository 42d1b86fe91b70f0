"""The diff's parts on small inputs: words, notes, pages, unsafe EPUBs, snapshots."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from pipeline import snapshot
from pipeline.diff import notes, pages
from pipeline.diff.parts import Part, compare_part
from pipeline.diff.words import diff_paragraphs
from pipeline.render.text import PartText, format_part, parse
from tests.conftest import run_cli

PARAS = ["Primera línea del texto, sin cambios.", "Entrábamos en un mundo mortalmente helado.",
         "Otra línea que queda igual."]


def test_word_diff_names_the_changed_word_only():
    new = [PARAS[0], PARAS[1].replace("helado", "gélido"), PARAS[2]]
    (hunk,) = diff_paragraphs(PARAS, new)
    assert hunk.new_start == 2
    assert [c for c in hunk.chunks if c[0] != "equal"] == [("delete", " helado"), ("insert", " gélido")]
    assert (hunk.words("insert"), hunk.words("delete")) == (1, 1)


def test_word_diff_of_equal_texts_is_empty():
    assert diff_paragraphs(PARAS, list(PARAS)) == []


def test_a_deleted_paragraph_counts_its_words():
    (hunk,) = diff_paragraphs(PARAS, [PARAS[0], PARAS[2]])
    assert hunk.words("delete") == 6 and hunk.words("insert") == 0


def test_note_added_first_renumbers_the_following_ones():
    old = [("1", "Nota A."), ("2", "Nota B."), ("3*", "Nota C.")]
    new = [("1", "Nota nueva."), ("2", "Nota A."), ("3", "Nota B."), ("4*", "Nota C.")]
    changes, mapping = notes.compare(old, new)
    assert [(c.kind, c.new_mark) for c in changes if c.kind == "added"] == [("added", "1")]
    assert mapping == {"1": "2", "2": "3", "3*": "4*"}
    assert notes.renumbering(changes) == [("1", "3*", "2", "4*")]


def test_renumbered_marks_are_not_word_changes():
    old = Part("c", "chapter", PartText("I", ("Una mujer[^1] joven[^2].",), (("1", "A."), ("2", "B."))))
    new = Part("c", "chapter", PartText("I", ("Una[^1] mujer[^2] joven[^3].",),
                                        (("1", "Nueva."), ("2", "A."), ("3", "B."))))
    diff = compare_part(old, new)
    (hunk,) = diff.hunks
    assert [c for c in hunk.chunks if c[0] != "equal"] == [("insert", "[^1]")]   # not [^1]->[^2], [^2]->[^3]
    assert diff.words("insert") == diff.words("delete") == 0
    assert sum(c.renumbered for c in diff.notes) == 2


def test_an_edited_note_is_changed_not_added():
    changes, _ = notes.compare([("1", "Véase el capítulo tres del libro.")], [("1", "Véase el capítulo cuatro del libro.")])
    assert [c.kind for c in changes] == ["changed"]


def test_a_lone_list_marker_is_dropped_a_lone_raya_in_a_cell_is_a_word():
    from pipeline.diff.pdf import strip_running

    (page,) = strip_running([["Cuadro de cifras", "–", "Moscú 1921", "—", "Petrogrado 1920"]])
    assert page == ("Cuadro de cifras", "Moscú 1921", "—", "Petrogrado 1920")


def test_canonical_text_round_trips():
    text = format_part("I · Título", ["Un párrafo[^1].", "Otro."], [("1", ["Nota.", "Segundo párrafo."])])
    part = parse(text)
    assert part == PartText("I · Título", ("Un párrafo[^1].", "Otro."), (("1", "Nota. ¶ Segundo párrafo."),))


# -- pages: tiny PDFs laid out by WeasyPrint ----------------------------------

WORDS = ("Lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore "
         "et dolore magna aliqua ").split()


def _pdf(path: Path, text: str, width: str = "12cm") -> Path:
    import weasyprint

    paras = "".join(f"<p>{text}</p>" for _ in range(6))
    css = f"@page {{ size: {width} 12cm; margin: 1cm }} body {{ font: 11pt serif }}"
    weasyprint.HTML(string=f"<style>{css}</style>{paras}").write_pdf(path)
    return path


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    d = tmp_path_factory.mktemp("tiny")
    text = " ".join(WORDS * 3)
    return {"base": _pdf(d / "base.pdf", text),
            "word": _pdf(d / "word.pdf", text.replace("magna", "parva", 1)),
            "reflow": _pdf(d / "reflow.pdf", text, width="11cm")}


def test_a_changed_word_marks_its_page_text_changed(tiny):
    result = pages.compare_pdfs(tiny["base"], tiny["word"])
    kinds = {c.new: c.kind for c in result.changes}
    assert kinds[1] == "text" and result.first_layout_change == 1
    assert result.changes[0].boxes_new and result.changes[0].image_new.startswith(b"\x89PNG")


def test_same_words_narrower_measure_only_reflow(tiny):
    result = pages.compare_pdfs(tiny["base"], tiny["reflow"])
    assert result.changes and {c.kind for c in result.changes} == {"reflow"}


def test_identical_pdfs_have_no_page_changes(tiny):
    result = pages.compare_pdfs(tiny["base"], tiny["base"])
    assert result.changes == [] and result.first_layout_change is None


def test_changed_pages_past_the_image_cap_are_listed_and_counted(tiny):
    from pipeline.diff import compare, report_html, report_text
    from pipeline.diff.inputs import Side

    report = compare(Side("old", None, tiny["base"]), Side("new", None, tiny["reflow"]), max_images=1)
    changed = [c.new for c in report.pages.changes]
    assert len(changed) >= 3 and [c.imaged for c in report.pages.changes] == [True] + [False] * (len(changed) - 1)
    assert report.summary()["pages_changed"]["reflow"] == len(changed)   # the summary counts them all
    said = f"changed pages without images: {len(changed) - 1} (images are limited to the first 1 changed pages"
    assert said in report_text.to_text(report)
    html = report_html.to_html(report)
    assert html.count("<img ") == 2 and html.count(said) == 2   # in the summary, and where the images stop
    assert html.index(said, html.index('class="pages"')) < html.index(f"<h3>Page {changed[1]} ")
    assert all(f"<h3>Page {n} → {n} " in html for n in changed)


def test_a_single_changed_pixel_on_a_wide_page_is_found():
    from PIL import Image

    from pipeline.diff.images import changed_boxes

    old = Image.new("L", (1500, 400), 255)   # a row's mean: 255 / 1500, below one grey level
    new = old.copy()
    new.putpixel((1234, 210), 0)
    assert changed_boxes(old, new) == [(1234, 210, 1235, 211)]
    assert changed_boxes(old, old.copy()) == []


def test_cli_two_pdfs_exit_status(tiny):
    assert run_cli("diff", tiny["base"], tiny["base"], "--format", "text").returncode == 0
    out = run_cli("diff", tiny["base"], tiny["word"], "--format", "text")
    assert out.returncode == 1 and "{+parva+}" in out.stdout.replace("{+ parva+}", "{+parva+}")


# -- unsafe input --------------------------------------------------------------

def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


@pytest.mark.parametrize("name", ["../../evil.xhtml", "/etc/evil.xhtml", "EPUB\\..\\evil.xhtml"])
def test_zip_slip_epub_refused_with_status_2(tmp_path, name):
    bad = _zip(tmp_path / "bad.epub", {"mimetype": b"application/epub+zip", name: b"<html/>"})
    out = run_cli("diff", bad, bad)
    assert out.returncode == 2
    assert "unsafe member name" in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert not (tmp_path.parent / "evil.xhtml").exists()


def test_zip_bomb_epub_refused_with_status_2(tmp_path):
    bomb = _zip(tmp_path / "bomb.epub", {"mimetype": b"application/epub+zip", "EPUB/a.xhtml": bytes(20 * 2**20)})
    out = run_cli("diff", bomb, bomb)
    assert out.returncode == 2 and "zip bomb" in out.stderr and "Traceback" not in out.stderr


def test_not_a_pdf_is_trouble(tmp_path):
    fake = tmp_path / "fake.pdf"
    fake.write_bytes(b"%PDF-1.7 nothing else")
    out = run_cli("diff", fake, fake)
    assert out.returncode == 2 and f"{fake}: D024 not a readable PDF" in out.stderr and "Traceback" not in out.stderr


def test_no_snapshots_is_trouble(tmp_path):
    out = run_cli("diff", "--output", tmp_path)
    assert out.returncode == 2 and "need 2" in out.stderr


# -- snapshots -----------------------------------------------------------------

def test_retention_keeps_the_newest(tmp_path):
    for n in range(5):
        (tmp_path / f"2026010{n}T000000000Z-abc").mkdir()
        (tmp_path / f"2026010{n}T000000000Z-abc" / "manifest.json").write_text("{}")
    (tmp_path / ".tmp-crashed").mkdir()
    snapshot.prune(tmp_path, 2)
    assert [p.name[:9] for p in snapshot.snapshots(tmp_path)] == ["20260103T", "20260104T"]
    assert not (tmp_path / ".tmp-crashed").exists()


def test_git_revision_outside_git_is_none(tmp_path):
    assert snapshot.git_revision(tmp_path) is None


def test_fixture_build_keeps_a_snapshot(tmp_path, monkeypatch):
    from pipeline.build import build
    from tests.conftest import FIXTURE

    monkeypatch.setenv(snapshot.KEEP_ENV, "1")
    for _ in range(2):
        build(FIXTURE, tmp_path, formats=["epub"])
    (only,) = snapshot.snapshots(tmp_path / "builds")
    manifest = __import__("json").loads((only / "manifest.json").read_text())
    assert set(manifest["formats"]) == {"epub"} and "book.yaml" in manifest["sources"]
    assert any(p["role"] == "chapter" for p in manifest["parts"])
    assert run_cli("diff", only / manifest["formats"]["epub"]["file"],
                   only / manifest["formats"]["epub"]["file"], "--format", "json").returncode == 0
    assert run_cli("diff", only, only, "--format", "json").returncode == 0   # its manifest passes the checks


def test_page_texts_read_in_stretches_by_several_processes_are_the_serial_texts(tmp_path, monkeypatch):
    from pipeline import snapshot

    pdf = _pdf(tmp_path / "long.pdf", " ".join(f"{WORDS[n % len(WORDS)]}{n}" for n in range(900)))
    serial = snapshot.page_texts(pdf, jobs=1)
    monkeypatch.setattr(snapshot, "PAGES_PER_JOB", 1)
    assert len(serial) >= 3 and len(set(serial)) == len(serial)
    assert snapshot.page_texts(pdf, jobs=3) == serial


# -- the registers: glossary and index entries ---------------------------------

def _fixture_copy(tmp_path, name: str) -> Path:
    import shutil

    from tests.conftest import FIXTURE

    return shutil.copytree(FIXTURE, tmp_path / name)


def test_the_index_text_lists_each_entry_with_its_printed_locators(tmp_path):
    from pipeline.build import load_book
    from pipeline.diagnostics import Report
    from pipeline.render.text import book_texts

    book = load_book(_fixture_copy(tmp_path, "ms"), None, Report())
    gorkin = next(e for e in book.index if e.key == "Gorkin, Julián")
    pages = {m.id: 9 for m in gorkin.mentions}
    index = parse(book_texts(book, pages)["index"]).paragraphs
    assert "Gorkin, Julián — 1901-1987; 9 n. 1" in index   # named in a note of page 9
    assert "Gómez García, Julián — → Gorkin, Julián" in index
    assert "Gorkin, Julián — 1901-1987; ×1" in parse(book_texts(book)["index"]).paragraphs   # no PDF: how often


def test_two_epubs_name_the_index_and_glossary_entries_that_changed(tmp_path):
    """The EPUB's index and glossary are read an entry a line (`TERM — the
    rest`): an entry whose dates or definition changed is one edited entry."""
    from pipeline.build import build

    old_ms, new_ms = _fixture_copy(tmp_path, "old"), _fixture_copy(tmp_path, "new")
    names = new_ms / "names.yaml"
    names.write_text(names.read_text("utf-8").replace("dates: 1901-1987", "dates: 1901-1988"), "utf-8")
    abbrs = new_ms / "abbreviations.yaml"
    text = abbrs.read_text("utf-8")
    first_expansion = text.split("expansion:", 1)[1].splitlines()[0].strip()
    abbrs.write_text(text.replace(first_expansion, first_expansion + " (corregida)", 1), "utf-8")
    old = build(old_ms, tmp_path / "out-old", formats=["epub"]).outputs["epub"]
    new = build(new_ms, tmp_path / "out-new", formats=["epub"]).outputs["epub"]
    res = run_cli("diff", old, new, "--format", "json")
    assert res.returncode == 1, res.stderr
    data = __import__("json").loads(res.stdout)
    assert data["summary"]["register_entries_changed"] == {"glossary": 1, "index": 1}
    (index,) = [p for p in data["parts"] if p["id"] == "index"]
    assert index["entries"] == {"added": [], "removed": [], "changed": ["Gorkin, Julián"]}


# -- page texts reused from the last build --------------------------------------

def test_pages_made_of_the_same_pdfs_are_not_read_again(tmp_path, monkeypatch):
    from pipeline import snapshot

    pdf = _pdf(tmp_path / "long.pdf", " ".join(f"{WORDS[n % len(WORDS)]}{n}" for n in range(900)))
    serial = snapshot.page_texts(pdf, jobs=1)
    keys = tuple(f"k{i}" for i in range(len(serial)))
    cache = tmp_path / "cache" / "page-texts.json"
    assert snapshot.KnownTexts(cache, keys).texts(pdf) == serial      # first build: every page read
    asked = []
    real = snapshot.page_texts
    monkeypatch.setattr(snapshot, "page_texts", lambda path, pages=None: asked.append(pages) or real(path, pages=pages))
    assert snapshot.KnownTexts(cache, keys).texts(pdf) == serial
    changed = (keys[0], "other", *keys[2:])
    assert snapshot.KnownTexts(cache, changed).texts(pdf) == serial
    assert snapshot.KnownTexts(cache, keys[:-1]).texts(pdf) == serial   # keys of another PDF
    cache.write_text("{damaged", "utf-8")
    assert snapshot.KnownTexts(cache, keys).texts(pdf) == serial
    assert asked == [[], [1], list(range(len(serial))), list(range(len(serial)))]


def test_an_edited_build_snapshots_the_texts_a_fresh_read_gives(tmp_path, monkeypatch):
    """The fixture built, edited, built again into the same folder: the new
    snapshot's page texts (most reused) are those pdfium reads from the PDF."""
    from pipeline import snapshot
    from pipeline.build import build

    ms = _fixture_copy(tmp_path, "ms")
    build(ms, tmp_path / "out")
    chapter = ms / "02-capitulo-uno.md"
    chapter.write_text(chapter.read_text("utf-8").replace("paradoja", "contradicción"), "utf-8")
    result = build(ms, tmp_path / "out")
    latest = snapshot.snapshots(tmp_path / "out" / "builds")[-1]
    fresh = snapshot.format_pages(snapshot.page_texts(result.outputs["pdf"]))
    assert (latest / "pages.txt").read_text("utf-8") == fresh and "contradicción" in fresh
