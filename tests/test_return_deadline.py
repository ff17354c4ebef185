"""validate on a filled return tells a changed 完成时限 as collect does (trial 3, C1: a unit
wrote 申请延期至2027年3月底 over 2026年10月底前; collect said collect-text-edited, validate said
nothing).  The return's hidden 下发底稿 now keeps each task's deadline as sent, and validate
runs collect's own comparison against it: the same finding on the same cell, no second rule.
A return split before (its 下发底稿 without the deadline) stays silent, as collect alone can tell."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from xltools.cli.app import cli

HEADER = ["序号", "重点任务", "具体要求", "责任单位", "完成时间"]
ROWS = [
    [1, "推进乡村振兴", "公开农村集体三资管理信息", "农业农村办公室", "每季度末"],
    [2, "推进乡村振兴", "公开高标准农田建设项目信息", "农业农村办公室", "2026年10月底前"],
    [3, "推进乡村振兴", "公开涉农补贴发放信息", "农业农村办公室", dt.datetime(2026, 9, 30)],   # a date cell
    [4, "推进乡村振兴", "公开土地征收信息", "农业农村办公室", "本文件印发后30日内"],
    [5, "推进乡村振兴", "公开村级财务", "农业农村办公室", "长期坚持"],
]


def _run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert "Traceback" not in result.output, result.output
    return result


@pytest.fixture
def split(tmp_path) -> tuple[Path, Path]:
    """A town's plan merged and split: the master and the one return."""
    inbox = tmp_path / "收"
    inbox.mkdir()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["平阴县东阿镇2026年任务分工"])
    ws.append(HEADER)
    for row in ROWS:
        ws.append(row)
    ws["E5"].number_format = 'yyyy"年"m"月"d"日"'
    wb.save(inbox / "东阿镇2026年任务分工.xlsx")
    master = tmp_path / "汇总.xlsx"
    assert _run("merge", inbox, "-o", master).exit_code in (0, 1)
    assert _run("split", master, "--by", "lead-unit", "-o", tmp_path / "下发").exit_code == 0
    (ret,) = (tmp_path / "下发").glob("*.xlsx")
    return master, ret


def _deadline_cells(ret: Path) -> dict[int, str]:
    ws = openpyxl.load_workbook(ret)["进展报送"]
    header = {ws.cell(3, c).value: c for c in range(1, ws.max_column + 1)}
    letter = openpyxl.utils.get_column_letter(header["完成时限"])
    return {ws.cell(r, header["序号"]).value: f"{letter}{r}" for r in range(4, ws.max_row + 1)
            if ws.cell(r, header["序号"]).value is not None}


def _edit(ret: Path, values: dict[str, object]) -> None:
    wb = openpyxl.load_workbook(ret)
    for cell, value in values.items():
        wb["进展报送"][cell] = value
    wb.save(ret)


def _edited(command: str, *args) -> dict[str, str]:
    out = json.loads(_run(command, *args, "--json").output)
    return {f["cell"]: f["value"] for f in out["findings"] if f["code"] == "collect-text-edited"}


def test_the_return_keeps_what_was_sent(split):
    _, ret = split
    ws = openpyxl.load_workbook(ret)["下发底稿"]
    header = [c.value for c in ws[2]]
    sent = [row[header.index("deadline")] for row in ws.iter_rows(min_row=3, values_only=True) if row[0]]
    assert sent[:2] == ["每季度末", "2026年10月底前"] and sent[3:] == ["本文件印发后30日内", "长期坚持"]
    assert sent[2] in ("2026年9月30日", dt.datetime(2026, 9, 30))


def test_an_untouched_return_is_clean(split):
    _, ret = split
    assert _edited("validate", ret) == {}


def test_a_changed_deadline_is_told_by_validate_as_by_collect(split):
    master, ret = split
    cells = _deadline_cells(ret)
    changed = {cells[2]: "申请延期至2027年3月底", cells[1]: "每月末", cells[5]: "2026年12月底前"}
    # the same day in another form is no change (collect's same_date)
    same = {cells[3]: "2026年9月30日"}
    _edit(ret, {**changed, **same})
    told = _edited("validate", ret)
    assert told == changed
    assert _edited("collect", ret, "--into", master, "--dry-run") == told


def test_a_date_cell_in_the_master_compares_as_its_day(split, tmp_path):
    """The office typed a date cell into the master's 完成时限: split keeps it as a date in
    下发底稿, and the return's untouched cell is no change."""
    master, _ = split
    wb = openpyxl.load_workbook(master)
    ws = wb.worksheets[0]
    header = {ws.cell(r, c).value: (r, c) for r in range(1, 5) for c in range(1, ws.max_column + 1)}
    r, c = header["完成时限"]
    for row in range(r + 1, ws.max_row + 1):
        if ws.cell(row, c).value == "2026年10月底前":
            ws.cell(row, c).value = dt.datetime(2026, 10, 31)
            ws.cell(row, c).number_format = "yyyy-mm-dd"
    wb.save(master)
    out = tmp_path / "再下发"
    assert _run("split", master, "--by", "lead-unit", "-o", out).exit_code == 0
    (ret,) = out.glob("*.xlsx")
    ws = openpyxl.load_workbook(ret)["下发底稿"]
    column = next(c.column_letter for c in ws[2] if c.value == "deadline")      # 下发底稿's field row
    assert dt.datetime(2026, 10, 31) in [c.value for c in ws[column]]
    assert _edited("validate", ret) == {}
    cell = _deadline_cells(ret)[2]
    _edit(ret, {cell: "2027年3月底前"})
    assert _edited("validate", ret) == {cell: "2027年3月底前"}


def test_a_return_split_before_stays_silent(split):
    """Its 下发底稿 has no deadline: validate cannot tell what was sent, collect can."""
    master, ret = split
    wb = openpyxl.load_workbook(ret)
    ws = wb["下发底稿"]
    ws.delete_cols([c.value for c in ws[2]].index("deadline") + 1)
    wb.save(ret)
    cell = _deadline_cells(ret)[2]
    _edit(ret, {cell: "申请延期至2027年3月底"})
    assert _edited("validate", ret) == {}
    assert _edited("collect", ret, "--into", master, "--dry-run") == {cell: "申请延期至2027年3月底"}
