"""`python -m pipeline build [MANUSCRIPT] [-o OUTPUT] [--format epub,pdf]`.

Exit status: 0 built, 1 errors in the manuscript, 2 usage.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pipeline import FORMATS, STYLES, freshness
from pipeline.cli.common import progress, report_diagnostics
from pipeline.diagnostics import BuildError, Diagnostic, make


def add_parser(sub) -> None:
    p = sub.add_parser("build", help="build the EPUB and the PDF of a manuscript")
    p.add_argument("manuscript", nargs="?", default="manuscript", type=Path)
    p.add_argument("-o", "--output", default="output", type=Path)
    p.add_argument("--format", default=",".join(FORMATS), help="comma-separated: epub,pdf")
    p.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--print-ready", action="store_true", default=None,
                   help="the printer's PDF (PDF/X-4, bleed, crop marks) and its cover; "
                        "default: book.yaml print.print_ready")


def run(args) -> int:
    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    unknown = set(formats) - set(FORMATS)
    if unknown or not formats:
        print(f"build: unknown format {', '.join(sorted(unknown)) or '(none)'}; choose from {', '.join(FORMATS)}",
              file=sys.stderr)
        return 2
    done = _up_to_date(args, formats)
    if done is not None:
        return _report(args, done["outputs"], [Diagnostic(**d) for d in done["diagnostics"]], "up to date:")
    from pipeline.build import build  # the whole pipeline: only when there is work

    try:
        with progress(args.quiet) as step:
            result = build(args.manuscript, args.output, formats, step=step, strict=args.strict,
                           print_ready=args.print_ready)
    except BuildError as exc:
        report_diagnostics(exc.report.items)
        return 1
    except OSError as exc:   # an output folder that is a file, a disk full, a file that may not be read
        report_diagnostics([make("M014", exc.filename or args.output, reason=exc.strerror or exc)])
        return 1
    return _report(args, result.outputs, result.diagnostics)


def _up_to_date(args, formats):
    """Asked before the pipeline is imported: a no-op rebuild costs only hashes."""
    options = freshness.options(formats, args.strict, args.print_ready)
    return freshness.fresh(args.output, freshness.stamp(args.manuscript, STYLES, args.output, options))


def _report(args, outputs, diagnostics, verb: str = "wrote") -> int:
    report_diagnostics(diagnostics)
    if not args.quiet:
        for path in outputs.values():
            print(f"{verb} {path}")
    return 0
