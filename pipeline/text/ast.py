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
    out: list = []
    prev = 0
    for i in _wanted(node, only):  # the leaves in between are kept as they are
        if i > prev:
            out += node[prev:i]
        prev = i + 1
        item = node[i]
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
    out += node[prev:]
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


# Pandoc's leaf inlines (a Str's content is text, the others have none): most
# of a book's million elements. Passes that do not look at them skip them in
# one list comprehension instead of one step each.
LEAVES = frozenset(("Str", "Space", "SoftBreak", "LineBreak"))
_SKIPPED: dict = {}


def _wanted(node: list, only) -> range | list[int]:
    """Positions of `node` a pass must look at: all of them, or with `only`
    all but the leaves of other types."""
    if only is None:
        return range(len(node))
    skip = _SKIPPED.get(only)
    if skip is None:
        skip = _SKIPPED[only] = LEAVES - only
    return [i for i, item in enumerate(node) if item.__class__ is not dict or item.get("t") not in skip]


def visit(node, action: Callable[[dict], None], skip: frozenset = frozenset(), only: frozenset | None = None) -> None:
    """Call `action(elem)` on every element below `node` in the order `walk`
    would (children first), without rebuilding anything; the subtrees of
    elements whose type is in `skip` are left out, those elements too. With
    `only`, just the elements of those types are given to the action."""
    if isinstance(node, list):
        for i in _wanted(node, only):
            item = node[i]
            if isinstance(item, (list, dict)):
                visit(item, action, skip, only)
    elif isinstance(node, dict) and "t" in node:
        if node["t"] in skip:
            return
        content = node.get("c")
        if isinstance(content, (list, dict)):
            visit(content, action, skip, only)
        if only is None or node["t"] in only:
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
            if item.__class__ is dict:  # words and spaces here, without a call each
                t = item.get("t")
                if t == "Str":
                    parts.append(item["c"])
                    continue
                if t in SPACES:
                    parts.append(" ")
                    continue
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
