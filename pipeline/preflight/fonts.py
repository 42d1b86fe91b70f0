"""Fonts: every font embedded and subset, and only the book's faces (the
families declared with @font-face in styles/print.css): a system face in
the file means a glyph fell back or a margin box lost its font.

And what a printer's preflight looks at in the programs themselves: one
program per face (F102: several subsets of one face, as when documents
laid out apart are merged), a subset tag per program (F101: two different
programs under one tag break ISO 32000-1 9.6.4, and a RIP caching fonts by
name draws the wrong glyphs), and every glyph the text uses present in
the program it names (F103: a glyph id beyond the program, or with no
outline where its text is not blank)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from pipeline import STYLES
from pipeline.fontmaps import parse_to_unicode, parse_widths
from pipeline.preflight import Finding, passed, problem

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
    ] + programs_check(programs_of(doc), path)


# -- the programs ----------------------------------------------------------------------

@dataclass(frozen=True)
class Program:
    """A font dictionary of the file and the program it embeds."""
    name: str                   # BaseFont, with its subset tag
    digest: str                 # of the program's decoded bytes ("" if none is embedded)
    data: bytes
    glyphs: dict[int, str]      # glyph id -> its text, for Identity-mapped CID fonts; else empty

    @property
    def face(self) -> str:
        return SUBSET.sub("", self.name)

    @property
    def tag(self) -> str | None:
        return self.name[:6] if SUBSET.match(self.name) else None


def programs_of(doc) -> list[Program]:
    """Every font dictionary the pages (and forms in them) use, once each."""
    found: dict[tuple[int, int], Program] = {}
    seen: set = set()

    def visit(resources):
        if resources is None or resources.objgen in seen and resources.objgen != (0, 0):
            return
        seen.add(resources.objgen)
        for font in (resources.get("/Font") or {}).values():
            if font.objgen not in found or font.objgen == (0, 0):
                found[font.objgen if font.objgen != (0, 0) else (-len(found), 0)] = _program(font)
        for xobj in (resources.get("/XObject") or {}).values():
            if xobj.get("/Subtype") == "/Form":
                visit(xobj.get("/Resources"))

    for page in doc.pages:
        visit(page.obj.get("/Resources"))
    return list(found.values())


def _program(font) -> Program:
    name = str(font.get("/BaseFont", "/?")).lstrip("/")
    cid = font.DescendantFonts[0] if "/DescendantFonts" in font else None
    desc = (cid if cid is not None else font).get("/FontDescriptor")
    stream = next((desc[k] for k in ("/FontFile", "/FontFile2", "/FontFile3") if desc is not None and k in desc),
                  None)
    data = stream.read_bytes() if stream is not None else b""
    glyphs: dict[int, str] = {}
    if cid is not None and font.get("/Encoding") == "/Identity-H" and cid.get("/CIDToGIDMap", "/Identity") == "/Identity":
        text = parse_to_unicode(font.ToUnicode.read_bytes()) if "/ToUnicode" in font else {}
        glyphs = {gid: text.get(gid, "") for gid in parse_widths(cid.get("/W", []))} | text
    return Program(name, hashlib.sha256(data).hexdigest() if data else "", data, glyphs)


def programs_check(programs: list[Program], path: Path | None = None) -> list[Finding]:
    found = []
    by_tag: dict[str, dict[str, set[str]]] = {}
    by_face: dict[str, set[str]] = {}
    for p in programs:
        if not p.digest:
            continue
        by_face.setdefault(p.face, set()).add(p.digest)
        if p.tag:
            by_tag.setdefault(p.tag, {}).setdefault(p.digest, set()).add(p.face)
    clashes = [problem("subset tags", "F101", path=path, tag=tag, count=len(d), faces=", ".join(sorted(set().union(*d.values()))))
               for tag, d in sorted(by_tag.items()) if len(d) > 1]
    found += clashes or [passed("subset tags", f"{len(by_tag)} tags, one program each")]
    several = [problem("font programs", "F102", path=path, face=face, count=len(d)) for face, d in sorted(by_face.items())
               if len(d) > 1]
    found += several or [passed("font programs", ", ".join(f"{f}: 1" for f in sorted(by_face)) or "none")]
    lacking = [problem("font glyphs", "F103", path=path, font=p.name, count=len(missing), glyphs=", ".join(missing[:5]))
               for p in programs if (missing := missing_glyphs(p))]
    found += lacking or [passed("font glyphs", "every glyph used is in its program")]
    return found


def missing_glyphs(program: Program) -> list[str]:
    """The glyphs (id and text) the font's text uses that its program lacks:
    an id beyond the program, or no outline where the text is not blank."""
    if not program.glyphs or not program.data:
        return []
    import uharfbuzz as hb

    face = hb.Face(program.data)
    if face.glyph_count == 0:     # a bare CFF (PDF/X-1a) or Type 1 program HarfBuzz does not read
        return _missing_in_cff(program)
    font = hb.Font(face)
    missing = []
    for gid, text in sorted(program.glyphs.items()):
        if gid >= face.glyph_count:
            missing.append(f"{gid} {text!r}")
            continue
        extents = font.get_glyph_extents(gid)
        if text.strip() and (extents is None or extents.width == 0 or extents.height == 0):
            missing.append(f"{gid} {text!r}")
    return missing


def _missing_in_cff(program: Program) -> list[str]:
    """`missing_glyphs` for a bare CFF program (FontFile3 /CIDFontType0C), read
    with fontTools: a name-keyed CFF takes CIDs as glyph ids (ISO 32000-1
    9.7.4.2), a CID-keyed one maps them through its charset. Another kind
    of program (Type 1) is not checked."""
    import io

    from fontTools.cffLib import CFFFontSet

    try:
        cff = CFFFontSet()
        cff.decompile(io.BytesIO(program.data), None)
        top = cff[cff.fontNames[0]]
        strings, names = top.CharStrings, list(top.charset)
    except Exception:   # not a CFF program
        return []
    keyed = hasattr(top, "ROS")
    index = {name: gid for gid, name in enumerate(names)} if keyed else {}
    missing = []
    for cid, text in sorted(program.glyphs.items()):
        gid = index.get(f"cid{cid:05d}") if keyed else cid
        if gid is None or gid >= len(names):
            missing.append(f"{cid} {text!r}")
            continue
        bounds = strings[names[gid]].calcBounds(strings)
        if text.strip() and (bounds is None or bounds[2] <= bounds[0] or bounds[3] <= bounds[1]):
            missing.append(f"{cid} {text!r}")
    return missing
