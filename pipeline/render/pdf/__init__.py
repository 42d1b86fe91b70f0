"""Stage 4b, render PDF: Book -> print PDF, with WeasyPrint.

Before: the frozen Book and the styles folder (print.css, fonts/).
After: one PDF at the trim size in book.yaml: front matter, contents with
page numbers, each part opening on a recto, running heads and folios,
outline and metadata, EB Garamond embedded as subsets; byte-identical for
the same Book. Nothing outside the manuscript and styles folders is read.

    book -> html.build_html -> layout.lay_out -> layout.write
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline.render.pdf import layout
from pipeline.render.pdf.fetcher import ConfinedFetcher, RefusedURL
from pipeline.render.pdf.html import build_html
from pipeline.resolve.model import Book

STYLES = Path(__file__).resolve().parents[3] / "styles"

__all__ = ["PdfResult", "RefusedURL", "render_pdf"]


@dataclass(frozen=True)
class PdfResult:
    path: Path
    page_count: int
    anchors: dict[str, int] = field(repr=False)  # element id -> 1-based physical page
    page_size: tuple[float, float]               # width, height in PDF points
    resources: tuple[Path, ...] = ()             # every file WeasyPrint read (fonts, images)


def render_pdf(book: Book, out_path: Path, styles_dir: Path | None = None,
               print_ready: bool | None = None) -> PdfResult:
    styles = Path(styles_dir or STYLES)
    if print_ready is None:
        print_ready = book.config.print.print_ready
    fetcher = ConfinedFetcher(book.root, styles)
    document = layout.lay_out(build_html(book), book.root, styles, book.config, fetcher, print_ready)
    layout.write(document, out_path, book.config, layout.PRINT_READY_VARIANT if print_ready else None)
    first = document.pages[0]
    return PdfResult(Path(out_path), len(document.pages), layout.anchors(document),
                     (first.width * 0.75, first.height * 0.75), tuple(dict.fromkeys(fetcher.fetched)))
