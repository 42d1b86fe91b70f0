"""transforms/crossrefs.py on small files: what becomes a cross-reference,
a page reference, a capital; what is left to the citations pass."""

from __future__ import annotations

import json

from pipeline.read import read
from pipeline.text.crossref import is_crossref
from pipeline.transforms import transform


def _chapter(tmp_path, text: str):
    path = tmp_path / "ch.md"
    path.write_text(text, "utf-8")
    return transform(read(path))


def _spans(chapter) -> list[dict]:
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("t") == "Span" and "xref" in node["c"][0][1]:
                found.append(dict(node["c"][0][2]))
            walk(node.get("c"))
        elif isinstance(node, list):
            for item in node:
                walk(item)
    walk(chapter.blocks)
    walk([n.blocks for n in chapter.notes])
    return found


def test_prefixes_tell_cross_references_from_citations():
    assert all(map(is_crossref, ("fig-a", "tbl-a", "sec-a", "eq-a", "note-a")))
    assert not any(map(is_crossref, ("fimmen1924", "figure", "Fig-a", "secretary")))


def test_references_page_references_and_capitals(tmp_path):
    chapter = _chapter(tmp_path, "# T\n\n@fig-a shows it. See [p. @sec-b], p. @tbl-c and [see @fig-a].\n\n"
                                 "## B {#sec-b}\n\n![C.](x.png){#fig-a alt=\"An image.\"}\n")
    assert _spans(chapter) == [{"key": "fig-a", "cap": "1"}, {"key": "sec-b", "page": "1"},
                               {"key": "tbl-c", "page": "1"}, {"key": "fig-a"}]
    assert [(r.key, r.line) for r in chapter.references] == [("fig-a", 3), ("sec-b", 3), ("tbl-c", 3), ("fig-a", 3)]
    assert [(t.key, t.kind, t.line) for t in chapter.targets] == [("sec-b", "sec", 5), ("fig-a", "fig", 7)]
    assert '"p."' not in json.dumps(chapter.blocks)   # the page words are the renderers'
    assert chapter.diagnostics == ()


def test_citations_are_left_alone(tmp_path):
    """A citation key is not taken for a label: it goes on to the citations,
    which refuse it here since the book names no bibliography (B005)."""
    import pytest

    from pipeline.diagnostics import BuildError

    with pytest.raises(BuildError, match=r"ch\.md:3: B005 citation @fimmen1924"):
        _chapter(tmp_path, "# T\n\nAs [@fimmen1924, p. 12] and [@fig-a; @smith] say.\n")


def test_a_labelled_figure_needs_its_own_alt(tmp_path):
    chapter = _chapter(tmp_path, "# T\n\n![The caption.](x.png){#fig-a}\n\n![Unlabelled.](y.png)\n")
    assert [(d.code, d.line) for d in chapter.diagnostics] == [("I007", 3)]
    caption = json.dumps(chapter.blocks)
    assert '"float-label"' in caption and caption.count('"float-label"') == 1


def _marker_lands(where: str) -> tuple[str, str]:
    """(the tag of the marker's parent, the text right after it)."""
    from lxml import etree

    from pipeline.render.epub.pagebreaks import Moves, _marker, _out_of_table_structure
    from pipeline.render.epub.xhtml import q

    ns = "http://www.w3.org/1999/xhtml"
    wrap = etree.fromstring(f'<div xmlns="{ns}"><table><thead><tr><th>A</th></tr></thead>'
                            '<tbody><tr><td>1</td></tr><tr><td>2</td></tr></tbody></table></div>')
    table, body = wrap[0], wrap.find(f".//{q('tbody')}")
    marker = _marker(7)
    {"start": lambda: table.insert(0, marker), "rows": lambda: body.insert(1, marker),
     "end": lambda: body.append(marker)}[where]()
    _out_of_table_structure(marker, Moves())
    assert len(wrap.findall(f".//{q('span')}")) == 1
    return etree.QName(marker.getparent()).localname, marker.tail or (marker.getnext().tag.split("}")[1])


def test_a_page_break_never_stands_between_table_rows():
    """A span between rows is invalid XHTML (EPUBCheck RSC-005): it goes
    into the next row's first cell, or before the table at its ends."""
    assert _marker_lands("rows") == ("td", "2")
    assert _marker_lands("start") == ("div", "table")
    assert _marker_lands("end") == ("div", "table")


def test_each_table_of_the_text_has_the_line_of_its_first_row(tmp_path):
    """Pandoc keeps no positions: a table's line (L013 points at it) is its
    first row holding its first cell, after the table before; pipe, grid and
    simple tables alike, a table in a note left out."""
    text = ("# Tables\n\nThe Year of the berths.[^n]\n\n"
            "| Year | Berth |\n|------|------:|\n| 1871 | 1 |\n\n"          # pipe: line 5
            "+------+-------+\n| Year | Crane |\n+======+=======+\n| 1868 | 1 |\n+------+-------+\n\n"   # grid: 10
            "  Year   Tons\n  ----   ----\n  1868   40\n\n"                  # simple: 15
            "[^n]: A note's table.\n\n    | Year | x |\n    |---|---|\n    | 1 | 2 |\n")
    assert _chapter(tmp_path, text).tables == (5, 10, 15)
