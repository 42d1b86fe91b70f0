"""Property: any Markdown with notes, emphasis, lists and headings either
builds or fails with diagnostics — never a crash."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from pipeline.build import build
from pipeline.diagnostics import BuildError
from tests.conftest import FIXTURE, epubcheck

WORDS = st.sampled_from(["palabra", "CNT", "siglo XX", "¡sí!", "«cita»", "a_b", "*", "_", "[", "]", "`",
                         "—", "…", "::: ", "<b>", "&amp;", "#", "1.", "-", "\\", "ñandú", "V.", "~"])


@st.composite
def inline(draw, labels):
    parts = draw(st.lists(WORDS, min_size=1, max_size=8))
    if draw(st.booleans()):
        parts.insert(0, "*" + parts.pop(0) + "*")
    if labels and draw(st.booleans()):
        parts.append(f"[^{draw(st.sampled_from(labels))}]")
    return " ".join(parts)


@st.composite
def markdown(draw):
    labels = draw(st.lists(st.sampled_from(["1", "2", "3*", "x"]), max_size=3, unique=True))
    blocks = [f"# {draw(inline([]))}"]
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["para", "list", "heading", "quote", "break"]))
        text = draw(inline(labels))
        blocks.append({"para": text, "list": f"- {text}\n    - {text}", "heading": f"## {text}",
                       "quote": f"> {text}", "break": "* * *"}[kind])
    defs = [f"[^{label}]: {draw(inline([]))}" for label in labels if draw(st.integers(0, 4))]
    return "\n\n".join(blocks + defs) + "\n"


def build_text(text: str, folder: Path):
    ms = shutil.copytree(FIXTURE, folder / "ms")
    (ms / "03-capitulo-dos.md").write_text(text, "utf-8")
    return build(ms, folder / "out", formats=["epub"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markdown())
def test_never_crashes(text):
    with tempfile.TemporaryDirectory() as tmp:
        try:
            build_text(text, Path(tmp))
        except BuildError as exc:
            assert exc.report.items and all(str(d).count(": ") >= 1 for d in exc.report.items)


@settings(max_examples=3, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(markdown())
def test_built_epubs_pass_epubcheck(text):
    with tempfile.TemporaryDirectory() as tmp:
        try:
            result = build_text(text, Path(tmp))
        except BuildError:
            return
        assert epubcheck(result.outputs["epub"]) == []
