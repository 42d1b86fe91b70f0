"""Stage 2, transforms: pure passes over one file's Pandoc AST.

Before: a `Source` (AST blocks + footnote label sites).
After: a `Chapter`: the title lifted out of the body, notes lifted out of the
text (each reference replaced by a placeholder), and what the book-wide
resolve stage needs, recorded per file. Nothing here looks at other files.
"""

from __future__ import annotations

from dataclasses import replace

from pipeline.gcpause import paused
from pipeline.read import Source
from pipeline.transforms.chapter import Chapter
from pipeline.diagnostics import Severity
from pipeline.transforms import abbreviations, checks, crossrefs, equations, images, names, notes, title
from pipeline.transforms.abbreviations import Matcher
from pipeline.transforms.names import NO_NAMES, NameMatcher

NO_REGISTER = Matcher.build(())


@paused()
def transform(source: Source, matcher: Matcher = NO_REGISTER, name_matcher: NameMatcher = NO_NAMES) -> Chapter:
    problems = checks.check(source)
    if any(d.severity is Severity.ERROR for d in problems):
        # without its AST: a hostile one (nested hundreds deep) would not even pickle
        return Chapter(source=replace(source, blocks=[]), heading=None, blocks=[], notes=(),
                       diagnostics=tuple(problems))
    blocks, targets, references, xref_diags = crossrefs.mark(source, source.blocks)
    blocks, equation_targets, math_diags = equations.mark(source, blocks)
    targets, xref_diags = targets + equation_targets, xref_diags + math_diags
    blocks = names.mark(blocks, name_matcher)
    blocks, used, unknown = abbreviations.mark(blocks, matcher)
    blocks, bodies, diags = notes.lift(source, blocks)
    diags = problems + xref_diags + diags
    blocks, heading = title.lift(blocks)
    if heading is not None:
        heading = replace(heading, inlines=names.unmark(heading.inlines))
    blocks, bodies, sites = names.number(blocks, bodies)
    found = notes.collect(source, bodies, heading)
    # The parsed blocks are spent: the chapter keeps the rest of its source
    # (path, text, API version) but not a second AST to hold and to cache.
    return Chapter(source=replace(source, blocks=[]), heading=heading, blocks=blocks, notes=found, diagnostics=tuple(diags),
                   abbreviations=used, unknown_acronyms=unknown, images=images.collect(source),
                   names=sites, targets=targets, references=references,
                   tables=crossrefs.table_lines(source, blocks))
