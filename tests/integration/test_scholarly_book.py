"""One manuscript with every scholarly apparatus at once: tests/fixtures/scholarly
(issue 19, point 5), built in a note style and in an author-date style.

Two chapters in English citing a BibLaTeX file (in the text, in a note of
the author's, narratively, several works in one bracket, ibid.), figures
numbered per chapter with captions, credits and alt text, a table with
Pandoc's alignments, a 60-row table that runs over two pages, an
eight-column table set smaller, references to figures, tables, chapters,
sections, a note and pages (`[p. @fig-quay]`), lists of illustrations and of
tables, the works cited. Built once per module through the CLI, --strict (a
warning would stop it): as it stands (Chicago notes-bibliography, endnotes)
and with book.yaml switched to Chicago author-date with footnotes, so each
style meets each notes mode of the print. The page references are checked
against the pages of the PDF itself, the citation links against the
entries they land on.
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
from pipeline.preflight import OK
from pipeline.preflight import run as preflight
from pipeline.render.epub.images import MAX_SIDE, for_epub
from tests.conftest import epubcheck
from tests.pdflinks import link_targets, named_destinations

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "scholarly"
SLUG = "cranes-and-quays"
X = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops",
     "m": "http://www.w3.org/1998/Math/MathML"}
MM = 72 / 25.4
TEXT_BLOCK = (114 * MM, 186 * MM)   # print.css: trim 150 × 230 mm less the margins


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("figures")
    assert main(["build", str(FIXTURE), "-o", str(out), "--strict", "-q"]) == 0
    return out


@pytest.fixture(scope="module")
def author_date(tmp_path_factory) -> Path:
    """The same book in Chicago author-date with footnotes in print: a page
    reference in a note is set where the note falls, its page counted as the
    book counts; the citations stand in the text."""
    ms = shutil.copytree(FIXTURE, tmp_path_factory.mktemp("author-date") / "ms")
    cfg = ms / "book.yaml"
    text = cfg.read_text("utf-8")
    for old, new in (("csl: chicago-notes-bibliography-subsequent-ibid", "csl: chicago-author-date"),
                     ("print: endnotes", "print: footnotes")):
        assert old in text
        text = text.replace(old, new)
    cfg.write_text(text, "utf-8")
    out = ms.parent / "out"
    assert main(["build", str(ms), "-o", str(out), "--strict", "-q"]) == 0
    return out


BUILDS = ("built", "author_date")


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
    label, an equation's number (its formula is drawn, not set), a heading's words."""
    name, ident = href.split("#")
    node = epub[name].xpath(f"//*[@id='{ident}']")[0]
    label = node.xpath(".//x:span[@class='float-label' or @class='eq-number']", namespaces=X)
    if label:
        return _text(label[0])
    if node.tag == f"{{{X['x']}}}section":   # a chapter: its title
        return _text(node.xpath(".//x:h1//x:span[@class='chapter-title']", namespaces=X)[0])
    return _text(node)


@pytest.mark.parametrize("which", BUILDS)
def test_every_page_reference_prints_the_page_its_target_is_on(which, request):
    """Each `[p. @…]` reads "p. N" in the EPUB and in the PDF, and page N of
    the PDF (its folio N) is where the target's caption or heading stands."""
    folder = request.getfixturevalue(which)
    epub, pages = _epub(folder), _pages(folder)
    refs = [(a.get("href"), _text(a)) for doc in epub.values()
            for a in doc.xpath("//x:a[@class='xref-page']", namespaces=X)]
    assert len(refs) == 5   # one in a note, one to an equation
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
            ("figure 2.1", "quays.xhtml#fig-quay"), ("note 2", "notes.xhtml#note-cranes-2"),
            ("table 2.2", "quays.xhtml#tbl-dims"),
            ("“Tonnage”", "quays.xhtml#sec-tonnage"), ("“The hydraulic crane”", "cranes.xhtml#sec-hydraulic"),
            ("chapter 1", "cranes.xhtml#cranes"), ("figure 1.1", "cranes.xhtml#fig-crane"),
            ("equation (2.1)", "quays.xhtml#eq-load"), ("equation (2.2)", "quays.xhtml#eq-tonnage")} == words


def test_every_link_of_the_epub_lands_on_an_id(epub):
    ids = {name: set(doc.xpath("//@id")) for name, doc in epub.items()}
    hrefs = [a.get("href") for doc in epub.values() for a in doc.xpath("//x:a[@href]", namespaces=X)]
    inside = [h for h in hrefs if "#" in h and not h.startswith("http")]
    assert len(inside) > 20
    for href in inside:
        name, ident = href.split("#")
        assert ident in ids[name], href


