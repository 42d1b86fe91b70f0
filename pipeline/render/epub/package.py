"""The EPUB package (OPF metadata, manifest, spine, zip) through ebooklib
(pipeline/engines/ebooklib.py).

ebooklib writes the container; our content documents go in as finished
bytes (ebooklib's EpubHtml would re-parse them with an HTML parser and lose
epub:type). The zip is made deterministic: fixed timestamps, `mimetype`
first and stored, entries in a stable order.
"""

from __future__ import annotations

import datetime
import hashlib
import zipfile

from pipeline.engines import ebooklib
from pipeline.engines.ebooklib import epub

ROLES = {"author": "aut", "editor": "edt", "translator": "trl", "preface": "aui", "illustrator": "ill"}
# The live preview's process: SHA-256 of an entry's bytes -> those bytes deflated (zlib's default
# level: the entries here carry no other), for the entries of the last EPUB it wrote (None: nothing
# kept, as in `make book`). Deflating is half of the EPUB's writing (0.5 s of CPU over the real book),
# and an edit changes one or two entries.
_DEFLATED: list = [None]


def keep_deflated() -> None:
    """Keep, in this process, each entry of the last EPUB written deflated,
    so that the next EPUB deflates only the entries that changed (the live
    preview). zlib gives the same bytes for the same bytes and level: the
    files are those written without it."""
    _DEFLATED[0] = {}


def deflated() -> dict | None:
    """The entries the last EPUB written here deflated (None: not kept): a
    forked writer hands them back for `remember`."""
    return _DEFLATED[0]


def remember(entries: dict | None) -> None:
    """The entries an EPUB written in a forked child deflated, kept here."""
    if _DEFLATED[0] is not None and entries is not None:
        _DEFLATED[0] = entries


class FixedZip(zipfile.ZipFile):
    """A ZipFile whose entries all carry one timestamp, its own: two EPUBs
    written at once (threads, a test session) never share it. With
    `deflated` ({digest: bytes}) an entry deflated before is not
    deflated again, and `used` gathers the entries this file deflated."""

    def __init__(self, file, mode, compression, compresslevel, *, stamp: tuple, deflated: dict | None = None):
        super().__init__(file, mode, compression, compresslevel=compresslevel)
        self.stamp, self.deflated = stamp, deflated
        self.used: dict = {}

    def writestr(self, name, data, compress_type=None, compresslevel=None):
        if isinstance(name, str):
            info = zipfile.ZipInfo(name, date_time=self.stamp)
            info.compress_type = compress_type if compress_type is not None else self.compression
            info.external_attr = 0o644 << 16
            name = info
        if self.deflated is None or name.compress_type != zipfile.ZIP_DEFLATED or compresslevel is not None:
            super().writestr(name, data, compress_type=compress_type, compresslevel=compresslevel)
            return
        self._write_remembered(name, data.encode("utf-8") if isinstance(data, str) else data)

    def _write_remembered(self, info: zipfile.ZipInfo, data: bytes) -> None:
        """What writestr writes (one write of the whole data), its deflated
        bytes taken from `deflated` when they are there. zipfile has no way
        in for bytes deflated beforehand: the file it opens for the entry
        gets a compressor that answers from the memo (zipfile's own
        `_compressor`, which it calls once per write, then flushes)."""
        info.file_size = len(data)
        key = hashlib.sha256(data).hexdigest()
        with self._lock, self.open(info, mode="w") as dest:
            dest._compressor = _Remembered(dest._compressor, self.deflated.get(key))
            dest.write(data)
        self.used[key] = dest._compressor.out


class _Remembered:
    """A zlib compressor that gives `known` (the whole stream, for the one
    `compress` call writestr makes) instead of deflating again."""

    def __init__(self, real, known: bytes | None):
        self.real, self.known, self.out = real, known, b""

    def compress(self, data) -> bytes:
        if self.known is not None:
            self.out = self.known
            return self.known
        self.out = self.real.compress(data)
        return self.out

    def flush(self) -> bytes:
        if self.known is not None:
            return b""
        tail = self.real.flush()
        self.out += tail
        return tail


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
    with FixedZip(str(path), "w", zipfile.ZIP_DEFLATED, 9, stamp=stamp(date), deflated=_DEFLATED[0]) as out:
        ebooklib.write(book, out, options)
    if _DEFLATED[0] is not None:
        _DEFLATED[0] = out.used   # the last EPUB's entries only: the memo never grows past one book


def page_source(book: epub.EpubBook, config) -> None:
    """Name the print edition the page-list comes from (EPUB 3.3 pageBreakSource)."""
    source = f"urn:isbn:{config.identifiers.print.replace('-', '')}" if config.identifiers.print else \
        f"{config.title} (edición impresa, {config.date[:4]})"
    book.add_metadata(None, "meta", source, {"property": "pageBreakSource"})
