"""A unit laid out again from the page an edit falls on (engines/weasyprint.py
`keeping`, render/pdf/units.py `keep_layouts`, issue 23) is the unit a cold
layout makes, byte for byte; and so is a whole build made that way.

The sample fixture's chapters are a page or two: a copy of it gets a long
chapter (about a dozen pages) of paragraphs, a list and a quotation, with
endnotes, so that an edit has pages before and after it to keep.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from pipeline import freshness, snapshot
from pipeline.build import build, load_book
from pipeline.diagnostics import Report
from pipeline.engines import weasyprint as engine
from pipeline.render.pdf import STYLES, units

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "sample"
LONG = "03-capitulo-dos.md"
UNIT = "capitulo-dos"
SENTENCES = [
    "Los palacios dormitaban a lo largo de las amplias avenidas o delante de los canales helados.",
    "La población de Petrogrado acababa de descender en un año a unas setecientas mil almas en pena.",
    "Algunos trineos descubiertos, arrastrados por caballos famélicos, se iban sin prisa sobre la blancura.",
    "Tropas de soldados medio andrajosos caminaban bajo faroles rojos con el fusil colgado del hombro.",
    "Era la capital del Frío, del Hambre, del Odio y de la Tenacidad, y nadie lo ignoraba entonces.",
    "Las elegantes fachadas barrocas de las residencias imperiales estaban pintadas de rojo sangre.",
    "Incomprensiblemente, la administración revolucionaria multiplicaba sus comisiones extraordinarias.",
    "Fuimos a contemplar desde el muelle del Neva las casamatas bajas de la fortaleza de Pedro y Pablo.",
]


def long_chapter() -> str:
    rng = random.Random(23)
    parts = ["# Capítulo largo {number=II}", ""]
    for n in range(60):
        text = " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(2, 7)))
        if n == 45:   # longer than a page: it runs across a page break
            text = " ".join(SENTENCES * 3) + " Y aquí el fin del párrafo largo."
        parts += [f"Párrafo {n}: {text}" + ("[^1]" if n == 5 else ""), ""]
        if n == 12:
            parts += [f"- {s}" for s in SENTENCES[:4]] + [""]
        if n == 20:
            parts += ["> " + " ".join(SENTENCES[3:7]), ""]
    return "\n".join(parts + ["[^1]: Una nota en un párrafo.", ""])


@pytest.fixture
def manuscript(tmp_path):
    ms = shutil.copytree(FIXTURE, tmp_path / "ms")
    (ms / LONG).write_text(long_chapter(), "utf-8")
    return ms


@pytest.fixture
def keeping(monkeypatch):
    monkeypatch.setattr(units, "_KEEPING", [None])
    monkeypatch.setattr(engine, "_KEPT", {})
    monkeypatch.setattr(engine, "_DEFLATED", {})
    monkeypatch.setattr(engine, "_PAINTED", {})
    units.keep_layouts()


def edit(ms: Path, old: str, new: str) -> None:
    path = ms / LONG
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def lay_out(ms: Path, keep: bool):
    setting = units.Setting(load_book(ms, None, Report()), STYLES, False)
    units._KEEPING[0] = units.os.getpid() if keep else None
    layout = units.lay_out_unit(setting, UNIT, None)
    return layout, engine.kept((UNIT, setting.version))


# (old, new, whether pages must be taken from the earlier layout)
EDITS = [
    # as long as before, after the page break inside the paragraph: the page
    # after the break begins where it did, and still is not the one before
    ("el fin del párrafo largo.", "EL FIN del párrafo largo.", True),
    ("Párrafo 17: ", "Párrafo 17 (un inciso bastante largo que añade una línea o dos al párrafo): ", True),
    ("Párrafo 17 (un inciso bastante largo que añade una línea o dos al párrafo): ", "Párrafo 17: ", True),
    ("Párrafo 9: ", "Párrafo 9 *con énfasis*: ", True),   # an element added inside the paragraph
    ("Párrafo 12: ", "Párrafo doce: ", True),              # just before the list
    ("Párrafo 59: ", "Párrafo último: ", True),            # on the last page: the pages before kept
    ("Párrafo 0: ", "Párrafo primero: ", False),           # on the first page: nothing before it to keep
    ("Párrafo 40: ", "Párrafo 40 bis.\n\nPárrafo 40: ", False),   # a paragraph added: the whole layout
]


def test_an_edited_unit_laid_out_from_its_kept_layout_is_the_cold_one(manuscript, keeping):
    first, kept = lay_out(manuscript, keep=True)
    assert kept is not None and kept.made == first.count >= 10
    reused = replayed = 0
    for old, new, partial in EDITS:
        edit(manuscript, old, new)
        before = {k: dict(v) for k, v in engine._DEFLATED.items()}
        painted = {k: dict(v) for k, v in engine._PAINTED.items()}
        again, kept = lay_out(manuscript, keep=True)
        cold, _ = lay_out(manuscript, keep=False)   # nor its streams' deflated bytes kept
        assert again == cold, f"{new!r}: the kept layout differs from the cold one"
        assert again.laid.pdf == cold.laid.pdf
        if partial:
            assert kept.made < cold.count, f"{new!r}: every page was made again"
        (key, used), = engine._DEFLATED.items()   # the streams of the unit's last write, deflated
        reused += len(used.keys() & before.get(key, {}).keys())
        assert len(used) > cold.count   # a stream per page at least, and the fonts'
        # a page the kept layout took is not painted again: its record of the write before is replayed
        records = engine._PAINTED[key]
        again_painted = sum(1 for box, record in records.items() if painted.get(key, {}).get(box) is record)
        assert again_painted <= cold.count - kept.made   # never a page made anew
        replayed += again_painted
    assert reused > len(EDITS) * 10   # the pages an edit left alone were taken as deflated before
    assert replayed > len(EDITS) * 5   # and most of them were not painted again


def test_a_whole_build_from_kept_layouts_is_a_cold_build(manuscript, keeping, tmp_path, monkeypatch):
    """The preview's builds, into one output folder, in one process: the
    last one's files are those a cold build of the same manuscript makes
    (its chapters, their resolve, the units' HTML and the EPUB's entries
    deflated kept from build to build as well: the cold build starts
    without them)."""
    from pipeline.render.epub import package

    monkeypatch.setattr(package, "_DEFLATED", [None])
    package.keep_deflated()
    out = tmp_path / "out"
    build(manuscript, out)
    for old, new, _ in (EDITS[3], EDITS[4], EDITS[1]):   # the first laid out whole, in this process
        edit(manuscript, old, new)
        told, before = [], dict(package.deflated())
        # as the preview builds: the snapshot and the freshness record once the pages are shown
        result = build(manuscript, out, early=lambda pdf, first, count: told.append((pdf, first, count)),
                       record_later=True)
        assert freshness.fresh(out, freshness.stamp(manuscript, STYLES, out, freshness.options(
            ("epub", "pdf"), False, None))) is None   # not recorded yet: the next build would not be a no-op
        result.finish()
        # the EPUB's writer (forked beside the merge) handed back what it deflated: the entries of
        # the documents the edit left alone were not deflated again, the edited one's was
        deflated = package.deflated()
        assert deflated and len(deflated.keys() & before.keys()) >= len(deflated) - 3 > 0
        assert deflated.keys() - before.keys()
    kept = engine.kept(next(k for k in engine._KEPT if k[0] == UNIT))
    assert kept.made < len(kept.pages)
    units._KEEPING[0] = None
    forget_memos(monkeypatch)
    cold = build(manuscript, tmp_path / "cold")
    for fmt, path in cold.outputs.items():
        assert (out / path.name).read_bytes() == path.read_bytes(), fmt
    # the snapshot written later is the cold build's, and the record makes the same files a no-op
    late, first = (snapshot.snapshots(snapshot.builds_dir(o))[-1] for o in (out, tmp_path / "cold"))
    for name in ("pages.txt", *(p.name for p in first.glob("*.pdf")), *(p.name for p in first.glob("*.epub"))):
        assert (late / name).read_bytes() == (first / name).read_bytes(), name
    assert build(manuscript, out).book is None
    # the last build told the pages it made anew, before writing the unit whole, at the pages they fall on
    (pdf, first, count), = told
    made, final = _texts(pdf), _texts(cold.outputs["pdf"].read_bytes())
    assert len(made) == kept.made < count
    for n, text in enumerate(made, first):
        assert text and text in final[n - 1]


def forget_memos(monkeypatch) -> None:
    """What a long-lived process keeps besides its layouts, as a new process has it."""
    import pipeline.resolve as resolve_
    from pipeline.render.pdf import html as html_
    from pipeline.transforms import cache as cache_

    monkeypatch.setattr(resolve_, "_MEMO", resolve_._Memo())
    monkeypatch.setattr(html_, "_UNITS", {})
    monkeypatch.setattr(cache_, "_MEMORY", {})


def _texts(pdf: bytes) -> list[str]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        return [" ".join(page.get_textpage().get_text_range().split()) for page in document]
    finally:
        document.close()


@pytest.mark.parametrize("mode", ["endnotes", "footnotes"])
def test_a_pass_under_more_named_lines_starts_from_their_page(manuscript, mode):
    """_lay_out_held's next pass (the same HTML, a hold that names one more
    line) laid out from the kept pass, from the page the line is named on,
    is the whole layout under that hold, page for page; in footnote mode
    too, with footnotes waiting as the pass starts."""
    text = (manuscript / LONG).read_text("utf-8")
    for n in range(20, 60, 4):   # footnotes on the pages after the line named as well
        text = text.replace(f"Párrafo {n}: ", f"Párrafo {n}:[^n{n}] ", 1) + f"\n[^n{n}]: Nota {n}. {SENTENCES[n % 8]}\n"
    (manuscript / LONG).write_text(text, "utf-8")
    yaml = manuscript / "book.yaml"
    yaml.write_text(yaml.read_text("utf-8").replace("print: endnotes", f"print: {mode}"), "utf-8")
    setting = units.Setting(load_book(manuscript, None, Report()), STYLES, False)
    assert setting.book.config.notes.print == mode
    html = units.build_unit(setting.book, UNIT, None)
    fetcher = units.ConfinedFetcher(setting.book.root, setting.styles)
    key = ("test", UNIT)

    def lay_out(hold, key):
        with engine.keeping(key):
            return units._lay_out(setting, html, fetcher, hold=hold)

    first = lay_out(engine.Hold(), key)
    named = next((n, text) for n, page in enumerate(first.pages, 1) if n >= 4
                 for _, text in engine.flow_lines(page) if text.endswith(engine.HYPHENS))
    hold = engine.Hold(forbid=frozenset({named}))
    try:
        again = lay_out(hold, key)
        kept = engine.kept(key)
        assert kept is not None and kept.first_made >= named[0] - 2 > 0 and kept.made < len(again.pages)
    finally:
        engine.forget(key)
    whole = lay_out(hold, None)
    assert _lines(again) == _lines(whole) != _lines(first)
    assert mode == "endnotes" or any(engine.footnote_extents(p) for p in whole.pages[named[0]:])
    assert units._write(setting, again) == units._write(setting, whole)


def _lines(document) -> list[list[str]]:
    return [[text for _, text in engine.flow_lines(page)] for page in document.pages]
