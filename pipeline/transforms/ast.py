"""Small helpers over Pandoc's JSON AST (elements are {"t": type, "c": content})."""

from __future__ import annotations

from typing import Callable

Action = Callable[[dict], object]
SPACES = frozenset(("Space", "SoftBreak", "LineBreak"))


def walk(node, action: Action, only: frozenset | None = None):
    """Rebuild `node` bottom-up; `action(elem)` returns the element, a
    replacement, or a list of elements to splice in its place (panflute's
    contract, on plain JSON). With `only`, the action sees just the elements
    of those types (an action that returns every other element unchanged
    gives the same result, faster); the other leaves are kept, not copied."""
    if isinstance(node, list):
        return _walk_list(node, action, only)
    if isinstance(node, dict) and "t" in node:
        return _walk_elem(node, action, only)
    return node


def _walk_list(node: list, action: Action, only) -> list:
    out = []
    for item in node:
        if isinstance(item, dict) and "t" in item:
            if only is not None and item["t"] not in only and not isinstance(item.get("c"), (list, dict)):
                out.append(item)
                continue
            new = _walk_elem(item, action, only)
            if isinstance(new, list):
                out.extend(new)
            else:
                out.append(new)
        elif isinstance(item, list):
            out.append(_walk_list(item, action, only))
        else:
            out.append(item)
    return out


def _walk_elem(node: dict, action: Action, only):
    if "c" in node:
        content = node["c"]
        if isinstance(content, (list, dict)):
            content = walk(content, action, only)
        elem = {"t": node["t"], "c": content}
    else:
        elem = dict(node)
    return action(elem) if only is None or elem["t"] in only else elem


def visit(node, action: Callable[[dict], None], skip: frozenset = frozenset()) -> None:
    """Call `action(elem)` on every element below `node` in the order `walk`
    would (children first), without rebuilding anything; the subtrees of
    elements whose type is in `skip` are left out, those elements too."""
    if isinstance(node, list):
        for item in node:
            if isinstance(item, (list, dict)):
                visit(item, action, skip)
    elif isinstance(node, dict) and "t" in node:
        if node["t"] in skip:
            return
        content = node.get("c")
        if isinstance(content, (list, dict)):
            visit(content, action, skip)
        action(node)


def _is_elem(node) -> bool:
    return isinstance(node, dict) and "t" in node


def stringify(node) -> str:
    """Plain text of inlines or blocks, as a reader would say it."""
    return text_of(node, skip_notes=True).strip()


def text_of(node, skip_notes: bool = False) -> str:
    """Str and spaces below `node`, as written (without note bodies if asked)."""
    parts: list[str] = []
    _text(node, parts, _NOTES if skip_notes else frozenset())
    return "".join(parts)


_NOTES = frozenset(("Note",))


def _text(node, parts: list, skip: frozenset) -> None:
    if isinstance(node, list):
        for item in node:
            if isinstance(item, (list, dict)):
                _text(item, parts, skip)
    elif isinstance(node, dict) and "t" in node:
        t = node["t"]
        if t == "Str":
            parts.append(node["c"])
        elif t in SPACES:
            parts.append(" ")
        elif t not in skip and isinstance(node.get("c"), (list, dict)):
            _text(node["c"], parts, skip)


def raw_html(html: str) -> dict:
    return {"t": "RawInline", "c": ["html", html]}


def attr_dict(attr) -> dict:
    ident, classes, pairs = attr
    return {"id": ident, "classes": classes, **dict(pairs)}
