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
