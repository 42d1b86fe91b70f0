"""`python -m pipeline import SOURCE.txt -o manuscript/ --profile NAME`.

Before: the text extracted from a printed book's PDF and an import profile.
After: the manuscript folder (book.yaml, one Markdown file per part,
abbreviations.yaml), an import report for the editor with the fidelity
figure, and the fidelity report beside it; exit status 0, or 1
with `path:line: CODE message` on stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pipeline.importer import assemble, fidelity, report, source


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("import", help="turn text extracted from a printed book into a manuscript")
    p.add_argument("source", type=Path, help="the extracted text (UTF-8)")
    p.add_argument("-o", "--output", type=Path, default=Path("manuscript"), help="manuscript folder to write")
    p.add_argument("--profile", default="serge-memorias",
                   help="import profile: a name under pipeline/importer/profiles or a folder")
    p.add_argument("--report", type=Path, default=None,
                   help="import report (default: reports/import-report.md beside the manuscript folder)")


def run(args) -> int:
    try:
        profile = source.profile_dir(args.profile, args.source)
        src = source.load(args.source, profile, args.output / "corrections.yaml")
        result = assemble.import_source(src)
    except source.ImportError_ as exc:
        print(str(exc), file=sys.stderr)
        return 1
    write(result, args.output)
    report_path = args.report or args.output.resolve().parent / "reports" / "import-report.md"
    report_path.parent.mkdir(parents=True, exist_ok=True)
    # Measured on what was just written, with the fixed sample: a re-import
    # writes the same figure, and fidelity-report.md beside it gives the details.
    sample, whole = fidelity.measure(src, args.output)
    report_path.write_text(report.render(result, src, fidelity.summary(sample, whole)), encoding="utf-8")
    (report_path.parent / "fidelity-report.md").write_text(fidelity.render(
        sample, whole, fidelity.PARAGRAPHS, fidelity.NOTES, fidelity.SEED), encoding="utf-8")
    total = sum(p.notes for p in result.parts)
    print(f"imported {len(result.files)} files, {total} notes; report: {report_path}")
    return 0


def write(result, out: Path) -> None:
    """Write every file; corrections.yaml and other files are left as they are."""
    out.mkdir(parents=True, exist_ok=True)
    for name, text in result.files.items():
        path = out / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
