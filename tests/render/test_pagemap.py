"""Where a print page begins, read the same way in both outputs: a line may
break with no space and no hyphen, before a note call the text touches
("Caspio…" | "98") or before a raya after a call or a sign ("francés16" |
"— es", "Internacional!" | "—."); the EPUB reads "Caspio…98" as one word,
so the PDF side must too, or every marker after it in the paragraph stands
a word late (the real book's p. 293 after the hold's reflow)."""

from __future__ import annotations

import pytest
import weasyprint
from lxml import etree

from pipeline.render.epub import pagebreaks
from pipeline.render.pdf import pagemap

NS = "http://www.w3.org/1999/xhtml"
CALLED = ("Boris escribía El Volga desemboca en el mar Caspio…<a class=\"noteref\">98</a> Yo veía en su mesa "
          "de trabajo manuscritos que estaba revisando, y mi hermano,<a class=\"noteref\">12</a> dos años "
          "menor que yo, leía otros libros que no eran los suyos sino los de todos nosotros juntos. ") * 4
RAYAS = ("«Lo terrible cuando se busca la verdad —decía un ensayista francés<a class=\"noteref\">16</a>— es "
         "que se la encuentra…» Su gran frente abultada era la de un quimérico —¡y esperaba todavía sanear "
         "la Internacional!—. Esperaba con Ercoli. ") * 3
PAGE = ("@page {{ size: 60mm 40mm; margin: 5mm }} p {{ font-size: 10pt; line-height: 12pt; width: {width};"
        " margin: 0; text-align: justify }}")


def _laid_out(text: str, width: str):
    style = PAGE.format(width=width)
    return weasyprint.HTML(string=f'<html><head><style>{style}</style></head><body>'
                                  f'<section id="doc"><p>{text}</p></section></body></html>').render()


def _first_letters(page, n: int = 16) -> str:
    """The page's first characters, spaces left out (a line that broke inside
    a word shows a space the text has not)."""
    return "".join("".join(pagemap._texts(line)) for line, _ in pagemap._flow_lines(page._page_box)
                   ).replace(" ", "")[:n]


def _after_marker(section, page: int) -> str:
    marker = next(e for e in section.iter() if e.get("id") == pagebreaks.marker_id(page))
    marker.text = "\u00a7"
    text = "".join(section.itertext())
    marker.text = None
    return "".join(text.split("\u00a7", 1)[1].split())[:16]


@pytest.mark.parametrize("text, width, broken", [(CALLED, "10em", ("98", "12")), (RAYAS, "8em", ("—.",)),
                                                 (RAYAS, "10.5em", ("— es",))])
def test_a_line_broken_inside_a_word_counts_that_word_once(text, width, broken):
    document = _laid_out(text, width)
    lines = ["".join(pagemap._texts(line)) for page in document.pages
             for line, _ in pagemap._flow_lines(page._page_box)]
    assert any(line.startswith(broken) for line in lines), "the reproducer must break inside a word"
    starts = pagemap.page_starts(document, {"doc"})
    assert len(starts) >= 4
    section = etree.fromstring(f'<section xmlns="{NS}" id="doc"><p>{text}</p></section>')
    pagebreaks.insert(section, starts)
    for start in starts[1:]:
        first = _first_letters(document.pages[start.page - 1])
        assert _after_marker(section, start.page) == first, (start, first)
