"""The real book, built once per test session, EPUB and PDF in one build
(as `make book` does: the EPUB takes its page-list from the PDF)."""

from __future__ import annotations

import pytest

from pipeline.build import build, load_book
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
def real_build(tmp_path_factory):
    """build() of the real book: outputs, and the PdfResult as `.pdf`."""
    return build(MANUSCRIPT, tmp_path_factory.mktemp("real-build"), formats=("epub", "pdf"))


@pytest.fixture(scope="session")
def real_epub(real_build):
    return real_build.outputs["epub"]


@pytest.fixture(scope="session")
def real_pdf(real_build):
    return real_build.pdf


@pytest.fixture(scope="session")
def real_pdf_footnotes(real_book, tmp_path_factory):
    """The real book with book.yaml's notes.print switched to footnotes."""
    from dataclasses import replace

    from pipeline.render.pdf import render_pdf

    notes = real_book.config.notes.model_copy(update={"print": "footnotes"})
    book = replace(real_book, config=real_book.config.model_copy(update={"notes": notes}))
    return book, render_pdf(book, tmp_path_factory.mktemp("real-pdf-fn") / f"{real_book.slug}.pdf")
