"""Small helpers over Pandoc's JSON AST (elements are {"t": type, "c": content})."""

from __future__ import annotations

from typing import Callable

Action = Callable[[dict], object]


def walk(node, action: Action):
    """Rebuild `node` bottom-up; `action(elem)` returns the element, a
    replacement, or a list of elements to splice in its place (panflute's
    contract, on plain JSON)."""
    if isinstance(node, list):
        out = []
        for item in node:
            new = walk(item, action)
            out.extend(new if isinstance(new, list) and _is_elem(item) else [new])
        return out
    if _is_elem(node):
        elem = {"t": node["t"], "c": walk(node["c"], action)} if "c" in node else dict(node)
        return action(elem)
    return node


def _is_elem(node) -> bool:
    return isinstance(node, dict) and "t" in node


def stringify(node) -> str:
    """Plain text of inlines or blocks, as a reader would say it."""
    parts: list[str] = []

    def collect(elem):
        t = elem["t"]
        if t == "Str":
            parts.append(elem["c"])
        elif t in ("Space", "SoftBreak", "LineBreak"):
            parts.append(" ")
        return elem

    walk(_without_notes(node), collect)
    return "".join(parts).strip()


def _without_notes(node):
    return walk(node, lambda e: [] if e["t"] == "Note" else e)


def raw_html(html: str) -> dict:
    return {"t": "RawInline", "c": ["html", html]}


def attr_dict(attr) -> dict:
    ident, classes, pairs = attr
    return {"id": ident, "classes": classes, **dict(pairs)}
