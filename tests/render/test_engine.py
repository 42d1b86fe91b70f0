"""The mends of pipeline/engines/weasyprint.py, each against a reproducer of its bug."""

from pathlib import Path

import pytest
import weasyprint
from weasyprint.layout import page as engine_page
from weasyprint.text.fonts import FontConfiguration

from pipeline.engines import weasyprint as engine

FONTS = Path(__file__).resolve().parents[2] / "styles" / "fonts"

# A short page; the first paragraph's footnote A fills the foot so that the
# second paragraph's second line, which holds the call of B, overflows where
# orphans forbid a break before it: the engine carries A over to make room
# and keeps the line, without laying out B.
CSS = """@font-face { font-family: Book; src: url(EBGaramond12-Regular.otf); }
@page { size: 90mm 70mm; margin: 8mm; }
body { font: 10pt/12pt Book; margin: 0; orphans: 2; widows: 2; }
p { margin: 0; }
.fn { float: footnote; }"""
CASES = [(35, 30), (41, 30), (49, 15), (51, 15)]  # (words before A, words in A) that trigger it


def render(words: int, note: int):
    html = (f"<p>{' '.join(['palabra'] * words)}"
            f"<span class=fn id=a>Nota A {'larga ' * note}</span> fin.</p>"
            f"<p>{'otra ' * 16}texto<a id=call-b></a><span class=fn id=b>Nota B.</span> {'mas ' * 40}</p>")
    fonts = FontConfiguration()
    sheet = weasyprint.CSS(string=CSS, base_url=FONTS.as_uri() + "/", font_config=fonts)
    document = weasyprint.HTML(string=html).render(stylesheets=[sheet], font_config=fonts)
    return {ident: number for number, page in enumerate(document.pages, 1) for ident in page.anchors}


@pytest.mark.parametrize("words,note", CASES)
def test_without_the_mend_the_engine_loses_the_footnote(monkeypatch, words, note):
    """If this fails, WeasyPrint was fixed: drop the mend."""
    engine.install()
    monkeypatch.setattr(engine_page, "make_page", engine_page.make_page.__wrapped__)
    pages = render(words, note)
    assert "call-b" in pages and "b" not in pages


@pytest.mark.parametrize("words,note", CASES)
def test_the_mended_engine_sets_the_footnote_on_its_page_or_the_next(words, note):
    engine.install()
    pages = render(words, note)
    assert pages["b"] - pages["call-b"] in (0, 1)
    assert pages["a"] <= pages["b"]  # carried notes keep the order of their calls


# A's call early on the page; B's call on the first line of a paragraph
# near its foot: B overflows and is carried, then the paragraph's second
# line overflows where orphans forbid a break before it, and the engine
# carries A as well, after B.
ORDER_CASES = [(62, 5, 2, 8), (62, 5, 8, 40), (62, 5, 0, 3)]  # (words before A, in A, before B, in B)


def footnote_order(words: int, a: int, before_b: int, b: int) -> list[tuple[str, int]]:
    """(id, page) of the footnotes in the order the footnote areas hold them."""
    html = (f"<p>{' '.join(['palabra'] * words)}<span class=fn id=a>Nota A {'larga ' * a}</span> fin.</p>"
            f"<p>{'otra ' * before_b}texto<span class=fn id=b>Nota B {'corta ' * b}</span> {'mas ' * 40}</p>")
    fonts = FontConfiguration()
    sheet = weasyprint.CSS(string=CSS, base_url=FONTS.as_uri() + "/", font_config=fonts)
    document = weasyprint.HTML(string=html).render(stylesheets=[sheet], font_config=fonts)
    order = []
    for number, page in enumerate(document.pages, 1):
        for area in page._page_box.children[1:]:  # the footnote area follows the root box
            for box in area.descendants():
                element = getattr(box, "element", None)
                ident = element.get("id") if element is not None else None
                if ident and ident not in [i for i, _ in order]:
                    order.append((ident, number))
    return order


@pytest.mark.parametrize("case", ORDER_CASES)
def test_without_the_mend_carried_footnotes_swap(monkeypatch, case):
    """If this fails, WeasyPrint was fixed: drop in_call_order."""
    engine.install()
    monkeypatch.setattr(engine_page, "make_page", engine_page.make_page.__wrapped__)
    order = footnote_order(*case)
    assert [i for i, _ in order] == ["b", "a"] and order[0][1] == order[1][1]


@pytest.mark.parametrize("case", ORDER_CASES)
def test_the_mended_engine_carries_footnotes_in_call_order(case):
    engine.install()
    assert [i for i, _ in footnote_order(*case)] == ["a", "b"]


