"""The EPUB in a real reading engine: foliate-js in headless Chromium
(tools/reader/harness.mjs), and the verdict on what it reports.

    python -m tests.reading BOOK.epub [BOOK.pdf] [-o output/reports/reading]

(`make reading`) writes the engine's report.json and screenshots there and
prints every problem found; exit status 1 when there is one. The tests in
tests/integration/test_reading_engine.py and tests/book/test_reading_book.py
run the same harness and assert on the same verdicts.

Print pages: a page-list entry must land where the print page begins: the
words the engine shows from the page's marker on are the words the PDF page
begins with (its running head and folio left out; a word hyphenated across
the page break counts on the page before, as the marker then stands after
it). Compared by letters only, so that the two outputs' spacing, note calls
and punctuation do not count.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
READER = ROOT / "tools" / "reader"
HARNESS = READER / "harness.mjs"
FACE = "EB Garamond"                      # the face the EPUB embeds (render/epub/fonts.py)
HYPHENS = ("-", "\u2010", "\u00ad")
COMPARED = 30                             # letters compared at a page's start
PAGE_SAMPLE = 40


def available() -> str | None:
    """Why the reader cannot run here, or None."""
    if not (READER / "node_modules" / "foliate-js").is_dir():
        return "tools/reader is not installed (make setup)"
    if not Path("/usr/bin/chromium").exists():
        return "no /usr/bin/chromium"
    return None


def run(epub: Path, out: Path, pages=(), timeout: int = 600, **plan) -> dict:
    """The harness's report on `epub`; screenshots are written into `out`.
    `plan`: modes, notes, index_links, index_xrefs, glossary_links (how many
    of each to follow; harness.mjs has the defaults)."""
    out.mkdir(parents=True, exist_ok=True)
    plan_file = out / "plan.json"
    plan_file.write_text(json.dumps({"pages": [str(p) for p in pages], **plan}), "utf-8")
    done = subprocess.run(["node", str(HARNESS), "--epub", str(epub), "--out", str(out), "--plan", str(plan_file)],
                          capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"the reading harness failed: {done.stderr.strip()[-2000:]}")
    return json.loads((out / "report.json").read_text("utf-8"))


def page_labels(epub: Path) -> list[str]:
    """The print pages the EPUB's page-list names, in order."""
    import zipfile

    with zipfile.ZipFile(epub) as zf:
        nav = next(zf.read(n).decode() for n in zf.namelist() if n.endswith("nav.xhtml"))
    block = re.search(r'<nav[^>]*epub:type="page-list".*?</nav>', nav, re.S)
    return [unescape(m) for m in re.findall(r"<a [^>]*>([^<]+)</a>", block.group(0))] if block else []


def sample_pages(labels: list[str], n: int = PAGE_SAMPLE, seed: int = 21) -> list[str]:
    """`n` pages spread over the book: one drawn from each of n equal stretches."""
    if len(labels) <= n:
        return list(labels)
    rng = random.Random(seed)
    step = len(labels) / n
    return [labels[int(i * step) + rng.randrange(max(1, int(step)))] for i in range(n)]


# -- the PDF side -------------------------------------------------------------------

@dataclass(frozen=True)
class PdfPage:
    words: list[str]            # the page's words, running head and folio left out
    continues: bool             # the page before ends inside a word (hyphenated)


def pdf_page(pdf: Path, page: int) -> PdfPage:
    return PdfPage(_body_words(pdf, page), _ends_in_hyphen(pdf, page - 1))


def pdf_pages(pdf: Path) -> dict[int, PdfPage]:
    """Every page of the PDF, read in one pdftotext run (the whole book's check)."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    lines = {n: _parsed(chunk) for n, chunk in enumerate(xml.split("<page ")[1:], 1)}
    return {n: PdfPage(_body_of(lines[n], n), _hyphen_ends(lines.get(n - 1, []), n - 1)) for n in lines}


def _lines(pdf: Path, page: int) -> list[tuple[float, list[str]]]:
    """(top, words) of each line pdftotext finds, in its reading order."""
    if page < 1:
        return []
    xml = subprocess.run(["pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         capture_output=True, text=True).stdout
    return _parsed(xml)


def _parsed(xml: str) -> list[tuple[float, list[str]]]:
    return [(float(m[1]), [unescape(w) for w in re.findall(r"<word [^>]*>([^<]*)</word>", m[2])])
            for m in re.finditer(r'<line xMin="[\d.]+" yMin="([\d.]+)"[^>]*>(.*?)</line>', xml, re.S)]


def _body_words(pdf: Path, page: int) -> list[str]:
    return _body_of(_lines(pdf, page), page)


def _body_of(lines: list[tuple[float, list[str]]], page: int) -> list[str]:
    """The running head shares its line with the folio: the lines as high as
    a word that is the page's number are furniture."""
    folio = [top for top, words in lines if str(page) in words]
    head = min(folio) if folio and min(folio) <= min(top for top, _ in lines) + 1 else None
    return [w for top, words in lines if head is None or abs(top - head) > 2 for w in words]


