"""Python's cycle collector paused while a stage builds large acyclic data.

A book's ASTs are a million small dicts and lists. While they are built and
rebuilt, the collector would walk the whole heap again and again (a third
of the transforms' time), for nothing: ASTs hold no cycles, and reference
counting frees what the stages drop. Paused, then resumed as it was found,
so nested stages and callers that turned it off themselves are respected.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def paused():
    """Usable as `with paused():` or as a decorator, `@paused()`."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
