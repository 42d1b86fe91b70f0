"""Live preview for authors and proofreaders: save a chapter, see its pages change.

    session.Session   builds (through the build the command line hands it),
                      keeps the last good build as a Generation, compares
                      each new one with it (changes.py: the proofreaders' diff)
    server            the page, the pages' pictures, the EPUB's parts, and
                      Server-Sent Events that tell the page what changed
    session.Watcher   watchfiles on the manuscript and styles folders, in a thread
"""

from __future__ import annotations

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
    try:
        session.update()
        report(session)
        follow(session, watcher, stop)
    except KeyboardInterrupt:   # Ctrl-C, maybe during a build: stopping is what was asked
        pass
    finally:
        watcher.close()
        session.closed = True
        server.shutdown()
        server.server_close()
    return 0
