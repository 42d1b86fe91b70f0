"""Stage 1, read: labels found with their lines, bad files named."""

import pytest

from pipeline import read
from pipeline.diagnostics import BuildError


def test_scan_labels_in_order_with_lines():
    text = "Uno[^a] y dos[^b*].\n\nOtra vez[^a].\n\n[^a]: Nota a.\n[^b*]: Nota b.\n"
    refs, defs = read.scan_labels(text)
    assert [(r.label, r.line) for r in refs] == [("a", 1), ("b*", 1), ("a", 3)]
    assert [(d.label, d.line) for d in defs] == [("a", 5), ("b*", 6)]


def test_labels_in_code_are_not_notes():
    refs, defs = read.scan_labels("Escribe `x[^1]` así.\n")
    assert refs == () and defs == ()


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


def test_raw_html_stays_text(tmp_path):
    src = tmp_path / "raw.md"
    src.write_text("Hola <script>alert(1)</script>\n", "utf-8")
    blocks = read.read(src).blocks
    assert "RawInline" not in str(blocks)
