"""Split the source into printed pages and strip the page furniture.

Before: source lines, where a page starts either at a line indented by one
space (" agujereadas, un traje…") or, on 28 pages, after a running head kept
as 3 blank lines + "82 | Memorias de un revolucionario" + 1 blank line; plus
ranges that are no text of the book (the captions of a photo insert).
After: `Page`s of `(line number, text)` with the indent, running heads and
dropped ranges gone, and a log of what was removed, for the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass
class Page:
    first: int                                   # source line where the page starts
    lines: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class Furniture:
    running_heads: list[int] = field(default_factory=list)
    page_starts: list[int] = field(default_factory=list)
    dropped: list[tuple[int, int, str]] = field(default_factory=list)
    links: list[int] = field(default_factory=list)   # lines of the PDF's link layer


def is_blank(text: str) -> bool:
    return not text.strip()


def split_pages(lines: list[str], settings: dict, drop: list[dict]) -> tuple[list[Page], Furniture]:
    """Lines → pages: `[" Lo importante…", …, " agujereadas…"]` → Page(1), Page(38)…"""
    start = re.compile(settings.get("page_start", r"^ (?! )\S"))
    not_start = re.compile(settings.get("not_page_start", r"(?!)"))
    heads = [re.compile(p) for p in settings.get("running_heads", [])]
    link = re.compile(settings["link_layer"]) if settings.get("link_layer") else None
    dropped = _dropped_lines(drop)
    furniture = Furniture(dropped=[(d["from"], d["to"], d.get("why", "")) for d in drop])
    pages: list[Page] = []
    number = 0
    while number < len(lines):
        text = lines[number]
        lineno = number + 1
        if lineno in dropped:
            number += 1
            continue
        if link and _is_link_layer(lines, number, link):
            furniture.links.append(lineno)
            number += 1
            continue
        if _is_running_head(lines, number, heads):
            furniture.running_heads.append(lineno)
            pages.append(Page(lineno))
            number += 2  # the head and the blank line after it
            _drop_trailing_blanks(pages[-2] if len(pages) > 1 else None, 3)
            continue
        if _is_page_start(lines, number, start, not_start) or not pages:
            furniture.page_starts.append(lineno)
            pages.append(Page(lineno))
            text = text[1:] if text.startswith(" ") else text
        pages[-1].lines.append((lineno, text))
        number += 1
    return pages, furniture


def _is_page_start(lines: list[str], i: int, start, not_start) -> bool:
    """A one-space indent after a blank line opens a paragraph, not a page (9698)."""
    if not start.match(lines[i]) or not_start.match(lines[i]):
        return False
    return i == 0 or not is_blank(lines[i - 1])


def _is_link_layer(lines: list[str], i: int, link) -> bool:
    """A URL alone on its line after a blank line (or after another such line)
    is the PDF's link layer, not the page's text: "…vm/" ⏎⏎ "http://www.irisa.fr/…"."""
    if not link.match(lines[i].strip()):
        return False
    j = i - 1
    while j >= 0 and link.match(lines[j].strip()):
        j -= 1
    return j >= 0 and is_blank(lines[j])


def _is_running_head(lines: list[str], i: int, heads) -> bool:
    """3 blank lines, the head, 1 blank line: "82 | Memorias de un revolucionario"."""
    if not any(h.match(lines[i]) for h in heads):
        return False
    before = lines[max(0, i - 3):i]
    after = lines[i + 1:i + 2]
    return len(before) == 3 and all(map(is_blank, before)) and after and is_blank(after[0])


def _drop_trailing_blanks(page: Page | None, count: int) -> None:
    """The 3 blank lines before a running head belong to the page break."""
    while page is not None and count and page.lines and is_blank(page.lines[-1][1]):
        page.lines.pop()
        count -= 1


def _dropped_lines(drop: list[dict]) -> set[int]:
    return {n for d in drop for n in range(int(d["from"]), int(d["to"]) + 1)}
