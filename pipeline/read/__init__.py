"""Stage 1, read: a Markdown file becomes a Pandoc JSON AST.

Before: `chapter.md` (UTF-8 Pandoc Markdown).
After: a `Source` holding the text, the AST blocks and the footnote labels
with their lines. Pandoc's AST drops footnote labels, so they are found by
scanning the text: the n-th reference in the text is the n-th Note in the AST.

Parsed ASTs are cached by content hash: a file that did not change is never
given to Pandoc again.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pypandoc

from pipeline.diagnostics import BuildError, Report

READER = "markdown-raw_html-raw_attribute-raw_tex"  # raw markup stays text: nothing unsafe passes
REF = re.compile(r"\[\^([^\]\s]+)\](?!:)")
DEF = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:", re.M)
CODE = re.compile(r"`+[^`\n]*`+")


@dataclass(frozen=True)
class Site:
    label: str
    line: int


@dataclass(frozen=True)
class Source:
    path: Path
    text: str
    blocks: list
    refs: tuple[Site, ...]
    defs: tuple[Site, ...]
    api: tuple[int, ...] = (1, 23, 1, 1)   # the AST version, for writing it back

    def line_of(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1


def read(path: Path, cache_dir: Path | None = None) -> Source:
    text = _decode(path)
    ast = _parse(path, text, cache_dir)
    refs, defs = scan_labels(text)
    return Source(path, text, ast["blocks"], refs, defs, tuple(ast["pandoc-api-version"]))


def _decode(path: Path) -> str:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        report = Report()
        report.add("M007", path, raw[: exc.start].count(b"\n") + 1, detail=exc.reason)
        raise BuildError(report) from None
    if not text.strip():
        report = Report()
        report.add("M008", path, 1)
        raise BuildError(report)
    return text.removeprefix("\ufeff")


def scan_labels(text: str) -> tuple[tuple[Site, ...], tuple[Site, ...]]:
    """Footnote references and definitions, in text order, with their lines."""
    blanked = CODE.sub(lambda m: " " * len(m.group()), text)
    defs = tuple(Site(m.group(1), _line(blanked, m.start())) for m in DEF.finditer(blanked))
    refs = tuple(Site(m.group(1), _line(blanked, m.start())) for m in REF.finditer(blanked))
    return refs, defs


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _parse(path: Path, text: str, cache_dir: Path | None) -> dict:
    key = hashlib.sha256((pandoc_version() + READER + text).encode()).hexdigest()
    cached = cache_dir / "read" / f"{key}.json" if cache_dir else None
    if cached and cached.is_file():
        return json.loads(cached.read_text("utf-8"))
    ast = _run_pandoc(path, text)
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(".tmp")
        tmp.write_text(json.dumps(ast), "utf-8")
        tmp.replace(cached)
    return ast


def _run_pandoc(path: Path, text: str) -> dict:
    try:
        out = pypandoc.convert_text(text, "json", format=READER)
    except RuntimeError as exc:
        report = Report()
        report.add("P001", path, 1, detail=str(exc).strip().splitlines()[-1])
        raise BuildError(report) from None
    return json.loads(out)


_VERSION: list[str] = []


def pandoc_version() -> str:
    if not _VERSION:
        _VERSION.append(pypandoc.get_pandoc_version())
    return _VERSION[0]
