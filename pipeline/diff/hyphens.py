"""Words split at a line's or a page's end, read whole again; hyphens the author typed kept.

Before: each side's body lines per page, as pdfium reads them. After: the
same pages with every word a layout engine split made whole on the line
where it begins, its continuation taken off the line (or page) it ended on,
so that a word split elsewhere, or not at all, is no difference.

How the text tells a layout hyphen from a typed one:
- WeasyPrint sets U+2010 at a hyphenation (the book sets no
  hyphenate-character; the real book's manuscript never types U+2010, which
  at a line's end would be read so too); other producers may set a soft
  hyphen U+00AD. A line ending so is continued by
  the next line of its paragraph: the next line of the page, or, when the
  page's notes stand between (a line starting with a mark or a figure, not
  a letter), the first line of the next page.
- A hyphen the author typed is "-". pdfium, finding one at a line's end
  between letters, reads the two lines as one and writes U+FFFE where it
  stood ("Jean", U+FFFE, "Louis"). It is read back as "-": the compound
  stays one hyphenated word, as it is when it falls inside a line; a "-"
  pdfium left at a line's end ("1922-" before "1923") stays too. Only a producer
  that hyphenates with "-" makes U+FFFE stand for a layout hyphen, so the
  word is joined when the text of either side knows it solid ("palabra")
  and never hyphenated ("pala-bra").
"""

from __future__ import annotations

import re

LAYOUT = ("\u2010", "\u00ad")   # a hyphenation: the line's last word goes on
JOINED = "\ufffe"               # pdfium: a "-" at a line's end, the next line read on after it
WORD = re.compile(r"\w+")
COMPOUND = re.compile(r"\w+(?:-\w+)+")
AT_JOIN = re.compile(r"(\w*)\ufffe(\w*)")

Pages = list[tuple[str, ...]]


class Vocabulary:
    """The words the sides print, and the compounds they print with a typed hyphen
    (the halves of split words are among the words: harmless, a join asks for a whole one)."""

    def __init__(self, sides: tuple[Pages, ...]):
        # Each distinct spaced token once: the regexes then read a tenth of the book's text.
        tokens = set("\n".join(line for side in sides for page in side for line in page).lower().split())
        self.solid = set(WORD.findall(" ".join(tokens)))
        self.compounds = set(COMPOUND.findall(" ".join(t for t in tokens if "-" in t)))

    def joins(self, head: str, tail: str) -> bool:
        """Whether head + tail, split with a hyphen, is one word the text prints solid."""
        solid, typed = (head + tail).lower(), f"{head}-{tail}".lower()
        return bool(head and tail) and solid in self.solid and typed not in self.compounds


def unsplit(*sides: Pages) -> list[Pages]:
    """Each side's pages with split words made whole (see the module's doc);
    the vocabulary that judges U+FFFE is shared, so both sides read alike."""
    known = Vocabulary(sides)
    return [_unsplit_side(side, known) for side in sides]


def _unsplit_side(pages: Pages, known: Vocabulary) -> Pages:
    out = [[_typed(line, known) for line in page] for page in pages]
    for p, lines in enumerate(out):
        for n in range(len(lines)):
            while lines[n].endswith(LAYOUT) and (at := _continuation(out, p, n)):
                q, m = at
                head, _, rest = out[q][m].partition(" ")
                lines[n] = lines[n][:-1] + head
                out[q][m] = rest.lstrip()
    return [tuple(line for line in lines if line) for lines in out]


def _typed(line: str, known: Vocabulary) -> str:
    """pdfium's U+FFFE back to the typed hyphen, or to nothing (see the module's doc)."""
    if JOINED not in line:
        return line
    return AT_JOIN.sub(lambda m: m[1] + ("" if known.joins(m[1], m[2]) else "-") + m[2], line)


def _continuation(out: list[list[str]], p: int, n: int) -> tuple[int, int] | None:
    """Where the word split at the end of line n of page p goes on: the next
    line of the page if it starts with a letter, else (notes stand between,
    or the page ends) the next page's first line if that does."""
    for at in (_first_line(out, p, n + 1), _first_line(out, p + 1, 0)):
        if at and out[at[0]][at[1]][:1].isalpha():
            return at
    return None


def _first_line(out: list[list[str]], p: int, n: int) -> tuple[int, int] | None:
    """The first line of page p from line n on that still holds text (a
    continuation taken off may have emptied one)."""
    if p >= len(out):
        return None
    return next(((p, m) for m in range(n, len(out[p])) if out[p][m]), None)
