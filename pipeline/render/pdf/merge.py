"""One book PDF from units laid out apart, with its furniture laid over.

Before: the book cut into units (front matter, each chapter, notes,
glossary, index...), each laid out alone by WeasyPrint (maybe in another
process, maybe from the cache) as a `LaidUnit`: its PDF, where each of its
ids lands, its outline entries, whether it opens on a recto; a one-page
blank PDF; the furniture PDF (running heads and folios only, one page per
physical page of the book).
After:  one PDF: the units' pages in order, a blank before a recto unit
        that would open on a verso, blanks at the end up to the page
        multiple; each page with its furniture page laid over it; one name
        tree of destinations and one outline for the whole book; the links
        across units (`href="x-dest:ID"`, which WeasyPrint writes as /URI)
        turned into named-destination links; catalog and /Info from the
        first unit; one font program per face, shared by every page
        (fonts.py). The same inputs give the same bytes.

Coordinates follow WeasyPrint 70 (pdf/__init__.py, pdf/anchors.py): PDF
user space is CSS px × 0.75 with y flipped at the page's height, origin at
the trim box's bottom-left corner, so a bleed only widens the MediaBox
into negative coordinates and moves no anchor.
"""

from __future__ import annotations

import io
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence
from urllib.parse import unquote

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from pipeline.engines.weasyprint import pdf_point

from pipeline.render.pdf import fonts as fonts_

SCALE = 0.75                 # 72 pt per inch / 96 CSS px per inch, at write_pdf's zoom=1
CROSS_LINK = "x-dest:"       # scheme of links to an id of another unit
FURNITURE = Name("/Furniture")
# Catalog entries not taken from the first unit: rebuilt for the whole book,
# or describing only that unit's pages (tags, form fields).
OWN_ENTRIES = {"/Type", "/Pages", "/Names", "/Outlines", "/Dests", "/StructTreeRoot", "/MarkInfo", "/AcroForm"}
# qpdf's "static" second /ID (pi's digits): replaced by `ident` after writing.
STATIC_ID = b"<31415926535897932384626433832795>"

Point = tuple[int, float, float]     # page index within the unit, x, y in PDF user space


@dataclass(frozen=True)
class LaidUnit:
    pdf: bytes
    anchors: dict[str, Point]
    bookmarks: tuple[tuple[int, str, str | Point], ...]   # CSS bookmark-level, label, target
    recto: bool = True


@dataclass(frozen=True)
class Merged:
    page_count: int
    anchors: dict[str, int]      # id -> 1-based physical page
    missing: tuple[str, ...]     # ids links pointed at that no unit has (those links dropped)
    fonts: fonts_.Outcome = field(default_factory=fonts_.Outcome)   # faces shared, and those kept apart


# -- a unit from WeasyPrint ----------------------------------------------------

def from_document(document, pdf: bytes, recto: bool = True) -> LaidUnit:
    """The unit of a rendered weasyprint.Document and the PDF written from it."""
    return LaidUnit(pdf, _anchors(document), _bookmarks(document), recto)


def _point(page, x: float, y: float) -> tuple[float, float]:
    return pdf_point(page.height, SCALE, x, y)


def _anchors(document) -> dict[str, Point]:
    found: dict[str, Point] = {}
    for index, page in enumerate(document.pages):
        for name, box in page.anchors.items():
            # The first page wins, as in WeasyPrint's resolve_links.
            found.setdefault(name, (index, *_point(page, *box[:2])))
    return found


def _bookmarks(document) -> tuple:
    # page.bookmarks rather than make_bookmark_tree(): it keeps the CSS
    # levels, so nesting can carry on across units (a unit's first entry may
    # belong under the previous unit's last); the points are transformed
    # with the same matrix make_bookmark_tree uses.
    return tuple((level, label, (index, *_point(page, x, y)))
                 for index, page in enumerate(document.pages)
                 for level, label, (x, y), _state in page.bookmarks)


