"""`python -m pipeline preview [MANUSCRIPT] [-o OUTPUT] [--port PORT]`: the book's pages, rebuilt on every save.

Builds into OUTPUT as `build` does (the same files, the same cache: after
`make book` the first build is a no-op), serves the pages on
http://127.0.0.1:PORT/ beside the EPUB's text, and builds again whenever a
file of the manuscript or styles folder is saved. Ctrl-C stops it.
Exit status: 0 stopped, 2 usage or the port taken.
"""

from __future__ import annotations

from pathlib import Path

from pipeline import STYLES


def add_parser(sub) -> None:
    p = sub.add_parser("preview", help="serve the book's pages and text, rebuilt on every save")
    p.add_argument("manuscript", nargs="?", default="manuscript", type=Path)
    p.add_argument("-o", "--output", default="output", type=Path)
    p.add_argument("--port", type=int, default=8000, help="on 127.0.0.1 (default 8000; 0: any free port)")


def run(args) -> int:
    from pipeline.preview import preview
    from pipeline.render.epub.package import keep_deflated
    from pipeline.render.pdf.units import keep_layouts

    def ready(url: str) -> None:
        print(f"preview: {url} (Ctrl-C to stop)", flush=True)

    keep_layouts()   # an edited unit is laid out here: from the page the edit falls on, the next time
    keep_deflated()  # the EPUB's entries that did not change are not deflated again
    return preview(lambda early: rebuild(args.manuscript, args.output, early), [args.manuscript, STYLES],
                   args.output, args.port, ready)


def rebuild(root: Path, out: Path, early=None):
    """One build, as `build` runs it, told in the preview's terms (an Outcome);
    `early` is handed each unit laid out anew (build's `early`)."""
    from pipeline.build import build
    from pipeline.diagnostics import BuildError, make
    from pipeline.preview import Outcome

    try:
        result = build(root, out, early=early, record_later=True)   # the pages shown before the snapshot
    except BuildError as exc:
        return Outcome(diagnostics=[str(d) for d in exc.report.items], failed=True)
    except OSError as exc:   # as `build` says it: an output folder that is a file, a disk full
        return Outcome(diagnostics=[str(make("M014", exc.filename or out, reason=exc.strerror or exc))], failed=True)
    keys = result.pdf.page_keys if result.pdf is not None else None
    return Outcome(dict(result.outputs), keys, [str(d) for d in result.diagnostics], finish=result.finish)

