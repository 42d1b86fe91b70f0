"""Live preview for authors and proofreaders: save a chapter, see its pages change.

    session.Session   builds (through the build the command line hands it),
                      keeps the last good build as a Generation, compares
                      each new one with it (changes.py: the proofreaders' diff)
    server            the page, the pages' pictures, the EPUB's parts, and
                      Server-Sent Events that tell the page what changed
    session.Watcher   watchfiles on the manuscript and styles folders, in a thread
"""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path
from typing import Callable

from pipeline.preview.session import Outcome, Session, Watcher, follow, report

__all__ = ["Outcome", "Session", "preview"]


def preview(rebuild: Callable[[Callable], Outcome], watched: list[Path], out_dir: Path, port: int,
            ready: Callable[[str], None] = print, stop: threading.Event | None = None) -> int:
    """Serve on the loopback address, build, then build again on every save
    until interrupted (or `stop` is set). `ready(url)` is told where, before
    the first build: the page shows it building."""
    from pipeline.preview.server import HOST, serve

    session = Session(rebuild, Path(out_dir) / ".preview", Path(out_dir) / ".cache" / "page-texts.json")
    try:
        server = serve(session, port)
    except (OSError, OverflowError) as exc:   # the port taken, or no port at all
        print(f"preview: cannot serve on {HOST}:{port}: {getattr(exc, 'strerror', None) or exc}", file=sys.stderr)
        return 2
    watcher = Watcher(watched, Path(out_dir))   # before the first build: a save during it makes the next
    ready(f"http://{HOST}:{server.server_address[1]}/")
    stop = stop or threading.Event()
    previous = _stop_on_interrupt(stop, session)
    try:
        session.update()
        report(session)
        follow(session, watcher, stop)
    except KeyboardInterrupt:   # Ctrl-C, maybe during a build: stopping is what was asked
        pass
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
        watcher.close()
        session.closed = True
        server.shutdown()
        server.server_close()
    return 0


def _stop_on_interrupt(stop: threading.Event, session: Session):
    """Ctrl-C stops the preview once the build under way ends, at the loop's
    next turn; a second Ctrl-C stops it at once. An interrupt raised in the
    middle of a build lands in whatever it runs (a pool's shutdown, a lock
    held by a worker's feeder thread) and can leave the process waiting for
    ever: once in a full test run, the preview did not stop within 30 s.
    Returns the handler it replaced (None off the main thread, where Python
    lets no handler be set: a caller there stops it with `stop`)."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def interrupted(signum, frame):
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        if session.building:
            print("preview: stopping after this build (Ctrl-C again to stop now)", file=sys.stderr, flush=True)

    return signal.signal(signal.SIGINT, interrupted)
