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
- a large black fill on a cover (both sides at least
  printers.RICH_BLACK_MIN) in the printer's rich black.

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
from pipeline.render.pdf.ink import InkError, Recolour, drop_colour_spaces, on_white, recolour

SOURCE_PROFILE = "sRGB.icc"       # what WeasyPrint's RGB and our pictures are in (styles/icc/)
PAINT = {"f", "F", "f*", "B", "B*", "b", "b*"}       # operators that fill a path
PATH_START = {"m", "re"}


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
        to_cmyk(pdf, separator, flatten=flatten)
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
        how = Recolour(lambda data, _resources, where=where: _stream(data, separator, seen, where, rich),
                       lambda image, where=where: seen(cmyk_image(image, separator, flatten), "an image", where),
                       Name.DeviceCMYK, "CMYK")
        try:
            recolour(pdf, page.obj, done, how)
        except InkError as exc:
            raise InkError(f"{'cover ' if rich else ''}page {number}: {exc}") from None
    drop_colour_spaces(pdf)
    if printer is not None and worst[0] > printer.ink_limit + 0.5:
        raise PrinterRejects("L008", printer=printer.name, limit=printer.ink_limit, colour=worst[1], ink=worst[0],
                             where=worst[2])
    return worst[0]


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


def _stream(data: bytes, separator: Separator, seen, where: str, rich: bool) -> bytes:
    out: list = []
    # components of each side's space; the fill is pure black; the scale of user space to the page's
    state = {"fill": 3, "stroke": 3, "black": False, "scale": (1.0, 1.0)}
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
        if name == "re":
            width, height = abs(float(operands[2])) * state["scale"][0], abs(float(operands[3])) * state["scale"][1]
            path.large |= min(width, height) >= printers.RICH_BLACK_MIN
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
    """The path being built: where in the output it began, whether it holds a large rectangle."""

    def __init__(self):
        self.start: int | None = None
        self.large = False


def _rich_black(out: list, start: int | None, seen, where: str) -> None:
    """The path from `start` filled in rich black, within q ... Q (the
    caller closes it after the fill): colour cannot be set inside a path."""
    seen(ink_of(printers.RICH_BLACK), "rich black " + _plates(printers.RICH_BLACK), where)
    out[start:start] = [pikepdf.ContentStreamInstruction([], pikepdf.Operator("q")),
                        pikepdf.ContentStreamInstruction(list(printers.RICH_BLACK), pikepdf.Operator("k"))]


def _colour(name: str, operands, op, state: dict, separator: Separator, seen, where: str):
    """One instruction, its RGB colour (if any) separated; every colour's ink measured."""
    stroke = name.isupper()
    side = "stroke" if stroke else "fill"
    setter = name in ("sc", "scn", "SC", "SCN")
    values = [float(x) for x in operands] if name in ("rg", "RG", "k", "K", "g", "G") or setter else None
    if name in ("rg", "RG") or setter and state[side] == 3:
        cmyk = separator.colour(*values)
        seen(ink_of(cmyk), _hex(values) + " " + _plates(cmyk), where)
        _black(state, side, cmyk)
        return pikepdf.ContentStreamInstruction(list(cmyk), pikepdf.Operator("K" if stroke else "k"))
    if name in ("k", "K") or setter and state[side] == 4:
        seen(ink_of(values), _plates(values), where)
        _black(state, side, values)
    elif name in ("g", "G") or setter and state[side] == 1:
        seen(round((1 - values[0]) * 100, 2), f"gray {values[0]:g}", where)
        _black(state, side, (0, 0, 0, 1 - values[0]))
    elif name in ("cs", "CS"):
        space = str(operands[0])
        if space in ("/DeviceRGB", "/CalRGB"):
            state[side] = 3
            return pikepdf.ContentStreamInstruction([Name.DeviceCMYK], pikepdf.Operator(name))
        if space not in ("/DeviceCMYK", "/DeviceGray", "/CalGray"):
            raise InkError(f"colour space {space} cannot be printed in CMYK yet")
        state[side] = 4 if space == "/DeviceCMYK" else 1
    elif name in ("sh", "BI", "INLINE IMAGE"):
        raise InkError(f"operator {name} (a shading or an inline image) cannot be printed in CMYK yet")
    return pikepdf.ContentStreamInstruction(operands, op)


def _black(state: dict, side: str, cmyk) -> None:
    if side == "fill":
        state["black"] = tuple(float(v) for v in cmyk) == (0.0, 0.0, 0.0, 1.0)


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
