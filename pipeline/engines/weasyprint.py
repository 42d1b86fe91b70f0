"""WeasyPrint and pydyf, as the pipeline uses them: every name outside their
documented API lives here, declared in `PRIVATE` (what for, and which
upstream issue would remove it); the rest of the pipeline imports the
engine from this module only.

What the pipeline reads from a laid-out page (`page_box`, `children`,
`is_line`...) is WeasyPrint's box tree, which it keeps undocumented
("an implementation detail", Kozea/WeasyPrint#265): those readers are here
so that the rest never names a box class or attribute.

Mends for WeasyPrint bugs the book meets, installed before any layout.

Each mend is small, wraps a public-enough function rather than copying it,
and says which version it was written for; `install()` refuses to run on
another version so that an upgrade makes us look again (the test in
tests/render/test_engine.py reproduces each bug without its mend).

Lost footnote (WeasyPrint 70.0, layout/block.py `_in_flow_layout` of line
boxes): when a line overflows the page and widows/orphans forbid breaking
before it, the engine moves the page's last footnotes to the next page to
make room, then keeps the line on this page and stops, without laying out
the footnotes whose calls stand in that very line. Such a footnote is never
placed anywhere: its call is printed, its text is lost. The mend runs after
each page is made: a footnote whose call landed on the page but which is
neither on it nor waiting for the next page is handed to the next page,
after those already waiting, in the order of their calls.

Carried footnotes out of order (WeasyPrint 70.0, the same place): a
footnote that overflowed is carried to the next page at once; when the
next line then overflows too, the engine carries the notes laid before it
after it, so the next page prints note 21 above note 20. The mend puts
the waiting footnotes back in the order of their calls.

Also here, not a mend but a shortcut (`document`): WeasyPrint parses every
string with tinyhtml5, a pure-Python HTML5 parser (0.7 s for the endnotes'
1 MB). Our HTML is serialized by lxml from a tree we built, so libxml2
parses it (13 times faster) and WeasyPrint gets that tree back: for
well-formed nesting, the one tinyhtml5 would give (every unit of the real
book: tests/book/test_real_book.py; its PDF is byte-identical). Where
HTML5's error recovery would rebuild the tree (a table inside a paragraph,
as a note set as footnote may hold; a link inside a link), the tree stays
as built, and table cells are not run together into text.

And one choice of ours (`Deflate`): pydyf 0.13 compresses every stream
at zlib's level 9. On this book level 9 takes 1.7 s of CPU where zlib's
default, 6, takes 0.45 s, for a file 1.6 % larger; qpdf and most PDF
writers use 6, and so do we.

Page styles computed for every page (WeasyPrint 70.0, layout/page.py
`set_page_type_computed_styles`): a page's type holds its number, for
`:nth()` selectors, so the engine cascades and computes the page's style
and its 16 margin boxes' anew on each page, and its list of page types
grows with the document (a page scans every earlier one). That is two
fifths of the cost of a page that only holds running heads (the
furniture), little beside a page of text. Where no sheet selects pages
by number, two pages of the same side, blankness, name and firstness
match the same rules, so `_shared_page_styles` gives them the same
computed styles, computed once (and again once the first page has set
the size that viewport units refer to).
The PDF is byte-identical (tests/render/test_engine.py; the real book).

And one hold of ours in the line loop (`holding`, `_held_lines`): WeasyPrint
70 has no `hyphenate-limit-lines` (Kozea/WeasyPrint#1357 asks for the
hyphenate-limit-* family), so a paragraph could end three, four, six lines
in a row with a hyphen (140 such ladders on the real book). While a `Hold`
is in force, each line the engine makes is looked at: when it ends
hyphenated after `limit` hyphenated lines, or it is the last line that fits
on a recto (the reader would turn the page mid-word), or the caller named
it (`forbid`: a page and a line's text that a first layout ended a recto
with, or began a ladder with where the third line broke at a word's own
hyphen, which hyphenation off cannot move), the line is made again with hyphenation off for that one line: the
word goes whole to the next line. The count is kept per paragraph and
position (the skip stack the line starts at), so the engine's own retries
(widows, orphans, a line pushed to the next page) see the same count.
The same line gives the same choice: the layout stays deterministic.
"""

from __future__ import annotations

import bisect
import contextlib
import copy
import functools
import hashlib
import xml.etree.ElementTree as ET
import zlib
from dataclasses import dataclass, replace

import cssselect2
import lxml.etree
import lxml.html
import pydyf
import weasyprint
from weasyprint import document as _document
from weasyprint import layout as _layout
from weasyprint.formatting_structure import boxes as _boxes
from weasyprint.layout import inline as _inline
from weasyprint.layout import page as _page
from weasyprint.matrix import Matrix as _Matrix
from weasyprint.text import ffi as _ffi
from weasyprint.text import fonts as _fonts
from weasyprint.text import line_break as _line_break
from weasyprint.text.fonts import FontConfiguration  # noqa: F401  (documented: the API reference's "Fonts")
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse  # noqa: F401  (public)

from pipeline.engines import Private

HTML, CSS, VERSION = weasyprint.HTML, weasyprint.CSS, weasyprint.__version__
WRITTEN_FOR = "70.0"
PYDYF = "0.13.0"
LEVEL = 6   # zlib's default

_BOXES = "weasyprint.formatting_structure.boxes"
# Which upstream change would let each group of private uses go:
_FOOTNOTES = ("none filed for these two bugs; nearest: Kozea/WeasyPrint#2432 and its open PR #2437 (footnotes "
              "reported when orphans make a line overflow)")
_SHARED = "none filed as such; nearest: Kozea/WeasyPrint#578 (long documents: margin boxes made anew per page)"
_PARSER = "none filed: a way to hand HTML() a parsed tree (PR Kozea/WeasyPrint#112 offered tree=; 70.0 has none)"
_DEFLATE = "none filed: a compression level for pydyf (and write_pdf)"
_XMP = "none filed: a document id for the XMP that write_pdf(pdf_variant=...) writes"
_MATRIX = "none filed: page.anchors and page.bookmarks in PDF coordinates"
_BOX_API = "none filed: the box tree is undocumented on purpose (Kozea/WeasyPrint#265)"
_LINES = "Kozea/WeasyPrint#1357 (hyphenate-limit-lines and the rest of the hyphenate-limit-* family)"
_READ = "the endnote heads, footnote cuts and EPUB page-list read where lines fell"

_INCREMENTAL = ("none filed: a public way to lay a document out again from a page it holds (nearest: "
                "Kozea/WeasyPrint#578, long documents)")
_SHARED_RESOURCES = ("set_state", "add_group", "add_image", "add_pattern", "add_shading")
_KEPT_PRIVATE = (   # `keeping`: a unit laid out again from the page an edit falls on (issue 23)
    Private("weasyprint.document.layout_document", "wrapped: a layout keeps its pages and their states, and "
            "starts from those kept", _INCREMENTAL, ("html", "root_box", "context", "max_loops")),
    Private("weasyprint.layout.make_all_pages", "replaced while a kept layout is followed: pages made from one",
            _INCREMENTAL, ("context", "root_box", "html", "pages")),
    Private("weasyprint.layout.page.make_all_pages", "the engine's page making, its pages recorded", _INCREMENTAL,
            ("context", "root_box", "html", "pages")),
    Private("weasyprint.layout.initialize_page_maker", "makes context.page_maker, the state each page starts "
            "from (where the text resumes, side, counters)", _INCREMENTAL, ("context", "root_box")),
    *(Private(f"weasyprint.layout.LayoutContext.{name}", why, _INCREMENTAL) for name, why in (
        ("rendered_notes", "set as make_all_pages sets it"),
        ("running_elements", "a layout with running elements is not kept"),
        ("target_collector", "a layout with target counters is not kept"),
        ("font_config", "the kept pages' boxes use the same fonts"),
        ("style_for", "the page styles and the page size of the kept layout"))),
    Private("weasyprint.css.targets.TargetCollector.counter_lookup_items", "target counters", _INCREMENTAL),
    Private(f"{_BOXES}.BlockBox", "where a page begins: at a block, or inside a paragraph", _INCREMENTAL),
    Private(f"{_BOXES}.BlockLevelBox", "where a page begins: at a block, or inside a paragraph", _INCREMENTAL),
)

