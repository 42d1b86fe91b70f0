"""A manuscript with labelled figures and tables and references to them:
tests/fixtures/figures (issue 19, parts 2-4).

Two chapters in English, figures numbered per chapter with captions and
credits, a table with Pandoc's alignments and a 60-row table that runs over
two pages, references to figures, tables, chapters, sections and a note,
page references (`[p. @fig-quay]`), lists of illustrations and of tables.
Built once per module through the CLI, --strict (a warning would stop it);
the page references are checked against the pages of the PDF itself.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image

from pipeline.build import load_book
from pipeline.cli import main
from pipeline.diagnostics import Report
from pipeline.render.epub.images import MAX_SIDE, for_epub
from tests.conftest import epubcheck

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "figures"
SLUG = "cranes-and-quays"
X = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}
MM = 72 / 25.4
TEXT_BLOCK = (114 * MM, 186 * MM)   # print.css: trim 150 × 230 mm less the margins


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("figures")
    assert main(["build", str(FIXTURE), "-o", str(out), "--strict", "-q"]) == 0
    return out


@pytest.fixture(scope="module")
def footnoted(tmp_path_factory) -> Path:
    """The same book with footnotes in print: a page reference in a note is
    set where the note falls, its page counted as the book counts."""
    ms = shutil.copytree(FIXTURE, tmp_path_factory.mktemp("footnoted") / "ms")
    cfg = ms / "book.yaml"
    cfg.write_text(cfg.read_text("utf-8").replace("figures:", "notes:\n  print: footnotes\nfigures:"), "utf-8")
    out = ms.parent / "out"
    assert main(["build", str(ms), "-o", str(out), "--strict", "-q"]) == 0
    return out


def _epub(folder: Path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(folder / f"{SLUG}.epub") as z:
        return {n.removeprefix("EPUB/"): etree.fromstring(z.read(n)) for n in z.namelist() if n.endswith(".xhtml")}


def _pages(folder: Path) -> list[str]:
    """The PDF's text, page by page (index 0 is page 1)."""
    text = subprocess.run(["pdftotext", "-layout", str(folder / f"{SLUG}.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    return text.replace("\u00a0", " ").split("\f")


@pytest.fixture(scope="module")
def epub(built) -> dict[str, etree._Element]:
    return _epub(built)


@pytest.fixture(scope="module")
def pages(built) -> list[str]:
    return _pages(built)


def _text(node) -> str:
    return re.sub(r"\s+", " ", "".join(node.itertext())).strip()


def _target_text(epub, href: str) -> str:
    """What the target of a link prints at its place: a caption's opening
    label, a heading's words."""
    name, ident = href.split("#")
    node = epub[name].xpath(f"//*[@id='{ident}']")[0]
    label = node.xpath(".//x:span[@class='float-label']", namespaces=X)
    if label:
        return _text(label[0])
    if node.tag == f"{{{X['x']}}}section":   # a chapter: its title
        return _text(node.xpath(".//x:h1//x:span[@class='chapter-title']", namespaces=X)[0])
    return _text(node)


@pytest.mark.parametrize("notes", ["endnotes", "footnotes"])
def test_every_page_reference_prints_the_page_its_target_is_on(notes, request):
    """Each `[p. @…]` reads "p. N" in the EPUB and in the PDF, and page N of
    the PDF (its folio N) is where the target's caption or heading stands."""
    folder = request.getfixturevalue("built" if notes == "endnotes" else "footnoted")
    epub, pages = _epub(folder), _pages(folder)
    refs = [(a.get("href"), _text(a)) for doc in epub.values()
            for a in doc.xpath("//x:a[@class='xref-page']", namespaces=X)]
    assert len(refs) == 4   # one in a note
    for href, label in refs:
        number = int(re.fullmatch(r"p\. (\d+)", label).group(1))
        page = pages[number - 1]
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert str(number) in (lines[0].split()[0], lines[0].split()[-1], lines[-1]), f"page {number}'s folio"
        target = _target_text(epub, href)
        assert any(line.startswith(target) for line in lines), (href, number, target)
        assert not any(line.startswith(target) for p in pages[:number - 1] for line in p.splitlines()
                       if line.strip() == target or line.strip().startswith(target + " ")), (href, "earlier")
    printed = "\n".join(pages)
    assert all(label in printed for _, label in refs)


def test_references_are_worded_numbered_and_linked(epub):
    words = {(_text(a), a.get("href")) for doc in epub.values() for a in doc.xpath("//x:a[@class='xref']",
                                                                                  namespaces=X)}
    assert {("Figure 1.1", "cranes.xhtml#fig-crane"), ("table 1.1", "cranes.xhtml#tbl-lifts"),
            ("chapter 2", "quays.xhtml#quays"), ("table 2.1", "quays.xhtml#tbl-berths"),
            ("figure 2.1", "quays.xhtml#fig-quay"), ("note 1", "notes.xhtml#note-cranes-1"),
            ("table 2.2", "quays.xhtml#tbl-dims"),
            ("“Tonnage”", "quays.xhtml#sec-tonnage"), ("“The hydraulic crane”", "cranes.xhtml#sec-hydraulic"),
            ("chapter 1", "cranes.xhtml#cranes"), ("figure 1.1", "cranes.xhtml#fig-crane")} == words


def test_every_link_of_the_epub_lands_on_an_id(epub):
    ids = {name: set(doc.xpath("//@id")) for name, doc in epub.items()}
    hrefs = [a.get("href") for doc in epub.values() for a in doc.xpath("//x:a[@href]", namespaces=X)]
    inside = [h for h in hrefs if "#" in h and not h.startswith("http")]
    assert len(inside) > 20
    for href in inside:
        name, ident = href.split("#")
        assert ident in ids[name], href


def test_captions_are_numbered_with_their_credit(epub):
    captions = [_text(c) for name in ("cranes.xhtml", "quays.xhtml")
                for c in epub[name].xpath("//x:figcaption | //x:caption", namespaces=X)]
    assert [c.split(" ", 2)[:2] for c in captions] == [["Figure", "1.1."], ["Table", "1.1."], ["Figure", "2.1."],
                                                        ["Table", "2.1."], ["Table", "2.2."]]
    credit = epub["cranes.xhtml"].xpath("//x:figcaption/x:span[@class='credit']", namespaces=X)
    assert [_text(c) for c in credit] == ["Drawing: Harbour Board archive"]
    alt = epub["cranes.xhtml"].xpath("//x:figure/x:img/@alt", namespaces=X)
    assert alt and alt[0].startswith("A jib crane") and "harbour board" not in alt[0]


def test_lists_of_illustrations_and_tables(epub, pages):
    for name, kind, expected in (("figures.xhtml", "loi", ["fig-crane", "fig-quay"]),
                                 ("tables.xhtml", "lot", ["tbl-lifts", "tbl-berths", "tbl-dims"])):
        section = epub[name].xpath("//x:section", namespaces=X)[0]
        assert section.get(f"{{{X['epub']}}}type") == kind
        landmarks = epub["nav.xhtml"].xpath("//x:nav[@epub:type='landmarks']//x:a", namespaces=X)
        assert [a.get("href") for a in landmarks if a.get(f"{{{X['epub']}}}type") == kind] == [name]
        items = section.xpath(".//x:li", namespaces=X)
        assert [li.xpath("x:a/@href", namespaces=X)[0].split("#")[1] for li in items] == expected
        for li in items:   # its print page is the page its caption is on
            number = int(re.search(r"p\. (\d+)$", _text(li)).group(1))
            caption = _target_text(epub, li.xpath("x:a/@href", namespaces=X)[0])
            assert caption in pages[number - 1]
    printed = pages[6]   # the list of illustrations, page 7 of the PDF
    assert "1.1" in printed and "The steam crane of 1868" in printed and "Drawing:" not in printed


def test_tables_keep_alignments_scopes_and_repeat_their_head(epub, pages):
    table = epub["cranes.xhtml"].xpath("//x:table", namespaces=X)[0]
    assert table.getparent().get("class") == "table-wrap"
    assert [th.get("scope") for th in table.xpath(".//x:thead//x:th", namespaces=X)] == ["col"] * 4
    cells = table.xpath(".//x:tbody/x:tr[1]/x:td", namespaces=X)
    assert [c.get("style") for c in cells] == ["text-align: left;", "text-align: left;", "text-align: right;",
                                               "text-align: center;"]
    spread = [i for i, p in enumerate(pages) if re.search(r"^\s*\d+\s+(North|South) wall\s+1[89]\d\d", p, re.M)]
    assert len(spread) >= 2, "the long table runs over more than one page"
    for i in spread:
        assert re.search(r"Berth\s+Wall\s+Built\s+Length", pages[i]), f"no head on page {i + 1}"


def test_wide_table_is_set_smaller_within_the_text_block(epub, built, pages):
    """Eight columns: the "wide" rule (six or more) sets it smaller; every
    word of it stays between the page's margins."""
    wrap = epub["quays.xhtml"].xpath("//x:table[@id='tbl-dims']/..", namespaces=X)[0]
    assert wrap.get("class") == "table-wrap wide"
    number = next(i for i, p in enumerate(pages, 1) if "Table 2.2." in p)
    box = subprocess.run(["pdftotext", "-bbox", "-f", str(number), "-l", str(number), str(built / f"{SLUG}.pdf"),
                          "-"], capture_output=True, text=True, check=True).stdout
    words = [(float(a), float(b)) for a, b in re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', box)]
    width = float(re.search(r'<page width="([\d.]+)"', box).group(1))
    inside, outside = (19 * MM, 17 * MM) if number % 2 else (17 * MM, 19 * MM)   # print.css :right, :left
    assert words and min(a for a, _ in words) >= inside - 1 and max(b for _, b in words) <= width - outside + 1


def test_nothing_overflows_a_480_px_screen(built, tmp_path):
    """The chapters with the tables in headless Chromium at 480 px: the wide
    table scrolls in its wrapper, the page does not."""
    from tests.book.test_epub_rendering import chromium, probe_copy

    with zipfile.ZipFile(built / f"{SLUG}.epub") as z:
        z.extractall(tmp_path)   # our own EPUB, built by this module: trusted
    for name in ("cranes.xhtml", "quays.xhtml"):
        dom = chromium(["--dump-dom", probe_copy(tmp_path, name).as_uri()], tmp_path / "profile")
        assert 'data-overflow="no"' in dom, name


def test_figures_stay_within_the_text_block(built):
    """pdfimages reads each image's pixels and the resolution it is placed
    at: its placed size is within the text block (width and height)."""
    listing = subprocess.run(["pdfimages", "-list", str(built / f"{SLUG}.pdf")], capture_output=True, text=True,
                             check=True).stdout.splitlines()[2:]
    rows = [line.split() for line in listing]
    assert len(rows) == 2
    for row in rows:
        width, height, xppi, yppi = int(row[3]), int(row[4]), int(row[12]), int(row[13])
        placed = (width / xppi * 72, height / yppi * 72)
        assert placed[0] <= TEXT_BLOCK[0] + 1 and placed[1] <= 140 * MM + 1, (row, placed)


def test_epub_images_are_scaled_for_screens(built):
    with zipfile.ZipFile(built / f"{SLUG}.epub") as z:
        data = z.read("EPUB/images/crane.png")
    source = FIXTURE / "images" / "crane.png"
    assert max(Image.open(source).size) > MAX_SIDE
    assert max(Image.open(io.BytesIO(data)).size) == MAX_SIDE
    assert data == for_epub(source, "image/png")                      # deterministic bytes
    small = FIXTURE / "images" / "quay.png"
    assert for_epub(small, "image/png") == small.read_bytes()        # within the limit: as it is


def test_epubcheck_and_ace_are_clean(built, tmp_path):
    from pipeline.validate import run_ace

    epub_path = built / f"{SLUG}.epub"
    assert epubcheck(epub_path) == []
    verdict = run_ace(epub_path, tmp_path)
    assert verdict.problems == ()


def test_numbering_per_chapter_or_continuous(tmp_path):
    """figures: {numbering: chapter} gives "2.1" (chapter 2's first); continuous
    numbers across chapters: the quay's plan is then figure 2."""
    report = Report()
    book = load_book(FIXTURE, None, report)
    labels = {label.key: label.text.replace("\u00a0", " ") for label in book.labels}
    assert report.items == []
    from pipeline.render.text import book_texts   # the snapshot's text lists them too, for the diff

    assert "\n2.2 The three largest berths" in book_texts(book)["tables"]
    assert (labels["fig-quay"], labels["tbl-berths"], labels["note-steam"]) == ("figure 2.1", "table 2.1", "note 1")
    ms = shutil.copytree(FIXTURE, tmp_path / "ms")
    cfg = ms / "book.yaml"
    cfg.write_text(cfg.read_text("utf-8").replace("numbering: chapter", "numbering: continuous"), "utf-8")
    labels = {label.key: label.text.replace("\u00a0", " ") for label in load_book(ms, None, Report()).labels}
    assert (labels["fig-crane"], labels["fig-quay"], labels["tbl-berths"]) == ("figure 1", "figure 2", "table 2")
