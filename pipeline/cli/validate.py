"""`python -m pipeline validate [EPUB]`: EPUBCheck and Ace on a built book.

Prints the accessibility claim the package makes (what Ace's checks are
checked against), then each tool's verdict. Reports are kept in
output/reports/. Exit status: 0 both clean, 1 problems.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from pipeline import validate
from pipeline.validate import read_claim, run_ace, run_epubcheck


def add_parser(sub) -> None:
    p = sub.add_parser("validate", help="run EPUBCheck and Ace by DAISY on a built EPUB")
    p.add_argument("epub", nargs="?", type=Path, help="default: the one EPUB in output/")
    p.add_argument("--reports", type=Path, default=Path("output/reports"))


def run(args) -> int:
    epub = args.epub or _only_epub(Path("output"))
    if epub is None or not epub.is_file():
        print("validate: no EPUB given and none (or several) in output/", file=sys.stderr)
        return 2
    missing = _missing_tools()
    if missing:
        print(f"validate: {missing} is not installed: run `make setup`", file=sys.stderr)
        return 2
    for line in read_claim(epub).lines():
        print(f"Claim: {line}")
    verdicts = [run_epubcheck(epub, args.reports), run_ace(epub, args.reports)]
    for verdict in verdicts:
        for problem in verdict.problems:
            print(f"{verdict.tool}: {problem}", file=sys.stderr)
        print(f"{verdict.tool}: {'clean' if verdict.ok else f'{len(verdict.problems)} problems'}"
              f" (report: {verdict.report})")
    return 0 if all(v.ok for v in verdicts) else 1


def _only_epub(folder: Path) -> Path | None:
    found = sorted(folder.glob("*.epub"))
    return found[0] if len(found) == 1 else None


def _missing_tools() -> str | None:
    """The first judge this machine lacks (`make setup` installs them all)."""
    if shutil.which("java") is None:
        return "Java (for EPUBCheck)"
    if not validate.ACE.is_file():
        return f"Ace by DAISY ({validate.ACE})"
    return None
