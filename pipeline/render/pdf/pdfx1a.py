"""PDF/X-1a:2001 (ISO 15930-1), the standard IngramSpark / Lightning Source ask for.

Before: a printer's PDF as the pipeline makes it (the merged interior,
already in DeviceGray through ink.py, or the cover, already in DeviceCMYK
through cmyk.py): PDF 1.7, EB Garamond embedded by WeasyPrint as
`/FontFile3 /Subtype /OpenType` (CFF-flavoured OpenType), an ExtGState
`<< /ca 1 >>` set before every fill, an XMP metadata stream.
After (`make`, in place; `SAVE` the options to write it with): what
PDF/X-1a:2001 allows, PDF 1.3 and nothing newer:

- each OpenType program replaced by its bare 'CFF ' table as
  `/FontFile3 /Subtype /CIDFontType0C` (PDF 1.3 has no OpenType program).
  WeasyPrint's CFF is name-keyed (no CIDFont operators in its Top DICT), so
  ISO 32000-1 9.7.4.2 uses CIDs directly as glyph indices: with
  `/CIDToGIDMap /Identity` and subsets that keep the face's glyph ids
  (fonts.py) the glyphs drawn are the same;
- the ExtGState entries that only set CA/ca to 1 (no-ops, and keys PDF 1.3
  does not have) removed with the `gs` operators that set them (a state
  that sets something else keeps it, without those keys); any real
  transparency (ca/CA below 1, a soft mask, a blend mode, a transparency
  group) stops the build (`PrinterRejects` L007, naming the page): X-1a
  has no transparency to flatten into;
- identified in the Info dictionary (GTS_PDFXVersion, GTS_PDFXConformance,
  Trapped, Title, dates from book.yaml), with an OutputIntent naming the
  printer's registered characterization (printers.Condition: CGATS TR 003
  for IngramSpark) with our profile of it embedded (cmyk.output_intent);
- no XMP metadata stream: PDF 1.3 predates it (PDF 1.4), X-1a:2001
  identifies a file through the Info dictionary alone, and an XMP left over
  from WeasyPrint says nothing of PDF/X, so a preflight comparing the two
  would find them at odds.

The file is written by the caller with `SAVE` (version 1.3 forced, no
object or cross-reference streams, which PDF 1.3 lacks).
"""

from __future__ import annotations

import io
import re
from pathlib import Path
import zlib

import pikepdf
from fontTools.ttLib import TTFont
from pikepdf import Dictionary, Name, String

from pipeline import printers
from pipeline.render.pdf.cmyk import output_intent
from pipeline.render.pdf.gutter import PrinterRejects
from pipeline.render.pdf.ink import rewrite
from pipeline.transparency import transparent

STANDARD = "PDF/X-1a:2001"
VERSION = "1.3"
LEVEL = 6                                   # zlib level, as the rest of the file
TRANSPARENCY_KEYS = ("/CA", "/ca", "/BM", "/SMask", "/AIS")   # PDF 1.4's: at their no-op values, dropped
END = rb"(?=[\s\[<(/]|\Z)"


def make(pdf: pikepdf.Pdf, config, printer: str, styles: Path) -> None:
    """`pdf` in place as PDF/X-1a:2001 (see the module's doc); its output
    intent the printer's condition, with our profile of it from `styles`."""
    no_transparency(pdf, printer)
    bare_cff(pdf, printer)
    identify(pdf, config)
    output_intent(pdf, printers.printer(printer).condition, styles)


# -- transparency --------------------------------------------------------------------------

def no_transparency(pdf: pikepdf.Pdf, printer: str) -> None:
    """No-op ExtGStates removed with their `gs`; real transparency is L007."""
    done: set = set()
    spent: list = []     # resources whose no-op states go once every stream using them lost its `gs`
    for number, page in enumerate(pdf.pages, 1):
        def refuse(what: str, number=number):
            raise PrinterRejects("L007", printer=printer, standard=STANDARD, page=number, what=what)
        if _transparency_group(page.obj):
            refuse("a transparency group")
        _holder(pdf, page.obj, done, refuse, spent)
    for resources, names in spent:
        states = resources.get("/ExtGState", {})
        for name in names:
            if name in states:
                del states[name]
        if "/ExtGState" in resources and not len(states):
            del resources["/ExtGState"]


