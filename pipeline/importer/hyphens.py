"""Join a paragraph's physical lines, deciding every line-end hyphen.

A line that ends in "-" either cut a word ("revolu-⏎cionario" → joined) or
ended on a real hyphen that the typesetter did not repeat:

    "(1884-⏎1925)"        → "(1884-1925)"       a range
    "Victor-⏎Serge"       → "Victor-Serge"      a compound of capitalised parts
    "mar-⏎zo-abril-junio" → "marzo-abril-junio" a cut word inside a chain
    "con-⏎-icto"          → "con-icto"          joined; glyphs.py makes it "conflicto"

Each physical line's tokens keep their source line number for the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .glyphs import CHUNK_RE, resolve_chunk
from .lexicon import KNOWN, Lexicon

BREAK = "⏎"
LEFT_CORE_RE = re.compile(r"(?:[^\W\d_]|[!\"#$<89\-])*$")
URL_RE = re.compile(r"(?:https?://|www\.)\S*[./]$")
# A kept hyphen needs two real words on its sides, each at least this
# frequent and this long, when the joined word is unknown ("jueces-⏎robot").
STRONG = 3.5
MIN_PART = 4
# ... and the joined word is not even rare in wordfreq ("librepensamiento" 1.9).
ATTESTED = 1.0


@dataclass
class Token:
    """One whitespace-separated token of the paragraph and its source line."""
    text: str
    line: int


@dataclass(frozen=True)
class HyphenRules:
    """Book-specific hyphen data from repair.yaml (section `hyphens`)."""
    keep_prefixes: frozenset[str] = frozenset()   # "ex-⏎ministro" keeps its hyphen
    fl_prefixes: frozenset[str] = frozenset()     # "re-exión" is fl, not a hyphen
    joins: frozenset[str] = frozenset()           # words decided by hand: "mala-⏎quitas" is malaquitas

    @classmethod
    def from_dict(cls, data: dict | None) -> "HyphenRules":
        data = data or {}
        return cls(frozenset(data.get("keep_prefixes", ())), frozenset(data.get("fl_prefixes", ())),
                   frozenset(w.lower() for w in data.get("joins", ())))


@dataclass(frozen=True)
class BreakDecision:
    """What became of one line-end: kind is "join" or "keep-hyphen"."""
    line: int
    kind: str
    before: str
    after: str
    doubtful: bool = False


def join_lines(lines: list[str], line_numbers: list[int], lexicon: Lexicon,
               rules: HyphenRules) -> tuple[list[Token], list[BreakDecision]]:
    """Tokens of the paragraph with every line-end resolved.

    ["una re-", "-exión"] (lines 10, 11) → tokens "una" (10), "re-exión" (10)
    and a join decision at line 10.
    """
    tokens: list[Token] = []
    decisions: list[BreakDecision] = []
    pending = None  # "hyphen" or "url": how the last token continues
    for line, raw in zip(line_numbers, lines):
        words = raw.split()
        if not words:
            continue  # a stray blank line inside a paragraph
        if pending and tokens:
            left = tokens.pop()
            merged, decision = (_break(left, words[0], lexicon, rules) if pending == "hyphen"
                                else _url(left, words[0]))
            tokens.append(Token(merged, left.line))
            decisions.append(decision)
            words = words[1:]
        tokens.extend(Token(w, line) for w in words)
        pending = _continuation(tokens[-1].text) if words else None
    return tokens, decisions


def _continuation(last: str) -> str | None:
    """How a line's last token runs on: "revolu-" → "hyphen", "http://x.cnrs." → "url"."""
    if URL_RE.search(last):
        return "url"
    if len(last) > 1 and last.endswith("-") and last[-2] not in "-—":
        return "hyphen"
    return None


def _url(left: Token, right: str) -> tuple[str, BreakDecision]:
    """A URL cut at the line end joins with no space."""
    merged = left.text + right
    return merged, BreakDecision(left.line, "join", f"{left.text}{BREAK}{right}", merged)


