"""Cold builds of the real book by two or more checkouts of the code, taken
in turns (issue 20: what the hold costs against the code before it). A
script, not a test:

    .venv/bin/python benchmarks/bench_codes.py OLD_TREE NEW_TREE hold-off:NEW_TREE [--rounds 2] [--footnotes]

Each build is `python -m pipeline build` with the tree first on the path,
or, for a tree given as `hold-off:TREE`, the same with issue 20's hold
switched off (`hold_off.py`: the hold's own cost, apart from what came
later),
on a copy of this checkout's manuscript (book.yaml's notes.print set to
footnotes with --footnotes), into an empty output folder (no cache).
The order turns by one tree each round. Prints, per build, the wall time and the CPU time (user + sys) of its whole
process tree (the workers are waited for: RUSAGE_CHILDREN), then the
medians. CPU time is the figure to trust on a shared machine.
"""

from __future__ import annotations

import argparse
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
HOLD_OFF = "hold-off:"   # a tree so named is built by hold_off.py, the hold switched off


def command(tree: str) -> tuple[Path, list[str]]:
    """(the tree, how to start its build): `python -m pipeline`, or hold_off.py."""
    if tree.startswith(HOLD_OFF):
        return Path(tree[len(HOLD_OFF):]).resolve(), [str(ROOT / "benchmarks" / "hold_off.py")]
    return Path(tree).resolve(), ["-m", "pipeline"]


def cold_build(spec: str, ms: Path, out: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of one cold build by the code in the tree `spec` names."""
    tree, start_build = command(spec)
    shutil.rmtree(out, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, *start_build, "build", str(ms), "-o", str(out), "-q"], check=True,
                   cwd=tree, env={**os.environ, "PYTHONPATH": str(tree)}, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def manuscript(work: Path, footnotes: bool) -> Path:
    ms = shutil.copytree(ROOT / "manuscript", work / "ms")
    if footnotes:
        yaml = ms / "book.yaml"
        text = yaml.read_text("utf-8")
        assert "print: endnotes" in text
        yaml.write_text(text.replace("print: endnotes", "print: footnotes", 1), "utf-8")
    return ms


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trees", nargs="+", help=f"checkouts of the code; {HOLD_OFF}TREE: that one, hold off")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--footnotes", action="store_true")
    parser.add_argument("--keep", type=Path, help="leave each tree's last outputs under this folder")
    args = parser.parse_args(argv)
    figures: dict[str, list[tuple[float, float]]] = {t: [] for t in args.trees}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        ms = manuscript(work, args.footnotes)
        for n in range(args.rounds):
            # each round starts one tree later, so no tree always follows the same one
            turn = n % len(args.trees)
            for i, tree in [*enumerate(args.trees)][turn:] + [*enumerate(args.trees)][:turn]:
                out = (args.keep / f"tree{i}") if args.keep else work / f"out{i}"
                wall, cpu = cold_build(tree, ms, out)
                figures[tree].append((wall, cpu))
                print(f"round {n + 1} {tree}: wall {wall:.1f} s, CPU {cpu:.1f} s", flush=True)
    base = statistics.median(c for _, c in figures[args.trees[0]])
    for tree, runs in figures.items():
        wall, cpu = statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)
        print(f"{tree}: median wall {wall:.1f} s, CPU {cpu:.1f} s ({cpu / base - 1:+.0%} CPU against the first)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
