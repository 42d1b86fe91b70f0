"""One font program per face in the merged PDF (issue 17, item 3), on the
fixture: units and furniture laid out apart each bring their own subset;
the merged file holds one subset of every glyph used, per face, under a
tag of its own (render/pdf/fonts.py), and `check pdf` says so
(preflight/fonts.py). Read back with poppler, pikepdf and HarfBuzz."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pikepdf
import pytest

from pipeline.build import STYLES, build, load_book
from pipeline.diagnostics import Report
from pipeline.preflight import ERROR, OK, WARN
from pipeline.preflight import fonts as preflight_fonts
from pipeline.preflight.fonts import Program, programs_check, programs_of
from pipeline.render.pdf import fonts, render_pdf
from tests.conftest import FIXTURE
from tests.fontcheck import SUBSET, pdffonts, programs, shown, text_of, uncovered

FACES = STYLES / "fonts"


@pytest.fixture(scope="module")
def book():
    return load_book(FIXTURE, None, Report())


@pytest.fixture(scope="module")
def plain(book, tmp_path_factory):
    return render_pdf(book, tmp_path_factory.mktemp("fonts-plain") / "book.pdf").path


@pytest.fixture(scope="module")
def printer(book, tmp_path_factory):
    return render_pdf(book, tmp_path_factory.mktemp("fonts-print") / "book.pdf", print_ready=True).path


def _without(book, folder: Path, files):
    """The fixture merged as before: no face file to subset (or the wrong ones)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(fonts, "sources", lambda _paths: files)
        return render_pdf(book, folder / "book.pdf")


@pytest.fixture(scope="module")
def apart(book, tmp_path_factory):
    """Each unit's programs kept (no face file given): only tagged apart."""
    return _without(book, tmp_path_factory.mktemp("fonts-apart"), {}).path


@pytest.fixture(params=["plain", "printer"])
def built(request):
    return request.getfixturevalue(request.param)


def test_pdffonts_lists_each_face_once(built):
    names = pdffonts(built)
    faces = [SUBSET.sub("", n) for n in names]
    assert sorted(faces) == ["EB-Garamond-Print", "EB-Garamond-Print-Italic"]
    assert all(SUBSET.match(n) for n in names)


def test_one_program_per_face_and_a_tag_of_its_own(built):
    with pikepdf.open(built) as pdf:
        held = programs(pdf)
        tags = {n[:6] for n in pdffonts(built)}
    assert {face: len(p) for face, p in held.items()} == {"EB-Garamond-Print": 1, "EB-Garamond-Print-Italic": 1}
    assert len(tags) == 2
    # WeasyPrint's tags hash the font's description: the same in every document it writes.
    assert not tags & {"NUZITP", "PBQJCH"}


def test_every_glyph_shown_is_the_faces_glyph_in_the_one_program(built):
    assert uncovered(built, FACES) == []


def test_every_character_of_the_text_maps_to_a_glyph(plain):
    with pikepdf.open(plain) as pdf:
        from pipeline.fontmaps import parse_to_unicode

        mapped = set()
        for font, cids in shown(pdf):
            text = parse_to_unicode(font.ToUnicode.read_bytes())
            mapped |= {c for cid in cids for c in text.get(cid, "")}
    printed = set(text_of(plain)) - set(" \n\f")
    assert printed and printed <= mapped | {"\u00a0"}, sorted(printed - mapped)


def test_text_and_pages_as_when_every_unit_kept_its_own_programs(plain, apart, tmp_path):
    assert text_of(plain) == text_of(apart)
    assert len(pdffonts(apart)) > len(pdffonts(plain))      # the programs were many, and are one now
    for name, pdf in (("shared", plain), ("apart", apart)):
        subprocess.run(["pdftoppm", "-r", "40", "-gray", str(pdf), str(tmp_path / name)], check=True)
    pages = sorted(tmp_path.glob("shared-*.pgm"))
    assert len(pages) >= 10
    for page in pages:
        assert page.read_bytes() == (tmp_path / page.name.replace("shared", "apart")).read_bytes(), page.name


def test_programs_kept_apart_get_tags_apart_and_the_preflight_says_so(apart):
    names = pdffonts(apart)
    with pikepdf.open(apart) as pdf:
        held = programs(pdf)
        distinct = {pdf.get_object(objgen).read_bytes() for p in held.values() for objgen in p}
        findings = programs_check(programs_of(pdf))
    assert len(held["EB-Garamond-Print"]) > 1
    # one tag per distinct program, whatever the font dictionaries
    assert len({n[:6] for n in names}) == len(distinct)
    assert not [f for f in findings if f.code == "F101"]
    assert {f.code for f in findings if f.status == WARN} == {"F102"}


def test_a_face_file_with_other_glyphs_is_not_used(book, tmp_path):
    """The regular face's name, the italic's glyphs: the ids would mean other
    glyphs, so the regular face keeps its units' programs."""
    italic = (FACES / "EBGaramond12-Italic.otf").read_bytes()
    result = _without(book, tmp_path, {"EBGaramond12-Regular": italic, "EBGaramond12-Italic": italic})
    with pikepdf.open(result.path) as pdf:
        held = programs(pdf)
    assert len(held["EB-Garamond-Print"]) > 1 and len(held["EB-Garamond-Print-Italic"]) == 1
    assert uncovered(result.path, FACES) == []
    [(face, why)] = result.faces_apart
    assert face == "EB-Garamond-Print" and "is not the face's glyph" in why


