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
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pipeline import yamlfile
from pipeline.diagnostics import BuildError, Report

PROFILES = Path(__file__).parent / "profiles"


class ImportError_(Exception):
    """A problem with the input: printed as `path:line: CODE message` (the
    code's template, pipeline/diagnostics.py, filled with `fields`)."""

    def __init__(self, path, line: int, code: str, **fields):
        self._tell(make(code, path, line, **fields))

    @classmethod
    def of(cls, diagnostic) -> "ImportError_":
        err = cls.__new__(cls)
        err._tell(diagnostic)
        return err

    def _tell(self, diagnostic) -> None:
        Exception.__init__(self, str(diagnostic))
        self.diagnostic = diagnostic
        self.path, self.line, self.code, self.message = (diagnostic.path, diagnostic.line, diagnostic.code,
                                                         diagnostic.message)


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
        """Line `number`; one the source does not have means a profile made
        for another text: T014, not an IndexError."""
        if not 1 <= number <= len(self.lines):
            raise ImportError_(self.path, len(self.lines), "T014", number=number, lines=len(self.lines))
        return self.lines[number - 1]

    def __len__(self) -> int:
        return len(self.lines)


def profile_dir(name_or_path: str | None, source: Path) -> Path:
    """A profile by name ("serge-memorias") or by folder path.

    Without a name the profile named after the source file's stem is used if
    it exists (none of the backlist files are named so: the name is required).
    """
    if not name_or_path:
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
    data = _profile(profile / "structure.yaml")
    source = Source(path, lines, data, profile)
    if corrections_file is not None and corrections_file.is_file():
        source.corrections = _corrections(corrections_file)
        apply_corrections(source)
    return source


class PartSpec(BaseModel):
    """What the importer reads of every part without asking (the other keys
    are optional and read where they apply)."""

    model_config = ConfigDict(extra="allow")
    role: str = "chapter"
    lines: tuple[int, int]
    layout: Optional[Literal["abbreviations", "epigraphs"]] = None
    file: Optional[str] = None
    title: Optional[str] = None

    @model_validator(mode="after")
    def _named(self):
        if self.layout != "abbreviations" and not self.file:
            raise ValueError("a part needs its file (only the list of abbreviations has none)")
        if self.layout is None and not self.title:
            raise ValueError("a part needs its title")
        return self


class ProfileSpec(BaseModel):
    model_config = ConfigDict(extra="allow")
    book: dict
    parts: list[PartSpec]


def read_yaml(path: Path, schema, code: str, node: bool = False):
    """An import file read and validated like the manuscript's YAML
    (yamlfile: UTF-8, YAML, then `schema`, with lines); its first problem as
    ImportError_ (`code` for the schema's, a template of {key} and {detail}).
    `node`: (value, YAML node), for checks that need the lines."""
    try:
        loaded = yamlfile.load(path, schema, Report(), code=code)
        return loaded if node else loaded[0]
    except BuildError as exc:
        raise ImportError_.of(exc.report.items[0]) from None


def _profile(path: Path) -> dict:
    """structure.yaml, checked (T015 at the line at fault) and kept as plain data."""
    spec = read_yaml(path, ProfileSpec, "T015")
    data = spec.model_dump()
    data["parts"] = [dict(p.model_dump(exclude_none=True), role=p.role) for p in spec.parts]
    return data


class CorrectionSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    where: int = Field(ge=1)
    before: str = Field(alias="from")
    after: str = Field(alias="to")
    why: str = ""


def _corrections(path: Path) -> list[Correction]:
    rows = read_yaml(path, Optional[list[CorrectionSpec]], "T003") or []
    return [Correction(r.where, r.before, r.after, r.why) for r in rows]


def apply_corrections(source: Source) -> None:
    """"Jean-Paul Sarte" at line 4 → "Jean-Paul Sartre": each `from` must be found once."""
    for fix in source.corrections:
        if not 1 <= fix.where <= len(source.lines):
            raise ImportError_(source.path, 1, "T004", where=fix.where, lines=len(source.lines))
        line = source.lines[fix.where - 1]
        if line.count(fix.before) != 1:
            raise ImportError_(source.path, fix.where, "T007", text=fix.before, count=line.count(fix.before))
        source.lines[fix.where - 1] = line.replace(fix.before, fix.after)
