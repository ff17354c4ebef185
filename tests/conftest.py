from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

# Findings and texts made without a parameter their message needs fail where they are
# made (a clerk would see "?"); set before xltools is imported, inherited by subprocesses.
os.environ["XLTOOLS_STRICT"] = "1"
# the clerk's own files (单位名录, page settings) in a folder of the test run's own, never the
# developer's ~/.xltools: a test sets XLTOOLS_HOME itself where it needs them
os.environ["XLTOOLS_HOME"] = tempfile.mkdtemp(prefix="xltools-home-")

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
TIANQIAO = EXAMPLES / "2024年天桥区政务公开重点工作任务分工.xlsx"
CHANGQING = EXAMPLES / "2022年长清区政务公开重点工作任务分解表.xlsx"
ZHANGQIU_TEXT = EXAMPLES / "2025年章丘区政务公开工作要点.txt"
LIXIA_TEXT = EXAMPLES / "2024年历下区政务公开工作要点.txt"
# The four seed documents (real plans) and Microsoft's RibbonX schemas, copied from ../shared so
# that a clone without ../shared beside it passes every test.
SEEDS = ROOT / "tests" / "data" / "seeds"
SCHEMAS = ROOT / "tests" / "data" / "schemas"


def write_xlsx(path: Path, sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None) -> Path:
    """A workbook from rows of values (None = empty), with optional merged ranges per sheet."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(r, c, value)
                    if isinstance(value, (dt.date, dt.datetime)):
                        ws.cell(r, c).number_format = "yyyy-mm-dd"
        for rng in (merges or {}).get(name, []):
            ws.merge_cells(rng)
    wb.save(path)
    return path


@pytest.fixture
def xlsx(tmp_path):
    def make(sheets, merges=None, name="plan.xlsx"):
        return write_xlsx(tmp_path / name, sheets, merges)
    return make
