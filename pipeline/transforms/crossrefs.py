"""Cross-references: labels defined in a file, references to them replaced
by placeholders that the resolve stage numbers and words book-wide.

Before: Header 2 {#sec-presses}, Figure {#fig-crane} [caption] [Image],
        Table {#tbl-dates}, Cite [@fig-crane], Cite [see p. @sec-presses]
After:  the same blocks, the captions of labelled figures and tables opened
        by <span class="float-label" key="fig-crane"/>, each cross-reference
        Cite a <span class="xref" key="fig-crane"/> (page="1" for a page
        reference, cap="1" at a sentence's start); Targets and References
        with their lines. Citation keys (no cross-reference prefix) are left
        to the citations pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.diagnostics import Diagnostic, make
from pipeline.read import Source
from pipeline.text.ast import stringify, walk
from pipeline.text.crossref import CROSSREF_PREFIXES, is_crossref

PAGE_WORDS = ("p.", "pp.", "page", "página", "pág.")   # a prefix ending so asks for the page
SENTENCE_END = (".", "!", "?", "…")
ANY = re.compile(r"[@#](?:" + "|".join(CROSSREF_PREFIXES) + ")")
TYPES = frozenset(("Cite", "Header", "Figure", "Table", "Para", "Plain"))
# a note's mark stands after a sentence's full stop ("1868.¹ Figure 1.1 shows"): a
# footnote, or a citation that a note style makes a note, leaves the sentence ended
MARKS = ("Note", "Cite")


@dataclass(frozen=True)
class Target:
    key: str           # "fig-crane"
    kind: str          # "sec" | "fig" | "tbl"
    line: int
    level: int = 0     # a heading's level
    title: str = ""    # a heading's text, a caption's without its credit


@dataclass(frozen=True)
class Reference:
    key: str
    line: int


def mark(source: Source, blocks: list) -> tuple[list, tuple[Target, ...], tuple[Reference, ...], list[Diagnostic]]:
    targets: list[Target] = []
    refs: list[Reference] = []
    diags: list[Diagnostic] = []

    def action(elem):
        t = elem["t"]
        if t == "Cite":
            return _cite(source, elem, refs)
        if t in ("Para", "Plain"):
            _capitalise(elem["c"])
        elif t == "Header" and elem["c"][1][0].startswith("sec-"):
            targets.append(Target(elem["c"][1][0], "sec", _line(source, elem["c"][1][0]), elem["c"][0],
                                  stringify(elem["c"][2])))
        elif t in ("Figure", "Table") and elem["c"][0][0].startswith(("fig-", "tbl-")):
            targets.append(_float(source, elem, diags))
        return elem

    if not ANY.search(source.text):   # no label, no reference: the common case, not walked
        return blocks, (), (), []
    blocks = walk(blocks, action, only=TYPES)
    return blocks, tuple(targets), tuple(refs), diags


TABLE_ROW = re.compile(r"^\s*[|+]")
TABLE_RULE = re.compile(r"^\s*[-:=+| ]*-{3,}[-:=+| ]*$")


def table_lines(source: Source, blocks: list) -> tuple[int, ...]:
    """The line of each table of the text (not of its notes), in order: the
    first row that holds the table's first cell, after the table before it
    (Pandoc keeps no positions). A row is a line of a pipe or grid table, or
    a line next to a rule of dashes (simple and multiline tables)."""
    lines = source.text.split("\n")
    found: list[int] = []

    def visit(node):
        if isinstance(node, list):
            for item in node:
                visit(item)
        elif isinstance(node, dict) and node.get("t") == "Table":
            found.append(_table_line(lines, _first_cell(node), found[-1] if found else 0))
        elif isinstance(node, dict) and node.get("t") != "Note" and isinstance(node.get("c"), list):
            visit(node["c"])

    visit(blocks)
    return tuple(found)


def _first_cell(table: dict) -> str:
    head, bodies = table["c"][3], table["c"][4]
    rows = head[1] or [row for body in bodies for row in body[3]]
    cells = rows[0][1] if rows else []
    words = stringify(cells[0][4]).split() if cells else []
    return words[0] if words else ""


def _table_line(lines: list[str], cell: str, after: int) -> int:
    for i in range(after, len(lines)):
        if cell in lines[i] and (TABLE_ROW.match(lines[i]) or any(
                0 <= j < len(lines) and TABLE_RULE.match(lines[j]) for j in (i - 1, i + 1))):
            return i + 1
    return after or 1


def _line(source: Source, key: str) -> int:
    return source.line_of("#" + key, 1)


def _cite(source: Source, elem: dict, refs: list):
    citations = elem["c"][0]
    if not all(is_crossref(c["citationId"]) for c in citations):
        return elem      # a citation, or a mix the citations pass reports
    out: list = []
    for i, c in enumerate(citations):
        prefix, page = _page_prefix(c["citationPrefix"])
        key = c["citationId"]
        refs.append(Reference(key, source.line_of("@" + key, 1)))
        if i:
            out += [{"t": "Str", "c": ","}, {"t": "Space"}]
        if prefix:
            out += prefix + [{"t": "Space"}]
        attrs = [["key", key]] + ([["page", "1"]] if page else [])
        out.append({"t": "Span", "c": [["", ["xref"], attrs], []]})
        if c["citationSuffix"]:
            out += c["citationSuffix"]
    return out


def _page_prefix(prefix: list) -> tuple[list, bool]:
    """The prefix without its last word when that word asks for the page ("véase p.")."""
    words = [i for i, x in enumerate(prefix) if x["t"] == "Str"]
    if words and prefix[words[-1]]["c"].lower() in PAGE_WORDS:
        return _strip(prefix[: words[-1]]), True
    return _strip(prefix), False


def _strip(inlines: list) -> list:
    while inlines and inlines[-1]["t"] in ("Space", "SoftBreak"):
        inlines = inlines[:-1]
    return inlines


def _capitalise(inlines: list) -> None:
    """A reference that opens a sentence is set with a capital ("Figure 3
    shows"), also after a note's mark; "p. @sec-x" outside brackets is a
    page reference too."""
    i = 2
    while i < len(inlines):
        item = inlines[i]
        if _is_xref(item) and inlines[i - 1]["t"] == "Space" and inlines[i - 2] == {"t": "Str", "c": "p."}:
            del inlines[i - 2:i]
            item["c"][0][2].append(["page", "1"])
            i -= 2
        i += 1
    before = None
    for item in inlines:
        if _is_xref(item) and (before is None or before.endswith(SENTENCE_END)):
            item["c"][0][2].append(["cap", "1"])
        if item["t"] == "Str":
            before = item["c"] or before   # citeproc leaves an empty Str after a note it moved
        elif item["t"] not in ("Space", "SoftBreak", "LineBreak", *MARKS):
            before = ""


def _is_xref(item: dict) -> bool:
    return item["t"] == "Span" and "xref" in item["c"][0][1]


def _float(source: Source, elem: dict, diags: list) -> Target:
    key = elem["c"][0][0]
    kind = key.split("-", 1)[0]
    caption = elem["c"][1]
    title = stringify(_without_credit(caption[1]))
    if kind == "fig":
        _alt(source, elem, key, stringify(caption[1]), diags)
    label = {"t": "Span", "c": [["", ["float-label"], [["key", key]]], []]}
    if caption[1] and caption[1][0]["t"] in ("Plain", "Para"):
        first = caption[1][0]
        caption[1][0] = {"t": first["t"], "c": [label, {"t": "Space"}] + first["c"]}
    else:
        caption[1] = [{"t": "Plain", "c": [label]}] + caption[1]
    return Target(key, kind, _line(source, key), 0, title)


def _without_credit(blocks: list) -> list:
    return walk(blocks, lambda e: [] if "credit" in e["c"][0][1] else e, only=frozenset(("Span",)))


def _alt(source: Source, elem: dict, key: str, caption: str, diags: list) -> None:
    """A labelled figure's image needs its own alt="…": the caption beside it
    is no description. (Pandoc gives the image the caption's words when
    `alt` is not written, its own words when it is.)"""
    def image(e):
        if e["t"] == "Image" and stringify(e["c"][1]) in ("", caption):
            diags.append(make("I007", source.path, _line(source, key), src=e["c"][2][0]))
        return e
    walk(elem["c"][2], image, only=frozenset(("Image",)))
