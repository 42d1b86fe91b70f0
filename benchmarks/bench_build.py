"""Benchmark the build of the real book (issue 10). A script, not a test:

    .venv/bin/python benchmarks/bench_build.py [--manuscript manuscript]

Measures, in one run on this machine: the cold full build (EPUB + PDF), the
EPUB-only build, a no-op rebuild, a rebuild after editing one paragraph of
one chapter, and the peak RSS of the whole process tree; and the baselines:
one plain single-process WeasyPrint render of the book's final HTML, and
Pandoc's own EPUB of the same Markdown files. Prints every figure and the
ratios the issue sets as targets.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
TARGETS = {"cold / plain render": 0.6, "epub / pandoc epub": 1.0, "no-op (s)": 1.0,
           "one-chapter edit / cold": 0.25, "peak RSS (GB)": 1.0}


def timed(cmd: list[str], cwd: Path = ROOT) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def build(ms: Path, out: Path, formats: str = "epub,pdf") -> float:
    return timed([PY, "-m", "pipeline", "build", str(ms), "-o", str(out), "--format", formats, "-q"])


def children_peak_rss_gb() -> float:
    """Largest RSS of any finished child process (ru_maxrss is per process, in KiB)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 ** 2


def plain_render(ms: Path, work: Path) -> float:
    """One WeasyPrint render of the book's final HTML, as a plain user would."""
    script = f"""
import time
from pathlib import Path
from pipeline.build import load_book, STYLES
from pipeline.diagnostics import Report
from pipeline.render.pdf.html import build_html
import weasyprint
book = load_book(Path({str(ms)!r}), None, Report())
html = build_html(book)
Path({str(work / 'book.html')!r}).write_text(html, 'utf-8')
css = [weasyprint.CSS(filename=str(STYLES / 'print.css'))]
start = time.perf_counter()
weasyprint.HTML(string=html, base_url={str(ms)!r} + '/').write_pdf({str(work / 'plain.pdf')!r}, stylesheets=css)
print(time.perf_counter() - start)
"""
    out = subprocess.run([PY, "-c", script], cwd=ROOT, check=True, capture_output=True, text=True)
    return float(out.stdout.strip().splitlines()[-1])


def pandoc_epub(ms: Path, work: Path) -> float:
    import pypandoc
    import yaml

    cfg = yaml.safe_load((ms / "book.yaml").read_text("utf-8"))
    files = [str(ms / c["file"]) for c in cfg["contents"] if c.get("file")]
    return timed([pypandoc.get_pandoc_path(), "-f", "markdown", "-o", str(work / "pandoc.epub"), *files])


def edit_one_paragraph(ms: Path) -> None:
    chapter = sorted(ms.glob("05-*.md"))[0]
    text = chapter.read_text("utf-8")
    chapter.write_text(text.replace(" helado", " gélido", 1), "utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--manuscript", type=Path, default=ROOT / "manuscript")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        ms = shutil.copytree(args.manuscript, work / "ms")
        figures = {"cold full build (s)": build(ms, work / "out")}
        figures["no-op rebuild (s)"] = build(ms, work / "out")
        edit_one_paragraph(ms)
        figures["one-chapter edit (s)"] = build(ms, work / "out")
        figures["EPUB-only build, cold (s)"] = build(ms, work / "out-epub", "epub")
        figures["peak RSS (GB)"] = children_peak_rss_gb()
        figures["plain WeasyPrint render (s)"] = plain_render(ms, work)
        figures["Pandoc EPUB (s)"] = pandoc_epub(ms, work)
    ratios = {
        "cold / plain render": figures["cold full build (s)"] / figures["plain WeasyPrint render (s)"],
        "epub / pandoc epub": figures["EPUB-only build, cold (s)"] / figures["Pandoc EPUB (s)"],
        "no-op (s)": figures["no-op rebuild (s)"],
        "one-chapter edit / cold": figures["one-chapter edit (s)"] / figures["cold full build (s)"],
        "peak RSS (GB)": figures["peak RSS (GB)"],
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
