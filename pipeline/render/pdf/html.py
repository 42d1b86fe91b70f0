"""Book -> the one HTML document WeasyPrint lays out with styles/print.css.

Before: the frozen Book (XHTML fragments, notes with marks and reference ids).
After: an HTML string: metadata in <head> (title, authors, description,
dates that pin the PDF's dates), then the front matter (half-title, title
page, copyright page, contents when book.yaml does not place it), then one
<section> per contents entry in reading order. Generated entries (notes,
glossary, contents, index of names) are built here; the index's page
numbers come from `pages` (id -> page of a layout before), see index.py.

Fragments are parsed as XML with lxml and grafted into one lxml tree, which
is serialised once as HTML: no string pasting, linear in the book's size.

Hooks the CSS relies on (see styles/print.css):
- `section.doc` opens on a recto (page name `main`); `section.front` pages
  (half-title, title, copyright, epigraph) carry no head or folio;
- `header.opening[data-head]` sets the recto running head, `[data-bookmark]`
  the PDF outline entry;
- `#_half-title .book-title` sets the verso running head;
- `a.toc-link[href]` gets its page number from `target-counter`.
"""

from __future__ import annotations

import re
import unicodedata

from lxml import etree

from pipeline.i18n import word
from pipeline.render.pdf.index import index_section
from pipeline.resolve.model import Book, Document, Note

SKIPPED: set[str] = set()    # roles not laid out
FRONT_ROLES = {"epigraph"}   # set like the front matter: own recto, no head, no folio

# Ids of the pieces only the PDF has; resolve's slugs never start with "_".
HALF_TITLE, TITLE_PAGE, COPYRIGHT, TOC = "_half-title", "_title-page", "_copyright", "_toc"

MONTHS = {
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "en": "January February March April May June July August September October November December",
}
WORDS = {
    "es": {"ebook": "Edición digital", "isbn": "ISBN"},
    "en": {"ebook": "Ebook edition", "isbn": "ISBN"},
}


def build_html(book: Book, pages: dict[str, int] | None = None) -> str:
    """The whole book as one HTML document (a string, serialised as HTML)."""
    return etree.tostring(_Builder(book, pages).tree(), method="html", encoding="unicode",
                          doctype="<!DOCTYPE html>")


