"""How faithful is the manuscript to the source? Faults per 10,000 words.

    python -m pipeline.importer.fidelity SOURCE.txt [-m manuscript] [--profile serge-memorias]
                                         [--paragraphs 450] [--notes 300] [--seed 22]

Two measures, as a proofreader's audit would take them:

- a sample: paragraphs and notes drawn at random (a fixed seed, so a rerun
  draws the same), each aligned word by word with the source. A manuscript
  word the source does not give there (a garbled, lost or added word) is a
  fault. Words compare by their letters, case aside, with the damaged
  ligatures read as any ligature (source "de!nitiva" = "definitiva"), so that
  the importer's repairs are no faults; numbers are left out (the note
  markers glued to words make them unreliable). The same alignment checks
  the block's paragraphing against the printed page: the extraction ends a
  line the paragraph runs on from with a space and a paragraph's last line
  without one, so a block that crosses a line ending a sentence with no space
  after it, with more text of that page below (a page's last line of text
  never has one), has paragraphs joined; a body paragraph that opens on the
  line after one that runs on, on the same page, is split.
- scans of the whole book for the kinds of fault an alignment cannot see:
  acronyms of the register left in lower case, dialogue turns run together,
  paragraphs that start in lower case (split in a sentence), link-layer
  lines, leftover ligature glyphs.

The rate comes with a 95% Wilson interval (faults as a proportion of words).
"""

from __future__ import annotations

import argparse
import difflib
import math
import random
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from typing import Optional

from pydantic import BaseModel, ConfigDict

from . import pages as pages_mod, source as source_mod
from .lexicon import Lexicon
from .repair import load_rules

# Compared without ligatures: the source's damaged glyphs (! " # $ < 8 9) and
# the manuscript's repaired letters (fi, fl, ff, ffl, th) both drop out, so
# "de!nitiva" and "definitiva" are one word; so are undamaged spellings.
LIGATURES = re.compile(r"ffi|ffl|ff|fi|fl|th", re.IGNORECASE)
# ffi extracted as a capital F between lowercase letters ("oFciel" = "officiel").
FFI_GLYPH = re.compile(r"(?<=[^\W\dA-Z_])F(?=[^\W\dA-Z_])")
MARKUP = re.compile(r"\[\^[^\]\s]+\]:?|\{[^}\n]*\}|\\(?=\S)|[*\[\]]")
SPACE_MARKUP = re.compile(r"\[\^[^\]\s]+\]:?")     # a note token stands between words
ANCHOR = 4


def key(word: str) -> str:
    """"de!nitiva" → "denitiva", "Definitiva," → "denitiva", "1905" → "".
    A capital I read as l ("lzvestia") is the importer's repair, no fault: an
    initial l counts as i on both sides."""
    letters = "".join(ch for ch in LIGATURES.sub("", FFI_GLYPH.sub("", word).lower()) if ch.isalpha())
    return "i" + letters[1:] if letters.startswith("l") else letters


@dataclass
class Report:
    words: int = 0
    faults: Counter = field(default_factory=Counter)
    examples: dict = field(default_factory=lambda: defaultdict(list))

    def add(self, kind: str, example: str) -> None:
        self.faults[kind] += 1
        if len(self.examples[kind]) < 5:
            self.examples[kind].append(example)

    @property
    def total(self) -> int:
        return sum(self.faults.values())


def wilson(faults: int, words: int, z: float = 1.96) -> tuple[float, float]:
    """95% interval of a proportion, per 10,000 words (sound near zero, unlike ±2σ)."""
    if not words:
        return 0.0, 0.0
    p = faults / words
    centre = (p + z * z / (2 * words)) / (1 + z * z / words)
    half = z * math.sqrt(p * (1 - p) / words + z * z / (4 * words * words)) / (1 + z * z / words)
    return max(0.0, centre - half) * 10000, (centre + half) * 10000


