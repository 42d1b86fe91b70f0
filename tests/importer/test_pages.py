"""Pages and page furniture: running heads, page starts, dropped plates."""

from pipeline.importer.pages import split_pages

SETTINGS = {"page_start": r"^ (?! )\S", "not_page_start": r"^ - ",
            "running_heads": [r"^\d{1,3} \| \S.*$", r"^\S.* \| \d{1,3}$"]}


def test_indent_starts_a_page_and_is_removed():
    lines = [" Primera línea", "sigue", "", "1 nota", " agujereadas, un traje", "fin."]
    pages, furniture = split_pages(lines, SETTINGS, [])
    assert [p.first for p in pages] == [1, 5]
    assert pages[1].lines[0] == (5, "agujereadas, un traje")
    assert furniture.page_starts == [1, 5]


def test_indent_after_a_blank_line_opens_a_paragraph_not_a_page():
    lines = [" Página", "fin.", "", " Desde Berlín, yo seguí", " - un punto de lista"]
    pages, _ = split_pages(lines, SETTINGS, [])
    assert len(pages) == 1


def test_running_head_is_a_page_break_and_disappears():
    lines = [" texto", "de la página", "", "", "", "82 | Memorias de un revolucionario", "", "sigue aquí"]
    pages, furniture = split_pages(lines, SETTINGS, [])
    assert furniture.running_heads == [6]
    assert [t for _, t in pages[0].lines] == ["texto", "de la página"]
    assert pages[1].lines == [(8, "sigue aquí")]


def test_dropped_range_is_gone():
    lines = [" a", "b", "pie de foto", "otro pie", "c"]
    pages, _ = split_pages(lines, SETTINGS, [{"from": 3, "to": 4, "why": "plates"}])
    assert [t for _, t in pages[0].lines] == ["a", "b", "c"]


def test_real_book_pages(book_source):
    pages, furniture = split_pages(book_source.lines, book_source.profile["pages"], book_source.profile["drop"])
    assert len(pages) == 504                     # 503 page boundaries
    assert len(furniture.running_heads) == 28
    assert {8255, 19616, 3165, 3294} <= set(furniture.running_heads)   # damaged ones too
    assert len(furniture.page_starts) == 476     # 482 indented lines, 6 of them no page start
    assert not {9698, 17727, 20097, 21637, 21638, 21641} & set(furniture.page_starts)
    kept = {n for p in pages for n, _ in p.lines}
    assert not kept & set(range(10428, 10583))   # photo-plate captions
    assert 10404 in kept and 10583 in kept
