"""The EPUB's accessibility metadata follows what the book holds
(pipeline/render/epub/a11y.py), on hand-built Books."""

from __future__ import annotations

from pathlib import Path

from pipeline.manuscript import BookConfig
from pipeline.model import Abbreviation, Book, Document, IndexEntry, Mention, Note
from pipeline.render.epub import a11y

CONFIG = {"title": "Libro", "language": "es", "creators": [{"name": "A", "role": "author"}], "date": "2026",
          "identifiers": {"ebook": "urn:uuid:1", "print": "978-84-0000-000-4"},
          "contents": [{"file": "a.md", "role": "chapter"}]}


def book(html: str = "<p>Texto.</p>", note_html: str | None = None, accessibility: dict | None = None,
         index: bool = False, glossary: bool = False, language: str = "es") -> Book:
    config = BookConfig.model_validate({**CONFIG, "language": language, "accessibility": accessibility or {}})
    notes = (Note("n1", "a", "1", "numbered", note_html, ("ref-n1",), "a.md:3"),) if note_html else ()
    docs = [Document("a", "chapter", "A", "A", None, None, html, notes, "a.md")]
    entries = ()
    if index:
        docs.append(Document("index", "index", "Índice onomástico", "Índice onomástico", None, None, "", (), None))
        entries = (IndexEntry("Serge, Victor", "Serge, Victor", mentions=(Mention("m-a-1", "a", "Serge"),)),)
    abbreviations = (Abbreviation("CNT", "Confederación Nacional del Trabajo", uses=1),) if glossary else ()
    if glossary:
        docs.append(Document("glossary", "glossary", "Abreviaturas", "Abreviaturas", None, None, "", (), None))
    return Book(config, tuple(docs), Path("."), abbreviations=abbreviations, index=entries)


def rows(b: Book, pages: bool = False) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for prop, value, _ in a11y.metadata(b, pages):
        out.setdefault(prop, []).append(value)
    return out


def test_a_text_alone_is_textual_and_claims_wcag_22_aa():
    meta = rows(book())
    assert meta["schema:accessMode"] == ["textual"]
    assert meta["schema:accessModeSufficient"] == ["textual"]
    assert meta["schema:accessibilityFeature"] == ["structuralNavigation", "tableOfContents", "readingOrder",
                                                   "displayTransformability"]
    assert meta["schema:accessibilityHazard"] == ["none"]
    assert meta["dcterms:conformsTo"] == ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]
    assert "a11y:certifiedBy" not in meta and "a11y:exemption" not in meta
    assert meta["schema:accessibilitySummary"][0].endswith("Cumple EPUB Accessibility 1.1 - WCAG 2.2 Level AA.")


def test_described_images_add_the_visual_mode_and_alternative_text():
    b = book('<p>Uno.</p><figure><img src="images/a.png" alt="Una reja"/></figure>'
             '<p><img src="images/b.png" alt="Otra"/></p>')
    meta = rows(b)
    assert meta["schema:accessMode"] == ["textual", "visual"]
    assert meta["schema:accessModeSufficient"] == ["textual,visual", "textual"]
    assert "alternativeText" in meta["schema:accessibilityFeature"]
    assert "2 imágenes, todas con descripción textual." in meta["schema:accessibilitySummary"][0]
    assert meta["dcterms:conformsTo"]


def test_an_image_without_alt_text_withdraws_the_claim_and_the_feature():
    b = book('<p><img src="images/a.png" alt="Una reja"/><img src="images/b.png" alt=""/></p>')
    meta = rows(b)
    assert "alternativeText" not in meta["schema:accessibilityFeature"]
    assert meta["schema:accessModeSufficient"] == ["textual,visual"]   # the text alone no longer suffices
    assert "dcterms:conformsTo" not in meta
    summary = meta["schema:accessibilitySummary"][0]
    assert "2 imágenes, 1 con descripción textual." in summary and "No declara conformidad" in summary


def test_an_image_in_a_note_counts():
    meta = rows(book(note_html='<p>Véase <img src="images/a.png" alt=""/>.</p>'))
    assert meta["schema:accessMode"] == ["textual", "visual"] and "dcterms:conformsTo" not in meta