# -- where units begin ----------------------------------------------------------

def paginate(counts: list[int], rectos: list[bool], multiple: int) -> tuple[list[int], int]:
    """0-based physical index of each unit's first page (a blank before a
    recto unit that would fall on a verso, i.e. an odd index) and the total
    page count, padded up to a multiple of `multiple`."""
    if multiple < 1:
        raise ValueError(f"page multiple must be at least 1, not {multiple}")
    starts, at = [], 0
    for count, recto in zip(counts, rectos, strict=True):
        if recto and at % 2:
            at += 1
        starts.append(at)
        at += count
    return starts, at + -at % multiple


def plan(units: Sequence[LaidUnit], multiple: int = 2) -> tuple[list[int], int]:
    """`paginate` for laid units: what the furniture must cover before merging."""
    counts = []
    for unit in units:
        with pikepdf.open(io.BytesIO(unit.pdf)) as pdf:
            counts.append(len(pdf.pages))
    return paginate(counts, [u.recto for u in units], multiple)


# -- the merge ---------------------------------------------------------------------

def merge(units: Sequence[LaidUnit], blank: bytes, furniture: Sequence[bytes] | None, target,
          ident: bytes | None = None, *, multiple: int = 2, faces: dict[str, bytes] | None = None,
          finish=None, version: str | None = None) -> Merged:
    """Write the book's PDF to `target` (a path or a binary file object).
    `furniture`: PDFs whose pages, one after another, go over the book's.
    `faces`: the font files the layout read (fonts.sources): each face gets
    one program, a subset of its file (without them, each distinct program
    only gets a subset tag of its own). `finish(pdf)` is the last change
    before it is written (the printer's); `version` forces the PDF version
    written (PDF/X-1a:2001's 1.3), else the first unit's."""
    if not units:
        raise ValueError("no unit to merge")
    with ExitStack() as stack:
        def open_pdf(data: bytes):
            return stack.enter_context(pikepdf.open(io.BytesIO(data)))
        sources = [open_pdf(u.pdf) for u in units]
        out = pikepdf.new()
        starts = _place_pages(out, sources, units, open_pdf(blank), multiple)
        dests = _destinations(out, units, starts)
        missing = _relink(out, dests) | _outline(out, units, starts, dests)
        _names(out, dests)
        _take_document_entries(out, sources[0])
        if furniture is not None:
            _lay_over(out, [page for chunk in furniture for page in open_pdf(chunk).pages])
        shared = fonts_.share_faces(out, faces or {})
        if finish is not None:
            finish(out)
        save(out, target, ident, version or sources[0].pdf_version, force=version is not None)
    pages = {page.objgen: number for number, page in enumerate(out.pages, 1)}
    return Merged(len(pages), {k: pages[d[0].objgen] for k, d in dests.items()}, tuple(sorted(missing)), shared)


def _place_pages(out, sources, units, blank, multiple: int) -> list[int]:
    starts, total = paginate([len(s.pages) for s in sources], [u.recto for u in units], multiple)
    for source, start in zip(sources, starts):
        _blanks(out, blank, start)
        for page in source.pages:
            # append, not extend: extend warns that named destinations are not
            # carried, and they are rebuilt for the whole book below.
            out.pages.append(page)
    _blanks(out, blank, total)
    return starts


def _blanks(out, blank, until: int) -> None:
    # qpdf copies the foreign page once, then a shallow copy per further
    # append: blanks share their content and resources.
    while len(out.pages) < until:
        out.pages.append(blank.pages[0])


def _destinations(out, units, starts) -> dict[str, Array]:
    """Every id -> [page /XYZ x y 0], as WeasyPrint writes its /Dests (zoom 0:
    keep the reader's zoom). Of an id in two units the first one wins."""
    dests: dict[str, Array] = {}
    pages = [page.obj for page in out.pages]   # pikepdf looks a page up by index afresh each time
    for unit, start in zip(units, starts):
        for name, point in unit.anchors.items():
            if name not in dests:
                dests[name] = _xyz(pages, start, point)
    return dests


