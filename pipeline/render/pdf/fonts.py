"""One font program per face in the merged book, under a subset tag of its own.

Before: the merged PDF (merge.py), where every unit and every furniture
document laid out apart brought its own subset of each face: different
programs under one name (WeasyPrint's tag is a hash of the font's
description, not of its glyphs), 41 of the regular face in the real book;
and the font files the layout read (the styles' @font-face sources).
After: for each face, one Type0 font, one CIDFont, one FontDescriptor and
one program, a subset of the face's file holding every glyph any unit
uses, named `TAG+Face` where TAG is derived from that program's bytes
(ISO 32000-1 9.6.4: a distinct tag for each distinct subset); every
/Font resource that named one of the unit fonts names it instead. The
content streams are not touched: they keep their glyph ids.

Why the glyph ids can be kept: WeasyPrint 70 writes each font as a Type0
font with /Identity-H encoding and /CIDToGIDMap /Identity, its program a
subset that retains the face's glyph ids (pdf/fonts.py, `RETAIN_GIDS`),
so a CID in a content stream is the glyph id in the face's own file.
That is checked here, not trusted: every glyph a unit uses must have, in
the unit's program, the name, advance and extents it has in the face's
file. Widths (/W) and text (/ToUnicode) are merged, and must agree where
units share a glyph; units that disagree keep a font dictionary of their
own (still over the one program). A face whose programs cannot be shared
(no source file, glyph ids that do not match, another encoding) keeps its
programs, each renamed with a tag of its own, so no tag names two subsets.

The subset is HarfBuzz's (uharfbuzz, pinned in the lock), with the flags
WeasyPrint 70 uses: the glyph programs are the ones the units carried.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pikepdf
import uharfbuzz as hb
from pikepdf import Array, Dictionary, Name

from pipeline.fontmaps import parse_to_unicode, parse_widths, to_unicode, widths_array

SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")
FONT_MAGIC = (b"OTTO", b"\x00\x01\x00\x00", b"true")

# -- ENGINE COUPLING (for pipeline/engines/ at merge time) -------------------------------
# No private WeasyPrint name is imported here, but what follows mirrors how
# WeasyPrint 70's pdf/fonts.py (`Font._harfbuzz_subset`,
# `_build_vector_font_dictionary`, `build_fonts_dictionary`) writes fonts:
# Type0 + /Identity-H + /CIDToGIDMap /Identity, programs subset with
# RETAIN_GIDS then cut after the highest glyph used, these tables dropped,
# hinting off (its default `hinting=False`), /W in runs, ToUnicode as bfchar
# batches of 100. `_same_glyphs` checks the first of these on every build;
# the rest only shape bytes. Re-read that file when WeasyPrint moves.
DROPPED = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH", b"PCLT", b"SVG ",
           b"FFTM")   # FontForge's timestamp: Debian 12's HarfBuzz drops it, uharfbuzz's passes it through
LEVEL = 6                 # zlib level, as engine.py sets pydyf's
FIXED_PITCH = 1           # FontDescriptor /Flags bit 1


class NotShared(Exception):
    """A face's programs cannot be replaced by one subset of its file."""


@dataclass
class _Font:
    """A Type0 font dictionary of the merged file and what it uses."""
    obj: Dictionary
    widths: dict[int, object]
    text: dict[int, str]

    @property
    def cidfont(self):
        return self.obj.DescendantFonts[0]

    @property
    def descriptor(self):
        return self.cidfont.FontDescriptor


@dataclass
class Outcome:
    """What `share_faces` did: face -> tag given; face -> why not shared."""
    shared: dict[str, str] = field(default_factory=dict)
    kept: dict[str, str] = field(default_factory=dict)


# -- the faces' files -----------------------------------------------------------------

def sources(paths: Iterable[Path | str]) -> dict[str, bytes]:
    """PostScript name -> bytes of every OpenType/TrueType file among `paths`
    (the files a layout read: fonts, images, sheets)."""
    found: dict[str, bytes] = {}
    for path in paths:
        path = Path(path)
        try:
            with path.open("rb") as f:
                if f.read(4) not in FONT_MAGIC:
                    continue
            data = path.read_bytes()
        except OSError:
            continue
        name = _postscript_name(data)
        if name:
            found.setdefault(name, data)
    return found


