"""Every line of a collection names its task and the cell the unit typed: a task
without a 序号 (a town's plan often has none) by its district and first words, never
as "第  项"; and the 收集记录 line of a value written names the return's cell."""
from __future__ import annotations

import datetime as dt

import openpyxl

from conftest import TIANQIAO
from test_loop import fill, key_of, master_cells
from xltools.work.loop import LOG_SHEET, collect, split
from xltools.work.merge import merge


def test_a_task_without_a_number_is_named_by_its_words_and_the_cell_is_logged(tmp_path):
    master = tmp_path / "汇总.xlsx"
    merge([TIANQIAO], master)
    key = key_of(master_cells(master), "天桥区", 19)
    wb = openpyxl.load_workbook(master)
    ws = wb["汇总"]
    head = {c.value: c.column for c in ws[1]}
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, head["任务编号"]).value == key)
    ws.cell(row, head["序号"]).value = None          # as a plan without numbers has it
    wb.save(master)
    files = {label: path for label, path, _, _ in split(master, tmp_path / "下发").files}
    path = files["区财政局"]            # one district: returns are named by unit alone
    fill(path, key, "已完成", "目录已公开")           # no date: refused, and said so
    fill(path, key, progress="目录已公开")

    summary = collect([path], master, now=dt.datetime(2024, 6, 1, 9, 0))
    text = summary.message("zh")
    assert "第  项" not in text and "第 None 项" not in text
    line = next(line for line in text.splitlines() if "没有有效的完成日期" in line)
    assert "天桥区 的任务“" in line and "不写入汇总表" in line
    assert "第  项" not in summary.message("en") and "'s task '" in summary.message("en")

    ret = openpyxl.load_workbook(path)["进展报送"]
    rhead = {ret.cell(3, c).value: c for c in range(1, ret.max_column + 1)}
    rrow = next(r for r in range(4, ret.max_row + 1) if ret.cell(r, rhead["任务编号"]).value == key)
    progress_cell = f"{openpyxl.utils.get_column_letter(rhead['进展情况'])}{rrow}"
    change = next(c for c in summary.changes if c.column == "progress")
    assert change.cell == progress_cell and change.to_dict()["cell"] == progress_cell

    log = openpyxl.load_workbook(master)[LOG_SHEET]
    lhead = {c.value: c.column for c in log[1]}
    written = [log.cell(r, lhead["单元格"]).value for r in range(2, log.max_row + 1)
               if log.cell(r, lhead["类型"]).value == "已更新"]
    assert written == [progress_cell]
