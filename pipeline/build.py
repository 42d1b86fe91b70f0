"""A whole build: manuscript folder -> output files, all or nothing.

read -> transforms -> resolve -> render, with diagnostics collected along the
way. Outputs are written into a temporary folder beside the output and moved
into place only when every format succeeded, so a failed build never leaves
a half-written book where the last good one was.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from pipeline import FORMATS, STYLES, freshness, manuscript, registers, resolve, snapshot, yamlfile
from pipeline import chapters as chapters_
from pipeline.diagnostics import BuildError, Diagnostic, Report
from pipeline.model import Book
from pipeline.read import bibliography
from pipeline.transforms.abbreviations import Matcher
from pipeline.transforms.names import NameMatcher

__all__ = ["FORMATS", "STYLES", "Result", "build", "load_book"]


@dataclass
class Result:
    book: Book | None         # None when nothing had changed since the last build (no-op)
    outputs: dict[str, Path] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    pdf: object = None        # the PdfResult (page count, anchors), when a PDF was made
    # build(record_later=True): the snapshot and the freshness record, still to be done (`finish()`)
    finish: Callable[[], None] | None = None


def load_book(root: Path, cache_dir: Path | None, report: Report, step: Callable = lambda *_: None,
              meanwhile: Callable[[], object] | None = None) -> Book:
    """Stages 1-3: the manuscript as a frozen Book, or BuildError.
    `meanwhile` runs while the chapters are read (chapters.load)."""
    ms = manuscript.load(root)
    regs = registers.load(ms.root, report)
    bib = bibliography.load(ms)
    chapters = chapters_.load(ms, cache_dir, Matcher.build(regs.abbreviations), NameMatcher.build(regs.name_forms),
                              step, meanwhile=meanwhile, bib=bib)
    for chapter in chapters.values():
        report.extend(chapter.diagnostics)
    report.check()
    book = resolve.resolve(ms, chapters, regs, report, cache_dir, bib)
    report.check()
    return book


def build(root: Path, out_dir: Path, formats=FORMATS, styles: Path = STYLES,
          step: Callable = lambda *_: None, strict: bool = False, print_ready: bool | None = None,
          early: Callable[[bytes, int, int], None] | None = None, record_later: bool = False) -> Result:
    """Build `formats` into `out_dir`; with `strict`, warnings stop the build
    before anything is written. `print_ready` (default: book.yaml
    print.print_ready) makes the PDF the printer's file and adds its cover.
    `early(pdf, first page, page count)` is handed each unit laid out anew
    as soon as it is, with the physical page it is expected to start on
    (the live preview shows its changed page before the rest is done).
    `record_later` leaves the snapshot and the freshness record, which no
    output waits for, to the caller: `Result.finish()`, once it has shown
    the outputs (the live preview); they are those it would have written.

    When nothing the build reads changed since the last build into
    `out_dir` and its outputs are untouched, nothing is done: the Result
    has the same outputs and diagnostics, and no Book (freshness.py)."""
    key = freshness.stamp(root, styles, out_dir, freshness.options(formats, strict, print_ready))
    hit = freshness.fresh(out_dir, key)
    if hit is not None:
        return Result(None, hit["outputs"], [Diagnostic(**d) for d in hit["diagnostics"]])
    report = Report()
    out_dir.mkdir(parents=True, exist_ok=True)
    book = load_book(root, out_dir / ".cache", report, step, meanwhile=_import_pdf if _pdf_to_import(formats) else None)
    if "pdf" in formats:
        from pipeline.render.pdf import glyphs

        glyphs.check(book, styles, report)
    if print_ready is None:
        print_ready = book.config.print.print_ready
    if print_ready and "pdf" in formats:
        _check_isbn(book, report)
    report.check(strict)
    result = Result(book, diagnostics=report.items)
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".build-") as tmp:
        staged, result.pdf = _render_or_report(book, Path(tmp), formats, styles, step, print_ready, report, early)
        report.check(strict)   # warnings the render found (F104): with --strict the outputs stay as they were
        freshness.forget(out_dir)
        for fmt, path in staged.items():
            final = out_dir / path.name
            os.replace(path, final)
            result.outputs[fmt] = final
        if result.pdf is not None:  # it was laid out in the temporary folder
            result.pdf = dataclasses.replace(result.pdf, path=result.outputs["pdf"])
    finish = functools.partial(_record, book, root, out_dir, key, result)
    if record_later:
        result.finish = finish
    else:
        finish()
    return result


def _record(book: Book, root: Path, out_dir: Path, key: str, result: Result) -> None:
    """The snapshot (for `pipeline diff`; it never fails the build), then the
    record that makes the next build of the same files a no-op."""
    snapshot.keep(book, root, result.outputs, out_dir, pdf=result.pdf)
    freshness.record(out_dir, key, result.outputs, [dataclasses.asdict(d) for d in result.diagnostics])


def _pdf_to_import(formats) -> bool:
    """The PDF stages are to be imported (not yet, in this process)."""
    return "pdf" in formats and "pipeline.render.pdf" not in sys.modules


def _import_pdf() -> None:
    """WeasyPrint and the PDF stages take half a second to import: done
    while the chapters are read, when this process would only wait."""
    import pipeline.render.pdf  # noqa: F401


def _render_or_report(book: Book, tmp: Path, formats, styles: Path, step, print_ready: bool, report: Report,
                      early=None):
    """_render, with layout failures turned into diagnostics (no traceback)."""
    codes, rejects, unprintable = {}, (), ()
    if "pdf" in formats:  # WeasyPrint takes a third of a second to import: not for an EPUB alone
        from pipeline.render.pdf import FootnoteLost, PaginationMoved, PrinterRejects, RefusedURL, TableTooWide
        from pipeline.render.pdf.unprintable import Unprintable

        codes = {PaginationMoved: "L001", FootnoteLost: "L002", RefusedURL: "L003", TableTooWide: "L013"}
        rejects = (PrinterRejects,)   # its own code and fields, at book.yaml's print.printer
        unprintable = (Unprintable,)  # L011 with its fields, at the unit's file
    try:
        staged, pdf = _render(book, tmp, formats, styles, step, print_ready, early)
    except unprintable as exc:
        report.add("L011", *_layout_site(book, exc), **exc.fields)
        raise BuildError(report) from None
    except rejects as exc:
        where = yamlfile.line_in(book.root / "book.yaml", ["print", "printer"])
        report.add(exc.code, book.root / "book.yaml", where, **exc.fields)
        raise BuildError(report) from None
    except tuple(codes) as exc:
        report.add(codes[type(exc)], *_layout_site(book, exc), detail=str(exc))
        raise BuildError(report) from None
    for face, why in pdf.faces_apart if pdf is not None else ():
        report.add("F104", styles / "print.css", 0, face=face, detail=why)
    return staged, pdf


def _check_isbn(book: Book, report: Report) -> None:
    """The printer's cover draws the print ISBN's barcode: F002 when it cannot."""
    from pipeline.render.pdf.cover import isbn13

    isbn = book.config.identifiers.print
    if isbn and isbn13(isbn) is None:
        yaml_path = book.root / "book.yaml"
        report.add("F002", yaml_path, yamlfile.line_in(yaml_path, ["identifiers", "print"]), isbn=isbn)


def _layout_site(book: Book, exc) -> tuple[Path, int]:
    """Where a layout failure points: the definition of the note at fault,
    else the chapter file of the unit laid out; for a generated unit (notes,
    index, contents, the front matter) or the book as a whole, book.yaml at
    the unit's contents entry."""
    if getattr(exc, "source", None):
        path, _, line = exc.source.rpartition(":")
        return Path(path), int(line)
    doc = next((d for d in book.documents if d.id == getattr(exc, "unit", None)), None)
    if doc is not None and doc.source:
        return book.root / doc.source, 0   # 0: no line (the file as a whole)
    roles = [doc.role] if doc else ["index", "toc"]   # the book's pass: the contents or the index
    where = next((i for i, e in enumerate(book.config.contents) if e.role in roles), None)
    yaml_path = book.root / "book.yaml"
    return yaml_path, yamlfile.line_in(yaml_path, ["contents", where]) if where is not None else 1


