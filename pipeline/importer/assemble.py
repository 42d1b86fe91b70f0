"""The import, stage by stage: source → pages → parts → notes → blocks → Markdown.

Before: the extracted text of a printed book and its import profile.
After: `Imported` — the manuscript's files as text (name → content) and the
facts the import report needs. Nothing is written here (see write()).
"""

from __future__ import annotations

import inspect
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import emit, glossary, notes as notes_mod, pages as pages_mod, repair, structure, titles
from .source import ImportError_, Source


@dataclass
class PartResult:
    name: str
    file: str | None
    first_line: int
    notes: int = 0
    title_note: bool = False
    expected_notes: int | None = None
    continued_notes: int = 0
    weak_markers: list[tuple[int, str]] = field(default_factory=list)
    doubts: list[tuple[int, str]] = field(default_factory=list)
    log: structure.Log = field(default_factory=structure.Log)
    decisions: list = field(default_factory=list)
    placed: int = 0


@dataclass
class Imported:
    files: dict[str, str]
    parts: list[PartResult]
    furniture: pages_mod.Furniture
    corrections: list
    glossary_entries: int = 0
    italics: dict = field(default_factory=dict)     # kind → occurrences set in italics
    small_caps: int = 0                             # words set in small capitals by the profile
    unused_titles: list = field(default_factory=list)   # register forms never found
    glosses: int = 0                                # register forms left roman in a gloss's brackets


class Repairer:
    """repair_paragraph with one context for the whole book, decisions collected."""

    def __init__(self, source: Source, acronyms: list[str]):
        self.context = None
        factory = getattr(repair, "RepairContext", None)
        if factory is not None and hasattr(factory, "build"):
            params = inspect.signature(factory.build).parameters
            kwargs = {"acronyms": acronyms} if "acronyms" in params else {}
            self.context = factory.build(source.lines, source.profile_dir, **kwargs)
        self.decisions: list = []
        self.italics = titles.Italics(titles.Register.load(source.profile_dir))
        self.small_caps = {int(item["line"]): item["text"] for item in source.profile.get("small_caps_words") or []}
        self.small_caps_set = 0

    def markup(self, text: str, lines: list[tuple[int, str]]) -> str:
        """Italics for the register's titles; small capitals where the profile
        says the book set words in them ("boguín:" speaking, 16395)."""
        for line, _ in lines:
            word = self.small_caps.get(line)
            found = word and re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)
            if found:
                text = f"{text[:found.start()]}[{word}]{{.smallcaps}}{text[found.end():]}"
                self.small_caps_set += 1
        return self.italics.apply(text, tuple(line for line, _ in lines))

    def text(self, lines: list[tuple[int, str]]) -> str:
        text, decisions = repair.repair_paragraph([t.strip() for _, t in lines], lines[0][0], self.context)
        self.decisions.extend(decisions)
        return text


def import_source(source: Source) -> Imported:
    profile = source.profile
    settings = profile.get("pages", {})
    pages, furniture = pages_mod.split_pages(source.lines, settings, profile.get("drop", []) or [])
    glossary_part = next((p for p in profile["parts"] if p.get("layout") == "abbreviations"), None)
    entries = glossary.parse(_part_lines(pages, glossary_part)) if glossary_part else []
    register = _register(source)
    fixer = Repairer(source, list(dict.fromkeys(glossary.acronyms(entries) + glossary.register_acronyms(register))))
    files: dict[str, str] = {}
    results: list[PartResult] = []
    for part in profile["parts"]:
        start = len(fixer.decisions)
        if part.get("layout") == "abbreviations":
            result = PartResult(part.get("title", "glossary"), None, part["lines"][0])
            files["abbreviations.yaml"] = _glossary_yaml(source, entries, register, fixer, result)
        elif part.get("layout") == "epigraphs":
            result = PartResult(part["file"], part["file"], part["lines"][0])
            files[part["file"]] = _epigraphs(source, part, fixer)
        else:
            result = PartResult(part["file"], part["file"], part["lines"][0])
            files[part["file"]] = _part(source, pages, part, settings, fixer, result)
        result.decisions = fixer.decisions[start:]
        results.append(result)
    files["book.yaml"] = _book_yaml(profile)
    if register.get("ignore"):
        files["ignore.yaml"] = _ignore_yaml(source, register["ignore"])
    return Imported(files, results, furniture, source.corrections, len(entries),
                    dict(fixer.italics.counts), fixer.small_caps_set, fixer.italics.unused(),
                    fixer.italics.glossed)


