"""The pipeline's command line with issue 20's hold switched off, for
`bench_codes.py` only (a tree given as `hold-off:TREE`): each unit is laid
out once, with the engine's own line breaking (no `engine.Hold`: no lines
set again, no page made again for a recto's last line, no second pass for
a fault found after the fact). Everything else the tree's code does (the
page-list, the checks, the equations) runs as in a build, so main against
main with the hold off is the hold's own cost. A build can only get here by
running this file: nothing in `make book` or `python -m pipeline` reads it.
The workers are forked, so they inherit the change.

    PYTHONPATH=TREE python benchmarks/hold_off.py build MANUSCRIPT -o OUT
"""

from __future__ import annotations

from pipeline.render.pdf import units


def _unheld(setting, html, fetcher, forbid=frozenset()):
    """units._lay_out_held's contract, (document, lines named), without a hold."""
    return units._lay_out(setting, html, fetcher), forbid


def main() -> int:
    if not callable(getattr(units, "_lay_out_held", None)):
        raise SystemExit(f"{units.__file__}: no _lay_out_held to switch off (code before issue 20?)")
    units._lay_out_held = _unheld
    from pipeline.cli import main as cli
    return cli()


if __name__ == "__main__":
    raise SystemExit(main())
