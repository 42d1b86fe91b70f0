"""What `check pdf` prints: every problem as a diagnostic (`path:page: CODE
message`, stderr), then the checks passed as a table (rich, stdout); the
exit status."""

from __future__ import annotations

import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from pipeline.preflight import ERROR, OK, WARN


def show(findings, pdf: Path, title: str, console: Console | None = None, strict: bool = False) -> int:
    """1 on any error (with `strict`, any warning), else 0."""
    for finding in findings:
        if finding.status != OK:
            print(finding.diagnostic(pdf), file=sys.stderr)
    console = console or Console(width=None if Console().is_terminal else 140)
    table = Table(title=title, show_lines=False)
    table.add_column("check passed", no_wrap=True)
    table.add_column("detail")
    for f in findings:
        if f.status == OK:
            table.add_row(f.check, f.detail)
    console.print(table)
    errors = sum(f.status == ERROR for f in findings)
    warnings = sum(f.status == WARN for f in findings)
    console.print(f"{errors} error(s), {warnings} warning(s)")
    return 1 if errors or strict and warnings else 0
