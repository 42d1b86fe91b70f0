"""Pandoc, through pypandoc: where its binary is, its version, and its messages.

The pipeline runs Pandoc itself (pypandoc.convert_text runs it twice more
each time, to list formats); what it takes from pypandoc is the binary
(pypandoc-binary), the version, and how pypandoc logs Pandoc's messages,
which it does through two private functions, declared in `PRIVATE`.
"""

from __future__ import annotations

import pypandoc
from pypandoc.handler import _check_log_handler

from pipeline.engines import Private

_LOGGING = "none filed: a public way to log Pandoc's stderr as convert_text does (both came with pypandoc#250)"
PRIVATE = (
    Private("pypandoc.handler._check_log_handler", "gives pypandoc's logger a console handler if it has none, "
            "as convert_text does before it logs", _LOGGING, ()),
    Private("pypandoc._classify_pandoc_logging", "Pandoc's stderr as (level, message), as convert_text logs it",
            _LOGGING, ("raw", "default_level")),
)


def version() -> str:
    return pypandoc.get_pandoc_version()


def path() -> str:
    return pypandoc.get_pandoc_path()


def log(stderr: str) -> None:
    """Pandoc's messages (its stderr) to pypandoc's logger, at their levels, as convert_text does."""
    _check_log_handler()
    for level, message in pypandoc._classify_pandoc_logging(stderr):
        pypandoc.logger.log(level, message)
