"""Scholarly book pipeline.

Flow, one direction (see docs/architecture.md):

    read        Markdown file -> Pandoc JSON AST (cached by content hash)
    transforms  per-file pure passes over the AST: notes, abbreviations, names
    resolve     book-wide numbering, sorting, cross-checks -> one frozen Book
    render      Book -> EPUB (render/epub), Book -> PDF (render/pdf)

`importer` turns a text extracted from a printed PDF into a manuscript.
"""

from pathlib import Path

__version__ = "0.1.0"

FORMATS = ("epub", "pdf")   # what a build writes
STYLES = Path(__file__).resolve().parent.parent / "styles"   # the styles a build uses unless told otherwise