class _Builder:
    def __init__(self, book: Book, pages: dict[str, int] | None = None):
        self.book = book
        self.pages = pages
        self.cfg = book.config
        self.lang = self.cfg.language

    # -- document ---------------------------------------------------------

    def tree(self) -> etree._Element:
        html = etree.Element("html", lang=self.lang)
        self._head(_sub(html, "head"))
        body = _sub(html, "body")
        self._half_title(body)
        self._title_page(body)
        self._copyright(body)
        roles = {d.role for d in self.book.documents}
        if "toc" not in roles:
            self._toc(body, TOC, word(self.lang, "toc"))
        for doc in self.book.documents:
            if doc.role in SKIPPED:
                continue
            if doc.role == "toc":
                self._toc(body, doc.id, doc.title)
            else:
                self._document(body, doc)
        return html

    def _head(self, head) -> None:
        cfg = self.cfg
        _sub(head, "meta", charset="utf-8")
        _sub(head, "title", text=cfg.title)
        authors = [c.name for c in cfg.creators if c.role == "author"] or [c.name for c in cfg.creators]
        for name in authors:
            _sub(head, "meta", name="author", content=name)
        if cfg.description:
            _sub(head, "meta", name="description", content=cfg.description)
        keywords = [cfg.title] + ([cfg.subtitle] if cfg.subtitle else []) + authors
        _sub(head, "meta", name="keywords", content=", ".join(keywords))
        # Pinned from book.yaml so that the same Book gives the same bytes.
        _sub(head, "meta", name="dcterms.created", content=cfg.date)
        _sub(head, "meta", name="dcterms.modified", content=cfg.date)

    # -- front matter -----------------------------------------------------

    def _half_title(self, body) -> None:
        sec = _sub(body, "section", id=HALF_TITLE, **{"class": "front half-title"})
        _sub(sec, "p", text=self.cfg.title, **{"class": "book-title"})

    def _title_page(self, body) -> None:
        cfg = self.cfg
        sec = _sub(body, "section", id=TITLE_PAGE, **{"class": "front title-page"})
        for c in cfg.creators:
            if c.role == "author":
                _sub(sec, "p", text=c.name, **{"class": "title-author"})
        _sub(sec, "h1", text=cfg.title, **{"class": "title"})
        if cfg.subtitle:
            _sub(sec, "p", text=cfg.subtitle, **{"class": "subtitle"})
        credits = self._credits()
        if credits:
            box = _sub(sec, "div", **{"class": "title-credits"})
            for line in credits:
                _sub(box, "p", text=line, **{"class": "title-credit"})
        if cfg.publisher:
            _sub(sec, "p", text=cfg.publisher, **{"class": "title-publisher"})

    def _copyright(self, body) -> None:
        cfg, words = self.cfg, WORDS.get(self.lang.split("-")[0], WORDS["en"])
        sec = _sub(body, "section", id=COPYRIGHT, **{"class": "front copyright-page"})
        box = _sub(sec, "div", **{"class": "copyright"})
        lines = [f"{cfg.title}. {cfg.subtitle}" if cfg.subtitle else cfg.title, *self._credits()]
        if cfg.rights:
            lines.append(cfg.rights)
        lines.append(f"{cfg.publisher}, {self._date()}" if cfg.publisher else self._date())
        if cfg.identifiers.print:
            lines.append(f"{words['isbn']}: {cfg.identifiers.print}")
        lines.append(f"{words['ebook']}: {cfg.identifiers.ebook}")
        for line in lines:
            _sub(box, "p", text=line)

    def _credits(self) -> list[str]:
        """ "Edición: Eduardo Editor": every creator but the authors, in book.yaml order."""
        return [f"{word(self.lang, 'role-' + c.role)}: {c.name}" for c in self.cfg.creators if c.role != "author"]

    def _date(self) -> str:
        date = self.cfg.date
        if len(date) == 4:
            return date
        months = MONTHS.get(self.lang.split("-")[0], MONTHS["en"]).split()
        month = months[int(date[5:7]) - 1]
        return f"{month} de {date[:4]}" if self.lang.startswith("es") else f"{month} {date[:4]}"

    # -- contents ---------------------------------------------------------

    def _toc(self, body, ident: str, title: str) -> None:
        nav = _sub(body, "nav", id=ident, role="doc-toc", **{"class": "doc doc-toc"})
        self._opening(nav, title, title, None, None)
        ol = _sub(nav, "ol", **{"class": "toc-list"})
        for doc in self.book.documents:
            if doc.role in SKIPPED or doc.role == "toc" or not doc.title:
                continue
            li = _sub(ol, "li", **{"class": f"toc-entry toc-{doc.role}"})
            a = _sub(li, "a", href=f"#{doc.id}", **{"class": "toc-link"})
            if doc.number:
                _sub(a, "span", text=doc.number, **{"class": "toc-number"})
            _sub(a, "span", text=doc.title, **{"class": "toc-title"})

    # -- documents --------------------------------------------------------

    def _document(self, body, doc: Document) -> None:
        front = doc.role in FRONT_ROLES
        sec = _sub(body, "section", id=doc.id, **{"class": f"{'front' if front else 'doc'} doc-{doc.role}"})
        if doc.title:
            self._opening(sec, doc.title, doc.title_html, doc.number, doc.dates)
        if doc.role == "notes":
            self._notes(sec)
        elif doc.role == "glossary":
            self._glossary(sec)
        elif doc.role == "index":
            _graft(sec, index_section(self.book, self.pages))
        else:
            _graft(sec, doc.html)
        _keep_dashes(sec)

    def _opening(self, parent, title: str, title_html: str, number: str | None, dates: str | None) -> None:
        label = f"{number}. {title}" if number else title
        header = _sub(parent, "header", **{"class": "opening", "data-head": title, "data-bookmark": label})
        if number:
            _sub(header, "p", text=number, **{"class": "opening-number"})
        h1 = _sub(header, "h1", **{"class": "opening-title"})
        _graft(h1, title_html)
        if dates:
            _sub(header, "p", text=dates, **{"class": "opening-dates"})

    def _notes(self, sec) -> None:
        """Endnotes grouped by the part whose text calls them."""
        for doc in self.book.documents:
            if not doc.notes:
                continue
            group = _sub(sec, "section", id=f"_notes-{doc.id}", **{"class": "notes-group"})
            label = f"{doc.number}. {doc.title}" if doc.number else doc.title
            _sub(group, "h2", text=label, **{"class": "notes-part"})
            for note in doc.notes:
                self._note(group, note)

    def _note(self, parent, note: Note) -> None:
        div = _sub(parent, "div", id=f"note-{note.key}", role="doc-endnote", **{"class": f"note note-{note.kind}"})
        _graft(div, note.html)
        first = div[0] if len(div) and div[0].tag == "p" else None
        if first is None:
            first = etree.Element("p")
            div.insert(0, first)
        mark = etree.Element("a", href=f"#{note.ref_ids[0]}" if note.ref_ids else "#", role="doc-backlink")
        mark.set("class", "note-mark")
        mark.text = note.mark
        mark.tail = first.text
        first.text = None
        first.insert(0, mark)
        first.set("class", ((first.get("class") or "") + " note-first").strip())

    def _glossary(self, sec) -> None:
        dl = _sub(sec, "dl", **{"class": "glossary"})
        for abbr in sorted(self.book.abbreviations, key=lambda a: (_sort_key(a.term), a.term)):
            # `anchor` (the id text links point at) is new in the model; absent, no id.
            dt = _sub(dl, "dt", id=getattr(abbr, "anchor", None) or None)
            _sub(dt, "abbr", text=abbr.term)
            _sub(dl, "dd", text=abbr.expansion)


