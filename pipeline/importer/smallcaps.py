"""Restore what the book set in small capitals: acronyms and roman numerals.

Extraction lowercased them: "la ogpu" → "la OGPU", "los s.-r." → "los S.-R.",
"siglo xx" → "siglo XX", "Alejandro ii" → "Alejandro II". Lowercase words
that are real words stay: French "ce que", "la ira", "pp. 65 y ss.", the
verb "lo vi", the Catalan conjunction "Ferrer i Guardia", "rayos x".

Every change here only changes case, so the text keeps its length and the
tokens keep their boundaries.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .hyphens import Token

WORD_RE = re.compile(r"[^\W\d_]+")
NOTE_RE = re.compile(r"\[\^[^\]]*\]")
URL_TOKEN_RE = re.compile(r"://|www\.")
# Roman numerals 1-49, the book's range ("xliii" is its largest).
ROMAN_RE = re.compile(r"(?:xl|x{0,3})(?:ix|iv|v?i{0,3})")
# French ordinals: "la iiie Internationale" → "IIIe".
ROMAN_ORDINAL_RE = re.compile(r"((?:xl|x{0,3})(?:ix|iv|v?i{0,3}))e")
# Only commas, hyphens and spaces between two numerals of a list ("i, ii").
LIST_SEP_RE = re.compile(r"[\s,\-–]*")


@dataclass(frozen=True)
class SmallCapsRules:
    """Book-specific small-caps data from repair.yaml (section `small_caps`)."""
    acronyms: frozenset[str] = frozenset()
    context_acronyms: frozenset[str] = frozenset()   # "del ce" yes, "ce que" no
    determiners: frozenset[str] = frozenset()
    not_acronyms: frozenset[str] = frozenset()       # false friends: sa, ss, ira
    dotted: tuple[str, ...] = ()                     # "s.-r.", "s-r"
    roman_ambiguous: frozenset[str] = frozenset()    # i, v, vi, x
    roman_before: frozenset[str] = frozenset()       # siglo, t., cap.
    roman_articles: frozenset[str] = frozenset()     # "el x Congreso"
    roman_after: frozenset[str] = frozenset()        # "el x aniversario"
    roman_followed_by: frozenset[str] = frozenset()  # "cit., i, p. 172", "i. núm. 9"
    roman_never_after: frozenset[str] = frozenset()  # "rayos x"
    roman_not_after_names: frozenset[str] = frozenset()  # "Lo vi" is a verb
    list_joiners: frozenset[str] = frozenset()       # "i y ii"

    @classmethod
    def from_dict(cls, data: dict | None, extra_acronyms=()) -> "SmallCapsRules":
        """Rules from the yaml mapping, with the register's acronyms added."""
        data = data or {}
        roman = data.get("roman", {}) or {}

        def lower(key: str, src: dict = data) -> frozenset[str]:
            return frozenset(str(w).lower() for w in src.get(key, ()) or ())

        acronyms = lower("acronyms") | {a.lower() for a in extra_acronyms if a and a.isalpha()}
        return cls(
            acronyms=acronyms - lower("not_acronyms"),
            context_acronyms=lower("context_acronyms"),
            determiners=lower("determiners"),
            not_acronyms=lower("not_acronyms"),
            dotted=tuple(data.get("dotted", ()) or ()),
            roman_ambiguous=lower("ambiguous", roman),
            roman_before=lower("before", roman),
            roman_articles=lower("articles", roman),
            roman_after=lower("after", roman),
            roman_followed_by=lower("followed_by", roman),
            roman_never_after=lower("never_after", roman),
            roman_not_after_names=lower("not_after_names", roman),
            list_joiners=lower("list_joiners", roman),
        )


@dataclass(frozen=True)
class CapsFix:
    """One restored word: kind "caps" or "roman", with its source line."""
    line: int
    kind: str
    before: str
    after: str
    doubtful: bool = False


@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    text: str


def restore_small_caps(tokens: list[Token], rules: SmallCapsRules) -> list[CapsFix]:
    """Uppercase the acronyms and numerals among `tokens`, in place.

    [la][ogpu][y][el][siglo][xx] → [la][OGPU][y][el][siglo][XX]
    """
    flat, starts = _flatten(tokens)
    masked = NOTE_RE.sub(lambda m: " " * len(m.group(0)), flat)
    for i, tok in enumerate(tokens):  # URLs are not words: "cnrs.fr" stays
        if URL_TOKEN_RE.search(tok.text):
            masked = masked[:starts[i]] + " " * len(tok.text) + masked[starts[i] + len(tok.text):]
    changes: list[tuple[int, int, str, str, bool]] = []  # start, end, kind, new, doubtful
    masked = _dotted(masked, rules, changes)
    words = [_Word(m.start(), m.end(), m.group(0)) for m in WORD_RE.finditer(masked)]
    numerals: set[int] = set()
    for k, word in enumerate(words):
        found = _acronym(words, k, masked, rules) or _roman(words, k, masked, rules, numerals)
        if found:
            kind, new, doubtful = found
            changes.append((word.start, word.end, kind, new, doubtful))
            if kind == "roman":
                numerals.add(k)
    return _apply(tokens, flat, starts, changes)


def _flatten(tokens: list[Token]) -> tuple[str, list[int]]:
    """Tokens joined by single spaces, and where each token starts."""
    starts, pos = [], 0
    for tok in tokens:
        starts.append(pos)
        pos += len(tok.text) + 1
    return " ".join(t.text for t in tokens), starts


