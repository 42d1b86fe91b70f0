"""Stage 4b, render PDF: Book -> print PDF, with WeasyPrint.

Before: the frozen Book and the styles folder (print.css, fonts/).
After: one PDF at the trim size in book.yaml: front matter, contents with
page numbers, each part opening on a recto, running heads and folios,
notes as endnotes (heads "Notas a las páginas X–Y") or footnotes
(book.yaml notes.print), outline and metadata, EB Garamond embedded as
one subset per face (fonts.py); byte-identical for the same Book, however many processes lay it
out and whatever the cache holds. Nothing outside the manuscript and
styles folders is read.

The book is laid out in units (html.unit_names: the front matter, then
each contents entry), each alone, in parallel and cached (units.py):

    every unit, pages unknown          -> page counts -> physical pages
    in one round, with those pages:       the units that print page numbers
                                          (contents, a note's several calls),
                                          the index, and the running heads and
                                          folios of the pages before it
                                          (furniture.py); again if the
                                          contents' page count moved
    furniture of the index's pages
    merge                              -> one PDF: blanks before rectos,
                                          links, outline, metadata (merge.py),
                                          one font program per face (fonts.py)

Only the contents, the lists of figures and tables, the index, a note's
several calls and page references (`[p. @sec-x]`, issue 19) print page
numbers, and none of them moves what comes before it; a page reference may
move its own chapter's text, so the round is played again until every
page reference's target stays on the page printed (`page_targets`). The heads and
folios are drawn over the pages, so nothing in a unit depends on where
it falls.
"""

from __future__ import annotations

import functools
import hashlib
import re
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from pipeline import printers
from pipeline.pool import forked
from pipeline.render.pdf import cmyk, fonts, furniture, gutter, layout, merge, pdfx1a
from pipeline.render.pdf import notes as notes_
from pipeline.render.pdf.fetcher import RefusedURL
from pipeline.render.pdf.gutter import PrinterRejects
from pipeline.render.pdf.html import (COPYRIGHT, FRONT_ROLES, HALF_TITLE, TITLE_PAGE, TOC, build_unit,
                                      needs_pages, unit_names)
from pipeline.render.pdf.pagemap import PageStart
from pipeline.render.pdf.units import FootnoteLost, Layouts, PaginationMoved, Setting, TableTooWide, UnitLayout
from pipeline.model import Book

STYLES = Path(__file__).resolve().parents[3] / "styles"
MAX_PASSES = 3       # layouts of the page-numbered units, waiting for their page counts to stand
FURNITURE_CSS = "@page { marks: none; }"   # the crop marks are the text pages'
PAGE_REF = re.compile(r'class="xref-page" href="#([^"]+)"')
BLANK = '<html><body class="pad"></body></html>'   # the page before a recto opening, and the padding

__all__ = ["FootnoteLost", "PaginationMoved", "PdfResult", "PrinterRejects", "RefusedURL", "TableTooWide", "render_pdf"]


@dataclass(frozen=True)
class PdfResult:
    path: Path
    page_count: int
    anchors: dict[str, int] = field(repr=False)  # element id -> 1-based physical page
    page_size: tuple[float, float]               # width, height in PDF points
    resources: tuple[Path, ...] = ()             # every file WeasyPrint read (fonts, images)
    page_starts: tuple[PageStart, ...] = field(default=(), repr=False)  # where each page begins
    page_keys: tuple[str, ...] = field(default=(), repr=False)   # per page: a digest of what it is made of
    faces_apart: tuple[tuple[str, str], ...] = ()  # (face, why) whose programs could not be made one (fonts.py)
    aside: object = field(default=None, repr=False, compare=False)   # what `alongside` returned


@dataclass(frozen=True)
class Pagination:
    starts: dict[str, int]   # unit -> 0-based physical index of its first page
    total: int
    anchors: dict[str, int]  # id -> 1-based physical page


