"""OLD and NEW as given on the command line -> two Sides to compare.

Each argument may be a snapshot (its id, or its folder), an EPUB, a PDF, or
a git revision of the manuscript, which is then built into a temporary
folder by the `build` the command line gives (pipeline.build.build: the diff
runs no stage itself). Without arguments the two latest snapshots are
compared; with one, that one against the latest.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from pipeline import snapshot
from pipeline.diff.epub import safe_name
from pipeline.diff.errors import DiffError, check_file_size
from pipeline.diff.parts import Part
from pipeline.render.text import PartText, parse

MAX_EXPORT = 512 * 2**20     # bytes: a manuscript at a revision, images included
MAX_MANIFEST = 16 * 2**20    # a snapshot's manifest.json: a few hundred parts and sources
MAX_TEXT = 32 * 2**20        # one part's canonical text, as for one EPUB member
SENTENCE_END = re.compile(r"(?<=[.!?…»])\s+(?=[«¿¡—\"(]?[A-ZÁÉÍÓÚÑÜ])")
# (manuscript folder, output folder) -> a build's Result (its book, pdf, outputs), or BuildError
Build = Callable[[Path, Path], object]


@dataclass
class Side:
    label: str
    parts: dict[str, Part] | None     # None: nothing but a PDF on this side
    pdf: Path | None


def resolve(old: str | None, new: str | None, output: Path, manuscript: Path, stack: ExitStack,
            build: Build | None = None) -> tuple[Side, Side]:
    """Command-line arguments -> (old Side, new Side), or DiffError. A git
    revision is built with `build`."""
    if old is None or new is None:
        latest = snapshot.snapshots(snapshot.builds_dir(output))
        needed = 2 if old is None else 1
        if len(latest) < needed:
            raise DiffError("D001", snapshot.builds_dir(output), count=len(latest), needed=needed)
        old, new = (str(latest[-2]), str(latest[-1])) if old is None else (old, str(latest[-1]))
    built: dict[str, Side] = {}   # by commit: one revision named twice is built once
    return side(old, output, manuscript, stack, built, build), side(new, output, manuscript, stack, built, build)


def side(arg: str, output: Path, manuscript: Path, stack: ExitStack, built: dict | None = None,
         build: Build | None = None) -> Side:
    """One argument -> its Side, by what it names."""
    path = Path(arg)
    if path.is_dir() and (path / "manifest.json").is_file():
        return from_snapshot(path)
    if path.is_file() and path.suffix.lower() == ".epub":
        from pipeline.diff.epub import read_parts

        return Side(path.name, read_parts(path), None)
    if path.is_file() and path.suffix.lower() == ".pdf":
        return Side(path.name, None, path)
    named = snapshot.builds_dir(output) / arg
    if "/" not in arg and named.is_dir():
        return from_snapshot(named)
    return _revision(arg, manuscript, stack, {} if built is None else built, build)


def _revision(arg: str, manuscript: Path, stack: ExitStack, built: dict[str, Side], build: Build | None) -> Side:
    """A git revision -> its Side, built once per commit (`built`, by commit id)."""
    if arg.startswith("-"):
        raise DiffError("D002", arg)
    commit = git_commit(manuscript, arg)
    if commit is None:
        raise DiffError("D003", arg, manuscript=manuscript)
    if commit not in built:
        built[commit] = from_revision(arg, manuscript, stack, build)
    return replace(built[commit], label=arg)


def from_snapshot(folder: Path) -> Side:
    """A snapshot folder -> its Side. The folder may come from elsewhere, so its
    manifest is not trusted: any shape but the one snapshot.py writes, or a file
    name that leads out of the folder, is a DiffError."""
    where = folder / "manifest.json"
    manifest = _manifest(where)
    parts = dict(_snapshot_part(folder, p, f"parts[{n}]")
                 for n, p in enumerate(_field(manifest, "parts", list, where, "manifest"), 1))
    formats = _field(manifest, "formats", dict, where, "manifest", optional=True) or {}
    pdf = _field(formats, "pdf", dict, where, "formats", optional=True)
    return Side(folder.name, parts, _snapshot_file(folder, pdf, "formats.pdf") if pdf else None)


def _snapshot_part(folder: Path, entry, at: str) -> tuple[str, Part]:
    """One entry of the manifest's parts -> (id, Part), its text read."""
    where = folder / "manifest.json"
    ident, role = _field(entry, "id", str, where, at), _field(entry, "role", str, where, at)
    path = _snapshot_file(folder, entry, at)
    check_file_size(path, MAX_TEXT, "a part's text")
    try:
        return ident, Part(ident, role, parse(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise DiffError("D004", path, reason=exc) from None


def _manifest(path: Path) -> dict:
    check_file_size(path, MAX_MANIFEST, "a snapshot's manifest")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DiffError("D005", path, reason=exc) from None
    if not isinstance(manifest, dict):
        raise DiffError("D006", path, at="the manifest", found=_kind(manifest), wanted="an object")
    return manifest


def _field(obj, key: str, kind: type, where: Path, at: str, optional: bool = False):
    """obj[key] when it is a `kind` (or absent and optional); else DiffError."""
    if not isinstance(obj, dict):
        raise DiffError("D006", where, at=at, found=_kind(obj), wanted="an object")
    value = obj.get(key)
    if isinstance(value, kind) or (optional and value is None):
        return value
    raise DiffError("D006", where, at=f"{at}.{key}", found=_kind(value), wanted=kind.__name__)


def _kind(value) -> str:
    return "missing" if value is None else type(value).__name__


def _snapshot_file(folder: Path, entry: dict, at: str) -> Path:
    """The file a manifest entry names -> its path, when the name is relative and
    plain (no "..", no drive, no backslash) and, links followed, a file inside
    the folder: a snapshot from elsewhere must not make the diff read any file."""
    name = _field(entry, "file", str, folder / "manifest.json", at)
    path = folder / name
    if safe_name(name) and path.resolve().is_relative_to(folder.resolve()) and path.is_file():
        return path
    raise DiffError("D007", folder / "manifest.json", at=at, name=name)


def git_commit(manuscript: Path, rev: str) -> str | None:
    """The full commit id `rev` names in the manuscript's repository, or None."""
    if rev.startswith("-"):
        return None   # never let an argument pass as an option to git
    out = _git(manuscript, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    return out.stdout.decode().strip() if out and out.returncode == 0 else None


def _git(where: Path, *args: str, stdin: bytes | None = None):
    try:
        return subprocess.run(["git", "-C", str(where), *args], input=stdin, capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError):
        return None


def from_revision(rev: str, manuscript: Path, stack: ExitStack, build: Build | None) -> Side:
    """Check the manuscript out at `rev` into a temporary folder and build it."""
    from pipeline.diagnostics import BuildError
    from pipeline.render.text import book_texts

    if build is None:
        raise DiffError(f"revision {rev}: cannot be built here (no build given); name snapshots, EPUBs or PDFs")
    tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="pipeline-diff-")))
    root = export_revision(rev, manuscript, tmp / "manuscript")
    try:
        result = build(root, tmp / "output")
    except BuildError as exc:
        # the first error, not the first item (warnings come first), named
        # in the manuscript folder rather than in a temporary one about to go
        first = str((exc.report.errors or exc.report.items or ["errors"])[0]).replace(str(root), str(manuscript))
        raise DiffError("D008", manuscript, rev=rev, first=first) from None
    pages = result.pdf.anchors if result.pdf is not None else None
    texts = book_texts(result.book, pages).values()
    parts = {d.id: Part(d.id, d.role, parse(t)) for d, t in zip(_docs(result.book), texts)}
    return Side(rev, parts, result.outputs.get("pdf"))


