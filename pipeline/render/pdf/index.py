"""The printed index of names: Book.index + page numbers -> HTML.

Before: the Book's index entries (sorted, with their mentions) and the page
of every mention's anchor from the layout before (`pages`: id -> page), or
None on that first layout.
After: an XHTML fragment for the index section: letter groups
(h2.index-letter), entries with dates, locators, sub-entries and
cross-references, set in two columns by print.css ("index of names").

Locators as render/locators.py writes them (12, 45–47, 123 n. 4). With
`pages` None the same structure is written with placeholders of a page
number's width, so the layout before sees nearly the index's length (it
comes last: nothing before it moves).
"""

from __future__ import annotations

from itertools import groupby

from pipeline.model import Book, IndexEntry
from pipeline.render.locators import entry_id, letter_id, page_locators
from pipeline.text.fragments import escape

SEE = {"es": ("véase", "véase también"), "en": ("see", "see also")}
PLACEHOLDER = "000"


def index_section(book: Book, pages: dict[str, int] | None) -> str:
    lang = book.config.language.split("-")[0]
    see, see_also = SEE.get(lang, SEE["en"])
    out = ['<div class="index-body">']
    for letter, entries in groupby(book.index, key=lambda e: e.letter):
        out.append(f'<section class="index-group"><h2 class="index-letter" id="{letter_id(letter)}">{escape(letter)}</h2>'
                   '<ul class="index-entries">')
        out += [_entry(e, pages, see, see_also) for e in entries]
        out.append("</ul></section>")
    out.append("</div>")
    return "".join(out)


def _entry(entry: IndexEntry, pages, see: str, see_also: str) -> str:
    parts = [f'<li class="index-entry" id="{entry_id(entry.key)}"><span class="index-term">{escape(entry.label)}</span>']
    if entry.dates:
        parts.append(f' <span class="index-dates">({escape(entry.dates)})</span>')
    locs = page_locators(entry, pages) if pages is not None else _placeholders(entry)
    if locs:
        parts.append(', <span class="index-locators">' + ", ".join(escape(x) for x in locs) + "</span>")
    if entry.see:
        parts.append(f', <em class="index-see">{see}</em> ' + "; ".join(escape(t) for t in entry.see))
    if entry.see_also:
        parts.append(f'. <em class="index-see">{see_also.capitalize()}</em> '
                     + "; ".join(escape(t) for t in entry.see_also))
    if entry.subentries:
        parts.append('<ul class="index-subentries">')
        parts += [_entry(sub, pages, see, see_also) for sub in entry.subentries]
        parts.append("</ul>")
    parts.append("</li>")
    return "".join(parts)


def _placeholders(entry: IndexEntry) -> list[str]:
    """About as many locators as the real ones will be: text mentions close
    together in one document share a page, a note is one locator."""
    groups = {(m.doc_id, int(m.id.rsplit("-", 1)[1]) // 6) for m in entry.mentions if m.note is None}
    notes = {m.note for m in entry.mentions if m.note is not None}
    return [PLACEHOLDER] * len(groups) + [f"{PLACEHOLDER} n. 0"] * len(notes)
