"""Two builds of the same manuscript, in different folders and at different
times, give byte-identical EPUB and PDF."""

from __future__ import annotations

import hashlib
import os
import shutil
import time

from pipeline.build import build
from tests.conftest import FIXTURE


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_epub_and_pdf_reproducible(tmp_path, monkeypatch):
    first = build(shutil.copytree(FIXTURE, tmp_path / "a" / "ms"), tmp_path / "a" / "out")
    time.sleep(1.1)  # a different second for anything that would read the clock
    monkeypatch.setenv("TZ", "America/Mexico_City")
    time.tzset()
    try:
        second = build(shutil.copytree(FIXTURE, tmp_path / "b" / "elsewhere"), tmp_path / "b" / "out2")
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    for fmt in ("epub", "pdf"):
        assert digest(first.outputs[fmt]) == digest(second.outputs[fmt]), fmt
    assert os.path.getsize(first.outputs["pdf"]) > 10_000