def test_install_is_idempotent():
    engine.install()
    wrapped = engine_page.make_page
    engine.install()
    assert engine_page.make_page is wrapped


def test_another_engine_version_is_refused(monkeypatch):
    monkeypatch.setattr(engine_page, "make_page", getattr(engine_page.make_page, "__wrapped__",
                                                           engine_page.make_page))
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    with pytest.raises(RuntimeError, match="mends WeasyPrint 70.0"):
        engine.install()


# -- the parser shortcut ------------------------------------------------------------

def shape(element) -> tuple:
    """An element tree as nested tuples: tag, attributes, text, children and tails."""
    return (element.tag, sorted(element.attrib.items()), element.text or "",
            [shape(child) + (child.tail or "",) for child in element if isinstance(child.tag, str)])


TRICKY = ('<!DOCTYPE html><html lang="es"><head><meta charset="utf-8"><title>T</title></head>'
          '<body><p class="a">Uno&nbsp;dos &amp; <em>tres</em><br>cuatro <a href="#x" id="y">«cinco»</a>'
          '<span class="nobr">—seis</span> </p>\n<!-- nota --><section id="x"><h1>Dos</h1>'
          '<p>ocho<sup>9</sup></p></section></body></html>')


def test_the_parser_shortcut_gives_tinyhtml5s_tree():
    import tinyhtml5

    ours = engine.document(TRICKY, FONTS.as_uri() + "/", weasyprint.URLFetcher()).etree_element
    assert shape(ours) == shape(tinyhtml5.parse(TRICKY, namespace_html_elements=False))


def test_the_parser_shortcut_lays_out_the_same_pdf():
    fonts = FontConfiguration()
    sheet = weasyprint.CSS(string=CSS + "\nem { font-style: italic; }", base_url=FONTS.as_uri() + "/",
                           font_config=fonts)
    plain = weasyprint.HTML(string=TRICKY, base_url=FONTS.as_uri() + "/")
    ours = engine.document(TRICKY, FONTS.as_uri() + "/", weasyprint.URLFetcher())
    pdfs = [doc.render(stylesheets=[sheet], font_config=fonts).write_pdf(pdf_identifier=b"x")
            for doc in (plain, ours)]
    assert pdfs[0] == pdfs[1]