def _part_lines(pages, part: dict) -> list[tuple[int, str]]:
    a, b = part["lines"]
    return [(n, t) for page in pages for n, t in page.lines if a <= n <= b]


def _part_pages(pages, part: dict, skip: set[int]) -> list[list[tuple[int, str]]]:
    a, b = part["lines"]
    out = []
    for page in pages:
        lines = [(n, t) for n, t in page.lines if a <= n <= b and n not in skip]
        if lines:
            out.append(lines)
    return out


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFC", text).upper()
    return re.sub(r"[^\w]", "", text)


def _check_heading(source: Source, part: dict) -> set[int]:
    """The heading lines the profile names must hold the title it gives."""
    rng = part.get("heading_lines")
    if not rng:
        return set()
    lines = range(rng[0], rng[1] + 1)
    found = _normal(" ".join(source.line(n) for n in lines)).replace("_", "")
    expected = _normal(part.get("heading_text") or f"{part.get('number', '')} {part['title']}")
    if not (found == expected or (not part.get("heading_text") and found.startswith(expected))):
        raise ImportError_(source.path, rng[0], "T005", title=part["title"])
    return set(lines)


def _part(source: Source, pages, part: dict, settings: dict, fixer: Repairer, result: PartResult) -> str:
    skip = _check_heading(source, part)
    part_pages = _part_pages(pages, part, skip)
    paired = None
    if "notes" in part and part["notes"]:
        paired = notes_mod.pair_part(part_pages, part["notes"])
        part_pages = paired.pages
        result.expected_notes = part["notes"]
        result.notes = len([n for n in paired.notes if n.number])
        result.title_note = paired.title_note is not None
        result.continued_notes = sum(len(n.joins) for n in paired.notes + [paired.title_note] if n)
        result.weak_markers = [(m.line, f"{m.number}{'*' if m.star else ''}") for m in paired.markers if m.weak]
        result.doubts.extend(paired.doubts)
    elif "notes" in part:
        result.expected_notes = 0
    layout = structure.Layout.of(part, int(settings.get("body_measure", 66)), source.lines, settings)
    layout.verse += [tuple(r) for r in source.profile.get("verse", []) or []
                     if part["lines"][0] <= r[0] <= part["lines"][1]]
    out: list[str] = []
    note = "*" if paired and paired.title_note else None
    attrs = {}
    if part.get("number"):
        attrs["number"] = part["number"]
    if part.get("dates"):
        attrs["dates"] = str(part["dates"])
    out.append(emit.heading(1, part["title"], attrs, note))
    if part.get("byline"):
        out.append(emit.div("byline", emit.escape(part["byline"])))
    same = part.get("same_author")
    blocks = structure.blocks(part_pages, layout, result.log)
    out.extend(_render(b, fixer, same) for b in blocks)
    if paired:
        note_layout = structure.Layout.of({}, int(settings.get("note_measure", 80)), source.lines, settings)
        note_layout.verse = layout.verse  # a dedication quoted in a note (13829-13842)
        defs = []
        if paired.title_note:
            defs.append(_note(paired.title_note, note_layout, fixer, result.log))
        defs.extend(_note(n, note_layout, fixer, result.log) for n in paired.notes)
        out.extend(defs)
        result.placed = sum(block.count("[^") for block in out[: len(out) - len(defs)])
    return emit.document(out)


def _note(note, layout, fixer: Repairer, log) -> str:
    blocks = structure.note_blocks(note.lines, layout, log)
    return emit.note_definition(note.label, [_render(b, fixer, None) for b in blocks])


