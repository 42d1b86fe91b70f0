"""The cover's colours in DeviceCMYK, within the printer's total ink.

Before: the cover as WeasyPrint draws it: DeviceRGB fills and strokes
(`r g b rg`), gray, RGB or gray images.
After (`to_cmyk`, in place): every RGB colour and image in DeviceCMYK,
and the total area coverage (C + M + Y + K, in per cent) of every colour
the cover uses, the largest at most the printer's limit
(printers.Printer.ink_limit, IngramSpark's 240 %), else `PrinterRejects`
L008 naming the colour.

The conversion is the plain one with full gray component replacement: the
black a colour holds goes to K (K = 1 - max(R, G, B)) and C, M, Y carry
only what differs from gray. Pure black is 0 0 0 1, so the barcode's bars
and black type print on the Black plate alone, 100 % K; a colour's total
ink stays at most 100 % plus what two of C, M, Y add, and the book's dark
ground #2b2a33 takes 113 %. No ICC conversion: the file names a
registered characterization (CGATS TR 001, pdfx1a.py), not a profile
these numbers were separated for, as a printer's RIP takes DeviceCMYK
as it is.
"""

from __future__ import annotations

import zlib

import pikepdf
from PIL import ImageFilter, ImageMath
from pikepdf import Name

from pipeline.render.pdf.gutter import PrinterRejects
from pipeline.render.pdf.ink import InkError, Recolour, drop_colour_spaces, on_white, recolour

LUT_SIZE = 33


def cmyk_of(r: float, g: float, b: float) -> tuple[float, float, float, float]:
    """RGB (0-1) -> CMYK (0-1), full gray component replacement."""
    top = max(r, g, b)
    if top <= 0:
        return (0.0, 0.0, 0.0, 1.0)
    k = 1 - top
    return tuple(round(x, 4) for x in ((top - r) / top, (top - g) / top, (top - b) / top, k))


def ink_of(cmyk) -> float:
    """Total area coverage, per cent."""
    return round(sum(cmyk) * 100, 2)


def to_cmyk(pdf: pikepdf.Pdf, printer: str, limit: int) -> float:
    """Every page's colours and images in DeviceCMYK (in place); -> the
    largest total ink used, per cent. L008 above `limit`."""
    worst: list = [0.0, "", ""]     # ink, colour, where

    def seen(ink: float, colour: str, where: str) -> None:
        if ink > worst[0]:
            worst[:] = [ink, colour, where]

    done: set = set()
    for number, page in enumerate(pdf.pages, 1):
        where = f"page {number}"
        how = Recolour(lambda data, _resources, where=where: _stream(data, seen, where),
                       lambda image, where=where: seen(cmyk_image(image), "an image", where), Name.DeviceCMYK, "CMYK")
        try:
            recolour(pdf, page.obj, done, how)
        except InkError as exc:
            raise InkError(f"cover page {number}: {exc}") from None
    drop_colour_spaces(pdf)
    if worst[0] > limit + 0.5:
        raise PrinterRejects("L008", printer=printer, limit=limit, colour=worst[1], ink=worst[0], where=worst[2])
    return worst[0]


def _stream(data: bytes, seen, where: str) -> bytes:
    out, spaces = [], {"fill": 3, "stroke": 3}
    stack = []
    for operands, op in _parse(data):
        name = str(op)
        stroke = name.isupper()
        side = "stroke" if stroke else "fill"
        values = [float(x) for x in operands] if name in ("rg", "RG", "k", "K", "g", "G", "sc", "scn", "SC", "SCN") \
            else None
        if name == "q":
            stack.append(dict(spaces))
        elif name == "Q" and stack:
            spaces = stack.pop()
        if name in ("rg", "RG") or name in ("sc", "scn", "SC", "SCN") and spaces[side] == 3:
            cmyk = cmyk_of(*values)
            seen(ink_of(cmyk), _hex(values) + " " + _plates(cmyk), where)
            out.append(pikepdf.ContentStreamInstruction(list(cmyk), pikepdf.Operator("K" if stroke else "k")))
            continue
        if name in ("k", "K") or name in ("sc", "scn", "SC", "SCN") and spaces[side] == 4:
            seen(ink_of(values), _plates(values), where)
        elif name in ("g", "G") or name in ("sc", "scn", "SC", "SCN") and spaces[side] == 1:
            seen(round((1 - values[0]) * 100, 2), f"gray {values[0]:g}", where)
        elif name in ("cs", "CS"):
            space = str(operands[0])
            if space in ("/DeviceRGB", "/CalRGB"):
                spaces[side] = 3
                out.append(pikepdf.ContentStreamInstruction([Name.DeviceCMYK], pikepdf.Operator(name)))
                continue
            if space not in ("/DeviceCMYK", "/DeviceGray", "/CalGray"):
                raise InkError(f"colour space {space} cannot be printed in CMYK yet")
            spaces[side] = 4 if space == "/DeviceCMYK" else 1
        elif name in ("sh", "BI", "INLINE IMAGE"):
            raise InkError(f"operator {name} (a shading or an inline image) cannot be printed in CMYK yet")
        out.append(pikepdf.ContentStreamInstruction(operands, op))
    return pikepdf.unparse_content_stream(out)


def _hex(rgb) -> str:
    return "#" + "".join(f"{round(v * 255):02x}" for v in rgb)


def _plates(cmyk) -> str:
    return "(" + " ".join(f"{p} {round(v * 100)}" for p, v in zip("CMYK", cmyk)) + ")"


# -- images -----------------------------------------------------------------

def cmyk_image(image: pikepdf.Stream) -> float:
    """An image XObject in DeviceCMYK (RGB) or DeviceGray (gray), 8 bits,
    Flate, laid on white if it has an alpha channel; -> its largest total ink."""
    if image.get("/ImageMask") is True:
        return 100.0
    picture = pikepdf.PdfImage(image).as_pil_image()
    gray = picture.mode in ("1", "L", "LA") or image.get("/ColorSpace") == Name.DeviceGray
    picture = picture.convert("L" if gray else "RGB")
    if "/SMask" in image:
        picture = on_white(picture, image.SMask)
        del image["/SMask"]
    if gray:
        space, ink = Name.DeviceGray, (255 - picture.getextrema()[0]) / 255 * 100
    else:
        picture = picture.filter(ImageFilter.Color3DLUT.generate(
            LUT_SIZE, lambda r, g, b: cmyk_of(r, g, b), channels=4, target_mode="CMYK"))
        c, m, y, k = (band.convert("I") for band in picture.split())
        total = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"] + a["k"], c=c, m=m, y=y, k=k)
        space, ink = Name.DeviceCMYK, total.getextrema()[1] / 255 * 100
    image.write(zlib.compress(picture.tobytes(), 6), filter=Name.FlateDecode)
    image.ColorSpace = space
    image.BitsPerComponent = 8
    for key in ("/DecodeParms", "/Decode", "/Intent"):
        if key in image:
            del image[key]
    return round(ink, 2)



def _parse(data: bytes) -> list:
    """The instructions of a content stream (its scratch PDF alive while it is parsed)."""
    scratch = pikepdf.new()
    return list(pikepdf.parse_content_stream(pikepdf.Stream(scratch, data)))
