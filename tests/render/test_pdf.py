"""The print PDF, checked from the PDF itself (poppler, pikepdf).

The fixture manuscript is short: every part fits on its opening page. So
the book is also built "long": chapter one lengthened in the frozen Book
(nothing in tests/fixtures changes) until it runs over several versos and
rectos that must carry running heads.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
from dataclasses import replace
from pathlib import Path

import pikepdf
import pyphen
import pytest
from fontTools.ttLib import TTFont

from pipeline.build import load_book
from pipeline.diagnostics import Report
from pipeline.render.pdf import RefusedURL, render_pdf
from pipeline.render.pdf.fetcher import ConfinedFetcher
from pipeline.render.pdf.html import build_html
from pipeline.model import Document

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "sample"
STYLES = Path(__file__).resolve().parents[2] / "styles"
MM = 72 / 25.4
HEAD_ZONE = 18 * MM     # the top margin is 20 mm; heads sit in it, text below it
FOOT_ZONE = 22 * MM     # the bottom margin is 24 mm; the opening folio sits in it

PARA = ("<p>Antes incluso de salir de la infancia creo haber sentido, con una fuerza que no he vuelto "
        "a conocer, la paradoja que luego me dominó durante toda la primera parte de mi vida: la de "
        "un mundo sin evasión posible, en el que sin embargo no cabía otra cosa que evadirse. Los "
        "años pasaban —lentos, iguales— y la ciudad seguía allí, con sus «comillas» y sus silencios…</p>\n")


def lengthen(book, doc_id="capitulo-uno", paragraphs=40):
    docs = tuple(replace(d, html=d.html + "\n" + PARA * paragraphs) if d.id == doc_id else d
                 for d in book.documents)
    return replace(book, documents=docs)


@pytest.fixture(scope="module")
def book():
    return load_book(FIXTURE, None, Report())


@pytest.fixture(scope="module")
def built(book, tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf") / "book.pdf"
    return render_pdf(book, out)


@pytest.fixture(scope="module")
def long_book(book):
    return lengthen(book)


@pytest.fixture(scope="module")
def long_built(long_book, tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf") / "long.pdf"
    return render_pdf(long_book, out)


# -- helpers ---------------------------------------------------------------

def text(pdf: Path, page: int, *, top: float = 0, height: float | None = None) -> str:
    """pdftotext of one page, or of a horizontal band of it (in points from the top)."""
    args = ["pdftotext", "-layout", "-f", str(page), "-l", str(page)]
    if height is not None:
        args += ["-x", "0", "-y", str(int(top)), "-W", "2000", "-H", str(int(height))]
    return subprocess.run(args + [str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def head(pdf: Path, page: int) -> str:
    return " ".join(text(pdf, page, height=HEAD_ZONE).split())


def page_height(pdf: Path) -> float:
    with pikepdf.open(pdf) as doc:
        return float(doc.pages[0].MediaBox[3])


def fold(s: str) -> str:
    return " ".join(s.casefold().split())


def squeeze(s: str) -> str:
    """For letter-spaced lines, which pdftotext reads as "C u a d e r n o"."""
    return "".join(s.casefold().split())


def openings(book, result) -> dict[str, int]:
    """Page where each rendered contents entry opens."""
    return {d.id: result.anchors[d.id] for d in book.documents if d.role != "index"}


# -- page size -------------------------------------------------------------

def test_page_size_is_the_trim(built):
    with pikepdf.open(built.path) as pdf:
        assert len(pdf.pages) == built.page_count
        for page in pdf.pages:
            x0, y0, x1, y1 = (float(v) for v in page.MediaBox)
            assert abs((x1 - x0) - 150 * MM) < 0.5 and abs((y1 - y0) - 230 * MM) < 0.5
    assert built.page_size == pytest.approx((425.2, 651.97), abs=0.5)


def test_trim_comes_from_book_yaml(book, tmp_path):
    trim = book.config.print.trim.model_copy(update={"width": "140mm", "height": "216mm"})
    config = book.config.model_copy(update={"print": book.config.print.model_copy(update={"trim": trim})})
    small = replace(book, config=config)
    result = render_pdf(small, tmp_path / "small.pdf")
    assert result.page_size == pytest.approx((140 * MM, 216 * MM), abs=0.5)


# -- fonts -----------------------------------------------------------------

def test_only_eb_garamond_embedded_as_subsets(built):
    out = subprocess.run(["pdffonts", str(built.path)], check=True, capture_output=True, text=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows, out
    for row in rows:
        name, emb, sub = row[0], row[-5], row[-4]
        assert re.fullmatch(r"[A-Z]{6}\+EB-Garamond-Print(-\w+)?", name), out
        assert (emb, sub) == ("yes", "yes"), out


def test_embedded_programs_are_the_bundled_faces(built):
    """pdffonts shows the CSS family name; the font programs must be EB Garamond's."""
    names = set()
    with pikepdf.open(built.path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                stream = obj.get("/FontFile3") or obj.get("/FontFile2")
                assert stream is not None, "font not embedded"
                data = stream.read_bytes()
                if stream.get("/Subtype") == "/OpenType" or data[:4] in (b"OTTO", b"\0\1\0\0"):
                    names.add(TTFont(io.BytesIO(data))["name"].getDebugName(6))
                else:  # bare CFF: its font name follows the header
                    from fontTools.cffLib import CFFFontSet
                    cff = CFFFontSet()
                    cff.decompile(io.BytesIO(data), None)
                    names.update(cff.fontNames)
    assert names and all(n.startswith("EBGaramond") for n in names), names


def drawn_glyphs(pdf_path: Path) -> dict[str, set[str]]:
    """Per embedded face, the glyphs that have outlines (the subset keeps the others empty),
    over all its subsets (each unit of the book embeds its own, render/pdf/merge.py)."""
    found = {}
    with pikepdf.open(pdf_path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                font = TTFont(io.BytesIO(obj.FontFile3.read_bytes()))
                cff = font["CFF "].cff
                strings = cff[cff.fontNames[0]].CharStrings
                drawn = set()
                for name in font.getGlyphOrder():
                    strings[name].decompile()
                    if len(strings[name].program) > 2:
                        drawn.add(name)
                found.setdefault(str(obj.FontName).split("+")[1], set()).update(drawn)
    return found


def test_true_small_caps_superior_calls_oldstyle_figures(built):
    """From the glyphs drawn: abbr in the face's small caps (not scaled capitals),
    note calls in its superior figures, text figures old-style (EB Garamond's default)."""
    chapter = text(built.path, built.anchors["capitulo-uno"])
    assert "CNT" in chapter and "FAI" in chapter  # small caps still extract as capitals
    regular = drawn_glyphs(built.path)["EB-Garamond-Print"]
    assert {"C.sc", "N.sc", "T.sc", "F.sc", "A.sc", "I.sc"} <= regular
    assert {"one.sups", "two.sups", "three.sups"} <= regular
    assert {"one", "nine"} <= regular  # 1906-1912, folios
    assert not {g for g in regular if g.endswith(".lnum")}, "lining figures in running text"


# -- openings, blank pages, running heads ----------------------------------

def test_parts_open_on_rectos_without_running_head(long_book, long_built):
    pages = openings(long_book, long_built)
    assert pages["capitulo-dos"] > pages["capitulo-uno"] + 2  # chapter one really runs on
    height = page_height(long_built.path)
    for doc_id, page in pages.items():
        assert page % 2 == 1, f"{doc_id} opens on page {page}"
        assert head(long_built.path, page) == "", f"{doc_id}: head on its opening page {page}"
        if doc_id != "epigrafe":  # set as front matter: no folio
            foot = text(long_built.path, page, top=height - FOOT_ZONE, height=FOOT_ZONE).split()
            assert foot == [str(page)], f"{doc_id}: folio at the foot of page {page}: {foot}"


def test_mirrored_margins_gutter_inside(long_built):
    """Body text starts 17 mm from the edge on a verso, 19 mm on a recto (gutter 19 mm)."""
    start = long_built.anchors["capitulo-uno"]

    def left_edge(page):
        out = subprocess.run(["pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page),
                              str(long_built.path), "-"], check=True, capture_output=True, text=True).stdout
        lines = [(float(x), float(y)) for x, y in re.findall(r'<line xMin="([\d.]+)" yMin="([\d.]+)"', out)]
        return min(x for x, y in lines if y > HEAD_ZONE)

    assert left_edge(start + 1) == pytest.approx(17 * MM, abs=0.5)   # verso
    assert left_edge(start + 2) == pytest.approx(19 * MM, abs=0.5)   # recto


def test_spanish_hyphenation_and_typography(long_built):
    """Words broken at line ends break where Spanish patterns allow; «», —, … survive."""
    start, end = long_built.anchors["capitulo-uno"], long_built.anchors["capitulo-dos"]
    es = pyphen.Pyphen(lang="es")
    breaks = 0
    for page in range(start, end):
        lines = [ln.strip() for ln in text(long_built.path, page).splitlines() if ln.strip()]
        for line, nxt in zip(lines, lines[1:]):
            if re.search(r"\w[-\u2010]$", line):  # WeasyPrint sets U+2010 HYPHEN
                head_part = line.split()[-1][:-1]
                tail = re.match(r"[^\W\d_]+", nxt)
                if tail is None:  # the word runs on over the page
                    continue
                tail_part = tail.group()
                word = head_part + tail_part
                assert len(head_part) in es.positions(word), f"{head_part}-{tail_part}"
                breaks += 1
    assert breaks >= 3
    chapter = text(long_built.path, start)
    for kept in ("«comillas»", "—", "…", "¿y preguntas?", "¡Y"):
        assert kept in chapter, kept
    assert re.search(r"^\s*\*\s+\*\s+\*\s*$", chapter, re.M), "scene break ornament"


def test_blank_versos_carry_nothing(long_built):
    height = page_height(long_built.path)
    blank = []
    for page in range(1, long_built.page_count + 1):
        body = text(long_built.path, page, top=HEAD_ZONE, height=height - HEAD_ZONE - FOOT_ZONE)
        if not body.strip():
            blank.append(page)
            assert not text(long_built.path, page).strip(), f"page {page}: a head or folio on a blank page"
    pages = set(long_built.anchors.values())
    assert {2, 6} <= set(blank), blank  # behind the half-title; before the epigraph
    assert all(p % 2 == 0 for p in blank if p not in pages), blank


def test_running_heads_verso_book_title_recto_part_title(long_book, long_built):
    start, end = long_built.anchors["capitulo-uno"], long_built.anchors["capitulo-dos"]
    chapter = long_book.document("capitulo-uno")
    versos = [p for p in range(start + 1, end) if p % 2 == 0 and text(long_built.path, p).strip()]
    rectos = [p for p in range(start + 1, end) if p % 2 == 1 and text(long_built.path, p).strip()]
    assert versos and rectos
    for page in versos:
        top = head(long_built.path, page)
        assert fold(long_book.config.title) in fold(top), (page, top)
        assert str(page) in top.split(), (page, top)
    for page in rectos:
        top = head(long_built.path, page)
        assert fold(chapter.title) in fold(top), (page, top)
        assert fold(long_book.config.title) not in fold(top), (page, top)
        assert str(page) in top.split(), (page, top)


def test_front_matter_pages(book, built):
    cfg = book.config
    half, title, rights = (text(built.path, built.anchors[i]) for i in ("_half-title", "_title-page", "_copyright"))
    assert squeeze(cfg.title) in squeeze(half)
    for expected in (cfg.title, cfg.subtitle, cfg.publisher, *(c.name for c in cfg.creators)):
        assert squeeze(expected) in squeeze(title), expected
    for expected in (cfg.rights, cfg.identifiers.print, cfg.identifiers.ebook, cfg.publisher, "Eduardo Editor",
                     "enero de 2026"):
        assert fold(expected) in fold(rights), expected
    assert built.anchors["_title-page"] % 2 == 1 and built.anchors["_copyright"] == built.anchors["_title-page"] + 1


# -- contents ----------------------------------------------------------------

def test_contents_page_numbers_are_where_parts_start(long_book, long_built):
    toc = text(long_built.path, long_built.anchors["_toc"])
    listed = {}
    for doc in long_book.documents:
        if doc.role == "toc" or not doc.title:
            continue
        match = re.search(re.escape(doc.title) + r"\s+(\d+)\s*$", toc, re.M)
        assert match, f"{doc.title!r} not in the contents:\n{toc}"
        listed[doc.id] = int(match.group(1))
    assert listed == {k: long_built.anchors[k] for k in listed}
    for doc_id, page in listed.items():  # and the PDF text agrees: the title stands on that page
        assert fold(long_book.document(doc_id).title) in fold(text(long_built.path, page)), doc_id


def test_contents_placed_where_book_yaml_puts_it(book, tmp_path):
    """With a `toc` entry in contents, the contents page stands there and not after the title pages."""
    toc = Document("indice", "toc", "Índice general", "Índice general", None, None, "", (), None)
    placed = replace(book, documents=book.documents + (toc,))
    result = render_pdf(placed, tmp_path / "toc-at-end.pdf")
    assert "_toc" not in result.anchors
    assert result.anchors["indice"] > result.anchors["notes"] and result.anchors["indice"] % 2 == 1
    listing = text(result.path, result.anchors["indice"])
    assert "Índice general" in listing
    assert re.search(r"Mundo sin evasión posible\s+%d\s*$" % result.anchors["capitulo-uno"], listing, re.M)


def test_anchors_cover_notes_and_references(book, built):
    for note in book.notes:
        assert built.anchors[f"note-{note.key}"] >= built.anchors["notes"]
        for ref in note.ref_ids:
            assert built.anchors[ref] >= built.anchors[note.doc_id]


# -- outline and metadata ----------------------------------------------------

def test_outline_and_metadata(book, built):
    with pikepdf.open(built.path) as pdf:
        with pdf.open_outline() as outline:
            titles = [item.title for item in outline.root]
        info = pdf.docinfo
        assert str(info["/Title"]) == book.config.title
        assert str(info["/Author"]) == "Ana Autora"
        assert str(info["/CreationDate"]).startswith("D:20260115")
        assert str(pdf.Root.Lang) == "es"
        assert "/Keywords" in info and "/Subject" in info
    assert "I. Mundo sin evasión posible" in titles and "Prefacio" in titles and "Notas" in titles


# -- reproducibility and confinement ----------------------------------------

def test_same_book_same_bytes(book, built, tmp_path):
    again = render_pdf(book, tmp_path / "again.pdf")
    assert again.path.read_bytes() == built.path.read_bytes()


def test_printer_variant_is_reproducible_too(book):
    """PDF/X-4 (issue 7) puts a random xmpMM:DocumentID in the XMP; layout pins it."""
    from pipeline.render.pdf import layout

    fetcher = ConfinedFetcher(book.root, STYLES)
    document = layout.lay_out(build_html(book), book.root, STYLES, book.config, fetcher)
    first = layout.write(document, None, book.config, variant="pdf/x-4")
    with pikepdf.open(io.BytesIO(first)) as pdf:
        xmp = pdf.Root.Metadata.read_bytes()
    assert re.search(rb"xmp\.did:[0-9a-f-]{36}", xmp), xmp
    assert layout.write(document, None, book.config, variant="pdf/x-4") == first


def test_fonts_read_from_styles_only(book, built):
    assert built.resources, "nothing read through the fetcher: @font-face not used?"
    for path in built.resources:
        assert path.is_relative_to(STYLES.resolve()) or path.is_relative_to(book.root.resolve()), path
    assert (STYLES / "fonts" / "EBGaramond12-Regular.otf").resolve() in built.resources


def test_fetcher_refuses_outside_and_non_file_urls(book):
    fetcher = ConfinedFetcher(book.root, STYLES)
    assert fetcher.check((STYLES / "print.css").as_uri()) == (STYLES / "print.css").resolve()
    for url in ("file:///etc/hostname", "https://example.org/a.png", "data:text/plain,x",
                (book.root / ".." / ".." / "conftest.py").as_uri()):
        with pytest.raises(RefusedURL):
            fetcher.check(url)


def test_render_refuses_an_image_outside_the_folders(book, tmp_path):
    outside = tmp_path / "outside.png"
    outside.write_bytes(b"not really a png")
    docs = tuple(replace(d, html=d.html + f'<p><img src="{outside.as_uri()}" alt=""/></p>')
                 if d.id == "capitulo-dos" else d for d in book.documents)
    with pytest.raises(RefusedURL):
        render_pdf(replace(book, documents=docs), tmp_path / "refused.pdf")


def test_html_is_serialised_from_the_fragments(book):
    html = build_html(book)
    assert html.startswith("<!DOCTYPE html>") and '<html lang="es">' in html
    assert "<br>" in html and "<br/>" not in html  # the verse's XHTML <br/> re-serialised as HTML
    assert html.count('class="noteref"') == sum(len(n.ref_ids) for n in book.notes)


def test_sheets_made_once_per_process_still_list_their_fonts(book):
    """layout._sheets: a second document with the same styles reuses the
    sheets, and its fetcher still lists the faces they read."""
    from pipeline.render.pdf import layout

    html = '<html><body><p>Hola</p></body></html>'
    fetchers = [ConfinedFetcher(book.root, STYLES) for _ in range(2)]
    for fetcher in fetchers:
        layout.lay_out(html, book.root, STYLES, book.config, fetcher, multiple=1)
    assert layout._sheets(STYLES, book.config, fetchers[1], False, "")[2] is \
        layout._sheets(STYLES, book.config, fetchers[0], False, "")[2]
    regular = (STYLES / "fonts" / "EBGaramond12-Regular.otf").resolve()
    assert all(regular in f.fetched for f in fetchers)


def test_an_edited_sheet_is_read_again_in_the_same_process(book, tmp_path):
    import shutil

    from pipeline.render.pdf import layout

    styles = shutil.copytree(STYLES, tmp_path / "styles")
    html = '<html><body><p>Hola</p></body></html>'

    def width():
        document = layout.lay_out(html, book.root, styles, book.config, ConfinedFetcher(book.root, styles),
                                  multiple=1)
        return document.pages[0]._page_box.children[0].children[0].children[0].width

    before = width()
    sheet = styles / "print.css"
    stat = sheet.stat()
    css = sheet.read_text()
    # the same size and time: only the content tells
    rule, extra = "/* ---------------------------------------------------------------- text */", "p{margin-left:20mm}"
    sheet.write_text(css.replace(rule, rule.replace("-" * len(extra), "", 1), 1) + extra)
    os.utime(sheet, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert sheet.stat().st_size == stat.st_size
    assert width() < before - 50


def test_a_worker_keeps_the_sheets_it_inherited(book):
    """A FontConfiguration deletes its fonts' folder when collected: a forked
    worker that makes sheets of its own must not collect its parent's."""
    import multiprocessing

    from pipeline.render.pdf import layout

    html = '<html><body><p>Hola</p></body></html>'
    layout.lay_out(html, book.root, STYLES, book.config, ConfinedFetcher(book.root, STYLES), multiple=1)
    fonts = layout._sheets(STYLES, book.config, ConfinedFetcher(book.root, STYLES), False, "")[0]
    assert fonts._folder.is_dir()

    def child():
        for i in range(layout.SHEETS_KEPT + 1):   # enough new keys to evict
            layout._sheets(STYLES, book.config, ConfinedFetcher(book.root, STYLES), False, f"/* {i} */")

    process = multiprocessing.get_context("fork").Process(target=child)
    process.start()
    process.join()
    assert process.exitcode == 0 and fonts._folder.is_dir()
