"""The frozen `Book`: all that renderers may see.

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

    @property
    def generated(self) -> bool:
        return self.source is None


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
class Resource:
    path: Path                # the file in the manuscript
    href: str                 # how the XHTML refers to it, relative to the manuscript root
    media_type: str


@dataclass(frozen=True)
class Book:
    config: BookConfig
    documents: tuple[Document, ...]
    root: Path                # the manuscript folder
    abbreviations: tuple[Abbreviation, ...] = ()
    resources: tuple[Resource, ...] = ()   # images the text shows, vetted

    @property
    def notes(self) -> tuple[Note, ...]:
        return tuple(n for d in self.documents for n in d.notes)

    @property
    def slug(self) -> str:
        from pipeline.resolve.ids import slugify

        return slugify(self.config.title)

    def document(self, doc_id: str) -> Document:
        return next(d for d in self.documents if d.id == doc_id)
