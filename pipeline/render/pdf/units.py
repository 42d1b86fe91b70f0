"""Lay out the book's units, each alone, in parallel processes, cached.

Before: the frozen Book, the styles, and for the units that print page
numbers (contents, index, a note's several calls) the pages known so far.
After: one `UnitLayout` per unit: its PDF with the anchors and bookmarks
merge.py needs, its page count, the pages the engine left blank, where
each page begins (for the EPUB page-list), and the files it read.

A unit is laid out in a worker process forked from the build, handed the
`Setting` (the Book among it) by its pool's initializer; only the result
crosses back, pickled. The result is cached
under the output's .cache, keyed by everything its layout depends on: the
unit's HTML, the styles folder (sheets and fonts), book.yaml's page rules,
the print mode and the code of this package. The same key always gives the
same bytes, so a cached unit is the unit a cold build would lay out.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import re
from dataclasses import dataclass, replace
from pathlib import Path

from lxml import html as lxml_html

from pipeline import printers
from pipeline.engines import weasyprint as engine
from pipeline.render.pdf import cmyk, ink, layout, merge
from pipeline.render.pdf import notes as notes_
from pipeline.render.pdf.fetcher import ConfinedFetcher, RefusedURL
from pipeline.render.pdf.html import FRONT, build_unit, measure_html, needs_pages
from pipeline.pool import process_pool, worker_state
from pipeline.render.pdf.pagemap import PageStart, page_starts
from pipeline.model import Book

CODE = Path(__file__).resolve().parent
ADAPTER = Path(engine.__file__).resolve()   # its mends lay pages out too
TURN_PASSES = 3  # layouts of a unit while a line to set without its hyphen is found after the fact
MM_PER_PX = 25.4 / 96   # CSS px
TABLE_WRAP = re.compile(r'<div class="(table-wrap[^"]*)"')
MAX_PASSES = 3  # footnote mode: layouts after the first, waiting for '(cont.)' and held notes to settle


_KEEPING = [None]   # the process that keeps its units' layouts (keep_layouts), not its forked workers
_EARLY: list = [None]   # (process, hook) while Layouts lays units out here (Layouts.early)


def keep_layouts() -> None:
    """Keep, in this process, the last layouts of the units it lays out, so
    that the next layout of an edited unit starts from the page the edit
    falls on (the live preview: one unit edited is laid out here, not in a
    worker). The outputs are those of a cold build."""
    _KEEPING[0] = os.getpid()


class LayoutFailed(RuntimeError):
    """A unit's layout cannot be trusted. `unit`: the document id laid out
    (None: the book as a whole); `source`: "path:line" when one note is at
    fault. The build turns both into the diagnostic's file and line."""

    def __init__(self, message: str, source: str | None = None):
        super().__init__(message)
        self.source, self.unit = source, None


class PaginationMoved(LayoutFailed):
    """The layouts did not settle: page references would be wrong."""


class FootnoteLost(LayoutFailed):
    """A footnote stands too far from its call, or runs off its page."""


class TableTooWide(LayoutFailed):
    """A table runs into the margin, even set smaller."""


@dataclass(frozen=True)
class UnitLayout:
    name: str
    laid: merge.LaidUnit
    count: int
    pages: dict[str, int]            # id -> 1-based page within the unit
    blanks: tuple[int, ...]          # 1-based pages of the unit the engine left blank
    starts: tuple[PageStart, ...]    # where pages begin, pages within the unit
    resources: tuple[str, ...]       # files read (fonts, images)
    needs_pages: bool                # prints page numbers of the book (set by Layouts, from its HTML)
    page_size: tuple[float, float]   # points


@dataclass(frozen=True)
class Setting:
    """What every unit of one build is laid out with."""
    book: Book
    styles: Path
    print_ready: bool

    @functools.cached_property
    def version(self) -> str:
        """code_version, hashed once (before the workers fork: they are handed it)."""
        return code_version(self)


