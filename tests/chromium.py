"""Headless Chromium for the tests: an unpacked EPUB served on the loopback
address, pages measured in a phone-sized frame, screenshots.

Chromium will not open a window narrower than about 500 px, so a document
is measured inside an <iframe> of the wanted width in a wrapper page; the
wrapper's script writes what it measured into its own DOM, which
`--dump-dom` prints once the page has loaded. Served over http (not
file://), the frame is the wrapper's own origin and its DOM can be read.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
import subprocess
import threading
import zipfile
from html import unescape
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
# Every test's headless Chromium: no window, no sandbox (root in CI), and none
# of its own fetches (updates, sync, field trials): the tests run offline.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
         "--disable-dev-shm-usage", "--mute-audio", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


class _Quiet(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".xhtml": "application/xhtml+xml",
                      ".css": "text/css", ".otf": "font/otf"}

    def log_message(self, *args):   # keep the test output clean
        pass


@contextlib.contextmanager
def serve(folder: Path):
    """An HTTP server on 127.0.0.1 for `folder`; yields its base URL."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def unpack(epub: Path, dest: Path) -> Path:
    """The EPUB's content folder, unpacked under `dest`."""
    with zipfile.ZipFile(epub) as zf:
        zf.extractall(dest)
    return dest / "EPUB"


def dump_dom(url: str, budget_ms: int = 5000, timeout: float = 60) -> str:
    """The DOM of `url` after its scripts ran (virtual time: no real waiting)."""
    done = subprocess.run([CHROMIUM, *FLAGS, f"--virtual-time-budget={budget_ms}", "--dump-dom", url],
                          capture_output=True, text=True, timeout=timeout)
    return done.stdout


def screenshot(url: str, path: Path, width: int, height: int, timeout: float = 60) -> Path:
    subprocess.run([CHROMIUM, *FLAGS, "--virtual-time-budget=3000", f"--window-size={width},{height}",
                    f"--screenshot={path}", url], capture_output=True, timeout=timeout, check=True)
    return path


# The wrapper: one iframe per (document, text size); when every frame has
# loaded, a <pre id="result"> holds a JSON list of what each one measured.
WRAPPER = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>measure</title></head><body>
<pre id="result"></pre>
<script>
const WIDTH = %(width)d, HEIGHT = %(height)d, JOBS = %(jobs)s;
function measure(frame, job) {
  const doc = frame.contentDocument, win = frame.contentWindow;
  doc.documentElement.style.fontSize = job.size;
  const limit = doc.documentElement.clientWidth + 1;
  const wide = [];
  for (const el of doc.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.right > limit) wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + (el.className && el.className.baseVal === undefined ? '.' + el.className : '') + ' ' + Math.round(box.right));
  }
  const markers = [...doc.querySelectorAll('li')].filter(li => {
    const style = win.getComputedStyle(li);
    return style.display === 'list-item' && style.listStyleType !== 'none';
  }).length;
  const hyphens = [...doc.querySelectorAll('p')].slice(0, 50).map(p => win.getComputedStyle(p).hyphens);
  const imgs = [...doc.images].map(img => ({src: img.getAttribute('src'), width: img.getBoundingClientRect().width,
                                           complete: img.complete && img.naturalWidth > 0}));
  return {doc: job.doc, size: job.size, scrollWidth: doc.documentElement.scrollWidth,
          clientWidth: doc.documentElement.clientWidth, wide: wide.slice(0, 10), wideCount: wide.length,
          markers, hyphens: [...new Set(hyphens)], images: imgs,
          lang: doc.documentElement.getAttribute('lang')};
}
const results = [];
let pending = JOBS.length;
for (const job of JOBS) {
  const frame = document.createElement('iframe');
  frame.width = WIDTH; frame.height = HEIGHT;
  frame.onload = () => {
    try { results.push(measure(frame, job)); } catch (e) { results.push({doc: job.doc, size: job.size, error: String(e)}); }
    if (--pending === 0) document.getElementById('result').textContent = JSON.stringify(results);
  };
  frame.src = job.doc;
  document.body.appendChild(frame);
}
</script></body></html>
"""


def measure(folder: Path, docs: list[str], sizes=("100%", "200%"), width: int = 360, height: int = 640) -> list[dict]:
    """Open each of `docs` (paths inside `folder`) in a `width` px frame at each
    text size; returns what the wrapper measured, one dict per (doc, size)."""
    jobs = [{"doc": d, "size": s} for d in docs for s in sizes]
    (folder / "_measure.html").write_text(WRAPPER % {"width": width, "height": height, "jobs": json.dumps(jobs)},
                                          "utf-8")
    with serve(folder) as base:
        dom = dump_dom(f"{base}/_measure.html", budget_ms=2000 + 500 * len(jobs))
    found = re.search(r'<pre id="result">(.*?)</pre>', dom, re.S)
    assert found and found.group(1), f"the wrapper measured nothing: {dom[-500:]}"
    return json.loads(unescape(found.group(1)))