def _render(block: structure.Block, fixer: Repairer, same_author: dict | None) -> str:
    lines = block.lines
    if block.kind == "heading":
        if block.title:
            return emit.heading(block.level, block.title)
        return emit.heading(block.level, fixer.markup(emit.escape(fixer.text(lines)), lines), escaped=True)
    if block.kind == "scene":
        return "* * *"
    if block.kind == "verse":
        return emit.line_block([fixer.markup(emit.escape(fixer.text([ln])), [ln]) for ln in lines], escaped=True)
    if block.kind == "dateline":
        return emit.div("dateline", fixer.markup(emit.escape(fixer.text(lines)), lines))
    if block.kind == "item":
        first = (lines[0][0], re.sub(r"^\s?-\s+", "", lines[0][1]))
        return "- " + fixer.markup(emit.escape(fixer.text([first] + lines[1:])), lines)
    if block.kind == "ordered":
        m = re.match(r"^(\d+)\.\s+", lines[0][1])
        first = (lines[0][0], lines[0][1][m.end():])
        return f"{m.group(1)}. " + fixer.markup(emit.escape(fixer.text([first] + lines[1:])), lines)
    if same_author and re.match(same_author["pattern"], lines[0][1]):
        first = (lines[0][0], re.sub(same_author["pattern"], "", lines[0][1]))
        return same_author["replace"] + fixer.markup(emit.escape(fixer.text([first] + lines[1:])), lines)
    return fixer.markup(emit.escape_start(fixer.text(lines)), lines)


def _epigraphs(source: Source, part: dict, fixer: Repairer) -> str:
    """Each epigraph: its text (paragraphs), then its attribution lines."""
    out = []
    layout = structure.Layout.of(part, int(source.profile.get("pages", {}).get("body_measure", 66)),
                                 source.lines)
    for item in part["epigraphs"]:
        a, b = item["text"]
        lines = [(n, source.line(n).strip()) for n in range(a, b + 1) if source.line(n).strip()]
        langs = {int(k): v for k, v in (item.get("lang") or {}).items()}
        paras = []
        for para in structure.split_chunk(lines, layout, structure.Log()):
            text = emit.escape_start(fixer.text(para))
            if para[0][0] in langs:
                text = f"[{emit.escape(fixer.text(para)).replace('[', chr(92) + '[').replace(']', chr(92) + ']')}]" \
                       f"{{lang={langs[para[0][0]]}}}"
            paras.append(text)
        a, b = item["attribution"]
        attribution = " \\\n".join(fixer.markup(emit.escape(fixer.text([(n, source.line(n))])), [(n, "")])
                                   for n in range(a, b + 1) if source.line(n).strip())
        body = "\n\n".join(paras + [emit.div("attribution", attribution)])
        out.append(emit.div("epigraph", body))
    return emit.document(out)


def _register(source: Source) -> dict:
    """The profile's editorial completion of the book's list (register.yaml)."""
    return glossary.load_register(source.profile_dir)


def _glossary_yaml(source: Source, entries, register: dict, fixer: Repairer, result: PartResult) -> str:
    """The book's list, repaired like the text, then completed by the profile."""
    expansions = [fixer.text(e.lines) for e in entries]
    try:
        rows = glossary.complete(glossary.rows(entries, expansions), register)
    except glossary.RegisterError as exc:
        raise ImportError_(source.profile_dir / "register.yaml", 1, exc.code, **exc.fields) from None
    result.notes = 0
    result.doubts.extend((e.line, f"abbreviation {e.forms[0]}: forms {e.forms} repeat")
                         for e in entries if len(set(e.forms)) < len(e.forms))
    result.doubts.extend((entries[0].line if entries else 1, f"abbreviation {form} is a form of more than one entry")
                         for form in glossary.repeated_forms(rows))
    return _yaml(rows)


IGNORE_HEADER = ("# Lint warnings explained, each with its reason. Written by `pipeline import`\n"
                 "# from the import profile's register.yaml: edit it there and import again.\n")


def _ignore_yaml(source: Source, entries: list[dict]) -> str:
    rows = []
    for entry in entries:
        if not entry.get("reason") or not entry.get("code") or not entry.get("match"):
            raise ImportError_(source.profile_dir / "register.yaml", 1, "T013", entry=entry)
        rows.append({"code": entry["code"], "match": entry["match"], "reason": entry["reason"]})
    return IGNORE_HEADER + _yaml(rows)


def _book_yaml(profile: dict) -> str:
    book = dict(profile["book"])
    contents = []
    for part in profile["parts"]:
        entry = {}
        if part.get("file"):
            entry["file"] = part["file"]
        entry["role"] = part["role"]
        if not part.get("file") and part.get("title"):
            entry["title"] = part["title"]
        if part.get("short_title"):
            entry["short_title"] = part["short_title"]
        contents.append(entry)
    contents.append({"role": "notes", "title": "Notas"})
    contents.extend(profile.get("after_notes") or [])   # generated entries after the notes: the index
    book["contents"] = contents
    return _yaml(book)


def _yaml(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False)
