"""Rebuild a part's blocks — paragraphs, verse, lists, subheadings — from its pages.

Before: the running text of a part, page by page, as `(line, text)` (page
furniture and note bodies already gone), and the part's profile entry.
After: a list of `Block`s whose lines still need text repair, and a log of the
decisions taken at page breaks and blank lines.

    page 1 ends "mostrando unas suelas", page 2 starts "agujereadas, un traje"
    → one paragraph (a sentence does not end at the break)

Paragraph ends are lost in extraction except as blank lines and as short
lines: text is justified, so only a paragraph's last line (or a verse line)
stops short of the measure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .pages import is_blank

# A paragraph may end after these (a note token after them is looked through).
TERMINAL = re.compile(r"[.!?»…)\]:”]$")
TOKEN_TAIL = re.compile(r"(\[\^[^\]\s]+\])+$")
OPENING = re.compile(r"^[A-ZÁÉÍÓÚÑÜ«“¿¡—(\[0-9_]")
LIST_ITEM = re.compile(r"^\s?- \S")


@dataclass
class Block:
    kind: str                       # para | verse | heading | item | ordered | dateline | signature | scene
    lines: list[tuple[int, str]]
    level: int = 0                  # heading level
    title: str | None = None        # heading text given by the profile


@dataclass
class Log:
    page_joins: list[int] = field(default_factory=list)       # line continuing across a page break
    page_breaks: list[int] = field(default_factory=list)      # paragraph ending at a page break
    ambiguous: list[tuple[int, str]] = field(default_factory=list)
    blank_joins: list[int] = field(default_factory=list)      # stray blank line inside a paragraph
    short_breaks: list[int] = field(default_factory=list)


@dataclass
class Layout:
    """What the profile says about one part's lines."""
    measure: int
    subheadings: dict[int, tuple[int, str | None]] = field(default_factory=dict)
    datelines: set[int] = field(default_factory=set)
    scene_breaks: set[int] = field(default_factory=set)
    verse: list[tuple[int, int]] = field(default_factory=list)
    ordered: list[tuple[int, int]] = field(default_factory=list)
    year_headings: re.Pattern | None = None
    entry_start: re.Pattern | None = None
    raw_length: dict[int, int] = field(default_factory=dict)
    # A line these match opens a paragraph after a sentence's end, whatever the
    # line lengths say: dialogue turns ("— ¿Qué Blancos?"), chronology entries
    # ("20 de mayo. Envío a R. Rolland…").
    opens: list[re.Pattern] = field(default_factory=list)
    # Abbreviations that end no sentence: "núm." ⏎ "3, pp. 74-78" continues.
    no_end: tuple[str, ...] = ()
    # Words no sentence ends on: a blank line after "¿Los obreros del" is stray.
    join_after: frozenset[str] = frozenset()

    @classmethod
    def of(cls, part: dict, measure: int, source_lines: list[str], settings: dict | None = None) -> "Layout":
        subs = {}
        for item in part.get("subheadings", []) or []:
            if isinstance(item, dict):
                subs[int(item["line"])] = (int(item.get("level", 2)), item.get("title"))
            else:
                subs[int(item)] = (2, None)
        year = part.get("year_headings")
        entry = part.get("entry_start")
        return cls(
            measure=measure,
            subheadings=subs,
            datelines=set(part.get("datelines", []) or []),
            scene_breaks=set(part.get("scene_breaks", []) or []),
            verse=[tuple(r) for r in part.get("verse", []) or []],
            ordered=[tuple(r) for r in part.get("numbered_lists", []) or []],
            year_headings=re.compile(year) if year else None,
            entry_start=re.compile(entry) if entry else None,
            raw_length={i + 1: len(t.strip()) for i, t in enumerate(source_lines)},
            opens=[re.compile(p) for p in [*((settings or {}).get("paragraph_opens") or []),
                                           *(part.get("entry_opens") or [])]],
            no_end=tuple((settings or {}).get("no_sentence_end", []) or []),
            join_after=frozenset(w.lower() for w in (settings or {}).get("join_after", []) or []),
        )

    def ends(self, text: str) -> bool:
        """ends_sentence, except after an abbreviation that ends no sentence."""
        bare = TOKEN_TAIL.sub("", text.rstrip())
        if any(bare.endswith(" " + a) or bare == a for a in self.no_end):
            return False
        return ends_sentence(text)

    def opens_paragraph(self, prev: str, text: str) -> bool:
        """A dialogue turn or an entry after a finished sentence."""
        return self.ends(prev) and any(p.match(text) for p in self.opens)

    def in_range(self, ranges, line: int) -> tuple[int, int] | None:
        return next((r for r in ranges if r[0] <= line <= r[1]), None)

    def fixed(self, line: int, text: str) -> bool:
        """Lines that stand alone: headings, datelines, scene breaks."""
        return (line in self.subheadings or line in self.datelines or line in self.scene_breaks
                or bool(self.year_headings and self.year_headings.match(text.strip())))


