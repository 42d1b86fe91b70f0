"""Find footnote markers and bodies, page by page, and pair them.

Before: one part's pages of `(line, text)`; on each page the running text,
then the foot of the page: note bodies "12 text…" (an unnumbered first chunk
continues the last note of the page before: a chunk of note-wide lines, or
any last chunk when that note's line closed no sentence; "* text" is the
part's title note).
After: `PartNotes` — the running text with every marker replaced by a
`[^label]` token ("quien,1" → "quien,[^1]", "Sokolo848" → "Sokolo8[^48]",
"194329*" → "1943[^29*]"), the notes in order with their lines, and a log.

Markers are digits glued to the character before them, and numbering restarts
in every part, so on each page we look for the expected numbers n, n+1, … in
sequence: that is what tells a marker from a year or a damaged letter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .pages import is_blank

RUN = re.compile(r"(\d+)(\*?)")
TITLE_BODY = re.compile(r"^\*\s+\S")
# A note line that ends its note or a sentence: a body start is likelier after one.
# Note lines are set wider than the running text: a chunk with a line this
# long is note text, not a paragraph of the page.
NOTE_LINE = 80
CLOSED = re.compile(r"[.»)\]!?…”\"]\s*$")


@dataclass
class Marker:
    line: int
    start: int          # offset of the number in the line
    end: int            # offset after the number (and its star)
    number: int
    star: bool
    weak: bool          # fused to a year or a damaged letter, or between digits


@dataclass
class Note:
    label: str
    number: int | None                   # None for the title note
    lines: list[tuple[int, str]]
    joins: list[int] = field(default_factory=list)   # lines continuing on a later page


@dataclass
class PartNotes:
    pages: list[list[tuple[int, str]]]   # running text with `[^label]` tokens
    notes: list[Note]
    title_note: Note | None
    markers: list[Marker] = field(default_factory=list)
    doubts: list[tuple[int, str]] = field(default_factory=list)


def body_start(text: str, number: int) -> re.Match | None:
    """"12 Texto…" or "12* Pasaje…" for number 12; also "79Ville" (space lost)."""
    return re.match(rf"^{number}(\*?)(?:\s+(?=\S)|(?=[A-ZÁÉÍÓÚÑ«“(\[]))", text)


def candidates(text: str, number: int, line: int) -> list[Marker]:
    """Places in one line where marker `number` may stand.

    "quien,1" (strong); "16,89*" and "3.194" (weak: between digits);
    "1883184)" → 1883 + 184 and "Sokolo848" → Sokolo8 + 48 (weak: fused).
    A number after a space, a range "714-719", a date "21/9" or a time
    "14:15" is no marker.
    """
    wanted = str(number)
    found = []
    for m in RUN.finditer(text):
        run, star = m.group(1), m.group(2)
        if not run.endswith(wanted):
            continue
        before = text[m.start() - 1] if m.start() else ""
        before2 = text[m.start() - 2] if m.start() > 1 else ""
        prefix = run[: -len(wanted)]
        start = m.start() + len(prefix)
        if prefix:
            year = len(prefix) == 4 and 1000 <= int(prefix) <= 2099 and not before.isdigit()
            damaged_ff = prefix == "8" and before.isalpha()
            if not (year or damaged_ff):
                continue
            weak = True
        elif not before or before.isspace():
            continue
        elif before2.isdigit() and before in "-/:":
            continue
        else:
            weak = before2.isdigit() and before in ".,"
        found.append(Marker(line, start, m.end(), number, bool(star), weak))
    return found


def pair_part(pages: list[list[tuple[int, str]]], expected: int | None = None) -> PartNotes:
    """Pair markers and bodies on every page of one part (numbering from 1)."""
    result = PartNotes([], [], None)
    state = {"next": 1, "open": None}
    for page in pages:
        result.pages.append(_pair_page(page, state, result))
    if expected is not None and len([n for n in result.notes if n.number]) != expected:
        first = pages[0][0][0] if pages and pages[0] else 0
        result.doubts.append((first, f"found {len([n for n in result.notes if n.number])} notes, "
                                     f"the profile expects {expected}"))
    return result


def _pair_page(page, state, result: PartNotes) -> list[tuple[int, str]]:
    texts = [t for _, t in page]
    n = state["next"]
    block = _note_block(page, n, state["open"])
    if block is None:
        state["open"] = None
        return _trim(page)
    cont_start, start = block
    body = page[:cont_start]
    if state["open"] is not None and cont_start < start:
        _continue(state["open"], page[cont_start:start])
    bodies = _bodies(texts, start, n)
    markers = _markers(body, n, len([b for b in bodies if b[0] is not None]))
    numbered = [b for b in bodies if b[0] is not None][: len(markers)]
    title = [b for b in bodies if b[0] is None]
    if len(markers) < len([b for b in bodies if b[0] is not None]):
        extra = [b for b in bodies if b[0] is not None][len(markers):]
        for number, star, i in extra:
            result.doubts.append((page[i][0], f"line starting with {number} is no note body: "
                                              f"no marker {number} on its page"))
    keep = sorted([i for _, _, i in numbered] + [i for _, _, i in title])
    notes = []
    for k, i in enumerate(keep):
        stop = keep[k + 1] if k + 1 < len(keep) else len(page)
        lines = list(page[i:stop])
        m = re.match(r"^(\d+\*?|\*)\s*", lines[0][1])
        lines[0] = (lines[0][0], lines[0][1][m.end():])
        number, star = _number_of(page[i][1])
        notes.append((i, number, star, lines))
    by_number = {}
    for i, number, star, lines in notes:
        if number is None:
            result.title_note = Note("*", None, lines)
            state["open"] = result.title_note
            continue
        marker = markers[number - n]
        # A star lost in extraction is likelier than one added: either side's
        # star makes an editors' note (I 59, I 166, IV 55, IV 95).
        label = f"{number}*" if star or marker.star else str(number)
        if marker.star != star:
            result.doubts.append((page[i][0], f"star disagreement: marker at line {marker.line} "
                                              f"{number}{'*' if marker.star else ''}, body "
                                              f"{number}{'*' if star else ''} → [^{label}]"))
        note = Note(label, number, lines)
        by_number[number] = note
        result.notes.append(note)
        state["open"] = note
    result.markers.extend(markers)
    result.doubts.extend(_repeated_markers(body, markers))
    state["next"] = n + len(markers)
    return _replace_markers(_trim(body), markers, by_number)


def _continue(note: Note, lines: list[tuple[int, str]]) -> None:
    """The note's rest from a later page. A sentence its page left open goes
    on in the same paragraph, across the blank lines that ended that page
    (note II 3, "—¡una prisión que se conoce poco!—" 3285, then part II's
    title, then "era sin duda el único…" 3318)."""
    end = len(note.lines)
    while end and is_blank(note.lines[end - 1][1]):
        end -= 1
    if end and not CLOSED.search(note.lines[end - 1][1]):
        del note.lines[end:]
    note.joins.append(lines[0][0])
    note.lines.extend(lines)


def _repeated_markers(body, markers: list[Marker]) -> list[tuple[int, str]]:
    """A marker the page sets twice: pairing takes the first, the other stays
    text ("Bieloboródov,85" and "esta noche,85", 13101/13111). Which one the
    note belongs to is a reader's call: a correction removes the wrong one."""
    doubts = []
    for m in markers:
        if m.weak:
            continue
        # "Galli8et": a digit a letter follows is a damaged ff, no marker
        others = [c for line, text in body for c in candidates(text, m.number, line)
                  if not c.weak and (c.line, c.start) != (m.line, m.start)
                  and not text[c.end:c.end + 1].isalpha()]
        doubts += [(c.line, f"marker {m.number} set twice on its page (lines {m.line} and {c.line}): "
                            f"the note went to line {m.line}, the other stays text") for c in others]
    return doubts


