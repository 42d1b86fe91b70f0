"""Golden tests for citations: the citations fixture's chapter, notes and
references documents equal reviewed expected files.

After an intended change, run `pytest tests/golden --update-golden`, review
the diff of tests/golden/citations/expected/ in git, and commit it.
"""

from pathlib import Path

import pytest

from pipeline.build import build
from tests.golden.test_golden_epub import compare_golden

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "citations"
EXPECTED = Path(__file__).parent / "citations" / "expected"
FILES = ("archives.xhtml", "notes.xhtml", "references.xhtml")   # citations in the text, their notes, the list


@pytest.fixture(scope="module")
def citations_epub(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("citations-epub")
    return build(FIXTURE, out, formats=("epub",)).outputs["epub"]


def test_citations_match_golden(citations_epub, update_golden):
    compare_golden(citations_epub, FILES, EXPECTED, update_golden)
