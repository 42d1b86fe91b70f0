"""Slow steps that wait on a subprocess (Pandoc), run a few at a time.

`ordered_map(fn, items)` yields fn(item) for each item in the items' order,
while later items are already being worked on in threads: a caller can use
the first result while Pandoc parses the next files. An exception is raised
where its item's result would have been, so the first file in order that
fails is the one reported, as in a serial loop. Results are the same as a
serial loop's; only the waiting overlaps.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def workers() -> int:
    """The CPUs this process may use (a Pandoc process each)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def ordered_map(fn: Callable[[T], R], items: Iterable[T], jobs: int | None = None) -> Iterator[R]:
    items = list(items)
    if len(items) < 2 or (jobs or workers()) < 2:
        yield from map(fn, items)
        return
    pool = ThreadPoolExecutor(max_workers=jobs or workers(), thread_name_prefix="pipeline")
    try:
        futures = [pool.submit(fn, item) for item in items]
        for future in futures:
            yield future.result()
    finally:  # the caller stopped early (an error): what has not started never will
        pool.shutdown(wait=True, cancel_futures=True)
