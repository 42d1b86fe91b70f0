"""The real book in a real reading engine (foliate-js in headless Chromium,
tools/reader/): every document at phone and tablet size and scrolled, notes
in pop-ups, 40 print pages sampled from the page-list at both sizes, index
and glossary links. Screenshots and the engine's report go to the session's
tmp folder (`make reading` writes them to output/reports/reading/)."""

from __future__ import annotations

import pytest

from tests import reading

pytestmark = pytest.mark.book


@pytest.fixture(scope="module")
def book_reading(real_build, tmp_path_factory):
    epub, pdf = real_build.outputs["epub"], real_build.outputs["pdf"]
    pages = reading.sample_pages(reading.page_labels(epub))
    out = tmp_path_factory.mktemp("reading-book")
    report = reading.run(epub, out, pages)
    return report, reading.judge(report, pdf), pages, out


def test_every_document_opens_paginates_and_fits_at_both_sizes(book_reading):
    report, verdict, _, _ = book_reading
    assert [m["name"] for m in report["modes"]] == ["phone", "tablet", "scrolled"]
    assert verdict.of("opens") == [] and verdict.of("overflow") == [] and verdict.of("cut") == []
    assert all(len(m["documents"]) == m["sections"] >= 20 for m in report["modes"])


def test_the_embedded_face_draws_every_document(book_reading):
    _, verdict, _, _ = book_reading
    assert verdict.of("face") == []


@pytest.mark.xfail(strict=True, reason="issue 21 regression after the session-8 merges: the page-list marker of p. 293 stands one word late (the PDF page begins 'ha dicho', the marker before 'dicho'); cause not yet found (EPUB markers rewritten to read each element once, or the reflow)")
def test_forty_print_pages_land_where_the_pdf_pages_begin(book_reading):
    report, verdict, pages, _ = book_reading
    assert len(pages) == 40 and len(set(pages)) == 40
    assert verdict.of("page-list") == []
    assert verdict.counts["phone print pages landed"] == verdict.counts["tablet print pages landed"] == "40/40"
    generated = [p for p in report["modes"][0]["pageList"]["pages"]
                 if any(name in p["href"] for name in ("notes.xhtml", "glossary.xhtml", "index.xhtml"))]
    assert generated, "the sample reaches the notes or the index"


def test_notes_open_in_pop_ups_and_back_links_return(book_reading):
    report, verdict, _, out = book_reading
    assert verdict.of("notes") == [] and len(report["modes"][0]["notes"]) >= 8
    assert (out / "note-popup.png").is_file()


def test_index_and_glossary_links_land_on_their_mentions(book_reading):
    report, verdict, _, out = book_reading
    links = report["modes"][0]["links"]
    assert verdict.of("links") == []
    assert sum(link["kind"] == "locator" for link in links) >= 10
    assert sum(link["kind"] == "glossary" for link in links) >= 3
    assert (out / "index.png").is_file()


def test_the_whole_reading_stays_quick(book_reading):
    report, _, _, _ = book_reading
    assert report["seconds"] < 240
