"""The finish of a fine book, read back from the pages: page turns and even spacing.

Before: the pages' lines and word boxes (text.read_pages: pdftotext
-bbox-layout, in trim coordinates).
After: findings with page numbers (warnings; `check pdf --strict` makes them errors):

- C043 a word hyphenated across a page turn from a recto: the last line of
  an odd page's text (running text or notes) ends with a hyphen, so the
  reader turns the leaf mid-word;
- C044 a heading, or the first line of a section, at the foot of a page:
  a centred line (a heading, a scene break) that is the page's last line
  of text or the one before it, on a page the text goes on from (the next
  page is no opening);
- C042 loose lines: a justified line of running text whose interword space
  (the median gap between its word boxes) exceeds twice the face's natural
  space. The natural space is measured on the same pages: the median gap of
  the lines set ragged (a paragraph's last line), where the engine does not
  stretch spaces. The count and its pages are always shown (the spacing
  row); past the aim of one loose line per ten pages, each page's loose
  lines are a warning;
- C047 an overfull line: a line of text that runs past the measure, left
  or right, by more than `OVERFULL`. The measure is read from the pages:
  on each side (recto, verso) the edges most lines start and end at. A
  full line as pdftotext reads it strays from that edge by up to 0.3
  points (a note call's superscript, the last glyph's advance), never by
  half a point; a line the engine could not break, or letters set tighter
  than the face's (their advance boxes overlap, and readers that add them
  up see the line run on), goes further. Margins (C037, C038) measure
  against a printer's least; this measures against the book's own text
  block, in every printer mode and in the proof.
- C048 a line that opens with a note call: a line of text alone on its
  baseline (running text or notes) whose first glyph is a superior figure
  or asterisk (glyphs.Raised: pdftotext reads a call as plain digits). A
  note's label is no call: it opens its note, so its line opens a block,
  set in another size than the line above or with more space above it
  than its size's leading (the notes' margins, the footnote area's rule);
- C049 a line that opens with a closing raya: a "—" (one, not a ditto
  rule) followed by a sign
  (`,;:.)»`) or by a space and a word in lower case ("Denikin—, pensaba",
  "—dijo— y se fue"); an opening raya (dialogue, an aside) is followed by
  its word.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Callable

from pipeline.preflight import Finding, passed, problem
from pipeline.preflight.text import FOLIO, FULL, HYPHENS, INDENT, MM, Page, _running, alone

LOOSE = 2.0        # interword space over the natural space that makes a line loose
CENTRED = 3.0      # points: a centred line's margins left and right agree within this
RAGGED_LEAST = 20  # ragged lines needed to measure the natural space
LOOSE_PER_PAGE = 1 / 10   # the aim: past it, each page's loose lines are a warning
SHOWN = 12                # pages named in the spacing row
OVERFULL = 0.5            # points past the measure's edge that make a line overfull
FULL_LEAST = 10           # full lines on a side needed to read its right edge
BLOCK = 1.0               # points of space above a line past its size's leading: it opens a block
CLOSING = re.compile(r"—(?:[,;:.)»]|\s+(\w))")   # one raya: "———" is a ditto rule (a bibliography's)


def no_raised(number: int, line) -> bool:
    """No line opens with a superscript (pages read without their PDF)."""
    return False


def check(pages: list[Page], raised: Callable = no_raised) -> list[Finding]:
    """`raised(page number, line)`: whether the line opens with a superscript (glyphs.Raised)."""
    height = _running(pages)
    return (_turns(pages) + _stranded(pages, height) + _overfull(pages) + _openings(pages, raised)
            + (_loose(pages, height) if height is not None else [passed("loose lines", "no running text")]))


def _text_lines(page: Page):
    return [l for l in page.zone("body") if l.text.strip()]


def _turns(pages: list[Page]) -> list[Finding]:
    found = [problem("page turns", "C043", p.number, text=lines[-1].text[-30:])
             for p in pages[:-1] if p.number % 2 and (lines := _text_lines(p)) and lines[-1].text.endswith(HYPHENS)]
    return found or [passed("page turns", "no word hyphenated across a recto's turn")]


def _sides(pages: list[Page]) -> dict[int, list]:
    """The text lines alone on their baseline, on versos (0) and rectos (1)."""
    sides: dict[int, list] = {0: [], 1: []}
    for p in pages:
        sides[p.number % 2] += alone(_text_lines(p))
    return sides


def _edges(pages: list[Page], sides: dict | None = None) -> dict[int, tuple[float, float]]:
    """The measure's left and right edge on rectos (1) and versos (0), whose
    margins differ: the most common starts and ends of the lines alone on
    their baseline (not a table's cells, not the index's columns). A side
    with too few full lines to tell its right edge (a short book whose
    versos hold little but the copyright page), and fewer than the other
    side, takes the other side's width: the text block is one size, only
    its place mirrors."""
    edges, full = {}, {}
    for side, lines in (sides or _sides(pages)).items():
        if lines:
            right, count = Counter(round(l.x1) for l in lines).most_common(1)[0]
            edges[side], full[side] = (statistics.mode(round(l.x0) for l in lines), right), count
    for side, other in ((0, 1), (1, 0)):
        if side in edges and full[side] < min(FULL_LEAST, full.get(other, 0)):
            left = edges[side][0]
            edges[side] = (left, left + edges[other][1] - edges[other][0])
    return edges


def _measure(pages: list[Page]) -> dict[int, tuple[float, float]]:
    """`_edges` to a hundredth of a point: the median start (end) of the
    lines that start (end) at the most common whole point."""
    measure, sides = {}, _sides(pages)
    for side, (left, right) in _edges(pages, sides).items():
        lines = sides[side]
        starts = [l.x0 for l in lines if round(l.x0) == left]
        ends = [l.x1 for l in lines if round(l.x1) == right]
        measure[side] = (statistics.median(starts), statistics.median(ends) if ends else float(right))
    return measure


def _overfull(pages: list[Page]) -> list[Finding]:
    measure, found, most = _measure(pages), [], 0.0
    for p in pages:
        if p.number % 2 not in measure:
            continue
        left, right = measure[p.number % 2]
        for line in _text_lines(p):
            over = max(line.x1 - right, left - line.x0)
            most = max(most, over)
            if over > OVERFULL:
                text = line.text[-40:] if line.x1 - right > left - line.x0 else line.text[:40]
                found.append(problem("overfull lines", "C047", p.number, mm=over / MM, text=text))
    return found or [passed("overfull lines", f"none past the measure (the most {max(most, 0) / MM:.2f} mm)")]


def _openings(pages: list[Page], raised: Callable) -> list[Finding]:
    calls, rayas = [], []
    for p in pages:
        lines = alone(_text_lines(p))
        leading = _leading(lines)
        for before, line in zip([None, *lines], lines):
            if _closes(line.text):
                rayas.append(problem("line openings", "C049", p.number, text=line.text[:40]))
            elif raised(p.number, line) and not _opens_block(before, line, leading):
                calls.append(problem("line openings", "C048", p.number, text=line.text[:40]))
    return calls + rayas or [passed("line openings", "no line opens with a note call or a closing raya")]


def _closes(text: str) -> bool:
    match = CLOSING.match(text)
    return bool(match) and (match[1] is None or match[1].islower())


def _leading(lines: list) -> dict[float, float]:
    """Each size's space between two lines of it in a row (the least seen on the page)."""
    least: dict[float, float] = {}
    for a, b in zip(lines, lines[1:]):
        if a.height == b.height:
            least[b.height] = min(least.get(b.height, b.y0 - a.y1), b.y0 - a.y1)
    return least


