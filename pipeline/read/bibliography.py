"""The book's bibliography, read once per build, before the chapters.

Before: book.yaml's `bibliography` files (BibLaTeX .bib, BibTeX .bibtex,
CSL JSON .json, CSL YAML .yaml), its CSL style and `nocite`.
After: a `Bibliography`: every entry's key with the file and line that
define it, what the chapters' citeproc runs need (files, style, locale,
whether citations link to a references entry), and a digest of all of it
for the caches. A file that does not parse is B002 at its own line; a
`nocite` key that is no entry is B001 at book.yaml's line.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from pipeline.diagnostics import BuildError, Report
from pipeline.engines import pandoc
from pipeline.manuscript import BIBLIOGRAPHY_FORMATS, Manuscript

FORMAT = "1"   # of what read/citations.py makes of a chapter: bump to disown cached results
ERROR_LINE = re.compile(r"line (\d+)")
NOTE_CLASS = re.compile(r"<style\b[^>]*\bclass=\"note\"")


@dataclass(frozen=True)
class Bibliography:
    files: tuple[Path, ...]
    csl: Path
    lang: str
    linked: bool                          # a references entry exists: citations link to it
    entries: dict = field(default_factory=dict)   # key -> (path, line) of its definition, in file order
    nocite: tuple[str, ...] = ()          # keys book.yaml lists without citing them ("*": all)
    note_style: bool = False              # the style puts citations in notes
    digest: str = ""                      # of the files, the style and the options: for the caches

    def meta(self) -> dict:
        """citeproc's metadata for one chapter."""
        return {"bibliography": [str(p) for p in self.files], "csl": str(self.csl), "lang": self.lang,
                "link-citations": self.linked}


def load(ms: Manuscript) -> Bibliography | None:
    """None for a book without a bibliography."""
    if not ms.bibliography or ms.csl is None:
        return None
    report = Report()
    entries: dict = {}
    for path in ms.bibliography:
        for key, line in _keys(path, report):
            entries.setdefault(key, (path, line))
    report.check()
    config = ms.config
    nocite = tuple(entries) if config.nocite == "*" else tuple(config.nocite or ())
    _check_nocite(ms, nocite, entries)
    linked = any(p.role == "references" for p in ms.parts)
    csl = ms.csl.read_bytes()
    digest = hashlib.sha256(f"{FORMAT}\0{config.language}\0{linked}\0".encode() + csl)
    for path in ms.bibliography:
        digest.update(str(path).encode() + b"\0" + path.read_bytes())
    return Bibliography(ms.bibliography, ms.csl, config.language, linked, entries, nocite,
                        bool(NOTE_CLASS.search(csl.decode("utf-8", "replace"))), digest.hexdigest())


def _keys(path: Path, report: Report) -> list[tuple[str, int]]:
    """(key, line) of every entry of one file; B002 at the line it breaks."""
    fmt = BIBLIOGRAPHY_FORMATS[path.suffix.lower()]
    text = path.read_text("utf-8", errors="replace")
    try:
        items = _items(path, fmt, text)
    except _Broken as broken:
        report.add("B002", path, broken.line, detail=broken.detail)
        return []
    keys = [str(item.get("id")) for item in items if isinstance(item, dict) and item.get("id") is not None]
    return [(key, _line(text, key)) for key in keys]


class _Broken(Exception):
    def __init__(self, line: int, detail: str):
        super().__init__(detail)
        self.line, self.detail = line, detail


def _items(path: Path, fmt: str, text: str) -> list:
    if fmt == "csljson":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise _Broken(exc.lineno, f"not valid JSON ({exc.msg})") from None
        return _entry_list(data, "a CSL JSON file is a list of entries")
    if fmt == "cslyaml":
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise _Broken(mark.line + 1 if mark else 1, f"not valid YAML ({getattr(exc, 'problem', exc)})") from None
        data = data.get("references") if isinstance(data, dict) else data
        return _entry_list(data, "a CSL YAML file is a list of entries, or references: and a list")
    try:
        return pandoc.bibliography(path, fmt)
    except pandoc.PandocFailed as exc:
        found = ERROR_LINE.search(str(exc))
        detail = re.sub(r'^Error at "[^"]*" \(line \d+, column \d+\):\s*', "", str(exc))
        raise _Broken(int(found.group(1)) if found else 1, f"{fmt}: {detail}") from None


def _entry_list(data, what: str) -> list:
    if not isinstance(data, list) or not all(isinstance(i, dict) and "id" in i for i in data):
        raise _Broken(1, f"{what}, each with an id")
    return data


def entry_line(path: Path, index: int) -> int:
    """The line of a file's `index`-th entry (0 first), as citeproc counts them."""
    text = path.read_text("utf-8", errors="replace")
    try:
        items = _items(path, BIBLIOGRAPHY_FORMATS[path.suffix.lower()], text)
    except _Broken:
        return 1
    item = items[index] if 0 <= index < len(items) else None
    return _line(text, str(item["id"])) if isinstance(item, dict) and "id" in item else 1


def _line(text: str, key: str) -> int:
    """The line that defines `key`: its first occurrence as a whole token."""
    found = re.search(rf"(?<![\w:.-]){re.escape(key)}(?![\w:.-])", text)
    return text.count("\n", 0, found.start()) + 1 if found else 1


def _check_nocite(ms: Manuscript, nocite: tuple[str, ...], entries: dict) -> None:
    unknown = [key for key in nocite if key not in entries]
    if unknown:
        report = Report()
        text = ms.yaml_path.read_text("utf-8")
        for key in unknown:
            report.add("B001", ms.yaml_path, _line(text, key), key=key)
        raise BuildError(report)
