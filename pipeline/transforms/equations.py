"""Equations: TeX math checked, labelled display equations made targets.

Before: Para [Math DisplayMath "E = mc^2", Space, Str "{#eq-energy}"]
        (Pandoc reads Quarto's label after $$…$$ as plain text)
After:  Para [Span ("eq-energy", ["equation"]) [Math DisplayMath "E = mc^2",
        Span (["eq-number"], key="eq-energy") []]] and a Target("eq-energy",
        "eq"); the resolve stage numbers it "(2.1)" like a figure. Any formula
        that the print renderer (engines/ziamath) cannot read is an R005 at
        its line: print would have nothing to draw.
"""

from __future__ import annotations

import copy
import re

from pipeline.diagnostics import Diagnostic, make
from pipeline.engines import pandoc
from pipeline.engines.ziamath import MathError, draw
from pipeline.read import Source
from pipeline.transforms.crossrefs import Target

LABEL = re.compile(r"^\{#(eq-[^\s}]+)\}$")
PARAS = frozenset(("Para", "Plain"))


def mark(source: Source, blocks: list) -> tuple[list, tuple[Target, ...], list[Diagnostic]]:
    if "$" not in source.text:   # no math: the common case, not walked
        return blocks, (), []
    targets: list[Target] = []
    diags: list[Diagnostic] = []
    checked: set[tuple[str, bool]] = set()
    if "{#eq-" in source.text:   # labels are set in place: on this pass's own copy
        blocks = copy.deepcopy(blocks)
    _visit(source, blocks, targets, checked)
    if checked:
        _check(source, sorted(checked), diags)
    return blocks, tuple(targets), diags


def _visit(source: Source, node, targets: list, checked: set) -> None:
    if isinstance(node, list):
        for item in node:
            _visit(source, item, targets, checked)
    elif isinstance(node, dict) and "t" in node:
        if node["t"] == "Math":
            checked.add((node["c"][1], node["c"][0]["t"] == "DisplayMath"))
        elif node["t"] in PARAS:
            _label(source, node["c"], targets)
        if isinstance(node.get("c"), list):
            _visit(source, node["c"], targets, checked)


def _check(source: Source, formulas: list[tuple[str, bool]], diags: list) -> None:
    """Pandoc's texmath writes the EPUB's MathML, ziamath draws print's SVG:
    a formula either cannot read would be left as TeX in one edition, so it
    is an R005, with texmath's reason when it has one (ziamath's parser
    mostly fails with bare asserts)."""
    for (tex, display), why in zip(formulas, pandoc.mathml(formulas)):
        if not why:
            try:
                draw(tex, display)
                continue
            except MathError as exc:
                why = f"ziamath cannot draw it ({exc})"
        diags.append(make("R005", source.path, source.line_of(tex, 1), tex=tex.strip(), detail=why))


def _label(source: Source, inlines: list, targets: list) -> None:
    i = 0
    while i < len(inlines):
        math = inlines[i]
        if math["t"] == "Math" and math["c"][0]["t"] == "DisplayMath":
            j = i + 1
            while j < len(inlines) and inlines[j]["t"] in ("Space", "SoftBreak"):
                j += 1
            m = LABEL.match(inlines[j]["c"]) if j < len(inlines) and inlines[j]["t"] == "Str" else None
            if m:
                key = m.group(1)
                number = {"t": "Span", "c": [["", ["eq-number"], [["key", key]]], []]}
                inlines[i:j + 1] = [{"t": "Span", "c": [[key, ["equation"], []], [math, number]]}]
                seen = sum(t.key == key for t in targets)   # a label written twice: each at its own line (R004)
                targets.append(Target(key, "eq", _nth_line(source.text, "{#" + key + "}", seen), 0,
                                      math["c"][1].strip()))
        i += 1


def _nth_line(text: str, needle: str, n: int) -> int:
    at = -1
    for _ in range(n + 1):
        at = text.find(needle, at + 1)
        if at < 0:
            return 1
    return text.count("\n", 0, at) + 1
