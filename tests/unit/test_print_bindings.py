"""What the print HTML binds so that no line opens with a note call or a
closing raya (render/pdf/html.py: _keep_dashes, _keep_closing_dashes,
_keep_calls). On the real book, endnote mode, such line openings in the
running text went from about 30 to 0 (pdfium's glyph boxes), and loose
lines from 44 to 32: binding a raya with one letter, not its whole word,
leaves the word free to hyphenate."""

from lxml import etree

from pipeline.render.pdf.html import WORD_JOINER, _keep_calls, _keep_closing_dashes, _keep_dashes, _set_stars


def bound(markup: str, *steps) -> tuple[list[str], str]:
    root = etree.fromstring(f"<p>{markup}</p>")
    for step in steps:
        step(root)
    spans = ["".join(s.itertext()) for s in root.iter("span") if s.get("class") == "nobr"]
    return spans, "".join(root.itertext())


def test_a_raya_is_bound_with_one_letter_or_sign_not_its_word():
    spans, text = bound("dijo —interceptado, no se sabía cómo—. Ya ¡Internacional!—. Y", _keep_dashes)
    assert spans == ["—i", "o—.", "!—."]
    assert text == "dijo —interceptado, no se sabía cómo—. Ya ¡Internacional!—. Y"


def test_a_spaced_dash_and_a_ditto_rule_are_left_alone():
    assert bound("una — dos ——— Staline", _keep_dashes)[0] == []


def test_a_closing_raya_after_a_one_word_element_is_bound_to_it():
    markup = 'y <span class="name">Denikin</span>—, pensaba; <em>Ville conquise</em>—, dijo'
    spans, text = bound(markup, _keep_dashes, _keep_closing_dashes)
    assert spans == ["Denikin—,"]                  # a title of two words is not bound whole,
    assert text == f"y Denikin—, pensaba; Ville conquise{WORD_JOINER}—, dijo"   # its last word holds the raya


def test_a_spaced_closing_raya_ends_its_line_and_a_spaced_reply_may_open_one():
    markup = "Shevchenko (1814-1861) — rescatado; <em>Ma vie</em> — o no. ¿Qué tal? — Bien."
    spans, text = bound(markup, _keep_dashes)
    assert spans == []
    assert text == "Shevchenko (1814-1861)\u00a0— rescatado; Ma vie\u00a0— o no. ¿Qué tal? — Bien."


def test_a_call_is_bound_to_the_sign_before_it_and_not_after_a_letter():
    markup = ('Hungría.<a class="noteref">31</a> El 22 y <a class="noteref">2</a> '
              'palabra<a class="noteref">3</a> fin')
    spans, text = bound(markup, _keep_calls)
    assert spans == [".31"]
    assert text == "Hungría.31 El 22 y 2 palabra3 fin"


def test_a_call_after_a_bound_raya_joins_its_span_and_a_footnote_stays_outside():
    root = etree.fromstring('<p>cómo—.<a class="noteref">11</a><aside class="fn">nota larga</aside> Una</p>')
    _keep_dashes(root)
    _keep_calls(root)
    span = next(s for s in root.iter("span") if s.get("class") == "nobr")
    assert "".join(span.itertext()) == "o—.11"
    assert span.getnext().tag == "aside"             # the footnote does not inherit white-space: nowrap
    assert "".join(root.itertext()) == "cómo—.11nota larga Una"


def test_the_asterisk_of_a_call_gets_a_span_of_its_own():
    """print.css sets it apart (the face's superior asterisk advances 0.65 em for 0.15 em of ink)."""
    root = etree.fromstring('<p>días<a class="noteref">119*</a> en; <a class="noteref">*</a> y'
                            '<a class="noteref">3</a></p>')
    _set_stars(root)
    stars = [(a.text, [(s.get("class"), s.text) for s in a]) for a in root.iter("a")]
    assert stars == [("119", [("call-star", "*")]), ("", [("call-star", "*")]), ("3", [])]
    assert "".join(root.itertext()) == "días119* en; * y3"
