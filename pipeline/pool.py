"""Slow steps that wait on a subprocess (Pandoc), run a few at a time.

`ordered_map(fn, items)` yields fn(item) for each item in the items' order,
while later items are already being worked on in threads: a caller can use
the first result while Pandoc parses the next files. An exception is raised
where its item's result would have been, so the first file in order that
fails is the one reported, as in a serial loop. Results are the same as a
serial loop's; only the waiting overlaps.

`forked(fn, *args)` runs one step in a process forked at that moment, while
this one goes on with another (the EPUB is written while the PDF is
merged): the child sees this process's memory as it is, so nothing but the
result crosses back, and an exception is raised by `.result()` as if the
step had run here.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
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


_STEPS: dict[int, tuple] = {}   # steps handed to forked children, by number: the child inherits them


@contextmanager
def forked(fn: Callable[..., R], *args) -> Iterator[Future]:
    """`with forked(fn, *args) as step:` ... `step.result()`. Leaving the
    block waits for the child."""
    number = max(_STEPS, default=0) + 1
    _STEPS[number] = (fn, args)
    try:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
            yield pool.submit(_run_step, number)   # the child is forked here, _STEPS and all
    finally:
        del _STEPS[number]


def _run_step(number: int):
    fn, args = _STEPS[number]
    return fn(*args)
