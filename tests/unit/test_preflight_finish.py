"""The finish's measure of overfull lines (preflight/finish.py, C047): the
text block read from the pages, a line past it by more than pdftotext's
reading of a full line strays."""

from pipeline.preflight.finish import OVERFULL, _overfull
from pipeline.preflight.text import MM, Line, Page


def page(number: int, *ends: tuple[float, float]) -> Page:
    lines = [Line(60, 100 + 14 * i, 360, 110 + 14 * i, f"linea llena {i}") for i in range(12)]
    lines += [Line(x0, 300 + 14 * i, x1, 310 + 14 * i, f"linea {x0} {x1}") for i, (x0, x1) in enumerate(ends)]
    return Page(number, 420, 595, lines)


def test_a_line_past_the_measure_is_overfull_on_either_side():
    found = _overfull([page(1, (60, 361.0)), page(2, (58.8, 360))])
    assert [(f.code, f.page) for f in found] == [("C047", 1), ("C047", 2)]
    assert found[0].detail.startswith(f"a line runs {1 / MM:.2f} mm past the measure")


def test_what_pdftotext_strays_by_on_a_full_line_is_not():
    found = _overfull([page(1, (60, 360 + OVERFULL - 0.2)), page(2, (60.1, 359.7))])
    assert [f.code for f in found] == [None]
    assert found[0].detail == f"none past the measure (the most {(OVERFULL - 0.2) / MM:.2f} mm)"
