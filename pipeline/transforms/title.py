"""Lift the file's title (its first level-1 heading) out of the body.

Before: [Header 1 "Mundo sin evasión posible" {number=I dates=…}, Para …]
After:  body [Para …] and Heading(inlines, number="I", dates="1906-1912").
"""

from __future__ import annotations

from pipeline.text.ast import attr_dict
from pipeline.transforms.chapter import Heading


def lift(blocks: list) -> tuple[list, Heading | None]:
    for i, block in enumerate(blocks):
        if block["t"] == "Header" and block["c"][0] == 1:
            return blocks[:i] + blocks[i + 1:], _heading(block)
    return blocks, None


def _heading(block) -> Heading:
    _, attr, inlines = block["c"]
    attrs = attr_dict(attr)
    return Heading(inlines=inlines, ident=attrs["id"], number=attrs.get("number"), dates=attrs.get("dates"))
