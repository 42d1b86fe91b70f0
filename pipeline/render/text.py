"""Canonical text: Book -> {part id: plain text} that a human can diff.

Before: the frozen Book (XHTML fragments, notes with their marks).
After: one text per part, stable from build to build:

    # I · Mundo sin evasión posible · (1906-1912)

    First paragraph, one per line, a note reference written[^1] in place.
    Verse lines joined / like this.

    ## Notas

    [^1]: The note's first paragraph.
        A further paragraph of the same note, indented.

Pandoc's own footnote syntax is used for the marks because nobody writes
`[^1]` in prose, so a reader (and `parse`) can tell marks from text. The
glossary, generated from the register, reads `TERM — expansion` a line;
the index of names `HEADING — dates; locators` (index_lines).
The endnotes document is left out: every note already stands with its part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree, html as lxml_html

from pipeline.render.locators import page_locators

BLOCKS = frozenset("""address article aside blockquote body dd details div dl dt figcaption figure footer
    h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody td tfoot th thead tr ul""".split())
NOTES_HEADING = "## Notas"
_NOTE_LINE = re.compile(r"^\[\^([^\]\s]+)\]: ?(.*)$")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class PartText:
    """One part parsed back from its canonical text."""
    title: str
    paragraphs: tuple[str, ...]
    notes: tuple[tuple[str, str], ...]   # (mark, text; a note's paragraphs joined by " ¶ ")


def book_texts(book, pages: dict[str, int] | None = None) -> dict[str, str]:
    """Book -> {document id: canonical text}, in reading order. `pages` (id
    -> printed page, from the PDF of the same build) gives the index its
    locators; without it the index lists its entries and how often each
    person is named."""
    texts = {}
    for doc in book.documents:
        if doc.role == "notes":
            continue   # its notes are written with the parts they belong to
        paragraphs = (glossary_lines(book) if doc.role == "glossary" else
                      index_lines(book, pages) if doc.role == "index" else
                      float_lines(book, doc.role, pages) if doc.role in FLOAT_LISTS else fragment_lines(doc.html))
        notes = [(n.mark, fragment_lines(n.html)) for n in doc.notes]
        texts[doc.id] = format_part(heading(doc), paragraphs, notes)
    return texts


def heading(doc) -> str:
    """A document's title line: number, title (with its title-note mark), dates."""
    title = " ".join(fragment_lines(doc.title_html)) or doc.title
    return " · ".join(x for x in (doc.number, title, doc.dates) if x)


FLOAT_LISTS = {"figures": "fig", "tables": "tbl"}


def float_lines(book, role: str, pages: dict[str, int] | None) -> list[str]:
    """A list of illustrations or tables: number, caption, print page when known."""
    return [f"{label.number} {label.title}" + (f" · {pages[label.id]}" if pages and label.id in pages else "")
            for label in book.floats(FLOAT_LISTS[role])]


def glossary_lines(book) -> list[str]:
    """The register as the glossary shows it: listed terms in collation order."""
    from pipeline.collation import sort_key

    key = sort_key(book.config.language)
    listed = sorted((a for a in book.abbreviations if a.listed), key=lambda a: key(a.term))
    return [f"{a.term} — {a.expansion}" for a in listed]


def index_lines(book, pages: dict[str, int] | None) -> list[str]:
    """The index of names, an entry a line: `HEADING — dates; locators;
    see …`, a sub-entry's heading under its entry's (`Entry › Sub`)."""
    return [line for entry in book.index for line in _index_entry(entry, pages, "")]


def _index_entry(entry, pages, parent: str) -> list[str]:
    heading = f"{parent} › {entry.label}" if parent else entry.label
    where = ", ".join(page_locators(entry, pages)) if pages is not None else f"×{len(entry.mentions)}"
    see = [f"→ {'; '.join(entry.see)}"] if entry.see else []
    see += [f"→→ {'; '.join(entry.see_also)}"] if entry.see_also else []
    rest = [x for x in (entry.dates, where if entry.mentions else "", *see) if x]
    lines = [f"{heading} — {'; '.join(rest)}"]
    for sub in entry.subentries:
        lines += _index_entry(sub, pages, heading)
    return lines


def format_part(title: str, paragraphs, notes) -> str:
    """Title, paragraphs, then the notes with their marks -> the canonical text."""
    out = [f"# {title}", "", *paragraphs]
    if notes:
        out += ["", NOTES_HEADING, ""]
        for mark, lines in notes:
            first, *rest = list(lines) or [""]
            out += [f"[^{mark}]: {first}", *("    " + line for line in rest)]
    return "\n".join(out) + "\n"


def parse(text: str) -> PartText:
    """Canonical text -> PartText (the inverse of format_part)."""
    lines = text.splitlines()
    title = lines[0][2:] if lines and lines[0].startswith("# ") else ""
    body = lines[1:]
    cut = body.index(NOTES_HEADING) if NOTES_HEADING in body else len(body)
    paragraphs = tuple(line for line in body[:cut] if line.strip())
    return PartText(title, paragraphs, tuple(_parse_notes(body[cut + 1:])))


def _parse_notes(lines):
    notes: list[list] = []
    for line in lines:
        match = _NOTE_LINE.match(line)
        if match:
            notes.append([match[1], match[2]])
        elif line.startswith("    ") and notes:
            notes[-1][1] += " ¶ " + line.strip()
    return [tuple(n) for n in notes]


def fragment_lines(fragment: str) -> list[str]:
    """An XHTML fragment from the Book -> its blocks' text, one per line."""
    if not fragment.strip():
        return []
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    return element_lines(root)


def element_lines(root) -> list[str]:
    """An element tree (HTML or namespaced XHTML) -> one line per block."""
    out: list[str] = []
    buf: list[str] = []
    _walk(root, out, buf)
    _flush(buf, out)
    return out


def _walk(el, out: list[str], buf: list[str]) -> None:
    name = local_name(el)
    block = name in BLOCKS
    if block:
        _flush(buf, out)
    if _is_noteref(el):
        buf.append(f"[^{''.join(el.itertext()).strip()}]")
    elif name == "br":
        buf.append(" / ")
    elif name == "hr":
        out.append("* * *")
    elif name is not None:
        buf.append(el.text or "")
        for child in el:
            _walk(child, out, buf)
            buf.append(child.tail or "")
    if block:
        _flush(buf, out)


def _flush(buf: list[str], out: list[str]) -> None:
    line = _SPACE.sub(" ", "".join(buf)).strip()
    # a verse line break at a line's end or before a note mark is no separator
    line = line.replace(" / [^", "[^").removesuffix(" /").strip()
    if line:
        out.append(line)
    buf.clear()


def local_name(el) -> str | None:
    """Tag name without namespace; None for comments and processing instructions."""
    return etree.QName(el).localname if isinstance(el.tag, str) else None


def _is_noteref(el) -> bool:
    return el.get("role") == "doc-noteref" or "noteref" in (el.get("class") or "").split()
