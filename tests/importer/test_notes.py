"""Markers and note bodies paired page by page."""

import re

import pytest

from pipeline.importer.notes import candidates, pair_part

MAP_COUNTS = {"01-prefacio.md": 23, "03-mundo-sin-evasion.md": 200, "04-una-razon-para-vivir.md": 83,
              "05-el-desaliento-y-el-entusiasmo.md": 131, "06-el-peligro-esta-en-nosotros.md": 155,
              "07-europa-en-el-viraje-oscuro.md": 140, "08-la-revolucion-en-el-callejon.md": 115,
              "09-los-anos-de-resistencia.md": 139, "10-los-anos-de-cautiverio.md": 70,
              "11-la-derrota-de-occidente.md": 200, "12-plena-espera.md": 29,
              "13-apendice-mi-ruptura-con-trotsky.md": 9, "14-referencias-biograficas.md": 3,
              "15-las-versiones-de-las-memorias.md": 4}
TITLE_NOTES = {"01-prefacio.md", "06-el-peligro-esta-en-nosotros.md", "07-europa-en-el-viraje-oscuro.md",
               "13-apendice-mi-ruptura-con-trotsky.md", "14-referencias-biograficas.md",
               "15-las-versiones-de-las-memorias.md"}
DEF = re.compile(r"^\[\^([^\]\s]+)\]:", re.M)
REF = re.compile(r"\[\^([^\]\s]+)\](?!:)")


@pytest.mark.parametrize("text, number, kept, weak", [
    ("Gorkin quien,1 después", 1, "Gorkin quien,", False),
    ("Volia3 y", 3, "Volia", False),
    ("Sokolo848 y", 48, "Sokolo8", True),             # damaged ff + 48
    ("febrero de 194329* ", 29, "febrero de 1943", True),
    ("Lyon en 1883184)", 184, "Lyon en 1883", True),
    ("El 16,89* el gobierno", 89, "El 16,", True),
    ("bombas… V.94 no", 94, "bombas… V.", False),
])
def test_marker_candidates(text, number, kept, weak):
    found = candidates(text, number, 1)
    assert len(found) == 1
    assert text[: found[0].start] == kept and found[0].weak is weak


@pytest.mark.parametrize("text, number", [
    ("15 meses de encierro", 15), ("pp. 714-719", 19), ("el 21/9/1911", 9), ("a las 14:15 h", 15),
    ("en 1918 y", 18),
])
def test_numbers_that_are_no_markers(text, number):
    assert candidates(text, number, 1) == []


def test_pairing_on_a_small_book():
    pages = [
        [(1, "Gorkin quien,1 después"), (2, "lo llevaba:2 «En un"), (3, ""), (4, "* Prefacio inicial."),
         (5, "1 Julián Gorkin, «Les"), (6, "dernières années»."), (7, "2 Serge se dirigía a casa")],
        [(8, "agujereadas, un traje.3"), (9, ""), (10, "de su padre."), (11, "3 Cabría añadir.")],
    ]
    result = pair_part(pages, 3)
    assert [n.label for n in result.notes] == ["1", "2", "3"]
    assert result.title_note.lines == [(4, "Prefacio inicial.")]
    assert result.notes[1].lines[-1] == (10, "de su padre.")    # continued on the next page
    assert result.pages[0] == [(1, "Gorkin quien,[^1] después"), (2, "lo llevaba:[^2] «En un")]


def test_per_part_counts_match_the_map(part_text):
    for name, count in MAP_COUNTS.items():
        labels = DEF.findall(part_text(name))
        numbered = [label for label in labels if label != "*"]
        assert len(numbered) == count, name
        assert ("*" in labels) == (name in TITLE_NOTES), name
        assert [int(label.rstrip("*")) for label in numbered] == list(range(1, count + 1)), name


