"""Page furniture: the running heads and folios, drawn apart from the text.

Before: where every section of the book starts (physical page), which
physical pages are blank, and the pages of the endnotes' probes and calls.
After: one `Furniture` per physical page (kind, head, folio), and the HTML
of a document with one empty page per physical page whose margin boxes
(print.css, pages `fp-*`) carry them; merge.py lays it over the book.

Why apart: each unit of the book is laid out alone (in parallel, cached)
before anyone knows on which physical page it will fall; heads and folios
are the only marks on a page that depend on that, so they are drawn last,
for the whole book at once.

The rules, those of the book before the split:
- front matter (half-title, title, copyright, epigraph) and blank pages: nothing;
- the opening page of a section: its folio at the foot, no head;
- a verso: folio outside, the book's title in small capitals;
- a recto: the section's (short) title, folio outside;
- an endnotes page: on both sides "Notas a las páginas 81–112", naming the
  pages of the calls of the notes standing on it (notes.heads_by_page).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from lxml import etree

NONE, OPENING, VERSO, RECTO, NOTES_VERSO, NOTES_RECTO = (
    "none", "opening", "verso", "recto", "notes-verso", "notes-recto")


@dataclass(frozen=True)
class Section:
    """A section of the book as laid out: where it starts and how it is set."""
    ident: str
    start: int          # physical page, 1-based
    front: bool         # no head, no folio on any of its pages
    head: str           # recto running head
    notes: bool = False  # the endnotes: heads from the pages of the calls


@dataclass(frozen=True)
class Furniture:
    kind: str
    head: str = ""
    folio: str = ""


def plan(sections: list[Section], total: int, blanks: set[int], book_title: str,
         notes_heads: dict[int, str]) -> list[Furniture]:
    """The furniture of physical pages 1..total."""
    starts = [s.start for s in sections]
    out = []
    for page in range(1, total + 1):
        at = bisect.bisect_right(starts, page) - 1
        section = sections[at] if at >= 0 else None
        out.append(_page(page, section, page in blanks, book_title, notes_heads))
    return out


def _page(page: int, section: Section | None, blank: bool, book_title: str,
          notes_heads: dict[int, str]) -> Furniture:
    if section is None or blank or section.front:
        return Furniture(NONE)
    folio = str(page)
    if page == section.start:
        return Furniture(OPENING, folio=folio)
    verso = page % 2 == 0
    if section.notes:
        return Furniture(NOTES_VERSO if verso else NOTES_RECTO, notes_heads.get(page, section.head), folio)
    return Furniture(VERSO, book_title, folio) if verso else Furniture(RECTO, section.head, folio)


def furniture_html(pages: list[Furniture], lang: str) -> str:
    """One empty block per page, each on a page named after its kind."""
    html = etree.Element("html", lang=lang)
    etree.SubElement(etree.SubElement(html, "head"), "meta", charset="utf-8")
    body = etree.SubElement(html, "body", **{"class": "furniture"})
    for page in pages:
        div = etree.SubElement(body, "div", **{"class": f"fp fp-{page.kind}"})
        div.set("data-head", page.head)
        div.set("data-folio", page.folio)
    return etree.tostring(html, method="html", encoding="unicode", doctype="<!DOCTYPE html>")
