"""Transformed chapters cached between builds (transforms/cache.py): a hit is
the chapter a cold transform makes, and nothing it depends on can change
without a miss."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from pipeline.build import load_book
from pipeline.diagnostics import Report
from pipeline.transforms import cache as cache_
from tests.conftest import FIXTURE

CHAPTER = "02-capitulo-uno.md"


@pytest.fixture
def ms(tmp_path) -> Path:
    return shutil.copytree(FIXTURE, tmp_path / "ms")


def load(ms: Path, cache: Path):
    return load_book(ms, cache, Report())


def entries(cache: Path) -> set[str]:
    return {p.name for p in (cache / "chapters").glob("*.pickle")}


def test_a_warm_load_gives_the_cold_book(ms, tmp_path):
    cold = load(ms, None)
    load(ms, tmp_path / "cache")
    warm = load(ms, tmp_path / "cache")
    assert len(entries(tmp_path / "cache")) == 4
    assert [d.html for d in warm.documents] == [d.html for d in cold.documents]
    assert warm.notes == cold.notes and warm.abbreviations == cold.abbreviations


def test_a_hit_does_not_transform(ms, tmp_path, monkeypatch):
    load(ms, tmp_path / "cache")
    import pipeline.chapters

    monkeypatch.setattr(pipeline.chapters.transforms, "transform", lambda *a: pytest.fail("transformed again"))
    load(ms, tmp_path / "cache")


@pytest.mark.parametrize("change", ["chapter", "register", "code"])
def test_any_change_it_depends_on_is_a_miss(ms, tmp_path, monkeypatch, change):
    cache = tmp_path / "cache"
    load(ms, cache)
    before = entries(cache)
    if change == "chapter":
        path = ms / CHAPTER
        path.write_text(path.read_text("utf-8").replace("paradoja", "contradicción"), "utf-8")
    elif change == "register":
        path = ms / "names.yaml"
        path.write_text(path.read_text("utf-8").replace("[Jean-Paul Sartre, Sartre]", "[Sartre]"), "utf-8")
    else:
        cache_._code.cache_clear()
        monkeypatch.setattr(cache_, "FORMAT", b"other code")
    book = load(ms, cache)
    added = entries(cache) - before
    assert len(added) == (1 if change == "chapter" else 4)
    if change == "chapter":
        assert "contradicción" in book.document("capitulo-uno").html
    if change == "register":   # "Jean-Paul Sartre" is no longer a form: the mention shrinks to "Sartre"
        sartre = next(e for e in book.index if e.key == "Sartre, Jean-Paul")
        assert [m.text for m in sartre.mentions] == ["Sartre"]


def test_a_damaged_entry_is_a_miss(ms, tmp_path):
    cache = tmp_path / "cache"
    load(ms, cache)
    for entry in (cache / "chapters").glob("*.pickle"):
        entry.write_bytes(pickle.dumps("not a chapter")[:5])
    book = load(ms, cache)
    assert book.document("capitulo-uno").html


@pytest.mark.parametrize("numbering", ["per-part", "continuous"])
def test_a_long_lived_process_resolves_an_edit_as_a_cold_load(ms, tmp_path, monkeypatch, numbering):
    """The preview's process keeps each unchanged chapter's object (the
    cache's memory) and what resolve made of it (resolve._MEMO): after an
    edit that adds a note to the first chapter, the Book is the one a fresh
    process makes, every later mark and id included."""
    import pipeline.resolve as resolve_

    book_yaml = ms / "book.yaml"
    book_yaml.write_text(book_yaml.read_text("utf-8").replace("numbering: per-part", f"numbering: {numbering}"),
                         "utf-8")
    cache = tmp_path / "cache"
    load(ms, cache)
    load(ms, cache)   # the chapters came from workers: now from the cache, and kept in this process
    path = ms / "01-prefacio.md"
    path.write_text(path.read_text("utf-8").replace("aquella noche,[^1]", "aquella noche,[^0][^1]")
                    + "\n[^0]: Una nota nueva.\n", "utf-8")
    made = []
    document = resolve_._document
    monkeypatch.setattr(resolve_, "_document", lambda *a: made.append(a[1].path.name) or document(*a))
    warm = load(ms, cache)
    # made again: the edited chapter; with continuous numbering, the chapters whose marks it moved
    assert made == (["01-prefacio.md"] if numbering == "per-part"
                    else ["01-prefacio.md", "02-capitulo-uno.md", "03-capitulo-dos.md"])
    monkeypatch.setattr(resolve_, "_MEMO", resolve_._Memo())
    monkeypatch.setattr(cache_, "_MEMORY", {})
    cold = load(ms, None)
    assert warm == cold
    assert "Una nota nueva" in warm.document("prefacio").notes[1].html


def test_a_units_html_built_again_only_when_what_it_reads_changed(ms, tmp_path, monkeypatch):
    """render/pdf/html.build_unit keeps each unit's HTML with its inputs:
    after an edit of one chapter's text and another's note, every unit's
    HTML is the one a fresh process builds."""
    from pipeline.render.pdf import html as html_

    load(ms, tmp_path / "cache")
    before = load(ms, tmp_path / "cache")
    for name in html_.unit_names(before):
        html_.build_unit(before, name)
    for name, old, new in (("02-capitulo-uno.md", "paradoja", "contradicción"), ("03-capitulo-dos.md", "]: ", "]: Sí. ")):
        path = ms / name
        path.write_text(path.read_text("utf-8").replace(old, new, 1), "utf-8")
    after = load(ms, tmp_path / "cache")
    built = []
    build = html_._build_unit
    monkeypatch.setattr(html_, "_build_unit", lambda book, name, *a: built.append(name) or build(book, name, *a))
    warm = {name: html_.build_unit(after, name) for name in html_.unit_names(after)}
    monkeypatch.setattr(html_, "_UNITS", {})
    assert warm == {name: html_.build_unit(after, name) for name in html_.unit_names(after)}
    assert "prefacio" not in built[:len(warm)] and {"capitulo-uno", "capitulo-dos", "notes"} <= set(built)
    assert "contradicción" in warm["capitulo-uno"] and "Sí." in warm["notes"]
