"""Transformed chapters kept between builds.

Before: a chapter file, the registers beside book.yaml, the code of the
read and transform stages, Pandoc's version and reader.
After: the `Chapter` a cold read and transform would make, unpickled in a
fifth of the time, or None; `put` keeps one for the next build.

The key holds everything a chapter depends on, so an entry is never stale:
editing one paragraph reads and transforms that file alone. A truncated or
foreign entry is a miss, never an error.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from functools import lru_cache
from pathlib import Path

from pipeline.gcpause import paused
from pipeline.transforms.chapter import Chapter

PIPELINE = Path(__file__).resolve().parents[1]
# The code a Chapter is made by: its stages, their data and messages.
CODE = ("read", "transforms", "text", "model.py", "diagnostics.py", "registers.py", "yamlfile.py")
REGISTERS = ("abbreviations.yaml", "names.yaml", "ignore.yaml")
FORMAT = b"1"   # bump to disown every older entry
# This process's last chapter of each file, under its entry's name: a long-lived
# process (the preview) gets an unchanged file's Chapter without unpickling it
# again, and the very same object, which resolve's memo knows (_Memo in resolve/__init__.py).
# Chapters are frozen and nothing after the transforms changes their blocks.
_MEMORY: dict[Path, tuple[Path, Chapter]] = {}


class ChapterCache:
    def __init__(self, cache_dir: Path, root: Path, bibliography: str = ""):
        """`bibliography`: the digest of the book's bibliography and style (read/bibliography.py)."""
        self.folder = Path(cache_dir) / "chapters"
        self.context = _context(Path(root)) + bibliography.encode()

    def get(self, path: Path) -> Chapter | None:
        try:
            entry = self._entry(path, Path(path).read_bytes())
        except OSError:
            return None   # read() reports it
        kept = _MEMORY.get(Path(path))
        if kept is not None and kept[0] == entry:
            return kept[1]
        if not entry.is_file():
            return None
        try:
            with paused():   # a million small objects, no cycles
                chapter = pickle.loads(entry.read_bytes())
        except Exception:
            return None
        _MEMORY[Path(path)] = (entry, chapter)
        return chapter

    def put(self, path: Path, text: str, data: bytes, chapter: Chapter | None = None) -> None:
        """Keep a pickled Chapter (workers pickle it anyway, to send it back)
        under the text it was made from, not the file as it is now; and
        `chapter` itself in this process's memory."""
        entry = self._entry(path, text.encode("utf-8"))
        if chapter is not None:
            _MEMORY[Path(path)] = (entry, chapter)
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = entry.with_suffix(f".tmp{os.getpid()}")
        tmp.write_bytes(data)
        os.replace(tmp, entry)

    def _entry(self, path: Path, text: bytes) -> Path:
        digest = hashlib.sha256(self.context + str(Path(path).resolve()).encode() + b"\0" + text)
        return self.folder / f"{digest.hexdigest()}.pickle"


def _context(root: Path) -> bytes:
    """What every chapter of this manuscript depends on besides its own text."""
    from pipeline.read import READER, pandoc_version

    digest = hashlib.sha256(FORMAT + b"\0" + _code() + f"\0{pandoc_version()}\0{READER}".encode())
    for name in REGISTERS:
        path = root / name
        digest.update(name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b"-"))
    return digest.digest()


@lru_cache(maxsize=1)
def _code() -> bytes:
    digest = hashlib.sha256()
    for name in CODE:
        target = PIPELINE / name
        for path in sorted(target.rglob("*.py")) if target.is_dir() else [target]:
            digest.update(str(path.relative_to(PIPELINE)).encode() + b"\0" + path.read_bytes())
    return digest.digest()
