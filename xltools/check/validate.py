"""Checks on what was read: unit names against the registry, deadlines against the
grammar of Chinese date phrases.  Every problem is a Finding with a suggestion."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path
from typing import Any, Callable, Iterable

from xltools import schema
from xltools.errors import Words, XltoolsError
from xltools.findings import Finding, Report, task_named
from xltools.model import PlanFile, Task, TaskSheet
from xltools.read import ColumnSpec, read_plan
from xltools.read.finish import district_registry
from xltools.rules.deadlines import OFF_PLAN_YEAR, excel_serial_date, off_plan_year, parse_day, parse_deadline
from xltools.rules.keys import plan_year
from xltools.rules.text import looks_like_formula
from xltools.rules.units import UnitName, UnitRegistry, is_own_section, split_units
from xltools.texts import t

# Deadline problems that are findings of their own name.
DEADLINE_PROBLEMS = {"missing-deadline", "impossible-date", "unparseable", "vague-deadline", "needs-year",
                     "needs-issue-date", "seasonal-deadline"}


def check_sheet(sheet: TaskSheet, registry: UnitRegistry) -> list[Finding]:
    found = list(sheet.findings)
    if sheet.year is None and sheet.layout == "table":
        found.append(Finding("no-year", str(sheet.file), sheet.sheet, None))
    if not sheet.district and not any(task.district for task in sheet.tasks):   # validate says what merge would
        found.append(Finding("unknown-district", str(sheet.file), sheet.sheet, None))
    tasks = [task for task in sheet.tasks if not task.is_empty]
    lacking = missing_columns(sheet) if tasks else set()
    for code in sorted(lacking):
        found.append(Finding(code, str(sheet.file), sheet.sheet, None, params={"n": len(tasks), "year": sheet.year or ""}))
    # a 同上 with nothing above is said once, by the reader: not again as a remark or an unreadable deadline
    said = {f.cell for f in sheet.findings if f.code == "same-as-above-none"}
    for task in tasks:
        found.extend(f for f in check_task(task, sheet, district_registry(registry, task.district or sheet.district),
                                           lacking) if f.cell not in said)
    return found


def missing_columns(sheet: TaskSheet) -> set[str]:
    """The findings of a table read without a units or a deadline column at all (many
    published plans have none): said once for the sheet, not once for every task."""
    if sheet.layout != "table":
        return set()
    out = set()
    if not sheet.columns.keys() & {"units", "lead", "support"}:
        out.add("no-units-column")
    if not sheet.columns.keys() & {"deadline", "due"}:
        out.add("no-deadline-column")
    return out


def check_task(task: Task, sheet: TaskSheet, registry: UnitRegistry, lacking: set[str] = frozenset()) -> list[Finding]:
    """The task's own problems; `lacking`: the columns its sheet has not at all (said once
    for the sheet, see missing_columns), whose emptiness is not the task's."""
    out: list[Finding] = []

    def add(code: str, key: str, value=None, **params):
        out.append(Finding(code, str(sheet.file), sheet.sheet, task.cells.get(key, task.cells.get("seq")),
                           None if value is None else str(value),
                           {"seq": task.seq, "task": task_named(task.seq, task.row), "year": sheet.year or "",
                            **params}))

    if not task.lead_units and not task.support_units and "no-units-column" not in lacking:
        remarks = split_units(task.units_text).notes if task.units_text else ()
        if remarks:     # 同上, 待定 …: a remark where the units should be
            add("units-only-remark", "units" if "units" in task.cells else "lead", task.units_text,
                remark="、".join(remarks))
        else:
            add("missing-units", "units" if "units" in task.cells else "lead")
    for key, units in _unit_columns(task):
        for unit in units:
            if unit.entry is None:
                code, params = unknown_unit(unit.written, registry, sheet.own_plan_of, sheet.file)
                add(code, key, unit.written, **params)
    problem = task.deadline.problem if task.deadline else None
    # a text plan's item and a form's report need not name a deadline of their own
    if problem in DEADLINE_PROBLEMS and not (problem == "missing-deadline" and (
            sheet.layout in ("text", "form") or "no-deadline-column" in lacking)):
        add(problem, "deadline", task.deadline_raw, what=_what(task.deadline.detail))
    if problem is None and task.deadline is not None and task.deadline.due and task.deadline.detail.get("season"):
        add("seasonal-deadline-read", "deadline", task.deadline_raw, due=task.deadline.due.isoformat())   # 汛期前: by convention
    likely = off_plan_year(task.deadline, plan_year(task.key, sheet.year))   # a master's row: its own year
    if likely is not None:
        add(OFF_PLAN_YEAR, "deadline", task.deadline_raw, written=task.deadline.due.year, likely=likely)
    for key in ("section", "subsection", "requirement", "units", "progress"):
        text = getattr(task, "units_text" if key == "units" else key)
        if looks_like_formula(text):
            add("formula-text", key, text[:40], start=text[0])
    return out


