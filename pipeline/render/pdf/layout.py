"""HTML + print.css -> laid-out pages -> PDF bytes, with WeasyPrint.

Kept apart from html.py so that later passes can lay the book out, read the
real page of every id (`anchors`), and lay it out again with what they
learnt (endnote heads "Notas a las páginas X–Y", index page numbers).
"""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from pathlib import Path

from pipeline import printers
from pipeline.engines import weasyprint as engine
from pipeline.engines.weasyprint import FatalURLFetchingError, FontConfiguration
from pipeline.manuscript import BookConfig
from pipeline.render.pdf.fetcher import ConfinedFetcher, RefusedURL

def pdf_variant(config: BookConfig, print_ready: bool) -> str | None:
    """What WeasyPrint writes for the printer's file (book.yaml print.printer:
    its PDF/X, or None for a plain PDF that the merge finishes); None for the proof."""
    return printers.printer(config.print.printer).engine_variant if print_ready else None


def page_css(config: BookConfig, print_ready: bool = False) -> str:
    """The rules that come from book.yaml: the trim size, and for the
    printer's file the bleed and marks its printer asks for (the output
    intent of a PDF/X file is in print-ready.css)."""
    trim = config.print.trim   # lengths validated in book.yaml (manuscript.py)
    css = f"@page {{ size: {trim.width} {trim.height}; }}\n:root {{ --trim-height: {trim.height}; }}\n"
    if print_ready:
        printer = printers.printer(config.print.printer)
        bleed = f"{config.print.bleed_mm:.3f}mm" if printer.bleed else 0
        css += f"@page {{ bleed: {bleed}; }}\n"
        css += "" if printer.marks else "@page { marks: none; }\n"
    return css


def stylesheets(styles: Path, config: BookConfig, fetcher: ConfinedFetcher, fonts, profiles: dict,
                print_ready: bool = False):
    """print.css, then print-ready.css for the printer's file, then book.yaml's
    page rules; `@color-profile` rules land in `profiles` (pass it to render)."""
    names = ["print.css"] + (["print-ready.css"] if pdf_variant(config, print_ready) else [])
    sheets = [engine.CSS(url=fetcher.uri(styles / n), url_fetcher=fetcher, font_config=fonts,
                             color_profiles=profiles) for n in names]
    sheets.append(engine.CSS(string=page_css(config, print_ready), url_fetcher=fetcher, font_config=fonts,
                                 color_profiles=profiles))
    return sheets


def lay_out(html: str, base: Path, styles: Path, config: BookConfig, fetcher: ConfinedFetcher,
            print_ready: bool = False, multiple: int | None = None, extra_css: str = "",
            styles_key: str | None = None, hold=None):
    """Lay out the pages (the lines held to `hold`, an engine.Hold, if given), padded with blank pages at the end to `multiple`
    (default book.yaml's page multiple); `extra_css` goes after the sheets.
    `styles_key`, a digest of the styles folder's content the caller already
    made, spares hashing it again. A resource outside the allowed folders is RefusedURL."""
    engine.install()
    try:
        fonts, profiles, sheets = _sheets(styles, config, fetcher, print_ready, extra_css, styles_key)
        doc = engine.document(html, fetcher.uri(base), fetcher)
        with engine.holding(hold):   # from a layout kept under the key in force (engine.keeping), where it can
            document = engine.render(doc, stylesheets=sheets, font_config=fonts, color_profiles=profiles)
        multiple = config.print.page_multiple if multiple is None else multiple
        return pad(document, multiple, sheets, fonts, profiles, base, fetcher)
    except FatalURLFetchingError as exc:
        raise RefusedURL(str(exc.__cause__ or exc)) from exc


# Sheets made in this process, by pid: a forked worker finds its parent's
# and never drops them (a FontConfiguration deletes its fonts' folder when
# collected, and the parent still reads it).
_SHEETS: dict[int, dict[tuple, tuple]] = {}   # pid -> key -> (fonts, profiles, sheets, files read)
SHEETS_KEPT = 4


