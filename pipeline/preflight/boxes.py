"""Page boxes: every page the same MediaBox, BleedBox and TrimBox; the trim
equal to book.yaml's; TrimBox inside BleedBox inside MediaBox; a bleed of at
least 3 mm on a printer's file."""

from __future__ import annotations

from pipeline.preflight import Finding, passed, problem

MM = 72 / 25.4
TOLERANCE = 0.5          # points


def boxes_of(page) -> dict[str, tuple | None]:
    """MediaBox (inherited if need be), BleedBox and TrimBox (None when absent)."""
    def box(value):
        return None if value is None else tuple(round(float(v), 2) for v in value)
    return {"MediaBox": box(page.mediabox), "BleedBox": box(page.obj.get("/BleedBox")),
            "TrimBox": box(page.obj.get("/TrimBox"))}


def trim_offsets(doc) -> list[tuple[float, float, float, float, float]]:
    """Per page: (left, top, width, height, media height) of the TrimBox
    (or MediaBox) in top-down coordinates from the MediaBox's corner, as
    pdftotext reports positions."""
    out = []
    for page in doc.pages:
        b = boxes_of(page)
        media, trim = b["MediaBox"], b["TrimBox"] or b["MediaBox"]
        out.append((trim[0] - media[0], media[3] - trim[3], trim[2] - trim[0], trim[3] - trim[1],
                    media[3] - media[1]))
    return out


def _inside(inner, outer) -> bool:
    return (inner[0] >= outer[0] - TOLERANCE and inner[1] >= outer[1] - TOLERANCE
            and inner[2] <= outer[2] + TOLERANCE and inner[3] <= outer[3] + TOLERANCE)


def _size(box) -> str:
    return f"{(box[2] - box[0]) / MM:.1f} × {(box[3] - box[1]) / MM:.1f} mm"


def check(doc, config=None, printer: bool = False) -> list[Finding]:
    first = boxes_of(doc.pages[0])
    pages = _every_page(doc, first)
    found = pages + _trim(first, config)
    if printer:
        found += _bleed(first, config)
    elif not pages:
        found.append(passed("bleed", "proof PDF: no bleed, no marks (not for the printer)"))
    return found


def _every_page(doc, first) -> list[Finding]:
    """Every page the boxes of the first; TrimBox inside BleedBox inside MediaBox."""
    found = []
    for number, page in enumerate(doc.pages, 1):
        b = boxes_of(page)
        if b != first:
            found.append(problem("page boxes", "C001", number))
        trim, bleed, media = b["TrimBox"], b["BleedBox"], b["MediaBox"]
        if trim and bleed and not _inside(trim, bleed):
            found.append(problem("page boxes", "C002", number))
        if bleed and not _inside(bleed, media):
            found.append(problem("page boxes", "C003", number))
    return found


def _trim(first, config) -> list[Finding]:
    from pipeline.manuscript import mm

    trim = first["TrimBox"] or first["MediaBox"]
    detail = f"trim {_size(trim)}"
    if config is None:
        return [passed("trim size", detail)]
    want = (mm(config.print.trim.width) * MM, mm(config.print.trim.height) * MM)
    got = (trim[2] - trim[0], trim[3] - trim[1])
    if abs(want[0] - got[0]) > TOLERANCE or abs(want[1] - got[1]) > TOLERANCE:
        return [problem("trim size", "C004", 1, got=_size(trim),
                        want=f"{config.print.trim.width} × {config.print.trim.height}")]
    return [passed("trim size", f"{detail} = book.yaml")]


def _bleed(first, config) -> list[Finding]:
    if not first["TrimBox"] or not first["BleedBox"]:
        return [problem("bleed", "C005", 1)]
    t, b = first["TrimBox"], first["BleedBox"]
    least = min(t[0] - b[0], t[1] - b[1], b[2] - t[2], b[3] - t[3]) / MM
    want = config.print.bleed_mm if config is not None else 3.0
    if least < want - 0.05:
        return [problem("bleed", "C006", 1, least=least, want=want)]
    return [passed("bleed", f"{least:.1f} mm on every side (want {want:g} mm); MediaBox {_size(first['MediaBox'])}")]
