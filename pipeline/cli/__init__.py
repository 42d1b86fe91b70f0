"""Command line: `python -m pipeline COMMAND ...`, one module per command.

Only the chosen command's module is imported: `check` should not pay for
loading WeasyPrint, and `--help` lists every command from the table below.
"""

from __future__ import annotations

import argparse
import importlib
import sys

COMMANDS = {
    "build": ("pipeline.cli.build", "build the EPUB and the PDF of a manuscript"),
    "check": ("pipeline.cli.check", "check a manuscript without building it"),
    "diff": ("pipeline.cli.diff", "what changed between two builds, in words and on the page"),
    "import": ("pipeline.cli.import_book", "import a book from text extracted from its printed PDF"),
    "validate": ("pipeline.cli.validate", "run EPUBCheck and Ace by DAISY on a built EPUB"),
    "preview": ("pipeline.cli.preview", "serve the book's pages and text, rebuilt on every save"),
    "names": ("pipeline.cli.names", "index of names: suggest the persons of a manuscript"),
}


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    chosen = argv[0] if argv and argv[0] in COMMANDS else None
    parser = argparse.ArgumentParser(prog="python -m pipeline")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    module = None
    for name, (path, help_text) in COMMANDS.items():
        if name == chosen:
            module = importlib.import_module(path)
            module.add_parser(sub)
        else:
            sub.add_parser(name, help=help_text)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help: keep that
        return int(exc.code or 0)
    return module.run(args)
