"""Notes of one part, old and new -> added, removed, changed, renumbered.

Notes are matched by their text, not their mark: adding a note near the
start of a chapter renumbers every later one, and a proofreader wants to read
"notes 1-200 are now 2-201" once, not two hundred changes. The mapping of
old marks to new ones is also what lets the word diff ignore renumbered
references in the running text.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from pipeline.diff.words import diff_paragraphs

SIMILAR = 0.6   # two notes this alike (difflib ratio) are one note edited


@dataclass(frozen=True)
class NoteChange:
    kind: str                 # "added" | "removed" | "changed" | "renumbered"
    old_mark: str | None
    new_mark: str | None
    old_text: str = ""
    new_text: str = ""

    @property
    def renumbered(self) -> bool:
        return None not in (self.old_mark, self.new_mark) and self.old_mark != self.new_mark

    def hunks(self):
        """The word diff of an edited note's text."""
        return diff_paragraphs(self.old_text.split(" ¶ "), self.new_text.split(" ¶ "))


def compare(old, new) -> tuple[list[NoteChange], dict[str, str]]:
    """(mark, text) sequences -> (changes in new order, {old mark: new mark})."""
    matcher = SequenceMatcher(None, [t for _, t in old], [t for _, t in new], autojunk=False)
    changes: list[NoteChange] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        changes += _block(op, old[i1:i2], new[j1:j2])
    # every note found on both sides, unchanged ones included, for the word diff
    mapping = {c.old_mark: c.new_mark for c in changes if c.old_mark and c.new_mark}
    return [c for c in changes if c.kind != "same"], mapping


def _block(op: str, old, new) -> list[NoteChange]:
    if op == "equal":
        return [_same(o, n) for o, n in zip(old, new)]
    if op == "replace":
        return _pair_similar(old, new)
    return [_lone(op, note) for note in (new if op == "insert" else old)]


def _same(o, n) -> NoteChange:
    return NoteChange("renumbered" if o[0] != n[0] else "same", o[0], n[0], o[1], n[1])


def _lone(op: str, note) -> NoteChange:
    if op == "insert":
        return NoteChange("added", None, note[0], "", note[1])
    return NoteChange("removed", note[0], None, note[1], "")


def _pair_similar(old, new) -> list[NoteChange]:
    """A replaced run: notes pair up in order while they stay alike."""
    out, rest_old = [], list(old)
    for n in new:
        match = next((o for o in rest_old if _alike(o[1], n[1])), None)
        if match is None:
            out.append(_lone("insert", n))
            continue
        for skipped in rest_old[:rest_old.index(match)]:
            out.append(_lone("delete", skipped))
        rest_old = rest_old[rest_old.index(match) + 1:]
        out.append(NoteChange("changed", match[0], n[0], match[1], n[1]))
    return out + [_lone("delete", o) for o in rest_old]


def _alike(a: str, b: str) -> bool:
    return SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio() >= SIMILAR


def renumbering(changes: list[NoteChange]) -> list[tuple[str, str, str, str]]:
    """Renumbered notes as runs: [(old first, old last, new first, new last)]."""
    runs: list[list[str]] = []
    for c in (c for c in changes if c.renumbered):
        if runs and _follows(runs[-1][1], c.old_mark) and _follows(runs[-1][3], c.new_mark):
            runs[-1][1], runs[-1][3] = c.old_mark, c.new_mark
        else:
            runs.append([c.old_mark, c.old_mark, c.new_mark, c.new_mark])
    return [tuple(r) for r in runs]


def _follows(prev: str, mark: str) -> bool:
    """True when `mark` is the next number after `prev` ("12" then "13", "12*" then "13")."""
    a, b = prev.rstrip("*"), mark.rstrip("*")
    return a.isdigit() and b.isdigit() and int(b) == int(a) + 1
