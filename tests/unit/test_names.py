"""Index of names: register, marking, sorting, locators, suggestions."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.diagnostics import BuildError, Report
from pipeline.model import IndexEntry, Mention, NameForm
from pipeline.render.locators import page_locators
from pipeline.render.pdf.index import index_section
from pipeline.resolve.names import letter, sort_text
from pipeline.transforms import names
from pipeline.transforms.names import NameMatcher


def _str(text):
    out = []
    for i, w in enumerate(text.split(" ")):
        if i:
            out.append({"t": "Space"})
        out.append({"t": "Str", "c": w})
    return out


def _para(text, *extra):
    return {"t": "Para", "c": _str(text) + list(extra)}


def _marked(blocks):
    found = []

    def visit(node):
        if isinstance(node, dict):
            if node.get("t") == "Span" and "name" in node["c"][0][1]:
                found.append((dict(node["c"][0][2]).get("key"), names.plain_text(node["c"][1])))
                return
            for v in node.values():
                visit(v)
        elif isinstance(node, list):
            for v in node:
                visit(v)

    visit(blocks)
    return found


MATCHER = NameMatcher.build([
    NameForm("Trotsky, León", ("Trotsky", "León Trotsky", "L. Trotsky")),
    NameForm("Blanqui, Auguste", ("Blanqui",), not_after=("calle", "bulevar"), exclude=("Instituto Blanqui",)),
    NameForm("Alejandro II", ("Alejandro II",)),
])


def test_longest_form_first_and_whole_words():
    blocks = names.mark([_para("León Trotsky y Trotsky, no Trotskysmo ni L. Trotsky.")], MATCHER)
    assert _marked(blocks) == [("Trotsky, León", "León Trotsky"), ("Trotsky, León", "Trotsky"),
                               ("Trotsky, León", "L. Trotsky")]


def test_context_rules_keep_streets_and_phrases_out():
    blocks = names.mark([_para("la calle Blanqui, el Instituto Blanqui y Blanqui mismo")], MATCHER)
    assert _marked(blocks) == [("Blanqui, Auguste", "Blanqui")]


def test_explicit_spans_are_respected_and_titles_left_alone():
    noindex = {"t": "Span", "c": [["", ["noindex"], []], _str("Trotsky")]}
    forced = {"t": "Span", "c": [["", ["name"], [["key", "Trotsky, León"]]], _str("el Viejo")]}
    title = {"t": "Header", "c": [1, ["", [], []], _str("Mi ruptura con Trotsky")]}
    blocks = names.mark([title, _para("ni", noindex, {"t": "Space"}, forced)], MATCHER)
    assert _marked(blocks) == [("Trotsky, León", "el Viejo")]


def test_a_citations_words_are_no_mention():
    """The author a citation names is a source (read/citations.py formats it), not a person spoken of."""
    cite = {"t": "Cite", "c": [[{"citationId": "trotsky1930"}], _str("Trotsky 1930")]}
    blocks = names.mark([_para("Trotsky lo dijo", {"t": "Space"}, cite)], MATCHER)
    assert _marked(blocks) == [("Trotsky, León", "Trotsky")]


def test_mentions_are_numbered_text_first_then_notes():
    blocks = names.mark([_para("Trotsky")], MATCHER)
    bodies = {"1": names.mark([_para("Alejandro II")], MATCHER)}
    _, _, sites = names.number(blocks, bodies)
    assert [(s.n, s.key, s.note) for s in sites] == [(1, "Trotsky, León", None), (2, "Alejandro II", "1")]


def test_spanish_collation_particles_and_letters():
    from pipeline.collation import sort_key

    key = sort_key("es")
    heads = ["Ñúñez, Ana", "Nuñez, Pedro", "Núñez, Blas", "Gaulle, Charles de", "von Papen, Franz", "Oz, Amos"]
    ordered = sorted(heads, key=lambda h: key(sort_text(h)))
    # accents only break ties (Blas before Pedro whatever the accents); ñ is a letter after n
    assert ordered == ["Gaulle, Charles de", "Núñez, Blas", "Nuñez, Pedro", "Ñúñez, Ana", "Oz, Amos",
                       "von Papen, Franz"]
    assert [letter(h) for h in ("Ñúñez, Ana", "Ábalos, J.", "von Papen, Franz")] == ["Ñ", "A", "P"]


def _entry(*mentions):
    return IndexEntry("X, Y", "X, Y", mentions=tuple(mentions))


def test_locators_merge_pages_and_mark_notes():
    ms = [Mention(f"m-a-{i}", "a", "X", note, mark) for i, (note, mark) in
          enumerate([(None, None), (None, None), (None, None), (None, None), ("n1", "4"), ("n2", "7"),
                     ("n3", "9")], 1)]
    pages = {"m-a-1": 45, "m-a-2": 46, "m-a-3": 47, "m-a-4": 47, "m-a-5": 123, "m-a-6": 123, "m-a-7": 46}
    assert page_locators(_entry(*ms), pages) == ["45–47", "123 nn. 4, 7"]
    assert page_locators(_entry(ms[4]), pages) == ["123 n. 4"]


def test_first_layout_sets_placeholders_as_wide_as_page_numbers(sample_book):
    assert '<span class="index-locators">000 n. 0</span>' in index_section(sample_book, None)


def test_register_problems_name_their_line(tmp_path: Path):
    from pipeline import registers

    (tmp_path / "names.yaml").write_text(
        "- name: Trotsky, León\n  variants: [Trotsky]\n"
        "- name: Trotski, Lev\n  variants: [Trotsky]\n  see_also: Nadie, Nadie\n"
        "- name: Trotsky, León\n", "utf-8")
    report = Report()
    registers.load(tmp_path, report)
    found = sorted((d.code, d.line) for d in report.items)
    assert found == [("X002", 3), ("X003", 3), ("X004", 6)]


def test_register_schema_errors_stop_with_a_line(tmp_path: Path):
    from pipeline import registers

    (tmp_path / "names.yaml").write_text("- name: A, B\n  variantes: [A]\n", "utf-8")
    with pytest.raises(BuildError) as err:
        registers.load(tmp_path, Report())
    assert "names.yaml:2" in str(err.value)


def test_index_html_has_groups_terms_and_cross_references(sample_book):
    html = index_section(sample_book, {"m-epigrafe-1": 5, "m-prefacio-1": 30})
    assert 'class="index-letter" id="ix-letter-g">G</h2>' in html and 'class="index-letter" id="ix-letter-s">S</h2>' in html
    assert "Gómez García, Julián</span>, <em class=\"index-see\">véase</em> Gorkin, Julián" in html
    assert "(1901-1987)</span>, <span class=\"index-locators\">30 n. 1</span>" in html


@pytest.fixture
def sample_book():
    from pipeline.build import load_book

    return load_book(Path(__file__).parents[1] / "fixtures" / "sample", None, Report())


def test_suggest_finds_biographies_and_clusters_variants(tmp_path: Path):
    from pipeline.cli.names import sources
    from pipeline.names import suggest

    (tmp_path / "book.yaml").write_text(
        "title: T\nlanguage: es\ncreators: [{name: A, role: author}]\ndate: '2026'\n"
        "identifiers: {ebook: 'urn:uuid:1'}\ncontents: [{file: a.md, role: chapter}]\n", "utf-8")
    (tmp_path / "a.md").write_text(
        "# Uno\n\nEn París vimos a Trotsky.[^1] Después Trotsky habló con N. I. Kibaltchitch en Moscú."
        " Charles de Gaulle no estaba. Luego Trotsky se fue a París.\n\n"
        "[^1]: León Trotsky (1879-1940), revolucionario. Nikolai Ivanovich Kibalchich (1854-1881), químico.\n",
        "utf-8")
    cands = {c.heading: c for c in suggest.suggest(suggest.passages(sources(tmp_path)), min_count=1)}
    assert cands["Trotsky, León"].dates == "1879-1940"
    assert set(cands["Trotsky, León"].variants) == {"Trotsky", "León Trotsky"}
    kib = cands["Kibalchich, Nikolai Ivanovich"]
    assert set(kib.variants) == {"Nikolai Ivanovich Kibalchich", "N. I. Kibaltchitch"}
    assert "Gaulle, Charles de" in cands
    assert not any(h.startswith(("París", "Moscú", "Después", "Luego")) for h in cands)
    assert "- name: Trotsky, León" in suggest.to_yaml(list(cands.values()))
