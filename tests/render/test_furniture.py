"""Page furniture (render/pdf/furniture.py): the plan of heads and folios, and
the PDF built from units: serial, parallel and cached give the same bytes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from pipeline.build import load_book
from pipeline.diagnostics import Report
from pipeline.render.pdf import furniture as fu
from pipeline.render.pdf import notes as notes_
from pipeline.render.pdf import STYLES, render_pdf, units

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "sample"

SECTIONS = [fu.Section("_half-title", 1, True, ""), fu.Section("_toc", 5, False, "Índice"),
            fu.Section("cap-1", 7, False, "Mundo"), fu.Section("notes", 13, False, "Notas", notes=True)]


def test_plan_follows_the_book_rules():
    pages = fu.plan(SECTIONS, 16, blanks={2, 12}, book_title="Memorias", notes_heads={14: "Notas a la página 8"})
    kinds = [p.kind for p in pages]
    assert kinds[:4] == [fu.NONE] * 4                       # front matter, its blank
    assert pages[4] == fu.Furniture(fu.OPENING, folio="5")   # the contents open
    assert pages[5] == fu.Furniture(fu.VERSO, "Memorias", "6")
    assert pages[6].kind == fu.OPENING and pages[7] == fu.Furniture(fu.VERSO, "Memorias", "8")
    assert pages[8] == fu.Furniture(fu.RECTO, "Mundo", "9")
    assert pages[11].kind == fu.NONE                         # blank verso before the notes
    assert pages[12] == fu.Furniture(fu.OPENING, folio="13")
    assert pages[13] == fu.Furniture(fu.NOTES_VERSO, "Notas a la página 8", "14")
    assert pages[14] == fu.Furniture(fu.NOTES_RECTO, "Notas", "15")   # no note starts or ends: the title


def test_furniture_html_has_one_page_per_plan_entry():
    pages = fu.plan(SECTIONS, 16, set(), "Memorias", {})
    html = fu.furniture_html(pages, "es")
    assert html.count('class="fp fp-') == 16
    assert 'data-head="Memorias" data-folio="6"' in html


def test_heads_by_page_spans_the_calls_of_the_notes_standing_there(tmp_path):
    book = load_book(FIXTURE, None, Report())
    first, second = [n for n in book.notes if n.ref_ids][:2]
    pages = {first.ref_ids[0]: 9, second.ref_ids[0]: 11,
             f"np-{first.key}-0": 20, f"np-{first.key}-end": 21,
             f"np-{second.key}-0": 21, f"np-{second.key}-end": 21}
    heads = notes_.heads_by_page(book.notes, pages, "es")
    assert heads == {20: "Notas a la página 9", 21: "Notas a las páginas 9–11"}


@pytest.fixture(scope="module")
def book():
    return load_book(FIXTURE, None, Report())


def test_serial_parallel_and_cached_layouts_give_the_same_bytes(book, tmp_path):
    """... and the EPUB written alongside (forked, as the PDF is merged, or
    after it when serial) is the same EPUB either way."""
    from pipeline.render.epub import render_epub

    def epub(name):
        return lambda pdf: render_epub(book, tmp_path / name, STYLES, pdf.anchors, list(pdf.page_starts))

    serial = render_pdf(book, tmp_path / "serial.pdf", jobs=1, alongside=epub("serial.epub"))
    parallel = render_pdf(book, tmp_path / "parallel.pdf", jobs=2, cache_dir=tmp_path / "cache",
                          alongside=epub("parallel.epub"))
    cached = render_pdf(book, tmp_path / "cached.pdf", jobs=2, cache_dir=tmp_path / "cache")
    assert len(list((tmp_path / "cache" / "layout").glob("*.pickle"))) >= 5
    data = serial.path.read_bytes()
    assert parallel.path.read_bytes() == data and cached.path.read_bytes() == data
    assert serial.anchors == parallel.anchors == cached.anchors
    assert (tmp_path / "parallel.epub").read_bytes() == (tmp_path / "serial.epub").read_bytes()


def test_a_lost_bet_on_the_contents_page_count_plays_the_round_again(book, tmp_path, monkeypatch):
    """The contents are laid out again with the pages, together with the
    index and the heads, on the bet that their page count stands. Here the
    first layout of the contents claims two pages more, so the bet is lost:
    the round is played again and the book is the one a won bet gives."""
    from dataclasses import replace

    run, both = units.Layouts.run, units.Layouts.both
    rounds = []

    def longer_contents(self, wanted):
        return {n: replace(u, count=u.count + 2) if u.needs_pages else u for n, u in run(self, wanted).items()}

    def counted(self, wanted, documents):
        rounds.append(sorted(wanted))
        return both(self, wanted, documents)

    monkeypatch.setattr(units.Layouts, "both", counted)
    expected = render_pdf(book, tmp_path / "won.pdf", jobs=1).path.read_bytes()
    numbered = ["_front", "index", "notes"]   # after the first layout of every unit, with the pages
    assert [r for r in rounds[1:] if r] == [numbered]
    rounds.clear()
    monkeypatch.setattr(units.Layouts, "run", longer_contents)
    lost = render_pdf(book, tmp_path / "lost.pdf", jobs=1)
    assert [r for r in rounds[1:] if r] == [numbered] * 2
    assert lost.path.read_bytes() == expected


def test_a_cached_unit_is_never_served_after_a_change(book, tmp_path, monkeypatch):
    """A changed style (or font, or code) changes every key; a changed text only its unit's."""
    cache = tmp_path / "cache"
    render_pdf(book, tmp_path / "a.pdf", jobs=1, cache_dir=cache)
    before = set((cache / "layout").glob("*.pickle"))
    styles = tmp_path / "styles"
    subprocess.run(["cp", "-r", str(units.CODE.parents[2] / "styles"), str(styles)], check=True)
    with (styles / "print.css").open("a") as css:
        css.write("\n/* changed */\n")
    render_pdf(book, tmp_path / "b.pdf", styles_dir=styles, jobs=1, cache_dir=cache)
    after = set((cache / "layout").glob("*.pickle"))
    assert len(after - before) == len(before)   # every unit laid out again


def test_pages_and_folios_of_the_merged_book(book, tmp_path):
    result = render_pdf(book, tmp_path / "book.pdf", jobs=2)
    chapter = result.anchors["capitulo-uno"]
    assert chapter % 2 == 1                     # a recto
    foot = subprocess.run(["pdftotext", "-f", str(chapter), "-l", str(chapter), str(result.path), "-"],
                          capture_output=True, text=True, check=True).stdout.split()
    assert foot[-1] == str(chapter)             # its drop folio is its physical page
