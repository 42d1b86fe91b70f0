"""Notes in print: endnote running heads and footnotes that never lose text.

Endnotes. `note_pages` reads from the layout the page of each note's first
and last line, as the ids np-KEY-0 and np-KEY-end: a note stands on every
page from the first to the last. With the page of every reference (`pages`,
id -> physical page), `heads_by_page` turns that into one head per notes
page, "Notas a las páginas 81–112" (the pages of the references of the
first and last note standing on that page, a continued note included),
which the page furniture draws (furniture.py).

Footnotes. WeasyPrint lays a `float: footnote` out whole: one taller than the
room left is pushed pages away and partly drawn off the page. So no note is
handed to it whole when long: `measure` lays every note out alone at the
footnote measure and reads where each line starts; `plan_chunks` cuts
notes of four lines or more at line starts into chunks of two (three where a
cut would follow a hyphen); each chunk is its own footnote, all anchored at
the call. Chunks that meet on a page stack into the very lines of the uncut
note (a cut paragraph's last line is justified, its continuation is not
indented). A note opens on its call's page (Chicago): its first chunk has
`footnote-policy: line`, so that when it does not fit the call's line goes
to the next page with it; the later chunks that do not fit are carried by
the engine, in order, to the next page's footnote area, which `max-height`
keeps from eating the whole page. After the first layout, a chunk that
opens a page gets a hanging "(cont.)" label of zero width (no line moves).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from lxml import etree

from pipeline.engines import weasyprint as engine
from pipeline.text.fragments import text_slots

# Element names set as blocks; in footnote mode they become spans (a div
# inside a <p> would end the paragraph when WeasyPrint parses the HTML).
BLOCKS = {"p", "div", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "h1", "h2", "h3", "h4",
          "h5", "h6", "pre", "figure", "figcaption", "table", "hr", "section"}

CHUNK_LINES = 2          # lines per footnote chunk: the fewest a page may hold of a note split over two
HYPHEN = "\u2010"         # what WeasyPrint sets at a hyphenation

HEADS = {
    "es": ("Notas a la página {a}", "Notas a las páginas {a}–{b}"),
    "en": ("Notes to page {a}", "Notes to pages {a}–{b}"),
}


def head_text(language: str, first: int, last: int) -> str:
    one, many = HEADS.get(language.split("-")[0], HEADS["en"])
    return one.format(a=first) if first == last else many.format(a=first, b=last)


def alnum(text: str | None) -> int:
    return sum(1 for c in text or "" if c.isalnum())


# -- endnotes: probes and heads ----------------------------------------------

def probe_id(key: str, index: int | str) -> str:
    return f"np-{key}-{index}"


def note_pages(document) -> dict[str, int]:
    """Where the endnotes of a laid-out document stand, as probe ids: for
    each note (a block with role doc-endnote) np-KEY-0 -> the page of its
    first line, np-KEY-end -> the page of its last. Read from the boxes, so
    the notes carry no extra element for the engine to lay out."""
    found: dict[str, int] = {}

    def walk(box, key, page):
        element = engine.element(box)
        if element is not None and element.get("role") == "doc-endnote" and not engine.is_pseudo(box):
            key = element.get("id", "")[len("note-"):]
        if engine.is_line(box):
            if key:
                found.setdefault(probe_id(key, 0), page)
                found[probe_id(key, "end")] = page
            return
        for child in engine.children(box):
            walk(child, key, page)

    for number, page in enumerate(document.pages, 1):
        walk(engine.page_box(page), None, number)
    return found


def probe(ident: str):
    """An empty span with an id: where the layout puts it tells a page."""
    span = etree.Element("span", id=ident)
    span.set("class", "np")
    return span


def heads_by_page(notes, pages: dict[str, int], language: str) -> dict[int, str]:
    """Physical page -> its endnote head, for every page a note stands on.

    A note stands on every page from its first probe's to its last probe's;
    the head spans the pages of the references of all notes standing there.
    """
    probes = _probes_by_note(pages)
    on_page: dict[int, list] = {}
    for note in notes:
        spots = probes.get(note.key)
        if not spots or not note.ref_ids:
            continue
        for page in range(min(spots), max(spots) + 1):
            on_page.setdefault(page, []).append(note)
    heads = {}
    for page, standing in on_page.items():
        refs = [pages[r] for n in standing for r in n.ref_ids if r in pages]
        if refs:
            heads[page] = head_text(language, min(refs), max(refs))
    return heads


def _probes_by_note(pages: dict[str, int]) -> dict[str, list[int]]:
    """note key -> the pages of its probes (ids np-KEY-N and np-KEY-end)."""
    found: dict[str, list[int]] = {}
    for ident, page in pages.items():
        if ident.startswith("np-"):
            key, _, tail = ident[3:].rpartition("-")
            if tail == "end" or tail.isdigit():
                found.setdefault(key, []).append(page)
    return found


# -- footnotes: notes that must stay with their call -------------------------

def end_probe_id(doc_id: str) -> str:
    return f"_end-{doc_id}"


def chunk_ids(key: str, lines: dict[str, list[Line]]) -> list[str]:
    """The ids of a footnote's chunks, as html.py names them."""
    count = len(plan_chunks(lines.get(key, []))) + 1
    return [f"note-{key}"] + [f"note-{key}-{n}" for n in range(2, count + 1)]


