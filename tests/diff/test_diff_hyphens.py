"""Words split at a line's or a page's end (diff/hyphens.py): the diff reads
them whole, so a word split elsewhere is no change of the text, and keeps a
hyphen the author typed.

Page texts are written as pdfium reads a WeasyPrint PDF: U+2010 ends a line
hyphenated by the layout; a typed "-" at a line's end between letters makes
pdfium read the two lines as one with U+FFFE in the hyphen's place (the
tiny PDFs at the end show both)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.diff import pages
from pipeline.diff.hyphens import unsplit
from pipeline.diff.inputs import pdf_parts

H = "\u2010"     # WeasyPrint's hyphen at a hyphenation
J = "\ufffe"     # pdfium: a typed "-" at a line's end, the next line read on after it

BEFORE = ("Primera línea del texto que sigue", "y termina al pie con una pala" + H)
AFTER = ("bra larga que continúa aquí", "hasta el final.")


def _changes(old, new) -> list[tuple]:
    return [(c.old, c.new, c.kind, c.deleted, c.inserted) for c in pages.classify(*unsplit(old, new))]


def test_a_word_split_elsewhere_across_the_page_turn_is_no_change():
    new = [(BEFORE[0], BEFORE[1][:-5] + "pa" + H), ("labra larga que continúa aquí", AFTER[1])]
    assert _changes([BEFORE, AFTER], new) == []
    whole = [(BEFORE[0], BEFORE[1][:-5] + "palabra"), ("larga que continúa aquí", AFTER[1])]
    assert _changes([BEFORE, AFTER], whole) == []


def test_pages_moved_on_with_the_word_split_elsewhere_are_moved():
    """An edit before them pushed them a page on, and the new layout splits the word elsewhere."""
    new = [("Una página nueva entera",), (BEFORE[0], BEFORE[1][:-5] + "palabra"), ("larga que continúa aquí", AFTER[1])]
    assert _changes([BEFORE, AFTER], new) == [
        (None, 1, "text", (), ("Una", "página", "nueva", "entera")), (1, 2, "moved", (), ()), (2, 3, "moved", (), ())]


def test_the_split_word_goes_on_past_the_notes_at_the_page_foot():
    old = [(*BEFORE, "12 Una nota al pie.", "13 Otra nota."), AFTER]
    new = [(BEFORE[0], BEFORE[1][:-5] + "pa" + H, "12 Una nota al pie.", "13 Otra nota."),
           ("labra larga que continúa aquí", AFTER[1])]
    assert _changes(old, new) == []
    assert unsplit(old)[0][0][1] == "y termina al pie con una palabra"


def test_a_split_inside_a_page_is_no_change():
    old = [("Un párrafo que se parte en dos lí" + H, "neas y sigue igual.")]
    new = [("Un párrafo que se parte en dos líneas", "y sigue igual.")]
    assert _changes(old, new) == []


def test_an_edit_beside_a_split_marks_the_edited_word_on_its_page():
    new = [(BEFORE[0], BEFORE[1][:-5] + "pa" + H), ("labra corta que continúa aquí", AFTER[1])]
    assert _changes([BEFORE, AFTER], new) == [(2, 2, "text", ("larga",), ("corta",))]


def test_an_edited_split_word_is_marked_whole_on_the_page_it_begins():
    new = [(BEFORE[0], BEFORE[1][:-5] + "pala" + H), ("dín larga que continúa aquí", AFTER[1])]
    assert _changes([BEFORE, AFTER], new) == [(1, 1, "text", ("palabra",), ("paladín",))]


def test_a_typed_hyphen_at_a_line_end_stays_one_hyphenated_word():
    """pdfium read the lines "franco-" and "ruso" as one, U+FFFE in the hyphen's place: read back
    as "franco-ruso", as the other side prints it inside a line."""
    old = [(f"El pacto franco{J}ruso de aquel año", "fue firmado en 1922-", "1923 por ambos.")]
    new = [("El pacto franco-ruso", "de aquel año fue firmado", "en 1922-1923 por ambos.")]
    assert unsplit(old)[0] == [("El pacto franco-ruso de aquel año", "fue firmado en 1922-", "1923 por ambos.")]
    assert _changes(old, new) == [(1, 1, "reflow", (), ())]   # the same words, other line breaks
    edited = [("El pacto francorruso", "de aquel año fue firmado", "en 1922-1923 por ambos.")]
    assert _changes(old, edited) == [(1, 1, "text", ("franco", "-", "ruso"), ("francorruso",))]


def test_a_producer_that_hyphenates_with_a_minus_joins_words_the_text_prints_solid():
    """U+FFFE stands for a layout hyphen only where the word is printed solid
    elsewhere and never with a hyphen; a compound printed both ways keeps it."""
    old = [(f"una pala{J}bra y el anarco{J}sindicalismo", "otra palabra, el anarcosindicalismo",
            "y el anarco-sindicalismo")]
    assert unsplit(old)[0][0][0] == "una palabra y el anarco-sindicalismo"


# -- tiny PDFs laid out by WeasyPrint, hyphenated in Spanish -------------------

TEXT = ("El pacto franco-ruso de aquel año fue una consecuencia extraordinariamente complicada de las "
        "conversaciones diplomáticas, internacionalmente comentadas por los anarco-sindicalistas. Los "
        "corresponsales extranjeros describieron minuciosamente las negociaciones interminables entre "
        "ministerios, embajadas y comisiones político-militares y económico-financieras. Ningún observador "
        "imparcial consideraba verosímil que el entendimiento germano-soviético sobreviviera a las "
        "desavenencias teórico-prácticas, histórico-políticas y militares que separaban irremediablemente "
        "a ambos gobiernos. Sin embargo, la correspondencia confidencial publicada posteriormente demuestra "
        "que las conversaciones prosiguieron ininterrumpidamente durante todo el invierno siguiente, hasta "
        "la primavera, cuando los acontecimientos revolucionarios obligaron a reconsiderar completamente la "
        "estrategia franco-británica y a improvisar alianzas provisionales, contradictorias y "
        "sorprendentemente duraderas.")


def _pdf(path: Path, text: str, width: str) -> Path:
    import weasyprint

    css = (f"@page {{ size: {width} 5cm; margin: 0.8cm }} body {{ font: 11pt serif }} "
           "p { hyphens: auto; text-align: justify; orphans: 1; widows: 1 }")
    weasyprint.HTML(string=f'<html lang="es"><style>{css}</style><p>{text}</p></html>').write_pdf(path)
    return path


@pytest.fixture(scope="module")
def split(tmp_path_factory):
    d = tmp_path_factory.mktemp("hyphens")
    return {"wide": _pdf(d / "wide.pdf", TEXT, "9cm"), "narrow": _pdf(d / "narrow.pdf", TEXT, "8.3cm"),
            "edited": _pdf(d / "edited.pdf", TEXT.replace("complicada", "compleja", 1), "8.3cm")}


def test_pdfs_split_elsewhere_read_the_same_words(split):
    from pipeline.diff.pdf import Pdf

    with Pdf(split["narrow"]) as doc:
        raw = doc.raw_lines()
    assert any(page[-1].endswith(H) for page in raw[:-1])                # a word split across a page turn
    assert any(J in line for page in raw for line in page)              # a typed hyphen at a line's end
    wide, narrow = (p["pdf"].text.paragraphs for p in pdf_parts(split["wide"], split["narrow"]))
    assert wide == narrow and " ".join(narrow).count("franco-") == 2 and "germano-soviético" in " ".join(narrow)
    assert "text" not in {c.kind for c in pages.compare_pdfs(split["wide"], split["narrow"]).changes}


def test_an_edit_in_a_hyphenated_pdf_marks_the_edited_word(split):
    changes = pages.compare_pdfs(split["narrow"], split["edited"]).changes
    (text,) = [c for c in changes if c.kind == "text"]
    assert (text.deleted, text.inserted) == (("complicada",), ("compleja",)) and text.old == text.new == 1