class Layouts:
    """Lays units out, `jobs` at a time, through the cache in `cache_dir`."""

    def __init__(self, setting: Setting, jobs: int | None = None, cache_dir: Path | None = None):
        self.setting = setting
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.cache = Path(cache_dir) / "layout" if cache_dir else None
        self.version = setting.version
        self.pool = None
        self.fresh: set[str] = set()   # units laid out, not taken from the cache
        # early(name, PDF of some of its pages, the first's 0-based number, page counts by unit): told,
        # before a unit laid out in this process is written whole, of the pages its kept layout made anew
        self.early = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.pool is not None:
            self.pool.shutdown()

    def run(self, wanted: dict[str, dict[str, int] | None]) -> dict[str, UnitLayout]:
        """Unit name -> pages it is built with -> its layout."""
        return self.both(wanted, [])[0]

    def pages(self, documents: list[tuple[str, str]]) -> list[bytes]:
        """PDFs of small documents that are not units (HTML, extra CSS): the
        blank page, the furniture; cached and spread over the workers too."""
        return self.both({}, documents)[1]

    def both(self, wanted: dict[str, dict[str, int] | None],
             documents: list[tuple[str, str]]) -> tuple[dict[str, UnitLayout], list[bytes]]:
        """`run` and `pages` at once, longest unit first, so that small
        documents fill the workers a long unit leaves free."""
        keys = {name: self._key(name, pages) for name, pages in wanted.items()}
        done = {name: hit for name in wanted if (hit := self._cached(keys[name][0])) is not None}
        todo = sorted((n for n in wanted if n not in done), key=lambda n: -len(keys[n][1]))
        doc_keys = [self._digest("pages", html + "\0" + extra) for html, extra in documents]
        found = [self._cached(k) for k in doc_keys]
        missing = [i for i, hit in enumerate(found) if hit is None]
        jobs = [(lay_out_unit, (n, wanted[n])) for n in todo] + [(write_pages, documents[i]) for i in missing]
        if self.early is not None and todo:
            counts = {n: d.count for n, d in done.items()}
            _EARLY[0] = (os.getpid(), lambda name, pdf, first, count: self.early(name, pdf, first,
                                                                                 {**counts, name: count}))
        try:
            results = self._map(jobs)
        finally:
            _EARLY[0] = None
        self.fresh.update(todo)
        for name, result in zip(todo, results):
            # from the HTML built here for the key: the worker need not build it once more to tell
            done[name] = replace(result, needs_pages=needs_pages(keys[name][1]))
            self._store(keys[name][0], done[name])
        for i, data in zip(missing, results[len(todo):]):
            self._store(doc_keys[i], data)
            found[i] = data
        return done, found

    def _map(self, jobs: list[tuple]) -> list:
        """(work, args) -> work(*args) for each job, in the workers when there are several."""
        if self.jobs == 1 or len(jobs) <= 1:
            return [work(self.setting, *args) for work, args in jobs]
        if self.pool is None:
            self.pool = process_pool(self.jobs, self.setting)   # each worker is handed the setting
        return list(self.pool.map(_task, jobs))

    def _key(self, name: str, pages) -> tuple[str, str]:
        html = build_unit(self.setting.book, name, pages)
        return self._digest(name, html), html

    def _digest(self, name: str, html: str) -> str:
        return hashlib.sha256(f"{self.version}\0{name}\0".encode() + html.encode()).hexdigest()

    def _cached(self, key: str):
        path = self.cache / f"{key}.pickle" if self.cache else None
        if path is None or not path.is_file():
            return None
        try:
            return pickle.loads(path.read_bytes())
        except Exception:  # a truncated or foreign file is a miss, never an error
            return None

    def _store(self, key: str, result) -> None:
        if self.cache is None:
            return
        self.cache.mkdir(parents=True, exist_ok=True)
        tmp = self.cache / f"{key}.tmp{os.getpid()}"
        tmp.write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, self.cache / f"{key}.pickle")


def code_version(setting: Setting) -> str:
    """What a layout depends on besides its HTML: this package's code, the
    styles folder (sheets, fonts, profiles), book.yaml's page rules, the
    print and notes modes and the engine's version."""
    digest = hashlib.sha256(engine.VERSION.encode())
    digest.update(ADAPTER.read_bytes())
    cfg = setting.book.config
    digest.update(layout.page_css(cfg, setting.print_ready).encode())
    digest.update(f"{setting.print_ready}\0{cfg.notes.print}\0{cfg.print.model_dump_json()}".encode())
    for folder, pattern in ((CODE, "*.py"), (setting.styles, "**/*")):
        for path in sorted(p for p in folder.glob(pattern) if p.is_file()):
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _task(job):
    work, args = job
    return work(worker_state(), *args)


