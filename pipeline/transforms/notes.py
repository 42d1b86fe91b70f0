"""Lift footnotes out of the text.

Before: Para [Str "quien,", Note [Para …], Str "después"]
After:  Para [Str "quien,", Span.noteref{data-label=1}, Str "después"] and
        NoteBody("1", blocks=[Para …]).

Pandoc drops labels, and gives a Note for every reference (a note referred to
twice appears twice): the labels come from the source scan, in the same order.
A note citeproc made of a citation (a Note inside a Cite, read/citations.py)
has no label in the text: it takes "@ N", N its Cite's place in the
chapter, a label no footnote can have (labels hold no space), and is
numbered with the others.
"""

from __future__ import annotations

from collections import Counter

from pipeline.diagnostics import Diagnostic, make
from pipeline.read import Source
from pipeline.text.ast import visit, walk
from pipeline.transforms.chapter import Heading, NoteBody

NOTE = frozenset(("Note",))
SPAN = frozenset(("Span",))
MAX_NOTES = 3000  # the real book has at most 200 in a part
CITATION = "@ "   # the label of a citation's note: "@ 3", the chapter's fourth Cite


def lift(source: Source, blocks: list):
    """Blocks with placeholders, the note bodies by label (in order of first
    reference), diagnostics."""
    diags = _check_labels(source)
    defined = {d.label for d in source.defs}
    refs = iter([r for r in source.refs if r.label in defined])
    cites = iter(_citation_notes(blocks) if source.cites else ())
    bodies: dict[str, list] = {}

    def replace(elem):
        if elem["t"] != "Note":
            return elem
        cite = next(cites, None)
        if cite is not None:
            bodies[f"{CITATION}{cite}"] = elem["c"]
            return _placeholder(f"{CITATION}{cite}")
        site = next(refs, None)
        if site is None:  # a reference the scan missed: keep the text whole
            return []
        if _contains_note(elem["c"]):
            diags.append(make("N004", source.path, site.line, label=site.label))
        if not elem["c"]:
            diags.append(make("N006", source.path, site.line, label=site.label))
        bodies.setdefault(site.label, _strip_nested(elem["c"]))
        return _placeholder(site.label)

    blocks = walk(blocks, replace, NOTE)
    return blocks, bodies, diags


def collect(source: Source, bodies: dict, heading: Heading | None) -> tuple[NoteBody, ...]:
    """Note bodies in order of first reference; title notes are those the heading refers to."""
    in_title = set(labels_in(heading.inlines)) if heading else set()
    return _bodies(source, bodies, in_title)


def labels_in(node) -> list[str]:
    found: list[str] = []

    def noteref(elem):
        if elem["t"] == "Span" and "noteref" in elem["c"][0][1]:
            found.append(dict(elem["c"][0][2])["label"])

    visit(node, noteref, only=SPAN)
    return found


def _citation_notes(node) -> list[int | None]:
    """For each Note, in the order `walk` meets them (children first): the
    place of the Cite it is a citation note of, else None."""
    found: list[int | None] = []
    count = [0]

    def scan(n, cite):
        if isinstance(n, list):
            for item in n:
                scan(item, cite)
        elif isinstance(n, dict) and isinstance(n.get("c"), (list, dict)):
            if n["t"] == "Cite":
                count[0] += 1
                scan(n["c"], count[0] - 1)
            elif n["t"] == "Note":
                scan(n["c"], None)
                found.append(cite)
            else:
                scan(n["c"], cite)

    scan(node, None)
    return found


def _placeholder(label: str) -> dict:
    return {"t": "Span", "c": [["", ["noteref"], [["label", label]]], []]}


def _contains_note(blocks) -> bool:
    found: list[dict] = []

    def note(elem):
        if elem["t"] == "Note":
            found.append(elem)

    visit(blocks, note, only=NOTE)
    return bool(found)


def _strip_nested(blocks):
    return walk(blocks, lambda e: [], NOTE)


def _bodies(source: Source, bodies: dict, in_title: set) -> tuple[NoteBody, ...]:
    """In the order lift met them, which is the order of first reference:
    the n-th Note of the AST is the n-th reference of the text."""
    counts = Counter(r.label for r in source.refs)
    first_def = {}
    for d in source.defs:
        first_def.setdefault(d.label, d.line)
    for label in bodies:
        if label.startswith(CITATION):   # a citation's note: its line is the citation's
            first_def[label], counts[label] = source.cites[int(label[len(CITATION):])].line, 1
    return tuple(
        NoteBody(label, first_def[label], bodies[label], label.endswith("*"), label in in_title, counts[label])
        for label in bodies
    )


def _check_labels(source: Source) -> list[Diagnostic]:
    diags = [make("N004", source.path, site.line, label=site.label) for site in source.nested]
    defined = Counter(d.label for d in source.defs)
    used = {r.label for r in source.refs}
    if len(defined) > MAX_NOTES:
        return diags + [make("N005", source.path, 1, count=len(defined), limit=MAX_NOTES)]
    for site in source.refs:
        if site.label not in defined:
            diags.append(make("N001", source.path, site.line, label=site.label))
    for site in source.defs:
        if site.label not in used and site.label not in {n.label for n in source.nested}:
            diags.append(make("N002", source.path, site.line, label=site.label))
    seen: set[str] = set()
    for site in source.defs:
        if site.label in seen:
            diags.append(make("N003", source.path, site.line, label=site.label))
        seen.add(site.label)
    return diags