KEYS = ("armstrong1868", "fimmen1924", "board1890", "jackson1983")   # as the list sorts them: Harbour Board under H


def _notes_of(epub, part: str) -> list[str]:
    """A chapter's endnotes in the EPUB, in order, each with its number."""
    return [_text(li) for li in epub["notes.xhtml"].xpath(
        f"//x:ol[preceding-sibling::x:h2[@id='notes-{part}']]/x:li", namespaces=X)]


def test_a_note_style_makes_citations_notes_numbered_with_the_authors_own(epub, pages):
    cranes = epub["cranes.xhtml"]
    assert [a.text for a in cranes.xpath("//x:a[@class='noteref']", namespaces=X)] == ["1", "2", "3", "4"]
    notes = _notes_of(epub, "cranes")
    assert notes[0] == "1 Gordon Jackson, The History and Archaeology of Ports (World’s Work, 1983), 45."
    assert notes[1].startswith("2 The harbour board’s minutes") and notes[1].endswith(
        "are in Harbour Board, Return of Berths, Cranes and Tonnage, Annual report (Harbour Board, 1890).")
    assert notes[2] == "3 Jackson, The History and Archaeology of Ports, 46."     # short form: a note between
    assert notes[3].startswith("4 “On the Application of Water Pressure to Cranes,”")   # author named in the text
    assert "As William Armstrong4 argued" in _text(cranes)
    quays = _notes_of(epub, "quays")   # a chapter starts afresh: the first citation of a work is full again
    assert quays[0] == ("1 Harbour Board, Return of Berths, Cranes and Tonnage, Annual report (Harbour Board, 1890), "
                        "3; Gordon Jackson, The History and Archaeology of Ports (World’s Work, 1983), 50.")
    assert "in 1868.1 Figure 1.1 shows" in _text(cranes)   # a capital after the note's mark
    printed = "\n".join(pages)
    assert re.search(r"3\s+Jackson, The History and Archaeology of Ports, 46\.", printed)


def test_an_author_date_style_cites_in_the_text(author_date):
    epub, pages = _epub(author_date), _pages(author_date)
    cranes = _text(epub["cranes.xhtml"])
    assert "in 1868 (Jackson 1983, 45). Figure 1.1 shows" in cranes
    assert "As Armstrong (1868, 70) argued" in cranes
    assert [a.text for a in epub["cranes.xhtml"].xpath("//x:a[@class='noteref']", namespaces=X)] == ["1"]
    assert "(Harbour Board 1890, 3; Jackson 1983, 50)" in _text(epub["quays.xhtml"])
    printed = "\n".join(pages)
    assert "(Fimmen 1924, 33)" in printed and "Jackson, Gordon. 1983. The History" in printed


@pytest.mark.parametrize("which", BUILDS)
def test_every_citation_is_formatted_and_links_to_its_entry(which, request):
    """No `@key` left raw; each citation's link, in the EPUB and in the PDF,
    lands on its entry of the works cited, which lists the works cited only."""
    import pikepdf

    folder = request.getfixturevalue(which)
    epub = _epub(folder)
    for name, doc in epub.items():
        assert not re.search(r"@\w", _text(doc)), name
    entries = epub["references.xhtml"].xpath("//x:div[@class='csl-entry']", namespaces=X)
    assert [e.get("id") for e in entries] == [f"bib-{k}" for k in KEYS]   # sorted by author
    links = [(name, a) for name, doc in epub.items() for a in doc.xpath("//x:a[@class='citation-link']",
                                                                         namespaces=X)]
    assert len(links) == 7   # jackson ×3, the board ×2, armstrong, fimmen
    for name, a in links:
        file, ident = a.get("href").split("#")
        entry = epub[file].xpath(f"//*[@id='{ident}']", namespaces=X)
        assert file == "references.xhtml" and entry and entry[0].get("class") == "csl-entry", a.get("href")
        # the link's words are the entry's: the author's name, or the title the short form gives
        author = _text(entry[0]).split(",")[0].split(".")[0]
        assert author.split()[0] in _text(a) or _text(a).split(",")[0] in _text(entry[0]), (_text(a), author)
    with pikepdf.open(folder / f"{SLUG}.pdf") as pdf:
        dests, cited = named_destinations(pdf), link_targets(pdf)
    cited = {d for d in cited if d.startswith("bib-")}   # a link set over two lines is two annotations
    assert cited == {f"bib-{k}" for k in KEYS} and cited <= dests


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