def _postscript_name(data: bytes) -> str | None:
    try:
        return hb.Face(data).get_name(hb.OTNameIdPredefined.POSTSCRIPT_NAME)
    except Exception:   # not a font HarfBuzz reads: never the source of anything
        return None


# -- in the merged file -----------------------------------------------------------------

def share_faces(pdf: pikepdf.Pdf, files: dict[str, bytes]) -> Outcome:
    """Give every face of `pdf` one program (see the module's doc)."""
    fonts, slots = _fonts(pdf)
    faces: dict[str, list[Dictionary]] = {}
    for font in fonts:
        faces.setdefault(SUBSET_TAG.sub("", str(font.get("/BaseFont", "/?"))[1:]), []).append(font)
    outcome = Outcome()
    taken: set[str] = set()
    replace: dict[tuple[int, int], Dictionary] = {}
    for face in sorted(faces):
        try:
            replace.update(_share(pdf, face, faces[face], files, taken, outcome))
        except NotShared as why:
            outcome.kept[face] = str(why)
            _retag(face, faces[face], taken)
    for resources, key in slots:
        new = replace.get(resources[key].objgen)
        if new is not None:
            resources[key] = new
    return outcome


def _fonts(pdf: pikepdf.Pdf):
    """Every Type0 font the pages use, in the order first met, and every
    (/Font dictionary, key) naming one: pages, the forms and patterns they
    draw, annotations' appearances."""
    fonts: dict[tuple[int, int], Dictionary] = {}
    slots: list[tuple[Dictionary, Name]] = []
    seen: set[tuple[int, int]] = set()

    def visit(resources):
        if not isinstance(resources, Dictionary):
            return
        if resources.is_indirect:
            if resources.objgen in seen:
                return
            seen.add(resources.objgen)
        font_dict = resources.get("/Font")
        if isinstance(font_dict, Dictionary):
            for key, font in font_dict.items():
                if isinstance(font, Dictionary) and font.is_indirect and font.get("/Subtype") == Name.Type0:
                    fonts.setdefault(font.objgen, font)
                    slots.append((font_dict, Name(key)))
        for kind in ("/XObject", "/Pattern"):
            for obj in (resources.get(kind) or Dictionary()).values():
                if isinstance(obj, (Dictionary, pikepdf.Stream)):
                    visit(obj.get("/Resources"))

    for page in pdf.pages:
        visit(page.obj.get("/Resources"))
        for annot in page.obj.get("/Annots", Array()):
            appearance = annot.get("/AP") if isinstance(annot, Dictionary) else None
            for state in (appearance or Dictionary()).values():
                streams = state.values() if isinstance(state, Dictionary) and "/Resources" not in state else [state]
                for stream in streams:
                    if isinstance(stream, (Dictionary, pikepdf.Stream)):
                        visit(stream.get("/Resources"))
    return list(fonts.values()), slots


def _share(pdf, face: str, objs: list[Dictionary], files: dict[str, bytes], taken: set[str],
           outcome: Outcome) -> dict[tuple[int, int], Dictionary]:
    fonts = [_read(obj) for obj in objs]
    programs = {}
    for font in fonts:
        stream, key = _program(font)
        programs.setdefault(stream.objgen, (stream, key))
    keys = {key for _, key in programs.values()}
    if len(keys) != 1:
        raise NotShared(f"programs of several kinds ({', '.join(sorted(keys))})")
    key = keys.pop()
    data = {objgen: stream.read_bytes() for objgen, (stream, _) in programs.items()}
    names = {_postscript_name(d) for d in data.values()}
    if len(names) != 1 or None in names:
        raise NotShared(f"programs of several fonts ({', '.join(sorted(map(str, names)))})")
    name = names.pop()
    original = files.get(name)
    if original is None:
        raise NotShared(f"no source file for {name}")
    _same_glyphs(fonts, data, original)
    used = sorted({0}.union(*(f.widths.keys() | f.text.keys() for f in fonts)))
    program = subset(original, used)
    if hb.Face(program).glyph_count <= used[-1]:
        raise NotShared(f"the subset of {name} lacks glyph {used[-1]}")
    tag = _tag(face, program, taken)
    base = Name(f"/{tag}+{face}")
    descriptor = _descriptor(pdf, fonts, key, program, base)
    groups = _compatible(fonts)
    shared = {}
    for group in groups:
        new = _type0(pdf, group, descriptor, base)
        for font in group:
            shared[font.obj.objgen] = new
    outcome.shared[face] = tag
    return shared


