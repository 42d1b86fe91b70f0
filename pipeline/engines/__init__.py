"""Adapters: the only modules that reach inside the engines the pipeline drives.

One module per engine: `weasyprint` (WeasyPrint and pydyf), `pandoc`
(pypandoc), `ebooklib`, `ziamath` (TeX math drawn for print). The rest of the pipeline imports the engines from
here and never names their internals; tests/unit/test_engine_adapters.py
keeps both promises: every private name an adapter declares in its
`PRIVATE` still exists with the parameters written down, and no module
outside this package imports an engine or names one of those internals.

Kept free of imports: an EPUB build must not load the print engine, so each
adapter is imported on its own.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Private:
    """One name outside an engine's documented API that an adapter uses.

    `name` is dotted from the distribution's top module down to the
    attribute (`weasyprint.document.Page._page_box`); `params`, for a
    callable we call or replace, its parameters as inspect.signature names
    them; `why` says what it is needed for, `upstream` which issue or
    feature would let us drop it ("none filed" if none)."""

    name: str
    why: str
    upstream: str
    params: tuple[str, ...] | None = None