def _ends_in_hyphen(pdf: Path, page: int) -> bool:
    return _hyphen_ends(_lines(pdf, page), page)


def _hyphen_ends(lines: list[tuple[float, list[str]]], page: int) -> bool:
    words = [w for _, line in lines for w in line]
    body = [w for w in words if w != str(page)]
    return bool(body) and body[-1].endswith(HYPHENS) and len(body[-1]) > 1


def letters(text: str) -> str:
    return re.sub(r"[\W\d_]", "", text).lower()


def _unpaged(words: list[str]) -> list[str]:
    """Without "p."/"pp.": the EPUB's index writes "p. 45" where print writes "45"."""
    return [w for w in words if w.lower().strip(",;") not in ("p.", "pp.")]


def lands_on_print_page(engine_text: str, page: PdfPage, at_start: bool = False) -> bool:
    """The engine's words from the marker on are the PDF page's first words.
    A marker at a document's very start (before its title) is compared by
    the title's first two words: what follows may be the EPUB's own (the
    index's headnote)."""
    shown_words = _unpaged(engine_text.split())
    shown = letters(" ".join(shown_words[:2] if at_start else shown_words))[:COMPARED]
    body = _unpaged(page.words)
    starts = [letters(" ".join(body))]
    if page.continues and body:
        starts.append(letters(" ".join(body[1:])))   # the marker stands after the hyphenated word
    return bool(shown) and any(s.startswith(shown) or (len(s) < len(shown) and shown.startswith(s) and s)
                               for s in starts)


# -- the verdict ---------------------------------------------------------------------

@dataclass
class Verdict:
    problems: list[tuple[str, str]] = field(default_factory=list)   # (check, what is wrong)
    counts: dict = field(default_factory=dict)

    def fail(self, check: str, text: str) -> None:
        self.problems.append((check, text))

    def of(self, check: str) -> list[str]:
        """The problems one check found: opens, overflow, cut, face, page-list, notes, links."""
        return [text for c, text in self.problems if c == check]


def judge(report: dict, pdf: Path | None = None, face: str = FACE) -> Verdict:
    """Every problem the engine's report shows, one line each."""
    v = Verdict()
    for mode in report["modes"]:
        _documents(v, mode, face)
        if "pageList" in mode:
            _page_list(v, mode, pdf)
        if "notes" in mode:
            _notes(v, mode)
        if "links" in mode:
            _links(v, mode)
    errors = [e for e in report.get("errors", []) if e["kind"] != "warn"]
    v.counts["engine errors (recorded, not failed on)"] = sum(e["count"] for e in errors)
    return v


def _documents(v: Verdict, mode: dict, face: str) -> None:
    name = mode["name"]
    for doc in mode["documents"]:
        where = f"{name}: {doc['name']}"
        if doc.get("error"):
            v.fail("opens", f"{where}: {doc['error']}")
            continue
        if not doc.get("relocated") or (doc.get("pages") is not None and doc["pages"] < 1):
            v.fail("opens", f"{where}: does not open or paginate (pages {doc.get('pages')})")
        if not doc.get("startsAtStart"):
            v.fail("opens", f"{where}: the first page shown is not the document's start ({doc.get('firstText')!r})")
        if not doc.get("endShown"):
            v.fail("opens", f"{where}: the last page does not show the document's end ({doc.get('lastText')!r})")
        overflow = doc["overflow"]
        for el in overflow["elements"]:
            v.fail("overflow", f"{where}: <{el['tag']}> {el['id'] or ''} {el['class'] or ''} overflows the page by {el['by']} px")
        if overflow.get("scrollOverflow", 0) > 1:
            v.fail("overflow", f"{where}: scrolls sideways by {overflow['scrollOverflow']} px")
        for el in doc["cut"]["problems"]:
            v.fail("cut", f"{where}: <{el['tag']}> {el['id'] or ''} {el['cut']}")
        if "fonts" in doc:
            _fonts(v, where, doc["fonts"], face)
    v.counts[f"{name} documents"] = len(mode["documents"])


