"""The venv holds exactly what requirements.lock names, and the lock agrees
with pyproject.toml: a build is reproducible only from a known set of packages."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata

from tests.conftest import ROOT

LOCK = ROOT / "requirements.lock"
# Put there by `python -m venv` itself, or by `pip install -e .` for the project.
NOT_LOCKED = {"pip", "setuptools", "wheel", "pipeline"}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lines) -> dict[str, str]:
    found = {}
    for line in lines:
        match = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", line)
        if match:
            found[canonical(match[1])] = match[2]
    return found


def locked() -> dict[str, str]:
    return pins(LOCK.read_text("utf-8").splitlines())


def test_every_locked_package_carries_hashes():
    text = LOCK.read_text("utf-8")
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
    assert len(blocks) == len(locked()) > 30
    assert all("--hash=sha256:" in block for block in blocks)


def test_installed_packages_are_exactly_the_lock():
    installed = {canonical(d.metadata["Name"]): d.version for d in metadata.distributions()}
    installed = {name: v for name, v in installed.items() if name not in NOT_LOCKED}
    lock = locked()
    assert installed == lock, (
        f"not in the lock: {sorted(set(installed) - set(lock))}; missing: {sorted(set(lock) - set(installed))}; "
        f"other version: {sorted(n for n in set(lock) & set(installed) if lock[n] != installed[n])}. Run `make setup`")


def test_lock_holds_pyproject_pins():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    direct = pins(project["dependencies"] + sum(project["optional-dependencies"].values(), []))
    lock = locked()
    assert direct and {name: lock.get(name) for name in direct} == direct, "run `make lock`"
