"""The book's images as the EPUB carries them: no larger than a screen needs.

Before: a vetted image file of the manuscript (the print keeps it whole:
its pixels are its resolution on paper).
After: its bytes for the EPUB: a raster image whose longer side exceeds
MAX_SIDE pixels scaled down to it (Lanczos) and written again compressed
(PNG optimised, JPEG at quality 85, no metadata), deterministically;
any other image as it is.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

MAX_SIDE = 2048          # px: past a tablet's screen; reading systems scale down the rest
JPEG_QUALITY = 85
FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG"}


def for_epub(path: Path, media_type: str) -> bytes:
    data = path.read_bytes()
    if media_type not in FORMATS:
        return data
    with Image.open(io.BytesIO(data)) as img:
        if max(img.size) <= MAX_SIDE:
            return data
        scale = MAX_SIDE / max(img.size)
        size = (max(1, round(img.width * scale)), max(1, round(img.height * scale)))
        small = img.resize(size, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if FORMATS[media_type] == "JPEG":
        small.convert("RGB").save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=False)
    else:
        small.save(out, "PNG", optimize=True)
    return out.getvalue()
