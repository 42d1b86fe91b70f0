"""Build diff for proofreaders: two builds -> what changed, in words and on the page.

    inputs.resolve -> Side, Side
        -> parts.compare_parts (words.py, notes.py)   what the text says
        -> pages.compare_pdfs (pdf.py, hyphens.py, pairing.py, images.py)
                                                      where it is printed
        -> Report -> report_html / report_text
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.diff.errors import DiffError
from pipeline.diff.pages import KINDS, Pagination, compare_pdfs
from pipeline.diff.parts import PartDiff, compare_parts, summary

__all__ = ["DiffError", "Report", "compare"]


@dataclass
class Report:
    old: str
    new: str
    parts: list[PartDiff]
    pages: Pagination | None

    @property
    def changed_parts(self) -> list[PartDiff]:
        return [p for p in self.parts if p.status != "unchanged"]

    @property
    def identical(self) -> bool:
        return not self.changed_parts and (self.pages is None or _same_pages(self.pages))

    def summary(self) -> dict:
        out = summary(self.parts)
        if self.pages:
            out.update(_page_summary(self.pages))
        return out


def _same_pages(p: Pagination) -> bool:
    return not p.changes and p.first_layout_change is None and p.old_pages == p.new_pages


def _page_summary(p: Pagination) -> dict:
    return {
        "pages_old": p.old_pages,
        "pages_new": p.new_pages,
        "first_layout_change": p.first_layout_change,
        "pages_changed": {kind: len(p.of_kind(kind)) for kind in KINDS},
        "pages_without_images": len(p.without_images()),
        "max_images": p.max_images,
    }


def compare(old, new, dpi: float = 60, max_images: int = 60) -> Report:
    """Two Sides -> Report; DiffError when they cannot be compared."""
    a, b = _texts(old, new)
    pages = compare_pdfs(old.pdf, new.pdf, dpi, max_images) if old.pdf and new.pdf else None
    return Report(old.label, new.label, compare_parts(a, b), pages)


def _texts(old, new):
    """Both sides' parts; for a PDF-only side, both are read from the PDFs."""
    from pipeline.diff.inputs import pdf_parts

    if old.parts is not None and new.parts is not None:
        return old.parts, new.parts
    if old.pdf and new.pdf:
        return tuple(pdf_parts(old.pdf, new.pdf))
    raise DiffError("D026", old.label, other=new.label)
