"""CMYK for the printer: the cover of every printer, a colour interior.

Before: a PDF as WeasyPrint draws it: DeviceRGB fills and strokes
(`r g b rg`), gray, RGB or gray images.
After (`to_cmyk`, in place; `cmyk_pdf` for a unit's bytes): every RGB
colour and image in DeviceCMYK, separated for the printer's printing
condition (printers.Condition: FOGRA39, CGATS TR 003) by a `Separator`
holding our profile of that condition (styles/icc/, made with ArgyllCMS
from the characterization data: tools/make-icc-profiles.sh):

- neutrals (R = G = B, black text above all) on the Black plate alone:
  K = 1 - gray, as the gray interior prints them (ink.py), never four
  inks out of register under type or the barcode's bars;
- other colours of vectors relative colorimetric with black point
  compensation (a flat colour keeps its hue; the darkest RGB lands on
  the press's darkest, not clipped);
- images perceptual (the gamut compressed as a whole, detail kept in
  what the press cannot reach), through Pillow's ImageCms (LittleCMS);
- a Lab colour (CSS `lab()`, `lch()`, `oklab()`) taken to sRGB first, then
  as an RGB colour (spaces.py);
- gradients (tiling patterns around shadings) sampled again in CMYK
  through the same conversion (spaces.py), their neutral stops on K alone;
- a large black fill on a cover (a rectangle, or a shape of curves and
  lines such as an SVG circle, at least printers.RICH_BLACK_MIN both ways)
  in the printer's rich black.

The profiles are made with the printer's total ink limit, so what they
separate stays within it; `to_cmyk` still measures the total area coverage
(C + M + Y + K, per cent) of every colour and image it writes and raises
`PrinterRejects` L008 above the printer's limit (a CMYK colour the sheets
set themselves, a rich black too dense for the printer), naming the colour.
`output_intent` names the condition in the file and embeds the profile.
"""

from __future__ import annotations

import io
import math
import zlib
from functools import lru_cache
from pathlib import Path

import pikepdf
from PIL import Image, ImageCms, ImageMath
from pikepdf import Array, Dictionary, Name, String

from pipeline import printers
from pipeline.render.pdf.gutter import PrinterRejects
from pipeline.render.pdf.ink import Recolour, drawn_on, drop_colour_spaces, on_white, recolour
from pipeline.render.pdf.spaces import CMYK, GRAY, PATTERN, RGB, InkError, Space, lab_to_rgb, space_of

SOURCE_PROFILE = "sRGB.icc"       # what WeasyPrint's RGB and our pictures are in (styles/icc/)
PAINT = {"f", "F", "f*", "B", "B*", "b", "b*"}       # operators that fill a path
PATH_START = {"m", "re"}
POINTS = {"m": 2, "l": 2, "c": 6, "v": 4, "y": 4}      # path operators: their operands are points


class Separator:
    """RGB -> CMYK for one printing condition (see the module's doc)."""

    def __init__(self, icc: Path, source: Path):
        self.icc = icc
        cmyk, rgb = ImageCms.getOpenProfile(str(icc)), ImageCms.getOpenProfile(str(source))
        self._vectors = ImageCms.buildTransform(rgb, cmyk, "RGB", "CMYK", ImageCms.Intent.RELATIVE_COLORIMETRIC,
                                                flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)
        self._images = ImageCms.buildTransform(rgb, cmyk, "RGB", "CMYK", ImageCms.Intent.PERCEPTUAL)
        self._colours: dict = {}

    def colour(self, r: float, g: float, b: float) -> tuple[float, ...]:
        """An RGB colour (0-1) -> CMYK (0-1, four decimals)."""
        rgb = tuple(min(255, max(0, round(v * 255))) for v in (r, g, b))
        if rgb[0] == rgb[1] == rgb[2]:
            return (0.0, 0.0, 0.0, round(1 - rgb[0] / 255, 4))
        if rgb not in self._colours:
            pixel = ImageCms.applyTransform(Image.new("RGB", (1, 1), rgb), self._vectors).getpixel((0, 0))
            self._colours[rgb] = tuple(round(v / 255, 4) for v in pixel)
        return self._colours[rgb]

    def convert(self, space: Space, values) -> tuple[float, ...]:
        """A colour of `space` (gray, RGB, CMYK, Lab) in CMYK: gray on K alone, CMYK as it is."""
        if space == GRAY:
            return (0.0, 0.0, 0.0, round(1 - float(values[0]), 4))
        if space == CMYK:
            return tuple(float(v) for v in values)
        return self.colour(*(values if space == RGB else lab_to_rgb(values, space.white)))

    def picture(self, picture: Image.Image) -> Image.Image:
        """An RGB picture -> CMYK; its neutral pixels on K alone, like the vectors'."""
        cmyk = ImageCms.applyTransform(picture, self._images)
        r, g, b = picture.split()
        neutral = ImageMath.lambda_eval(lambda a: (a["r"] == a["g"]) & (a["g"] == a["b"]), r=r, g=g, b=b)
        if neutral.getextrema()[1] == 0:
            return cmyk
        mask = neutral.convert("L").point(lambda v: 255 if v else 0)
        zero = Image.new("L", picture.size, 0)
        k_only = Image.merge("CMYK", (zero, zero, zero, r.point(lambda v: 255 - v)))
        return Image.composite(k_only, cmyk, mask)