def _docs(book):
    return [d for d in book.documents if d.role != "notes"]   # as book_texts orders them


def export_revision(rev: str, manuscript: Path, dest: Path) -> Path:
    """The manuscript folder as it was at `rev` -> dest.

    Files are read from git's objects, not through `git archive`: an archive
    made in a subfolder looks for the subfolder inside itself, and the
    export-ignore and export-subst attributes would drop or rewrite files."""
    commit = git_commit(manuscript, rev)
    prefix = _git(manuscript, "rev-parse", "--show-prefix")
    if commit is None or prefix is None or prefix.returncode != 0:
        raise DiffError("D009", manuscript, rev=rev)
    entries = _tree(manuscript, f"{commit}:{prefix.stdout.decode().strip()}", rev)
    dest.mkdir(parents=True)
    for (name, _), data in zip(entries, _blobs(manuscript, [sha for _, sha in entries], rev)):
        target = dest.joinpath(*name.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return dest


def _tree(where: Path, tree: str, rev: str) -> list[tuple[str, str]]:
    """(path, blob id) of every file under `tree`; DiffError for anything that is
    not a plain file at a plain path (links, submodules, "..": nothing may land
    outside the folder), or for a tree larger than MAX_EXPORT."""
    out = _git(where, "ls-tree", "-r", "-z", "-l", "--full-tree", "--end-of-options", tree)
    if out is None or out.returncode != 0:
        why = out.stderr.decode(errors="replace").strip().splitlines()[-1:] if out else ["git did not run"]
        raise DiffError("D010", where, rev=rev, why="".join(why))
    entries, total = [], 0
    for record in filter(None, out.stdout.decode("utf-8", errors="surrogateescape").split("\0")):
        meta, name = record.split("\t", 1)
        mode, _, sha, size = meta.split()
        if mode not in ("100644", "100755") or any(p in ("", ".", "..", ".git") for p in name.split("/")):
            raise DiffError("D011", where, rev=rev, name=name, mode=mode)
        entries.append((name, sha))
        total += int(size)
    if total > MAX_EXPORT:
        raise DiffError("D012", where, size=total // 2**20, limit=MAX_EXPORT // 2**20,
                        kind=f"the manuscript at revision {rev}")
    return entries


def _blobs(where: Path, shas: list[str], rev: str) -> list[bytes]:
    """The blobs' contents, in one `git cat-file --batch` (header line, data, newline each)."""
    out = _git(where, "cat-file", "--batch", stdin="".join(f"{s}\n" for s in shas).encode())
    if out is None or out.returncode != 0:
        raise DiffError("D013", where, rev=rev)
    data, pos, blobs = out.stdout, 0, []
    for sha in shas:
        end = data.index(b"\n", pos)
        header = data[pos:end].split()
        if header[1:2] != [b"blob"]:
            raise DiffError("D014", where, rev=rev, sha=sha)
        blobs.append(data[end + 1:end + 1 + int(header[2])])
        pos = end + 2 + int(header[2])
    return blobs


def pdf_parts(*pdfs: Path) -> list[dict[str, Part]]:
    """PDFs alone: each one's body text as one part, a sentence a line, so
    that line and page breaks (reflow) and where a word is split do not count
    as changes. The PDFs are read together: hyphens.unsplit judges a hyphen
    at a line's end by the words of both."""
    from pipeline.diff.hyphens import unsplit
    from pipeline.diff.pdf import Pdf

    sides = []
    for pdf in pdfs:
        with Pdf(pdf) as doc:
            sides.append(doc.body_lines())
    return [_pdf_part([line for page in side for line in page]) for side in unsplit(*sides)]


def _pdf_part(lines: list[str]) -> dict[str, Part]:
    from pipeline.diff.hyphens import LAYOUT

    text = " ".join(line.rstrip("".join(LAYOUT)) for line in lines)   # a layout hyphen nothing continued
    sentences = tuple(s.strip() for s in SENTENCE_END.split(text) if s.strip())
    return {"pdf": Part("pdf", "pdf", PartText("PDF text", sentences, ()))}
