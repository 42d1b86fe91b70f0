"""`diff REV1 REV2`: two git revisions of a manuscript, each exported and built.

The fixture manuscript is committed into a temporary repository, once at its
root and once in a subfolder (as manuscript/ sits in this project), then
edited for real (a word changed in chapter II, a note added in chapter I)
and committed again. Only the small fixture is ever built.
"""

from __future__ import annotations

import shutil
import subprocess
from contextlib import ExitStack
from pathlib import Path

import pytest

from pipeline.build import build
from pipeline.diff import DiffError, compare, inputs
from tests.conftest import FIXTURE, run_cli

NOTE = "Nota añadida por el corrector."
GIT = ["git", "-c", "user.name=Proofreader", "-c", "user.email=proof@example.org", "-c", "commit.gpgsign=false"]


def _git(repo: Path, *args: str) -> str:
    return subprocess.run([*GIT, "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout.strip()


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path.name}: {old!r} should occur once"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _edit(ms: Path) -> None:
    """A word changed in chapter II; a note added at the end of chapter I, so no
    other note is renumbered and the report must hold exactly these two changes."""
    _replace(ms / "03-capitulo-dos.md", "fueron largos.", "fueron breves.")
    ch1 = ms / "02-capitulo-uno.md"
    _replace(ch1, "la narración sigue —", "la narración sigue[^nueva] —")
    ch1.write_text(ch1.read_text(encoding="utf-8") + f"\n[^nueva]: {NOTE}\n", encoding="utf-8")


def _repository(root: Path, sub: str) -> Path:
    """A repository with a README commit, then the fixture at `sub`, then the edit:
    HEAD~2 has no manuscript, HEAD~1 the fixture, HEAD the edited fixture."""
    _git(root.parent, "init", "-q", root.name)
    (root / "README").write_text("a book\n")
    _git(root, "add", "README")
    _git(root, "commit", "-q", "-m", "start")
    ms = root / sub if sub else root
    shutil.copytree(FIXTURE, ms, dirs_exist_ok=True)
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "the fixture")
    _edit(ms)
    _git(root, "commit", "-q", "-am", "a proofreader's corrections")
    return ms


@pytest.fixture(scope="module")
def flat(tmp_path_factory) -> Path:
    """The manuscript at the repository's root."""
    return _repository(tmp_path_factory.mktemp("flat") / "repo", "")


@pytest.fixture(scope="module")
def nested(tmp_path_factory) -> Path:
    """The manuscript in book/manuscript/, with an export-ignore that `git archive`
    would obey (and so drop book.yaml); an export must not."""
    root = tmp_path_factory.mktemp("nested") / "repo"
    root.mkdir()
    (root / "book" / "manuscript").mkdir(parents=True)
    (root / "book" / "manuscript" / ".gitattributes").write_text("*.yaml export-ignore\n")
    return _repository(root, "book/manuscript")


@pytest.fixture(scope="module")
def report(flat, tmp_path_factory):
    old, new = _git(flat, "rev-parse", "HEAD~1"), _git(flat, "rev-parse", "HEAD")
    with ExitStack() as stack:
        a, b = inputs.resolve(old, new, tmp_path_factory.mktemp("out"), flat, stack, build)
        return compare(a, b, max_images=0)


# -- the Python API --------------------------------------------------------------

def test_report_names_exactly_the_changed_word_and_the_added_note(report):
    parts = {p.id: p for p in report.changed_parts}
    assert set(parts) == {"capitulo-uno", "capitulo-dos"}
    words, notes = parts["capitulo-dos"], parts["capitulo-uno"]
    (hunk,) = words.hunks
    assert [c for c in hunk.chunks if c[0] != "equal"] == [("delete", " largos"), ("insert", " breves")]
    assert not words.notes
    assert [(c.kind, c.new_mark, c.new_text) for c in notes.notes] == [("added", "4", NOTE)]
    (hunk,) = notes.hunks
    assert [c for c in hunk.chunks if c[0] != "equal"] == [("insert", "[^4]")]
    s = report.summary()
    assert (s["words_inserted"], s["words_deleted"], s["notes_added"], s["notes_renumbered"]) == (1, 1, 1, 0)


def test_both_revisions_are_laid_out(report):
    assert report.pages is not None and report.pages.first_layout_change is not None
    assert report.pages.of_kind("text") and not report.identical


