"""Stage 1, read: a Markdown file becomes a Pandoc JSON AST.

Before: `chapter.md` (UTF-8 Pandoc Markdown).
After: a `Source` holding the text, the AST blocks, Pandoc's warnings, and
the footnote labels with their lines. Pandoc's AST drops footnote labels, so
they are found by scanning the text: the n-th reference outside a note
definition is the n-th Note in the AST.

Citations (`[@key]`) are formatted here, by citeproc (read/citations.py),
so that what follows sees their words and notes like any other.

Parsed ASTs are cached by content hash: a file that did not change is never
given to Pandoc again (pipeline/chapters.py reads a book's files in
several processes at once).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

from pipeline.diagnostics import BuildError, Report
from pipeline.engines import pandoc
from pipeline.gcpause import paused
from pipeline.read import citations
from pipeline.read.bibliography import Bibliography
from pipeline.read.labels import Site, scan_labels

# Raw HTML is parsed (so that it can be refused with its line), raw TeX and
# raw attributes stay text.
READER = "markdown+raw_html-raw_attribute-raw_tex"
MAX_BYTES = 8_000_000
WARNING_LINE = re.compile(r"line (\d+)")
# Pandoc's time to read nested brackets doubles with each level (12 take
# half a minute): deeper ones are refused before Pandoc sees them.
MAX_BRACKETS = 6
BRACKET = re.compile(r"\\.|[\[\]]|\n[ \t]*\n")
# Elements inside one another (a book needs about 6: a note's quote's
# emphasis...); far deeper ones would exhaust Python's recursion in the
# passes that walk the AST (transforms/checks.py stops them).
MAX_NESTING = 32
PANDOC_SECONDS = 120   # anything else pathological: refused, not waited for
# The markup before a line's words: indentation, quote and list markers, emphasis, brackets.
MARKUP_PREFIX = re.compile(r"(?:[ \t>*+_\-\[:]|\d+[.)])*")
NESTING_MARKS = ">*_["

__all__ = ["Site", "Source", "read", "scan_labels", "pandoc_version", "pandoc_path"]


@dataclass(frozen=True)
class Source:
    path: Path
    text: str
    blocks: list
    refs: tuple[Site, ...]                 # references outside note definitions
    defs: tuple[Site, ...]
    api: tuple[int, ...] = (1, 23, 1, 1)   # the AST version, for writing it back
    nested: tuple[Site, ...] = ()          # references inside a note definition
    warnings: tuple[tuple[int, str], ...] = ()
    cites: tuple[Site, ...] = ()           # each Cite's first key and line, in reading order
    cited: tuple[str, ...] = ()            # every bibliography key cited, in reading order

    def deepest_line(self) -> int:
        return deepest_line(self.text)

    def line_of(self, needle: str, default: int = 0) -> int:
        """Line of the first occurrence of `needle` in the text."""
        at = self.text.find(needle)
        return self.text.count("\n", 0, at) + 1 if at >= 0 else default


@paused()
def read(path: Path, cache_dir: Path | None = None, bib: Bibliography | None = None) -> Source:
    text = _decode(path)
    _check_brackets(path, text)
    parsed = _parse(path, text, cache_dir)
    labels = scan_labels(text)
    blocks, cites, keys, told = parsed["ast"]["blocks"], (), (), []
    if "@" in text:   # else there is no Cite to look for
        blocks, cites, keys, told = citations.apply(path, text, parsed["ast"], bib, cache_dir, pandoc_version())
    return Source(path, text, blocks, labels.refs, labels.defs,
                  tuple(parsed["ast"]["pandoc-api-version"]), labels.nested,
                  tuple(tuple(w) for w in parsed["warnings"]) + tuple((0, w) for w in told), cites, keys)


def _fail(code: str, path: Path, line: int = 0, **fields):
    report = Report()
    report.add(code, path, line, **fields)
    raise BuildError(report)


def _decode(path: Path) -> str:
    raw = path.read_bytes()
    if len(raw) > MAX_BYTES:
        _fail("M011", path, 1, size=len(raw), limit=MAX_BYTES)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        _fail("M007", path, raw[: exc.start].count(b"\n") + 1, detail=exc.reason)
    if "\x00" in text:
        _fail("M012", path, text[: text.index("\x00")].count("\n") + 1)
    if not text.strip():
        _fail("M008", path, 1)
    return text.removeprefix("\ufeff")


def _parse(path: Path, text: str, cache_dir: Path | None) -> dict:
    key = hashlib.sha256((pandoc_version() + READER + text).encode()).hexdigest()
    cached = cache_dir / "read" / f"{key}.json" if cache_dir else None
    if cached and cached.is_file():
        return _loads(path, text, cached.read_text("utf-8"))
    ast, warnings = _run_pandoc(path, text)
    parsed = {"ast": _loads(path, text, ast), "warnings": warnings}
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}-{threading.get_ident()}.tmp")  # two files, one text
        # Pandoc's own JSON spliced in: the AST is not serialised a second time.
        tmp.write_text(f'{{"warnings": {json.dumps(warnings)}, "ast": {ast}}}', "utf-8")
        tmp.replace(cached)
    return parsed


def _loads(path: Path, text: str, data: str):
    """Pandoc's JSON; markup nested hundreds deep (lists, quotes, emphasis)
    is deeper than Python's decoder may recurse: a P008, not a traceback."""
    try:
        return json.loads(data)
    except RecursionError:
        _fail("P008", path, deepest_line(text), limit=MAX_NESTING)


