"""The fixture's EPUB on a phone: every document read in headless Chromium
in a 360 px column at 100 % and 200 % text, with nothing wider than the
screen; the index set without list markers; the text hyphenated by its
language. A planted document proves the measure sees what it must refuse."""

from __future__ import annotations

import pytest

from tests import chromium

# Wider than any phone, and a bulleted list: what the measure must catch.
PLANTED = """<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" lang="es" xml:lang="es"><head><title>x</title>
<link rel="stylesheet" type="text/css" href="css/book.css"/></head>
<body><div id="wide" style="width: 30em">ancho</div><ul><li>viñeta</li></ul></body></html>
"""


@pytest.fixture(scope="module")
def measured(fixture_epub, tmp_path_factory):
    folder = chromium.unpack(fixture_epub, tmp_path_factory.mktemp("screens"))
    (folder / "_planted.xhtml").write_text(PLANTED, "utf-8")
    docs = sorted(p.name for p in folder.glob("*.xhtml"))
    return {(r["doc"], r["size"]): r for r in chromium.measure(folder, docs)}


def test_every_document_fits_360_px_at_100_and_200_percent(measured):
    docs = {doc for doc, _ in measured if doc != "_planted.xhtml"}
    assert len(docs) >= 10 and {"index.xhtml", "glossary.xhtml", "notes.xhtml", "nav.xhtml"} <= docs
    for (doc, size), r in measured.items():
        if doc == "_planted.xhtml":
            continue
        assert "error" not in r, (doc, size, r)
        assert r["clientWidth"] == 360 and r["scrollWidth"] <= 360, (doc, size, r)
        assert r["wideCount"] == 0, (doc, size, r["wide"])


def test_the_measure_catches_a_wide_element_and_a_bullet(measured):
    for size in ("100%", "200%"):
        planted = measured[("_planted.xhtml", size)]
        assert planted["scrollWidth"] > 360 and any(w.startswith("div#wide") for w in planted["wide"])
        assert planted["markers"] == 1


def test_images_scale_to_the_column(measured):
    images = [(doc, size, img) for (doc, size), r in measured.items() for img in r["images"]
              if doc != "cover.xhtml"]
    assert images, "the fixture shows an image"
    for doc, size, img in images:
        assert img["complete"] and 0 < img["width"] <= 360, (doc, size, img)


def test_the_index_has_no_list_markers(measured):
    for size in ("100%", "200%"):
        assert measured[("index.xhtml", size)]["markers"] == 0
        assert measured[("nav.xhtml", size)]["markers"] == 0


def test_text_is_hyphenated_by_its_language(measured):
    chapter = measured[("capitulo-uno.xhtml", "100%")]
    assert chapter["lang"] == "es" and chapter["hyphens"] == ["auto"]
