"""The real book, imported once per test session."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROFILE = ROOT / "pipeline" / "importer" / "profiles" / "serge-memorias"
SEED = PROFILE / "source.txt"  # the text extracted from the printed book; origin in source-map.md
MANUSCRIPT = ROOT / "manuscript"


def run_import(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", "import", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True)


@pytest.fixture(scope="session")
def book_source():
    from pipeline.importer import source

    return source.load(SEED, PROFILE, MANUSCRIPT / "corrections.yaml")


@pytest.fixture(scope="session")
def imported(tmp_path_factory):
    """`python -m pipeline import` of the real book into a fresh folder."""
    out = tmp_path_factory.mktemp("import") / "manuscript"
    out.mkdir()
    shutil.copy(MANUSCRIPT / "corrections.yaml", out / "corrections.yaml")
    done = run_import(SEED, "-o", out, "--profile", "serge-memorias",
                   "--report", out.parent / "import-report.md")
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="session")
def part_text(imported):
    def read(name: str) -> str:
        return (imported / name).read_text("utf-8")
    return read
