"""Identifiers and slugs that are valid as XML ids and file names."""

from __future__ import annotations

import re
import unicodedata


def slugify(text: str) -> str:
    """'Mundo sin evasión posible' -> 'mundo-sin-evasion-posible'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "book"


def xml_id(text: str, taken: set[str]) -> str:
    """A slug that starts with a letter and is not in `taken` (which it joins)."""
    base = slugify(text)
    base = base if base[0].isalpha() else f"d-{base}"
    ident, n = base, 2
    while ident in taken:
        ident, n = f"{base}-{n}", n + 1
    taken.add(ident)
    return ident


CITATION_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")


def citation_id(key: str) -> str:
    """The XML id of a bibliography entry: "bib-" and its key, or, for a key
    no id may hold (a colon, a space, a non-ASCII letter), its slug and a
    short hash of the key, so that two keys never share an id. "bib-", not
    Pandoc's "ref-": note references are "ref-<document>-<n>"."""
    if CITATION_KEY.fullmatch(key):
        return f"bib-{key}"
    import hashlib

    return f"bib-{slugify(key)}-{hashlib.sha256(key.encode()).hexdigest()[:8]}"
