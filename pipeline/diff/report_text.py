"""Report -> text for a terminal (`--format text`) or JSON for CI (`--format json`).

The text form marks changes as `git diff --word-diff` does, [-deleted-]{+inserted+},
so it reads the same in a log file as on a screen.
"""

from __future__ import annotations

import json

from pipeline.diff.notes import renumbering
from pipeline.diff.words import BREAK

KIND_LABELS = {"text": "text changed", "figures": "figures changed (note marks, numbers)",
               "reflow": "only reflowed", "moved": "same page, new number"}
NOTE_TEMPLATES = {"added": "note {new} added", "removed": "note {old} removed",
                  "changed": "note {old} edited (now {new})", "renumbered": "note {old} is now {new}"}


def to_json(report) -> str:
    return json.dumps(as_dict(report), ensure_ascii=False, indent=2) + "\n"


def as_dict(report) -> dict:
    return {
        "old": report.old, "new": report.new, "identical": report.identical,
        "summary": report.summary(),
        "parts": [_part_dict(p) for p in report.changed_parts],
        "pages": [_page_dict(c) for c in report.pages.changes] if report.pages else None,
    }


def _part_dict(p) -> dict:
    return {
        "id": p.id, "title": p.title, "status": p.status,
        "words_inserted": p.words("insert"), "words_deleted": p.words("delete"),
        "hunks": [{"old_paragraph": h.old_start, "new_paragraph": h.new_start, "chunks": h.chunks} for h in p.hunks],
        "notes": [{"kind": c.kind, "old_mark": c.old_mark, "new_mark": c.new_mark,
                   "text": c.new_text or c.old_text} for c in p.notes],
        "renumbered": [list(r) for r in renumbering(p.notes)],
        "entries": p.entries,
    }


def _page_dict(c) -> dict:
    return {"kind": c.kind, "old": c.old, "new": c.new, "words_deleted": list(c.deleted),
            "words_inserted": list(c.inserted), "regions_old": c.boxes_old, "regions_new": c.boxes_new}


def to_text(report) -> str:
    lines = [f"diff {report.old} -> {report.new}: " + ("identical" if report.identical else "different"), ""]
    lines += summary_lines(report.summary())
    for part in report.changed_parts:
        lines += ["", *_part_lines(part)]
    if report.pages:
        lines += ["", "Pagination", *_page_lines(report.pages)]
    return "\n".join(lines) + "\n"


def summary_lines(s: dict) -> list[str]:
    out = [f"parts changed: {len(s['parts_changed'])}" + (f" ({'; '.join(s['parts_changed'])})" if s["parts_changed"] else ""),
           f"words: +{s['words_inserted']} -{s['words_deleted']}",
           f"notes: {s['notes_added']} added, {s['notes_removed']} removed, {s['notes_changed']} edited, "
           f"{s['notes_renumbered']} renumbered"]
    out += [f"{name} entries changed: {n}" for name, n in s["register_entries_changed"].items()]
    if "pages_old" in s:
        out.append(f"pages: {s['pages_old']} -> {s['pages_new']}; first page whose layout differs: "
                   f"{s['first_layout_change'] or 'none'}")
        out.append("changed pages: " + ", ".join(f"{n} {KIND_LABELS[k]}" for k, n in s["pages_changed"].items()))
        if s["pages_without_images"]:
            out.append(images_left_out(s["pages_without_images"], s["max_images"]))
    return out


def images_left_out(count: int, cap: int) -> str:
    return f"changed pages without images: {count} (images are limited to the first {cap} changed pages: --max-pages)"


def _part_lines(p) -> list[str]:
    out = [f"== {p.title or p.id} ({p.status}: +{p.words('insert')} -{p.words('delete')} words)"]
    for h in p.hunks:
        out.append(f"@ paragraph {h.new_start}: " + word_diff(h.chunks))
    out += [f"  {_note_line(c)}" for c in p.notes if c.kind != "renumbered"]
    out += [f"  notes {a}–{b} renumbered {c}–{d}" if a != b else f"  note {a} renumbered {c}"
            for a, b, c, d in renumbering(p.notes)]
    out += [f"  entries {kind}: {', '.join(terms)}" for kind, terms in p.entries.items() if terms]
    return out


def _note_line(c) -> str:
    line = NOTE_TEMPLATES[c.kind].format(old=c.old_mark, new=c.new_mark)
    if c.kind == "changed":
        return line + ": " + " … ".join(word_diff(h.chunks) for h in c.hunks())
    return line + ": " + (c.new_text or c.old_text)


def word_diff(chunks) -> str:
    """(op, text) chunks -> one line with [-deleted-] and {+inserted+} marks."""
    fmt = {"equal": "{}", "delete": "[-{}-]", "insert": "{{+{}+}}"}
    return "".join(fmt[op].format(text.replace(BREAK, " ¶ ")) for op, text in chunks).strip()


def _page_lines(p) -> list[str]:
    out = []
    moved = p.of_kind("moved")
    for kind, first, last in _runs([c for c in p.changes if c.kind != "moved"]):
        span = _pages(first) if first is last else f"{_pages(first)}–{_pages(last)}"
        out.append(f"  {'page' if first is last else 'pages'} {span}: {KIND_LABELS[kind]}")
    if moved:
        out.append(f"  {len(moved)} pages unchanged but renumbered, from page {moved[0].old} (now {moved[0].new})")
    return out or ["  no page changed"]


def _runs(changes):
    """Consecutive pages of one kind -> (kind, first change, last change)."""
    runs = []
    for c in changes:
        if runs and runs[-1][0] == c.kind and (c.new or 0) == (runs[-1][2].new or 0) + 1:
            runs[-1][2] = c
        else:
            runs.append([c.kind, c, c])
    return [tuple(r) for r in runs]


def _pages(c) -> str:
    if c.old == c.new:
        return str(c.new)
    return f"{c.old or '—'} -> {c.new or '—'}"
