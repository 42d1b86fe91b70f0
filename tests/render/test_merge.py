"""Units laid out apart and merged (pipeline/render/pdf/merge.py), checked
from the merged PDF itself: pikepdf for links, names and outline, pdftotext
for what is printed, qpdf for the file's structure.

Three tiny units: front matter (1 page), chapter one (3 pages, so the
notes, a recto unit, get a blank before them), notes (1 page); blanks pad
the book to a multiple of 4: pages 2, 6 and 8 are blank.
"""

from __future__ import annotations

import io
import pickle
import subprocess
from dataclasses import replace

import pikepdf
import pytest
import weasyprint
from hypothesis import given
from hypothesis import strategies as st

from pipeline.render.pdf import merge as m

PAGE = "@page { size: 100mm 150mm; margin: 20mm }"
PRINT = "@page { size: 100mm 150mm; margin: 20mm; bleed: 3mm; marks: crop cross }"
STYLE = "h1 { bookmark-level: 1 } h2 { bookmark-level: 2 } .page { break-before: page }"
IDENT = b"0123456789abcdef0123456789abcdef"

FRONT = """<h1 id="front">Front</h1>
<p><a href="x-dest:sec">To the section</a></p>"""
CHAPTER = """<h1 id="ch1" style='bookmark-label: "Chapter one"'>One</h1>
<p><a href="#sec">Within</a> <a href="x-dest:notes-1">To notes</a> <a href="x-dest:ghost">Nowhere</a></p>
<h2 id="sec" class="page">Section</h2><p id="nota-ñ">Eñe</p>
<p class="page"><a href="#nota-ñ">Back to eñe</a></p>"""
NOTES = """<h1 id="notes">Notes</h1>
<p id="notes-1"><a href="x-dest:nota-ñ">Note one</a> <a href="x-dest:ch1">Chapter</a></p>"""

# (page with the link, id it points at, page of that id), physical pages from 1.
LINKS = {(1, "sec", 4), (3, "sec", 4), (3, "notes-1", 7), (5, "nota-ñ", 4), (7, "nota-ñ", 4), (7, "ch1", 3)}
BLANKS = {2, 6, 8}


def html(body: str, title: str = "Libro", page: str = PAGE) -> str:
    return (f'<html lang="es"><head><title>{title}</title><meta name="author" content="Autora">'
            '<meta name="dcterms.created" content="2024-01-01"><meta name="dcterms.modified" content="2024-01-01">'
            f"<style>{page} {STYLE}</style></head><body>{body}</body></html>")


def lay_out(body: str, page: str = PAGE, variant: str | None = None, title: str = "Libro") -> m.LaidUnit:
    document = weasyprint.HTML(string=html(body, title, page)).render()
    # A PDF/X file gets an OutputIntent only with a colour profile (the
    # book's print-ready.css declares one; here WeasyPrint's own sRGB).
    intent = {"output_intent": "srgb"} if variant else {}
    return m.from_document(document, document.write_pdf(pdf_variant=variant, pdf_identifier=IDENT, **intent))


def pdf_of(body: str, page: str = PAGE) -> bytes:
    return weasyprint.HTML(string=html(body, page=page)).write_pdf()


def folios(count: int, page: str = PAGE) -> bytes:
    """The furniture: one page per book page with only its folio ("F001"...)."""
    return pdf_of("".join(f'<p class="page">F{n:03d}</p>' for n in range(1, count + 1)), page)