def _render(book: Book, tmp: Path, formats, styles: Path, step, print_ready: bool = False, early=None):
    """(staged output files by format, the PdfResult or None)."""
    staged = {fmt: tmp / f"{book.slug}.{fmt}" for fmt in ("pdf", "epub") if fmt in formats}
    write_epub = functools.partial(_write_epub, book, staged["epub"], styles) if "epub" in staged else None
    if "pdf" not in staged:
        step("write EPUB")
        write_epub()
        return staged, None
    return staged, _render_pdf(book, staged, tmp.parent / ".cache", styles, step, print_ready, write_epub, early)


def _render_pdf(book: Book, staged: dict, cache: Path, styles: Path, step, print_ready: bool, write_epub,
                early=None):
    """The PDF, and the EPUB (`write_epub`) as soon as the PDF's pages are
    known, while the PDF is merged; the printer's cover after them."""
    from pipeline.render.pdf import render_pdf

    step("lay out PDF" + (" for the printer" if print_ready else "") + (", write EPUB" if write_epub else ""))
    pdf = render_pdf(book, staged["pdf"], styles, print_ready=print_ready, cache_dir=cache, alongside=write_epub,
                     early=early)
    if write_epub is not None:   # the entries its writer deflated, for the next EPUB (the live preview)
        from pipeline.render.epub import package

        package.remember(pdf.aside)
        pdf = dataclasses.replace(pdf, aside=None)
    if print_ready:  # the cover's spine needs the final page count
        from pipeline.render.pdf.cover import render_cover

        step("draw the cover")
        staged["cover"] = staged["pdf"].with_name(f"{book.slug}-cover.pdf")
        render_cover(book.config, pdf.page_count, staged["cover"], styles)
    return pdf


def _write_epub(book: Book, path: Path, styles: Path, pdf=None) -> dict | None:
    """-> the entries it deflated, when this process keeps them (package.keep_deflated):
    handed back from the forked writer to the build's process."""
    from pipeline.render.epub import package, render_epub

    render_epub(book, path, styles, **_print_layout(book, pdf))
    return package.deflated()


def _print_layout(book: Book, pdf) -> dict:
    """What the EPUB takes from the PDF laid out in the same build: the page
    of every id (index locators) and where each page begins (page-list)."""
    if pdf is None:
        return {}
    return {"pages": pdf.anchors, "page_starts": list(pdf.page_starts)}


def clean_cache(out_dir: Path) -> None:
    shutil.rmtree(out_dir / ".cache", ignore_errors=True)
