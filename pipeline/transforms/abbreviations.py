"""Mark abbreviations and roman numerals; collect unknown acronyms.

Before: Str "(CNT)," … Str "siglo" Space Str "XX." … Str "Duma"
After:  Str "(" Span.abbr{term=CNT}["CNT"] Str ")," … Span.roman["XX"] Str "."
        … Span.term{term=Duma}["Duma"]
        and the acronym-like words not in the register, with their counts.

Matching is on whole tokens: "CNT" in "CNTs" or "SCNT" is not the CNT.
An entry whose term is written in capitals (CNT, S.-R., KPD(S)) is an
abbreviation, set in small capitals (Span.abbr, which Pandoc writes as
<abbr>); a word entry (Duma, Comintern, Socialdemócratas) is a glossary term,
counted and linked like an abbreviation but set as it is written (Span.term);
a form of several words ("izquierda revolucionaria") matches across spaces.
Hyphenated initials of given names ("J.-J. Marie", "L.-O. Frossard") are not
acronyms and are not counted as unknown.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pipeline.text.ast import LEAVES, walk
from pipeline.text.words import is_acronym
from pipeline.transforms.patterns import NEVER, alternation

STR = frozenset(("Str",))

# A roman numeral of two letters or more, or a lone I/V/X not followed by "."
# (a lone capital with a period is an initial: "V. Serge", "C. Marx").
ROMAN = r"(?:M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3}))"
ROMAN_TOKEN = re.compile(rf"^{ROMAN}$")
ACRONYM = re.compile(r"(?<![\w.])(?:[A-ZÁÉÍÓÚÑ]\.?-?){2,6}(?![\w])")
# Initials of a compound given name: "J.-J.", "L.-O.", "J.-R" (final point
# dropped by a typo). Every letter but the last has its point.
HYPHENATED_INITIALS = re.compile(r"^(?:[A-ZÁÉÍÓÚÑ]\.-)+[A-ZÁÉÍÓÚÑ]\.?$")


@dataclass(frozen=True)
class Matcher:
    """One regex over every term and variant, longest first."""

    pattern: re.Pattern
    canonical: dict[str, str]
    words: frozenset[str] = frozenset()   # terms that are words, not abbreviations
    phrases: re.Pattern | None = None     # forms of several words ("izquierda revolucionaria")
    longest: int = 1                      # words in the longest form

    @classmethod
    def build(cls, abbreviations) -> "Matcher":
        canonical = {}
        for abbr in abbreviations:
            for form in (abbr.term, *abbr.variants):
                canonical.setdefault(form, abbr.term)
        forms = sorted(canonical, key=len, reverse=True)
        alternatives = alternation(forms) if any(forms) else NEVER
        roman = rf"(?P<roman>{ROMAN})"
        pattern = re.compile(rf"(?<![\w.\-])(?:(?P<abbr>{alternatives})|{roman})(?![\w\-]|\.\w)")
        words = frozenset(a.term for a in abbreviations if not is_acronym(a.term))
        multi = [f for f in forms if " " in f]
        phrases = re.compile(rf"(?<![\w.\-])(?:{alternation(multi)})(?![\w\-]|\.\w)") if multi else None
        return cls(pattern, canonical, words, phrases, max((len(f.split()) for f in forms), default=1))


def mark(blocks: list, matcher: Matcher) -> tuple[list, Counter, Counter]:
    """(blocks with Spans, registered terms used, unknown acronym-like words)."""
    used: Counter = Counter()
    unknown: Counter = Counter()
    seen: dict[str, tuple] = {}   # a word's split, once per distinct word

    def action(elem):
        if elem["t"] != "Str":
            return elem
        text = elem["c"]
        split = seen.get(text)
        if split is None:
            split = seen[text] = _split(text, matcher)
        pieces, terms, tokens = split
        for term in terms:
            used[term] += 1
        for token in tokens:
            unknown[token] += 1
        return {"t": "Str", "c": text} if pieces is None else _fresh(pieces)

    if matcher.phrases is not None:
        blocks = _join_phrases(blocks, matcher)
    return walk(blocks, action, STR), used, unknown


def _join_phrases(node, matcher: Matcher):
    """Str "izquierda" Space Str "revolucionaria," → Str "izquierda revolucionaria,"
    where a form of several words spans them, so it matches as one token."""
    if isinstance(node, dict):
        if isinstance(node.get("c"), (list, dict)):
            return {**node, "c": _join_phrases(node["c"], matcher)}
        return node
    if not isinstance(node, list):
        return node
    items = [item if item.__class__ is dict and item.get("t") in LEAVES  # nothing to join inside
             else _join_phrases(item, matcher) if isinstance(item, (list, dict)) else item for item in node]
    if not _may_join(items, matcher):
        return items
    out, i = [], 0
    while i < len(items):
        run = _run(items, i, matcher.longest)
        for k in range(len(run), 1, -1):
            text = " ".join(run[:k])
            m = matcher.phrases.search(text)
            if m and m.start() < len(run[0]) and m.end() > len(text) - len(run[k - 1]):
                out.append({"t": "Str", "c": text})
                i += 2 * k - 1
                break
        else:
            out.append(items[i])
            i += 1
    return out


def _may_join(items: list, matcher: Matcher) -> bool:
    """Whether a form may span words of `items`: every run of words _run
    reads is a stretch of the list's words joined by spaces, bounded by a
    space or an end, so a form found in a run is found in the whole."""
    words = [x["c"] for x in items if isinstance(x, dict) and x.get("t") == "Str"]
    return len(words) > 1 and matcher.phrases.search(" ".join(words)) is not None


def _run(items: list, i: int, longest: int) -> list[str]:
    """The words of Str Space Str … starting at items[i], at most `longest`."""
    words = []
    while (i < len(items) and len(words) < longest and isinstance(items[i], dict)
           and items[i].get("t") == "Str"):
        words.append(items[i]["c"])
        if i + 1 < len(items) and isinstance(items[i + 1], dict) and items[i + 1].get("t") in ("Space", "SoftBreak"):
            i += 2
        else:
            break
    return words


def _split(text: str, matcher: Matcher) -> tuple[list | None, list[str], list[str]]:
    """(the pieces of a word, or None when it stays as it is; the registered
    terms it uses; the unknown acronyms it holds), counted in order."""
    pieces, pos, used = [], 0, []
    for m in matcher.pattern.finditer(text):
        term = matcher.canonical.get(m.group()) if m.group("abbr") else None
        if term is None and not _is_roman(text, m):
            continue
        kind = "roman" if term is None else "term" if term in matcher.words else "abbr"
        pieces.append(_str(text[pos:m.start()]))
        pieces.append(_span(m.group(), kind, term))
        if term is not None:
            used.append(term)
        pos = m.end()
    rest = text[pos:]
    unknown = _unknown(text, matcher)
    if not pieces:
        return None, used, unknown
    pieces.append(_str(rest))
    return [p for p in pieces if p is not None], used, unknown


def _fresh(node):
    """A copy of a split's result: no two places in the AST share a node."""
    if isinstance(node, dict):
        return {k: _fresh(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_fresh(v) for v in node]
    return node


def _is_roman(text: str, m: re.Match) -> bool:
    token = m.group()
    if not token or not ROMAN_TOKEN.match(token):
        return False
    if len(token) == 1:
        return token in "IVX" and not text[m.end():].startswith(".")
    return True


def _unknown(text: str, matcher: Matcher) -> list[str]:
    unknown = []
    for m in ACRONYM.finditer(text):
        token = _trim(m.group())
        letters = re.sub(r"[.\-]", "", token)
        if (len(letters) >= 2 and token not in matcher.canonical and not _all_roman(token)
                and not HYPHENATED_INITIALS.match(token)):
            unknown.append(token)
    return unknown


def _trim(token: str) -> str:
    """'SFIO.' at a sentence end is SFIO; 'S.R.' keeps its periods."""
    token = token.rstrip("-")
    return token[:-1] if token.endswith(".") and "." not in token[:-1] else token


def _all_roman(token: str) -> bool:
    """XX, or a range such as XIV-XVI."""
    return all(ROMAN_TOKEN.match(part) for part in token.split("-") if part)


def _str(text: str):
    return {"t": "Str", "c": text} if text else None


def _span(text: str, kind: str, term: str | None) -> dict:
    attrs = [["term", term]] if term else []
    return {"t": "Span", "c": [["", [kind], attrs], [{"t": "Str", "c": text}]]}
