"""A return of an earlier round collected again (its 报送日期 before the one the same unit
typed on the report the master already has) does not undo the newer report: what it
changed is not written, and the line says both dates.  A return whose unit typed no date,
or one of the same day (a correction), is collected as before."""
from __future__ import annotations

import datetime as dt
import shutil

import openpyxl
import pytest

from conftest import TIANQIAO
from loop_fixtures import copy_loop, edit, split_master, task_rows
from xltools.work.loop import collect
from xltools.write.templates import PROGRESS_SHEET

NOW = dt.datetime(2024, 6, 5, 8, 0)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("older")
    return base, split_master(base, [TIANQIAO])


def report(path, seq, progress, day):
    """The unit types its progress on task `seq` and, above the table, its 报送日期 (None: left blank)."""
    def change(ws, head, rows):
        ws.cell(rows[seq], head["进展情况"]).value = progress
        label = next(x for row in ws.iter_rows(max_row=8) for x in row if str(x.value or "").startswith("报送日期"))
        cell = next(x for x in ws[label.row][label.column:] if x.column > label.column)
        cell.value = day
    edit(path, change)


def master_row(master, seq):
    ws = openpyxl.load_workbook(master)["汇总"]
    head = {c.value: c.column - 1 for c in ws[1]}
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[head["序号"]] == seq)
    return {name: row[c] for name, c in head.items()}


def test_an_older_return_does_not_undo_a_newer_report(built, tmp_path):
    master, _, files = copy_loop(*built, tmp_path)
    path = next(iter(files.values()))
    seq = sorted(task_rows(openpyxl.load_workbook(path)[PROGRESS_SHEET])[1])[0]
    report(path, seq, "第一轮：已起草", dt.date(2024, 6, 3))
    round_one = tmp_path / "第一轮留存.xlsx"
    shutil.copy(path, round_one)
    assert collect([path], master, now=NOW).updated
    report(path, seq, "第二轮：已印发", dt.date(2024, 6, 10))
    assert collect([path], master, now=NOW + dt.timedelta(days=7)).updated
    assert master_row(master, seq)["进展情况"] == "第二轮：已印发"
    before = master_row(master, seq)
    older = collect([round_one], master, now=NOW + dt.timedelta(days=8))
    assert master_row(master, seq) == before                  # nothing of the older report written
    (line,) = older.findings_of("collect-older-report")
    assert "2024-06-03" in line.message() and "2024-06-10" in line.message() and "第一轮：已起草" in line.message()
    assert line.cell and older.updated == 0 and older.exit_code != 0
    assert "2024-06-03" in line.message("en") and "before the report" in line.message("en")
    # the same day: a correction, taken
    report(path, seq, "第二轮更正：已印发并公开", dt.date(2024, 6, 10))
    assert collect([path], master, now=NOW + dt.timedelta(days=9)).updated
    assert master_row(master, seq)["进展情况"] == "第二轮更正：已印发并公开"


def test_without_a_typed_date_there_is_nothing_to_compare(built, tmp_path):
    """The master's 报送时间 is then the time it was collected (not a date the unit typed):
    a return dated the day before, sent late, is still taken."""
    master, _, files = copy_loop(*built, tmp_path)
    path = next(iter(files.values()))
    seq = sorted(task_rows(openpyxl.load_workbook(path)[PROGRESS_SHEET])[1])[0]
    report(path, seq, "未填报送日期", None)
    collect([path], master, now=NOW)
    assert master_row(master, seq)["报送时间"] == NOW
    report(path, seq, "前一天填写、晚交", dt.date(2024, 6, 4))
    late = collect([path], master, now=NOW + dt.timedelta(days=1))
    assert late.updated and not late.findings_of("collect-older-report")
    assert master_row(master, seq)["进展情况"] == "前一天填写、晚交"
