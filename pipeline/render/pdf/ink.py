"""The printer's ink: a black-and-white interior drawn in gray alone.

Before: a merged PDF as WeasyPrint draws it: DeviceRGB fills and strokes
(`0 0 0 rg` for every run of text), RGB, gray or indexed images, Lab
colour spaces declared in every page's resources, in page content and in
nested forms.
After (`to_gray`, `gray_pdf` for a unit's bytes): the same drawing with every colour in DeviceGray (`g`,
`G`, gray images), so that on press the interior prints on the Black plate
alone and black text is 100 % K, as printers' guides for black-and-white
interiors ask (an RGB or ICC black is separated into four inks, or prints
light). Only the printer's file is converted: the proof PDF and the EPUB
keep their RGB.

A colour becomes its luminance (Rec. 601 weights: what a grayscale
conversion in print software gives), so pure black stays exactly 0 and
white 1. What cannot be turned gray faithfully (shadings, patterns,
colours in a space we do not know) stops with `InkError`, naming the page.
"""

from __future__ import annotations

import io
import re
import zlib
from dataclasses import dataclass
from typing import Callable

import pikepdf
from pikepdf import Name

from pipeline.pdfparts import content_streams

RGB_WEIGHTS = (0.299, 0.587, 0.114)
NUMBER = rb"[-+]?(?:\d+\.?\d*|\.\d+)"
END = rb"(?=[\s\[<(/]|\Z)"                 # an operator ends at whitespace or a delimiter
RGB_OP = re.compile(rb"\s(rg|RG)" + END)
RGB_OPERANDS = re.compile(rb"(?:^|\s)(" + NUMBER + rb")\s+(" + NUMBER + rb")\s+(" + NUMBER + rb")\Z")
# Operators that send a stream to the full parser: colour spaces, other
# colour models, shadings, inline images (each anchored on the whitespace
# before it: a pattern tried at every byte is 100 times slower). Literal
# strings, which could hold text that looks like an operator, too.
NEEDS_PARSER = re.compile(rb"\s(?:cs|CS|scn?|SCN?|[kK]|sh|BI)" + END)


class InkError(Exception):
    """Something in the interior cannot be printed in gray as it is."""


def gray_of(r: float, g: float, b: float) -> float:
    if r == g == b:
        return r
    return round(sum(w * c for w, c in zip(RGB_WEIGHTS, (r, g, b))), 4)


