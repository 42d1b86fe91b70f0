"""Mark abbreviations and roman numerals; collect unknown acronyms.

Before: Str "(CNT)," … Str "siglo" Space Str "XX."
After:  Str "(" Span.abbr{term=CNT}["CNT"] Str ")," … Span.roman["XX"] Str "."
        and the acronym-like words not in the register, with their counts.

Matching is on whole tokens: "CNT" in "CNTs" or "SCNT" is not the CNT.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pipeline.transforms.ast import walk

# A roman numeral of two letters or more, or a lone I/V/X not followed by "."
# (a lone capital with a period is an initial: "V. Serge", "C. Marx").
ROMAN = r"(?:M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3}))"
ROMAN_TOKEN = re.compile(rf"^{ROMAN}$")
ACRONYM = re.compile(r"(?<![\w.])(?:[A-ZÁÉÍÓÚÑ]\.?-?){2,6}(?![\w])")


@dataclass(frozen=True)
class Matcher:
    """One regex over every term and variant, longest first."""

    pattern: re.Pattern
    canonical: dict[str, str]

    @classmethod
    def build(cls, abbreviations) -> "Matcher":
        canonical = {}
        for abbr in abbreviations:
            for form in (abbr.term, *abbr.variants):
                canonical.setdefault(form, abbr.term)
        forms = sorted(canonical, key=len, reverse=True)
        alternatives = "|".join(re.escape(f) for f in forms) or r"(?!x)x"
        roman = rf"(?P<roman>{ROMAN})"
        pattern = re.compile(rf"(?<![\w.\-])(?:(?P<abbr>{alternatives})|{roman})(?![\w\-]|\.\w)")
        return cls(pattern, canonical)


def mark(blocks: list, matcher: Matcher) -> tuple[list, Counter, Counter]:
    """(blocks with Spans, registered terms used, unknown acronym-like words)."""
    used: Counter = Counter()
    unknown: Counter = Counter()

    def action(elem):
        return _split(elem["c"], matcher, used, unknown) if elem["t"] == "Str" else elem

    return walk(blocks, action), used, unknown


def _split(text: str, matcher: Matcher, used: Counter, unknown: Counter):
    pieces, pos = [], 0
    for m in matcher.pattern.finditer(text):
        kind = "abbr" if m.group("abbr") else "roman"
        if kind == "roman" and not _is_roman(text, m):
            continue
        pieces.append(_str(text[pos:m.start()]))
        pieces.append(_span(m.group(), kind, matcher.canonical.get(m.group())))
        if kind == "abbr":
            used[matcher.canonical[m.group()]] += 1
        pos = m.end()
    rest = text[pos:]
    _collect_unknown(text, matcher, unknown)
    if not pieces:
        return {"t": "Str", "c": text}
    pieces.append(_str(rest))
    return [p for p in pieces if p is not None]


def _is_roman(text: str, m: re.Match) -> bool:
    token = m.group()
    if not token or not ROMAN_TOKEN.match(token):
        return False
    if len(token) == 1:
        return token in "IVX" and not text[m.end():].startswith(".")
    return True


def _collect_unknown(text: str, matcher: Matcher, unknown: Counter) -> None:
    for m in ACRONYM.finditer(text):
        token = _trim(m.group())
        letters = re.sub(r"[.\-]", "", token)
        if len(letters) >= 2 and token not in matcher.canonical and not _all_roman(token):
            unknown[token] += 1


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
