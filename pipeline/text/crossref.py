"""Cross-reference labels, kept apart from citation keys.

Pandoc reads `@fig-crane` as a citation; a key that starts with one of these
prefixes is a cross-reference (Quarto's syntax), never a bibliography key.
"""

from __future__ import annotations

CROSSREF_PREFIXES = ("fig-", "tbl-", "sec-", "eq-", "note-")


def is_crossref(key: str) -> bool:
    return key.startswith(CROSSREF_PREFIXES)