def gray_pdf(data: bytes, flatten: bool = False) -> bytes:
    """A PDF's bytes -> the same PDF in gray (`to_gray`), saved with a
    fixed /ID so that the same PDF gives the same bytes (the merge sets
    the book's own)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        to_gray(pdf, flatten)
        out = io.BytesIO()
        pdf.save(out, static_id=True, fix_metadata_version=False,
                 object_stream_mode=pikepdf.ObjectStreamMode.preserve)
        return out.getvalue()


def to_gray(pdf: pikepdf.Pdf, flatten: bool = False) -> None:
    """Every page of `pdf`, its forms and images, in DeviceGray (in place);
    with `flatten` (PDF/X-1a: no transparency) images with an alpha
    channel laid on white, their soft mask dropped."""
    done: set[tuple[int, int]] = set()
    for number, page in enumerate(pdf.pages, 1):
        try:
            recolour(pdf, page.obj, done, Recolour(_gray_stream, lambda image: gray_image(image, flatten),
                                                   Name.DeviceGray, "gray"))
        except InkError as exc:
            raise InkError(f"page {number}: {exc}") from None
    drop_colour_spaces(pdf)   # only now: forms may share resources


@dataclass(frozen=True)
class Recolour:
    """How `recolour` changes what a page draws: each content stream
    (`stream(data, resources)` -> new bytes), each image (in place), and the
    colour space transparency groups blend in (else an RGB blend of the new
    colours separates into inks they do not hold)."""
    stream: Callable
    image: Callable
    group: Name
    into: str            # for messages: "gray", "CMYK"


def recolour(pdf: pikepdf.Pdf, holder, done: set, how: Recolour) -> None:
    """`holder` (a page or a form), then every form and image it draws, each once."""
    if holder.objgen != (0, 0):
        if holder.objgen in done:
            return
        done.add(holder.objgen)
    group = holder.get("/Group")
    if group is not None and "/CS" in group:
        group.CS = how.group
    resources = holder.get("/Resources")
    rewrite(pdf, holder, lambda data: how.stream(data, resources))
    if resources is None:
        return
    for key in ("/Pattern", "/Shading"):
        if len(resources.get(key, {})):
            raise InkError(f"a {key[1:].lower()} (gradient or tiling) cannot be printed in {how.into} yet")
    for xobject in resources.get("/XObject", {}).values():
        if xobject.get("/Subtype") == Name.Form:
            recolour(pdf, xobject, done, how)
        elif xobject.get("/Subtype") == Name.Image and xobject.objgen not in done:
            done.add(xobject.objgen)
            how.image(xobject)


def rewrite(pdf: pikepdf.Pdf, holder, change) -> None:
    """A form's content stream, or a page's /Contents (one stream or
    several read as one, written back as one), through `change(bytes)`."""
    if isinstance(holder, pikepdf.Stream):
        holder.write(change(holder.read_bytes()))
    else:
        data = b"\n".join(s.read_bytes() for s in content_streams(holder))
        holder.Contents = pdf.make_stream(change(data))


def drop_colour_spaces(pdf: pikepdf.Pdf) -> None:
    """The named colour spaces (Lab, ICC) no stream uses once its colours
    are rewritten, on every page and form: a preflight lists what resources
    declare, used or not."""
    seen: set = set()
    for page in pdf.pages:
        _drop_colour_spaces(page.obj, seen)


def _drop_colour_spaces(holder, seen: set) -> None:
    resources = holder.get("/Resources")
    if resources is None or resources.objgen in seen and resources.objgen != (0, 0):
        return
    seen.add(resources.objgen)
    if "/ColorSpace" in resources:
        del resources["/ColorSpace"]
    for xobject in resources.get("/XObject", {}).values():
        if xobject.get("/Subtype") == Name.Form:
            _drop_colour_spaces(xobject, seen)


# -- content streams --------------------------------------------------------

def _gray_stream(data: bytes, resources) -> bytes:
    if b"(" in data or NEEDS_PARSER.search(b" " + data):
        return _gray_parsed(data, resources)
    return _gray_rgb(b" " + data)[1:]


def _gray_rgb(data: bytes) -> bytes:
    """Each `r g b rg` (`RG`) as `gray g` (`G`). The operator is found
    first and its operands read back from there: a pattern that starts at
    every number of the stream is 40 times slower."""
    out, last = [], 0
    for match in RGB_OP.finditer(data):
        window = max(last, match.start() - 96)
        operands = RGB_OPERANDS.search(data, window, match.start())
        if operands is None:
            raise InkError(f"an {match.group(1).decode()} operator without three numbers before it")
        out += [data[last:operands.start(1)], _gray_operator(operands, match.group(1))]
        last = match.end()
    return b"".join(out) + data[last:]


def _gray_operator(operands: re.Match, op: bytes) -> bytes:
    value = gray_of(*(float(operands.group(i)) for i in (1, 2, 3)))
    return _number(value) + (b" g" if op == b"rg" else b" G")


def _number(value: float) -> bytes:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return (text or "0").encode()


def _gray_parsed(data: bytes, resources) -> bytes:
    """The slow, exact way: parse, rewrite each colour operator, unparse."""
    spaces = resources.get("/ColorSpace", {}) if resources is not None else {}
    out, state, stack = [], {"fill": 3, "stroke": 3}, []
    for operands, op in pikepdf.parse_content_stream(pikepdf.Stream(pikepdf.new(), data)):
        name = str(op)
        if name == "q":
            stack.append(dict(state))
        elif name == "Q" and stack:
            state = stack.pop()
        out.append(_gray_instruction(name, list(operands), state, spaces))
    return pikepdf.unparse_content_stream(out)


def _gray_instruction(name: str, operands: list, state: dict, spaces) -> pikepdf.ContentStreamInstruction:
    stroke = name.isupper() or name in ("SC", "SCN")
    side = "stroke" if stroke else "fill"
    if name in ("rg", "RG"):
        return _gray_op(gray_of(*map(float, operands)), stroke)
    if name in ("k", "K"):
        return _gray_op(_gray_of_cmyk(*map(float, operands)), stroke)
    if name in ("cs", "CS"):
        state[side] = _components(operands[0], spaces)
        return pikepdf.ContentStreamInstruction([Name.DeviceGray], pikepdf.Operator(name))
    if name in ("sc", "scn", "SC", "SCN"):
        return _gray_op(_gray_of_components([float(x) for x in operands], state[side]), stroke)
    if name in ("sh", "BI", "INLINE IMAGE"):
        raise InkError(f"operator {name} (a shading or an inline image) cannot be printed in gray yet")
    return pikepdf.ContentStreamInstruction(operands, pikepdf.Operator(name))


def _gray_op(value: float, stroke: bool) -> pikepdf.ContentStreamInstruction:
    return pikepdf.ContentStreamInstruction([value], pikepdf.Operator("G" if stroke else "g"))


def _gray_of_cmyk(c: float, m: float, y: float, k: float) -> float:
    return gray_of(*((1 - min(1.0, x + k)) for x in (c, m, y)))


def _components(space, spaces) -> int:
    """How many numbers a colour in `space` takes: 1 gray, 3 RGB, 4 CMYK."""
    device = {"/DeviceGray": 1, "/DeviceRGB": 3, "/DeviceCMYK": 4, "/CalRGB": 3, "/CalGray": 1}
    if str(space) in device:
        return device[str(space)]
    found = spaces.get(space) if spaces is not None else None
    if isinstance(found, pikepdf.Array) and str(found[0]) == "/ICCBased":
        return int(found[1].N)
    if isinstance(found, pikepdf.Array) and str(found[0]) in device:
        return device[str(found[0])]
    raise InkError(f"colour space {space} ({str(found)[:40]}) cannot be printed in gray yet")


def _gray_of_components(values: list[float], components: int) -> float:
    if components == 1:
        return values[0]
    if components == 3:
        return gray_of(*values)
    return _gray_of_cmyk(*values)


# -- images -----------------------------------------------------------------

def gray_image(image: pikepdf.Stream, flatten: bool = False) -> None:
    """An image XObject in DeviceGray, 8 bits, Flate; its soft mask kept,
    or with `flatten` the image laid on white (the paper) through it."""
    alpha = flatten and "/SMask" in image
    if image.get("/ImageMask") is True or image.get("/ColorSpace") == Name.DeviceGray and not alpha:
        return
    picture = pikepdf.PdfImage(image).as_pil_image().convert("L")
    if alpha:
        picture = on_white(picture, image.SMask)
        del image["/SMask"]
    raw = picture.tobytes()
    image.write(zlib.compress(raw, 6), filter=Name.FlateDecode)
    image.ColorSpace = Name.DeviceGray
    image.BitsPerComponent = 8
    for key in ("/DecodeParms", "/Decode", "/Intent"):
        if key in image:
            del image[key]



def on_white(picture, smask: pikepdf.Stream):
    """`picture` (a PIL image) seen through its soft mask over white paper."""
    from PIL import Image

    mask = pikepdf.PdfImage(smask).as_pil_image().convert("L")
    if mask.size != picture.size:
        mask = mask.resize(picture.size, Image.Resampling.BILINEAR)
    return Image.composite(picture, Image.new(picture.mode, picture.size, "white"), mask)
