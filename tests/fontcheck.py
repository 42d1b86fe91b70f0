"""Fonts read back from a built PDF (issue 17, item 3), for the fixture's
tests and the real book's: which programs it embeds, under which names,
and whether every glyph its pages show is in the program of its face."""

from __future__ import annotations

import re
import subprocess
from collections import defaultdict
from pathlib import Path

import pikepdf
import uharfbuzz as hb

from pipeline.fontmaps import parse_to_unicode
from pipeline.render.pdf.fonts import sources

SUBSET = re.compile(r"^[A-Z]{6}\+")
SHOW = {"Tj", "TJ", "'", '"'}


def pdffonts(path: Path) -> list[str]:
    """The names `pdffonts` lists, one per row (a font dictionary each)."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [row.split()[0] for row in out.splitlines()[2:]]


def programs(pdf: pikepdf.Pdf) -> dict[str, set[tuple[int, int]]]:
    """Face -> the font program streams the file holds for it (every object
    in the file: qpdf writes only what is reachable)."""
    found: dict[str, set] = defaultdict(set)
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
            for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                if key in obj:
                    found[SUBSET.sub("", str(obj.FontName)[1:])].add(obj[key].objgen)
    return dict(found)


def shown(pdf: pikepdf.Pdf, pages=None) -> list[tuple[pikepdf.Dictionary, set[int]]]:
    """(Type0 font dictionary, the CIDs the pages and the forms on them show
    with it); `pages`: 0-based indexes, default all."""
    used: dict[tuple[int, int], set[int]] = defaultdict(set)
    fonts: dict[tuple[int, int], pikepdf.Dictionary] = {}

    def walk(stream_owner, resources, seen):
        fonts_here = (resources or {}).get("/Font") or {}
        current = None
        for operands, op in pikepdf.parse_content_stream(stream_owner):
            name = str(op)
            if name == "Tf":
                current = fonts_here.get(str(operands[0]))
            elif name in SHOW and current is not None and current.get("/Subtype") == "/Type0":
                fonts[current.objgen] = current
                strings = operands[0] if name == "TJ" else [operands[-1]]
                for s in strings:
                    if isinstance(s, pikepdf.String):
                        raw = bytes(s)
                        used[current.objgen].update(int.from_bytes(raw[i:i + 2], "big")
                                                    for i in range(0, len(raw) - 1, 2))
            elif name == "Do":
                xobj = ((resources or {}).get("/XObject") or {}).get(str(operands[0]))
                if xobj is not None and xobj.get("/Subtype") == "/Form" and xobj.objgen not in seen:
                    walk(xobj, xobj.get("/Resources"), seen | {xobj.objgen})

    for index, page in enumerate(pdf.pages):
        if pages is None or index in pages:
            walk(page, page.obj.get("/Resources"), frozenset())
    return [(fonts[k], used[k]) for k in sorted(used)]


def uncovered(path: Path, faces_dir: Path, pages=None) -> list[str]:
    """Every glyph shown that is not the face's own glyph in the one program
    its font names: an id beyond the program, one without text (/ToUnicode),
    one without an outline where its text is not blank, or one whose name,
    advance or extents differ from the face file's glyph at that id. Empty
    when the text is covered."""
    files = sources(sorted(faces_dir.glob("*")))
    problems = []
    with pikepdf.open(path) as pdf:
        for font, cids in shown(pdf, pages):
            cid = font.DescendantFonts[0]
            data = cid.FontDescriptor.FontFile3.read_bytes()
            unit = hb.Font(hb.Face(data))
            ps = hb.Face(data).get_name(hb.OTNameIdPredefined.POSTSCRIPT_NAME)
            source = hb.Font(hb.Face(files[ps]))
            text = parse_to_unicode(font.ToUnicode.read_bytes())
            for gid in sorted(cids):
                what = f"{font.BaseFont} glyph {gid} {text.get(gid)!r}"
                if gid >= unit.face.glyph_count:
                    problems.append(what + ": beyond the program")
                elif gid not in text:
                    problems.append(what + ": no text")
                elif text[gid].strip() and not _inked(unit, gid):
                    problems.append(what + ": no outline")
                elif (unit.get_glyph_name(gid), unit.get_glyph_h_advance(gid), unit.get_glyph_extents(gid)) != (
                        source.get_glyph_name(gid), source.get_glyph_h_advance(gid),
                        source.get_glyph_extents(gid)):
                    problems.append(what + f": not {ps}'s glyph {gid}")
    return problems


def _inked(font, gid: int) -> bool:
    extents = font.get_glyph_extents(gid)
    return extents is not None and extents.width != 0 and extents.height != 0


def text_of(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