def _note_block(page, n: int, open_note: Note | None) -> tuple[int, int] | None:
    """(start of the foot of the page, first new body) or None.

    The foot starts after a blank line, with body n (or the title note), or
    with an unnumbered chunk continuing the previous page's last note, which a
    body then follows directly.
    """
    texts = [t for _, t in page]
    for i in range(1, len(texts)):
        text = texts[i]
        if not (TITLE_BODY.match(text) or body_start(text, n)):
            continue
        if is_blank(texts[i - 1]):
            if TITLE_BODY.match(text) or _markers(page[:i], n, 1):
                return i, i
            continue
        j = i
        while j > 0 and not is_blank(texts[j - 1]):
            j -= 1
        if j > 0 and open_note and (TITLE_BODY.match(text) or _markers(page[:j], n, 1)):
            return _earlier_note_chunks(texts, j), i
    if open_note:  # the whole foot continues the previous page's note
        j = len(texts)
        while j > 0 and not is_blank(texts[j - 1]):
            j -= 1
        if 0 < j < len(texts) and (max(len(t) for t in texts[j:]) > NOTE_LINE or _runs_on(open_note)):
            return _earlier_note_chunks(texts, j), len(texts)
    return None


def _runs_on(note: Note) -> bool:
    """A note whose last line on its page closes no sentence goes on over the
    page ("Le dedicó … L'An I de la Rév. Russe:", 13822): the next page's foot
    is its rest even when set in short lines (the dedication, 13829-13842),
    which the width test alone would take for the running text."""
    return not CLOSED.search(note.lines[-1][1])


