"""Golden XHTML of the figures fixture's new parts (issue 19): the chapters'
cross-references, numbered captions and tables, the lists of illustrations
and of tables. An EPUB built alone: page references keep the target's words.

After an intended change: `pytest tests/golden --update-golden`, review the
diff of tests/golden/figures/expected/ in git, and commit it.
"""

from pathlib import Path

import pytest

from tests.golden.test_golden_epub import compare_golden

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "figures"
EXPECTED = Path(__file__).parent / "figures" / "expected"
FILES = ("cranes.xhtml", "quays.xhtml", "figures.xhtml", "tables.xhtml", "notes.xhtml")


@pytest.fixture(scope="module")
def figures_epub(tmp_path_factory) -> Path:
    from pipeline.build import build

    return build(FIXTURE, tmp_path_factory.mktemp("figures-epub"), formats=["epub"]).outputs["epub"]


def test_figures_epub_matches_golden(figures_epub, update_golden):
    compare_golden(figures_epub, FILES, EXPECTED, update_golden)