def test_formulas_described_only_by_mathml_alttext():
    tex = rows(book('<p>Sea <span class="math inline">\\(x^2\\)</span>.</p>'))
    assert "describedMath" not in tex["schema:accessibilityFeature"] and "dcterms:conformsTo" not in tex
    mathml = rows(book('<p>Sea <math alttext="x al cuadrado"><mi>x</mi></math>.</p>'))
    assert "describedMath" in mathml["schema:accessibilityFeature"] and mathml["dcterms:conformsTo"]
    assert "1 fórmula, descrita." in mathml["schema:accessibilitySummary"][0]


def test_mathml_as_pandoc_writes_it_is_a_feature_and_described_by_its_alttext():
    """Pandoc's MathML declares its namespace (the book's fragments are XML):
    counted as MathML, described when its alttext holds the TeX."""
    ns = 'xmlns="http://www.w3.org/1998/Math/MathML"'
    described = rows(book(f'<p>Sea <math {ns} alttext="x^2"><mi>x</mi></math>.</p>'))
    assert {"MathML", "describedMath"} <= set(described["schema:accessibilityFeature"])
    bare = rows(book(f'<p>Sea <math {ns}><mi>x</mi></math>.</p>'))
    assert "MathML" in bare["schema:accessibilityFeature"]
    assert "describedMath" not in bare["schema:accessibilityFeature"] and "dcterms:conformsTo" not in bare
    tex = rows(book('<p>Sea <span class="math inline">\\(x^2\\)</span>.</p>'))
    assert "MathML" not in tex["schema:accessibilityFeature"]


def test_notes_tables_index_glossary_and_pages_are_said_and_listed():
    b = book("<table><tr><th>Año</th></tr><tr><td>1917</td></tr></table>", note_html="<p>Nota.</p>",
             index=True, glossary=True)
    meta = rows(b, pages=True)
    features = meta["schema:accessibilityFeature"]
    assert features[4:] == ["index", "pageBreakMarkers", "pageNavigation", "annotations"]
    summary = meta["schema:accessibilitySummary"][0]
    for said in ("1 nota enlazada", "1 tabla con encabezados.", "se reúnen en «Abreviaturas»",
                 "«Índice onomástico» con enlaces a las páginas de cada mención.",
                 "Los números de página de la edición impresa"):
        assert said in summary, said


def test_no_page_list_no_page_features():
    meta = rows(book(index=True), pages=False)
    assert "pageBreakMarkers" not in meta["schema:accessibilityFeature"]
    assert "pageNavigation" not in meta["schema:accessibilityFeature"]
    assert "«Índice onomástico» con enlaces a cada mención." in meta["schema:accessibilitySummary"][0]


def test_certifier_and_credential_are_rows_of_the_claim():
    b = book(accessibility={"certified_by": "Lectura Fácil", "certifier_credential": "https://example.org/c"})
    meta = a11y.metadata(b, False)
    assert ("a11y:certifiedBy", "Lectura Fácil", {"id": "certifier"}) in meta
    assert ("a11y:certifierCredential", "https://example.org/c", {"refines": "#certifier"}) in meta
    summary = rows(b)["schema:accessibilitySummary"][0]
    assert summary.endswith("según la evaluación de Lectura Fácil.")


def test_an_exemption_replaces_the_claim():
    meta = rows(book(accessibility={"exemption": "eaa-microenterprise"}))
    assert meta["a11y:exemption"] == ["eaa-microenterprise"]
    assert "dcterms:conformsTo" not in meta
    assert "exención de la Ley Europea de Accesibilidad" in meta["schema:accessibilitySummary"][0]


def test_the_summary_is_in_the_books_language():
    summary = rows(book(language="en", note_html="<p>A note.</p>"))["schema:accessibilitySummary"][0]
    assert summary.startswith("Structured text with headings")
    assert "1 note linked both ways with its reference." in summary
    assert summary.endswith("Meets EPUB Accessibility 1.1 - WCAG 2.2 Level AA.")