def _read(obj: Dictionary) -> _Font:
    if obj.get("/Encoding") != Name("/Identity-H"):
        raise NotShared(f"encoding {obj.get('/Encoding')} (glyphs missing from the face?)")
    cid = obj.DescendantFonts[0]
    if cid.get("/Subtype") not in (Name.CIDFontType0, Name.CIDFontType2):
        raise NotShared(f"descendant font of type {cid.get('/Subtype')}")
    if cid.get("/CIDToGIDMap", Name.Identity) != Name.Identity:
        raise NotShared("CIDs are not glyph ids (/CIDToGIDMap)")
    return _Font(obj, parse_widths(cid.get("/W", Array())),
                 parse_to_unicode(obj.ToUnicode.read_bytes()) if "/ToUnicode" in obj else {})


def _program(font: _Font):
    desc = font.descriptor
    for key in ("/FontFile3", "/FontFile2"):
        if key in desc:
            stream = desc[key]
            if key == "/FontFile3" and stream.get("/Subtype") != Name.OpenType:
                raise NotShared(f"a bare {stream.get('/Subtype')} program")
            return stream, key
    raise NotShared("a program not embedded or of another kind")


def _same_glyphs(fonts: list[_Font], data: dict, original: bytes) -> None:
    """Every glyph a unit uses is, at its id, the face file's glyph: same
    name, advance and outline extents."""
    source = hb.Font(hb.Face(original))
    count = source.face.glyph_count
    for font in fonts:
        stream, _ = _program(font)
        unit = hb.Font(hb.Face(data[stream.objgen]))
        for gid in sorted(font.widths.keys() | font.text.keys()):
            if gid >= count or gid >= unit.face.glyph_count:
                raise NotShared(f"glyph {gid} beyond the face's {count}")
            if (unit.get_glyph_name(gid), unit.get_glyph_h_advance(gid), unit.get_glyph_extents(gid)) != (
                    source.get_glyph_name(gid), source.get_glyph_h_advance(gid), source.get_glyph_extents(gid)):
                raise NotShared(f"glyph {gid} ({unit.get_glyph_name(gid)}) is not the face's glyph {gid} "
                                f"({source.get_glyph_name(gid)})")


def subset(original: bytes, gids: list[int]) -> bytes:
    """The face's glyphs `gids` at their own ids (the others empty, up to the
    highest), as WeasyPrint 70 subsets with HarfBuzz, hinting off."""
    face = _hb_subset(hb.Face(original), gids, hb.SubsetFlags.RETAIN_GIDS)
    # WeasyPrint's second pass: the ids up to the highest used, none after
    # (glyphs a closure pulled in above it).
    face = _hb_subset(face, range(max(gids) + 1), hb.SubsetFlags.NO_HINTING)
    return face.blob.data


def _hb_subset(face, gids, flags):
    inp = hb.SubsetInput()
    inp.glyph_set.update(gids)
    inp.flags = flags | hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED | hb.SubsetFlags.DESUBROUTINIZE
    for table in DROPPED:
        inp.drop_table_tag_set.add(int.from_bytes(table, "big"))
    out = hb.subset(face, inp)
    if out is None:
        raise NotShared("HarfBuzz could not subset the face")
    return out


def _tag(face: str, program: bytes, taken: set[str]) -> str:
    """Six capitals from a digest of the face's name and program: the same
    subset gets the same tag in every build, another subset another tag."""
    salt = 0
    while True:
        digest = hashlib.sha256(f"{face}\0{salt}\0".encode() + program).digest()
        tag = "".join(chr(65 + b % 26) for b in digest[:6])
        if tag not in taken:
            taken.add(tag)
            return tag
        salt += 1


