"""Golden XHTML of the scholarly fixture (issue 19): the chapters' citations,
cross-references, numbered captions and tables, the notes, the lists of
illustrations and of tables, the works cited; in its note style and, for the
documents the style changes, in author-date. EPUBs built alone: page
references keep the target's words.

After an intended change: `pytest tests/golden --update-golden`, review the
diff of tests/golden/scholarly/ in git, and commit it.
"""

import shutil
from pathlib import Path

import pytest

from tests.golden.test_golden_epub import compare_golden

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "scholarly"
EXPECTED = Path(__file__).parent / "scholarly"
STYLES = {
    "expected": ("cranes.xhtml", "quays.xhtml", "figures.xhtml", "tables.xhtml", "notes.xhtml", "references.xhtml"),
    "expected-author-date": ("cranes.xhtml", "notes.xhtml", "references.xhtml"),
}


def _build(ms: Path, out: Path) -> Path:
    from pipeline.build import build

    return build(ms, out, formats=["epub"]).outputs["epub"]


@pytest.mark.parametrize("which", sorted(STYLES))
def test_scholarly_epub_matches_golden(which, tmp_path, update_golden):
    ms = FIXTURE
    if which == "expected-author-date":
        ms = shutil.copytree(FIXTURE, tmp_path / "ms")
        cfg = ms / "book.yaml"
        cfg.write_text(cfg.read_text("utf-8").replace("csl: chicago-notes-bibliography-subsequent-ibid",
                                                      "csl: chicago-author-date"), "utf-8")
    compare_golden(_build(ms, tmp_path / "out"), STYLES[which], EXPECTED / which, update_golden)
