"""The fixture book in a real reading engine (foliate-js in headless
Chromium, tools/reader/): every document at phone and tablet size, paginated
and scrolled; notes in pop-ups; every page of the page-list; index and
glossary links. And the checks themselves: a book made to overflow and to
fall back to a system face is caught."""

from __future__ import annotations

import re
import shutil
import zipfile

import pytest

from pipeline.build import build
from tests import reading
from tests.conftest import FIXTURE


@pytest.fixture(scope="module")
def fixture_book(tmp_path_factory):
    out = tmp_path_factory.mktemp("reading-fixture")
    result = build(FIXTURE, out / "book", formats=("epub", "pdf"))
    return result.outputs["epub"], result.outputs["pdf"], out


@pytest.fixture(scope="module")
def fixture_reading(fixture_book):
    epub, pdf, out = fixture_book
    pages = reading.page_labels(epub)
    report = reading.run(epub, out / "reading", pages, notes=20, index_links=20, glossary_links=20)
    return report, reading.judge(report, pdf), out / "reading"


def test_every_document_opens_and_paginates_at_both_sizes_and_scrolled(fixture_reading):
    report, verdict, _ = fixture_reading
    assert [m["name"] for m in report["modes"]] == ["phone", "tablet", "scrolled"]
    assert verdict.of("opens") == []
    for mode in report["modes"]:
        docs = mode["documents"]
        assert len(docs) == mode["sections"] >= 6
        if mode["flow"] == "paginated":
            assert all(d["pages"] >= 1 for d in docs)
    phone, tablet = report["modes"][0], report["modes"][1]
    chapter = next(i for i, d in enumerate(phone["documents"]) if "capitulo-uno" in d["name"])
    assert phone["documents"][chapter]["pages"] > tablet["documents"][chapter]["pages"]


def test_nothing_overflows_and_no_image_is_cut(fixture_reading):
    report, verdict, _ = fixture_reading
    assert verdict.of("overflow") == [] and verdict.of("cut") == []
    assert sum(d["cut"]["images"] for d in report["modes"][0]["documents"]) >= 1   # the fixture's image was measured


def test_the_embedded_face_draws_the_text(fixture_reading):
    report, verdict, _ = fixture_reading
    assert verdict.of("face") == []
    probes = [p for d in report["modes"][0]["documents"] for p in d.get("fonts", {}).get("probes", [])]
    assert len(probes) >= 6
    assert {p["selector"] for p in probes} >= {"p", "em, i", "h1, h2"}
    assert all(f["isCustomFont"] for p in probes for f in p["platform"])


def test_notes_open_in_a_pop_up_and_their_back_link_returns(fixture_reading):
    report, verdict, out = fixture_reading
    notes = report["modes"][0]["notes"]
    assert len(notes) >= 3 and verdict.of("notes") == []
    assert {n["type"] for n in notes} == {"endnote"}
    assert all(n["backVisible"] for n in notes)
    assert (out / "note-popup.png").stat().st_size > 1000


def test_every_print_page_lands_where_the_pdf_page_begins(fixture_reading, fixture_book):
    report, verdict, _ = fixture_reading
    epub = fixture_book[0]
    assert verdict.of("page-list") == []
    for mode in report["modes"][:2]:
        pages = mode["pageList"]["pages"]
        assert len(pages) == len(reading.page_labels(epub)) >= 5
        assert all(p["visible"] and p["text"] for p in pages)


def test_index_and_glossary_links_land_on_their_targets(fixture_reading):
    report, verdict, out = fixture_reading
    links = report["modes"][0]["links"]
    assert verdict.of("links") == []
    assert {"locator", "xref", "glossary"} <= {link["kind"] for link in links}
    assert all(link.get("visible") for link in links)
    assert (out / "index.png").is_file()


def test_screenshots_of_every_document_first_page(fixture_reading):
    report, _, out = fixture_reading
    for mode in report["modes"][:2]:
        for doc in mode["documents"]:
            assert (out / doc["screenshot"]).stat().st_size > 500


def test_the_checks_catch_an_overflow_and_a_system_face(fixture_book, tmp_path):
    """A stylesheet that sets a paragraph 900 px wide and the titles in a
    face the book does not embed: the verdict names both."""
    epub = fixture_book[0]
    bad = tmp_path / "bad.epub"
    with zipfile.ZipFile(epub) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.endswith(".css"):
                data += b"\np { width: 900px; }\nh1 { font-family: 'DejaVu Sans', sans-serif; }\n"
            dst.writestr(item, data)
    report = reading.run(bad, tmp_path / "reading", modes=["phone"], notes=0, index_links=0, index_xrefs=0,
                         glossary_links=0)
    verdict = reading.judge(report)
    assert any(re.search(r"<p> .* overflows the page by \d+ px", p) for p in verdict.of("overflow"))
    assert any("asks for DejaVu Sans" in p for p in verdict.of("face"))


def test_a_page_that_begins_elsewhere_fails_the_comparison(fixture_book):
    """The comparison with the PDF is not vacuous: one page's words are not the next one's."""
    epub, pdf, _ = fixture_book
    first, second = (reading.pdf_page(pdf, int(n)) for n in reading.page_labels(epub)[-3:-1])
    assert first.words and second.words
    assert reading.lands_on_print_page(" ".join(second.words[:12]), second)
    assert not reading.lands_on_print_page(" ".join(second.words[:12]), first)
