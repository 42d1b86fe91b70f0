"""What only the laid-out pages show: widows, orphans, hyphen ladders, and
pages missing a running head or a folio.

Lines and their positions come from `pdftotext -bbox-layout` (poppler), in
trim coordinates (the bleed offset removed). Running text is told apart
from notes, quotations and headings by its line height (the most common one
in the book); widows, orphans and ladders are counted in running text only.

- a paragraph starts on an indented line and ends on a short one
  (justified lines reach the right edge of the measure);
- orphan: the last line of a page starts a paragraph that goes on
  overleaf (indented and full);
- widow: the first line of a page, not indented and short, ends a
  paragraph the previous page left full;
- ladder: more than 2 consecutive lines ending with a hyphen;
- a page with text needs a folio: in the head (with a running head) or, on
  an opening, at the foot. Blank pages need neither; pages before the first
  folio are the front matter (half-title, title, copyright, epigraph).

- a folio is due on a page with at least 3 lines of running text or 20
  lines of any text (notes, bibliography); display pages (title, copyright,
  epigraphs) carry none. A head line with the folio glued to its text
  ("Serge435") or a head set on two lines is a collision: an error.

Thresholds: print.css asks for `widows: 2; orphans: 2`, so in running text
any widow or orphan is the engine giving up (a keep it could not honour):
each is a warning, and more than one per 50 pages an error (the rule is not
taking effect). Ladders are warnings (runs of 3 and of 4 or more apart;
`--strict` makes them errors): WeasyPrint 70 has no `hyphenate-limit-lines`,
and the build holds its lines itself (engines/weasyprint.py, `Hold`), so a
ladder here means that hold failed or the PDF was made elsewhere.
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from pipeline.preflight import Finding, passed, problem

MM = 72 / 25.4
HEAD_ZONE = 18 * MM        # the top margin is 20 mm: running heads sit in it
FOOT_ZONE = 22 * MM        # the bottom margin is 24 mm: an opening's folio sits in it
INDENT = 5.0               # points: an indented first line (1.2em = 13 pt) vs flush
FULL = 2.0                 # points from the right edge: a justified (full) line
HYPHENS = ("-", "\u2010")
FOLIO = re.compile(r"^\d{1,4}$")
WIDOWS_PER_PAGE = 1 / 50
# A folio glued to the head ("Serge435"); a page range in an endnote head
# ("Notas a las páginas 16–27") is not one.
GLUED = re.compile(r"[^\d\s\u2013\u2014-]\d{1,4}$|^\d{1,4}[^\d\s\u2013\u2014-]")


@dataclass(frozen=True)
class Line:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    gaps: tuple[float, ...] = ()   # points between each word's box and the next one's

    @property
    def height(self) -> float:
        return round(self.y1 - self.y0, 1)


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[Line]

    def zone(self, where: str) -> list[Line]:
        if where == "head":
            return [l for l in self.lines if l.y1 <= HEAD_ZONE + 2 * MM]
        if where == "foot":
            return [l for l in self.lines if l.y0 >= self.height - FOOT_ZONE]
        return [l for l in self.lines if l.y1 > HEAD_ZONE + 2 * MM and l.y0 < self.height - FOOT_ZONE]


def read_pages(pdf: Path, offsets) -> list[Page]:
    """Every page's lines, in trim coordinates (offsets from boxes.trim_offsets)."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True,
                         capture_output=True).stdout
    root = etree.fromstring(xml, etree.XMLParser(huge_tree=True, recover=True))
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    pages = []
    for number, (page, off) in enumerate(zip(root.iterfind(".//h:page", ns), offsets), 1):
        left, top, width, height, _ = off
        lines = []
        for line in page.iterfind(".//h:line", ns):
            boxes = list(line.iterfind("h:word", ns))
            words = [w.text or "" for w in boxes]
            gaps = tuple(float(b.get("xMin")) - float(a.get("xMax")) for a, b in zip(boxes, boxes[1:]))
            x0, y0, x1, y1 = (float(line.get(k)) for k in ("xMin", "yMin", "xMax", "yMax"))
            lines.append(Line(x0 - left, y0 - top, x1 - left, y1 - top, " ".join(words), gaps))
        lines.sort(key=lambda l: (round(l.y0), l.x0))
        pages.append(Page(number, width, height, lines))
    return pages


