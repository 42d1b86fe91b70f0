"""The manuscript's registers: abbreviations.yaml, ignore.yaml.

Before: optional YAML files beside book.yaml.
After: validated, frozen entries (with the YAML line of each, for messages).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from pydantic import BaseModel, ConfigDict, Field

from pipeline import yamlfile
from pipeline.diagnostics import Diagnostic, Report
from pipeline.resolve.ids import xml_id
from pipeline.resolve.model import Abbreviation


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AbbreviationEntry(_Strict):
    term: str = Field(min_length=1)
    expansion: str = Field(min_length=1)
    variants: list[str] = []
    note: Optional[str] = None


class IgnoreEntry(_Strict):
    code: str = Field(pattern=r"^[A-Z]\d{3}$")
    match: str = Field(min_length=1, description="text the message must contain")
    reason: str = Field(min_length=3)


@dataclass(frozen=True)
class Registers:
    abbreviations: tuple[Abbreviation, ...] = ()
    abbreviation_lines: tuple[int, ...] = ()
    ignores: tuple[IgnoreEntry, ...] = ()
    root: Path = Path(".")

    def ignored(self, diag: Diagnostic) -> bool:
        return any(i.code == diag.code and i.match in diag.message for i in self.ignores)


def load(root: Path, report: Report) -> Registers:
    abbrs, lines = _abbreviations(root / "abbreviations.yaml", report)
    ignores = _list(root / "ignore.yaml", IgnoreEntry, report)[0]
    return Registers(abbrs, lines, tuple(ignores), root)


def _abbreviations(path: Path, report: Report):
    entries, node = _list(path, AbbreviationEntry, report)
    taken: set[str] = set()
    abbrs = tuple(Abbreviation(e.term, e.expansion, tuple(e.variants), e.note, xml_id(f"gl-{e.term}", taken))
                  for e in entries)
    lines = tuple(yamlfile.line_of(node, [i]) for i in range(len(entries)))
    return abbrs, lines


def _list(path: Path, schema, report: Report):
    if not path.is_file():
        return [], None
    entries, node = yamlfile.load(path, list[schema], report)
    return entries or [], node
