"""Diagnostics: every message the pipeline can give, defined once.

A diagnostic names a stable code, the file and line it is about, and a
message; it prints as `path:line: CODE message`, the form editors and CI
logs both read. Errors stop a build (exit 1); warnings do not, unless
`--strict`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    template: str


def _codes(*rows: tuple[str, Severity, str]) -> dict[str, Code]:
    codes = {code: Code(code, sev, text) for code, sev, text in rows}
    assert len(codes) == len(rows), "a diagnostic code is defined twice"
    return codes


E, W = Severity.ERROR, Severity.WARNING

# Codes are stable: tests, ignore files and editors refer to them. A code
# retired is never given to another problem: H001 (book.yaml requires the
# title it asked for), T012 (an import file's YAML is M003, like any other),
# L010 (a colour interior refused for PDF/X-1a, which is now separated to CMYK).
# tests/integration/test_codes.py holds a fixture that produces each code.
CODES = _codes(
    # M: the manuscript folder and book.yaml
    ("M001", E, "no manuscript folder here (a folder holding book.yaml and the chapters)"),
    ("M002", E, "book.yaml is missing"),
    ("M003", E, "invalid YAML: {detail}"),
    ("M004", E, "invalid {key}: {detail}"),
    ("M005", E, "contents file not found: {file}"),
    ("M006", E, "contents path leaves the manuscript folder: {file}"),
    ("M007", E, "not valid UTF-8: {detail}"),
    ("M008", E, "file is empty"),
    ("M009", E, "{file} is listed twice in contents"),
    ("M010", E, "cover image {file} not usable: {detail}"),
    ("M011", E, "file too large: {size} bytes (limit {limit})"),
    ("M012", E, "binary content (a NUL byte) in a text file"),
    ("M013", E, "the value anchored here (&name) is used again through an alias (*name): write it out"),
    ("M014", E, "the file system refused: {reason}"),
    ("M015", E, "bibliography {file} not usable: {detail}"),
    ("M016", E, "CSL style {name!r} not usable: {detail}"),
    # P: parsing Markdown
    ("P001", E, "pandoc could not read the file: {detail}"),
    ("P002", E, "unbalanced emphasis marker in {token!r}: close it or escape it as \\{marker}"),
    ("P003", E, "a fenced div (:::) is not closed"),
    ("P004", E, "paragraph too long: {size} characters (limit {limit})"),
    ("P005", E, "lists nested {depth} deep (limit {limit})"),
    ("P006", W, "pandoc warns: {detail}"),
    ("P007", E, "a ::: fence closes nothing"),
    ("P008", E, "markup nested more than {limit} deep (block quotes, lists, divs, emphasis or links "
                "inside one another)"),
    ("P009", E, "brackets nested more than {limit} deep in one paragraph: Pandoc's reading time doubles "
                "with each level (escape a literal bracket as \\[)"),
    ("P010", E, "pandoc did not finish reading the file in {seconds:g} s"),
    ("P011", E, "a word of {size} characters (limit {limit}): no line could hold it, and breaking it takes "
                "the layout minutes"),
    # B: citations and the bibliography (Pandoc's citeproc)
    ("B001", E, "citation key @{key} is not in the bibliography"),
    ("B002", E, "the bibliography cannot be read: {detail}"),
    ("B003", W, "bibliography entry {key} is never cited: cite it, or list it under nocite in book.yaml"),
    ("B004", E, "citeproc could not format the citations with the style {style}: {detail}"),
    ("B005", E, "citation @{key}, but book.yaml names no bibliography (a literal @ is written \\@)"),
    ("B006", E, "one bracket holds the cross-reference @{ref} and the citation @{key}: give each its own "
                "brackets ([@{ref}] [@{key}])"),
    # N: notes
    ("N001", E, "reference to undefined note [^{label}]"),
    ("N002", E, "note [^{label}] is never referenced"),
    ("N003", E, "note [^{label}] is defined twice"),
    ("N004", E, "note reference inside a note: [^{label}]"),
    ("N005", E, "{count} notes in one file (limit {limit})"),
    ("N006", E, "note [^{label}] is empty"),
    # R: raw markup and links
    ("R001", E, "raw HTML is not allowed: {html}"),
    ("R002", E, "unsafe link target: {url}"),
    # R003-: cross-references (`@fig-crane` to `{#fig-crane}`)
    ("R003", E, "@{key} refers to no label: write {{#{key}}} on a heading, figure, table or equation, or [^{key}] on a note"),
    ("R004", E, "label {key} is defined twice (first at {first})"),
    ("R005", E, "the TeX math ${tex}$ cannot be read: {detail}"),
    # I: images
    ("I001", E, "image not found: {src}"),
    ("I002", E, "image too large: {src} is {size}, more than the {limit} a book image may have"),
    ("I003", E, "not an image: {src} ({detail})"),
    ("I004", E, "image outside the manuscript folder: {src}"),
    ("I005", E, "remote image (builds never reach the network): {src}"),
    ("I006", E, "SVG image refers to an external resource: {src} ({ref})"),
    ("I007", W, "image without alternative text: {src}"),
    # A: abbreviations
    ("A001", W, "{term} looks like an abbreviation but is not in abbreviations.yaml (used {count} times)"),
    ("A002", W, "abbreviation {term} is never used in the text"),
    # X: the index of names (names.yaml)
    ("X001", W, "name {name} is never mentioned in the text"),
    ("X002", W, "variant {variant!r} is claimed by {first} and {second}"),
    ("X003", E, "{field} of {name}: no entry {target} in names.yaml"),
    ("X004", E, "name {name} is listed twice in names.yaml"),
    ("X005", E, "[…]{{.name key=\"{key}\"}}: no such entry in names.yaml"),
    ("X006", E, "{field} of {name} comes back to it: {chain}"),
    ("X007", W, "{field} of {name}: {target} only sends the reader on (see {onward}): point there instead"),
    # L: laying out the PDF
    ("L001", E, "the pagination did not settle: {detail}"),
    ("L002", E, "a footnote would be lost or misplaced: {detail}"),
    ("L003", E, "the layout asked for a file it may not read: {detail}"),
    # L004-: what the printer named in book.yaml (print.printer) would refuse
    ("L004", E, "{printer} prints books of {least} to {most} pages; this one has {pages}"),
    ("L005", E, "{printer} asks an inside margin of at least {inside:.2f} mm for {pages} pages and an outside "
                "margin of at least {outside:.2f} mm; the book's are {book_inside:.2f} and {book_outside:.2f} mm: "
                "widen the margins of @page :left and :right in styles/print.css by {missing:.2f} mm in all, "
                "or narrow the text block"),
    ("L006", E, "{printer} asks for {standard}, which the pipeline does not write yet: choose print.printer "
                "generic (PDF/X-4), kdp or ingramspark"),
    ("L007", E, "{printer} asks for {standard}, which allows no transparency; page {page} has {what}: remove "
                "the CSS opacity, rgba() colour or blend mode there, or the image's alpha channel"),
    ("L008", E, "{printer} allows a total ink of at most {limit} % on the cover; {colour} takes {ink:.0f} % "
                "({where}): choose a lighter or less saturated colour in styles/cover.css"),
    ("L009", E, "{printer} asks for {standard} (PDF 1.3), which cannot embed the font {font}: {detail}; "
                "use an OpenType face with CFF outlines (.otf) or a TrueType face"),
    # L011-: what the printer's colours cannot hold (render/pdf/spaces.py: a gradient that is not linear or radial)
    ("L011", E, "page {page} of this part holds what cannot be printed in {into}: {what}"),
    ("L012", E, "{printer}'s cover holds what cannot be printed in CMYK: {what} (styles/cover.css)"),
    ("L013", E, "a table is wider than the text block: {detail}"),
    # T: importing a book from extracted text (`pipeline import`)
    ("T001", E, "import profile {name!r} not found: no structure.yaml in pipeline/importer/profiles/{name} "
                "nor in a folder of that name"),
    ("T002", E, "cannot read the source: {reason}"),
    ("T003", E, "corrections.yaml {key}: {detail}"),
    ("T004", E, "correction at line {where} is outside the source ({lines} lines)"),
    ("T005", E, "heading lines do not hold the title {title!r} the profile gives"),
    ("T006", E, "no import profile given (--profile NAME)"),
    ("T007", E, "correction expects {text!r} once on this line, found it {count} times"),
    ("T008", E, "register.yaml {key}: {detail}"),
    ("T009", E, "{action}: the book's list has no entry {term!r}"),
    ("T010", E, "{action} {term!r}: say why"),
    ("T011", E, "add: {term!r} is already in the register"),
    ("T013", E, "ignore entry without code, match or reason: {entry}"),
    ("T014", E, "the profile names line {number}, but the source has {lines} lines: is it the profile's text?"),
    ("T015", E, "structure.yaml {key}: {detail}"),
    ("T016", E, "titles.yaml {key}: {detail}"),
    ("T017", E, "repair.yaml {key}: {detail}"),
    # D: `diff`, its inputs (exit status 2: trouble, told apart from 1, "the builds differ")
    ("D001", E, "{count} snapshot(s) here, need {needed}: build the book again, or name OLD and NEW"),
    ("D002", E, "no such file, and a git revision cannot start with '-'"),
    ("D003", E, "not a snapshot, an EPUB, a PDF or a git revision of {manuscript}"),
    ("D004", E, "not a readable part text: {reason}"),
    ("D005", E, "not a readable snapshot manifest: {reason}"),
    ("D006", E, "not a readable snapshot manifest: {at} is {found}, not {wanted}"),
    ("D007", E, "{at}.file {name!r} is not a file inside the snapshot; refused"),
    ("D008", E, "revision {rev}: the manuscript does not build: {first}"),
    ("D009", E, "{rev!r} is not a git revision of this folder"),
    ("D010", E, "revision {rev}: git cannot read this folder at that revision ({why})"),
    ("D011", E, "revision {rev}: {name} is not a plain file (mode {mode}); not exported"),
    ("D012", E, "{size} MB, larger than the {limit} MB limit for {kind}"),
    ("D013", E, "revision {rev}: git cannot read the manuscript's files"),
    ("D014", E, "revision {rev}: object {sha} is missing from the repository"),
    ("D015", E, "cannot read: {reason}"),
    ("D016", E, "not a readable EPUB: {reason}"),
    ("D017", E, "{count} members, more than an EPUB needs; refused"),
    ("D018", E, "unsafe member name {name!r} (outside the archive); refused"),
    ("D019", E, "{what} inflates past the size limit; refused as a zip bomb"),
    ("D020", E, "{member}: not well-formed XML ({reason})"),
    ("D021", E, "EPUB member {member!r} is missing"),
    ("D022", E, "META-INF/container.xml names no package document"),
    ("D023", E, "{member}: no body"),
    ("D024", E, "not a readable PDF: {reason}"),
    ("D025", E, "{pages} pages, more than the {limit} a book may have"),
    ("D026", E, "cannot compare this with {other}: give two of a kind (EPUBs, PDFs, snapshots)"),
    ("D027", E, "unexpected error ({kind}): {message}"),
    # C: `check pdf`, the preflight of a built PDF; the path is the PDF (or its
    # cover), the line the page (1-based, as viewers count), 0 the file as a whole
    ("C001", E, "page boxes differ from page 1's"),
    ("C002", E, "TrimBox outside BleedBox"),
    ("C003", E, "BleedBox outside MediaBox"),
    ("C004", E, "trim {got}, book.yaml asks for {want}"),
    ("C005", E, "a PDF/X file without TrimBox and BleedBox"),
    ("C006", E, "bleed {least:.1f} mm, want {want:g} mm"),
    ("C007", E, "fonts not embedded: {fonts}"),
    ("C008", E, "fonts not subset: {fonts}"),
    ("C009", E, "faces that are not the book's: {faces}"),
    ("C010", E, "{count} pages: not a multiple of {multiple}"),
    ("C011", E, "PDF/X without a /GTS_PDFX OutputIntent holding a profile"),
    ("C012", E, "not PDF/X, as a printer's file must be"),
    ("C013", W, "document metadata missing: {missing}"),
    ("C014", W, "widow in running text: {text!r}"),
    ("C015", W, "orphan in running text: {text!r}"),
    ("C016", E, "{count} {what} in {pages} pages, more than one in {per}: print.css's widows/orphans rule is "
                "not taking effect"),
    ("C017", W, "{lines} hyphenated lines in a row, the first ending {text!r}"),
    ("C018", E, "the running head runs into the folio or onto two lines"),
    ("C019", E, "a page with text and no folio"),
    ("C020", E, "a folio and no running head"),
    ("C021", E, "the cover has {count} pages, want 1"),
    ("C022", E, "the cover has no TrimBox or BleedBox"),
    ("C023", E, "spine {spine:.2f} mm for {pages} pages on {basis}, want {want:.2f} mm (cover {width:.1f} × "
                "{height:.1f} mm, book trim {bw:.1f} × {bh:.1f} mm)"),
    ("C024", E, "not a readable PDF: {reason}"),
    # C025-: colour and PDF/X-1a (printer profiles, issue 17)
    ("C025", E, "draws in colour ({kinds}), in a black-and-white interior"),
    ("C026", E, "puts ink on the {plates} plate(s) beside Black, in a black-and-white interior "
                "(Ghostscript's separations)"),
    ("C027", E, "book.yaml's printer asks for PDF/X-1a:2001; this file does not claim it "
                "(Info GTS_PDFXConformance)"),
    ("C028", E, "PDF/X-1a:2001 is PDF 1.3 without object or cross-reference streams; this file is PDF "
                "{version}{streams}"),
    ("C029", E, "the PDF/X-1a identification is wrong: {wrong}"),
    ("C030", E, "the PDF/X-1a output intent is wrong: {wrong}"),
    ("C031", E, "PDF/X-1a asks for a TrimBox and a BleedBox, and no ArtBox, on every page; {count} pages "
                "differ, first {pages}"),
    ("C032", E, "compression PDF/X-1a:2001 forbids: {filters}"),
    ("C033", E, "transparency, which PDF/X-1a forbids: {what}"),
    ("C034", E, "RGB, Lab or ICC-based colour, which PDF/X-1a forbids: {what}"),
    ("C035", E, "fonts PDF 1.3 cannot hold: {what}"),
    ("C036", E, "total ink of {ink:.0f} % ({where}), over the printer's limit of {limit} %"),
    # the margins measured from the text on each page, against the printer's (preflight/margins.py)
    ("C037", E, "inside margin {got:.2f} mm, {printer} asks at least {want:.2f} mm for {pages} pages"),
    ("C038", E, "outside margin {got:.2f} mm, {printer} asks at least {want:.2f} mm"),
    # images as placed (preflight/images.py)
    ("C039", E, "an image of {pixels} prints at {ppi} ppi, below the least of {least}: it would print coarse"),
    ("C040", W, "an image of {pixels} prints at {ppi} ppi, below the {wanted} ppi printers ask for"),
    ("C041", E, "{printer} prints books of {least} to {most} pages; this file has {pages}"),
    ("C042", W, "{count} loose line(s), interword space over {times:g} times the natural space, the first "
                "{text!r} (more than one in {aim} pages in the book)"),
    ("C043", W, "a word hyphenated across the turn of a recto: {text!r}"),
    ("C044", W, "a heading or a section's first line at the foot of the page: {text!r}"),
    # CMYK in a printer's file separated for its condition: a colour interior, a cover (preflight/colour.py, cover.py)
    ("C045", E, "draws in RGB, Lab or ICC-based colour ({what}), in a printer's file that must be CMYK"),
    ("C046", E, "total ink of {ink:.0f} % on this page (Ghostscript's separations), over the printer's limit of "
                "{limit} %: lighten or desaturate the picture or colour there"),
    # a line past the text block, read from the pages like the finish (preflight/finish.py)
    ("C047", W, "a line runs {mm:.2f} mm past the measure: {text!r}"),
    # a line's opening, read from the pages like the finish (preflight/finish.py, glyphs.py)
    ("C048", W, "a line opens with a note call, parted from the word it follows: {text!r}"),
    ("C049", W, "a line opens with a closing raya, parted from the word it follows: {text!r}"),
    # S: the snapshot each build keeps for `diff` (printed; the build stands)
    ("S001", W, "snapshot not written, the build is kept: {kind}: {reason}"),
    # F: fonts and print
    ("F001", E, "character {char!r} ({codepoint} {name}) is missing from {faces}: the PDF would set it in "
                "another face; near: \"{context}\""),
    ("F002", W, "print ISBN {isbn!r} is not a valid ISBN-13: the cover's barcode area is left blank"),
    # F1xx: fonts in a built PDF, found by the preflight (`check pdf`, preflight/fonts.py; issue 17)
    ("F101", E, "subset tag {tag} names {count} different font programs ({faces}): a RIP that caches fonts "
                "by name may draw the wrong glyphs; each subset needs a tag of its own (ISO 32000-1 9.6.4)"),
    ("F102", W, "{face}: {count} font programs embedded, where one subset of every glyph used would do"),
    ("F103", E, "{font}: {count} glyphs used have no glyph in its program, first {glyphs}"),
    ("F104", W, "{face}: the units' font programs could not be made one ({detail}); each keeps its own, "
                "under a tag of its own"),
)


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    code: str
    message: str

    @property
    def severity(self) -> Severity:
        return CODES[self.code].severity

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.code} {self.message}"


def make(code: str, path, line: int = 0, **fields) -> Diagnostic:
    return Diagnostic(str(path), line, code, CODES[code].template.format(**fields))


@dataclass
class Report:
    """Diagnostics collected along a build, in the order they were found."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, code: str, path, line: int = 0, **fields) -> None:
        self.items.append(make(code, path, line, **fields))

    def extend(self, diags) -> None:
        self.items.extend(diags)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    def check(self, strict: bool = False) -> None:
        """Stop here if anything so far is an error (with `strict`, any warning too)."""
        if self.errors or (strict and self.items):
            raise BuildError(self)


class BuildError(Exception):
    """A build stopped on errors in the manuscript (exit status 1)."""

    def __init__(self, report: Report):
        super().__init__("\n".join(map(str, report.items)))
        self.report = report

    def __reduce__(self):   # crosses back from a worker process whole
        return BuildError, (self.report,)
