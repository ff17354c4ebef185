"""`xltools flag` keeps what a person typed in its own columns (a new user's trial): text
typed into a 截止日期 or 预警 cell (已督办，延期至12月) stays as typed and the run says so
(sheet, cell, the text, what to do; exit 1), a date typed by hand in 截止日期 stays and 预警
reads it, the other rows are flagged as ever, a second run changes nothing.  And a note
typed far below the table (备注：以上任务由区督查室跟踪) is no task: not counted, not written."""
from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from conftest import CHANGQING, ROOT, TIANQIAO, write_xlsx
from lo import convert, needs_soffice
from test_excel_actions import alerts, cell_of, of, open_book, xw  # noqa: F401  (xw: the remote engine fixture)

from xltools.read import read_plan
from xltools.schema import WARNING_STATES
from xltools.work.flag import flag_file

AS_OF = dt.date(2024, 7, 1)
SHEET = "任务"
ROWS = [["2024年天桥区政务公开重点工作任务"],
        ["序号", "具体要求", "责任单位", "完成时限", "状态"],
        [1, "公开年度预算。", "区财政局", "2024年6月底前", None],          # row 3: overdue
        [2, "公开重大项目批准信息。", "区发展改革局", "2024年7月10日前", None],  # row 4: soon
        [3, "公开政府工作报告。", "区政府办公室", "2024年12月底前", None],      # row 5: ok
        [4, "做好政策解读。", "区司法局", "长期坚持", None],                  # row 6: ongoing
        [5, "公开决算。", "区财政局", "2024年9月底前", "已完成"]]             # row 7: done
DUE, WARN = "F", "G"     # where the first run puts 截止日期 and 预警 (after 状态 in E)
TYPED_WARNING = "已督办，延期至12月"
TYPED_DUE = "待定，等区政府常务会"
HAND_DATE = dt.date(2024, 6, 20)   # typed over row 4's 2024-07-10: now overdue


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "xltools.cli", *args], capture_output=True, text=True,
                          env=env, timeout=300)


@pytest.fixture
def typed(tmp_path):
    """A plan flagged once; then a person typed in the columns flag wrote."""
    path = write_xlsx(tmp_path / "天桥区重点任务.xlsx", {SHEET: ROWS})
    flag_file(path, as_of=AS_OF)
    for bak in tmp_path.glob("*.bak"):
        bak.unlink()
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET]
    assert (ws[f"{DUE}2"].value, ws[f"{WARN}2"].value) == ("截止日期", "预警")
    assert str(ws[f"{WARN}3"].value).startswith("=")
    ws[f"{WARN}3"] = TYPED_WARNING          # a note on the overdue task, where its warning was
    ws[f"{DUE}5"] = TYPED_DUE               # words where the date was
    ws[f"{DUE}4"] = HAND_DATE               # a date of their own
    ws[f"{DUE}4"].number_format = "yyyy-mm-dd"
    wb.save(path)
    return path


def cells(path: Path) -> tuple[list[list], list[list]]:
    """The sheet as calamine reads it, and as openpyxl reads it (formulas as text)."""
    grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(SHEET).to_python()
    ws = openpyxl.load_workbook(path)[SHEET]
    return grid, [[c.value for c in row] for row in ws.iter_rows()]


