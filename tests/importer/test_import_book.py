"""The command on the real book: reproducible, committed, clean of page furniture."""

import filecmp
import re
import shutil

import yaml

from conftest import MANUSCRIPT, PROFILE, SEED, run_import

GENERATED = lambda folder: sorted(p.name for p in folder.iterdir() if p.name != "corrections.yaml")  # noqa: E731


def test_reimport_is_byte_identical(imported, tmp_path):
    again = tmp_path / "manuscript"
    again.mkdir()
    shutil.copy(MANUSCRIPT / "corrections.yaml", again)
    done = run_import(SEED, "-o", again, "--report", tmp_path / "report.md")
    assert done.returncode == 0, done.stderr
    assert GENERATED(again) == GENERATED(imported)
    for name in GENERATED(imported):
        assert (again / name).read_bytes() == (imported / name).read_bytes(), name
    assert (tmp_path / "report.md").read_bytes() == (imported.parent / "import-report.md").read_bytes()
    assert (tmp_path / "fidelity-report.md").read_bytes() == (imported.parent / "fidelity-report.md").read_bytes()


def test_committed_manuscript_is_a_fresh_import(imported):
    names = GENERATED(imported)
    match, mismatch, errors = filecmp.cmpfiles(MANUSCRIPT, imported, names, shallow=False)
    assert not mismatch and not errors, "run: python -m pipeline import SEED -o manuscript"
    # and so are its reports: the import report's fidelity figure and the details
    for name in ("import-report.md", "fidelity-report.md"):
        assert (MANUSCRIPT.parent / "reports" / name).read_bytes() == (imported.parent / name).read_bytes(), name


FURNITURE = [re.compile(r"^\d{1,3} \| "), re.compile(r" \| \d{1,3}$"),
             re.compile(r"Memorias de un revolucionario \|"), re.compile(r"^\s*\d{1,3}\s*$")]
CAPTIONS = ["Víctor Serge, en 1932, en Leningrado", "Familia Rusákov en Marsella",
            "Grupo de militantes judíos y rusos internados", "La Republique Moderne, del 15"]


def test_no_page_furniture_in_the_manuscript(imported):
    for path in sorted(imported.glob("*.md")):
        text = path.read_text("utf-8")
        for number, line in enumerate(text.splitlines(), 1):
            assert not any(p.search(line) for p in FURNITURE), f"{path.name}:{number}: {line[:60]}"
            assert not line.startswith(" ") or line.startswith("    "), f"{path.name}:{number}"
        for caption in CAPTIONS:
            assert caption not in text, path.name


def test_book_yaml_and_register(imported):
    book = yaml.safe_load((imported / "book.yaml").read_text("utf-8"))
    assert book["language"] == "es" and book["title"] == "Memorias de un revolucionario"
    assert {c["name"] for c in book["creators"]} == {"Victor Serge", "Jean Rière"}
    files = [e["file"] for e in book["contents"] if "file" in e]
    assert files == sorted(files) and len(files) == 17
    assert files == sorted(p.name for p in imported.glob("*.md"))
    rows = yaml.safe_load((imported / "abbreviations.yaml").read_text("utf-8"))
    register = yaml.safe_load((PROFILE / "register.yaml").read_text("utf-8"))
    assert len(rows) == 42 - len(register["drop"]) + len(register["add"])   # the book's list, completed
    by_term = {r["term"]: r for r in rows}
    assert "variants" not in by_term["PCF"] and "Partido Comunista Francés" in by_term["PCF"]["expansion"]
    assert "JSR" not in by_term and by_term["ISR"]["expansion"] == "Internacional Sindical Roja."
    assert by_term["S.-R."]["variants"] == ["S-R", "S.R.", "SR"] and "OG" not in by_term
    ignores = yaml.safe_load((imported / "ignore.yaml").read_text("utf-8"))   # written from the profile too
    assert ignores == [{k: i[k] for k in ("code", "match", "reason")} for i in register["ignore"]]
    assert by_term["CNT"]["expansion"].startswith("Confederación Nacional del Trabajo")
    assert by_term["Comintern"]["variants"] == ["Komintern"]


def test_manuscript_loads_in_the_core(imported):
    from pipeline.manuscript import BookConfig

    BookConfig(**yaml.safe_load((imported / "book.yaml").read_text("utf-8")))


def test_pandoc_reads_the_notes_and_no_accidental_lists(imported):
    import json

    import pypandoc

    def count(node, kind):
        if isinstance(node, dict):
            return (node.get("t") == kind) + sum(count(v, kind) for v in node.values())
        if isinstance(node, list):
            return sum(count(v, kind) for v in node)
        return 0

    for name, lists in [("03-mundo-sin-evasion.md", 0), ("09-los-anos-de-resistencia.md", 0),
                        ("16-bibliografia.md", 0)]:
        text = (imported / name).read_text("utf-8")
        ast = json.loads(pypandoc.convert_text(text, "json", format="markdown"))
        assert count(ast["blocks"], "Note") == len(re.findall(r"^\[\^", text, re.M)), name
        assert count(ast["blocks"], "OrderedList") == lists, name


def test_errors_are_reported_without_traceback(tmp_path):
    done = run_import(tmp_path / "missing.txt", "-o", tmp_path / "out", "--profile", "no-such-profile")
    assert done.returncode == 1
    assert re.match(r"^\S+:1: T001 ", done.stderr) and "Traceback" not in done.stderr