def test_every_reference_has_one_definition(imported):
    for path in sorted(imported.glob("*.md")):
        text = path.read_text("utf-8")
        defs, refs = DEF.findall(text), REF.findall(text)
        assert len(defs) == len(set(defs)), path.name
        assert sorted(set(refs)) == sorted(defs), path.name
        assert len(refs) == len(set(refs)), path.name


def test_fused_markers_resolved(part_text):
    assert "Sokolo" in part_text("03-mundo-sin-evasion.md")
    assert re.search(r"Sokolo(ff|8)\[\^48\]", part_text("03-mundo-sin-evasion.md"))
    assert "1943[^29*]" in part_text("12-plena-espera.md")
    assert "Lyon en 1883[^184]" in part_text("03-mundo-sin-evasion.md")
    assert "El 16,[^89*] el gobierno se encontraba reunido" in part_text("07-europa-en-el-viraje-oscuro.md")
    assert "V.[^94] no" in part_text("07-europa-en-el-viraje-oscuro.md")


def test_editors_notes_keep_their_star_and_disagreements_are_decided(part_text):
    assert "[^200*]: Pasaje tachado" in part_text("03-mundo-sin-evasion.md")
    for name, label in [("03-mundo-sin-evasion.md", "59*"), ("03-mundo-sin-evasion.md", "166*"),
                        ("06-el-peligro-esta-en-nosotros.md", "55*"),
                        ("06-el-peligro-esta-en-nosotros.md", "95*")]:
        assert f"[^{label}]:" in part_text(name)


def test_line_initial_numbers_stay_text(part_text):
    ix = part_text("11-la-derrota-de-occidente.md")
    assert "| 2 h Stolpie" in ix                       # verse inside note 1, not note 2
    assert "15 meses de encierro" in part_text("01-prefacio.md")
    assert "3 de diciembre. Visita" in part_text("14-referencias-biograficas.md")


def test_continued_and_nested_notes(part_text):
    preface = part_text("01-prefacio.md")
    note2 = preface.split("[^2]:", 1)[1].split("\n[^3]:")[0]
    assert "de su padre" in note2
    chapter_ii = part_text("04-una-razon-para-vivir.md")
    note4 = chapter_ii.split("[^4]:", 1)[1].split("\n[^5]:")[0]
    assert "Sistema Auburn[\\*" in note4 and "[\\* sobre este sistema" in note4
    v = part_text("07-europa-en-el-viraje-oscuro.md")
    note139 = v.split("[^139*]:", 1)[1].split("\n[^140]:")[0]
    assert "porque no se deportaba a nadie en 1926" in note139


def test_a_continued_note_keeps_its_paragraphs_above_the_next_body():   # source 3268-3348
    """Note 3 (II) runs on over page 82 for three paragraphs; the next body,
    note 4, follows the last with no blank line. All three are note 3's, none
    the body's (they were, joined to "regla del" across the stray blank)."""
    from repair_support import seed

    def lines(first, last, renumber=()):
        out = []
        for n, text in zip(range(first, last + 1), seed(first, last)):
            for old, new in renumber:
                text = text.replace(old, new)
            out.append((n, text))
        return out

    # markers 3 and 4 → 1 and 2: numbering starts at 1 in pair_part
    # page 81 ends with the blank lines around part II's title (dropped)
    page81 = lines(3268, 3286, [("cárcel3)", "cárcel1)"), ("3 París", "1 París")]) + [(3291, ""), (3292, "")]
    page82 = lines(3296, 3348, [("tiempo,4", "tiempo,2"), ("4 Se trata", "2 Se trata")])
    result = pair_part([page81, page82], 2)
    first, second = result.notes
    assert [n for n, _ in second.lines][0] == 3338
    continued = [n for n, _ in first.lines if n > 3285]
    assert continued[0] == 3318 and continued[-1] == 3337
    assert result.pages[1][-1][0] == 3316     # the body stops at "regla del"
    assert first.joins == [3318]
    # the sentence "—¡una prisión que se conoce poco!— era sin duda…" goes on
    numbers = [n for n, _ in first.lines]
    assert numbers[numbers.index(3285) + 1] == 3318
