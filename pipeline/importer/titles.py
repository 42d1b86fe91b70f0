"""Titles of works and periodicals, and foreign phrases, set in italics.

The extraction lost every italic of the printed book. A Spanish scholarly
edition sets in italics the titles of books and periodicals (*Pravda*,
*Ville conquise*) and the foreign words it quotes; the profile's register,
`titles.yaml`, names them, and the import sets each occurrence:

    "colaboraba en Clarté y en l’Humanité"
    → "colaboraba en *[Clarté]{lang=fr}* y en *[l’Humanité]{lang=fr}*"

Spanish titles get no `lang` (the book's language). A form inside «»
is an article's or a poem's title, set in quotes, not italics: it is left
alone. `not` lists longer phrases that hold a title and are no title ("Librairie de l’Humanité", a
publisher): their occurrences are left alone.

`python -m pipeline.importer.titles suggest MANUSCRIPT` lists candidates for
the register (from the bibliography's entries and from cue words: "la revista
X", "su novela X"), with their counts, for an editor to curate.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import emit

REGISTER = "titles.yaml"
LETTER = r"[^\W\d_]"
# What a title may not be glued to: a letter or digit before or after it,
# or an apostrophe before it ("l’Humanité" is a form of its own).
BEFORE = r"(?<![\w’'«])"
AFTER = r"(?![\w’'»])"
# Spans the import must not enter: note tokens, spans already set.
PROTECTED = re.compile(r"\[\^[^\]\s]+\]|\[[^\]\n]*\]\{[^}\n]*\}")


@dataclass(frozen=True)
class Entry:
    text: str                    # as the text writes it: "l’Humanité"
    lang: str | None = None      # None: Spanish, the book's language
    kind: str = "work"           # work | periodical | phrase


@dataclass
class Register:
    entries: list[Entry]
    excluded: list[str]

    @classmethod
    def load(cls, profile_dir: Path) -> "Register":
        path = Path(profile_dir) / REGISTER
        if not path.is_file():
            return cls([], [])
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        entries = [Entry(str(e["text"]), e.get("lang"), kind)
                   for kind, key in (("work", "works"), ("periodical", "periodicals"), ("phrase", "phrases"))
                   for e in data.get(key) or []]
        return cls(entries, [str(n["text"]) for n in data.get("not") or []])

    def pattern(self) -> re.Pattern | None:
        """One alternation, longest form first, so that "Le Monde diplomatique"
        wins over "Le Monde"."""
        forms = sorted({emit.escape(e.text) for e in self.entries} | {emit.escape(t) for t in self.excluded},
                       key=lambda t: (-len(t), t))
        if not forms:
            return None
        return re.compile(BEFORE + "(" + "|".join(map(re.escape, forms)) + ")" + AFTER)


class Italics:
    """Sets the register's forms in escaped Markdown text; counts what it set."""

    def __init__(self, register: Register):
        self.by_form = {emit.escape(e.text): e for e in register.entries}
        self.excluded = {emit.escape(t) for t in register.excluded}
        self.regex = register.pattern()
        self.counts: Counter = Counter()
        self.found: Counter = Counter()     # per form, excluded phrases too

    def unused(self) -> list[str]:
        """Register forms the text never holds: a misspelt entry, or one for
        an edition that no longer names the work."""
        return sorted(f for f in set(self.by_form) | self.excluded if not self.found[f])

    def apply(self, text: str) -> str:
        if self.regex is None:
            return text
        out, last = [], 0
        for span in PROTECTED.finditer(text):
            out.append(self._plain(text[last:span.start()]))
            out.append(span.group(0))
            last = span.end()
        out.append(self._plain(text[last:]))
        return "".join(out)

    def _plain(self, text: str) -> str:
        return self.regex.sub(self._one, text) if text else text

    def _one(self, m: re.Match) -> str:
        form = m.group(1)
        self.found[form] += 1
        if form in self.excluded:
            return form
        entry = self.by_form[form]
        self.counts[entry.kind] += 1
        if entry.lang:
            return f"*[{form}]{{lang={entry.lang}}}*"
        return f"*{form}*"

    @property
    def total(self) -> int:
        return sum(self.counts.values())


# --- suggestions -----------------------------------------------------------

CUES = re.compile(
    r"\b(?:revista|periódico|diario|semanario|boletín|novela|libro|ensayo|folleto|poema|obra|título"
    r"|titulado|titulada|intitulado)\s+(?:«)?((?:[A-ZÁÉÍÓÚÑŒ]|L’|l’)[^,.;:()\[\]«»\n]{1,60}?)(?=[,.;:()\[\]»]|\s\(|$)")
BIB_ENTRY = re.compile(r"^(?!#|:::|Con )([A-ZÁÉÍÓÚÑŒ«][^,(\[\n]{2,80}?)(?:,| \(| \[)")


def suggest(manuscript: Path) -> list[tuple[str, int, str]]:
    """(candidate, occurrences in the whole manuscript, where it was seen)."""
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(manuscript.glob("*.md"))}
    found: dict[str, str] = {}
    for name, text in texts.items():
        if "bibliografia" in name:
            for line in text.splitlines():
                m = BIB_ENTRY.match(line)
                if m:
                    found.setdefault(m.group(1).strip(" «»"), "bibliography")
        for m in CUES.finditer(text):
            found.setdefault(m.group(1).strip(), f"cue in {name}")
    whole = "\n".join(texts.values())
    rows = []
    for title, where in found.items():
        if len(title) < 3:
            continue
        count = len(re.findall(BEFORE + re.escape(emit.escape(title)) + AFTER, whole))
        rows.append((title, count, where))
    return sorted(rows, key=lambda r: (-r[1], r[0]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.importer.titles",
                                     description="candidate titles for the import profile's titles.yaml")
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("suggest", help="list candidate titles with their counts")
    s.add_argument("manuscript", type=Path)
    s.add_argument("--min", type=int, default=1, help="least occurrences to list")
    args = parser.parse_args(argv)
    for title, count, where in suggest(args.manuscript):
        if count >= args.min:
            print(f"- {{text: {yaml.safe_dump(title, allow_unicode=True).strip().removesuffix('...').strip()}}}"
                  f"  # {count}× ({where})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
