"""The diff on real edits of the real book, built twice (EPUB and PDF).

A copy of manuscript/ is built, then three edits are made at once (a word
in chapter III, a note added in chapter I, a paragraph deleted in chapter
VI) and it is built again into the same output folder, so the two builds
are the two latest snapshots, as after a proofreader's correction round.
"""

from __future__ import annotations

import base64
import io
import json
import shutil
import subprocess
import tempfile
from contextlib import ExitStack
from pathlib import Path

import lxml.html
import pytest
from PIL import Image

from pipeline import snapshot
from pipeline.build import build
from pipeline.diff import compare, inputs, report_html
from pipeline.diff.words import count_words
from tests.chromium import FLAGS
from tests.conftest import MANUSCRIPT, copy_manuscript, run_cli

pytestmark = pytest.mark.book

DELETED = "Excluidos del partido por haber reclamado"
EDITED = {"mundo-sin-evasion", "el-desaliento-y-el-entusiasmo", "la-revolucion-en-el-callejon"}


def _edit(ms: Path) -> None:
    _replace(next(ms.glob("05-*.md")), "mortalmente helado", "mortalmente gélido")
    ch1 = next(ms.glob("03-*.md"))
    _replace(ch1, "en un día de nieve rala, en San", "en un día de nieve rala,[^nueva] en San")
    ch1.write_text(ch1.read_text(encoding="utf-8") + "\n[^nueva]: Nota añadida por el corrector.\n", encoding="utf-8")
    ch6 = next(ms.glob("08-*.md"))
    lines = ch6.read_text(encoding="utf-8").splitlines(keepends=True)
    ch6.write_text("".join(l for l in lines if not l.startswith(DELETED)), encoding="utf-8")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path.name}: {old!r} should occur once"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """(output folder, old snapshot, new snapshot)."""
    root = tmp_path_factory.mktemp("diff-book")
    ms = copy_manuscript(MANUSCRIPT, root / "manuscript")
    build(ms, root / "output")
    _edit(ms)
    build(ms, root / "output")
    old, new = snapshot.snapshots(root / "output" / "builds")[-2:]
    return root / "output", old, new


@pytest.fixture(scope="module")
def report(builds):
    out, old, new = builds
    with ExitStack() as stack:
        a, b = inputs.resolve(None, None, out, MANUSCRIPT, stack)
        return compare(a, b, max_images=12)


def _page_of(snap: Path, needle: str) -> int:
    """The page (1-based) of a snapshot's PDF whose text holds `needle`."""
    pages = (snap / "pages.txt").read_text(encoding="utf-8").split("--- page ")[1:]
    hits = [int(p.split(" ", 1)[0]) for p in pages if needle in " ".join(p.split())]
    assert len(hits) == 1, f"{needle!r} on pages {hits}"
    return hits[0]


def _index_start(snap: Path) -> int:
    """The first page of the index of names (after the contents' mention of it)."""
    pages = (snap / "pages.txt").read_text(encoding="utf-8").split("--- page ")[1:]
    hits = [int(p.split(" ", 1)[0]) for p in pages if "Índice onomástico" in p]
    return min((h for h in hits if h > 20), default=10**6)


def test_exactly_the_edited_parts_changed(report):
    """The three edited parts, and the index of names: pages moved under
    some of its entries, so their locators changed (none added or removed)."""
    assert {p.id for p in report.changed_parts} == EDITED | {"index"}
    assert all(p.status == "unchanged" for p in report.parts if p.id not in EDITED | {"index"})


def test_the_index_names_the_entries_whose_locators_moved(report, builds):
    _, old, new = builds
    (index,) = [p for p in report.parts if p.id == "index"]
    assert index.entries["added"] == index.entries["removed"] == []
    assert 0 < len(index.entries["changed"]) == report.summary()["register_entries_changed"]["index"]
    before, after = dict(_index_lines(old)), dict(_index_lines(new))
    assert before.keys() == after.keys()
    moved = {h for h in before if before[h] != after[h]}
    assert moved == set(index.entries["changed"])   # the same persons, other pages


def _index_lines(snap: Path):
    text = (snap / "text").glob("*index*.txt")
    for line in next(text).read_text(encoding="utf-8").splitlines():
        if " — " in line:
            yield line.split(" — ", 1)


def test_the_changed_word_pair(report):
    (part,) = [p for p in report.parts if p.id == "el-desaliento-y-el-entusiasmo"]
    (hunk,) = part.hunks
    assert [c for c in hunk.chunks if c[0] != "equal"] == [("delete", " helado"), ("insert", " gélido")]
    assert not part.notes


def test_one_note_added_in_part_one_and_the_following_renumbered(report):
    (part,) = [p for p in report.parts if p.id == "mundo-sin-evasion"]
    added = [c for c in part.notes if c.kind == "added"]
    assert [(c.new_mark, c.new_text) for c in added] == [("1", "Nota añadida por el corrector.")]
    assert {c.kind for c in part.notes} == {"added", "renumbered"}
    from pipeline.diff.notes import renumbering
    assert renumbering(part.notes) == [("1", "200*", "2", "201*")]   # every later note of part I, once
    (hunk,) = part.hunks
    assert [c for c in hunk.chunks if c[0] != "equal"] == [("insert", "[^1]")]
    s = report.summary()
    assert (s["notes_added"], s["notes_removed"], s["notes_renumbered"]) == (1, 0, 200)


