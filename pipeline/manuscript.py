"""Load and validate a manuscript folder.

Before: a folder with book.yaml and Markdown files.
After: a `Manuscript` (validated settings, ordered contents with resolved
paths) or diagnostics naming the file and line of each problem.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal, Optional, Union

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from pipeline import STYLES, printers, yamlfile
from pipeline.diagnostics import Report

GENERATED = {"glossary", "notes", "index", "toc", "figures", "tables", "references"}
ROLES = Literal[
    "epigraph", "preface", "foreword", "introduction", "chapter", "appendix",
    "afterword", "chronology", "bibliography", "editor-note", "colophon",
    "glossary", "notes", "index", "toc", "figures", "tables", "references",
]
# A bibliography file's format, by its extension (as Pandoc's citeproc reads them).
BIBLIOGRAPHY_FORMATS = {".bib": "biblatex", ".bibtex": "bibtex", ".json": "csljson", ".yaml": "cslyaml",
                        ".yml": "cslyaml"}
CSL_STYLES = STYLES / "csl"          # the bundled CSL styles, chosen by name (styles/csl/README.md)
DEFAULT_CSL = "chicago-notes-bibliography-subsequent-ibid"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Creator(Strict):
    name: str
    role: Literal["author", "editor", "translator", "preface", "illustrator"]
    file_as: Optional[str] = None


class Identifiers(Strict):
    ebook: str
    print: Optional[str] = None


class NotesSettings(Strict):
    numbering: Literal["per-part", "continuous"] = "per-part"
    print: Literal["endnotes", "footnotes"] = "endnotes"
    epub: Literal["book-end", "part-end"] = "book-end"


LENGTH_PATTERN = r"^\d+(\.\d+)?(mm|cm|in|pt)$"
UNITS_MM = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72}


def mm(length: str) -> float:
    """A length such as "3mm" or "0.25in" in millimetres (ValueError if it is none)."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(mm|cm|in|pt)", length.strip())
    if not match:
        raise ValueError(f"{length!r} is not a length such as 3mm (units: mm, cm, in, pt)")
    return float(match.group(1)) * UNITS_MM[match.group(2)]


def _length(low: float, high: float):
    """A length in [low, high] mm: a value the layout and the cover can use
    (a trim of 0 or of a kilometre would reach the engine as a traceback or
    a PDF no printer takes)."""
    def check(value: str) -> str:
        size = mm(value)
        if not low <= size <= high:
            raise ValueError(f"{value} is outside {low:g}-{high:g} mm")
        return value
    return Annotated[str, AfterValidator(check)]


PageLength = _length(50, 1000)      # trim sides: from a pocket book to a broadsheet
BleedLength = _length(0, 25)
Caliper = _length(0.01, 1)          # one leaf of paper


class FiguresSettings(Strict):
    numbering: Literal["chapter", "continuous"] = "chapter"   # "2.1" (chapter 2's first) or "5"


class Trim(Strict):
    width: PageLength = "150mm"
    height: PageLength = "230mm"

# Pages per inch of the papers print-on-demand printers offer, for the spine
# width (spine = pages / ppi). 80 g cream book paper is bulkier than white:
# 0.0025 in per page (400 ppi); 80 g white about 0.00225 in (444 ppi).
PAPERS = {"cream-80": 400, "white-80": 444}


class Paper(Strict):
    """The text paper: a known kind, or its pages per inch, or its caliper
    (the thickness of one leaf, two pages); caliper wins over ppi over kind."""

    kind: str = "cream-80"
    ppi: Optional[float] = Field(None, ge=100, le=2000)   # real papers: about 300-600
    caliper: Optional[Caliper] = None

    @model_validator(mode="after")
    def _known(self):
        if self.ppi is None and self.caliper is None and self.kind not in PAPERS:
            raise ValueError(f"unknown paper kind {self.kind!r}: give ppi or caliper, or one of {', '.join(PAPERS)}")
        return self


class PrintSettings(Strict):
    printer: Literal[printers.PRINTER_NAMES] = "generic"   # pipeline/printers.py
    interior: Literal["bw", "color"] = "bw"    # the printer's file: gray ink alone, or colour
    trim: Trim = Trim()
    bleed: BleedLength = "3mm"
    print_ready: bool = False
    page_multiple: int = Field(2, ge=1, le=64)   # printers ask for 2, 4, 16 or 32; more pads blank pages
    paper: Paper = Paper()
    back_cover: Optional[str] = None     # the back cover's text; else the description

    @property
    def bleed_mm(self) -> float:
        """The bleed of the printer's files: the printer's own (KDP, IngramSpark), else `bleed`."""
        return printers.printer(self.printer).bleed_mm or mm(self.bleed)


