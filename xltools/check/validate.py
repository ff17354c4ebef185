"""Checks on what was read: unit names against the registry, deadlines against the
grammar of Chinese date phrases.  Every problem is a Finding with a suggestion."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from xltools.errors import XltoolsError
from xltools.findings import Finding, Report
from xltools.model import PlanFile, Task, TaskSheet
from xltools.read import ColumnSpec, read_plan
from xltools.read.finish import district_registry
from xltools.rules.text import looks_like_formula
from xltools.rules.units import UnitName, UnitRegistry
from xltools.texts import t

# Deadline problems that are findings of their own name.
DEADLINE_PROBLEMS = {"missing-deadline", "impossible-date", "unparseable", "vague-deadline", "needs-year",
                     "needs-issue-date"}


def check_sheet(sheet: TaskSheet, registry: UnitRegistry) -> list[Finding]:
    found = list(sheet.findings)
    if sheet.year is None and sheet.layout == "table":
        found.append(Finding("no-year", str(sheet.file), sheet.sheet, None))
    for task in sheet.tasks:
        if not task.is_empty:
            found.extend(check_task(task, sheet, district_registry(registry, task.district or sheet.district)))
    return found


def check_task(task: Task, sheet: TaskSheet, registry: UnitRegistry) -> list[Finding]:
    out: list[Finding] = []

    def add(code: str, key: str, value=None, **params):
        out.append(Finding(code, str(sheet.file), sheet.sheet, task.cells.get(key, task.cells.get("seq")),
                           None if value is None else str(value),
                           {"seq": task.seq, "year": sheet.year or "", **params}))

    if not task.lead_units and not task.support_units:
        add("missing-units", "units" if "units" in task.cells else "lead")
    for key, units in _unit_columns(task):
        for unit in units:
            if unit.entry is None:
                code, params = unknown_unit(unit.written, registry)
                add(code, key, unit.written, **params)
    problem = task.deadline.problem if task.deadline else None
    # a text plan's item and a form's report need not name a deadline of their own
    if problem in DEADLINE_PROBLEMS and not (problem == "missing-deadline" and sheet.layout in ("text", "form")):
        add(problem, "deadline", task.deadline_raw, what=_what(task.deadline.detail))
    for key in ("section", "subsection", "requirement", "units", "progress"):
        text = getattr(task, "units_text" if key == "units" else key)
        if looks_like_formula(text):
            add("formula-text", key, text[:40], start=text[0])
    return out


def unknown_unit(written: str, registry: UnitRegistry) -> tuple[str, dict]:
    """The finding code and parameters for a unit not in the registry: similar names
    are suggested, never taken for it."""
    suggestions = registry.suggest(written)
    if suggestions:
        return "unknown-unit", {"unit": written, "suggestions": "、".join(suggestions)}
    return "unknown-unit-nosuggest", {"unit": written}


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


def validate_plan(plan: PlanFile, registry: UnitRegistry | None = None) -> list[Finding]:
    registry = registry or UnitRegistry.default()
    found = list(plan.notes)
    for sheet in plan.sheets:
        found.extend(check_sheet(sheet, registry))
    return found


def validate(paths: Iterable[str | Path], registry: UnitRegistry | None = None, *, year: int | None = None,
             sheet: str | None = None, columns: ColumnSpec | None = None) -> Report:
    """Read and check every file; files that cannot be read are listed, not raised.
    `columns`: a clerk's column map (else each folder's saved 列对应.json)."""
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
        report.extend(validate_plan(plan, registry))
    return report