@lru_cache(maxsize=4)
def separator(styles: Path, condition: printers.Condition) -> Separator:
    """The printer's separator, made once per process (a unit worker keeps it)."""
    return Separator(Path(styles) / "icc" / condition.profile, Path(styles) / "icc" / SOURCE_PROFILE)


def ink_of(cmyk) -> float:
    """Total area coverage, per cent."""
    return round(sum(cmyk) * 100, 2)


def cmyk_pdf(data: bytes, separator: Separator, flatten: bool = False) -> bytes:
    """A unit's PDF bytes -> the same in CMYK (a colour interior: no rich
    black, no ink limit but the profile's), saved with a fixed /ID as
    ink.gray_pdf does."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        try:
            to_cmyk(pdf, separator, flatten=flatten)
        except InkError as exc:
            from pipeline.render.pdf.unprintable import unprintable   # see there: units.py imports this module

            raise unprintable(exc, "CMYK") from None
        out = io.BytesIO()
        pdf.save(out, static_id=True, fix_metadata_version=False,
                 object_stream_mode=pikepdf.ObjectStreamMode.preserve)
        return out.getvalue()


def to_cmyk(pdf: pikepdf.Pdf, separator: Separator, printer: printers.Printer | None = None,
            flatten: bool = True) -> float:
    """Every page's colours and images in DeviceCMYK (in place); -> the
    largest total ink used, per cent. With `printer` (a cover): large
    black fills in rich black, and L008 above its ink limit. `flatten`:
    images with an alpha channel laid on white."""
    worst: list = [0.0, "", ""]     # ink, colour, where

    def seen(ink: float, colour: str, where: str) -> None:
        if ink > worst[0]:
            worst[:] = [ink, colour, where]

    rich = printer is not None
    done: set = set()
    for number, page in enumerate(pdf.pages, 1):
        where = f"page {number}"
        how = Recolour(lambda data, resources, where=where: _stream(data, resources, separator, seen, where, rich),
                       lambda image, where=where: seen(cmyk_image(image, separator, flatten), "an image", where),
                       Name.DeviceCMYK, lambda space, values, where=where: _measured(space, values, separator,
                                                                                    seen, where))
        try:
            recolour(pdf, page.obj, done, how)
        except InkError as exc:
            exc.page = drawn_on(pdf, exc, number)
            raise
    drop_colour_spaces(pdf)
    if printer is not None and worst[0] > printer.ink_limit + 0.5:
        raise PrinterRejects("L008", printer=printer.name, limit=printer.ink_limit, colour=worst[1], ink=worst[0],
                             where=worst[2])
    return worst[0]


def _measured(space: Space, values, separator: Separator, seen, where: str) -> tuple[float, ...]:
    """A gradient's colour separated, its ink measured as a flat colour's is."""
    cmyk = separator.convert(space, values)
    seen(ink_of(cmyk), "a gradient's " + _described(space, list(values), cmyk), where)
    return cmyk


def output_intent(pdf: pikepdf.Pdf, condition: printers.Condition, styles: Path) -> None:
    """The file's one OutputIntent: the registered condition its CMYK is
    separated for, with our profile of it embedded (4 components,
    Flate-compressed), which PDF/X-4 needs and PDF/X-1a allows."""
    data = (Path(styles) / "icc" / condition.profile).read_bytes()
    profile = pdf.make_stream(zlib.compress(data, 6))   # zlib level 6, as the rest of the file
    profile.Filter = Name.FlateDecode
    profile.N = 4
    pdf.Root.OutputIntents = Array([pdf.make_indirect(Dictionary(
        Type=Name.OutputIntent, S=Name.GTS_PDFX, OutputConditionIdentifier=String(condition.identifier),
        OutputCondition=String(condition.info), RegistryName=String(condition.registry),
        Info=String(condition.info), DestOutputProfile=profile))])


def _stream(data: bytes, resources, separator: Separator, seen, where: str, rich: bool) -> bytes:
    out: list = []
    named = resources.get("/ColorSpace", {}) if resources is not None else {}
    # each side's space; the fill is pure black; the scale of user space to the page's
    state = {"fill": RGB, "stroke": RGB, "black": False, "scale": (1.0, 1.0), "named": named}
    stack, path = [], _Path()
    for operands, op in _parse(data):
        name = str(op)
        if name == "q":
            stack.append(dict(state))
        elif name == "Q" and stack:
            state = stack.pop()
        if name in PATH_START and path.start is None:
            path.start = len(out)
        if name == "cm":
            a, b, c, d = (float(x) for x in operands[:4])   # lengths of the axes: rotation kept out
            state["scale"] = (state["scale"][0] * math.hypot(a, b), state["scale"][1] * math.hypot(c, d))
        path.extend(name, operands, state["scale"])
        if name in PAINT or name == "n":
            if rich and name in PAINT and state["black"] and path.large and path.start is not None:
                _rich_black(out, path.start, seen, where)
                out.append(pikepdf.ContentStreamInstruction(operands, op))
                out.append(pikepdf.ContentStreamInstruction([], pikepdf.Operator("Q")))
                path = _Path()
                continue
            path = _Path()
        out.append(_colour(name, operands, op, state, separator, seen, where))
    return pikepdf.unparse_content_stream(out)


class _Path:
    """The path being built: where in the output it began, whether one of
    its parts is large (a rectangle, or a subpath whose points span, in the
    page's units, at least printers.RICH_BLACK_MIN both ways: a rounded box,
    an SVG shape; not the bars of a barcode side by side, each thin)."""

    def __init__(self):
        self.start: int | None = None
        self.large = False
        self._box: list[float] | None = None      # the subpath's x0, y0, x1, y1

    def extend(self, name: str, operands, scale) -> None:
        if name == "re":
            width, height = abs(float(operands[2])) * scale[0], abs(float(operands[3])) * scale[1]
            self.large |= min(width, height) >= printers.RICH_BLACK_MIN
        elif name in POINTS:
            if name == "m":
                self._box = None
            values = [float(v) for v in operands[:POINTS[name]]]
            xs, ys = [x * scale[0] for x in values[::2]], [y * scale[1] for y in values[1::2]]
            box = self._box or [min(xs), min(ys), max(xs), max(ys)]
            self._box = [min(box[0], *xs), min(box[1], *ys), max(box[2], *xs), max(box[3], *ys)]
            self.large |= min(self._box[2] - self._box[0], self._box[3] - self._box[1]) >= printers.RICH_BLACK_MIN


def _rich_black(out: list, start: int | None, seen, where: str) -> None:
    """The path from `start` filled in rich black, within q ... Q (the
    caller closes it after the fill): colour cannot be set inside a path."""
    seen(ink_of(printers.RICH_BLACK), "rich black " + _plates(printers.RICH_BLACK), where)
    out[start:start] = [pikepdf.ContentStreamInstruction([], pikepdf.Operator("q")),
                        pikepdf.ContentStreamInstruction(list(printers.RICH_BLACK), pikepdf.Operator("k"))]


SET = {"rg": RGB, "g": GRAY, "k": CMYK}           # operators that set a device colour with its space


def _colour(name: str, operands, op, state: dict, separator: Separator, seen, where: str):
    """One instruction, its colour (if any) separated; every colour's ink measured."""
    stroke = name.isupper()
    side = "stroke" if stroke else "fill"
    if name in ("cs", "CS"):
        state[side] = space = space_of(operands[0], state["named"])
        if space == PATTERN:           # `/Pattern cs /p0 scn`: the pattern's own drawing is separated
            return pikepdf.ContentStreamInstruction(operands, op)
        device = Name.DeviceGray if space == GRAY else Name.DeviceCMYK
        keep = str(operands[0]) in ("/DeviceGray", "/DeviceCMYK", "/CalGray")    # the bytes as they were
        return pikepdf.ContentStreamInstruction(operands if keep else [device], op)
    if name in ("BI", "INLINE IMAGE"):
        raise InkError("an inline image; place the picture as a file")
    space = SET.get(name.lower()) or (state[side] if name.lower() in ("sc", "scn") else None)
    if space is None or space == PATTERN:
        return pikepdf.ContentStreamInstruction(operands, op)     # `sh`: its shading is separated
    values = [float(x) for x in operands]
    cmyk = separator.convert(space, values)
    seen(ink_of(cmyk), _described(space, values, cmyk), where)
    if side == "fill":
        state["black"] = tuple(float(v) for v in cmyk) == (0.0, 0.0, 0.0, 1.0)
    if space in (GRAY, CMYK):
        return pikepdf.ContentStreamInstruction(operands, op)     # gray and CMYK stand as they are
    return pikepdf.ContentStreamInstruction(list(cmyk), pikepdf.Operator("K" if stroke else "k"))


