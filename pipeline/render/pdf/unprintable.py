"""A unit's drawing the printer's colours cannot hold: the build's error, at the unit's file.

ink.py and cmyk.py stop with `InkError` (spaces.py) on what they cannot
convert faithfully; in a unit's worker that becomes `Unprintable`, a
`LayoutFailed`, so that the unit's name travels back with it (units.py)
and the build names the unit's chapter file (L011) instead of a
traceback. Imported when it is raised, not before: units.py imports the
converters, which would otherwise import units.py back.
"""

from __future__ import annotations

from pipeline.render.pdf.spaces import InkError
from pipeline.render.pdf.units import LayoutFailed


class Unprintable(LayoutFailed):
    """`fields`: page (within the unit), into ("gray", "CMYK"), what (the
    thing and what to change), for L011's template."""

    def __init__(self, message: str, **fields):
        super().__init__(message)
        self.fields = fields


def unprintable(exc: InkError, into: str) -> Unprintable:
    page = getattr(exc, "page", 0)
    return Unprintable(f"page {page}: {exc}", page=page, into=into, what=str(exc))
