"""Stage 3, resolve: book-wide decisions, into one frozen Book.

Before: the manuscript's settings and one transformed `Chapter` per file.
After: a `Book` whose documents carry final ids, titles, XHTML, and notes
numbered per part or continuously, each note linked to its references.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from pipeline.i18n import word
from pipeline.manuscript import Manuscript
from pipeline.resolve import abbreviations
from pipeline.resolve.html import escape, inner_xml, to_html
from pipeline.resolve.ids import xml_id
from pipeline.resolve.model import Book, Document, Note
from pipeline.transforms.ast import stringify
from pipeline.transforms.chapter import Chapter



def resolve(manuscript: Manuscript, chapters: dict[int, Chapter], cache_dir: Path | None = None) -> Book:
    numbering = _Numbering(manuscript.config.notes.numbering)
    taken: set[str] = set()
    docs = []
    for part in manuscript.parts:
        chapter = chapters.get(part.index)
        if chapter is None:
            docs.append(_generated(manuscript, part, taken))
        else:
            docs.append(_document(manuscript, part, chapter, numbering, taken, cache_dir))
    abbrs = abbreviations.load(manuscript.root)
    return Book(config=manuscript.config, documents=tuple(docs), root=manuscript.root, abbreviations=abbrs)


def _generated(manuscript: Manuscript, part, taken: set[str]) -> Document:
    title = part.title or word(manuscript.config.language, part.role)
    return Document(xml_id(part.role, taken), part.role, title, escape(title), None, None, "", (), None)


def _document(manuscript, part, chapter: Chapter, numbering, taken, cache_dir) -> Document:
    heading = chapter.heading
    heading_inlines = heading.inlines if heading else []
    chunks = [[{"t": "Plain", "c": heading_inlines}], chapter.blocks] + [n.blocks for n in chapter.notes]
    title_html, body_html, *note_html = to_html(chunks, chapter.source.api, cache_dir)
    doc_id = xml_id(re.sub(r"^[\d_-]+", "", part.path.stem) or part.role, taken)
    numbering.start_part()
    notes = tuple(_note(doc_id, i, body, html, numbering, chapter)
                  for i, (body, html) in enumerate(zip(chapter.notes, note_html), 1))
    by_label = {body.label: note for body, note in zip(chapter.notes, notes)}
    title = part.title or stringify(heading_inlines)
    rel = str(part.path.relative_to(manuscript.root.resolve()))
    return Document(doc_id, part.role, title, _link_refs(title_html, by_label) if title else "",
                    heading.number if heading else None, heading.dates if heading else None,
                    _link_refs(body_html, by_label), notes, rel)


class _Numbering:
    """Note marks: per part or continuous; title notes take '*', editors' notes 'N*'."""

    def __init__(self, mode: str):
        self.mode, self.count = mode, 0

    def start_part(self):
        if self.mode == "per-part":
            self.count = 0

    def mark(self, body) -> tuple[str, str]:
        if body.title:
            return "*", "title"
        self.count += 1
        return (f"{self.count}*", "editor") if body.editor else (str(self.count), "numbered")


def _note(doc_id, i, body, html, numbering, chapter) -> Note:
    mark, kind = numbering.mark(body)
    key = f"{doc_id}-{i}"
    refs = tuple(f"ref-{key}" + (f"-{n}" if n > 1 else "") for n in range(1, body.refs + 1))
    return Note(key, doc_id, mark, kind, html, refs, f"{chapter.source.path}:{body.line}")


def _link_refs(fragment: str, by_label: dict[str, Note]) -> str:
    """Placeholders <span class="noteref" data-label=…/> become links to notes."""
    root = etree.fromstring(f"<div>{fragment}</div>")
    seen: dict[str, int] = {}
    for span in root.iter("span"):
        if span.get("class") == "noteref":
            _to_link(span, by_label[span.get("data-label")], seen)
    return inner_xml(root)


def _to_link(span, note: Note, seen: dict[str, int]) -> None:
    n = seen[note.key] = seen.get(note.key, 0) + 1
    span.tag = "a"
    span.attrib.clear()
    span.set("class", "noteref")
    span.set("id", note.ref_ids[min(n, len(note.ref_ids)) - 1])
    span.set("href", f"#note-{note.key}")
    span.set("role", "doc-noteref")
    span.text = note.mark


