"""Line-end hyphens: cut words joined, real hyphens kept, line numbers reported."""

from __future__ import annotations

import pytest

from repair_support import repair, repair_seed, seed


def kinds(decisions, kind):
    return [d for d in decisions if d.kind == kind]


# (first line, last line, expected text fragment, decision kind at the break)
SEED_BREAKS = [
    (324, 325, "en cuanto fluctuante, arbitraria", "join"),      # "-uc-⏎tuante": fl + join
    (3280, 3281, "Panait Istrati (1884-", "keep-hyphen"),        # a range
    (398, 399, "pp. 714-719)", "keep-hyphen"),                   # a page range
    (22552, 22553, "Victor-Serge", "keep-hyphen"),               # capitalised parts
    (2402, 2403, "Austria-Hungría", "keep-hyphen"),
    (7000, 7001, "marzo-abril-junio de 1945", "join"),           # a chain
    (2498, 2499, "http://www.criminocorpus.cnrs.fr/article", "join"),  # a URL: no space
]


@pytest.mark.parametrize("first, last, expected, kind", SEED_BREAKS)
def test_seed_breaks(first, last, expected, kind):
    text, decisions = repair_seed(first, last)
    assert expected in text
    breaks = [d for d in decisions if d.kind in ("join", "keep-hyphen")]
    assert [d.kind for d in breaks] == [kind]
    assert breaks[0].line == first
    assert not breaks[0].doubtful


def test_range_is_kept_from_the_seed():
    lines = seed(3280, 3281)
    assert lines[0].rstrip().endswith("(1884-")
    text, _ = repair(lines, 3280)
    assert "(1884-1" in text and "(1884- " not in text


@pytest.mark.parametrize("lines, expected", [
    (["la historia del movimiento revolu-", "cionario ruso"], "la historia del movimiento revolucionario ruso"),
    (["el con-", "-icto armado"], "el conflicto armado"),           # glyphs after joining
    (["el in!-", "ltraba agentes"], "el infiltraba agentes"),       # "in!-⏎ltraba"
    (["jueces-", "robot"], "jueces-robot"),                         # two common words
    (["el libre-", "pensamiento"], "el librepensamiento"),          # ... but a rare word too
    (["de la re-", "volución"], "de la revolución"),
    (["un ex-", "anarquista"], "un ex-anarquista"),                 # the book writes it so
    (["el rnp pro-", "nazi"], "el RNP pronazi"),                    # and writes this one joined
    (["la desprende-", "ría"], "la desprendería"),                  # unknown form, known stem
    (["Jean-", "Jacques Rousseau"], "Jean-Jacques Rousseau"),
    (["(1917-", "1918)"], "(1917-1918)"),
])
def test_breaks(lines, expected):
    assert repair(lines)[0] == expected


def test_lines_join_with_single_spaces():
    text, decisions = repair([" una línea   ", "", "otra  más  "], 10)
    assert text == "una línea otra más"
    assert decisions == []


def test_dash_at_line_end_is_not_a_hyphenation():
    assert repair(["dijo —", "y calló"])[0] == "dijo — y calló"
    assert repair(["dijo -", "y calló"])[0] == "dijo - y calló"


def test_join_decision_reports_the_break():
    _, decisions = repair(["una prisión que se cono-", "ce poco"], 500)
    (join,) = kinds(decisions, "join")
    assert (join.line, join.before, join.after) == (500, "cono-⏎ce", "conoce")


def test_unknown_join_is_doubtful_only_if_the_hyphen_could_be_real():
    _, decisions = repair(["un obrero des-", "acostumbrado"], 7)
    (join,) = kinds(decisions, "join")
    assert join.doubtful and join.after == "desacostumbrado"
    _, decisions = repair(["el señor Xqz-", "wvk"], 7)
    (join,) = kinds(decisions, "join")
    assert not join.doubtful and join.after == "Xqzwvk"


def test_break_before_note_reference():
    text, _ = repair(["el movi-", "miento,[^3] dijo"])
    assert text == "el movimiento,[^3] dijo"
