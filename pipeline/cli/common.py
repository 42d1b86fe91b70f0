"""What every command shares: printing diagnostics, a progress display."""

from __future__ import annotations

import contextlib
import sys


def report_diagnostics(items) -> None:
    for diag in items:
        print(diag, file=sys.stderr)


@contextlib.contextmanager
def progress(quiet: bool):
    """Yields step(label): a live status line on a terminal, nothing otherwise."""
    from rich.console import Console  # not imported by a build with nothing to do

    console = Console(stderr=True)
    if quiet or not console.is_terminal:
        yield lambda label: None
        return
    with console.status("building…") as status:
        yield lambda label: status.update(label)