_PAINTED_WHY = "none filed: a way to write again only the pages of a document that changed"
_PAINT_PRIVATE = (   # `painting`: a unit's pages the last write painted, replayed (issue 23)
    Private("weasyprint.document.Page.paint", "wrapped: a page painted by the last write is replayed",
            _PAINTED_WHY, ("self", "stream", "scale")),
    *(Private(f"weasyprint.pdf.stream.Stream.{name}", why, _PAINTED_WHY) for name, why in (
        ("_fonts", "the fonts a replayed page's glyphs go to"),
        ("_tags", "a tagged PDF's pages are painted, not replayed"),
        ("stream", "what painting a page appended"),
        ("set_alpha", "the alpha states a page adds (named by their value), added again by a replay"),
        ("clone", "a stream sharing the page's resources, for `set_alpha`"),
        *((name, "a page painted with resources of the whole document is not recorded")
          for name in _SHARED_RESOURCES))),
    Private("weasyprint.pdf.stream.Stream.add_font", "the fonts a page adds, in order", _PAINTED_WHY,
            ("self", "pango_font")),
    Private("weasyprint.pdf.fonts.Font.to_unicode", "a glyph's text, set by the first page that draws it",
            _PAINTED_WHY),
    Private("weasyprint.pdf.fonts.Font.widths", "a glyph's width, set by the first page that draws it",
            _PAINTED_WHY),
)

PRIVATE = (
    Private("weasyprint.text.ffi.harfbuzz_subset", "fonts subset by HarfBuzz, or refused: WeasyPrint's fallback "
            "(fontTools) stamps each subset with the build's time, and a build would not give the same bytes",
            "none filed: a subsetter option in write_pdf, or recalcTimestamp=False in the fontTools fallback"),
    Private("weasyprint.layout.page.make_page", "wrapped: the mends of lost and reordered footnotes follow each page",
            _FOOTNOTES, ("context", "root_box", "page_type", "resume_at", "page_number", "page_state")),
    Private("weasyprint.layout.LayoutContext.footnotes", "footnotes waiting for room on the page", _FOOTNOTES),
    Private("weasyprint.layout.LayoutContext.reported_footnotes", "footnotes carried to the next page", _FOOTNOTES),
    Private(f"{_BOXES}.Box.footnote", "the footnote a call's box holds: the calls of a page", _FOOTNOTES),
    Private(f"{_BOXES}.Box.descendants", "the boxes of a page, for its footnote calls", _FOOTNOTES,
            ("self", "placeholders")),
    Private("weasyprint.layout.page.set_page_type_computed_styles",
            "wrapped: pages of one kind share their computed styles (two fifths of a furniture page's cost)",
            _SHARED, ("page_type", "html", "style_for")),
    *(Private(f"weasyprint.layout.page.PageType.{field}", "the kind of a page: key of the shared styles", _SHARED)
      for field in ("side", "blank", "name", "index")),
    Private("weasyprint.css.StyleFor._sheets", "whether a sheet selects pages by number (then nothing is shared)",
            _SHARED),
    Private("weasyprint.CSS.page_rules", "the @page selectors of a sheet", _SHARED),
    Private("weasyprint.css.StyleFor.initial_page_sizes", "the page size viewport units refer to", _SHARED),
    Private("weasyprint.css.StyleFor.get_computed_styles", "the page styles, shared", _SHARED, ("self",)),
    Private("weasyprint.css.StyleFor.get_cascaded_styles", "the margin boxes some rule styles", _SHARED, ("self",)),
    Private("weasyprint.layout.inline.get_next_linebox",
            "wrapped: a line that would make a hyphen ladder or end a recto hyphenated is made again "
            "without hyphenation", _LINES,
            ("context", "linebox", "position_y", "bottom_space", "skip_stack", "containing_block",
             "absolute_boxes", "fixed_boxes", "first_letter_style", "first_line_style")),
    Private("weasyprint.layout.page.remake_page", "wrapped: a recto ending hyphenated is made again at once",
            _LINES, ("index", "context", "root_box", "html")),
    Private("weasyprint.layout.LayoutContext.broken_out_of_flow", "the state a page starts from, to make it again",
            _LINES),
    Private("weasyprint.layout.LayoutContext.current_page", "the page a line falls on: rectos are odd", _LINES),
    Private("weasyprint.layout.LayoutContext.overflows_page", "whether another line would fit under this one",
            _LINES, ("self", "bottom_space", "position_y")),
    Private(f"{_BOXES}.Box.style", "a line's hyphens or word spacing, changed for one line", _LINES),
    Private(f"{_BOXES}.TextBox.justification_spacing", "how far a justified line's spaces are stretched", _LINES),
    Private(f"{_BOXES}.Box.position_x", "where a line set again ends: no try may run past the measure", _LINES),
    Private(f"{_BOXES}.Box.width", "the measure a line is set in; a page's content width (`tables`)", _LINES),
    Private(f"{_BOXES}.Box.margin_width", "where a line set again ends", _LINES, ("self",)),
    Private(f"{_BOXES}.Box.content_box_x", "the measure a line is set in", _LINES, ("self",)),
    Private("weasyprint.text.line_break.Layout.set_text", "a line set again, measured as it will be drawn", _LINES,
            ("self", "text", "justify")),
    Private("weasyprint.text.fonts.get_pango_font_key", "the size a run's glyphs are drawn at (`_drift`)", _LINES,
            ("pango_font",)),
    *(Private(f"weasyprint.text.ffi.{name}", "`_drift`: where WeasyPrint's PDF puts a line's glyphs", _LINES)
      for name in ("ffi", "pango", "FROM_UNITS")),
    Private("weasyprint.text.line_break.Layout.get_first_line", "the width of a space in a face", _LINES,
            ("self",)),
    Private("weasyprint.text.line_break.line_size", "the width of a space in a face", _LINES, ("line", "style")),
    Private("weasyprint.css.ComputedStyle.copy", "a tightened line's own styles", _LINES, ("self",)),
    Private("weasyprint.css.AnonymousStyle.copy", "a tightened line's own styles", _LINES, ("self",)),
    Private("weasyprint._find_base_url", "`document`: our HTML parsed by libxml2, 13 times faster than tinyhtml5",
            _PARSER, ("html_document", "fallback_base_url")),
    *(Private(f"weasyprint.HTML.{name}", "`document` sets what HTML.__init__ sets after parsing", _PARSER)
      for name in ("base_url", "url_fetcher", "media_type", "wrapper_element", "etree_element")),
    Private("pydyf.zlib", "replaced by `Deflate`: pydyf deflates every stream at level 9 (1.7 s of CPU, not 0.45 s)",
            _DEFLATE),
    Private("pydyf.PDF.objects", "`replace_in_metadata`: the objects of the PDF handed to write_pdf's finisher", _XMP),
    Private("pydyf.Stream.extra", "`replace_in_metadata`: which object is the /Metadata stream", _XMP),
    Private("pydyf.Stream.stream", "`replace_in_metadata`: the XMP's bytes", _XMP),
    Private("weasyprint.matrix.Matrix", "`pdf_point`: anchors in PDF space by WeasyPrint's own arithmetic", _MATRIX,
            ("a", "b", "c", "d", "e", "f", "matrix")),
    Private("weasyprint.matrix.Matrix.transform_point", "`pdf_point`", _MATRIX, ("self", "x", "y")),
    Private("weasyprint.document.Page._page_box", _READ, _BOX_API),
    Private(f"{_BOXES}.PageBox.page_type", "whether the engine left a page blank", _BOX_API),
    Private(f"{_BOXES}.ParentBox.children", _READ, _BOX_API),
    Private(f"{_BOXES}.Box.element", _READ, _BOX_API),
    Private(f"{_BOXES}.Box.element_tag", "tells a pseudo-element's box from its element's", _BOX_API),
    Private(f"{_BOXES}.LineBox", _READ, _BOX_API),
    Private(f"{_BOXES}.TextBox", _READ, _BOX_API),
    Private(f"{_BOXES}.TextBox.text", _READ, _BOX_API),
    Private(f"{_BOXES}.MarginBox", "running heads and folios are left out of the page-list", _BOX_API),
    Private(f"{_BOXES}.FootnoteAreaBox", "left out of the page-list; checked to stay on its page", _BOX_API),
    Private(f"{_BOXES}.Box.position_y", "a footnote area's top", _BOX_API),
    Private(f"{_BOXES}.Box.height", "a page's content height", _BOX_API),
    Private(f"{_BOXES}.Box.margin_height", "a footnote area's height", _BOX_API, ("self",)),
    Private(f"{_BOXES}.Box.content_box_y", "a page's content top", _BOX_API, ("self",)),
    Private(f"{_BOXES}.TableBox", "`tables`: a table's width, checked against the text block", _BOX_API),
    Private(f"{_BOXES}.Box.border_width", "a table's width", _BOX_API, ("self",)),
    *_KEPT_PRIVATE,
    *_PAINT_PRIVATE,
)


