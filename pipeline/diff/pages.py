"""Two PDFs -> the pages that changed, each told apart by what changed.

    text     words on the page changed (inserted, deleted, replaced)
    figures  only numbers changed: note marks renumbered, a date corrected
    reflow   the same words, laid out differently (lines or page breaks moved)
    moved    the very same page, at another page number

Pages are aligned by their body text (running heads and folios left out,
words split at a line's or a page's end made whole: hyphens.py), so that a
page pushed on by an earlier change is "moved", not "changed", even where a
word at its foot is now split elsewhere (at its own number, such a page is
drawn to tell, and "reflow" if the drawing differs).
Inside a run of pages that differ, a word diff over the run says which
pages hold the inserted or deleted words; the others only reflowed. The
same diff pairs each old page with the new page now holding its words
(pairing.py), not simply with the page of the same number.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from pipeline.diff import images
from pipeline.diff.hyphens import unsplit
from pipeline.diff.pairing import pair_pages
from pipeline.diff.pdf import Pdf

KINDS = ("text", "figures", "reflow", "moved")
TOKEN = re.compile(r"\d+|[^\W\d_]+|[^\w\s\u2010\u00ad]")   # a layout hyphen left at a page's end is no word
FINGERPRINT_DPI = 20


@dataclass
class PageChange:
    kind: str
    old: int | None            # 1-based page numbers; None: no such page on that side
    new: int | None
    deleted: tuple[str, ...] = ()   # the words the diff takes off the old page (kind "text")
    inserted: tuple[str, ...] = ()  # and puts on the new one
    boxes_old: list = field(default_factory=list)
    boxes_new: list = field(default_factory=list)
    image_old: bytes | None = None
    image_new: bytes | None = None

    @property
    def imaged(self) -> bool:
        return self.image_old is not None or self.image_new is not None


@dataclass
class Pagination:
    old_pages: int
    new_pages: int
    first_layout_change: int | None    # first page number whose layout differs
    changes: list[PageChange]
    max_images: int = 60               # changed pages drawn at most; the others are only listed

    def of_kind(self, kind: str) -> list[PageChange]:
        return [c for c in self.changes if c.kind == kind]

    def without_images(self) -> list[PageChange]:
        """Changed pages past the max_images cap (moved pages are never drawn)."""
        return [c for c in self.changes if c.kind != "moved" and not c.imaged]


def compare_pdfs(old: Path, new: Path, dpi: float = 60, max_images: int = 60) -> Pagination:
    """Two PDF paths -> Pagination, with images of at most max_images changed pages."""
    with Pdf(old) as a, Pdf(new) as b:
        la, lb = unsplit(a.body_lines(), b.body_lines())
        first = first_layout_change(a, b)
        changes = classify(la, lb)
        changes += restyled(a, b, la, lb, first, changes)
        changes.sort(key=lambda c: (c.new or c.old or 0, c.old or 0))
        attach_images(a, b, [c for c in changes if c.kind != "moved"][:max_images], dpi)
        return Pagination(len(a), len(b), first, changes, max_images)


def first_layout_change(a: Pdf, b: Pdf) -> int | None:
    """The first page number whose rendering differs, or None."""
    for i in range(min(len(a), len(b))):
        if _fingerprint(a, i) != _fingerprint(b, i):
            return i + 1
    return None if len(a) == len(b) else min(len(a), len(b)) + 1


def _fingerprint(pdf: Pdf, i: int) -> bytes:
    return pdf.render(i, FINGERPRINT_DPI).tobytes()


def classify(la: list[tuple], lb: list[tuple]) -> list[PageChange]:
    """Body lines per page, old and new, as hyphens.unsplit reads them -> the changed and moved pages."""
    changes: list[PageChange] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, la, lb, autojunk=False).get_opcodes():
        if op == "equal":
            changes += [PageChange("moved", i + 1, j + 1) for i, j in zip(range(i1, i2), range(j1, j2)) if i != j]
        else:
            changes += _classify_run(la, lb, range(i1, i2), range(j1, j2))
    return changes


def restyled(a: Pdf, b: Pdf, la, lb, first, changes) -> list[PageChange]:
    """Pages whose text and number stayed but whose rendering changed (a style
    change): "reflow". Only pages from the first layout change on are looked at."""
    if first is None:
        return []
    seen = {c.old for c in changes} | {c.new for c in changes}
    return [PageChange("reflow", i + 1, i + 1) for i in range(first - 1, min(len(la), len(lb)))
            if la[i] == lb[i] and i + 1 not in seen and _fingerprint(a, i) != _fingerprint(b, i)]


def _classify_run(la, lb, old_range: range, new_range: range) -> list[PageChange]:
    """A run of differing pages: pair each old page with the new page holding
    its words, and say for each pair whether it holds changed words, changed
    numbers, or only reflowed text."""
    run = _changed_pages(_Stream(la, old_range), _Stream(lb, new_range))
    out = []
    for i, j in pair_pages(run.shared, old_range, new_range):
        if i is not None and j is not None and la[i] == lb[j]:
            if i != j:   # the very same page, paired across the run
                out.append(PageChange("moved", i + 1, j + 1))
            continue
        kind = "text" if _hit(run.text, i, j) else "figures" if _hit(run.figures, i, j) else "reflow"
        out.append(PageChange(kind, None if i is None else i + 1, None if j is None else j + 1,
                              tuple(run.text[0].get(i, ())), tuple(run.text[1].get(j, ()))))
    return out


def _hit(flags: tuple, i, j) -> bool:
    return i in flags[0] or j in flags[1]


class _Stream:
    """The words of a run of pages (split words already whole, on the line
    where they begin), each word with its page and line; `keys` stand every
    number for "#"."""

    def __init__(self, pages, page_range: range):
        self.tokens: list[str] = []
        self.where: list[tuple[int, int]] = []
        for p in page_range:
            for n, line in enumerate(pages[p]):
                words = TOKEN.findall(line)
                self.tokens += words
                self.where += [(p, n)] * len(words)
        self.keys = ["#" if t.isdigit() else t for t in self.tokens]


@dataclass
class _Run:
    """What the word diff of a run says about its pages. text, figures: (old
    pages, new pages). Text: pages holding words the diff inserts or deletes (a
    number counts as a word when it appears or goes: a new note mark), each
    with those words (none for the page where a deletion joins). Figures:
    numbers that only changed value in place (marks renumbered, a date
    corrected). shared: (old page, new page) -> words the diff keeps, the
    measure pages are paired by."""
    text: tuple[dict, dict] = field(default_factory=lambda: ({}, {}))
    figures: tuple[set, set] = field(default_factory=lambda: (set(), set()))
    shared: Counter = field(default_factory=Counter)


def _changed_pages(a: _Stream, b: _Stream) -> _Run:
    """Lines are matched first, so only the lines that differ are diffed word by word."""
    run = _Run()
    for op, i1, i2, j1, j2 in _line_opcodes(a, b):
        if op == "equal":
            _kept(run, a, b, range(i1, i2), j1 - i1)
            continue
        for wop, k1, k2, m1, m2 in SequenceMatcher(None, a.keys[i1:i2], b.keys[j1:j2], autojunk=False).get_opcodes():
            if wop == "equal":
                _kept(run, a, b, range(i1 + k1, i1 + k2), (j1 + m1) - (i1 + k1))
            else:
                # The place of a deletion is a change of the new page, where the text
                # now joins; the place of an insertion is not one of the old page,
                # which may be paired with a new page that only reflowed.
                if k2 > k1:
                    _flag(run.text[0], a, i1 + k1, i1 + k2)
                _flag(run.text[1], b, j1 + m1, j1 + m2)
    return run


def _kept(run: _Run, a: _Stream, b: _Stream, span: range, offset: int) -> None:
    """Words the diff keeps (old k is new k + offset): counted for both pages,
    and a number whose value changed flags figures."""
    for k in span:
        pages = (a.where[k][0], b.where[k + offset][0])
        run.shared[pages] += 1
        if a.tokens[k] != b.tokens[k + offset]:
            run.figures[0].add(pages[0])
            run.figures[1].add(pages[1])


def _flag(pages: dict, stream: _Stream, start: int, stop: int) -> None:
    """Pages of the words in [start, stop), with those words; for an empty
    range (a deletion, seen from the new side), the page where the text now
    joins, with none."""
    if not stream.where:
        return
    if stop == start:
        pages.setdefault(stream.where[min(start, len(stream.where) - 1)][0], [])
    for k in range(start, stop):
        pages.setdefault(stream.where[k][0], []).append(stream.tokens[k])


def _line_opcodes(a: _Stream, b: _Stream):
    """Opcodes over lines, given as token ranges (old start, old stop, new start, new stop)."""
    la, sa = _lines(a)
    lb, sb = _lines(b)
    for op, i1, i2, j1, j2 in SequenceMatcher(None, la, lb, autojunk=False).get_opcodes():
        yield op, sa[i1], sa[i2], sb[j1], sb[j2]


def _lines(s: _Stream) -> tuple[list[tuple], list[int]]:
    """Tokens grouped into lines -> (line keys, token index where each line starts,
    with the total at the end)."""
    keys, starts = [], []
    for k, w in enumerate(s.where):
        if not starts or s.where[starts[-1]] != w:
            starts.append(k)
            keys.append([])
        keys[-1].append(s.keys[k])
    return [tuple(k) for k in keys], starts + [len(s.tokens)]


def attach_images(a: Pdf, b: Pdf, changes: list[PageChange], dpi: float) -> None:
    """Render both sides of each change, find the changed regions, highlight them."""
    for change in changes:
        old = a.render(change.old - 1, dpi) if change.old else None
        new = b.render(change.new - 1, dpi) if change.new else None
        boxes = images.changed_boxes(old, new)
        change.boxes_old = change.boxes_new = boxes
        change.image_old = images.png(images.highlight(old, boxes)) if old else None
        change.image_new = images.png(images.highlight(new, boxes)) if new else None
