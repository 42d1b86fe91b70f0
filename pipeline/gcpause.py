"""Python's cycle collector paused while a stage builds large acyclic data.

A book's ASTs are a million small dicts and lists. While they are built and
rebuilt, the collector would walk the whole heap again and again (a third
of the transforms' time), for nothing: ASTs hold no cycles, and reference
counting frees what the stages drop. Paused, then resumed as it was found,
so nested stages and callers that turned it off themselves are respected.
"""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager


_LOCK = threading.Lock()
_STATE = {"depth": 0, "was_enabled": False}   # one count for all threads of the process


@contextmanager
def paused():
    """Usable as `with paused():` or as a decorator, `@paused()`. Threads
    count together: the collector resumes when the last of them leaves."""
    with _LOCK:
        if _STATE["depth"] == 0:
            _STATE["was_enabled"] = gc.isenabled()
            gc.disable()
        _STATE["depth"] += 1
    try:
        yield
    finally:
        with _LOCK:
            _STATE["depth"] -= 1
            if _STATE["depth"] == 0 and _STATE["was_enabled"]:
                gc.enable()
