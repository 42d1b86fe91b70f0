"""PDF/X identification: the XMP's pdfxid:GTS_PDFXVersion and an
OutputIntent (S /GTS_PDFX) carrying its ICC profile; title, author and
language set."""

from __future__ import annotations

from pathlib import Path

from pipeline.preflight import Finding, passed, problem

PDFXID = "{http://www.npes.org/pdfx/ns/id/}GTS_PDFXVersion"


def version(doc) -> str | None:
    try:
        return doc.open_metadata().get(PDFXID)
    except Exception:  # a PDF without XMP
        return None


def is_pdfx(doc) -> bool:
    return bool(version(doc))


def check(doc, required: bool, path: Path | None = None) -> list[Finding]:
    """`path`: the file, when not the book's PDF (the cover)."""
    ver = version(doc)
    if ver:
        found = [passed("PDF/X", f"XMP pdfxid:GTS_PDFXVersion {ver}, PDF {doc.pdf_version}"), _intent(doc, path)]
    elif required:
        found = [problem("PDF/X", "C012", path=path)]
    else:
        found = [passed("PDF/X", "not PDF/X: a proof/screen PDF")]
    return found + [_metadata(doc, path)]


def _intent(doc, path) -> Finding:
    intents = doc.Root.get("/OutputIntents") or []
    good = [i for i in intents if i.get("/S") == "/GTS_PDFX" and "/DestOutputProfile" in i]
    if not good:
        return problem("output intent", "C011", path=path)
    profile = good[0].DestOutputProfile
    return passed("output intent", f"{good[0].get('/OutputConditionIdentifier')} "
                                   f"(ICC, {int(profile.get('/N', 0))} components)")


def _metadata(doc, path) -> Finding:
    info = doc.docinfo
    missing = [k for k in ("/Title", "/Author") if not str(info.get(k, "")).strip()]
    if "/Lang" not in doc.Root:
        missing.append("/Lang")
    if missing:
        return problem("metadata", "C013", path=path, missing=", ".join(missing))
    return passed("metadata", f"{info.Title} · {info.Author} · {doc.Root.Lang}")
