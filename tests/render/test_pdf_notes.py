"""Notes in print, on the fixture: endnote heads, footnotes cut and carried, nothing lost.

The fixture's notes are short; to make them overflow, a temp copy of the
frozen Book has every note lengthened (nothing in tests/fixtures changes).
"""

from __future__ import annotations

import html
import re
import subprocess
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree

from pipeline.build import load_book
from pipeline.diagnostics import Report
from pipeline.render.pdf import render_pdf
from pipeline.render.pdf import notes as notes_

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "sample"
MM = 72 / 25.4
FILLER = " Texto añadido para alargar la nota, con palabras corrientes y alguna más larga como revolucionario."


def footnote_mode(book):
    notes = book.config.notes.model_copy(update={"print": "footnotes"})
    return replace(book, config=book.config.model_copy(update={"notes": notes}))


def lengthen_notes(book, times):
    docs = tuple(replace(d, notes=tuple(replace(n, html=n.html.replace("</p>", FILLER * times + "</p>", 1))
                                        for n in d.notes)) for d in book.documents)
    return replace(book, documents=docs)


@pytest.fixture(scope="module")
def book():
    return load_book(FIXTURE, None, Report())


@pytest.fixture(scope="module")
def long_endnotes(book, tmp_path_factory):
    longer = lengthen_notes(book, 40)
    return longer, render_pdf(longer, tmp_path_factory.mktemp("notes") / "endnotes.pdf")


@pytest.fixture(scope="module")
def long_footnotes(book, tmp_path_factory):
    longer = footnote_mode(lengthen_notes(book, 12))
    return longer, render_pdf(longer, tmp_path_factory.mktemp("notes") / "footnotes.pdf")


# -- shared checks (the real-book tests use them too) ----------------------

def page_text(pdf: Path, page: int, layout: bool = True) -> str:
    args = ["pdftotext"] + (["-layout"] if layout else []) + ["-f", str(page), "-l", str(page), str(pdf), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def head_of(pdf: Path, page: int) -> str:
    args = ["pdftotext", "-layout", "-f", str(page), "-l", str(page), "-x", "0", "-y", "0",
            "-W", "2000", "-H", str(int(18 * MM)), str(pdf), "-"]
    return " ".join(subprocess.run(args, check=True, capture_output=True, text=True).stdout.split())


HEAD = re.compile(r"Notas a (?:la página (\d+)|las páginas (\d+)–(\d+))")


def check_endnote_heads(book, result) -> int:
    """Every notes page but the opening carries the head its notes call for; returns pages checked.

    The notes standing on a page are read from the PDF: a line starting with
    a note's mark opens that note (marks are sought in order, so a number in
    the text is not taken for one); a page whose first line opens no note
    continues the one before.
    """
    order = [n for n in book.notes if n.ref_ids]
    start = result.anchors["notes"] + 1
    end = max(result.anchors[f"note-{n.key}"] for n in order)
    i, checked = 0, 0          # i: the next note to open
    for page in range(start - 1, end + 1):
        lines = [ln.strip() for ln in page_text(result.path, page).splitlines() if ln.strip()]
        standing = [order[i - 1]] if i else []
        opened_first = False
        for n, line in enumerate(lines):
            if i < len(order) and re.match(re.escape(order[i].mark) + r"(\s|$)", line):
                if not standing or standing[-1] is not order[i]:
                    if not opened_first and n <= 2 and standing:
                        # the page opens on a new note, not on a continuation
                        standing = []
                    standing.append(order[i])
                opened_first = True
                i += 1
        if page == start - 1:
            continue
        refs = [result.anchors[r] for note in standing for r in note.ref_ids]
        lo, hi = min(refs), max(refs)
        want = f"Notas a la página {lo}" if lo == hi else f"Notas a las páginas {lo}–{hi}"
        head = head_of(result.path, page)
        assert want in head, f"page {page}: head {head!r}, its notes call for {want!r}"
        checked += 1
    assert i == len(order), f"only {i} of {len(order)} notes found in the notes pages"
    return checked


def normal(text: str) -> str:
    """Letters and digits only, casefolded: hyphenation, spacing and punctuation do not count."""
    text = unicodedata.normalize("NFC", text)
    return "".join(c for c in text.casefold() if c.isalnum())


def note_text(note) -> str:
    return "".join(etree.fromstring(f"<w>{note.html}</w>").itertext())


def footnote_stream(pdf: Path) -> list[tuple[int, str]]:
    """(page, words) of the text set below the body, page by page, in reading
    order, '(cont.)' labels dropped.

    Footnotes are told from the text by size: pdftotext -bbox gives each
    word's box; the notes' 8.5 pt is well under the body's 11 pt. Its words
    come in drawing order, where the engine draws the note marks apart: they
    are put back in lines (by baseline), then left to right.
    """
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True,
                         text=True).stdout
    pages = []
    for n, page in enumerate(out.split("<page ")[1:], 1):
        foot = float(re.search(r'height="([\d.]+)"', page).group(1)) - 22 * MM   # folios below
        words = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>',
                           page)
        small = [(float(y1), float(x0), w) for x0, y0, y1, w in words
                 if float(y1) - float(y0) < 10.2 and 18 * MM < float(y0) < foot]
        line = " ".join(html.unescape(w) for _, _, w in reading_order(small))   # -bbox writes XML
        pages.append((n, line.replace("(cont.)", " ")))
    return pages


