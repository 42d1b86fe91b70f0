"""Two books' parts -> what changed in each: words, notes, register entries.

Before: {part id: Part} for the old and the new build, in reading order.
After: one PartDiff per part of either side, in the new book's order (parts
only in the old book last), each with its word hunks, its note changes and,
for the glossary and the index, the entries added, removed or edited.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.diff import notes as note_diff
from pipeline.diff.words import Hunk, diff_paragraphs, remap_marks
from pipeline.render.text import PartText

REGISTERS = ("glossary", "index")   # parts whose lines are entries
EMPTY = PartText("", (), ())


@dataclass(frozen=True)
class Part:
    id: str
    role: str
    text: PartText


@dataclass
class PartDiff:
    id: str
    role: str
    title: str
    status: str                                   # "unchanged" | "changed" | "added" | "removed"
    hunks: list[Hunk] = field(default_factory=list)
    notes: list[note_diff.NoteChange] = field(default_factory=list)
    entries: dict[str, list[str]] = field(default_factory=dict)   # register parts only

    def words(self, op: str) -> int:
        notes = sum(h.words(op) for c in self.notes if c.kind == "changed" for h in c.hunks())
        return sum(h.words(op) for h in self.hunks) + notes


def compare_parts(old: dict[str, Part], new: dict[str, Part]) -> list[PartDiff]:
    order = list(new) + [k for k in old if k not in new]
    return [compare_part(old.get(k), new.get(k)) for k in order]


def compare_part(old: Part | None, new: Part | None) -> PartDiff:
    """One part on each side (None when absent) -> its PartDiff."""
    a, b = (old.text if old else EMPTY), (new.text if new else EMPTY)
    changes, mapping = note_diff.compare(a.notes, b.notes)
    paragraphs = [remap_marks(p, mapping) for p in (a.title, *a.paragraphs)]
    hunks = diff_paragraphs(paragraphs, [b.title, *b.paragraphs])
    some = new or old
    diff = PartDiff(some.id, some.role, b.title or a.title, _status(old, new, hunks or changes), hunks, changes)
    if _register(diff):
        diff.entries = entry_changes(a.paragraphs, b.paragraphs)
    return diff


def _register(diff: PartDiff) -> bool:
    return diff.role in REGISTERS or diff.id in REGISTERS


def _status(old, new, changed) -> str:
    if old is None:
        return "added"
    if new is None:
        return "removed"
    return "changed" if changed else "unchanged"


def entry_changes(old: tuple[str, ...], new: tuple[str, ...]) -> dict[str, list[str]]:
    """Register lines ("TERM — text") -> entry terms added, removed, edited."""
    a, b = _entries(old), _entries(new)
    return {
        "added": [k for k in b if k not in a],
        "removed": [k for k in a if k not in b],
        "changed": [k for k in b if k in a and a[k] != b[k]],
    }


def _entries(lines) -> dict[str, str]:
    return {line.split(" — ", 1)[0]: line for line in lines}


def summary(diffs: list[PartDiff]) -> dict:
    """The counts the report opens with."""
    changed = [d for d in diffs if d.status != "unchanged"]
    notes = [c for d in diffs for c in d.notes]
    return {
        "parts_changed": [d.title or d.id for d in changed],
        # the text's words: a register's changes are counted as entries below
        "words_inserted": sum(d.words("insert") for d in diffs if not _register(d)),
        "words_deleted": sum(d.words("delete") for d in diffs if not _register(d)),
        "notes_added": sum(c.kind == "added" for c in notes),
        "notes_removed": sum(c.kind == "removed" for c in notes),
        "notes_changed": sum(c.kind == "changed" for c in notes),
        "notes_renumbered": sum(c.renumbered for c in notes),
        "register_entries_changed": {d.role if d.role in REGISTERS else d.id: sum(map(len, d.entries.values()))
                                     for d in diffs if d.entries},
    }
