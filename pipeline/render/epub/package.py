"""The EPUB package (OPF metadata, manifest, spine, zip) through ebooklib
(pipeline/engines/ebooklib.py).

ebooklib writes the container; our content documents go in as finished
bytes (ebooklib's EpubHtml would re-parse them with an HTML parser and lose
epub:type). The zip is made deterministic: fixed timestamps, `mimetype`
first and stored, entries in a stable order.
"""

from __future__ import annotations

import datetime
import zipfile

from pipeline.engines import ebooklib
from pipeline.engines.ebooklib import epub

ROLES = {"author": "aut", "editor": "edt", "translator": "trl", "preface": "aui", "illustrator": "ill"}


class FixedZip(zipfile.ZipFile):
    """A ZipFile whose entries all carry one timestamp, its own: two EPUBs
    written at once (threads, a test session) never share it."""

    def __init__(self, file, mode, compression, compresslevel, *, stamp: tuple):
        super().__init__(file, mode, compression, compresslevel=compresslevel)
        self.stamp = stamp

    def writestr(self, name, data, compress_type=None, compresslevel=None):
        if isinstance(name, str):
            info = zipfile.ZipInfo(name, date_time=self.stamp)
            info.compress_type = compress_type if compress_type is not None else self.compression
            info.external_attr = 0o644 << 16
            name = info
        super().writestr(name, data, compress_type=compress_type, compresslevel=compresslevel)


def new_book(config) -> epub.EpubBook:
    book = epub.EpubBook()
    ebooklib.clear_metadata(book)  # drop ebooklib's generator line: it is not ours to claim
    book.set_identifier(config.identifiers.ebook)
    book.set_title(config.title)
    book.set_language(config.language)
    _titles(book, config)
    _creators(book, config)
    for name in ("publisher", "rights", "description"):
        if getattr(config, name):
            book.add_metadata("DC", name, getattr(config, name))
    book.add_metadata("DC", "date", config.date)
    if config.identifiers.print:
        book.add_metadata("DC", "source", f"urn:isbn:{config.identifiers.print.replace('-', '')}")
    return book


def accessibility(book: epub.EpubBook, rows: list[tuple[str, str, dict]]) -> None:
    """The accessibility <meta> rows (render/epub/a11y.py) into the package."""
    for prop, value, attrs in rows:
        book.add_metadata(None, "meta", value, {**attrs, "property": prop})


def _titles(book, config) -> None:
    ebooklib.set_title(book, config.title, "title")
    book.add_metadata(None, "meta", "main", {"refines": "#title", "property": "title-type"})
    if config.subtitle:
        book.add_metadata("DC", "title", config.subtitle, {"id": "subtitle"})
        book.add_metadata(None, "meta", "subtitle", {"refines": "#subtitle", "property": "title-type"})


def _creators(book, config) -> None:
    for i, creator in enumerate(config.creators, 1):
        uid = f"creator-{i}"
        element = "creator" if creator.role == "author" else "contributor"
        book.add_metadata("DC", element, creator.name, {"id": uid})
        book.add_metadata(None, "meta", ROLES[creator.role],
                          {"refines": f"#{uid}", "property": "role", "scheme": "marc:relators"})
        if creator.file_as:
            book.add_metadata(None, "meta", creator.file_as, {"refines": f"#{uid}", "property": "file-as"})


def modified(date: str) -> datetime.datetime:
    """dcterms:modified from the book's date, so that builds are reproducible."""
    return datetime.datetime.fromisoformat(date if len(date) > 4 else f"{date}-01-01")


def stamp(date: str) -> tuple:
    return modified(date).timetuple()[:6]


def write(book: epub.EpubBook, path, date: str) -> None:
    options = {"epub3_pages": False, "epub3_landmark": False, "mtime": modified(date)}
    with FixedZip(str(path), "w", zipfile.ZIP_DEFLATED, 9, stamp=stamp(date)) as out:
        ebooklib.write(book, out, options)


def page_source(book: epub.EpubBook, config) -> None:
    """Name the print edition the page-list comes from (EPUB 3.3 pageBreakSource)."""
    source = f"urn:isbn:{config.identifiers.print.replace('-', '')}" if config.identifiers.print else \
        f"{config.title} (edición impresa, {config.date[:4]})"
    book.add_metadata(None, "meta", source, {"property": "pageBreakSource"})
