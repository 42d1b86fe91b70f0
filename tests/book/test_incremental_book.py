"""The live preview's incremental layout on the real book (engines/weasyprint.py
`keeping`): chapter III, one word of its first paragraph changed, laid out
again from its kept layout, is the unit a cold layout makes, byte for byte,
with most of its pages taken from the kept layout (~10 s: three layouts of
a 45-page chapter)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pipeline.engines import weasyprint as engine
from pipeline.render.pdf import STYLES, units

pytestmark = pytest.mark.book
CHAPTER = "el-desaliento-y-el-entusiasmo"   # chapter III, 05-el-desaliento-y-el-entusiasmo.md


def test_chapter_three_edited_is_laid_out_from_its_kept_layout_as_cold(real_book, monkeypatch):
    monkeypatch.setattr(units, "_KEEPING", [None])
    monkeypatch.setattr(engine, "_KEPT", {})
    units.keep_layouts()
    setting = units.Setting(real_book, STYLES, False)
    first = units.lay_out_unit(setting, CHAPTER, None)
    chapter = real_book.document(CHAPTER)
    assert "mortalmente helado." in chapter.html
    edited = replace(chapter, html=chapter.html.replace("mortalmente helado.", "mortalmente gélido.", 1))
    book = replace(real_book, documents=tuple(edited if d.id == CHAPTER else d for d in real_book.documents))
    setting = units.Setting(book, STYLES, False)
    again = units.lay_out_unit(setting, CHAPTER, None)
    made = engine.kept((CHAPTER, setting.version)).made
    units._KEEPING[0] = None
    cold = units.lay_out_unit(setting, CHAPTER, None)
    assert again == cold and again.laid.pdf != first.laid.pdf
    assert made <= 3 < cold.count
