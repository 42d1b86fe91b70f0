"""Words the pipeline itself prints in a book, per language (es, en)."""

from __future__ import annotations

WORDS = {
    "es": {
        "notes": "Notas", "glossary": "Abreviaturas", "index": "Índice onomástico",
        "toc": "Índice", "cover": "Cubierta", "pages": "Páginas", "landmarks": "Puntos de referencia",
        "backlink": "Volver a la llamada {n}", "epigraph": "Epígrafes",
        "title-page": "Portada", "copyright": "Créditos", "start": "Comienzo",
        "role-editor": "Edición: {name}", "role-translator": "Traducción: {name}",
        "role-preface": "Prefacio: {name}", "role-illustrator": "Ilustraciones: {name}",
    },
    "en": {
        "notes": "Notes", "glossary": "Abbreviations", "index": "Index",
        "toc": "Contents", "cover": "Cover", "pages": "Pages", "landmarks": "Landmarks",
        "backlink": "Back to reference {n}", "epigraph": "Epigraphs",
        "title-page": "Title page", "copyright": "Copyright", "start": "Start",
        "role-editor": "Edited by {name}", "role-translator": "Translated by {name}",
        "role-preface": "Preface by {name}", "role-illustrator": "Illustrated by {name}",
    },
}


def word(language: str, key: str, **fields) -> str:
    table = WORDS.get(language.split("-")[0], WORDS["en"])
    return table.get(key, WORDS["en"].get(key, key)).format(**fields)
