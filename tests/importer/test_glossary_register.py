"""The profile's register.yaml completes the book's list of abbreviations."""

import pytest

from pipeline.importer import glossary
from pipeline.importer.source import ImportError_

BOOK = [{"term": "JSR", "expansion": "Internacional Sindical Roja."},
        {"term": "PC", "expansion": "Partido comunista."},
        {"term": "PCF", "expansion": "Partido Comunista Francés.", "variants": ["PC"]},
        {"term": "OG", "expansion": "Oposición de izquierda (rusa)."}]
REGISTER = {"fix": {"JSR": {"term": "ISR", "why": "i read as j"},
                    "PCF": {"variants": [], "why": "PC has its own entry"}},
            "drop": [{"term": "OG", "why": "never used"}],
            "add": [{"term": "URSS", "expansion": "Unión de Repúblicas Socialistas Soviéticas.",
                     "variants": ["U.R.S.S."]}]}


def rows():
    return [dict(r) for r in BOOK]


def test_fix_drop_add():
    out = glossary.complete(rows(), REGISTER)
    assert [r["term"] for r in out] == ["ISR", "PC", "PCF", "URSS"]
    assert "variants" not in out[2] and out[3]["variants"] == ["U.R.S.S."]
    assert out[0]["expansion"] == "Internacional Sindical Roja."


@pytest.mark.parametrize("register, message", [
    ({"fix": {"XYZ": {"term": "X", "why": "w"}}}, "no entry 'XYZ'"),
    ({"fix": {"OG": {"term": "OI"}}}, "say why"),
    ({"drop": [{"term": "OG"}]}, "say why"),
    ({"drop": [{"term": "NOPE", "why": "w"}]}, "no entry 'NOPE'"),
    ({"add": [{"term": "PC", "expansion": "x"}]}, "already in the register"),
])
def test_a_stale_or_careless_profile_fails(register, message):
    with pytest.raises(glossary.RegisterError, match=message):
        glossary.complete(rows(), register)


def test_repeated_forms_are_reported():
    assert glossary.repeated_forms(rows()) == ["PC"]   # the book's own "pc" and "pc o pcf"
    assert glossary.repeated_forms(glossary.complete(rows(), REGISTER)) == []


def test_register_acronyms_feed_small_capitals():
    assert glossary.register_acronyms(REGISTER) == ["ISR", "URSS"]
    assert glossary.register_acronyms({}) == []


def test_no_register_file(tmp_path):
    assert glossary.load_register(tmp_path) == {}
    (tmp_path / "register.yaml").write_text("adds: []\n", encoding="utf-8")
    with pytest.raises(ImportError_, match=r"register\.yaml:1: T008 register\.yaml adds: unknown key"):
        glossary.load_register(tmp_path)
