"""Preflight reading of running heads: a glued folio is a collision, a page
range in an endnote head is not."""

from pipeline.preflight.text import GLUED


def test_glued_folio_is_a_collision():
    assert GLUED.search("conocido como Víctor Serge435")
    assert GLUED.search("12Memorias")


def test_page_range_in_notes_head_is_not():
    assert not GLUED.search("Notas a las páginas 16–27")
    assert not GLUED.search("Notas a la página 81")
