"""Loading a 单位名录 that office staff edited (.xlsx from `units export`, or .csv)."""
from __future__ import annotations

import csv
from pathlib import Path

from xltools.errors import Words, XltoolsError
from xltools.rules.units import SHEET, UnitRegistry


def load_registry(path, district: str | None = None) -> UnitRegistry:
    path = Path(path)
    try:
        if path.suffix.lower() == ".csv":
            with open(path, encoding="utf-8-sig", newline="") as f:
                rows = list(csv.reader(f))
        else:
            rows = _read_xlsx(path)
        return UnitRegistry.from_rows(rows, district)
    except XltoolsError:
        raise
    except Exception as e:  # whatever went wrong, the clerk needs the file name and a hint
        raise XltoolsError("registry-unreadable", file=str(path), reason=str(e).strip("'\"")) from e


def _read_xlsx(path: Path) -> list[list]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        if SHEET not in wb.sheetnames:
            raise XltoolsError("registry-unreadable", file=str(path), reason=Words("reason-no-sheet", sheet=SHEET))
        return [list(r) for r in wb[SHEET].iter_rows(values_only=True)]
    finally:
        wb.close()
