"""An online form's export as returns for `collect` (报送 by 金山/腾讯收集表, 问卷星 …).

Each row of the export is one unit's report on one task (read/forms.py).  The task is
found in the master by what the form asked: its key or its number (任务编号 / 任务序号),
confirmed by its text when the form asked for that too (the requirement or the task's
title, shortened or whole), or its text alone (the same similarity bar as collect's own
match by text, against the whole requirement).  A found row names the master's task: it carries
the task's key, requirement and deadline, since a form names its task and does not
edit it.  A row found nowhere is handed on as read, and collect logs it as unmatched.
A unit that submitted twice on one task is heard once: its latest submission stands.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xltools import schema
from xltools.model import Task
from xltools.read import Grid, plan_from_grids
from xltools.read.forms import is_form_export
from xltools.rules.keys import normal_text
from xltools.rules.units import normalize_unit


TEXTS = (schema.REQUIREMENT.key, schema.SUBSECTION.key, schema.SECTION.key)


@dataclass
class FormReport:
    """One row of an export: the unit that answered, when, and the task it reported on."""
    unit: str
    reported_at: dt.date | None
    tasks: list[Task]


def form_reports(path: Path, grids: list[Grid], master_rows: list[dict[str, Any]],
                 threshold: int) -> list[FormReport] | None:
    """The reports of an online form's export, oldest first; None when the file is no export."""
    exports = [g for g in grids if is_form_export(g)]
    if not exports:
        return None
    plan = plan_from_grids(path, exports)
    by_key = {str(r[schema.TASK_KEY.key]): r for r in master_rows}
    out = []
    for sheet in plan.sheets:
        for task in sheet.tasks:
            row = _master_row(task, task.district or sheet.district, master_rows, by_key, threshold)
            if row is not None:
                task = dataclasses.replace(task, key=str(row[schema.TASK_KEY.key]),
                                           requirement=row.get(schema.REQUIREMENT.key),
                                           deadline_raw=row.get(schema.DEADLINE.key))
            out.append(FormReport(normalize_unit(task.reported_by) or path.stem, task.reported_at, [task]))
    return _latest(sorted(out, key=lambda r: _moment(r.reported_at)))


def _latest(reports: list[FormReport]) -> list[FormReport]:
    """A unit's latest report on a task, the earlier ones it replaced left out (so collecting
    the export again finds nothing new); reports on no known task are all kept, to be logged."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for r in reversed(reports):
        key = r.tasks[0].key
        if key is None or (r.unit, key) not in seen:
            kept.append(r)
            if key is not None:
                seen.add((r.unit, key))
    return kept[::-1]


def _master_row(task: Task, district: str | None, rows: list[dict[str, Any]], by_key: dict[str, dict],
                threshold: int) -> dict[str, Any] | None:
    """The master's row the report is on: by key; by number (with the text, when given, as
    the judge among the rows of that number); else by text alone."""
    if task.key is not None:
        return by_key.get(str(task.key))
    rows = [r for r in rows if not district or not r.get(schema.DISTRICT.key) or r[schema.DISTRICT.key] == district]
    mine = normal_text(task.requirement)
    if task.seq is not None:
        numbered = [r for r in rows if _number(r.get(schema.SEQ.key)) == _number(task.seq)]
        if not mine:
            return numbered[0] if len(numbered) == 1 else None
        named = [r for r in numbered if _names(mine, r, threshold)]
        if len(named) == 1:
            return named[0]
    return _by_text(mine, rows, threshold) if mine else None


def _names(mine: str, row: dict[str, Any], threshold: int) -> bool:
    """Does the text a unit typed beside the number name this task: are its characters,
    in order, those of the task's requirement or title (units shorten a long requirement
    as they shorten names: 持续开展生活垃圾分类宣传活动 for 持续开展生活垃圾分类进企业、…等宣传活动)?"""
    from rapidfuzz.distance import LCSseq

    return any(LCSseq.similarity(mine, theirs) * 100 >= threshold * len(mine) for k in TEXTS
               if (theirs := normal_text(row.get(k))))


def _by_text(mine: str, rows: list[dict[str, Any]], threshold: int) -> dict[str, Any] | None:
    """The one row whose requirement is most like the text, at or over the bar."""
    from rapidfuzz import fuzz

    scored = sorted(((fuzz.ratio(mine, normal_text(r.get(schema.REQUIREMENT.key))), i) for i, r in enumerate(rows)),
                    reverse=True)
    if not scored or scored[0][0] < threshold or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return rows[scored[0][1]]


def _number(v: Any) -> str:
    """A task number as compared: 3, 3.0 (a reader's float) and "3" are one number."""
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v if v is not None else "").strip()


def _moment(v: dt.date | None) -> dt.datetime:
    if v is None:
        return dt.datetime.min
    return v if isinstance(v, dt.datetime) else dt.datetime(v.year, v.month, v.day)
