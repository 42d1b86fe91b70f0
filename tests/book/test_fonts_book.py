"""One font program per face in the real book's PDF (issue 17, item 3).

Before the merge shared them, the 610 pages carried 41 programs named
NUZITP+EB-Garamond-Print and 36 of the italic: different subsets under one
tag. Read back from the session's build (tests/book/conftest.py)."""

from __future__ import annotations

import shutil

import pikepdf
import pytest

from pipeline.build import STYLES, build
from pipeline.preflight import OK
from pipeline.preflight.fonts import missing_glyphs, programs_check, programs_of
from tests.conftest import MANUSCRIPT
from tests.fontcheck import SUBSET, pdffonts, programs, text_of, uncovered

pytestmark = pytest.mark.book


def test_pdffonts_lists_each_face_once(real_pdf):
    names = pdffonts(real_pdf.path)
    faces = [SUBSET.sub("", n) for n in names]
    assert len(faces) == len(set(faces)) and "EB-Garamond-Print" in faces
    assert len({n[:6] for n in names}) == len(names)


def test_one_program_per_face_and_the_preflight_agrees(real_pdf):
    with pikepdf.open(real_pdf.path) as pdf:
        held = programs(pdf)
        findings = programs_check(programs_of(pdf))
    assert all(len(p) == 1 for p in held.values()), {f: len(p) for f, p in held.items()}
    assert [f for f in findings if f.status != OK] == []


def test_every_glyph_shown_is_in_the_one_program(real_pdf):
    # Every 7th page, and all of the front matter and the index (other units, other glyphs).
    count = real_pdf.page_count
    pages = set(range(0, count, 7)) | set(range(20)) | set(range(count - 40, count))
    assert uncovered(real_pdf.path, STYLES / "fonts", pages) == []


def test_every_character_printed_maps_to_a_glyph_of_its_program(real_pdf):
    """pdftotext reads each character through a font's /ToUnicode: every one
    of them is the text of a glyph that its font's one program holds."""
    with pikepdf.open(real_pdf.path) as pdf:
        fonts = programs_of(pdf)
    assert all(not missing_glyphs(f) for f in fonts)
    mapped = {c for f in fonts for text in f.glyphs.values() for c in text}
    printed = set(text_of(real_pdf.path)) - set(" \n\f")
    assert printed and printed <= mapped | {"\u00a0"}, sorted(printed - mapped)


def test_merged_again_from_the_cache_gives_the_same_bytes(real_build, tmp_path):
    """The fonts are shared at every merge: a build whose units all come from
    the cache merges again, to the same bytes and the same text."""
    pdf = real_build.outputs["pdf"]
    out = tmp_path / "again"
    out.mkdir()
    shutil.copytree(pdf.parent / ".cache", out / ".cache", ignore=shutil.ignore_patterns("built.json"))
    again = build(MANUSCRIPT, out, formats=("pdf",)).outputs["pdf"]
    assert again.read_bytes() == pdf.read_bytes()
    assert text_of(again) == text_of(pdf)
