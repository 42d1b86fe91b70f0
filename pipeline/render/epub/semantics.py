"""How book.yaml roles and Markdown classes map to EPUB semantics.

epub:type comes from the EPUB Structural Semantics Vocabulary; role from
DPUB-ARIA 1.1. Where DPUB-ARIA has no role (a chronology), none is given.
"""

from __future__ import annotations

# role -> (epub:type of the section, ARIA role, body epub:type)
SECTIONS = {
    "epigraph": (None, None, "frontmatter"),   # the epigraph divs inside carry the semantics
    "preface": ("preface", "doc-preface", "frontmatter"),
    "foreword": ("foreword", "doc-foreword", "frontmatter"),
    "introduction": ("introduction", "doc-introduction", "frontmatter"),
    "editor-note": ("foreword", "doc-foreword", "frontmatter"),
    "toc": ("toc", "doc-toc", "frontmatter"),
    "glossary": ("glossary", "doc-glossary", "frontmatter"),
    "chapter": ("chapter", "doc-chapter", "bodymatter"),
    "appendix": ("appendix", "doc-appendix", "backmatter"),
    "afterword": ("afterword", "doc-afterword", "backmatter"),
    "chronology": ("appendix", "doc-appendix", "backmatter"),
    "bibliography": ("bibliography", "doc-bibliography", "backmatter"),
    "references": ("bibliography", "doc-bibliography", "backmatter"),
    "notes": ("endnotes", "doc-endnotes", "backmatter"),
    "index": ("index", "doc-index", "backmatter"),
    "colophon": ("colophon", "doc-colophon", "backmatter"),
}

# class of a fenced div -> (epub:type, role)
BLOCKS = {
    "epigraph": ("epigraph", "doc-epigraph"),
    "dateline": (None, None),
    "signature": (None, None),
}

# landmarks: the first document of a role is listed as this epub:type
LANDMARKS = {"chapter": "bodymatter", "notes": "endnotes", "glossary": "glossary",
             "index": "index", "bibliography": "bibliography", "references": "bibliography",
             "preface": "preface", "figures": "loi", "tables": "lot"}


def section(role: str) -> tuple[str | None, str | None, str]:
    return SECTIONS.get(role, ("chapter", "doc-chapter", "bodymatter"))
