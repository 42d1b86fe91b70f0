"""What each print-on-demand printer asks of the files it is sent.

A neutral module (no stage imports): book.yaml names a printer
(`print.printer`), the PDF renderer, the cover and `check pdf` read its
profile from here. Every figure names the printer's guide it comes from
(`docs/manuscript.md` lists them); lengths are in millimetres.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

INCH = 25.4
X1A = "pdf/x-1a:2001"

KDP_GUIDE = "KDP Help, 'Set Trim Size, Bleed, and Margins' and 'Paperback Submission Guidelines'"
KDP_COVER_GUIDE = "KDP Help, 'Create a Paperback Cover' (spine, barcode)"
INGRAM_GUIDE = "IngramSpark File Creation Guide and Help Center, 'File Requirements for Print Books'"


@dataclass(frozen=True)
class Condition:
    """The printing condition a printer's CMYK is separated for: a
    characterization registered at color.org (named in the file's
    OutputIntent) and our profile made from its data (styles/icc/, README)."""
    identifier: str                     # OutputConditionIdentifier, as the ICC registry spells it
    info: str                           # what it is, for the OutputIntent's /Info
    profile: str                        # the ICC file under styles/icc/
    registry: str = "http://www.color.org"


# Offset on coated paper (ISO 12647-2), the usual target of a PDF/X-4
# sent to a commercial printer; profile made with a 330 % total ink, ISO
# Coated v2's.
FOGRA39 = Condition("FOGRA39", "Coated FOGRA39 (ISO 12647-2:2004/Amd 1, paper type 1 or 2)",
                    "FOGRA39-pipeline.icc")
# SWOP on grade 3 coated paper, a US web-offset characterization; the
# profile made with IngramSpark's 240 % total ink.
TR003 = Condition("CGATS TR 003", "CGATS TR 003 (SWOP, grade 3 coated paper), 240 % total ink",
                  "CGATS-TR003-240-pipeline.icc")

# Large black areas on a cover: black with colour under it, denser than K
# alone (IngramSpark's recommended rich black; 240 %, within every
# printer's limit). Text and the barcode stay 100 % K: four plates out of
# register would blur them.
RICH_BLACK = (0.6, 0.4, 0.4, 1.0)
RICH_BLACK_MIN = 72.0                   # a black fill this wide and high on the page (pt, 1 in) is a large area


@dataclass(frozen=True)
class Printer:
    name: str
    guide: str
    pdf_variant: Optional[str]          # the standard written ("pdf/x-4", X1A); None: a plain PDF
    marks: bool                         # crop and registration marks in the bleed
    bleed: bool                         # a bleed around every page (else only the trim)
    bleed_mm: Optional[float] = None    # the printer's bleed; None: book.yaml print.bleed
    pages: Optional[tuple[int, int]] = None      # the fewest and most pages it prints
    gutters: tuple[tuple[int, float], ...] = ()   # (up to this many pages, least inside margin mm)
    least_outside_mm: float = 0.0
    spine_mm_per_page: Optional[dict[str, float]] = None   # by paper colour; None: the book's paper
    barcode_mm: tuple[float, float] = (92.0, 26.0)         # the white area on the back cover
    ink_limit: int = 300                # total area coverage, per cent (the cover, a colour interior)
    links: bool = True                  # link annotations and bookmarks may stay in the interior
    condition: Condition = FOGRA39      # what its CMYK (cover, colour interior) is separated for

    @property
    def engine_variant(self) -> Optional[str]:
        """What WeasyPrint writes for this printer (its `pdf_variant`): PDF/X-4
        itself; for PDF/X-1a:2001 a plain PDF, made X-1a after the merge
        (render/pdf/pdfx1a.py: WeasyPrint's 'pdf/x-1a' is the 2003 edition on
        PDF 1.4, and converts nothing)."""
        return None if self.pdf_variant == X1A else self.pdf_variant

    def least_inside_mm(self, pages: int) -> Optional[float]:
        """The printer's least inside margin for a book of `pages` pages (None: it asks none)."""
        return next((margin for most, margin in self.gutters if pages <= most), None)


PRINTERS = {
    # Our own default: PDF/X-4 with marks and bleed, for an offset or digital
    # printer that preflights PDF/X; margins and spine are the book's own;
    # CMYK for FOGRA39 within ISO Coated v2's 330 %.
    "generic": Printer("generic", "PDF/X-4 (ISO 15930-7), the book's own paper and margins",
                       "pdf/x-4", marks=True, bleed=True, ink_limit=330),
    # PDF/X-1a:2001 (PDF 1.3: the fonts as bare CFF, no transparency, a
    # registered CMYK characterization; render/pdf/pdfx1a.py), a black-and-white
    # interior only. Interior: no crop or printer marks, margins of at least
    # 0.5 in on every side, nothing interactive. Cover: CMYK, total ink at most 240 %.
    "ingramspark": Printer("ingramspark", INGRAM_GUIDE, X1A, marks=False, bleed=True,
                           bleed_mm=0.125 * INCH,
                           gutters=((10**6, 0.5 * INCH),), least_outside_mm=0.5 * INCH,
                           ink_limit=240, links=False, condition=TR003),
    # Black-and-white paperbacks of 24 to 828 pages. No marks; bleed (0.125 in)
    # only where something bleeds: the cover. The least inside margin grows with
    # the page count; outside at least 0.25 in; spine by paper colour; barcode
    # 2 × 1.2 in on the back cover; no bookmarks, annotations or marks.
    "kdp": Printer("kdp", KDP_GUIDE, None, marks=False, bleed=False, bleed_mm=0.125 * INCH, pages=(24, 828),
                   gutters=((150, 0.375 * INCH), (300, 0.5 * INCH), (500, 0.625 * INCH),
                            (700, 0.75 * INCH), (828, 0.875 * INCH)),
                   least_outside_mm=0.25 * INCH,
                   spine_mm_per_page={"white": 0.002252 * INCH, "cream": 0.0025 * INCH},
                   barcode_mm=(2 * INCH, 1.2 * INCH), links=False, condition=TR003),
}
PRINTER_NAMES = tuple(PRINTERS)
WRITTEN = {None, "pdf/x-4", X1A}   # the standards the PDF renderer writes today


def printer(name: str) -> Printer:
    return PRINTERS[name]


def spine_mm_per_page(printer: Printer, paper) -> Optional[float]:
    """The printer's own figure for the book's paper (book.yaml print.paper), or None."""
    if printer.spine_mm_per_page is None or paper.ppi is not None or paper.caliper is not None:
        return None
    return printer.spine_mm_per_page[paper.kind.split("-")[0]]