def _break(left: Token, right: str, lexicon: Lexicon, rules: HyphenRules) -> tuple[str, BreakDecision]:
    """Decide one line-end hyphen between token `left` ("mar-") and `right` ("zo-abril")."""
    kind, doubtful = decide_break(left.text[:-1], right, lexicon, rules)
    merged = left.text[:-1] + right if kind == "join" else left.text + right
    return merged, BreakDecision(left.line, kind, f"{left.text}{BREAK}{right}", merged, doubtful)


def decide_break(stem: str, right: str, lexicon: Lexicon, rules: HyphenRules) -> tuple[str, bool]:
    """("join" | "keep-hyphen", doubtful) for the break between "stem-" and `right`.

    "mar", "zo-abril" → join; "1884", "1925)" → keep; "Victor", "Serge" → keep.
    """
    if stem[-1:].isdigit() and right[:1].isdigit():
        return "keep-hyphen", False  # a range: "pp. 714-⏎719"
    left_core = LEFT_CORE_RE.search(stem).group(0)
    match = CHUNK_RE.match(right)
    right_core = match.group(0) if match else ""
    if (left_core + right_core).lower() in rules.joins:
        return "join", False
    if not _has_letter(left_core) or not _has_letter(right_core):
        return "keep-hyphen", True
    first_right = next(c for c in right_core if c.isalpha())
    if first_right.isupper() and not (left_core.isupper() and right_core.isupper()):
        return "keep-hyphen", False  # "Victor-⏎Serge", "Austria-⏎Hungría", "anti-⏎Dühring"
    return _by_lexicon(left_core, right_core, lexicon, rules)


def _has_letter(text: str) -> bool:
    return any(c.isalpha() for c in text)


def _reading(text: str, lexicon: Lexicon, rules: HyphenRules) -> str:
    """`text` with its glyphs repaired: "con-icto" → "conflicto"."""
    fix = resolve_chunk(text, lexicon, rules.fl_prefixes)
    return fix.after if fix else text


def _by_lexicon(left: str, right: str, lexicon: Lexicon, rules: HyphenRules) -> tuple[str, bool]:
    """Join unless the book or the lexicon says the hyphen is real.

    Evidence, strongest first: the book writes the compound with a hyphen
    elsewhere ("social-demócrata"); the joined word is known ("marzo"); the
    left part is a hyphen-keeping prefix ("ex-"); both parts are common words
    and the joined word is unknown ("jueces-robot"). Otherwise join: most
    line-end hyphens cut a word, and names the lexicon ignores are words too.
    """
    # Each side of a real hyphen is a word of its own, so it is repaired alone.
    kept_left = _reading(left, lexicon, rules).split("-")
    kept_right = _reading(right, lexicon, rules).split("-")
    near = (kept_left[-1], kept_right[0])           # "mar", "zo" in "mar-⏎zo-abril"
    joined_parts = _reading(left + right, lexicon, rules).split("-")
    fresh = [p for p in joined_parts if p not in kept_left + kept_right]
    joined_word = fresh[0] if fresh else "".join(near)  # "marzo"
    compound_count = lexicon.compounds.get("-".join(near).lower(), 0)
    joined_count = lexicon.book_count(joined_word)
    if compound_count > joined_count:
        return "keep-hyphen", joined_count > 0
    if lexicon.reading_score(joined_word)[0] >= KNOWN:
        return "join", False
    if near[0].lower() in rules.keep_prefixes and lexicon.known(near[1]):
        return "keep-hyphen", True
    strong_parts = all(len(p) >= MIN_PART and lexicon.score(p) >= STRONG for p in near)
    if strong_parts and lexicon.reading_score(joined_word)[0] < ATTESTED:
        return "keep-hyphen", True  # "jueces-⏎robot"; but "libre-⏎pensamiento" joins
    # An unknown joined word is doubtful only if the hyphen could be real:
    # "des-⏎acostumbrado" yes, "adelga-⏎zaba" ("adelga" is no word) no.
    return "join", all(lexicon.known(p) for p in near)
