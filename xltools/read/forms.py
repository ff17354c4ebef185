"""An online collection form's export (金山表单/WPS 收集表, 腾讯收集表, 问卷星 …) read as a task sheet.

Offices collect progress with an online form and download the results: one row per
submission, the service's own columns (提交者, 提交时间, 序号/编号, 所用时间, 来自IP …) around
the form's questions (填写单位, 联系电话, 任务序号 or 任务名称, 进展情况 …).  Services write a
question as asked: "填写单位（必填）" (腾讯收集表), "3、进展情况" (问卷星).

Recognised by structure: a submission-time column, a unit column and a task column.  Each
row is one unit's report on one task: the unit it names (填写单位 or its synonyms) is the
row's unit and its reporter; who submitted (a nickname or a person) and the phone number
are never units; 提交时间 is when it was reported.  A service's 序号/编号 numbers the
submissions: the task's number is a question of its own (任务序号, 任务编号 …).
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from xltools import schema
from xltools.model import ParsedTask, TaskSheet, col_letter
from xltools.read.context import PlanContext, context_from_lines, issued_in
from xltools.read.grid import Grid
from xltools.read.table import _typed
from xltools.rules.deadlines import parse_day
from xltools.rules.keys import KEY_SHAPE

HEADER_SCAN_ROWS = 5      # an export's header is its first row (a title line above it at most)
# a question's number as the services write it before the question: "3、", "3.", "Q3", "第3题"
_QUESTION_NO = re.compile(r"^\s*(?:第\s*\d{1,3}\s*题|[Qq]\s*\d{1,3}|\d{1,3}\s*[、.．:：)）])\s*")
_ASKING = re.compile(r"^(?:请填写|请输入|请选择|您的|你的|贵)")   # 您的姓名, 请填写单位名称, 贵单位名称
_TIME = re.compile(r"^(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?$")
TASK_TEXT = ("section", "subsection", "requirement")
_UNIT_QUESTIONS = ("units", "lead")   # a form without 填写单位 that asks 责任单位: the unit answering


def question(text: Any) -> str:
    """A header as the form asked it: without the service's question number and the
    polite words around what is asked."""
    return _ASKING.sub("", _QUESTION_NO.sub("", str(text or "")).strip())


# Every way of writing the submission time ends in one of these (提交时间, 提交日期 …): a row
# without one is no export's header, whatever else it holds (most rows of most sheets).
_SUBMITTED_TAILS = tuple({schema.normalize_header(s)[-2:] for s in schema.SUBMITTED_AT.synonyms})


def form_columns(row: list[Any]) -> dict[str, int] | None:
    """The columns of an export's header row by meaning, or None when the row is not one:
    a submission time, a reporting unit and a task (its text or its number) are needed."""
    if not any(v.__class__ is str and any(t in "".join(v.split()) for t in _SUBMITTED_TAILS) for v in row):
        return None
    columns: dict[str, int] = {}
    for c, v in enumerate(row):
        if not isinstance(v, str) or not v.strip():
            continue
        asked = question(v)
        key = schema.form_column_for_header(asked)
        if key is None:
            keys = schema.columns_for_header(asked)
            key = keys[0] if keys else None
            if key in ("seq", "key"):   # the service's 序号 is FORM_META; this is the task's number
                key = "task_no"
            elif key == "deadline" and not any(w in asked for w in ("时限", "期限", "截止", "节点")):
                key = "done_date"           # a unit reporting 完成时间 says when it was done, not when due
        if key is not None and key != "form_meta":
            columns.setdefault(key, c)
    unit = "reported_by" if "reported_by" in columns else next((k for k in _UNIT_QUESTIONS if k in columns), None)
    task = any(k in columns for k in (*TASK_TEXT, "task_no"))
    if "submitted_at" not in columns or unit is None or not task:
        return None
    if unit != "reported_by":
        columns["reported_by"] = columns.pop(unit)
    for k in _UNIT_QUESTIONS:   # the task's own units, copied into the form, are not the report's
        columns.pop(k, None)
    columns.pop("support", None)
    texts = [k for k in TASK_TEXT if k in columns]
    if len(texts) == 1:         # the one question naming the task (任务名称, 工作任务) is its text
        columns["requirement"] = columns.pop(texts[0])
    return columns


def _form_header(grid: Grid) -> tuple[int, dict[str, int]] | None:
    for h in range(min(HEADER_SCAN_ROWS, len(grid.rows))):
        if (columns := form_columns(grid.rows[h])) is not None:
            return h, columns
    return None


def is_form_export(grid: Grid) -> bool:
    """Is the grid an online form's export (its header only is looked at)?"""
    return _form_header(grid) is not None


