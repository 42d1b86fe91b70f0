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
"""

from __future__ import annotations

import statistics
from collections import Counter

from pipeline.preflight import Finding, passed, problem
from pipeline.preflight.text import FOLIO, FULL, HYPHENS, INDENT, MM, Page, _running, alone

LOOSE = 2.0        # interword space over the natural space that makes a line loose
CENTRED = 3.0      # points: a centred line's margins left and right agree within this
RAGGED_LEAST = 20  # ragged lines needed to measure the natural space
LOOSE_PER_PAGE = 1 / 10   # the aim: past it, each page's loose lines are a warning
SHOWN = 12                # pages named in the spacing row
OVERFULL = 0.5            # points past the measure's edge that make a line overfull
FULL_LEAST = 10           # full lines on a side needed to read its right edge


def check(pages: list[Page]) -> list[Finding]:
    height = _running(pages)
    return (_turns(pages) + _stranded(pages, height) + _overfull(pages)
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
