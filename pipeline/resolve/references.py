"""The references entry: the works the book cites, as its style lists them.

Before: the book's `Bibliography` and its chapters (the keys each cites).
After: the XHTML of the list (citeproc's, sorted by the style in the
book's language: Unicode collation, as pipeline/collation.py sorts), each
entry's id `bib-<key>` (text/ids.py), which the citations link to; and a
B003 warning for each entry neither cited nor named by `nocite`.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.diagnostics import BuildError, Report
from pipeline.engines import pandoc
from pipeline.read.bibliography import Bibliography
from pipeline.read.citations import citation, failure
from pipeline.resolve.html import to_html
from pipeline.text.ids import citation_id


def cited(chapters) -> list[str]:
    """Every key the chapters cite, once, in order of first citation."""
    return list(dict.fromkeys(key for chapter in chapters for key in chapter.source.cited))


def check(bib: Bibliography, keys: list[str], report: Report) -> None:
    listed = set(keys) | set(bib.nocite)
    for key, (path, line) in bib.entries.items():
        if key not in listed:
            report.add("B003", path, line, key=key)


def html(bib: Bibliography, keys: list[str], api: tuple, cache_dir: Path | None) -> str:
    """The list of the works cited (and those `nocite` names), as XHTML."""
    wanted = list(dict.fromkeys([*keys, *bib.nocite]))
    if not wanted:
        return ""
    doc = {"pandoc-api-version": list(api), "meta": {},
           "blocks": [{"t": "Para", "c": [citation(wanted)]}]}
    try:
        done, _ = pandoc.citeproc(doc, {**bib.meta(), "link-citations": False})
    except pandoc.PandocFailed as exc:   # no chapter of its own: the style's file, failing that
        raise BuildError(failure(bib.csl, 0, doc, bib, f"{exc} (listing the references)")) from None
    refs = [b for b in done["blocks"] if b["t"] == "Div" and b["c"][0][0] == "refs"]
    return to_html([[_ided(b) for b in refs]], tuple(api), cache_dir)[0]


def _ided(div: dict) -> dict:
    """citeproc's `refs` Div without its id, each entry's "ref-KEY" made `bib-<key>`."""
    (_, classes, attrs), entries = div["c"]
    fixed = []
    for entry in entries:
        if entry["t"] == "Div" and entry["c"][0][0].startswith("ref-"):
            ident, cls, kv = entry["c"][0]
            entry = {"t": "Div", "c": [[citation_id(ident.removeprefix("ref-")), cls, kv], entry["c"][1]]}
        fixed.append(entry)
    return {"t": "Div", "c": [["", classes, attrs], fixed]}