def _xyz(pages: list, start: int, point: Point) -> Array:
    index, x, y = point
    return Array([pages[start + index], Name.XYZ, x, y, 0])


def _key(name: str) -> String:
    """A destination name as WeasyPrint (pydyf) writes it: ASCII, or UTF-16BE
    with its mark. A reader matches a /Dest to its key by bytes: every key
    and every /Dest is written through here."""
    try:
        return String(name.encode("ascii"))
    except UnicodeEncodeError:
        return String(b"\xfe\xff" + name.encode("utf-16-be"))


# -- links ---------------------------------------------------------------------------

def _relink(out, dests) -> set[str]:
    """Point every internal link at the book's name tree; drop those whose
    id no unit has and return those ids."""
    missing: set[str] = set()
    for page in out.pages:
        missing |= _relink_page(page.obj, dests)
    return missing


def _relink_page(page, dests) -> set[str]:
    missing, kept = set(), []
    for annot in page.get("/Annots", Array()):
        name = _target(annot)
        if name is not None and name not in dests:
            missing.add(name)
            continue
        if name is not None:
            _point_at(annot, name)
        kept.append(annot)
    if "/Annots" in page:
        page.Annots = Array(kept)
    return missing


def _target(annot) -> str | None:
    """The id a link annotation points at, or None for any other annotation."""
    if annot.get("/Subtype") != Name.Link:
        return None
    if isinstance(annot.get("/Dest"), String):
        return str(annot.Dest)
    action = annot.get("/A")
    uri = str(action.get("/URI", "")) if isinstance(action, Dictionary) else ""
    # WeasyPrint %-encodes the IRI (non-ASCII as UTF-8): undo it.
    return unquote(uri[len(CROSS_LINK):]) if uri.startswith(CROSS_LINK) else None


def _point_at(annot, name: str) -> None:
    if "/A" in annot:
        del annot.A
    annot.Dest = _key(name)


# -- name tree, outline, catalog --------------------------------------------------------

def _names(out, dests) -> None:
    """One flat /Names array, as WeasyPrint writes it, sorted by key bytes as
    the name tree requires."""
    if not dests:
        return
    entries = sorted((bytes(_key(n)), dest) for n, dest in dests.items())
    flat = Array([item for key, dest in entries for item in (String(key), dest)])
    out.Root.Names = Dictionary(Dests=out.make_indirect(Dictionary(Names=flat)))


def _outline(out, units, starts, dests) -> set[str]:
    """All units' bookmarks, each under the nearest earlier entry of a
    lower level (what WeasyPrint's skipped-levels walk amounts to). An
    entry pointing at an id no unit has is left out; the id is returned."""
    stack: list[tuple[int, pikepdf.OutlineItem]] = []
    missing: set[str] = set()
    pages = [page.obj for page in out.pages]
    with out.open_outline() as outline:
        for unit, start in zip(units, starts):
            for level, label, target in unit.bookmarks:
                dest = dests.get(target) if isinstance(target, str) else _xyz(pages, start, target)
                if dest is None:
                    missing.add(target)
                    continue
                while stack and stack[-1][0] >= level:
                    stack.pop()
                item = pikepdf.OutlineItem(label, dest)
                (stack[-1][1].children if stack else outline.root).append(item)
                stack.append((level, item))
    return missing


def drop_links(out) -> None:
    """No link annotation, bookmark or named destination: a printer's file
    that its guide wants free of anything interactive."""
    for page in out.pages:
        if "/Annots" in page:
            del page.Annots
    for key in ("/Outlines", "/Names", "/Dests", "/PageMode"):
        if key in out.Root:
            del out.Root[key]


