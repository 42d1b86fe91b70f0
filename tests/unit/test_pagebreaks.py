"""Page-break markers in generated documents (notes, glossary, index): the
two outputs differ in markup there, so a marker is placed by the words the
print page begins with, within the element the page began in."""

from __future__ import annotations

from lxml import etree

from pipeline.render.epub import pagebreaks
from pipeline.render.pdf.pagemap import PageStart

NS = "http://www.w3.org/1999/xhtml"


def section(body: str):
    return etree.fromstring(f'<section xmlns="{NS}" id="doc">{body}</section>')


def _following_text(root, marker) -> str:
    """The text from the marker on, as it reads."""
    marker.text = "\u00a7"
    text = "".join(root.itertext())
    marker.text = None
    return " ".join(text.split("\u00a7", 1)[1].split())


def test_a_note_page_marker_stands_at_the_word_the_page_begins_with():
    root = section('<ol><li id="note-a-19"><p><a class="note-mark" href="#r">19</a> Serguei Necháiev, '
                   'célebre revolucionario ruso, escribió con Bakunin el «Catecismo».</p></li></ol>')
    pagebreaks.insert(root, [PageStart(501, "doc", -1, 0, "note-a-19", "Bakunin el «Catecismo».")])
    assert _following_text(root, root.find(f".//{{{NS}}}span")) == "Bakunin el «Catecismo»."


def test_a_word_opened_by_punctuation_keeps_it_after_the_marker():
    root = section('<ol><li id="n1"><p>dijo: «convertido», fue detenido en 1925.</p></li></ol>')
    pagebreaks.insert(root, [PageStart(7, "doc", -1, 0, "n1", "«convertido», fue detenido")])
    assert _following_text(root, root.find(f".//{{{NS}}}span")).startswith("«convertido»")


def test_a_note_that_opens_the_page_gets_the_marker_before_its_mark():
    root = section('<ol><li id="n2"><p><a class="note-mark" href="#r">7</a> Cf. Carta del 21 de agosto.</p></li></ol>')
    pagebreaks.insert(root, [PageStart(450, "doc", -1, 0, "n2", "7 Cf. Carta del 21")])
    p = root.find(f".//{{{NS}}}p")
    assert p[0].get("id") == "page-450" and p[1].get("class") == "note-mark"


def test_index_locators_read_differently_in_print_still_place_the_marker():
    """The marker stands before the link "p. 201", never inside it."""
    # print: "201–202, 231"; the EPUB: "p. 201, p. 202, p. 231"
    root = section('<ul><li id="ix-x"><span>Serge, Victor</span>, <a href="a#1">p. 12</a>, '
                   '<a href="a#2">p. 201</a>, <a href="a#3">p. 202</a>, <a href="a#4">p. 231</a></li></ul>')
    pagebreaks.insert(root, [PageStart(597, "doc", -1, 0, "ix-x", "201–202, 231, 237–238")])
    assert _following_text(root, root.find(f".//{{{NS}}}span[@id='page-597']")).startswith("p. 201, p. 202")


def test_a_page_inside_an_element_without_id_is_found_in_the_section():
    root = section('<dl><dt id="gl-pc"><dfn>PC</dfn></dt><dd>Partido Comunista.</dd>'
                   '<dt id="gl-ps"><dfn>PS</dfn></dt><dd>Partido Socialista. En el seno de la III Internacional '
                   'se trata de un término peyorativo.</dd></dl>')
    pagebreaks.insert(root, [PageStart(25, "doc", -1, 0, "", "III Internacional se trata de")])
    assert _following_text(root, root.find(f".//{{{NS}}}span")).startswith("III Internacional se trata")


def test_words_not_found_leave_the_marker_at_the_entry_start():
    root = section('<ol><li id="n3"><p>Texto de la nota.</p></li></ol>')
    pagebreaks.insert(root, [PageStart(9, "doc", -1, 0, "n3", "palabras que no están")])
    assert root.find(f".//{{{NS}}}li")[0].get("id") == "page-9"
