"""Benchmark the build of the real book (issue 10). A script, not a test:

    .venv/bin/python benchmarks/bench_build.py [--manuscript manuscript]

Measures, in one run on this machine: the cold full build (EPUB + PDF), the
EPUB-only build, a no-op rebuild, a rebuild after editing one paragraph of
one chapter, and the peak RSS of the whole process tree; and the baselines:
one plain single-process WeasyPrint render of the book's final HTML, and
Pandoc's own EPUB of the same Markdown files (these two short ones: the
median of three; the cold build and the plain render: the median of
`--rounds`, taken in turns). Prints every figure and the ratios the issue
sets as targets.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
TARGETS = {"cold / plain render": 0.6, "epub / pandoc epub": 1.0, "no-op (s)": 1.0,
           "one-chapter edit / cold": 0.25, "peak RSS (GB)": 1.0}


PEAK = {"rss": 0.0, "pss": 0.0}   # GB, the most the build's process tree held at once
PLAIN = {"pages": 0}              # pages of the plain render: it must set the book's pages


SAMPLE = 0.1        # seconds between samples of the tree's RSS
PSS_EVERY = 10      # samples between two of its PSS: reading smaps_rollup locks
                    # each process's memory map, and at every sample it slowed
                    # the build it measured by a tenth


def timed(cmd: list[str], cwd: Path = ROOT) -> float:
    """Wall time of `cmd`, sampling its process tree's memory meanwhile
    (the build lays units out in worker processes: their memory counts)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    n = 0
    while proc.poll() is None:
        tree = process_tree(proc.pid)
        PEAK["rss"] = max(PEAK["rss"], sum(_kib(Path(f"/proc/{p}/status"), "VmRSS:") for p in tree) / 1024 ** 2)
        if n % PSS_EVERY == 0:
            pss = sum(_kib(Path(f"/proc/{p}/smaps_rollup"), "Pss:") for p in tree) / 1024 ** 2
            PEAK["pss"] = max(PEAK["pss"], pss)
        n += 1
        time.sleep(SAMPLE)
    elapsed = time.perf_counter() - start
    if proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, cmd)
    return elapsed


def process_tree(root: int) -> set[int]:
    """`root` and its descendants, from /proc. Their RSS counts the pages
    forked workers share with the build once per process; PSS shares them
    out, so it is the memory the tree really holds."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
        except (OSError, ValueError, IndexError):
            continue
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, ppid in parents.items() if ppid in tree} - tree
        tree |= more
        grew = bool(more)
    return tree


def _kib(path: Path, label: str) -> int:
    try:
        for line in path.read_text().splitlines():
            if line.startswith(label):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def build(ms: Path, out: Path, formats: str = "epub,pdf") -> float:
    return timed([PY, "-m", "pipeline", "build", str(ms), "-o", str(out), "--format", formats, "-q"])


def plain_render(ms: Path, work: Path) -> float:
    """One WeasyPrint render of the book's final HTML, as a plain user would:
    the book's sheets (print.css and book.yaml's page size) with their
    fonts, one process, layout and PDF. Without the font configuration
    WeasyPrint ignores @font-face and sets 810 pages of DejaVu instead of
    the book's 610 of EB Garamond: not the same work."""
    script = f"""
import time
from pathlib import Path
import weasyprint
from weasyprint.text.fonts import FontConfiguration
from pipeline.build import load_book, STYLES
from pipeline.diagnostics import Report
from pipeline.render.pdf.html import build_html
from pipeline.render.pdf.layout import page_css
book = load_book(Path({str(ms)!r}), None, Report())
html = build_html(book)
Path({str(work / 'book.html')!r}).write_text(html, 'utf-8')
start = time.perf_counter()
fonts = FontConfiguration()
css = [weasyprint.CSS(filename=str(STYLES / 'print.css'), font_config=fonts),
       weasyprint.CSS(string=page_css(book.config), font_config=fonts)]
document = weasyprint.HTML(string=html, base_url={str(ms)!r} + '/').render(stylesheets=css, font_config=fonts)
document.write_pdf({str(work / 'plain.pdf')!r})
print(len(document.pages), time.perf_counter() - start)
"""
    out = subprocess.run([PY, "-c", script], cwd=ROOT, check=True, capture_output=True, text=True)
    pages, seconds = out.stdout.strip().splitlines()[-1].split()
    PLAIN["pages"] = int(pages)
    return float(seconds)


def pandoc_epub(ms: Path, work: Path) -> float:
    import pypandoc
    import yaml

    cfg = yaml.safe_load((ms / "book.yaml").read_text("utf-8"))
    files = [str(ms / c["file"]) for c in cfg["contents"] if c.get("file")]
    return timed([pypandoc.get_pandoc_path(), "-f", "markdown", "-o", str(work / "pandoc.epub"), *files])


def pdf_pages(path: Path) -> int:
    import pikepdf

    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def edit_one_paragraph(ms: Path) -> None:
    chapter = sorted(ms.glob("05-*.md"))[0]
    text = chapter.read_text("utf-8")
    chapter.write_text(text.replace(" helado", " gélido", 1), "utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--manuscript", type=Path, default=ROOT / "manuscript")
    parser.add_argument("--rounds", type=int, default=2,
                        help="cold builds and plain renders, taken in turns (the ratio uses their medians)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        ms = shutil.copytree(args.manuscript, work / "ms")
        # In turns, so that the machine's drift (this VM's speed moves by a
        # fifth within an hour) weighs on both sides of the ratio alike.
        cold, plain = [], []
        for n in range(args.rounds):
            cold.append(build(ms, work / f"out-{n}"))
            plain.append(plain_render(ms, work))
        figures = {"cold full build (s)": statistics.median(cold)}
        figures["no-op rebuild (s)"] = build(ms, work / "out-0")
        edit_one_paragraph(ms)
        figures["one-chapter edit (s)"] = build(ms, work / "out-0")
        figures["our PDF's pages"] = pdf_pages(next((work / "out-0").glob("*.pdf")))
        figures["peak RSS, process tree (GB)"] = PEAK["rss"]
        figures["peak PSS, process tree (GB)"] = PEAK["pss"]
        figures["plain WeasyPrint render (s)"] = statistics.median(plain)
        figures["plain render's pages"] = PLAIN["pages"]
        # A few seconds each: the median of three, taken in turns, so that a
        # hiccup of the machine does not decide the ratio.
        epub, pandoc = [], []
        for n in range(3):
            epub.append(build(ms, work / f"out-epub-{n}", "epub"))
            pandoc.append(pandoc_epub(ms, work))
        figures["EPUB-only build, cold (s)"] = statistics.median(epub)
        figures["Pandoc EPUB (s)"] = statistics.median(pandoc)
        print("cold builds (s):", " ".join(f"{t:.2f}" for t in cold),
              "  plain renders (s):", " ".join(f"{t:.2f}" for t in plain))
    ratios = {
        "cold / plain render": figures["cold full build (s)"] / figures["plain WeasyPrint render (s)"],
        "epub / pandoc epub": figures["EPUB-only build, cold (s)"] / figures["Pandoc EPUB (s)"],
        "no-op (s)": figures["no-op rebuild (s)"],
        "one-chapter edit / cold": figures["one-chapter edit (s)"] / figures["cold full build (s)"],
        "peak RSS (GB)": figures["peak RSS, process tree (GB)"],
    }
    for name, value in figures.items():
        print(f"{name:32} {value:8.2f}")
    print()
    for name, value in ratios.items():
        verdict = "met" if value <= TARGETS[name] else "NOT met"
        print(f"{name:32} {value:8.2f}  target ≤ {TARGETS[name]}  {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