# The exemptions EPUB Accessibility 1.1 names for the European Accessibility
# Act (a11y:exemption): a micro-enterprise, a disproportionate burden, a
# fundamental alteration of the work.
EXEMPTIONS = Literal["eaa-microenterprise", "eaa-disproportionate-burden", "eaa-fundamental-alteration"]


class Accessibility(Strict):
    """Who certified the EPUB's accessibility claim, or the exemption the
    publisher invokes instead of one (pipeline/render/epub/a11y.py)."""

    certified_by: Optional[str] = Field(None, min_length=1)
    certifier_credential: Optional[str] = Field(None, min_length=1)
    exemption: Optional[EXEMPTIONS] = None

    # Fields are validated in this order: each check sees the ones above it,
    # and its error names its own line.
    @field_validator("certifier_credential")
    @classmethod
    def _credential_of_someone(cls, value, info: ValidationInfo):
        if value is not None and not info.data.get("certified_by"):
            raise ValueError("a credential needs certified_by: whose credential is it?")
        return value

    @field_validator("exemption")
    @classmethod
    def _exempt_or_certified(cls, value, info: ValidationInfo):
        if value is not None and info.data.get("certified_by"):
            raise ValueError("an exemption means the book claims no conformance, so nobody certifies one: "
                             "give certified_by or exemption, not both")
        return value


class Entry(Strict):
    role: ROLES
    file: Optional[str] = None
    title: Optional[str] = None
    short_title: Optional[str] = None     # running heads, when the title is too long for them


class BookConfig(Strict):
    title: str
    subtitle: Optional[str] = None
    language: str = Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")
    creators: list[Creator] = Field(min_length=1)
    publisher: Optional[str] = None
    date: str = Field(pattern=r"^\d{4}(-\d{2}-\d{2})?$")
    identifiers: Identifiers
    rights: Optional[str] = None
    description: Optional[str] = None
    cover: Optional[str] = None
    notes: NotesSettings = NotesSettings()
    figures: FiguresSettings = FiguresSettings()   # figures and tables alike
    print: PrintSettings = PrintSettings()
    accessibility: Accessibility = Accessibility()
    contents: list[Entry] = Field(min_length=1)
    bibliography: Union[str, list[str], None] = None   # file(s) in the manuscript folder
    csl: Optional[str] = None                          # a .csl file in the manuscript folder, or a bundled name
    nocite: Union[Literal["*"], list[str], None] = None   # keys listed though never cited; "*": all

    @property
    def bibliography_files(self) -> list[str]:
        return [self.bibliography] if isinstance(self.bibliography, str) else list(self.bibliography or [])


class Part(Strict):
    """One contents entry, its file resolved inside the manuscript."""

    index: int
    role: str
    path: Optional[Path] = None
    title: Optional[str] = None
    short_title: Optional[str] = None


class Manuscript(Strict):
    root: Path
    config: BookConfig
    parts: tuple[Part, ...]
    bibliography: tuple[Path, ...] = ()   # book.yaml's bibliography files, resolved
    csl: Optional[Path] = None            # the CSL style, when there is a bibliography

    @property
    def yaml_path(self) -> Path:
        return self.root / "book.yaml"


def load(root: Path) -> Manuscript:
    """Read `root/book.yaml`; raise BuildError with every problem found."""
    report = Report()
    root = Path(root)
    if not root.is_dir():
        report.add("M001", root)
        report.check()
    yaml_path = root / "book.yaml"
    if not yaml_path.is_file():
        report.add("M002", yaml_path)
        report.check()
    config, node = yamlfile.load(yaml_path, BookConfig, report)
    parts = _resolve_parts(root, config, node, yaml_path, report)
    _check_cover(root, config.cover, yamlfile.line_of(node, ["cover"]), yaml_path, report)
    bibliography, csl = _citations(root, config, node, yaml_path, report)
    report.check()
    return Manuscript(root=root, config=config, parts=tuple(parts), bibliography=bibliography, csl=csl)


def _citations(root: Path, config: BookConfig, node, path: Path, report: Report):
    """The bibliography files and the CSL style, resolved; a references
    entry or a style without a bibliography to use them is an error."""
    listed = isinstance(config.bibliography, list)
    files = tuple(_bibliography_file(root, name, yamlfile.line_of(node, ["bibliography", i] if listed else
                                                                  ["bibliography"]), path, report)
                  for i, name in enumerate(config.bibliography_files))
    if not files:
        for i, entry in enumerate(config.contents):
            if entry.role == "references":
                report.add("M004", path, yamlfile.line_of(node, ["contents", i]), key="contents.role",
                           detail="a references entry lists the works cited: book.yaml names no bibliography")
        for key in ("csl", "nocite"):
            if getattr(config, key) is not None:
                report.add("M004", path, yamlfile.line_of(node, [key]), key=key,
                           detail="book.yaml names no bibliography")
        return (), None
    return tuple(f for f in files if f is not None), _csl(root, config.csl, yamlfile.line_of(node, ["csl"]), path, report)


