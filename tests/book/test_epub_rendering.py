"""The real book's EPUB documents in a real renderer (headless Chromium):
they use the embedded book face and nothing overflows a phone-sized screen."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image, ImageStat

from tests.chromium import FLAGS as HEADLESS

pytestmark = pytest.mark.book

PROBE = """
document.fonts.ready.then(function () {
  var face = Array.from(document.fonts).some(function (f) {
    return f.family.indexOf("EB Garamond") >= 0 && f.status === "loaded"; });
  var root = document.documentElement;
  root.setAttribute("data-face", face ? "yes" : "no");
  root.setAttribute("data-overflow", root.scrollWidth > window.innerWidth ? "yes" : "no");
});
"""
FLAGS = [*HEADLESS, "--window-size=480,800", "--virtual-time-budget=8000"]   # a phone, fonts given time to load


def chromium(args: list[str], profile: Path) -> str:
    done = subprocess.run(["chromium", *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120)
    return done.stdout


def probe_copy(folder: Path, name: str) -> Path:
    """The document with the probe script added (a copy: the EPUB is untouched)."""
    page = folder / "EPUB" / name
    root = etree.parse(str(page)).getroot()
    head = root.find("{http://www.w3.org/1999/xhtml}head")
    etree.SubElement(head, "{http://www.w3.org/1999/xhtml}script", src="probe.js").text = ""
    (folder / "EPUB" / "probe.js").write_text(PROBE, "utf-8")
    copy = page.with_name(f"probe-{name}")
    copy.write_bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))
    return copy


@pytest.fixture(scope="module")
def unpacked(real_epub, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("epub-unpacked")
    with zipfile.ZipFile(real_epub) as zf:
        zf.extractall(folder)  # our own EPUB, built by the session: trusted
    return folder


@pytest.mark.parametrize("name", ["mundo-sin-evasion.xhtml", "notes.xhtml", "glossary.xhtml", "index.xhtml"])
def test_document_renders_with_book_face(unpacked, name, tmp_path):
    if not (unpacked / "EPUB" / name).is_file():
        pytest.skip(f"{name} is not in this book")
    page = probe_copy(unpacked, name)
    dom = chromium(["--dump-dom", page.as_uri()], tmp_path / "profile")
    assert 'data-face="yes"' in dom, "the embedded EB Garamond was not used"
    assert 'data-overflow="no"' in dom, "content overflows a 480 px screen"
    shot = tmp_path / "shot.png"
    chromium([f"--screenshot={shot}", page.as_uri()], tmp_path / "profile")
    with Image.open(shot) as img:
        assert img.size == (480, 800)
        spread = ImageStat.Stat(img.convert("L")).stddev[0]
    assert spread > 10, "the screenshot is blank"