def _holder(pdf, holder, done: set, refuse, spent: list) -> None:
    """A page or a form: its ExtGStates, content and what it draws. Pages
    may share resources (the blanks do) but not content: each page's
    content loses its `gs` before the shared states go."""
    key = holder.objgen
    if key != (0, 0):
        if key in done:
            return
        done.add(key)
    resources = holder.get("/Resources")
    if resources is None:
        return
    no_ops = []
    for name, state in resources.get("/ExtGState", {}).items():
        what = transparent(state)
        if what:
            refuse(what)
        for key in TRANSPARENCY_KEYS:
            if key in state:
                del state[key]
        if all(key == "/Type" for key in state.keys()):
            no_ops.append(name)
    if no_ops:
        rewrite(pdf, holder, lambda data: _without_gs(data, no_ops))
        spent.append((resources, no_ops))
    for xobject in resources.get("/XObject", {}).values():
        if xobject.get("/Subtype") == Name.Form:
            if _transparency_group(xobject):
                refuse("a transparency group (CSS opacity or a blend mode)")
            _holder(pdf, xobject, done, refuse, spent)
        elif xobject.get("/Subtype") == Name.Image and "/SMask" in xobject:
            refuse("an image with an alpha channel (soft mask)")
    for pattern in resources.get("/Pattern", {}).values():
        if isinstance(pattern, pikepdf.Stream):
            _holder(pdf, pattern, done, refuse, spent)


def _transparency_group(obj) -> bool:
    group = obj.get("/Group")
    return group is not None and group.get("/S") == Name.Transparency


def _without_gs(data: bytes, names: list[str]) -> bytes:
    wanted = {str(n) for n in names}
    if b"(" in data:   # a literal string could hold "/a1.0 gs": parse
        kept = [(operands, op) for operands, op in _parse(data)
                if not (str(op) == "gs" and str(operands[0]) in wanted)]
        return pikepdf.unparse_content_stream(kept)
    alternatives = b"|".join(re.escape(Name(n).unparse()) for n in sorted(wanted, key=len, reverse=True))
    return re.sub(rb"(?:" + alternatives + rb")" + END + rb"\s*gs" + END, b"", data)


# -- fonts -----------------------------------------------------------------------------------

def bare_cff(pdf: pikepdf.Pdf, printer: str) -> None:
    """Every `/FontFile3 /Subtype /OpenType` as its bare CFF (`/CIDFontType0C`)."""
    made: dict = {}
    for descriptor in _descriptors(pdf):
        program = descriptor.get("/FontFile3")
        if program is None or program.get("/Subtype") != Name.OpenType:
            continue
        if program.objgen not in made:
            made[program.objgen] = _cff_stream(pdf, program, str(descriptor.get("/FontName", "?")), printer)
        descriptor.FontFile3 = made[program.objgen]


def _descriptors(pdf):
    """The FontDescriptor of every font the pages and their forms use, once each."""
    seen: set = set()

    def visit(resources):
        if not isinstance(resources, Dictionary) or resources.objgen in seen and resources.objgen != (0, 0):
            return
        seen.add(resources.objgen)
        for font in (resources.get("/Font") or Dictionary()).values():
            target = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = target.get("/FontDescriptor")
            if descriptor is not None and descriptor.objgen not in seen:
                seen.add(descriptor.objgen)
                yield descriptor
        for xobject in (resources.get("/XObject") or Dictionary()).values():
            if xobject.get("/Subtype") == Name.Form:
                yield from visit(xobject.get("/Resources"))

    for page in pdf.pages:
        yield from visit(page.obj.get("/Resources"))


def _cff_stream(pdf, program, font: str, printer: str):
    try:
        reader = TTFont(io.BytesIO(program.read_bytes()), lazy=True).reader
        cff = reader["CFF "]
    except Exception as exc:   # TrueType outlines in an OpenType wrapper, or no font at all
        raise PrinterRejects("L009", printer=printer, standard=STANDARD, font=font.lstrip("/"),
                             detail=f"its OpenType program has no CFF table ({exc.__class__.__name__})") from None
    stream = pikepdf.Stream(pdf, b"")
    stream.write(zlib.compress(cff, LEVEL), filter=Name.FlateDecode)
    stream.Subtype = Name.CIDFontType0C
    return stream


# -- identification ----------------------------------------------------------------------

def identify(pdf: pikepdf.Pdf, config) -> None:
    """Info keys, the OutputIntent, no XMP, nothing PDF 1.3 lacks in the catalog."""
    info = pdf.trailer.Info if "/Info" in pdf.trailer else pdf.make_indirect(Dictionary())
    pdf.trailer.Info = info
    info.GTS_PDFXVersion = String("PDF/X-1:2001")
    info.GTS_PDFXConformance = String(STANDARD)
    info.Trapped = Name("/False")
    if not str(info.get("/Title", "")).strip():
        info.Title = String(config.title)
    date = "D:" + config.date.replace("-", "")
    for key in ("/CreationDate", "/ModDate"):
        if key not in info:
            info[key] = String(date)
    for key in ("/Metadata", "/MarkInfo", "/StructTreeRoot"):
        if key in pdf.Root:
            del pdf.Root[key]
    for page in pdf.pages:
        if "/Metadata" in page.obj:
            del page.obj["/Metadata"]


SAVE = {"force_version": VERSION, "object_stream_mode": pikepdf.ObjectStreamMode.disable}



def _parse(data: bytes) -> list:
    """The instructions of a content stream (its scratch PDF alive while it is parsed)."""
    scratch = pikepdf.new()
    return list(pikepdf.parse_content_stream(pikepdf.Stream(scratch, data)))
