"""PDF/X-1a:2001 (ISO 15930-1), checked as a printer's preflight would, for
a file that claims it (Info GTS_PDFXConformance), as IngramSpark's do.

Before: an open PDF (pikepdf) that claims PDF/X-1a; for a cover, the
printer's total ink limit.
After: findings: PDF version 1.3 (no object or cross-reference streams);
GTS_PDFXVersion, GTS_PDFXConformance, Trapped, Title and dates in Info, an
/ID, no encryption; an OutputIntent /GTS_PDFX naming a registered
characterization or carrying a 4-channel (CMYK) profile; TrimBox and
BleedBox on every page, no ArtBox beside them; no LZW, JBIG2 or JPEG 2000
compression; no
transparency (an opacity below 1, a soft mask, a blend mode, a
transparency group); no RGB, Lab or ICC-based colour (operators,
colour-space resources, images); every font embedded and none an
OpenType program (PDF 1.3 has none); and for a cover the largest total
ink (C + M + Y + K) of every colour its content and images use.
"""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
from pikepdf import Name

from pipeline.pdfparts import content_streams
from pipeline.preflight import Finding, passed, problem
from pipeline.transparency import transparent

CONFORMANCE = "PDF/X-1a:2001"
VERSION = "PDF/X-1:2001"
FORBIDDEN_FILTERS = {"/LZWDecode", "/JBIG2Decode", "/JPXDecode"}
BANNED_SPACES = ("/DeviceRGB", "/CalRGB", "/Lab", "/ICCBased")
OPERATOR = re.compile(rb"\s(rg|RG)(?=[\s\[<(/]|\Z)")
SPACE_SET = re.compile(rb"(/[A-Za-z]+)\s*(?:cs|CS)(?=[\s\[<(/]|\Z)")
SHOWN = 6


def claims(doc) -> bool:
    """The file says it is PDF/X-1a (Info GTS_PDFXConformance or GTS_PDFXVersion)."""
    info = doc.trailer.get("/Info") or {}
    return str(info.get("/GTS_PDFXConformance", "")).startswith("PDF/X-1a") or \
        str(info.get("/GTS_PDFXVersion", "")).startswith("PDF/X-1")


def identification(doc, required: bool, ink_limit: int | None = None, wanted: bool = False,
                   path: Path | None = None) -> list[Finding]:
    """The PDF/X findings of a file: these for one that claims PDF/X-1a
    (with pdfx.py's metadata), else pdfx.py's; `wanted`: book.yaml's
    printer asks for PDF/X-1a, and a file that does not claim it is an error."""
    from pipeline.preflight import pdfx

    if not claims(doc):
        found = pdfx.check(doc, required=required, path=path)
        return ([problem("PDF/X-1a", "C027", path=path)] if wanted else []) + found
    return check(doc, ink_limit, path) + [f for f in pdfx.check(doc, required=False, path=path)
                                          if f.check == "metadata"]


def check(doc, ink_limit: int | None = None, path: Path | None = None) -> list[Finding]:
    """`ink_limit` (per cent): check the largest total ink against it (a cover);
    `path`: the file, when not the book's PDF (the cover)."""
    found = [_version(doc, path), _identification(doc, path), _intent(doc, path), _boxes(doc, path),
             _filters(doc, path)]
    walked = _walk(doc, measure=ink_limit is not None)
    for check_name, key, code, ok in (("transparency", "transparency", "C033", "none (PDF/X-1a)"),
                                      ("colour spaces", "colour", "C034", "DeviceGray and DeviceCMYK only"),
                                      ("font programs (PDF 1.3)", "fonts", "C035", "all embedded, none OpenType")):
        found.append(problem(check_name, code, path=path, what=_list(walked[key])) if walked[key]
                     else passed(check_name, ok))
    if ink_limit is not None:
        ink, where = walked["ink"]
        found.append(problem("total ink", "C036", path=path, ink=ink, where=where, limit=ink_limit)
                     if ink > ink_limit + 0.5 else
                     passed("total ink", f"at most {ink:.0f} % ({where}); the printer's limit {ink_limit} %"))
    return found


