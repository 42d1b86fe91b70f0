"""Pandoc AST pieces -> XHTML fragments, with one Pandoc call per file.

Before: a list of "chunks", each a list of blocks (the title, the body, each
note body).
After: one well-formed XHTML string per chunk.

The chunks travel through Pandoc as Divs with known ids and are cut apart
again with lxml; results are cached by content hash like the read stage.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pypandoc
from lxml import etree, html as lhtml

from pipeline.read import pandoc_version

ARGS = ["--wrap=none", "--html-q-tags"]


def to_html(chunks: list[list], api: tuple, cache_dir: Path | None = None) -> list[str]:
    doc = {"pandoc-api-version": list(api), "meta": {}, "blocks": [_div(i, c) for i, c in enumerate(chunks)]}
    text = json.dumps(doc, ensure_ascii=False, sort_keys=True)
    html = _cached(text, cache_dir)
    return _split(html, len(chunks))


def _div(i: int, blocks: list) -> dict:
    return {"t": "Div", "c": [[f"chunk-{i}", [], []], blocks]}


def _cached(text: str, cache_dir: Path | None) -> str:
    key = hashlib.sha256((pandoc_version() + " ".join(ARGS) + text).encode()).hexdigest()
    path = cache_dir / "html" / f"{key}.html" if cache_dir else None
    if path and path.is_file():
        return path.read_text("utf-8")
    html = pypandoc.convert_text(text, "html5", format="json", extra_args=ARGS)
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(html, "utf-8")
        tmp.replace(path)
    return html


def _split(html: str, count: int) -> list[str]:
    root = lhtml.fragment_fromstring(html, create_parent="body")
    found = {el.get("id"): inner_xml(el) for el in root if el.get("id", "").startswith("chunk-")}
    return [found.get(f"chunk-{i}", "") for i in range(count)]


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