WIDE = """# Berths in Full

Every measure the board took of each berth, too many to set across a page.

| Berth | Northernmost | Southernmost | Superstructure | Warehousing | Refrigeration | Hydraulicity |
|------:|:-------------|:-------------|:---------------|:------------|:--------------|:-------------|
| 1 | Unreconstructed | Unreconstructed | Uncharacteristically | Interconnected | Overcapitalised | Counterbalanced |

Table: Everything at once. {#tbl-everything}
"""
LONG = """# Berths in Full

Five measures of each berth, in the board's long words.

| Northernmost | Southernmost | Warehousing | Refrigeration | Counterbalanced |
|:-------------|:-------------|:------------|:--------------|:----------------|
| Unreconstructed | Uncharacteristically | Interconnected | Overcapitalised | Counterbalancing |

Table: Long words. {#tbl-long}
"""


def _one_table_book(tmp: Path, chapter: str) -> tuple[Path, Path]:
    """A book of one chapter (four blank lines, then `chapter`), and an output
    folder holding a stale PDF."""
    ms = tmp / "ms"
    ms.mkdir()
    config = (FIXTURE / "book.yaml").read_text("utf-8")
    config = config[:config.index("bibliography:")] + "contents:\n  - {file: 01-wide.md, role: chapter}\n"
    (ms / "book.yaml").write_text(config, "utf-8")
    (ms / "01-wide.md").write_text("\n" * 4 + chapter, "utf-8")
    out = tmp / "out"
    out.mkdir()
    (out / f"{SLUG}.pdf").write_bytes(b"the last good book")
    return ms, out


def test_a_table_the_layout_finds_too_wide_is_set_smaller(tmp_path):
    """Five columns (under the six the sheets set smaller by rule) of long
    words: 130 mm at the table's own size, over the 114 mm text block. The
    layout finds it, sets it smaller (8 pt) and lays the chapter out again:
    every word between the margins."""
    ms, out = _one_table_book(tmp_path, LONG)
    assert main(["build", str(ms), "-o", str(out), "--format", "pdf", "-q", "--strict"]) == 0
    pages = _pages(out)
    number = next(i for i, p in enumerate(pages, 1) if "Long words" in p)
    box = subprocess.run(["pdftotext", "-bbox", "-f", str(number), "-l", str(number), str(out / f"{SLUG}.pdf"),
                          "-"], capture_output=True, text=True, check=True).stdout
    words = {w: (float(a), float(b), float(d) - float(c)) for a, c, b, d, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]+)</word>', box)}
    cells = [words[w] for w in ("Northernmost", "Uncharacteristically", "Counterbalancing")]
    assert all(height < 8.5 for _, _, height in cells) and words["Five"][2] > 10   # 8 pt beside the text's 11
    width = float(re.search(r'<page width="([\d.]+)"', box).group(1))
    inside, outside = (19 * MM, 17 * MM) if number % 2 else (17 * MM, 19 * MM)
    assert min(a for a, _, _ in words.values()) >= inside - 1 and max(b for _, b, _ in words.values()) <= width - outside + 1