class Deflate:
    """zlib as pydyf sees it: compressobj at LEVEL, whatever level is asked;
    while `deflating` is in force, a stream deflated by the last write under
    the same name is taken as it was deflated then."""

    def __getattr__(self, name):
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level=zlib.Z_DEFAULT_COMPRESSION, *args, **kwargs):
        real = zlib.compressobj(LEVEL, *args, **kwargs)
        return real if _DEFLATING[0] is None else _Remembered(real, *_DEFLATING[0])


# The live preview's process writes an edited unit's PDF whole again: its pages the edit left alone
# give the same content streams, and their deflating is a third of the writing (0.3 s of CPU for a
# 45-page unit). Name -> {SHA-256 of a stream: its deflated bytes}, the streams of the last write under
# that name (`deflating`); zlib gives the same bytes for the same bytes and level.
_DEFLATED: dict = {}
_DEFLATING: list = [None]   # (the memo read, the entries this write deflated) while `deflating`


def deflating(name):
    """PDFs written meanwhile deflate only the streams the last write under
    `name` did not (the same bytes as deflating them all)."""
    return _last_write(_DEFLATED, _DEFLATING, name)


@contextlib.contextmanager
def _last_write(memos: dict, state: list, name):
    """While in force, `state[0]` holds (what the last write under `name`
    left in `memos`, what this write leaves there in its place)."""
    used: dict = {}
    before, state[0] = state[0], (memos.pop(name, {}), used)
    try:
        yield
    finally:
        state[0] = before
        memos[name] = used
        while len(memos) > KEPT_MOST:
            del memos[next(iter(memos))]


class _Remembered:
    """A zlib compressor that deflates its whole input at `flush`, or takes
    it from `known`: pydyf calls compress once, then flush, and uses the
    bytes of both together."""

    def __init__(self, real, known: dict, used: dict):
        self.real, self.known, self.used, self.parts = real, known, used, []

    def compress(self, data) -> bytes:
        self.parts.append(bytes(data))
        return b""

    def flush(self, mode=zlib.Z_FINISH) -> bytes:
        data, self.parts = b"".join(self.parts), []
        if mode != zlib.Z_FINISH:   # not pydyf's way: deflated as zlib would, not remembered
            return self.real.compress(data) + self.real.flush(mode)
        key = hashlib.sha256(data).digest()
        out = self.known.get(key)
        if out is None:
            out = self.real.compress(data) + self.real.flush()
        self.used[key] = out
        return out


def install() -> None:
    """Wrap the engine's page maker and page styles once (idempotent)."""
    if _ffi.harfbuzz_subset is None:
        raise RuntimeError("libharfbuzz-subset is missing (Debian: libharfbuzz-subset0; `make setup` installs "
                           "it): without it WeasyPrint subsets fonts with fontTools, which stamps them with "
                           "the time of the build")
    if (getattr(_page.make_page, "_mended", False) and getattr(_page.set_page_type_computed_styles, "_shared", False)
            and getattr(_inline.get_next_linebox, "_held", False)):
        return
    if (weasyprint.__version__, pydyf.__version__) != (WRITTEN_FOR, PYDYF):
        raise RuntimeError(f"pipeline/engines/weasyprint.py mends WeasyPrint {WRITTEN_FOR} with pydyf {PYDYF}, "
                           f"not {weasyprint.__version__} with {pydyf.__version__}: check whether the bug "
                           "is still there and how pydyf compresses")
    if not getattr(_page.make_page, "_mended", False):
        _page.make_page = _mended(_page.make_page)
    if not getattr(_page.set_page_type_computed_styles, "_shared", False):
        _page.set_page_type_computed_styles = _shared_page_styles(_page.set_page_type_computed_styles)
    if not getattr(_inline.get_next_linebox, "_held", False):
        _inline.get_next_linebox = _held_lines(_inline.get_next_linebox)
        _page.remake_page = _turned_pages(_page.remake_page)
    pydyf.zlib = Deflate()


def _mended(make_page):
    @functools.wraps(make_page)  # keeps the engine's own as __wrapped__ (tests use it)
    def wrapper(context, *args, **kwargs):
        page, resume_at, next_page = make_page(context, *args, **kwargs)
        lost = stranded_footnotes(context, page)
        context.reported_footnotes.extend(lost)
        if len(context.reported_footnotes) > 1:
            context.reported_footnotes[:] = in_call_order(page, context.reported_footnotes)
        return page, resume_at, next_page

    wrapper._mended = True
    return wrapper


def _shared_page_styles(set_styles):
    @functools.wraps(set_styles)  # the engine's own stays as __wrapped__ (tests use it)
    def wrapper(page_type, html, style_for):
        shared = _shared_styles(style_for)
        if shared is None:
            return set_styles(page_type, html, style_for)
        # The page size enters viewport units (vw...) and is known only once
        # the first page is made: styles computed before are not shared after.
        key = (page_type.side, page_type.blank, page_type.name, page_type.index == 0,
               *style_for.initial_page_sizes.values())
        computed = style_for.get_computed_styles()
        if key not in shared:
            set_styles(page_type, html, style_for)
            shared[key] = {pseudo: computed[page_type, pseudo] for pseudo in _pseudos(style_for, page_type)}
        for pseudo, style in shared[key].items():
            computed[page_type, pseudo] = style

    wrapper._shared = True
    return wrapper


def _shared_styles(style_for) -> dict | None:
    """The document's page styles by kind of page; None where a sheet
    selects pages by number (`:nth()`): then every page is its own kind."""
    if not hasattr(style_for, "_pipeline_pages"):
        by_number = any(selector[2].index is not None for sheet, _, _ in style_for._sheets
                        for _, selectors, _ in sheet.page_rules for selector in selectors)
        style_for._pipeline_pages = None if by_number else {}
    return style_for._pipeline_pages


def _pseudos(style_for, page_type) -> list:
    """The page itself and the margin boxes (and footnote area) some rule gave a style."""
    return [None] + [pseudo for element, pseudo in style_for.get_cascaded_styles()
                     if pseudo and element == page_type]


# -- the hold in the line loop (see the module's docstring) ---------------------------

HYPHENS = ("-", "\u2010")   # what a hyphenated line ends with: the hyphenate character, or a word's own hyphen


@dataclass(frozen=True)
class Hold:
    """What each line is held to while `holding` it: at most `limit`
    hyphenated lines in a row; with `turns`, no hyphen on the last line that
    fits on a recto (odd page); no hyphen on the lines of `forbid`, (page,
    line text) pairs a first layout ended a recto with; a justified line
    whose spaces stretch more than `loose` spaces is set again tighter
    (`_set_again`; None: never)."""

    limit: int = 2
    turns: bool = True
    forbid: frozenset = frozenset()
    loose: float | None = 0.9


_HOLD: list[Hold | None] = [None]


@contextlib.contextmanager
def holding(hold: Hold | None):
    """Lay out under `hold` (None: the engine's own line breaking)."""
    install()
    before, _HOLD[0] = _HOLD[0], hold
    try:
        yield
    finally:
        _HOLD[0] = before


def _held_lines(get_next_linebox):
    @functools.wraps(get_next_linebox)  # the engine's own stays as __wrapped__
    def wrapper(context, linebox, position_y, bottom_space, skip_stack, containing_block, *args):
        def make():
            return get_next_linebox(context, linebox, position_y, bottom_space, skip_stack, containing_block, *args)

        hold = _HOLD[0]
        line, resume_at = make()
        if hold is None or line is None:
            return line, resume_at
        runs = linebox.__dict__.setdefault("_pipeline_runs", {})
        before = runs.get(repr(skip_stack), 0)
        held = _must_not_hyphenate(hold, context, line, before, bottom_space)
        texts = _text_boxes(line)   # walked once: every line of a held layout comes through here
        hyphenated = _ends_hyphenated(texts)
        if held and hyphenated or hold.loose and _loose(context, texts, resume_at, hold):
            edge = containing_block.content_box_x() + containing_block.width
            line, resume_at = _set_again(context, linebox, make, (line, resume_at), held, hold, edge)
            hyphenated = _ends_hyphenated(_text_boxes(line))
        runs[repr(resume_at)] = before + 1 if hyphenated else 0
        return line, resume_at

    wrapper._held = True
    return wrapper


