"""Word-level diff: old paragraphs, new paragraphs -> hunks of inserted and deleted words.

Two levels, as proofreaders read: paragraphs first (most are untouched and
are skipped whole), then words inside the paragraphs that differ. Diffing a
whole chapter word by word would be slow (difflib is quadratic on the many
repeats of "de" and "la") and would pair words from unrelated paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

# A note mark `[^12]`, a word, or one punctuation sign; each with the space before it.
TOKEN = re.compile(r"\s*(?:\[\^[^\]\s]+\]|\w+|[^\w\s])")
MARK = re.compile(r"\[\^([^\]\s]+)\]")
BREAK = "\n"            # token between paragraphs of one hunk
CONTEXT = 12            # words kept on each side of a change when a run is elided


@dataclass(frozen=True)
class Hunk:
    """Consecutive changed paragraphs: (op, text) chunks, op in equal/insert/delete."""
    old_start: int      # 1-based paragraph numbers where the hunk begins
    new_start: int
    chunks: tuple[tuple[str, str], ...]

    def words(self, op: str) -> int:
        """How many words (not marks, not punctuation) the hunk inserts or deletes."""
        return sum(count_words(text) for kind, text in self.chunks if kind == op)


def count_words(text: str) -> int:
    return sum(1 for t in TOKEN.findall(MARK.sub(" ", text)) if re.search(r"\w", t))


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def diff_paragraphs(old: list[str], new: list[str]) -> list[Hunk]:
    """Paragraph lists -> hunks of word changes (empty when the texts are equal)."""
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    return [_hunk(old[i1:i2], new[j1:j2], i1, j1)
            for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"]


def _hunk(old: list[str], new: list[str], i1: int, j1: int) -> Hunk:
    a, b = _joined_tokens(old), _joined_tokens(new)
    return Hunk(i1 + 1, j1 + 1, tuple(_elide(word_chunks(a, b))))


def _joined_tokens(paragraphs: list[str]) -> list[str]:
    out: list[str] = []
    for n, para in enumerate(paragraphs):
        out += ([BREAK] if n else []) + tokens(para)
    return out


def word_chunks(a: list[str], b: list[str]) -> list[tuple[str, str]]:
    """Token lists -> merged (op, text) chunks; a replacement is a delete then an insert."""
    matcher = SequenceMatcher(None, [t.strip() or t for t in a], [t.strip() or t for t in b], autojunk=False)
    chunks: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            _add(chunks, "equal", b[j1:j2])
        else:
            _add(chunks, "delete", a[i1:i2])
            _add(chunks, "insert", b[j1:j2])
    return chunks


def _add(chunks: list, op: str, toks: list[str]) -> None:
    if not toks:
        return
    text = "".join(toks)
    if chunks and chunks[-1][0] == op:
        chunks[-1] = (op, chunks[-1][1] + text)
    else:
        chunks.append((op, text))


def _elide(chunks: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Long unchanged runs keep only CONTEXT words each side of the changes."""
    out = []
    for n, (op, text) in enumerate(chunks):
        toks = tokens(text) if op == "equal" else []
        keep_head = CONTEXT if n + 1 < len(chunks) else 0
        keep_tail = CONTEXT if n > 0 else 0
        if op == "equal" and len(toks) > keep_head + keep_tail + 4:
            text = "".join(toks[:keep_tail]) + " … " + "".join(toks[len(toks) - keep_head:]).lstrip()
        out.append((op, text))
    return out


def remap_marks(paragraph: str, mapping: dict[str, str]) -> str:
    """Rewrite note marks old -> new, so a renumbered note is not a word change."""
    return MARK.sub(lambda m: f"[^{mapping.get(m[1], m[1])}]", paragraph) if mapping else paragraph
