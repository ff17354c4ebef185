"""What every parsed sheet gets, whatever its layout (table or text): units split and
resolved against the district's registry, deadlines parsed, numbering checked."""
from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from xltools.findings import Finding
from xltools.model import Task, TaskSheet
from xltools.rules.deadlines import parse_deadline
from xltools.rules.keys import key_year
from xltools.rules.units import UnitRegistry, split_units


def finish_tasks(sheet: TaskSheet, registry: UnitRegistry | None) -> None:
    """Split and resolve units, parse deadlines, note numbering and empty rows."""
    base = registry or UnitRegistry.default()
    registries: dict[str | None, UnitRegistry] = {}
    for task in sheet.tasks:
        district = task.district or sheet.district
        if district not in registries:
            registries[district] = base.for_district(district)
        _finish_units(task, registries[district])
        if isinstance(task.done_date, dt.datetime):
            task.done_date = task.done_date.date()
        raw = task.deadline_raw
        # a row of a combined sheet (a master) names its own plan year in its task key
        year = key_year(task.key) or sheet.year
        task.deadline = parse_deadline(raw, year=year, issued=sheet.issued)
        written = task.due_written.date() if isinstance(task.due_written, dt.datetime) else task.due_written
        if task.deadline.problem in ("needs-issue-date", "needs-year") and isinstance(written, dt.date):
            # our own workbooks carry the resolved date beside the phrase (a unit's return
            # has no notice to take the issue date from)
            task.deadline = dataclasses.replace(task.deadline, due=written, problem=None)
        if isinstance(raw, (dt.datetime, dt.date)):
            task.deadline_raw = (raw.date() if isinstance(raw, dt.datetime) else raw).isoformat()
        elif raw is not None:
            task.deadline_raw = str(raw)
    _numbering_findings(sheet)


def _finish_units(task: Task, registry: UnitRegistry) -> None:
    def canonical(names) -> tuple[str, ...]:
        out = []
        for n in names:
            unit = registry.resolve(n)
            name = unit.name if unit else n
            if name not in out:
                out.append(name)
        return tuple(out)

    lead_raw, support_raw = task.lead_units, task.support_units  # texts of separate columns, if any
    if isinstance(lead_raw, str) or isinstance(support_raw, str):
        task.units_raw = "；".join(x for x in (_s(lead_raw), _s(support_raw)) if x) or task.units_raw
        lead = split_units(_s(lead_raw) or task.units_raw or "", registry=registry).all
        support = split_units(_s(support_raw) or "", registry=registry).all
    else:
        assignment = split_units(task.units_raw or "", registry=registry)
        lead, support = assignment.lead, assignment.support
    task.lead_units, task.support_units = canonical(lead), canonical(support)
    task.units_raw = _s(task.units_raw)


def _s(v: Any) -> str | None:
    return None if v in (None, "", ()) else str(v)


def _numbering_findings(sheet: TaskSheet) -> None:
    f, seen = sheet.findings, {}
    numbers = [t.seq for t in sheet.tasks if isinstance(t.seq, int)]
    for task in sheet.tasks:
        seq_cell = task.cells.get("seq", f"A{task.row}")
        if isinstance(task.seq, int):
            number = (task.district, task.seq)  # a combined sheet numbers each district from 1
            if number in seen:
                f.append(Finding("seq-duplicate", str(sheet.file), sheet.sheet, seq_cell, str(task.seq),
                                 {"seq": task.seq, "first": seen[number], "row": task.row}))
            seen.setdefault(number, task.row)
        if task.is_empty:
            f.append(Finding("empty-task", str(sheet.file), sheet.sheet, seq_cell, str(task.seq),
                             {"seq": task.seq}))
        elif not task.requirement and "requirement" in task.cells:
            f.append(Finding("missing-requirement", str(sheet.file), sheet.sheet, task.cells["requirement"],
                             None, {"seq": task.seq}))
    if numbers and "key" not in sheet.columns:  # a unit's return holds a subset: gaps are expected
        present = set(numbers)
        for missing in range(min(numbers), max(numbers) + 1):
            if missing not in present:
                after = next(t for t in sheet.tasks if isinstance(t.seq, int) and t.seq > missing)
                f.append(Finding("seq-gap", str(sheet.file), sheet.sheet, after.cells.get("seq", f"A{after.row}"),
                                 None, {"missing": missing}))
