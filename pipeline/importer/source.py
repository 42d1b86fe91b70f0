"""The source text, its import profile and its reviewed corrections.

Before: a text file extracted from a printed PDF, a profile folder
(structure.yaml) and optionally manuscript/corrections.yaml.
After: `Source` — the lines (1-based access, trailing spaces dropped, the
reviewed corrections applied) and the profile as plain data.
"""

from __future__ import annotations

from pipeline.diagnostics import make

from dataclasses import dataclass, field
from pathlib import Path

import yaml

PROFILES = Path(__file__).parent / "profiles"


class ImportError_(Exception):
    """A problem with the input: printed as `path:line: CODE message` (the
    code's template, pipeline/diagnostics.py, filled with `fields`)."""

    def __init__(self, path, line: int, code: str, **fields):
        self.diagnostic = make(code, path, line, **fields)
        super().__init__(str(self.diagnostic))
        self.path, self.line, self.code, self.message = path, line, code, self.diagnostic.message


@dataclass
class Correction:
    """One reviewed fix of a source typo: at line `where`, `from` → `to`."""
    where: int
    before: str
    after: str
    why: str


@dataclass
class Source:
    path: Path
    lines: list[str]                     # lines[0] is line 1
    profile: dict
    profile_dir: Path
    corrections: list[Correction] = field(default_factory=list)

    def line(self, number: int) -> str:
        return self.lines[number - 1]

    def __len__(self) -> int:
        return len(self.lines)


def profile_dir(name_or_path: str | None, source: Path) -> Path:
    """A profile by name ("serge-memorias") or by folder path.

    Without a name the profile named after the source file's stem is used if
    it exists (none of the backlist files are named so: the name is required).
    """
    if name_or_path is None:
        raise ImportError_(source, 1, "T006")
    candidate = Path(name_or_path)
    folder = candidate if candidate.is_dir() else PROFILES / name_or_path
    if not (folder / "structure.yaml").is_file():
        raise ImportError_(source, 1, "T001", name=name_or_path)
    return folder


def load(path: Path, profile: Path, corrections_file: Path | None) -> Source:
    """Read the source and the profile; apply the reviewed corrections.

    Trailing spaces end most lines and mean nothing: they are dropped. The
    leading space, which marks a page start, is kept.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportError_(path, 1, "T002", reason=exc) from None
    lines = [line.rstrip() for line in text.split("\n")]
    if lines and lines[-1] == "":
        lines.pop()  # the final newline is no line
    data = yaml.safe_load((profile / "structure.yaml").read_text("utf-8")) or {}
    source = Source(path, lines, data, profile)
    if corrections_file is not None and corrections_file.is_file():
        source.corrections = _corrections(corrections_file)
        apply_corrections(source)
    return source


def _corrections(path: Path) -> list[Correction]:
    rows = yaml.safe_load(path.read_text("utf-8")) or []
    out = []
    for i, row in enumerate(rows, 1):
        try:
            out.append(Correction(int(row["where"]), str(row["from"]), str(row["to"]), str(row.get("why", ""))))
        except (KeyError, TypeError, ValueError):
            raise ImportError_(path, 1, "T003", number=i) from None
    return out


def apply_corrections(source: Source) -> None:
    """"Jean-Paul Sarte" at line 4 → "Jean-Paul Sartre": each `from` must be found once."""
    for fix in source.corrections:
        if not 1 <= fix.where <= len(source.lines):
            raise ImportError_(source.path, 1, "T004", line=fix.where, lines=len(source.lines))
        line = source.lines[fix.where - 1]
        if line.count(fix.before) != 1:
            raise ImportError_(source.path, fix.where, "T007", text=fix.before, count=line.count(fix.before))
        source.lines[fix.where - 1] = line.replace(fix.before, fix.after)
