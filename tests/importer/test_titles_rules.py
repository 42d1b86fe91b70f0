"""Issue 22, titles in italics: the gloss rule for Spanish translations in
brackets, a form right after «, and one row per form in titles.yaml. Each on
the source lines that show it, with the book's own register."""

import pytest

from pipeline.importer import titles
from pipeline.importer.source import ImportError_

from conftest import PROFILE


@pytest.fixture(scope="module")
def italics():
    return titles.Italics(titles.Register.load(PROFILE))


# (source line(s), the block as extracted, as the import sets it)
GLOSSES = [
    (10194, "escribirá entonces Mein Kampf [Mi lucha]. Será liberado",
     "escribirá entonces *[Mein Kampf]{lang=de}* [Mi lucha]. Será liberado"),
    (1558, "en su periódico Byloe [El Pasado] publicado en Londres",
     "en su periódico *[Byloe]{lang=ru-Latn}* [El Pasado] publicado en Londres"),
    (5312, "Erinnerungen und Erlebnisse [Memorias y acontecimientos], Berlín, Laubsche, 1927",
     "*[Erinnerungen und Erlebnisse]{lang=de}* [Memorias y acontecimientos], Berlín, Laubsche, 1927"),
    (18550, "Destin d’une révolution[^32] [Destino de una revolución] y una novela",
     "*[Destin d’une révolution]{lang=fr}*[^32] [Destino de una revolución] y una novela"),
    (17162, "S’il est minuit dans le siècle [Si es medianoche en el siglo],[^23] me esforcé",
     "*[S’il est minuit dans le siècle]{lang=fr}* [Si es medianoche en el siglo],[^23] me esforcé"),
    # a year beside the rendering dates the original: a gloss still
    (9436, "Der Untergang de Abendlandes [La decadencia de Occidente, 1918-1922]",
     "*[Der Untergang de Abendlandes]{lang=de}* [La decadencia de Occidente, 1918-1922]"),
    # an edition named: the published translation's title is italic
    (22158, "S’il est minuit dans le siècle [ed. cast.: Medianoche en el siglo, Madrid, Planeta, 2016]",
     "*[S’il est minuit dans le siècle]{lang=fr}* [ed. cast.: *Medianoche en el siglo*, Madrid, Planeta, 2016]"),
]


@pytest.mark.parametrize("line, text, expected", GLOSSES, ids=[str(g[0]) for g in GLOSSES])
def test_a_spanish_rendering_in_brackets_is_a_roman_gloss_an_edition_italic(italics, line, text, expected):
    assert italics.apply(text, (line,)) == expected


def test_the_spanish_title_is_italic_where_it_stands_alone_and_a_foreign_one_in_brackets_too():
    register = titles.Register([titles.Entry("Mein Kampf", "de"), titles.Entry("Mi lucha"),
                                titles.Entry("La Cloche", "fr"), titles.Entry("Kolokol", "ru-Latn")], [])
    it = titles.Italics(register)
    assert it.apply("Mi lucha fue") == "*Mi lucha* fue"
    assert it.apply("La Cloche [Kolokol]") == "*[La Cloche]{lang=fr}* [*[Kolokol]{lang=ru-Latn}*]"
    # a bracket after a word that is no title glosses nothing
    assert it.apply("un libro [Mi lucha]") == "un libro [*Mi lucha*]"
    assert it.glossed == 0


def test_a_phrase_right_after_an_opening_quote_is_set(italics):       # source 13803
    out = italics.apply("de la noche gritando: «Stoi! ¡Alto!». El coche de Chadáiev fue el único que", (13803,))
    assert "«*[Stoi!]{lang=ru-Latn}* ¡Alto!»" in out


def test_a_quote_a_title_fills_or_opens_is_an_articles_title_left_roman():
    register = titles.Register([titles.Entry("Pravda", "ru-Latn", "periodical"), titles.Entry("Stoi!", "ru", "phrase"),
                                titles.Entry("La révolution russe", "fr")], [])
    it = titles.Italics(register)
    assert it.apply("«Pravda» y «leído en Pravda»") == "«Pravda» y «leído en *[Pravda]{lang=ru-Latn}*»"
    assert it.apply("«La Révolution russe et les anarchistes», ibídem") == \
        "«La Révolution russe et les anarchistes», ibídem"
    assert it.apply("«Stoi!»") == "«Stoi!»"
    # still never inside a word
    assert it.apply("«Pravdas» «aPravda") == "«Pravdas» «aPravda"


DUPLICATES = [
    ("periodicals:\n  - {text: Pravda}\n  - {text: Izvestia}\n  - {text: Pravda, lines: [3]}\n", 4, "line 2"),
    ("works:\n  - {text: Staline}\nphrases:\n  - {text: Staline}\n", 4, "line 2"),
    ("works:\n  - {text: Vie et Mort de Trotsky, lang: fr}\n  - {text: Vie et mort de Trotsky}\n", 3, "line 2"),
    ("works:\n  - {text: Pravda}\nworks:\n  - {text: Izvestia}\n", 3, "line 1"),
    ("works:\n  - {text: Pravda, lang: ru, lang: de}\n", 2, "line 2"),
]


@pytest.mark.parametrize("text, line, first", DUPLICATES, ids=range(len(DUPLICATES)))
def test_a_duplicate_row_or_key_stops_the_load_at_its_line(tmp_path, text, line, first):
    (tmp_path / "titles.yaml").write_text(text, "utf-8")
    with pytest.raises(ImportError_) as err:
        titles.Register.load(tmp_path)
    assert str(err.value).startswith(f"{tmp_path / 'titles.yaml'}:{line}: T016 ") and first in str(err.value)


def test_spellings_of_one_loose_form_that_agree_are_kept():
    register_dir = PROFILE    # "Esprit du Temps" and "Esprit du temps", both fr: distinct forms, no conflict
    assert {"Esprit du Temps", "Esprit du temps"} <= {e.text for e in titles.Register.load(register_dir).entries}


def test_a_cited_form_is_set_everywhere_in_its_anywhere_in_blocks():
    register = titles.Register([titles.Entry("Staline", "fr", cited=True, anywhere_in=(13577,))], [])
    it = titles.Italics(register)
    assert it.apply("Staline dijo") == "Staline dijo"
    assert it.apply("Broué, Staline, París, Fayard, 1988") == "Broué, *[Staline]{lang=fr}*, París, Fayard, 1988"
    assert it.apply("su Staline de 1935", (13577,)) == "su *[Staline]{lang=fr}* de 1935"
