"""A few paragraphs laid out by WeasyPrint with the book's print sheet
(styles/print.css: its faces, its note calls set in the face's superior
figures): small PDFs for the checks that read what the engine drew."""

from __future__ import annotations

from pathlib import Path

STYLES = Path(__file__).resolve().parent.parent / "styles"


def typeset(path: Path, body: str) -> Path:
    """`body` (HTML of the <body>) laid out with print.css into `path`."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    sheet = weasyprint.CSS(filename=str(STYLES / "print.css"), font_config=fonts)
    html = weasyprint.HTML(string=f"<html lang='es'><body>{body}</body></html>", base_url=STYLES.as_uri() + "/")
    html.render(stylesheets=[sheet], font_config=fonts).write_pdf(path)
    return path


FILL = "Palabras de una línea llena para que el párrafo corra justificado. " * 3


def _notes(*marks: str) -> str:
    """Notes whose label is set as a call is (superior figures), opening their first line."""
    return "".join(f'<div class="note"><p class="note-first"><a class="noteref">{m}</a> Una nota cuyo '
                   f'número, volado, abre su primera línea. {"Y más texto. " * 4}</p></div>' for m in marks)


def openings(cut: bool) -> str:
    """A page for the check of a line's opening (preflight/finish.py, C048, C049).
    With `cut`, a call after a sign is put at a line's start (the break Pango
    allows there, forced), a title note's asterisk call too, and a closing
    raya after a word and after an aside; either way a year and an asterisk
    of the text open lines, rayas open lines as they should (a reply, a ditto
    rule), and notes' labels set as calls open theirs."""
    br = "<br>" if cut else ""
    star = "<a class='noteref'><span class='call-star'>*</span></a>"     # as html.py sets a title note's call
    return (f"<p>{FILL}Hungría.{br}<a class='noteref'>31</a> Después de todo lo que pasó.<br>1936, año "
            f"de palabras, y Denikin{br}—, pensaba, dijo —que no{br}— y se fue.<br>—No, dijo.<br>——— "
            f"Témime, 1962. El prefacio.{br}{star} Sigue.<br>* Un asterisco del texto. {FILL}</p>"
            f"{_notes('1', '2*')}")
