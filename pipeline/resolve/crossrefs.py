"""Cross-references resolved book-wide: labels numbered and worded, references
linked to them, duplicates and dangling references refused.

Before: each text document with its chapter's Targets and References, its
fragments holding <span class="xref" data-key="fig-crane"/> and
<span class="float-label" data-key="fig-crane"/> (transforms/crossrefs.py).
After:  Labels (model.Label) in reading order, and the fragments with
<a class="xref" href="#fig-crane">figure 2.1</a>, a page reference as
<a class="xref-page" href="#sec-x">…</a> (the renderers print its page),
captions opened by <span class="float-label">Figure 2.1.</span>; tables
wrapped for a narrow screen and their header cells scoped. Unknown labels
are R003, labels defined twice R004.
"""

from __future__ import annotations

from dataclasses import replace

from lxml import etree

from pipeline.diagnostics import Report
from pipeline.i18n import word
from pipeline.model import Document, Label
from pipeline.text.fragments import inner_xml

WIDE_COLUMNS = 6     # a table of this many columns or more is set smaller in print (class "wide")


def resolve(texts: list, config, report: Report) -> tuple[dict[str, Document], tuple[Label, ...]]:
    """texts: (chapter, document) of every text document, in reading order.
    -> (the documents whose fragments changed, by id; the labels)."""
    labels = _labels(texts, config, report)
    for chapter, _ in texts:
        for ref in chapter.references:
            if ref.key not in labels:
                report.add("R003", chapter.source.path, ref.line, key=ref.key)
    report.check()
    lang = config.language
    changed = {doc.id: _finish_doc(doc, labels, lang) for _, doc in texts if _touched(doc)}
    return changed, tuple(labels.values())


def _labels(texts: list, config, report: Report) -> dict[str, Label]:
    lang, per_chapter = config.language, config.figures.numbering == "chapter"
    found: dict[str, Label] = {}
    where: dict[str, str] = {}
    counts = {"fig": 0, "tbl": 0, "eq": 0}
    for place, (chapter, doc) in enumerate(texts, 1):
        if per_chapter:
            counts = {"fig": 0, "tbl": 0, "eq": 0}
        for label, line in _doc_labels(chapter, doc, place, counts, per_chapter, lang):
            at = f"{chapter.source.path}:{line}"
            if label.key in found:
                report.add("R004", chapter.source.path, line, key=label.key, first=where[label.key])
                continue
            found[label.key], where[label.key] = label, at
    return found


def _doc_labels(chapter, doc: Document, place: int, counts: dict, per_chapter: bool, lang: str):
    for target in chapter.targets:
        if target.kind == "sec":
            yield _section(target, doc, lang), target.line
        else:
            counts[target.kind] += 1
            number = f"{doc.number or place}.{counts[target.kind]}" if per_chapter else str(counts[target.kind])
            yield Label(target.key, target.kind, target.key, doc.id, word(lang, f"ref-{target.kind}", n=number),
                        number, target.title), target.line
    for body, note in zip(chapter.notes, doc.notes):
        if body.label.startswith("note-"):
            yield Label(body.label, "note", f"note-{note.key}", doc.id, word(lang, "ref-note", n=note.mark),
                        note.mark, "", note.key), body.line


def _section(target, doc: Document, lang: str) -> Label:
    if target.level == 1:   # the file's title: its document
        if doc.number:
            kind = "appendix" if doc.role == "appendix" else "chapter"
            text = word(lang, f"ref-{kind}", n=doc.number)
        else:
            text = word(lang, "quote", text=doc.title)
        return Label(target.key, "chapter", doc.id, doc.id, text, doc.number or "", doc.title)
    return Label(target.key, "sec", target.key, doc.id, word(lang, "quote", text=target.title), "", target.title)


def _touched(doc: Document) -> bool:
    return any(_marked(html) for html in (doc.title_html, doc.html, *(n.html for n in doc.notes)))


def _marked(html: str) -> bool:
    return 'class="xref"' in html or 'class="float-label"' in html or "<table" in html or 'class="eq-number"' in html


def _finish_doc(doc: Document, labels: dict[str, Label], lang: str) -> Document:
    notes = tuple(replace(n, html=_finish(n.html, labels, lang)) if _marked(n.html) else n for n in doc.notes)
    html = _finish(doc.html, labels, lang) if _marked(doc.html) else doc.html
    title_html = _finish(doc.title_html, labels, lang) if _marked(doc.title_html) else doc.title_html
    return replace(doc, html=html, title_html=title_html, notes=notes)


def _finish(fragment: str, labels: dict[str, Label], lang: str) -> str:
    root = etree.fromstring(f"<div>{fragment}</div>")
    for node in list(root.iter("span", "table")):
        cls = node.get("class")
        if node.tag == "table":
            _table(node)
        elif cls == "xref":
            _reference(node, labels[node.get("data-key")])
        elif cls in ("float-label", "eq-number"):
            label = labels[node.get("data-key")]
            node.attrib.pop("data-key")
            node.text = word(lang, f"label-{label.kind}", n=label.number)
    return inner_xml(root)


def _reference(span, label: Label) -> None:
    page, cap = span.get("data-page"), span.get("data-cap")
    span.tag = "a"
    span.attrib.clear()
    span.set("class", "xref-page" if page else "xref")
    span.set("href", f"#{label.id}")
    text = label.text
    span.text = text[:1].upper() + text[1:] if cap else text


def _table(table) -> None:
    """Header cells scoped (a screen reader names each cell's column or row);
    the table in a wrapper that scrolls on a narrow screen rather than the page."""
    for th in table.iter("th"):
        parent = th.getparent()
        th.set("scope", "col" if parent is not None and parent.getparent() is not None
               and parent.getparent().tag == "thead" else "row")
    if table.getparent() is not None and table.getparent().get("class", "").startswith("table-wrap"):
        return
    row = next(table.iter("tr"), None)
    columns = sum(int(c.get("colspan", "1")) for c in row if c.tag in ("td", "th")) if row is not None else 0
    wrap = etree.Element("div", {"class": "table-wrap wide" if columns >= WIDE_COLUMNS else "table-wrap"})
    wrap.tail, table.tail = table.tail, None
    table.addprevious(wrap)
    wrap.append(table)