def _check_brackets(path: Path, text: str) -> None:
    """Brackets nested deeper than MAX_BRACKETS within a paragraph: P009."""
    depth = 0
    for m in BRACKET.finditer(text):
        token = m.group()
        if token[0] == "\\":
            continue
        depth = 0 if token[0] == "\n" else max(depth + (1 if token == "[" else -1), 0)
        if depth > MAX_BRACKETS:
            _fail("P009", path, text.count("\n", 0, m.start()) + 1, limit=MAX_BRACKETS)


def deepest_line(text: str) -> int:
    """The line that opens the deepest nesting, as near as the text shows it
    (Pandoc's AST has no lines): the one with the most markup before its
    words, or the most quote, emphasis and bracket marks anywhere in it."""
    best, line = -1, 1
    for number, row in enumerate(text.split("\n"), 1):
        size = max(MARKUP_PREFIX.match(row).end(), sum(map(row.count, NESTING_MARKS)))
        if size > best:
            best, line = size, number
    return line


def _run_pandoc(path: Path, text: str) -> tuple[str, list[tuple[int, str]]]:
    """(the AST as Pandoc's JSON text, its warnings)."""
    cmd = [pandoc_path(), "-f", READER, "-t", "json"]
    try:
        done = subprocess.run(cmd, input=text, capture_output=True, text=True, timeout=PANDOC_SECONDS)
    except subprocess.TimeoutExpired:
        _fail("P010", path, 1, seconds=PANDOC_SECONDS)
    if done.returncode != 0:
        _fail("P001", path, 1, detail=(done.stderr.strip().splitlines() or ["unknown error"])[-1])
    return done.stdout, _warnings(done.stderr)


def _warnings(stderr: str) -> list[tuple[int, str]]:
    found = []
    for line in stderr.splitlines():
        if line.startswith("[WARNING]"):
            m = WARNING_LINE.search(line)
            found.append((int(m.group(1)) if m else 0, line.removeprefix("[WARNING]").strip()))
    return found


_VERSION: list[str] = []
_PATH: list[str] = []


def pandoc_version() -> str:
    if not _VERSION:
        _VERSION.append(pandoc.version())
    return _VERSION[0]


def pandoc_path() -> str:
    if not _PATH:
        _PATH.append(pandoc.path())
    return _PATH[0]