TURN_TRIES = 3   # makings of one page at most, while it still has a fault


def _turned_pages(remake_page):
    """A page with a fault the line loop could not see coming is made again
    at once with the line to blame named in the context's forbid set: a
    recto whose last line ends hyphenated (widows, orphans or a footnote
    moved the page's end), a ladder whose third line broke at a word's own
    hyphen (hyphenation off cannot move it: its first line is named). This
    is the engine's own way of making a page again (it re-makes pages whose
    counters changed), from the state the page started with."""
    @functools.wraps(remake_page)  # the engine's own stays as __wrapped__
    def wrapper(index, context, root_box, html):
        hold = _HOLD[0]
        if hold is None:
            return remake_page(index, context, root_box, html)
        forbid = context.__dict__.setdefault("_pipeline_forbid", set())
        state = (list(context.reported_footnotes), list(context.footnotes), dict(context.broken_out_of_flow))
        for _ in range(TURN_TRIES):
            page, resume_at = remake_page(index, context, root_box, html)
            new = [fault for fault in _page_faults(page, index + 1, resume_at is not None, hold) if fault not in forbid]
            if not new:
                break
            forbid.update(new)
            context.reported_footnotes[:], context.footnotes[:] = state[0], state[1]
            context.broken_out_of_flow = dict(state[2])
        return page, resume_at

    wrapper._turned = True
    return wrapper


def _page_faults(page, number: int, turns: bool, hold: Hold):
    """(page, line text) of the lines to set without their hyphen: a recto's
    last line (`turns`: the text goes on overleaf), the first line of a
    ladder longer than the hold's limit within one paragraph."""
    if turns and hold.turns and number % 2:
        line = _last_line(page)
        if line is not None and line_text(line).endswith(HYPHENS):
            yield number, line_text(line)
    run, paragraph, texts = 0, None, []
    for parent, line in _flow(page):
        text = line_text(line)
        run = (run if parent is paragraph else 0) + 1 if text.endswith(HYPHENS) else 0
        paragraph = parent
        texts.append(text)
        if run == hold.limit + 1:
            yield number, texts[-1 - hold.limit]


def _last_line(page):
    """The page's last line: its footnotes' last, if it has footnotes, else its flow's (None: no line)."""
    notes = [area for area in page.children if isinstance(area, _boxes.FootnoteAreaBox) and area.children]
    found = None
    for _, found in (_flow_lines_of(notes[-1]) if notes else _flow(page)):
        pass
    return found


def _flow_lines_of(box):
    for child in getattr(box, "children", ()):
        if isinstance(child, _boxes.LineBox):
            yield box, child
        else:
            yield from _flow_lines_of(child)


def _must_not_hyphenate(hold: Hold, context, line, before: int, bottom_space) -> bool:
    if before >= hold.limit or _named(hold, context, line):
        return True
    # the last line that fits: one more of the same height would overflow
    page = context.current_page
    return hold.turns and page % 2 == 1 and context.overflows_page(bottom_space, line.position_y + 2 * line.height)


def _named(hold: Hold, context, line) -> bool:
    """Whether `line`, as it is set, is one an earlier making named: (page,
    its text) in the hold's forbid or the context's. Asked of every try too:
    a line the engine set loose and without a hyphen is named by the text it
    ended with once set again, hyphenated by a looser hyphenation."""
    forbid = getattr(context, "_pipeline_forbid", ())
    if not (hold.forbid or forbid):
        return False
    key = (context.current_page, line_text(line))
    return key in hold.forbid or key in forbid


def _loose(context, texts: list, resume_at, hold: Hold) -> bool:
    """A justified line (not a paragraph's last), its text boxes `texts`, stretched over `hold.loose` spaces."""
    return resume_at is not None and _stretched(context, texts) > hold.loose


def _text_boxes(line) -> list:
    """The line's text boxes, in reading order."""
    return [box for box in line.descendants() if isinstance(box, _boxes.TextBox)]


def _ends_hyphenated(texts: list) -> bool:
    """Whether the line of these text boxes ends with a hyphen (`line_text(line).endswith(HYPHENS)`)."""
    last = next((box.text for box in reversed(texts) if box.text), "")
    return last.endswith(HYPHENS)


# A line held from its hyphen, or loose, is set again in these ways, in
# this order, until one is neither hyphenated where held nor loose (else
# the best is kept, by the same order of faults): hyphenation off where
# held, else shorter fragments allowed at a hyphen; then spaces a third of
# a space tighter (one more syllable fits, and justification gives back
# what it can; a word's own hyphen, which hyphenation off cannot move, goes
# inside the line); then letters tracked two, then four hundredths of an em
# wider (the words fill some of what the spaces would); on a held line, last,
# its spaces squeezed harder, so that the word the hyphen was held from
# fits whole. Each try is a line laid out again, on the lines that need
# them. Spacing is changed by
# adding to what each box's style has (small capitals keep their own
# tracking). Two ways a try drew past the measure though laid out within
# it (0.3 mm on the real book: KDP's inside margin failed), so neither is
# tried: letters tighter than the face's (WeasyPrint writes each glyph's
# offset truncated to a thousandth of an em, `int(kerning)` in
# draw/text.py, and over a line of tightened letters the truncations add
# up to the glyphs drifting right), and exactly half a space taken off
# each space, as the squeeze was (WeasyPrint doubles the spacing of a space
# at a box's edge, after a name or a note call, for Pango to halve; a space
# taken to nothing that way is drawn half a space wider than measured).
# Each try is also measured as it will be drawn (`_refused`), and one that
# ends further right than the engine's own line is refused.
_LOOSER_HYPHENS = {"hyphenate_limit_chars": (5, 2, 2)}
_TIGHTER = (0.35,)   # of the natural space, taken off every space of the line
_TRACKED = (0.02, 0.04)   # em, added between letters, in turn: the words take up some of what the spaces would
_SQUEEZED = (0.45, 0.6, 0.75)   # of a space off each space, in turn (never half: see above)


def _set_again(context, linebox, make, made, held: bool, hold: Hold, edge: float):
    """The best of the tries (see above) for the line `made`: a try that
    ends hyphenated where `held`, or as a line an earlier making named
    (`_named`), is at fault; a try that ends past `edge`, the right of the
    line's containing block (with WeasyPrint's own tolerance), and further
    than the engine's own line is refused."""
    limit = hold.loose

    def faults(line, resume_at):
        texts = _text_boxes(line)
        stretch = _stretched(context, texts) if resume_at is not None else 0.0
        hyphenated = _ends_hyphenated(texts) and (held or _named(hold, context, line))
        return hyphenated, limit is not None and stretch > limit, stretch

    best, worst = made, faults(*made)
    space, size = _space(context, linebox.style), linebox.style["font_size"]
    hyphens = {"hyphens": "none"} if held else _LOOSER_HYPHENS
    tries = ([(hyphens, {})] + [(hyphens, {"word_spacing": -cut * space}) for cut in _TIGHTER]
             + [(hyphens, {"letter_spacing": track * size}) for track in _TRACKED]
             + ([(hyphens, {"word_spacing": -cut * space}) for cut in _SQUEEZED] if held else []))
    styles = _styles(linebox)   # the same for every try: a try's boxes are copies, the linebox's stay
    for changes, added in tries:
        with _styled(linebox, changes, added, styles) as pin:
            line, resume_at = make()
            pin(line)
        if _refused(context, line, made[0], edge, drawn=bool(added)):
            continue
        now = faults(line, resume_at)
        if now < worst:
            best, worst = (line, resume_at), now
        if not (worst[0] or worst[1]):
            break
    return best


_ROUNDING = 1 + 1e-9   # WeasyPrint's own slack on a line's right end (layout/inline.py split_inline_box)
# and ours on text as drawn, which Pango and WeasyPrint round apart from the layout by a tenth of a px or
# two on a line with several boxes: 0.04 mm, under the 0.05 mm a printer's measure of the margins allows
# (preflight/margins.py)
_DRAWN = 0.04 * 96 / 25.4   # px


def _refused(context, line, made, edge: float, drawn: bool) -> bool:
    """Whether a try ends past the measure, and further than the engine's
    own line `made`: its boxes as laid out, and with `drawn` (its spacing
    was changed) its text as it will be drawn, which Pango may draw wider
    than the engine measured it (see `_set_again`)."""
    if _laid_right(line) > max(edge * _ROUNDING, _laid_right(made)):
        return True
    return drawn and (right := _drawn_right(context, line)) > edge + _DRAWN and right > _drawn_right(context, made)


