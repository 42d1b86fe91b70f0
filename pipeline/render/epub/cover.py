"""The cover image: the one book.yaml names, or one drawn from title and author.

Drawn covers are plain typographic covers in the book face, deterministic
(same title, same bytes), so that builds stay byte-identical.
"""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from pipeline.model import Book

SIZE = (1600, 2400)
INK, PAPER, ACCENT = (33, 30, 28), (244, 239, 228), (140, 28, 28)


def cover_image(book: Book, styles_dir: Path) -> tuple[bytes, str]:
    """(image bytes, file extension)."""
    if book.config.cover:
        path = book.root / book.config.cover
        return path.read_bytes(), path.suffix.lower().lstrip(".")
    return _draw(book, styles_dir / "fonts" / "EBGaramond12-Regular.otf"), "jpg"


def _draw(book: Book, font_path: Path) -> bytes:
    img = Image.new("RGB", SIZE, PAPER)
    draw = ImageDraw.Draw(img)
    authors = [c.name for c in book.config.creators if c.role == "author"]
    y = _lines(draw, [a.upper() for a in authors], font_path, 70, 380, INK)
    draw.line([(500, y + 90), (1100, y + 90)], fill=ACCENT, width=6)
    y = _lines(draw, textwrap.wrap(book.config.title, 18), font_path, 130, y + 220, INK)
    if book.config.subtitle:
        _lines(draw, textwrap.wrap(book.config.subtitle, 30), font_path, 80, y + 60, ACCENT)
    if book.config.publisher:
        _lines(draw, [book.config.publisher], font_path, 56, SIZE[1] - 300, INK)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=88, optimize=True)
    return out.getvalue()


def _lines(draw, lines: list[str], font_path: Path, size: int, y: int, fill) -> int:
    font = ImageFont.truetype(str(font_path), size)
    for line in lines:
        width = draw.textlength(line, font=font)
        draw.text(((SIZE[0] - width) / 2, y), line, font=font, fill=fill)
        y += int(size * 1.25)
    return y
