"""Shared by the text-repair tests: the seed file and one RepairContext.

The context (lexicon over the whole book) is built once per test session.
"""

from __future__ import annotations

import functools
from pathlib import Path

from pipeline.importer.repair import RepairContext, repair_paragraph

ROOT = Path(__file__).resolve().parents[2]
PROFILE = ROOT / "pipeline" / "importer" / "profiles" / "serge-memorias"
SEED = PROFILE / "source.txt"  # the text extracted from the printed book; origin in source-map.md


@functools.lru_cache(maxsize=1)
def seed_lines() -> tuple[str, ...]:
    return tuple(SEED.read_text(encoding="utf-8").split("\n"))


def seed(first: int, last: int | None = None) -> list[str]:
    """Source lines first..last (1-based, inclusive)."""
    return list(seed_lines()[first - 1:(last or first)])


@functools.lru_cache(maxsize=1)
def context() -> RepairContext:
    return RepairContext.build(list(seed_lines()), PROFILE)


def repair(lines: list[str] | str, first_line: int = 1):
    """repair_paragraph with the book's context; a str is one line."""
    if isinstance(lines, str):
        lines = [lines]
    return repair_paragraph(lines, first_line, context())


def repair_seed(first: int, last: int | None = None):
    return repair_paragraph(seed(first, last), first, context())
