"""The index of names: mention anchors and the sorted index model.

Before: name spans from the transforms, numbered per file
        (<span class="name" data-key="Trotsky, León" data-n="3">Trotsky</span>),
        and names.yaml.
After:  <span class="name" id="m-<doc>-3" data-key="Trotsky, León">Trotsky</span>
        (an id unique in the book) and the Book's `index`: entries sorted
        with ICU collation in the book's language (Spanish: ñ after n,
        accents a secondary difference), a letter group each, sub-entries
        under their parent, cross-references, the mentions of each in
        reading order. Warnings: X001 (an entry mentioned nowhere), X005 (an
        explicit .name span whose key is not in the register).

Particles: a heading is sorted as written ("Gaulle, Charles de" under G);
a heading that starts with a particle in lower case ("von Papen, Franz")
is sorted without it, so both ways an editor may write it agree.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from typing import TYPE_CHECKING

from lxml import etree

from pipeline.collation import sort_key
from pipeline.diagnostics import Report, make
from pipeline.model import Document, IndexEntry, Mention
from pipeline.registers import Registers
from pipeline.text.fragments import inner_xml

if TYPE_CHECKING:
    from pipeline.transforms.chapter import Chapter

PARTICLES = ("de", "del", "de la", "de las", "de los", "von", "van", "van der", "von der", "di", "da", "le", "la",
             "du", "des", "d’", "d'")


def mention_id(doc_id: str, n: int | str) -> str:
    return f"m-{doc_id}-{n}"


def finish(fragment: str, doc_id: str) -> str:
    """Give every name span of a document's fragment its book-wide id."""
    if 'class="name"' not in fragment:
        return fragment
    root = etree.fromstring(f"<div>{fragment}</div>")
    for span in root.iter("span"):
        if span.get("class") == "name" and span.get("data-n"):
            key = span.get("data-key", "")
            n = span.attrib.pop("data-n")
            span.attrib.clear()
            span.attrib.update({"class": "name", "id": mention_id(doc_id, n), "data-key": key})
    return inner_xml(root)


def mentions(doc: Document, chapter: Chapter) -> list[tuple[str, Mention]]:
    """(key, Mention) for every name site of one document, in reading order."""
    by_label = {body.label: note for body, note in zip(chapter.notes, doc.notes)}
    out = []
    for site in chapter.names:
        note = by_label.get(site.note) if site.note is not None else None
        if site.note is not None and note is None:
            continue  # a note whose text was dropped (never referenced): no anchor in any output
        out.append((site.key, Mention(mention_id(doc.id, site.n), doc.id, site.text,
                                      note.key if note else None, note.mark if note else None)))
    return out


def build_index(registers: Registers, found: list[tuple[str, Mention]], chapters, language: str,
                report: Report) -> tuple[IndexEntry, ...]:
    if not registers.names:
        return ()
    path = registers.root / "names.yaml"
    by_key: dict[str, list[Mention]] = defaultdict(list)
    for key, mention in found:
        by_key[key].append(mention)
    known = {e.name for e in registers.names}
    _unknown_keys(by_key, known, chapters, report)
    for entry, line in zip(registers.names, registers.name_lines):
        if entry.variants and not by_key.get(entry.name) and not registers.ignored(
                make("X001", path, line, name=entry.name)):
            report.add("X001", path, line, name=entry.name)
    children: dict[str, list] = defaultdict(list)
    for entry in registers.names:
        if entry.under:
            children[entry.under].append(entry)
    key = sort_key(language)

    def make_entry(entry, parent: str | None = None) -> IndexEntry:
        label = entry.label or (entry.name.removeprefix(f"{parent}, ") if parent else entry.name)
        subs = sorted((make_entry(c, entry.name) for c in children.get(entry.name, ())),
                      key=lambda e: key(sort_text(e.label)))
        return IndexEntry(entry.name, label, entry.dates, letter(entry.name), tuple(entry.see), tuple(entry.see_also),
                          tuple(by_key.get(entry.name, ())), tuple(subs))

    top = [make_entry(e) for e in registers.names if not e.under]
    return tuple(sorted(top, key=lambda e: (key(sort_text(e.label)), e.label)))


def sort_text(heading: str) -> str:
    """What a heading is sorted by: without a leading particle in lower case."""
    for particle in sorted(PARTICLES, key=len, reverse=True):
        if heading.startswith(particle + " ") or (particle.endswith(("’", "'")) and heading.startswith(particle)):
            rest = heading[len(particle):].lstrip()
            if rest[:1].isupper():
                return rest
    return heading


def letter(heading: str) -> str:
    """The letter group: the first letter without its accent (but Ñ is Ñ)."""
    first = next((c for c in sort_text(heading) if c.isalpha()), "#").upper()
    if first == "Ñ":
        return first
    return unicodedata.normalize("NFD", first)[0]


def _unknown_keys(by_key, known: set[str], chapters, report: Report) -> None:
    for key in sorted(set(by_key) - known):
        for chapter in chapters:
            if any(site.key == key for site in chapter.names):
                text = chapter.source.text
                m = re.search(re.escape(f'key="{key}"'), text)
                line = text.count("\n", 0, m.start()) + 1 if m else 0
                report.add("X005", chapter.source.path, line, key=key)
                break
        by_key.pop(key, None)