def _opens_block(before, line, leading: dict[float, float]) -> bool:
    """The line opens a block: set in another size than the line above, or
    with more space above it than its size's leading. A block opens with
    its first word, never with a call, so a raised mark there is a note's
    label. A page's first line opens nothing that can be told: a call
    carried over the turn opens it."""
    return before is not None and (before.height != line.height
                                   or line.y0 - before.y1 > leading.get(line.height, 0.0) + BLOCK)


def _stranded(pages: list[Page], height: float | None) -> list[Finding]:
    edges = _edges(pages)
    found = []
    for i, p in enumerate(pages[:-1]):
        lines, after = _text_lines(p), pages[i + 1]
        opening = any(FOLIO.match(l.text) for l in after.zone("foot"))
        running = sum(abs(l.height - height) < 0.6 for l in lines) if height else 0
        if running < 3 or opening or not _text_lines(after):   # display pages (title, epigraphs) end as they will
            continue
        for line in lines[-2:]:
            if line.height >= height - 0.6 and _centred(line, edges[p.number % 2]):   # not a footnote's line
                found.append(problem("page feet", "C044", p.number, text=line.text[:40]))
                break
    return found or [passed("page feet", "no heading or section's first line at a page's foot")]


def _centred(line, edges: tuple[float, float]) -> bool:
    left, right = line.x0 - edges[0], edges[1] - line.x1
    return left > INDENT and right > INDENT and abs(left - right) < CENTRED


def loose_lines(pages: list[Page], height: float) -> tuple[float | None, dict[int, list[str]]]:
    """(the natural space in points, page -> the loose lines' text)."""
    body = {p.number: [l for l in p.zone("body") if abs(l.height - height) < 0.6 and l.gaps] for p in pages}
    edges = _edges(pages)
    ragged = [g for n, lines in body.items() for l in lines if l.x1 < edges[n % 2][1] - 4 * FULL for g in l.gaps]
    if len(ragged) < RAGGED_LEAST:
        return None, {}
    natural = statistics.median(ragged)
    loose: dict[int, list[str]] = {}
    for number, lines in body.items():
        for l in lines:
            if l.x1 >= edges[number % 2][1] - FULL and statistics.median(l.gaps) > LOOSE * natural:
                loose.setdefault(number, []).append(l.text)
    return natural, loose


def _loose(pages: list[Page], height: float) -> list[Finding]:
    """The figure always (the spacing row, with the pages); each page's loose
    lines a warning only past the aim of one loose line per ten pages."""
    natural, loose = loose_lines(pages, height)
    if natural is None:
        return [passed("spacing", "too little running text to measure the natural space")]
    count = sum(len(v) for v in loose.values())
    where = ", ".join(map(str, sorted(loose)[:SHOWN])) + (", …" if len(loose) > SHOWN else "")
    figure = f"{count} loose in {len(pages)} pages (natural space {natural:.2f} pt)" + (f": pp. {where}" if loose else "")
    if count <= len(pages) * LOOSE_PER_PAGE:
        return [passed("spacing", figure)]
    return [problem("loose lines", "C042", page, count=len(lines), text=lines[0][:40], times=LOOSE,
                    aim=round(1 / LOOSE_PER_PAGE)) for page, lines in sorted(loose.items())]
