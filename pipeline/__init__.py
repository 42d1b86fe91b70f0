"""Scholarly book pipeline.

Flow, one direction (see docs/architecture.md):

    read        Markdown file -> Pandoc JSON AST (cached by content hash)
    transforms  per-file pure passes over the AST: notes, abbreviations, names
    resolve     book-wide numbering, sorting, cross-checks -> one frozen Book
    render      Book -> EPUB (render/epub), Book -> PDF (render/pdf)

`importer` turns a text extracted from a printed PDF into a manuscript.
"""

__version__ = "0.1.0"

FORMATS = ("epub", "pdf")   # what a build writes
