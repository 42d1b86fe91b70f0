"""Where a print page begins, read the same way in both outputs: a line may
break with no space and no hyphen, before a note call the text touches
("Caspio…" | "98"); the EPUB reads "Caspio…98" as one word, so the PDF side
must too, or every marker after it in the paragraph stands a word late."""

from __future__ import annotations

import weasyprint
from lxml import etree

from pipeline.render.epub import pagebreaks
from pipeline.render.pdf import pagemap

NS = "http://www.w3.org/1999/xhtml"
CALLED = ("Boris escribía El Volga desemboca en el mar Caspio…<a class=\"noteref\">98</a> Yo veía en su mesa "
          "de trabajo manuscritos que estaba revisando, y mi hermano,<a class=\"noteref\">12</a> dos años "
          "menor que yo, leía otros libros que no eran los suyos sino los de todos nosotros juntos. ") * 4
PAGE = ("@page { size: 60mm 40mm; margin: 5mm } p { font-size: 10pt; line-height: 12pt; width: 10em; margin: 0;"
        " text-align: justify }")


def _laid_out():
    html = f'<html><head><style>{PAGE}</style></head><body><section id="doc"><p>{CALLED}</p></section></body></html>'
    return weasyprint.HTML(string=html).render()


def _first_words(page, n: int = 3) -> str:
    lines = ["".join(pagemap._texts(line)) for line, _ in pagemap._flow_lines(page._page_box)]
    return " ".join(" ".join(lines).split()[:n])


def _after_marker(section, page: int) -> str:
    marker = next(e for e in section.iter() if e.get("id") == pagebreaks.marker_id(page))
    marker.text = "\u00a7"
    text = "".join(section.itertext())
    marker.text = None
    return " ".join(text.split("\u00a7", 1)[1].split()[:3])


def test_a_line_broken_before_a_note_call_still_counts_the_call_with_its_word():
    document = _laid_out()
    lines = ["".join(pagemap._texts(line)) for page in document.pages
             for line, _ in pagemap._flow_lines(page._page_box)]
    assert any(line.startswith(("98", "12")) for line in lines), "the reproducer must break before a call"
    starts = pagemap.page_starts(document, {"doc"})
    assert len(starts) >= 4
    section = etree.fromstring(f'<section xmlns="{NS}" id="doc"><p>{CALLED}</p></section>')
    pagebreaks.insert(section, starts)
    for start in starts[1:]:
        page = document.pages[start.page - 1]
        first = _first_words(page)
        assert _after_marker(section, start.page) == first, (start, first)
