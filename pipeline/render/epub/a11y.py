"""The EPUB's accessibility metadata, computed from what the book contains.

Before: the frozen Book, and whether the EPUB carries a page-list (the PDF
was laid out in the same build).
After: the package's <meta> rows (property, value, attributes): access
modes, features, hazards, a summary written from the book's contents,
the EPUB Accessibility 1.1 conformance claim with its certifier
(book.yaml `accessibility:`), or the EAA exemption instead of a claim.

A feature is listed only when the book has it (`alternativeText` when every
image has a text alternative, `describedMath` when every formula is
described, `index` when there is an index of names), and the claim only
when what the claim needs holds: stores and libraries read these rows as
promises to their readers.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from pipeline.model import Book

MATHML = "{http://www.w3.org/1998/Math/MathML}"
CLAIM = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"


@dataclass(frozen=True)
class Contents:
    """What a reader meets in the book, counted from its XHTML."""

    images: int = 0            # in the text and notes (the cover apart)
    described_images: int = 0  # of those, with a text alternative
    tables: int = 0
    formulas: int = 0
    mathml: int = 0            # of those, written as MathML (resolve/html.py: every formula Pandoc could convert)
    described_formulas: int = 0
    notes: int = 0
    index: str = ""            # the index's title, when the book has one with entries
    glossary: str = ""         # the glossary's title, when it lists abbreviations
    pages: bool = False        # a page-list of the print edition

    @property
    def alt_text(self) -> bool:
        return self.images > 0 and self.described_images == self.images

    @property
    def described_math(self) -> bool:
        return self.formulas > 0 and self.described_formulas == self.formulas

    @property
    def conforms(self) -> bool:
        """What WCAG asks of the content itself that the pipeline cannot
        guarantee by construction: a text alternative for every image (1.1.1)
        and every formula."""
        return self.described_images == self.images and self.described_formulas == self.formulas


def contents(book: Book, pages: bool) -> Contents:
    counts = {"images": 0, "described_images": 0, "tables": 0, "formulas": 0, "mathml": 0, "described_formulas": 0}
    for fragment in _fragments(book):
        root = etree.fromstring(f"<div>{fragment}</div>")
        for node in root.iter("img", "table", MATHML + "math", "math", "span"):
            _count(node, counts)
    index = next((d.title for d in book.documents if d.role == "index"), "") if book.index else ""
    glossary = next((d.title for d in book.documents if d.role == "glossary"), "") if book.glossary() else ""
    return Contents(**counts, notes=len(book.notes), index=index, glossary=glossary, pages=pages)


def _fragments(book: Book):
    for doc in book.documents:
        yield doc.html
        yield from (note.html for note in doc.notes)


def _count(node, counts: dict) -> None:
    if node.tag == "img":
        counts["images"] += 1
        counts["described_images"] += bool((node.get("alt") or "").strip())
    elif node.tag == "table":
        counts["tables"] += 1
    elif node.tag in ("math", MATHML + "math") or "math" in (node.get("class") or "").split():
        # Pandoc writes TeX in a span.math, MathML as math: described only by alttext
        counts["formulas"] += 1
        counts["mathml"] += node.tag != "span"
        counts["described_formulas"] += bool((node.get("alttext") or "").strip())


def features(c: Contents) -> list[str]:
    out = ["structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"]
    if c.index:
        out.append("index")
    if c.pages:
        out += ["pageBreakMarkers", "pageNavigation"]
    if c.alt_text:
        out.append("alternativeText")
    if c.mathml:
        out.append("MathML")
    if c.described_math:
        out.append("describedMath")
    if c.notes:
        out.append("annotations")
    return out


def access_modes(c: Contents) -> tuple[list[str], list[str]]:
    """accessMode and accessModeSufficient: images add the visual mode; the
    text alone suffices when every image is described."""
    if not c.images:
        return ["textual"], ["textual"]
    sufficient = ["textual,visual"] + (["textual"] if c.alt_text else [])
    return ["textual", "visual"], sufficient


def claim(book: Book, c: Contents) -> str | None:
    """The conformance claim, or None: an exempt publisher claims none, and
    a book with undescribed images or formulas does not meet it."""
    if book.config.accessibility.exemption or not c.conforms:
        return None
    return CLAIM


def metadata(book: Book, pages: bool) -> list[tuple[str, str, dict]]:
    """The package's accessibility <meta> rows, in a fixed order."""
    c = contents(book, pages)
    a11y = book.config.accessibility
    modes, sufficient = access_modes(c)
    rows = [("schema:accessMode", m, {}) for m in modes]
    rows += [("schema:accessModeSufficient", m, {}) for m in sufficient]
    rows += [("schema:accessibilityFeature", f, {}) for f in features(c)]
    conformance = claim(book, c)
    rows += [("schema:accessibilityHazard", "none", {}),
             ("schema:accessibilitySummary", summary(book.config.language, c, conformance, a11y), {})]
    if conformance:
        rows.append(("dcterms:conformsTo", conformance, {}))
        if a11y.certified_by:
            rows.append(("a11y:certifiedBy", a11y.certified_by, {"id": "certifier"}))
        if a11y.certifier_credential:
            rows.append(("a11y:certifierCredential", a11y.certifier_credential, {"refines": "#certifier"}))
    if a11y.exemption:
        rows.append(("a11y:exemption", a11y.exemption, {}))
    return rows


