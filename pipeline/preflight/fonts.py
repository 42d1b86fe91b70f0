"""Fonts: every font embedded and subset, and only the book's faces (the
families declared with @font-face in styles/print.css): a system face in
the file means a glyph fell back or a margin box lost its font."""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.preflight import Finding, passed, problem

SUBSET = re.compile(r"^[A-Z]{6}\+")


def chosen(styles: Path | None) -> set[str]:
    """PDF base names of the faces print.css declares ("EB Garamond Print" -> "EB-Garamond-Print")."""
    from pipeline.build import STYLES

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


def check(doc, styles: Path | None = None, path: Path | None = None) -> list[Finding]:
    """`path`: the file, when not the book's PDF (the cover)."""
    fonts = fonts_of(doc)
    allowed = chosen(styles)
    faces = sorted({SUBSET.sub("", n) for n in fonts})
    bad = sorted(n for n, f in fonts.items() if not f["embedded"])
    unsub = sorted(n for n in fonts if not SUBSET.match(n))
    foreign = [f for f in faces if not any(f == a or f.startswith(a + "-") for a in allowed)]
    return [
        problem("fonts embedded", "C007", path=path, fonts=", ".join(bad)) if bad
        else passed("fonts embedded", f"{len(fonts)} fonts, all embedded"),
        problem("fonts subset", "C008", path=path, fonts=", ".join(unsub)) if unsub
        else passed("fonts subset", "all subset"),
        problem("font faces", "C009", path=path, faces=", ".join(foreign)) if foreign
        else passed("font faces", ", ".join(faces)),
    ]
