"""The engines' internals are reached from pipeline/engines/ only, and are still there.

Each adapter declares the private names it uses in `PRIVATE`
(pipeline/engines/__init__.py). After an engine upgrade,
`test_every_private_name_still_exists` is the one place that fails, naming
each name that moved, why the adapter needs it and which upstream issue
would let it go.
"""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import pytest

from pipeline.engines import Private

ROOT = Path(__file__).resolve().parents[2] / "pipeline"
ENGINES = ROOT / "engines"
ADAPTERS = ("weasyprint", "pandoc", "ebooklib", "ziamath")
DISTRIBUTIONS = ("weasyprint", "pydyf", "pypandoc", "ebooklib", "ziamath", "ziafont", "latex2mathml")
MISSING = object()


def adapter(name: str):
    return importlib.import_module(f"pipeline.engines.{name}")


def declared() -> list[tuple[str, Private]]:
    return [(name, use) for name in ADAPTERS for use in adapter(name).PRIVATE]


def resolve(dotted: str):
    """The object a dotted name stands for; for an attribute of the engine's
    instances (the class or a base reads or sets `self.x`), the class
    stands in; MISSING if neither."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
            break
        except ImportError:
            continue
    for name in parts[cut:]:
        found = getattr(obj, name, MISSING)
        if found is MISSING and inspect.isclass(obj) and _uses(obj, name):
            found = obj  # an instance attribute: nothing more to resolve
        if found is MISSING:
            return MISSING
        obj = found
    return obj


def _uses(cls, name: str) -> bool:
    pattern = re.compile(rf"\bself\.{re.escape(name)}\b")
    return any(pattern.search(inspect.getsource(c)) for c in cls.__mro__ if c.__module__ != "builtins")


def problem(use: Private) -> str | None:
    obj = resolve(use.name)
    if obj is MISSING:
        return "gone"
    if use.params is not None:
        params = tuple(inspect.signature(obj).parameters)
        if params != use.params:
            return f"parameters now ({', '.join(params)}), written for ({', '.join(use.params)})"
    return None


def test_every_private_name_still_exists():
    found = [f"  {where}: {use.name}: {p}\n      needed for: {use.why}\n      would go with: {use.upstream}"
             for where, use in declared() if (p := problem(use))]
    assert not found, ("an engine no longer has what its adapter (pipeline/engines/<adapter>.py) uses; "
                       "mend the adapter and its PRIVATE:\n" + "\n".join(found))


def test_the_engine_is_the_one_the_mends_were_written_for():
    import pydyf
    import weasyprint

    engine = adapter("weasyprint")
    assert (weasyprint.__version__, pydyf.__version__) == (engine.WRITTEN_FOR, engine.PYDYF), (
        "pipeline/engines/weasyprint.py was written for another WeasyPrint or pydyf: check its mends and PRIVATE, "
        "then WRITTEN_FOR and PYDYF (requirements.lock pins both)")


@pytest.mark.parametrize("name", ADAPTERS)
def test_every_declaration_says_why_and_what_would_remove_it(name):
    for use in adapter(name).PRIVATE:
        assert use.why.strip() and use.upstream.strip(), use.name
        assert use.name.split(".")[0] in DISTRIBUTIONS, use.name


@pytest.mark.parametrize("name", ADAPTERS)
def test_an_adapter_declares_every_private_name_it_uses(name):
    """Underscore names the adapter reaches (`x._name`, `import _name`) are
    declared; and every declaration names something the adapter's code uses."""
    source = (ENGINES / f"{name}.py").read_text("utf-8")
    code = source.split("\nPRIVATE = (", 1)[0] + source.split("\n)\n", 1)[-1]   # the declarations left out
    own = set(re.findall(r"\.(_\w+)\s*=(?!=)", code))            # attributes we set on the engine's objects
    used = set(re.findall(r"\.(_[A-Za-z]\w*)", code)) | set(re.findall(r"import\s+(_\w+)", code))
    declared_ = {use.name.rsplit(".", 1)[-1] for use in adapter(name).PRIVATE}
    assert used - own - declared_ == set(), "private names used but not declared in PRIVATE"
    stale = {n for n in declared_ if not re.search(rf"\b{re.escape(n)}\b", code)}
    assert stale == set(), "declared in PRIVATE but no longer used"


def forbidden() -> list[re.Pattern]:
    """What may appear only in pipeline/engines/: an import of an engine, an
    underscore name an adapter declares (as `x._name`, a string, or a method
    overridden), a class an adapter declares. Lowercase attributes of the engines' objects
    (`children`, `text`) are too common a word to grep for: the objects
    carrying them are reached only through the adapters' functions."""
    imports = re.compile(rf"^\s*(?:from|import)\s+(?:{'|'.join(DISTRIBUTIONS)})\b", re.M)
    names = {use.name.rsplit(".", 1)[-1] for _, use in declared()}
    private = [re.compile(rf"[.\"']{re.escape(n)}\b") for n in sorted(names) if n.startswith("_")]
    private += [re.compile(rf"\bdef\s+{re.escape(use.name.rsplit('.', 1)[-1])}\b") for _, use in declared()
                if use.name.rsplit(".", 1)[-1].startswith("_") and inspect.isfunction(resolve(use.name))]
    classes = [re.compile(rf"\b{re.escape(n)}\b") for n in sorted(names) if n[0].isupper()]
    return [imports, re.compile(r"\bformatting_structure\b|\bweasyprint\.(?:layout|matrix|text|css)\b"),
            *private, *classes]


def test_no_private_engine_name_outside_the_adapters():
    patterns = forbidden()
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        if ENGINES in path.parents:
            continue
        text = path.read_text("utf-8")
        for pattern in patterns:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(ROOT.parent)}:{line}: {match.group(0).strip()}")
    assert not found, "engine internals outside pipeline/engines/ (go through an adapter):\n" + "\n".join(found)


def test_the_grep_would_see_one():
    """The scan is not blind: the code this issue moved away is caught."""
    samples = ["from weasyprint.formatting_structure import boxes", "page._page_box.children",
               "pypandoc._classify_pandoc_logging(stderr)", "    def _write_opf_file(self, root):",
               "isinstance(box, LineBox)", "import pydyf"]
    patterns = forbidden()
    assert all(any(p.search(s) for p in patterns) for s in samples)


def test_without_harfbuzz_subsetting_the_engine_is_refused(monkeypatch):
    """WeasyPrint's fallback subsetter stamps fonts with the build's time."""
    from pipeline.engines import weasyprint as adapter

    monkeypatch.setattr(adapter._ffi, "harfbuzz_subset", None)
    with pytest.raises(RuntimeError, match="libharfbuzz-subset is missing"):
        adapter.install()
