"""Report -> one self-contained HTML page for a browser.

Everything is inside the file: the style sheet, and page images as data:
URIs, so the report can be mailed or archived and opens offline. Every piece
of text from the books is escaped; nothing from them becomes markup.
"""

from __future__ import annotations

import base64
from html import escape

from pipeline.diff.notes import renumbering
from pipeline.diff.report_text import KIND_LABELS, NOTE_TEMPLATES, images_left_out, summary_lines
from pipeline.diff.words import BREAK, MARK

CSS = """
body{font:16px/1.5 Georgia,serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#222;background:#fff}
h1{font-size:1.6rem}h2{font-size:1.25rem;border-bottom:1px solid #ccc;margin-top:2rem}
.summary{background:#f5f5f0;border:1px solid #ddd;padding:.5rem 1.5rem}
ins{background:#c8f0c8;text-decoration:none}del{background:#f8c8c8}
.hunk{margin:.6rem 0;padding-left:.6rem;border-left:3px solid #ddd}.where{color:#777;font-size:.8rem}
sup.mark{color:#036;font-size:.7em}.notes{font-size:.9rem}
.pair{display:flex;gap:1rem;align-items:flex-start;margin:1rem 0 2rem}
.pair figure{margin:0;flex:1;text-align:center}.pair img{max-width:100%;border:1px solid #999}
.kind{display:inline-block;padding:0 .4rem;border-radius:3px;font-size:.85rem;color:#fff}
.capped{background:#fff4d0;border:1px solid #e0c060;padding:.4rem .8rem}
.k-text{background:#b22}.k-figures{background:#a60}.k-reflow{background:#369}.k-moved{background:#777}
"""


def to_html(report) -> str:
    body = [f"<h1>Build diff: {escape(report.old)} → {escape(report.new)}</h1>",
            _summary(report), *(_part(p) for p in report.changed_parts)]
    if report.pages:
        body.append(_pagination(report.pages))
    return ('<!DOCTYPE html>\n<html lang="es"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>Build diff</title><style>{CSS}</style></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n")


def _summary(report) -> str:
    verdict = "Identical builds." if report.identical else "The builds differ."
    items = "".join(f"<li>{escape(line)}</li>" for line in summary_lines(report.summary()))
    return f'<section class="summary"><p><strong>{verdict}</strong></p><ul>{items}</ul></section>'


def _part(p) -> str:
    notes = {c.new_mark: c.new_text for c in p.notes if c.new_mark}
    out = [f'<section class="part" id="part-{escape(p.id)}"><h2>{escape(p.title or p.id)} '
           f'<small>({escape(p.status)}: +{p.words("insert")} −{p.words("delete")} words)</small></h2>']
    out += [_hunk(h, notes) for h in p.hunks]
    out.append(_notes(p))
    out += [f"<p>Entries {escape(kind)}: {escape(', '.join(terms))}</p>" for kind, terms in p.entries.items() if terms]
    return "\n".join(out) + "</section>"


def _hunk(h, notes: dict) -> str:
    return (f'<p class="hunk"><span class="where">¶ {h.new_start}</span> '
            + "".join(_chunk(op, text, notes) for op, text in h.chunks) + "</p>")


def _chunk(op: str, text: str, notes: dict) -> str:
    inner = _with_marks(text, notes).replace(escape(BREAK), "<br>")
    return {"equal": inner, "insert": f"<ins>{inner}</ins>", "delete": f"<del>{inner}</del>"}[op]


def _with_marks(text: str, notes: dict) -> str:
    """Escape text; note marks become superscripts that show the note on hover."""
    out, last = [], 0
    for m in MARK.finditer(text):
        out.append(escape(text[last:m.start()]))
        title = f' title="{escape(notes[m[1]])}"' if m[1] in notes else ""
        out.append(f'<sup class="mark"{title}>{escape(m[1])}</sup>')
        last = m.end()
    out.append(escape(text[last:]))
    return "".join(out)


def _notes(p) -> str:
    items = [f"<li>{_note(c)}</li>" for c in p.notes if c.kind != "renumbered"]
    items += [f"<li>notes {escape(a)}–{escape(b)} renumbered {escape(c)}–{escape(d)}</li>"
              for a, b, c, d in renumbering(p.notes)]
    return f'<ul class="notes">{"".join(items)}</ul>' if items else ""


def _note(c) -> str:
    head = escape(NOTE_TEMPLATES[c.kind].format(old=c.old_mark, new=c.new_mark))
    if c.kind == "changed":
        return head + ": " + " … ".join("".join(_chunk(op, t, {}) for op, t in h.chunks) for h in c.hunks())
    tag = "ins" if c.kind == "added" else "del"
    return f"{head}: <{tag}>{escape(c.new_text or c.old_text)}</{tag}>"


def _pagination(p) -> str:
    moved = p.of_kind("moved")
    out = ['<section class="pages"><h2>Pagination</h2>',
           f"<p>{p.old_pages} → {p.new_pages} pages; first page whose layout differs: "
           f"{p.first_layout_change or 'none'}.</p>"]
    drawn = [c for c in p.changes if c.imaged]
    out += [_page(c) for c in drawn]
    if left_out := p.without_images():   # after the drawn ones: images go to the first pages in order
        out.append(f'<p class="capped">{escape(images_left_out(len(left_out), p.max_images))}.</p>')
        out += [_page(c) for c in left_out]
    if moved:
        out.append(f"<p>{len(moved)} pages unchanged but renumbered: "
                   + escape(", ".join(f"{c.old}→{c.new}" for c in moved[:40])) + (" …" if len(moved) > 40 else "") + "</p>")
    return "\n".join(out) + "</section>"


def _page(c) -> str:
    label = f'<span class="kind k-{c.kind}">{escape(KIND_LABELS[c.kind])}</span>'
    head = f"<h3>Page {c.old or '—'} → {c.new or '—'} {label}</h3>"
    if not c.imaged:
        return head
    return head + f'<div class="pair">{_figure(c.image_old, "old", c.old)}{_figure(c.image_new, "new", c.new)}</div>'


def _figure(png: bytes | None, side: str, number) -> str:
    if not png:
        return f"<figure><figcaption>{side}: no such page</figcaption></figure>"
    data = base64.b64encode(png).decode("ascii")
    return (f'<figure><img alt="{side} page {number}" src="data:image/png;base64,{data}">'
            f"<figcaption>{side}, page {number}</figcaption></figure>")