def source_words(src) -> list[tuple[str, int]]:
    """The source's words in order, page furniture gone, line-end hyphens joined."""
    return source_text(src)[0]


def source_text(src) -> tuple[list[tuple[str, int]], dict[int, int]]:
    """source_words, and for each word joined across a page turn the length
    of the key of its part before the hyphen ("perió-" at a note's page end
    glued to the next page's first word, whatever it is)."""
    pages, _ = pages_mod.split_pages(src.lines, src.profile.get("pages", {}), src.profile.get("drop", []) or [])
    out: list[tuple[str, int]] = []
    turned: dict[int, int] = {}
    carry, carry_page = "", 0
    for number, page in enumerate(pages):
        for line, text in page.lines:
            tokens = text.split()
            if carry and tokens:
                if number != carry_page:
                    turned[len(out)] = len(key(carry))
                # "Portulan-⏎Flammarion": a capital keeps its hyphen (and is no ffi glyph)
                tokens[0] = carry + ("-" if tokens[0][:1].isupper() else "") + tokens[0]
                carry = ""
            if tokens and tokens[-1].endswith("-") and len(tokens[-1]) > 1:
                carry, carry_page = tokens.pop()[:-1], number
            out.extend((t, line) for t in tokens)
    words, turns, kept = [], {}, 0
    for i, (w, n) in enumerate(out):
        k = key(w)
        if k:
            if i in turned:
                turns[kept] = turned[i]
            words.append((k, n))
            kept += 1
    return words, turns


