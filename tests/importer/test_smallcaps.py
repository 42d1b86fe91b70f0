"""Small capitals restored: acronyms and roman numerals, false friends left alone."""

from __future__ import annotations

import pytest

from pipeline.importer.repair import RepairContext, repair_paragraph
from repair_support import PROFILE, context, repair, repair_seed, seed_lines


@pytest.mark.parametrize("line, expected", [
    (9692, "la OGPU)"),
    (3206, "la URSS como a Alemania"),
    (3775, "La CNT36"),
    (2015, "S.-R. y miembro"),
    (71, "siglo XX"),
    (663, "el zar Alejandro II.2"),
    (626, "la III Internacional"),
    (7421, "el X Congreso del Partido"),
    (4772, "presidente del CE del Komintern (III Internacional"),
    (10812, "Zog I (1928-1939)"),
])
def test_seed_examples(line, expected):
    text, decisions = repair_seed(line)
    assert expected in text
    assert {d.kind for d in decisions} & {"caps", "roman"}
    assert all(d.line == line for d in decisions if d.kind in ("caps", "roman"))


@pytest.mark.parametrize("line, kept", [
    (1928, "sa vie, sa"),                  # French possessive
    (7004, "pp. 110 y ss."),               # "and following"
    (2794, "movimiento de ira revelador"),  # Spanish "anger"
    (702, "Siempre lo vi poseído"),         # the verb "ver"
    (677, "Zemlia i Volia"),                # Russian conjunction
    (21359, "los rayos x que"),
])
def test_false_friends_from_the_seed(line, kept):
    text, _ = repair_seed(line)
    assert kept in text


@pytest.mark.parametrize("before, after", [
    ("los s-r habían", "los S-R habían"),
    ("miembro del cc del pcf", "miembro del CC del PCF"),
    ("ce: Comité Ejecutivo del partido.", "CE: Comité Ejecutivo del partido."),
    ("t. iii, p. 12", "t. III, p. 12"),
    ("cap. i, «Nécessité»", "cap. I, «Nécessité»"),
    ("partes v y vi de «Pays en marche»", "partes V y VI de «Pays en marche»"),
    ("los tomos vii, xiii y xx. Los tomos x y xxi", "los tomos VII, XIII y XX. Los tomos X y XXI"),
    ("el v aniversario de la Revolución", "el V aniversario de la Revolución"),
    ("Libro i y ii, 1921", "Libro I y II, 1921"),
    ("la iiie Internationale", "la IIIe Internationale"),
    ("Condenado por Pío x en agosto", "Condenado por Pío X en agosto"),
    ("el siglo xix y xx", "el siglo XIX y XX"),
    ("Vie et Mort de Trotsky, cit., i, p. 172", "Vie et Mort de Trotsky, cit., I, p. 172"),
    ("en cinco entregas: i. núm. 9; ii. núm. 11", "en cinco entregas: I. núm. 9; II. núm. 11"),
])
def test_restored(before, after):
    assert repair(before)[0] == after


@pytest.mark.parametrize("text", [
    "pour que ce soit un crime",             # French "ce"
    "Ferrer i Guardia y Companys i Jover",   # Catalan conjunction
    "Me vi, divertido, en el espejo",
    "y vi que varios",
    "Cf. http://www.criminocorpus.cnrs.fr/article375.html",  # no acronyms in URLs
])
def test_untouched(text):
    out, decisions = repair(text)
    assert out == text
    assert not decisions


def test_register_acronyms_are_added():
    """The structure code passes the register's acronyms; the profile's false friends still win."""
    extended = RepairContext.build(list(seed_lines()), PROFILE, acronyms=["zzq", "sa", "kpd(s)"])
    text, _ = repair_paragraph(["la zzq y sa vie"], 1, extended)
    assert text == "la ZZQ y sa vie"
    assert "zzq" not in context().small_caps.acronyms


def test_decisions_carry_lines():
    _, decisions = repair(["el siglo", "xx y la ogpu"], 90)
    assert [(d.line, d.kind, d.before, d.after) for d in decisions] == [
        (91, "roman", "xx", "XX"), (91, "caps", "ogpu", "OGPU")]
