"""Checks on what was read: unit names against the registry, deadlines against the
grammar of Chinese date phrases.  Every problem is a Finding with a suggestion."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from xltools.errors import XltoolsError
from xltools.findings import Finding, Report
from xltools.model import PlanFile, Task, TaskSheet
from xltools.read import read_plan
from xltools.rules.units import UnitRegistry, split_units

# Deadline problems that are findings of their own name.
DEADLINE_PROBLEMS = {"missing-deadline", "impossible-date", "unparseable", "vague-deadline", "needs-year",
                     "needs-issue-date"}


def check_sheet(sheet: TaskSheet, registry: UnitRegistry) -> list[Finding]:
    registry = registry.for_district(sheet.district)
    found = list(sheet.findings)
    if sheet.year is None and sheet.layout == "table":
        found.append(Finding("no-year", str(sheet.file), sheet.sheet, None))
    for task in sheet.tasks:
        if not task.is_empty:
            found.extend(check_task(task, sheet, registry.for_district(task.district) if task.district else registry))
    return found


def check_task(task: Task, sheet: TaskSheet, registry: UnitRegistry) -> list[Finding]:
    out: list[Finding] = []

    def add(code: str, key: str, value=None, **params):
        out.append(Finding(code, str(sheet.file), sheet.sheet, task.cells.get(key, task.cells.get("seq")),
                           None if value is None else str(value),
                           {"seq": task.seq, "year": sheet.year or "", **params}))

    unit_key = "units" if "units" in task.cells else "lead"
    if not task.lead_units and not task.support_units:
        add("missing-units", unit_key)
    for key, pieces in _unit_columns(task, registry):
        for piece in pieces:
            if registry.resolve(piece) is None:
                suggestions = registry.suggest(piece)
                if suggestions:
                    add("unknown-unit", key, piece, unit=piece, suggestions="、".join(suggestions))
                else:
                    add("unknown-unit-nosuggest", key, piece, unit=piece)
    problem = task.deadline.problem if task.deadline else None
    if problem in DEADLINE_PROBLEMS and not (problem == "missing-deadline" and sheet.layout == "text"):
        add(problem, "deadline", task.deadline_raw, what=_what(task.deadline.detail))
    for key in ("section", "subsection", "requirement", "units", "progress"):
        text = getattr(task, "units_raw" if key == "units" else key)
        if isinstance(text, str) and text.startswith("="):
            add("formula-text", key, text[:40])
    return out


def _unit_columns(task: Task, registry: UnitRegistry) -> list[tuple[str, tuple[str, ...]]]:
    """The unit names by the column they are written in: one 责任单位 column, or 牵头单位 and
    配合单位 apart (an unknown cooperating unit is reported in its own cell).  Names the reader
    could not resolve are kept as written in lead_units/support_units."""
    if "units" in task.cells or "lead" not in task.cells:
        return [("units" if "units" in task.cells else "lead", split_units(task.units_raw or "", registry=registry).all)]
    return [("lead", task.lead_units), ("support" if "support" in task.cells else "lead", task.support_units)]


def _what(detail: dict) -> str:
    parts = []
    if "month" in detail:
        parts.append(f"{detail['month']}月")
    if "day" in detail:
        parts.append(f"{detail['day']}日")
    return "".join(parts) or "日期超出范围"


def validate_plan(plan: PlanFile, registry: UnitRegistry | None = None) -> list[Finding]:
    registry = registry or UnitRegistry.default()
    found = list(plan.notes)
    for sheet in plan.sheets:
        found.extend(check_sheet(sheet, registry))
    return found


def validate(paths: Iterable[str | Path], registry: UnitRegistry | None = None, *, year: int | None = None,
             sheet: str | None = None) -> Report:
    """Read and check every file; files that cannot be read are listed, not raised."""
    registry = registry or UnitRegistry.default()
    report = Report()
    for path in paths:
        try:
            plan = read_plan(path, sheet, year=year, registry=registry)
        except XltoolsError as exc:  # not checked: listed, and not counted among the files checked
            report.unreadable.append(exc)
            continue
        report.files += 1
        report.tasks += len(plan.tasks)
        report.extend(validate_plan(plan, registry))
    return report