def test_the_deleted_paragraph(report, builds):
    (part,) = [p for p in report.parts if p.id == "la-revolucion-en-el-callejon"]
    (hunk,) = part.hunks
    ((op, text),) = hunk.chunks
    assert op == "delete" and text.startswith(DELETED)
    assert part.words("delete") == count_words(text) > 50 and part.words("insert") == 0
    assert report.summary()["words_deleted"] == part.words("delete") + 1


@pytest.mark.xfail(strict=True, reason="issue 20: after the session-8 merges the diff also calls pages 592-593 (endnotes) changed text; it passed on the diff branch alone, so an interaction with the hold's or the titles' reflow is to be found")
def test_pages_with_changed_text_are_exactly_those_of_the_edits(report, builds):
    _, old, new = builds
    expected = {_page_of(new, "mortalmente gélido"), _page_of(new, "nieve rala,"),
                _page_of(old, DELETED), _page_of(new, "Nota añadida por el corrector")}
    pages = report.pages
    # The index of names at the end changes with every page that moved: its
    # pages are the index's business, not the edits'.
    index = _index_start(new)
    assert {c.new for c in pages.of_kind("text") if c.new < index} == expected
    assert pages.first_layout_change == min(expected)
    assert {c.kind for c in pages.changes} <= {"text", "figures", "reflow", "moved"}
    (edited,) = [c for c in pages.changes if c.new == _page_of(new, "mortalmente gélido")]
    assert (edited.kind, edited.deleted, edited.inserted) == ("text", ("helado",), ("gélido",))


def test_pages_after_the_edits_are_told_reflowed_or_renumbered(report, builds):
    _, old, new = builds
    kinds = {c.new: c.kind for c in report.pages.changes}
    assert kinds.get(_page_of(old, DELETED) + 1) == "reflow"   # the rest of chapter VI moved up
    assert kinds.get(_page_of(new, "nieve rala,") + 1) == "figures"   # note marks renumbered, nothing else


def test_cli_json_and_exit_status(builds):
    out, old, new = builds
    res = run_cli("diff", old, new, "--format", "json", "--max-pages", "0")
    assert res.returncode == 1, res.stderr
    data = json.loads(res.stdout)
    assert data["identical"] is False and len(data["parts"]) == 4   # the edited three, the index
    same = run_cli("diff", new, new, "--format", "text", "--max-pages", "0")
    assert same.returncode == 0 and "identical" in same.stdout


def _chromium(chromium: str, *args) -> subprocess.CompletedProcess:
    """Headless Chromium, offline, on a fresh profile."""
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run([chromium, *FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, timeout=120)


def test_html_report_opens_in_headless_chromium(report, tmp_path):
    chromium = shutil.which("chromium") or pytest.skip("chromium is not installed (tools/setup-system.sh)")
    html = tmp_path / "diff.html"
    html.write_text(report_html.to_html(report), encoding="utf-8")
    assert "http://" not in html.read_text() and "https://" not in html.read_text()   # self-contained
    _assert_dom(report, lxml.html.fromstring(_chromium(chromium, "--dump-dom", html.as_uri()).stdout))
    shot = tmp_path / "shot.png"
    _chromium(chromium, "--window-size=1200,1600", f"--screenshot={shot}", html.as_uri())
    img = Image.open(shot).convert("L")
    assert img.size == (1200, 1600)
    dark = sum(img.histogram()[:128]) / (img.width * img.height)
    assert 0.005 < dark < 0.5, f"{dark:.3%} dark pixels: blank or broken page"
    shutil.copy(shot, Path(tempfile.gettempdir()) / "pipeline-diff-report-screenshot.png")   # for a human to look at


def _assert_dom(report, dom) -> None:
    """The page as Chromium parsed it: the edited part under its heading, the
    changed word as <del> and <ins>, page images that decode to pages."""
    (part,) = [p for p in report.parts if p.id == "el-desaliento-y-el-entusiasmo"]
    section = dom.get_element_by_id(f"part-{part.id}")
    assert part.title and part.title in section.find("h2").text_content()
    assert [e.text_content() for e in section.iter("del")] == [" helado"]
    assert [e.text_content() for e in section.iter("ins")] == [" gélido"]
    sources = [img.get("src") for img in dom.iter("img")]
    drawn = [c for c in report.pages.changes if c.imaged]
    assert len(sources) == sum((c.image_old is not None) + (c.image_new is not None) for c in drawn) > 0
    for src in sources[:2]:
        head, data = src.split(",", 1)
        page = Image.open(io.BytesIO(base64.b64decode(data, validate=True)))
        assert head == "data:image/png;base64" and page.height > page.width > 200   # a portrait page at 60 dpi
    assert bool(dom.find_class("capped")) == bool(report.pages.without_images())
