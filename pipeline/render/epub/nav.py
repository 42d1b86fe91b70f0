"""The EPUB navigation document: nested contents and landmarks.

Before: the Book's documents (titles, numbers) and their h2/h3 headings.
After: nav.xhtml with `toc` (nested ol), `landmarks` (hidden), and, when the
print layout is known, a `page-list`.
"""

from __future__ import annotations

from pipeline.i18n import word
from pipeline.model import Book, Document
from pipeline.render.epub import pagebreaks, semantics
from pipeline.render.epub.documents import CSS, file_name
from pipeline.render.epub.xhtml import document, el, fragment, q, serialize


def render_nav(book: Book, docs: list[Document], cover_file: str | None, page_list=()) -> bytes:
    lang = book.config.language
    html, body = document(lang, book.config.title, CSS, "frontmatter")
    toc = el("nav", {"epub:type": "toc", "role": "doc-toc", "id": "toc", "aria-labelledby": "toc-title"}, parent=body)
    el("h1", {"id": "toc-title"}, word(lang, "toc"), parent=toc)
    ol = el("ol", parent=toc)
    for doc in docs:
        if doc.title:
            _entry(ol, doc)
    _landmarks(body, book, docs, cover_file)
    if page_list:
        pagebreaks.page_list(body, list(page_list), word(lang, "pages"))
    return serialize(html)


def _entry(ol, doc: Document) -> None:
    li = el("li", parent=ol)
    label = f"{doc.number}. {doc.title}" if doc.number else doc.title
    if doc.dates:
        label += f" ({doc.dates})"
    el("a", {"href": file_name(doc)}, label, parent=li)
    subheads = _subheads(doc)
    if subheads:
        sub = el("ol", parent=li)
        for ident, text in subheads:
            el("a", {"href": f"{file_name(doc)}#{ident}"}, text, parent=el("li", parent=sub))


def _subheads(doc: Document) -> list[tuple[str, str]]:
    """Level-2 headings with ids: sections of a preface, a bibliography…"""
    root = fragment(doc.html)
    return [(h.get("id"), _text(h)) for h in root.iter(q("h2")) if h.get("id")]


def _text(node) -> str:
    parts = [node.text or ""]
    for child in node:
        if child.get("class") != "noteref":
            parts.append(_text(child))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _landmarks(body, book: Book, docs: list[Document], cover_file: str | None) -> None:
    lang = book.config.language
    nav = el("nav", {"epub:type": "landmarks", "id": "landmarks", "hidden": "hidden",
                     "aria-labelledby": "landmarks-title"}, parent=body)
    el("h2", {"id": "landmarks-title"}, word(lang, "landmarks"), parent=nav)
    ol = el("ol", parent=nav)
    if cover_file:
        el("a", {"epub:type": "cover", "href": cover_file}, word(lang, "cover"), parent=el("li", parent=ol))
    el("a", {"epub:type": "toc", "href": "nav.xhtml#toc"}, word(lang, "toc"), parent=el("li", parent=ol))
    seen = set()
    for doc in docs:
        kind = semantics.LANDMARKS.get(doc.role)
        if kind and kind not in seen:
            seen.add(kind)
            label = word(lang, "start") if kind == "bodymatter" else doc.title
            el("a", {"epub:type": kind, "href": file_name(doc)}, label, parent=el("li", parent=ol))
