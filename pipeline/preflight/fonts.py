"""Fonts: every font embedded and subset, and only the book's faces (the
families declared with @font-face in styles/print.css): a system face in
the file means a glyph fell back or a margin box lost its font."""

from __future__ import annotations

import re
from pathlib import Path

from pipeline import STYLES
from pipeline.preflight import ERROR, OK, Finding

SUBSET = re.compile(r"^[A-Z]{6}\+")


def chosen(styles: Path | None) -> set[str]:
    """PDF base names of the faces print.css declares ("EB Garamond Print" -> "EB-Garamond-Print")."""
    css = ((styles or STYLES) / "print.css").read_text(encoding="utf-8")
    families = set(re.findall(r'@font-face\s*\{[^}]*font-family:\s*"([^"]+)"', css))
    return {f.replace(" ", "-") for f in families}


def fonts_of(doc) -> dict[str, dict]:
    """BaseFont -> {embedded, subset} for every font any page (or form in it) uses."""
    found, seen = {}, set()

    def visit(resources):
        if resources is None or resources.objgen in seen and resources.objgen != (0, 0):
            return
        seen.add(resources.objgen)
        for font in (resources.get("/Font") or {}).values():
            name = str(font.get("/BaseFont", "?")).lstrip("/")
            desc = font.get("/FontDescriptor")
            if desc is None and "/DescendantFonts" in font:
                desc = font.DescendantFonts[0].get("/FontDescriptor")
            embedded = desc is not None and any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            found[name] = {"embedded": embedded, "subset": bool(SUBSET.match(name))}
        for xobj in (resources.get("/XObject") or {}).values():
            if xobj.get("/Subtype") == "/Form":
                visit(xobj.get("/Resources"))

    for page in doc.pages:
        visit(page.obj.get("/Resources"))
    return found


def check(doc, styles: Path | None = None) -> list[Finding]:
    fonts = fonts_of(doc)
    allowed = chosen(styles)
    faces = sorted({SUBSET.sub("", n) for n in fonts})
    found = []
    bad = [n for n, f in fonts.items() if not f["embedded"]]
    if bad:
        found.append(Finding("fonts embedded", ERROR, "not embedded: " + ", ".join(sorted(bad))))
    else:
        found.append(Finding("fonts embedded", OK, f"{len(fonts)} fonts, all embedded"))
    unsub = [n for n in fonts if not SUBSET.match(n)]
    found.append(Finding("fonts subset", ERROR if unsub else OK,
                         "not subset: " + ", ".join(sorted(unsub)) if unsub else "all subset"))
    foreign = [f for f in faces if not any(f == a or f.startswith(a + "-") for a in allowed)]
    found.append(Finding("font faces", ERROR if foreign else OK,
                         ("not the book's: " + ", ".join(foreign)) if foreign else ", ".join(faces)))
    return found
