"""Book -> the HTML WeasyPrint lays out with styles/print.css: the whole book, or one unit.

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
- `header.opening[data-bookmark]` is the PDF outline entry (the running
  heads are drawn apart, furniture.py);
- `a.toc-link[data-page]`, `a.note-ref-page[data-page]` print the page
  numbers the layout before gave (placeholders before that).

The build lays the book out unit by unit (`unit_names`, `build_unit`): a
link to an id in another unit is written `x-dest:ID`, for merge.py.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from lxml import etree

from pipeline.i18n import word
from pipeline.model import Book, Document, Note
from pipeline.render.pdf import notes as notes_
from pipeline.render.pdf.index import index_section
from pipeline.render.pdf.math import replace_math
from pipeline.text.words import is_acronym

SKIPPED: set[str] = set()    # roles not laid out
FRONT_ROLES = {"epigraph"}
FLOAT_LISTS = {"figures": "fig", "tables": "tbl"}   # generated lists -> the Labels they list   # set like the front matter: own recto, no head, no folio

# Ids of the pieces only the PDF has; resolve's slugs never start with "_".
HALF_TITLE, TITLE_PAGE, COPYRIGHT, TOC = "_half-title", "_title-page", "_copyright", "_toc"
FRONT = "_front"            # the unit of the half-title, title page, copyright (and contents)
CROSS = "x-dest:"           # a link to an id of another unit (merge.py resolves it)
PLACEHOLDER = "000"         # a page number not known yet, as wide as most
PAGE_NUMBERED = ("toc-link", "note-ref-page", "index-locators", "xref-page")

MONTHS = {
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "en": "January February March April May June July August September October November December",
}
WORDS = {
    "es": {"ebook": "Edición digital", "isbn": "ISBN"},
    "en": {"ebook": "Ebook edition", "isbn": "ISBN"},
}


def build_html(book: Book, pages: dict[str, int] | None = None,
               lines: dict[str, list[notes_.Line]] | None = None, hold: frozenset[str] = frozenset()) -> str:
    """The whole book as one HTML document (a string, serialised as HTML):
    every unit's sections in one body. The build lays units out one by one
    (`build_unit`); this one document is what a plain WeasyPrint user would
    render (the benchmark's baseline).

    `pages` (element id -> physical page, from a layout before) fills in what
    only the layout knows: contents and index page numbers, the pages of a
    note's several calls, "(cont.)" on footnotes carried over; it must not
    move the flow. `lines` (footnote mode: each note's measured lines,
    notes.py) says where long footnotes are cut; `hold` names the notes
    whose call line goes to the next page rather than the note (`notes.strays`).
    """
    builder = _Builder(book, pages, lines, hold)
    html = builder.html()
    body = html.find("body")
    for name in unit_names(book):
        for section in builder.unit_sections(name):
            body.append(section)
    return _serialise(html)


def unit_names(book: Book) -> list[str]:
    """The units the book is laid out in, in reading order: the front matter,
    then every contents entry that is set in print."""
    skipped = SKIPPED | ({"notes"} if book.config.notes.print == "footnotes" else set())
    return [FRONT] + [d.id for d in book.documents if d.role not in skipped]


def build_unit(book: Book, name: str, pages: dict[str, int] | None = None,
               lines: dict[str, list[notes_.Line]] | None = None, hold: frozenset[str] = frozenset()) -> str:
    """One unit alone, as an HTML document (arguments as build_html's). A link
    to an id of another unit becomes `x-dest:ID`, which merge.py turns back
    into a link to that id in the merged book. Built once per process for
    the same inputs (_unit_inputs): a long-lived process (the preview) builds
    every unit's HTML on each save to key its layout."""
    inputs = _unit_inputs(book, name, pages, lines, hold)
    kept = _UNITS.get(name)
    if inputs is not None and kept is not None and kept[0] == inputs:
        return kept[1]
    html = _build_unit(book, name, pages, lines, hold)
    if inputs is not None:
        _UNITS[name] = (inputs, html)
    return html


_UNITS: dict[str, tuple[tuple, str]] = {}   # unit name -> (its inputs, its HTML), the last built in this process


def _unit_inputs(book: Book, name: str, pages, lines, hold) -> tuple | None:
    """All a unit's HTML is made of, for a unit laid out without pages that
    reads only its own document (the notes: the documents' numbers, titles
    and notes) and the settings; None for the others (the front matter, the
    contents, glossary, index and lists of floats read the whole book)."""
    if pages is not None or lines or hold or name == FRONT:
        return None
    doc = book.document(name)
    if doc.role in ("toc", "glossary", "index") or doc.role in FLOAT_LISTS:
        return None
    own = tuple((d.id, d.number, d.title, d.notes) for d in book.documents) if doc.role == "notes" else ()
    return book.config, doc, own


def _build_unit(book: Book, name: str, pages, lines, hold) -> str:
    builder = _Builder(book, pages, lines, hold)
    html = builder.html()
    body = html.find("body")
    for section in builder.unit_sections(name):
        body.append(section)
    _link_across(html)
    return _serialise(html)


def needs_pages(html: str) -> bool:
    """Does a unit print page numbers of the book (contents, index, a note's
    several calls)? Such a unit is laid out again once the pages are known."""
    return any(f'class="{c}"' in html for c in PAGE_NUMBERED)


def measure_html(book: Book, doc_ids: set[str] | None = None) -> str:
    """Footnote mode: every note (of `doc_ids`' documents) alone, uncut, as a
    block at the footnote measure."""
    builder = _Builder(book)
    html = builder.html()
    sec = _sub(html.find("body"), "section", **{"class": "notes-measure"})
    for note in (n for d in book.documents if doc_ids is None or d.id in doc_ids for n in d.notes):
        root = builder._footnote(note)
        _keep_dashes(root)
        _keep_closing_dashes(root)
        sec.append(root)
    return _serialise(html)


def _serialise(html) -> str:
    return etree.tostring(html, method="html", encoding="unicode", doctype="<!DOCTYPE html>")


def _link_across(html) -> None:
    ids = {e.get("id") for e in html.iter() if e.get("id")}
    for a in html.iter("a"):
        href = a.get("href") or ""
        if href.startswith("#") and len(href) > 1 and href[1:] not in ids:
            a.set("href", CROSS + quote(href[1:], safe=""))  # merge.py unquotes it


class _Builder:
    def __init__(self, book: Book, pages: dict[str, int] | None = None,
                 lines: dict[str, list[notes_.Line]] | None = None, hold: frozenset[str] = frozenset()):
        self.book = book
        self.hold = hold
        self.pages = pages
        self.cfg = book.config
        self.lang = self.cfg.language
        self.lines = lines or {}
        self.footnotes = self.cfg.notes.print == "footnotes"
        # footnote mode: the notes stand at the foot of their pages, no "Notas" section
        self.skipped = SKIPPED | ({"notes"} if self.footnotes else set())

    # -- document ---------------------------------------------------------

    def html(self) -> etree._Element:
        """<html> with its <head> and an empty <body>."""
        html = etree.Element("html", lang=self.lang)
        self._head(_sub(html, "head"))
        _sub(html, "body")
        return html

    def unit_sections(self, name: str) -> list[etree._Element]:
        """The top-level sections of one unit (see unit_names)."""
        body = etree.Element("body")
        if name == FRONT:
            self._half_title(body)
            self._title_page(body)
            self._copyright(body)
            if "toc" not in {d.role for d in self.book.documents}:
                self._toc(body, TOC, word(self.lang, "toc"))
            return list(body)
        doc = self.book.document(name)
        if doc.role == "toc":
            self._toc(body, doc.id, doc.title)
        else:
            self._document(body, doc)
        return list(body)

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
        """ "Edición: Eduardo Editor", "Translated by Tomás Ferreira": every creator but the
        authors, in book.yaml order, as the book's language writes a credit."""
        return [word(self.lang, "role-" + c.role, name=c.name) for c in self.cfg.creators if c.role != "author"]

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
            if doc.role in self.skipped or doc.role == "toc" or not doc.title:
                continue
            li = _sub(ol, "li", **{"class": f"toc-entry toc-{doc.role}"})
            a = _sub(li, "a", href=f"#{doc.id}", **{"class": "toc-link", "data-page": self._page_of(doc.id)})
            if doc.number:
                _sub(a, "span", text=doc.number, **{"class": "toc-number"})
            _sub(a, "span", text=doc.title, **{"class": "toc-title"})

    # -- documents --------------------------------------------------------

    def _document(self, body, doc: Document) -> None:
        front = doc.role in FRONT_ROLES
        sec = _sub(body, "section", id=doc.id, **{"class": f"{'front' if front else 'doc'} doc-{doc.role}"})
        if doc.title:
            self._opening(sec, doc.title, doc.title_html, doc.number, doc.dates, doc.head)
        if doc.role == "notes":
            self._notes(sec)
        elif doc.role == "glossary":
            self._glossary(sec)
        elif doc.role == "index":
            _graft(sec, index_section(self.book, self.pages))
        elif doc.role in FLOAT_LISTS:
            self._float_list(sec, FLOAT_LISTS[doc.role])
        else:
            _graft(sec, doc.html)
        _keep_dashes(sec)
        _keep_closing_dashes(sec)
        if self.footnotes and doc.notes:
            self._place_footnotes(sec, doc)
            self._end_probe(sec, doc)
        _keep_calls(sec)
        _set_stars(sec)
        self._page_references(sec)   # in the text and in its notes, wherever they were placed

    def _opening(self, parent, title: str, title_html: str, number: str | None, dates: str | None,
                 head: str | None = None) -> None:
        label = f"{number}. {title}" if number else title
        header = _sub(parent, "header", **{"class": "opening", "data-head": head or title, "data-bookmark": label})
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
                group.append(self._note(note))

    def _float_list(self, sec, kind: str) -> None:
        """The list of illustrations or of tables: number, caption, page."""
        ol = _sub(sec, "ol", **{"class": "toc-list float-list"})
        for label in self.book.floats(kind):
            li = _sub(ol, "li", **{"class": "toc-entry float-entry"})
            a = _sub(li, "a", href=f"#{label.id}", **{"class": "toc-link", "data-page": self._page_of(label.id)})
            _sub(a, "span", text=label.number, **{"class": "float-number"})
            _sub(a, "span", text=label.title, **{"class": "toc-title"})

    def _page_references(self, sec) -> None:
        """`[p. @sec-x]`: the page its target falls on in the layout before."""
        for a in sec.iter("a"):
            if a.get("class") == "xref-page":
                a.text = word(self.lang, "ref-page", n=self._page_of(a.get("href", "#")[1:]))

    def _page_of(self, ident: str) -> str:
        """The page an id fell on in the layout before; a placeholder as wide before that."""
        page = (self.pages or {}).get(ident)
        return str(page) if page is not None else PLACEHOLDER

    def _note(self, note: Note, tag: str = "div") -> etree._Element:
        """A note's blocks, its mark hanging before the first; the mark links back to the call."""
        div = etree.Element(tag, id=f"note-{note.key}", role="doc-endnote")
        div.set("class", f"note note-{note.kind}")
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
        if len(note.ref_ids) > 1:
            # referenced more than once: the page of every call, resolved by the layout itself
            refs = etree.Element("span")
            refs.set("class", "note-refs")
            refs.text = "("
            for n, ref in enumerate(note.ref_ids):
                a = _sub(refs, "a", href=f"#{ref}", **{"class": "note-ref-page", "data-page": self._page_of(ref)})
                a.tail = ", " if n < len(note.ref_ids) - 1 else ") "
            refs.tail = mark.tail
            mark.tail = None
            mark.addnext(refs)
        first.set("class", ((first.get("class") or "") + " note-first").strip())
        return div

    # -- footnotes ----------------------------------------------------------

    def _footnote(self, note: Note) -> etree._Element:
        """A note as one inline `span.footnote`, its blocks turned into spans."""
        root = self._note(note, "span")
        root.attrib.pop("role")
        root.set("class", f"footnote note-{note.kind}")
        for el in root.iter():
            if el is not root and el.tag in notes_.BLOCKS:
                cls = f"fb fb-{el.tag} {el.get('class') or ''}".strip()
                el.tag = "span"
                el.set("class", cls)
        return root

    def _place_footnotes(self, sec, doc: Document) -> None:
        """After each note's first call, its footnote: cut into chunks when long."""
        calls = {a.get("id"): a for a in sec.iter("a") if a.get("class") == "noteref"}
        for note in doc.notes:
            call = calls.get(note.ref_ids[0]) if note.ref_ids else None
            if call is None:
                continue
            root = self._footnote(note)
            if note.key in self.hold:
                root.set("class", root.get("class") + " fn-hold")
            _keep_dashes(root)
            _keep_closing_dashes(root)
            pieces = notes_.cut(root, notes_.plan_chunks(self.lines.get(note.key, [])))
            anchor = call
            for n, piece in enumerate(pieces):
                ident = f"note-{note.key}" if n == 0 else f"note-{note.key}-{n + 1}"
                piece.set("id", ident)
                if n < len(pieces) - 1:
                    piece.set("class", piece.get("class") + " fn-more")
                if n:   # the engine may carry it: the note has opened on the call's page already
                    piece.set("class", piece.get("class") + " fn-rest")
                if n and self.pages and self.pages.get(ident) != self.pages.get(pieces[n - 1].get("id")):
                    self._continued(piece)
                piece.tail, anchor.tail = anchor.tail, None
                anchor.addnext(piece)
                anchor = piece

    def _end_probe(self, sec, doc: Document) -> None:
        """An empty span after the section's last word: the page its text ends on."""
        last = [p for p in sec.iter("p")]
        if last:
            last[-1].append(notes_.probe(notes_.end_probe_id(doc.id)))

    def _continued(self, piece) -> None:
        """A chunk that opens a page: a hanging '(cont.)', of no width, before its first line."""
        piece.set("class", piece.get("class") + " fn-cont")
        target = piece
        while len(target) and target[0].tag == "span" and "fb" in (target[0].get("class") or "").split():
            target = target[0]
        label = etree.Element("span")
        label.set("class", "fn-cont-label")
        label.text = "(cont.)"
        label.tail, target.text = target.text, None
        target.insert(0, label)

    def _glossary(self, sec) -> None:
        dl = _sub(sec, "dl", **{"class": "glossary"})
        for abbr in self.book.glossary():
            dt = _sub(dl, "dt", id=abbr.anchor or None)
            # Acronyms in small capitals; word terms (Duma) as words.
            _sub(dt, "abbr" if is_acronym(abbr.term) else "dfn", text=abbr.term)
            _sub(dl, "dd", text=abbr.expansion)


# A raya and the letters touching it ("—dijo", "iguales—.", "¡Internacional!—."):
# Pango may break a line on either side of an em dash, which leaves a closing
# raya at the start of a line or an opening one at the end. The raya goes
# into a no-break span with the one sign before it (and the signs after a
# closing one), or the one letter after an opening one: "iguale<s—.>",
# "<—d>ijo". Binding the whole word kept it from being hyphenated, and
# lines that could not break it were set loose.
_DASHED = re.compile(r"[^\s—]—+[^\w\s—]*\w?|[^\w\s]*—+\w")
# A raya set apart by spaces before a word in lower case closes an aside
# ("(1814-1861) — rescatado"): the space before it is made a no-break one,
# so that it ends its line. Before a capital ("¿tal? — Bien.") it opens a
# reply and may open a line.
_SPACED = re.compile(r"(?<![\s—]) —(?= ([^\W\d_]))")
_SKIP = {"head", "style", "script", "pre", "code"}
WORD_JOINER = "\u2060"


def _keep_dashes(root) -> None:
    """Wrap every raya touching a word, with its neighbours (_DASHED), in
    <span class="nobr">, once, in one walk; bind a spaced closing raya to
    the word before it (_SPACED)."""
    slots = [(el, "text") for el in root.iter() if el.text and el.tag not in _SKIP]
    slots += [(el, "tail") for el in root.iter() if el.tail and el is not root]
    for el, slot in slots:
        text = getattr(el, slot)
        if "—" not in text:
            continue
        text = _SPACED.sub(lambda m: "\u00a0—" if m[1].islower() and (m.start() or slot == "tail") else m[0], text)
        setattr(el, slot, text)
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


# Inline elements a closing raya may follow: a name of the index, an
# abbreviation, a title in italics. One word of them at most is bound.
_INLINE = {"span", "a", "abbr", "em", "i", "cite", "dfn", "b", "strong", "sup", "sub"}
_CLOSING = re.compile(r"—(?![\w¿¡«])\S*")


def _keep_closing_dashes(root) -> None:
    """Bind a closing raya that follows an element ("Denikin—, pensaba", the
    name an index span) to that element's word, which _keep_dashes cannot
    see from the text alone. An element of more than one word (a title)
    is not bound whole, which would stretch its line: a word joiner holds
    the raya to its last word, and its other words break as they would."""
    for el in [e for e in root.iter(*_INLINE) if e.tail and _CLOSING.match(e.tail)]:
        word = "".join(el.itertext())
        if not word or word[-1].isspace():
            continue
        if any(c.isspace() for c in word):
            el.tail = WORD_JOINER + el.tail
            continue
        run = _CLOSING.match(el.tail).group()
        span = etree.Element("span")
        span.set("class", "nobr")
        el.addprevious(span)
        span.tail, el.tail = el.tail[len(run):], run
        span.append(el)


def _set_stars(root) -> None:
    """The asterisk of a call ("119*", "*") in a span of its own, which
    print.css sets as the text's asterisk, smaller and moved up: the face's
    superior asterisk (asterisk.sups) advances 0.65 em for 0.15 em of ink,
    and left a gap after every editor's call."""
    for call in [a for a in root.iter("a") if a.get("class") == "noteref" and not len(a)]:
        if (call.text or "").endswith("*"):
            call.text = call.text[:-1]
            _sub(call, "span", text="*", **{"class": "call-star"})


def _keep_calls(root) -> None:
    """Bind each note call to the sign before it ("Hungría.³¹", "yo,¹²"):
    Pango allows a break between a sign and a digit, and WeasyPrint breaks
    between inline boxes where Pango would, so the call opened the next
    line. After a letter Pango allows none; a call there is left as it is.
    A call right after a word _keep_dashes bound goes into its span. The
    footnote placed after a call (footnote mode) stays outside the span,
    whose white-space it would inherit."""
    for call in [a for a in root.iter("a") if a.get("class") == "noteref"]:
        prev = call.getprevious()
        owner, slot = (prev, "tail") if prev is not None else (call.getparent(), "text")
        text = getattr(owner, slot) or ""
        if not text and prev is not None and prev.get("class") == "nobr":   # "cómo—." bound already
            prev.tail, call.tail = call.tail, None
            prev.append(call)
            continue
        if not text or text[-1].isspace() or text[-1].isalnum():
            continue
        setattr(owner, slot, text[:-1])
        span = etree.Element("span")
        span.set("class", "nobr")
        span.text = text[-1]
        call.addprevious(span)
        span.tail, call.tail = call.tail, None
        span.append(call)


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
    if "<math" in fragment:
        replace_math(wrapper)
    if wrapper.text:
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + wrapper.text
        else:
            parent.text = (parent.text or "") + wrapper.text
    for child in list(wrapper):
        parent.append(child)  # moves the child with its tail
