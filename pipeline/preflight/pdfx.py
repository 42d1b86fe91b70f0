"""PDF/X identification: the XMP's pdfxid:GTS_PDFXVersion and an
OutputIntent (S /GTS_PDFX) carrying its ICC profile; title, author and
language set."""

from __future__ import annotations

from pipeline.preflight import ERROR, OK, WARN, Finding

PDFXID = "{http://www.npes.org/pdfx/ns/id/}GTS_PDFXVersion"


def version(doc) -> str | None:
    try:
        return doc.open_metadata().get(PDFXID)
    except Exception:  # a PDF without XMP
        return None


def is_pdfx(doc) -> bool:
    return bool(version(doc))


def check(doc, required: bool) -> list[Finding]:
    found = []
    ver = version(doc)
    intents = doc.Root.get("/OutputIntents")
    if ver:
        found.append(Finding("PDF/X", OK, f"XMP pdfxid:GTS_PDFXVersion {ver}, PDF {doc.pdf_version}"))
        good = [i for i in (intents or []) if i.get("/S") == "/GTS_PDFX" and "/DestOutputProfile" in i]
        if good:
            profile = good[0].DestOutputProfile
            found.append(Finding("output intent", OK, f"{good[0].get('/OutputConditionIdentifier')} "
                                 f"(ICC, {int(profile.get('/N', 0))} components)"))
        else:
            found.append(Finding("output intent", ERROR, "no /GTS_PDFX OutputIntent with a profile"))
    else:
        found.append(Finding("PDF/X", ERROR if required else OK,
                             "not PDF/X" + ("" if required else ": a proof/screen PDF")))
    info = doc.docinfo
    missing = [k for k in ("/Title", "/Author") if not str(info.get(k, "")).strip()]
    if "/Lang" not in doc.Root:
        missing.append("/Lang")
    found.append(Finding("metadata", WARN if missing else OK,
                         f"missing {', '.join(missing)}" if missing else
                         f"{info.Title} · {info.Author} · {doc.Root.Lang}"))
    return found
