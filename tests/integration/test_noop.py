"""The no-op rebuild (pipeline/freshness.py): nothing changed, nothing done;
any change to what a build reads, or to its outputs, and it builds again."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import freshness
from pipeline.build import STYLES, build

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "sample"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def built(tmp_path):
    ms = tmp_path / "ms"
    shutil.copytree(FIXTURE, ms)
    out = tmp_path / "out"
    first = build(ms, out)
    return ms, out, first


def outputs_bytes(result):
    return {fmt: path.read_bytes() for fmt, path in result.outputs.items()}


def test_nothing_changed_nothing_done(built):
    ms, out, first = built
    times = {p: p.stat().st_mtime_ns for p in first.outputs.values()}
    again = build(ms, out)
    assert again.book is None and first.book is not None
    assert again.outputs == first.outputs and outputs_bytes(again) == outputs_bytes(first)
    assert [str(d) for d in again.diagnostics] == [str(d) for d in first.diagnostics]
    assert {p: p.stat().st_mtime_ns for p in again.outputs.values()} == times


@pytest.mark.parametrize("change", ["manuscript", "register", "output", "options", "styles"])
def test_any_change_builds_again(built, tmp_path, change):
    ms, out, first = built
    styles = STYLES
    kwargs = {}
    if change == "manuscript":
        chapter = ms / "02-capitulo-uno.md"
        chapter.write_text(chapter.read_text("utf-8").replace("paradoja", "contradicción"), "utf-8")
    elif change == "register":
        (ms / "abbreviations.yaml").write_text((ms / "abbreviations.yaml").read_text("utf-8") + "\n", "utf-8")
    elif change == "output":
        with first.outputs["epub"].open("ab") as f:
            f.write(b"tampered")
    elif change == "options":
        kwargs["formats"] = ("epub",)
    else:
        styles = tmp_path / "styles"
        shutil.copytree(STYLES, styles)
        (styles / "print.css").write_text((styles / "print.css").read_text("utf-8") + "\n/* x */\n", "utf-8")
    again = build(ms, out, styles=styles, **kwargs)
    assert again.book is not None
    assert freshness.fresh(out, "no such stamp") is None


def test_the_code_enters_the_stamp(tmp_path, monkeypatch):
    code = tmp_path / "code"
    code.mkdir()
    (code / "a.py").write_text("x = 1\n")
    monkeypatch.setattr(freshness, "CODE", code)
    opts = freshness.options(["epub"], False, None)
    before = freshness.stamp(FIXTURE, STYLES, tmp_path / "out", opts)
    (code / "a.py").write_text("x = 2\n")
    assert freshness.stamp(FIXTURE, STYLES, tmp_path / "out", opts) != before


def test_the_command_line_answers_without_loading_the_pipeline(built):
    ms, out, _ = built
    probe = ("import sys; from pipeline.cli import main; sys.argv=['pipeline','build',sys.argv[1],'-o',sys.argv[2]];"
             "code = main(); loaded = [m for m in ('pipeline.build', 'weasyprint', 'rich') if m in sys.modules];"
             "print('LOADED', loaded, code)")
    run = subprocess.run([sys.executable, "-c", probe, str(ms), str(out)], cwd=ROOT, capture_output=True, text=True)
    assert "LOADED [] 0" in run.stdout, run.stdout + run.stderr
    assert "up to date:" in run.stdout
