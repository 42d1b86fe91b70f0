"""Page boxes: every page the same MediaBox, BleedBox and TrimBox; the trim
equal to book.yaml's; TrimBox inside BleedBox inside MediaBox; a bleed of at
least 3 mm on a printer's file."""

from __future__ import annotations

from pipeline.preflight import ERROR, OK, Finding

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
    from pipeline.manuscript import mm

    first = boxes_of(doc.pages[0])
    problems = []
    for number, page in enumerate(doc.pages, 1):
        b = boxes_of(page)
        if b != first:
            problems.append(f"page {number}: boxes differ from page 1")
        trim, bleed, media = b["TrimBox"], b["BleedBox"], b["MediaBox"]
        if trim and bleed and not _inside(trim, bleed):
            problems.append(f"page {number}: TrimBox outside BleedBox")
        if bleed and not _inside(bleed, media):
            problems.append(f"page {number}: BleedBox outside MediaBox")
    found = [Finding("page boxes", ERROR, "; ".join(problems[:5]) + (" …" if len(problems) > 5 else ""))] \
        if problems else []
    trim = first["TrimBox"] or first["MediaBox"]
    detail = f"trim {_size(trim)}"
    if config is not None:
        want = (mm(config.print.trim.width) * MM, mm(config.print.trim.height) * MM)
        got = (trim[2] - trim[0], trim[3] - trim[1])
        if abs(want[0] - got[0]) > TOLERANCE or abs(want[1] - got[1]) > TOLERANCE:
            found.append(Finding("trim size", ERROR, f"{detail}, book.yaml asks for "
                                 f"{config.print.trim.width} × {config.print.trim.height}"))
        else:
            found.append(Finding("trim size", OK, f"{detail} = book.yaml"))
    else:
        found.append(Finding("trim size", OK, detail))
    if printer:
        if not first["TrimBox"] or not first["BleedBox"]:
            found.append(Finding("bleed", ERROR, "a PDF/X file without TrimBox and BleedBox"))
        else:
            t, b = first["TrimBox"], first["BleedBox"]
            least = min(t[0] - b[0], t[1] - b[1], b[2] - t[2], b[3] - t[3]) / MM
            want = mm(config.print.bleed) if config is not None else 3.0
            status = OK if least >= want - 0.05 else ERROR
            found.append(Finding("bleed", status, f"{least:.1f} mm on every side (want {want:g} mm); "
                                 f"MediaBox {_size(first['MediaBox'])}"))
    elif not problems:
        found.append(Finding("bleed", OK, "proof PDF: no bleed, no marks (not for the printer)"))
    return found
