"""YAML files of a manuscript read with line numbers, validated by pydantic.

Every problem becomes a diagnostic naming the file and the line of the key
at fault, so an editor can go straight there.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import TypeAdapter, ValidationError

from pipeline.diagnostics import Report

# libyaml where PyYAML was built with it (its wheels are): the register of
# names is thousands of lines, parsed in a tenth of the pure-Python time.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(path: Path, schema, report: Report, code: str = "M004"):
    """Parse and validate `path` against `schema` (a model or a type); returns
    (value, node) or stops the build with every error found (`code`, a
    template of {key} and {detail}, says whose file it is)."""
    data, node = _parse(path, report)
    try:
        return TypeAdapter(schema).validate_python(data), node
    except ValidationError as exc:
        for err in exc.errors():
            key = ".".join(str(p) for p in err["loc"])
            report.add(code, path, line_of(node, err["loc"]), key=key or "(top)", detail=_explain(err))
        report.check()


def _parse(path: Path, report: Report):
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        report.add("M007", path, raw[: exc.start].count(b"\n") + 1, detail=exc.reason)
        report.check()
    try:
        value, node = _load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        report.add("M003", path, mark.line + 1 if mark else 1, detail=getattr(exc, "problem", None) or str(exc))
        report.check()
    shared = _alias(node)
    if shared is not None:
        report.add("M013", path, shared.start_mark.line + 1)
        report.check()
    return value, node


def _alias(node):
    """The first node reached twice (an alias of an anchor), else None.
    Nine aliases of nine aliases... make a few lines validate as millions
    of values ("billion laughs"); manuscripts have no need of them."""
    seen, stack = set(), [node] if node is not None else []
    while stack:
        item = stack.pop()
        if id(item) in seen:
            return item
        seen.add(id(item))
        if isinstance(item, yaml.SequenceNode):
            stack.extend(item.value)
        elif isinstance(item, yaml.MappingNode):
            stack.extend(v for pair in item.value for v in pair)
    return None


def _load(text: str):
    """(value, node): the document's node, for line numbers, and the value
    constructed from that very node (one parse)."""
    loader = LOADER(text)
    try:
        node = loader.get_single_node()
        return (loader.construct_document(node) if node is not None else None), node
    finally:
        loader.dispose()


def line_in(path: Path, loc) -> int:
    """The line of `loc` (keys and indexes) in a file that has already
    loaded cleanly: for problems found after loading, in a later stage."""
    return line_of(_load(path.read_text("utf-8"))[1], loc)


def _explain(err) -> str:
    if err["type"] == "extra_forbidden":
        return "unknown key"
    if err["type"] == "missing":
        return "required key is missing"
    if err["type"] in ("model_type", "dict_type"):   # pydantic would name its own class
        return f"a mapping (key: value) is expected, not {_kind(err['input'])}"
    if err["type"] == "list_type":
        return f"a list (- item) is expected, not {_kind(err['input'])}"
    return err["msg"].removeprefix("Value error, ")


def _kind(value) -> str:
    if value is None:
        return "nothing"
    return {str: "a text", int: "a number", float: "a number", bool: "true/false", list: "a list",
            dict: "a mapping"}.get(type(value), type(value).__name__)


def line_in(path: Path, loc) -> int:
    """The line of `loc` in a YAML file already validated (for messages of
    later stages, which keep values, not nodes)."""
    try:
        return line_of(_load(path.read_text("utf-8"))[1], loc)
    except (OSError, ValueError, yaml.YAMLError):   # changed since: the top is still the file
        return 1


def line_of(node, loc) -> int:
    """The line of the deepest node on a validation error's path."""
    line = node.start_mark.line + 1 if node else 1
    for step in loc:
        node = _child(node, step)
        if node is None:
            break
        line = node.start_mark.line + 1
    return line


def _child(node, step):
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == step:
                return value if not isinstance(value, yaml.ScalarNode) or value.value else key
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
        return node.value[step]
    return None
