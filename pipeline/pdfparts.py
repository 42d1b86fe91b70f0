"""A PDF's drawing as its parts hold it: neutral, for the writers that
rewrite colours (render/pdf/ink.py, cmyk.py) and the preflight that reads
them back (preflight/colour.py, pdfx1a.py)."""

from __future__ import annotations

import pikepdf


def content_streams(holder) -> list:
    """The content streams of a form (itself) or a page (its /Contents: one
    stream, several, or none)."""
    if isinstance(holder, pikepdf.Stream):
        return [holder]
    contents = holder.get("/Contents")
    if contents is None:
        return []
    return list(contents) if isinstance(contents, pikepdf.Array) else [contents]
