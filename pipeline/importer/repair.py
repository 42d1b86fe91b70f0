"""Text repair for imported lines: the contract between structure and repair.

Before: the physical lines of one paragraph or note body as extracted from a
printed PDF (damaged ligatures, line-end hyphens, lost small capitals), with
note references already replaced by `[^label]` tokens.
After: one string of clean text, and the decisions taken, for the report.

    ["En de!nitiva, la re-", "-exión de la ogpu en el siglo xx"]
    → "En definitiva, la reflexión de la OGPU en el siglo XX"

The steps, in this order (each in its own module):
1. hyphens.py   join the lines, deciding every line-end hyphen;
2. glyphs.py    repair damaged ligatures inside the joined words (after 1, so
                "con-⏎-icto" is seen whole) and capital I read as l;
3. smallcaps.py restore acronyms and roman numerals (after 2, so the context
                words they look at are clean);
4. ellipses     three full stops as the one character "…".
"""

from __future__ import annotations

import pathlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from typing import Optional

from pydantic import BaseModel, ConfigDict

from .glyphs import fix_initial_l, repair_glyphs, unambiguous_repairs
from .hyphens import HyphenRules, Token, join_lines
from .lexicon import KNOWN, Lexicon, book_vocabulary, real_compounds
from .smallcaps import NOTE_RE, SmallCapsRules, restore_small_caps

PROFILE_FILE = "repair.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Hyphens(_Strict):
    keep_prefixes: list[str] = []
    fl_prefixes: list[str] = []
    joins: list[str] = []


class _Roman(_Strict):
    ambiguous: list[str] = []
    before: list[str] = []
    articles: list[str] = []
    after: list[str] = []
    followed_by: list[str] = []
    never_after: list[str] = []
    not_after_names: list[str] = []
    list_joiners: list[str] = []


class _SmallCaps(_Strict):
    acronyms: list[str] = []
    context_acronyms: list[str] = []
    determiners: list[str] = []
    not_acronyms: list[str] = []
    dotted: list[str] = []
    roman: _Roman = _Roman()


class RepairSpec(_Strict):
    """repair.yaml: every key the repair reads, of its kind (T017 at the line at fault)."""
    hyphens: _Hyphens = _Hyphens()
    small_caps: _SmallCaps = _SmallCaps()
    glyph_exceptions: dict[str, str] = {}
    splits: list[str] = []


def load_rules(profile_dir) -> dict:
    """The profile's repair.yaml as plain data ({} without one); ImportError_
    at the line at fault."""
    from .source import read_yaml

    path = pathlib.Path(profile_dir) / PROFILE_FILE
    if not path.exists():
        return {}
    return (read_yaml(path, Optional[RepairSpec], "T017") or RepairSpec()).model_dump()
WORD_RE = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Decision:
    line: int          # 1-based line of the source file
    kind: str          # glyph | join | keep-hyphen | caps | roman | l-to-I | split
    before: str
    after: str
    doubtful: bool = False
    detail: str = ""   # glyph: the ligatures restored, "fi" or "fi+ff"


@dataclass(frozen=True)
class RepairContext:
    """Everything repair needs, built once per book."""
    lexicon: Lexicon
    hyphens: HyphenRules
    small_caps: SmallCapsRules
    exceptions: dict[str, str]  # whole damaged chunk → its reading, decided by an editor
    splits: frozenset[str] = frozenset()  # words the extraction split, too rare for the lexicon

    @classmethod
    def build(cls, source_lines: list[str], profile_dir: pathlib.Path,
              acronyms: Iterable[str] = ()) -> "RepairContext":
        """Lexicon from wordfreq + the book's undamaged words; rules from repair.yaml.

        `acronyms`: the book's own register (from the abbreviations list),
        added to the profile's list.
        """
        data = load_rules(profile_dir)
        words, hyphenated = book_vocabulary(source_lines)
        words.update(unambiguous_repairs(source_lines))
        lexicon = Lexicon(words)
        lexicon.compounds = real_compounds(lexicon, hyphenated)
        return cls(
            lexicon=lexicon,
            hyphens=HyphenRules.from_dict(data.get("hyphens")),
            small_caps=SmallCapsRules.from_dict(data.get("small_caps"), acronyms),
            exceptions=dict(data.get("glyph_exceptions", {}) or {}),
            splits=frozenset(w.lower() for w in data.get("splits", []) or []),
        )


def repair_paragraph(lines: list[str], first_line: int, context: RepairContext,
                     line_numbers: Sequence[int] | None = None) -> tuple[str, list[Decision]]:
    """Join and repair `lines` (source lines first_line, first_line+1, …).

    A paragraph rebuilt across a page break is not consecutive in the source:
    pass `line_numbers` (one per line) and decisions report the true lines.
    """
    numbers = list(line_numbers) if line_numbers is not None else [first_line + i for i in range(len(lines))]
    if len(numbers) != len(lines):
        raise ValueError(f"{len(lines)} lines but {len(numbers)} line numbers")
    tokens, breaks = join_lines(lines, numbers, context.lexicon, context.hyphens)
    decisions = [Decision(b.line, b.kind, b.before, b.after, b.doubtful) for b in breaks]
    tokens = _join_split_words(tokens, context, decisions)
    for token in tokens:
        decisions.extend(_repair_token(token, context))
    decisions.extend(Decision(f.line, f.kind, f.before, f.after, f.doubtful)
                     for f in restore_small_caps(tokens, context.small_caps))
    return ellipses(" ".join(t.text for t in tokens)), decisions