def render_pdf(book: Book, out_path: Path, styles_dir: Path | None = None, print_ready: bool | None = None,
               jobs: int | None = None, cache_dir: Path | None = None,
               alongside: Callable[[PdfResult], None] | None = None,
               early: Callable[[bytes, int, int], None] | None = None) -> PdfResult:
    """`print_ready` (default: book.yaml print.print_ready) writes the
    printer's file, as book.yaml's print.printer asks (pipeline/printers.py).
    `jobs` processes lay units out (default: one per core); `cache_dir`
    keeps laid-out units for the next build. `alongside(result)` is called
    once every page is known, in a forked process while the PDF is merged
    (jobs > 1), or after the merge; what it returns comes back as `aside`. `early(pdf, first page, count)` is
    handed each unit laid out anew (not from the cache) as soon as all are,
    with the physical page it starts on if the contents keep their length."""
    styles = Path(styles_dir or STYLES)
    if print_ready is None:
        print_ready = book.config.print.print_ready
    if print_ready:
        _written(printers.printer(book.config.print.printer), book.config.print.interior)
    setting = Setting(book, styles, print_ready)
    names = unit_names(book)
    with Layouts(setting, jobs, cache_dir) as lay:
        units, pagination, blank, furniture_pdfs = _lay_out_all(book, lay, names, tell=early)
        parallel = lay.jobs > 1
    result = PdfResult(Path(out_path), pagination.total, pagination.anchors, units[names[0]].page_size,
                       _resources(units, names), _page_starts(names, units, pagination),
                       _page_keys(names, units, pagination, blank, furniture_pdfs))
    finish, version = _printers_finish(book, styles, pagination.total) if print_ready else (None, None)
    with forked(alongside, result) if alongside and parallel else nullcontext() as step:
        merged = merge.merge([units[n].laid for n in names], blank, furniture_pdfs, out_path, finish=finish,
                             multiple=book.config.print.page_multiple, ident=layout.document_id(book.config),
                             faces=fonts.sources(result.resources), version=version)
        aside = step.result() if step is not None else alongside(result) if alongside else None
    return replace(result, faces_apart=tuple(sorted(merged.fonts.kept.items())), aside=aside)


def _written(printer: printers.Printer, interior: str) -> None:
    standard = (printer.pdf_variant or "").replace("pdf/x", "PDF/X")
    if printer.pdf_variant not in printers.WRITTEN:
        raise PrinterRejects("L006", printer=printer.name, standard=standard)


def _printers_finish(book: Book, styles: Path, pages: int) -> tuple[Callable, str | None]:
    """What the merged PDF gets for its printer (book.yaml print.printer):
    the text block moved away from the spine when the printer asks for a
    wider gutter at this page count; no links or bookmarks where its guide
    forbids them; PDF/X-1a:2001 made of the plain PDF WeasyPrint wrote
    (pdfx1a.py), after the fonts are shared; a PDF/X's output intent, the
    printer's CMYK condition with its profile (cmyk.py). PrinterRejects when the book
    cannot be made to fit, or holds what the standard forbids. -> (the
    finishing step, the PDF version the file must be written as, if any)."""
    printer = printers.printer(book.config.print.printer)
    x1a = printer.pdf_variant == printers.X1A
    shift = 0.0
    if printer.gutters or printer.pages:
        shift = gutter.shift_mm(printer, pages, gutter.book_margins(book.root, styles, book.config, True))

    def finish(pdf) -> None:
        gutter.move_outward(pdf, shift)
        if not printer.links:
            merge.drop_links(pdf)
        if x1a:
            pdfx1a.make(pdf, book.config, printer.name, styles)
        elif printer.pdf_variant:
            cmyk.output_intent(pdf, printer.condition, styles)
    return finish, pdfx1a.VERSION if x1a else None


