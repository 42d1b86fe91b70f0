"""Titles of works and periodicals, and foreign phrases, set in italics.

The extraction lost every italic of the printed book. A Spanish scholarly
edition sets in italics the titles of books and periodicals (*Pravda*,
*Ville conquise*) and the foreign words it quotes; the profile's register,
`titles.yaml`, names them, and the import sets each occurrence:

    "colaboraba en Clarté y en l’Humanité"
    → "colaboraba en *[Clarté]{lang=fr}* y en *[l’Humanité]{lang=fr}*"

Spanish titles get no `lang` (the book's language). A form that fills
«», or a title that opens «», is (or begins) an article's or a poem's
title, set in quotes, not italics: it is left alone; a foreign phrase that
opens a quotation («Stoi! ¡Alto!»), and any form that closes one («…de la
revista Clarté»), are set like any other.

A bracket right after a foreign title that renders it in Spanish is the
editor's gloss, set in roman (Chicago 14.108; Martínez de Sousa): "Mein
Kampf [Mi lucha]", "S’il est minuit dans le siècle [Si es medianoche en el
siglo]". A bracket that names a Spanish edition holds a published title,
set in italics: "[ed. cast.: Medianoche en el siglo, Madrid, Planeta, 2016]".
`not` lists longer phrases that hold a title and are no title ("Librairie
de l’Humanité", a
publisher): their occurrences are left alone. A form of three words or more
is found whatever the case and accents after its first letter (LOOSE_WORDS);
`cited: true` keeps a title that is also a name ("Staline") to citations
(CITED), except in the blocks of `anywhere_in: [N]` (Barbusse's Staline,
13577); `lines: [N]` keeps a form to the blocks of those source lines
("la revista Action", 22520).

`python -m pipeline.importer.titles suggest MANUSCRIPT` lists candidates for
the register (from the bibliography's entries, from cue words: "la revista
X", "su novela X", and from the notes' citations: a capitalised run before a
city, a publisher or a year), with their counts, for an editor to curate.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import yaml
from pydantic import BaseModel, ConfigDict, Field

from . import emit
from .source import ImportError_, read_yaml

REGISTER = "titles.yaml"
LETTER = r"[^\W\d_]"
# What a title may not be glued to: a letter or digit before or after it,
# or an apostrophe before it ("l’Humanité" is a form of its own). An opening
# quote or bracket may stand before it, a closing one after it: «Stoi! ¡Alto!».
BEFORE = r"(?<![\w’'])"
AFTER = r"(?![\w’'])"
# A bracket, and what may stand between it and the title it follows: a note
# token, a space ("Destin d’une révolution[^32] [Destino de una revolución]").
BRACKET = re.compile(r"(\[\^[^\]\s]+\])? ?\[(?![\^\]])((?:[^\[\]\n\\]|\\.)*)\\?\](?!\{)")
# What makes a bracket an edition's, not a gloss (Chicago 14.108; Martínez
# de Sousa): "ed. cast.:", a translator, a publisher before a year
# ("Madrid, Planeta, 2016"). A year alone dates the original ("[La
# decadencia de Occidente, 1918-1922]"): a gloss still.
EDITION = re.compile(r"\b(?:ed|trad|reed)\.|\bedici[oó]n\b|\btraducci[oó]n\b"
                     r"|, [A-ZÁÉÍÓÚ][^,\]]*, (?:1[89]|20)\d\d")
# How far back a gloss's title may begin.
TITLE_REACH = 200
# Spans the import must not enter: note tokens, spans already set.
PROTECTED = re.compile(r"\[\^[^\]\s]+\]|\[[^\]\n]*\]\{[^}\n]*\}")
# A form of this many words or more is found whatever the case and accents
# of its letters after the first: the book cites one work as "Vie et Mort de
# Léon Trotsky" and "Vie et mort de Léon Trotsky", "L’Affaire Toulaév" and
# "L’Affaire Toulaev". Shorter forms are common words in another case ("Le
# Temps", "le temps"; "La Vérité", "la vérité"): they match as written.
LOOSE_WORDS = 3
# Where a title that is also a name stands in a citation: before the city,
# the publisher and year, or "cit." ("Broué, Trotsky, París, Fayard, 1988";
# "Marie, Trotsky, Fayard, 2006"; "Trotsky, cit."), not "Trotsky, que…".
CITED = (r"(?=,? \(?(?:París|Paris|Madrid|Londres|Nueva York|Barcelona|México|Bruselas|Lausanne|Moscú|Berlín"
         r"|cit\.|op\. cit\.|ibid)|, [A-Z][^,;()]{0,40}, (?:1[89]|20)\d\d)")


def fold(text: str) -> str:
    """One character for one: lower case, no accent, "'" as "’" (the
    matcher's positions stay those of the text)."""
    return "".join(_FOLD.get(c, c) for c in text)


def _base(c: str) -> str:
    return unicodedata.normalize("NFD", c)[0].lower()


_LATIN = [chr(i) for i in range(0x41, 0x250) if chr(i).isalpha() and len(unicodedata.normalize("NFD", chr(i))) <= 2]
_FOLD = {c: _base(c) for c in _LATIN} | {"'": "’", "œ": "œ", "Œ": "œ"}
_VARIANTS: dict[str, str] = {}
for _c in _LATIN + ["'", "’"]:
    _VARIANTS[_FOLD.get(_c, _c)] = _VARIANTS.get(_FOLD.get(_c, _c), "") + _c


def loose(form: str) -> bool:
    return len(form.split()) >= LOOSE_WORDS


def key(form: str) -> str:
    """What identifies a form to the matcher: the form, or for a loose form
    its first character and the fold of the rest."""
    return form[0] + fold(form[1:]) if loose(form) else form


def _regex(form: str) -> str:
    if not loose(form):
        return re.escape(form)
    rest = "".join("[" + re.escape(_VARIANTS[fold(c)]) + "]" if fold(c) in _VARIANTS else re.escape(c)
                   for c in form[1:])
    return re.escape(form[0]) + rest


@dataclass(frozen=True)
class Entry:
    text: str                    # as the text writes it: "l’Humanité"
    lang: str | None = None      # None: Spanish, the book's language
    kind: str = "work"           # work | periodical | phrase
    lines: tuple[int, ...] = ()  # only in the blocks of these source lines ("la revista Action")
    cited: bool = False          # only in a citation (CITED): "Staline", a name elsewhere
    anywhere_in: tuple[int, ...] = ()   # a cited form's blocks where it is set uncited too


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1)
    lang: Optional[str] = Field(default=None, pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
    lines: list[int] = []
    cited: bool = False
    anywhere_in: list[int] = []
    why: Optional[str] = None


class TitlesSpec(BaseModel):
    """titles.yaml: what the import reads of it, checked (T016 at the line at fault)."""
    model_config = ConfigDict(extra="forbid")
    works: Optional[list[_Row]] = None
    periodicals: Optional[list[_Row]] = None
    phrases: Optional[list[_Row]] = None
    not_: Optional[list[_Row]] = Field(default=None, alias="not")


@dataclass
class Register:
    entries: list[Entry]
    excluded: list[str]

    @classmethod
    def load(cls, profile_dir: Path) -> "Register":
        path = Path(profile_dir) / REGISTER
        if not path.is_file():
            return cls([], [])
        spec, node = read_yaml(path, Optional[TitlesSpec], "T016", node=True)
        _no_duplicates(path, node)
        return cls.of(spec or TitlesSpec())

    @classmethod
    def of(cls, spec: TitlesSpec) -> "Register":
        entries = [Entry(r.text, r.lang, kind, tuple(r.lines), r.cited, tuple(r.anywhere_in))
                   for kind, name in KINDS for r in getattr(spec, name) or []]
        return cls(entries, [r.text for r in spec.not_ or []])

    def pattern(self, lines: tuple[int, ...] = ()) -> re.Pattern | None:
        """One alternation, longest form first, so that "Le Monde diplomatique"
        wins over "Le Monde"; the forms bound to lines only where a line is one of them."""
        here = set(lines)
        forms = {key(emit.escape(e.text)): (emit.escape(e.text), e.cited and not here & set(e.anywhere_in))
                 for e in self.entries if not e.lines or here & set(e.lines)}
        forms.update({key(emit.escape(t)): (emit.escape(t), False) for t in self.excluded})
        if not forms:
            return None
        ordered = sorted(forms.values(), key=lambda f: (-len(f[0]), f[0]))
        return re.compile(BEFORE + "(" + "|".join(_regex(t) + (CITED if cited else "") for t, cited in ordered)
                          + ")" + AFTER)


KINDS = (("work", "works"), ("periodical", "periodicals"), ("phrase", "phrases"))


def _no_duplicates(path: Path, node) -> None:
    """A key repeated in a mapping (YAML keeps the last silently), a form
    listed twice, or two spellings the matcher reads as one form (LOOSE_WORDS)
    with different lang, lines or cited (only one can hold): T016 at the
    second, naming the first. Merges of the file (`merge=union`) leave such
    rows behind."""
    for mapping in _mappings(node):
        first: dict = {}
        for k, _ in mapping.value:
            if k.value in first:
                _duplicate(path, k, f"key «{k.value}» repeated (first at line {first[k.value]}): merge the two")
            first[k.value] = k.start_mark.line + 1
    seen: dict = {}
    for section, rows in node.value if isinstance(node, yaml.MappingNode) else []:
        for row in rows.value if isinstance(rows, yaml.SequenceNode) else []:
            fields = {k.value: v for k, v in row.value}
            text = fields["text"].value
            what = (section.value, fields.get("lang") and fields["lang"].value,
                    _value(fields.get("lines")), _value(fields.get("cited")), _value(fields.get("anywhere_in")))
            line, earlier, was = seen.get(key(emit.escape(text)), (None, None, None))
            if earlier == text:
                _duplicate(path, row, f"«{text}» listed twice (first at line {line}): one row per form")
            if earlier is not None and was != what:
                _duplicate(path, row, f"«{text}» is «{earlier}» to the matcher (line {line}), with another "
                                      "list, lang, lines or cited: one row must hold both")
            seen[key(emit.escape(text))] = (row.start_mark.line + 1, text, what)


def _mappings(node):
    stack = [node] if node is not None else []
    while stack:
        item = stack.pop()
        if isinstance(item, yaml.MappingNode):
            yield item
            stack.extend(v for _, v in item.value)
        elif isinstance(item, yaml.SequenceNode):
            stack.extend(item.value)


def _value(node):
    if node is None:
        return None
    return [n.value for n in node.value] if isinstance(node, yaml.SequenceNode) else node.value


def _duplicate(path: Path, node, detail: str) -> None:
    raise ImportError_(path, node.start_mark.line + 1, "T016", key="duplicate", detail=detail)


class Italics:
    """Sets the register's forms in escaped Markdown text; counts what it set."""

    def __init__(self, register: Register):
        self.register = register
        self.by_key = {key(emit.escape(e.text)): e for e in register.entries}
        self.excluded = {key(emit.escape(t)) for t in register.excluded}
        self.regex = register.pattern()
        self._bound = {n for e in register.entries for n in e.lines + e.anywhere_in}
        self._patterns: dict[tuple[int, ...], re.Pattern | None] = {(): self.regex}
        self.counts: Counter = Counter()
        self.found: Counter = Counter()     # per key, excluded phrases too
        self.glossed = 0                    # Spanish renderings in a gloss's brackets, left roman

    def unused(self) -> list[str]:
        """Register forms the text never holds: a misspelt entry, or one for
        an edition that no longer names the work."""
        forms = [emit.escape(e.text) for e in self.register.entries] + \
            [emit.escape(t) for t in self.register.excluded]
        return sorted({f for f in forms if not self.found[key(f)]})

    def apply(self, text: str, lines: tuple[int, ...] = ()) -> str:
        """`lines`: the source lines of the block, for the forms bound to lines."""
        bound = tuple(sorted(self._bound.intersection(lines)))
        if bound not in self._patterns:
            self._patterns[bound] = self.register.pattern(bound)
        regex = self._patterns[bound]
        if regex is None:
            return text
        glosses = self._glosses(regex, text)
        out, last = [], 0
        for span in PROTECTED.finditer(text):
            out.append(self._plain(regex, text, last, span.start(), glosses))
            out.append(span.group(0))
            last = span.end()
        out.append(self._plain(regex, text, last, len(text), glosses))
        return "".join(out)

    def _glosses(self, regex: re.Pattern, text: str) -> list[tuple[int, int]]:
        """The brackets of `text` that gloss the foreign title before them in
        Spanish ("Mein Kampf [Mi lucha]"), as (start, end) of their content."""
        spans = []
        for b in BRACKET.finditer(text):
            if not EDITION.search(b.group(2)) and self._foreign_title_ends(regex, text, b.start()):
                spans.append((b.start(2), b.end(2)))
        return spans

    def _foreign_title_ends(self, regex: re.Pattern, text: str, end: int) -> bool:
        for m in regex.finditer(text, max(0, end - TITLE_REACH), end):
            entry = self.by_key.get(key(m.group(1)))
            if m.end() == end and entry is not None and entry.lang and key(m.group(1)) not in self.excluded:
                return True
        return False

    def _plain(self, regex: re.Pattern, text: str, start: int, end: int, glosses) -> str:
        if start == end:
            return ""
        return regex.sub(lambda m: self._one(m, start, glosses), text[start:end])

    def _one(self, m: re.Match, offset: int, glosses) -> str:
        form, k = m.group(1), key(m.group(1))
        entry = self.by_key.get(k)
        if entry is not None and not entry.lang and any(a <= offset + m.start() < b for a, b in glosses):
            self.glossed += 1
            return form     # a Spanish rendering in brackets: the editor's gloss, roman
        self.found[k] += 1
        if k in self.excluded or _quoted_title(m, entry):
            return form
        self.counts[entry.kind] += 1
        if entry.lang:
            return f"*[{form}]{{lang={entry.lang}}}*"
        return f"*{form}*"

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _quoted_title(m: re.Match, entry: Entry | None) -> bool:
    """«Form», or a work's or periodical's title that opens a quotation: an
    article's or a chapter's title, whose words are its own («La Révolution
    russe et les anarchistes», «Pages de journal. 1945-1947»). A foreign
    phrase that opens one is quoted speech, set: «Stoi! ¡Alto!»."""
    text = m.string
    if text[m.start() - 1:m.start()] != "«":
        return False
    return text[m.end():m.end() + 1] == "»" or entry is None or entry.kind != "phrase"


# --- suggestions -----------------------------------------------------------

CUES = re.compile(
    r"\b(?:revista|periódico|diario|semanario|boletín|novela|libro|ensayo|folleto|poema|obra|título"
    r"|titulado|titulada|intitulado)\s+(?:«)?((?:[A-ZÁÉÍÓÚÑŒ]|L’|l’)[^,.;:()\[\]«»\n]{1,60}?)(?=[,.;:()\[\]»]|\s\(|$)")
BIB_ENTRY = re.compile(r"^(?!#|:::|Con )([A-ZÁÉÍÓÚÑŒ«][^,(\[\n]{2,80}?)(?:,| \(| \[)")
# A note's citation: a roman capitalised run after a list's or an author's
# comma, a colon, "cf.", "en", "de", "sus", that stops before a city, a
# publisher or a year ("Souvenirs d’un terroriste, París, Champ Libre, 1982").
CITATION = re.compile(
    r"(?:(?<=[:;,] )|(?<=\b[cC]f\. )|(?<=\ben )|(?<=\bde )|(?<=\bdel )|(?<=\bsu )|(?<=\bsus ))"
    r"((?:[A-ZÁÉÍÓÚÑŒÂÊÎÔÇ]|L’)[^,;:()\[\]«»*\n]{2,110}?)"
    r"(?=,? \(?(?:París|Paris|Madrid|Londres|London|Nueva York|New York|Barcelona|México|Bruselas|Lausanne"
    r"|Moscú|Moscou|Berlín|Berlin|Ginebra|Montreal|Buenos Aires|Gallimard|Grasset|Plon|Maspero|cit\.)\b"
    r"|, (?:1[89]|20)\d\d\b)")
# What stands before a publisher in a citation ("París, Gallimard, 1930"): the run after it is none.
PUBLISHER_BEFORE = re.compile(r"(?:París|Paris|Madrid|Londres|London|New York|Nueva York|Barcelona|México"
                              r"|Moscú|Lausanne|Bruselas|[Ee]d\.|Éd\.|Éditions|[Ii]dem|ídem|\d), $")


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
        for m in _citations(text):
            found.setdefault(m.group(1).strip(" ."), f"citation in {name}")
    whole = "\n".join(texts.values())
    rows = []
    for title, where in found.items():
        if len(title) < 3:
            continue
        count = len(re.findall(BEFORE + re.escape(emit.escape(title)) + AFTER, whole))
        rows.append((title, count, where))
    return sorted(rows, key=lambda r: (-r[1], r[0]))


def _citations(text: str):
    """CITATION's runs in the notes' lines, but not a publisher after its
    city, nor one word (a city or a name far more often than a title)."""
    for line in text.splitlines():
        if line.startswith("[^"):
            yield from (m for m in CITATION.finditer(line) if " " in m.group(1).strip()
                        and not PUBLISHER_BEFORE.search(line[max(0, m.start() - 30):m.start()]))


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