def _laid_right(line) -> float:
    return max((child.position_x + child.margin_width() for child in line.children), default=line.position_x)


def _drawn_right(context, line) -> float:
    right = line.position_x
    for box in line.descendants():
        if isinstance(box, _boxes.TextBox) and box.text.strip():
            layout = _line_break.create_layout(box.text, box.style, context, None,
                                               getattr(box, "justification_spacing", 0))
            layout.set_text(box.text, justify=True)   # as drawing sets it
            first, _ = layout.get_first_line()
            right = max(right, box.position_x + _line_break.line_size(first, box.style)[0] + _drift(first))
    return right


def _drift(first) -> float:
    """How much further right than Pango placed it WeasyPrint's PDF ends a
    line, in px: it writes each glyph's offset from the face's advance in
    thousandths of an em, truncated (draw/text.py, `int(kerning)`). Spaces
    set narrower than the face's each lose a fraction to the right; wider
    ones to the left (a justified line ends a little short)."""
    drift, logical = 0.0, _ffi.ffi.new("PangoRectangle *")
    run = first.runs[0]
    while run != _ffi.ffi.NULL:
        item, run = run.data, run.next
        font = item.item.analysis.font
        size = _fonts.get_pango_font_key(font)[2]
        for glyph in item.glyphs.glyphs[0:item.glyphs.num_glyphs]:
            if glyph.glyph == _ffi.pango.PANGO_GLYPH_EMPTY or glyph.glyph & _ffi.pango.PANGO_GLYPH_UNKNOWN_FLAG:
                continue
            _ffi.pango.pango_font_get_glyph_extents(font, glyph.glyph, _ffi.ffi.NULL, logical)
            width = round(logical.width * 1000 * _ffi.FROM_UNITS / size)
            kerning = width + glyph.geometry.x_offset / size - glyph.geometry.width * 1000 * _ffi.FROM_UNITS / size
            drift += (kerning - int(kerning)) * size / 1000
    return drift


def _stretched(context, texts: list) -> float:
    """How much wider than the face's own the spaces of the line whose text
    boxes are `texts` are set, in spaces (0: as the face has them; 1: twice
    as wide): what justification adds, with the style's own word spacing
    (negative on a tightened line)."""
    return max(((box.justification_spacing + box.style["word_spacing"]) / _space(context, box.style)
                for box in texts if getattr(box, "justification_spacing", 0)), default=0)


_SPACES: dict[tuple, float] = {}


def _space(context, style) -> float:
    """The width of a space in `style`'s face and size, as the face has it."""
    key = (tuple(style["font_family"]), style["font_size"], style["font_style"], style["font_weight"],
           style["font_stretch"], style["font_variant_caps"])
    if key not in _SPACES:
        plain = style.copy()
        plain.update(word_spacing=0, letter_spacing="normal")
        layout = _line_break.create_layout(" ", plain, context, None, 0)   # kept alive: its line points into it
        first, _ = layout.get_first_line()
        _SPACES[key] = _line_break.line_size(first, plain)[0] or 1.0
    return _SPACES[key]


@contextlib.contextmanager
def _styled(linebox, changes: dict, added: dict, styles: list | None = None):
    """`changes` made to every style the line's boxes use (`styles`, if
    given: `_styles(linebox)`), and `added` added to each one's own spacing
    ("normal" letter spacing counts as 0), for one line; yields `pin(line)`,
    which gives the boxes of a line made meanwhile styles of their own that
    keep the changes (the text is drawn from them)."""
    styles = _styles(linebox) if styles is None else styles
    keys = [*changes, *added]
    saved = [{key: style[key] for key in keys} for style in styles]   # all read before any is changed:
    for style, own in zip(styles, saved):                              # an anonymous style inherits lazily
        style.update(changes)
        style.update({key: (0 if own[key] == "normal" else own[key]) + value for key, value in added.items()})

    def pin(line):
        for box in line.descendants():
            if isinstance(box, _boxes.TextBox):
                box.style = box.style.copy()

    try:
        yield pin
    finally:
        for style, values in zip(styles, saved):
            style.update(values)


def _styles(linebox) -> list:
    """Each style the linebox's boxes use, once."""
    return list({id(box.style): box.style for box in linebox.descendants()}.values())


def line_text(line) -> str:
    """The text of a laid-out line box, its boxes' texts run together."""
    return "".join(box.text for box in line.descendants() if isinstance(box, _boxes.TextBox))


def flow_lines(page) -> list[tuple[int, str]]:
    """(paragraph, text) of each line of the page's flow (not its margin
    boxes nor its footnotes), in order; `paragraph` tells apart the blocks
    the lines belong to."""
    return [(id(parent), line_text(line)) for parent, line in _flow(page._page_box)]


def _flow(box):
    for child in getattr(box, "children", ()):
        if isinstance(child, (_boxes.MarginBox, _boxes.FootnoteAreaBox)):
            continue
        if isinstance(child, _boxes.LineBox):
            yield box, child
        else:
            yield from _flow(child)


def calls(page) -> list:
    """The footnotes called on `page`, in the order of their calls."""
    found = []
    for box in page.children[0].descendants():  # the root box; the footnote area holds no calls
        note = getattr(box, "footnote", None)
        if note is not None and note not in found:
            found.append(note)
    return found


def in_call_order(page, waiting: list) -> list:
    """`waiting` with the footnotes called on `page` in call order; those
    carried from earlier pages stay first, as they were."""
    order = {id(note): i for i, note in enumerate(calls(page))}
    return sorted(waiting, key=lambda note: order.get(id(note), -1))


def stranded_footnotes(context, page) -> list:
    """Footnotes whose call is on `page` but that were never laid out, in call order."""
    waiting = context.footnotes
    if not waiting:
        return []
    found = [note for note in calls(page) if note in waiting]
    for note in found:
        waiting.remove(note)  # reported footnotes are taken out of the waiting list, as report_footnote does
    return found


def document(html: str, base_url: str, url_fetcher) -> weasyprint.HTML:
    """`weasyprint.HTML(string=html, ...)`, parsed by libxml2: what
    HTML.__init__ (70.0) does after tinyhtml5, on an xml.etree tree with
    the HTML elements unnamespaced, as tinyhtml5 makes them. Comments are
    dropped (tinyhtml5 keeps them; our HTML has none: raw HTML is refused)."""
    tree = lxml.html.document_fromstring(html)
    root = ET.fromstring(lxml.etree.tostring(tree, encoding="unicode", method="xml"))
    doc = weasyprint.HTML.__new__(weasyprint.HTML)
    doc.base_url = weasyprint._find_base_url(root, base_url)
    doc.url_fetcher = url_fetcher
    doc.media_type = "print"
    doc.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
    doc.etree_element = doc.wrapper_element.etree_element
    return doc


# -- reading a laid-out page (the box tree: see PRIVATE) ---------------------------

def page_box(page):
    """The root of a laid-out page's boxes (Page._page_box)."""
    return page._page_box


def is_blank(page) -> bool:
    """Whether the engine made this page blank (a page break to a recto, say)."""
    return page._page_box.page_type.blank


def children(box):
    return getattr(box, "children", ())


def element(box):
    """The element a box was made for (a pseudo-element's box: its element's), or None."""
    return getattr(box, "element", None)


def is_pseudo(box) -> bool:
    """A box of a pseudo-element (::marker, ::footnote-call...)."""
    return "::" in (getattr(box, "element_tag", "") or "")


def is_line(box) -> bool:
    return isinstance(box, _boxes.LineBox)


def text(box) -> str | None:
    """The text of a text box; None for any other box."""
    return box.text if isinstance(box, _boxes.TextBox) else None


def is_margin_or_footnotes(box) -> bool:
    """A margin box (running head, folio) or the footnote area: not the page's flow."""
    return isinstance(box, (_boxes.MarginBox, _boxes.FootnoteAreaBox))


def tables(page) -> list[tuple[object, float, float]]:
    """(element, width, room) of each table on the page outside its footnote
    area, in order: its border box's width and the page's content width, in
    CSS px. A table wider than the room runs into the margin: the engine
    lays a table out at least as wide as its widest unbreakable words."""
    room = page._page_box.width
    found: list = []

    def walk(box):
        for child in getattr(box, "children", ()):
            if isinstance(child, (_boxes.MarginBox, _boxes.FootnoteAreaBox)):
                continue
            if isinstance(child, _boxes.TableBox):
                found.append((child.element, child.border_width(), room))
            else:
                walk(child)

    walk(page._page_box)
    return found


