"""Page-break markers from the print edition, and the nav's page-list.

Before: a content document's section and the PageStarts the PDF layout gave
        for it (document, block number, words before the page).
After:  <span epub:type="pagebreak" role="doc-pagebreak" id="page-123"
        aria-label="123"/> at that word boundary, so that a reader can go to
        the page a printed citation gives, and the nav can list every page.

In a generated document (notes, glossary, index) the two outputs differ in
markup, so a start names the element it fell in (a note, an entry) and the
page's first words: the marker goes before those words within that element,
else within the whole document, else at the element's start.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pipeline.render.epub.xhtml import el, q
from pipeline.text.fragments import text_slots

if TYPE_CHECKING:  # pagemap imports WeasyPrint: an EPUB-only build need not load it
    from pipeline.render.pdf.pagemap import PageStart

SPACE = re.compile(r"\s")
RUN = re.compile(r"\S+")
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
    moves = Moves()
    for start in sorted(starts, key=lambda s: s.page, reverse=True):  # later first: offsets stay valid
        marker = _marker(start.page)
        if start.text:
            _at_text(section, by_id.get(start.anchor), start.text, marker, is_block, moves)
        elif start.anchor and start.anchor in by_id and start.block < 0:
            _at_start(by_id[start.anchor], marker, moves)
        elif start.block < 0 or start.block >= len(blocks):
            _at_start(section, marker, moves)
        else:
            _at_word(blocks[start.block], start.words, marker, moves)
        _out_of_table_structure(marker, moves)


class Moves:
    """Where text went as markers were put in, so that the words of an
    element, read once, still lead to the right place afterwards: the
    notes document is read for nearly every page it holds (a quarter of a
    minute of CPU when it was read again for each). A marker never adds
    nor splits a word, so the words stay; only the text run and offset a
    word starts at move, when a run is split or handed to a marker's tail."""

    def __init__(self):
        self.count = 0
        self.by_slot: dict[tuple[int, str], list] = {}   # (id(node), slot) -> [(seq, at, node, slot, shift)]
        self.words: dict[int, tuple[object, int, list, dict]] = {}   # id(root) -> (root, seq, words, token index)
        self.keep: list = []   # the nodes moves name stay alive, so their ids are not reused

    def moved(self, node, attr: str, at: int, to, to_attr: str, shift: int = 0) -> None:
        """The text of `node`'s `attr` from `at` on is now `to`'s `to_attr`, from `shift` on."""
        self.count += 1
        self.keep += [node, to]
        self.by_slot.setdefault((id(node), attr), []).append((self.count, at, to, to_attr, shift))

    def where(self, node, attr: str, offset: int, since: int) -> tuple[object, str, int]:
        """Where the character at `offset` of `node`'s `attr`, as it was after
        move `since`, is now."""
        while True:
            move = next((m for m in self.by_slot.get((id(node), attr), ()) if m[0] > since and m[1] <= offset), None)
            if move is None:
                return node, attr, offset
            since, at, node, attr, shift = move
            offset = offset - at + shift

    def words_of(self, root, is_block) -> tuple[int, list, dict]:
        """(the move they were read after, _words(root), token -> its positions in them)."""
        if id(root) not in self.words:
            found = _words(root, is_block)
            index: dict[str, list[int]] = {}
            for i, word in enumerate(found):
                index.setdefault(word[0], []).append(i)
            self.words[id(root)] = (root, self.count, found, index)
        return self.words[id(root)][1:]


def _out_of_table_structure(marker, moves: Moves) -> None:
    """A page that begins between a table's rows: the marker goes into the
    first cell after that point (a span may not stand between rows); one
    that begins with the table, or after its last cell, goes before it."""
    if marker.getparent().tag not in TABLE_PARTS:
        return
    table = next(a for a in marker.iterancestors() if a.tag == q("table"))
    cells = [n for n in table.iter() if n is marker or n.tag in (q("td"), q("th"))]
    at = cells.index(marker)
    cell = cells[at + 1] if 0 < at < len(cells) - 1 else None
    _detach(marker, moves)
    if cell is not None:
        _at_start(cell, marker, moves)
    else:
        table.addprevious(marker)


def _detach(node, moves: Moves) -> None:
    """Remove `node`, keeping the text after it."""
    parent, tail = node.getparent(), node.tail or ""
    before = node.getprevious()
    if before is not None:
        moves.moved(node, "tail", 0, before, "tail", len(before.tail or ""))
        before.tail = (before.tail or "") + tail
    else:
        moves.moved(node, "tail", 0, parent, "text", len(parent.text or ""))
        parent.text = (parent.text or "") + tail
    node.tail = None
    parent.remove(node)


