"""Abbreviations and roman numerals marked on whole tokens; unknown acronyms counted."""

from pipeline.resolve.model import Abbreviation
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
