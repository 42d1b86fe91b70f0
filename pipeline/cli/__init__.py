"""Command line: `python -m pipeline COMMAND ...`, one module per command."""

import argparse
import importlib
import sys

COMMANDS = {
    "build": "pipeline.cli.build",
    "import": "pipeline.cli.import_book",
    "check": "pipeline.cli.check",
}


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="python -m pipeline")
    sub = parser.add_subparsers(dest="command", required=True)
    modules = {name: importlib.import_module(path) for name, path in COMMANDS.items()}
    for name, module in modules.items():
        module.add_parser(sub)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors: keep that
        return int(exc.code or 0)
    return modules[args.command].run(args)
