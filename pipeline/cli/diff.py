"""`python -m pipeline diff [OLD] [NEW]`: what changed between two builds.

OLD and NEW: snapshot ids or folders (default: the two latest under
OUTPUT/builds), two EPUBs, two PDFs, or two git revisions of the manuscript.
Exit status: 0 identical, 1 different, 2 trouble (unreadable input, usage,
or any unexpected failure), printed as one `path:line: CODE message` (D
codes in pipeline/diagnostics.py) without a traceback; an unexpected
failure (D027) names the line of the pipeline's code that raised it.
"""

from __future__ import annotations

import sys
import traceback
from contextlib import ExitStack
from pathlib import Path

FORMATS = ("html", "text", "json")
PACKAGE = Path(__file__).resolve().parents[1]   # pipeline/: whose frames an unexpected error names
MESSAGE_MAX = 300                               # characters of an unexpected error's message


def add_parser(sub) -> None:
    p = sub.add_parser("diff", help="what changed between two builds, in words and on the page")
    p.add_argument("old", nargs="?", help="snapshot id or folder, EPUB, PDF or git revision (default: next to latest)")
    p.add_argument("new", nargs="?", help="the same kinds (default: the latest snapshot)")
    p.add_argument("--format", choices=FORMATS, default="html")
    p.add_argument("-o", "--report", type=Path, default=None,
                   help="where to write the report (default: OUTPUT/diff.html for html, stdout otherwise)")
    p.add_argument("--output", type=Path, default=Path("output"), help="build folder holding builds/ (default: output)")
    p.add_argument("--manuscript", type=Path, default=Path("manuscript"), help="for git revisions (default: manuscript)")
    p.add_argument("--dpi", type=float, default=60, help="page images' resolution, 20-150 (default 60)")
    p.add_argument("--max-pages", type=int, default=60,
                   help="changed pages shown as images; the rest are listed without (default 60)")


def run(args) -> int:
    """Never exit 1 on a failure: CI reads 1 as "the builds differ"."""
    try:
        return _compare(args)
    except Exception as exc:   # a bug, or a library's surprise: still trouble, said in one line
        from pipeline.diagnostics import make

        path, line = _raised_at(exc)
        print(make("D027", path, line, kind=type(exc).__name__, message=_one_line(exc)), file=sys.stderr)
        return 2


def _compare(args) -> int:
    from pipeline.build import build
    from pipeline.diagnostics import make
    from pipeline.diff import DiffError, compare, inputs
    from pipeline.diff.errors import os_reason

    try:
        with ExitStack() as stack:   # a git revision is built here, by the build stages
            old, new = inputs.resolve(args.old, args.new, args.output, args.manuscript, stack, build)
            report = compare(old, new, args.dpi, max(args.max_pages, 0))
            _write(report, args)
    except DiffError as exc:
        print(exc.diagnostic, file=sys.stderr)
        return 2
    except OSError as exc:
        print(make("D015", exc.filename or args.output, reason=os_reason(exc)), file=sys.stderr)
        return 2
    return 0 if report.identical else 1


def _raised_at(exc: Exception) -> tuple[str, int]:
    """(path, line) of the innermost frame in the pipeline package (else the
    innermost at all): enough to report the bug without the traceback."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if Path(f.filename).resolve().is_relative_to(PACKAGE)] or frames
    if not ours:
        return "diff", 0
    path = Path(ours[-1].filename).resolve()
    shown = path.relative_to(PACKAGE.parent) if path.is_relative_to(PACKAGE) else path
    return str(shown), ours[-1].lineno or 0


def _one_line(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or "no message"
    return text if len(text) <= MESSAGE_MAX else text[:MESSAGE_MAX - 1] + "…"


def _write(report, args) -> None:
    from pipeline.diff import report_html, report_text

    render = {"html": report_html.to_html, "text": report_text.to_text, "json": report_text.to_json}[args.format]
    target = args.report or (args.output / "diff.html" if args.format == "html" else None)
    if target is None:
        sys.stdout.write(render(report))
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(report), encoding="utf-8")
    verdict = "identical" if report.identical else f"{len(report.changed_parts)} part(s) changed"
    print(f"wrote {target}: {verdict}")
