"""Repair ligatures that PDF extraction turned into punctuation or digits.

The book's two fonts lost their ligatures differently (see docs/seed-map.md):

    roman:  fi → !   fl → -   ff → 8   Th → 9   ffl → <
    italic: fi → "   fl → $   ff → #   Th → !
    running heads: ot → "

So "!" is fi in a roman word and Th in an italic one, and "-" is either a
damaged fl or a real hyphen. A word's other glyphs tell its font ("L’A#aire"
is italic); where nothing does, every reading is scored with the lexicon and
the best wins: "de!nitiva" → "definitiva", "!e" → "The", "re-exión" →
"reflexión", "social-demócrata" stays.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .lexicon import KNOWN, Lexicon

# A chunk: letters plus the characters that may stand for a ligature. Whether a
# given "!", "-", "8"… inside it is damage depends on its neighbours (slots()).
CHUNK_RE = re.compile(r"(?:[^\W\d_]|[!\"#$<89\-])+")
INNER_HYPHEN_RE = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")
# Glyphs only one font damages this way: they tell a word's font.
ITALIC_MARKS = frozenset('"#$')
ROMAN_MARKS = frozenset("89<")
# fl is followed by a vowel in every language of the book.
FL_NEXT = frozenset("aeiouáéíóúàâèêëîïôöùûüy")
# Readings of a slot that restore a ligature (the others keep a "-" or "8").
LIGATURES = frozenset({"fi", "fl", "ff", "ffi", "ffl", "Th", "ot"})
# A change this much better than the runner-up is not worth an editor's look.
CLEAR_MARGIN = 1.0
# How often the word before a final "8" must occur undamaged for the "8"
# to be read as a stray note marker rather than ff.
MARKER_EVIDENCE = 2
MARKER_SPANISH = 3.0
# A hyphenated reading with a part this short pays SHORT_PART_HANDICAP.
SHORT_PART = 3
SHORT_PART_HANDICAP = 1.5
# ... unless that short part is this common ("el" in "Clemenceau-el-matarife").
COMMON = 4.0
# A hyphen kept between two letter runs this short is no compound's: "Ti-is"
# is "Tiflis", though "ti" and "is" are both words somewhere.
TINY_PART = 2
# What reading "-" as fl after a bare prefix (re-, in-, con-) gains.
PREFIX_BONUS = 2.0
# Only this many combinations of a chunk's readings are scored (never reached
# in the book: its worst word has three glyphs, at most four readings).
MAX_READINGS = 64


@dataclass(frozen=True)
class GlyphFix:
    """One repaired chunk: "de!nitiva" → "definitiva" (ligatures ("fi",))."""
    before: str
    after: str
    ligatures: tuple[str, ...]
    doubtful: bool = False


def _is_letter(ch: str) -> bool:
    return ch.isalpha()


def slots(chunk: str, outside: tuple[str, str] = ("", "")) -> list[tuple[int, tuple[str, ...]]]:
    """The positions in `chunk` that may be damage, each with its readings.

    "re-exión" → [(2, ("-", "fl"))]. The first reading of a slot is its
    default when the lexicon cannot decide. `outside` holds the characters
    just before and after the chunk in its text ("1906-julio": the "-" after a
    digit is a real hyphen; "Sokolo8[^48]": the "8" before a note is ff).
    """
    font_italic = any(c in ITALIC_MARKS for c in chunk)
    font_roman = any(c in ROMAN_MARKS for c in chunk)
    found = []
    for i, ch in enumerate(chunk):
        if i == 0 and _glued_dash(chunk):
            continue
        before = chunk[i - 1] if i > 0 else outside[0]
        after = chunk[i + 1] if i + 1 < len(chunk) else outside[1]
        options = _options(ch, before, after, i == 0, font_italic, font_roman)
        if options:
            found.append((i, options))
    return found


def _options(ch: str, before: str, after: str, first: bool, italic: bool, roman: bool) -> tuple[str, ...]:
    """Readings of `ch` between `before` and `after`; () when it is not damage."""
    if ch == "!":
        # A real "!" ends a word; "!" before a letter is always a ligature.
        if not _is_letter(after):
            return ()
        if italic:
            return ("Th",)
        if roman:
            return ("fi",)
        # "Th" only starts a word (capital T): "!omas", never "o!cial".
        return ("fi", "Th") if not _is_letter(before) else ("fi",)
    if ch == '"':
        # Italic fi, or "ot" in the running heads ("nos"ros").
        return ("fi", "ot") if (_is_letter(before) or _is_letter(after)) else ()
    if ch in "#$<":
        if not (_is_letter(before) or _is_letter(after)):
            return ()
        return {"#": ("ff",), "$": ("fl",), "<": ("ffl",)}[ch]
    if ch == "8":
        # "La8ont"; at a word's end, "Sokolo8" is ff but "incautaciones8" is a
        # note marker the structure code did not catch.
        if not _is_letter(before):
            return ()
        return ("ff",) if _is_letter(after) or after == "[" else ("ff", "8")
    if ch == "9":
        # "9omas", "Blum-9esen"; "Dreyfus9" and "79Ville" are markers/folios.
        if before.isalnum() or not (after.isalpha() and after.islower()):
            return ()
        return ("Th",)
    if ch == "F":
        # ffi in two French titles: "l’oFciel" (12857), "DiFcultés" (15105).
        # A capital between lowercase letters is otherwise a name's
        # ("McFarlane"): the lexicon decides, the F is the default.
        return ("F", "ffi") if before.islower() and after.islower() else ()
    if ch == "-":
        # fl is lowercase and a vowel follows it in every language of the
        # book: "Brest-Litovsk", "-Boris", "Bolcheviques-leninistes" are hyphens.
        if after.lower() not in FL_NEXT or not after.islower():
            return ()
        if first:
            # "-uctuante", "-or" after a space are fl; "1906-julio", "s.-r"
            # are hyphens, and so are the dashes of "-individualiste-" and
            # "Ivry -sur-Seine" (see _glued_dash).
            return () if before.isalnum() or (before and before in ".-") else ("fl",)
        return ("-", "fl") if _is_letter(before) else ()
    return ()


def _glued_dash(chunk: str) -> bool:
    """A leading "-" that is a dash, not fl: "-individualiste-", "-sur-Seine"."""
    if not chunk.startswith("-") or len(chunk) < 2:
        return False
    paired = chunk.endswith("-")
    place_name = any(part[:1].isupper() for part in chunk[1:].split("-"))
    return paired or place_name


def readings(chunk: str, found: list[tuple[int, tuple[str, ...]]]) -> Iterable[tuple[str, tuple[str, ...], tuple[int, ...]]]:
    """Every combination of slot readings, with the ligatures restored and
    where each candidate hyphen that was kept as a hyphen now stands:
    ("in-uencia", (), (2,)), ("influencia", ("fl",), ()).
    """
    positions = [i for i, _ in found]
    for combo in itertools.islice(itertools.product(*(opts for _, opts in found)), MAX_READINGS):
        out, ligs, kept, last, length = [], [], [], 0, 0
        for pos, rep in zip(positions, combo):
            out.append(chunk[last:pos])
            length += pos - last
            if rep == "-":
                kept.append(length)
            out.append(rep)
            length += len(rep)
            if rep in LIGATURES:
                ligs.append(rep)
            last = pos + 1
        out.append(chunk[last:])
        yield "".join(out), tuple(ligs), tuple(kept)


def resolve_chunk(chunk: str, lexicon: Lexicon, fl_prefixes: frozenset[str] = frozenset(),
                  outside: tuple[str, str] = ("", "")) -> GlyphFix | None:
    """Best reading of one chunk, or None when it holds no damage.

    "de!nitiva" → "definitiva"; "!e" → "The"; "social-demócrata" → None.
    Ties keep the first (default) reading of each slot, so a kept hyphen
    or a roman fi wins when the lexicon knows neither reading.
    """
    found = slots(chunk, outside)
    if not found:
        return None
    scored = []
    for order, (text, ligs, kept) in enumerate(readings(chunk, found)):
        score = _marker_score(text, lexicon) if text.endswith("8") else lexicon.reading_score(text)
        score = _prefix_bonus(chunk, text, score, lexicon, fl_prefixes)
        score = (score[0] - _hyphen_handicap(text, lexicon), score[1])
        scored.append((_rank(score, text, kept, lexicon), score, -order, text, ligs))
    scored.sort(reverse=True)
    (_, best, _, text, ligs) = scored[0]
    if text == chunk:
        return None
    # Doubtful means the lexicon had to choose and could not choose clearly;
    # "mecanogra!ado" has one reading only, rare as the word may be.
    if len(scored) == 1:
        return GlyphFix(chunk, text, ligs, False)
    runner_up = scored[1][1][0]
    doubtful = best[0] < KNOWN or (runner_up >= KNOWN and best[0] - runner_up < CLEAR_MARGIN)
    return GlyphFix(chunk, text, ligs, doubtful)


def _marker_score(text: str, lexicon: Lexicon) -> tuple[float, float]:
    """Score of a reading that keeps a word-final "8" as a note marker.

    Note references arrive as `[^N]` tokens, so a final "8" is ff
    ("Sokolo8" → "Sokoloff", "Bonne8" → "Bonneff") unless the word without
    it is attested undamaged elsewhere in the book or is a common Spanish
    word: then a marker slipped through ("incautaciones8", "Amberes8") and
    the "8" stays.
    """
    stem = text.rstrip("8")
    if lexicon.book_count(stem) < MARKER_EVIDENCE and lexicon.zipf(stem, "es") < MARKER_SPANISH:
        return (0.0, 0.0)
    return lexicon.reading_score(stem)


def _hyphen_handicap(text: str, lexicon: Lexicon) -> float:
    """How much less likely a reading with these hyphens is than one without.

    A compound with a short, rare part ("chi-ado", "super-ua") is rarer than
    one word ("chiflado", "superflua"): wordfreq knows many short fragments.
    "Clemenceau-el-matarife" pays nothing: "el" is short but common.
    """
    handicap = 0.0
    if INNER_HYPHEN_RE.search(text):
        parts = re.findall(r"[^\W\d_]+", text)
        if any(len(p) <= SHORT_PART and lexicon.score(p) < COMMON for p in parts):
            handicap += SHORT_PART_HANDICAP
    return handicap


def _rank(score: tuple[float, float], text: str, kept: tuple[int, ...], lexicon: Lexicon) -> tuple:
    """Sort key of a reading: attested readings by score, then the others.

    A reading that keeps a hyphen between two tiny parts ("Ti-is") counts
    as unattested, so a known fl reading ("Tiflis") beats it.
    Among unattested readings, one that keeps a candidate hyphen between two
    known words ("Clemenceau-el-matarife") beats reading it as fl; one that
    keeps it next to a non-word ("mo-etudo", "re-exionase") loses to fl.
    """
    if score[0] >= KNOWN and not any(_between_tiny_parts(text, pos) for pos in kept):
        return (1, score[0], score[1])
    broken = sum(1 for pos in kept if not _joins_words(text, pos, lexicon))
    return (0, -broken, score[1])


def _between_tiny_parts(text: str, pos: int) -> bool:
    """Whether the hyphen at `pos` has at most TINY_PART letters on each side."""
    left = re.search(r"[^\W\d_]*$", text[:pos]).group(0)
    right = re.match(r"[^\W\d_]*", text[pos + 1:]).group(0)
    return 0 < len(left) <= TINY_PART and 0 < len(right) <= TINY_PART


def _joins_words(text: str, pos: int, lexicon: Lexicon) -> bool:
    """Whether the hyphen at `pos` stands between known words (or at an edge)."""
    left = re.search(r"[^\W\d_]*$", text[:pos]).group(0)
    right = re.match(r"[^\W\d_]*", text[pos + 1:]).group(0)
    return all(not w or lexicon.inflected_score(w) >= KNOWN for w in (left, right))


def _prefix_bonus(chunk: str, text: str, score: tuple[float, float], lexicon: Lexicon,
                  fl_prefixes: frozenset[str]) -> tuple[float, float]:
    """Prefer fl after a bare prefix: "in-amable" is "inflamable", not "in-amable".

    Spanish writes no hyphen after re-, in-, con-…, so when the chunk's first
    hyphen follows such a prefix and the fl reading is a known word, that
    reading is lifted above any hyphenated one.
    """
    head = chunk.split("-", 1)[0].lower()
    if head in fl_prefixes and text.lower().startswith(head + "fl") and lexicon.known(text):
        return (score[0] + PREFIX_BONUS, score[1])
    return score


def repair_glyphs(text: str, lexicon: Lexicon, fl_prefixes: frozenset[str] = frozenset(),
                  tail: str = "") -> tuple[str, list[GlyphFix]]:
    """Repair every chunk of `text` (a token without note references).

    "«L’A#aire»," → "«L’Affaire»,", with one GlyphFix. `tail` is the
    character that follows `text` in its token ("[" before a note reference).
    """
    fixes: list[GlyphFix] = []

    def sub(match: re.Match) -> str:
        chunk = match.group(0)
        if not any(c.isalpha() for c in chunk):
            return chunk
        start, end = match.span()
        outside = (text[start - 1] if start else "", text[end] if end < len(text) else tail)
        fix = resolve_chunk(chunk, lexicon, fl_prefixes, outside)
        if fix is None:
            return chunk
        fixes.append(fix)
        return fix.after

    return CHUNK_RE.sub(sub, text), fixes


def fix_initial_l(word: str, lexicon: Lexicon) -> tuple[str, bool] | None:
    """Capital I read as l: "lnternacional" → "Internacional", "lzvestia" → "Izvestia".

    Only when the l-word is unknown and the I-word is known; returns
    (fixed word, doubtful) or None. "llegar", "la" and unknown names stay.
    """
    if len(word) < 2 or word[0] != "l" or not word[1].isalpha():
        return None
    if lexicon.score_elsewhere(word) >= KNOWN:
        return None
    candidate = "I" + word[1:]
    score = lexicon.score(candidate)
    if score < KNOWN:
        return None
    return candidate, score < KNOWN + 1.0


def unambiguous_repairs(source_lines: Iterable[str]) -> Counter:
    """Words whose damage has a single reading, repaired, for the book vocabulary.

    "Io8é" → "ioffé", "9omas" → "thomas", "Sou<ot" → "soufflot": ff, Th and
    ffl are always damaged in this book, so these words never occur
    undamaged, yet they are evidence (for "lo8é" → "Ioffé").
    """
    counts: Counter = Counter()
    for line in source_lines:
        for chunk in CHUNK_RE.findall(line):
            found = slots(chunk)
            if not found or any(len(opts) > 1 for _, opts in found):
                continue
            if any(chunk[i] in "!\"-" for i, _ in found):
                continue  # fi and fl are left to the lexicon
            text, _, _ = next(iter(readings(chunk, found)))
            for word in re.findall(r"[^\W\d_]+", text):
                counts[word.lower()] += 1
    return counts
