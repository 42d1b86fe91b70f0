"""Citations formatted as a chapter is read, by Pandoc's citeproc.

Before: a chapter's AST with Cite elements (`[@fimmen1924, p. 12]`,
`@fimmen1924 says`), the book's `Bibliography` (or None).
After: the AST with each citation's text in place: in a note style a Note
inside the Cite (the notes transform numbers it with the book's own notes),
in an author-date style the words in the text; when the book has a
references entry, the words link to `#bib-<key>` (a Link of class
"citation-link"). Also every Cite's first key with its line, in order.

One citeproc run per chapter: ibid. and short forms start afresh at each
chapter, as books print them. Cross-references (`@fig-crane`,
text/crossref.py) are Cites to Pandoc but no citations: they are held out of
citeproc and put back as they were. A key the bibliography lacks is B001 at
its line; a citation in a book without a bibliography B005; a bracket that
mixes a cross-reference and a citation (`[@fig-a; @smith2001]`) B006.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from pathlib import Path

from lxml import etree

from pipeline.diagnostics import BuildError, Report
from pipeline.engines import pandoc
from pipeline.read import bibliography
from pipeline.read.bibliography import Bibliography
from pipeline.read.labels import Site
from pipeline.text.crossref import is_crossref
from pipeline.text.ids import citation_id

HELD = "crossref-held"
BIBLIOGRAPHY_FAILED = re.compile(r"Error reading bibliography file (.+?):\s*Error in \$\[(\d+)\](?:\['([^']*)'\])?:?")
LINK = "citation-link"


def apply(path: Path, text: str, doc: dict, bib: Bibliography | None, cache_dir: Path | None,
          version: str) -> tuple[list, tuple[Site, ...], tuple[str, ...], list[str]]:
    """(blocks with citations formatted, a Site per Cite, every key cited
    in order, citeproc's warnings)."""
    cites = cite_elements(doc["blocks"])
    sites = _sites(text, cites)
    citing = [(c, s) for c, s in zip(cites, sites) if not all(map(is_crossref, _keys(c)))]
    if not citing:
        return doc["blocks"], sites, (), []
    _check(path, bib, citing)
    keys = tuple(k for c, _ in citing for k in _keys(c) if not is_crossref(k))
    held = [_hold(c) for c, _ in zip(cites, sites) if all(map(is_crossref, _keys(c)))]
    done, warnings = _citeproc(path, citing[0][1].line, doc, bib, cache_dir, version)
    return _finish(done["blocks"], held), sites, keys, warnings


def cite_elements(node) -> list[dict]:
    """Every Cite below `node`, in reading order (Cites do not nest)."""
    found: list[dict] = []

    def walk(n):
        if isinstance(n, list):
            for item in n:
                walk(item)
        elif isinstance(n, dict) and "t" in n:
            if n["t"] == "Cite":
                found.append(n)
            elif isinstance(n.get("c"), (list, dict)):
                walk(n["c"])

    walk(node)
    return found


def citation(keys) -> dict:
    """A Cite of `keys`, as Pandoc reads `[@a; @b]`."""
    return {"t": "Cite", "c": [[{"citationId": k, "citationPrefix": [], "citationSuffix": [],
                                 "citationMode": {"t": "NormalCitation"}, "citationNoteNum": 1,
                                 "citationHash": 0} for k in keys], []]}


def _keys(cite: dict) -> list[str]:
    return [c["citationId"] for c in cite["c"][0]]


def _sites(text: str, cites: list[dict]) -> tuple[Site, ...]:
    """Each Cite's first key with its line: the next `@key` in the text."""
    sites, at = [], 0
    for cite in cites:
        # the whole key: @smith is not the start of @smith2000 (Pandoc's keys
        # hold word characters and, between them, :.#$%&-+?<>~/)
        written = re.compile(rf"@\{{?{re.escape(_keys(cite)[0])}(?!\w)(?![:.#$%&+?<>~/-]\w)")
        found = written.search(text, at) or written.search(text)
        if found:
            at = found.end()
        sites.append(Site(_keys(cite)[0], text.count("\n", 0, found.start()) + 1 if found else 1))
    return tuple(sites)


def _check(path: Path, bib: Bibliography | None, citing) -> None:
    report = Report()
    for cite, site in citing:
        refs = [k for k in _keys(cite) if is_crossref(k)]
        if refs:   # citeproc would take the label for a work; which words the bracket wants is the author's call
            report.add("B006", path, site.line, ref=refs[0], key=next(k for k in _keys(cite) if not is_crossref(k)))
            continue
        for key in _keys(cite):
            if is_crossref(key):
                continue
            if bib is None:   # the first says it for the file: the others would say it again
                report.add("B005", path, site.line, key=key)
                raise BuildError(report)
            if key not in bib.entries:
                report.add("B001", path, site.line, key=key)
    report.check()


def _hold(cite: dict) -> dict:
    """A cross-reference out of citeproc's way: a Span that keeps the Cite."""
    original = {"t": cite["t"], "c": cite["c"]}
    cite["t"], cite["c"] = "Span", [["", [HELD], []], []]
    return original


def _citeproc(path: Path, line: int, doc: dict, bib: Bibliography, cache_dir: Path | None, version: str):
    text = json.dumps(doc, ensure_ascii=False, sort_keys=True)
    key = hashlib.sha256(f"{version}\0{bib.digest}\0{text}".encode()).hexdigest()
    cached = cache_dir / "cite" / f"{key}.json" if cache_dir else None
    if cached and cached.is_file():
        data = json.loads(cached.read_text("utf-8"))
        return data["doc"], data["warnings"]
    try:
        done, stderr = pandoc.citeproc(doc, bib.meta())
    except pandoc.PandocFailed as exc:
        raise BuildError(failure(path, line, doc, bib, str(exc))) from None
    warnings = [line.removeprefix("[WARNING]").strip() for line in stderr.splitlines() if line.startswith("[WARNING]")]
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}-{threading.get_ident()}.tmp")
        tmp.write_text(json.dumps({"doc": done, "warnings": warnings}, ensure_ascii=False), "utf-8")
        tmp.replace(cached)
    return done, warnings


