"""A preview session: build, show, watch, build again.

Before: a `rebuild` callable (the command line hands it the build, which
this tool does not import: it stands beside the pipeline, like the diff)
and the folders to watch.
After: a page on the loopback address that always shows the last good
build, the pages the last save changed marked and highlighted, and the
diagnostics of a build that failed above them until a build succeeds.
"""

from __future__ import annotations

import gc
import queue
import shutil
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from pipeline import freshness, snapshot
from pipeline.preview import generation as generation_
from pipeline.preview.changes import changed_words, compare
from pipeline.preview.generation import Generation
from pipeline.preview.server import Hub, Pictures

DPI = 80    # page pictures: a 13 x 20 cm page is 410 x 630 pixels


@dataclass
class Outcome:
    """What one build gave the preview."""
    outputs: dict[str, Path] = field(default_factory=dict)
    keys: tuple[str, ...] | None = None   # page keys when the book was laid out; None for a no-op build
    diagnostics: list[str] = field(default_factory=list)   # `path:line: CODE message`, as printed
    failed: bool = False
    # what the build left to do once its outputs are shown (the snapshot, the freshness record)
    finish: Callable[[], None] | None = None


class Session:
    def __init__(self, rebuild: Callable[[Callable], Outcome], folder: Path, texts_cache: Path, dpi: int = DPI):
        self.rebuild, self.folder, self.texts_cache, self.dpi = rebuild, folder, texts_cache, dpi
        self.hub, self.pictures = Hub(), Pictures(dpi)
        self.current: Generation | None = None
        self.previous: Generation | None = None   # still served while a browser catches up
        self.changes: list = []
        self.images: dict[tuple[int, int], bytes] = {}
        self.words: dict[int, str] = {}   # changed page -> its first added words, marked in the EPUB's text
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.building, self.closed = False, False
        self.early: tuple[int, bytes] | None = None   # (page, picture): the changed page, before the build ends
        self._drawing: threading.Thread | None = None   # the changed page drawn while the build goes on
        self.timing: dict[str, float] = {}
        self._lock = threading.Lock()
        shutil.rmtree(folder, ignore_errors=True)   # the links of an earlier session

    def generations(self) -> tuple[Generation | None, Generation | None]:
        with self._lock:
            return self.current, self.previous

    def highlighted(self, number: int, page: int) -> bytes | None:
        with self._lock:
            return self.images.get((number, page))

    def update(self) -> None:
        """Build once and show the result: the new pages, or the errors over the old ones."""
        self.building = True
        self.timing = {}
        self.publish()
        start = self._start = time.perf_counter()
        outcome = self._build()
        self._drawn()
        self.early = None
        self.timing = {"build": time.perf_counter() - start, **self.timing}
        if outcome.failed:
            self.errors = outcome.diagnostics
            if self.current is None:
                self._last_good()
        else:
            self.errors, self.warnings = [], outcome.diagnostics
            if outcome.keys is not None or self.current is None:   # a no-op build changed no page
                start = time.perf_counter()
                self._advance(outcome)
                self.timing["compare"] = time.perf_counter() - start
        self.building = False
        self.publish()
        self._finish(outcome)

    def _finish(self, outcome: Outcome) -> None:
        """The build's own last steps, once its pages are shown: the page
        waits for none of them, the next build (this thread's next turn)
        for all of them."""
        if outcome.finish is None:
            _collected()
            return
        start = time.perf_counter()
        try:
            outcome.finish()
        except Exception as exc:   # the freshness record unwritten: the next build is not a no-op, no more
            print(f"preview: the build's record failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        _collected()
        self.timing["after"] = time.perf_counter() - start
        self.publish()

    def _build(self) -> Outcome:
        try:
            return self.rebuild(self._early)
        except Exception as exc:   # a bug in a stage: said on the page, and the session goes on
            return Outcome(diagnostics=[f"preview: the build failed: {type(exc).__name__}: {exc}"], failed=True)

    def _last_good(self) -> None:
        """The first build failed: the pages of the build before it, if its
        outputs are still in the output folder as it recorded them."""
        outputs = freshness.last_outputs(self.folder.parent)
        if "pdf" in outputs:
            current = generation_.make(1, outputs, None, self.folder, self.texts_cache)
            with self._lock:
                self.current = current

    def _early(self, pdf: bytes, first: int, count: int) -> None:
        """A unit laid out anew, expected from physical page `first`: its first
        page whose words differ from the page on screen there is drawn and
        shown at once, before the build merges, writes the EPUB and ends.
        The drawing is of the unit's page alone (no running head or folio:
        those are laid over at the merge); the build's own follows."""
        current = self.current
        if current is None or self.closed:
            return
        self._drawn()   # one drawing at a time: pdfium is not thread-safe
        # in a thread: the page's text is read and its picture drawn (pdftoppm) on the other core while
        # the build writes the unit and merges the book, which use neither pdfium nor the picture
        self._drawing = threading.Thread(target=self._show_early_or_say, args=(current, pdf, first),
                                         name="preview-early", daemon=True)
        self._drawing.start()

    def _drawn(self) -> None:
        """Wait for the changed page's drawing, if one is under way."""
        if self._drawing is not None:
            self._drawing.join()
            self._drawing = None

    def _show_early_or_say(self, current: Generation, pdf: bytes, first: int) -> None:
        try:
            self._show_early(current, pdf, first)
        except Exception as exc:   # pdfium, pdftoppm: the build goes on, and shows the page when it ends
            print(f"preview: the changed page could not be shown early: {type(exc).__name__}: {exc}",
                  file=sys.stderr)

    def _show_early(self, current: Generation, pdf: bytes, first: int) -> None:
        path = self.folder / "early.pdf"
        self.folder.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pdf)
        texts = snapshot.page_texts(path, jobs=1)
        page = next((i for i, text in enumerate(texts)
                     if not _same_words(text, current.texts[first - 1 + i] if first - 1 + i < len(current.texts)
                                        else "")), None)
        if page is None:
            return
        self.early = (first + page, self.pictures.draw(path, page + 1))
        self.timing["early"] = time.perf_counter() - self._start
        self.publish()

    def early_picture(self, page: int) -> bytes | None:
        early = self.early
        return early[1] if early and early[0] == page else None

    def _advance(self, outcome: Outcome) -> None:
        number = self.current.number + 1 if self.current else 1
        new = generation_.make(number, outcome.outputs, outcome.keys, self.folder, self.texts_cache)
        changes = compare(self.current, new, self.dpi) if self.current else []
        images = {(number, c.new): c.image_new for c in changes if c.image_new is not None}
        words = {c.new: changed_words(self.current, new, c) for c in changes if c.new and c.kind != "moved"}
        with self._lock:
            gone, self.previous, self.current = self.previous, self.current, new
            self.changes, self.images, self.words = changes, images, words
        if gone is not None:
            generation_.forget(gone)

    def publish(self) -> None:
        self.hub.publish(self.state())

    def state(self) -> dict:
        current = self.current
        return {
            "generation": current.number if current else 0,
            "building": self.building,
            "errors": self.errors,
            "warnings": self.warnings,
            "timing": {k: round(v, 3) for k, v in self.timing.items()},
            "size": list(current.size) if current else None,
            "pages": [[p.key, p.part, p.anchor] for p in current.pages] if current else [],
            "changed": [_change(c, current.number, self.words.get(c.new, "")) for c in self.changes if c.new]
            if current else [],
            "early": {"page": self.early[0], "image": f"/early/{self.early[0]}.png"} if self.early else None,
        }


