"""The fixture's accessibility claim, read back from its package as a store
reads it; book.yaml's certifier and exemption through a real build,
EPUBCheck clean; `validate` prints the claim it checked."""

from __future__ import annotations

from pipeline.validate import read_claim
from tests.conftest import FIXTURE, copy_manuscript, epubcheck

CLAIM = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"


def opf_metas(epub) -> list[tuple[str, str, str | None, str | None]]:
    import zipfile

    from lxml import etree

    opf = etree.fromstring(zipfile.ZipFile(epub).read("EPUB/content.opf"))
    return [(m.get("property"), m.text, m.get("id"), m.get("refines"))
            for m in opf.iterfind(".//{http://www.idpf.org/2007/opf}meta") if m.get("property")]


def values(epub, prop: str) -> list[str]:
    return [v for p, v, _, _ in opf_metas(epub) if p == prop]


def test_the_fixture_claims_what_it_holds(fixture_epub):
    assert values(fixture_epub, "dcterms:conformsTo") == [CLAIM]
    # one figure with its description: the visual mode, the text suffices
    assert values(fixture_epub, "schema:accessMode") == ["textual", "visual"]
    assert values(fixture_epub, "schema:accessModeSufficient") == ["textual,visual", "textual"]
    assert values(fixture_epub, "schema:accessibilityFeature") == [
        "structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability", "index",
        "alternativeText", "annotations"]   # no page-list: the EPUB was built without the PDF
    assert values(fixture_epub, "schema:accessibilityHazard") == ["none"]
    summary = values(fixture_epub, "schema:accessibilitySummary")[0]
    assert "7 notas enlazadas" in summary and "1 imagen, con su descripción textual." in summary
    assert "«Índice onomástico» con enlaces a cada mención." in summary
    assert not [p for p, *_ in opf_metas(fixture_epub) if p.startswith("a11y:") or p == "pageBreakSource"]


def accessible_build(tmp_path, section: str):
    from pipeline.build import build

    root = copy_manuscript(FIXTURE, tmp_path / "ms")
    with (root / "book.yaml").open("a", encoding="utf-8") as f:
        f.write(section)
    return build(root, tmp_path / "out", formats=["epub"]).outputs["epub"]


def test_a_certified_claim_through_book_yaml(tmp_path):
    epub = accessible_build(tmp_path, "accessibility:\n  certified_by: Fundación Accesible\n"
                                      "  certifier_credential: https://example.org/credencial\n")
    metas = opf_metas(epub)
    assert ("dcterms:conformsTo", CLAIM, None, None) in metas
    assert ("a11y:certifiedBy", "Fundación Accesible", "certifier", None) in metas
    assert ("a11y:certifierCredential", "https://example.org/credencial", None, "#certifier") in metas
    assert epubcheck(epub) == []
    claim = read_claim(epub)
    assert claim.lines()[0] == f"{CLAIM}, certified by Fundación Accesible (https://example.org/credencial)"


def test_an_exemption_through_book_yaml(tmp_path):
    epub = accessible_build(tmp_path, "accessibility:\n  exemption: eaa-disproportionate-burden\n")
    assert values(epub, "a11y:exemption") == ["eaa-disproportionate-burden"]
    assert values(epub, "dcterms:conformsTo") == []
    assert epubcheck(epub) == []
    assert read_claim(epub).lines()[0] == "no conformance claimed: exemption eaa-disproportionate-burden"


def test_validate_prints_the_claim_it_checked(fixture_epub, tmp_path, monkeypatch, capsys):
    from pipeline.cli import main
    from pipeline.cli import validate as cli
    from pipeline.validate import Verdict

    # the judges themselves run in test_build_epub (Ace) and above (EPUBCheck)
    monkeypatch.setattr(cli, "run_epubcheck", lambda epub, reports: Verdict("EPUBCheck", (), reports))
    monkeypatch.setattr(cli, "run_ace", lambda epub, reports: Verdict("Ace", (), reports))
    monkeypatch.setattr(cli, "_missing_tools", lambda: None)
    assert main(["validate", str(fixture_epub), "--reports", str(tmp_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"Claim: {CLAIM}"
    assert out[1] == ("Claim: features: structuralNavigation, tableOfContents, readingOrder, "
                      "displayTransformability, index, alternativeText, annotations")


def test_a_package_without_a_claim_says_so(tmp_path):
    import zipfile

    epub = tmp_path / "bare.epub"
    with zipfile.ZipFile(epub, "w") as zf:
        zf.writestr("META-INF/container.xml",
                    '<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container" version="1.0">'
                    '<rootfiles><rootfile full-path="OPS/p.opf" media-type="application/oebps-package+xml"/>'
                    '</rootfiles></container>')
        zf.writestr("OPS/p.opf", '<package xmlns="http://www.idpf.org/2007/opf"><metadata/>'
                                 '</package>')
    assert read_claim(epub).lines() == ["no conformance claimed", "features: none"]
