"""Benchmark the live preview on the real book (issue 23). A script, not a test:

    .venv/bin/python benchmarks/bench_preview.py [--manuscript manuscript] [--edits 3]

Starts `python -m pipeline preview` on a copy of the manuscript with an
empty output folder (its first build is cold), listens to the page's event
stream as a browser does, then edits one paragraph of chapter III several
times (a new word each time, so no edit is served from the cache) and
measures, for each edit, in the same run:

- save -> page updated: from writing the file to having the bytes of the
  picture of the changed page, as the page asks for it after the event
  that offers it: the page as its unit was laid out, while the build goes
  on (session `early`: the text block, without running head and folio,
  which come with the finished page), else the finished page;
- save -> build done: to the state of the finished build (every page);
- save -> recorded: to the state once the build's snapshot and freshness
  record are written, which the preview leaves until the pages are shown;
- the rebuild alone (the build the preview ran, to its outputs in place),
  as a ratio of the cold build the preview ran first; and the same with
  each build's snapshot and record added;
- the CPU time (user + sys) the preview's process and the workers it
  reaped spent from the save to the finished build (the diff and the
  page's pictures included), and the cold build's, so that a figure
  taken while other processes share the cores can be read.

The first edit is a warm-up, printed apart and not counted: the cold build
laid the chapter out in a worker process, so the preview's process lays it
out whole once and keeps it; from the next save on, it is laid out again
from the page the edit falls on (engines/weasyprint.py `keeping`).

Prints each figure, their medians and the issue's targets.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"save -> page updated (s)": 2.0, "rebuild / cold": 0.10}
WORDS = [" helado", " gélido", " glacial", " aterido", " yerto", " frío"]   # one paragraph's word, in turn


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--manuscript", type=Path, default=ROOT / "manuscript")
    parser.add_argument("--edits", type=int, default=3, help="one-paragraph edits measured (at most 4), "
                        "after one that is not (the chapter's first layout in the preview's process)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        ms = shutil.copytree(args.manuscript, Path(tmp) / "ms")
        proc = subprocess.Popen([sys.executable, "-m", "pipeline", "preview", str(ms), "-o", str(Path(tmp) / "out"),
                                 "--port", "0"], cwd=ROOT, stdout=subprocess.PIPE, text=True)
        try:
            return measure(proc.stdout.readline().split()[1], ms, min(args.edits, len(WORDS) - 2), proc.pid)
        finally:
            proc.terminate()
            proc.wait()


def measure(url: str, ms: Path, edits: int, pid: int) -> int:
    states = listen(url)
    start = time.perf_counter()
    first = recorded(states, wait(states, 1))
    cold, cold_after = first["timing"]["build"], first["timing"]["after"]
    print(f"cold build in the preview: {cold:.2f} s, then its snapshot and record {cold_after:.2f} s "
          f"({first['at'] - start:.2f} s to them, {cpu(pid):.2f} s CPU), {len(first['pages'])} pages; "
          f"load average {_load()}")
    rows = []
    for n in range(edits + 1):
        before = cpu(pid)
        row, shown = one_edit(url, states, ms, n)
        row["CPU save -> done (s)"] = cpu(pid) - before
        if n == 0:   # the cold build laid the chapter out in a worker: this save lays it out whole, and keeps it
            print(f"edit 0 (warm-up, the chapter laid out whole in the preview): " + _row(row) + f"; {shown}")
            continue
        rows.append({**row, "rebuild / cold": row["rebuild (s)"] / cold,
                     "with records / cold with": (row["rebuild (s)"] + row["snapshot + record (s)"])
                     / (cold + cold_after)})
        print(f"edit {n}: " + _row(rows[-1]) + f"; {shown}")
    print()
    print(f"load average at the end: {_load()}")
    print(f"{'cold build (s)':28} {cold:8.2f}")
    for name in rows[0]:
        value = statistics.median(r[name] for r in rows)
        target = TARGETS.get(name)
        verdict = "" if target is None else f"  target < {target}  {'met' if value < target else 'NOT met'}"
        print(f"{name:28} {value:8.2f}{verdict}")
    return 0


def one_edit(url: str, states: queue.Queue, ms: Path, n: int) -> tuple[dict, str]:
    """One save, then the states until its build ends: the changed page's
    picture fetched as soon as a state offers it (the unit's page while the
    build goes on, else the finished page)."""
    saved = edit(ms, WORDS[n], WORDS[n + 1])
    shown = None
    while True:
        state = next_state(states)
        if state.get("early") and shown is None:
            shown = picture(url, state["early"]["image"], f"p. {state['early']['page']} (laid out, early)")
            page_at = time.perf_counter()
        if state["generation"] >= n + 2 and not state["building"]:
            break
    done = time.perf_counter()
    if shown is None:
        change = next((c for c in state["changed"] if c["kind"] != "moved"), None)
        shown = "none changed" if change is None else picture(
            url, change["image"] or f"/page/{state['pages'][change['page'] - 1][0]}.png",
            f"p. {change['page']} ({change['kind']})")
        page_at = time.perf_counter()
    state = recorded(states, state)
    row = {"save -> page updated (s)": page_at - saved, "save -> build done (s)": done - saved,
           "save -> recorded (s)": state["at"] - saved,
           "rebuild (s)": state["timing"]["build"], "diff (s)": state["timing"].get("compare", 0),
           "snapshot + record (s)": state["timing"]["after"],
           "pages changed": len([c for c in state["changed"] if c["kind"] != "moved"])}
    return row, shown


def cpu(pid: int) -> float:
    """User + sys seconds of process `pid` and of the children it reaped (its
    forked workers, pdftoppm), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _row(row: dict) -> str:
    return ", ".join(f"{k} {v:.2f}" for k, v in row.items())


def edit(ms: Path, old: str, new: str) -> float:
    """One word of one paragraph of chapter III -> the time of the save."""
    chapter = sorted(ms.glob("05-*.md"))[0]
    text = chapter.read_text("utf-8")
    assert old in text, f"{old!r} is not in {chapter.name}"
    changed = text.replace(old, new, 1)
    saved = time.perf_counter()
    chapter.write_text(changed, "utf-8")
    return saved


def listen(url: str) -> queue.Queue:
    """The states of the page's event stream, as they come."""
    states: queue.Queue = queue.Queue()

    def read():
        with urllib.request.urlopen(url + "events") as stream:
            for line in stream:
                if line.startswith(b"data: "):
                    states.put(json.loads(line[6:]))
    threading.Thread(target=read, daemon=True).start()
    return states


def next_state(states: queue.Queue) -> dict:
    state = states.get(timeout=600)
    if state["errors"]:
        raise SystemExit("the build failed:\n" + "\n".join(state["errors"]))
    return state


def recorded(states: queue.Queue, state: dict) -> dict:
    """The state once the build's snapshot and freshness record are written
    (after its pages are shown: session `after`), stamped with when it came."""
    while "after" not in state["timing"]:
        state = next_state(states)
    return {**state, "at": time.perf_counter()}


def wait(states: queue.Queue, generation: int) -> dict:
    while True:
        state = next_state(states)
        if state["generation"] >= generation and not state["building"]:
            return state


def picture(url: str, path: str, what: str) -> str:
    """Fetch a page's picture, as the page asks for it."""
    with urllib.request.urlopen(url + path.lstrip("/")) as reply:
        return f"{what}, {len(reply.read()) // 1024} KB"


if __name__ == "__main__":
    raise SystemExit(main())
