"""Footnote labels found in Markdown text, with their lines.

Before: "Texto[^1].\\n\\n[^1]: Nota con otra[^2].\\n"
After:  refs [1@1], defs [1@3], nested [2@3] (a reference inside a note
        definition: Pandoc keeps it as literal text, so it must not be paired
        with a Note of the AST).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

REF = re.compile(r"(?<!\\)\[\^([^\]\s]+)\](?!:)")
DEF = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:")
CODE = re.compile(r"`+[^`\n]*`+")


@dataclass(frozen=True)
class Site:
    label: str
    line: int


@dataclass(frozen=True)
class Labels:
    refs: tuple[Site, ...]
    defs: tuple[Site, ...]
    nested: tuple[Site, ...]


def scan_labels(text: str) -> Labels:
    refs, defs, nested = [], [], []
    in_def = False
    blank_before = False
    for number, line in enumerate(CODE.sub(_blank, text).split("\n"), 1):
        m = DEF.match(line)
        if m:
            defs.append(Site(m.group(1), number))
            in_def = True
            line = line[m.end():]
        elif in_def and blank_before and line.strip() and not line.startswith(("    ", "\t")):
            in_def = False  # a flush-left paragraph after a blank line ends the definition
        target = nested if in_def else refs
        target.extend(Site(r.group(1), number) for r in REF.finditer(line))
        blank_before = not line.strip()
    return Labels(tuple(refs), tuple(defs), tuple(nested))


def _blank(m: re.Match) -> str:
    return " " * len(m.group())
