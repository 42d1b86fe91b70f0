"""`python -m pipeline check [MANUSCRIPT]`: every lint, no output written.
`python -m pipeline check pdf PDF [--cover COVER] [--pages-multiple N] [--book DIR]`:
preflight a built PDF (pipeline/preflight), a table of findings.

Exit status: 0 clean, 1 errors (or warnings with --strict), 2 usage.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.build import load_book
from pipeline.cli.common import report_diagnostics
from pipeline.diagnostics import BuildError, Report, make


def add_parser(sub) -> None:
    p = sub.add_parser("check", help="check a manuscript without building it")
    p.add_argument("manuscript", nargs="?", default="manuscript", type=Path)
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("pdf", nargs="?", type=Path, help="with `check pdf`: the PDF to preflight")
    p.add_argument("--cover", type=Path, help="check pdf: the cover PDF too")
    p.add_argument("--pages-multiple", type=int, help="check pdf: the page count must be a multiple of N")
    p.add_argument("--book", type=Path, help="check pdf: the manuscript whose book.yaml gives trim and paper")


def run(args) -> int:
    if str(args.manuscript) == "pdf":
        from pipeline.cli.preflight import run as preflight

        return preflight(args)
    report = Report()
    try:
        load_book(args.manuscript, None, report)
    except BuildError as exc:
        report_diagnostics(exc.report.items)
        return 1
    except OSError as exc:   # a file that may not be read
        report_diagnostics([make("M014", exc.filename or args.manuscript, reason=exc.strerror or exc)])
        return 1
    report_diagnostics(report.items)
    return 1 if args.strict and report.items else 0