def _page_keys(names, units, pagination: Pagination, blank: bytes, furniture_pdfs: list[bytes]) -> tuple[str, ...]:
    """A key per physical page from the PDFs it is merged from (its unit's
    page or the blank, and its furniture page): a page with the key of a page
    of an earlier build is that page again (the snapshot reuses its text)."""
    source = [f"{_sha(blank)}:0"] * pagination.total
    for name in names:
        digest = _sha(units[name].laid.pdf)
        for i in range(units[name].count):
            source[pagination.starts[name] + i] = f"{digest}:{i}"
    sizes = [b - a for a, b in _stretches(names, pagination)]
    over = [f"{_sha(pdf)}:{i}" for pdf, size in zip(furniture_pdfs, sizes, strict=True) for i in range(size)]
    return tuple(_sha(f"{a}|{b}".encode()) for a, b in zip(source, over, strict=True))


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _lay_out_all(book: Book, lay: Layouts, names: list[str], tell=None):
    """Every unit, then in one round those that print page numbers (the
    contents) with the pages, the last unit if it waits for them (the
    index: where it starts is known without it, and its length moves
    nothing) and the furniture of the pages before it. The round bets that
    the contents keep their page count, as they nearly always do; if not,
    or if the index would print other pages, it is played again with the
    new pages. -> (units, pagination, the blank page's PDF, the
    furniture PDFs in page order)."""
    last = names[-1] if needs_pages(build_unit(book, names[-1])) else None
    told: set[str] = set()   # units whose pages made anew were handed to `tell` as they were made
    if tell is not None:
        lay.early = functools.partial(_early_pages, book, names, told, tell)
    units = lay.run({n: None for n in names if n != last})
    lay.early = None
    if tell is not None:
        _early(book, names, units, lay.fresh - told, tell)
    numbered = [n for n in units if units[n].needs_pages]
    targets = page_targets(book)
    drawn: dict[tuple[str, str], bytes] = {}
    for _ in range(MAX_PASSES):
        before = paginate(book, names, units)
        laid_out = [n for n in names if n in units]
        early = [(BLANK, "")] + _furniture(book, laid_out, units, _without_last(before, last))
        todo = list(dict.fromkeys(d for d in early if d not in drawn))
        laid, pdfs = lay.both({n: before.anchors for n in numbered + ([last] if last else [])}, todo)
        drawn.update(zip(todo, pdfs))
        stood = all(laid[n].count == units[n].count for n in numbered)
        units.update({n: laid[n] for n in numbered})
        now = paginate(book, names, units)
        stood = stood and all(before.anchors.get(t) == now.anchors.get(t) for t in targets)
        if stood and _same_last(book, last, before, now):
            units.update(laid)
            return _finish(book, lay, names, units, drawn)
    raise PaginationMoved(f"the contents or the index still changed length after {MAX_PASSES} layouts")


def _early_pages(book: Book, names, told: set, early, name: str, pdf: bytes, first: int, counts: dict) -> None:
    """Pages of a unit made anew (Layouts.early), with where they fall if
    nothing before them moves, once every unit before it has its count."""
    before = names[:names.index(name) + 1]
    if all(n in counts for n in before):
        starts, _ = merge.paginate([counts[n] for n in before], [True] * len(before), book.config.print.page_multiple)
        told.add(name)
        early(pdf, starts[-1] + first + 1, counts[name])


def _early(book: Book, names, units, fresh, early) -> None:
    """Each unit laid out anew, with where it starts if nothing before it moves."""
    pagination = paginate(book, names, units)
    for name in (n for n in names if n in fresh and n in units):
        early(units[name].laid.pdf, pagination.starts[name] + 1, units[name].count)


def page_targets(book: Book) -> set[str]:
    """The ids page references print the page of (`[p. @sec-x]`): a layout
    that moved one of them is played again, as one that moved the contents."""
    return {m.group(1) for d in book.documents for html in (d.html, *(n.html for n in d.notes))
            for m in PAGE_REF.finditer(html)}


def _same_last(book: Book, last: str | None, bet: Pagination, now: Pagination) -> bool:
    """The last unit, laid out with the pages of the bet, is the one the
    pages now call for (the furniture is drawn again from them anyway). The
    same pages give the same unit: its HTML is built only if they moved."""
    return (last is None or bet.anchors == now.anchors
            or build_unit(book, last, bet.anchors) == build_unit(book, last, now.anchors))


