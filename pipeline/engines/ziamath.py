"""ziamath: TeX math drawn as SVG for print (WeasyPrint renders no MathML).

ziamath (MIT) parses the TeX itself and draws each glyph of its bundled
STIX Two Math (SIL OFL 1.1) as a path: the PDF needs no math font, and the
same TeX gives the same bytes. Only its public API is used.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

with warnings.catch_warnings():   # ziamath 0.13 finds its font through a deprecated pkg_resources call on import
    warnings.simplefilter("ignore", DeprecationWarning)
    import ziamath

PRIVATE = ()
SIZE = 20.0          # drawing units per em: sizes below are in em, so the formula follows the text's size
VIEWBOX = re.compile(r'viewBox="([-\d. ]+)"')


class MathError(ValueError):
    """ziamath could not read the TeX."""


@dataclass(frozen=True)
class Drawing:
    svg: str
    width: float      # em
    height: float     # em, ascent + depth
    depth: float      # em below the baseline


def draw(tex: str, display: bool = False) -> Drawing:
    try:
        svg = ziamath.Latex(tex, size=SIZE, inline=not display, margin=0).svg()
    except Exception as exc:   # ziamath's parser fails with bare asserts, KeyErrors...
        raise MathError(str(exc) or type(exc).__name__) from None
    x, y, w, h = (float(v) for v in VIEWBOX.search(svg).group(1).split())
    return Drawing(svg, round(w / SIZE, 3), round(h / SIZE, 3), round((y + h) / SIZE, 3))
