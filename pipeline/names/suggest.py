"""Suggest the persons of a manuscript for its index of names (names.yaml).

Before: the manuscript's chapter files as read (Pandoc blocks, notes apart).
After: candidates, clustered by surname: a proposed heading ("Gaulle,
Charles de"), dates from a biographical note, the variants the text uses
with their counts, and a context line each (file:line and the words
around) — as YAML an editor pastes into names.yaml, or as a table.

What counts as a person's name:
- a run of capitalised words, initials ("N. I.") and particles between
  them (de, del, von, van, di, da, le, la…): "Charles de Gaulle";
- strongest: the biographical pattern of the notes, "Nombre Apellido
  (1854-1881)", "(nacido en 1861)", "(n. 1861)", "(1812-?)".
Left out: a capitalised word that only opens a sentence, words the book
also writes in lower case ("Estado", "Partido"), very common words
(wordfreq), registered abbreviations, a stop list of places and bodies,
and words mostly found after "en" (places: "en París").
Clustering: names whose surnames fold to the same key (accents, "tch"/"ch",
"y"/"i", "sky"/"ski"…) are one candidate; a bare surname shared by two
persons with different given names is left out of both (ambiguous).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from pipeline.names.stoplist import STOP_WORDS
from pipeline.text.ast import text_of, walk

PARTICLES = {"de", "del", "von", "van", "der", "den", "di", "da", "le", "la", "du", "des", "y", "d’", "d'", "ten", "zu"}
NAME_PARTICLES = PARTICLES - {"y"}    # "y" joins two persons; it never is inside one name
CAP = r"[A-ZÁÉÍÓÚÑÜÀÈÒÇÂÊÎÔÛÄËÏÖŠŽČ][\w’'\-]*[\w]|[A-ZÁÉÍÓÚÑ]\.(?:-[A-ZÁÉÍÓÚÑ]\.?)?"
TOKEN = re.compile(rf"(?:{CAP})|[\w’'\-]+|\S")
INITIAL = re.compile(r"^[A-ZÁÉÍÓÚÑ]\.(?:-[A-ZÁÉÍÓÚÑ]\.?)?$")
ROMAN = re.compile(r"^(?:X{0,3})(?:IX|IV|V?I{0,3})$")
DATES = re.compile(r"^\s*\((?:c\.\s*|hacia\s+)?(\d{4})\s*[-–]\s*(\d{2,4}|\?)"
                   r"|^\s*\((?:n\.|nacid[oa] en|nace en|nacid[oa] el [^)]*?)\s*(\d{4})")
SENTENCE_END = re.compile(r"(?:^|[.?!…:»]\s*|[—«(\[]\s*)$")


@dataclass
class Variant:
    text: str
    count: int = 0
    context: str = ""           # "file:line: …words around…"


@dataclass
class Candidate:
    key: str                    # the folded surname
    heading: str = ""
    dates: str | None = None
    bio: bool = False           # named with dates in a note: surely a person
    variants: dict[str, Variant] = field(default_factory=dict)
    given: set[str] = field(default_factory=set)
    given_words: list[str] = field(default_factory=list)
    after_en: int = 0
    shared: bool = False        # another person of the book has the same surname

    @property
    def count(self) -> int:
        return sum(v.count for v in self.variants.values())


@dataclass(frozen=True)
class Passage:
    path: Path
    text: str
    note: bool
    source: str                 # the file's Markdown, for line numbers


def passages(sources: Iterable[tuple[Path, list, str]]) -> list[Passage]:
    """Every paragraph of the manuscript, running text and notes apart.
    `sources`: each chapter file's path, Pandoc blocks and Markdown, as the
    read stage gives them (the command line reads them: cli/names.py)."""
    out = []
    for path, blocks, text in sources:
        for block in walk(blocks, _no_citation):
            notes: list = []

            def lift(elem):
                if elem["t"] == "Note":
                    notes.append(elem["c"])
                    return []
                return elem

            body = walk(block, lift)
            for para in _paragraphs(body):
                out.append(Passage(path, para, False, text))
            for note in notes:
                for para in _paragraphs(note):
                    out.append(Passage(path, para, True, text))
    return out


def _no_citation(elem):
    """A citation (read/citations.py), its note too: it names a source's author,
    whom the index of names leaves out (transforms/names.py)."""
    return [] if elem["t"] == "Cite" else elem


def _paragraphs(node) -> list[str]:
    """Plain text per paragraph-like block (Para, Plain, Header, LineBlock line)."""
    found: list[str] = []

    def visit(elem):
        if elem["t"] in ("Para", "Plain", "Header"):
            found.append(text_of(elem["c"] if elem["t"] != "Header" else elem["c"][2]))
        return elem

    walk(node if isinstance(node, list) else [node], visit)
    return [t for t in found if t.strip()]


def fold(word: str) -> str:
    """A surname's clustering key: Kibaltchitch, Kibalchich, Kibálchich → kibalchich."""
    w = unicodedata.normalize("NFKD", word.lower())
    w = "".join(c for c in w if not unicodedata.combining(c))
    for a, b in (("tch", "ch"), ("tsch", "ch"), ("sch", "sh"), ("kh", "j"), ("zh", "j"), ("ye", "e"),
                 ("y", "i"), ("ij", "i"), ("ff", "f"), ("w", "v"), ("ck", "k"), ("ph", "f"), ("th", "t"),
                 ("ts", "z"), ("tz", "z"), ("ou", "u"), ("ii", "i"), ("'", ""), ("’", "")):
        w = w.replace(a, b)
    w = re.sub(r"(.)\1", r"\1", w)
    return re.sub(r"(ski|sky|skii|skaia|skaya|skaïa)$", "ski", w)