def _bibliography_file(root: Path, name: str, line: int, path: Path, report: Report) -> Path | None:
    target = (root / name).resolve()
    if not target.is_relative_to(root.resolve()):
        problem = "outside the manuscript folder"
    elif target.suffix.lower() not in BIBLIOGRAPHY_FORMATS:
        problem = f"give a {', '.join(BIBLIOGRAPHY_FORMATS)} file (BibLaTeX, BibTeX, CSL JSON or CSL YAML)"
    elif not target.is_file():
        problem = "no such file"
    else:
        return target
    report.add("M015", path, line, file=name, detail=problem)
    return None


NUMERIC = re.compile(r"<category\b[^>]*\bcitation-format=\"numeric\"")
# a style that says nothing of its format but numbers its citations: the number
# in the citation's layout (IEEE's "[1]", Vancouver's superscripts)
CITATION_NUMBER = re.compile(r"<citation\b(?:(?!</citation>).)*?\bvariable=\"citation-number\"", re.S)


def _csl(root: Path, name: str | None, line: int, path: Path, report: Report) -> Path | None:
    """A .csl file in the manuscript folder, else a style bundled in styles/csl by name."""
    name = name or DEFAULT_CSL
    if name.endswith(".csl"):
        target = (root / name).resolve()
        if target.is_relative_to(root.resolve()) and target.is_file():
            return _not_numeric(target, name, line, path, report)
        report.add("M016", path, line, name=name, detail="no such file in the manuscript folder")
        return None
    target = CSL_STYLES / f"{name}.csl"
    if "/" not in name and target.is_file():
        return target
    bundled = ", ".join(sorted(p.stem for p in CSL_STYLES.glob("*.csl")))
    report.add("M016", path, line, name=name, detail=f"no bundled style of that name (bundled: {bundled}; "
                                                     "a file in the manuscript folder ends in .csl)")
    return None


def _not_numeric(target: Path, name: str, line: int, path: Path, report: Report) -> Path | None:
    """Each chapter's citations are formatted alone (ibid. restarts with the
    chapter): a numeric style would number each chapter's works from 1,
    and the references list would not match. Refused rather than wrong."""
    text = target.read_text("utf-8", errors="replace")
    if NUMERIC.search(text[:20000]) or CITATION_NUMBER.search(text):
        report.add("M016", path, line, name=name, detail="a numeric style, which the pipeline does not support "
                                                         "(each chapter is formatted alone, so its numbers would "
                                                         "restart): choose a note or author-date style")
        return None
    return target


def _resolve_parts(root: Path, config: BookConfig, node, path: Path, report: Report) -> list[Part]:
    parts, seen = [], set()
    for i, entry in enumerate(config.contents):
        line = yamlfile.line_of(node, ["contents", i])
        file = _resolve_file(root, entry, line, path, report)
        if file is not None and file in seen:
            report.add("M009", path, line, file=entry.file)
        seen.add(file)
        parts.append(Part(index=i, role=entry.role, path=file, title=entry.title, short_title=entry.short_title))
    return parts


def _resolve_file(root: Path, entry: Entry, line: int, path: Path, report: Report):
    if entry.file is None:
        if entry.role not in GENERATED:
            report.add("M004", path, line, key="contents.file", detail=f"role {entry.role} needs a file")
        return None
    target = (root / entry.file).resolve()
    if not target.is_relative_to(root.resolve()):
        report.add("M006", path, line, file=entry.file)
        return None
    if not target.is_file():
        report.add("M005", path, line, file=entry.file)
        return None
    return target


COVER_TYPES = {"JPEG", "PNG"}       # what EPUB readers and the cover page show
COVER_BYTES = 10_000_000


def _check_cover(root: Path, cover: str | None, line: int, path: Path, report: Report) -> None:
    """The cover image book.yaml names is a JPEG or PNG inside the manuscript:
    the EPUB copies its bytes as they are."""
    if cover is None:
        return
    target = (root / cover).resolve()
    problem = _cover_problem(root.resolve(), target)
    if problem:
        report.add("M010", path, line, file=cover, detail=problem)


def _cover_problem(root: Path, target: Path) -> str | None:
    from PIL import Image

    if not target.is_relative_to(root):
        return "outside the manuscript folder"
    if not target.is_file():
        return "no such file"
    if target.stat().st_size > COVER_BYTES:
        return f"larger than {COVER_BYTES} bytes"
    try:
        with Image.open(target) as img:
            kind = img.format
            img.verify()
    except Exception as exc:   # PIL raises many kinds for a file that is no image
        return f"not an image ({type(exc).__name__})"
    return None if kind in COVER_TYPES else f"a {kind} image: give a JPEG or PNG"