def alone(lines: list[Line]) -> list[Line]:
    """The lines alone on their baseline. pdftotext reads a table's cells,
    an index's columns and a figure's labels as lines side by side; running
    text has one line to a baseline. Counted as running text, a table's last
    cell made an orphan and its first a widow (a 60-row table across two
    pages of the scholarly fixture), and its columns set the measure."""
    count = Counter(round(l.y1) for l in lines)
    return [l for l in lines if count[round(l.y1)] == 1]


def _running(pages: list[Page]) -> float | None:
    heights = Counter(l.height for p in pages for l in p.zone("body"))
    return heights.most_common(1)[0][0] if heights else None


def analyse(pages: list[Page]) -> dict[str, list]:
    text_height = _running(pages)
    out = {"widows": [], "orphans": [], "ladders": [], "no_folio": [], "no_head": [], "collisions": []}
    body = {p.number: [l for l in alone(p.zone("body")) if abs(l.height - text_height) < 0.6] for p in pages}
    edges = {}
    for p in pages:
        lines = body[p.number]
        if len(lines) >= 4:
            edges[p.number] = (min(l.x0 for l in lines), max(l.x1 for l in lines))
    seen_folio = False
    for i, p in enumerate(pages):
        opening = any(FOLIO.match(l.text) for l in p.zone("foot"))
        head = p.zone("head")
        folio = any(FOLIO.match(w) or GLUED.search(w) for l in head for w in l.text.split())
        due = len(body[p.number]) >= 3 or len(p.zone("body")) >= 20
        if opening or folio:
            seen_folio = True
        elif seen_folio and due:
            out["no_folio"].append(p.number)
        if any(GLUED.search(l.text) for l in head) or len({round(l.y0) for l in head}) > 1:
            out["collisions"].append(p.number)
        if folio and not any(not FOLIO.match(w) for l in head for w in l.text.split()):
            out["no_head"].append(p.number)
        lines, edge = body[p.number], edges.get(p.number)
        if not lines or edge is None:
            continue
        left, right = edge
        indented = lambda l: l.x0 > left + INDENT  # noqa: E731
        full = lambda l: l.x1 >= right - FULL      # noqa: E731
        nxt = pages[i + 1] if i + 1 < len(pages) else None
        last = lines[-1]
        if indented(last) and full(last) and nxt and body[nxt.number] and not indented(body[nxt.number][0]):
            out["orphans"].append((p.number, last.text[:40]))
        prev = pages[i - 1] if i else None
        first = lines[0]
        if (prev and body[prev.number] and prev.number in edges and not opening
                and not indented(first) and not full(first)
                and body[prev.number][-1].x1 >= edges[prev.number][1] - FULL
                and (len(lines) == 1 or indented(lines[1]) or lines[1].y0 - first.y1 > 8)):
            out["widows"].append((p.number, first.text[:40]))
        run = []
        for line in lines + [None]:
            if line is not None and line.text.endswith(HYPHENS):
                run.append(line)
                continue
            if len(run) > 2:
                out["ladders"].append((p.number, len(run), run[0].text[-25:]))
            run = []
    return out


def check(pages: list[Page]) -> list[Finding]:
    """Widows, orphans, ladders, heads and folios of the pages read (read_pages)."""
    found = analyse(pages)
    return (_rare(found["widows"], "widows", "C014", len(pages))
            + _rare(found["orphans"], "orphans", "C015", len(pages))
            + _ladders(found["ladders"])
            + _every("head collisions", found["collisions"], "C018", "none")
            + _every("folios", found["no_folio"], "C019", "every page with text after the front matter")
            + _every("running heads", found["no_head"], "C020", "every page with a head folio has a head"))


def _rare(items, name: str, code: str, count: int) -> list[Finding]:
    """Each widow (orphan) a warning at its page; more than one per 50 pages
    also an error: the rule of print.css is not taking effect."""
    if not items:
        return [passed(name, "none in running text")]
    found = [problem(name, code, page, text=text) for page, text in items]
    if len(items) > max(1, count * WIDOWS_PER_PAGE):
        found.append(problem(name, "C016", count=len(items), what=name, pages=count, per=round(1 / WIDOWS_PER_PAGE)))
    return found


def _ladders(ladders) -> list[Finding]:
    if not ladders:
        return [passed("hyphen ladders", "none")]
    return [problem("hyphen ladders", "C017", page, lines=lines, text=text) for page, lines, text in ladders]


def _every(name: str, pages: list[int], code: str, fine: str) -> list[Finding]:
    return [problem(name, code, page) for page in pages] if pages else [passed(name, fine)]
