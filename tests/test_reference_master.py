"""Our master against a reference made by LibreOffice from ours (XlsxWriter's way: compare
with what the real program writes).  tests/data/reference/汇总-libreoffice.xlsx is the master
of the two bundled examples (as of 2024-12-20) opened and saved by LibreOffice Calc
(`soffice --headless --convert-to xlsx`); regenerate it with `python tests/test_reference_master.py`
when the master's layout changes on purpose.

Compared: the sheets (names, order, visibility), the defined names a printout and a filter
rest on (print area, print titles, filter range), each sheet's print setup (orientation,
paper, fit to one page wide, margins with the header and footer), the count of
conditional formats and of data validations.  Not compared: freeze panes, which a headless
LibreOffice does not write back (it has no view to take them from)."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import openpyxl
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from conftest import CHANGQING, TIANQIAO, ROOT  # noqa: E402
from lo import convert, needs_soffice  # noqa: E402
from xltools.work.merge import merge  # noqa: E402

REFERENCE = ROOT / "tests" / "data" / "reference" / "汇总-libreoffice.xlsx"
AS_OF = dt.date(2024, 12, 20)


def structure(path: Path) -> dict[str, dict]:
    wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":   # never printed (汇总表标识): LibreOffice gives it its defaults
            out[ws.title] = {"state": ws.sheet_state}
            continue
        ps, m, pr = ws.page_setup, ws.page_margins, ws.sheet_properties.pageSetUpPr
        out[ws.title] = {
            "state": ws.sheet_state,
            "print_area": ws.print_area,
            "print_titles": ws.print_title_rows,
            "filter": ws.auto_filter.ref,
            "print": (ps.orientation, str(ps.paperSize), ps.fitToWidth, ps.fitToHeight, bool(pr and pr.fitToPage)),
            "margins": tuple(round(float(getattr(m, k)), 2) for k in ("left", "right", "top", "bottom", "header", "footer")),
            "conditional_formats": sum(len(r.rules) for r in ws.conditional_formatting),
            "validations": len(ws.data_validations.dataValidation),
        }
    return out


def make_master(out: Path) -> Path:
    merge([TIANQIAO, CHANGQING], out, as_of=AS_OF)
    return out


def test_our_master_has_the_reference_structure(tmp_path):
    ours = structure(make_master(tmp_path / "汇总.xlsx"))
    reference = structure(REFERENCE)
    assert list(ours) == list(reference)
    assert ours == reference
    # what the comparison rests on is there to compare
    assert reference["汇总"]["conditional_formats"] >= 3 and reference["汇总"]["validations"] == 1
    assert reference["汇总"]["print"] == ("landscape", "8", 1, 0, True)          # A3: write/printing.py
    assert reference["问题清单"]["print"] == ("landscape", "9", 1, 0, True)      # A4


@needs_soffice
def test_libreoffice_keeps_the_structure_of_a_master_it_saves(tmp_path):
    """Today's LibreOffice reads and writes back everything compared above."""
    ours = make_master(tmp_path / "汇总.xlsx")
    (tmp_path / "lo").mkdir()
    assert structure(convert(ours, "xlsx", tmp_path / "lo")) == structure(ours)


if __name__ == "__main__":   # regenerate the reference
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        made = convert(make_master(Path(d) / REFERENCE.name.replace("-libreoffice", "")), "xlsx", REFERENCE.parent)
        made.replace(REFERENCE)
    print(REFERENCE)
