"""Sorting as the book's language sorts (ICU): Spanish puts ñ after n and
treats accents as secondary differences; Swedish puts ö after z."""

from __future__ import annotations

from functools import lru_cache

import icu


@lru_cache(maxsize=None)
def _collator(language: str):
    return icu.Collator.createInstance(icu.Locale(language))


def sort_key(language: str):
    """A key function for sorted(): `sorted(words, key=sort_key("es"))`."""
    return _collator(language).getSortKey
