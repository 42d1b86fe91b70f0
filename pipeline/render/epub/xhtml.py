"""XHTML building blocks for EPUB content documents (lxml, XHTML namespace)."""

from __future__ import annotations

from lxml import etree

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
NSMAP = {None: XHTML, "epub": OPS}
EPUB_TYPE = f"{{{OPS}}}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def el(tag: str, attrs: dict | None = None, text: str | None = None, parent=None):
    """An XHTML element; `epub:type` may be given as the key 'epub:type'."""
    attrs = {(EPUB_TYPE if k == "epub:type" else k): v for k, v in (attrs or {}).items() if v is not None}
    tag = f"{{{XHTML}}}{tag}"
    node = etree.SubElement(parent, tag, attrs) if parent is not None else etree.Element(tag, attrs, nsmap=NSMAP)
    node.text = text
    return node


def fragment(xml: str) -> list:
    """Parse a Book XHTML fragment into XHTML-namespaced elements (text before
    the first element is kept on a wrapper: callers append children)."""
    wrapper = etree.fromstring(f'<div xmlns="{XHTML}">{xml}</div>')
    return wrapper


def append_fragment(parent, xml: str) -> None:
    wrapper = fragment(xml)
    if wrapper.text and wrapper.text.strip():
        last = parent[-1] if len(parent) else None
        if last is None:
            parent.text = (parent.text or "") + wrapper.text
        else:
            last.tail = (last.tail or "") + wrapper.text
    for child in list(wrapper):
        parent.append(child)


def document(lang: str, title: str, css: str, body_type: str):
    """An empty XHTML content document; returns (html, body)."""
    html = el("html", {"lang": lang, XML_LANG: lang})
    head = el("head", parent=html)
    el("meta", {"charset": "utf-8"}, parent=head)
    el("title", text=title, parent=head)
    el("link", {"rel": "stylesheet", "type": "text/css", "href": css}, parent=head)
    body = el("body", {"epub:type": body_type}, parent=html)
    return html, body


def serialize(html) -> bytes:
    # A passage in another language ([…]{lang=de}) carries lang from Pandoc;
    # XHTML reading systems read xml:lang, and hyphenate and speak by it.
    for node in html.iter():
        if node.get("lang") and node.get(XML_LANG) is None:
            node.set(XML_LANG, node.get("lang"))
    return etree.tostring(html, encoding="utf-8", xml_declaration=True, doctype="<!DOCTYPE html>")


def q(tag: str) -> str:
    return f"{{{XHTML}}}{tag}"
