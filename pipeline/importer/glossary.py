"""The book's list of abbreviations → the glossary register (abbreviations.yaml).

Before: entries "sigla: definición" with hanging indents, their small
capitals lost ("pc o pcf: Partido Comunista Francés (sección francesa de la
ic hasta 1943).").
After: rows {term: PCF, expansion: "Partido Comunista Francés (…)",
variants: [PC]} — the text of each expansion repaired like any paragraph —,
completed by the profile's register.yaml (entries fixed, dropped, added) and
the lint exceptions it explains (ignore.yaml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from pydantic import BaseModel, ConfigDict

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


# The profile's editorial completion of the book's list: register.yaml.
#   fix:    {TERM: {term?, expansion?, variants?, note?, why}}  entries of the book's list
#   drop:   [{term, why}]                                       entries the text never uses
#   add:    [{term, expansion, variants?, note?}]               terms the text uses unlisted
#   ignore: [{code, match, reason}]                             written to ignore.yaml
FIELDS = ("term", "expansion", "variants", "note")


class _Fix(BaseModel):
    model_config = ConfigDict(extra="forbid")
    term: Optional[str] = None
    expansion: Optional[str] = None
    variants: Optional[list[str]] = None
    note: Optional[str] = None
    why: Optional[str] = None       # required, but told as T010 by `complete`


class _Drop(BaseModel):
    model_config = ConfigDict(extra="forbid")
    term: str
    why: Optional[str] = None


class _Add(BaseModel):
    model_config = ConfigDict(extra="forbid")
    term: str
    expansion: str
    variants: list[str] = []
    note: Optional[str] = None


class _Ignore(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: Optional[str] = None      # all three required, but told as T013 by the importer
    match: Optional[str] = None
    reason: Optional[str] = None


class RegisterSpec(BaseModel):
    """register.yaml: every value of the kind the importer reads (T008 at its line otherwise)."""
    model_config = ConfigDict(extra="forbid")
    fix: dict[str, _Fix] = {}
    drop: list[_Drop] = []
    add: list[_Add] = []
    ignore: list[_Ignore] = []


def load_register(profile_dir) -> dict:
    """The profile's register.yaml as plain data ({} when the profile has none);
    ImportError_ at the line at fault."""
    from pipeline.importer.source import read_yaml

    path = profile_dir / "register.yaml"
    if not path.is_file():
        return {}
    return read_yaml(path, RegisterSpec, "T008").model_dump(exclude_none=True)


class RegisterError(ValueError):
    """register.yaml names an entry the book's list does not have, or repeats
    one: a diagnostic code (pipeline/diagnostics.py) and its fields."""

    def __init__(self, code: str, **fields):
        from pipeline.diagnostics import CODES

        super().__init__(CODES[code].template.format(**fields))
        self.code, self.fields = code, fields


def complete(rows: list[dict], register: dict) -> list[dict]:
    """The book's rows with the profile's fixes, drops and additions applied.

    Every fix and drop must name an entry the book's list has, and say why;
    an addition must not repeat a term: a stale profile fails loudly."""
    by_term = {row["term"]: row for row in rows}
    for term, fix in (register.get("fix") or {}).items():
        if term not in by_term:
            raise RegisterError("T009", action="fix", term=term)
        if not fix.get("why"):
            raise RegisterError("T010", action="fix", term=term)
        row = by_term[term]
        row.update({k: fix[k] for k in FIELDS if k in fix})
        if not row.get("variants"):
            row.pop("variants", None)
    dropped = set()
    for drop in register.get("drop") or []:
        if drop["term"] not in {r["term"] for r in rows}:
            raise RegisterError("T009", action="drop", term=drop["term"])
        if not drop.get("why"):
            raise RegisterError("T010", action="drop", term=drop["term"])
        dropped.add(drop["term"])
    out = [row for row in rows if row["term"] not in dropped]
    for add in register.get("add") or []:
        if add["term"] in {r["term"] for r in out}:
            raise RegisterError("T011", term=add["term"])
        out.append({k: add[k] for k in FIELDS if add.get(k)})
    return out


def repeated_forms(rows: list[dict]) -> list[str]:
    """Forms in more than one entry ("pc" and "pc o pcf"): only the first
    entry's expansion can apply, so the editor should settle it in the profile."""
    forms = [f for row in rows for f in (row["term"], *row.get("variants", []))]
    return sorted({f for f in forms if forms.count(f) > 1})


def register_acronyms(register: dict) -> list[str]:
    """Capital words the profile's fixes and additions bring (ISR, SR, URSS):
    small capitals to restore in the text, beside the book's own list."""
    found = []
    for row in [*(register.get("fix") or {}).values(), *(register.get("add") or [])]:
        for form in (row.get("term", ""), *row.get("variants", [])):
            for word in re.findall(r"[A-Z]{2,}", form):
                if word not in found:
                    found.append(word)
    return found
