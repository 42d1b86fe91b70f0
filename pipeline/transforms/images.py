"""Collect the images a file shows, for the resolve stage to vet and place.

Before: Image [alt…] ("figs/plate.jpg", "")
After:  ImageRef("figs/plate.jpg", alt="…", line=12) — nothing changes in the AST.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.read import Source
from pipeline.text.ast import stringify, visit

IMAGE = frozenset(("Image",))


@dataclass(frozen=True)
class ImageRef:
    src: str
    alt: str
    line: int


def collect(source: Source) -> tuple[ImageRef, ...]:
    found: list[ImageRef] = []

    def image(elem):
        if elem["t"] == "Image":
            _, inlines, (src, _title) = elem["c"]
            found.append(ImageRef(src, stringify(inlines), source.line_of(src, 1)))

    visit(source.blocks, image, only=IMAGE)
    return tuple(found)