def _list(items: list[str]) -> str:
    return "; ".join(items[:SHOWN]) + (f" (and {len(items) - SHOWN} more)" if len(items) > SHOWN else "")


def _version(doc, path) -> Finding:
    streams = any(isinstance(o, pikepdf.Stream) and o.get("/Type") in (Name.ObjStm, Name.XRef)
                  for o in doc.objects)
    if doc.pdf_version != "1.3" or streams:
        return problem("PDF version", "C028", path=path, version=doc.pdf_version,
                       streams=" with object or cross-reference streams" if streams else "")
    return passed("PDF version", "PDF 1.3, no object or cross-reference streams")


def _identification(doc, path) -> Finding:
    info = doc.trailer.get("/Info") or {}
    wrong = []
    if str(info.get("/GTS_PDFXVersion", "")) != VERSION:
        wrong.append(f"GTS_PDFXVersion {str(info.get('/GTS_PDFXVersion', 'missing'))!r}, want {VERSION!r}")
    if str(info.get("/GTS_PDFXConformance", "")) != CONFORMANCE:
        wrong.append(f"GTS_PDFXConformance {str(info.get('/GTS_PDFXConformance', 'missing'))!r}")
    if info.get("/Trapped") not in (Name("/True"), Name("/False")):
        wrong.append(f"Trapped {info.get('/Trapped')} (want /True or /False)")
    wrong += [f"no {k[1:]}" for k in ("/Title", "/CreationDate", "/ModDate") if not str(info.get(k, "")).strip()]
    if "/ID" not in doc.trailer:
        wrong.append("no /ID in the trailer")
    if doc.is_encrypted:
        wrong.append("encrypted")
    if wrong:
        return problem("PDF/X", "C029", path=path, wrong="; ".join(wrong))
    return passed("PDF/X", f"Info {CONFORMANCE}, PDF {doc.pdf_version}, Trapped {info.Trapped}")


def _intent(doc, path) -> Finding:
    intents = [i for i in doc.Root.get("/OutputIntents", []) if i.get("/S") == Name.GTS_PDFX]
    if len(intents) != 1:
        return problem("output intent", "C030", path=path, wrong=f"{len(intents)} /GTS_PDFX OutputIntents, want one")
    intent = intents[0]
    ident = str(intent.get("/OutputConditionIdentifier", "")).strip()
    profile = intent.get("/DestOutputProfile")
    if profile is not None:
        n = int(profile.get("/N", 0))
        detail = f"{ident or 'no identifier'}: an embedded ICC profile of {n} components (want 4, CMYK)"
        return passed("output intent", detail) if n == 4 and ident else \
            problem("output intent", "C030", path=path, wrong=detail)
    if ident and str(intent.get("/RegistryName", "")).strip() and str(intent.get("/Info", "")).strip():
        return passed("output intent", f"{ident}, registered at {intent.RegistryName} "
                                       f"({intent.get('/Info', '')}): no profile needed")
    return problem("output intent", "C030", path=path, wrong=f"{ident or 'no identifier'}: neither a registered "
                   f"characterization (RegistryName and Info) nor an embedded CMYK profile")


def _boxes(doc, path) -> Finding:
    missing = [n for n, page in enumerate(doc.pages, 1)
               if "/TrimBox" not in page.obj or "/BleedBox" not in page.obj or "/ArtBox" in page.obj]
    if missing:
        return problem("PDF/X boxes", "C031", missing[0], path, count=len(missing),
                       pages=", ".join(f"p. {n}" for n in missing[:8]))
    return passed("PDF/X boxes", f"TrimBox and BleedBox on all {len(doc.pages)} pages")


