"""The abbreviations register (abbreviations.yaml) as Book data."""

from __future__ import annotations

from pathlib import Path

import yaml

from pipeline.resolve.model import Abbreviation


def load(root: Path) -> tuple[Abbreviation, ...]:
    path = root / "abbreviations.yaml"
    if not path.is_file():
        return ()
    rows = yaml.safe_load(path.read_text("utf-8")) or []
    return tuple(_entry(row) for row in rows)


def _entry(row: dict) -> Abbreviation:
    return Abbreviation(str(row["term"]), str(row.get("expansion", "")),
                        tuple(map(str, row.get("variants") or ())), row.get("note"))
