"""Separations: which printing plates a page puts ink on, and how much, as a RIP would.

Before: a PDF and the pages to sample.
After: per page, the process plates (Cyan, Magenta, Yellow, Black) that
carry ink inside the page's TrimBox, and the largest total area coverage
there (C + M + Y + K at one spot, per cent). Ghostscript's `tiffsep`
device writes one grayscale image per plate (white: no ink), without
anti-aliasing, so each spot holds the ink of what is drawn there.
Printer's marks stand in the bleed, outside the TrimBox, and print on
every plate by design (registration), so they are left out.

Ghostscript does with DeviceGray what a press does: the Black plate alone
(its `-dDeviceGrayToK`, on by default); an RGB black it separates into
four inks, as a RIP would. At 36 dpi a spot is 0.7 mm: a hairline can
fall between spots, an area of ink cannot.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from PIL import Image, ImageMath

PLATES = ("Cyan", "Magenta", "Yellow", "Black")
DPI = 36


@dataclass(frozen=True)
class Separation:
    plates: frozenset[str]      # the plates with ink inside the TrimBox
    ink: float                  # the largest total area coverage there, per cent


def separate(pdf: Path, pages: list[int], dpi: int = DPI) -> dict[int, Separation]:
    """1-based page -> its Separation. One Ghostscript run for all the pages
    (it numbers its outputs 1, 2, ... in list order)."""
    pages = sorted(set(pages))
    with pikepdf.open(pdf) as doc:
        boxes = {n: _box(doc.pages[n - 1]) for n in pages}
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=tiffsep", f"-r{dpi}",
                        f"-sPageList={','.join(map(str, pages))}", f"-sOutputFile={tmp}/p%d.tif", str(pdf)],
                       check=True, capture_output=True)
        return {number: _separation([Path(tmp) / f"p{i}({plate}).tif" for plate in PLATES], boxes[number], dpi)
                for i, number in enumerate(pages, 1)}


def inked_plates(pdf: Path, pages: list[int], dpi: int = DPI) -> dict[int, set[str]]:
    """1-based page -> the plates with ink inside its TrimBox."""
    return {n: set(s.plates) for n, s in separate(pdf, pages, dpi).items()}


def _box(page) -> tuple[float, float, float, float]:
    """The TrimBox (else the MediaBox) within the MediaBox, from its top
    left corner, in points: (left, top, right, bottom)."""
    media = [float(v) for v in page.MediaBox]
    trim = [float(v) for v in page.get("/TrimBox", page.MediaBox)]
    return (trim[0] - media[0], media[3] - trim[3], trim[2] - media[0], media[3] - trim[1])


def _separation(tiffs: list[Path], box, dpi: int) -> Separation:
    left, top, right, bottom = (v * dpi / 72 for v in box)
    inks = []
    for tiff in tiffs:
        with Image.open(tiff) as plate:   # 8-bit gray, 255 = no ink
            inner = plate.crop((round(left) + 1, round(top) + 1, round(right) - 1, round(bottom) - 1))
            inks.append(inner.point(lambda v: 255 - v).convert("I"))
    inked = frozenset(p for p, ink in zip(PLATES, inks) if ink.getextrema()[1] > 0)
    total = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"] + a["k"],
                                  c=inks[0], m=inks[1], y=inks[2], k=inks[3])
    return Separation(inked, round(total.getextrema()[1] / 255 * 100, 1))
