"""Pandoc, through pypandoc: where its binary is, its version, and its messages.

The pipeline runs Pandoc itself (pypandoc.convert_text runs it twice more
each time, to list formats); what it takes from pypandoc is the binary
(pypandoc-binary), the version, and how pypandoc logs Pandoc's messages,
which it does through two private functions, declared in `PRIVATE`.
Citations go through Pandoc's citeproc here: `citeproc` formats one
document's citations, `bibliography` reads a bibliography file as CSL JSON.
"""

from __future__ import annotations

import json
import subprocess

import pypandoc
from pypandoc.handler import _check_log_handler

from pipeline.engines import Private

_LOGGING = "none filed: a public way to log Pandoc's stderr as convert_text does (both came with pypandoc#250)"
PRIVATE = (
    Private("pypandoc.handler._check_log_handler", "gives pypandoc's logger a console handler if it has none, "
            "as convert_text does before it logs", _LOGGING, ()),
    Private("pypandoc._classify_pandoc_logging", "Pandoc's stderr as (level, message), as convert_text logs it",
            _LOGGING, ("raw", "default_level")),
)


def version() -> str:
    return pypandoc.get_pandoc_version()


def path() -> str:
    return pypandoc.get_pandoc_path()


def log(stderr: str) -> None:
    """Pandoc's messages (its stderr) to pypandoc's logger, at their levels, as convert_text does."""
    _check_log_handler()
    for level, message in pypandoc._classify_pandoc_logging(stderr):
        pypandoc.logger.log(level, message)


class PandocFailed(Exception):
    """Pandoc refused its input: its last message (with the file's line, when it gives one)."""


CITEPROC_SECONDS = 120


def citeproc(doc: dict, meta: dict) -> tuple[dict, str]:
    """(the document with its citations formatted, Pandoc's messages).
    `meta` is the citeproc metadata (bibliography, csl, lang, link-citations,
    nocite...), given as the document's own metadata: JSON input takes no -M."""
    doc = {**doc, "meta": {**doc.get("meta", {}), **{k: _meta(v) for k, v in meta.items()}}}
    out = _run(["--from=json", "--to=json", "--citeproc"], json.dumps(doc, ensure_ascii=False))
    return json.loads(out[0]), out[1]


def bibliography(path, fmt: str) -> list[dict]:
    """A bibliography file (biblatex, bibtex, csljson) as CSL JSON items."""
    return json.loads(_run([f"--from={fmt}", "--to=csljson", str(path)], "")[0] or "[]")


def mathml(formulas: list[tuple[str, bool]]) -> list[str]:
    """For each (TeX, display), "" when Pandoc's texmath turns it into
    MathML, else texmath's complaint ("unexpected control sequence \\foo"):
    Pandoc would leave that formula as TeX in the EPUB."""
    blocks = [{"t": "Para", "c": [{"t": "Math", "c": [{"t": "DisplayMath" if d else "InlineMath"}, tex]}]}
              for tex, d in formulas]
    doc = {"pandoc-api-version": [1, 23, 1, 1], "meta": {}, "blocks": blocks}
    html, stderr = _run(["--from=json", "--to=html5", "--mathml", "--wrap=none"], json.dumps(doc, ensure_ascii=False))
    why = iter(_complaints(stderr))
    return [next(why, "not TeX texmath can read") if 'class="math' in para else ""
            for para in html.split("</p>")[: len(formulas)]]


def _complaints(stderr: str) -> list[str]:
    """texmath's reason in each "Could not convert TeX math" warning, in order."""
    out = []
    for block in stderr.split("[WARNING] Could not convert TeX math")[1:]:
        lines = [line.strip() for line in block.splitlines()]
        out.append(next((line for line in lines if line.startswith("unexpected")), "not TeX texmath can read"))
    return out


def _run(args: list[str], text: str) -> tuple[str, str]:
    try:
        done = subprocess.run([path(), *args], input=text, capture_output=True, text=True,
                              timeout=CITEPROC_SECONDS)
    except subprocess.TimeoutExpired:
        raise PandocFailed(f"pandoc did not finish in {CITEPROC_SECONDS} s") from None
    if done.returncode != 0:
        lines = [line.strip() for line in done.stderr.strip().splitlines() if line.strip()]
        raise PandocFailed(" ".join(lines[:2]) or f"pandoc exited with {done.returncode}")
    return done.stdout, done.stderr


def _meta(value) -> dict:
    """A Python value as Pandoc metadata."""
    if isinstance(value, bool):
        return {"t": "MetaBool", "c": value}
    if isinstance(value, (list, tuple)):
        return {"t": "MetaList", "c": [_meta(v) for v in value]}
    return {"t": "MetaString", "c": str(value)}
