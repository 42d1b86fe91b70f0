"""Colour: what a page draws with, and which plates it inks.

Before: the PDF (and, with `--book`, the interior book.yaml promises).
After: findings: the pages that draw in RGB or CMYK (operators `rg`, `RG`,
`k`, `K`, colour spaces set by `cs`/`CS`) or place RGB or CMYK images, page
by page; and a separation proof of sampled pages (separations.py): for a
black-and-white interior ink on the Black plate alone (C026), for a
colour interior the plates seen and each page's largest total ink against
the printer's limit (C046). Ghostscript renders the pages sampled, not
all: 20 spread over the book, and for a colour interior up to 20 more
among those that place a CMYK picture or a gradient, where ink gathers.
"""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf

from pipeline.pdfparts import content_streams
from pipeline.preflight import Finding, passed, problem
from pipeline.preflight.separations import PLATES, separate

OPERATOR = re.compile(rb"\s(rg|RG|k|K)(?=[\s\[<(/]|\Z)")
SPACE_SET = re.compile(rb"(/[^\s/\[\]<>()]+)\s*(?:cs|CS)(?=[\s\[<(/]|\Z)")
PAINTED = re.compile(rb"(/[^\s/\[\]<>()]+)\s*(scn|SCN|sh)(?=[\s\[<(/]|\Z)")   # a pattern or a shading painted
DRAWN = re.compile(rb"(/[^\s/\[\]<>()]+)\s*Do(?=[\s\[<(/]|\Z)")                 # a form or an image drawn
GRAY_SPACES = {"/DeviceGray", "/CalGray", "/Indexed", "/Separation", "/Pattern"}
SAMPLES = 20          # pages spread over the book
COLOURED = 20         # a colour interior: more among the pages with pictures or gradients


def colour_pages(doc) -> dict[int, set[str]]:
    """1-based page -> what it draws with beyond gray ("rg", "k", "cs /DeviceCMYK",
    "image /DeviceRGB", "shading /DeviceRGB"...)."""
    found = {}
    for number, page in enumerate(doc.pages, 1):
        kinds: set[str] = set()
        _scan(page.obj, kinds, set())
        if kinds:
            found[number] = kinds
    return found


def _scan(holder, kinds: set, seen: set) -> None:
    resources = holder.get("/Resources")
    resources = resources if resources is not None else pikepdf.Dictionary()
    named = resources.get("/ColorSpace", {})
    drawn: set = set()
    for stream in content_streams(holder):
        data = b" " + stream.read_bytes()
        kinds.update(m.group(1).decode().lower() for m in OPERATOR.finditer(data))
        kinds.update(f"cs {_family(named.get(n, n))}" for n in _names(SPACE_SET, data)
                     if _family(named.get(n, n)) not in GRAY_SPACES)
        for name in _names(PAINTED, data):      # only what the content paints: pages may share resources
            _painted(resources, name, kinds, seen)
        drawn |= _names(DRAWN, data)
    xobjects = resources.get("/XObject", {})
    for xobject in (xobjects[name] for name in sorted(drawn, key=str) if name in xobjects):
        if xobject.objgen in seen:
            continue
        seen.add(xobject.objgen)
        if xobject.get("/Subtype") == "/Form":
            _scan(xobject, kinds, seen)
        elif xobject.get("/Subtype") == "/Image" and not xobject.get("/ImageMask", False):
            if _space(xobject) not in GRAY_SPACES:
                kinds.add(f"image {_space(xobject)}")


def _names(pattern: re.Pattern, data: bytes) -> set[pikepdf.Name]:
    return {pikepdf.Name(m.group(1).decode("latin-1")) for m in pattern.finditer(data)}


def _painted(resources, name: pikepdf.Name, kinds: set, seen: set) -> None:
    """A tiling pattern's drawing, scanned as a form's; a shading's colour space."""
    thing = resources.get("/Pattern", {}).get(name) or resources.get("/Shading", {}).get(name)
    if thing is None or thing.objgen in seen and thing.objgen != (0, 0):
        return
    seen.add(thing.objgen)
    if thing.get("/PatternType") == 1:
        _scan(thing, kinds, seen)
        return
    shading = thing.Shading if thing.get("/PatternType") == 2 else thing
    space = _family(shading.get("/ColorSpace"))
    if space not in GRAY_SPACES:
        kinds.add(f"shading {space}")


