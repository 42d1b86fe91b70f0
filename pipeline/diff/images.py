"""Page images: two renderings -> changed regions, highlighted copies, PNG bytes.

Regions are found on a thresholded ImageChops difference: rows that differ
are grouped into bands (a changed line of text, a moved paragraph), and each
band is cut to the columns that differ. Bands rather than single pixels
because a proofreader looks for lines, not glyphs.
"""

from __future__ import annotations

import io

from PIL import Image, ImageChops, ImageDraw

THRESHOLD = 48      # grey levels: anti-aliasing noise stays below this
GAP = 3             # rows: bands closer than this are one region
HIGHLIGHT = (230, 40, 40)


def same_size(a: Image.Image, b: Image.Image) -> tuple[Image.Image, Image.Image]:
    """Pad the smaller image with white so both can be compared pixel by pixel."""
    size = (max(a.width, b.width), max(a.height, b.height))
    return _pad(a, size), _pad(b, size)


def _pad(img: Image.Image, size) -> Image.Image:
    if img.size == size:
        return img
    canvas = Image.new("L", size, 255)
    canvas.paste(img, (0, 0))
    return canvas


def changed_boxes(a: Image.Image | None, b: Image.Image | None) -> list[tuple[int, int, int, int]]:
    """Two greyscale images (one may be missing: a page added or removed) ->
    boxes (left, top, right, bottom) around the regions that differ."""
    if a is None or b is None:
        only = a or b
        return _boxes(ImageChops.invert(only))
    a, b = same_size(a, b)
    return _boxes(ImageChops.difference(a, b))


def _boxes(diff: Image.Image) -> list[tuple[int, int, int, int]]:
    mask = diff.point(lambda v: 255 if v > THRESHOLD else 0)
    # Each row's mean, as a float: as a grey byte, one changed pixel in a row
    # a few hundred pixels wide rounds down to 0 and the change goes unseen.
    rows = mask.convert("F").resize((1, mask.height), Image.Resampling.BOX).get_flattened_data()
    return [box for top, bottom in _bands(rows) if (box := _band_box(mask, top, bottom))]


def _bands(rows: tuple[float, ...]) -> list[tuple[int, int]]:
    """Row profile (0: nothing changed in that row) -> (top, bottom) runs of
    changed rows, small gaps bridged."""
    bands: list[list[int]] = []
    for y, value in enumerate(rows):
        if not value:
            continue
        if bands and y - bands[-1][1] <= GAP:
            bands[-1][1] = y + 1
        else:
            bands.append([y, y + 1])
    return [tuple(b) for b in bands]


def _band_box(mask: Image.Image, top: int, bottom: int):
    box = mask.crop((0, top, mask.width, bottom)).getbbox()
    return (box[0], top, box[2], bottom) if box else None


def highlight(img: Image.Image, boxes) -> Image.Image:
    """A colour copy of the page with each box tinted and outlined."""
    base = img.convert("RGB")
    overlay = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for left, top, right, bottom in boxes:
        draw.rectangle((left - 2, top - 1, right + 1, bottom), fill=HIGHLIGHT + (60,), outline=HIGHLIGHT + (220,))
    return Image.alpha_composite(base.convert("RGBA"), overlay).convert("RGB")


def png(img: Image.Image) -> bytes:
    """PNG bytes, palette-reduced: page images are mostly grey text on white."""
    out = io.BytesIO()
    img.quantize(colors=64).save(out, format="PNG", optimize=True)
    return out.getvalue()
