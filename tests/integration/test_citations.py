"""Citations (issue 19): the citations fixture built in a note style, in an
author-date style and in Spanish, read back from the EPUB and the PDF.

tests/fixtures/citations cites a BibLaTeX file in Chicago notes (ibid.
variant) with endnotes; variants are written into tmp_path by changing
book.yaml. The diagnostics are proven with path and line here, and each
code through the command line in test_codes.py. EPUBCheck and Ace check
citations in both kinds of style on the scholarly fixture
(test_scholarly_book.py), with figures, tables and cross-references beside them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from pipeline.cli import main
from pipeline.collation import sort_key
from tests.pdflinks import link_targets, named_destinations

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "citations"
SLUG = "paper-trails"
X = {"x": "http://www.w3.org/1999/xhtml"}
KEYS = ("fimmen1924", "eisenstein1968", "febvre1958", "abbott1990", "warde1956", "nunez1985", "nandu2001")


def variant(tmp: Path, *edits: tuple[str, str]) -> Path:
    """A copy of the fixture with book.yaml edited (old, new), each edit a must."""
    ms = tmp / "ms"
    shutil.copytree(FIXTURE, ms)
    text = (ms / "book.yaml").read_text("utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    (ms / "book.yaml").write_text(text, "utf-8")
    return ms


def build(ms: Path, out: Path, *formats: str) -> Path:
    args = ["build", str(ms), "-o", str(out), "-q", "--strict"]
    for fmt in formats:
        args += ["--format", fmt]
    assert main(args) == 0
    return out


def docs(out: Path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(out / f"{SLUG}.epub") as z:
        return {Path(n).stem: etree.fromstring(z.read(n)) for n in z.namelist() if n.endswith(".xhtml")}


def text(node) -> str:
    return re.sub(r"\s+", " ", "".join(node.itertext())).strip()


def notes_of(tree, part: str) -> list[str]:
    """The texts of a part's endnotes, in order, each with its mark."""
    return [text(li) for li in tree.xpath(f"//x:ol[preceding-sibling::x:h2[@id='notes-{part}']]/x:li", namespaces=X)]


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def notes_book(tmp_path_factory) -> Path:
    """Chicago notes-bibliography, endnotes: EPUB and PDF."""
    return build(FIXTURE, tmp_path_factory.mktemp("cite-notes"))


