"""A 完成日期 collect writes into the master is shown as the master's column already shows
dates (a district's yyyy"年"m"月"d"日"), not always as yyyy-mm-dd: the cell's own date format,
else the nearest dated cell's above it, else the column's, else yyyy-mm-dd (new-user trial
D2).  Real files: merged, split, a return filled in, collected; the master read back with
openpyxl, and rendered by LibreOffice."""
from __future__ import annotations

import csv
import datetime as dt

import openpyxl
import pytest

from tests.conftest import write_xlsx
from tests.lo import convert, needs_soffice
from tests.loop_fixtures import fill, split_master
from xltools.work.collect import _master_cells, collect
from xltools.write.cells import DATE_FORMAT

CHINESE_DAY = 'yyyy"年"m"月"d"日"'
PLAN = [["2026年天桥区政务公开重点工作任务分解表"],
        ["序号", "工作任务", "具体要求", "牵头单位", "完成时限"],
        [1, "推进政务公开", "更新政府信息公开指南", "区财政局", "2026年6月底前"],
        [2, "推进政务公开", "公开年度预算决算", "区财政局", "2026年9月底前"],
        [3, "推进政务公开", "编制政务公开年度报告", "区财政局", "2026年12月底前"]]


def _loop(tmp_path, prepare):
    plan = write_xlsx(tmp_path / "2026年天桥区政务公开重点工作任务分解表.xlsx", {"任务分解": PLAN})
    summary = split_master(tmp_path, [plan], prepare)
    (label, path, _, _), = summary.files
    return tmp_path / "汇总.xlsx", path


def _done_column(ws) -> int:
    return next(c.column for c in ws[1] if c.value == "完成日期")


def _rows_by_seq(ws) -> dict[int, int]:
    seq = next(c.column for c in ws[1] if c.value == "序号")
    return {ws.cell(r, seq).value: r for r in range(2, ws.max_row + 1) if ws.cell(r, seq).value}


def _format_master(master, how: str) -> None:
    """The office formats the master's 完成日期 column as the district writes dates: every
    cell of it, only the first task's (typed there earlier), or the column itself."""
    wb = openpyxl.load_workbook(master)
    ws = wb["汇总"]
    c, rows = _done_column(ws), _rows_by_seq(ws)
    if how == "cells":
        for r in rows.values():
            ws.cell(r, c).number_format = CHINESE_DAY
    elif how == "above":
        ws.cell(rows[1], c).value = dt.datetime(2026, 2, 1)
        ws.cell(rows[1], c).number_format = CHINESE_DAY
    elif how == "builtin":        # Chinese Excel's own 2026年3月5日: saved as format id 31, no code in the file
        for r in rows.values():
            ws.cell(r, c)._style.numFmtId = 31
    elif how == "column":
        ws.column_dimensions[openpyxl.utils.get_column_letter(c)].number_format = CHINESE_DAY
    wb.save(master)


@pytest.mark.parametrize("how", ["cells", "above", "column", "builtin"])
def test_a_completion_date_takes_the_format_of_the_masters_column(tmp_path, how):
    master, path = _loop(tmp_path, lambda m: _format_master(m, how))
    fill(path, 3, 状态="已完成", 完成日期=dt.datetime(2026, 3, 5))
    result = collect([path], master)
    assert result.updated >= 2 and not result.findings_of("collect-bad-date"), result.message()
    ws = openpyxl.load_workbook(master)["汇总"]
    cell = ws.cell(_rows_by_seq(ws)[3], _done_column(ws))
    assert cell.value == dt.datetime(2026, 3, 5)
    assert cell.number_format == CHINESE_DAY
    assert ws.cell(_rows_by_seq(ws)[2], _done_column(ws)).value is None      # nothing else written


def test_a_master_sheet_openpyxl_holds_whole_is_written_alike(tmp_path):
    """When the 汇总 rows are not kept aside (markup splice does not read), the cell is
    written through openpyxl by the same rule."""
    master, _ = _loop(tmp_path, lambda m: _format_master(m, "above"))
    wb = openpyxl.load_workbook(master)
    ws = wb["汇总"]
    r, c = _rows_by_seq(ws)[3], _done_column(ws)
    _master_cells(wb, None)(r, c, dt.datetime(2026, 3, 5), DATE_FORMAT)
    wb.save(master)
    assert openpyxl.load_workbook(master)["汇总"].cell(r, c).number_format == CHINESE_DAY


def test_without_a_date_format_in_the_column_the_date_is_yyyy_mm_dd(tmp_path):
    master, path = _loop(tmp_path, None)
    fill(path, 2, 状态="已完成", 完成日期=dt.datetime(2026, 3, 5))
    collect([path], master)
    ws = openpyxl.load_workbook(master)["汇总"]
    cell = ws.cell(_rows_by_seq(ws)[2], _done_column(ws))
    assert cell.value == dt.datetime(2026, 3, 5) and cell.number_format == "yyyy-mm-dd"


@needs_soffice
def test_libreoffice_shows_the_collected_date_as_the_district_writes_dates(tmp_path):
    master, path = _loop(tmp_path, lambda m: _format_master(m, "cells"))
    fill(path, 2, 状态="已完成", 完成日期=dt.datetime(2026, 3, 5))
    collect([path], master)
    out = convert(master, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true", tmp_path / "csv")
    with open(out, encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    head = rows[0]
    row = next(r for r in rows[1:] if r[head.index("序号")] == "2")
    assert row[head.index("完成日期")] == "2026年3月5日"
    assert row[head.index("状态")] == "已完成"
