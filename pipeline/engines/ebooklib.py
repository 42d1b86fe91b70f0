"""ebooklib, as the pipeline uses it: the OPF, NCX and container it writes,
into a zip file the caller opened (render/epub/package.py: fixed dates,
`mimetype` first and stored).

`epub` is ebooklib's public module, re-exported so that the rest of the
pipeline imports the engine from here only; the names outside its
documented API are used below and declared in `PRIVATE`.
"""

from __future__ import annotations

import zipfile

from ebooklib import epub

from pipeline.engines import Private

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_WRITE = ("none filed: EpubWriter.write opens its own zip; ebooklib PR #340 (merged after 0.20) dates entries "
          "by the mtime option, but their file modes would stay its own")
PRIVATE = (
    Private("ebooklib.epub.EpubWriter._write_opf_file", "overridden: <package> gets xml:lang, which readers and "
            "Ace want and ebooklib has no option for", "none filed", ("self", "root")),
    Private("ebooklib.epub.EpubWriter._write_container", "called in place of write(): our zip", _WRITE, ("self",)),
    Private("ebooklib.epub.EpubWriter._write_opf", "called in place of write(): our zip", _WRITE, ("self",)),
    Private("ebooklib.epub.EpubWriter._write_items", "called in place of write(): our zip", _WRITE, ("self",)),
    Private("ebooklib.epub.EpubWriter.out", "the zip file the writer writes into, set in place of write()", _WRITE),
    Private("ebooklib.epub.EpubBook.metadata", "emptied (no generator line that is not ours to claim); the main "
            "title set with its id", "none filed: add_metadata cannot remove, set_title takes no id"),
)


class _Writer(epub.EpubWriter):
    def _write_opf_file(self, root):
        root.set(XML_LANG, self.book.language)
        super()._write_opf_file(root)


def write(book: epub.EpubBook, out: zipfile.ZipFile, options: dict) -> None:
    """What EpubWriter.write writes (mimetype, container, OPF, items, in this
    order), into `out`, which the caller opened and closes."""
    writer = _Writer(out.filename, book, dict(epub.EpubWriter.DEFAULT_OPTIONS, **options))
    writer.process()
    writer.out = out
    out.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
    writer._write_container()
    writer._write_opf()
    writer._write_items()


def clear_metadata(book: epub.EpubBook) -> None:
    """No metadata at all, ebooklib's generator line included."""
    book.metadata = {}


def set_title(book: epub.EpubBook, title: str, uid: str) -> None:
    """The book's one dc:title, with an id (for its title-type refinement)."""
    book.metadata[epub.NAMESPACES["DC"]]["title"] = [(title, {"id": uid})]