def _collected() -> None:
    """The garbage of the last build collected, and what stays (the laid-out
    book, the kept layouts) frozen: the next build's collections scan only
    what it makes. Left to the collector, a rebuild pays one or two full
    collections of this process's millions of objects (0.3 to 0.7 s of CPU
    in a 3.5 s rebuild); here the one full collection falls after the pages
    are shown."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _same_words(unit_page: str, shown: str) -> bool:
    """A unit's page (no running head, no folio) reads as the page on
    screen, whose first or last line may be its head or folio."""
    new = [line.strip() for line in unit_page.split("\n") if line.strip()]
    old = [line.strip() for line in shown.split("\n") if line.strip()]
    return new in (old, old[1:], old[:-1], old[1:-1])


def _change(change, number: int, words: str = "") -> dict:
    image = f"/changed/{number}/{change.new}.png" if change.image_new is not None else None
    return {"page": change.new, "old": change.old, "kind": change.kind, "image": image, "words": words}


class Watcher:
    """Saves under `paths` (the output folder `ignore`d, should it sit inside
    them), collected by a thread of its own from the moment it is made: a
    save during a build is not lost, it makes the next build."""

    def __init__(self, paths: Iterable[Path], ignore: Path):
        self._batches: queue.Queue = queue.Queue()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(list(paths), ignore.resolve()),
                                        name="preview-watch", daemon=True)
        self._thread.start()

    def _run(self, paths: list[Path], skip: Path) -> None:
        from watchfiles import DefaultFilter, watch

        class Filter(DefaultFilter):
            def __call__(self, change, path: str) -> bool:
                here = Path(path).resolve()
                return (super().__call__(change, path) and not here.is_relative_to(skip)
                        and not any(part.startswith(".") for part in here.parts))   # the build reads no hidden file

        for batch in watch(*paths, watch_filter=Filter(), stop_event=self._stop, step=30, raise_interrupt=False):
            self._batches.put(batch)

    def next(self, timeout: float) -> list[str] | None:
        """The names of the files saved since the last call, once there are
        any; None after `timeout` seconds without."""
        try:
            batch = set(self._batches.get(timeout=timeout))
        except queue.Empty:
            return None
        while not self._batches.empty():
            batch |= self._batches.get()
        paths = {Path(p) for _, p in batch}
        kept = {p for p in paths if p.exists()} or paths   # an editor's temporary file, renamed away: not named
        return sorted(p.name for p in kept)

    def close(self) -> None:
        self._stop.set()


def follow(session: Session, watcher: Watcher, stop: threading.Event | None = None) -> None:
    """Build again after every save, until interrupted or `stop` is set."""
    while not (stop and stop.is_set()):
        names = watcher.next(timeout=0.5)
        if names:
            print(f"preview: {', '.join(names)} changed, building", file=sys.stderr, flush=True)
            session.update()
            report(session)


def report(session: Session) -> None:
    """One line per build on the terminal, the diagnostics before it."""
    for line in session.errors or session.warnings:
        print(line, file=sys.stderr)
    if session.errors:
        print("preview: the build failed; the page keeps the last good build", file=sys.stderr, flush=True)
        return
    marked = [c for c in session.changes if c.kind != "moved" and c.new]
    print(f"preview: build {session.current.number} in {session.timing['build']:.1f} s, "
          f"{len(marked)} page(s) changed", file=sys.stderr, flush=True)
