"""`pipeline preview` in headless Chromium: the page follows the manuscript.

One preview of a copy of the sample fixture, one browser: the pages are
shown, an edit changes the page it falls on (its picture, highlighted, and
the EPUB's text beside it, the added words marked), a broken note reference shows its diagnostic
over the last good pages, and mending it clears the error.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.cdp import Chromium
from tests.conftest import FIXTURE, ROOT

CHAPTER = "02-capitulo-uno.md"
OLD, NEW = "creo haber sentido la", "creo haber sentido hondamente la"
BROKEN = "creo haber sentido hondamente[^99] la"
# The page of chapter one (its first page) and what the browser shows of it.
PAGE = """(() => {
  if (!document.getElementById('text') || typeof shown === 'undefined') return null;   // still loading
  const fig = [...document.querySelectorAll('#pages figure')]
    .find(f => (shown.pages[f.dataset.page - 1] || [])[1].endsWith('capitulo-uno.xhtml'));
  const img = fig && fig.querySelector('img');
  const doc = document.getElementById('text').contentDocument;
  return fig && {page: +fig.dataset.page, src: img.getAttribute('src'), loaded: img.complete && img.naturalWidth > 0,
                 changed: fig.classList.contains('changed'), kind: fig.dataset.kind,
                 text: doc && doc.body ? doc.body.textContent.replace(/\\s+/g, ' ') : '',
                 failed: document.body.classList.contains('failed'),
                 errors: document.getElementById('errors').textContent};
})()"""
# Pixels of the page's picture tinted by the diff's highlight (images.HIGHLIGHT).
RED = """(() => {
  const img = document.getElementById('p%d').querySelector('img');
  const c = document.createElement('canvas'); c.width = img.naturalWidth; c.height = img.naturalHeight;
  const g = c.getContext('2d'); g.drawImage(img, 0, 0);
  const d = g.getImageData(0, 0, c.width, c.height).data; let n = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i] > d[i + 1] + 40 && d[i] > d[i + 2] + 40) n++;
  return n;
})()"""

# The words marked in the EPUB's text beside the page (page.html `mark`).
MARKED = """(() => {
  const win = document.getElementById('text').contentWindow;
  const mark = win && win.CSS.highlights && win.CSS.highlights.get('changed');
  return mark ? [...mark][0].toString() : null;
})()"""


@pytest.fixture
def preview(tmp_path):
    """A running preview of a copy of the sample: (its URL, the copy)."""
    if shutil.which("chromium") is None:
        pytest.skip("chromium is not installed (tools/setup-system.sh)")
    ms = shutil.copytree(FIXTURE, tmp_path / "ms")
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "preview", str(ms), "-o", str(tmp_path / "out"),
                             "--port", "0"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    errors: list[str] = []
    threading.Thread(target=lambda: errors.extend(proc.stderr), daemon=True).start()
    line = proc.stdout.readline()
    assert line.startswith("preview: http://127.0.0.1:"), line + "".join(errors)
    yield line.split()[1], ms
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=30) == 0, "".join(errors)
    assert "Traceback" not in "".join(errors)


def _edit(ms: Path, old: str, new: str) -> None:
    path = ms / CHAPTER
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_preview_follows_edits_and_errors(preview, tmp_path):
    url, ms = preview
    with Chromium(tmp_path / "profile") as browser:
        browser.open(url)
        first = browser.wait_for(PAGE, 60, "the first build's pages")
        browser.evaluate(f"document.getElementById('p{first['page']}').scrollIntoView()")   # as a reader would:
        browser.evaluate(f"document.getElementById('p{first['page']}').click()")          # pictures load in view
        before = browser.wait_for(f"(() => {{ const p = {PAGE}; return p.loaded && p.text.includes('{OLD}') && p; }})()",
                                  what="the chapter's page and its EPUB text")
        assert before["src"].startswith("/page/") and not before["changed"]

        _edit(ms, OLD, NEW)
        after = browser.wait_for(f"(() => {{ const p = {PAGE}; return p.changed && p.loaded && p.text.includes('{NEW}') && p; }})()",
                                 what="the edited page, marked, with the new text")
        assert after["page"] == before["page"] and after["kind"] == "text"
        assert after["src"] != before["src"] and after["src"].startswith("/changed/")
        assert browser.evaluate(RED % after["page"]) > 500, "the changed lines are not highlighted"
        marked = browser.wait_for(MARKED, what="the added words marked in the EPUB's text")
        assert marked == "hondamente", marked

        _edit(ms, NEW, BROKEN)
        failed = browser.wait_for(f"(() => {{ const p = {PAGE}; return p.failed && p; }})()", what="the error")
        assert f"{CHAPTER}:3: N001 reference to undefined note [^99]" in failed["errors"]
        assert failed["src"] == after["src"] and failed["loaded"], "the last good page did not stay up"

        _edit(ms, BROKEN, NEW)
        cleared = browser.wait_for(f"(() => {{ const p = {PAGE}; return !p.failed && p; }})()", what="the error cleared")
        assert cleared["errors"] == "" and cleared["src"] == after["src"]