def _without_last(pagination: Pagination, last: str | None) -> Pagination:
    """The pages before the last unit's (all of them when none waits)."""
    return pagination if last is None else replace(pagination, total=pagination.anchors[last] - 1)


def _finish(book: Book, lay: Layouts, names: list[str], units: dict[str, UnitLayout], drawn: dict):
    """The furniture of every page, drawing what is not drawn yet (the last unit's pages)."""
    pagination = paginate(book, names, units)
    final = [(BLANK, "")] + _furniture(book, names, units, pagination)
    missing = list(dict.fromkeys(d for d in final if d not in drawn))
    drawn.update(zip(missing, lay.pages(missing)))
    blank, *furniture_pdfs = [drawn[d] for d in final]
    return units, pagination, blank, furniture_pdfs


def paginate(book: Book, names: list[str], units: dict[str, UnitLayout]) -> Pagination:
    """Where every unit laid out so far falls; a last unit not laid out yet
    gets its start (the recto after the others) as the page of its id."""
    laid = [n for n in names if n in units]
    counts = [units[n].count for n in laid]
    firsts, total = merge.paginate(counts, [True] * len(laid), book.config.print.page_multiple)
    starts = dict(zip(laid, firsts))
    anchors: dict[str, int] = {}
    for name in laid:
        for ident, page in units[name].pages.items():
            anchors.setdefault(ident, starts[name] + page)
    if len(laid) < len(names):
        end = firsts[-1] + counts[-1] if laid else 0
        anchors.setdefault(names[len(laid)], end + end % 2 + 1)
    return Pagination(starts, total, anchors)


def _furniture(book: Book, names, units, pagination: Pagination) -> list[tuple[str, str]]:
    """The furniture, one document per unit's stretch of pages (from its first
    page, a recto, to the next unit's): laid out in parallel, and cached, so a
    change that moves no page draws nothing again."""
    pages = furniture_plan(book, names, units, pagination)
    return [(furniture.furniture_html(pages[a:b], book.config.language), FURNITURE_CSS)
            for a, b in _stretches(names, pagination)]


def _stretches(names, pagination: Pagination) -> list[tuple[int, int]]:
    """(first, end) 0-based physical pages of each unit's stretch, from its
    first page to the next unit's (the blank before a recto included)."""
    bounds = [pagination.starts[n] for n in names] + [pagination.total]
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]


def furniture_plan(book: Book, names, units, pagination: Pagination) -> list[furniture.Furniture]:
    anchors = pagination.anchors
    sections = sorted(_sections(book, anchors), key=lambda s: s.start)
    occupied = set()
    blanks = set()
    for name in names:
        first = pagination.starts[name]
        occupied.update(range(first + 1, first + units[name].count + 1))
        blanks.update(first + b for b in units[name].blanks)
    blanks.update(p for p in range(1, pagination.total + 1) if p not in occupied)
    heads = notes_.heads_by_page(book.notes, anchors, book.config.language)
    return furniture.plan(sections, pagination.total, blanks, book.config.title, heads)


def _sections(book: Book, anchors: dict[str, int]):
    for ident in (HALF_TITLE, TITLE_PAGE, COPYRIGHT):
        if ident in anchors:
            yield furniture.Section(ident, anchors[ident], front=True, head="")
    if TOC in anchors:
        from pipeline.i18n import word

        yield furniture.Section(TOC, anchors[TOC], front=False, head=word(book.config.language, "toc"))
    for doc in book.documents:
        if doc.id in anchors:
            yield furniture.Section(doc.id, anchors[doc.id], front=doc.role in FRONT_ROLES,
                                    head=doc.head or doc.title or "", notes=doc.role == "notes")


def _resources(units, names) -> tuple[Path, ...]:
    return tuple(dict.fromkeys(Path(r) for n in names for r in units[n].resources))


def _page_starts(names, units, pagination: Pagination) -> tuple[PageStart, ...]:
    return tuple(replace(s, page=pagination.starts[n] + s.page) for n in names for s in units[n].starts)
