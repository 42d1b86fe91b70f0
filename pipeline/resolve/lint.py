"""Book-wide cross-checks that need every chapter at once.

Before: transformed chapters and the registers.
After: warnings with stable codes (acronyms missing from the register,
register entries never used), minus those the ignore file explains.
"""

from __future__ import annotations

import re
from collections import Counter

from pipeline.diagnostics import Report, make
from pipeline.registers import Registers


def abbreviations(chapters, registers: Registers, report: Report) -> tuple[Counter, set[str]]:
    """Count registered terms used and warn about the rest. Returns the
    counts and the unused terms the ignore file keeps (with a reason)."""
    used: Counter = Counter()
    unknown: Counter = Counter()
    first: dict[str, tuple] = {}
    for chapter in chapters:
        used.update(chapter.abbreviations)
        unknown.update(chapter.unknown_acronyms)
        for term in chapter.unknown_acronyms:
            first.setdefault(term, (chapter.source.path, _line_of(chapter.source.text, term)))
    for term, count in sorted(unknown.items(), key=lambda kv: (-kv[1], kv[0])):
        path, line = first[term]
        _add(report, registers, make("A001", path, line, term=term, count=count))
    yaml_path = registers.root / "abbreviations.yaml"
    kept = set()
    for abbr, line in zip(registers.abbreviations, registers.abbreviation_lines):
        if not used[abbr.term] and not _add(report, registers, make("A002", yaml_path, line, term=abbr.term)):
            kept.add(abbr.term)
    return used, kept


def _add(report: Report, registers: Registers, diag) -> bool:
    """Report `diag` unless the ignore file explains it; True if reported."""
    if registers.ignored(diag):
        return False
    report.items.append(diag)
    return True


def _line_of(text: str, token: str) -> int:
    m = re.search(rf"(?<![\w.]){re.escape(token)}(?!\w)", text)
    return text.count("\n", 0, m.start()) + 1 if m else 0