# Three full stops, no more and no fewer: the book's ellipsis ("Nazzi...[^81]",
# "[...]"), which a Spanish book sets as one character, as the source does
# elsewhere ("univers…").
THREE_STOPS = re.compile(r"(?<!\.)\.\.\.(?!\.)")


def ellipses(text: str) -> str:
    """"reglar... Contesté", "[...]" → "reglar… Contesté", "[…]"; two stops or
    four are no ellipsis and stay."""
    return THREE_STOPS.sub("…", text)


# The head may open a sentence or a name: "Vo ceaba", "Har tenstein".
SPLIT_HEAD = re.compile(r"[A-ZÁÉÍÓÚÑ]?[a-záéíóúñü]+")
SPLIT_TAIL = re.compile(r"([a-záéíóúñü]+)(\W*)")
# A word the extraction cut by a space must be common once whole:
# "coo perativa" → "cooperativa" (3.9), "dife rencias" → "diferencias" (4.6).
SPLIT_JOINED = 3.5


def _join_split_words(tokens: list[Token], context: RepairContext, decisions: list[Decision]) -> list[Token]:
    """Letters split by the extraction: "coo perativa" → "cooperativa" when the
    tail is no word anywhere else in the book and the whole is a common word
    ("adherí a" stays: "a" is a word), or one the profile names as split
    ("Vo ceaba": "voceaba" is too rare for the lexicon)."""
    out: list[Token] = []
    for token in tokens:
        prev = out[-1] if out else None
        tail = SPLIT_TAIL.fullmatch(token.text)
        if prev and tail and SPLIT_HEAD.fullmatch(prev.text) and _is_split(prev.text, tail.group(1), context):
            decisions.append(Decision(prev.line, "split", f"{prev.text} {token.text}", prev.text + token.text))
            prev.text += token.text
            continue
        out.append(token)
    return out


def _is_split(head: str, tail: str, context: RepairContext) -> bool:
    """Whether `head` and `tail` are one word cut by a space (see _join_split_words)."""
    if context.lexicon.score_elsewhere(tail) >= KNOWN:
        return False
    whole = (head + tail).lower()
    return whole in context.splits or context.lexicon.score(whole) >= SPLIT_JOINED


def _repair_token(token: Token, context: RepairContext) -> list[Decision]:
    """Glyphs and l→I inside one token, leaving `[^...]` references alone.

    "quien,[^1]" is untouched; "Io8é,[^101]" → "Ioffé,[^101]".
    """
    decisions: list[Decision] = []
    pieces = []
    last = 0
    for m in NOTE_RE.finditer(token.text):
        pieces.append(_repair_text(token.text[last:m.start()], token.line, context, decisions, "["))
        pieces.append(m.group(0))
        last = m.end()
    pieces.append(_repair_text(token.text[last:], token.line, context, decisions))
    token.text = "".join(pieces)
    return decisions


def _repair_text(text: str, line: int, context: RepairContext, decisions: list[Decision],
                 tail: str = "") -> str:
    """Repair a piece of a token that holds no note reference (`tail`: what follows it)."""
    if not text:
        return text
    for damaged, reading in _exception_forms(context.exceptions):
        if damaged in text:
            text = text.replace(damaged, reading)
            decisions.append(Decision(line, "glyph", damaged, reading, False, "exception"))
    text, fixes = repair_glyphs(text, context.lexicon, context.hyphens.fl_prefixes, tail)
    decisions.extend(Decision(line, "glyph", f.before, f.after, f.doubtful, "+".join(f.ligatures))
                     for f in fixes)
    return WORD_RE.sub(lambda m: _initial_l(m.group(0), line, context, decisions), text)


def _exception_forms(exceptions: dict[str, str]) -> list[tuple[str, str]]:
    """Each exception as written and capitalised: "pan-etario" also repairs a
    sentence's "Pan-etario" (line 8527), which the lexicon cannot read either."""
    forms = []
    for damaged, reading in exceptions.items():
        forms.append((damaged, reading))
        if damaged[:1].islower():
            forms.append((damaged[:1].upper() + damaged[1:], reading[:1].upper() + reading[1:]))
    return forms


def _initial_l(word: str, line: int, context: RepairContext, decisions: list[Decision]) -> str:
    """"lnternacional" → "Internacional" (not acronyms: "ens lsh" is ENS LSH)."""
    if word in context.small_caps.acronyms:
        return word
    fixed = fix_initial_l(word, context.lexicon)
    if fixed is None:
        return word
    decisions.append(Decision(line, "l-to-I", word, fixed[0], fixed[1]))
    return fixed[0]
