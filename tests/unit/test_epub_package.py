"""render/epub/package.py: the EPUB's zip carries the book's own date."""

import zipfile

from pipeline.render.epub.package import FixedZip, stamp


def test_each_zip_keeps_its_own_timestamp_when_two_are_written_at_once(tmp_path):
    first = FixedZip(tmp_path / "a.zip", "w", zipfile.ZIP_DEFLATED, 9, stamp=stamp("2026-01-15"))
    second = FixedZip(tmp_path / "b.zip", "w", zipfile.ZIP_DEFLATED, 9, stamp=stamp("1999"))
    for name in ("mimetype", "OEBPS/a.xhtml"):
        first.writestr(name, b"x")
        second.writestr(name, b"y")
    first.close()
    second.close()
    with zipfile.ZipFile(tmp_path / "a.zip") as a, zipfile.ZipFile(tmp_path / "b.zip") as b:
        assert {i.date_time for i in a.infolist()} == {(2026, 1, 15, 0, 0, 0)}
        assert {i.date_time for i in b.infolist()} == {(1999, 1, 1, 0, 0, 0)}
        assert {i.external_attr >> 16 for i in a.infolist()} == {0o644}



def _zip(path, entries: dict, deflated=None) -> FixedZip:
    out = FixedZip(path, "w", zipfile.ZIP_DEFLATED, 9, stamp=stamp("2026"), deflated=deflated)
    out.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
    for name, data in entries.items():
        out.writestr(name, data)
    out.close()
    return out


def test_entries_deflated_before_give_the_bytes_deflating_gives(tmp_path):
    """The live preview keeps the last EPUB's entries deflated (keep_deflated):
    a zip written from that memo, one entry changed, is the zip written
    without it; only the changed entry is deflated again."""
    text = "".join(f"<p>párrafo {n} de un capítulo</p>\n" for n in range(3000))
    entries = {"OEBPS/a.xhtml": text, "OEBPS/b.xhtml": text.upper(), "OEBPS/font.otf": bytes(range(256)) * 300}
    first = _zip(tmp_path / "first.zip", entries, deflated={})
    _zip(tmp_path / "plain.zip", entries)
    assert (tmp_path / "first.zip").read_bytes() == (tmp_path / "plain.zip").read_bytes()
    edited = {**entries, "OEBPS/b.xhtml": text.upper() + "<p>una palabra más</p>"}
    second = _zip(tmp_path / "second.zip", edited, deflated=first.used)
    _zip(tmp_path / "plain2.zip", edited)
    assert (tmp_path / "second.zip").read_bytes() == (tmp_path / "plain2.zip").read_bytes()
    assert len(second.used) == 3 and len(second.used.keys() - first.used.keys()) == 1
    with zipfile.ZipFile(tmp_path / "second.zip") as z:
        assert {n: z.read(n).decode() for n in ("OEBPS/a.xhtml", "OEBPS/b.xhtml")} == {
            n: edited[n] for n in ("OEBPS/a.xhtml", "OEBPS/b.xhtml")}


def test_the_memo_is_what_is_written(tmp_path):
    """Not deflated again: an entry's bytes found in the memo are written
    as the memo has them (here a marker no zlib stream holds)."""
    entries = {"OEBPS/a.xhtml": "<p>texto</p>" * 50}
    memo = {key: b"MEMO" for key in _zip(tmp_path / "a.zip", entries, deflated={}).used}
    _zip(tmp_path / "b.zip", entries, deflated=memo)
    assert b"MEMO" in (tmp_path / "b.zip").read_bytes()
