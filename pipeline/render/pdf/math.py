"""Formulas for print: each MathML <math> becomes an SVG image of its TeX.

WeasyPrint renders no MathML, so the TeX that Pandoc kept as the formula's
annotation is drawn by ziamath (engines/ziamath), glyphs as paths, and set
as <img src="data:image/svg+xml;base64,…"> sized in em, so that it follows
the text's size, and lowered by its depth, so that its baseline sits on the
line's. The image's alt is the TeX: the formula keeps a text alternative.

Before: <math display="inline" alttext="E = mc^2">…<annotation …>E = mc^2</annotation>…</math>
After:  <img class="math inline" alt="E = mc^2" src="data:…" style="width:…em;height:…em;vertical-align:-…em"/>
"""

from __future__ import annotations

import base64
from functools import lru_cache

from lxml import etree

from pipeline.engines.ziamath import draw

MATHML = "{http://www.w3.org/1998/Math/MathML}"
TEX = "application/x-tex"
DATA = "data:image/svg+xml;base64,"


def replace_math(root) -> None:
    """Every <math> under `root` (an lxml tree of the book's HTML) in place."""
    for math in list(root.iter(MATHML + "math")):
        display = math.get("display") == "block"
        img = _image(_tex(math), display)
        img.tail = math.tail
        math.getparent().replace(math, img)


def _tex(math) -> str:
    found = [a.text or "" for a in math.iter(MATHML + "annotation") if a.get("encoding") == TEX]
    return (found[0] if found else math.get("alttext", "")).strip()


def _image(tex: str, display: bool):
    src, style = _drawn(tex, display)
    return etree.Element("img", {"class": "math " + ("display" if display else "inline"), "alt": tex,
                                 "src": src, "style": style})


@lru_cache(maxsize=4096)
def _drawn(tex: str, display: bool) -> tuple[str, str]:
    """(data URL, CSS size): one drawing per formula however often it is laid out."""
    d = draw(tex, display)   # the transforms stage refused any TeX ziamath cannot read (R005)
    src = DATA + base64.b64encode(d.svg.encode("utf-8")).decode("ascii")
    return src, f"width:{d.width}em;height:{d.height}em;vertical-align:-{d.depth}em"


def serve(url: str) -> bytes | None:
    """The SVG a data URL of ours holds, for the fetcher (None: not one of ours)."""
    if url.startswith(DATA):
        return base64.b64decode(url[len(DATA):])
    return None
