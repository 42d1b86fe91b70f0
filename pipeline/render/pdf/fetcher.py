"""The only way WeasyPrint may read anything during a build.

Project rule: a build reads nothing outside the manuscript and styles
folders and never reaches the network. `ConfinedFetcher` serves `file:`
URLs under the allowed folders (after resolving `..` and symlinks) and
refuses everything else with `RefusedURL`. The fetcher is built with
`fail_on_errors=True`, so WeasyPrint stops (FatalURLFetchingError, which
layout turns back into RefusedURL) instead of warning and quietly dropping
the image or font.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from pipeline.engines.weasyprint import URLFetcher, URLFetcherResponse
from pipeline.render.pdf.math import serve


class RefusedURL(ValueError):
    """A resource outside the manuscript and styles folders, or not a file."""


class ConfinedFetcher(URLFetcher):
    """Serves the manuscript and styles folders under fixed virtual paths
    (file:///book-0/…, file:///book-1/…): WeasyPrint names images and other
    resources after their URL, so URLs that name the real folders would make
    the same book give different bytes when built somewhere else."""

    def __init__(self, *roots: Path):
        super().__init__(allowed_protocols=("file",), fail_on_errors=True)
        self.roots = tuple(Path(r).resolve() for r in roots)
        self.virtual = {f"/book-{i}/": root for i, root in enumerate(self.roots)}
        self.fetched: list[Path] = []

    def uri(self, path: Path) -> str:
        """The virtual URL of a file or folder under one of the roots."""
        path = Path(path).resolve()
        for prefix, root in self.virtual.items():
            if path.is_relative_to(root):
                rel = path.relative_to(root).as_posix()
                return f"file://{prefix}{'' if rel == '.' else rel}" + ("/" if path.is_dir() and rel != "." else "")
        raise RefusedURL(f"refused {path}: outside {', '.join(str(r) for r in self.roots)}")

    def fetch(self, url, headers=None):
        drawn = serve(url)   # a formula drawn in this build (render/pdf/math.py): nothing read
        if drawn is not None:
            return URLFetcherResponse(url, drawn, {"Content-Type": "image/svg+xml"})
        path = self.check(url)
        self.fetched.append(path)
        return URLFetcherResponse(url, path.read_bytes(), {})

    def check(self, url: str) -> Path:
        """The local path `url` names, or RefusedURL."""
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise RefusedURL(f"refused {url!r}: only files in the manuscript or styles folders may be read")
        path = self._real(unquote(parts.path))
        if not any(path.is_relative_to(root) for root in self.roots):
            raise RefusedURL(f"refused {url!r}: outside {', '.join(str(r) for r in self.roots)}")
        if not path.is_file():
            raise RefusedURL(f"refused {url!r}: no such file")
        return path

    def _real(self, path: str) -> Path:
        for prefix, root in self.virtual.items():
            if path.startswith(prefix):
                return (root / path[len(prefix):]).resolve()
        return Path(path).resolve()
