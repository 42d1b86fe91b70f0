"""The real book, built once per test session (EPUB and PDF)."""

from __future__ import annotations

import pytest

from pipeline.build import load_book
from pipeline.diagnostics import Report
from tests.conftest import MANUSCRIPT

pytestmark = pytest.mark.book


@pytest.fixture(scope="session")
def book_report():
    report = Report()
    return load_book(MANUSCRIPT, None, report), report


@pytest.fixture(scope="session")
def real_book(book_report):
    return book_report[0]


@pytest.fixture(scope="session")
def real_epub(real_book, tmp_path_factory):
    from pipeline.build import STYLES
    from pipeline.render.epub import render_epub

    path = tmp_path_factory.mktemp("real-epub") / f"{real_book.slug}.epub"
    render_epub(real_book, path, STYLES)
    return path


@pytest.fixture(scope="session")
def real_pdf(real_book, tmp_path_factory):
    from pipeline.render.pdf import render_pdf

    return render_pdf(real_book, tmp_path_factory.mktemp("real-pdf") / f"{real_book.slug}.pdf")


@pytest.fixture(scope="session")
def real_pdf_footnotes(real_book, tmp_path_factory):
    """The real book with book.yaml's notes.print switched to footnotes."""
    from dataclasses import replace

    from pipeline.render.pdf import render_pdf

    notes = real_book.config.notes.model_copy(update={"print": "footnotes"})
    book = replace(real_book, config=real_book.config.model_copy(update={"notes": notes}))
    return book, render_pdf(book, tmp_path_factory.mktemp("real-pdf-fn") / f"{real_book.slug}.pdf")
