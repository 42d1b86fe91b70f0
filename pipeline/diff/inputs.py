"""OLD and NEW as given on the command line -> two Sides to compare.

Each argument may be a snapshot (its id, or its folder), an EPUB, a PDF, or
a git revision of the manuscript, which is then built into a temporary
folder. Without arguments the two latest snapshots are compared; with one,
that one against the latest.
"""

from __future__ import annotations

import json
import re
import subprocess
import tarfile
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from pipeline import snapshot
from pipeline.diff.errors import DiffError
from pipeline.diff.parts import Part
from pipeline.render.text import PartText, parse

SENTENCE_END = re.compile(r"(?<=[.!?…»])\s+(?=[«¿¡—\"(]?[A-ZÁÉÍÓÚÑÜ])")


@dataclass
class Side:
    label: str
    parts: dict[str, Part] | None     # None: nothing but a PDF on this side
    pdf: Path | None


def resolve(old: str | None, new: str | None, output: Path, manuscript: Path, stack: ExitStack) -> tuple[Side, Side]:
    """Command-line arguments -> (old Side, new Side), or DiffError."""
    if old is None or new is None:
        latest = snapshot.snapshots(snapshot.builds_dir(output))
        needed = 2 if old is None else 1
        if len(latest) < needed:
            raise DiffError(f"{snapshot.builds_dir(output)}: {len(latest)} snapshot(s), need {needed}; "
                            "build the book again, or name OLD and NEW")
        old, new = (str(latest[-2]), str(latest[-1])) if old is None else (old, str(latest[-1]))
    return side(old, output, manuscript, stack), side(new, output, manuscript, stack)


def side(arg: str, output: Path, manuscript: Path, stack: ExitStack) -> Side:
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
    if git_commit(manuscript, arg):
        return from_revision(arg, manuscript, stack)
    raise DiffError(f"{arg}: not a snapshot, an EPUB, a PDF or a git revision of {manuscript}")


def from_snapshot(folder: Path) -> Side:
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        parts = {p["id"]: Part(p["id"], p["role"], parse((folder / p["file"]).read_text(encoding="utf-8")))
                 for p in manifest["parts"]}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DiffError(f"{folder}: not a readable snapshot ({exc})") from None
    pdf = manifest.get("formats", {}).get("pdf")
    return Side(folder.name, parts, folder / pdf["file"] if pdf else None)


def git_commit(manuscript: Path, rev: str) -> str | None:
    """The full commit id `rev` names in the manuscript's repository, or None."""
    if rev.startswith("-"):
        return None   # never let an argument pass as an option to git
    out = _git(manuscript, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    return out.stdout.decode().strip() if out and out.returncode == 0 else None


def _git(where: Path, *args: str):
    try:
        return subprocess.run(["git", "-C", str(where), *args], capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError):
        return None


def from_revision(rev: str, manuscript: Path, stack: ExitStack) -> Side:
    """Check the manuscript out at `rev` into a temporary folder and build it."""
    from pipeline.build import build
    from pipeline.diagnostics import BuildError
    from pipeline.render.text import book_texts

    tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="pipeline-diff-")))
    root = export_revision(rev, manuscript, tmp / "manuscript")
    try:
        result = build(root, tmp / "output")
    except BuildError as exc:
        first = exc.report.items[0] if exc.report.items else "errors"
        raise DiffError(f"revision {rev}: the manuscript does not build ({first})") from None
    parts = {d.id: Part(d.id, d.role, parse(t)) for d, t in zip(_docs(result.book), book_texts(result.book).values())}
    return Side(rev, parts, result.outputs.get("pdf"))


def _docs(book):
    return [d for d in book.documents if d.role != "notes"]   # as book_texts orders them


def export_revision(rev: str, manuscript: Path, dest: Path) -> Path:
    """The manuscript folder as it was at `rev` -> dest (from `git archive`)."""
    prefix = _git(manuscript, "rev-parse", "--show-prefix")
    tree = f"{git_commit(manuscript, rev)}:{prefix.stdout.decode().strip() if prefix else ''}"
    archive = _git(manuscript, "archive", "--format=tar", tree)
    if archive is None or archive.returncode != 0:
        raise DiffError(f"revision {rev}: git cannot export {manuscript} at that revision")
    dest.mkdir(parents=True)
    with tarfile.open(fileobj=_bytes(archive.stdout)) as tar:
        tar.extractall(dest, filter="data")   # "data": no links out, no absolute names
    return dest


def _bytes(data: bytes):
    import io

    return io.BytesIO(data)


def pdf_parts(pdf: Path) -> dict[str, Part]:
    """A PDF alone: its body text as one part, a sentence a line, so that
    line and page breaks (reflow) do not count as changes."""
    from pipeline.diff.pdf import Pdf
    from pipeline.diff.pages import SOFT_HYPHENS

    with Pdf(pdf) as doc:
        lines = [line for page in doc.body_lines() for line in page]
    text = "".join(line[:-1] if line.endswith(SOFT_HYPHENS) else line + " " for line in lines)
    sentences = tuple(s.strip() for s in SENTENCE_END.split(text) if s.strip())
    return {"pdf": Part("pdf", "pdf", PartText("PDF text", sentences, ()))}