def blocks(manuscript: Path) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(file, text) of every body paragraph and every note in the manuscript."""
    paras, notes = [], []
    for path in sorted(manuscript.glob("*.md")):
        chunks = path.read_text(encoding="utf-8").split("\n\n")
        in_note = False
        for chunk in chunks:
            if chunk.startswith("[^"):
                in_note = True
                notes.append((path.name, chunk))
            elif in_note and chunk.startswith("    "):
                notes[-1] = (path.name, notes[-1][1] + "\n\n" + chunk)
            elif not chunk.startswith(("#", ":::", "|", "* * *")):
                in_note = False
                paras.append((path.name, chunk))
    return paras, notes


def paragraph_starts(text: str) -> frozenset[int]:
    """Indices in manuscript_keys(text) where a paragraph of a note's own begins
    (a continued note's "    " chunks): no join is read across them."""
    starts, count = set(), 0
    for chunk in text.split("\n\n"):
        if count:
            starts.add(count)
        count += len(manuscript_keys(chunk))
    return frozenset(starts)


def manuscript_keys(text: str) -> list[str]:
    text = MARKUP.sub("", SPACE_MARKUP.sub(" ", text))
    keys = [key(w) for w in text.split()]
    return [k for k in keys if k]


# The extraction keeps a space at the end of a line the paragraph runs on
# from, and none after a paragraph's last line: the printed page's own sign,
# read apart from the importer's decisions (blank lines, line lengths).
PARAGRAPH_END = re.compile(r"[.?!…:»)\]][\d*]*$")
PAGE_START = re.compile(r"^ (?! )\S")
NOTE_START = re.compile(r"^\d{1,3} \S")


def paragraph_ends(path: Path) -> frozenset[int]:
    """Source lines that end a paragraph in the printed book: a sentence's end
    and no space after it, with more text of the page after it (a page's last
    line of text has no space after it either, whatever follows: it is
    followed by the page's notes or the next page)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    ends = set()
    for n, t in enumerate(lines, 1):
        if t.strip() and PARAGRAPH_END.search(t):
            after = next((u for u in lines[n:n + 3] if u.strip()), "")
            if after and not PAGE_START.match(after) and not NOTE_START.match(after):
                ends.add(n)
    return frozenset(ends)


def runs_on(path: Path) -> frozenset[int]:
    """Source lines the paragraph plainly runs on from to the next line: a
    space after, no sentence's end, and no page starting on the next line
    (a page's first line, " Le Rétif…", follows the notes of the page before)."""
    lines = path.read_text(encoding="utf-8").split("\n") + [""]
    return frozenset(n for n, t in enumerate(lines[:-1], 1)
                     if t.endswith(" ") and t.strip() and not PARAGRAPH_END.search(t.rstrip())
                     and not PAGE_START.match(lines[n]))


class Aligner:
    def __init__(self, words: list[tuple[str, int]], turns: dict[int, int] | None = None,
                 ends: frozenset[int] = frozenset(), runs: frozenset[int] = frozenset()):
        self.keys = [k for k, _ in words]
        self.lines = [n for _, n in words]
        self.turns = turns or {}
        self.ends, self.runs = ends, runs
        self.index: dict[tuple, list[int]] = defaultdict(list)
        for i in range(len(self.keys) - ANCHOR):
            self.index[tuple(self.keys[i:i + ANCHOR])].append(i)

    def align(self, keys: list[str], report: Report, where: str, counted: bool = False,
              starts: frozenset[int] = frozenset()) -> None:
        """Faults of one block: its words that the source does not give there.
        `starts`: where the block's own paragraphs begin (a note's)."""
        start = self._anchor(keys)
        if start is None and len(keys) <= ANCHOR + 2:
            return   # too short to place: not counted either way
        if not counted:
            report.words += len(keys)
        if start is None:
            report.add("unaligned block", f"{where}: {' '.join(keys[:8])}")
            return
        window = self.keys[start:start + len(keys) * 3 + 400]
        matcher = difflib.SequenceMatcher(None, keys, window, autojunk=False)
        blocks = matcher.get_matching_blocks()
        last = max((b.a + b.size for b in blocks if b.size), default=0)
        if 0 < last < len(keys) - ANCHOR and self._anchor(keys[last:]) is not None:
            # A long paragraph runs past the window (pages of notes between
            # its pages): its rest is placed on its own, not called added.
            self.align(keys[last:], report, where, counted=True,
                       starts=frozenset(s - last for s in starts if s > last))
            keys = keys[:last]
        self._paragraphing(blocks, start, report, where, counted, starts)
        for tag, a0, a1, b0, b1 in matcher.get_opcodes():
            if a0 >= len(keys):
                break
            if tag == "replace" and self._mended(keys[a0:a1], start + b0, start + b1):
                continue
            if tag in ("replace", "insert") and a0 < last:
                kind = "garbled word" if tag == "replace" else "added word"
                line = self.lines[min(start + b0, len(self.lines) - 1)]
                for k in keys[a0:a1]:
                    report.add(kind, f"{where} (source ~{line}): {k}")
            elif tag == "delete" and a0 >= last:
                for k in keys[a0:a1]:
                    report.add("added word", f"{where}: {k}")
            elif tag == "replace" and a0 >= last:
                for k in keys[a0:a1]:
                    report.add("garbled word", f"{where}: {k}")

    def _paragraphing(self, blocks, start: int, report: Report, where: str, rest: bool,
                      starts: frozenset[int] = frozenset()) -> None:
        """Paragraphs joined or split against the printed book: a source line
        that ends a paragraph crossed inside the block, or a block that opens
        on the line after one the paragraph runs on from (on the same page:
        a page's first line follows the notes of the page before)."""
        for ours, a, b in self._turns_of_line(blocks, start):
            # on one page: across a page's notes, a page's last line says nothing
            if a < b <= a + 3 and a in self.ends and ours not in starts:
                report.add("paragraphs joined", f"{where} (source ~{a})")
        first = next((b for b in blocks if b.size), None)
        if rest or first is None or first.a or not where.endswith("paragraph"):
            return
        i = start + first.b
        # its first word opens its source line, and the line before runs on to it
        if 0 < i and self.lines[i - 1] == self.lines[i] - 1 and self.lines[i] - 1 in self.runs:
            report.add("paragraph split", f"{where} (source ~{self.lines[i]})")

    def _turns_of_line(self, blocks, start: int):
        """(our word's index, line, next line) where the block's words run from one source line
        to another: inside a run of words matched in order, or from one solid
        run to the next with no word of ours between (a page's notes may stand
        between them in the source)."""
        solid = [b for b in blocks if b.size >= ANCHOR]
        for b in solid:
            for j in range(b.size - 1):
                yield b.a + j + 1, self.lines[start + b.b + j], self.lines[start + b.b + j + 1]
        for b, c in zip(solid, solid[1:]):
            if b.a + b.size == c.a:
                yield c.a, self.lines[start + b.b + b.size - 1], self.lines[start + c.b]

    def _mended(self, ours: list[str], b0: int, b1: int) -> bool:
        """No fault where the source is at fault and the import mended it:
        letters the extraction split ("dife rencias" → "diferencias": the same
        letters, and a piece no word: "de la" → "dela" is a fault), or a word hyphenated across a page turn
        that the source glues to the next page's first word ("perió-" +
        "un" → "periódico": the part before the hyphen is ours; the rest is
        on that page after its body)."""
        theirs = self.keys[b0:b1]
        if len(ours) == 1 and len(theirs) > 1 and "".join(theirs) == ours[0] \
                and not all(WORDS.known(t) for t in theirs):
            return True
        cut = self.turns.get(b0, 0) if len(ours) == 1 else 0
        return cut >= 3 and ours[0].startswith(theirs[0][:cut])

    def _anchor(self, keys: list[str]) -> int | None:
        """Where the block starts in the source: at its first run of words the
        source holds once, or else, for a passage the source repeats (the
        editors' "Pasaje tachado con lápiz negro…" notes), at the place that
        matches it best."""
        repeated: set[int] = set()
        for i in range(0, max(1, len(keys) - ANCHOR + 1)):
            hits = self.index.get(tuple(keys[i:i + ANCHOR]))
            if hits and len(hits) == 1:
                return max(0, hits[0] - i)
            repeated.update(max(0, h - i) for h in hits or ())
        if not repeated:
            return None
        return max(sorted(repeated)[:200], key=lambda s: difflib.SequenceMatcher(
            None, keys, self.keys[s:s + len(keys)], autojunk=False).ratio())


# A dialogue turn opens with "— " (dash, space); "«¿Te vas? —A Lille»" is one quoted exchange.
DIALOGUE_RUN = re.compile(r"[.?!…»][\]^\d]* — [¡¿«A-ZÁÉÍÓÚÑ]")
URL = re.compile(r"\S*(://|www\.)\S*")
LEFTOVER = re.compile(r"[^\W\d_][!\"#$<][^\W\d_]")
URL_LINE = re.compile(r"^\s*(https?://|www\.)\S*\s*$", re.MULTILINE)
# A note marker left as text: digits glued to a word, or to the punctuation
# after one ("esta noche,85 ha dejado"), where the book prints no number.
MARKER_LEFT = re.compile(r"(?<=[^\W\d_])[,.;:»)]?\d{1,3}\*?(?=[\s,.;:)»]|$)")
# A ligature the repair missed: ff or Th still a digit inside a word ("Io8é"),
# ffi still an F where the ffi reading is a word ("DiFcultés"),
# or fl still a hyphen where the book spells the word whole ("Pan-etario").
DIGIT_GLYPH = re.compile(r"[^\W\d_][89][^\W\d_]")
FFI_WORD = re.compile(r"[^\W\d_]*[^\W\dA-Z_]F[^\W\dA-Z_][^\W\d_]*")
WORDS = Lexicon(Counter())   # wordfreq alone: Spanish, French, English
HYPHENATED = re.compile(r"\b([^\W\d_]+)-([^\W\d_]+)\b")


class _Term(BaseModel):
    """What the scan reads of an abbreviations.yaml entry (the build checks the rest)."""
    model_config = ConfigDict(extra="allow")
    term: str


def scan(manuscript: Path, report: Report, words_too: frozenset[str] = frozenset()) -> None:
    """Whole-book scans for faults an alignment cannot see. `words_too`: acronyms
    that are also words somewhere (French "ce"), not counted in lower case."""
    register = manuscript / "abbreviations.yaml"
    rows = (source_mod.read_yaml(register, Optional[list[_Term]], "M004") or []) if register.is_file() else []
    terms = [r.term for r in rows
             if r.term.isupper() and r.term.isalpha() and len(r.term) > 1
             and r.term.lower() not in words_too]
    lower = re.compile(r"(?<![\w\[])(" + "|".join(re.escape(t.lower()) for t in terms) + r")(?![\w\]])"
                       if terms else r"(?!)")
    paras, notes = blocks(manuscript)
    spelled = Counter(w.lower() for _, text in paras + notes for w in re.findall(r"[^\W\d_]+", text))
    for name, text in paras + notes:
        plain = MARKUP.sub(" ", text)
        for m in MARKER_LEFT.finditer(URL.sub(" ", plain)):
            report.add("note marker left in text", f"{name}: …{plain[max(0, m.start() - 30):m.end() + 10]}…")
        for m in DIGIT_GLYPH.finditer(URL.sub(" ", plain)):
            report.add("ligature missed", f"{name}: …{plain[max(0, m.start() - 20):m.end() + 10]}…")
        for m in FFI_WORD.finditer(URL.sub(" ", plain)):   # "DiFcultés", not "McFarlane"
            if WORDS.known(FFI_GLYPH.sub("ffi", m.group(0))) and not WORDS.known(m.group(0)):
                report.add("ligature missed", f"{name}: …{plain[max(0, m.start() - 20):m.end() + 10]}…")
        for m in HYPHENATED.finditer(URL.sub(" ", plain)):
            if any(spelled[(m.group(1) + lig + m.group(2)).lower()] for lig in ("fl", "fi", "ff")):
                report.add("ligature missed", f"{name}: …{plain[max(0, m.start() - 20):m.end() + 10]}…")
        report.words += len(manuscript_keys(text))   # words as the sample counts them
        for m in lower.finditer(URL.sub(" ", text)):
            report.add("acronym in lower case", f"{name}: …{text[max(0, m.start() - 30):m.end() + 10]}…")
        for m in DIALOGUE_RUN.finditer(text):
            if text[:m.start()].count("«") > text[:m.start()].count("»"):
                continue   # an exchange quoted in «», one paragraph in the book
            report.add("dialogue turns joined", f"{name}: …{text[max(0, m.start() - 30):m.end() + 20]}…")
        for m in LEFTOVER.finditer(plain):
            report.add("ligature glyph left", f"{name}: …{plain[max(0, m.start() - 20):m.end() + 10]}…")
        for m in URL_LINE.finditer(text):
            report.add("link-layer line", f"{name}: {m.group(0).strip()}")
    for name, text in paras:
        first = text.lstrip("\\")[:1]
        # "o" alone between two titles offered ("… Témoignage. ⏎ o ⏎ De la Révolution…") is the book's
        if first.islower() and not text.startswith("[") and not re.match(r"\\?[oy] ", text):
            report.add("paragraph split mid-sentence", f"{name}: {text[:50]}")


# The import measures itself with this sample: large enough that a clean
# manuscript's 95% upper bound falls under 0.5 faults per 10,000 words
# (about 80,000 words), drawn with a fixed seed so that re-import is
# byte-identical.
PARAGRAPHS, NOTES, SEED = 450, 300, 22


def measure(src, manuscript: Path, paragraphs: int = PARAGRAPHS, notes: int = NOTES,
            seed: int = SEED) -> tuple[Report, Report]:
    """(sample, whole-book scans) of `manuscript` against the loaded source."""
    aligner = Aligner(*source_text(src), ends=paragraph_ends(src.path), runs=runs_on(src.path))
    paras, note_blocks = blocks(manuscript)
    rng = random.Random(seed)
    sample = Report()
    for kind, pool, count in (("paragraph", paras, paragraphs), ("note", note_blocks, notes)):
        for name, text in rng.sample(pool, min(count, len(pool))):
            aligner.align(manuscript_keys(text), sample, f"{name} {kind}", starts=paragraph_starts(text))
    whole = Report()
    caps = load_rules(src.profile_dir).get("small_caps") or {}
    scan(manuscript, whole, frozenset(str(w).lower() for w in (caps.get("context_acronyms") or [])
                                      + (caps.get("not_acronyms") or [])))
    return sample, whole


def run(source_path: Path, manuscript: Path, profile: str, paragraphs: int, notes: int, seed: int) -> str:
    folder = source_mod.profile_dir(profile, source_path)
    src = source_mod.load(source_path, folder, manuscript / "corrections.yaml")
    sample, whole = measure(src, manuscript, paragraphs, notes, seed)
    return render(sample, whole, paragraphs, notes, seed)


def summary(sample: Report, whole: Report, paragraphs: int = PARAGRAPHS, notes: int = NOTES,
            seed: int = SEED) -> list[str]:
    """The figure for the import report: the sample's rate and interval, the scans' faults."""
    low, high = wilson(sample.total, sample.words)
    rate = sample.total / sample.words * 10000 if sample.words else 0.0
    kinds = ", ".join(f"{k} {n}" for k, n in sorted((sample.faults + whole.faults).items())) or "none"
    return [f"Sample of {paragraphs} paragraphs and {notes} notes (seed {seed}), {sample.words} words "
            f"aligned with the source: {sample.total} faults, {rate:.2f} per 10,000 words "
            f"(95% Wilson interval {low:.2f}–{high:.2f}). Whole-book scans ({whole.words} words): "
            f"{whole.total} faults. By kind: {kinds}. Details: fidelity-report.md."]


def render(sample: Report, whole: Report, paragraphs: int, notes: int, seed: int) -> str:
    out = ["# Fidelity of the manuscript to the source", ""]
    for title, rep in ((f"Sample: {paragraphs} paragraphs and {notes} notes (seed {seed}), aligned word by word",
                        sample), ("Whole-book scans", whole)):
        low, high = wilson(rep.total, rep.words)
        rate = rep.total / rep.words * 10000 if rep.words else 0.0
        out += [f"## {title}", "",
                f"{rep.words} words, {rep.total} faults: {rate:.2f} per 10,000 words "
                f"(95% Wilson interval {low:.2f}–{high:.2f}).", ""]
        for kind, n in sorted(rep.faults.items()):
            out.append(f"- {kind}: {n}")
            out += [f"    - {e}" for e in rep.examples[kind]]
        out.append("")
    total_words = sample.words + whole.words
    total = sample.total + whole.total
    low, high = wilson(total, total_words)
    out += ["## Together", "",
            f"{total} faults in {total_words} words checked: "
            f"{total / total_words * 10000 if total_words else 0:.2f} per 10,000 "
            f"(95% Wilson interval {low:.2f}–{high:.2f}).", ""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.importer.fidelity", description=__doc__.split("\n")[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("-m", "--manuscript", type=Path, default=Path("manuscript"))
    parser.add_argument("--profile", default="serge-memorias")
    parser.add_argument("--paragraphs", type=int, default=PARAGRAPHS)
    parser.add_argument("--notes", type=int, default=NOTES)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    try:
        print(run(args.source, args.manuscript, args.profile, args.paragraphs, args.notes, args.seed), end="")
    except source_mod.ImportError_ as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
