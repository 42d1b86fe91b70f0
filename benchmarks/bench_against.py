"""Cold builds of the real book by this checkout's code and an older one's,
in turns, in both notes modes (issue 20: the cold build may grow by no more
than 10 % against the code before it). A script, not a test:

    .venv/bin/python benchmarks/bench_against.py OLD_CHECKOUT [--rounds 2] [--modes endnotes,footnotes]

Both builds run on copies of this checkout's manuscript (the footnote mode:
a twin whose book.yaml says `notes.print: footnotes`, as tests/book/conftest.py
makes it), each as `python -m pipeline build` in a fresh process with the
checkout's own code first on the path, into an empty output folder (no
cache). Per build: wall time and CPU time (user + sys of the build and all
its workers, from the children's rusage). The PDFs and EPUBs of the two
codes are compared too (`same`), since a speed-up that changes the book
is no speed-up. Prints each build and the medians' ratios.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable


def cold_build(code: Path, ms: Path, out: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of one cold build of `ms` by the code in `code`."""
    shutil.rmtree(out, ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(code)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([PY, "-m", "pipeline", "build", str(ms), "-o", str(out), "-q"], cwd=code, env=env,
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def twin(manuscript: Path, work: Path, mode: str) -> Path:
    ms = shutil.copytree(manuscript, work / f"ms-{mode}")
    yaml = ms / "book.yaml"
    text = yaml.read_text("utf-8")
    if mode == "footnotes":
        text = text.replace("  print: endnotes", "  print: footnotes", 1)
    if f"  print: {mode}" not in text:
        raise SystemExit(f"book.yaml's notes.print could not be set to {mode}")
    yaml.write_text(text, "utf-8")
    return ms


def same_outputs(a: Path, b: Path) -> bool:
    names = sorted(p.name for p in a.iterdir() if p.suffix in (".pdf", ".epub"))
    return bool(names) and all(filecmp.cmp(a / n, b / n, shallow=False) for n in names)


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("old", type=Path, help="a checkout of the older code (its pipeline/ and styles/)")
    parser.add_argument("--manuscript", type=Path, default=ROOT / "manuscript")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--modes", default="endnotes,footnotes")
    args = parser.parse_args(argv)
    codes = {"old": args.old.resolve(), "new": ROOT}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for mode in args.modes.split(","):
            ms = twin(args.manuscript, work, mode)
            runs: dict[str, list[tuple[float, float]]] = {"old": [], "new": []}
            for n in range(args.rounds):
                # in turns, the order swapped each round: the machine's drift weighs on both
                for side in (("old", "new") if n % 2 == 0 else ("new", "old")):
                    wall, cpu = cold_build(codes[side], ms, work / f"out-{mode}-{side}")
                    runs[side].append((wall, cpu))
                    print(f"{mode:9} round {n} {side}: wall {wall:7.2f} s  CPU {cpu:7.2f} s  (load {load()})",
                          flush=True)
            same = same_outputs(work / f"out-{mode}-old", work / f"out-{mode}-new")
            medians = {side: (statistics.median(w for w, _ in r), statistics.median(c for _, c in r))
                       for side, r in runs.items()}
            (ow, oc), (nw, nc) = medians["old"], medians["new"]
            print(f"{mode:9} medians: old wall {ow:.2f} CPU {oc:.2f}; new wall {nw:.2f} CPU {nc:.2f}; "
                  f"new/old wall {nw / ow:.3f} CPU {nc / oc:.3f}; outputs identical: {same}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