def reading_order(words: list[tuple[float, float, str]]) -> list[tuple[float, float, str]]:
    """(baseline, left, word) in lines top to bottom, each left to right; a
    word within 2 pt of a line's first baseline belongs to that line."""
    lines: list[list] = []
    for word in sorted(words):
        if lines and word[0] - lines[-1][0][0] < 2:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [w for line in lines for w in sorted(line, key=lambda w: w[1])]


def check_no_note_lost(book, result) -> None:
    """Every note's whole text is in the footnotes, in order, starting at most a page after its call."""
    stream = footnote_stream(result.path)
    flat, where = "", []
    for page, words in stream:
        chunk = normal(words)
        where.append((len(flat), page))
        flat += chunk
    at = 0
    for note in book.notes:
        if not note.ref_ids:
            continue
        wanted = normal(note_text(note))
        found = flat.find(wanted, at)
        assert found >= 0, f"note {note.mark} ({note.source}) lost or cut: {note_text(note)[:80]!r}"
        page = max(p for offset, p in where if offset <= found)
        call = result.anchors[note.ref_ids[0]]
        assert call <= page <= call + 1, f"note {note.mark} ({note.source}) on page {page}, called on {call}"
        at = found + len(wanted)


# -- endnotes ----------------------------------------------------------------

def test_endnote_heads_on_every_notes_page(long_endnotes):
    book, result = long_endnotes
    assert check_endnote_heads(book, result) >= 5


def test_heads_collapse_one_page_and_use_an_en_dash():
    assert notes_.head_text("es", 81, 81) == "Notas a la página 81"
    assert notes_.head_text("es", 81, 112) == "Notas a las páginas 81–112"


def test_note_called_twice_lists_both_pages(book, tmp_path):
    twice = next(n for n in book.notes if len(n.ref_ids) > 1)
    result = render_pdf(book, tmp_path / "b.pdf")
    page = result.anchors[f"note-{twice.key}"]
    pages = [result.anchors[r] for r in twice.ref_ids]
    text = " ".join(page_text(result.path, page).split())
    assert f"({pages[0]}, {pages[1]})" in text


def test_marks_link_back_to_their_calls(book, tmp_path):
    import pikepdf

    result = render_pdf(book, tmp_path / "b.pdf")
    with pikepdf.open(result.path) as pdf:
        page = pdf.pages[result.anchors["notes"] - 1 + 1 - 1]
        links = [a for p in pdf.pages[result.anchors["notes"] - 1:] for a in p.get("/Annots", [])
                 if a.get("/Subtype") == "/Link"]
    assert len(links) >= sum(len(n.ref_ids) for n in book.notes)


def test_result_tells_where_each_page_begins(long_endnotes):
    """The page starts (for the EPUB page-list) are in physical pages of the
    merged book: each names a page within it, in order, and the notes
    section's pages point at the notes."""
    _, result = long_endnotes
    pages = [s.page for s in result.page_starts]
    assert pages == sorted(pages) and len(set(pages)) == len(pages)
    assert 1 <= pages[0] and pages[-1] <= result.page_count
    notes = [s for s in result.page_starts if s.doc_id == "notes"]
    assert notes and notes[0].page == result.anchors["notes"]
    assert "page_starts" not in repr(result)


# -- footnotes -----------------------------------------------------------------

def test_footnote_mode_has_no_notes_section(long_footnotes):
    book, result = long_footnotes
    assert "notes" not in result.anchors and "_notes-capitulo-uno" not in result.anchors


def test_long_footnotes_are_cut_and_carried_without_loss(long_footnotes):
    book, result = long_footnotes
    assert any(k.startswith("note-") and re.search(r"-\d+$", k) and k[5:] not in {n.key for n in book.notes}
               for k in result.anchors), "no note was long enough to be cut"
    check_no_note_lost(book, result)


def test_a_carried_chunk_is_labelled(long_footnotes):
    _, result = long_footnotes
    text = subprocess.run(["pdftotext", str(result.path), "-"], capture_output=True, text=True).stdout
    assert "(cont.)" in text


def test_title_and_editor_notes_in_footnotes(long_footnotes):
    book, result = long_footnotes
    title = next(n for n in book.notes if n.kind == "title")
    editor = next(n for n in book.notes if n.kind == "editor")
    assert result.anchors[f"note-{title.key}"] == result.anchors[title.ref_ids[0]] == result.anchors[title.doc_id]
    text = " ".join(page_text(result.path, result.anchors[f"note-{editor.key}"]).split())
    assert editor.mark in text


