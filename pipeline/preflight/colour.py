"""Colour: what a page draws with, and which plates it inks.

Before: the PDF (and, with `--book`, the interior book.yaml promises).
After: findings: the pages that draw in RGB or CMYK (operators `rg`, `RG`,
`k`, `K`, colour spaces set by `cs`/`CS`) or place RGB or CMYK images, page
by page; and for a black-and-white interior a separation proof of sampled
pages (separations.py): ink on the Black plate alone.
"""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf

from pipeline.preflight import ERROR, OK, Finding
from pipeline.preflight.separations import inked_plates

OPERATOR = re.compile(rb"\s(rg|RG|k|K|cs|CS)(?=[\s\[<(/]|\Z)")
GRAY_SPACES = {"/DeviceGray", "/CalGray", "/Indexed", "/Separation"}
SAMPLES = 20
SHOWN = 8


def colour_pages(doc) -> dict[int, set[str]]:
    """1-based page -> what it draws with beyond gray ("rg", "k", "cs", "image /DeviceRGB"...)."""
    found = {}
    for number, page in enumerate(doc.pages, 1):
        kinds: set[str] = set()
        _scan(page.obj, kinds, set())
        if kinds:
            found[number] = kinds
    return found


def _scan(holder, kinds: set, seen: set) -> None:
    for stream in _streams(holder):
        kinds.update(m.group(1).decode().lower() for m in OPERATOR.finditer(b" " + stream.read_bytes()))
    resources = holder.get("/Resources")
    for xobject in (resources.get("/XObject", {}) if resources is not None else {}).values():
        if xobject.objgen in seen:
            continue
        seen.add(xobject.objgen)
        if xobject.get("/Subtype") == "/Form":
            _scan(xobject, kinds, seen)
        elif xobject.get("/Subtype") == "/Image" and not xobject.get("/ImageMask", False):
            if _space(xobject) not in GRAY_SPACES:
                kinds.add(f"image {_space(xobject)}")


def _streams(holder) -> list:
    if isinstance(holder, pikepdf.Stream):   # a form
        return [holder]
    contents = holder.get("/Contents")   # a page: one stream or several
    if contents is None:
        return []
    return list(contents) if isinstance(contents, pikepdf.Array) else [contents]


def _space(image) -> str:
    space = image.get("/ColorSpace")
    return str(space[0]) if isinstance(space, pikepdf.Array) else str(space)


def check(doc, pdf: Path, gray: bool) -> list[Finding]:
    """`gray`: the file must print on the Black plate alone."""
    pages = colour_pages(doc)
    shown = "; ".join(f"p. {n}: {', '.join(sorted(k))}" for n, k in list(pages.items())[:SHOWN])
    more = f" (and {len(pages) - SHOWN} more pages)" if len(pages) > SHOWN else ""
    if not pages:
        found = [Finding("colour", OK, f"all {len(doc.pages)} pages gray")]
    else:
        found = [Finding("colour", ERROR if gray else OK,
                         f"{len(pages)} pages draw in colour" + (" (a black-and-white interior)" if gray else "")
                         + f": {shown}{more}")]
    if gray:
        found.append(separations(pdf, len(doc.pages)))
    return found


def separations(pdf: Path, count: int) -> Finding:
    sample = sorted({1 + round(i * (count - 1) / (SAMPLES - 1)) for i in range(SAMPLES)}) if count > 1 else [1]
    plates = inked_plates(pdf, sample)
    wrong = {n: p - {"Black"} for n, p in plates.items() if p - {"Black"}}
    if wrong:
        pages = "; ".join(f"p. {n}: {', '.join(sorted(p))}" for n, p in wrong.items())
        return Finding("separations", ERROR, f"ink beyond the Black plate on {len(wrong)} of {len(sample)} "
                                              f"sampled pages: {pages}")
    inked = sum(1 for p in plates.values() if p)
    return Finding("separations", OK, f"{len(sample)} sampled pages ({inked} inked): Black plate only")
