"""Where each printed page begins, in terms both outputs share.

Before: the final WeasyPrint layout of the book.
After:  one PageStart per page whose first line of text belongs to a book
        document: the document, the block (the n-th paragraph-like element
        of its text, counted the same way in the EPUB) and how many words of
        that block came before the page — so the EPUB can carry a page break
        marker at the same word boundary. A page that begins inside a
        generated document (notes, glossary, index) points at the nearest
        element id the EPUB shares (a note, an entry) and carries the words
        at the page's top, so the EPUB can find that word within it (the two
        outputs lay these documents out differently: no block count holds).

A word broken by hyphenation across the page boundary counts on the page
where it begins: the marker then stands just after it. So does a word a
line leaves without a hyphen and with no space: a line may break before an
inline element the text touches (a note call after "hermano," or "Caspio…",
which Pango may set at the next line's start); both outputs read
"hermano,12" as one word.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

from pipeline.engines import weasyprint as engine

# Elements that hold lines of text, counted in document order within a
# document's section (the same list drives the EPUB side).
BLOCKS = frozenset({"p", "li", "dt", "dd", "h2", "h3", "h4", "h5", "h6", "pre", "figcaption", "td", "th"})
LINE_BLOCK = "line-block"
CONTINUES = ("-", "\u2010", "\u00ad")     # a line ending so continues its word on the next line
WORD = re.compile(r"\S+")
SPACES = re.compile(r"\s+")
TOP_WORDS = 8                             # words kept of a generated page's top


@dataclass(frozen=True)
class PageStart:
    page: int           # physical page, 1-based
    doc_id: str
    block: int          # -1: at the document's start (its opening); else index among its blocks
    words: int          # words of the block before the page begins
    anchor: str = ""    # for generated documents: an id both outputs have
    text: str = ""      # for generated documents: the page's first words (a word begun before left out)


def is_block(element) -> bool:
    tag = element.tag.rsplit("}", 1)[-1]
    return tag in BLOCKS or (tag == "div" and LINE_BLOCK in (element.get("class") or "").split())


def page_starts(document, doc_ids: set[str], generated: set[str] = frozenset()) -> list[PageStart]:
    """The start of every page that begins inside one of `doc_ids`' sections.
    Pages inside `generated` documents (laid out differently in each output)
    are located by the nearest shared element id only."""
    index = _BlockIndex(generated)
    starts = []
    for number, page in enumerate(document.pages, 1):
        lines = list(_flow_lines(engine.page_box(page)))
        start = index.locate(*lines[0], number, doc_ids) if lines else None
        if start and start.doc_id in generated:
            start = replace(start, text=index.top_words(lines))
        if start:
            starts.append(start)
        for line, chain in lines:
            index.count(line, chain)
    return starts


def _flow_lines(page_box):
    """(line box, its ancestor elements outermost first), in reading order,
    leaving out running heads, folios and footnote areas."""
    stack = [(page_box, ())]
    while stack:
        box, chain = stack.pop()
        if engine.is_margin_or_footnotes(box):
            continue
        element = engine.element(box)
        if element is not None and (not chain or chain[-1] is not element):
            chain = chain + (element,)
        if engine.is_line(box):
            yield box, chain
            continue
        stack.extend((child, chain) for child in reversed(engine.children(box)))


class _BlockIndex:
    """Numbers blocks per document section and counts the words already laid out."""

    def __init__(self, generated: set[str]):
        self.generated = generated
        self.numbers: dict[int, tuple[str, int]] = {}   # id(element) -> (doc, block number)
        self.next: dict[str, int] = {}
        self.seen: dict[int, int] = {}                   # id(element) -> words laid out
        self.open_word: dict[int, bool] = {}             # last line ended inside a word

    def locate(self, line, chain, page: int, doc_ids: set[str]) -> PageStart | None:
        section = _section(chain, doc_ids)
        if section is None:
            return None
        doc_id = section.get("id")
        block = _innermost_block(chain)
        if block is None or _in_opening(chain) or doc_id in self.generated:
            return PageStart(page, doc_id, -1, 0, _nearest_id(chain, section))
        return PageStart(page, doc_id, self._number(block, section, doc_id), self.seen.get(id(block), 0),
                         _nearest_id(chain, section))

    def count(self, line, chain) -> None:
        block = _innermost_block(chain)
        if block is None:
            return
        text = "".join(_texts(line))
        words = WORD.findall(text)
        continued = self._continues(line, block)
        self.seen[id(block)] = self.seen.get(id(block), 0) + len(words) - (1 if continued and words else 0)
        self.open_word[id(block)] = bool(words) and text.rstrip().endswith(CONTINUES) and text == text.rstrip()

    def top_words(self, lines) -> str:
        """The first words of a page (its lines, not yet counted): a word
        hyphenated across the break is glued whole, and left out when it
        began on the page before, as the marker then stands after it."""
        block = _innermost_block(lines[0][1])
        skip = int(block is not None and self._continues(*lines[0]))
        words: list[str] = []
        glue = False
        for line, chain in lines:
            text = "".join(_texts(line))
            found = WORD.findall(text)
            if (glue or _glued(line, _innermost_block(chain))) and found and words:
                words[-1] += found.pop(0)
            words += found
            glue = bool(words) and text.rstrip().endswith(CONTINUES) and text == text.rstrip()
            if len(words) > skip + TOP_WORDS:
                break
        return " ".join(words[skip:skip + TOP_WORDS])

    def _continues(self, line, block) -> bool:
        """Whether `line` begins inside the word the block's line before ended on."""
        if block is None or id(block) not in self.open_word:
            return False
        return self.open_word[id(block)] or _glued(line, block)

    def _number(self, block, section, doc_id: str) -> int:
        if id(block) not in self.numbers:
            for n, element in enumerate(e for e in section.iter() if is_block(e) and not _under_opening(e, section)):
                self.numbers[id(element)] = (doc_id, n)
        return self.numbers[id(block)][1]


