"""Cross-reference labels told apart from citation keys.

`@fig-crane`, `@tbl-dates`, `@sec-presses`, `@eq-x` and `@note-x` are
cross-references (Quarto's prefixes); any other `@key` is a citation.
"""

CROSSREF_PREFIXES = ("fig-", "tbl-", "sec-", "eq-", "note-")


def is_crossref(key: str) -> bool:
    return key.startswith(CROSSREF_PREFIXES)
