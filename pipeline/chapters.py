"""Stages 1-2 for every chapter file of a manuscript: read, then transform.

Before: the manuscript's parts, the matchers built from its registers.
After: part index -> its `Chapter`, in the parts' order, each the very
chapter `transforms.transform(read.read(path))` makes in this process.

A chapter nothing changed in comes from the cache (transforms/cache.py).
The others are read and transformed in forked worker processes, one per
CPU: Pandoc's parse and the Python passes of different files then run at
once (in threads the passes would take turns on one interpreter). A worker
sends its chapter back pickled and keeps those bytes in the cache; a
failure (BuildError) reaches the caller at its file's place in the order,
as a serial loop would raise it.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Callable

from pipeline import read, transforms
from pipeline.gcpause import paused
from pipeline.pool import process_pool, worker_state, workers
from pipeline.read.bibliography import Bibliography
from pipeline.transforms.abbreviations import Matcher
from pipeline.transforms.cache import ChapterCache
from pipeline.transforms.chapter import Chapter
from pipeline.transforms.names import NameMatcher

def load(ms, cache_dir: Path | None, matcher: Matcher, name_matcher: NameMatcher,
         step: Callable = lambda *_: None, jobs: int | None = None,
         meanwhile: Callable[[], object] | None = None, bib: Bibliography | None = None) -> dict[int, Chapter]:
    """The chapters by part index. `meanwhile` is called once the files to
    read are handed out (the workers read them while this process would only
    wait); not at all if every chapter comes from the cache. `bib`: the
    book's bibliography, which the chapters' citations are formatted from."""
    parts = [part for part in ms.parts if part.path is not None]
    cache = ChapterCache(cache_dir, ms.root, bib.digest if bib else "") if cache_dir else None
    found = {part.index: cache.get(part.path) if cache else None for part in parts}
    todo = [part.path for part in parts if found[part.index] is None]
    made = _made(todo, (cache_dir, cache, matcher, name_matcher, bib), jobs or workers(), meanwhile)
    for part in parts:
        step(f"read {part.path.name}")
        if found[part.index] is None:
            found[part.index] = next(made)
    return found


def _made(paths: list[Path], job: tuple, jobs: int, meanwhile: Callable[[], object] | None):
    """The chapters of `paths`, in order: here on one CPU, else in workers
    (one file too, while this process does `meanwhile`: a rebuild after an
    edit reads it as WeasyPrint is imported). One file and nothing to do
    meanwhile (the preview's rebuilds) is read here: forking a worker from
    a process holding a laid-out book, and pickling the chapter across,
    cost more than they save."""
    if not paths or jobs < 2 or (len(paths) == 1 and meanwhile is None):
        (meanwhile or (lambda: None))()
        yield from (_chapter(job, path) for path in paths)
        return
    with process_pool(min(jobs, len(paths)), job) as pool:   # each worker is handed the job
        results = pool.map(_pickled_chapter, paths)   # every task submitted, every worker forked
        (meanwhile or (lambda: None))()
        for data in results:
            with paused():   # a million small objects, no cycles
                yield pickle.loads(data)


def _chapter(job: tuple, path: Path) -> Chapter:
    """In this process."""
    chapter = _transformed(job, path)
    if job[1]:
        _keep(job, chapter, pickle.dumps(chapter, protocol=pickle.HIGHEST_PROTOCOL))
    return chapter


def _pickled_chapter(path: Path) -> bytes:
    """In a worker: the chapter as the bytes it crosses back in."""
    job = worker_state()
    chapter = _transformed(job, path)
    data = pickle.dumps(chapter, protocol=pickle.HIGHEST_PROTOCOL)
    _keep(job, chapter, data)
    return data


def _transformed(job: tuple, path: Path) -> Chapter:
    cache_dir, _, matcher, name_matcher, bib = job
    return transforms.transform(read.read(path, cache_dir, bib), matcher, name_matcher)


def _keep(job: tuple, chapter: Chapter, data: bytes) -> None:
    """Diagnostics too: a cached chapter reports what its transform found."""
    cache = job[1]
    if cache:
        cache.put(chapter.source.path, chapter.source.text, data, chapter)