def _fonts(v: Verdict, where: str, fonts: dict, face: str) -> None:
    declared = [f for f in fonts["faces"] if f["family"] == face]
    if not declared:
        v.fail("face", f"{where}: no @font-face for {face}")
    for f in declared:
        if f["status"] == "error":
            v.fail("face", f"{where}: {face} {f['style']} {f['weight']} failed to load")
    for probe in fonts["probes"]:
        used = probe.get("platform") or []
        drawn = [p for p in used if p["glyphCount"] > 0]
        if probe["family"] != face:
            v.fail("face", f"{where}: <{probe['tag']}> asks for {probe['family']}, not {face}")
        elif not drawn or any(not p["isCustomFont"] or face not in p["familyName"] for p in drawn):
            faces = ", ".join(f"{p['familyName']}{' (embedded)' if p['isCustomFont'] else ' (system)'}"
                              for p in drawn)
            v.fail("face", f"{where}: <{probe['tag']}> {probe['text'][:30]!r} drawn with {faces or 'nothing'}, "
                   f"not the embedded {face}")


def _page_list(v: Verdict, mode: dict, pdf: Path | None) -> None:
    where = mode["name"]
    pages = mode["pageList"]["pages"]
    landed = 0
    for p in pages:
        label = p["label"]
        if p.get("error") or not p.get("href"):
            v.fail("page-list", f"{where}: page {label}: {p.get('error') or 'not in the page-list'}")
            continue
        if not (p.get("found") and p.get("visible")):
            v.fail("page-list", f"{where}: page {label}: the marker is not on the page shown after going to it")
            continue
        if pdf is not None and label.isdigit():
            print_page = pdf_page(pdf, int(label))
            if not lands_on_print_page(p["text"], print_page, p.get("atStart", False)):
                v.fail("page-list", f"{where}: page {label} shows {p['text'][:60]!r}, the PDF page begins "
                       f"{' '.join(print_page.words[:10])!r}")
                continue
        landed += 1
    v.counts[f"{where} print pages landed"] = f"{landed}/{len(pages)}"


def _notes(v: Verdict, mode: dict) -> None:
    for n in mode["notes"]:
        where = f"{mode['name']}: note {n['ref']} in {n['document']}"
        if n.get("error"):
            v.fail("notes", f"{where}: {n['error']}")
            continue
        if n.get("type") not in ("endnote", "footnote"):
            v.fail("notes", f"{where}: the engine did not take it for a note (type {n.get('type')})")
        if not n.get("popupOnScreen"):
            v.fail("notes", f"{where}: the pop-up is not on the screen")
        if not n.get("noteText") or _squash(n["popupText"])[:100] != _squash(n["noteText"])[:100]:
            v.fail("notes", f"{where}: the pop-up shows {n.get('popupText', '')[:50]!r}, the note is {n.get('noteText', '')[:50]!r}")
        if not n.get("backVisible"):
            v.fail("notes", f"{where}: the note's back-link ({n.get('backHref')}) does not bring the reference back")
    v.counts["notes opened"] = len(mode["notes"])


def _links(v: Verdict, mode: dict) -> None:
    for link in mode["links"]:
        where = f"{mode['name']}: {link['kind']} link {link['label']!r} in {link['from']} -> {link['href']}"
        if link.get("error"):
            v.fail("links", f"{where}: {link['error']}")
        elif not (link.get("visible") or link.get("popup")):
            v.fail("links", f"{where}: the target is not on the page shown")
        elif link["kind"] == "locator":
            page = re.match(r"\D*(\d+)", link["label"])
            if page and link.get("pageBefore") and page.group(1) != link["pageBefore"]:
                v.fail("links", f"{where}: lands on print page {link['pageBefore']}")
        elif link["kind"] == "glossary" and letters(link.get("targetText", "")) != letters(link["label"]):
            v.fail("links", f"{where}: lands on {link.get('targetText')!r}")
    kinds = {}
    for link in mode["links"]:
        kinds[link["kind"]] = kinds.get(link["kind"], 0) + 1
    v.counts.update({f"{k} links followed": n for k, n in kinds.items()})


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


# -- make reading --------------------------------------------------------------------

def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.reading", description=__doc__.split("\n\n")[0])
    parser.add_argument("epub", type=Path)
    parser.add_argument("pdf", type=Path, nargs="?")
    parser.add_argument("-o", "--out", type=Path, default=ROOT / "output" / "reports" / "reading")
    args = parser.parse_args(argv)
    why = available()
    if why:
        print(f"reading: {why}", file=sys.stderr)
        return 2
    started = time.monotonic()
    pages = sample_pages(page_labels(args.epub)) if args.pdf else []
    report = run(args.epub, args.out, pages)
    verdict = judge(report, args.pdf)
    for check, line in verdict.problems:
        print(f"{check}: {line}")
    for name, count in verdict.counts.items():
        print(f"{name}: {count}")
    print(f"reading: {len(verdict.problems)} problem(s); report and screenshots in {args.out} "
          f"({time.monotonic() - started:.0f} s)")
    return 1 if verdict.problems else 0


if __name__ == "__main__":
    sys.exit(main())
