"""The EPUB stylesheet leaves a reading system's defaults to the reader:
sizes relative to the reader's text size, no colours that a night mode
would have to fight, images that scale, the index without list markers."""

from __future__ import annotations

import re

from tests.conftest import ROOT

CSS = (ROOT / "styles" / "epub.css").read_text("utf-8")


def declarations(css: str) -> list[tuple[str, str, str]]:
    """(selector, property, value) of every declaration, comments dropped."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    out = []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        for decl in body.split(";"):
            if ":" in decl:
                prop, value = decl.split(":", 1)
                out.append((" ".join(selector.split()), prop.strip(), value.strip()))
    return out


DECLS = declarations(CSS)


def test_no_absolute_lengths():
    absolute = [d for d in DECLS if re.search(r"\d(px|pt|pc|cm|mm|in)\b", d[2])]
    assert absolute == []


def test_no_colour_or_background_on_the_text():
    assert [d for d in DECLS if d[1] in ("color", "background", "background-color")] == []


def test_images_scale_to_the_column():
    assert ("img", "max-width", "100%") in DECLS and ("img", "height", "auto") in DECLS


def test_the_index_lists_have_no_markers():
    assert ("ul.index-entries, ul.index-subentries", "list-style", "none") in DECLS
    assert ("li.index-entry", "list-style", "none") in DECLS


def test_text_is_hyphenated():
    assert ("body", "hyphens", "auto") in DECLS and ("body", "-webkit-hyphens", "auto") in DECLS


def test_the_parser_sees_what_it_must_refuse():
    bad = declarations("p { font-size: 12px; color: #333 } /* x: 1px */ img { width: 3in }")
    assert [d for d in bad if re.search(r"\d(px|pt|pc|cm|mm|in)\b", d[2])] == [("p", "font-size", "12px"),
                                                                               ("img", "width", "3in")]
