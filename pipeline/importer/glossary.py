"""The book's list of abbreviations → the glossary register (abbreviations.yaml).

Before: entries "sigla: definición" with hanging indents, their small
capitals lost ("pc o pcf: Partido Comunista Francés (sección francesa de la
ic hasta 1943).").
After: rows {term: PCF, expansion: "Partido Comunista Francés (…)",
variants: [PC]} — the text of each expansion repaired like any paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .pages import is_blank

# "kap (o kapd): Kommunistiche…", "Izquierda Revolucionaria: Tendencia…"
ENTRY = re.compile(r"^\s?(?P<term>[^\s:][^:]{0,30}?):\s+(?P<rest>\S.*)$")
ALTERNATIVES = re.compile(r"\s*\(o\s+([^)]+)\)\s*|\s+o\s+")


@dataclass
class Entry:
    line: int
    forms: list[str]
    lines: list[tuple[int, str]] = field(default_factory=list)   # the expansion's lines


def parse(lines: list[tuple[int, str]]) -> list[Entry]:
    """Entry starts are "term: " with at most three words before the colon."""
    entries: list[Entry] = []
    for line, text in lines:
        if is_blank(text):
            continue
        m = ENTRY.match(text)
        if m and len(m.group("term").split()) <= 3:
            entries.append(Entry(line, _forms(m.group("term")), [(line, m.group("rest"))]))
        elif entries:
            entries[-1].lines.append((line, text.strip()))
    return entries


def _forms(term: str) -> list[str]:
    """"pc o pcf" → ["PC", "PCF"]; "Comintern (o Komintern)" → ["Comintern", "Komintern"];
    "uspd (Linke)" → ["USPD (Linke)"]. Lower-case words are small capitals lost."""
    forms = [f for f in ALTERNATIVES.split(term.strip()) if f and f.strip()]
    return [_capitals(f.strip()) for f in forms]


def _capitals(form: str) -> str:
    return re.sub(r"\b[a-z]+\b", lambda m: m.group(0).upper(), form)


def rows(entries: list[Entry], expansions: list[str]) -> list[dict]:
    """The register: the first form is the term unless another entry has it
    ("pc" has its own entry, so "pc o pcf" is PCF with variant PC)."""
    own = {e.forms[0] for e in entries if len(e.forms) == 1}
    out = []
    for entry, expansion in zip(entries, expansions):
        forms = list(dict.fromkeys(entry.forms))
        if len(forms) > 1 and forms[0] in own:
            forms = forms[1:] + forms[:1]
        row = {"term": forms[0], "expansion": expansion}
        if forms[1:]:
            row["variants"] = forms[1:]
        out.append(row)
    return out


def acronyms(entries: list[Entry]) -> list[str]:
    """Forms written in capitals: the acronyms small capitals must restore."""
    found = []
    for entry in entries:
        for form in entry.forms:
            for word in re.findall(r"[A-Z]{2,}", form):
                if word not in found:
                    found.append(word)
    return found
