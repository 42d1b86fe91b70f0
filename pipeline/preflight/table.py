"""Print findings as a table (rich); the exit status of `check pdf`."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from pipeline.preflight import ERROR, OK, WARN

STYLE = {OK: "green", WARN: "yellow", ERROR: "bold red"}


def show(findings, title: str, console: Console | None = None) -> int:
    console = console or Console(width=None if Console().is_terminal else 140)
    table = Table(title=title, show_lines=False)
    table.add_column("check", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("detail")
    for f in findings:
        table.add_row(f.check, f"[{STYLE[f.status]}]{f.status}[/]", f"{f.code} {f.detail}" if f.code else f.detail)
    console.print(table)
    errors = sum(f.status == ERROR for f in findings)
    warnings = sum(f.status == WARN for f in findings)
    console.print(f"{errors} error(s), {warnings} warning(s)")
    return 1 if errors else 0
