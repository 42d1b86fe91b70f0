"""Book documents -> EPUB XHTML content documents.

Before: a `Document` of the Book (XHTML fragment, notes with marks).
After: a complete XHTML5 file: a section with epub:type and DPUB-ARIA role,
a header (number, title, dates), the text with note references pointing at
the notes document, and semantics on epigraphs and scene breaks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.i18n import word
from pipeline.model import Book, Document, Note
from pipeline.render.epub import pagebreaks, semantics
from pipeline.render.epub.xhtml import EPUB_TYPE, append_fragment, document, el, q, serialize
from pipeline.text.words import is_acronym

CSS = "css/book.css"


def file_name(doc: Document) -> str:
    return f"{doc.id}.xhtml"


@dataclass(frozen=True)
class Places:
    """Where each note and each reference lives, as hrefs from any document."""

    note_file: dict[str, str]      # note key -> file holding the note
    ref_file: dict[str, str]       # note key -> file holding its references
    glossary_file: str = ""
    references_file: str = ""                    # where citations link to (their entries, `#bib-…`)
    starts: dict = field(default_factory=dict)   # doc id -> [PageStart]: where print pages begin
    pages: dict | None = None                    # element id -> print page, when the PDF was laid out
    targets: dict = field(default_factory=dict)  # cross-reference target id -> its href
    lang: str = "en"

    def note(self, key: str) -> str:
        return f"{self.note_file[key]}#note-{key}"

    def ref(self, key: str, ref_id: str) -> str:
        return f"{self.ref_file[key]}#{ref_id}"


def places(book: Book, starts=(), pages: dict | None = None) -> Places:
    notes_doc = next((d for d in book.documents if d.role == "notes"), None)
    part_end = book.config.notes.epub == "part-end" or notes_doc is None
    note_file, ref_file = {}, {}
    for doc in book.documents:
        for note in doc.notes:
            ref_file[note.key] = file_name(doc)
            note_file[note.key] = file_name(doc) if part_end else file_name(notes_doc)
    glossary = next((file_name(d) for d in book.documents if d.role == "glossary"), "")
    references = next((file_name(d) for d in book.documents if d.role == "references"), "")
    by_doc: dict[str, list] = {}
    for start in starts:
        by_doc.setdefault(start.doc_id, []).append(start)
    files = {d.id: file_name(d) for d in book.documents}
    targets = {label.id: (f"{note_file[label.note_key]}#{label.id}" if label.kind == "note"
                          else f"{files[label.doc_id]}#{label.id}") for label in book.labels}
    return Places(note_file, ref_file, glossary, references, by_doc, pages, targets, book.config.language)


def render_text(book: Book, doc: Document, where: Places) -> bytes:
    epub_type, role, body_type = semantics.section(doc.role)
    html, body = document(book.config.language, doc.title or book.config.title, CSS, body_type)
    section = _section(body, doc, epub_type, role)
    append_fragment(section, doc.html)
    _enrich(section, where)
    pagebreaks.insert(section, where.starts.get(doc.id, []))
    if where.note_file.get(doc.notes[0].key if doc.notes else "") == file_name(doc):
        _notes_list(section, doc, where, book.config.language, heading=False)
        _xrefs(section[-1], where)
    return serialize(html)


def _section(body, doc: Document, epub_type, role):
    labelled = f"{doc.id}-title" if doc.title else None
    section = el("section", {"id": doc.id, "epub:type": epub_type, "role": role,
                             "aria-labelledby": labelled}, parent=body)
    if doc.title:
        _header(section, doc, labelled)
    return section


def _header(section, doc: Document, title_id: str) -> None:
    header = el("header", parent=section)
    h1 = el("h1", {"id": title_id}, parent=header)
    if doc.number:
        el("span", {"class": "chapter-number"}, doc.number, parent=h1)
        el("span", {"class": "chapter-title"}, parent=h1)
        append_fragment(h1[-1], doc.title_html)
    else:
        append_fragment(h1, doc.title_html)
    if doc.dates:
        el("p", {"class": "chapter-dates"}, f"({doc.dates})", parent=header)


def _enrich(root, where: Places) -> None:
    for node in root.iter(q("a"), q("div"), q("hr")):
        if node.tag == q("a") and node.get("class") == "noteref":
            key = node.get("href").removeprefix("#note-")
            node.set("href", where.note(key))
            node.set(EPUB_TYPE, "noteref")
        elif node.tag == q("a") and node.get("class") == "glossary-link":
            node.set("href", where.glossary_file + node.get("href"))
        elif node.tag == q("a") and node.get("class") in ("xref", "xref-page"):
            _xref(node, where)
        elif node.tag == q("a") and node.get("class") == "citation-link":
            _cite_link(node, where)
        elif node.tag == q("div"):
            _block_semantics(node)
        elif node.tag == q("hr"):
            node.set("class", "scene-break")


def _xrefs(root, where: Places) -> None:
    """The cross-references in notes (the text's go through _enrich)."""
    for a in root.iter(q("a")):
        if a.get("class") in ("xref", "xref-page"):
            _xref(a, where)


def _xref(a, where: Places) -> None:
    """A cross-reference links to its target's file; a page reference is
    labelled with the print page of this build's PDF, as the print reads
    (without a PDF it keeps the target's words, "figure 2.1")."""
    target = a.get("href")[1:]
    a.set("href", where.targets[target])
    page = (where.pages or {}).get(target)
    if a.get("class") == "xref-page" and page is not None:
        a.text = word(where.lang, "ref-page", n=page)


def render_float_list(book: Book, doc: Document, where: Places) -> bytes:
    """The list of illustrations or of tables: each entry its number, its
    caption and, with the print layout, its print page; all linked."""
    kind = "fig" if doc.role == "figures" else "tbl"
    html, body = document(book.config.language, doc.title, CSS, "frontmatter")
    section = _section(body, doc, LIST_TYPES[kind], None)
    ol = el("ol", {"class": "float-list"}, parent=section)
    for label in book.floats(kind):
        li = el("li", None, parent=ol)
        a = el("a", {"href": where.targets[label.id]}, parent=li)
        el("span", {"class": "float-number"}, label.number, parent=a)
        el("span", {"class": "float-title"}, " " + label.title, parent=a)
        page = (where.pages or {}).get(label.id)
        if page is not None:
            el("span", {"class": "float-page"}, ", " + word(where.lang, "ref-page", n=page), parent=li)
    pagebreaks.insert(section, where.starts.get(doc.id, []))
    return serialize(html)


LIST_TYPES = {"fig": "loi", "tbl": "lot"}   # EPUB structural semantics: list of illustrations, of tables


def _cite_link(a, where: Places) -> None:
    """A citation's words link to its entry in the references document."""
    if not a.get("href", "").startswith(where.references_file + "#"):
        a.set("href", where.references_file + a.get("href"))


def _block_semantics(div) -> None:
    for cls in (div.get("class") or "").split():
        epub_type, role = semantics.BLOCKS.get(cls, (None, None))
        if epub_type:
            div.set(EPUB_TYPE, epub_type)
        if role:
            div.set("role", role)


def render_notes(book: Book, doc: Document, where: Places) -> bytes:
    """The 'Notas' document: every part's notes under the part's title."""
    epub_type, role, body_type = semantics.section("notes")
    html, body = document(book.config.language, doc.title, CSS, body_type)
    section = _section(body, doc, epub_type, role)
    for part in book.documents:
        if part.notes and where.note_file[part.notes[0].key] == file_name(doc):
            _notes_list(section, part, where, book.config.language, heading=True)
    _xrefs(section, where)
    pagebreaks.insert(section, where.starts.get(doc.id, []))
    return serialize(html)


def _notes_list(parent, part: Document, where: Places, lang: str, heading: bool, level: int = 2) -> None:
    group = el("section", {"class": "notes-group", "aria-labelledby": f"notes-{part.id}"}, parent=parent)
    label = _part_label(part)
    text = label if heading else word(lang, "notes")
    el(f"h{level}", {"id": f"notes-{part.id}"}, text, parent=group)
    ol = el("ol", {"class": "notes"}, parent=group)
    for note in part.notes:
        _note_item(ol, note, where, lang)


def _part_label(part: Document) -> str:
    return f"{part.number}. {part.title}" if part.number else (part.title or "")


def _note_item(ol, note: Note, where: Places, lang: str) -> None:
    # DPUB-ARIA 1.1 deprecates role="doc-endnote": a list item inside the
    # doc-endnotes section is the endnote; epub:type still names it.
    li = el("li", {"id": f"note-{note.key}", "class": f"note note-{note.kind}",
                   "epub:type": "endnote"}, parent=ol)
    append_fragment(li, note.html)
    for a in li.iter(q("a")):
        if a.get("class") == "citation-link":
            _cite_link(a, where)
    first = li[0] if len(li) and li[0].tag == q("p") else None
    if first is None:
        first = el("p", {"class": "note-mark"})
        li.insert(0, first)
    _prepend_backlinks(first, note, where, lang)


def _prepend_backlinks(p, note: Note, where: Places, lang: str) -> None:
    mark = el("a", {"class": "note-mark", "href": where.ref(note.key, note.ref_ids[0]),
                    "role": "doc-backlink", "epub:type": "backlink"}, note.mark)
    mark.tail = " " + (p.text or "")
    p.text = None
    p.insert(0, mark)
    for n, ref_id in enumerate(note.ref_ids[1:], 2):
        back = el("a", {"class": "note-backlink", "href": where.ref(note.key, ref_id), "role": "doc-backlink",
                        "aria-label": word(lang, "backlink", n=n)}, f"↩{n}", parent=p)
        back.tail = " "


def render_glossary(book: Book, doc: Document, where: Places | None = None) -> bytes:
    """The abbreviations register as a glossary: dl of dfn terms."""
    epub_type, role, body_type = semantics.section("glossary")
    html, body = document(book.config.language, doc.title, CSS, body_type)
    section = _section(body, doc, epub_type, role)
    dl = el("dl", {"class": "glossary"}, parent=section)  # the section is the doc-glossary
    for abbr in book.glossary():
        dt = el("dt", {"id": abbr.anchor, "epub:type": "glossterm"}, parent=dl)
        el("dfn", {"class": "abbr" if is_acronym(abbr.term) else "term"}, abbr.term, parent=dt)
        el("dd", {"epub:type": "glossdef"}, abbr.expansion, parent=dl)
    if where is not None:
        pagebreaks.insert(section, where.starts.get(doc.id, []))
    return serialize(html)


def render_titlepage(book: Book, lang: str) -> bytes:
    """Title, subtitle and creators, then the credits a copyright page gives."""
    cfg = book.config
    html, body = document(lang, cfg.title, CSS, "frontmatter")
    section = el("section", {"id": "titlepage", "epub:type": "titlepage", "class": "titlepage",
                             "aria-labelledby": "titlepage-title"}, parent=body)
    for creator in (c for c in cfg.creators if c.role == "author"):
        el("p", {"class": "title-author"}, creator.name, parent=section)
    el("h1", {"id": "titlepage-title", "class": "title"}, cfg.title, parent=section)
    if cfg.subtitle:
        el("p", {"class": "subtitle"}, cfg.subtitle, parent=section)
    for creator in (c for c in cfg.creators if c.role != "author"):
        el("p", {"class": "title-credit"}, word(lang, "role-" + creator.role, name=creator.name), parent=section)
    if cfg.publisher:
        el("p", {"class": "title-publisher"}, cfg.publisher, parent=section)
    _copyright(section, cfg, lang)
    return serialize(html)


def _copyright(parent, cfg, lang: str) -> None:
    box = el("section", {"class": "copyright", "epub:type": "copyright-page", "aria-label": word(lang, "copyright")},
             parent=parent)
    for text in (cfg.rights, cfg.identifiers.print and f"ISBN {cfg.identifiers.print}", cfg.date[:4]):
        if text:
            el("p", None, text, parent=box)
