"""Colour spaces and gradients, as the printer's conversions (ink.py, cmyk.py) read them.

Before: what a page's drawing names: a colour space (a device family, a
name in the resources' /ColorSpace: ICCBased, Lab, CalRGB, /Pattern), a
colour in it, a shading (CSS `linear-gradient()`, `radial-gradient()` and
SVG gradients, which WeasyPrint 70 draws as a tiling pattern around a form
that paints an axial or radial shading, through a stitching function of
exponential ones).
After: each space read as a `Space` (gray, rgb, cmyk, lab with its white
point, pattern); a Lab colour in sRGB (CIE formulas, Bradford adaptation
to D65, clipped to sRGB's gamut), so that it is converted as an RGB colour
is; a shading in the printer's colours (`recolour_shading`): each
exponential function it interpolates through sampled again in the target
space (a type 0 function of `SAMPLES` points, 16 bits), so that the
gradient passes through the colours the conversion gives (a separation is
not linear: converting the end colours alone would change the middle),
while the stitching (its stops, hard or soft) stays as it was.

What cannot be converted faithfully stops with `InkError` naming it and
what to do: a mesh or function-based shading (types 1, 4 to 7: none of
CSS's gradients), a sampled or PostScript function, an uncoloured tiling
pattern, a Separation, DeviceN or Indexed space where a colour is set.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from typing import Callable

import pikepdf
from pikepdf import Array, Dictionary, Name

CONVERTED = (2, 3)                # the shading types converted: axial and radial, all CSS and SVG draw
SHADINGS = {1: "function-based", 2: "axial", 3: "radial", 4: "a free-form mesh", 5: "a lattice mesh",
            6: "a Coons patch mesh", 7: "a tensor patch mesh"}
SAMPLES = 64                      # points of a function sampled again: a step of 1.6 % of the gradient
D50 = (0.9642, 1.0, 0.8249)
GRADIENT = "a gradient ({what}); draw it as a CSS or SVG linear or radial gradient, or as a picture"


UNCOLOURED = "an uncoloured tiling pattern; give the pattern its own colours"


class InkError(Exception):
    """Something a page draws cannot be printed in the printer's colours as
    it is: the message names it and what to change; `page`, set by the
    caller, the page it is on."""


@dataclass(frozen=True)
class Space:
    kind: str                                  # "gray", "rgb", "cmyk", "lab", "pattern"
    white: tuple[float, ...] = D50             # a Lab space's white point (XYZ)


GRAY, RGB, CMYK, PATTERN = Space("gray"), Space("rgb"), Space("cmyk"), Space("pattern")
FAMILIES = {"/DeviceGray": GRAY, "/CalGray": GRAY, "/DeviceRGB": RGB, "/CalRGB": RGB, "/DeviceCMYK": CMYK,
            "/Pattern": PATTERN}
BY_COMPONENTS = {1: GRAY, 3: RGB, 4: CMYK}


def space_of(space, named=None) -> Space:
    """What `space` (a family name, a name in `named`, the resources'
    /ColorSpace, or an array) is. An ICCBased space counts as the device
    space of as many components (its profile is not applied, as WeasyPrint's
    sRGB is not)."""
    if isinstance(space, Name) and str(space) in FAMILIES:
        return FAMILIES[str(space)]
    found = named.get(space) if isinstance(space, Name) and named is not None else space
    if isinstance(found, Name) and str(found) in FAMILIES:
        return FAMILIES[str(found)]
    if isinstance(found, Array) and len(found):
        family = str(found[0])
        if family == "/ICCBased" and int(found[1].get("/N", 0)) in BY_COMPONENTS:
            return BY_COMPONENTS[int(found[1].N)]
        if family == "/Lab":
            return Space("lab", tuple(float(v) for v in found[1].WhitePoint))
        if family == "/Pattern":
            raise InkError(UNCOLOURED)
        if family in FAMILIES:
            return FAMILIES[family]
        raise InkError(f"a colour in the {family} colour space; set it in sRGB or device-cmyk()")
    raise InkError(f"a colour in the colour space {space} ({str(found)[:40]}), unknown; set it in sRGB or "
                   "device-cmyk()")


# -- Lab ----------------------------------------------------------------------------

BRADFORD = ((0.8951, 0.2664, -0.1614), (-0.7502, 1.7135, 0.0367), (0.0389, -0.0685, 1.0296))
BRADFORD_INV = ((0.9869929, -0.1470543, 0.1599627), (0.4323053, 0.5183603, 0.0492912),
                (-0.0085287, 0.0400428, 0.9684867))
D65 = (0.95047, 1.0, 1.08883)
XYZ_TO_SRGB = ((3.2404542, -1.5371385, -0.4985314), (-0.9692660, 1.8760108, 0.0415560),
               (0.0556434, -0.2040259, 1.0572252))


def _times(matrix, vector) -> tuple[float, ...]:
    return tuple(sum(m * v for m, v in zip(row, vector)) for row in matrix)


def lab_to_rgb(values, white=D50) -> tuple[float, float, float]:
    """A Lab colour (L 0-100, a, b) under `white` -> sRGB (0-1), clipped to
    its gamut; a neutral (a = b = 0) stays neutral (R = G = B)."""
    lightness, a, b = (float(v) for v in values)
    fy = (lightness + 16) / 116
    f = (fy + a / 500, fy, fy - b / 200)
    xyz = [w * (t ** 3 if t ** 3 > 216 / 24389 else (116 * t - 16) * 27 / 24389) for w, t in zip(white, f)]
    source, target = _times(BRADFORD, white), _times(BRADFORD, D65)
    cone = [c * t / s for c, s, t in zip(_times(BRADFORD, xyz), source, target)]
    linear = _times(XYZ_TO_SRGB, _times(BRADFORD_INV, cone))
    if a == b == 0:    # the matrices' rounding would tint a gray
        linear = (xyz[1],) * 3
    return tuple(_srgb(v) for v in linear)


def _srgb(linear: float) -> float:
    v = min(1.0, max(0.0, linear))
    return round(12.92 * v if v <= 0.0031308 else 1.055 * v ** (1 / 2.4) - 0.055, 6)


# -- shadings --------------------------------------------------------------------------

def recolour_shading(pdf: pikepdf.Pdf, shading, convert: Callable, target: Name) -> None:
    """`shading` (in place) in the `target` space: `convert(space, values)`
    gives a colour of `space` in it. A shading already in the target space
    (or gray, which every printer's file may hold) is left as it is."""
    space = space_of(shading.get("/ColorSpace"))
    if space == FAMILIES[str(target)] or space == GRAY:
        return
    kind = int(shading.get("/ShadingType", 0))
    if kind not in CONVERTED:
        raise InkError(GRADIENT.format(what=f"shading type {kind}, {SHADINGS.get(kind, 'unknown')}"))
    shading.Function = _function(pdf, shading.Function, space, convert)
    if "/Background" in shading:
        shading.Background = Array(convert(space, [float(v) for v in shading.Background]))
    shading.ColorSpace = target


def _function(pdf: pikepdf.Pdf, function, space: Space, convert: Callable):
    """A type 3 function's stitching kept, its parts converted; a type 2
    sampled again in the target space."""
    kind = int(function.get("/FunctionType", -1)) if isinstance(function, (Dictionary, pikepdf.Stream)) else -1
    if kind == 3:
        parts = Array([_function(pdf, part, space, convert) for part in function.Functions])
        return Dictionary({**{k: function[k] for k in function.keys() if k != "/Range"}, "/Functions": parts})
    if kind == 2:
        low, high = (float(v) for v in function.get("/Domain", [0, 1]))
        points = [low + (high - low) * i / (SAMPLES - 1) for i in range(SAMPLES)]
        return _sampled(pdf, (low, high), [convert(space, _exponential(function, x)) for x in points])
    raise InkError(GRADIENT.format(what="a sampled or calculated colour function"))


def _exponential(function, x: float) -> list[float]:
    c0 = [float(v) for v in function.get("/C0", [0])]
    c1 = [float(v) for v in function.get("/C1", [1])]
    t = x ** float(function.N)
    return [a + t * (b - a) for a, b in zip(c0, c1)]


def _sampled(pdf: pikepdf.Pdf, domain, colours: list) -> pikepdf.Stream:
    """A type 0 function through `colours` (0-1), evenly over `domain`, 16 bits, linear between samples."""
    n = len(colours[0])
    data = b"".join(struct.pack(f">{n}H", *(round(min(1.0, max(0.0, v)) * 65535) for v in c)) for c in colours)
    stream = pdf.make_stream(zlib.compress(data, 6))
    stream.Filter = Name.FlateDecode
    stream.FunctionType, stream.Domain, stream.Range = 0, Array(list(domain)), Array([0, 1] * n)
    stream.Size, stream.BitsPerSample = Array([len(colours)]), 16
    return stream