def failure(path: Path, line: int, doc: dict, bib: Bibliography, message: str) -> Report:
    """Where citeproc's failure lies, looked for only once it has failed: an
    entry of a CSL JSON file it cannot decode (B002 at the entry: the JSON
    reader here takes any object with an id), else the style, tried alone on
    an empty document (B004 at the CSL file, at the line its XML breaks), else
    this chapter's citations (B004 at the first one's line)."""
    report = Report()
    found = BIBLIOGRAPHY_FAILED.search(message)
    file = next((p for p in bib.files if found and str(p) == found.group(1)), None)
    if file is not None:
        field = f" {found.group(3)}:" if found.group(3) else ""
        detail = f"citeproc:{field} {message[found.end():].strip()}"
        report.add("B002", file, bibliography.entry_line(file, int(found.group(2))), detail=detail)
        return report
    try:
        pandoc.citeproc({**doc, "blocks": [], "meta": {}}, {"csl": str(bib.csl), "lang": bib.lang})
    except pandoc.PandocFailed as style:
        report.add("B004", bib.csl, _xml_line(bib.csl), style=bib.csl.name, detail=str(style))
        return report
    report.add("B004", path, line, style=bib.csl.name, detail=message)
    return report


def _xml_line(path: Path) -> int:
    """The line where a style's XML stops being well formed (0: it is, the fault is CSL's)."""
    try:
        etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        return exc.lineno or 1
    return 0


def _finish(blocks: list, held: list[dict]) -> list:
    """citeproc's bibliography dropped (resolve makes the book's one), links
    pointed at `#bib-<key>`, cross-references put back."""
    blocks = [b for b in blocks if not (b.get("t") == "Div" and b["c"][0][0] == "refs")]
    spans = iter(held)

    def fix(n):
        if isinstance(n, list):
            for i, item in enumerate(n):
                if isinstance(item, dict) and item.get("t") == "Span" and HELD in item["c"][0][1]:
                    n[i] = next(spans)
                else:
                    fix(item)
        elif isinstance(n, dict) and "t" in n:
            if n["t"] == "Link" and n["c"][2][0].startswith("#ref-"):
                attr = n["c"][0]
                n["c"][0] = [attr[0], [*attr[1], LINK], attr[2]]
                n["c"][2] = [f"#{citation_id(n['c'][2][0].removeprefix('#ref-'))}", n["c"][2][1]]
            if isinstance(n.get("c"), (list, dict)):
                fix(n["c"])

    fix(blocks)
    return blocks
