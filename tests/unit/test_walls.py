"""The walls of docs/architecture.md, kept: the import-linter contracts in
pyproject.toml hold for the code, and each of them bites when a forbidden
import is planted in the import graph (so a contract that can never fail
is caught too)."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import grimp
import pytest
from importlinter.api import read_configuration
from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.contracts.layers import LayersContract
from importlinter.contracts.protected import ProtectedContract

from tests.conftest import ROOT

PYPROJECT = ROOT / "pyproject.toml"
TYPES = {"layers": LayersContract, "forbidden": ForbiddenContract, "protected": ProtectedContract}


def test_the_contracts_hold():
    """What a developer runs: `lint-imports`, on this checkout's pipeline."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([str(Path(sys.executable).with_name("lint-imports")), "--no-cache",
                           "--config", str(PYPROJECT)], cwd=ROOT, env=env, capture_output=True, text=True)
    report = done.stdout[done.stdout.find("Contracts"):]
    assert done.returncode == 0, report + done.stderr


@lru_cache(maxsize=None)
def _graph() -> grimp.ImportGraph:
    return grimp.build_graph("pipeline", cache_dir=None)


@lru_cache(maxsize=None)
def _contracts() -> dict:
    config = read_configuration(str(PYPROJECT))
    return {c["id"]: TYPES[c["type"]](name=c["name"], session_options=config["session_options"],
                                     contract_options=c)
            for c in config["contracts_options"]}


def _broken(plant) -> set[str]:
    """Ids of the contracts broken once `plant(graph)` has changed a copy of the graph."""
    broken = set()
    for ident, contract in _contracts().items():
        graph = copy.deepcopy(_graph())
        plant(graph)
        if not contract.check(graph, verbose=False).kept:
            broken.add(ident)
    return broken


def test_the_pipeline_is_the_one_analysed():
    import pipeline

    assert Path(pipeline.__file__).resolve().parent == ROOT / "pipeline"
    assert "pipeline.text.words" in _graph().modules and "pipeline.model" in _graph().modules


# (importer, imported): the contracts that must refuse it. The first rows
# are the breaches the walls were built against (issue 18).
BREACHES = [
    ("pipeline.render.epub.documents", "pipeline.transforms.abbreviations", {"render"}),
    ("pipeline.render.pdf.notes", "pipeline.resolve.html", {"render"}),
    ("pipeline.registers", "pipeline.resolve.names", {"flow"}),
    ("pipeline.diff.inputs", "pipeline.build", {"flow", "tools"}),
    ("pipeline.preflight.fonts", "pipeline.build", {"flow", "tools"}),
    ("pipeline.names.suggest", "pipeline.read", {"tools"}),
    ("pipeline.transforms.notes", "pipeline.render.epub", {"flow"}),
    ("pipeline.read", "pipeline.transforms.chapter", {"flow"}),
    ("pipeline.resolve.lint", "pipeline.chapters", {"flow"}),
    ("pipeline.chapters", "pipeline.resolve.html", {"flow"}),
    ("pipeline.model", "pipeline.registers", {"flow", "render"}),     # render imports the model
    ("pipeline.text.ast", "pipeline.read", {"flow", "tools"}),         # names imports the AST helpers
    ("pipeline.snapshot", "pipeline.diff.parts", {"flow"}),
    ("pipeline.diff.parts", "pipeline.names.suggest", {"flow"}),
    ("pipeline.snapshot", "pipeline.render.epub", {"tools"}),
    ("pipeline.render.pdf.html", "pipeline.render.epub.documents", {"render-formats"}),
    ("pipeline.importer.source", "pipeline.manuscript", {"importer-imports"}),
    ("pipeline.importer.emit", "pipeline.render.text", {"importer-imports"}),
    ("pipeline.build", "pipeline.importer.assemble", {"flow", "importer-beside"}),
    ("pipeline.cli.build", "pipeline.importer.glyphs", {"importer-beside"}),
    ("pipeline.render.epub", "pipeline.importer.glyphs", {"flow", "importer-beside"}),
]


@pytest.mark.parametrize("importer, imported, refused_by", BREACHES, ids=[f"{a}->{b}" for a, b, _ in BREACHES])
def test_a_planted_breach_is_refused(importer, imported, refused_by):
    graph = _graph()
    assert importer in graph.modules and imported in graph.modules
    assert _broken(lambda g: g.add_import(importer=importer, imported=imported, line_number=1,
                                          line_contents=f"import {imported}")) == refused_by


def test_every_contract_can_fail():
    assert set().union(*(refused for _, _, refused in BREACHES)) == set(_contracts())


def test_a_new_module_needs_a_place_in_the_layers():
    assert _broken(lambda g: g.add_module("pipeline.newcomer")) == {"flow"}
    assert _broken(lambda g: g.add_module("pipeline.render.newcomer")) == {"render-formats"}
