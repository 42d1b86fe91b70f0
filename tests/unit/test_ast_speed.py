"""The fast paths of the transforms give what the plain ones gave: the trie
of forms matches like the alternation longest first, `walk(only=…)` like
`walk`, `visit` in `walk`'s order, `text_of` like a walk collecting words."""

from __future__ import annotations

import json
import re

from hypothesis import given, settings, strategies as st

from pipeline.text.ast import stringify, text_of, visit, walk
from pipeline.transforms.patterns import NEVER, alternation

LETTERS = st.text(alphabet="abAB .-’é", min_size=0, max_size=6)


def plain(forms) -> str:
    return "|".join(re.escape(f) for f in sorted(dict.fromkeys(forms), key=len, reverse=True)) if forms else NEVER


def hits(source: str, text: str) -> list:
    pattern = re.compile(rf"(?<![\w\-])(?:{source})(?!\w|-\w)")
    return [(m.start(), m.end(), m.group()) for m in pattern.finditer(text)]


@settings(max_examples=400, deadline=None)
@given(st.lists(LETTERS, max_size=8), st.text(alphabet="abAB .-’é", max_size=30))
def test_trie_matches_like_the_alternation(forms, text):
    assert hits(alternation(forms), text) == hits(plain(forms), text)


def test_trie_on_names():
    forms = ["Trotsky", "León Trotsky", "L. Trotsky", "Trotski", "Le", "León"]
    text = "León Trotsky, L. Trotsky, Trotskismo, León, Le, Trotski-"
    assert hits(alternation(forms), text) == hits(plain(forms), text)
    assert alternation([]) == NEVER


def test_forms_nested_too_deep_for_the_parser_fall_back():
    forms = ["a" * n for n in range(1, 1500)]
    source = alternation(forms)
    assert re.fullmatch(source, "a" * 700)


INLINES = st.deferred(lambda: st.one_of(
    st.builds(lambda s: {"t": "Str", "c": s}, st.sampled_from(["a", "b", "*c", "x_"])),
    st.just({"t": "Space"}), st.just({"t": "SoftBreak"}),
    st.builds(lambda xs: {"t": "Emph", "c": xs}, st.lists(INLINES, max_size=3)),
    st.builds(lambda xs: {"t": "Span", "c": [["", ["k"], []], xs]}, st.lists(INLINES, max_size=3)),
    st.builds(lambda xs: {"t": "Note", "c": [{"t": "Para", "c": xs}]}, st.lists(INLINES, max_size=3)),
    st.builds(lambda xs: {"t": "Quoted", "c": [{"t": "DoubleQuote"}, xs]}, st.lists(INLINES, max_size=3)),
))
BLOCKS = st.lists(st.builds(lambda xs: {"t": "Para", "c": xs}, st.lists(INLINES, max_size=5)), max_size=3)


def _action(elem):
    if elem["t"] == "Str":
        return [{"t": "Str", "c": elem["c"].upper()}, {"t": "Space"}]
    if elem["t"] == "Note":
        return []
    return elem


@settings(max_examples=200, deadline=None)
@given(BLOCKS)
def test_walk_only_and_visit_agree_with_walk(blocks):
    before = json.dumps(blocks)
    assert walk(blocks, _action, frozenset(("Str", "Note"))) == walk(blocks, _action)
    seen_walk, seen_visit = [], []
    walk(blocks, lambda e: seen_walk.append(json.dumps(e)) or e)
    visit(blocks, lambda e: seen_visit.append(json.dumps(e)))
    assert seen_visit == seen_walk
    assert json.dumps(blocks) == before  # neither touches its input


@settings(max_examples=200, deadline=None)
@given(BLOCKS)
def test_text_of_is_what_a_walk_collects(blocks):
    def collect(node, skip_notes):
        parts = []

        def take(elem):
            if elem["t"] == "Str":
                parts.append(elem["c"])
            elif elem["t"] in ("Space", "SoftBreak", "LineBreak"):
                parts.append(" ")
            return elem

        if skip_notes:
            node = walk(node, lambda e: [] if e["t"] == "Note" else e)
        walk(node, take)
        return "".join(parts)

    assert text_of(blocks) == collect(blocks, False)
    assert stringify(blocks) == collect(blocks, True).strip()
