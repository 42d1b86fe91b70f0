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