def test_typed_text_and_dates_are_kept_and_listed(typed):
    result = flag_file(typed, as_of=AS_OF)
    grid, ws = cells(typed)
    due, warn = ord(DUE) - 65, ord(WARN) - 65
    for rows in (grid, ws):                 # both readers: the words as typed
        assert rows[2][warn] == TYPED_WARNING and rows[4][due] == TYPED_DUE
    assert ws[3][due].date() == HAND_DATE and grid[3][due] == HAND_DATE
    # the other cells are flag's: dates and live formulas
    assert ws[2][due].date() == dt.date(2024, 6, 30) and ws[6][due].date() == dt.date(2024, 9, 30)
    for r in (3, 4, 5, 6):
        assert str(ws[r][warn]).startswith("=IF(") and f"E{r + 1}" in str(ws[r][warn]), r + 1   # 状态 of its row
    # listed: the cell, the text, what to do
    said = {f.cell: f for f in result.kept}
    assert set(said) == {f"{WARN}3", f"{DUE}5", f"{DUE}4"}
    assert said[f"{WARN}3"].severity == said[f"{DUE}5"].severity == "warning" and said[f"{DUE}4"].severity == "info"
    assert TYPED_WARNING in said[f"{WARN}3"].message() and "预警" in said[f"{WARN}3"].message()
    assert TYPED_DUE in said[f"{DUE}5"].message() and "截止日期" in said[f"{DUE}5"].message()
    assert said[f"{WARN}3"].suggestion() == "如需预警，请清空该单元格后再运行。"
    assert "2024-06-20" in said[f"{DUE}4"].message() and "2024-07-10" in said[f"{DUE}4"].message()
    assert all(f.sheet == SHEET for f in result.kept) and result.problems


def test_cli_lists_the_kept_cells_exits_1_and_a_second_run_changes_nothing(typed, tmp_path):
    (tmp_path / "clean").mkdir()
    clean = write_xlsx(tmp_path / "clean" / "plan.xlsx", {SHEET: ROWS})
    res = run_cli("flag", str(clean), "--as-of", AS_OF.isoformat())     # the control: nothing typed
    said = [x for x in res.stdout.splitlines() if x.strip()]      # the sheet, the day: no cell kept
    assert res.returncode == 0 and len(said) == 2 and AS_OF.isoformat() in said[1], res.stdout
    res = run_cli("flag", str(typed), "--as-of", AS_OF.isoformat())
    assert res.returncode == 1, res.stdout + res.stderr
    out = res.stdout
    assert "Traceback" not in out + res.stderr
    line = next(x for x in out.splitlines() if f"{SHEET}!{WARN}3" in x)
    assert typed.name in line and TYPED_WARNING in line
    line = next(x for x in out.splitlines() if f"{SHEET}!{DUE}5" in x)
    assert TYPED_DUE in line
    assert "如需预警，请清空该单元格后再运行" in out
    assert f"{SHEET}!{DUE}4" in out and "2024-06-20" in out
    backups = sorted(typed.parent.glob("*.bak"))
    before = typed.read_bytes()
    again = run_cli("flag", str(typed), "--as-of", AS_OF.isoformat())
    assert again.returncode == 1 and f"{SHEET}!{WARN}3" in again.stdout
    assert typed.read_bytes() == before and sorted(typed.parent.glob("*.bak")) == backups
    assert "已是最新" in again.stdout


def test_english_cli_names_the_cell_too(typed):
    res = run_cli("flag", str(typed), "--as-of", AS_OF.isoformat(), "--lang", "en")
    assert res.returncode == 1
    assert f"{SHEET}!{WARN}3" in res.stdout and TYPED_WARNING in res.stdout and "clear the cell" in res.stdout