# -- the command line --------------------------------------------------------------

def _diff(ms: Path, *revs: str, cwd=None) -> subprocess.CompletedProcess:
    where = ms.relative_to(cwd) if cwd else ms
    kwargs = {"cwd": cwd} if cwd else {}
    return run_cli("diff", *revs, "--manuscript", where, "--output", ms.parent / "out", "--format", "text",
                   "--max-pages", "0", **kwargs)


def test_cli_two_revisions_of_a_manuscript_in_a_subfolder(nested):
    """Run from the repository's root with a relative --manuscript, as in this project."""
    out = _diff(nested, "HEAD~1", "HEAD", cwd=nested.parents[1])
    assert out.returncode == 1, out.stderr
    assert "[-largos-]{+breves+}" in out.stdout.replace("[- largos-]{+ breves+}", "[-largos-]{+breves+}")
    assert f"note 4 added: {NOTE}" in out.stdout
    assert "words: +1 -1" in out.stdout and "notes: 1 added, 0 removed, 0 edited, 0 renumbered" in out.stdout


def test_cli_same_revision_twice_is_identical(flat):
    out = _diff(flat, "HEAD", "HEAD")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("diff HEAD -> HEAD: identical")


def test_cli_revision_that_does_not_exist(flat):
    out = _diff(flat, "HEAD", "no-such-branch")
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.startswith("no-such-branch: D003 not a snapshot") and len(out.stderr.splitlines()) == 1


@pytest.mark.parametrize("rev", ["--output=evil.tar", "-h"])
def test_cli_revision_starting_with_a_dash_is_refused(flat, rev):
    out = run_cli("diff", "--manuscript", flat, "--output", flat.parent / "out", "--", rev, "HEAD")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert out.stderr == f"{rev}: D002 no such file, and a git revision cannot start with '-'\n"
    assert not (Path.cwd() / "evil.tar").exists() and not (flat / "evil.tar").exists()


def test_a_dash_revision_never_reaches_git(flat, tmp_path, monkeypatch):
    calls = []
    real = subprocess.run
    monkeypatch.setattr(inputs.subprocess, "run", lambda argv, **kw: calls.append(argv) or real(argv, **kw))
    assert inputs.git_commit(flat, "--git-dir") is None
    with ExitStack() as stack, pytest.raises(DiffError, match="cannot start with '-'"):
        inputs.resolve("--output=x.tar", "HEAD", tmp_path, flat, stack)
    assert calls == []


# -- exporting a revision ------------------------------------------------------------

def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_export_from_a_subfolder_is_the_folder_at_that_revision(nested, tmp_path):
    old = inputs.export_revision("HEAD~1", nested, tmp_path / "old")
    new = inputs.export_revision("HEAD", nested, tmp_path / "new")
    assert _files(new) == _files(nested)                       # book.yaml kept despite export-ignore
    assert _files(old) == {".gitattributes": b"*.yaml export-ignore\n", **_files(FIXTURE)}
    assert not (old / "book").exists() and not (old / "README").exists()


def test_export_before_the_manuscript_existed(nested, tmp_path):
    with pytest.raises(DiffError, match=r"D010 revision HEAD~2: git cannot read this folder at that revision"):
        inputs.export_revision("HEAD~2", nested, tmp_path / "none")


def test_export_refuses_a_symbolic_link(tmp_path):
    repo = tmp_path / "repo"
    _git(tmp_path, "init", "-q", "repo")
    (repo / "book.yaml").symlink_to("/etc/passwd")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "a link out")
    with pytest.raises(DiffError, match="book.yaml is not a plain file"):
        inputs.export_revision("HEAD", repo, tmp_path / "out")
    assert not (tmp_path / "out" / "book.yaml").exists()


def test_cli_revision_that_does_not_build(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURE, repo)
    (repo / "03-capitulo-dos.md").write_text("# Sin nota\n\nUna llamada[^falta] sin su nota.\n", encoding="utf-8")
    _git(tmp_path, "init", "-q", "repo")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "a broken chapter")
    out = _diff(repo, "HEAD", "HEAD")
    assert out.returncode == 2 and len(out.stderr.splitlines()) == 1, out.stderr
    assert out.stderr == (f"{repo}: D008 revision HEAD: the manuscript does not build: "
                          f"{repo}/03-capitulo-dos.md:3: N001 reference to undefined note [^falta]\n")
