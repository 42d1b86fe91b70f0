"""Formulas for print (render/pdf/math.py, engines/ziamath.py): each MathML
<math> becomes an SVG image of its TeX, em-sized and lowered by its depth."""

from __future__ import annotations

import base64
import re

from lxml import etree

from pipeline.engines.ziamath import draw
from pipeline.render.pdf.fetcher import ConfinedFetcher
from pipeline.render.pdf.math import replace_math

M = "http://www.w3.org/1998/Math/MathML"


def _math(tex: str, display: str) -> str:
    return (f'<math xmlns="{M}" display="{display}" alttext="{tex}"><semantics><mi>x</mi>'
            f'<annotation encoding="application/x-tex">{tex}</annotation></semantics></math>')


def test_a_formula_is_drawn_the_same_every_time():
    assert draw("x_i^2 + \\frac{a}{b}").svg == draw("x_i^2 + \\frac{a}{b}").svg


def test_a_descender_lowers_the_formula_below_the_baseline():
    assert draw("x").depth < draw("x_i").depth and draw("\\sum_{k=1}^n", True).height > draw("x").height


def test_math_becomes_an_image_of_its_tex_on_the_baseline(tmp_path):
    root = etree.fromstring(f'<p>Sea {_math("x_i", "inline")} y {_math("y", "block")} fin.</p>')
    replace_math(root)
    inline, block = root.findall("img")
    assert inline.get("alt") == "x_i" and inline.tail == " y "
    assert block.get("class") == "math display" and block.tail == " fin."
    depth = float(re.search(r"vertical-align:-([\d.]+)em", inline.get("style")).group(1))
    assert depth == draw("x_i").depth > 0
    served = ConfinedFetcher(tmp_path).fetch(inline.get("src"))   # no file read: the URL holds the SVG
    assert served.read() == base64.b64decode(inline.get("src").split(",", 1)[1])
    svg = base64.b64decode(inline.get("src").split(",", 1)[1]).decode()
    assert svg == draw("x_i").svg and not root.findall(f"{{{M}}}math")
