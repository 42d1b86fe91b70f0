"""Stage 3, resolve: book-wide decisions, into one frozen Book.

Before: the manuscript's settings and one transformed `Chapter` per file.
After: a `Book` whose documents carry final ids, titles, XHTML, and notes
numbered per part or continuously, each note linked to its references.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from pipeline.diagnostics import Report
from pipeline.gcpause import paused
from pipeline.i18n import word
from pipeline.manuscript import Manuscript
from pipeline.model import Book, Document, Note
from pipeline.registers import Registers
from pipeline.read.bibliography import Bibliography
from pipeline.resolve import crossrefs, lint, names, references, resources
from pipeline.resolve.html import to_html_all
from pipeline.resolve.markup import Finisher
from pipeline.text.ast import stringify
from pipeline.text.fragments import escape
from pipeline.text.ids import xml_id
from pipeline.transforms.chapter import Chapter


@paused()
def resolve(manuscript: Manuscript, chapters: dict[int, Chapter], registers: Registers,
            report: Report, cache_dir: Path | None = None, bib: Bibliography | None = None) -> Book:
    numbering = _Numbering(manuscript.config.notes.numbering)
    has_glossary = any(p.role == "glossary" for p in manuscript.parts)
    abbrs = {a.term: a for a in registers.abbreviations}
    taken: set[str] = set()
    docs, placed, mentions, texts = [], {}, [], []
    in_order = [chapters[p.index] for p in manuscript.parts if chapters.get(p.index) is not None]
    _MEMO.keep(in_order)
    fragments = _fragments(in_order, cache_dir)
    cited = references.cited(in_order)
    if bib is not None:
        references.check(bib, cited, report)
    for part in manuscript.parts:
        chapter = chapters.get(part.index)
        if chapter is None:
            docs.append(_generated(manuscript, part, taken))
            if part.role == "references" and bib is not None:
                api = in_order[0].source.api if in_order else (1, 23, 1, 1)
                docs[-1] = replace(docs[-1], html=references.html(bib, cited, api, cache_dir))
            continue
        images = resources.vet(chapter.images, chapter.source.path, manuscript.root, report)
        placed.update((r.href, r) for r in images.values())
        finish = Finisher({}, abbrs, has_glossary, images)
        docs.append(_memo_document(manuscript, part, chapter, numbering, taken, finish, next(fragments)))
        mentions += names.mentions(docs[-1], chapter)
        texts.append((chapter, docs[-1]))
    report.check()
    changed, labels = crossrefs.resolve(texts, manuscript.config, report)
    docs = [changed.get(d.id, d) for d in docs]
    index = names.build_index(registers, mentions, chapters.values(), manuscript.config.language, report)
    used, kept = lint.abbreviations(chapters.values(), registers, report)
    counted = tuple(replace(a, uses=used[a.term], listed=bool(used[a.term]) or a.term in kept)
                    for a in registers.abbreviations)
    return Book(config=manuscript.config, documents=tuple(docs), root=manuscript.root, abbreviations=counted,
                resources=tuple(placed[href] for href in sorted(placed)), index=index,
                labels=labels)


class _Memo:
    """What one chapter gave resolve in this process: its XHTML fragments
    and its Document, under the Chapter object itself (the chapter cache
    hands a long-lived process, the preview, the same object while its file
    is unchanged: transforms/cache.py). Only the book's current chapters
    are kept. A Document is kept with everything else it was made from."""

    def __init__(self):
        self.html: dict[int, tuple[Chapter, list[str]]] = {}
        self.docs: dict[int, tuple[Chapter, tuple, Document, int]] = {}

    def keep(self, chapters: list[Chapter]) -> None:
        now = {id(c): c for c in chapters}
        for table in (self.html, self.docs):
            for key in [k for k, v in table.items() if now.get(k) is not v[0]]:
                del table[key]


_MEMO = _Memo()


def _fragments(in_order: list[Chapter], cache_dir: Path | None):
    """to_html of each chapter's chunks, in order; Pandoc runs ahead for
    the chapters this process has not written before."""
    missing = [c for c in in_order if id(c) not in _MEMO.html]
    made = to_html_all(((_chunks(c), c.source.api) for c in missing), cache_dir)
    for chapter in in_order:
        if id(chapter) not in _MEMO.html:
            _MEMO.html[id(chapter)] = (chapter, next(made))
        yield _MEMO.html[id(chapter)][1]


def _memo_document(manuscript, part, chapter: Chapter, numbering, taken: set[str], finish, fragments) -> Document:
    """_document, or the one made before from the same inputs (the chapter,
    its part, the ids taken before it, the note count it starts from, the
    registers and images its markup is finished with)."""
    numbering.start_part()   # as _document does first: per part, the count before it is no input
    inputs = (repr(part), str(manuscript.root), numbering.mode, numbering.count, tuple(sorted(taken)),
              tuple(finish.abbreviations.items()), finish.glossary, tuple(sorted(finish.images.items())))
    kept = _MEMO.docs.get(id(chapter))
    if kept is not None and kept[1] == inputs:
        taken.add(kept[2].id)
        numbering.count = kept[3]
        return kept[2]
    doc = _document(manuscript, part, chapter, numbering, taken, finish, fragments)
    _MEMO.docs[id(chapter)] = (chapter, inputs, doc, numbering.count)
    return doc


def _generated(manuscript: Manuscript, part, taken: set[str]) -> Document:
    title = part.title or word(manuscript.config.language, part.role)
    return Document(xml_id(part.role, taken), part.role, title, escape(title), None, None, "", (), None,
                    part.short_title)


def _chunks(chapter: Chapter) -> list[list]:
    """What Pandoc writes as XHTML for a chapter: its title, its body, each note."""
    heading_inlines = chapter.heading.inlines if chapter.heading else []
    return [[{"t": "Plain", "c": heading_inlines}], chapter.blocks] + [n.blocks for n in chapter.notes]


def _document(manuscript, part, chapter: Chapter, numbering, taken, finish: Finisher, fragments) -> Document:
    heading = chapter.heading
    heading_inlines = heading.inlines if heading else []
    title_html, body_html, *note_html = fragments
    doc_id = xml_id(re.sub(r"^[\d_-]+", "", part.path.stem) or part.role, taken)
    numbering.start_part()
    notes = tuple(_note(doc_id, i, body, numbering, chapter) for i, body in enumerate(chapter.notes, 1))
    finish.notes = {body.label: note for body, note in zip(chapter.notes, notes)}
    notes = tuple(replace(n, html=names.finish(finish(html, link_terms=False), doc_id)) for n, html in zip(notes, note_html))
    title = part.title or stringify(heading_inlines)
    rel = str(part.path.relative_to(manuscript.root.resolve()))
    return Document(doc_id, part.role, title, finish(title_html, link_terms=False) if title else "",
                    heading.number if heading else None, heading.dates if heading else None,
                    names.finish(finish(body_html), doc_id), notes, rel, part.short_title,
                    tuple(f"{chapter.source.path}:{line}" for line in chapter.tables))


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


def _note(doc_id, i, body, numbering, chapter) -> Note:
    mark, kind = numbering.mark(body)
    key = f"{doc_id}-{i}"
    refs = tuple(f"ref-{key}" + (f"-{n}" if n > 1 else "") for n in range(1, body.refs + 1))
    return Note(key, doc_id, mark, kind, "", refs, f"{chapter.source.path}:{body.line}")