def test_streams_are_deflated_at_zlibs_default_level():
    """engine.Deflate: pydyf asks for level 9; every stream is written at 6."""
    import zlib

    import pikepdf

    engine.install()
    fonts = FontConfiguration()
    sheet = weasyprint.CSS(string=CSS, base_url=FONTS.as_uri() + "/", font_config=fonts)
    data = weasyprint.HTML(string="<p>" + "palabra " * 400 + "</p>").render(
        stylesheets=[sheet], font_config=fonts).write_pdf()
    with pikepdf.open(__import__("io").BytesIO(data)) as pdf:
        streams = [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Filter") == "/FlateDecode"]
        assert len(streams) >= 3   # pages' contents, the font
        for stream in streams:
            raw, written = stream.read_bytes(), stream.read_raw_bytes()
            assert written == zlib.compress(raw, engine.LEVEL), stream.objgen
            assert written != zlib.compress(raw, 9) or len(raw) < 200


# -- page styles shared by pages of one kind -----------------------------------------

PAGES_CSS = CSS + """
@page { @bottom-center { content: counter(page); font: 8pt Book; } }
@page :first { @bottom-center { content: none; } }
@page :left { @top-left { content: string(head); font: italic 8pt Book; } }
@page :right { @top-right { content: "Derecha " string(head); } }
@page :blank { @bottom-center { content: none; } }
@page apendice { @top-right { content: "Apéndice"; } }
h1 { string-set: head content(); break-before: right; }
.ap { page: apendice; }"""
PAGES_HTML = "".join(f"<h1>Capítulo {n}</h1><p>{'palabra ' * 220}</p>" for n in range(1, 4)) + \
    f"<div class=ap><h1>Apéndice</h1><p>{'otra ' * 300}</p></div>"


def render_pages(css: str, html: str = PAGES_HTML):
    fonts = FontConfiguration()
    sheet = weasyprint.CSS(string=css, base_url=FONTS.as_uri() + "/", font_config=fonts)
    return weasyprint.HTML(string=html).render(stylesheets=[sheet], font_config=fonts)


def page_kinds(document) -> list[tuple]:
    return [(p._page_box.page_type.side, p._page_box.page_type.blank, p._page_box.page_type.name)
            for p in document.pages]


def test_pages_of_one_kind_share_their_styles_computed_once(monkeypatch):
    engine.install()
    shared = render_pages(PAGES_CSS)
    kinds = page_kinds(shared)
    assert len(set(kinds)) >= 4 and any(blank for _, blank, _ in kinds) and len(kinds) > len(set(kinds)) + 2
    first = {}
    for page, kind in zip(shared.pages[1:], kinds[1:]):
        assert page._page_box.style is first.setdefault(kind, page._page_box.style)
    monkeypatch.setattr(engine_page, "set_page_type_computed_styles",
                        engine_page.set_page_type_computed_styles.__wrapped__)
    own = render_pages(PAGES_CSS)
    assert own.pages[3]._page_box.style is not own.pages[5]._page_box.style
    assert shared.write_pdf(pdf_identifier=b"x") == own.write_pdf(pdf_identifier=b"x")


# Pages laid out twice (a target-counter waits for the last page), margins
# in viewport units (they read the page size the first page sets), footnotes,
# a leader and counter(pages) in margin boxes.
RELAYOUT_CSS = CSS + """
@page { size: 300px 300px; margin: 10vw; @top-left { content: "x" leader('.') counter(page) "/" counter(pages); }
        @bottom-right { content: counter(page, lower-roman); font: 8pt Book; } }
@page :first { margin: 5vw; }
@page :left { @top-right { content: string(head); } }
h1 { string-set: head content(); break-before: right; }
a::after { content: target-counter(attr(href), page); }"""
RELAYOUT_HTML = '<a href="#z">índice</a>' + "".join(
    f"<h1>C{n}</h1><p>{'palabra ' * 90}<span class=fn>nota {n}</span></p>" for n in range(5)) + "<p id=z>fin</p>"


def test_pages_laid_out_again_with_viewport_units_come_out_as_the_engines(monkeypatch):
    engine.install()
    shared = render_pages(RELAYOUT_CSS, RELAYOUT_HTML).write_pdf(pdf_identifier=b"x")
    monkeypatch.setattr(engine_page, "set_page_type_computed_styles",
                        engine_page.set_page_type_computed_styles.__wrapped__)
    assert shared == render_pages(RELAYOUT_CSS, RELAYOUT_HTML).write_pdf(pdf_identifier=b"x")


def margin_texts(document, keyword: str) -> list[bool]:
    return [any(getattr(box, "at_keyword", None) == keyword for box in page._page_box.children)
            for page in document.pages]


def test_pages_selected_by_number_keep_styles_of_their_own():
    engine.install()
    document = render_pages(PAGES_CSS + "\n@page :nth(3) { @top-center { content: 'Tres'; } }")
    assert margin_texts(document, "@top-center") == [n == 3 for n in range(1, len(document.pages) + 1)]


# -- the hold in the line loop: no hyphen ladders (WeasyPrint 70 has no hyphenate-limit-lines) --------

LADDER_HTML = ('<html lang="es"><body><p style="width: 11em; font-size: 12px; text-align: justify; hyphens: auto; '
               'hyphenate-limit-chars: 6 3 3">La internacionalización extraordinariamente desproporcionada de '
               'las correspondientes responsabilidades administrativas transformaba incomprensiblemente '
               'cualquier conversación revolucionaria en interminables discusiones parlamentarias completamente '
               'incomprensibles para los trabajadores metalúrgicos.</p></body></html>')


def longest_ladder(hold) -> tuple[int, list[str]]:
    with engine.holding(hold):
        document = weasyprint.HTML(string=LADDER_HTML).render()
    lines = [text for page in document.pages for _, text in engine.flow_lines(page)]
    longest = run = 0
    for text in lines:
        run = run + 1 if text.endswith(engine.HYPHENS) else 0
        longest = max(longest, run)
    return longest, lines


def test_the_engine_alone_sets_a_ladder_of_four_or_more():
    longest, _ = longest_ladder(None)
    assert longest >= 4


def test_the_hold_keeps_the_same_paragraph_to_two_hyphens_in_a_row():
    unheld, before = longest_ladder(None)
    longest, lines = longest_ladder(engine.Hold(turns=False))
    assert longest <= 2
    assert "".join(l.removesuffix("\u2010") for l in lines).replace(" ", "") == \
        "".join(l.removesuffix("\u2010") for l in before).replace(" ", "")   # the same words, none lost


def test_the_hold_leaves_the_engines_own_breaking_when_lifted():
    with engine.holding(engine.Hold()):
        pass
    assert longest_ladder(None) == longest_ladder(None)
    assert engine._HOLD[0] is None


# -- a line set again never runs past the measure ----------------------------------------------

MEASURE_CSS = """@font-face { font-family: Book; src: url(EBGaramond12-Regular.otf); }
@page { size: 120mm 200mm; margin: 10mm; }
body { font: 11pt/13pt Book; margin: 0; }
p { margin: 0; width: {width}mm; text-align: justify; hyphens: auto; }"""
COMPOUNDS = ("Los grupos anarco-sindicalistas y los comités franco-belgas discutían la alianza germano-soviética "
             "con los delegados político-militares de la región ruso-polaca, mientras los círculos "
             "social-demócratas y los obreros greco-católicos observaban la crisis económico-financiera.")
LONG_WORDS = "La internacionalización extraordinariamente desproporcionada de las responsabilidades " + COMPOUNDS
EVERY_LINE = engine.Hold(limit=0, turns=False, loose=None)   # every line held from its hyphen


def held(text: str, width: float, tmp_path):
    """(the PDF's lines past the measure's right edge, in points; the box tree's; the document)."""
    from weasyprint.formatting_structure import boxes

    from pipeline.preflight.text import read_pages

    fonts = FontConfiguration()
    sheet = weasyprint.CSS(string=MEASURE_CSS.replace("{width}", str(width)), base_url=FONTS.as_uri() + "/",
                           font_config=fonts)
    with engine.holding(EVERY_LINE):
        document = weasyprint.HTML(string=f'<html lang="es"><p>{text}</p></html>').render(
            stylesheets=[sheet], font_config=fonts)
    document.write_pdf(tmp_path / "held.pdf")
    edge = (10 + width) * 72 / 25.4    # the page's margin and the paragraph's width
    pdf = {line.text: line.x1 - edge for page in read_pages(tmp_path / "held.pdf", [(0, 0, 0, 0, None)] * 9)
           for line in page.lines}
    paragraph = next(b for b in document.pages[0]._page_box.descendants() if b.element_tag == "p")
    right = paragraph.content_box_x() + paragraph.width
    tree = [max(box.position_x + box.margin_width() for box in line.children) - right
            for line in paragraph.children if isinstance(line, boxes.LineBox)]
    return pdf, tree, document


def test_a_held_line_is_never_set_wider_than_the_measure(tmp_path, monkeypatch):
    # in 22 mm, hyphenation off leaves "internacionalización" wider than the
    # measure: that try is refused, and the engine's hyphenated line kept
    pdf, tree, _ = held(LONG_WORDS, 22, tmp_path)
    assert max(tree) <= 1e-6 and max(pdf.values()) < 0.1
    assert "internacionali\u2010" in pdf
    monkeypatch.setattr(engine, "_refused", lambda *args, **kwargs: False)   # without the refusal: 22 points past
    pdf, tree, _ = held(LONG_WORDS, 22, tmp_path)
    assert max(tree) > 10 and max(pdf.values()) > 10


def test_a_squeezed_line_keeps_its_letters_within_the_measure(tmp_path):
    # Held lines that cannot lose their hyphen ("ruso-") are set again with
    # tighter spaces. Letters set tighter too (as they were) drew the line
    # "político-militares de la región ruso-polaca," 0.46 points past the
    # edge, as pdftotext and printers' preflights read the glyphs.
    pdf, tree, document = held(COMPOUNDS, 60, tmp_path)
    assert max(pdf.values()) < 0.1 and max(tree) <= 1e-6
    texts = [b for b in document.pages[0]._page_box.descendants() if type(b).__name__ == "TextBox"]
    assert any(b.style["word_spacing"] < 0 for b in texts)                 # some line was squeezed
    assert all(b.style["letter_spacing"] == "normal" for b in texts)       # and no letters


def test_a_line_set_again_adds_to_each_boxs_own_tracking():
    # small capitals carry their own letter spacing: a tracked try adds to it, never replaces it
    html = '<p>Un texto con <abbr style="letter-spacing: 2px">UGT</abbr> en versalitas.</p>'
    document = weasyprint.HTML(string=html).render()
    line = next(b for b in document.pages[0]._page_box.descendants() if type(b).__name__ == "LineBox")
    spacing = lambda: sorted({str(b.style["letter_spacing"]) for b in line.descendants()})   # noqa: E731
    assert spacing() == ["2.0", "normal"]
    with engine._styled(line, {"hyphens": "none"}, {"letter_spacing": 0.5}):
        assert spacing() == ["0.5", "2.5"]
    assert spacing() == ["2.0", "normal"]
