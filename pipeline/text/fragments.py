"""XHTML fragments as lxml elements: their runs of text, their content as text."""

from __future__ import annotations

from lxml import etree


def text_slots(element):
    """(node, 'text' | 'tail') for every run of text inside `element`, in
    reading order (lxml keeps text after a child in the child's tail)."""
    yield element, "text"
    for child in element:
        if isinstance(child.tag, str):
            yield from text_slots(child)
        yield child, "tail"


def inner_xml(el) -> str:
    """The content of `el` as XHTML text (children serialised as XML)."""
    parts = [escape(el.text or "")]
    parts += [etree.tostring(child, encoding="unicode", method="xml") for child in el]
    return "".join(parts).strip()


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