@needs_soffice
def test_libreoffice_computes_the_other_rows_and_reads_the_hand_date(typed, tmp_path):
    flag_file(typed, as_of=AS_OF)
    out = convert(typed, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true", tmp_path / "csv")
    with open(out, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    warn = ord(WARN) - 65
    shown = {r: rows[r - 1][warn] for r in range(3, 8)}
    assert shown == {3: TYPED_WARNING,                      # kept as typed
                     4: WARNING_STATES["overdue"],          # the hand date 2024-06-20, not 07-10's 临期
                     5: "",                                 # words in 截止日期: cannot be judged
                     6: WARNING_STATES["ongoing"],
                     7: WARNING_STATES["done"]}
    assert rows[4][ord(DUE) - 65] == TYPED_DUE


# ------------------------------------------------------------------ a note below the table

NOTE = "备注：以上任务由区督查室跟踪"


def test_a_note_below_the_master_is_no_task(tmp_path):
    """The trial: the examples merged, a note typed 10 rows under the last task of 汇总."""
    from xltools.work.merge import merge

    master = tmp_path / "汇总.xlsx"
    merge([TIANQIAO, CHANGQING], master, as_of=AS_OF)
    sheet = read_plan(master).sheets[0]
    tasks, last = len(sheet.tasks), max(t.row for t in sheet.tasks)
    wb = openpyxl.load_workbook(master)
    ws = wb[sheet.sheet]
    ws.cell(last + 10, 1).value = NOTE
    wb.save(master)

    result = flag_file(master, as_of=AS_OF)
    assert result.sheets == [(sheet.sheet, tasks)]
    assert result.kept == []                        # merge's own 截止日期 and 预警 are flag's to rewrite
    ws = openpyxl.load_workbook(master)[sheet.sheet]
    header = [c.value for c in ws[sheet.header_row]]
    due, warn = header.index("截止日期") + 1, header.index("预警") + 1
    assert [c.value for c in ws[last + 10] if c.value is not None] == [NOTE]
    assert ws.cell(last + 10, due).value is None and ws.cell(last + 10, warn).value is None
    grid = CalamineWorkbook.from_path(str(master)).get_sheet_by_name(sheet.sheet).to_python()
    assert grid[last + 9][0] == NOTE and [v for v in grid[last + 9] if v != ""] == [NOTE]
    plan = read_plan(master).sheets[0]
    assert len(plan.tasks) == tasks
    (note,) = [f for f in plan.findings if f.code == "note-below-table"]
    assert note.cell == f"A{last + 10}" and note.value == NOTE and note.severity == "info"


def test_a_note_below_a_plan_is_not_joined_to_the_last_task(tmp_path):
    rows = ROWS + [[None]] * 9 + [[NOTE]]
    path = write_xlsx(tmp_path / "plan.xlsx", {SHEET: rows})
    sheet = read_plan(path).sheets[0]
    assert [t.row for t in sheet.tasks] == [3, 4, 5, 6, 7]
    assert sheet.tasks[-1].rows == [7]              # not glued to the last task as its tail
    assert [(f.cell, f.value) for f in sheet.findings if f.code == "note-below-table"] == [(f"A{len(rows)}", NOTE)]
    flag_file(path, as_of=AS_OF)
    ws = openpyxl.load_workbook(path)[SHEET]
    assert [c.value for c in ws[len(rows)] if c.value is not None] == [NOTE]
    ranges = {str(cf.sqref) for cf in ws.conditional_formatting}
    assert ranges == {"A3:G7"}                      # the rows coloured end with the tasks
    # only below the tasks is such a row a note: between tasks it is read as ever
    rows = ROWS[:4] + [[NOTE]] + ROWS[4:]
    sheet = read_plan(write_xlsx(tmp_path / "between.xlsx", {SHEET: rows})).sheets[0]
    assert not [f for f in sheet.findings if f.code == "note-below-table"]
    assert [t.row for t in sheet.tasks][-3:] == [6, 7, 8]


# ------------------------------------------------------------------ the ribbon's 标记逾期, same rule

def test_ribbon_keeps_typed_cells_too(typed, xw, monkeypatch):
    """The 标记逾期 button (xlwings' remote engine, as in test_excel_actions) writes the two
    columns as ranges: the typed cells go back as typed, and its message lists them."""
    from xltools.excel import actions

    book = open_book(xw, typed, SHEET, monkeypatch)
    result = actions.perform(book, actions.mark_overdue)
    assert sorted(result["kept"]) == sorted([f"{WARN}3", f"{DUE}5", f"{DUE}4"])
    formulas = {cell_of(a): a["values"] for a in of(book, "setFormula")}[f"{WARN}3"]
    assert formulas[0] == [TYPED_WARNING] and all(str(f[0]).startswith("=IF(") for f in formulas[1:])
    dues = {cell_of(a): a["values"] for a in of(book, "setValues")}[f"{DUE}3"]
    assert dues[2] == [TYPED_DUE] and dues[1][0].startswith("2024-06-20")
    ((text, _, _),) = alerts(book)
    assert TYPED_WARNING in text and f"{WARN}3" in text and "如需预警，请清空该单元格后再运行" in text