# -- in the worker ----------------------------------------------------------------

def lay_out_unit(setting: Setting, name: str, pages: dict[str, int] | None) -> UnitLayout:
    """Lay one unit out (footnote mode: measure, cut, settle) and write its PDF;
    a failure carries the unit's name back (its message names the file).
    In a process that keeps layouts (`keep_layouts`), from the unit's last
    layout in it where the edit allows (engine.keeping)."""
    keep = _KEEPING[0] == os.getpid()
    # elsewhere kept for the unit's own passes only: a layout again under a hold naming more lines
    # (_lay_out_held) starts from the first page those lines fall on
    key = (name, setting.version) if keep else ("passes", name, os.getpid())
    try:
        with engine.keeping(key):
            return _lay_out_unit(setting, name, pages)
    except (LayoutFailed, RefusedURL) as exc:
        exc.unit = name
        raise
    finally:
        if not keep:
            engine.forget(key)


def _lay_out_unit(setting: Setting, name: str, pages: dict[str, int] | None) -> UnitLayout:
    book = setting.book
    fetcher = ConfinedFetcher(book.root, setting.styles)   # one for the unit: it lists the files read

    forbid = [frozenset()]   # the lines named so far, carried from each layout of the unit to the next

    def lay_out(html, draft=False):
        document, forbid[0] = _lay_out_held(setting, html, fetcher, forbid[0], 1 if draft else TURN_PASSES)
        return document

    doc_ids = unit_documents(book, name)
    lines = None
    if book.config.notes.print == "footnotes" and any(book.document(d).notes for d in doc_ids):
        lines = notes_.note_lines(_lay_out_held(setting, measure_html(book, set(doc_ids)), fetcher)[0])
    document, own = _settle(book, name, pages, lines, lay_out)
    wide = _wide_tables(book, document, doc_ids)
    smaller = frozenset(i for i, *_ in wide if not _set_smaller(book, doc_ids, i))
    if smaller:   # set smaller, as the sheets set a table of many columns, and laid out again
        document, own = _settle(book, name, pages, lines, lambda html, **kw: lay_out(_smaller(html, smaller), **kw))
        wide = _wide_tables(book, document, doc_ids)
    _check_tables(book, doc_ids, wide)
    _check_note_tables(book, document)
    if book.config.notes.print == "endnotes" and any(book.document(d).role == "notes" for d in doc_ids):
        own = {**own, **notes_.note_pages(document)}
    _tell_early(setting, name, document)
    # in a process that keeps layouts (the preview), the pages an edit left alone are neither painted
    # nor their streams deflated again
    with _written_again((name, setting.version)):
        pdf = _write(setting, document)
    return _result(name, book, document, own, pdf, fetcher)


@contextlib.contextmanager
def _written_again(key):
    """What a write in a process that keeps layouts takes from the unit's last write."""
    if _KEEPING[0] != os.getpid():
        yield
        return
    with engine.deflating(key), engine.painting(key):
        yield


def _tell_early(setting: Setting, name: str, document) -> None:
    """The pages a kept layout made anew, written alone and handed to the
    hook in force (Layouts.early), before the unit is written whole: the
    preview shows the changed page without waiting for the others' drawing."""
    hook = _EARLY[0]
    if hook is None or hook[0] != os.getpid():
        return
    made = engine.made_pages((name, setting.version), document)
    if made is not None:
        hook[1](name, _write(setting, document.copy(document.pages[made.start:made.stop])), made.start,
                len(document.pages))


def write_pages(setting: Setting, html: str, extra_css: str = "") -> bytes:
    """A small document with the book's sheets (and `extra_css`) -> PDF bytes."""
    fetcher = ConfinedFetcher(setting.book.root, setting.styles)
    return _write(setting, _lay_out(setting, html, fetcher, extra_css))


def _lay_out(setting: Setting, html: str, fetcher: ConfinedFetcher, extra_css: str = "", hold=None):
    return layout.lay_out(html, setting.book.root, setting.styles, setting.book.config, fetcher,
                          setting.print_ready, multiple=1, extra_css=extra_css, styles_key=setting.version,
                          hold=hold)


