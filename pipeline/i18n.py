"""Words the pipeline itself prints in a book, per language (es, en)."""

from __future__ import annotations

WORDS = {
    "es": {
        "notes": "Notas", "glossary": "Abreviaturas", "index": "Índice onomástico", "references": "Bibliografía",
        "toc": "Índice", "cover": "Cubierta", "pages": "Páginas", "landmarks": "Puntos de referencia",
        "backlink": "Volver a la llamada {n}", "epigraph": "Epígrafes",
        "title-page": "Portada", "copyright": "Créditos", "start": "Comienzo",
        "role-editor": "Edición: {name}", "role-translator": "Traducción: {name}",
        "role-preface": "Prefacio: {name}", "role-illustrator": "Ilustraciones: {name}",
        # a number never parts from its word at a line's end: a no-break space between
        "figures": "Ilustraciones", "tables": "Tablas",
        "ref-fig": "figura\u00a0{n}", "ref-tbl": "tabla\u00a0{n}", "ref-chapter": "capítulo\u00a0{n}",
        "ref-appendix": "apéndice\u00a0{n}", "ref-note": "nota\u00a0{n}", "ref-page": "p.\u00a0{n}",
        "ref-eq": "ecuación\u00a0({n})", "label-eq": "({n})",
        "label-fig": "Figura\u00a0{n}.", "label-tbl": "Tabla\u00a0{n}.", "quote": "«{text}»",
    },
    "en": {
        "notes": "Notes", "glossary": "Abbreviations", "index": "Index", "references": "References",
        "toc": "Contents", "cover": "Cover", "pages": "Pages", "landmarks": "Landmarks",
        "backlink": "Back to reference {n}", "epigraph": "Epigraphs",
        "title-page": "Title page", "copyright": "Copyright", "start": "Start",
        "role-editor": "Edited by {name}", "role-translator": "Translated by {name}",
        "role-preface": "Preface by {name}", "role-illustrator": "Illustrated by {name}",
        "figures": "Illustrations", "tables": "Tables",
        "ref-fig": "figure\u00a0{n}", "ref-tbl": "table\u00a0{n}", "ref-chapter": "chapter\u00a0{n}",
        "ref-appendix": "appendix\u00a0{n}", "ref-note": "note\u00a0{n}", "ref-page": "p.\u00a0{n}",
        "ref-eq": "equation\u00a0({n})", "label-eq": "({n})",
        "label-fig": "Figure\u00a0{n}.", "label-tbl": "Table\u00a0{n}.", "quote": "“{text}”",
    },
}


def word(language: str, key: str, **fields) -> str:
    table = WORDS.get(language.split("-")[0], WORDS["en"])
    return table.get(key, WORDS["en"].get(key, key)).format(**fields)
