"""Build snapshots: a finished build -> output/builds/<id>/, the last N kept.

Before: the Book just rendered and its outputs, already moved into place.
After: a folder a proofreader (or `python -m pipeline diff`) can compare
with any other build:

    output/builds/20261124T101502123Z-3fa9c2d1/
        memorias-de-un-revolucionario.epub, .pdf
        text/05-mundo-sin-evasion.txt   canonical text per part, notes included
        pages.txt                       the PDF's text, page by page
        manifest.json                   source hashes, git revision, formats, pages

Ids sort by time (UTC, to the millisecond) and end in a hash of the outputs, so
two builds in the same millisecond still get different folders. Snapshots are
written beside their final place and renamed, so a crash never leaves a
half-written one that `diff` would pick up as the latest.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

from pipeline.diagnostics import make
from pipeline.pool import process_pool, workers
from pipeline.render.text import book_texts

KEEP_DEFAULT = 10
KEEP_ENV = "PIPELINE_KEEP_BUILDS"   # how many snapshots to keep; 0 turns them off
PAGE_MARK = "--- page {} ---"
PAGES_PER_JOB = 100                 # fewer pages than this a process are read in this one


def builds_dir(out_dir: Path) -> Path:
    return Path(out_dir) / "builds"


def keep(book, root: Path, outputs: dict[str, Path], out_dir: Path, limit: int | None = None,
         pdf=None) -> Path | None:
    """Record one snapshot and prune old ones; a failure is reported, never raised:
    the build itself already succeeded. `pdf`, the build's PdfResult, gives
    the index's text its locators and tells which pages are those of the
    last build (their text is not read again)."""
    limit = retention() if limit is None else limit
    if limit <= 0:
        return None
    try:
        known = KnownTexts(Path(out_dir) / ".cache" / "page-texts.json", pdf.page_keys if pdf else ())
        path = record(book, Path(root), outputs, builds_dir(out_dir), pdf.anchors if pdf else None, known)
        prune(builds_dir(out_dir), limit)
        return path
    except Exception as exc:   # pdfium, lxml, a bug: none may fail a build whose outputs are in place
        reason = " ".join(str(exc).split())   # one line, whatever the library wrote
        print(make("S001", builds_dir(out_dir), kind=type(exc).__name__, reason=reason), file=sys.stderr)
        return None


def retention() -> int:
    """PIPELINE_KEEP_BUILDS as a count; the default when unset or not a number."""
    value = os.environ.get(KEEP_ENV, "")
    return int(value) if value.strip().isdigit() else KEEP_DEFAULT


def record(book, root: Path, outputs: dict[str, Path], builds: Path, pages: dict[str, int] | None = None,
           known: "KnownTexts | None" = None) -> Path:
    """Write the snapshot into a hidden folder, then rename it into place.
    `pages` (id -> printed page) gives the index's text its locators."""
    builds.mkdir(parents=True, exist_ok=True)
    texts = book_texts(book, pages)
    digest = _digest(texts, outputs)
    stamp = datetime.now(timezone.utc)
    ident = f"{stamp:%Y%m%dT%H%M%S}{stamp.microsecond // 1000:03d}Z-{digest[:8]}"
    tmp = builds / f".tmp-{ident}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        _fill(tmp, ident, stamp, book, root, texts, outputs, known or KnownTexts(None, ()))
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)   # not left for the next prune: it may never come
        raise
    final = builds / ident
    os.replace(tmp, final) if not final.exists() else shutil.rmtree(tmp)
    return final


def _fill(folder: Path, ident: str, stamp, book, root: Path, texts: dict[str, str], outputs,
          known: "KnownTexts") -> None:
    """The snapshot's files: texts, outputs, and the manifest last."""
    parts = _write_texts(folder, texts, book)
    formats, pages = _copy_outputs(folder, outputs, known)
    manifest = _manifest(ident, stamp, book, root, formats, parts, pages)
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                          encoding="utf-8")


def _digest(texts: dict[str, str], outputs: dict[str, Path]) -> str:
    h = hashlib.sha256()
    for text in texts.values():
        h.update(text.encode())
    for path in outputs.values():
        h.update(_file_hash(path).encode())
    return h.hexdigest()


def _write_texts(folder: Path, texts: dict[str, str], book) -> list[dict]:
    """text/NN-id.txt in reading order; -> the manifest's list of parts."""
    (folder / "text").mkdir()
    parts = []
    roles = {d.id: d for d in book.documents}
    for n, (ident, text) in enumerate(texts.items(), 1):
        name = f"text/{n:02d}-{ident}.txt"
        (folder / name).write_text(text, encoding="utf-8")
        doc = roles[ident]
        parts.append({"id": ident, "role": doc.role, "title": doc.title, "number": doc.number, "file": name})
    return parts


