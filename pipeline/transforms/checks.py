"""Checks on one file's AST that stop a build on unsafe or broken markup.

Before: a Source (AST, text, Pandoc's warnings).
After:  diagnostics: raw HTML (refused, never passed through), unsafe link
        schemes, unbalanced emphasis, unclosed fenced divs, and limits that
        keep a hostile manuscript from exhausting the machine.
"""

from __future__ import annotations

import re

from pipeline.diagnostics import Diagnostic, make
from pipeline.read import MAX_NESTING, Source
from pipeline.text.ast import LEAVES, stringify

SAFE_SCHEMES = ("http:", "https:", "mailto:", "#")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
LOOSE_MARKER = re.compile(r"^[*_]+\w|\w[*_]+$")
MAX_PARAGRAPH = 200_000
MAX_LIST_DEPTH = 8
# The longest word of the real book is a 48-character URL; the PDF's line
# breaker takes minutes over a word of thousands (its tries grow with the square).
MAX_WORD = 500
LISTS = {"BulletList", "OrderedList"}


def check(source: Source) -> list[Diagnostic]:
    too_deep = _too_deep(source)
    if too_deep:  # walking the AST would recurse that deep: stop here
        return too_deep
    diags = _pandoc_warnings(source)
    diags += _inline_checks(source)
    diags += _paragraph_lengths(source)
    return diags


OWN_CHECKS = ("Note with key", "Duplicate note")  # the notes transform reports these itself


def _pandoc_warnings(source: Source) -> list[Diagnostic]:
    out = []
    for line, message in source.warnings:
        if message.startswith(OWN_CHECKS):
            continue
        if "unclosed" in message:
            out.append(make("P003", source.path, line))
        else:
            out.append(make("P006", source.path, line, detail=message.split(" at ")[0]))
    return out


def _inline_checks(source: Source) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    _scan(source.blocks, source, out)
    return out


def _scan(items: list, source: Source, out: list) -> None:
    """Every element below `items`, children before their element (as
    `walk` visits them); words are looked at in the loop, for speed."""
    for item in items:
        if isinstance(item, list):
            _scan(item, source, out)
            continue
        if not isinstance(item, dict) or "t" not in item:
            continue
        t, content = item["t"], item.get("c")
        if t == "Str":
            if content == ":::" or "*" in content or "_" in content:  # what _loose_marker looks for
                _loose_marker(source, content, out)
            if len(content) > MAX_WORD:
                out.append(make("P011", source.path, source.line_of(content[:80], 1), size=len(content),
                                limit=MAX_WORD))
            continue
        if isinstance(content, list):
            _scan(content, source, out)
        elif isinstance(content, dict):
            _scan([content], source, out)
        if t in ("RawInline", "RawBlock") and not content[1].startswith("</"):  # one message per element
            html = content[1].strip()
            out.append(make("R001", source.path, source.line_of(html, 1), html=html[:60]))
        elif t == "Link":
            _link(source, content[2][0], out)


def _link(source: Source, url: str, out: list) -> None:
    if SCHEME.match(url) and not url.lower().startswith(SAFE_SCHEMES):
        out.append(make("R002", source.path, source.line_of(url, 1), url=url[:80]))


def _loose_marker(source: Source, text: str, out: list) -> None:
    if text == ":::":
        out.append(make("P007", source.path, source.line_of(":::", 1)))
    elif LOOSE_MARKER.search(text) and _unescaped(source.text, text):
        marker = next(c for c in text if c in "*_")
        out.append(make("P002", source.path, source.line_of(text, 1), token=text, marker=marker))


def _unescaped(text: str, token: str) -> bool:
    """The token appears in the source without a backslash before its marker."""
    return any(m.start() == 0 or text[m.start() - 1] != "\\" for m in re.finditer(re.escape(token), text))


def _paragraph_lengths(source: Source) -> list[Diagnostic]:
    out = []
    if len(source.text) <= MAX_PARAGRAPH:   # a paragraph's text is never longer than its file
        return out
    for block in source.blocks:
        if block["t"] in ("Para", "Plain"):
            size = len(stringify([block]))
            if size > MAX_PARAGRAPH:
                first = stringify([block])[:40]
                out.append(make("P004", source.path, source.line_of(first.split(" ")[0], 1),
                                size=size, limit=MAX_PARAGRAPH))
    return out


def _too_deep(source: Source) -> list[Diagnostic]:
    lists, elements = _deepest(source.blocks)
    if lists > MAX_LIST_DEPTH:   # the more telling message when lists are what nests
        return [make("P005", source.path, source.deepest_line(), depth=lists, limit=MAX_LIST_DEPTH)]
    if elements > MAX_NESTING:
        return [make("P008", source.path, source.deepest_line(), limit=MAX_NESTING)]
    return []


def _deepest(node) -> tuple[int, int]:
    """How deep lists, and elements of any kind, nest below `node`
    (iterative: hostile nesting must not exhaust Python's recursion)."""
    lists = elements = 0
    stack = [(node, 0, 0)]
    while stack:
        item, in_lists, depth = stack.pop()
        if isinstance(item, dict) and "t" in item:
            in_lists, depth = in_lists + (item["t"] in LISTS), depth + 1
            lists, elements = max(lists, in_lists), max(elements, depth)
            content = item.get("c")
            if isinstance(content, (list, dict)):
                stack.append((content, in_lists, depth))
        elif isinstance(item, list):  # words and spaces leave the depth as it is
            stack.extend((child, in_lists, depth) for child in item
                         if isinstance(child, list) or isinstance(child, dict) and child.get("t") not in LEAVES)
    return lists, elements
