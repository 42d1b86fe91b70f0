"""`python -m pipeline check [MANUSCRIPT]`: every lint, no output written.

Exit status: 0 clean, 1 errors (or warnings with --strict), 2 usage.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.build import load_book
from pipeline.cli.common import report_diagnostics
from pipeline.diagnostics import BuildError, Report


def add_parser(sub) -> None:
    p = sub.add_parser("check", help="check a manuscript without building it")
    p.add_argument("manuscript", nargs="?", default="manuscript", type=Path)
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")


def run(args) -> int:
    report = Report()
    try:
        load_book(args.manuscript, None, report)
    except BuildError as exc:
        report_diagnostics(exc.report.items)
        return 1
    report_diagnostics(report.items)
    return 1 if args.strict and report.items else 0
