"""Stage 1, read: labels found with their lines, bad files named."""

import pytest

from pipeline import read
from pipeline.diagnostics import BuildError


def test_scan_labels_in_order_with_lines():
    text = "Uno[^a] y dos[^b*].\n\nOtra vez[^a].\n\n[^a]: Nota a.\n[^b*]: Nota b.\n"
    labels = read.scan_labels(text)
    assert [(r.label, r.line) for r in labels.refs] == [("a", 1), ("b*", 1), ("a", 3)]
    assert [(d.label, d.line) for d in labels.defs] == [("a", 5), ("b*", 6)]


def test_labels_in_code_are_not_notes():
    labels = read.scan_labels("Escribe `x[^1]` así y \\[^2] también.\n")
    assert labels.refs == () and labels.defs == ()


def test_reference_inside_a_definition_is_nested():
    text = "A[^1].\n\n[^1]: Nota con otra[^2]\n    y sigue[^3].\n\nB[^4].\n\n[^2]: x\n[^3]: y\n[^4]: z\n"
    labels = read.scan_labels(text)
    assert [r.label for r in labels.refs] == ["1", "4"]
    assert [(r.label, r.line) for r in labels.nested] == [("2", 3), ("3", 4)]


def test_read_parses_and_caches(tmp_path):
    src = tmp_path / "c.md"
    src.write_text("# Título\n\nTexto[^1].\n\n[^1]: Nota.\n", "utf-8")
    first = read.read(src, tmp_path / "cache")
    cached = list((tmp_path / "cache" / "read").glob("*.json"))
    assert len(cached) == 1
    second = read.read(src, tmp_path / "cache")
    assert first.blocks == second.blocks
    assert [b["t"] for b in first.blocks] == ["Header", "Para"]


def test_invalid_utf8_names_line(tmp_path):
    src = tmp_path / "bad.md"
    src.write_bytes(b"linea uno\nlinea \xff dos\n")
    with pytest.raises(BuildError) as exc:
        read.read(src)
    assert str(exc.value.report.errors[0]) .startswith(f"{src}:2: M007")


def test_empty_file_is_an_error(tmp_path):
    src = tmp_path / "empty.md"
    src.write_text("  \n", "utf-8")
    with pytest.raises(BuildError) as exc:
        read.read(src)
    assert exc.value.report.errors[0].code == "M008"


def test_pandoc_warnings_kept_with_line(tmp_path):
    src = tmp_path / "div.md"
    src.write_text("Uno.\n\n::: epigraph\nsin cierre\n", "utf-8")
    assert [line for line, _ in read.read(src).warnings] == [3]


def test_oversized_file_refused_before_pandoc(tmp_path):
    src = tmp_path / "big.md"
    src.write_text("palabra " * 1_100_000, "utf-8")
    with pytest.raises(BuildError) as exc:
        read.read(src)
    assert exc.value.report.errors[0].code == "M011"


def test_collector_paused_by_threads_resumes_when_the_last_leaves():
    """read_all's threads pause the cycle collector each; it stays off while
    any of them works (the first in may leave first) and is on after the last."""
    import gc
    import threading

    from pipeline.gcpause import paused

    assert gc.isenabled()
    entered = [threading.Event(), threading.Event()]
    leave = [threading.Event(), threading.Event()]

    def work(n):
        with paused():
            entered[n].set()
            leave[n].wait()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(2)]
    for n, t in enumerate(threads):
        t.start()
        entered[n].wait()
    leave[0].set()
    threads[0].join()
    assert not gc.isenabled()       # the second thread still works
    leave[1].set()
    threads[1].join()
    assert gc.isenabled()
