"""flag on a sheet as offices lay it out for print: a title merged across the table, and
the header repeated where a page breaks.  After flag the title spans 截止日期 and 预警 too,
and each copy of the header names them; what the sheet held stays.  Real .xlsx made with
openpyxl, flagged, read back with python-calamine and openpyxl."""
from __future__ import annotations

import datetime as dt

import openpyxl
from python_calamine import CalamineWorkbook

from xltools.read import read_plan
from xltools.work.flag import flag_file

HEAD = ["序号", "工作任务", "具体要求", "牵头单位", "配合单位", "完成时限", "备注"]
AS_OF = dt.date(2024, 6, 1)


def make(path, *, title_text_right=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务分解表"
    ws["A1"] = "2024年某区政务公开工作任务分解表"
    ws.merge_cells("A1:G1")
    if title_text_right:
        ws["I1"] = title_text_right          # something of the office's beside the title
    ws.append(HEAD)
    for n in range(1, 6):
        ws.append([n, "推进公开", f"第{n}项要求的具体内容", "区财政局", None, f"2024年{n + 3}月底前", None])
    ws.append(HEAD)                          # row 8: the header again, on page 2
    for n in range(6, 9):
        ws.append([n, "推进公开", f"第{n}项要求的具体内容", "区财政局", None, "长期坚持", "季度报送"])
    wb.save(path)


def test_the_title_spans_the_new_columns_and_each_header_copy_names_them(tmp_path):
    path = tmp_path / "分解表.xlsx"
    make(path)
    assert [f.params["row"] for f in read_plan(path).sheets[0].findings if f.code == "repeated-header"] == [8]
    flag_file(path, as_of=AS_OF)
    wb = openpyxl.load_workbook(path)
    ws = wb["任务分解表"]
    assert "A1:I1" in {str(r) for r in ws.merged_cells.ranges}
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("任务分解表").to_python()
    assert rows[1][7:9] == ["截止日期", "预警"]
    assert rows[7][:7] == HEAD and rows[7][7:9] == ["截止日期", "预警"]          # the copy at the page break
    assert rows[2][7] == dt.date(2024, 4, 30) and rows[8][7] in ("", None)   # a task, and 长期坚持
    assert rows[8][6] == "季度报送" and rows[0][0] == "2024年某区政务公开工作任务分解表"
    # the copy of the header is no task: the sheet reads as before, eight tasks
    assert len(read_plan(path).sheets[0].tasks) == 8
    # a second run changes nothing and makes no second backup
    assert flag_file(path, as_of=AS_OF).backup is None


def test_a_title_with_the_offices_text_beside_it_is_left_as_it_was(tmp_path):
    path = tmp_path / "分解表.xlsx"
    make(path, title_text_right="（第二稿）")
    flag_file(path, as_of=AS_OF)
    ws = openpyxl.load_workbook(path)["任务分解表"]
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:G1"} and ws["I1"].value == "（第二稿）"
