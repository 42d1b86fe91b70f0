"""Page pairing inside a changed run, on synthetic pages (no PDF).

A text of distinct words is cut into pages of PAGE words (LINES lines);
an edit is made to the word list and the result cut again, as a layout
engine would reflow it. `pages.classify` then has to pair each old page with
the new page holding its words, and tell the edited pages from the reflowed.
"""

from __future__ import annotations

from collections import Counter

from pipeline.diff import pages
from pipeline.diff.pairing import pair_pages

LINE, LINES = 8, 5
PAGE = LINE * LINES
SYLLABLES = [c + v for c in "bcdfglmnprst" for v in "aeiou"]
TEXT = [a + b for a in SYLLABLES for b in SYLLABLES][:8 * PAGE]    # 8 pages of distinct words


def _layout(words: list[str]) -> list[tuple[str, ...]]:
    lines = [" ".join(words[k:k + LINE]) for k in range(0, len(words), LINE)]
    return [tuple(lines[k:k + LINES]) for k in range(0, len(lines), LINES)]


def _changes(new_words: list[str]) -> dict[tuple, str]:
    """{(old page, new page): kind} of classify(old layout, new layout)."""
    return {(c.old, c.new): c.kind for c in pages.classify(_layout(TEXT), _layout(new_words))}


def test_a_deletion_of_most_of_a_page_pairs_old_k_plus_1_with_new_k():
    """25 words deleted from page 2: every new page k >= 2 holds 25 words of
    old page k+1 and 15 of old page k."""
    new = TEXT[:45] + TEXT[70:]
    assert _changes(new) == {
        (2, None): "text",                                     # its words deleted, its rest on new page 2
        (3, 2): "text",                                        # new page 2: where the text now joins
        **{(k + 1, k): "reflow" for k in range(3, 8)},
        (None, 8): "reflow",                                   # the last lines, pushed onto a page of their own
    }


def test_a_short_deletion_keeps_pages_in_order():
    new = TEXT[:45] + TEXT[55:]                                # 10 words: page k keeps most of its words
    assert _changes(new) == {(2, 2): "text", **{(k, k): "reflow" for k in range(3, 9)}}


def test_an_insertion_pairs_old_k_with_new_k_plus_1():
    new = TEXT[:45] + [w.upper() for w in TEXT[-25:]] + TEXT[45:]
    assert _changes(new) == {
        (None, 2): "text",                                     # the inserted words
        **{(k, k + 1): "reflow" for k in range(2, 9)},         # old page 2 included: no word of it changed
    }


def test_a_word_changed_after_a_shift_marks_one_pair_only():
    """With pages paired in order, the changed word would mark two pairs: old
    page 6 beside new page 6, and new page 5 (where the word now is) beside old 5."""
    new = TEXT[:45] + TEXT[70:]
    new[new.index(TEXT[215])] = "gelido"                      # old page 6, now on new page 5
    changes = _changes(new)
    assert changes[(6, 5)] == "text"
    assert {pair for pair, kind in changes.items() if kind == "text"} == {(2, None), (3, 2), (6, 5)}


def test_a_page_rewritten_in_place_is_paired_with_its_new_version():
    """No word in common with any page: it is still shown beside the page
    that took its place, not as one page removed and one added."""
    new = TEXT[:2 * PAGE] + [w.upper() for w in TEXT[2 * PAGE:3 * PAGE]] + TEXT[3 * PAGE:]
    assert _changes(new) == {(3, 3): "text"}


def test_a_deleted_page_is_moved_pages_not_a_change():
    new = TEXT[:PAGE] + TEXT[2 * PAGE:]                        # page breaks fall as before
    changes = _changes(new)
    assert changes[(2, None)] == "text"
    assert {pair for pair, kind in changes.items() if kind == "moved"} == {(k + 1, k) for k in range(2, 8)}


def test_pair_pages_fills_the_gaps_between_pairs_in_order():
    shared = Counter({(10, 20): 30, (14, 22): 30})
    assert pair_pages(shared, range(10, 16), range(20, 24)) == [
        (10, 20), (11, 21), (12, None), (13, None), (14, 22), (15, 23)]


def test_pair_pages_prefers_the_most_shared_words_over_page_numbers():
    shared = Counter({(0, 0): 15, (1, 0): 25, (1, 1): 15, (2, 1): 25})
    assert pair_pages(shared, range(3), range(2)) == [(0, None), (1, 0), (2, 1)]
