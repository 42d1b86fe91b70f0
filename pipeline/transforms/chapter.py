"""What the transforms make of one file: plain data for the resolve stage."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from pipeline.diagnostics import Diagnostic
from pipeline.read import Source


@dataclass(frozen=True)
class Heading:
    inlines: list
    ident: str = ""
    number: str | None = None     # "I", "II"… for chapters
    dates: str | None = None      # "1906-1912"
    line: int = 0


@dataclass(frozen=True)
class NoteBody:
    label: str                    # as written in the source: "12", "12*", "titulo"
    line: int                     # line of the definition
    blocks: list
    editor: bool                  # label ends in "*": the editors' note
    title: bool                   # referenced from the heading
    refs: int                     # how many times the text refers to it


@dataclass(frozen=True)
class Chapter:
    source: Source
    heading: Heading | None
    blocks: list
    notes: tuple[NoteBody, ...]
    diagnostics: tuple[Diagnostic, ...] = field(default=())
    abbreviations: Counter = field(default_factory=Counter)   # registered terms used
    unknown_acronyms: Counter = field(default_factory=Counter)
    images: tuple = ()                                        # ImageRefs, in order
    names: tuple = ()                                         # NameSites: mentions for the index, in order
    targets: tuple = ()                                       # crossrefs.Targets: labels defined here
    references: tuple = ()                                    # crossrefs.References: labels referred to
    tables: tuple[int, ...] = ()                              # the line of each table of the text, in order
