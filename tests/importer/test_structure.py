"""Parts, headings, paragraphs across page breaks and blank lines, verse, lists."""

import re

from pipeline.importer import emit
from pipeline.importer.structure import Layout, Log, _stray_blank, blocks, ends_sentence, split_chunk


def layout(**kw) -> Layout:
    lines = kw.pop("lines", [])
    return Layout(measure=kw.pop("measure", 20), raw_length={n: len(t) for n, t in lines}, **kw)


def test_sentence_end_looks_through_note_tokens():
    assert ends_sentence("la muerte.[^12]")
    assert not ends_sentence("mostrando unas suelas")


def test_page_break_inside_a_sentence_joins():
    pages = [[(1, "mostrando unas suelas")], [(2, "agujereadas, un traje.")]]
    out = blocks(pages, layout(), Log())
    assert [b.kind for b in out] == ["para"] and len(out[0].lines) == 2


def test_ambiguous_page_break_decided_by_line_length():
    full, short = "a" * 25 + " fin.", "fin."
    for last, expected in [(full, 1), (short, 2)]:
        pages = [[(1, last)], [(2, "Otra frase.")]]
        log = Log()
        out = blocks(pages, layout(lines=[(1, last), (2, "Otra frase.")]), log)
        assert len(out) == expected and len(log.ambiguous) == 1


def test_stray_blank_lines():
    assert _stray_blank("¿Piensa usted pues que el con-", "greso del partido")
    assert _stray_blank("París, Fayard,", "1997.")
    assert not _stray_blank("la muerte.", "Y después")


def test_short_line_ends_a_paragraph_and_entries_split():
    lines = [(1, "después de 1978)."), (2, "Joseph L. Wieczuski, The Modern"), (3, "____ Staline, París")]
    lay = layout(lines=lines, measure=30)
    lay.entry_start = re.compile(r"^_{3,}")
    assert [len(p) for p in split_chunk(lines, lay, Log())] == [1, 1, 1]


def test_escaping_keeps_tokens_and_stops_lists():
    assert emit.escape("a *b* [^12*] c_d <x>") == "a \\*b\\* [^12*] c\\_d \\<x\\>"
    assert emit.escape_start("1. Probablemente") == "1\\. Probablemente"
    assert emit.escape_start("- guion") == "\\- guion"
    assert emit.heading(1, "Mundo sin evasión posible", {"number": "I", "dates": "1906-1912"}) == \
        '# Mundo sin evasión posible {number=I dates="1906-1912"}'


CHAPTERS = [("03-mundo-sin-evasion.md", "Mundo sin evasión posible", "I", "1906-1912"),
            ("04-una-razon-para-vivir.md", "Una razón para vivir: vencer", "II", "1912-1919"),
            ("05-el-desaliento-y-el-entusiasmo.md", "El desaliento y el entusiasmo", "III", "1919-1920"),
            ("06-el-peligro-esta-en-nosotros.md", "El peligro está en nosotros[^*]", "IV", "1920-1921"),
            ("07-europa-en-el-viraje-oscuro.md", "Europa en el viraje oscuro[^*]", "V", "1922-1926"),
            ("08-la-revolucion-en-el-callejon.md", "La revolución en el callejón sin salida", "VI", "1926-1928"),
            ("09-los-anos-de-resistencia.md", "Los años de resistencia", "VII", "1928-1933"),
            ("10-los-anos-de-cautiverio.md", "Los años de cautiverio", "VIII", "1933-1936"),
            ("11-la-derrota-de-occidente.md", "La derrota de Occidente", "IX", "1936-1941")]


def test_chapter_headings_restored(part_text):
    for name, title, number, dates in CHAPTERS:
        first = part_text(name).split("\n", 1)[0]
        assert first == f'# {title} {{number={number} dates="{dates}"}}', name
    assert part_text("12-plena-espera.md").startswith("# Plena espera {number=X}\n")
    assert part_text("13-apendice-mi-ruptura-con-trotsky.md").startswith("# Apéndice: Mi ruptura con Trotsky[^*]\n")
    assert part_text("01-prefacio.md").startswith("# Prefacio[^*]\n")


