"""Every character of the Book must be in the faces that will set it.

Before: the frozen Book and styles/ (print.css declares the faces).
After: nothing, or one F001 error per character and file that a face lacks:
WeasyPrint (Pango) would silently set it in a system face instead.

Which faces a piece of text may need is read from its markup, not from a
full cascade: all text may be set in the regular or the italic face (the
sheet puts headings, dates, epigraphs and captions in italic, and `em`
flips between the two), text inside `strong`/`b` also in the bold face.
Small capitals come from the regular face's features. The preflight's font
check (`check pdf`) is the second net: it lists every face embedded.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont
from lxml import etree

from pipeline.diagnostics import Report
from pipeline.model import Book

FAMILY = "EB Garamond Print"
_FACE = re.compile(r"@font-face\s*\{([^}]*)\}", re.S)
_IGNORED = {"Cc", "Cf", "Zl", "Zp"}      # controls, soft hyphen, joiners: no glyph is drawn
_PARSER = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True, recover=True)


def faces(styles: Path) -> dict[str, Path]:
    """'regular' / 'italic' / 'bold' -> the font file print.css declares for the text family."""
    found = {}
    for body in _FACE.findall((styles / "print.css").read_text(encoding="utf-8")):
        family = re.search(r'font-family:\s*"([^"]+)"', body)
        src = re.search(r"src:\s*url\(([^)]+)\)", body)
        if not family or not src or family.group(1) != FAMILY:
            continue
        style = re.search(r"font-style:\s*(\w+)", body)
        weight = re.search(r"font-weight:\s*(\d+)", body)
        key = ("bold" if weight and int(weight.group(1)) >= 600 else
               "italic" if style and style.group(1) == "italic" else "regular")
        found[key] = (styles / src.group(1).strip("'\"")).resolve()
    return found


@lru_cache(maxsize=16)
def _cmap(path: Path) -> frozenset[int]:
    return frozenset(TTFont(path, lazy=True).getBestCmap())


MATHML = "{http://www.w3.org/1998/Math/MathML}"


@lru_cache(maxsize=8192)
def _text_runs(fragment: str) -> tuple[tuple[str, bool], ...]:
    """_texts, parsed once per process for each fragment (the preview checks
    the whole book on every save; a fragment the save left is the same)."""
    return tuple(_texts(fragment))


def _texts(fragment: str):
    """(text, bold) for every text run of an XHTML fragment."""
    if not fragment.strip():
        return
    root = etree.fromstring(f"<w>{fragment}</w>", _PARSER)
    if root is None:
        return
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        in_math = el.tag.startswith(MATHML)   # print draws formulas as paths (engines/ziamath): no font's glyphs
        bold = any(a.tag in ("strong", "b") for a in el.iterancestors()) or el.tag in ("strong", "b")
        if el.text and not in_math:
            yield el.text, bold
        if el.tail and el is not root and (not in_math or el.tag == MATHML + "math"):
            parent_bold = any(a.tag in ("strong", "b") for a in el.iterancestors())
            yield el.tail, parent_bold


def _runs(book: Book):
    """(where, line, text, bold) for all the text the PDF sets."""
    cfg = book.config
    meta = [cfg.title, cfg.subtitle, cfg.publisher, cfg.rights, cfg.description, cfg.print.back_cover,
            *(c.name for c in cfg.creators)]
    for text in meta:
        if text:
            yield "book.yaml", 0, text, False
    for doc in book.documents:
        where = doc.source or "book.yaml"
        for fragment in (doc.title_html, doc.html):
            for text, bold in _text_runs(fragment):
                yield where, 0, text, bold
        for note in doc.notes:
            path, _, line = note.source.rpartition(":")
            for text, bold in _text_runs(note.html):
                yield (path or note.source), int(line) if line.isdigit() else 0, text, bold
    for abbr in book.abbreviations:
        yield "abbreviations.yaml", 0, f"{abbr.term} {abbr.expansion}", False


def missing(book: Book, styles: Path) -> list[tuple[str, int, str, str, str]]:
    """(where, line, char, face names lacking it, context) per character and file, first occurrence."""
    files = faces(styles)
    cmaps = {name: _cmap(path) for name, path in files.items()}
    covered = {bold: _covered(cmaps, bold) for bold in (False, True)}
    seen, found = set(), []
    for where, line, text, bold in _runs(book):
        if covered[bold].issuperset(text):   # nearly every run: one set operation, no loop in Python
            continue
        for i, char in enumerate(text):
            if char in covered[bold] or (where, char) in seen or unicodedata.category(char) in _IGNORED:
                continue
            wanted = ["regular", "italic"] + (["bold"] if bold else [])
            lacking = [f for f in wanted if f in cmaps and ord(char) not in cmaps[f]]
            if lacking:
                seen.add((where, char))
                context = " ".join(text[max(0, i - 30): i + 30].split())
                found.append((where, line, char, lacking, context))
    return found


def _covered(cmaps: dict[str, frozenset[int]], bold: bool) -> frozenset[str]:
    """The characters every face a run may be set in has."""
    wanted = [cmaps[f] for f in ("regular", "italic") + (("bold",) if bold else ()) if f in cmaps]
    return frozenset(chr(c) for c in frozenset.intersection(*wanted)) if wanted else frozenset()


def check(book: Book, styles: Path, report: Report) -> None:
    """Add F001 for every character a face lacks (the caller stops the build)."""
    for where, line, char, lacking, context in missing(book, styles):
        path = book.root / where if where != "book.yaml" else book.root / "book.yaml"
        if not line and path.is_file():
            line = _line_of(path, char)
        name = unicodedata.name(char, "unnamed")
        report.add("F001", path, line, char=char, codepoint=f"U+{ord(char):04X}", name=name,
                   faces=", ".join(files_label(lacking)), context=context)


def files_label(names) -> list[str]:
    return [f"{FAMILY} {n}" for n in names]


def _line_of(path: Path, char: str) -> int:
    for number, text in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        if char in text:
            return number
    return 0