def unknown_unit(written: str, registry: UnitRegistry, own_plan_of: str | None = None,
                 file: str | Path | None = None) -> tuple[str, dict]:
    """The finding code and parameters for a unit not in the registry: similar names
    are suggested, never taken for it.  In the own plan of a zone or a body (not a
    government's), a name without a place or tier prefix is taken for one of its own
    sections: a note, not an error, and no other body is suggested for it.  Each says how
    to add it: `units learn` from `file` (a county's towns, villages and bodies are many),
    or, for a cell in Excel (no file), the 单位名录 button."""
    add = Words("unit-add-learn", file=str(file)) if file else Words("unit-add-button")
    if own_plan_of and is_own_section(written, registry):
        return "unknown-unit-internal", {"unit": written, "issuer": own_plan_of, "add": add}
    suggestions = registry.suggest(written)
    if suggestions:
        return "unknown-unit", {"unit": written, "suggestions": "、".join(suggestions), "add": add}
    return "unknown-unit-nosuggest", {"unit": written, "add": add}


def _unit_columns(task: Task) -> list[tuple[str, tuple[UnitName, ...]]]:
    """The units by the column they are written in: one 责任单位 column, or 牵头单位 and
    配合单位 apart (an unknown cooperating unit is reported in its own cell)."""
    if "units" in task.cells or "lead" not in task.cells:
        return [("units" if "units" in task.cells else "lead", task.lead_units + task.support_units)]
    return [("lead", task.lead_units), ("support" if "support" in task.cells else "lead", task.support_units)]


def _what(detail: dict) -> str:
    """What is impossible about a date, in the words of the cell (13月, 30日 …)."""
    if "stages" in detail:
        return t("what-stages-order")
    if "start" in detail:
        return t("what-range-reversed", start=detail["start"], end=detail["end"])
    parts = []
    if "month" in detail:
        parts.append(f"{detail['month']}月")
    if "day" in detail:
        parts.append(f"{detail['day']}日")
    return "".join(parts) or t("what-out-of-range")


def check_reported(task: Task, file: str, sheet: str | None, *, done_known: bool = False,
                   about: dict | None = None, within: tuple[dt.date, dt.date] | None = None
                   ) -> tuple[dict[str, Any], list[Finding]]:
    """What a unit reported for a task (状态, 进展情况, 完成日期) as the master holds it, and
    a finding for each value that cannot be taken, which is left out of the values: an
    impossible or unreadable completion date, text in the date cell, a status outside
    the list (a variant whose meaning is clear is mapped: 办结 → 已完成, with a note),
    已完成 without a completion date (unless `done_known`: the master already has one).
    `about` goes into each finding's parameters (what names the task, who reported);
    `within` (the plan year's first day, the day it was reported) gives a date typed
    without its year (9月30日) its year (completion_day)."""
    values: dict[str, Any] = {}
    found: list[Finding] = []

    def add(code: str, key: str, value: Any, **params) -> None:
        found.append(Finding(code, file, sheet, task.cells.get(key, task.cells.get("seq")),
                             None if value is None else str(value).strip(),
                             {"seq": task.seq, **(about or {}), **params}))

    if not blank(task.progress):
        values["progress"] = task.progress.strip() if isinstance(task.progress, str) else task.progress
    example = Words("example-day", year=(within[1] if within else dt.date.today()).year)   # the plan year's
    if not blank(task.done_date):
        day, problem, detail = completion_day(task.done_date, within)
        if day is not None:
            values["done_date"] = day
            if detail.get("year_added"):
                add("collect-date-year-added", "done_date", task.done_date, day=day)
        else:
            add(problem, "done_date", task.done_date, what=_what(detail), example=example)
    if not blank(task.status):
        status = schema.status_value(task.status)
        if status is None:
            guess = schema.status_guess(task.status)
            add("collect-unknown-status", "status", task.status, choices="、".join(schema.STATUS_VALUES),
                guess=Words("status-guess", status=guess) if guess else "")
        elif done_without_date(status, values.get("done_date")) and not done_known:
            add("collect-done-without-date", "status", task.status)
        else:
            if str(task.status).strip() != status:
                add("collect-status-mapped", "status", task.status, status=status)
            values["status"] = status
    return values, found