def strays(book, lines: dict[str, list[Line]], pages: dict[str, int]) -> set[str]:
    """Keys of the footnotes a chunk of which stands past the last page of its
    section's text, or nowhere.

    The engine carries a footnote that does not fit to the next page; after
    the last line of a chapter that is the next chapter's opening or a blank
    verso, and at the very end of the document the carried note is dropped.
    Such notes are laid out again with `footnote-policy: line`: their call
    line goes to a new page of the chapter, and the note with it.
    """
    found = set()
    for doc in book.documents:
        end = pages.get(end_probe_id(doc.id))
        for note in doc.notes if end is not None else ():
            if note.ref_ids and any(pages.get(i, end + 1) > end for i in chunk_ids(note.key, lines)):
                found.add(note.key)
    return found


# -- footnotes: measure and cut ------------------------------------------------

@dataclass(frozen=True)
class Line:
    start: int          # alphanumerics of the note before this line
    hyphenated: bool    # the line before this one ended on a hyphenation


def note_lines(document) -> dict[str, list[Line]]:
    """note key -> its lines, read from a layout of notes set one after another."""
    found: dict[str, list[Line]] = {}

    def walk(box, key):
        ident = _element_id(box)
        if ident and ident.startswith("note-") and "footnote" in _classes(box):
            key = ident[len("note-"):]
            found.setdefault(key, [])  # a note the measuring layout breaks over two pages goes on
        if engine.is_line(box):
            if key is not None:
                lines = found[key]
                text = _line_text(box)
                before = lines[-1].start + lines[-1].count if lines else 0
                line = _Measured(before, alnum(text), text.rstrip().endswith("\u2010"))
                lines.append(line)
            return
        for child in engine.children(box):
            walk(child, key)

    for page in document.pages:
        walk(engine.page_box(page), None)
    return {k: [Line(m.start, bool(i and v[i - 1].hyphen)) for i, m in enumerate(v)] for k, v in found.items()}


@dataclass
class _Measured:
    start: int
    count: int
    hyphen: bool


def _element_id(box):
    element = engine.element(box)
    if element is None or engine.is_pseudo(box):
        return None
    return element.get("id")


def _classes(box):
    element = engine.element(box)
    return (element.get("class") or "").split() if element is not None else []


def _line_text(box) -> str:
    text = engine.text(box)
    if text is not None:
        return "" if engine.is_pseudo(box) else text
    return "".join(_line_text(c) for c in engine.children(box))


def plan_chunks(lines: list[Line]) -> list[Line]:
    """Where to cut one note: the line starts that open its 2nd, 3rd... chunk.

    Chunks are as short as a note may be split: CHUNK_LINES lines, so that
    no page holds a lone line of a note. The engine sets on the call's page
    as many chunks as fit and carries the rest, so the note opens on its
    call's page whenever two of its lines fit there. No chunk ends inside a
    hyphenated word: a chunk may end a recto, and the reader would turn
    mid-word (such a chunk takes a line more)."""
    cuts: list[int] = []
    for i in range(CHUNK_LINES, len(lines) - CHUNK_LINES + 1):
        if i - (cuts[-1] if cuts else 0) >= CHUNK_LINES and not lines[i].hyphenated:
            cuts.append(i)
    return [lines[i] for i in cuts]


