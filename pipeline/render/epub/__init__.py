"""Stage 4a, render EPUB: Book -> EPUB 3.

Before: the frozen Book and the styles folder.
After: one .epub: a cover, one XHTML file per contents entry (generated
notes and glossary included), nav with nested contents and landmarks, an
NCX for old readers, metadata with creators and roles. Byte-identical for
the same Book.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.engines.ebooklib import epub
from pipeline.gcpause import paused
from pipeline.i18n import word
from pipeline.model import Book, Document
from pipeline.render.epub import a11y, documents, fonts, images, package, pagebreaks
from pipeline.render.epub.cover import cover_image
from pipeline.render.epub.index import render_index
from pipeline.render.epub.nav import render_nav
from pipeline.render.epub.xhtml import document, el, serialize

RENDERERS = {"notes": documents.render_notes, "glossary": documents.render_glossary, "index": render_index,
             "figures": documents.render_float_list, "tables": documents.render_float_list}
FLOATS_CSS = "epub-floats.css"   # figures and tables: added only to a book that has them
MATH_CSS = "epub-math.css"       # formulas: likewise
SKIPPED = {"toc"}  # nav.xhtml is the toc


@paused()
def render_epub(book: Book, out_path: Path, styles_dir: Path, pages: dict[str, int] | None = None,
                page_starts=()) -> None:
    """`pages` (element id -> print page) and `page_starts` (where each print
    page begins) come from the PDF laid out in the same build, if any."""
    docs = [d for d in book.documents if _in_epub(book, d)]
    kept = {d.id for d in docs}
    page_starts = [s for s in page_starts if s.doc_id in kept]
    pkg = package.new_book(book.config)
    cover_file = _cover(pkg, book, styles_dir)
    where = documents.places(book, page_starts, pages)
    contents = [_content(book, doc, where) for doc in docs]
    title_page = documents.render_titlepage(book, book.config.language)
    page_list = [(s.page, f"{documents.file_name(book.document(s.doc_id))}#{pagebreaks.marker_id(s.page)}")
                 for s in sorted(page_starts, key=lambda s: s.page)]
    nav_page = render_nav(book, docs, cover_file, page_list)
    # subset after rendering: the generated pages' own words (the index's
    # headnote, the nav's headings) must be in the face too
    faces = fonts.subset_faces(book, styles_dir / "fonts", [*contents, title_page, nav_page])
    for i, (name, _, _, data) in enumerate(faces, 1):
        pkg.add_item(epub.EpubItem(f"font-{i}", f"fonts/{name}", "font/otf", data))
    css = fonts.font_face_css(faces) + (styles_dir / "epub.css").read_text("utf-8")
    if _has_floats(book):
        css += (styles_dir / FLOATS_CSS).read_text("utf-8")
    if _has_math(book):   # else book.css stays as it was
        css += (styles_dir / MATH_CSS).read_text("utf-8")
    if any(d.role == "references" for d in docs):   # else book.css stays as it was
        css += (styles_dir / "references.css").read_text("utf-8")
    pkg.add_item(epub.EpubItem("css", "css/book.css", "text/css", css.encode("utf-8")))
    for i, res in enumerate(book.resources, 1):
        pkg.add_item(epub.EpubItem(f"res-{i}", res.href, res.media_type, images.for_epub(res.path, res.media_type)))
    items = [_item(doc, content) for doc, content in zip(docs, contents)]
    for item in items:
        pkg.add_item(item)
    title = _xhtml_item("titlepage", "titlepage.xhtml", title_page)
    pkg.add_item(title)
    nav = _xhtml_item("nav", "nav.xhtml", nav_page, ["nav"])
    pkg.add_item(nav)
    pkg.add_item(epub.EpubNcx())
    pkg.toc = [epub.Link(documents.file_name(d), d.title, d.id) for d in docs if d.title]
    pkg.spine = [pkg.get_item_with_id("cover-page"), title, nav] + items
    package.accessibility(pkg, a11y.metadata(book, bool(page_list)))
    if page_list:
        package.page_source(pkg, book.config)
    package.write(pkg, out_path, book.config.date)


def _in_epub(book: Book, doc: Document) -> bool:
    """Whether `doc` has a file of its own: not the toc (nav.xhtml is it),
    nor a generated Notes document when the EPUB sets each part's notes at
    its end (it would be empty, yet listed in the toc and the landmarks).
    The print pages of such notes are then left out of the page-list: the
    notes they hold stand in the parts' files, laid out otherwise."""
    if doc.role in SKIPPED:
        return False
    return not (doc.role == "notes" and doc.generated and book.config.notes.epub == "part-end")


def _has_floats(book: Book) -> bool:
    return bool(book.floats("fig") or book.floats("tbl")) or any('class="table-wrap' in d.html for d in book.documents)


def _has_math(book: Book) -> bool:
    return any("<math" in d.html or any("<math" in n.html for n in d.notes) for d in book.documents)


def _content(book: Book, doc: Document, where) -> bytes:
    if doc.generated and doc.role in RENDERERS:   # else its html is made (references)
        return RENDERERS[doc.role](book, doc, where)
    return documents.render_text(book, doc, where)


def _item(doc: Document, content: bytes) -> epub.EpubItem:
    # a document holding MathML declares it (EPUB 3 manifest property `mathml`)
    return _xhtml_item(doc.id, documents.file_name(doc), content, ["mathml"] if b"<math" in content else [])


def _xhtml_item(uid: str, name: str, content: bytes, properties=()) -> epub.EpubItem:
    item = epub.EpubItem(uid, name, "application/xhtml+xml", content)
    item.properties = list(properties)
    return item


def _cover(pkg, book: Book, styles_dir: Path) -> str:
    data, ext = cover_image(book, styles_dir)
    image_name = f"cover-image.{ext}"  # at the top: never collides with the manuscript's images/
    media = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}[ext]
    image = epub.EpubItem("cover-image", image_name, media, data)
    image.properties = ["cover-image"]
    pkg.add_item(image)
    lang = book.config.language
    html, body = document(lang, word(lang, "cover"), documents.CSS, "cover")
    section = el("section", {"epub:type": "cover", "class": "cover", "aria-label": word(lang, "cover")}, parent=body)
    authors = ", ".join(c.name for c in book.config.creators if c.role == "author")
    el("img", {"src": image_name, "alt": f"{book.config.title}. {authors}".strip(". ")}, parent=section)
    pkg.add_item(_xhtml_item("cover-page", "cover.xhtml", serialize(html)))
    return "cover.xhtml"
