"""One good build as the preview shows it: its pages, their texts, their parts.

Before: the outputs of a build that succeeded (the PDF, the EPUB) and, when
the build laid the book out, its page keys (render/pdf `_page_keys`: a page
with a key of an earlier build is that page again).
After: a `Generation`, holding its own hard links to both files (the next
build replaces the outputs by rename, and the pages on screen stay those of
this one until the next good build), each page's key, text and the EPUB
document (with the page's marker) that holds the same text.
"""

from __future__ import annotations

import os
import posixpath
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from pipeline.snapshot import KnownTexts

EPUB_NS = "http://www.idpf.org/2007/ops"
XHTML_NS = "http://www.w3.org/1999/xhtml"


@dataclass(frozen=True)
class Page:
    key: str          # content key: the same key is the same page, whatever build made it
    part: str         # path in the EPUB of the document this page's text is in ("" for none)
    anchor: str       # id of the marker in it where this page begins, or the nearest before


@dataclass(frozen=True)
class Generation:
    number: int
    pdf: Path
    epub: Path | None
    pages: tuple[Page, ...]
    texts: tuple[str, ...]
    size: tuple[float, float]   # of the first page, in points

    def index_of(self, key: str) -> int | None:
        return next((i for i, p in enumerate(self.pages) if p.key == key), None)


def make(number: int, outputs: dict[str, Path], keys: tuple[str, ...] | None, folder: Path,
         texts_cache: Path) -> Generation:
    """Link the outputs into `folder` as this generation's and read what the page needs."""
    folder.mkdir(parents=True, exist_ok=True)
    pdf = _link(outputs["pdf"], folder / f"{number}.pdf")
    epub = _link(outputs["epub"], folder / f"{number}.epub") if "epub" in outputs else None
    known = KnownTexts(texts_cache, keys or ())   # the build's snapshot has just read them
    texts = tuple(known.texts(pdf))
    keys = tuple(keys) if keys and len(keys) == len(texts) else tuple(f"g{number}p{i}" for i in range(len(texts)))
    places = page_parts(epub, len(texts)) if epub else [("", "")] * len(texts)
    pages = tuple(Page(k, part, anchor) for k, (part, anchor) in zip(keys, places))
    return Generation(number, pdf, epub, pages, texts, _size(pdf))


def forget(generation: Generation) -> None:
    for path in (generation.pdf, generation.epub):
        if path is not None:
            path.unlink(missing_ok=True)


def _link(src: Path, dest: Path) -> Path:
    dest.unlink(missing_ok=True)
    try:
        os.link(src, dest)
    except OSError:   # another file system: a copy does as well
        shutil.copy2(src, dest)
    return dest


def _size(pdf: Path) -> tuple[float, float]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        return tuple(doc[0].get_size()) if len(doc) else (0.0, 0.0)
    finally:
        doc.close()


def page_parts(epub: Path, count: int) -> list[tuple[str, str]]:
    """(EPUB document, marker id) per physical page, from the nav's page-list
    (the build writes a marker where each page begins, render/epub/pagebreaks):
    a page without a marker of its own (a blank page, one that begins inside
    a note) shows the part of the page before it, at that page's marker."""
    listed = _page_list(epub)
    places, last = [], ("", "")
    for number in range(1, count + 1):
        last = listed.get(number, last)
        places.append(last)
    return places


def _page_list(epub: Path) -> dict[int, tuple[str, str]]:
    """Physical page -> (document path in the zip, marker id), from the nav."""
    with zipfile.ZipFile(epub) as z:
        nav_name = next((n for n in z.namelist() if n.endswith("nav.xhtml")), None)
        if nav_name is None:
            return {}
        nav = etree.fromstring(z.read(nav_name))
    base = posixpath.dirname(nav_name)
    found = {}
    for link in nav.iterfind(f".//{{{XHTML_NS}}}nav[@{{{EPUB_NS}}}type='page-list']//{{{XHTML_NS}}}a"):
        href, _, anchor = (link.get("href") or "").partition("#")
        if anchor.startswith("page-") and anchor[5:].isdigit():
            found[int(anchor[5:])] = (posixpath.join(base, href), anchor)
    return found
