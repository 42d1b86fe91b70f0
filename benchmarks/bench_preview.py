"""Benchmark the live preview on the real book (issue 23). A script, not a test:

    .venv/bin/python benchmarks/bench_preview.py [--manuscript manuscript] [--edits 3]

Starts `python -m pipeline preview` on a copy of the manuscript with an
empty output folder (its first build is cold), listens to the page's event
stream as a browser does, then edits one paragraph of chapter III several
times (a new word each time, so no edit is served from the cache) and
measures, for each edit, in the same run:

- save -> page updated: from writing the file to having the bytes of the
  picture of the first changed page, as the page asks for it after the
  event that says what changed (the watcher's delay, the build, the diff,
  the event, drawing the picture);
- the rebuild alone (the build the preview ran), as a ratio of the cold
  build the preview ran first.

Prints each figure, their medians and the issue's targets.
"""

from __future__ import annotations

import argparse
import json
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
    parser.add_argument("--edits", type=int, default=3, help="one-paragraph edits measured (at most 5)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        ms = shutil.copytree(args.manuscript, Path(tmp) / "ms")
        proc = subprocess.Popen([sys.executable, "-m", "pipeline", "preview", str(ms), "-o", str(Path(tmp) / "out"),
                                 "--port", "0"], cwd=ROOT, stdout=subprocess.PIPE, text=True)
        try:
            return measure(proc.stdout.readline().split()[1], ms, min(args.edits, len(WORDS) - 1))
        finally:
            proc.terminate()
            proc.wait()


def measure(url: str, ms: Path, edits: int) -> int:
    states = listen(url)
    start = time.perf_counter()
    first = wait(states, 1)
    print(f"cold build in the preview: {first['timing']['build']:.2f} s "
          f"({time.perf_counter() - start:.2f} s to the first state), {len(first['pages'])} pages")
    cold = first["timing"]["build"]
    rows = []
    for n in range(edits):
        saved = edit(ms, WORDS[n], WORDS[n + 1])
        state = wait(states, n + 2)
        shown = time.perf_counter()
        image = picture(url, state)
        done = time.perf_counter()
        rows.append({"save -> event (s)": shown - saved, "save -> page updated (s)": done - saved,
                     "rebuild (s)": state["timing"]["build"], "diff (s)": state["timing"].get("compare", 0),
                     "rebuild / cold": state["timing"]["build"] / cold,
                     "pages changed": len([c for c in state["changed"] if c["kind"] != "moved"])})
        print(f"edit {n + 1}: " + ", ".join(f"{k} {v:.2f}" for k, v in rows[-1].items()) + f"; picture {image}")
    print()
    print(f"{'cold build (s)':28} {cold:8.2f}")
    for name in rows[0]:
        value = statistics.median(r[name] for r in rows)
        target = TARGETS.get(name)
        verdict = "" if target is None else f"  target < {target}  {'met' if value < target else 'NOT met'}"
        print(f"{name:28} {value:8.2f}{verdict}")
    return 0


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


def wait(states: queue.Queue, generation: int) -> dict:
    while True:
        state = states.get(timeout=600)
        if state["errors"]:
            raise SystemExit("the build failed:\n" + "\n".join(state["errors"]))
        if state["generation"] >= generation and not state["building"]:
            return state


def picture(url: str, state: dict) -> str:
    """Fetch what the page shows first: the first changed page's picture."""
    change = next((c for c in state["changed"] if c["kind"] != "moved"), None)
    if change is None:
        return "none changed"
    path = change["image"] or f"/page/{state['pages'][change['page'] - 1][0]}.png"
    with urllib.request.urlopen(url + path.lstrip("/")) as reply:
        return f"p. {change['page']} ({change['kind']}), {len(reply.read()) // 1024} KB"


if __name__ == "__main__":
    raise SystemExit(main())
