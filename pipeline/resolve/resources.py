"""Images vetted and placed: every file a book shows is checked before use.

Before: ImageRefs as written ("figs/plate.jpg", "http://…", "/etc/passwd").
After:  Resources (manuscript file, href inside the book, media type), or
        diagnostics: remote (I005), outside the manuscript (I004), missing
        (I001), too large (I002), not an image (I003), SVG with external
        references (I006), no alternative text (I007).
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree
from PIL import Image, UnidentifiedImageError

from pipeline.diagnostics import Report
from pipeline.model import Resource

MAX_BYTES = 10_000_000
MAX_PIXELS = 40_000_000
MEDIA = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def vet(refs, chapter_path: Path, root: Path, report: Report) -> dict[str, Resource]:
    """src as written -> Resource, for the images that pass every check."""
    placed = {}
    for ref in refs:
        resource = _vet_one(ref, chapter_path, root.resolve(), report)
        if resource:
            placed[ref.src] = resource
    return placed


def _vet_one(ref, chapter_path: Path, root: Path, report: Report):
    where = (chapter_path, ref.line)
    if ref.src.lower().startswith(("http:", "https:", "//")):
        return report.add("I005", *where, src=ref.src)
    path = (chapter_path.parent / ref.src).resolve()
    if SCHEME.match(ref.src) or ref.src.startswith("/") or not path.is_relative_to(root):
        return report.add("I004", *where, src=ref.src)
    if not path.is_file():
        return report.add("I001", *where, src=ref.src)
    if path.stat().st_size > MAX_BYTES:
        return report.add("I002", *where, src=ref.src, size=f"{path.stat().st_size:,} bytes", limit=f"{MAX_BYTES:,} bytes")
    media = _media_type(path, ref, where, report)
    if media and not ref.alt:
        report.add("I007", *where, src=ref.src)
    return Resource(path, path.relative_to(root).as_posix(), media) if media else None


def _media_type(path: Path, ref, where, report: Report) -> str | None:
    if path.suffix.lower() == ".svg":
        return _svg(path, ref, where, report)
    try:
        return _raster(path, ref, where, report)
    except Image.DecompressionBombError as exc:   # PIL's message: "Image size (N pixels) exceeds limit..."
        claimed = re.search(r"\((\d+) pixels\)", str(exc))
        size = f"{int(claimed.group(1)):,} pixels by its header" if claimed else "more pixels than PIL opens"
        report.add("I002", *where, src=ref.src, size=size, limit=f"{MAX_PIXELS:,} pixels")
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        report.add("I003", *where, src=ref.src, detail=str(exc).split(" (")[0][:80])
    return None


def _raster(path: Path, ref, where, report: Report) -> str | None:
    with Image.open(path) as img:
        if img.width * img.height > MAX_PIXELS:
            report.add("I002", *where, src=ref.src, size=f"{img.width}×{img.height} pixels",
                       limit=f"{MAX_PIXELS:,} pixels")
            return None
        img.verify()
        return MEDIA.get(img.format) or report.add("I003", *where, src=ref.src, detail=f"format {img.format}")


def _svg(path: Path, ref, where, report: Report) -> str | None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except etree.XMLSyntaxError as exc:
        report.add("I003", *where, src=ref.src, detail=str(exc)[:80])
        return None
    for node in root.iter():
        if isinstance(node.tag, str) and node.tag.rsplit("}", 1)[-1] in ("script", "foreignObject"):
            report.add("I006", *where, src=ref.src, ref=f"<{node.tag.rsplit('}', 1)[-1]}>")
            return None
        if isinstance(node.tag, str) and node.tag.endswith("style") and "url(" in (node.text or ""):
            report.add("I006", *where, src=ref.src, ref="url() in a style sheet")
            return None
        for name, value in node.attrib.items():
            if name.endswith("href") and not value.startswith(("#", "data:")):
                report.add("I006", *where, src=ref.src, ref=value[:80])
                return None
    return "image/svg+xml"
