"""The printed index of names: Book.index + page numbers -> HTML.

Before: the Book's index entries (sorted, with their mentions) and the page
of every mention's anchor from the layout before (`pages`: id -> page), or
None on that first layout.
After: an XHTML fragment for the index section: letter groups
(h2.index-letter), entries with dates, locators, sub-entries and
cross-references, set in two columns by print.css ("index of names").

Locators: several mentions on one page give one number; consecutive pages
merge into a range (45–47); a page where the person is named only in notes
reads "123 n. 4" ("123 nn. 4, 7"). With `pages` None the same structure is
written with placeholders of a page number's width, so the layout before
sees nearly the index's length (it comes last: nothing before it moves).
"""

from __future__ import annotations

from collections import defaultdict
from itertools import groupby

from pipeline.resolve.html import escape
from pipeline.resolve.model import Book, IndexEntry

SEE = {"es": ("véase", "véase también"), "en": ("see", "see also")}
PLACEHOLDER = "000"


def index_section(book: Book, pages: dict[str, int] | None) -> str:
    lang = book.config.language.split("-")[0]
    see, see_also = SEE.get(lang, SEE["en"])
    out = ['<div class="index-body">']
    for letter, entries in groupby(book.index, key=lambda e: e.letter):
        out.append(f'<section class="index-group"><h2 class="index-letter">{escape(letter)}</h2>'
                   '<ul class="index-entries">')
        out += [_entry(e, pages, see, see_also) for e in entries]
        out.append("</ul></section>")
    out.append("</div>")
    return "".join(out)


def _entry(entry: IndexEntry, pages, see: str, see_also: str) -> str:
    parts = [f'<li class="index-entry"><span class="index-term">{escape(entry.label)}</span>']
    if entry.dates:
        parts.append(f' <span class="index-dates">({escape(entry.dates)})</span>')
    locs = locators(entry, pages)
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


def locators(entry: IndexEntry, pages: dict[str, int] | None) -> list[str]:
    """'12', '45–47', '123 n. 4' in page order (placeholders when pages is None)."""
    if pages is None:
        return _placeholders(entry)
    text_pages = sorted({pages[m.id] for m in entry.mentions if m.note is None and m.id in pages})
    in_notes: dict[int, list[str]] = defaultdict(list)
    for m in entry.mentions:
        page = pages.get(m.id)
        if m.note is not None and page is not None and page not in text_pages and m.note_mark not in in_notes[page]:
            in_notes[page].append(m.note_mark)
    found = [(first, _range(first, last)) for first, last in _runs(text_pages)]
    found += [(page, f"{page} {'nn.' if len(marks) > 1 else 'n.'} {', '.join(marks)}")
              for page, marks in in_notes.items()]
    return [text for _, text in sorted(found)]


def _runs(numbers: list[int]):
    start = prev = None
    for n in numbers:
        if start is None:
            start = prev = n
        elif n == prev + 1:
            prev = n
        else:
            yield start, prev
            start = prev = n
    if start is not None:
        yield start, prev


def _range(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


def _placeholders(entry: IndexEntry) -> list[str]:
    """About as many locators as the real ones will be: text mentions close
    together in one document share a page, a note is one locator."""
    groups = {(m.doc_id, int(m.id.rsplit("-", 1)[1]) // 6) for m in entry.mentions if m.note is None}
    notes = {m.note for m in entry.mentions if m.note is not None}
    return [PLACEHOLDER] * len(groups) + [f"{PLACEHOLDER} n. 0"] * len(notes)