def ends_sentence(text: str) -> bool:
    """"…la muerte.[^12]" → True; "…de la" → False."""
    return bool(TERMINAL.search(TOKEN_TAIL.sub("", text.rstrip())))


def chunks(pages: list[list[tuple[int, str]]], layout: Layout, log: Log) -> list[list[tuple[int, str]]]:
    """Pages → runs of lines that belong together (blank lines and page breaks decided)."""
    out: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    pending_blank = False
    pending_page = False
    for p, page in enumerate(pages):
        if p:
            pending_page = True
        for line, text in page:
            if is_blank(text):
                pending_blank = bool(current)
                continue
            if current and not _together(current[-1], (line, text), layout, log, pending_blank, pending_page):
                out.append(current)
                current = []
            current.append((line, text))
            pending_blank = pending_page = False
    if current:
        out.append(current)
    return out


def _together(prev, nxt, layout: Layout, log: Log, blank: bool, page: bool) -> bool:
    (pl, pt), (nl, nt) = prev, nxt
    if layout.fixed(pl, pt) or layout.fixed(nl, nt):
        return False
    if _verse_boundary(layout, pl, nl):
        return False
    if layout.opens_paragraph(pt, nt):
        if page:
            log.page_breaks.append(nl)
        return False
    if blank:
        joined = _stray_blank(pt, nt, layout.join_after)
        if joined:
            log.blank_joins.append(nl)
        return joined
    if not page:
        return True
    if not layout.ends(pt) or nt[:1].islower() or pt.endswith("-"):
        log.page_joins.append(nl)
        return True
    full = layout.raw_length.get(pl, len(pt)) >= layout.measure
    log.ambiguous.append((nl, "joined: the line before the break is full" if full
                          else "paragraph ends: the line before the break is short"))
    (log.page_joins if full else log.page_breaks).append(nl)
    return full


def _verse_boundary(layout: Layout, a: int, b: int) -> bool:
    ra, rb = layout.in_range(layout.verse, a), layout.in_range(layout.verse, b)
    return ra != rb


def _stray_blank(prev: str, nxt: str, join_after: frozenset[str] = frozenset()) -> bool:
    """A blank line inside a sentence is an extraction accident:
    "el con-" ⏎⏎ "greso" and "Fayard," ⏎⏎ "1997." join; "…muerte." ⏎⏎ "Y" does not;
    "¿Los obreros del" ⏎⏎ "Arsenal?" joins when `join_after` holds "del";
    "[ed. cast.: Stalin, Madrid, Ediciones" ⏎⏎ "Palabra, 2008]." joins: a
    bracket the line opened is still open (484); "…Destin d’une révolution[^32]"
    ⏎⏎ "[Destino de una revolución] y una novela" joins: a title's translation
    in brackets follows the title in its sentence (18550)."""
    prev = TOKEN_TAIL.sub("", prev.rstrip())
    if prev.endswith("-") or prev.endswith(","):
        return True
    if prev.count("[") > prev.count("]"):
        return True
    if nxt.startswith("[") and not nxt.startswith("[^") and prev[-1:].isalpha():
        return True
    if prev.rsplit(" ", 1)[-1].lower() in join_after:
        return True
    if prev[-1:].isalpha() and prev[-1:].islower() and (nxt[:1].islower() or nxt[:1].isdigit()):
        return True
    return False


def split_chunk(chunk: list[tuple[int, str]], layout: Layout, log: Log) -> list[list[tuple[int, str]]]:
    """One chunk → paragraphs: a short line ending a sentence ends its paragraph,
    a reading-list entry or a list item starts one."""
    parts = [[chunk[0]]]
    for prev, cur in zip(chunk, chunk[1:]):
        (pl, pt), (cl, ct) = prev, cur
        new = False
        if layout.entry_start and layout.entry_start.match(ct):
            new = True
        elif LIST_ITEM.match(ct) or layout.opens_paragraph(pt, ct):
            new = True
        elif (layout.raw_length.get(pl, len(pt)) < layout.measure and layout.ends(pt)
              and OPENING.match(ct) and not layout.in_range(layout.verse, cl)):
            new = True
            log.short_breaks.append(cl)
        if new:
            parts.append([cur])
        else:
            parts[-1].append(cur)
    return parts