def _texts(box):
    """The texts of the text boxes under `box`, in reading order."""
    stack = [box]
    while stack:
        b = stack.pop()
        text = engine.text(b)
        if text is not None:
            yield text
        stack.extend(reversed(engine.children(b)))


def _glued(line, block) -> bool:
    """Whether `line` begins where the block's text has no space before it:
    the line broke inside a word, which the line's own text cannot tell (its
    trailing space is gone). Pango breaks so before a note call ("Caspio…" |
    "98") and before a raya after a call or a sign ("francés16" | "— es",
    "Internacional!" | "—.")."""
    first = next((b for b in _boxes(line) if engine.text(b)), None)
    if first is None or block is None or engine.is_pseudo(first) or engine.element(first) is None:
        return False
    befores = _sources_before(block, engine.element(first), engine.text(first).lstrip())
    verdicts = {bool(before) and not before[-1].isspace() for before in befores}
    return verdicts == {True}   # every place the text stands at says so (none found: broken at a space)


def _sources_before(block, element, text: str) -> list[str]:
    """The block's text just before each place `text` stands at among
    `element`'s own text and its children's tails (spaces collapsed, as laid out)."""
    slots = [(element, "text")] + [(child, "tail") for child in element]
    found = []
    for node, slot in slots:
        own = _collapsed(getattr(node, slot) or "")
        for at in _find_all(own, text):
            if at:
                found.append(own[:at])
            else:
                found.append("" if (node, slot) == (block, "text") else _text_before(block, node, slot))
    return found


@functools.lru_cache(maxsize=1024)
def _collapsed(text: str) -> str:
    """`text`, its runs of spaces made one, as laid out: asked of a block's
    texts once for each line the block has (`_glued`), the same strings."""
    return SPACES.sub(" ", text)


def _find_all(text: str, part: str) -> list[int]:
    """Where `part` stands in `text`, left to right, no two overlapping (as
    re.finditer finds them: a pattern compiled per call cost a build a
    third of a second per 45-page unit)."""
    found, at = [], text.find(part) if part else -1
    while at >= 0:
        found.append(at)
        at = text.find(part, at + len(part))
    return found


def _boxes(box):
    """`box` and the boxes under it, in reading order."""
    stack = [box]
    while stack:
        b = stack.pop()
        yield b
        stack.extend(reversed(engine.children(b)))


def _text_before(block, target, slot: str) -> str:
    """The last text of `block` before `target`'s `slot` (its text or its
    tail), in document order."""
    last = ""
    stack = [(block, "text")]
    while stack:
        node, at = stack.pop()
        if node is target and at == slot:
            return last
        text = node.text if at == "text" else node.tail
        last = text or last
        if at == "text":
            if node is not block:
                stack.append((node, "tail"))   # a node's tail comes after all of its children
            stack.extend((child, "text") for child in reversed(list(node)))
    return last


def _section(chain, doc_ids: set[str]):
    return next((e for e in chain if e.tag == "section" and e.get("id") in doc_ids), None)


def _innermost_block(chain):
    return next((e for e in reversed(chain) if is_block(e)), None)


def _in_opening(chain) -> bool:
    return any(e.tag == "header" and "opening" in (e.get("class") or "") for e in chain)


def _under_opening(element, section) -> bool:
    header = next((h for h in section if h.tag == "header"), None)
    return header is not None and any(element is e for e in header.iter())


def _nearest_id(chain, section) -> str:
    inner = [e.get("id") for e in chain if e.get("id")]
    return inner[-1] if inner and inner[-1] != section.get("id") else ""
