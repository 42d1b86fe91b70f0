"""Inside a run of pages that differ: which old page to show beside which new one.

Before: the words each (old page, new page) pair has in common, as the word
diff of the whole run aligned them. After: the run's pages in pairs, in
order, a page without a counterpart paired with None.

Pairing page k with page k is right only while nothing before it was
inserted or deleted: delete most of a page's worth of words and old page k+1
is printed as new page k. Pages are therefore paired along the alignment
that keeps the most words together, so that a page that only reflowed meets
the page now holding its text, and only the pages around the edit show text
changes.
"""

from __future__ import annotations

from collections import Counter
from itertools import zip_longest

Pair = tuple[int | None, int | None]


def pair_pages(shared: Counter, olds: range, new: range) -> list[Pair]:
    """Old and new page indexes of one run -> pairs, in order. Pages left
    between two paired pages (a page rewritten whole shares no word with
    anything) are paired in order, the surplus with None."""
    pairs: list[Pair] = []
    i0, j0 = olds.start, new.start
    for i, j in [*best_chain(shared, olds, new), (olds.stop, new.stop)]:
        pairs += zip_longest(range(i0, i), range(j0, j))
        pairs.append((i, j))
        i0, j0 = i + 1, j + 1
    return pairs[:-1]   # the last pair is the sentinel past both runs


def best_chain(shared: Counter, olds: range, new: range) -> list[tuple[int, int]]:
    """The pairs, one-to-one and in order on both sides (text flows forward),
    whose shared words add up to the most: a longest common subsequence of
    pages weighted by shared words. The table is len(olds) x len(new), small
    beside the word diff that filled `shared`."""
    n, m = len(olds), len(new)
    best = [[0] * (m + 1) for _ in range(n + 1)]    # best[x][y]: the most from olds[x:], new[y:]
    for x in reversed(range(n)):
        for y in reversed(range(m)):
            w = shared.get((olds[x], new[y]), 0)
            best[x][y] = max(best[x + 1][y], best[x][y + 1], best[x + 1][y + 1] + w if w else 0)
    chain, x, y = [], 0, 0
    while x < n and y < m:
        w = shared.get((olds[x], new[y]), 0)
        if w and best[x][y] == best[x + 1][y + 1] + w:
            chain.append((olds[x], new[y]))
            x, y = x + 1, y + 1
        elif best[x + 1][y] >= best[x][y + 1]:
            x += 1
        else:
            y += 1
    return chain