def _family(space) -> str:
    """A colour space's family: its name, or an array's first item."""
    return str(space[0]) if isinstance(space, pikepdf.Array) else str(space)


def _space(image) -> str:
    return _family(image.get("/ColorSpace"))


def check(doc, pdf: Path, gray: bool, cmyk: bool = False, ink_limit: int | None = None) -> list[Finding]:
    """`gray`: the file must print on the Black plate alone; `cmyk`: a
    colour interior for a printer, which must draw in gray and CMYK only,
    within `ink_limit` (per cent) of total ink."""
    pages = colour_pages(doc)
    if not pages:
        found = [passed("colour", f"all {len(doc.pages)} pages gray")]
    elif gray:
        found = [problem("colour", "C025", n, kinds=", ".join(sorted(k))) for n, k in pages.items()]
    elif cmyk and any(_not_cmyk(k) for k in pages.values()):
        found = [problem("colour", "C045", n, what=", ".join(sorted(_not_cmyk(k)))) for n, k in pages.items()
                 if _not_cmyk(k)]
    elif cmyk:
        found = [passed("colour", f"{len(pages)} pages draw in CMYK, none in RGB")]
    else:
        found = [passed("colour", f"{len(pages)} pages draw in colour (a proof, or a colour interior)")]
    if gray:
        return found + separations(pdf, len(doc.pages))
    if cmyk:
        pictured = [n for n, kinds in pages.items() if any(k.startswith(("image", "shading")) for k in kinds)]
        limit = ink_limit if ink_limit is not None else 400      # no printer named: all four inks at full
        return found + colour_separations(pdf, len(doc.pages), pictured, limit)
    return found


def _not_cmyk(kinds: set[str]) -> set[str]:
    """What a page draws with that is neither gray nor CMYK: RGB operators,
    RGB, Lab or ICC-based spaces set, shadings or images in them."""
    return {k for k in kinds if k == "rg" or k.startswith(("image", "cs", "shading"))
            and k.split()[-1] != "/DeviceCMYK"}


def spread(pages: list[int], count: int) -> list[int]:
    """`count` of `pages` (in order), evenly spread from the first to the last."""
    if len(pages) <= count:
        return list(pages)
    return sorted({pages[round(i * (len(pages) - 1) / (count - 1))] for i in range(count)})


def separations(pdf: Path, count: int) -> list[Finding]:
    """A black-and-white interior: the sampled pages ink the Black plate alone (C026)."""
    sample = spread(list(range(1, count + 1)), SAMPLES)
    plates = {n: s.plates for n, s in separate(pdf, sample).items()}
    wrong = {n: p - {"Black"} for n, p in plates.items() if p - {"Black"}}
    if wrong:
        return [problem("separations", "C026", n, plates=", ".join(sorted(p))) for n, p in wrong.items()]
    inked = sum(1 for p in plates.values() if p)
    return [passed("separations", f"{len(sample)} sampled pages ({inked} inked): Black plate only")]


def colour_separations(pdf: Path, count: int, pictured: list[int], limit: int) -> list[Finding]:
    """A colour interior: the plates the sampled pages ink, and each page's
    largest total ink within the printer's `limit` (C046)."""
    sample = sorted(set(spread(list(range(1, count + 1)), SAMPLES)) | set(spread(pictured, COLOURED)))
    found = separate(pdf, sample)
    seen = sorted(set().union(*(s.plates for s in found.values())), key=PLATES.index)
    plates = [passed("separations", f"{len(sample)} sampled pages ({len(pictured)} with pictures or gradients): "
                                    f"ink on {', '.join(seen) or 'no plate'}")]
    over = [problem("total ink", "C046", n, ink=s.ink, limit=limit) for n, s in found.items() if s.ink > limit + 0.5]
    worst = max(found, key=lambda n: found[n].ink)
    return plates + (over or [passed("total ink", f"at most {found[worst].ink:.0f} % (p. {worst}) on the "
                                                  f"{len(sample)} sampled pages; the printer's limit {limit} %")])