def _copy_outputs(folder: Path, outputs: dict[str, Path], known: "KnownTexts") -> tuple[dict, int | None]:
    """Hard-link (or copy) each output; the PDF's text page by page -> (formats, pages)."""
    formats, pages = {}, None
    for fmt, path in outputs.items():
        target = folder / path.name
        _link_or_copy(path, target)
        formats[fmt] = {"file": path.name, "sha256": _file_hash(target), "bytes": target.stat().st_size}
        if fmt == "pdf":
            texts = known.texts(target)
            pages = formats[fmt]["pages"] = len(texts)
            (folder / "pages.txt").write_text(format_pages(texts), encoding="utf-8")
    return formats, pages


def _link_or_copy(src: Path, dest: Path) -> None:
    # A link is safe: the next build replaces output files by rename, never in place.
    try:
        os.link(src, dest)
    except OSError:
        shutil.copy2(src, dest)


class KnownTexts:
    """The page texts of the last build into this output folder, by page key
    (render/pdf `_page_keys`: a digest of the PDFs a page is merged from).
    After an edit most pages are made of the same PDFs as before: only the
    others are read again, by pdfium, from the new PDF."""

    def __init__(self, path: Path | None, keys: tuple[str, ...]):
        self.path, self.keys = path, tuple(keys)

    def texts(self, pdf_path: Path) -> list[str]:
        count = _page_count(pdf_path)
        keys = self.keys if len(self.keys) == count else ()   # keys of another PDF: read every page
        seen = self._load() if keys else {}
        missing = [i for i in range(count) if not keys or keys[i] not in seen]
        read = dict(zip(missing, page_texts(pdf_path, pages=missing)))
        texts = [read[i] if i in read else seen[keys[i]] for i in range(count)]
        if keys:
            self._save(dict(zip(keys, texts)))
        return texts

    def _load(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text("utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError, AttributeError):   # none yet, damaged, no folder: read every page
            return {}

    def _save(self, texts: dict[str, str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(json.dumps(texts, ensure_ascii=False), "utf-8")
        os.replace(tmp, self.path)


def page_texts(pdf_path: Path, jobs: int | None = None, pages: list[int] | None = None) -> list[str]:
    """The text of each PDF page (or of `pages`, 0-based), as pdfium reads
    it; many pages are read by one forked process per CPU, a stretch each
    (pdfium is not thread-safe, and a 600-page book takes a second on one core)."""
    pages = list(range(_page_count(pdf_path))) if pages is None else list(pages)
    if not pages:
        return []
    jobs = min(jobs or workers(), max(1, len(pages) // PAGES_PER_JOB))
    if jobs < 2:
        return _texts(pdf_path, pages)
    bounds = [len(pages) * n // jobs for n in range(jobs + 1)]
    with process_pool(jobs) as pool:
        stretches = pool.map(_texts, [pdf_path] * jobs, [pages[a:b] for a, b in zip(bounds, bounds[1:])])
        return [text for stretch in stretches for text in stretch]


def _page_count(pdf_path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def _texts(pdf_path: Path, pages: list[int]) -> list[str]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        return [pdf[i].get_textpage().get_text_range().replace("\r\n", "\n") for i in pages]
    finally:
        pdf.close()


def format_pages(texts: list[str]) -> str:
    return "".join(f"{PAGE_MARK.format(n)}\n{t.rstrip()}\n" for n, t in enumerate(texts, 1))


def _manifest(ident, stamp, book, root: Path, formats, parts, pages) -> dict:
    return {
        "id": ident,
        "created": stamp.isoformat(timespec="seconds"),
        "title": book.config.title,
        "manuscript": str(root.resolve()),
        "git": git_revision(root),
        "sources": source_hashes(root),
        "formats": formats,
        "page_count": pages,
        "parts": parts,
    }


def source_hashes(root: Path) -> dict[str, str]:
    """Every file of the manuscript folder (hidden ones aside) -> its SHA-256."""
    files = sorted(p for p in root.rglob("*") if p.is_file() and not _hidden(p.relative_to(root)))
    return {p.relative_to(root).as_posix(): _file_hash(p) for p in files}


def _hidden(rel: Path) -> bool:
    return any(part.startswith(".") for part in rel.parts)


def git_revision(root: Path) -> dict | None:
    """The commit checked out where the manuscript lives, and whether the
    manuscript differs from it; None outside git (or without git at all)."""
    head = _git(root, "rev-parse", "HEAD")
    if head is None:
        return None
    status = _git(root, "status", "--porcelain", "--", ".")
    return {"revision": head, "dirty": bool(status)}


def _git(root: Path, *args: str) -> str | None:
    try:
        out = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def _file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def prune(builds: Path, limit: int) -> None:
    """Keep the newest `limit` snapshots; leftovers of crashed writes go too."""
    for stale in builds.glob(".tmp-*"):
        shutil.rmtree(stale, ignore_errors=True)
    for old in snapshots(builds)[:-limit]:
        shutil.rmtree(old, ignore_errors=True)


def snapshots(builds: Path) -> list[Path]:
    """Finished snapshots, oldest first (ids sort by time)."""
    if not builds.is_dir():
        return []
    return sorted(p for p in builds.iterdir() if p.is_dir() and (p / "manifest.json").is_file()
                  and not p.name.startswith("."))