def cut(root, cuts: list[Line]) -> list:
    """Cut a note's tree at line starts; each piece a copy of the root."""
    pieces, rest, done = [], root, 0
    for line in cuts:
        left, right = split(rest, line.start - done, line.hyphenated)
        pieces.append(left)
        rest, done = right, line.start
    pieces.append(rest)
    return pieces


def split(root, offset: int, hyphen: bool):
    """Two copies of `root`: what comes before its `offset`-th alphanumeric, and the rest.

    Elements cut in two are marked: `cut-end` on the first piece (its last
    line stays justified), `cut-start` on the second (no indent, no bullet).
    """
    left, right = copy.deepcopy(root), copy.deepcopy(root)
    el, slot, index = _locate(left, offset)
    chain_left = _truncate_after(left, el, slot, index, hyphen)
    el, slot, index = _locate(right, offset)
    chain_right = _truncate_before(right, el, slot, index)
    cut_blocks = [(a, b) for a, b in zip(chain_left[1:], chain_right[1:])
                  if (a.tag in BLOCKS or "fb" in (a.get("class") or "").split())
                  and alnum("".join(a.itertext())) and alnum("".join(b.itertext()))]
    for a, b in cut_blocks:
        _add_class(a, "cut-end")
        _add_class(b, "cut-start")
    if cut_blocks:                      # the block whose line is cut: that line stays justified
        _add_class(cut_blocks[-1][0], "cut-line")
    for el in chain_right[1:]:
        el.attrib.pop("id", None)      # ids stay with the first piece
    _prune(left)
    _prune(right)
    return left, right


def _locate(root, offset: int):
    """(element, 'text' or 'tail', index) of the offset-th alphanumeric, in reading order."""
    seen = 0
    for node, attr in text_slots(root):
        for i, c in enumerate(getattr(node, attr) or ""):
            if c.isalnum():
                if seen == offset:
                    return node, attr, i
                seen += 1
    raise ValueError(f"no alphanumeric number {offset} in note")


def _truncate_after(root, el, slot, index, hyphen):
    """Keep what precedes the point; return the chain of elements from root down."""
    if slot == "text":
        el.text = el.text[:index].rstrip() + (HYPHEN if hyphen else "")
        for child in list(el):
            el.remove(child)
        node = el
    else:
        el.tail = el.tail[:index].rstrip() + (HYPHEN if hyphen else "")
        node = el
        _drop_following(node)
        node = el.getparent()
    chain = []
    while node is not None:
        chain.append(node)
        if node is root:
            break
        _drop_following(node)
        node.tail = None
        node = node.getparent()
    return list(reversed(chain))


def _drop_following(node):
    parent = node.getparent()
    if parent is None:
        return
    for sib in list(node.itersiblings()):
        parent.remove(sib)


def _truncate_before(root, el, slot, index):
    if slot == "text":
        el.text = el.text[index:]
        node = el
    else:
        parent = el.getparent()
        rest = el.tail[index:]
        position = parent.index(el)
        for sib in list(parent)[:position + 1]:
            parent.remove(sib)
        parent.text = rest
        node = parent
    chain = []
    while node is not None:
        chain.append(node)
        if node is root:
            break
        parent = node.getparent()
        for sib in list(node.itersiblings(preceding=True)):
            parent.remove(sib)
        parent.text = None
        node = parent
    return list(reversed(chain))


def _prune(root):
    """Drop elements left with no text and no image on either side of a cut."""
    for el in list(root.iter()):
        if el is root or el.getparent() is None:
            continue
        if el.tag in ("br", "img", "hr") or "np" in (el.get("class") or "").split():
            continue
        if not alnum("".join(el.itertext())) and el.find(".//img") is None and not (el.text or "").strip():
            parent = el.getparent()
            if el.tail:
                prev = el.getprevious()
                if prev is not None:
                    prev.tail = (prev.tail or "") + el.tail
                else:
                    parent.text = (parent.text or "") + el.tail
            parent.remove(el)


def _add_class(el, name):
    el.set("class", ((el.get("class") or "") + " " + name).strip())
