"""Separations: which printing plates a page puts ink on, as a RIP would.

Before: a PDF and the pages to sample.
After: per page, the process plates (Cyan, Magenta, Yellow, Black) that
carry ink inside the page's TrimBox. Ghostscript's `tiffsep` device
writes one grayscale image per plate (white: no ink). Printer's marks
stand in the bleed, outside the TrimBox, and print on every plate by
design (registration), so they are left out.

Ghostscript does with DeviceGray what a press does: the Black plate alone
(its `-dDeviceGrayToK`, on by default); an RGB black it separates into
four inks, as a RIP would.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import pikepdf
from PIL import Image

PLATES = ("Cyan", "Magenta", "Yellow", "Black")
DPI = 36


def inked_plates(pdf: Path, pages: list[int], dpi: int = DPI) -> dict[int, set[str]]:
    """1-based page -> the plates with ink inside its TrimBox. One Ghostscript
    run for all the pages (it numbers its outputs 1, 2, ... in list order)."""
    pages = sorted(set(pages))
    with pikepdf.open(pdf) as doc:
        boxes = {n: _box(doc.pages[n - 1]) for n in pages}
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=tiffsep", f"-r{dpi}",
                        f"-sPageList={','.join(map(str, pages))}", f"-sOutputFile={tmp}/p%d.tif", str(pdf)],
                       check=True, capture_output=True)
        return {number: {plate for plate in PLATES
                         if _inked(Path(tmp) / f"p{i}({plate}).tif", boxes[number], dpi)}
                for i, number in enumerate(pages, 1)}


def _box(page) -> tuple[float, float, float, float]:
    """The TrimBox (else the MediaBox) within the MediaBox, from its top
    left corner, in points: (left, top, right, bottom)."""
    media = [float(v) for v in page.MediaBox]
    trim = [float(v) for v in page.get("/TrimBox", page.MediaBox)]
    return (trim[0] - media[0], media[3] - trim[3], trim[2] - media[0], media[3] - trim[1])


def _inked(tiff: Path, box, dpi: int) -> bool:
    left, top, right, bottom = (v * dpi / 72 for v in box)
    with Image.open(tiff) as plate:   # 8-bit gray, 255 = no ink
        inner = plate.crop((round(left) + 1, round(top) + 1, round(right) - 1, round(bottom) - 1))
        return inner.getextrema()[0] < 255
