"""`python -m pipeline names suggest [MANUSCRIPT]`: candidates for names.yaml.

Prints the persons the manuscript seems to name, clustered by surname, with
counts and a context line each: as YAML to paste into names.yaml (default)
or as a table (`--format table`). `--new` leaves out persons the register
already has; `--bio` keeps only those with a biographical note.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pipeline.cli.common import report_diagnostics
from pipeline.diagnostics import BuildError, Report


def add_parser(sub) -> None:
    p = sub.add_parser("names", help="index of names: suggest the persons of a manuscript")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    s = actions.add_parser("suggest", help="propose names.yaml entries, with counts and context")
    s.add_argument("manuscript", nargs="?", default="manuscript", type=Path)
    s.add_argument("--format", choices=("yaml", "table"), default="yaml")
    s.add_argument("--min-count", type=int, default=2, help="leave out persons named fewer times (default 2; "
                   "a person with a biographical note is always kept)")
    s.add_argument("--bio", action="store_true", help="only persons with a biographical note")
    s.add_argument("--new", action="store_true", help="only persons not already in names.yaml")
    s.add_argument("-o", "--output", type=Path, help="write here instead of standard output")


def run(args) -> int:
    from pipeline import registers
    from pipeline.names import suggest

    report = Report()
    try:
        regs = registers.load(args.manuscript, report)
        items = suggest.passages(sources(args.manuscript))
    except BuildError as exc:
        report_diagnostics(exc.report.items)
        return 1
    report_diagnostics(report.items)   # the register's own problems (a see cycle): said, not fatal here
    cands = suggest.suggest(items, regs.abbreviations, args.min_count)
    if args.bio:
        cands = [c for c in cands if c.bio]
    if args.new:
        known = {v for e in regs.names for v in e.variants} | {e.name for e in regs.names}
        cands = [c for c in cands if c.heading not in known and not set(c.variants) & known]
    text = suggest.to_table(cands) if args.format == "table" else suggest.to_yaml(cands)
    if args.output:
        args.output.write_text(text, "utf-8")
        print(f"{len(cands)} candidates written to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def sources(root: Path, cache_dir: Path | None = None) -> list[tuple[Path, list, str]]:
    """(path, Pandoc blocks, Markdown) of every chapter file of the manuscript
    at `root`, by the load and read stages; BuildError as a build gives it."""
    from pipeline import manuscript, read
    from pipeline.read import bibliography

    ms = manuscript.load(root)
    bib = bibliography.load(ms)   # the citations are read as a build reads them
    found = []
    for part in ms.parts:
        if part.path is not None:
            src = read.read(part.path, cache_dir, bib)
            found.append((part.path, src.blocks, src.text))
    return found
