"""Stage 3, resolve: note numbering and linking book-wide."""

import shutil

import yaml

from pipeline.build import load_book
from pipeline.diagnostics import Report
from tests.conftest import FIXTURE


def book_with(tmp_path, **notes):
    dest = tmp_path / "ms"
    shutil.copytree(FIXTURE, dest)
    cfg = yaml.safe_load((dest / "book.yaml").read_text("utf-8"))
    cfg["notes"].update(notes)
    (dest / "book.yaml").write_text(yaml.safe_dump(cfg, allow_unicode=True), "utf-8")
    return load_book(dest, None, Report())


def marks(book):
    return {d.id: [n.mark for n in d.notes] for d in book.documents if d.notes}


def test_per_part_numbering_with_title_and_editor_marks(tmp_path):
    assert marks(book_with(tmp_path)) == {
        "prefacio": ["*", "1", "2"], "capitulo-uno": ["1", "2*", "3"], "capitulo-dos": ["1"]}


def test_continuous_numbering(tmp_path):
    assert marks(book_with(tmp_path, numbering="continuous")) == {
        "prefacio": ["*", "1", "2"], "capitulo-uno": ["3", "4*", "5"], "capitulo-dos": ["6"]}


def test_every_reference_links_to_its_note(tmp_path):
    book = book_with(tmp_path)
    for doc in book.documents:
        for note in doc.notes:
            for ref_id in note.ref_ids:
                assert f'id="{ref_id}" href="#note-{note.key}"' in doc.html + doc.title_html
    twice = book.document("capitulo-dos").notes[0]
    assert twice.ref_ids == ("ref-capitulo-dos-1", "ref-capitulo-dos-1-2")


def test_title_note_is_on_the_title(tmp_path):
    preface = book_with(tmp_path).document("prefacio")
    assert preface.notes[0].kind == "title"
    assert 'href="#note-prefacio-1"' in preface.title_html
    assert preface.title == "Prefacio"
