"""The preview's HTTP side: one page, its pictures and texts, and a stream of states.

    /                      the page (page.html)
    /state                 the state as JSON (what /events sends)
    /events                Server-Sent Events: the state, again after every build
    /page/KEY.png          a page by its key, drawn on first request (pdftoppm), kept
    /changed/GEN/N.png     page N of build GEN with the diff's highlights
    /early/N.png           page N as a build under way laid it out (its text block), before the build ends
    /epub/GEN/PATH         a file of build GEN's EPUB (its XHTML, sheets, fonts, images)

A page's picture is named by its key, the same for the same page whatever
build made it: the browser keeps it, and after a build asks only for the
pages that are new. Only the loopback address is served: this is a tool for
the author at the machine, not a web server.
"""

from __future__ import annotations

import json
import mimetypes
import re
import subprocess
import threading
import zipfile
from collections import OrderedDict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit

HOST = "127.0.0.1"
KEEPALIVE = 15.0        # seconds between comments on an idle event stream (proxies and browsers drop silent ones)
CACHED_PAGES = 400      # page pictures kept in memory (about 40 KB each)
DRAWING = threading.BoundedSemaphore(2)   # pdftoppm processes at once: the machine also builds
TYPES = {".xhtml": "application/xhtml+xml", ".css": "text/css", ".otf": "font/otf", ".ttf": "font/ttf",
         ".woff": "font/woff", ".woff2": "font/woff2", ".svg": "image/svg+xml", ".png": "image/png",
         ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif"}


class Hub:
    """The latest state, and a way to wait for the next one."""

    def __init__(self):
        self._cond = threading.Condition()
        self.version = 0
        self.payload = b"{}"

    def publish(self, state: dict) -> None:
        data = json.dumps(state, ensure_ascii=False).encode()
        with self._cond:
            self.version += 1
            self.payload = data
            self._cond.notify_all()

    def next(self, seen: int, timeout: float) -> tuple[int, bytes | None]:
        """(version, payload) once the version passes `seen`; payload None on timeout."""
        with self._cond:
            self._cond.wait_for(lambda: self.version != seen, timeout)
            return self.version, (self.payload if self.version != seen else None)


class Pictures:
    """Page pictures by key, drawn from the generation that has the page."""

    def __init__(self, dpi: int):
        self.dpi = dpi
        self._kept: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str, generations) -> bytes | None:
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
        for generation in generations:
            index = generation.index_of(key) if generation else None
            if index is not None:
                png = self._draw(generation.pdf, index + 1)
                with self._lock:
                    self._kept[key] = png
                    while len(self._kept) > CACHED_PAGES:
                        self._kept.popitem(last=False)
                return png
        return None

    def draw(self, pdf: Path, page: int) -> bytes:
        """Page `page` (1-based) of `pdf`, drawn now (not kept)."""
        return self._draw(pdf, page)

    def _draw(self, pdf: Path, page: int) -> bytes:
        # pdftoppm in its own process: pdfium, which the build uses in this
        # process meanwhile (snapshots, the diff), is not thread-safe.
        with DRAWING:
            done = subprocess.run(["pdftoppm", "-png", "-r", str(self.dpi), "-f", str(page), "-l", str(page),
                                   "-singlefile", str(pdf)], capture_output=True, check=True)
        return done.stdout


def serve(session, port: int) -> ThreadingHTTPServer:
    """Start serving `session` (preview.session.Session) in a thread; -> the server."""
    handler = type("Handler", (_Handler,), {"session": session})
    server = ThreadingHTTPServer((HOST, port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="preview-http", daemon=True).start()
    return server


class _Handler(BaseHTTPRequestHandler):
    session = None   # set on the subclass made by serve()
    ROUTES = [
        (re.compile(r"/"), "_index"),
        (re.compile(r"/state"), "_state"),
        (re.compile(r"/events"), "_events"),
        (re.compile(r"/page/([\w-]+)\.png"), "_page"),
        (re.compile(r"/changed/(\d+)/(\d+)\.png"), "_changed"),
        (re.compile(r"/early/(\d+)\.png"), "_early"),
        (re.compile(r"/epub/(\d+)/(.+)"), "_epub"),
    ]

    def do_GET(self):
        path = unquote(urlsplit(self.path).path)
        for pattern, name in self.ROUTES:
            match = pattern.fullmatch(path)
            if match:
                try:
                    return getattr(self, name)(*match.groups())
                except (BrokenPipeError, ConnectionResetError):
                    return None
        self.send_error(404)

    def log_message(self, *args):   # the terminal is for the builds' messages
        pass

    def _send(self, body: bytes, ctype: str, cache: str = "no-store") -> None:
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache)
        self.end_headers()
        self.wfile.write(body)

    def _index(self):
        page = resources.files("pipeline.preview").joinpath("page.html").read_bytes()
        self._send(page, "text/html; charset=utf-8")

    def _state(self):
        self._send(self.session.hub.payload, "application/json")

    def _events(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = 0
        while not self.session.closed:
            seen, payload = self.session.hub.next(seen, KEEPALIVE)
            self.wfile.write(b"data: " + payload + b"\n\n" if payload is not None else b": idle\n\n")
            self.wfile.flush()

    def _page(self, key: str):
        png = self.session.pictures.get(key, self.session.generations())
        if png is None:
            return self.send_error(404)
        self._send(png, "image/png", "max-age=31536000, immutable")   # a key is always the same page

    def _changed(self, number: str, page: str):
        png = self.session.highlighted(int(number), int(page))
        if png is None:
            return self.send_error(404)
        self._send(png, "image/png", "max-age=31536000, immutable")

    def _early(self, page: str):
        png = self.session.early_picture(int(page))
        if png is None:
            return self.send_error(404)
        self._send(png, "image/png")

    def _epub(self, number: str, name: str):
        generation = next((g for g in self.session.generations() if g and g.number == int(number)), None)
        if generation is None or generation.epub is None:
            return self.send_error(404)
        with zipfile.ZipFile(generation.epub) as z:
            if name not in z.namelist():
                return self.send_error(404)
            data = z.read(name)
        suffix = Path(name).suffix.lower()
        self._send(data, TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream")
