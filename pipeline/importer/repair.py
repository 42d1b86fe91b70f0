"""Text repair for imported lines: the contract between structure and repair.

Before: the physical lines of one paragraph or note body as extracted from a
printed PDF (damaged ligatures, line-end hyphens, lost small capitals), with
note references already replaced by `[^label]` tokens.
After: one string of clean text, and the decisions taken, for the report.

This first version only joins lines; glyph repair, hyphen decisions and small
capitals are implemented in glyphs.py, hyphens.py and smallcaps.py.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Decision:
    line: int          # 1-based line of the source file
    kind: str          # glyph | join | keep-hyphen | caps | roman | other
    before: str
    after: str
    doubtful: bool = False


def repair_paragraph(lines: list[str], first_line: int, context) -> tuple[str, list[Decision]]:
    """Join `lines` (source lines first_line, first_line+1, …) into one text."""
    text = ""
    for line in lines:
        line = line.strip()
        if text.endswith("-"):
            text = text[:-1] + line
        else:
            text = f"{text} {line}" if text else line
    return text, []
