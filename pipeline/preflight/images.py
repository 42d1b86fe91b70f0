"""Images at the size they are printed: their resolution, as poppler reads it.

Before: the PDF.
After: for every placed image, its pixels per inch at the size it is drawn
(`pdfimages -list`, x-ppi and y-ppi, the lower of the two): below 150 ppi
an error (a picture that prints visibly coarse), below 300 a warning (the
resolution printers ask for). Image masks are left out: they are line art.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from pipeline.preflight import Finding, passed, problem

LEAST, WANTED = 150, 300


def check(pdf: Path) -> list[Finding]:
    placed = list(_placed(pdf))
    found = [problem("image resolution", "C039" if ppi < LEAST else "C040", page, ppi=ppi, pixels=pixels,
                     least=LEAST, wanted=WANTED)
             for page, ppi, pixels in placed if ppi < WANTED]
    if found:
        return found
    least = min((ppi for _, ppi, _ in placed), default=None)
    return [passed("image resolution", f"{len(placed)} images, the least {least} ppi as placed" if placed
                   else "no image")]


def _placed(pdf: Path):
    """(page, ppi as placed, "width × height") of each image drawn."""
    out = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines()[2:]:
        cols = line.split()
        if len(cols) >= 14 and cols[2] == "image":
            yield int(cols[0]), min(int(cols[12]), int(cols[13])), f"{cols[3]} × {cols[4]} px"
