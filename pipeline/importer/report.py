"""The import report: what an editor should know and review, part by part.

Before: an `Imported` result.
After: Markdown — per part the notes found and placed, joins, repairs by
kind, the fidelity figure (faults per 10,000 words, from `fidelity`), and
every doubtful decision with its source line.
"""

from __future__ import annotations

from collections import Counter


def render(result, source, fidelity: list[str] | None = None) -> str:
    out = ["# Import report", "",
           f"Source: `{source.path.name}` ({len(source.lines)} lines), profile `{source.profile_dir.name}`.", ""]
    f = result.furniture
    out += ["## Page furniture removed", "",
            f"- page starts (one-space indent): {len(f.page_starts)}",
            f"- running heads: {len(f.running_heads)} (lines {', '.join(map(str, f.running_heads))})"]
    out += [f"- dropped lines {a}–{b}: {why}" for a, b, why in f.dropped]
    if f.links:
        out.append(f"- link-layer lines (a URL alone after a blank line): {len(f.links)} "
                   f"(lines {', '.join(map(str, f.links))})")
    out.append("")
    if result.corrections:
        out += ["## Source corrections applied (corrections.yaml)", ""]
        out += [f"- line {c.where}: «{c.before}» → «{c.after}» — {c.why}" for c in result.corrections]
        out.append("")
    out += ["## Parts", "", "| part | notes | expected | title note | placed refs | continued notes | "
            "page joins | paragraph ends at page breaks | stray blanks joined | repairs |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for p in result.parts:
        kinds = Counter(d.kind for d in p.decisions)
        repairs = ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())) or "—"
        out.append(f"| {p.name} | {p.notes} | {'' if p.expected_notes is None else p.expected_notes} | "
                   f"{'yes' if p.title_note else ''} | {p.placed} | {p.continued_notes} | "
                   f"{len(p.log.page_joins)} | {len(p.log.page_breaks)} | {len(p.log.blank_joins)} | {repairs} |")
    total = sum(p.notes for p in result.parts)
    titles = sum(1 for p in result.parts if p.title_note)
    out += ["", f"Notes: {total} numbered + {titles} title notes. Glossary entries: {result.glossary_entries}.", ""]
    italics = getattr(result, "italics", {}) or {}
    out += [f"Italics set from titles.yaml: {sum(italics.values())} "
            f"({', '.join(f'{k} {v}' for k, v in sorted(italics.items())) or 'none'}). "
            f"Register forms left roman in a gloss (a Spanish rendering in brackets): {getattr(result, 'glosses', 0)}. "
            f"Words set in small capitals by the profile: {getattr(result, 'small_caps', 0)}.", ""]
    unused = getattr(result, "unused_titles", [])
    if unused:
        out += [f"Forms of titles.yaml the text never holds: {', '.join(unused)}.", ""]
    if fidelity:
        out += ["## Fidelity to the source", "", *fidelity, ""]
    out += ["## Decisions to review", ""]
    for p in result.parts:
        items = [(line, text) for line, text in p.doubts]
        items += [(line, f"page break: {why}") for line, why in p.log.ambiguous]
        items += [(line, f"marker fused or between digits: [^{label}]") for line, label in p.weak_markers]
        items += [(line, f"stray blank line joined") for line in p.log.blank_joins]
        items += [(d.line, f"{d.kind}: «{d.before}» → «{d.after}»") for d in p.decisions if d.doubtful]
        if not items:
            continue
        out += [f"### {p.name}", ""]
        out += [f"- {line}: {text}" for line, text in sorted(items, key=lambda x: (x[0], x[1]))]
        out.append("")
    return "\n".join(out).rstrip() + "\n"