@pytest.fixture(scope="module")
def author_date(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("cite-ad")
    ms = variant(tmp, ("csl: chicago-notes-bibliography-subsequent-ibid", "csl: chicago-author-date"))
    return build(ms, tmp / "out", "epub")


@pytest.fixture(scope="module")
def spanish(tmp_path_factory) -> Path:
    """In Spanish, with footnotes in print and notes at each part's end in the EPUB."""
    tmp = tmp_path_factory.mktemp("cite-es")
    ms = variant(tmp, ("language: en", "language: es"), ("print: endnotes", "print: footnotes"),
                 ("epub: book-end", "epub: part-end"))
    return build(ms, tmp / "out")


def test_no_citation_is_left_raw(notes_book, author_date):
    for out in (notes_book, author_date):
        for name, tree in docs(out).items():
            assert not re.search(r"\[?@\w", text(tree)), name
    printed = pdf_text(notes_book / f"{SLUG}.pdf")
    assert "@" not in printed
    assert "Ibid., 46." in printed and "Fimmen, Edo. Labour’s Alternative" in printed


def test_citation_notes_are_numbered_with_the_books_own(notes_book):
    notes = docs(notes_book)["notes"]
    first = notes_of(notes, "archives")
    assert [n.split()[0] for n in first] == ["1", "2", "3", "4", "5", "6"]
    assert first[1].startswith("2 The founding study is Lucien Febvre and Henri-Jean Martin")   # own note, citing
    assert first[5] == "6 Most of what survives is account books and union minutes."            # own note
    assert first[0].startswith("1 Elizabeth L. Eisenstein, “Some Conjectures")                   # citation notes
    # the text calls them in that order, each mark linking to its note
    archives = docs(notes_book)["archives"]
    marks = archives.xpath("//x:a[@class='noteref']", namespaces=X)
    assert [a.text for a in marks] == ["1", "2", "3", "4", "5", "6"]
    assert [a.get("href") for a in marks] == [f"notes.xhtml#note-archives-{n}" for n in range(1, 7)]
    printed = pdf_text(notes_book / f"{SLUG}.pdf")
    assert re.search(r"6\s+Most of what survives", printed) and re.search(r"3\s+Ibid\., 46\.", printed)


def test_ibid_and_short_forms_start_again_at_each_chapter(notes_book):
    notes = docs(notes_book)["notes"]
    first, second = notes_of(notes, "archives"), notes_of(notes, "printers")
    assert first[2] == "3 Eisenstein, “Some Conjectures about the Impact of Printing on Western Society and Thought,” 14."
    # Fimmen was cited in full in chapter 1; chapter 2 cites him in full again, then ibid.
    assert second[1].startswith("2 Edo Fimmen, Labour’s Alternative: The United States of Europe or Europe Limited")
    assert second[2] == "3 Ibid., 46."


def test_spanish_words_and_footnotes(spanish):
    printers = docs(spanish)["printers"]
    notes = [text(li) for li in printers.xpath("//x:li[@epub:type='endnote']",
                                                namespaces={**X, "epub": "http://www.idpf.org/2007/ops"})]
    assert notes[2] == "3 Ibíd., 46."
    assert "Lucien Febvre y Henri-Jean Martin" in notes[3]
    printed = pdf_text(spanish / f"{SLUG}.pdf")
    assert re.search(r"3\s+Ibíd\., 46\.", printed) and "Febvre, Lucien, y Henri-Jean Martin." in printed
    # footnotes: the citation's note is printed on the page that calls it
    pages = printed.split("\f")
    calling = next(p for p in pages if "returned to it at once" in p)
    assert "Ibíd., 46." in calling


def test_author_date_cites_in_the_text(author_date):
    printers = docs(author_date)["printers"]
    assert "plainly (Fimmen 1924, 45)." in text(printers)
    assert "(Eisenstein 1968; Febvre and Martin 1958)" in text(printers)
    assert [a.text for a in printers.xpath("//x:a[@class='noteref']", namespaces=X)] == ["1"]   # the own note only
    assert "As Abbott (1990, 7) shows" in text(docs(author_date)["archives"])


def test_references_list_the_works_cited_sorted_for_the_language(notes_book, author_date, spanish):
    for out, lang in ((notes_book, "en"), (author_date, "en"), (spanish, "es")):
        entries = docs(out)["references"].xpath("//x:div[@class='csl-entry']", namespaces=X)
        assert sorted(e.get("id") for e in entries) == sorted(f"bib-{k}" for k in KEYS)  # the last three: nocite
        words = [text(e) for e in entries]
        assert words == sorted(words, key=sort_key(lang)) and words[0].startswith("Abbott, Lena")
        names = [w.split(",")[0] for w in words]
        # Spanish sorts Ñ as a letter after N; English as an N with a tilde
        assert names.index("Núñez") - names.index("Ñandú") == (-1 if lang == "es" else 1), names


def test_each_citation_link_lands_on_its_entry(notes_book, author_date):
    for out in (notes_book, author_date):
        found = docs(out)
        ids = {(f"{name}.xhtml", i) for name, tree in found.items() for i in tree.xpath("//@id")}
        links = [a.get("href") for tree in found.values()
                 for a in tree.xpath("//x:a[@class='citation-link']", namespaces=X)]
        assert len(links) >= 6
        for href in links:
            file, _, ident = href.partition("#")
            assert file == "references.xhtml" and ident.startswith("bib-") and (file, ident) in ids, href


def test_the_pdfs_citations_link_to_the_entries_too(notes_book):
    import pikepdf

    with pikepdf.open(notes_book / f"{SLUG}.pdf") as pdf:
        dests, links = named_destinations(pdf), link_targets(pdf)
    cited = [d for d in links if d.startswith("bib-")]
    assert len(cited) >= 6 and set(cited) <= dests and {f"bib-{k}" for k in KEYS} <= dests


# -- diagnostics, with their place ------------------------------------------------------------------


def failing(tmp: Path, capsys, break_it) -> str:
    """What a broken copy's build prints: exit 1, no traceback, the output there before left as it was."""
    ms = variant(tmp)
    break_it(ms)
    previous = tmp / "out" / f"{SLUG}.epub"
    previous.parent.mkdir()
    previous.write_bytes(b"the last good book")
    assert main(["build", str(ms), "-o", str(tmp / "out"), "--format", "epub", "-q"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert previous.read_bytes() == b"the last good book"
    return err


def edit(name: str, old: str, new: str):
    def apply(ms: Path):
        path = ms / name
        assert old in path.read_text("utf-8")
        path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")
    return apply


@pytest.mark.parametrize("name, old, new, where, code", [
    ("02-printers.md", "[@eisenstein1968; @febvre1958]", "[@eisenstein1968; @nosuch2001]", "02-printers.md:7", "B001"),
    ("book.yaml", "nocite: [warde1956,", "nocite: [warde1956, ghost,", "book.yaml:18", "B001"),
    ("sources.bib", "  volume       = {40},\n", "  volume       = {40\n", "sources.bib:19", "B002"),
    ("book.yaml", "bibliography: sources.bib", "bibliography: [sources.bib, missing.json]", "book.yaml:16", "M015"),
    ("book.yaml", "csl: chicago-notes-bibliography-subsequent-ibid", "csl: harvard", "book.yaml:17", "M016"),
    ("book.yaml", "csl: chicago-notes-bibliography-subsequent-ibid", "csl: house.csl", "book.yaml:17", "M016"),
])
def test_diagnostics_name_the_place(tmp_path, capsys, name, old, new, where, code):
    err = failing(tmp_path, capsys, edit(name, old, new))
    assert f"{where}: {code} " in err, err


def test_a_bracket_mixing_a_cross_reference_and_a_citation_is_refused(tmp_path, capsys):
    """`[@fig-a; @smith2001]`: citeproc would take the label for a work, and
    which words the bracket should print (one parenthesis, a note beside a
    reference) is the author's call: an error at the bracket's line."""
    err = failing(tmp_path, capsys, edit("02-printers.md", "[@eisenstein1968; @febvre1958]",
                                         "[see @sec-archives; @febvre1958]"))
    assert ("02-printers.md:7: B006 one bracket holds the cross-reference @sec-archives and the citation "
            "@febvre1958: give each its own brackets ([@sec-archives] [@febvre1958])") in err, err


def test_a_cross_reference_and_a_citation_in_brackets_of_their_own(tmp_path):
    """What B006 asks for: `[see @sec-x] [@key, 4]` gives the reference's
    words, then the citation (here a note: the citations fixture's style)."""
    ms = variant(tmp_path)
    edit("02-printers.md", "# The Printers’ Own Voice", "# The Printers’ Own Voice {#sec-printers}")(ms)
    edit("02-printers.md", "[@eisenstein1968; @febvre1958]", "[see @sec-printers] [@febvre1958, 4]")(ms)
    printers = docs(build(ms, tmp_path / "out", "epub"))["printers"]
    assert "tradesman see “The Printers’ Own Voice”.4" in text(printers)
    assert notes_of(docs(tmp_path / "out")["notes"], "printers")[-1] == (
        "4 Lucien Febvre and Henri-Jean Martin, L’apparition du livre (Albin Michel, 1958), 4.")


def test_a_citation_without_a_bibliography(tmp_path, capsys):
    def drop(ms: Path):
        edit("book.yaml", "bibliography: sources.bib\ncsl: chicago-notes-bibliography-subsequent-ibid\n"
             "nocite: [warde1956, nunez1985, nandu2001]\n", "")(ms)
        edit("book.yaml", "  - {role: references, title: Bibliography}\n", "")(ms)
    err = failing(tmp_path, capsys, drop)
    assert "01-archives.md:4: B005 citation @eisenstein1968" in err, err


def test_a_style_citeproc_cannot_use(tmp_path, capsys):
    def broken(ms: Path):
        (ms / "house.csl").write_text("<style>not a CSL style", "utf-8")
        edit("book.yaml", "csl: chicago-notes-bibliography-subsequent-ibid", "csl: house.csl")(ms)
    err = failing(tmp_path, capsys, broken)
    assert "house.csl:1: B004 citeproc could not format the citations with the style house.csl: " in err, err


def test_an_entry_citeproc_cannot_decode_is_b002_at_the_entry(tmp_path, capsys):
    """Our JSON reader takes any object with an id; citeproc wants its dates
    as arrays, and says which entry it stopped at: that entry's line."""
    def bad_entry(ms: Path):
        (ms / "more.json").write_text('[\n  {"id": "good2000", "type": "book", "title": "Good"},\n'
                                      '  {"id": "bad2001", "type": "book",\n'
                                      '   "issued": {"date-parts": "2001"}}\n]\n', "utf-8")
        edit("book.yaml", "bibliography: sources.bib", "bibliography: [sources.bib, more.json]")(ms)
        edit("book.yaml", "nocite: [warde1956,", "nocite: [good2000, bad2001, warde1956,")(ms)
    err = failing(tmp_path, capsys, bad_entry)
    assert re.search(r"more\.json:3: B002 the bibliography cannot be read: citeproc: .*date-parts", err), err


def test_a_failure_on_a_chapters_citations_names_the_chapter(tmp_path, capsys, monkeypatch):
    """When the bibliography and the style each pass alone, what failed is the
    chapter's citations: B004 at the first one (a failure injected, as no
    input we know of makes citeproc fail there)."""
    from pipeline.engines import pandoc

    real = pandoc.citeproc

    def fails_on_citations(doc, meta):
        if doc["blocks"] and meta.get("bibliography"):
            raise pandoc.PandocFailed("CiteprocError: injected")
        return real(doc, meta)

    monkeypatch.setattr(pandoc, "citeproc", fails_on_citations)
    err = failing(tmp_path, capsys, lambda ms: None)
    assert ("01-archives.md:4: B004 citeproc could not format the citations with the style "
            "chicago-notes-bibliography-subsequent-ibid.csl: CiteprocError: injected") in err, err


def test_an_entry_never_cited_is_a_warning(tmp_path, capsys):
    ms = variant(tmp_path, ("nocite: [warde1956, nunez1985, nandu2001]\n", "nocite: [nunez1985, nandu2001]\n"))
    assert main(["build", str(ms), "-o", str(tmp_path / "out"), "--format", "epub", "-q"]) == 0
    assert "sources.bib:36: B003 bibliography entry warde1956 is never cited" in capsys.readouterr().err
    assert main(["build", str(ms), "-o", str(tmp_path / "out2"), "--format", "epub", "-q", "--strict"]) == 1


NUMBERED = {   # the parts of IEEE's and Vancouver's styles that make them numeric
    "ieee.csl": '<info><category citation-format="numeric"/></info>',
    "vancouver.csl": '<info><title>No category</title></info><citation><layout vertical-align="sup">'
                     '<text variable="citation-number"/></layout></citation>',
}


@pytest.mark.parametrize("name", sorted(NUMBERED))
def test_a_numeric_style_is_refused(tmp_path, capsys, name):
    """Numbers would restart with each chapter's citeproc run, and miss the
    references list's: refused, by its category or by the number its citations print."""
    def numeric(ms: Path):
        (ms / name).write_text('<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text">'
                               f'{NUMBERED[name]}<bibliography><layout><text variable="title"/></layout>'
                               '</bibliography></style>', "utf-8")
        edit("book.yaml", "csl: chicago-notes-bibliography-subsequent-ibid", f"csl: {name}")(ms)
    err = failing(tmp_path, capsys, numeric)
    assert f"book.yaml:17: M016 CSL style '{name}' not usable: a numeric style, which the pipeline does not" in err


def test_a_style_numbering_only_its_bibliography_is_not_numeric(tmp_path):
    from pipeline import manuscript

    ms = variant(tmp_path, ("csl: chicago-notes-bibliography-subsequent-ibid", "csl: house.csl"))
    (ms / "house.csl").write_text('<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text"><citation>'
                                  '<layout><text variable="title"/></layout></citation><bibliography><layout>'
                                  '<text variable="citation-number"/></layout></bibliography></style>', "utf-8")
    assert manuscript.load(ms).csl == ms / "house.csl"


def test_an_edited_bibliography_reaches_the_cached_chapters(tmp_path):
    """The chapters' caches hold formatted citations: the bibliography's digest is in their keys."""
    ms = variant(tmp_path)
    out = build(ms, tmp_path / "out", "epub")
    assert "Labour’s Alternative" in text(docs(out)["notes"])
    bib = ms / "sources.bib"
    bib.write_text(bib.read_text("utf-8").replace("Labour's Alternative", "Labour's Other Way"), "utf-8")
    build(ms, out, "epub")
    assert "Labour’s Other Way" in text(docs(out)["notes"]) and "Alternative" not in text(docs(out)["notes"])


def test_names_suggest_reads_the_citations_and_leaves_them_out(capsys):
    """`names suggest` reads chapters as a build does (no B005), and the works' authors are no persons."""
    assert main(["names", "suggest", str(FIXTURE), "--min-count", "1", "--format", "table"]) == 0
    out = capsys.readouterr().out
    assert not any(author in out for author in ("Fimmen", "Eisenstein", "Febvre", "Abbott")), out


def test_nocite_star_lists_every_entry(tmp_path, capsys):
    """warde1956 and the Spanish two are never cited: "*" lists them, without a warning."""
    ms = variant(tmp_path, ("nocite: [warde1956, nunez1985, nandu2001]", 'nocite: "*"'))
    out = build(ms, tmp_path / "out", "epub")
    assert "B003" not in capsys.readouterr().err
    ids = docs(out)["references"].xpath("//x:div[@class='csl-entry']/@id", namespaces=X)
    assert sorted(ids) == sorted(f"bib-{k}" for k in KEYS)


# -- the bibliography's formats, read without a build -------------------------------------------------

CSL_JSON = '[\n  {"id": "zed1999", "type": "book", "title": "A Book"},\n  {"id": "ada2001", "type": "book", "title": "B"}\n]\n'
CSL_YAML = "references:\n- id: yam1990\n  type: book\n  title: Y\n"


def bibliography_of(tmp: Path, files: dict[str, str]):
    from pipeline import manuscript
    from pipeline.read import bibliography

    names = list(files)
    ms = variant(tmp, ("bibliography: sources.bib", f"bibliography: {names}".replace("'", "")),
                 ("nocite: [warde1956, nunez1985, nandu2001]", "nocite: [yam1990]"))
    for name, content in files.items():
        (ms / name).write_text(content, "utf-8")
    return bibliography.load(manuscript.load(ms)), ms


def test_csl_json_yaml_and_bibtex_are_read_with_their_lines(tmp_path):
    bib, ms = bibliography_of(tmp_path, {"a.json": CSL_JSON, "b.yaml": CSL_YAML,
                                         "c.bibtex": "\n@book{tex2000,\n  title = {T},\n  year = {2000}\n}\n"})
    assert bib.entries == {"zed1999": (ms / "a.json", 2), "ada2001": (ms / "a.json", 3),
                           "yam1990": (ms / "b.yaml", 2), "tex2000": (ms / "c.bibtex", 2)}
    assert bib.note_style and bib.linked and bib.nocite == ("yam1990",)


@pytest.mark.parametrize("name, content, line", [
    ("a.json", '[\n  {"id": "a"},\n  {"id": "b" "title": "x"}\n]\n', 3),
    ("b.yaml", "references:\n- id: a\n  title: [unclosed\n- id: b\n", 4),
    ("c.json", '{"id": "a"}', 1),
])
def test_a_broken_csl_file_is_b002_at_its_line(tmp_path, name, content, line):
    from pipeline.diagnostics import BuildError

    with pytest.raises(BuildError) as failed:
        bibliography_of(tmp_path, {name: content})
    assert [(Path(d.path).name, d.line, d.code) for d in failed.value.report.items] == [(name, line, "B002")]