def _marker(page: int):
    label = str(page)
    return el("span", {"epub:type": "pagebreak", "role": "doc-pagebreak", "id": marker_id(page),
                       "aria-label": label})


def _in_header(element, section) -> bool:
    return any(a.tag == q("header") for a in element.iterancestors() if a is not section)


def _at_start(element, marker, moves: Moves) -> None:
    moves.moved(element, "text", 0, marker, "tail")
    marker.tail = element.text
    element.text = None
    element.insert(0, marker)


def _at_word(block, words: int, marker, moves: Moves) -> None:
    """Insert before the word numbered `words` (0-based) of the block's text
    (a word starts at a non-space after a space, or at the block's start)."""
    count, spaced = 0, True
    for node, attr in text_slots(block):
        text = getattr(node, attr) or ""
        for run in RUN.finditer(text):   # runs of non-spaces: read a run at a time, not a character
            if run.start() or spaced:
                if count == words:
                    return _split(node, attr, run.start(), marker, moves)
                count += 1
        if text:
            spaced = SPACE.match(text[-1]) is not None
    block.append(marker)  # the page begins after the block's last word


def _at_text(section, scope, text: str, marker, is_block, moves: Moves) -> None:
    """Before the page's first words: within `scope` (the element the page
    began in), found in a row, else with a word between each (the EPUB's
    index reads "p. 45, p. 46" where print reads "45–46"), else its first
    word alone; then within the section, three words in a row at least."""
    want = _tokens(text)
    tries = [(scope, k, 0) for k in range(min(len(want), 6), 1, -1)]
    tries += [(scope, k, 1) for k in range(min(len(want), 6), 1, -1)] + [(scope, 1, 0)]
    tries += [(section, k, 0) for k in range(min(len(want), 6), 2, -1)]
    for where, k, gap in tries:
        if where is None:
            continue
        since, found, index = moves.words_of(where, is_block)
        at = _find(found, index, want[:k], gap)
        if at is not None:
            node, attr, offset = moves.where(*found[at][1:], since)
            return _before(node, attr, offset, marker, is_block, moves)
    _at_start(scope if scope is not None else section, marker, moves)


TOKEN = re.compile(r"[^\W_]+")


def _tokens(text: str) -> list[str]:
    """Runs of letters and digits: punctuation, hyphens and dashes, set
    apart in one output and not in the other, do not count."""
    return TOKEN.findall(text.lower())


def _words(root, is_block) -> list[tuple[str, object, str, int]]:
    """(token, node, slot, offset) of every run of letters and digits under
    `root`, at the start of the word (as spaces delimit it) the run is in, so
    that a marker goes before «word», not between « and word; blocks begin
    and end words as spaces do."""
    words, start, previous = [], None, ""
    for node, attr in text_slots(root):
        if isinstance(node.tag, str) and is_block(node):
            start, previous = None, ""
        for i, char in enumerate(getattr(node, attr) or ""):
            if SPACE.match(char):
                start, previous = None, ""
                continue
            if start is None:
                start = (node, attr, i)
            if TOKEN.match(char):
                if previous:
                    words[-1][0] += char.lower()
                else:
                    words.append([char.lower(), *start])
            previous = char if TOKEN.match(char) else ""
    return [tuple(w) for w in words]


def _find(words: list, index: dict[str, list[int]], want: list[str], gap: int) -> int | None:
    """Where `want` begins in `words` (their tokens, with `index`: token -> its
    positions), in a row or with up to `gap` tokens between each two."""
    for i in index.get(want[0], ()):
        at = i
        for w in want[1:]:
            nxt = next((j for j in range(at + 1, min(at + 2 + gap, len(words))) if words[j][0] == w), None)
            if nxt is None:
                break
            at = nxt
        else:
            return i
    return None


def _before(node, attr: str, at: int, marker, is_block, moves: Moves) -> None:
    """At a word's first character; before an inline element the word opens
    (a note's mark), not inside it; before the whole link a word falls in
    (the index's "p. 201": a span inside it would split the locator)."""
    link = _link_around(node if attr == "text" else node.getparent(), is_block)
    if link is not None:
        link.addprevious(marker)
    elif attr == "text" and at == 0 and not is_block(node) and node.getparent() is not None:
        node.addprevious(marker)
    else:
        _split(node, attr, at, marker, moves)


def _link_around(node, is_block):
    """The <a> that holds `node` (itself included), below the block it is in."""
    while node is not None and isinstance(node.tag, str) and not is_block(node):
        if node.tag == q("a"):
            return node
        node = node.getparent()
    return None


def _split(node, attr: str, at: int, marker, moves: Moves) -> None:
    moves.moved(node, attr, at, marker, "tail")
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