# A verse line quoted in the running text opens with a letter or a quote, not
# a digit ("1928: 24.500.000 hogares.") or a bracket; the first, not with a
# dash either (a dialogue turn), a later one may ("—mais on lui préfère les
# poisons.", 9422); the quotation's last line ends its sentence ("…vivir.").
VERSE_OPENING = re.compile(r"^[^\W\d_]|^[«“¡¿…]")
VERSE_DASH = re.compile(r"^—\s?(?=[^\W\d_]|[«“¡¿…])")
VERSE_END = re.compile(r"[.!?»…]$")


def quoted_verse(prev: str, chunk: list[tuple[int, str]], layout: Layout) -> bool:
    """Lines quoted as verse after a colon: "…en su bolsillo:" ⏎⏎ "Nous
    apportons, ivres du monde et de nous-mêmes," ⏎ "Des coeurs… univers…[^69]"
    (1540). Two lines or more, each short of the measure (prose is justified:
    only its last line stops short), each opening as a verse line does, the
    last ending a sentence (a title set on two lines, "Víctor Serge" ⏎
    "Autobiographie (Projet)", 22333, is no quotation)."""
    if len(chunk) < 2 or not TOKEN_TAIL.sub("", prev.rstrip()).endswith(":"):
        return False
    texts = [TOKEN_TAIL.sub("", t.rstrip()) for _, t in chunk]
    return (all(layout.raw_length.get(n, len(t)) < layout.measure for n, t in chunk)
            and bool(VERSE_OPENING.match(texts[0]))
            and all(VERSE_OPENING.match(VERSE_DASH.sub("", t)) and not t.endswith("-") for t in texts)
            and bool(VERSE_END.search(texts[-1])))


def blocks(pages: list[list[tuple[int, str]]], layout: Layout, log: Log) -> list[Block]:
    """The part's blocks in reading order."""
    out: list[Block] = []
    prev = ""
    for chunk in chunks(pages, layout, log):
        first, text = chunk[0]
        after, prev = prev, chunk[-1][1]
        if first in layout.subheadings:
            level, title = layout.subheadings[first]
            out.append(Block("heading", chunk, level, title))
        elif layout.year_headings and len(chunk) == 1 and layout.year_headings.match(text.strip()):
            out.append(Block("heading", chunk, 2))
        elif first in layout.datelines:
            out.append(Block("dateline", chunk))
        elif first in layout.scene_breaks:
            out.append(Block("scene", chunk))
        elif layout.in_range(layout.verse, first) or quoted_verse(after, chunk, layout):
            out.append(Block("verse", chunk))
        elif layout.in_range(layout.ordered, first) and re.match(r"^\d+\.\s", text):
            out.append(Block("ordered", chunk))
        else:
            for para in split_chunk(chunk, layout, log):
                kind = "item" if LIST_ITEM.match(para[0][1]) else "para"
                out.append(Block(kind, para))
    return out


def note_blocks(lines: list[tuple[int, str]], layout: Layout, log: Log) -> list[Block]:
    """A note's lines → paragraphs, list items and verse (runs of 3+ short lines:
    "12 abril 36 partida de Orenburgo" ⏎ "14 abril Moscú" ⏎ …; a chunk the
    profile's `verse:` ranges name is verse whatever its widths)."""
    out: list[Block] = []
    chunk_list: list[list[tuple[int, str]]] = [[]]
    for line, text in lines:
        if is_blank(text):
            if chunk_list[-1]:
                chunk_list.append([])
            continue
        chunk_list[-1].append((line, text))
    short = int(layout.measure * 0.7)
    for chunk in filter(None, chunk_list):
        i = 0
        while i < len(chunk):
            j = i
            while j < len(chunk) and layout.in_range(layout.verse, chunk[j][0]):
                j += 1
            if j > i:
                out.append(Block("verse", chunk[i:j]))
                i = j
                continue
            while j < len(chunk) and len(chunk[j][1].strip()) < short and not chunk[j][1].endswith("-") \
                    and not LIST_ITEM.match(chunk[j][1]):
                j += 1
            if j - i >= 3:
                out.append(Block("verse", chunk[i:j]))
                i = j
                continue
            k = i + 1
            while k < len(chunk) and not _verse_run_at(chunk, k, short) \
                    and not layout.in_range(layout.verse, chunk[k][0]):
                k += 1
            for para in split_chunk(chunk[i:k], layout, log):
                out.append(Block("item" if LIST_ITEM.match(para[0][1]) else "para", para))
            i = k
    return out


def _verse_run_at(chunk, k: int, short: int) -> bool:
    run = chunk[k:k + 3]
    return len(run) == 3 and all(len(t.strip()) < short and not t.endswith("-") and not LIST_ITEM.match(t)
                                 for _, t in run)
