"""Golden XHTML of the figures fixture's new parts (issue 19): the chapters'
cross-references, numbered captions and tables, the lists of illustrations
and of tables. An EPUB built alone: page references keep the target's words.

After an intended change: `pytest tests/golden --update-golden`, review the
diff of tests/golden/figures/expected/ in git, and commit it.
"""

from pathlib import Path

import pytest

from tests.golden.test_golden_epub import epub_texts

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "figures"
EXPECTED = Path(__file__).parent / "figures" / "expected"
FILES = ("cranes.xhtml", "quays.xhtml", "figures.xhtml", "tables.xhtml", "notes.xhtml")


@pytest.fixture(scope="module")
def figures_epub(tmp_path_factory) -> Path:
    from pipeline.build import build

    return build(FIXTURE, tmp_path_factory.mktemp("figures-epub"), formats=["epub"]).outputs["epub"]


def test_figures_epub_matches_golden(figures_epub, update_golden):
    actual = {name: text for name, text in epub_texts(figures_epub).items() if name in FILES}
    assert sorted(actual) == sorted(FILES)
    if update_golden:
        EXPECTED.mkdir(parents=True, exist_ok=True)
        for name, text in actual.items():
            (EXPECTED / name).write_text(text, "utf-8")
        pytest.skip("golden files rewritten: review them with git diff")
    for name in FILES:
        assert actual[name] == (EXPECTED / name).read_text("utf-8"), f"{name} differs from {EXPECTED / name}"
