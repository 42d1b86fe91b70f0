"""`python -m pipeline check pdf PDF [--cover COVER] [--pages-multiple N] [--book DIR]`.

Exit status: 0 no errors (warnings allowed unless --strict), 1 errors, 2 usage.
"""

from __future__ import annotations

import sys


def run(args) -> int:
    from pipeline.diagnostics import BuildError
    from pipeline.preflight import WARN
    from pipeline.preflight import run as preflight
    from pipeline.preflight.table import show

    if args.pdf is None or not args.pdf.is_file():
        print(f"check pdf: no such PDF: {args.pdf}", file=sys.stderr)
        return 2
    if args.cover is not None and not args.cover.is_file():
        print(f"check pdf: no such cover PDF: {args.cover}", file=sys.stderr)
        return 2
    config = None
    if args.book is not None:
        from pipeline.cli.common import report_diagnostics
        from pipeline.manuscript import load

        try:
            config = load(args.book).config
        except BuildError as exc:
            report_diagnostics(exc.report.items)
            return 1
    findings = preflight(args.pdf, args.cover, args.pages_multiple, config)
    status = show(findings, f"preflight: {args.pdf}")
    if args.strict and any(f.status == WARN for f in findings):
        return 1
    return status
