"""A profile or manuscript file the import reads, malformed: `path:line: CODE
message` on stderr, exit status 1, no traceback, and the manuscript written
before left as it was (issue 22: titles.yaml gave a traceback)."""

from __future__ import annotations

import re

import pytest

from pipeline.cli import main

STRUCTURE = "book: {title: T}\nparts:\n  - {layout: abbreviations, title: Abreviaturas, lines: [1, 1]}\n"
# (file, its text, the line at fault, the code): each profile file broken in
# its YAML (M003, told as the manuscript's) and in its content (its own T code).
BROKEN = [
    ("titles.yaml", "works:\n  - {text: Pravda\n  - {text: Izvestia}\n", 3, "M003"),
    ("titles.yaml", "periodicals:\n  - {text: Pravda}\n  - {text: Izvestia, lang: ru Latn}\n", 3, "T016"),
    ("titles.yaml", "works:\n  - {text: Pravda}\nperiodical:\n  - {text: Izvestia}\n", 4, "T016"),  # its list
    ("titles.yaml", "works:\n  - {text: Staline, lines: [12, doce]}\n", 2, "T016"),
    ("titles.yaml", "works:\n  - {text: Pravda}\nphrases:\n  - {text: Pravda}\n", 4, "T016"),  # listed twice
    ("repair.yaml", "hyphens:\n  keep_prefixes: [ex\nsmall_caps: {}\n", 3, "M003"),
    ("repair.yaml", "hyphens:\n  keep_prefixes: [ex]\nsmall_caps:\n  acronym: [pc]\n", 4, "T017"),
    ("register.yaml", "fix:\n  PC: {term: PC, why: w, colour: red}\n", 2, "T008"),
    ("structure.yaml", "book: {title: T}\nparts:\n  - {layout: abbreviations, lines: [1]}\n", 3, "T015"),
    ("corrections.yaml", "- {where: 1, from: pc, to: PC}\n- {where: 1, from: pc}\n", 2, "T003"),
]


@pytest.mark.parametrize("name, text, line, code", BROKEN, ids=[f"{b[0]}-{b[3]}-{b[2]}" for b in BROKEN])
def test_a_malformed_file_is_told_at_its_line_and_nothing_is_written(name, text, line, code, tmp_path, capsys):
    profile, out = tmp_path / "profile", tmp_path / "ms"
    profile.mkdir()
    out.mkdir()
    (tmp_path / "source.txt").write_text("pc: Partido comunista.\n", "utf-8")
    (profile / "structure.yaml").write_text(STRUCTURE, "utf-8")
    before = {"abbreviations.yaml": "- term: PC\n  expansion: antes\n", "book.yaml": "title: antes\n"}
    for file, content in before.items():
        (out / file).write_text(content, "utf-8")
    broken = (out if name == "corrections.yaml" else profile) / name
    broken.write_text(text, "utf-8")

    status = main(["import", str(tmp_path / "source.txt"), "-o", str(out), "--profile", str(profile),
                   "--report", str(tmp_path / "r.md")])

    err = capsys.readouterr().err
    assert status == 1 and "Traceback" not in err
    assert re.match(rf"^{re.escape(str(broken))}:{line}: {code} \S", err), err
    assert {p.name: p.read_text("utf-8") for p in out.iterdir() if p.name != name} == before
    assert not (tmp_path / "r.md").exists()
