"""Abbreviations and roman numerals marked on whole tokens; unknown acronyms counted."""

from pipeline.model import Abbreviation
from pipeline.transforms.abbreviations import Matcher, mark

REGISTER = Matcher.build([Abbreviation("CNT", "Confederación Nacional del Trabajo"),
                          Abbreviation("S.-R.", "Socialista-revolucionario", ("S-R",)),
                          Abbreviation("PCF", "Partido Comunista Francés", ("PC",))])


def para(*words):
    inlines = []
    for w in words:
        inlines += [{"t": "Str", "c": w}, {"t": "Space"}]
    return [{"t": "Para", "c": inlines[:-1]}]


def marked(*words):
    blocks, used, unknown = mark(para(*words), REGISTER)
    spans = [(i["c"][0][1][0], i["c"][1][0]["c"]) for i in blocks[0]["c"] if i["t"] == "Span"]
    return spans, used, unknown


def test_registered_terms_and_variants():
    spans, used, _ = marked("(CNT),", "los", "S-R", "y", "el", "PC.")
    assert spans == [("abbr", "CNT"), ("abbr", "S-R"), ("abbr", "PC")]
    assert used == {"CNT": 1, "S.-R.": 1, "PCF": 1}


def test_whole_tokens_only():
    spans, used, _ = marked("CNTs", "SCNT", "PCFE")
    assert spans == [] and not used


def test_roman_numerals_but_not_initials():
    spans, _, _ = marked("siglo", "XX,", "Alejandro", "II", "y", "V.", "Serge,", "el", "X", "Congreso", "MIX")
    assert spans == [("roman", "XX"), ("roman", "II"), ("roman", "X"), ("roman", "MIX")]


def test_unknown_acronyms_counted_not_roman():
    _, _, unknown = marked("la", "OGPU", "y", "la", "OGPU", "en", "la", "URSS", "del", "siglo", "XIX")
    assert unknown == {"OGPU": 2, "URSS": 1}


def test_unknown_acronym_tokens_trimmed():
    _, _, unknown = marked("la", "SFIO.", "y", "los", "S.R.", "siglos", "XIV-XVI")
    assert unknown == {"SFIO": 1, "S.R.": 1}


def test_hyphenated_initials_are_not_acronyms():
    _, used, unknown = marked("J.-J.", "Marie,", "L.-O.", "Frossard,", "J.-R", "Bloch", "y", "los", "S.-R.", "del", "PSR")
    assert unknown == {"PSR": 1}
    assert used == {"S.-R.": 1}


def test_hyphenated_initials_rule_is_narrow():
    from pipeline.transforms.abbreviations import HYPHENATED_INITIALS

    assert all(HYPHENATED_INITIALS.match(t) for t in ["J.-J.", "J.-P.", "C.-A.", "J.-R", "V.-S."])
    assert not any(HYPHENATED_INITIALS.match(t) for t in ["S-R", "JJ", "J.J.", "KPD", "EN-DEHORS"])


WORDS = Matcher.build([Abbreviation("CNT", "Confederación Nacional del Trabajo"),
                       Abbreviation("Duma", "Parlamento."),
                       Abbreviation("KPD(S)", "Kommunistische Partei Deutschlands (Spartakusbund)"),
                       Abbreviation("Izquierda Revolucionaria", "Tendencia de la SFIO",
                                    ("izquierda revolucionaria",))])


def test_word_terms_are_terms_not_abbreviations():
    from pipeline.text.words import is_acronym

    assert is_acronym("CNT") and is_acronym("S.-R.") and is_acronym("KPD(S)")
    assert not is_acronym("Duma") and not is_acronym("Izquierda Revolucionaria") and not is_acronym("USPD (Linke)")
    blocks, used, _ = mark(para("la", "Duma", "y", "la", "CNT;", "la", "Dumas"), WORDS)
    spans = [(i["c"][0][1][0], dict(i["c"][0][2])["term"]) for i in blocks[0]["c"] if i["t"] == "Span"]
    assert spans == [("term", "Duma"), ("abbr", "CNT")]
    assert used == {"Duma": 1, "CNT": 1}


def test_terms_of_several_words_match_across_spaces():
    blocks, used, _ = mark(para("la", "izquierda", "revolucionaria,", "con", "Pivert;", "una", "izquierda"), WORDS)
    inlines = blocks[0]["c"]
    spans = [i for i in inlines if i["t"] == "Span"]
    assert [(s["c"][0][1], s["c"][1][0]["c"]) for s in spans] == [(["term"], "izquierda revolucionaria")]
    assert used == {"Izquierda Revolucionaria": 1}
    text = "".join(i["c"] if i["t"] == "Str" else " " if i["t"] == "Space" else i["c"][1][0]["c"] for i in inlines)
    assert text == "la izquierda revolucionaria, con Pivert; una izquierda"


def test_finisher_links_first_use_of_abbreviations_and_terms():
    from pipeline.resolve.markup import Finisher

    abbrs = {"CNT": Abbreviation("CNT", "Confederación Nacional del Trabajo", anchor="gl-CNT"),
             "Duma": Abbreviation("Duma", "Parlamento.", anchor="gl-Duma")}
    finish = Finisher({}, abbrs, glossary=True)
    html = finish('<abbr data-term="CNT">CNT</abbr> <span class="term" data-term="Duma">Duma</span> '
                  '<abbr data-term="CNT">CNT</abbr> <span class="term" data-term="Duma">Duma</span>')
    assert html == ('<a class="glossary-link" href="#gl-CNT"><abbr title="Confederación Nacional del Trabajo">CNT</abbr></a> '
                    '<a class="glossary-link" href="#gl-Duma"><span class="term" title="Parlamento.">Duma</span></a> '
                    '<abbr title="Confederación Nacional del Trabajo">CNT</abbr> '
                    '<span class="term" title="Parlamento.">Duma</span>')