def _take_document_entries(out, first) -> None:
    """Catalog entries and /Info of the first unit (the units share them).
    Copied after the pages so that a page reference maps to the copied page."""
    for key, value in first.Root.items():
        if key not in OWN_ENTRIES:
            out.Root[key] = _copy(out, first, value)
    if "/Info" in first.trailer:
        info = _copy(out, first, first.trailer.Info)
        out.trailer.Info = info if info.is_indirect else out.make_indirect(info)


def _copy(out, source, obj):
    if getattr(obj, "is_indirect", False):
        return out.copy_foreign(obj)
    # copy_foreign takes indirect objects only: carry a direct one in an array.
    return out.copy_foreign(source.make_indirect(Array([obj])))[0]


# -- furniture -------------------------------------------------------------------------

def _lay_over(out, furniture: list) -> None:
    """`furniture`: its pages, one per book page (from one PDF or several in a row)."""
    if len(furniture) != len(out.pages):
        raise ValueError(f"furniture has {len(furniture)} pages, the book {len(out.pages)}")
    for number, (page, over) in enumerate(zip(out.pages, furniture), 1):
        _check_trim(number, page, over)
        _draw_over(page, out.copy_foreign(over.as_form_xobject()))


def _check_trim(number: int, page, over) -> None:
    # The form is drawn unscaled: both pages must share the trim box's size
    # (WeasyPrint puts the origin at the trim corner, bleed or not).
    size = [float(b) - float(a) for a, b in zip(page.trimbox[:2], page.trimbox[2:])]
    over_size = [float(b) - float(a) for a, b in zip(over.trimbox[:2], over.trimbox[2:])]
    if any(abs(a - b) > 0.01 for a, b in zip(size, over_size)):
        raise ValueError(f"page {number}: furniture trim {over_size} differs from the book's {size}")


def _draw_over(page, form) -> None:
    """Page.add_overlay would name the form at random (not reproducible) and
    write it into the /Resources all pages of a unit share: the page gets its
    own /Resources (the unit's entries plus the form) and a fixed name."""
    shared = page.obj.get("/Resources", Dictionary())
    xobjects = Dictionary({str(k): v for k, v in shared.get("/XObject", Dictionary()).items()})
    xobjects[FURNITURE] = form
    page.obj.Resources = Dictionary({**{str(k): v for k, v in shared.items()}, "/XObject": xobjects})
    page.contents_add(b"q\n", prepend=True)
    page.contents_add(b"Q\nq " + bytes(FURNITURE.unparse()) + b" Do Q\n")


# -- writing ----------------------------------------------------------------------------

def save(out, target, ident: bytes | None, version: str, force: bool = False) -> None:
    """Write `out` to `target` (a path or a binary file object) as PDF
    `version` (at least, or exactly with `force`: no object or
    cross-reference streams below 1.5), its /ID pinned to `ident`."""
    buffer = io.BytesIO()
    if ident is not None:
        out.trailer.ID = Array([String(ident), String(ident)])
    mode = pikepdf.ObjectStreamMode.generate if version >= "1.5" else pikepdf.ObjectStreamMode.disable
    versions = {"force_version": version} if force else {"min_version": version}
    # fix_metadata_version off: the XMP stays the first unit's, byte for byte.
    out.save(buffer, **versions, object_stream_mode=mode, fix_metadata_version=False,
             static_id=ident is not None, deterministic_id=ident is None)
    data = buffer.getvalue() if ident is None else _pin_id(buffer.getvalue(), ident)
    if hasattr(target, "write"):
        target.write(data)
    else:
        Path(target).write_bytes(data)


def _pin_id(data: bytes, ident: bytes) -> bytes:
    """qpdf keeps the first /ID from the trailer but always makes the second:
    replace its static one with `ident`. The /ID sits in the last object (the
    trailer or xref stream dictionary), after every offset the file records,
    so its length may change."""
    ours = b"<" + ident.hex().encode() + b">"
    at = data.rfind(ours + STATIC_ID)
    if at < 0:
        raise RuntimeError("qpdf wrote no static /ID to replace")
    return data[:at] + ours + ours + data[at + len(ours) + len(STATIC_ID):]