def _lay_out_held(setting: Setting, html: str, fetcher: ConfinedFetcher, forbid: frozenset = frozenset(),
                  passes: int = TURN_PASSES):
    """(a unit laid out with its lines held, the lines named): engine.Hold,
    no hyphen ladder, no hyphen on the line that fills a recto. The engine
    guesses a recto's last line as it sets it; where the guess missed
    (widows, orphans, a footnote taking the room), or a ladder's third line
    broke at a word's own hyphen, the unit is laid out again with that line
    (the ladder's first) named: only units with such a fault pay a second
    layout. `forbid`, the lines an earlier layout of the same unit named
    (footnote mode lays a unit out until its notes settle), is named from
    the start: each of those layouts pays again only for a fault of its own.
    `passes` 1: a draft, its faults named but left for the next layout."""
    for _ in range(passes):
        hold = engine.Hold(forbid=forbid)
        document = _lay_out(setting, html, fetcher, hold=hold)
        found = frozenset(hyphen_faults(document, hold.limit))
        if not found - forbid:
            return document, forbid
        forbid |= found
    return document, forbid


def hyphen_faults(document, limit: int):
    """(page, line text) of each line to set without its hyphen: the last
    line of a recto (odd page: units open on rectos) ending hyphenated, the
    first of more than `limit` hyphenated lines in a row of one paragraph."""
    for number, page in enumerate(document.pages, 1):
        lines = engine.flow_lines(page)
        if number % 2 and lines and lines[-1][1].endswith(engine.HYPHENS):
            yield number, lines[-1][1]
        run, paragraph = 0, None
        for i, (block, text) in enumerate(lines):
            run = (run if block == paragraph else 0) + 1 if text.endswith(engine.HYPHENS) else 0
            paragraph = block
            if run == limit + 1:
                yield number, lines[i - limit][1]


def _write(setting: Setting, document) -> bytes:
    config = setting.book.config
    data = layout.write(document, None, config, layout.pdf_variant(config, setting.print_ready))
    if not setting.print_ready:
        return data
    printer = printers.printer(config.print.printer)
    x1a = printer.pdf_variant == printers.X1A   # no alpha in X-1a
    # here, in the worker and cached, not over the merged book
    if config.print.interior == "bw":
        return ink.gray_pdf(data, flatten=x1a)
    return cmyk.cmyk_pdf(data, cmyk.separator(setting.styles, printer.condition), flatten=x1a)


def unit_documents(book: Book, name: str) -> list[str]:
    return [] if name == FRONT else [name]


def _settle(book: Book, name: str, pages, lines, lay_out):
    """(document, id -> page within the unit). Without footnotes one layout;
    with them, again with the pages of the layout before until nothing moves:
    a '(cont.)' on a chunk that opens a page, a note held with its call line
    (notes.strays; the held set only grows, so this converges)."""
    hold: frozenset[str] = frozenset()
    # with footnotes the first layout is a draft: the next, made anyway, sets its faults right (_lay_out_held)
    document = lay_out(build_unit(book, name, pages, lines), draft=lines is not None)
    own = layout.anchors(document)
    if lines is None:
        return document, own
    # The unit's own pages counted as the book counts them, once its first
    # page is known: what a note's calls or a page reference print.
    offset = (pages or {}).get(name, 1) - 1
    for _ in range(MAX_PASSES):
        here = {ident: page + offset for ident, page in own.items()}
        document = lay_out(build_unit(book, name, {**(pages or {}), **here}, lines, hold))
        final = layout.anchors(document)
        more = notes_.strays(book, lines, final) - hold
        if final == own and not more:
            _check_footnotes(book, document, final, unit_documents(book, name))
            return document, final
        moved = sorted(i for i in own.keys() | final.keys() if own.get(i) != final.get(i))
        own, hold = final, hold | more
    raise PaginationMoved(f"{name}: {len(moved)} ids still changed page after {MAX_PASSES} layouts, first: "
                          + ", ".join(f"{i} ->{final.get(i)}" for i in moved[:5]))