def test_paragraphs_rebuilt(part_text):
    preface = part_text("01-prefacio.md")
    assert "mostrando unas suelas agujereadas, un traje" in preface
    assert "¿Piensa usted pues que el congreso del partido puede equivocarse" in \
        part_text("08-la-revolucion-en-el-callejon.md")
    assert "Kolarov[^109] llegaba de Bulgaria" in part_text("05-el-desaliento-y-el-entusiasmo.md")
    # the chapter II heading sat after the first page's notes: the text runs on
    assert "agujereadas" not in part_text("04-una-razon-para-vivir.md").split("\n")[0]


def test_special_blocks(part_text):
    assert "| Bleus ou noirs, tous aimés, tous beaux," in part_text("03-mundo-sin-evasion.md")
    assert "\n* * *\n" in part_text("11-la-derrota-de-occidente.md")
    assert "\n1. Probablemente" in part_text("15-las-versiones-de-las-memorias.md")
    assert "\n4. Como regla general" in part_text("15-las-versiones-de-las-memorias.md")
    assert "::: dateline\nMéxico, 1942-febrero de 1943[^29*]\n:::" in part_text("12-plena-espera.md")
    assert "::: dateline\nParís, 17 de noviembre de 2018.\n:::" in part_text("01-prefacio.md")
    assert "::: dateline\nParís, septiembre de 2018\n:::" in part_text("15-las-versiones-de-las-memorias.md")
    chronology = part_text("14-referencias-biograficas.md")
    assert "\n## 1890\n" in chronology and "\n## 1901-1904\n" in chronology
    bibliography = part_text("16-bibliografia.md")
    for title in ["I. Ensayos históricos", "V. Traducciones", "VI. Obras perdidas", "A. Obras literarias",
                  "D. Traducciones"]:
        assert re.search(rf"^#+ {re.escape(title)}", bibliography, re.M), title
    note = part_text("02-nota-del-editor.md")
    assert "\n——— *[Staline]{lang=fr}*, París, Le Seuil, 1967." in note and "____" not in note
    assert "## Sobre la historia rusa y soviética" in note


def test_epigraphs(part_text):
    text = part_text("00-epigrafes.md")
    assert text.count("::: epigraph") == 3 and text.count("::: attribution") == 3
    assert "Jean-Paul Sartre" in text and "Sarte" not in text


def _seed_blocks(first: int, last: int):
    """The source lines first..last as one page, a marker at a line's end made
    the note token pairing makes of it ("univers…69" → "univers…[^69]"), cut
    into blocks at the book's measure."""
    from repair_support import seed

    lines = [(n, re.sub(r"(?<=[^\d\s])(\d{1,3})(\s*)$", r"[^\1]\2", t))
             for n, t in zip(range(first, last + 1), seed(first, last))]
    return blocks([lines], layout(lines=lines, measure=66), Log())


def _verse(first, last):
    return [[n for n, _ in b.lines] for b in _seed_blocks(first, last) if b.kind == "verse"]


def test_verse_quoted_after_a_colon_is_verse():
    """Verhaeren (1540-1541), "Berlin" (9420-9422), Yesenin's last lines
    (11490-11492), Maiakovski (11544-11545), a song's refrain (17460-17461):
    short lines after a colon."""
    assert _verse(1538, 1541) == [[1540, 1541]]
    assert _verse(9418, 9422) == [[9420, 9421, 9422]]
    assert _verse(11488, 11492) == [[11490, 11491, 11492]]
    assert _verse(17458, 17461) == [[17460, 17461]]
    assert _verse(11542, 11545) == [[11544, 11545]]


def test_short_lines_after_a_colon_that_are_no_verse():
    assert _verse(14017, 14021) == []    # "1928: 24.500.000 hogares." ⏎ "1929: …": figures
    assert _verse(22329, 22334) == []    # "Víctor Serge" ⏎ "Autobiographie (Projet)": a title
    assert _verse(12012, 12016) == []    # dialogue turns
    assert _verse(14077, 14081) == []    # list items after a colon
