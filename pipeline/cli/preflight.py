"""`python -m pipeline check pdf PDF [--cover COVER] [--pages-multiple N] [--book DIR]`.

Exit status: 0 no errors (warnings allowed unless --strict), 1 errors, 2 usage.
"""

from __future__ import annotations

import sys


def run(args) -> int:
    from pipeline.diagnostics import BuildError
    from pipeline.preflight import run as preflight
    from pipeline.preflight.table import show

    from pipeline.cli.common import report_diagnostics
    from pipeline.diagnostics import make

    if args.pdf is None:
        print("check pdf: name the PDF to check", file=sys.stderr)   # usage, as argparse would say it
        return 2
    missing = [p for p in (args.pdf, args.cover) if p is not None and not p.is_file()]
    if missing:
        report_diagnostics(make("C024", p, reason="no such file") for p in missing)
        return 2
    config = None
    if args.book is not None:
        from pipeline.manuscript import load

        try:
            config = load(args.book).config
        except BuildError as exc:
            report_diagnostics(exc.report.items)
            return 1
    findings = preflight(args.pdf, args.cover, args.pages_multiple, config)
    return show(findings, args.pdf, f"preflight: {args.pdf}", strict=args.strict)
