"""Is the output already what this build would write? The no-op rebuild.

Before: the manuscript and styles folders, the pipeline's code, the
versions of the engines it drives, the build's options, and the output
folder with the record of its last build (`.cache/built.json`).
After: `stamp()`, one hash of all of that; `fresh()` gives the outputs and
diagnostics of the last build when its stamp is this one and every output
is still the file that build wrote (same SHA-256); `record()` writes the
record after a successful build.

Kept free of heavy imports: the command line asks it before loading the
rest of the pipeline, so that a build with nothing to do costs a few
hashes rather than a second of imports and minutes of layout.
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib import metadata
from pathlib import Path

RECORD = Path(".cache") / "built.json"
CODE = Path(__file__).resolve().parent
# Distributions whose version changes what a build writes.
ENGINES = ("weasyprint", "pydyf", "tinyhtml5", "fonttools", "pypandoc-binary", "ebooklib", "lxml",
           "pikepdf", "pyicu", "pillow", "pydantic", "pyyaml", "uharfbuzz")
FORMAT = 1  # of the record; bump to disown every older one


def options(formats, strict: bool, print_ready: bool | None) -> dict:
    """The build's options as they enter the stamp."""
    return {"formats": sorted(formats), "strict": bool(strict), "print_ready": print_ready}


def stamp(root: Path, styles: Path, out_dir: Path, options: dict) -> str:
    """One hash of everything a build reads and of how it was asked."""
    digest = hashlib.sha256(json.dumps([FORMAT, options, _versions()], sort_keys=True).encode())
    skip = Path(out_dir).resolve()
    for label, folder in (("manuscript", root), ("styles", styles), ("code", CODE)):
        for path in _files(Path(folder), skip):
            digest.update(f"{label}/{path.relative_to(folder)}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def fresh(out_dir: Path, key: str) -> dict | None:
    """{"outputs": {format: path}, "diagnostics": [...]} when nothing is to be done, else None."""
    try:
        record = json.loads((Path(out_dir) / RECORD).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if record.get("stamp") != key:
        return None
    outputs = {fmt: Path(out_dir) / name for fmt, (name, _) in record["outputs"].items()}
    for fmt, (_, sha) in record["outputs"].items():
        if not outputs[fmt].is_file() or _sha256(outputs[fmt]) != sha:
            return None
    return {"outputs": outputs, "diagnostics": record.get("diagnostics", [])}


def record(out_dir: Path, key: str, outputs: dict[str, Path], diagnostics: list[dict]) -> None:
    """Remember a successful build (written atomically, like the outputs)."""
    target = Path(out_dir) / RECORD
    target.parent.mkdir(parents=True, exist_ok=True)
    data = {"stamp": key, "outputs": {fmt: [p.name, _sha256(p)] for fmt, p in outputs.items()},
            "diagnostics": diagnostics}
    tmp = target.with_suffix(f".tmp{os.getpid()}")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")
    os.replace(tmp, target)


def last_outputs(out_dir: Path) -> dict[str, Path]:
    """The outputs the last recorded build left in `out_dir`, those still
    as it wrote them ({} if none): what a tool may show when the build it
    runs now fails."""
    try:
        record = json.loads((Path(out_dir) / RECORD).read_text("utf-8"))
        outputs = {fmt: (Path(out_dir) / name, sha) for fmt, (name, sha) in record["outputs"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}
    return {fmt: path for fmt, (path, sha) in outputs.items() if path.is_file() and _sha256(path) == sha}


def forget(out_dir: Path) -> None:
    """A build that failed or changed the outputs some other way: no record."""
    (Path(out_dir) / RECORD).unlink(missing_ok=True)


def _files(folder: Path, skip: Path):
    """Every file under `folder`, in a fixed order, leaving out caches, hidden
    files and the output folder (which may sit inside the manuscript)."""
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__pycache__"
                             and (here / d).resolve() != skip)
        for name in sorted(filenames):
            if not name.startswith(".") and not name.endswith(".pyc"):
                yield here / name


def _versions() -> dict[str, str]:
    found = {}
    for name in ENGINES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = ""
    return found


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