def _filters(doc, path) -> Finding:
    """Compression PDF 1.3 lacks (JBIG2, JPEG 2000) or PDF/X-1a forbids (LZW)."""
    found: dict[str, int] = {}
    for obj in doc.objects:
        if isinstance(obj, pikepdf.Stream):
            filters = obj.get("/Filter")
            for name in (filters if isinstance(filters, pikepdf.Array) else [filters] if filters else []):
                if str(name) in FORBIDDEN_FILTERS:
                    found[str(name)] = found.get(str(name), 0) + 1
    if found:
        return problem("compression", "C032", path=path,
                       filters=", ".join(f"{n} streams in {f}" for f, n in sorted(found.items())))
    return passed("compression", "no LZW, JBIG2 or JPEG 2000")


def cmyk_content(doc, ink_limit: int, path: Path | None = None) -> list[Finding]:
    """A printer's CMYK file that is not PDF/X-1a (the generic and KDP
    covers): no RGB, Lab or ICC-based colour (C045), its total ink within
    `ink_limit` (C036)."""
    walked = _walk(doc, measure=True)
    found = [problem("colour spaces", "C045", path=path, what=_list(walked["colour"])) if walked["colour"]
             else passed("colour spaces", "DeviceGray and DeviceCMYK only")]
    ink, where = walked["ink"]
    found.append(problem("total ink", "C036", path=path, ink=ink, where=where, limit=ink_limit)
                 if ink > ink_limit + 0.5 else
                 passed("total ink", f"at most {ink:.0f} % ({where}); the printer's limit {ink_limit} %"))
    return found


# -- the pages' content ------------------------------------------------------------------

def _walk(doc, measure: bool) -> dict:
    """`measure`: parse every content stream for its colours' ink (a cover;
    an interior of 600 pages has millions of operators, found by pattern)."""
    out = {"transparency": [], "colour": [], "fonts": [], "ink": (0.0, "no colour"), "measure": measure}
    seen: set = set()
    for number, page in enumerate(doc.pages, 1):
        where = f"p. {number}"
        if _group(page.obj):
            out["transparency"].append(f"{where}: a transparency group")
        _holder(page.obj, where, out, seen)
    return out


def _group(obj) -> bool:
    group = obj.get("/Group")
    return group is not None and group.get("/S") == Name.Transparency


def _holder(holder, where: str, out: dict, seen: set) -> None:
    if holder.objgen != (0, 0):
        if holder.objgen in seen:
            return
        seen.add(holder.objgen)
    for stream in content_streams(holder):
        _content(stream.read_bytes(), where, out)
    resources = holder.get("/Resources")
    if resources is None:
        return
    for name, state in resources.get("/ExtGState", {}).items():
        what = transparent(state)
        if what:
            out["transparency"].append(f"{where}: {name} {what}")
    for name, space in resources.get("/ColorSpace", {}).items():
        base = space[0] if isinstance(space, pikepdf.Array) else space
        if str(base) in BANNED_SPACES or _indexed_rgb(space):
            out["colour"].append(f"{where}: colour space {name} {base}")
    for font in resources.get("/Font", {}).values():
        _font(font, where, out)
    for xobject in resources.get("/XObject", {}).values():
        if xobject.get("/Subtype") == Name.Form:
            if _group(xobject):
                out["transparency"].append(f"{where}: a form in a transparency group")
            _holder(xobject, where, out, seen)
        elif xobject.get("/Subtype") == Name.Image and xobject.objgen not in seen:
            seen.add(xobject.objgen)
            _image(xobject, where, out)
    for pattern in resources.get("/Pattern", {}).values():    # a gradient: a tiling pattern around a shading
        if pattern.get("/PatternType") == 1:
            _holder(pattern, where, out, seen)
        elif "/Shading" in pattern:
            _shading(pattern.Shading, where, out)
    for shading in resources.get("/Shading", {}).values():
        _shading(shading, where, out)


def _shading(shading, where: str, out: dict) -> None:
    space = shading.get("/ColorSpace")
    base = space[0] if isinstance(space, pikepdf.Array) else space
    if str(base) in BANNED_SPACES:
        out["colour"].append(f"{where}: a gradient in {base}")


