"""Stage 4b, render PDF: Book -> print PDF, with WeasyPrint.

Before: the frozen Book and the styles folder (print.css, fonts/).
After: one PDF at the trim size in book.yaml: front matter, contents with
page numbers, each part opening on a recto, running heads and folios,
notes as endnotes (heads "Notas a las páginas X–Y") or footnotes
(book.yaml notes.print), outline and metadata, EB Garamond embedded as
subsets; byte-identical for the same Book. Nothing outside the manuscript
and styles folders is read.

Two layouts, because some things only the layout knows (the page of every
reference, of every note, of every name for the index):

    html = build_html(book)            -> first layout -> pages (id -> page)
    html = build_html(book, pages)     -> final layout -> write

What `pages` adds must not move the flow (running heads live in margin
boxes, labels have no width); `PaginationMoved` is raised if it did. In
footnote mode a measuring layout of the notes alone comes first: it says
where long notes are cut (see notes.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline.render.pdf import layout
from pipeline.render.pdf import notes as notes_
from pipeline.render.pdf.fetcher import ConfinedFetcher, RefusedURL
from pipeline.render.pdf.html import build_html, measure_html
from pipeline.resolve.model import Book

STYLES = Path(__file__).resolve().parents[3] / "styles"

__all__ = ["FootnoteLost", "PaginationMoved", "PdfResult", "RefusedURL", "render_pdf"]


MAX_PASSES = 3  # layouts after the first, waiting for the page numbers to settle


class PaginationMoved(RuntimeError):
    """The final layout did not paginate as the first one: page references would be wrong."""


class FootnoteLost(RuntimeError):
    """A footnote stands too far from its call, or runs off its page."""


@dataclass(frozen=True)
class PdfResult:
    path: Path
    page_count: int
    anchors: dict[str, int] = field(repr=False)  # element id -> 1-based physical page
    page_size: tuple[float, float]               # width, height in PDF points
    resources: tuple[Path, ...] = ()             # every file WeasyPrint read (fonts, images)
    document: object = field(default=None, repr=False, compare=False)  # the final weasyprint Document


def render_pdf(book: Book, out_path: Path, styles_dir: Path | None = None,
               print_ready: bool | None = None) -> PdfResult:
    """`print_ready` (default: book.yaml print.print_ready) writes the
    printer's file: PDF/X-4, bleed, crop marks (styles/print-ready.css)."""
    styles = Path(styles_dir or STYLES)
    fetcher = ConfinedFetcher(book.root, styles)
    if print_ready is None:
        print_ready = book.config.print.print_ready

    def lay_out(html):
        return layout.lay_out(html, book.root, styles, book.config, fetcher, print_ready)

    lines = None
    if book.config.notes.print == "footnotes":
        lines = notes_.note_lines(lay_out(measure_html(book)))
    pages = layout.anchors(lay_out(build_html(book, None, lines)))
    document, final, hold = _settle(book, lines, pages, lay_out)
    if lines is not None:
        _check_footnotes(book, document, final, notes_.strays(book, lines, final) - hold)
    layout.write(document, out_path, book.config, layout.PRINT_READY_VARIANT if print_ready else None)
    page = document.pages[0]
    return PdfResult(Path(out_path), len(document.pages), final,
                     (page.width * 0.75, page.height * 0.75), tuple(dict.fromkeys(fetcher.fetched)),
                     document)


def _settle(book: Book, lines, pages: dict[str, int], lay_out, tries: int = MAX_PASSES):
    """Lay out again with the page numbers of the layout before until the
    pages no longer move: (document, pages, held footnotes). Endnote heads
    and the index live in margin boxes or at the end, so one more layout
    usually settles; in footnote mode a '(cont.)' that appears can move
    lines, and a note carried past its chapter's end is held with its call
    (notes.strays): the set of held notes only grows, so this converges."""
    hold: frozenset[str] = frozenset()
    for _ in range(tries):
        document = lay_out(build_html(book, pages, lines, hold))
        final = layout.anchors(document)
        more = notes_.strays(book, lines, final) - hold if lines is not None else set()
        if final == pages and not more:
            return document, final, hold
        moved = sorted((i for i in pages.keys() | final.keys() if pages.get(i) != final.get(i)),
                       key=lambda i: final.get(i) or pages.get(i) or 0)
        pages, hold = final, hold | more
    raise PaginationMoved(f"{len(moved)} ids still changed page after {tries} layouts, first: "
                          + ", ".join(f"{i} ->{final.get(i)}" for i in moved[:5]))


def _check_footnotes(book: Book, document, pages: dict[str, int], strays: set[str]) -> None:
    """Every note starts on its call's page or the next and ends within its
    section; no footnote area runs off its page."""
    from weasyprint.formatting_structure import boxes

    if strays:
        note = next(n for n in book.notes if n.key in sorted(strays)[0:1])
        raise FootnoteLost(f"note {note.mark} ({note.source}) is carried past the end of its section")
    for note in book.notes:
        call, start = pages.get(note.ref_ids[0]) if note.ref_ids else None, pages.get(f"note-{note.key}")
        if call is None or start is None or not 0 <= start - call <= 1:
            raise FootnoteLost(f"note {note.mark} ({note.source}): call on page {call}, note on page {start}")
    for number, page in enumerate(document.pages, 1):
        box = page._page_box
        top, bottom = box.content_box_y(), box.content_box_y() + box.height
        for area in box.children:
            if isinstance(area, boxes.FootnoteAreaBox) and area.children:
                if area.position_y < top - 0.5 or area.position_y + area.margin_height() > bottom + 0.5:
                    raise FootnoteLost(f"the footnotes of page {number} run off the page")
