"""book.yaml: validated, every problem named with file, line and code."""

import pytest

from pipeline import manuscript
from pipeline.diagnostics import BuildError

GOOD = """\
title: Libro
language: es
creators:
  - {name: A, role: author}
date: "2026"
identifiers: {ebook: "urn:uuid:1"}
contents:
  - {file: a.md, role: chapter}
"""


def load_errors(tmp_path, text, files=("a.md",)):
    (tmp_path / "book.yaml").write_text(text, "utf-8")
    for name in files:
        (tmp_path / name).write_text("# A\n\nTexto.\n", "utf-8")
    with pytest.raises(BuildError) as exc:
        manuscript.load(tmp_path)
    return [str(d) for d in exc.value.report.errors]


def test_good_manuscript_loads(tmp_path):
    (tmp_path / "book.yaml").write_text(GOOD, "utf-8")
    (tmp_path / "a.md").write_text("# A\n", "utf-8")
    ms = manuscript.load(tmp_path)
    assert ms.config.notes.numbering == "per-part"
    assert ms.parts[0].path == (tmp_path / "a.md").resolve()


def test_unknown_key_names_its_line(tmp_path):
    errors = load_errors(tmp_path, GOOD + "colour: red\n")
    assert errors == [f"{tmp_path / 'book.yaml'}:9: M004 invalid colour: unknown key"]


def test_wrong_type_names_key(tmp_path):
    errors = load_errors(tmp_path, GOOD.replace('date: "2026"', "date: [1]"))
    assert errors[0].startswith(f"{tmp_path / 'book.yaml'}:5: M004 invalid date:")


def test_broken_yaml(tmp_path):
    errors = load_errors(tmp_path, GOOD + "contents: [\n")
    assert " M003 " in errors[0]


def test_missing_file_and_escape(tmp_path):
    text = GOOD + "  - {file: b.md, role: chapter}\n  - {file: ../x.md, role: chapter}\n"
    errors = load_errors(tmp_path, text)
    assert errors == [f"{tmp_path / 'book.yaml'}:9: M005 contents file not found: b.md",
                      f"{tmp_path / 'book.yaml'}:10: M006 contents path leaves the manuscript folder: ../x.md"]


def test_missing_book_yaml(tmp_path):
    with pytest.raises(BuildError) as exc:
        manuscript.load(tmp_path)
    assert exc.value.report.errors[0].code == "M002"
