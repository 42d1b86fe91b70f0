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
white 1; a Lab colour (CSS `lab()`, `lch()`, `oklab()`) is taken to sRGB
first. Gradients are turned gray with the rest (spaces.py): the tiling
patterns WeasyPrint draws them in are walked as forms are, their shadings
sampled again in gray; a soft mask's drawing too (its luminosity is what
it masks with, the same in gray). What cannot be turned gray faithfully
(a mesh gradient, a colour in a space we do not know) stops with
`InkError`, naming the page and what to change.
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
from pipeline.render.pdf.spaces import CMYK, GRAY, PATTERN, RGB, UNCOLOURED, InkError, Space, lab_to_rgb, \
    recolour_shading, space_of
from pipeline.transparency import transparent

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


def gray_of(r: float, g: float, b: float) -> float:
    if r == g == b:
        return r
    return round(sum(w * c for w, c in zip(RGB_WEIGHTS, (r, g, b))), 4)


def gray_pdf(data: bytes, flatten: bool = False) -> bytes:
    """A PDF's bytes -> the same PDF in gray (`to_gray`), saved with a
    fixed /ID so that the same PDF gives the same bytes (the merge sets
    the book's own)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        try:
            to_gray(pdf, flatten)
        except InkError as exc:
            from pipeline.render.pdf.unprintable import unprintable   # see there: units.py imports this module

            raise unprintable(exc, "gray") from None
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
                                                   Name.DeviceGray, gray_colour))
        except InkError as exc:
            exc.page = drawn_on(pdf, exc, number)
            raise
    drop_colour_spaces(pdf)   # only now: forms may share resources


@dataclass(frozen=True)
class Recolour:
    """How `recolour` changes what a page draws: each content stream
    (`stream(data, resources)` -> new bytes), each image (in place), and the
    colour space transparency groups blend in (else an RGB blend of the new
    colours separates into inks they do not hold); `colour(space, values)`:
    a colour in the new space (a gradient's, sampled again)."""
    stream: Callable
    image: Callable
    group: Name
    colour: Callable


def recolour(pdf: pikepdf.Pdf, holder, done: set, how: Recolour, opaque: bool = True) -> None:
    """`holder` (a page, a form, a tiling pattern), then every form, pattern,
    shading, soft mask and image it draws, each once. `opaque`: nothing
    transparent is in force where `holder` is drawn."""
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
    opaque = opaque and _opaque(resources)
    for kind in ("/Shading", "/Pattern", "/ExtGState", "/XObject"):
        for name, thing in resources.get(kind, {}).items():
            try:
                _recolour_one(pdf, kind, thing, done, how, opaque)
            except InkError as exc:
                exc.resource = name        # the page's own name for it last: where it is drawn (to_gray)
                raise


def _recolour_one(pdf: pikepdf.Pdf, kind: str, thing, done: set, how: Recolour, opaque: bool) -> None:
    if kind == "/Shading":
        _shading(pdf, thing, done, how)
    elif kind == "/Pattern" and thing.get("/PatternType") == 2:
        _shading(pdf, thing.Shading, done, how)
    elif kind == "/Pattern":
        if thing.get("/PaintType") != 1:
            raise InkError(UNCOLOURED)
        recolour(pdf, thing, done, how, opaque)       # a coloured tiling pattern draws as a form does
    elif kind == "/ExtGState":
        mask = thing.get("/SMask")
        if isinstance(mask, pikepdf.Dictionary) and "/G" in mask:
            recolour(pdf, mask.G, done, GRAY_MASK, False)
    elif thing.get("/Subtype") == Name.Form:
        _drop_idle_group(thing, opaque)
        recolour(pdf, thing, done, how, opaque)
    elif thing.get("/Subtype") == Name.Image and thing.objgen not in done:
        done.add(thing.objgen)
        how.image(thing)


def drawn_on(pdf: pikepdf.Pdf, exc: InkError, walked: int) -> int:
    """The page whose content draws the resource `exc` arose in (pages
    may share their resources: the page walked is not always the one),
    else `walked`."""
    name = getattr(exc, "resource", None)
    if name is None:
        return walked
    used = re.compile(re.escape(str(name).encode()) + rb"\s*(?:Do|scn|SCN|sh|gs)" + END)
    return next((n for n, page in enumerate(pdf.pages, 1)
                 if any(used.search(s.read_bytes()) for s in content_streams(page.obj))), walked)


def _opaque(resources) -> bool:
    """No graphics state in `resources` sets an opacity, a soft mask or a blend mode."""
    return all(transparent(state) is None for state in resources.get("/ExtGState", {}).values())


def _drop_idle_group(form, opaque: bool) -> None:
    """The transparency group of a form drawn where nothing is transparent,
    holding nothing transparent itself, not knockout (WeasyPrint puts one
    around every gradient): it changes nothing on the page, yet a RIP
    blends the group in its own space and converts the result, so that a
    gray gradient lands on four plates (Ghostscript's tiffsep does), and
    PDF/X-1a allows no group at all."""
    group = form.get("/Group")
    if group is None or group.get("/S") != Name.Transparency or not opaque or group.get("/K") is True:
        return
    resources = form.get("/Resources")
    if resources is None or _opaque(resources):
        del form["/Group"]


def _shading(pdf: pikepdf.Pdf, shading, done: set, how: Recolour) -> None:
    if shading.objgen == (0, 0) or shading.objgen not in done:
        done.add(shading.objgen)
        recolour_shading(pdf, shading, how.colour, how.group)


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
    for pattern in resources.get("/Pattern", {}).values():
        if pattern.get("/PatternType") == 1:
            _drop_colour_spaces(pattern, seen)
    for state in resources.get("/ExtGState", {}).values():
        mask = state.get("/SMask")
        if isinstance(mask, pikepdf.Dictionary) and "/G" in mask:
            _drop_colour_spaces(mask.G, seen)


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
    named = resources.get("/ColorSpace", {}) if resources is not None else {}
    out, state, stack = [], {"fill": RGB, "stroke": RGB}, []
    scratch = pikepdf.new()     # alive while the stream is parsed
    for operands, op in pikepdf.parse_content_stream(pikepdf.Stream(scratch, data)):
        name = str(op)
        if name == "q":
            stack.append(dict(state))
        elif name == "Q" and stack:
            state = stack.pop()
        out.append(_gray_instruction(name, list(operands), state, named))
    return pikepdf.unparse_content_stream(out)


def _gray_instruction(name: str, operands: list, state: dict, named) -> pikepdf.ContentStreamInstruction:
    stroke = name.isupper() or name in ("SC", "SCN")
    side = "stroke" if stroke else "fill"
    device = {"rg": RGB, "k": CMYK}.get(name.lower())
    if device is not None:
        return _gray_op(gray_colour(device, [float(x) for x in operands])[0], stroke)
    if name in ("cs", "CS"):
        state[side] = space_of(operands[0], named)
        if state[side] == PATTERN:       # `/Pattern cs /p0 scn`: the pattern's own drawing is made gray
            return pikepdf.ContentStreamInstruction(operands, pikepdf.Operator(name))
        return pikepdf.ContentStreamInstruction([Name.DeviceGray], pikepdf.Operator(name))
    if name in ("sc", "scn", "SC", "SCN") and state[side] != PATTERN:
        return _gray_op(gray_colour(state[side], [float(x) for x in operands])[0], stroke)
    if name in ("BI", "INLINE IMAGE"):
        raise InkError("an inline image; place the picture as a file")
    return pikepdf.ContentStreamInstruction(operands, pikepdf.Operator(name))   # `sh`: its shading made gray


def _gray_op(value: float, stroke: bool) -> pikepdf.ContentStreamInstruction:
    return pikepdf.ContentStreamInstruction([value], pikepdf.Operator("G" if stroke else "g"))


def _gray_of_cmyk(c: float, m: float, y: float, k: float) -> float:
    return gray_of(*((1 - min(1.0, x + k)) for x in (c, m, y)))


def gray_colour(space: Space, values: list[float]) -> tuple[float]:
    """A colour of `space` in gray."""
    if space == GRAY:
        return (values[0],)
    if space == RGB:
        return (gray_of(*values),)
    if space == CMYK:
        return (_gray_of_cmyk(*values),)
    return (gray_of(*lab_to_rgb(values, space.white)),)


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


# A soft mask's drawing, in gray whatever the file's colours: its luminosity is what it masks with.
GRAY_MASK = Recolour(_gray_stream, lambda image: gray_image(image), Name.DeviceGray, gray_colour)