class Lexicon:
    """What is not a name: words the book writes in lower case, common words, the stop list."""

    def __init__(self, texts: list[str], abbreviations=()):
        self.lower = Counter(w for t in texts for w in re.findall(r"\b[a-záéíóúñüàèòç]+\b", t))
        self.abbrs = {f for a in abbreviations for f in (a.term, *a.variants)}
        try:
            from wordfreq import zipf_frequency
        except ImportError:  # pragma: no cover - wordfreq is a dependency
            zipf_frequency = None
        self.zipf = zipf_frequency

    def common(self, word: str) -> bool:
        low = word.lower()
        if word in self.abbrs or low in STOP_WORDS or ROMAN.match(word) and word:
            return True
        if self.lower[low] >= 2:
            return True
        return bool(self.zipf) and self.zipf(low, "es") >= 5.2


def runs(text: str, lexicon: Lexicon):
    """(start, end, tokens) of every run of name-like tokens in one paragraph."""
    tokens = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]
    i = 0
    while i < len(tokens):
        start, _, tok = tokens[i]
        if not _name_token(tok):
            i += 1
            continue
        j, run = i, []
        while j < len(tokens):
            tok = tokens[j][2]
            if _name_token(tok) or (ROMAN.match(tok) and run):
                run.append(j)
                j += 1
            elif tok in NAME_PARTICLES and run and j + 1 < len(tokens) and _name_token(tokens[j + 1][2]):
                run.append(j)
                j += 1
            else:
                break
        words = [tokens[k][2] for k in run]
        begin = tokens[run[0]][0]
        # a sentence-initial word that is a common word is no part of the name
        while words and SENTENCE_END.search(text[:begin]) and lexicon.common(words[0]):
            run, words = run[1:], words[1:]
            begin = tokens[run[0]][0] if run else begin
        # leading/trailing particles and common words are trimmed
        while words and (words[0] in NAME_PARTICLES or (lexicon.common(words[0]) and not INITIAL.match(words[0]))):
            run, words = run[1:], words[1:]
        while words and (words[-1] in NAME_PARTICLES or INITIAL.match(words[-1]) or lexicon.common(words[-1])):
            run, words = run[:-1], words[:-1]
        if words and any(w[0].isupper() and not INITIAL.match(w) for w in words):
            yield tokens[run[0]][0], tokens[run[-1]][1], words
        i = max(j, i + 1)


def _name_token(tok: str) -> bool:
    return bool(re.fullmatch(CAP, tok)) and not ROMAN.match(tok) or bool(INITIAL.match(tok))


