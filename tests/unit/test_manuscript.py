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


# accessibility: who certified the claim, or the exemption instead of one

def load_config(tmp_path, text):
    (tmp_path / "book.yaml").write_text(text, "utf-8")
    (tmp_path / "a.md").write_text("# A\n", "utf-8")
    return manuscript.load(tmp_path).config


def test_accessibility_defaults_to_no_certifier_and_no_exemption(tmp_path):
    a11y = load_config(tmp_path, GOOD).accessibility
    assert (a11y.certified_by, a11y.certifier_credential, a11y.exemption) == (None, None, None)


def test_accessibility_certifier_and_credential(tmp_path):
    text = GOOD + "accessibility:\n  certified_by: Lectura Fácil\n  certifier_credential: https://example.org/c\n"
    a11y = load_config(tmp_path, text).accessibility
    assert (a11y.certified_by, a11y.certifier_credential) == ("Lectura Fácil", "https://example.org/c")


@pytest.mark.parametrize("exemption", ["eaa-microenterprise", "eaa-disproportionate-burden",
                                       "eaa-fundamental-alteration"])
def test_accessibility_exemption(tmp_path, exemption):
    assert load_config(tmp_path, GOOD + f"accessibility:\n  exemption: {exemption}\n").accessibility.exemption == exemption


def test_exemption_with_a_certifier_is_a_contradiction_on_its_line(tmp_path):
    text = GOOD + "accessibility:\n  certified_by: Lectura Fácil\n  exemption: eaa-microenterprise\n"
    errors = load_errors(tmp_path, text)
    assert len(errors) == 1
    assert errors[0].startswith(f"{tmp_path / 'book.yaml'}:11: M004 invalid accessibility.exemption: an exemption")
    assert "not both" in errors[0]


def test_credential_without_certifier_names_its_line(tmp_path):
    errors = load_errors(tmp_path, GOOD + "accessibility:\n  certifier_credential: https://example.org/c\n")
    assert errors == [f"{tmp_path / 'book.yaml'}:10: M004 invalid accessibility.certifier_credential: "
                      "a credential needs certified_by: whose credential is it?"]


def test_unknown_exemption_and_unknown_key(tmp_path):
    errors = load_errors(tmp_path, GOOD + "accessibility:\n  exemption: too-small\n  level: AAA\n")
    assert errors[0].startswith(f"{tmp_path / 'book.yaml'}:10: M004 invalid accessibility.exemption: ")
    assert "eaa-microenterprise" in errors[0]
    assert errors[1] == f"{tmp_path / 'book.yaml'}:11: M004 invalid accessibility.level: unknown key"


def test_empty_certifier_is_refused(tmp_path):
    errors = load_errors(tmp_path, GOOD + "accessibility:\n  certified_by: ''\n")
    assert errors[0].startswith(f"{tmp_path / 'book.yaml'}:10: M004 invalid accessibility.certified_by:")
