"""Stage 2, transforms: title and notes lifted from hand-built ASTs."""

from pathlib import Path

from pipeline.read import Site, Source
from pipeline.transforms import transform
from pipeline.text.ast import stringify, walk


def s(text):
    return {"t": "Str", "c": text}


SP = {"t": "Space"}


def note(text):
    return {"t": "Note", "c": [{"t": "Para", "c": [s(text)]}]}


def header(inlines, level=1, attrs=()):
    return {"t": "Header", "c": [level, ["", [], list(attrs)], inlines]}


def source(blocks, refs, defs):
    return Source(Path("c.md"), "", blocks, tuple(Site(*r) for r in refs), tuple(Site(*d) for d in defs))


def test_walk_splices_lists_and_replaces():
    para = {"t": "Para", "c": [s("a"), SP, s("b")]}
    out = walk([para], lambda e: [s("x"), s("y")] if e["t"] == "Space" else e)
    assert out[0]["c"] == [s("a"), s("x"), s("y"), s("b")]


def test_stringify_skips_notes():
    assert stringify([s("Título"), note("nota"), SP, s("fin")]) == "Título fin"


def test_title_and_notes_lifted():
    blocks = [
        header([s("Mundo"), note("titular")], attrs=[["number", "I"], ["dates", "1906-1912"]]),
        {"t": "Para", "c": [s("quien,"), note("uno"), SP, s("dijo"), note("dos")]},
    ]
    chapter = transform(source(blocks, [("t", 1), ("1", 3), ("2*", 3)], [("t", 5), ("1", 6), ("2*", 7)]))
    assert chapter.heading.number == "I" and chapter.heading.dates == "1906-1912"
    assert [(n.label, n.title, n.editor) for n in chapter.notes] == [("t", True, False), ("1", False, False),
                                                                     ("2*", False, True)]
    para = chapter.blocks[0]["c"]
    assert para[1] == {"t": "Span", "c": [["", ["noteref"], [["label", "1"]]], []]}
    assert stringify(chapter.notes[1].blocks) == "uno"


def test_note_referenced_twice_is_one_note():
    blocks = [{"t": "Para", "c": [s("a"), note("n"), SP, s("b"), note("n")]}]
    chapter = transform(source(blocks, [("x", 1), ("x", 1)], [("x", 3)]))
    assert len(chapter.notes) == 1 and chapter.notes[0].refs == 2


def test_diagnostics_undefined_unused_duplicate():
    blocks = [{"t": "Para", "c": [s("a"), note("n")]}]
    chapter = transform(source(blocks, [("x", 1), ("missing", 2)], [("x", 3), ("x", 4), ("unused", 5)]))
    found = {(d.code, d.line) for d in chapter.diagnostics}
    assert found == {("N001", 2), ("N003", 4), ("N002", 5)}
