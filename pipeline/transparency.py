"""What makes a PDF graphics state transparent, for PDF/X-1a (no stage imports).

A neutral module: the PDF renderer (render/pdf/pdfx1a.py) refuses what it
names, and `check pdf` (preflight/pdfx1a.py) reports it, by one rule.
"""

from __future__ import annotations

from pikepdf import Name


def transparent(state) -> str | None:
    """What an ExtGState dictionary makes transparent (an opacity below 1, a
    soft mask, a blend mode other than Normal), or None."""
    for key in ("/CA", "/ca"):
        if key in state and float(state[key]) < 1:
            return f"an opacity of {float(state[key]):g} ({key})"
    if "/SMask" in state and state.SMask != Name("/None"):
        return "a soft mask"
    if "/BM" in state and str(state.BM) not in ("/Normal", "/Compatible"):
        return f"a blend mode {state.BM}"
    return None