def text(pdf, page: int, *extra: str) -> str:
    args = ["pdftotext", *extra, "-f", str(page), "-l", str(page), str(pdf), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def merged_bytes(units, blank, furniture, **kw) -> bytes:
    out = io.BytesIO()
    m.merge(units, blank, furniture, out, **kw)
    return out.getvalue()


@pytest.fixture(scope="module")
def units():
    return [lay_out(FRONT, title="Libro de prueba"), lay_out(CHAPTER, title="Otro título"),
            lay_out(NOTES, title="Otro título")]


@pytest.fixture(scope="module")
def blank():
    return pdf_of("")


@pytest.fixture(scope="module")
def book(units, blank, tmp_path_factory):
    path = tmp_path_factory.mktemp("merge") / "book.pdf"
    result = m.merge(units, blank, [folios(8)], path, IDENT, multiple=4)
    return path, result


# -- reading the merged PDF back ---------------------------------------------

def name_tree(node) -> dict[bytes, pikepdf.Array]:
    """Every key (as bytes) -> destination, through /Kids as well."""
    found = {}
    names = node.get("/Names", [])
    for key, value in zip(names[::2], names[1::2]):
        found[bytes(key)] = value
    for kid in node.get("/Kids", []):
        found |= name_tree(kid)
    return found


def page_numbers(pdf) -> dict:
    return {page.objgen: number for number, page in enumerate(pdf.pages, 1)}


def links(pdf) -> set[tuple[int, str, int]]:
    tree, numbers = name_tree(pdf.Root.Names.Dests), page_numbers(pdf)
    found = set()
    for number, page in enumerate(pdf.pages, 1):
        for annot in page.obj.get("/Annots", []):
            found.add((number, str(annot.Dest), numbers[tree[bytes(annot.Dest)][0].objgen]))
    return found


def outline(pdf) -> list:
    numbers = page_numbers(pdf)

    def walk(items):
        return [(i.title, numbers[i.destination[0].objgen], walk(i.children)) for i in items]
    with pdf.open_outline() as tree:
        return walk(tree.root)


# -- paginate -------------------------------------------------------------------

@pytest.mark.parametrize("counts, rectos, multiple, expected", [
    ([1, 3, 1], [True, True, True], 4, ([0, 2, 6], 8)),     # blanks before both rectos, one at the end
    ([1, 3, 1], [True, False, False], 2, ([0, 1, 4], 6)),   # units that may open on a verso follow on
    ([2, 2], [True, True], 1, ([0, 2], 4)),                 # already on rectos: no blank
    ([3], [True], 16, ([0], 16)),
    ([], [], 4, ([], 0)),
])
def test_paginate(counts, rectos, multiple, expected):
    assert m.paginate(counts, rectos, multiple) == expected


def test_paginate_refuses_bad_input():
    with pytest.raises(ValueError):
        m.paginate([1, 2], [True], 2)
    with pytest.raises(ValueError):
        m.paginate([1], [True], 0)


@given(st.lists(st.tuples(st.integers(1, 9), st.booleans()), max_size=12), st.integers(1, 8))
def test_paginate_properties(units, multiple):
    counts, rectos = [c for c, _ in units], [r for _, r in units]
    starts, total = m.paginate(counts, rectos, multiple)
    ends = [0] + [s + c for s, c in zip(starts, counts)]
    for start, end_before, recto in zip(starts, ends, rectos):
        assert start - end_before == (1 if recto and end_before % 2 else 0)   # a blank only to reach a recto
        assert not (recto and start % 2)
    assert total % multiple == 0 and 0 <= total - ends[-1] < multiple


# -- the unit as WeasyPrint wrote it -----------------------------------------------

@pytest.mark.parametrize("page", [PAGE, PRINT])
def test_anchors_are_weasyprints_own_destinations(page):
    """from_document's points are those of the unit's own /Dests, bleed or not."""
    unit = lay_out(CHAPTER, page)
    with pikepdf.open(io.BytesIO(unit.pdf)) as pdf:
        numbers = page_numbers(pdf)
        own = {bytes(k).decode("utf-16" if bytes(k)[:2] == b"\xfe\xff" else "ascii"):
               (numbers[d[0].objgen] - 1, float(d[2]), float(d[3])) for k, d in name_tree(pdf.Root.Names.Dests).items()}
    assert own.keys() == unit.anchors.keys()
    for name, (index, x, y) in unit.anchors.items():
        assert own[name] == (index, pytest.approx(x, abs=1e-5), pytest.approx(y, abs=1e-5))


def test_bookmarks_keep_levels_and_weasyprints_points():
    document = weasyprint.HTML(string=html(CHAPTER)).render()
    unit = m.from_document(document, b"")
    (label, point, children, _), = document.make_bookmark_tree(0.75, transform_pages=True)
    assert unit.bookmarks == ((1, "Chapter one", point), (2, "Section", children[0][1]))


def test_unit_crosses_processes(units):
    assert pickle.loads(pickle.dumps(units[1])) == units[1]


# -- the merged book -----------------------------------------------------------------

def test_pages_and_blanks(units, book):
    path, result = book
    assert m.plan(units, 4) == ([0, 2, 6], 8)
    assert result.page_count == 8
    with pikepdf.open(path) as pdf:
        assert len(pdf.pages) == 8
    for number in range(1, 9):
        words = text(path, number).split()
        assert (words == [f"F{number:03d}"]) == (number in BLANKS), words


def test_furniture_on_every_page(book):
    path, _ = book
    assert [f"F{n:03d}" in text(path, n) for n in range(1, 9)] == [True] * 8
    assert "To notes" in text(path, 3) and "Eñe" in text(path, 4)


def test_links_resolve_to_their_pages(book):
    path, result = book
    with pikepdf.open(path) as pdf:
        assert links(pdf) == LINKS
        assert not any("/A" in a for p in pdf.pages for a in p.obj.get("/Annots", []))
    assert result.missing == ("ghost",)     # its link was dropped
    assert result.anchors == {"front": 1, "ch1": 3, "sec": 4, "nota-ñ": 4, "notes": 7, "notes-1": 7}


def test_outline(book):
    path, _ = book
    with pikepdf.open(path) as pdf:
        assert outline(pdf) == [("Front", 1, []), ("Chapter one", 3, [("Section", 4, [])]), ("Notes", 7, [])]


def test_outline_nests_across_units_and_resolves_ids(units, blank):
    """A unit opening with a level-2 entry nests under the previous unit's
    level-1; an entry may point at an id, and one whose id no unit has is
    left out and reported."""
    extra = replace(units[2], bookmarks=((2, "Sub", (0, 10.0, 100.0)), (3, "To eñe", "nota-ñ"), (2, "Lost", "gone")))
    out = io.BytesIO()
    result = m.merge(units[:2] + [extra], blank, None, out)
    with pikepdf.open(out) as pdf:
        assert outline(pdf)[1] == ("Chapter one", 3, [("Section", 4, []), ("Sub", 7, [("To eñe", 4, [])])])
    assert result.missing == ("ghost", "gone")


def test_an_id_in_two_units_points_into_the_first(units, blank):
    twice = replace(units[2], anchors={**units[2].anchors, "front": (0, 1.0, 2.0)})
    assert m.merge([units[0], twice], blank, None, io.BytesIO()).anchors["front"] == 1


def test_document_entries_from_first_unit(book):
    path, _ = book
    with pikepdf.open(path) as pdf:
        assert str(pdf.docinfo.Title) == "Libro de prueba" and str(pdf.docinfo.Author) == "Autora"
        assert str(pdf.Root.Lang) == "es"
        assert "/Dests" not in pdf.Root and set(pdf.Root.Names.keys()) == {"/Dests"}


def test_same_bytes_every_time(units, blank):
    furniture = [folios(8)]
    first = merged_bytes(units, blank, furniture, ident=IDENT, multiple=4)
    assert merged_bytes(units, blank, furniture, ident=IDENT, multiple=4) == first
    with pikepdf.open(io.BytesIO(first)) as pdf:
        assert [bytes(part) for part in pdf.trailer.ID] == [IDENT, IDENT]
    unpinned = merged_bytes(units, blank, furniture, multiple=4)
    assert merged_bytes(units, blank, furniture, multiple=4) == unpinned
    with pikepdf.open(io.BytesIO(unpinned)) as pdf:
        assert pdf.trailer.ID[0] == pdf.trailer.ID[1]


def test_qpdf_check(book):
    path, _ = book
    subprocess.run(["qpdf", "--check", str(path)], check=True, capture_output=True)


def test_furniture_must_match_the_book(units, blank):
    with pytest.raises(ValueError, match="furniture has 7 pages"):
        merged_bytes(units, blank, [folios(7)], multiple=4)
    small = pdf_of("".join('<p class="page">F</p>' for _ in range(8)), "@page { size: 90mm 150mm }")
    with pytest.raises(ValueError, match="trim"):
        merged_bytes(units, blank, [small], multiple=4)


# -- the printer's file ----------------------------------------------------------------

@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    units = [lay_out(FRONT, PRINT, "pdf/x-4"), lay_out(NOTES, PRINT, "pdf/x-4")]
    path = tmp_path_factory.mktemp("merge") / "print.pdf"
    # Furniture laid out without bleed: its origin is still the trim corner.
    m.merge(units, pdf_of("", PRINT), [folios(4)], path, IDENT)
    return path, units


def test_print_boxes_intent_and_xmp_kept(printed):
    path, units = printed
    with pikepdf.open(io.BytesIO(units[0].pdf)) as unit, pikepdf.open(path) as pdf:
        boxes = [[list(page.obj[box]) for box in ("/MediaBox", "/TrimBox", "/BleedBox")] for page in pdf.pages]
        assert boxes == [[list(unit.pages[0].obj[box]) for box in ("/MediaBox", "/TrimBox", "/BleedBox")]] * 4
        assert pdf.Root.OutputIntents[0].S == "/GTS_PDFX" and "/DestOutputProfile" in pdf.Root.OutputIntents[0]
        assert pdf.open_metadata().get("{http://www.npes.org/pdfx/ns/id/}GTS_PDFXVersion") == "PDF/X-4"
        assert pdf.pdf_version == "1.6"
    subprocess.run(["qpdf", "--check", str(path)], check=True, capture_output=True)


def test_print_folio_sits_where_furniture_put_it(printed, tmp_path):
    """The folio lands at the same place from the trim corner: in the merged
    page (MediaBox with bleed) it is moved by the bleed, 3 mm."""
    path, _ = printed
    furniture = tmp_path / "furniture.pdf"
    furniture.write_bytes(folios(4))
    bleed = 3 * 72 / 25.4

    def box(pdf):
        line = next(x for x in text(pdf, 3, "-bbox").splitlines() if ">F003<" in x)
        return [float(v.split('"')[1]) for v in line.split()[1:3]]
    assert box(path) == [pytest.approx(v + bleed, abs=0.01) for v in box(furniture)]