def surname_of(words: list[str]) -> int:
    """Index of the surname: the last word, unless it is a roman numeral
    (Alejandro II: no surname, the name is the heading)."""
    return len(words) - 1


def heading_of(words: list[str]) -> str:
    """'Charles de Gaulle' → 'Gaulle, Charles de'; 'Alejandro II' stays."""
    if len(words) == 1 or ROMAN.match(words[-1]):
        return " ".join(words)
    return f"{words[-1]}, {' '.join(words[:-1])}"


BIO = re.compile(r"^\s*\((?:[^()]{0,60}?[,;]\s*)?(?:c\.\s*|hacia\s+)?(1[6-9]\d\d)\s*[-–]\s*(1[6-9]\d\d|20\d\d|\d\d|\?)"
                 r"|^\s*\((?:[^()]{0,60}?[,;]\s*)?(?:n\.|nacid[oa] en|nace en)\s*(1[6-9]\d\d)")


def bio_dates(after: str) -> str | None:
    """'(1854-1881), …' → '1854-1881'; '(nacido en 1861)' → 'n. 1861'; a
    span that is no life (a book's '(1917-1927)') → None."""
    m = BIO.match(after)
    if not m:
        return None
    if m.group(3):
        return f"n. {m.group(3)}"
    first, last = m.group(1), m.group(2)
    if last == "?":
        return f"{first}-?"
    end = int(first[:4 - len(last)] + last)
    return f"{first}-{end}" if 25 <= end - int(first) <= 105 else None


def _compatible(given: list[str], other: list[str]) -> bool:
    """'P.' fits 'Pierre'; 'Andrés' fits 'Andreu' (same first letters); 'Blaise' does not fit 'Pierre'."""
    for g in given:
        if g in NAME_PARTICLES:
            continue
        if not any(_fits(g, o) for o in other):
            return False
    return True


def _fits(a: str, b: str) -> bool:
    if INITIAL.match(a) or INITIAL.match(b):
        return fold(a)[0] == fold(b)[0]
    fa, fb = fold(a), fold(b)
    return fa == fb or (len(fa) >= 4 and len(fb) >= 4 and fa[:4] == fb[:4])


def suggest(items: list[Passage], abbreviations=(), min_count: int = 1) -> list[Candidate]:
    """Persons, most certain first: those with a biographical note, then by count."""
    lexicon = Lexicon([p.text for p in items], abbreviations)
    found = []                                   # (words, passage, start, end, dates)
    for p in items:
        for start, end, words in runs(p.text, lexicon):
            if len(words) == 1 and INITIAL.match(words[0]):
                continue
            found.append((words, p, start, end, bio_dates(p.text[end:])))
    given_names = {w for words, *_, dates in found if dates for w in words[:-1]
                   if not INITIAL.match(w) and w not in NAME_PARTICLES}
    surnames: dict[str, list[Candidate]] = defaultdict(list)
    for words, p, start, end, dates in sorted(found, key=lambda f: f[4] is None):   # bio names first
        words = _trim_given(words, given_names, dates is not None)
        key = fold(" ".join(words)) if ROMAN.match(words[-1]) and len(words) > 1 else fold(words[-1])
        given = words[:-1] if not ROMAN.match(words[-1]) else []
        persons = surnames[key]
        cand = next((c for c in persons if given and _compatible(given, c.given_words)), None)
        if cand is None and not given:
            cand = next((c for c in persons if c.bio), persons[0] if persons else None)
        if cand is None:
            cand = Candidate(key, given_words=list(given))
            persons.append(cand)
        if dates and not cand.bio:
            cand.bio, cand.dates, cand.heading = True, dates, heading_of(words)
        if len(given) > len(cand.given_words) and _compatible(cand.given_words, given):
            cand.given_words = list(given)
        name = " ".join(words)
        var = cand.variants.setdefault(name, Variant(name))
        var.count += 1
        if not var.context:
            var.context = _context(p, start, end)
        cand.after_en += bool(re.search(r"\ben\s*$", p.text[:start]))
        if given:
            cand.given.add(" ".join(given))
    out = []
    for key, persons in surnames.items():
        shared = len(persons) > 1
        for cand in persons:
            if not cand.bio:
                if cand.after_en * 3 >= cand.count or cand.count < min_count:
                    continue
                if not cand.given_words and cand.count < max(min_count, 3):
                    continue   # a lone capitalised word, never with a given name: rarely a person
            if not cand.heading:
                cand.heading = heading_of(cand.given_words + [max(cand.variants, key=lambda v: cand.variants[v].count).split()[-1]])
            cand.shared = shared
            _fuller_heading(cand)
            out.append(cand)
    return sorted(out, key=lambda c: (-c.bio, -c.count, c.heading))


