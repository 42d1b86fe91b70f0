"""The book face, subset to the characters the book uses, for the EPUB.

Before: the OTF files in styles/fonts/ (EB Garamond, OFL).
After:  small OTFs keeping the OpenType features the stylesheet asks for
        (small capitals, old-style figures, ligatures), so reading systems
        that honour publisher fonts show the book in its face.
"""

from __future__ import annotations

import re
from pathlib import Path

import uharfbuzz as hb

from pipeline.model import Book

# (file in styles/fonts, CSS font-style, CSS font-weight)
FACES = (("EBGaramond12-Regular.otf", "normal", "normal"),
         ("EBGaramond12-Italic.otf", "italic", "normal"),
         ("EBGaramond12-Bold.otf", "normal", "bold"))
FAMILY = "EB Garamond"
TAG = re.compile(r"<[^>]+>")
ENTITY = {"&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"'}


def book_text(book: Book) -> str:
    """Every character a reader may see: text, notes, titles, metadata."""
    cfg = book.config
    parts = [cfg.title, cfg.subtitle or "", cfg.publisher or "", cfg.rights or "", cfg.date,
             " ".join(c.name for c in cfg.creators), "0123456789*↩.,;:()[]«»—–-…¿?¡!"]
    for doc in book.documents:
        parts += [doc.title, doc.number or "", doc.dates or "", doc.html]
        parts += [n.html + n.mark for n in doc.notes]
    parts += [a.term + a.expansion for a in book.abbreviations]
    text = TAG.sub(" ", "\n".join(parts))
    for entity, char in ENTITY.items():
        text = text.replace(entity, char)
    return text


def subset_faces(book: Book, fonts_dir: Path, pages=()) -> list[tuple[str, str, str, bytes]]:
    """[(file name, style, weight, subset bytes)]: every face, since the
    stylesheet sets note marks in bold; the bold face needs only the figures
    and what <strong> holds, so subset it to those. `pages`: the rendered
    XHTML documents, whose generated words (headnotes, headings) count too."""
    text = book_text(book) + "".join(_page_text(page) for page in pages)
    strong = "0123456789*" + "".join(re.findall(r"<(?:strong|b)>([^<]*)<", "".join(d.html for d in book.documents)))
    return [(name, style, weight, _subset(fonts_dir / name, strong if weight == "bold" else text))
            for name, style, weight in FACES if (fonts_dir / name).is_file()]


def _page_text(page: bytes) -> str:
    text = TAG.sub(" ", page.decode("utf-8").split("<body", 1)[-1])
    for entity, char in ENTITY.items():
        text = text.replace(entity, char)
    return text


def _subset(path: Path, text: str) -> bytes:
    """HarfBuzz's subsetter (C: a fiftieth of fontTools' time, the same glyphs
    and features)."""
    inp = hb.SubsetInput()
    inp.unicode_set.update(ord(c) for c in set(text))
    for kept in (inp.layout_feature_tag_set, inp.name_id_set, inp.name_lang_id_set):
        kept.clear()
        kept.invert()                       # all: smcp, c2sc, onum, liga…; the licence and names (OFL asks it)
    inp.flags = hb.SubsetFlags.NOTDEF_OUTLINE | hb.SubsetFlags.GLYPH_NAMES
    inp.drop_table_tag_set.add(int.from_bytes(b"FFTM", "big"))   # FontForge's build timestamp
    subset = hb.subset(hb.Face(path.read_bytes()), inp)
    if subset is None:
        raise ValueError(f"{path}: HarfBuzz could not subset this font")
    return subset.blob.data


def font_face_css(faces) -> str:
    rules = [f'@font-face {{ font-family: "{FAMILY}"; font-style: {style}; font-weight: {weight}; '
             f'src: url(../fonts/{name}); }}' for name, style, weight, _ in faces]
    return "\n".join(rules) + "\n"