def _descriptor(pdf, fonts: list[_Font], key: str, program: bytes, base: Name):
    """The first unit's descriptor with the new name and program; the box
    as WeasyPrint draws it (0, descent, widest glyph, ascent) over all units."""
    first = fonts[0].descriptor
    desc = Dictionary({k: v for k, v in first.items() if k not in ("/FontFile2", "/FontFile3", "/CIDSet")})
    desc.FontName = base
    boxes = [[float(v) for v in f.descriptor.get("/FontBBox", Array([0, 0, 0, 0]))] for f in fonts]
    desc.FontBBox = Array([_number(min(b[0] for b in boxes)), _number(min(b[1] for b in boxes)),
                           _number(max(b[2] for b in boxes)), _number(max(b[3] for b in boxes))])
    widths = {}
    for font in fonts:
        widths.update(font.widths)
    flags = int(first.get("/Flags", 0)) & ~FIXED_PITCH
    if len(widths) > 1 and len({float(w) for w in widths.values()}) == 1:
        flags |= FIXED_PITCH
    desc.Flags = flags
    extra = Dictionary(Subtype=Name.OpenType) if key == "/FontFile3" else Dictionary(Length1=len(program))
    desc[key] = _stream(pdf, program, extra)
    if any("/CIDSet" in f.descriptor for f in fonts):
        desc.CIDSet = _stream(pdf, _cidset(widths), Dictionary())
    return pdf.make_indirect(desc)


def _compatible(fonts: list[_Font]) -> list[list[_Font]]:
    """Fonts in groups whose widths and text agree on every shared glyph, in
    order (nearly always one group): a glyph's width places the glyphs after
    it, its text is what a reader copies."""
    groups: list[tuple[dict, dict, list[_Font]]] = []
    for font in fonts:
        for widths, text, members in groups:
            if _agree(widths, font.widths) and _agree(text, font.text):
                widths.update(font.widths)
                text.update(font.text)
                members.append(font)
                break
        else:
            groups.append((dict(font.widths), dict(font.text), [font]))
    return [members for _, _, members in groups]


def _agree(a: dict, b: dict) -> bool:
    return all(a[k] == b[k] for k in a.keys() & b.keys())


def _type0(pdf, group: list[_Font], descriptor, base: Name):
    widths, text = {}, {}
    for font in group:
        widths.update(font.widths)
        text.update(font.text)
    first = group[0]
    cid = Dictionary({k: v for k, v in first.cidfont.items() if k not in ("/W", "/FontDescriptor", "/BaseFont")})
    cid.BaseFont = base
    cid.W = widths_array(widths)
    cid.FontDescriptor = descriptor
    font = Dictionary({k: v for k, v in first.obj.items()
                       if k not in ("/DescendantFonts", "/ToUnicode", "/BaseFont")})
    font.BaseFont = base
    font.DescendantFonts = Array([pdf.make_indirect(cid)])
    if text:
        font.ToUnicode = _stream(pdf, to_unicode(text), Dictionary())
    return pdf.make_indirect(font)


def _retag(face: str, objs: list[Dictionary], taken: set[str]) -> None:
    """Programs that stay apart: each its own tag, derived from its bytes
    (the same bytes in two streams, the same tag)."""
    tags: dict[bytes, str] = {}
    for obj in objs:
        try:
            desc = obj.DescendantFonts[0].FontDescriptor
            stream = desc.get("/FontFile3") or desc.get("/FontFile2") or desc.get("/FontFile")
        except (AttributeError, IndexError, KeyError):
            continue
        if stream is None:
            continue
        data = stream.read_bytes()
        if data not in tags:
            tags[data] = _tag(face, data, taken)
        base = Name(f"/{tags[data]}+{face}")
        obj.BaseFont = base
        obj.DescendantFonts[0].BaseFont = base
        desc.FontName = base


def _cidset(widths: dict[int, object]) -> bytes:
    bits = bytearray((max(widths) // 8 + 1) if widths else 1)
    for cid in widths:
        bits[cid // 8] |= 0x80 >> (cid % 8)
    return bytes(bits)


def _stream(pdf, data: bytes, extra: Dictionary):
    stream = pikepdf.Stream(pdf, b"")
    stream.write(zlib.compress(data, LEVEL), filter=Name.FlateDecode)
    for k, v in extra.items():
        stream[k] = v
    return stream


def _number(value: float):
    return int(value) if float(value).is_integer() else value
