"""Index locators: an entry's mentions and the page of each -> what the
printed index lists after the name.

Several mentions on one page give one number; consecutive pages merge into
a range (45–47); a page where the person is named only in notes reads
"123 n. 4" ("123 nn. 4, 7"). Shared by the printed index (render/pdf/index.py)
and the canonical text of a build (render/text.py), which must not import
the print engine; the ids of entries and letter groups are shared by both
indexes (render/epub/index.py).
"""

from __future__ import annotations

from collections import defaultdict

from pipeline.model import IndexEntry
from pipeline.text.ids import slugify


def entry_id(key: str) -> str:
    """An index entry's id, the same in print and in the EPUB: where a print
    page begins in the index, the EPUB's page marker finds the entry by it."""
    return "ix-" + slugify(key)


def letter_id(letter: str) -> str:
    return f"ix-letter-{slugify(letter)}"


def page_locators(entry: IndexEntry, pages: dict[str, int]) -> list[str]:
    """'12', '45–47', '123 n. 4' in page order."""
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