def _indexed_rgb(space) -> bool:
    return isinstance(space, pikepdf.Array) and str(space[0]) == "/Indexed" and \
        str(space[1][0] if isinstance(space[1], pikepdf.Array) else space[1]) in BANNED_SPACES


def _font(font, where: str, out: dict) -> None:
    target = font.DescendantFonts[0] if "/DescendantFonts" in font else font
    desc = target.get("/FontDescriptor")
    name = str(font.get("/BaseFont", "?")).lstrip("/")
    if desc is None:
        if font.get("/Subtype") != Name.Type3:
            out["fonts"].append(f"{where}: {name} not embedded")
        return
    program = next((desc[k] for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in desc), None)
    if program is None:
        out["fonts"].append(f"{where}: {name} not embedded")
    elif program.get("/Subtype") == Name.OpenType:
        item = f"{name}: an OpenType program (FontFile3 /OpenType, PDF 1.6)"
        if item not in out["fonts"]:
            out["fonts"].append(item)


def _image(image, where: str, out: dict) -> None:
    if "/SMask" in image:
        out["transparency"].append(f"{where}: an image with a soft mask")
    if image.get("/ImageMask") is True:
        return
    space = image.get("/ColorSpace")
    base = space[0] if isinstance(space, pikepdf.Array) else space
    if str(base) in BANNED_SPACES or _indexed_rgb(space):
        out["colour"].append(f"{where}: an image in {base}")
        return
    try:
        picture = pikepdf.PdfImage(image).as_pil_image()
    except Exception:   # a filter Pillow cannot read: its ink is not measured
        return
    if picture.mode == "CMYK":
        bands = [b.convert("I") for b in picture.split()]
        total = bands[0]
        for band in bands[1:]:
            total = _add(total, band)
        ink = total.getextrema()[1] / 255 * 100
    elif picture.mode in ("L", "1"):
        ink = (255 - picture.convert("L").getextrema()[0]) / 255 * 100
    else:
        return
    _ink(out, ink, f"an image on {where}")


def _add(a, b):
    from PIL import ImageMath

    return ImageMath.lambda_eval(lambda v: v["a"] + v["b"], a=a, b=b)


def _ink(out: dict, ink: float, where: str) -> None:
    if ink > out["ink"][0]:
        out["ink"] = (round(ink, 1), where)


def _content(data: bytes, where: str, out: dict) -> None:
    """Colour operators: RGB ones are errors; every colour's ink is measured."""
    if OPERATOR.search(b" " + data) and not any(i.startswith(f"{where}: rg") for i in out["colour"]):
        out["colour"].append(f"{where}: rg/RG (DeviceRGB) in the content")
    for space in SPACE_SET.findall(b" " + data):
        if space.decode("latin-1") in BANNED_SPACES:
            out["colour"].append(f"{where}: cs {space.decode('latin-1')}")
    if not out["measure"]:
        return
    scratch = pikepdf.new()
    spaces = {"fill": 1, "stroke": 1}
    for operands, op in pikepdf.parse_content_stream(pikepdf.Stream(scratch, data)):
        name = str(op)
        side = "stroke" if name.isupper() else "fill"
        if name in ("cs", "CS"):
            space = str(operands[0])
            spaces[side] = {"/DeviceCMYK": 4, "/DeviceGray": 1, "/CalGray": 1}.get(space, 0)
        elif name in ("k", "K") or name in ("sc", "scn", "SC", "SCN") and spaces[side] == 4 and len(operands) == 4:
            values = [float(v) for v in operands]
            _ink(out, sum(values) * 100, f"{where}: {' '.join(f'{v:g}' for v in values)} {name}")
        elif name in ("g", "G") or name in ("sc", "scn", "SC", "SCN") and spaces[side] == 1 and len(operands) == 1:
            _ink(out, (1 - float(operands[0])) * 100, f"{where}: {float(operands[0]):g} {name}")
