"""Which pages of a new build differ from the last one, and where: the proofreaders' diff, narrowed.

Before: two Generations, the one on screen and the one just built.
After: the diff's PageChanges (diff/pages.py: text, figures, reflow, moved),
the changed pages drawn with their changed regions highlighted.

The diff compares two PDFs from anywhere, so it reads every page's text
and draws every page to find restyled ones. Here both builds are known:
their page texts come from the snapshot's cache (snapshot.KnownTexts), and
only pages whose key is new (render/pdf `_page_keys`: made of a unit or
furniture that was laid out again) can have changed without their words
moving, so only those are drawn to tell.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from pipeline.diff.hyphens import unsplit
from pipeline.diff.pages import PageChange, attach_images, classify
from pipeline.diff.pdf import Pdf, strip_running
from pipeline.preview.generation import Generation

FINGERPRINT_DPI = 20    # the diff's: enough to see a line move
MAX_IMAGES = 12         # changed pages drawn with highlights; the rest only flagged
MAX_WORDS = 6           # of the first changed run on a page, what the EPUB's text is searched for
BROKEN = re.compile(r"[-\u2010\u00ad\ufffe]$")   # a line ending inside a word the next line goes on with


def compare(old: Generation, new: Generation, dpi: float) -> list[PageChange]:
    """The pages of `new` that differ from `old`, sorted by new page, highlighted
    images attached to the first MAX_IMAGES that are not merely moved."""
    la, lb = unsplit(_body_lines(old), _body_lines(new))
    changes = classify(la, lb)
    with Pdf(old.pdf) as a, Pdf(new.pdf) as b:
        changes += _restyled(a, b, old, new, la, lb, changes)
        changes.sort(key=lambda c: (c.new or c.old or 0, c.old or 0))
        attach_images(a, b, [c for c in changes if c.kind != "moved" and c.new][:MAX_IMAGES], dpi)
    return changes


def _body_lines(generation: Generation) -> list[tuple[str, ...]]:
    return strip_running([[line.strip() for line in text.split("\n") if line.strip()]
                          for text in generation.texts])


def _restyled(a: Pdf, b: Pdf, old: Generation, new: Generation, la, lb, changes) -> list[PageChange]:
    """Pages at the same number with the same words but a new key whose
    drawing differs (a style changed, a line broke elsewhere on the page)."""
    seen = {c.new for c in changes} | {c.old for c in changes}
    known = {p.key for p in old.pages}
    out = []
    for i, page in enumerate(new.pages[:len(old.pages)]):
        if page.key in known or i + 1 in seen or la[i] != lb[i]:
            continue
        if a.render(i, FINGERPRINT_DPI).tobytes() != b.render(i, FINGERPRINT_DPI).tobytes():
            out.append(PageChange("reflow", i + 1, i + 1))
    return out


def changed_words(old: Generation, new: Generation, change: PageChange) -> str:
    """The first words of `change`'s new page that its old page lacks, as
    the EPUB reads them (a word hyphenated across lines whole), for the
    text beside the page to mark: "" when none were added."""
    if change.old is None or change.new is None or change.kind == "moved":
        return ""
    a, b = _words(old.texts[change.old - 1]), _words(new.texts[change.new - 1])
    for op, _, _, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("replace", "insert"):
            return " ".join(b[j1:min(j2, j1 + MAX_WORDS)])
    return ""


def _words(text: str) -> list[str]:
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    joined = ""
    for line in lines:
        joined = BROKEN.sub("", joined) + line if BROKEN.search(joined) else (joined + " " + line).strip()
    return joined.split()