def note_tables(page, prefix: str = "note-") -> list[tuple[str, float, float]]:
    """(id, width, room) of each table on the page inside an element whose
    id starts with `prefix` (a note: in the footnote area, or an endnote in
    the flow), `id` the nearest such; widths as `tables` gives them."""
    room = page._page_box.width
    found: list = []

    def walk(box, owner):
        for child in getattr(box, "children", ()):
            if isinstance(child, _boxes.MarginBox):
                continue
            ident = child.element.get("id") if getattr(child, "element", None) is not None else None
            inner = ident if ident and ident.startswith(prefix) and child.element_tag == child.element.tag else owner
            if isinstance(child, _boxes.TableBox) and inner:
                found.append((inner, child.border_width(), room))
            else:
                walk(child, inner)

    walk(page._page_box, None)
    return found


def content_extent(page) -> tuple[float, float]:
    """(top, bottom) of the page's content area, in CSS px."""
    box = page._page_box
    return box.content_box_y(), box.content_box_y() + box.height


def footnote_extents(page) -> list[tuple[float, float]]:
    """(top, bottom) of each footnote area of the page that holds notes."""
    return [(area.position_y, area.position_y + area.margin_height()) for area in page._page_box.children
            if isinstance(area, _boxes.FootnoteAreaBox) and area.children]


# -- writing the PDF -------------------------------------------------------------------

def pdf_point(height: float, scale: float, x: float, y: float) -> tuple[float, float]:
    """A point of a page `height` px high in PDF user space, y flipped: WeasyPrint's own
    page matrix and arithmetic, the same floats to the last bit."""
    return _Matrix(a=scale, d=-scale, f=height * scale).transform_point(x, y)


def replace_in_metadata(pdf, pattern, replacement: bytes) -> None:
    """`pattern.sub(replacement, ...)` over the XMP metadata stream of a pydyf.PDF
    (what write_pdf's finisher is handed)."""
    for obj in pdf.objects:
        if getattr(obj, "extra", {}).get("Type") == "/Metadata":
            obj.stream = [pattern.sub(replacement, part) for part in obj.stream]


# -- laying a unit out again from the page an edit falls on (issue 23) -------------------
#
# The live preview lays the same unit out again after every save, most often
# with one paragraph changed. WeasyPrint keeps, for every page, the state the
# next page starts from (`context.page_maker`: where the text resumes, the
# next page's break and side, the page counters) and makes a page again from
# it (`remake_page`, its own way of making again pages whose counters
# changed). While `keeping(key)` is in force, a layout keeps its pages and
# those states under `key`; the next layout under the same key, of HTML
# that differs only inside one element, takes the earlier pages as they
# were up to the page before the first that holds that element (going back
# to a page that begins at a block or after a line without a hyphen, so that
# the hold's count of hyphenated lines in a row starts as it would), makes
# pages from there, and once a page begins after the
# element in the state the earlier layout had there, takes the earlier
# pages from there on. The same document under a hold naming other lines
# (the next pass of a unit held: issue 20) is made again from the first
# page a named line differs on, past the last. The footnotes waiting as each
# page starts are kept by their numbers in the document, and a resumed
# layout starts, and stops, with the same ones waiting. What follows the
# page making (bookmarks, named strings, margin boxes) runs over all pages
# as it always does. Anything this cannot follow gives the whole layout
# again: running elements, target counters, another pass of the engine's
# own (counters of pages), floats or absolutes broken across pages, other
# sheets or a hold changed otherwise, a document changed in more than one
# place, another count of footnotes. The result is the layout a cold build
# makes, page for page (tests/render/test_incremental.py).

_KEEP: list = [None]        # the key layouts are kept under, while `keeping`
_KEPT: dict = {}            # key -> Kept, the last layout under that key
KEPT_MOST = 6               # units kept at once (a preview's most recently edited)


@dataclass
class Kept:
    tree: object            # the HTML's element tree the pages were laid out from
    pages: list             # (page box, its children as made, its root's children as made)
    starts: list            # per page: whether nothing (footnote, broken float) carries into it
    pending: list           # per page: the footnotes waiting as it starts (their numbers in the document's order)
    maker: list             # context.page_maker, the state each page starts from
    elements: list          # per page: the sorted preorder numbers of the elements it holds boxes of
    sizes: dict             # style_for.initial_page_sizes, set by the first page
    fonts: object           # the font configuration the pages' boxes use (same sheets, same fonts)
    hold: object            # the hold in force (a Hold, or None)
    notes: int = 0          # footnotes of the document
    made: int = 0           # pages made by the last layout (the rest taken from the one before)
    first_made: int = 0     # the first of them (0-based)
    invalid: bool = False   # the engine made its pages in more than one pass: nothing to start from


class _Redo(Exception):
    """The kept layout cannot be followed here: lay the document out whole."""


@contextlib.contextmanager
def keeping(key):
    """Layouts made meanwhile keep their pages under `key` (None: nothing kept),
    and start from those kept under it where they can."""
    before, _KEEP[0] = _KEEP[0], key
    try:
        yield
    finally:
        _KEEP[0] = before


def forget(key) -> None:
    """Drop the layout kept under `key` (a unit's passes done: its memory freed)."""
    _KEPT.pop(key, None)


def kept(key) -> Kept | None:
    """The layout kept under `key` (tests and the benchmark read `made`)."""
    return _KEPT.get(key)


def made_pages(key, document) -> range | None:
    """The pages (0-based) of `document` its layout made, when it took the
    others from the layout kept before under `key`; None if it made them all
    (or `document` is not the one kept)."""
    record = _KEPT.get(key)
    if (record is None or record.made >= len(record.pages) or len(record.pages) > len(document.pages)
            or any(record.pages[i][0] is not document.pages[i]._page_box for i in range(len(record.pages)))):
        return None
    return range(record.first_made, record.first_made + record.made)


def render(doc: weasyprint.HTML, **options):
    """`doc.render(**options)`, starting from a layout kept under the key in force."""
    _install_kept()
    try:
        return doc.render(**options)
    except _Redo:
        _KEPT.pop(_KEEP[0], None)
        return doc.render(**options)


def _install_kept() -> None:
    if not getattr(_document.layout_document, "_kept", False):
        _document.layout_document = _kept_layout(_document.layout_document)


def _kept_layout(layout_document):
    @functools.wraps(layout_document)
    def wrapper(html, root_box, context, *args):
        key = _KEEP[0]
        if key is None:
            return layout_document(html, root_box, context, *args)
        old = _KEPT.pop(key, None)
        plan = _plan(old, html, root_box, context) if old is not None else None
        record = Kept(html.etree_element, [], [], [], [], [], {}, context.font_config, _HOLD[0])
        notes = list(context.footnotes)   # the document's footnotes, gathered as its boxes were built
        record.notes = len(notes)
        pages_of = _resumed(plan, record, notes) if plan else _recorded(record, notes)
        before, _layout.make_all_pages = _layout.make_all_pages, pages_of
        try:
            pages = list(layout_document(html, root_box, context, *args))
        finally:
            _layout.make_all_pages = before
        if _keepable(context, record):
            record.maker = [_state(item) for item in context.page_maker]
            record.sizes = dict(context.style_for.initial_page_sizes)
            record.elements = _elements_by_page(html.etree_element, record)
            _KEPT[key] = record
            while len(_KEPT) > KEPT_MOST:
                del _KEPT[next(iter(_KEPT))]
        return pages

    wrapper._kept = True
    return wrapper


def _keepable(context, record: Kept) -> bool:
    return (record.pages and not record.invalid and not context.reported_footnotes
            and not any(context.running_elements.values())
            and not context.target_collector.counter_lookup_items)


def _clean(context) -> bool:
    """Nothing carried from one page into the next but where the text
    resumes and the footnotes still waiting for their call (`_pending`)."""
    return not (context.reported_footnotes or context.broken_out_of_flow)


def _pending(context, numbers: dict) -> tuple:
    """The footnotes waiting as a page starts, by their numbers in the
    document's order: the same in two layouts of documents alike."""
    return tuple(numbers[id(note)] for note in context.footnotes)


