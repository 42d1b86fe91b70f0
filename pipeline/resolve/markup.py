"""Placeholders left by the transforms become final XHTML markup.

Before: <span class="noteref" data-label="12"/>, <abbr data-term="CNT">CNT</abbr> (Pandoc
        writes a Span of class "abbr" as abbr),
        <span class="term" data-term="Duma">Duma</span>, <span class="roman">XX</span>
After:  <a class="noteref" id="ref-…" href="#note-…" role="doc-noteref">12</a>,
        <abbr title="Confederación Nacional del Trabajo">CNT</abbr>,
        <span class="term" title="Parlamento.">Duma</span> (the first use of a
        term in a document also a link to its glossary entry), <span class="roman">XX</span>.
"""

from __future__ import annotations

from lxml import etree

from pipeline.model import Abbreviation, Note, Resource
from pipeline.text.fragments import inner_xml


class Finisher:
    """Finishes the fragments of one document, remembering first uses."""

    def __init__(self, notes: dict[str, Note], abbreviations: dict[str, Abbreviation], glossary: bool,
                 images: dict[str, Resource] | None = None):
        self.notes, self.abbreviations, self.glossary = notes, abbreviations, glossary
        self.images = images or {}
        self.ref_count: dict[str, int] = {}
        self.linked: set[str] = set()

    def __call__(self, fragment: str, link_terms: bool = True) -> str:
        root = etree.fromstring(f"<div>{fragment}</div>")
        for node in list(root.iter("span", "abbr", "img")):
            if node.tag == "img":
                if node.get("src") in self.images:  # a refused image stops the build later
                    node.set("src", self.images[node.get("src")].href)
            elif node.tag == "span" and node.get("class") == "noteref":
                self._noteref(node)
            elif node.get("data-term") and (node.tag == "abbr" or node.get("class") == "term"):
                self._abbr(node, link_terms)
        return inner_xml(root)

    def _noteref(self, span) -> None:
        note = self.notes[span.get("data-label")]
        n = self.ref_count[note.key] = self.ref_count.get(note.key, 0) + 1
        span.tag = "a"
        span.attrib.clear()
        span.attrib.update({"class": "noteref", "id": note.ref_ids[min(n, len(note.ref_ids)) - 1],
                            "href": f"#note-{note.key}", "role": "doc-noteref"})
        span.text = note.mark

    def _abbr(self, span, link_terms: bool) -> None:
        abbr = self.abbreviations[span.get("data-term")]
        kind = span.get("class")
        span.attrib.clear()
        if kind:  # a glossary term that is a word: set as written, not in small capitals
            span.set("class", kind)
        span.set("title", abbr.expansion)
        if self.glossary and link_terms and abbr.term not in self.linked and not _inside_link(span):
            self.linked.add(abbr.term)
            _wrap(span, "a", {"class": "glossary-link", "href": f"#{abbr.anchor}"})


def _inside_link(node) -> bool:
    return any(a.tag == "a" for a in node.iterancestors())


def _wrap(node, tag: str, attrs: dict) -> None:
    wrapper = etree.Element(tag, attrs)
    wrapper.tail, node.tail = node.tail, None
    node.addprevious(wrapper)
    wrapper.append(node)