def test_a_face_kept_apart_is_a_build_warning(tmp_path, monkeypatch):
    monkeypatch.setattr(fonts, "sources", lambda _paths: {})
    result = build(FIXTURE, tmp_path / "out", formats=("pdf",))
    warned = sorted(d.message.split(":")[0] for d in result.diagnostics if d.code == "F104")
    assert warned == ["EB-Garamond-Print", "EB-Garamond-Print-Italic"]
    assert all(d.path.endswith("print.css") for d in result.diagnostics if d.code == "F104")


def test_same_bytes_however_many_workers(book, plain, tmp_path):
    one = render_pdf(book, tmp_path / "book.pdf", jobs=1).path
    assert one.read_bytes() == plain.read_bytes()


def test_the_preflight_of_the_built_file(built):
    with pikepdf.open(built) as pdf:
        findings = preflight_fonts.check(pdf)
    checks = {f.check: f for f in findings}
    assert all(f.status == OK for f in findings), findings
    assert checks["font programs"].detail == "EB-Garamond-Print: 1, EB-Garamond-Print-Italic: 1"


# -- the preflight's rules, on hand-made programs ---------------------------------------------

def _program(name, digest, glyphs=None, data=b""):
    return Program(name, digest, data, glyphs or {})


def test_one_tag_over_two_programs_is_an_error():
    found = programs_check([_program("ABCDEF+Face", "1"), _program("ABCDEF+Face", "2"),
                            _program("GHIJKL+Face-Italic", "3")])
    clash = [f for f in found if f.code == "F101"]
    assert len(clash) == 1 and clash[0].status == ERROR and "ABCDEF" in clash[0].detail
    several = [f for f in found if f.code == "F102"]
    assert len(several) == 1 and several[0].status == WARN and "Face: 2" in several[0].detail


def test_the_same_program_under_one_tag_twice_is_fine():
    found = programs_check([_program("ABCDEF+Face", "1"), _program("ABCDEF+Face", "1")])
    assert all(f.status == OK for f in found)


def test_a_glyph_beyond_the_program_is_an_error():
    data = (FACES / "EBGaramond12-Italic.otf").read_bytes()
    small = fonts.subset(data, [0, 3])
    found = programs_check([_program("ABCDEF+Face", "1", {3: '"', 50: "x"}, small)])
    missing = [f for f in found if f.code == "F103"]
    assert len(missing) == 1 and missing[0].status == ERROR and "50 'x'" in missing[0].detail


def test_a_glyph_without_outline_is_an_error_unless_blank():
    data = (FACES / "EBGaramond12-Italic.otf").read_bytes()
    small = fonts.subset(data, [0, 1, 3, 10])          # glyph 5 inside the range, emptied
    assert preflight_fonts.missing_glyphs(_program("A", "1", {1: " ", 3: '"', 10: "("}, small)) == []
    assert preflight_fonts.missing_glyphs(_program("A", "1", {5: "%"}, small)) == ["5 '%'"]


# -- the PDF structures the merge rewrites ----------------------------------------------------

def test_widths_read_and_written_as_weasyprint_writes_them():
    w = pikepdf.Array([1, pikepdf.Array([200]), 9, pikepdf.Array([315, 316]), 20, 22, 500])
    parsed = fonts.parse_widths(w)
    assert parsed == {1: 200, 9: 315, 10: 316, 20: 500, 21: 500, 22: 500}
    assert fonts.parse_widths(fonts.widths_array(parsed)) == parsed
    assert list(fonts.widths_array({1: 200, 2: 300, 5: 400})) == [1, [200, 300], 5, [400]]


def test_to_unicode_round_trip_and_ranges():
    text = {1: " ", 3: "fi", 0x1F: "ñ", 400: "\U0001d11e"}
    assert fonts.parse_to_unicode(fonts.to_unicode(text)) == text
    ranged = b"1 beginbfrange\n<0010> <0012> <0041>\nendbfrange"
    assert fonts.parse_to_unicode(ranged) == {16: "A", 17: "B", 18: "C"}


def test_units_that_disagree_on_a_glyph_keep_font_dictionaries_apart():
    a = fonts._Font(None, {1: 200, 2: 300}, {1: " ", 2: "a"})
    b = fonts._Font(None, {2: 300, 3: 310}, {2: "a", 3: "b"})
    c = fonts._Font(None, {2: 301}, {2: "a"})             # another width: placed otherwise
    d = fonts._Font(None, {1: 200}, {1: "\u00a0"})        # another text: copied otherwise
    assert fonts._compatible([a, b, c, d]) == [[a, b], [c, d]]


def test_tags_follow_the_program():
    taken: set[str] = set()
    one = fonts._tag("Face", b"program one", taken)
    assert fonts._tag("Face", b"program one", set()) == one
    assert fonts._tag("Face", b"program one", taken) != one        # taken: another, still stable
    assert fonts._tag("Face", b"program two", set()) != one
    assert len(one) == 6 and one.isalpha() and one.isupper()