def parse_form_export(grid: Grid, given: PlanContext = PlanContext(),
                      fallback: PlanContext = PlanContext()) -> TaskSheet | None:
    """The export as a task sheet (layout "form"), unfinished; None when the grid is no export."""
    header = _form_header(grid)
    if header is None:
        return None
    h, columns = header
    rows = grid.rows
    titles = [str(v) for row in rows[:h] for v in row if v not in (None, "")]
    ctx = given.overlay(context_from_lines(titles)).overlay(context_from_lines([grid.sheet])).overlay(fallback)
    sheet = TaskSheet(grid.source, grid.sheet, ctx.district, ctx.year, issued_in(rows[:h]) or ctx.issued,
                      header_row=h + 1, columns={k: col_letter(c) for k, c in columns.items()}, layout="form")
    sheet.findings.extend(ctx.findings(grid.source, grid.sheet))
    for r in range(h + 1, len(rows)):
        task = _report(rows[r], r, columns)
        if task is not None:
            sheet.parsed.append(task)
    return sheet


def _report(row: list[Any], r: int, columns: dict[str, int]) -> ParsedTask | None:
    """One submission as a task: its task (number or text), the unit answering, what it reported."""
    def cell(key: str) -> Any:
        c = columns.get(key)
        return _typed("units" if key == "reported_by" else key, row[c]) if c is not None and c < len(row) else None

    if all(cell(k) is None for k in columns if k not in ("submitted_at", "submitter", "phone")):
        return None   # an empty row, or one the service filled alone
    task = ParsedTask(row=r + 1, rows=[r + 1])
    for key in ("section", "subsection", "requirement", "deadline", "status", "progress", "done_date", "leader",
                "district"):   # a city's form asks each unit its 区县 too
        if key in columns:
            setattr(task, "deadline_cell" if key == "deadline" else key, cell(key))
    number = cell("task_no")
    if number is not None and KEY_SHAPE.match(number):
        task.key = number          # a form whose options are our task keys
    elif number is not None:
        task.seq = int(number) if number.isdigit() else number
    task.units_text = task.reported_by = cell("reported_by")
    task.submitter = cell("submitter")
    c = columns["submitted_at"]
    task.reported_at = submitted_at(row[c] if c < len(row) else None)
    task.cells = {("seq" if k == "task_no" else "units" if k == "reported_by" else k): f"{col_letter(c)}{r + 1}"
                  for k, c in columns.items() if k not in ("submitter", "phone")}
    return task


def submitted_at(value: Any) -> dt.date | None:
    """A submission time as services write it: a date cell, 2025/6/28 10:13:05, 2025-06-28
    10:13, 2025年6月28日 10:13 (a datetime), or a day alone (a date); None for anything else."""
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0)
    if isinstance(value, dt.date):
        return value
    day_text, _, time_text = str(value or "").strip().partition(" ")
    day = parse_day(day_text)
    if day is None:
        return None
    m = _TIME.match(time_text.strip())
    if not time_text.strip():
        return day
    if m is None or int(m[1]) > 23 or int(m[2]) > 59:
        return None
    return dt.datetime(day.year, day.month, day.day, int(m[1]), int(m[2]), int(m[3] or 0))
