"""The lexicon that text repair asks "is this a word?".

Two sources of evidence, combined into one score on wordfreq's Zipf scale
(0 = unknown, 3 = about once per million words, 7 = "the"):

- wordfreq for Spanish, French and English (the book quotes all three);
- the book's own vocabulary: words that occur somewhere in the source with no
  damaged glyph and not cut by a line-end hyphen. A word attested undamaged
  elsewhere in the book is strong evidence, stronger than a general corpus
  for the book's many Russian and French proper names.

Lookups are cached: the whole book asks a few tens of thousands of questions.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

from wordfreq import zipf_frequency

# A "word" for the lexicon: a run of letters (any script, no digits).
WORD_RE = re.compile(r"[^\W\d_]+")
# Characters that stand for a damaged ligature somewhere in the book (roman
# ! - 8 9 <, italic " # $ !). A whitespace token containing one next to a
# letter is not evidence of anything.
DAMAGE_RE = re.compile(r"[!\"#$<]|[^\W\d_][89]|[89][^\W\d_]|(?:^|[^\W\d_])-[^\W\d_]")

# Below this score a word counts as unknown: wordfreq's long tail holds many
# syllables and fragments between 1 and 2 ("uencia" 1.1), so a reading must do
# better than that to count as attested.
KNOWN = 2.0
# An unknown form counts as known when a stem this long and this common is
# left after cutting its ending (see Lexicon.inflected_score).
STEM_MIN = 6
STEM_SCORE = 3.0
ENDINGS = ("se", "sen", "semos", "ía", "ían", "ías", "íamos", "ra", "ran", "ron",
           "nos", "los", "las", "les", "lo", "la", "le", "s", "es", "mos")
# How much one undamaged occurrence in the book is worth, and each tenfold more.
BOOK_BASE = 3.0
BOOK_STEP = 1.0


class Lexicon:
    """Word scores from wordfreq (es, fr, en) and the book's own vocabulary.

    >>> lex = Lexicon(Counter({"kibálchich": 3}))
    >>> lex.score("Kibálchich") > KNOWN
    True
    """

    def __init__(self, book_counts: Counter | None = None,
                 languages: tuple[str, ...] = ("es", "fr", "en")):
        self.book = Counter({w.lower(): n for w, n in (book_counts or {}).items()})
        self.compounds: Counter = Counter()
        self.languages = languages
        self._cache: dict[str, float] = {}

    def book_count(self, word: str) -> int:
        return self.book.get(word.lower(), 0)

    def score(self, word: str) -> float:
        """Best evidence for `word` on the Zipf scale: "fin" → 5.5, "exión" → 0."""
        key = word.lower()
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        best = max(zipf_frequency(key, lang) for lang in self.languages) if key else 0.0
        count = self.book.get(key, 0)
        if count:
            best = max(best, BOOK_BASE + BOOK_STEP * math.log10(count))
        self._cache[key] = best
        return best

    def zipf(self, word: str, language: str) -> float:
        """wordfreq alone, in one language: "Amberes" is Spanish, "Bonne" is not."""
        return zipf_frequency(word.lower(), language)

    def known(self, word: str) -> bool:
        return self.score(word) >= KNOWN

    def inflected_score(self, word: str) -> float:
        """Like score(), but an unknown word with a common stem counts as known.

        wordfreq lacks many inflected forms ("reflexionase", "desprendería",
        "sostenernos"): when cutting a Spanish ending or enclitic leaves a
        common word of six letters or more, the form scores KNOWN, just
        attested. "Archino" is no "Archi" + "no".
        """
        best = self.score(word)
        if best >= KNOWN:
            return best
        lower = word.lower()
        for ending in ENDINGS:
            stem = lower[:-len(ending)]
            if lower.endswith(ending) and len(stem) >= STEM_MIN and self.score(stem) >= STEM_SCORE:
                return KNOWN
        return best

    def score_elsewhere(self, word: str) -> float:
        """The score without one book occurrence: the one being judged.

        "lnternacional" occurs once, undamaged-looking, in the book; that
        occurrence is no evidence for itself.
        """
        count = self.book.get(word.lower(), 0)
        if count == 0:
            return self.score(word)
        general = max(zipf_frequency(word.lower(), lang) for lang in self.languages)
        if count == 1:
            return general
        return max(general, BOOK_BASE + BOOK_STEP * math.log10(count - 1))

    def reading_score(self, text: str) -> tuple[float, float]:
        """Score a candidate reading: (weakest part, mean of parts).

        Hyphenated readings are scored part by part, so that
        "social-demócrata" scores as well as its weaker half, and "re-exión"
        as badly as "exión". Digits at the edges (note markers glued to a word
        in raw text) are ignored: "incautaciones8" scores as "incautaciones".
        """
        parts = [p for p in (WORD_RE.findall(part) for part in text.split("-")) if p]
        if not parts:
            return (0.0, 0.0)
        # A part with inner non-letters ("L’Affaire") is scored on its letter runs.
        scores = [min(self.inflected_score(w) for w in p) for p in parts]
        return (min(scores), sum(scores) / len(scores))


def book_vocabulary(source_lines: Iterable[str]) -> tuple[Counter, Counter]:
    """Count the book's undamaged words and its real hyphenated compounds.

    Before: the raw source lines. After: (words, compounds), lowercased.
    Skipped: tokens containing a damage glyph, the last token of a line that
    ends in "-" and the first token of the line after it (fragments such as
    "revolu" / "cionario" are not words).
    """
    words: Counter = Counter()
    hyphenated: Counter = Counter()
    cut_next = False
    for raw in source_lines:
        tokens = raw.split()
        if not tokens:
            continue  # a blank line does not end the hyphenation of the one before
        start = 1 if cut_next else 0
        cut_next = tokens[-1].endswith("-")
        end = len(tokens) - 1 if cut_next else len(tokens)
        for token in tokens[start:end]:
            _count_token(token, words, hyphenated)
    return words, hyphenated


def _count_token(token: str, words: Counter, hyphenated: Counter) -> None:
    """Add one whitespace token's evidence: "«social-demócrata»," → compound."""
    for compound in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)+", token):
        # Whether "a-b" is a compound or a damaged fl is decided later,
        # when the word counts are complete (see Lexicon.from_source).
        hyphenated[compound.lower()] += 1
    if DAMAGE_RE.search(token):
        return
    for word in WORD_RE.findall(token):
        words[word.lower()] += 1


def real_compounds(lexicon: Lexicon, hyphenated: Counter) -> Counter:
    """Keep the hyphenated tokens that are compounds, not damaged fl ligatures.

    "social-demócrata": both parts are words, "socialfldemócrata" is not → kept.
    "re-exión": "exión" is unknown → dropped (it is "reflexión").
    """
    kept: Counter = Counter()
    for compound, n in hyphenated.items():
        parts = compound.split("-")
        if all(lexicon.known(p) for p in parts) and not lexicon.known(compound.replace("-", "fl")):
            kept[compound] = n
    return kept