def _dotted(masked: str, rules: SmallCapsRules, changes: list) -> str:
    """Acronyms written with points: "los s.-r." → "los S.-R.". Masks them out."""
    for form in rules.dotted:
        pattern = re.compile(r"(?<![\w.])" + re.escape(form) + r"(?![\w])")
        for m in pattern.finditer(masked):
            changes.append((m.start(), m.end(), "caps", m.group(0).upper(), False))
        masked = pattern.sub(lambda m: " " * len(m.group(0)), masked)
    return masked


def _acronym(words: list[_Word], k: int, masked: str, rules: SmallCapsRules):
    """("caps", "OGPU", doubtful) for an acronym, else None. "del ce" yes, "que ce" no."""
    word = words[k].text
    if word not in rules.acronyms:
        return None
    if word in rules.context_acronyms:
        prev = words[k - 1].text.lower() if k else ""
        register_entry = k == 0 and masked[words[k].end:].lstrip().startswith(":")
        if prev not in rules.determiners and not register_entry:
            return None
    return "caps", word.upper(), False


def _roman(words: list[_Word], k: int, masked: str, rules: SmallCapsRules, numerals: set[int]):
    """("roman", "XX", doubtful) for a numeral in context, else None."""
    word = words[k].text
    ordinal = ROMAN_ORDINAL_RE.fullmatch(word)
    if ordinal and len(ordinal.group(1)) > 1 and ordinal.group(1) not in rules.roman_ambiguous:
        return "roman", ordinal.group(1).upper() + "e", False
    if not word or not ROMAN_RE.fullmatch(word):
        return None
    prev = _prev_key(words, k, masked)
    if prev in rules.roman_never_after:
        return None
    if word not in rules.roman_ambiguous:
        return "roman", word.upper(), False
    verdict = _ambiguous_numeral(words, k, masked, rules, numerals, prev)
    return ("roman", word.upper(), verdict == "name") if verdict else None


def _prev_key(words: list[_Word], k: int, masked: str) -> str:
    """The previous word as a context key, with its point: "t." in "t. iii"."""
    return _key(words[k - 1], masked) if k else ""


def _key(word: _Word, masked: str) -> str:
    """A word as a context key, lowercased, with the point that follows it: "p."."""
    return word.text.lower() + ("." if masked[word.end:word.end + 1] == "." else "")


def _ambiguous_numeral(words, k, masked, rules: SmallCapsRules, numerals: set[int], prev: str) -> str | None:
    """Why an "i", "v", "vi" or "x" is a numeral here, or None if it is a word.

    "siglo x" / "cap. i" (context) · "el x Congreso" (article) · "i y ii"
    (list) · "Pío x", "Zog i (1928" (name; not "Ferrer i Guardia", not "vi").
    """
    word = words[k].text
    nxt = words[k + 1] if k + 1 < len(words) else None
    # Only a capitalised word right after it makes "i" a conjunction
    # ("Zemlia i Volia"); "Zog i (1928-1939). Forzado" is a numeral.
    next_capital = bool(nxt and nxt.text[0].isupper() and not masked[words[k].end:nxt.start].strip())
    if prev in rules.roman_before:
        return "context"
    if prev.rstrip(".") in rules.roman_articles and (
            next_capital or (nxt and nxt.text.lower() in rules.roman_after)):
        return "article"
    if _in_list(words, k, masked, rules, numerals):
        return "list"
    if nxt and _key(nxt, masked) in rules.roman_followed_by and \
            re.fullmatch(r"[\s,.]*", masked[words[k].end:nxt.start]):
        return "reference"
    prev_word = words[k - 1].text if k else ""
    if prev_word[:1].isupper() and word not in rules.roman_not_after_names and not next_capital:
        return "name"
    return None


def _in_list(words, k, masked, rules: SmallCapsRules, numerals: set[int]) -> bool:
    """Whether word k sits in a list of numerals: "i, ii", "v y vi", "x, xii y xiv"."""
    def numeral(j: int) -> bool:
        if not 0 <= j < len(words):
            return False
        text = words[j].text
        return j in numerals or (ROMAN_RE.fullmatch(text) is not None and text not in rules.roman_ambiguous)

    def close(a: int, b: int) -> bool:  # only list punctuation between words a and b
        return LIST_SEP_RE.fullmatch(masked[words[a].end:words[b].start]) is not None

    joiner = lambda j: 0 <= j < len(words) and words[j].text in rules.list_joiners
    if numeral(k - 1) and close(k - 1, k) or joiner(k - 1) and numeral(k - 2):
        return True
    return bool(numeral(k + 1) and close(k, k + 1) or joiner(k + 1) and numeral(k + 2))


def _apply(tokens: list[Token], flat: str, starts: list[int], changes) -> list[CapsFix]:
    """Write the same-length changes back into the tokens; one CapsFix each."""
    fixes = []
    chars = list(flat)
    for start, end, kind, new, doubtful in sorted(changes):
        old = flat[start:end]
        if old == new:
            continue
        chars[start:end] = list(new)
        line = tokens[bisect.bisect_right(starts, start) - 1].line
        fixes.append(CapsFix(line, kind, old, new, doubtful))
    new_flat = "".join(chars)
    for i, tok in enumerate(tokens):
        tok.text = new_flat[starts[i]:starts[i] + len(tok.text)]
    return fixes
