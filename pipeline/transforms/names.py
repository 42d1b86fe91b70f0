"""Mark the mentions of the persons in names.yaml, for the index of names.

Before: Str "León" Space Str "Trotsky," … Span.name{key="Serge, Victor"}["Serge"]
        … Span.noindex["Serge"]
After:  Span.name{key="Trotsky, León"}[Str "León" Space Str "Trotsky"] Str "," …
        (explicit spans kept as written, nothing marked inside a .noindex)
        and, once the notes are lifted, every name span numbered in reading
        order (text first, then the notes) with the note label it sits in.

Matching is on whole words, case-sensitive, longest form first ("León
Trotsky" before "Trotsky"), inside one run of words: a form never spans
emphasis or a link. A variant is no mention where an entry's context rules
say so: `exclude` phrases ("calle Blanqui"), a word before it (`not_after`:
"bulevar") or after it (`not_before`). Level-1 headings are left alone: the
title of a part is printed in several places and an anchor must be unique.
Runs before the abbreviations pass, so "Alejandro II" is one form and its
numeral is still set as a roman numeral inside the name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.text.ast import text_of, walk
from pipeline.transforms.patterns import alternation

WORD = r"[\w’'\-]"
SPAN = frozenset(("Span",))


@dataclass(frozen=True)
class NameSite:
    """A mention as the transforms see it: its number in the file, its entry."""
    n: int
    key: str
    text: str
    note: str | None = None     # label of the note holding it ("12", "12*")


@dataclass(frozen=True)
class NameMatcher:
    pattern: re.Pattern | None
    canonical: dict[str, str]                       # variant -> key
    rules: dict[str, tuple] = field(default_factory=dict)   # key -> (not_before, not_after, exclude)
    keys: frozenset[str] = frozenset()

    @classmethod
    def build(cls, forms) -> "NameMatcher":
        canonical: dict[str, str] = {}
        rules = {}
        for form in forms:
            for variant in form.variants:
                canonical.setdefault(variant, form.key)    # claimed twice: the first wins (X002 says so)
            rules[form.key] = (tuple(form.not_before), tuple(form.not_after), tuple(form.exclude))
        if not canonical:
            return cls(None, {}, rules, frozenset(rules))
        pattern = re.compile(rf"(?<![\w\-])(?:{alternation(canonical)})(?!\w|-\w)")
        return cls(pattern, canonical, rules, frozenset(rules))


NO_NAMES = NameMatcher.build(())


def mark(blocks: list, matcher: NameMatcher) -> list:
    """Blocks with a Span.name around every registered form."""
    if matcher.pattern is None:
        return blocks
    return [b if b.get("t") == "Header" and b["c"][0] == 1 else _node(b, matcher) for b in blocks]


def _node(node, matcher: NameMatcher):
    if isinstance(node, list):
        if node and all(isinstance(x, dict) and "t" in x for x in node) and _has_inline(node):
            return _inlines(node, matcher)
        return [_node(x, matcher) for x in node]
    if isinstance(node, dict) and "t" in node:
        if node["t"] == "Span" and _classes(node) & {"name", "noindex"}:
            return node
        # A citation's words (read/citations.py) name the works' authors: a
        # source, not a person the text speaks of, so no mention for the index.
        if node["t"] in ("Code", "CodeBlock", "RawInline", "RawBlock", "Math", "Cite"):
            return node
        return {**node, "c": _node(node["c"], matcher)} if "c" in node else node
    return node


INLINE_WORDS = ("Str", "Space", "SoftBreak")


def _has_inline(items: list) -> bool:
    return any(x["t"] in INLINE_WORDS for x in items)


def _classes(elem) -> set[str]:
    return set(elem["c"][0][1])


def _inlines(items: list, matcher: NameMatcher) -> list:
    out, run = [], []
    for item in items:
        if item["t"] in INLINE_WORDS:
            run.append(item)
            continue
        out.extend(_run(run, matcher))
        run = []
        out.append(_node(item, matcher))
    out.extend(_run(run, matcher))
    return out


def _run(run: list, matcher: NameMatcher) -> list:
    if not run:
        return []
    text = "".join(x["c"] if x["t"] == "Str" else " " for x in run)
    found = [m for m in matcher.pattern.finditer(text) if _counts(text, m, matcher)]
    if not found:
        return run
    out, pos = [], 0
    for m in found:
        out.extend(_words(text[pos:m.start()]))
        key = matcher.canonical[m.group()]
        out.append({"t": "Span", "c": [["", ["name"], [["key", key]]], _words(m.group())]})
        pos = m.end()
    out.extend(_words(text[pos:]))
    return out


def _counts(text: str, m: re.Match, matcher: NameMatcher) -> bool:
    not_before, not_after, exclude = matcher.rules[matcher.canonical[m.group()]]
    if not_before:
        after = re.match(rf"\W*({WORD}+)", text[m.end():])
        if after and after.group(1) in not_before:
            return False
    if not_after:
        before = re.search(rf"({WORD}+)\W*$", text[:m.start()])
        if before and before.group(1).lower() in {w.lower() for w in not_after}:
            return False
    for phrase in exclude:
        for hit in re.finditer(re.escape(phrase), text):
            if hit.start() <= m.start() and m.end() <= hit.end():
                return False
    return True


def _words(text: str) -> list:
    out = []
    for i, piece in enumerate(text.split(" ")):
        if i:
            out.append({"t": "Space"})
        if piece:
            out.append({"t": "Str", "c": piece})
    return out


def number(blocks: list, bodies: dict[str, list]) -> tuple[list, dict[str, list], tuple[NameSite, ...]]:
    """Number every name span in reading order: the text, then each note
    body (in the order of their labels' first references)."""
    sites: list[NameSite] = []

    def numberer(note):
        def action(elem):
            if elem["t"] == "Span" and "name" in _classes(elem):
                ident, classes, attrs = elem["c"][0]
                pairs = dict(attrs)
                n = len(sites) + 1
                sites.append(NameSite(n, pairs.get("key", ""), plain_text(elem["c"][1]), note))
                attrs = [[k, v] for k, v in attrs if k != "n"] + [["n", str(n)]]
                return {"t": "Span", "c": [[ident, classes, attrs], elem["c"][1]]}
            return elem
        return action

    blocks = walk(blocks, numberer(None), SPAN)
    bodies = {label: walk(body, numberer(label), SPAN) for label, body in bodies.items()}
    return blocks, bodies, tuple(sites)


def unmark(inlines: list) -> list:
    """A heading's inlines without name spans (the title of a part is no mention)."""
    def action(elem):
        if elem["t"] == "Span" and "name" in _classes(elem):
            return elem["c"][1]
        return elem
    return walk(inlines, action, SPAN)


def plain_text(inlines) -> str:
    """Str and spaces of inlines, as written (notes included: there are none here)."""
    return text_of(inlines)