def _described(space: Space, values: list[float], cmyk) -> str:
    """A colour as L008 names it: as the sheets set it, and its plates."""
    if space == GRAY:
        return f"gray {values[0]:g}"
    if space == CMYK:
        return _plates(cmyk)
    written = _hex(values) if space == RGB else "lab(" + " ".join(f"{v:g}" for v in values) + ")"
    return f"{written} {_plates(cmyk)}"


def _hex(rgb) -> str:
    return "#" + "".join(f"{round(v * 255):02x}" for v in rgb)


def _plates(cmyk) -> str:
    return "(" + " ".join(f"{p} {round(v * 100)}" for p, v in zip("CMYK", cmyk)) + ")"


# -- images -----------------------------------------------------------------

def cmyk_image(image: pikepdf.Stream, separator: Separator, flatten: bool = True) -> float:
    """An image XObject in DeviceCMYK (RGB) or DeviceGray (gray), 8 bits,
    Flate; with `flatten` laid on white if it has an alpha channel (else
    its soft mask kept); -> its largest total ink."""
    if image.get("/ImageMask") is True:
        return 100.0
    if image.get("/ColorSpace") == Name.DeviceCMYK:
        return _ink(pikepdf.PdfImage(image).as_pil_image())
    picture = pikepdf.PdfImage(image).as_pil_image()
    gray = picture.mode in ("1", "L", "LA") or image.get("/ColorSpace") == Name.DeviceGray
    picture = picture.convert("L" if gray else "RGB")
    if flatten and "/SMask" in image:
        picture = on_white(picture, image.SMask)
        del image["/SMask"]
    if gray:
        space, ink = Name.DeviceGray, (255 - picture.getextrema()[0]) / 255 * 100
    else:
        picture = separator.picture(picture)
        space, ink = Name.DeviceCMYK, _ink(picture)
    image.write(zlib.compress(picture.tobytes(), 6), filter=Name.FlateDecode)
    image.ColorSpace = space
    image.BitsPerComponent = 8
    for key in ("/DecodeParms", "/Decode", "/Intent"):
        if key in image:
            del image[key]
    return round(ink, 2)


def _ink(picture: Image.Image) -> float:
    c, m, y, k = (band.convert("I") for band in picture.split())
    total = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"] + a["k"], c=c, m=m, y=y, k=k)
    return round(total.getextrema()[1] / 255 * 100, 2)


def _parse(data: bytes) -> list:
    """The instructions of a content stream (its scratch PDF alive while it is parsed)."""
    scratch = pikepdf.new()
    return list(pikepdf.parse_content_stream(pikepdf.Stream(scratch, data)))
