"""Golden tests: the fixture's EPUB files equal reviewed expected files.

After an intended change, run `pytest tests/golden --update-golden`, review
the diff of tests/golden/sample/expected/ in git, and commit it.
"""

import zipfile
from pathlib import Path

import pytest

EXPECTED = Path(__file__).parent / "sample" / "expected"
TEXT_FILES = (".xhtml", ".opf", ".ncx")  # the CSS is a copy of styles/epub.css


def epub_texts(epub: Path) -> dict[str, str]:
    with zipfile.ZipFile(epub) as zf:
        return {Path(n).name: zf.read(n).decode("utf-8") for n in zf.namelist() if n.endswith(TEXT_FILES)}


def compare_golden(epub: Path, files: tuple[str, ...], expected: Path, update: bool) -> None:
    """The named documents of `epub` equal the reviewed files in `expected`
    (or, with --update-golden, become them and the test is skipped)."""
    actual = {name: text for name, text in epub_texts(epub).items() if name in files}
    assert sorted(actual) == sorted(files)
    if update:
        expected.mkdir(parents=True, exist_ok=True)
        for name, text in actual.items():
            (expected / name).write_text(text, "utf-8")
        pytest.skip("golden files rewritten: review them with git diff")
    for name in files:
        assert actual[name] == (expected / name).read_text("utf-8"), f"{name} differs from {expected / name}"


def test_epub_matches_golden(fixture_epub, update_golden):
    actual = epub_texts(fixture_epub)
    if update_golden:
        EXPECTED.mkdir(parents=True, exist_ok=True)
        for old in EXPECTED.iterdir():
            old.unlink()
        for name, text in actual.items():
            (EXPECTED / name).write_text(text, "utf-8")
        pytest.skip("golden files rewritten: review them with git diff")
    expected = {p.name: p.read_text("utf-8") for p in EXPECTED.iterdir()}
    assert sorted(actual) == sorted(expected)
    for name in expected:
        assert actual[name] == expected[name], f"{name} differs from tests/golden/sample/expected/{name}"