def _check_footnotes(book: Book, document, pages: dict[str, int], doc_ids) -> None:
    """Every note starts on its call's page or the next and ends within its
    section; no footnote area runs off its page."""
    for note in (n for d in doc_ids for n in book.document(d).notes):
        call = pages.get(note.ref_ids[0]) if note.ref_ids else None
        start = pages.get(f"note-{note.key}")
        if call is None or start is None or not 0 <= start - call <= 1:
            raise FootnoteLost(f"note {note.mark}: call on page {call}, note on page {start}", note.source)
    for number, page in enumerate(document.pages, 1):
        top, bottom = engine.content_extent(page)
        for area_top, area_bottom in engine.footnote_extents(page):
            if area_top < top - 0.5 or area_bottom > bottom + 0.5:
                raise FootnoteLost(f"the footnotes of page {number} of {doc_ids[0]} run off the page")


def _wide_tables(book: Book, document, doc_ids) -> list[tuple[int, int, float, float]]:
    """(index, page, width, room) of each table of the text wider than the
    text block by more than a hair (0.5 px), its index its place among the
    text's tables. Tables are told apart by their order of first appearance,
    which is the text's (a table broken over pages comes again)."""
    if not doc_ids or "<table" not in book.document(doc_ids[0]).html:
        return []
    seen: dict = {}
    found = []
    for number, page in enumerate(document.pages, 1):
        for element, width, room in engine.tables(page):
            index = seen.setdefault(id(element), len(seen))
            if width > room + 0.5 and index not in (f[0] for f in found):
                found.append((index, number, width, room))
    return found


def _set_smaller(book: Book, doc_ids, index: int) -> bool:
    """Whether the text's table `index` is set smaller already (resolve's
    rule: six columns or more)."""
    wraps = TABLE_WRAP.findall(book.document(doc_ids[0]).html)
    return index < len(wraps) and "wide" in wraps[index]


def _smaller(html: str, indices: frozenset[int]) -> str:
    """The unit's HTML with the text's tables `indices` set smaller: their
    wrappers (not those of tables in footnotes) take the class "wide"."""
    root = lxml_html.document_fromstring(html)
    wraps = [w for w in root.iter("div") if (w.get("class") or "").startswith("table-wrap")
             and not any("footnote" in (a.get("class") or "") for a in w.iterancestors())]
    for i in indices:
        if i < len(wraps):
            wraps[i].set("class", "table-wrap wide")
    return lxml_html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


def _check_tables(book: Book, doc_ids, wide) -> None:
    """No table wider than the text block (`wide`, from `_wide_tables` of the
    last layout): the sheets set a table of six columns or more smaller, the
    layout sets smaller any other it finds too wide, and one still too wide
    is the author's to split."""
    if wide:
        index, _, width, room = wide[0]
        doc = book.document(doc_ids[0])
        where = doc.tables[index] if index < len(doc.tables) else None
        raise TableTooWide(f"table {index + 1} of {doc.source} is {width * MM_PER_PX:.1f} mm wide, the text "
                           f"block {room * MM_PER_PX:.1f} mm, even set smaller: split it, or cut its columns or "
                           "their longest words", where)


def _check_note_tables(book: Book, document) -> None:
    """No table of a note (a footnote's, or an endnote's in the notes
    section) wider than the text block either: it is not set smaller
    (resolve's six-column rule still applies), so one found too wide is
    the author's to cut, at the note's definition."""
    if not any("<table" in n.html for n in book.notes):
        return
    notes = {f"note-{n.key}": n for n in book.notes}
    for page in document.pages:
        for ident, width, room in engine.note_tables(page):
            note = notes.get(ident) or notes.get(ident.rsplit("-", 1)[0])   # a footnote's later chunk: note-KEY-2
            if note is not None and width > room + 0.5:
                raise TableTooWide(f"a table in note {note.mark} is {width * MM_PER_PX:.1f} mm wide, the text "
                                   f"block {room * MM_PER_PX:.1f} mm: split it, or cut its columns or their "
                                   "longest words", note.source)


def _result(name, book: Book, document, own, pdf: bytes, fetcher) -> UnitLayout:
    generated = {d.id for d in book.documents if d.generated}
    texts = {d.id for d in book.documents}
    first = document.pages[0]
    return UnitLayout(
        name=name, laid=merge.from_document(document, pdf), count=len(document.pages), pages=own,
        blanks=tuple(n for n, p in enumerate(document.pages, 1) if engine.is_blank(p)),
        starts=tuple(page_starts(document, texts, generated)),
        resources=tuple(dict.fromkeys(str(p) for p in fetcher.fetched)),
        needs_pages=False, page_size=(first.width * 0.75, first.height * 0.75))
