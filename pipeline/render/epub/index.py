"""The index of names as an EPUB content document (EPUB Indexes 1.0 markup).

Before: the Book's index entries with their mentions, where each document
and note lives (`Places`), and the print page of every mention's anchor
when the PDF was laid out in the same build (`pages`: id -> page), or None.
After: index.xhtml: a section epub:type="index" (role doc-index) with
index-headnotes, one index-group per letter, each with an index-entry-list
of index-entry items: index-term, dates, index-locator links to the
mentions, sub-entries in a nested index-entry-list, and the cross-references
(index-xref-preferred "véase", index-xref-related "véase también") linked to
the entries they name.

Locators read "p. 123" (one per print page, "p. 123 n. 4" when only a note
names the person there) with print pages; otherwise they are numbered
"1, 2, 3", one per mention, in reading order.
"""

from __future__ import annotations

from itertools import groupby

from pipeline.model import Book, Document, IndexEntry, Mention
from pipeline.render.epub import pagebreaks, semantics
from pipeline.render.epub.documents import CSS, Places, file_name
from pipeline.render.epub.xhtml import document, el, serialize
from pipeline.render.locators import entry_id, letter_id

WORDS = {
    "es": {"see": "véase", "see-also": "Véase también", "page": "p.", "note": "n.",
           "pages": "Los números remiten a las páginas de la edición impresa; «n.» indica una nota.",
           "links": "Cada número lleva a una mención de la persona en el texto o en las notas, "
                    "en el orden de lectura."},
    "en": {"see": "see", "see-also": "See also", "page": "p.", "note": "n.",
           "pages": "Numbers refer to the pages of the print edition; “n.” marks a note.",
           "links": "Each number links to a mention of the person in the text or the notes, in reading order."},
}


def render_index(book: Book, doc: Document, where: Places, pages: dict[str, int] | None = None) -> bytes:
    pages = pages if pages is not None else getattr(where, "pages", None)
    lang = book.config.language
    words = WORDS.get(lang.split("-")[0], WORDS["en"])
    epub_type, role, body_type = semantics.section("index")
    html, body = document(lang, doc.title, CSS, body_type)
    title_id = f"{doc.id}-title"
    section = el("section", {"id": doc.id, "epub:type": epub_type, "role": role, "aria-labelledby": title_id},
                 parent=body)
    el("h1", {"id": title_id}, doc.title, parent=el("header", parent=section))
    notes = el("div", {"epub:type": "index-headnotes", "class": "index-headnotes"}, parent=section)
    el("p", None, words["pages"] if pages else words["links"], parent=notes)
    files = {d.id: file_name(d) for d in book.documents}
    for letter, entries in groupby(book.index, key=lambda e: e.letter):
        group_id = letter_id(letter)
        group = el("section", {"epub:type": "index-group", "class": "index-group", "aria-labelledby": group_id},
                   parent=section)
        el("h2", {"id": group_id}, letter, parent=group)
        ul = el("ul", {"epub:type": "index-entry-list", "class": "index-entries"}, parent=group)
        for entry in entries:
            _entry(ul, entry, files, where, pages, words)
    pagebreaks.insert(section, where.starts.get(doc.id, []))
    return serialize(html)


def _entry(ul, entry: IndexEntry, files, where: Places, pages, words) -> None:
    li = el("li", {"epub:type": "index-entry", "id": entry_id(entry.key), "class": "index-entry"}, parent=ul)
    term = el("span", {"epub:type": "index-term"}, entry.label, parent=li)
    last = term
    if entry.dates:   # a span, so that a narrow screen never breaks "(1814-1876)" at its hyphen
        term.tail = " "
        last = el("span", {"class": "dates"}, f"({entry.dates})", parent=li)
    links = _locators(entry, files, where, pages, words)
    for i, (href, label) in enumerate(links):
        _append_tail(last, ", " if i == 0 else ", ")
        last = el("a", {"epub:type": "index-locator", "class": "locator", "href": href}, label, parent=li)
    for kind, targets, text, sep in (("index-xref-preferred", entry.see, words["see"], ", "),
                                     ("index-xref-related", entry.see_also, words["see-also"], ". ")):
        for i, target in enumerate(targets):
            _append_tail(last, f"{sep}{text} " if i == 0 else "; ")
            last = el("a", {"epub:type": kind, "href": f"#{entry_id(target)}"}, target, parent=li)
    if entry.subentries:
        sub = el("ul", {"epub:type": "index-entry-list", "class": "index-subentries"}, parent=li)
        for child in entry.subentries:
            _entry(sub, child, files, where, pages, words)


def _append_tail(node, text: str) -> None:
    node.tail = (node.tail or "") + text


def _href(m: Mention, files, where: Places) -> str:
    target = where.note_file[m.note] if m.note else files[m.doc_id]
    return f"{target}#{m.id}"


def _locators(entry: IndexEntry, files, where: Places, pages, words) -> list[tuple[str, str]]:
    if not pages:
        return [(_href(m, files, where), str(i)) for i, m in enumerate(entry.mentions, 1)]
    first_on: dict[int, Mention] = {}
    in_text: set[int] = set()
    for m in entry.mentions:
        page = pages.get(m.id)
        if page is None:
            continue
        if m.note is None:
            if page not in in_text:   # a text mention is the better target on its page
                first_on[page] = m
            in_text.add(page)
        else:
            first_on.setdefault(page, m)
    out = []
    for page in sorted(first_on):
        m = first_on[page]
        label = f"{words['page']} {page}"
        if page not in in_text:
            label += f" {words['note']} {m.note_mark}"
        out.append((_href(m, files, where), label))
    return out