def _state(item):
    """A page_maker item (initialize_page_maker, remake_page), copied, with
    the counter of pages as the engine's first pass has it."""
    resume_at, next_page, right_page, page_state, _ = item
    state = copy.deepcopy(page_state)
    state[1]["pages"] = [0]
    fresh = {"content_changed": False, "pages_wanted": False, "anchors": [], "content_lookups": []}
    return copy.deepcopy(resume_at), dict(next_page), right_page, state, fresh


def _same_state(a, b) -> bool:
    """Whether two page_maker items start a page alike (the counter of pages
    apart, as `_state` sets it): compared as they are, with no copy made."""
    return _comparable(a) == _comparable(b)


def _comparable(item):
    resume_at, next_page, right_page, (quotes, counters, *rest), _ = item
    return resume_at, next_page, right_page, (quotes, {**counters, "pages": [0]}, *rest)


def _recorded(record: Kept, notes: list):
    """The engine's own page making, its pages and the state before each kept."""
    numbers = {id(note): n for n, note in enumerate(notes)}

    def pages_of(context, root_box, html, pages):
        record.invalid = record.invalid or bool(pages)   # the engine's second pass
        starts, pending, made = [_clean(context)], [_pending(context, numbers)], []
        for page in _page.make_all_pages(context, root_box, html, pages):
            made.append((page, tuple(page.children), list(page.children[0].children)))
            starts.append(_clean(context))
            pending.append(_pending(context, numbers))
            yield page
        record.pages[:], record.starts[:], record.pending[:], record.made = made, starts, pending, len(made)
    return pages_of


@dataclass
class _Plan:
    old: Kept
    restart: int            # the first page made again
    last: int               # the last earlier page that holds the changed element
    number: int             # preorder number of the changed element (the same in both trees)
    shift: int              # elements added (removed: negative) inside the changed element
    after: int              # preorder number of the first element after the changed one (in the earlier tree)


def _plan(old: Kept, html, root_box, context) -> _Plan | None:
    """Where to start making pages again, or None (the whole layout): the
    page before the first that holds the changed element, or the first page
    a line was named on (or no longer is) in the hold's forbid set (a unit
    laid out again under a hold that names the lines its last layout found
    at fault: the pages before are those it made)."""
    named = _named_pages(old.hold, _HOLD[0])
    if old.fonts is not context.font_config or named is None or len(context.footnotes) != old.notes:
        return None
    changed = _changed(old.tree, html.etree_element)
    if changed is None:
        if named and _same_tree(old.tree, html.etree_element):   # the same document under a new forbid set
            size = sum(1 for _ in old.tree.iter())
            return _restart(old, root_box, min(named) - 1, max(named) - 1, size, 0, size)
        return None
    number, size_old, size_new = changed
    pages = [i for i, numbers in enumerate(old.elements)
             if bisect.bisect_left(numbers, number + size_old) > bisect.bisect_left(numbers, number)]
    if not pages or pages[-1] == len(old.pages) - 1 and pages[0] <= 1 and not named:
        return None
    first, last = max(pages[0] - 1, 0), pages[-1]
    if named:
        first, last = min(first, min(named) - 1), max(last, max(named) - 1)
    return _restart(old, root_box, first, last, number, size_new - size_old, number + size_old)


def _restart(old: Kept, root_box, first: int, last: int, number: int, shift: int, after: int) -> _Plan:
    """The plan from page `first` (0-based), or the nearest page before it a
    layout can start from."""
    restart = min(max(first, 0), len(old.pages) - 1)
    while restart and not (old.starts[restart] and _fresh(root_box, old, restart)):
        restart -= 1
    return _Plan(old, restart, last, number, shift, after)


def _named_pages(old, new) -> set[int] | None:
    """The pages (1-based) of the lines one hold names and the other not;
    None if the holds differ otherwise (or one is None and the other not)."""
    if old is None or new is None:
        return set() if old is new else None
    if replace(old, forbid=frozenset()) != replace(new, forbid=frozenset()):
        return None
    return {page for page, _ in old.forbid ^ new.forbid}


def _same_tree(a, b) -> bool:
    """Whether two element trees are alike, element for element."""
    x, y = list(a.iter()), list(b.iter())
    return len(x) == len(y) and all(_signature(e) == _signature(f) for e, f in zip(x, y))


def _changed(old, new):
    """(preorder number, size in elements before, after) of the one element
    whose subtree holds every difference between the trees; None if they
    are the same, or differ at the root."""
    a, b = list(old.iter()), list(new.iter())
    same = [_signature(x) == _signature(y) for x, y in zip(a, b)]
    first = next((i for i, s in enumerate(same) if not s), None if len(a) == len(b) else min(len(a), len(b)))
    if first is None or first >= min(len(a), len(b)):   # the same, or a difference only its parent shows
        return None
    tail = 0
    while tail < min(len(a), len(b)) - first and _signature(a[-1 - tail]) == _signature(b[-1 - tail]):
        tail += 1
    parents_a, parents_b = _parents(old), _parents(new)
    top = _common(parents_a, a[first], a[max(len(a) - tail - 1, first)])
    number = a.index(top)
    if number == 0 or _common(parents_b, b[first], b[max(len(b) - tail - 1, first)]) is not b[number]:
        return None
    return number, sum(1 for _ in top.iter()), sum(1 for _ in b[number].iter())


def _signature(element):
    """What an element is, without its children's content: its tag,
    attributes, text, and the text after each child."""
    return element.tag, sorted(element.attrib.items()), element.text, [c.tail for c in element], len(element)


def _parents(tree) -> dict:
    return {id(child): parent for parent in tree.iter() for child in parent}


def _common(parents: dict, x, y):
    """The nearest element holding both `x` and `y`."""
    above = []
    while x is not None:
        above.append(x)
        x = parents.get(id(x))
    held = {id(e) for e in above}
    while id(y) not in held:
        y = parents[id(y)]
    return y


def _fresh(root_box, old: Kept, index: int) -> bool:
    """Whether page `index` can be made again from where it begins alone:
    at a block, or inside a plain paragraph after a line that ends without
    a hyphen (the hold counts a paragraph's hyphenated lines in a row, and
    a paragraph begun on the page before starts its count afresh here)."""
    box, stack = root_box, old.maker[index][0]
    while stack is not None:
        if len(stack) != 1 or type(box) is not _boxes.BlockBox:
            return False
        (at, stack), = stack.items()
        if at >= len(box.children):
            return False
        box = box.children[at]
        if isinstance(box, _boxes.LineBox):
            lines = [line for _, line in _flow(old.pages[index - 1][0])]
            return bool(lines) and not line_text(lines[-1]).endswith(HYPHENS)
    return isinstance(box, _boxes.BlockLevelBox)


def _resumed(plan: _Plan, record: Kept, notes: list):
    """make_all_pages from the plan's page; the earlier layout's pages before
    it and, once a page begins where it began then, after it. The footnotes
    waiting are those that waited then (the same numbers: the documents have
    as many)."""
    old, start = plan.old, plan.restart
    numbers = {id(note): n for n, note in enumerate(notes)}

    def pages_of(context, root_box, html, pages):
        if pages or not _same_state(context.page_maker[0], old.maker[0]):
            raise _Redo
        moved = _moved_elements(plan, html.etree_element)
        context.page_maker = [_state(item) for item in old.maker[:start + 1]]
        context.rendered_notes = []
        context.footnotes[:] = [notes[n] for n in old.pending[start]]
        record.starts.append(_clean(context))
        record.pending.append(old.pending[0])
        record.first_made = start
        for i in range(start):
            yield _taken(old, i, record, html, context, moved)
        i = start
        while True:
            context.page_maker[i] = _state(context.page_maker[i])
            page, resume_at = _page.remake_page(i, context, root_box, html)
            record.pages.append((page, tuple(page.children), list(page.children[0].children)))
            record.starts.append(_clean(context))
            record.pending.append(_pending(context, numbers))
            record.made += 1
            yield page
            i += 1
            if resume_at is None and not context.reported_footnotes:
                context.page_maker = context.page_maker[:i + 1]
                return
            if (plan.last < i < len(old.pages) and old.starts[i] and _clean(context)
                    and record.pending[-1] == old.pending[i] and _same_state(context.page_maker[i], old.maker[i])):
                break
        context.page_maker[i:] = [_state(item) for item in old.maker[i:]]
        context.footnotes[:] = [notes[n] for n in old.pending[-1]]
        for j in range(i, len(old.pages)):
            yield _taken(old, j, record, html, context, moved)
    return pages_of


