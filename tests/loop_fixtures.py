"""The split/collect loop's files as tests make them (test_loop_rules, test_collect_checks):
a master merged from plans and split into returns, a fresh copy of both for each test, and
a return's task rows typed into with openpyxl as a unit would in Excel."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable, Iterable

import openpyxl

from xltools.work.loop import split
from xltools.work.merge import merge
from xltools.write.templates import PROGRESS_SHEET, SENT_SHEET

HEAD_ROW = 3            # a return's heading row in 进展报送


def split_master(base: Path, plans: Iterable[Path], prepare: Callable[[Path], None] | None = None):
    """base/汇总.xlsx merged from `plans` (then changed by `prepare`, as people would before
    splitting), split into base/下发; the split's summary."""
    master = base / "汇总.xlsx"
    merge(list(plans), master)
    if prepare:
        prepare(master)
    return split(master, base / "下发")


def copy_loop(base: Path, summary, into: Path) -> tuple[Path, Path, dict[str, Path]]:
    """A fresh copy of split_master's master and returns in `into`: (master, 下发, {label: return})."""
    master = into / "汇总.xlsx"
    shutil.copy(base / "汇总.xlsx", master)
    out = into / "下发"
    shutil.copytree(base / "下发", out)
    return master, out, {label: out / path.name for label, path, _, _ in summary.files}


def head_of(ws) -> dict[str, int]:
    """A return's headings → their columns."""
    return {ws.cell(HEAD_ROW, c).value: c for c in range(1, ws.max_column + 1)}


def task_rows(ws) -> tuple[dict[str, int], dict[int, int]]:
    """A return's headings and the Excel row of each task, by 序号."""
    head = head_of(ws)
    return head, {ws.cell(r, head["序号"]).value: r for r in range(HEAD_ROW + 1, ws.max_row + 1)
                  if ws.cell(r, head["任务编号"]).value}


def edit(path: Path, change: Callable) -> None:
    """Open the return as a unit would (protection removed), change(ws, head, rows), save."""
    wb = openpyxl.load_workbook(path)
    ws = wb[PROGRESS_SHEET]
    ws.protection.sheet = False
    head, rows = task_rows(ws)
    change(ws, head, rows)
    wb.save(path)


def fill(path: Path, seq: int, **values) -> None:
    """Type into the row of task `seq` (by 序号) as a unit would, the protection kept."""
    wb = openpyxl.load_workbook(path)
    ws = wb[PROGRESS_SHEET]
    head, rows = task_rows(ws)
    for name, value in values.items():
        ws.cell(rows[seq], head[name]).value = value
    wb.save(path)


def set_master(master: Path, values: dict[tuple[str, int], dict[str, object]]) -> None:
    """Type into the master's 汇总 rows (区县, 序号) → {heading: value}, as the office
    would before splitting."""
    wb = openpyxl.load_workbook(master)
    ws = wb["汇总"]
    head = {c.value: c.column for c in ws[1]}
    for r in range(2, ws.max_row + 1):
        for name, value in values.get((ws.cell(r, head["区县"]).value, ws.cell(r, head["序号"]).value), {}).items():
            ws.cell(r, head[name]).value = value
    wb.save(master)


def led_alone(path: Path) -> set[str]:
    """The keys of the tasks a return's unit leads alone, as its 下发底稿 lists who leads
    each (leads_sent): a task led by several, or by a collective's members, is complete
    only when all say so (test_collect_leads, test_remind_collected)."""
    sent = openpyxl.load_workbook(path)[SENT_SHEET]
    fields = [c.value for c in sent[2]]
    return {r[0] for r in sent.iter_rows(min_row=3, values_only=True) if r[fields.index("role")] == "lead"
            and "\n" not in str(r[fields.index("leads_sent")] or "")}