def completion_day(value: Any, within: tuple[dt.date, dt.date] | None = None
                   ) -> tuple[dt.date | None, str | None, dict]:
    """A completion date as typed → (the day, None, {}), or (None, finding code, what is
    wrong) for an impossible date (2024年2月30日) or text that is no day.  With `within`
    (the plan year's first day, the day it was reported), a day typed without its year
    (9月30日, 9月30号) is the latest such day in that span, if there is one: a task is
    completed neither after it is reported nor before its plan (the detail then says
    {"year_added": True})."""
    if isinstance(value, dt.datetime):
        return value.date(), None, {}
    if isinstance(value, dt.date):
        return value, None, {}
    serial = excel_serial_date(value)
    if serial is not None:
        return serial, None, {}
    text = str(value).strip()
    day = parse_day(text)
    if day is not None:
        return day, None, {}
    month_day = _MONTH_DAY.fullmatch(unicodedata.normalize("NFKC", text)) if within else None
    if month_day:
        first, last = within
        for year in range(last.year, first.year - 1, -1):
            try:
                day = dt.date(year, int(month_day[1]), int(month_day[2]))
            except ValueError:
                continue
            if first <= day <= last:
                return day, None, {"year_added": True}
        return None, "collect-date-no-year", {}
    parsed = parse_deadline(text)
    if parsed.problem == "impossible-date":
        return None, "collect-impossible-date", parsed.detail
    return None, "collect-not-a-date", {}


_MONTH_DAY = re.compile(r"\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?\s*")
DONE = schema.STATUS_VALUES[2]     # 已完成


def done_without_date(status: Any, done_date: Any) -> bool:
    """已完成 (in any spelling) with no completion date."""
    return schema.status_value(status) == DONE and blank(done_date)


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def validate_plan(plan: PlanFile, registry: UnitRegistry | None = None) -> list[Finding]:
    registry = registry or UnitRegistry.default()
    found = list(plan.notes)
    for sheet in plan.sheets:
        found.extend(check_sheet(sheet, registry))
    return found


def validate(paths: Iterable[str | Path], registry: UnitRegistry | None = None, *, year: int | None = None,
             sheet: str | None = None, columns: ColumnSpec | None = None,
             more: Callable[[Path, PlanFile, list[Finding]], list[Finding]] | None = None) -> Report:
    """Read and check every file; files that cannot be read are listed, not raised.
    `columns`: a clerk's column map (else each folder's saved 列对应.json).  `more(path,
    plan, found)`: the findings of each file read, given its own (work.return_check adds
    collect's checks of a return and says the plan's own problems as notes, which this
    layer cannot import)."""
    registry = registry or UnitRegistry.default()
    report = Report()
    for path in paths:
        try:
            plan = read_plan(path, sheet, year=year, registry=registry, columns=columns)
        except XltoolsError as exc:  # not checked: listed, and not counted among the files checked
            report.unreadable.append(exc)
            continue
        report.files += 1
        report.tasks += len(plan.tasks)
        found = validate_plan(plan, registry)
        report.extend(found if more is None else more(Path(path), plan, found))
    return report
