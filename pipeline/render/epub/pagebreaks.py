"""Page-break markers from the print edition, and the nav's page-list.

Before: a content document's section and the PageStarts the PDF layout gave
        for it (document, block number, words before the page).
After:  <span epub:type="pagebreak" role="doc-pagebreak" id="page-123"
        aria-label="123"/> at that word boundary, so that a reader can go to
        the page a printed citation gives, and the nav can list every page.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pipeline.render.epub.xhtml import el, q
from pipeline.text.fragments import text_slots

if TYPE_CHECKING:  # pagemap imports WeasyPrint: an EPUB-only build need not load it
    from pipeline.render.pdf.pagemap import PageStart

SPACE = re.compile(r"\s")
TABLE_PARTS = {q(t) for t in ("table", "thead", "tbody", "tfoot", "tr", "colgroup")}


def marker_id(page: int) -> str:
    return f"page-{page}"


def insert(section, starts: list[PageStart]) -> None:
    """Put a marker for each start into `section` (the document's section)."""
    if not starts:  # no PDF laid out in this build: no print pages to mark
        return
    from pipeline.render.pdf.pagemap import is_block  # the PDF's layout loaded WeasyPrint already

    blocks = [e for e in section.iter() if isinstance(e.tag, str) and is_block(e) and not _in_header(e, section)]
    by_id = {e.get("id"): e for e in section.iter() if isinstance(e.tag, str) and e.get("id")}
    for start in sorted(starts, key=lambda s: s.page, reverse=True):  # later first: offsets stay valid
        marker = _marker(start.page)
        if start.anchor and start.anchor in by_id and start.block < 0:
            _at_start(by_id[start.anchor], marker)
        elif start.block < 0 or start.block >= len(blocks):
            _at_start(section, marker)
        else:
            _at_word(blocks[start.block], start.words, marker)
        _out_of_table_structure(marker)


def _out_of_table_structure(marker) -> None:
    """A page that begins between a table's rows: the marker goes into the
    first cell after that point (a span may not stand between rows); one
    that begins with the table, or after its last cell, goes before it."""
    if marker.getparent().tag not in TABLE_PARTS:
        return
    table = next(a for a in marker.iterancestors() if a.tag == q("table"))
    cells = [n for n in table.iter() if n is marker or n.tag in (q("td"), q("th"))]
    at = cells.index(marker)
    cell = cells[at + 1] if 0 < at < len(cells) - 1 else None
    _detach(marker)
    if cell is not None:
        _at_start(cell, marker)
    else:
        table.addprevious(marker)


def _detach(node) -> None:
    """Remove `node`, keeping the text after it."""
    parent, tail = node.getparent(), node.tail or ""
    before = node.getprevious()
    if before is not None:
        before.tail = (before.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    node.tail = None
    parent.remove(node)


def _marker(page: int):
    label = str(page)
    return el("span", {"epub:type": "pagebreak", "role": "doc-pagebreak", "id": marker_id(page),
                       "aria-label": label})


def _in_header(element, section) -> bool:
    return any(a.tag == q("header") for a in element.iterancestors() if a is not section)


def _at_start(element, marker) -> None:
    marker.tail = element.text
    element.text = None
    element.insert(0, marker)


def _at_word(block, words: int, marker) -> None:
    """Insert before the word numbered `words` (0-based) of the block's text."""
    count, previous = 0, " "
    for node, attr in text_slots(block):
        text = getattr(node, attr) or ""
        for i, char in enumerate(text):
            if not SPACE.match(char) and SPACE.match(previous):
                if count == words:
                    return _split(node, attr, i, marker)
                count += 1
            previous = char
    block.append(marker)  # the page begins after the block's last word


def _split(node, attr: str, at: int, marker) -> None:
    text = getattr(node, attr)
    setattr(node, attr, text[:at])
    marker.tail = text[at:]
    if attr == "text":
        node.insert(0, marker)
    else:
        node.addnext(marker)


def page_list(nav_body, entries: list[tuple[int, str]], title: str) -> None:
    """The nav's page-list: (page, href) in page order."""
    nav = el("nav", {"epub:type": "page-list", "id": "page-list", "hidden": "hidden",
                     "aria-labelledby": "page-list-title"}, parent=nav_body)
    el("h2", {"id": "page-list-title"}, title, parent=nav)
    ol = el("ol", parent=nav)
    for page, href in entries:
        el("a", {"href": href}, str(page), parent=el("li", parent=ol))