def _sheets(styles: Path, config: BookConfig, fetcher: ConfinedFetcher, print_ready: bool, extra_css: str,
            styles_key: str | None = None):
    """(font configuration, colour profiles, sheets), made once per process
    for the same styles: parsing print.css and loading its faces costs
    28 ms, which every unit and furniture document paid. The key holds the
    styles folder's content (`styles_key`), so an edited sheet or font is
    read again; the files the sheets read are listed by every fetcher that uses them."""
    key = (fetcher.roots, print_ready, page_css(config, print_ready), extra_css, styles_key or _fingerprint(styles))
    for made in (_SHEETS.get(os.getpid(), {}), *_SHEETS.values()):
        if key in made:
            fonts, profiles, sheets, files = made[key]
            fetcher.fetched.extend(files)
            return fonts, profiles, sheets
    before = len(fetcher.fetched)
    fonts = FontConfiguration()  # @font-face faces are only loaded through one
    profiles: dict = {}
    sheets = stylesheets(styles, config, fetcher, fonts, profiles, print_ready)
    if extra_css:
        sheets.append(engine.CSS(string=extra_css, url_fetcher=fetcher, font_config=fonts,
                                     color_profiles=profiles))
    own = _SHEETS.setdefault(os.getpid(), {})
    while len(own) >= SHEETS_KEPT:   # a test session builds many books in one process
        del own[next(iter(own))]
    own[key] = (fonts, profiles, sheets, tuple(fetcher.fetched[before:]))
    return fonts, profiles, sheets


def _fingerprint(styles: Path) -> str:
    """The styles folder's names and bytes (1.4 MB: 2 ms)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(styles).rglob("*") if p.is_file()):
        digest.update(str(path).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def pad(document, multiple: int, sheets, fonts, profiles: dict, base: Path, fetcher):
    """Append blank pages until the count is a multiple of `multiple`.

    The blanks come from laying out an empty document with the same sheets
    (same size, bleed and marks; no head or folio: only `main` pages carry
    them), so the book is not laid out a second time.
    """
    missing = -len(document.pages) % multiple
    if not missing:
        return document
    empty = engine.HTML(string='<html><body class="pad"></body></html>',
                            base_url=fetcher.uri(base), url_fetcher=fetcher)
    blank = empty.render(stylesheets=sheets, font_config=fonts, color_profiles=profiles).pages[0]
    return document.copy(list(document.pages) + [blank] * missing)


def anchors(document) -> dict[str, int]:
    """Every element id -> the 1-based physical page where it starts."""
    found: dict[str, int] = {}
    for number, page in enumerate(document.pages, 1):
        for ident in page.anchors:
            found.setdefault(ident, number)
    return found


def document_id(config: BookConfig, part: str = "") -> bytes:
    """A stable file identifier: the same edition gives the same /ID (`part`
    tells apart files of one edition, e.g. "cover")."""
    key = (config.identifiers.print or config.identifiers.ebook) + (f"#{part}" if part else "")
    return hashlib.md5(key.encode()).hexdigest().encode()


def write(document, target, config: BookConfig, variant: str | None = None, part: str = ""):
    """Write the PDF (to a path, a file object, or return bytes if None).

    `variant` (e.g. "pdf/x-4", for the printer's file) makes WeasyPrint put a
    random xmpMM:DocumentID in the XMP; `_pin_xmp` replaces it with one
    derived from the edition, so that output stays byte-identical. No
    output intent is written here (the sheets declare no `@color-profile`):
    the printer's is set after the colours are separated (cmyk.output_intent).
    """
    engine.install()   # its compression level, and HarfBuzz's subsetter (no timestamps in the fonts)
    ident = document_id(config, part)
    return document.write_pdf(target, pdf_identifier=ident, pdf_variant=variant,
                              finisher=lambda _doc, pdf: _pin_xmp(pdf, ident))


_XMP_DID = re.compile(rb"xmp\.did:[0-9a-f-]{36}")


def _pin_xmp(pdf, ident: bytes) -> None:
    stable = f"xmp.did:{uuid.UUID(hex=ident.decode()[:32])}".encode()
    engine.replace_in_metadata(pdf, _XMP_DID, stable)
