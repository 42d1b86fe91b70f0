"""The EPUB's subset faces: every character the book shows, the features the
stylesheet asks for, the licence, no build timestamp; the same bytes twice."""

import io
from pathlib import Path

from fontTools.ttLib import TTFont

from pipeline.render.epub import fonts

STYLES_FONTS = Path(__file__).resolve().parents[2] / "styles" / "fonts"
TEXT = "Memorias de un revolucionario: «¿Qué hacer?» — 1905-1945, Ñ, ö, œ, ﬁ… CNT POUM"


def subset(text=TEXT, face="EBGaramond12-Regular.otf") -> TTFont:
    return TTFont(io.BytesIO(fonts._subset(STYLES_FONTS / face, text)))


def test_every_character_of_the_text_is_kept_and_little_else():
    font = subset()
    cmap = font.getBestCmap()
    assert {ord(c) for c in TEXT} <= set(cmap)
    full = TTFont(STYLES_FONTS / "EBGaramond12-Regular.otf")
    assert len(font.getGlyphOrder()) < len(full.getGlyphOrder()) / 3


def test_small_caps_figures_and_ligatures_survive():
    features = {r.FeatureTag for r in subset()["GSUB"].table.FeatureList.FeatureRecord}
    assert {"smcp", "c2sc", "onum", "liga"} <= features


def test_licence_kept_and_timestamp_table_dropped():
    font = subset()
    assert font["name"].getDebugName(13)          # the OFL licence text
    assert "FFTM" not in font


def test_same_text_same_bytes():
    a = fonts._subset(STYLES_FONTS / "EBGaramond12-Italic.otf", TEXT)
    b = fonts._subset(STYLES_FONTS / "EBGaramond12-Italic.otf", "".join(reversed(TEXT)))
    assert a == b
