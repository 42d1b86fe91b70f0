"""The preview's session without a browser or a build (preview/session.py)."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from pipeline import freshness
from pipeline.preview import Outcome, Session

ERROR = "ms/02-capitulo-uno.md:3: N001 the note [^99] is not defined"


@pytest.fixture(autouse=True)
def unfrozen():
    """A session freezes what its process holds after each build: not the test process's, after the test."""
    yield
    gc.unfreeze()


def _failing(early) -> Outcome:
    return Outcome(diagnostics=[ERROR], failed=True)


def _pdf(path: Path, pages: int) -> Path:
    document = pdfium.PdfDocument.new()
    for _ in range(pages):
        document.new_page(360, 560)
    document.save(str(path))
    document.close()
    return path


def _session(out: Path) -> Session:
    return Session(_failing, out / ".preview", out / ".cache" / "page-texts.json")


def test_a_first_build_that_fails_shows_the_last_good_build_left_in_the_output(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    freshness.record(out, "an earlier build", {"pdf": _pdf(out / "book.pdf", 3)}, [])
    session = _session(out)
    session.update()
    state = session.state()
    assert state["errors"] == [ERROR] and state["generation"] == 1 and len(state["pages"]) == 3


def test_without_a_good_build_in_the_output_only_the_errors_show(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    _pdf(out / "book.pdf", 3)   # left by something else: no record of a build
    session = _session(out)
    session.update()
    assert session.state()["pages"] == [] and session.state()["errors"] == [ERROR]
    freshness.record(out, "an earlier build", {"pdf": out / "book.pdf"}, [])
    (out / "book.pdf").write_bytes(b"%PDF- changed since")   # not the file the build wrote
    session.update()
    assert session.state()["pages"] == []


def test_the_builds_records_are_written_once_its_pages_are_shown(tmp_path):
    """The snapshot and the freshness record the build leaves (Outcome.finish)
    run after the state with the new pages is published, within the update:
    the next build starts after them."""
    out = tmp_path / "out"
    out.mkdir()
    pdf = _pdf(out / "book.pdf", 2)
    seen = []
    session = Session(lambda early: Outcome({"pdf": pdf}, finish=lambda: seen.append(session.state())),
                      out / ".preview", out / ".cache" / "page-texts.json")
    session.update()
    (shown,) = seen
    assert shown["generation"] == 1 and not shown["building"] and len(shown["pages"]) == 2
    assert "after" in session.state()["timing"] and "after" not in shown["timing"]


class _Cycle:
    def __init__(self):
        self.me = self


def test_after_a_build_its_garbage_is_collected_and_what_stays_is_frozen(tmp_path):
    """The next build's collections scan only what it makes: not the
    millions of objects a laid-out book holds (session `_collected`)."""
    out = tmp_path / "out"
    out.mkdir()
    made = []

    def rebuild(early) -> Outcome:
        cycle = _Cycle()   # garbage a reference count alone does not free
        made.append(weakref.ref(cycle))
        return Outcome(diagnostics=[ERROR], failed=True)

    gc.disable()   # no collection of its own between the build and the session's
    try:
        Session(rebuild, out / ".preview", out / ".cache" / "page-texts.json").update()
        assert made[0]() is None
        assert gc.get_freeze_count() > 0
        frozen = gc.get_freeze_count()
        gc.collect()
        assert gc.get_freeze_count() == frozen   # a collection leaves the frozen alone
    finally:
        gc.enable()