def _sort_key(text: str) -> str:
    """Accent- and case-blind key; good enough until ICU collation comes."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# A word and the raya touching it ("—dijo", "iguales—."): Pango may break a
# line on either side of an em dash, which leaves a closing raya at the start
# of a line or an opening one at the end. Such words go into a no-break span.
_DASHED = re.compile(r"\S*(?:\w—|—\w)\S*")
_SKIP = {"head", "style", "script", "pre", "code"}


def _keep_dashes(root) -> None:
    """Wrap every word that touches a raya in <span class="nobr">, once, in one walk."""
    slots = [(el, "text") for el in root.iter() if el.text and el.tag not in _SKIP]
    slots += [(el, "tail") for el in root.iter() if el.tail and el is not root]
    for el, slot in slots:
        text = getattr(el, slot)
        if "—" not in text:
            continue
        pieces, last = [], 0
        for match in _DASHED.finditer(text):
            pieces.append((text[last:match.start()], match.group()))
            last = match.end()
        if not pieces:
            continue
        spans = []
        for before, word in pieces:
            span = etree.Element("span")
            span.set("class", "nobr")
            span.text = word
            spans.append((before, span))
        rest = text[last:]
        # text before the first span stays in the slot; each span's tail holds what follows it
        setattr(el, slot, spans[0][0])
        for (_, span), nxt in zip(spans, [b for b, _ in spans[1:]] + [rest]):
            span.tail = nxt
        if slot == "text":
            for i, (_, span) in enumerate(spans):
                el.insert(i, span)
        else:
            parent, index = el.getparent(), el.getparent().index(el)
            for i, (_, span) in enumerate(spans, 1):
                parent.insert(index + i, span)


def _sub(parent, tag: str, text: str | None = None, **attrs) -> etree._Element:
    el = etree.SubElement(parent, tag, {k: v for k, v in attrs.items() if v is not None})
    if text is not None:
        el.text = text
    return el


_PARSER = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True)


def _graft(parent, fragment: str) -> None:
    """Append the nodes of an XHTML fragment (text and elements) to `parent`."""
    if not fragment.strip():
        return
    wrapper = etree.fromstring(f"<wrapper>{fragment}</wrapper>", _PARSER)
    if wrapper.text:
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + wrapper.text
        else:
            parent.text = (parent.text or "") + wrapper.text
    for child in list(wrapper):
        parent.append(child)  # moves the child with its tail