def _fuller_heading(cand: Candidate) -> None:
    """'Clemenceau, G.' → 'Clemenceau, Georges' when the text also writes the given name out."""
    surname, _, given = cand.heading.partition(", ")
    if given and not all(INITIAL.match(w) for w in given.split()):
        return
    full = [v.split() for v in cand.variants if len(v.split()) > 1 and v.split()[-1] == surname
            and not all(INITIAL.match(w) for w in v.split()[:-1])]
    if full:
        cand.heading = heading_of(max(full, key=len))


def _trim_given(words: list[str], given_names: set[str], bio: bool) -> list[str]:
    """Before the surname, cut what stands before the book's known given
    names: 'Cahiers Henry Poulaille' → 'Henry Poulaille' (Henry is a given
    name in some biographical note); a run with no known given name stays
    whole ('Charles de Gaulle')."""
    if bio or len(words) == 1 or ROMAN.match(words[-1]):
        return words
    known = [i for i, w in enumerate(words[:-1]) if w in given_names or INITIAL.match(w)]
    if not known:
        return words
    first = known[0]
    while first > 0 and (words[first - 1] in given_names or INITIAL.match(words[first - 1])):
        first -= 1
    return words[first:]  # a known given name or an initial: never a particle


def _context(p: Passage, start: int, end: int) -> str:
    line = _line(p.source, p.text[start:end])
    left = p.text[max(0, start - 40):start].split(" ", 1)[-1] if start > 40 else p.text[:start]
    right = p.text[end:end + 40].rsplit(" ", 1)[0] if len(p.text) > end + 40 else p.text[end:]
    where = "nota" if p.note else "texto"
    return f"{p.path.name}:{line} ({where}): …{left}{p.text[start:end]}{right}…"


def _line(source: str, needle: str) -> int:
    i = source.find(needle)
    if i < 0:
        i = source.find(needle.split()[-1])
    return source.count("\n", 0, i) + 1 if i >= 0 else 0


def ambiguous_surnames(cands: list[Candidate]) -> set[str]:
    """Surnames that stand for two persons: two bio headings share the folded surname."""
    return {c.key for c in cands if len({g for g in c.given if g}) > 1 and c.bio}


def to_yaml(cands: list[Candidate]) -> str:
    """names.yaml entries, each with a comment giving counts and a context line."""
    import yaml

    lines = ["# Suggested by `python -m pipeline names suggest`: review each entry before",
             "# pasting it into names.yaml (headings, variants, persons sharing a surname)."]
    for cand in cands:
        variants = sorted(cand.variants.values(), key=lambda v: (-len(v.text), v.text))
        lines.append("")
        notes = (" · biographical note" if cand.bio else "") + (" · surname shared: check the bare surname" if cand.shared else "")
        lines.append(f"# {cand.count} mention(s){notes}")
        for v in variants:
            lines.append(f"#   {v.count:>4}  {v.context}")
        entry = {"name": cand.heading}
        if cand.dates:
            entry["dates"] = cand.dates
        entry["variants"] = [v.text for v in variants]
        text = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=200)
        lines.append(text.rstrip())
    return "\n".join(lines) + "\n"


def to_table(cands: list[Candidate]) -> str:
    rows = []
    for cand in cands:
        rows.append(f"{cand.count:>5}  {'bio' if cand.bio else '   '}  {cand.heading}"
                    + (f" ({cand.dates})" if cand.dates else ""))
        for v in sorted(cand.variants.values(), key=lambda v: -v.count):
            rows.append(f"{v.count:>11}  {v.text}  — {v.context}")
    return "\n".join(rows) + "\n"
