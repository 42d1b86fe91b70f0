"""Pandoc's XHTML of the chunks: the compacted AST Pandoc is given writes the
same HTML, and conversions run together come back in order."""

from __future__ import annotations

import json

import pypandoc
import pytest

from pipeline.resolve import html

MARKDOWN = """\
# Título {#t number=I}

Palabra *con énfasis* y **fuerte**, "citas" y 'simples', O'Brien, a&b <c> ↩ ↔︎ ↩\ufe0e x.
Línea  con dos espacios\\
y salto. [enlace](https://example.org "t") <https://example.org> `código  x`
[Trotsky]{.name key="Trotsky, León" n=3} [CNT]{.abbr term=CNT} [XX]{.roman} [M]{.smallcaps} [u]{.underline}

. . .

| uno
|    dos  tres

- a b
- c  d

    1. e f

> cita con ~~tachado~~ y ^sup^ y ~sub~ ...

![alt con *énfasis* y más](img.png "título")

Término
:   definición de  palabras

| a b | c d |
|-----|-----|
| e f | g h |

::: {.epigraph lang=fr}
Texte en français, « guillemets ».
:::
"""


def _pandoc_html(blocks) -> str:
    doc = {"pandoc-api-version": [1, 23, 1], "meta": {}, "blocks": blocks}
    return html._run_pandoc(json.dumps(doc, ensure_ascii=False, sort_keys=True))


def test_compacted_ast_writes_the_same_html():
    blocks = json.loads(pypandoc.convert_text(MARKDOWN, "json", format="markdown"))["blocks"]
    small = html.compact(blocks)
    assert json.dumps(small) != json.dumps(blocks)  # words were joined
    assert _pandoc_html(small) == _pandoc_html(blocks)


def test_compact_joins_words_only_between_words():
    s = lambda w: {"t": "Str", "c": w}  # noqa: E731
    sp = {"t": "Space"}
    assert html.compact([sp, s("a"), sp, s("b"), sp, sp, s("c"), s("d"), sp]) == \
        [sp, s("a b"), sp, sp, s("c"), s("d"), sp]
    nested = [{"t": "Para", "c": [s("x"), sp, {"t": "Emph", "c": [s("y"), sp, s("z")]}]}]
    assert html.compact(nested) == [{"t": "Para", "c": [s("x"), sp, {"t": "Emph", "c": [s("y z")]}]}]
    assert nested[0]["c"][2]["c"] == [s("y"), sp, s("z")]  # the input is left as it was


def test_conversions_together_come_back_in_order(tmp_path):
    jobs = [([[{"t": "Para", "c": [{"t": "Str", "c": f"texto{i}"}]}]], (1, 23, 1)) for i in range(6)]
    together = list(html.to_html_all(jobs, tmp_path / "cache"))
    assert together == [html.to_html(*job) for job in jobs]
    assert together[4] == ["<p>texto4</p>"]


def test_a_failed_conversion_raises():
    with pytest.raises(RuntimeError):
        html._run_pandoc("{not json")
