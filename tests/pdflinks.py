"""What a PDF's links point at, read back with pikepdf: the tests that follow
citations, cross-references and notes to their targets share it."""
from __future__ import annotations


def named_destinations(pdf) -> set[str]:
    """Every name in the document's /Dests name tree, through /Kids as well."""
    found: set[str] = set()

    def collect(node):
        names = node.get("/Names", [])
        found.update(str(names[i]) for i in range(0, len(names), 2))
        for kid in node.get("/Kids", []):
            collect(kid)

    collect(pdf.Root.Names.Dests)
    return found


def link_targets(pdf) -> list[str]:
    """The named destination of every link annotation, page by page (a link set
    over two lines is two annotations, so a name may come twice)."""
    return [str(a.get("/Dest", a.get("/A", {}).get("/D", ""))) for page in pdf.pages
            for a in page.get("/Annots", [])]