def summary(language: str, c: Contents, conformance: str | None, a11y) -> str:
    """The accessibilitySummary: what the book holds, said in its language."""
    words = SUMMARY.get(language.split("-")[0], SUMMARY["en"])
    parts = [words["structure"]]
    if c.notes:
        parts.append(words["notes"](c.notes))
    if c.images:
        parts.append(words["images"](c.images, c.described_images))
    if c.tables:
        parts.append(words["tables"](c.tables))
    if c.formulas:
        parts.append(words["formulas"](c.formulas, c.described_formulas))
    if c.glossary:
        parts.append(words["glossary"](c.glossary))
    if c.index:
        parts.append(words["index"](c.index, c.pages))
    if c.pages:
        parts.append(words["pages"])
    parts.append(words["hazards"])
    parts.append(_verdict(words, conformance, a11y))
    return " ".join(parts)


def _verdict(words: dict, conformance: str | None, a11y) -> str:
    if a11y.exemption:
        return words["exempt"]
    if conformance is None:
        return words["no-claim"]
    return words["claim"](conformance, a11y.certified_by)


def _n(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


SUMMARY = {
    "es": {
        "structure": "Texto estructurado con encabezados, una tabla de contenido navegable y un orden de lectura "
                     "único; el texto se adapta a la letra, el tamaño y los colores que elija el lector.",
        "notes": lambda n: f"{_n(n, 'nota enlazada', 'notas enlazadas')} con su llamada en ambos sentidos.",
        "images": lambda n, d: ("1 imagen, " if n == 1 else f"{n} imágenes, ") + (
            ("con su descripción textual." if n == 1 else "todas con descripción textual.") if d == n else
            f"{d} con descripción textual."),
        "tables": lambda n: f"{_n(n, 'tabla', 'tablas')} con encabezados.",
        "formulas": lambda n, d: f"{_n(n, 'fórmula', 'fórmulas')}, " + (
            ("descrita." if n == 1 else "todas descritas.") if d == n else f"{d} descritas."),
        "glossary": lambda t: f"Las abreviaturas llevan su desarrollo y se reúnen en «{t}».",
        "index": lambda t, p: (f"«{t}» con enlaces a " + ("las páginas de cada mención." if p else
                                                          "cada mención.")),
        "pages": "Los números de página de la edición impresa están marcados en el texto y se puede ir a "
                 "cualquiera de ellos.",
        "hazards": "Sin riesgos conocidos: ni destellos, ni movimiento, ni sonido.",
        "claim": lambda c, by: f"Cumple {c}" + (f", según la evaluación de {by}." if by else "."),
        "no-claim": "No declara conformidad con EPUB Accessibility: hay imágenes o fórmulas sin descripción.",
        "exempt": "El editor se acoge a una exención de la Ley Europea de Accesibilidad y no declara conformidad.",
    },
    "en": {
        "structure": "Structured text with headings, a navigable table of contents and a single reading order; "
                     "the text follows the typeface, size and colours the reader chooses.",
        "notes": lambda n: f"{_n(n, 'note', 'notes')} linked both ways with {'its' if n == 1 else 'their'} "
                           f"reference{'' if n == 1 else 's'}.",
        "images": lambda n, d: f"{_n(n, 'image', 'images')}, " + (
            ("with a text description." if n == 1 else "each with a text description.") if d == n else
            f"{d} with a text description."),
        "tables": lambda n: f"{_n(n, 'table', 'tables')} with headers.",
        "formulas": lambda n, d: f"{_n(n, 'formula', 'formulas')}, " + (
            ("described." if n == 1 else "each described.") if d == n else f"{d} described."),
        "glossary": lambda t: f"Abbreviations carry their expansion and are gathered in “{t}”.",
        "index": lambda t, p: f"“{t}” with links to " + ("the pages of each mention." if p else "each mention."),
        "pages": "The page numbers of the print edition are marked in the text, and any of them can be reached.",
        "hazards": "No known hazards: no flashing, motion or sound.",
        "claim": lambda c, by: f"Meets {c}" + (f", as evaluated by {by}." if by else "."),
        "no-claim": "Claims no EPUB Accessibility conformance: some images or formulas have no description.",
        "exempt": "The publisher invokes an exemption of the European Accessibility Act and claims no conformance.",
    },
}
