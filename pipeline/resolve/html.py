"""Pandoc AST pieces -> XHTML fragments, with one Pandoc call per file.

Before: a list of "chunks", each a list of blocks (the title, the body, each
note body).
After: one well-formed XHTML string per chunk.

The chunks travel through Pandoc as Divs with known ids and are cut apart
again with lxml; results are cached by content hash like the read stage.
`to_html_all` converts several files' chunks with a Pandoc process each, a
few at once, and gives the results back in order.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import threading
from pathlib import Path
from typing import Iterable, Iterator

from lxml import html as lhtml

from pipeline.engines import pandoc
from pipeline.pool import ordered_map
from pipeline.read import pandoc_path, pandoc_version
from pipeline.text.fragments import inner_xml

# MathML for TeX math: the EPUB shows it as it is, print draws it from its TeX annotation
ARGS = ["--wrap=none", "--html-q-tags", "--mathml"]
TEX = "application/x-tex"


def to_html_all(jobs: Iterable[tuple[list[list], tuple]], cache_dir: Path | None = None) -> Iterator[list[str]]:
    """`to_html(chunks, api)` of every (chunks, api), in order, several at once."""
    return ordered_map(lambda job: to_html(*job, cache_dir), jobs)


def to_html(chunks: list[list], api: tuple, cache_dir: Path | None = None) -> list[str]:
    blocks = compact([_div(i, c) for i, c in enumerate(chunks)])
    doc = {"pandoc-api-version": list(api), "meta": {}, "blocks": blocks}
    text = json.dumps(doc, ensure_ascii=False, sort_keys=True)
    html = _cached(text, cache_dir)
    return _split(html, len(chunks))


def compact(node):
    """`node` with every run Str Space Str … Str made one Str whose words are
    joined by spaces: a quarter of the elements for Pandoc to decode, and the
    same HTML, since its writer turns a Str into its text and a Space into
    " " (with --wrap=none it lays nothing out), character by character.
    Spaces that are not between two words stay as they are."""
    if isinstance(node, dict):
        content = node.get("c")
        if isinstance(content, (list, dict)):
            return {"t": node["t"], "c": compact(content)} if "t" in node else node
        return node
    if not isinstance(node, list):
        return node
    out: list = []
    words: list[str] | None = None   # the run being joined
    spaced = False                   # a Space after its last word
    for item in node:
        kind = item.get("t") if item.__class__ is dict else None
        if kind == "Str" and (words is None or spaced):
            if words is None:
                words = [item["c"]]
            else:
                words.append(item["c"])
            spaced = False
            continue
        if kind == "Space" and words is not None and not spaced:
            spaced = True
            continue
        if words is not None:
            out.append({"t": "Str", "c": " ".join(words)})
            if spaced:
                out.append({"t": "Space"})
            words, spaced = None, False
        if kind == "Str":  # a word right after a word: a run of its own
            words = [item["c"]]
            continue
        out.append(compact(item) if isinstance(item, (list, dict)) else item)
    if words is not None:
        out.append({"t": "Str", "c": " ".join(words)})
        if spaced:
            out.append({"t": "Space"})
    return out


def _div(i: int, blocks: list) -> dict:
    return {"t": "Div", "c": [[f"chunk-{i}", [], []], blocks]}


def _cached(text: str, cache_dir: Path | None) -> str:
    key = hashlib.sha256((pandoc_version() + " ".join(ARGS) + text).encode()).hexdigest()
    path = cache_dir / "html" / f"{key}.html" if cache_dir else None
    if path and path.is_file():
        return path.read_text("utf-8")
    html = _run_pandoc(text)
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}-{threading.get_ident()}.tmp")  # two files, one text
        tmp.write_text(html, "utf-8")
        tmp.replace(path)
    return html


def _run_pandoc(text: str) -> str:
    """What pypandoc.convert_text(text, "html5", format="json", extra_args=ARGS)
    gives, without the two Pandoc runs it makes each time to list formats."""
    cmd = [pandoc_path(), "--from=json", "--to=html5", *ARGS]
    done = subprocess.run(cmd, input=text.encode("utf-8"), capture_output=True)
    stderr = done.stderr.decode("utf-8", errors="replace")
    if done.returncode != 0:
        raise RuntimeError(f'Pandoc died with exitcode "{done.returncode}" during conversion: {stderr}')
    if stderr:  # pypandoc passes Pandoc's messages to its logger: so do we
        pandoc.log(stderr)
    return done.stdout.decode("utf-8", errors="replace")


def _split(html: str, count: int) -> list[str]:
    root = lhtml.fragment_fromstring(html, create_parent="body")
    for math in root.iter("math"):
        _describe(math)
    found = {el.get("id"): inner_xml(el) for el in root if el.get("id", "").startswith("chunk-")}
    return [found.get(f"chunk-{i}", "") for i in range(count)]



def _describe(math) -> None:
    """A formula's `alttext` is its TeX, which screen readers and Ace take as
    its description (Pandoc keeps the TeX only as an annotation)."""
    tex = next((a.text for a in math.iter("annotation") if a.get("encoding") == TEX), None)
    if tex and tex.strip():
        math.set("alttext", tex.strip())
