"""Slow steps that wait on a subprocess (Pandoc), run a few at a time.

`ordered_map(fn, items)` yields fn(item) for each item in the items' order,
while later items are already being worked on in threads: a caller can use
the first result while Pandoc parses the next files. An exception is raised
where its item's result would have been, so the first file in order that
fails is the one reported, as in a serial loop. Results are the same as a
serial loop's; only the waiting overlaps.

`process_pool(jobs, state)` is the one way worker processes are made: each
worker is forked and handed `state` by the pool's initializer, and a task
reads it with `worker_state()`. Fork passes the initializer's arguments
without pickling them, so a whole `Book` reaches the workers for free, yet
what a worker sees is what its pool was given, not whatever module globals
happened to hold at the fork.

`forked(fn, *args)` runs one step in a process forked at that moment, while
this one goes on with another (the EPUB is written while the PDF is
merged): the child sees this process's memory as it is, so nothing but the
result crosses back, and an exception is raised by `.result()` as if the
step had run here.

A worker's cycle collector is set for what workers do (`_receive`): the
heap the worker was forked with (the book, the parent's modules) is frozen,
never walked again, and a collection comes after `GC_THRESHOLD[0]` new
objects, not Python's 700. A unit's layout builds boxes by the hundred
thousand that live until its PDF is written; at the default rate the
collector walked them again and again, a sixth of the notes' layout. Its
cycles (WeasyPrint's boxes have some) are still freed, a little later.
The output is the same; only when garbage goes changes.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_FORK = multiprocessing.get_context("fork")
_NOT_A_WORKER = object()
_state: Any = _NOT_A_WORKER   # set in a worker by its pool's initializer, never in the parent
GC_THRESHOLD = (20_000, 10, 10)   # a worker's (see above); the real book's notes: GC 2.8 s -> 0.6 s


def workers() -> int:
    """The CPUs this process may use (a Pandoc process each)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def process_pool(jobs: int, state: Any = None) -> ProcessPoolExecutor:
    """`jobs` forked workers, each handed `state` (see `worker_state`)."""
    return ProcessPoolExecutor(jobs, mp_context=_FORK, initializer=_receive, initargs=(state,))


def _receive(state: Any) -> None:
    global _state
    _state = state
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)


def worker_state() -> Any:
    """In a worker: the state its pool was made with."""
    if _state is _NOT_A_WORKER:
        raise RuntimeError("worker_state() outside a worker of process_pool()")
    return _state


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


@contextmanager
def forked(fn: Callable[..., R], *args) -> Iterator[Future]:
    """`with forked(fn, *args) as step:` ... `step.result()`. Leaving the
    block waits for the child."""
    with process_pool(1, (fn, args)) as pool:
        yield pool.submit(_run_step)   # the child is forked here, with the step as its state


def _run_step():
    fn, args = worker_state()
    return fn(*args)