def _moved_elements(plan: _Plan, tree) -> dict:
    """id(element of the earlier tree) -> the same element of `tree`, for
    every element outside the changed one (those after it stand `shift` further)."""
    before, after = list(plan.old.tree.iter()), list(tree.iter())
    moved = {}
    for n, element in enumerate(before):
        if n < plan.number:
            moved[id(element)] = after[n]
        elif n >= plan.after:
            moved[id(element)] = after[n + plan.shift]
    return moved


def _taken(old: Kept, i: int, record: Kept, html, context, moved: dict):
    """Page `i` of the earlier layout, as its making left it (what follows
    the making adds margin boxes again), its boxes pointing at the same
    elements of this document's tree, its page styles computed as the
    engine computes them for each page it makes."""
    page, children, root_children = old.pages[i]
    page.children = list(children)
    children[0].children = list(root_children)
    for box in page.descendants():
        element = getattr(box, "element", None)
        if element is not None:
            if id(element) not in moved:   # a box of the changed element on a page taken: cannot be
                raise _Redo
            box.element = moved[id(element)]
    _page.set_page_type_computed_styles(page.page_type, html, context.style_for)
    if i == 0:   # as the engine's first page sets them, after its styles
        context.style_for.initial_page_sizes.update(old.sizes)
    record.pages.append(old.pages[i])
    record.starts.append(old.starts[i + 1])
    record.pending.append(old.pending[i + 1])
    return page


def _elements_by_page(tree, record: Kept) -> list:
    """Per page, the sorted preorder numbers of the elements its boxes were made for."""
    numbers = {id(e): i for i, e in enumerate(tree.iter())}
    return [sorted({numbers[id(box.element)] for box in page.descendants()
                    if getattr(box, "element", None) is not None and id(box.element) in numbers})
            for page, _, _ in record.pages]


# -- painting again only the pages a layout made (issue 23) --------------------------------
#
# A unit laid out from its kept layout (`keeping`) is written whole again, and painting its pages
# is nine tenths of the writing (18 ms a page of text). A page the layout took from the kept one is
# the same page box, with the same boxes in it, as the last write painted: what painting it gives
# is what it gave then. While `painting(name)` is in force, each page painted is recorded: what
# it appended to its stream, the fonts it added in their order, and for each glyph it looked up in a
# font's maps (`to_unicode`, `widths`) the value it set, or that it found one set by a page before.
# The next write under the same name replays the record of a page it holds again instead of
# painting it: the fonts are added in the same order, a glyph's value is set where the maps lack it
# (as painting would, with the value painting would set), its alpha states (named by their value)
# set again. A page is painted for real when it looked up a glyph found then that is missing now
# (an earlier page no longer sets it), and never recorded when painting it did more than draw
# text, shapes and alpha (groups, images, patterns, other graphic states: resources of the whole
# document, named by count). The PDF is the one a write that paints
# every page makes (tests/render/test_incremental.py).

_PAINTED: dict = {}        # name -> {id(page box): _Painting}, the pages of the last write under it
_PAINTING: list = [None]   # (the records read, the records of this write) while `painting`
_LOOKING: list = [None]    # the record of the page being painted, while its glyph look-ups are logged
_FOUND = object()          # a glyph a page found set in a font's map (by a page before it)


@dataclass
class _Painting:
    box: object             # the page box (held, so that its id stays its own)
    children: tuple         # its children and its root box's, as painted: a page made again differs
    ops: list               # what painting appended to the page's stream
    fonts: list             # the pango fonts it added, in order, each once
    glyphs: list            # (font's place in `fonts`, map, glyph, value set or _FOUND), first look-up of each
    alphas: list = None     # the arguments of each set_alpha (its state named by its value: `a1`, `A0.5`)
    faulty: bool = False    # painting did what a record cannot replay


def painting(name):
    """Pages written meanwhile that the last write under `name` painted,
    the same page boxes again, are not painted again: their painting is
    replayed (the same bytes as painting them)."""
    _install_painting()
    return _last_write(_PAINTED, _PAINTING, name)


def _install_painting() -> None:
    if not getattr(_document.Page.paint, "_replayed", False):
        _document.Page.paint = _replayed(_document.Page.paint)


def _replayed(paint):
    @functools.wraps(paint)
    def wrapper(page, stream, scale=1):
        state = _PAINTING[0]
        if state is None or stream._tags is not None:   # tagged PDF: marked content counts across pages
            return paint(page, stream, scale)
        known, made = state
        box = page._page_box
        children = (scale, *box.children, *box.children[0].children)
        record = known.get(id(box))
        if record is None or record.box is not box or record.children != children or not _replay(record, stream):
            record = _record(paint, page, stream, scale, children)
        if not record.faulty:
            made[id(box)] = record
    wrapper._replayed = True
    return wrapper


def _record(paint, page, stream, scale: float, children: tuple) -> _Painting:
    """Paint `page`, logging what a replay needs."""
    record = _Painting(page._page_box, children, [], [], [])
    start, seen = len(stream.stream), {}

    def add_font(pango_font):
        font, size = type(stream).add_font(stream, pango_font)
        if font not in record.fonts_made:
            record.fonts_made.append(font)
            record.fonts.append(pango_font)
            for field in ("to_unicode", "widths"):
                if type(getattr(font, field)) is not _Looked:
                    setattr(font, field, _Looked(getattr(font, field)))
        return font, size

    def refused(method):
        def call(*args, **kwargs):
            record.faulty = True
            return method(*args, **kwargs)
        return call

    def set_alpha(*args, **kwargs):
        record.alphas.append((args, kwargs))
        return type(stream).set_alpha(stream, *args, **kwargs)

    record.fonts_made, record.seen, record.alphas = [], seen, []
    stream.add_font, stream.set_alpha = add_font, set_alpha
    for name in _SHARED_RESOURCES:
        setattr(stream, name, refused(getattr(stream, name)))
    _LOOKING[0] = record
    try:
        paint(page, stream, scale)
    finally:
        _LOOKING[0] = None
        for name in ("add_font", "set_alpha", *_SHARED_RESOURCES):
            delattr(stream, name)
    record.ops = stream.stream[start:]
    record.faulty = record.faulty or any(value is None for *_, value in record.glyphs)   # missed, never set
    del record.fonts_made, record.seen
    return record


class _Looked(dict):
    """A font's glyph map whose look-ups the page being painted logs
    (draw_first_line: `if glyph not in font.to_unicode`, `in font.widths`,
    then sets the glyph's value when missing)."""

    def __contains__(self, glyph) -> bool:
        found = dict.__contains__(self, glyph)
        record = _LOOKING[0]
        if record is not None and (id(self), glyph) not in record.seen:
            owner = next((i for i, f in enumerate(record.fonts_made)
                          if f.to_unicode is self or f.widths is self), None)
            if owner is None:   # a map of a font the page did not add: not one draw_first_line reads
                record.faulty = True
            else:
                record.seen[id(self), glyph] = len(record.glyphs)
                record.glyphs.append([owner, "widths" if record.fonts_made[owner].widths is self else "to_unicode",
                                      glyph, _FOUND if found else None])
        return found

    def __setitem__(self, glyph, value) -> None:
        record = _LOOKING[0]
        if record is not None:
            at = record.seen.get((id(self), glyph))
            if at is None or record.glyphs[at][3] is not None:   # set without a miss first: .notdef's path
                record.faulty = True
            else:
                record.glyphs[at][3] = value
        dict.__setitem__(self, glyph, value)


def _replay(record: _Painting, stream) -> bool:
    """`record`'s painting appended to `stream`, its fonts and glyphs set
    where painting would set them; False (nothing done) if a glyph the page
    found set then is missing now."""
    fonts = [stream._fonts.get(_fonts.get_pango_font_key(f)[0]) for f in record.fonts]
    for owner, field, glyph, value in record.glyphs:
        if value is _FOUND and (fonts[owner] is None or not dict.__contains__(getattr(fonts[owner], field), glyph)):
            return False
    fonts = [stream.add_font(f)[0] for f in record.fonts]
    for owner, field, glyph, value in record.glyphs:
        found = getattr(fonts[owner], field)
        if not dict.__contains__(found, glyph):
            dict.__setitem__(found, glyph, value)
    scratch = stream.clone()   # sets the alpha states painting would add, in order; its own ops unused
    for args, kwargs in record.alphas:
        scratch.set_alpha(*args, **kwargs)
    stream.stream.extend(record.ops)
    return True