def _earlier_note_chunks(texts: list[str], j: int) -> int:
    """A continued note may hold several paragraphs: chunks of note-width lines
    before `j` belong to it too, back to the running text (the appendix's last
    page, 21650-21663: note 9 goes on for three paragraphs below the body;
    04's page 82, 3318-3337: note 3 goes on for three paragraphs, the last
    right above note 4's body)."""
    while True:
        k = j
        while k > 0 and is_blank(texts[k - 1]):
            k -= 1
        i = k
        while i > 0 and not is_blank(texts[i - 1]):
            i -= 1
        if not (0 < i < k and _note_wide(texts[i:k])):
            return j
        j = i


def _note_wide(lines: list[str]) -> bool:
    """Most of a chunk's full lines (its last aside) are set at the notes'
    width: a body line may run past NOTE_LINE now and then (3305, 81
    characters), a body chunk's lines as a rule do not."""
    full = lines[:-1] or lines
    return sum(len(t) > NOTE_LINE for t in full) * 2 > len(full)


def _bodies(texts: list[str], start: int, n: int) -> list[tuple[int | None, bool, int]]:
    """Note starts from `start` on: (number or None for "*", star, index)."""
    found = []
    number = n
    i = start
    while i < len(texts):
        text = texts[i]
        if TITLE_BODY.match(text) and not found:
            found.append((None, False, i))
        else:
            nxt = [j for j in range(i, len(texts)) if body_start(texts[j], number)]
            if not nxt:
                break
            closed = [j for j in nxt if j == start or CLOSED.search(texts[j - 1])]
            j = (closed or nxt)[0]
            found.append((number, bool(body_start(texts[j], number).group(1)), j))
            number += 1
            i = j
        i += 1
    return found


def _number_of(text: str) -> tuple[int | None, bool]:
    m = re.match(r"^(\d+)(\*?)", text)
    if not m:
        return None, False
    return int(m.group(1)), bool(m.group(2))


def _markers(body, n: int, limit: int) -> list[Marker]:
    """The longest run of markers n, n+1, … (at most `limit`) in reading order,
    preferring strong candidates."""
    if limit <= 0:
        return []
    flat = []  # per number: candidates with a global position
    for k in range(n, n + limit):
        cands = []
        for idx, (line, text) in enumerate(body):
            for c in candidates(text, k, line):
                cands.append(((idx, c.start), c))
        flat.append(cands)

    @lru_cache(maxsize=None)
    def best(j: int, after: tuple[int, int]) -> tuple[int, int, tuple]:
        if j == len(flat):
            return 0, 0, ()
        options = [(0, 0, ())]
        for pos, c in flat[j]:
            if pos > after:
                count, strong, chain = best(j + 1, pos)
                options.append((count + 1, strong + (not c.weak), (c,) + chain))
        return max(options, key=lambda o: (o[0], o[1]))

    return list(best(0, (-1, -1))[2])


def _trim(body):
    body = list(body)
    while body and is_blank(body[-1][1]):
        body.pop()
    return body


def _replace_markers(body, markers: list[Marker], notes: dict) -> list[tuple[int, str]]:
    """"quien,1 después" → "quien,[^1] después" (right to left, offsets stay valid)."""
    by_line: dict[int, list[Marker]] = {}
    for m in markers:
        by_line.setdefault(m.line, []).append(m)
    out = []
    for line, text in body:
        for m in sorted(by_line.get(line, []), key=lambda m: -m.start):
            label = notes[m.number].label if m.number in notes else str(m.number)
            text = text[: m.start] + f"[^{label}]" + text[m.end:]
        out.append((line, text))
    return out
