"""What a register's term is: an acronym (set in small capitals) or a word."""

from __future__ import annotations


def is_acronym(term: str) -> bool:
    """CNT, S.-R., KPD(S): every letter a capital. Duma, Comintern: a word."""
    letters = [c for c in term if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)
