"""Issue 22: the titles and foreign phrases of titles.yaml, set by the import,
reach both books: italic with their language in the EPUB, italic in the PDF
(pdftohtml reads a run as <i> by its font's italic face)."""

from __future__ import annotations

import re
import subprocess
import zipfile

import pytest

from tests.conftest import MANUSCRIPT

pytestmark = pytest.mark.book

# Foreign phrases and titles of the register, each as the book prints it once on a line.
FOREIGN = [("struggle for life", "en"), ("camelots du roi", "fr"), ("Vie et mort de Léon Trotsky", "fr"),
           ("Terrorisme et Communisme", "fr")]


def _manuscript_italics() -> tuple[int, int]:
    """(italics the import report says it set, those of them with a language in the manuscript)."""
    report = (MANUSCRIPT.parent / "reports" / "import-report.md").read_text("utf-8")
    text = "".join(p.read_text("utf-8") for p in MANUSCRIPT.glob("*.md"))
    return int(re.search(r"Italics set from titles.yaml: (\d+)", report).group(1)), \
        len(re.findall(r"\*\[[^\]]+\]\{lang=[\w-]+\}\*", text))


def test_every_italic_of_the_manuscript_is_an_em_with_its_language_in_the_epub(real_epub):
    with zipfile.ZipFile(real_epub) as z:
        xhtml = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml") and "nav" not in n)
    italics, foreign = _manuscript_italics()
    assert xhtml.count("<em>") == italics
    # a page's marker may stand between the <em> and its language
    assert len(re.findall(r'<em>(?:<span epub:type="pagebreak"[^>]*/>)?<span lang="([\w-]+)" xml:lang="\1">',
                          xhtml)) == foreign > 1300
    # each phrase's words, whatever the index or glossary marks inside them
    set_in = {(lang, re.sub(r"<[^>]+>", "", inner)) for lang, inner in
              re.findall(r'<em><span lang="([\w-]+)" xml:lang="\1">(.*?)</span></em>', xhtml)}
    assert [item for item in FOREIGN if (item[1], item[0]) not in set_in] == []
    assert "<em>Terrorismo y comunismo</em>" in xhtml      # Spanish: no lang of its own


@pytest.fixture(scope="module")
def pdf_runs(real_pdf) -> str:
    xml = subprocess.run(["pdftohtml", "-xml", "-i", "-q", "-stdout", str(real_pdf.path)],
                         capture_output=True, text=True, check=True).stdout
    return re.sub(r"</?a\b[^>]*>", "", xml)     # a note's link may hold a title's last letter


def test_titles_and_foreign_phrases_are_italic_in_the_pdf(pdf_runs):
    for phrase, _ in FOREIGN:
        assert f"<i>{phrase}" in pdf_runs, phrase
    # a title inside an italic subhead is set roman
    assert re.search(r"<i>Las </i></text>\s*<text [^>]*>Memorias</text>\s*<text [^>]*><i> como obra de vida",
                     pdf_runs)
