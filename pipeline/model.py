"""The frozen `Book`: all that renderers may see; and the register entries
(`Abbreviation`, `NameForm`) that registers.py loads and resolve builds on.
A model, not a stage: it imports only neutral helpers.

Every cross-file decision is already taken here: note numbers and marks,
document ids and order, the HTML of each text. Renderers only lay it out.
HTML fragments are well-formed XML (XHTML syntax, no namespace prefixes);
note references in them read

    <a class="noteref" id="ref-KEY" href="#note-KEY" role="doc-noteref">12</a>

and renderers point the href at wherever they place the note.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.manuscript import BookConfig


@dataclass(frozen=True)
class Note:
    key: str                  # unique in the book, usable as an XML id suffix
    doc_id: str               # the document whose text refers to it
    mark: str                 # what the reader sees: "12", "12*", "*"
    kind: str                 # "numbered" | "editor" | "title"
    html: str                 # the note's blocks
    ref_ids: tuple[str, ...]  # ids of the references to it, in text order
    source: str               # "path:line" of its definition


@dataclass(frozen=True)
class Document:
    id: str                   # XML id, EPUB file stem
    role: str                 # book.yaml role
    title: str                # plain text, for navigation and running heads
    title_html: str
    number: str | None        # chapter number ("I"), if any
    dates: str | None
    html: str                 # body, without the title
    notes: tuple[Note, ...]
    source: str | None        # manuscript-relative path, None when generated

    short_title: str | None = None   # for running heads, from book.yaml
    tables: tuple[str, ...] = ()     # "path:line" of each table of the text, in order (print checks their width)

    @property
    def generated(self) -> bool:
        return self.source is None

    @property
    def head(self) -> str:
        """The running head: the short title if book.yaml gives one."""
        return self.short_title or self.title


@dataclass(frozen=True)
class Abbreviation:
    term: str
    expansion: str
    variants: tuple[str, ...] = ()
    note: str | None = None
    anchor: str = ""          # id of its glossary entry
    uses: int = 0             # occurrences in the book (text and notes)
    listed: bool = True       # in the glossary: used, or kept with a reason


@dataclass(frozen=True)
class NameForm:
    """One entry of names.yaml, as the transforms match it."""
    key: str                          # the index heading: "Trotsky, León"
    variants: tuple[str, ...] = ()    # how the text writes it: "Trotsky", "L. Trotsky"
    not_before: tuple[str, ...] = ()  # a variant followed by one of these words is no mention
    not_after: tuple[str, ...] = ()   # nor one that follows one of these ("calle", "avenida")
    exclude: tuple[str, ...] = ()     # phrases in which a variant is no mention ("calle Blanqui")


@dataclass(frozen=True)
class Mention:
    """One place where the text names a person of the index."""
    id: str                   # "m-<doc>-<n>": the anchor of the mention, unique in the book
    doc_id: str               # the document whose text, or whose note, holds it
    text: str                 # as written: "L. Trotsky"
    note: str | None = None   # key of the note holding it, None in the running text
    note_mark: str | None = None


@dataclass(frozen=True)
class IndexEntry:
    """An entry of the index of names, with its mentions in reading order."""
    key: str                          # as in names.yaml: "Gaulle, Charles de"
    label: str                        # what the index prints (a sub-entry drops its parent's heading)
    dates: str | None = None
    letter: str = ""                  # letter group: "A", "Ñ"…
    see: tuple[str, ...] = ()         # "véase": the entry is only a cross-reference
    see_also: tuple[str, ...] = ()    # "véase también"
    mentions: tuple[Mention, ...] = ()
    subentries: tuple["IndexEntry", ...] = ()


@dataclass(frozen=True)
class Resource:
    path: Path                # the file in the manuscript
    href: str                 # how the XHTML refers to it, relative to the manuscript root
    media_type: str


@dataclass(frozen=True)
class Label:
    """A cross-reference label (`{#fig-crane}`, `[^note-x]`) and what a reference to it prints."""
    key: str                  # as written: "fig-crane"
    kind: str                 # "chapter" | "sec" | "fig" | "tbl" | "note"
    id: str                   # the element's id in the text (a chapter's: its document's id)
    doc_id: str               # the document holding it
    text: str                 # what a reference prints: "figure 2.1", "chapter IV", "note 12"
    number: str = ""          # a figure's or table's number: "2.1"
    title: str = ""           # a heading's text, a caption's (without the credit)
    note_key: str = ""        # a note's Note.key


@dataclass(frozen=True)
class Book:
    config: BookConfig
    documents: tuple[Document, ...]
    root: Path                # the manuscript folder
    abbreviations: tuple[Abbreviation, ...] = ()
    resources: tuple[Resource, ...] = ()   # images the text shows, vetted
    index: tuple[IndexEntry, ...] = ()     # index of names, sorted (ICU, the book's language)
    labels: tuple[Label, ...] = ()         # cross-reference labels, in reading order

    def floats(self, kind: str) -> tuple[Label, ...]:
        """The numbered figures ("fig") or tables ("tbl"), in reading order."""
        return tuple(label for label in self.labels if label.kind == kind)

    @property
    def notes(self) -> tuple[Note, ...]:
        return tuple(n for d in self.documents for n in d.notes)

    @property
    def slug(self) -> str:
        from pipeline.text.ids import slugify

        return slugify(self.config.title)

    def glossary(self) -> tuple[Abbreviation, ...]:
        """The entries the glossary lists (used, or kept with a reason), in
        the order of the book's language (ICU collation)."""
        from pipeline.collation import sort_key

        key = sort_key(self.config.language)
        return tuple(sorted((a for a in self.abbreviations if a.listed), key=lambda a: key(a.term)))

    def document(self, doc_id: str) -> Document:
        return next(d for d in self.documents if d.id == doc_id)
