"""Write repaired blocks as the manuscript's Pandoc Markdown.

Before: blocks whose text is already repaired (one string per paragraph or
verse line) with `[^label]` tokens, and the notes' blocks.
After: the text of one part file: its heading, its blocks, then its note
definitions ("[^12]: text", further blocks indented four spaces).

Everything that Pandoc would read as markup is escaped, except the note
tokens: "*", "_", "\\", "<", "$", "@", "^", "~", backticks, and at a
paragraph's start "#", ">", "|", "- ", "1. ".
"""

from __future__ import annotations

import re

TOKEN = re.compile(r"(\[\^[^\]\s]+\])")
INLINE = re.compile(r"([\\*_`<>$@^~])")
BRACKET_OPEN = re.compile(r"\[(?=\^)")
BRACKET_CLOSE = re.compile(r"\](?=[({\[:])")
LEADING = re.compile(r"^(#|>|\||[-+*](?=\s)|%|:(?=\s)|~(?=\s))")
# "1. ", "I. ", "a) ", "(b) ": what Pandoc reads as an ordered list's marker.
LIST_MARKER = re.compile(r"^\(?(\d+|[A-Za-z]|[IVXLCDMivxlcdm]+)(?=[.)](\s|$))")
SMART = re.compile(r"(?<=-)-|(?<=\.)\.(?=\.)")


def escape(text: str) -> str:
    """"*quien,[^1] <b>" → "\\*quien,[^1] \\<b>": literal text, tokens kept."""
    pieces = TOKEN.split(text)
    for i in range(0, len(pieces), 2):
        piece = INLINE.sub(r"\\\1", pieces[i])
        piece = BRACKET_OPEN.sub(r"\\[", piece)
        piece = BRACKET_CLOSE.sub(r"\\]", piece)
        pieces[i] = SMART.sub(lambda m: "\\" + m.group(0), piece)
    return "".join(pieces)


def escape_start(text: str) -> str:
    """A paragraph that starts "1. " or "- " or "#" is no list or heading."""
    text = escape(text)
    m = LIST_MARKER.match(text)
    if m:  # "1. Probablemente" → "1\. Probablemente", "II. Defensa" → "II\. Defensa"
        return text[:m.end()] + "\\" + text[m.end():]
    return "\\" + text if LEADING.match(text) else text


def heading(level: int, title: str, attrs: dict | None = None, note: str | None = None,
            escaped: bool = False) -> str:
    """heading(1, "Mundo", {"number": "I"}) → '# Mundo {number=I}'. `escaped`:
    the title is Markdown already (its italics set)."""
    text = "#" * level + " " + (title if escaped else escape(title))
    if note:
        text += f"[^{note}]"
    if attrs:
        text += " {" + " ".join(_attr(k, v) for k, v in attrs.items()) + "}"
    return text


def _attr(key: str, value: str) -> str:
    value = str(value)
    return f"{key}={value}" if re.fullmatch(r"[\w.-]+", value) and not value[0].isdigit() else f'{key}="{value}"'


def div(kind: str, body: str) -> str:
    return f"::: {kind}\n{body}\n:::"


def line_block(lines: list[str], escaped: bool = False) -> str:
    """Verse: "| first line" / "| second line". `escaped`: the lines are
    Markdown already (their italics set)."""
    return "\n".join("| " + (line if escaped else escape(line)) for line in lines)


def indent(text: str) -> str:
    return "\n".join(("    " + line) if line else "" for line in text.split("\n"))


def note_definition(label: str, rendered_blocks: list[str]) -> str:
    """[^12]: first block, the others indented by four spaces."""
    first, *rest = rendered_blocks or [""]
    if first.startswith("| ") or first.startswith("- "):
        # a note opening with verse or a list: give it an empty first line
        rest = [first] + rest
        first = ""
    out = f"[^{label}]: {first}".rstrip()
    for block in rest:
        out += "\n\n" + indent(block)
    return out


def document(parts: list[str]) -> str:
    """Blocks joined by blank lines, one final newline."""
    return "\n\n".join(p for p in parts if p) + "\n"
