"""Stages 1-2 for a book's files (pipeline/chapters.py): worker processes
give the chapters this process would make, in order, and the first failing
file's error where a serial loop would raise it."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from pipeline import chapters
from pipeline.diagnostics import BuildError
from pipeline.transforms import NO_REGISTER
from pipeline.transforms.names import NO_NAMES


def manuscript(root, texts: list[str | bytes]):
    parts = []
    for i, text in enumerate(texts):
        path = root / f"{i:02}.md"
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        parts.append(SimpleNamespace(index=i, path=path))
    return SimpleNamespace(root=root, parts=parts)


def load(ms, cache=None, jobs=1):
    return chapters.load(ms, cache, NO_REGISTER, NO_NAMES, jobs=jobs)


def summary(chapter):
    return (chapter.source.path, chapter.blocks, chapter.notes, chapter.heading, chapter.diagnostics)


def test_workers_make_the_chapters_this_process_makes_in_order(tmp_path):
    ms = manuscript(tmp_path, [f"# Parte {i}\n\n" + "Texto largo. " * (200 * (5 - i)) +
                               f"[^n{i}]\n\n[^n{i}]: Nota {i}.\n" for i in range(5)])
    together = load(ms, tmp_path / "cache", jobs=3)
    assert list(together) == [0, 1, 2, 3, 4]
    alone = load(ms)
    assert [summary(c) for c in together.values()] == [summary(c) for c in alone.values()]
    assert len(list((tmp_path / "cache" / "chapters").glob("*.pickle"))) == 5


def test_the_first_bad_file_in_order_is_the_one_reported(tmp_path):
    ms = manuscript(tmp_path, ["Texto.\n", b"Texto \xff roto.\n", ""])
    with pytest.raises(BuildError) as err:
        load(ms, jobs=3)
    assert [d.code for d in err.value.report.items] == ["M007"]
    assert str(err.value.report.items[0].path).endswith("01.md")


def test_one_text_in_two_files_is_parsed_into_one_entry_and_two_chapters(tmp_path):
    ms = manuscript(tmp_path, ["Mismo texto[^1].\n\n[^1]: Nota.\n"] * 4)
    made = load(ms, tmp_path / "cache", jobs=4)
    assert len({str(c.blocks) for c in made.values()}) == 1
    assert len(list((tmp_path / "cache" / "read").glob("*.json"))) == 1
    assert len(list((tmp_path / "cache" / "chapters").glob("*.pickle"))) == 4


def test_meanwhile_runs_once_while_the_workers_read(tmp_path):
    """build() imports WeasyPrint there: this process would only wait."""
    import os

    ms = manuscript(tmp_path, [f"Parte {i}.\n" for i in range(3)])
    calls = []

    def meanwhile():   # the workers are forked by now: they never see this call
        calls.append(os.getpid())

    made = chapters.load(ms, tmp_path / "cache", NO_REGISTER, NO_NAMES, jobs=2, meanwhile=meanwhile)
    assert list(made) == [0, 1, 2] and calls == [os.getpid()]
    chapters.load(ms, None, NO_REGISTER, NO_NAMES, jobs=1, meanwhile=meanwhile)
    assert len(calls) == 2                       # serial: before reading
    chapters.load(ms, tmp_path / "cache", NO_REGISTER, NO_NAMES, jobs=2, meanwhile=meanwhile)
    assert len(calls) == 2                       # every chapter cached: nothing to wait for
    ms.parts[1].path.write_text("Parte 1, corregida.\n")
    again = chapters.load(ms, tmp_path / "cache", NO_REGISTER, NO_NAMES, jobs=2, meanwhile=meanwhile)
    assert len(calls) == 3                       # one file to read (an edit): read in a worker meanwhile
    assert again[1].blocks != made[1].blocks and again[0].blocks == made[0].blocks


def test_one_file_with_nothing_to_do_meanwhile_is_read_here(tmp_path, monkeypatch):
    """The preview's rebuild: one chapter saved, WeasyPrint imported long ago."""
    ms = manuscript(tmp_path, [f"Parte {i}.\n" for i in range(2)])
    chapters.load(ms, tmp_path / "cache", NO_REGISTER, NO_NAMES, jobs=2)
    ms.parts[1].path.write_text("Parte otra.\n", "utf-8")
    forked = []
    monkeypatch.setattr(chapters, "process_pool", lambda *a: forked.append(a))
    made = chapters.load(ms, tmp_path / "cache", NO_REGISTER, NO_NAMES, jobs=2)
    assert forked == [] and "otra" in str(made[1].blocks)