def test_split_keeps_text_and_marks_the_cut():
    root = etree.fromstring('<span class="footnote"><span class="fb fb-p">Uno <em>dos tres</em> cuatro'
                            '</span><span class="fb fb-p">cinco seis</span></span>')
    left, right = notes_.split(root, 6, False)      # before "tres"
    assert "".join(left.itertext()).strip() == "Uno dos"
    assert "".join(right.itertext()).replace(" ", "") == "trescuatrocincoseis"
    assert "cut-line" in left[0].get("class") and "cut-start" in right[0].get("class")
    left, right = notes_.split(root, 4, True)       # inside "dos", hyphenated
    assert "".join(left.itertext()).endswith("d\u2010")


@pytest.mark.parametrize("count", range(1, 12))
def test_chunks_hold_two_lines_at_least_and_end_between_words(count):
    """A note is cut as finely as it may be (the engine sets on the call's page
    as many chunks as fit), never leaving one line of it alone on a page,
    never after a hyphenated line."""
    hyphenated = {3, 4, 8}          # lines that continue a word the line before hyphenated
    lines = [notes_.Line(i * 40, i in hyphenated) for i in range(count)]
    cuts = [lines.index(c) for c in notes_.plan_chunks(lines)]
    bounds = [0, *cuts, count]
    assert not cuts or all(b - a >= notes_.CHUNK_LINES for a, b in zip(bounds, bounds[1:]))
    assert not hyphenated & set(cuts)
    assert len(cuts) == (count >= 2 * notes_.CHUNK_LINES) + (count >= 7) + (count >= 9) + (count >= 11)


def test_a_footnote_carried_past_its_section_is_a_stray(book):
    doc = next(d for d in book.documents if d.notes and d.role == "chapter")
    note = next(n for n in doc.notes if n.ref_ids)
    end = notes_.end_probe_id(doc.id)
    lines = {note.key: [notes_.Line(i * 40, False) for i in range(5)]}   # cut in two chunks: 2 + 3 lines
    chunks = notes_.chunk_ids(note.key, lines)
    assert chunks == [f"note-{note.key}", f"note-{note.key}-2"]
    pages = {end: 9, note.ref_ids[0]: 9, chunks[0]: 9, chunks[1]: 9}
    assert note.key not in notes_.strays(book, lines, pages)
    assert note.key in notes_.strays(book, lines, {**pages, chunks[1]: 10})   # on the next chapter's page
    del pages[chunks[1]]
    assert note.key in notes_.strays(book, lines, pages)                      # dropped at the end


def test_a_held_footnote_takes_its_call_line_along(book):
    from pipeline.render.pdf.html import build_html

    held = next(n for n in book.notes if n.ref_ids).key
    html = build_html(footnote_mode(book), None, {}, frozenset({held}))
    assert re.search(f'id="note-{held}" class="footnote note-[a-z]+ fn-hold"', html)
    assert html.count("fn-hold") == 1 and 'id="_end-capitulo-uno"' in html


def test_cont_labels_do_not_move_the_flow(book):
    """The '(cont.)' put on chunks that open a page has no width and no height:
    laying out with them puts every id where it was without them, to the
    point (a line a fraction taller moves the pages after it, in a long book)."""
    from pipeline.render.pdf import STYLES, layout
    from pipeline.render.pdf.fetcher import ConfinedFetcher
    from pipeline.render.pdf.html import build_html, measure_html

    longer = footnote_mode(lengthen_notes(book, 12))
    fetcher = ConfinedFetcher(longer.root, STYLES)

    def lay_out(html):
        return layout.lay_out(html, longer.root, STYLES, longer.config, fetcher)

    def where(document):
        return {i: (n, round(y, 3)) for n, page in enumerate(document.pages) for i, (_, y, *_) in page.anchors.items()}

    lines = notes_.note_lines(lay_out(measure_html(longer)))
    first = lay_out(build_html(longer, None, lines))
    html = build_html(longer, layout.anchors(first), lines)
    assert "fn-cont-label" in html
    assert where(lay_out(html)) == where(first)


def test_a_note_longer_than_a_page_is_measured_whole(book):
    """The measuring layout breaks a very long note over pages; every line
    counts, or the note is cut as if it ended on the first page and its last
    chunk is too tall for any page."""
    from pipeline.render.pdf import STYLES, layout
    from pipeline.render.pdf.fetcher import ConfinedFetcher
    from pipeline.render.pdf.html import measure_html

    longer = footnote_mode(lengthen_notes(book, 150))
    fetcher = ConfinedFetcher(longer.root, STYLES)
    document = layout.lay_out(measure_html(longer), longer.root, STYLES, longer.config, fetcher, multiple=1)
    lines = notes_.note_lines(document)
    note = max(longer.notes, key=lambda n: len(n.html))
    text = notes_.alnum(note_text(note))
    assert len(lines[note.key]) > 100 and lines[note.key][0].start == 0
    assert text - 120 < lines[note.key][-1].start < text
