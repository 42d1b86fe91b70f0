"""The manuscript's registers: abbreviations.yaml, names.yaml, ignore.yaml.

Before: optional YAML files beside book.yaml.
After: validated, frozen entries (with the YAML line of each, for messages).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Optional

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from pipeline import yamlfile
from pipeline.diagnostics import Diagnostic, Report
from pipeline.gcpause import paused
from pipeline.model import Abbreviation, NameForm
from pipeline.text.ids import xml_id


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("an empty form would match everywhere in the text")
    return value


Form = Annotated[str, AfterValidator(_not_blank)]   # a form the text is searched for, or a heading


class AbbreviationEntry(_Strict):
    term: Form
    expansion: str = Field(min_length=1)
    variants: list[Form] = []
    note: Optional[str] = None


class NameEntry(_Strict):
    """A person of the index of names: the heading, how the text writes it."""
    name: str = Field(min_length=1, description='index heading, surname first: "Trotsky, León"')
    variants: list[Form] = []       # forms that refer to this person: "Trotsky", "L. Trotsky"
    dates: Optional[str] = None     # "1879-1940", printed after the heading
    under: Optional[Form] = None    # heading of the entry this one is a sub-entry of
    label: Optional[str] = None     # what a sub-entry prints (default: name less "Parent, ")
    see: list[Form] = []            # véase: this heading only sends the reader elsewhere
    see_also: list[Form] = []       # véase también
    not_before: list[Form] = []     # a variant followed by one of these words is no mention
    not_after: list[Form] = []      # nor one that follows one of these ("calle", "bulevar")
    exclude: list[Form] = []        # phrases in which a variant is no mention ("calle Blanqui")
    note: Optional[str] = None      # the editor's remark, never printed

    @field_validator("see", "see_also", mode="before")
    @classmethod
    def _one_or_more(cls, value):
        """`see: Gorkin, Julián` is one heading (a YAML flow list would split it at the comma)."""
        return [value] if isinstance(value, str) else value


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
    names: tuple[NameEntry, ...] = ()
    name_lines: tuple[int, ...] = ()

    @property
    def name_forms(self) -> tuple[NameForm, ...]:
        return tuple(NameForm(e.name, tuple(e.variants), tuple(e.not_before), tuple(e.not_after), tuple(e.exclude))
                     for e in self.names)

    def ignored(self, diag: Diagnostic) -> bool:
        return any(i.code == diag.code and i.match in diag.message for i in self.ignores)


@paused()
def load(root: Path, report: Report) -> Registers:
    abbrs, lines = _abbreviations(root / "abbreviations.yaml", report)
    ignores = _list(root / "ignore.yaml", IgnoreEntry, report)[0]
    names, name_lines = _names(root / "names.yaml", report)
    return Registers(abbrs, lines, tuple(ignores), root, names, name_lines)


def _names(path: Path, report: Report):
    """names.yaml, checked: each heading once, cross-references and parents
    that exist; a variant claimed by two entries is only a warning (X002)."""
    entries, node = _list(path, NameEntry, report)
    lines = tuple(yamlfile.line_of(node, [i]) for i in range(len(entries)))
    seen: dict[str, int] = {}
    claimed: dict[str, str] = {}
    for entry, line in zip(entries, lines):
        if entry.name in seen:
            report.add("X004", path, line, name=entry.name)
        seen.setdefault(entry.name, line)
    for entry, line in zip(entries, lines):
        for field, targets in (("see", entry.see), ("see_also", entry.see_also), ("under", [entry.under] if entry.under else [])):
            for target in targets:
                if target not in seen:
                    report.add("X003", path, line, field=field, name=entry.name, target=target)
        for variant in entry.variants:
            if variant in claimed and claimed[variant] != entry.name:
                report.add("X002", path, line, variant=variant, first=claimed[variant], second=entry.name)
            claimed.setdefault(variant, entry.name)
    _check_chains(entries, lines, path, report)
    return tuple(entries), lines


def _check_chains(entries, lines, path: Path, report: Report) -> None:
    """Cross-references followed to their end: a `see` or `under` chain that
    comes back to where it began is an error (X006: the index would send the
    reader round, or drop the entries), told once, at its first entry; a
    see/see_also to a heading that only sends on elsewhere is a warning
    (X007: point at the last one)."""
    by_name = {e.name: e for e in reversed(entries)}   # the first of a twice-listed heading (X004)
    told: set[frozenset] = set()
    for entry, line in zip(entries, lines):
        for field in ("see", "under"):
            loop = _loop(entry.name, by_name, field)
            if loop and (field, frozenset(loop)) not in told:
                told.add((field, frozenset(loop)))
                report.add("X006", path, line, field=field, name=entry.name, chain=" -> ".join(loop))
        for field, targets in (("see", entry.see), ("see_also", entry.see_also)):
            for target in targets:
                onward = by_name.get(target)
                if onward is not None and onward.see and not _loop(target, by_name, "see"):
                    report.add("X007", path, line, field=field, name=entry.name, target=target,
                               onward="; ".join(onward.see))


def _loop(start: str, by_name: dict, field: str) -> list[str] | None:
    """The headings from `start` round to `start` along `field`, if it comes back."""
    parent: dict[str, str] = {}
    todo = [(name, start) for name in _next(by_name.get(start), field)]
    while todo:
        name, came_from = todo.pop()
        if name == start:
            chain = [came_from]
            while chain[-1] != start:
                chain.append(parent[chain[-1]])
            return chain[::-1] + [start]
        if name in parent or name not in by_name:
            continue
        parent[name] = came_from
        todo.extend((onward, name) for onward in _next(by_name[name], field))
    return None


def _next(entry, field: str) -> list[str]:
    if entry is None:
        return []
    return list(entry.see) if field == "see" else [entry.under] if entry.under else []


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
