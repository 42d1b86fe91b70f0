"""The real book's accessibility claim, and its EPUB on a phone: the claim
read back from the package, values computed from the Book; the index, the
glossary, the notes and a chapter in a 360 px column at 100 % and 200 %
text in headless Chromium."""

from __future__ import annotations

import zipfile

import pytest
from lxml import etree

from tests import chromium
from tests.integration.test_accessibility import CLAIM, values

pytestmark = pytest.mark.book


def test_the_real_book_claims_what_it_holds(real_epub, real_book):
    assert values(real_epub, "dcterms:conformsTo") == [CLAIM]
    assert values(real_epub, "schema:accessMode") == ["textual"]           # no figures
    assert values(real_epub, "schema:accessModeSufficient") == ["textual"]
    assert values(real_epub, "schema:accessibilityFeature") == [
        "structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability", "index",
        "pageBreakMarkers", "pageNavigation", "annotations"]
    assert values(real_epub, "pageBreakSource") == ["urn:isbn:9788400000004"]   # identifiers.print
    summary = values(real_epub, "schema:accessibilitySummary")[0]
    assert f"{len(real_book.notes)} notas enlazadas con su llamada en ambos sentidos." in summary
    assert "«Índice onomástico» con enlaces a las páginas de cada mención." in summary
    assert "se reúnen en «Abreviaturas»" in summary and "imagen" not in summary and "con encabezados." not in summary


def test_a_passage_in_another_language_says_so_to_xhtml_readers(real_epub):
    root = etree.fromstring(zipfile.ZipFile(real_epub).read("EPUB/epigrafes.xhtml"))
    german = [s for s in root.iter("{*}span") if s.get("lang") == "de"]
    assert german and all(s.get("{http://www.w3.org/XML/1998/namespace}lang") == "de" for s in german)


DOCS = ("index.xhtml", "glossary.xhtml", "notes.xhtml", "nav.xhtml", "mundo-sin-evasion.xhtml", "epigrafes.xhtml")


@pytest.fixture(scope="module")
def measured(real_epub, tmp_path_factory):
    folder = chromium.unpack(real_epub, tmp_path_factory.mktemp("real-screens"))
    return {(r["doc"], r["size"]): r for r in chromium.measure(folder, list(DOCS))}


def test_the_real_book_fits_a_phone_at_100_and_200_percent(measured):
    assert len(measured) == 2 * len(DOCS)
    for (doc, size), r in measured.items():
        assert "error" not in r, (doc, size, r)
        assert r["scrollWidth"] <= r["clientWidth"] == 360, (doc, size, r)
        assert r["wideCount"] == 0, (doc, size, r["wide"])


def test_the_real_index_is_set_as_an_index(measured, real_epub):
    for size in ("100%", "200%"):
        assert measured[("index.xhtml", size)]["markers"] == 0
    index = zipfile.ZipFile(real_epub).read("EPUB/index.xhtml").decode()
    assert 'class="locator"' in index and ">p. " in index