def test_a_table_too_wide_even_set_smaller_stops_the_build_at_its_line(tmp_path, capsys):
    """Seven columns of long words: set smaller (six columns or more) it is
    still wider than the text block, which the layout measures: L013 at the
    table's first row, exit 1, the output there before left as it was."""
    ms, out = _one_table_book(tmp_path, WIDE)
    assert main(["build", str(ms), "-o", str(out), "--format", "pdf", "-q"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert re.match(rf"{re.escape(str(ms / '01-wide.md'))}:9: L013 a table is wider than the text block: "
                    r"table 1 of 01-wide.md is (\d+\.\d) mm wide, the text block 114.0 mm, "
                    "even set smaller", err), err
    assert float(re.search(r"is (\d+\.\d) mm", err).group(1)) > 114
    assert (out / f"{SLUG}.pdf").read_bytes() == b"the last good book"


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


@pytest.mark.parametrize("which", BUILDS)
def test_epubcheck_and_ace_are_clean(which, request, tmp_path):
    from pipeline.validate import run_ace

    epub_path = request.getfixturevalue(which) / f"{SLUG}.epub"
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
    # the author's note is the second of its chapter: a citation's note comes first
    assert (labels["fig-quay"], labels["tbl-berths"], labels["note-steam"]) == ("figure 2.1", "table 2.1", "note 2")
    assert labels["eq-load"] == "equation (2.1)"   # equations numbered like figures
    ms = shutil.copytree(FIXTURE, tmp_path / "ms")
    cfg = ms / "book.yaml"
    cfg.write_text(cfg.read_text("utf-8").replace("numbering: chapter", "numbering: continuous"), "utf-8")
    labels = {label.key: label.text.replace("\u00a0", " ") for label in load_book(ms, None, Report()).labels}
    assert (labels["fig-crane"], labels["fig-quay"], labels["tbl-berths"]) == ("figure 1", "figure 2", "table 2")
    assert (labels["eq-load"], labels["eq-tonnage"]) == ("equation (1)", "equation (2)")
    cfg.write_text(cfg.read_text("utf-8").replace("language: en", "language: es"), "utf-8")
    labels = {label.key: label.text.replace("\u00a0", " ") for label in load_book(ms, None, Report()).labels}
    assert labels["eq-tonnage"] == "ecuación (2)"   # the book's language words it


def test_equations_are_mathml_described_by_their_tex(built, epub):
    """Every formula, in the text and in a note, is MathML whose alttext is
    its TeX; a labelled one carries its number; the documents holding
    MathML say so in the manifest, and the package lists MathML and
    describedMath among its accessibility features."""
    formulas = [m for doc in epub.values() for m in doc.xpath("//m:math", namespaces=X)]
    assert len(formulas) == 9
    for m in formulas:
        tex = m.xpath("string(.//m:annotation[@encoding='application/x-tex'])", namespaces=X).strip()
        assert tex and m.get("alttext") == tex
    load = epub["quays.xhtml"].xpath("//x:span[@id='eq-load']", namespaces=X)[0]
    assert load.get("class") == "equation" and load[0].get("display") == "block"
    assert _text(load.xpath("x:span[@class='eq-number']", namespaces=X)[0]) == "(2.1)"
    assert epub["notes.xhtml"].xpath("//m:math[@alttext='t = 6\\tfrac{1}{2}']", namespaces=X)
    with zipfile.ZipFile(built / f"{SLUG}.epub") as z:
        opf = etree.fromstring(z.read("EPUB/content.opf"))
    ns = {"o": "http://www.idpf.org/2007/opf"}
    mathml = {i.get("href") for i in opf.xpath("//o:item[contains(@properties, 'mathml')]", namespaces=ns)}
    assert mathml == {"quays.xhtml", "notes.xhtml"}
    features = opf.xpath("//o:meta[@property='schema:accessibilityFeature']/text()", namespaces=ns)
    assert {"MathML", "describedMath"} <= set(features)


def test_equations_are_drawn_in_print_with_their_numbers_at_the_right(built, pages):
    """Print draws each formula (no MathML text reaches the PDF: "max" and
    "Mpost" of W_max = M_post / r would be words of it) and sets the number
    at the measure's right, on the formula's own line."""
    printed = "\n".join(pages)
    assert "Mpost" not in printed and "Wmax" not in printed
    for number in ("(2.1)", "(2.2)"):
        line = next(line for line in printed.splitlines() if line.strip() == number)
        assert len(line) - len(line.lstrip()) > 60, line   # far right, alone on its line
    page = next(i for i, p in enumerate(pages, 1) if "(2.1)" in p.split())
    box = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(built / f"{SLUG}.pdf"), "-"],
                         capture_output=True, text=True, check=True).stdout
    word = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">\(2\.1\)</word>', box)
    x, top, bottom = (float(v) for v in word.groups())
    png = subprocess.run(["pdftoppm", "-r", "72", "-gray", "-f", str(page), "-l", str(page), "-png",
                          str(built / f"{SLUG}.pdf")], capture_output=True, check=True).stdout
    band = Image.open(io.BytesIO(png)).convert("L").crop((0, int(top) - 4, int(x) - 20, int(bottom) + 4))
    assert band.getextrema()[0] < 100   # ink left of the number, on its line: the formula, drawn


@pytest.mark.parametrize("which", BUILDS)
def test_the_finish_passes_check_pdf_strict_in_both_notes_modes(which, request):
    """Issue 20's finish on a book unlike the real one, as `check pdf --strict`
    reads it: no ladder, turn, stranded head, widow, orphan, loose or
    overfull line, in endnote and in footnote mode. The 60-row table's cells
    sit side by side on their baselines; read as running text they made an
    orphan, a widow and a measure 40 mm short (preflight/text.alone). The
    crane's drawing, 900 × 1,500 px, prints at 272 ppi: a printer's warning
    about the art (C040), not about the finish."""
    pdf = request.getfixturevalue(which) / f"{SLUG}.pdf"
    failing = [f for f in preflight(pdf) if f.status != OK and f.check != "image resolution"]
    assert [(f.code, f.page, f.detail) for f in failing] == []
