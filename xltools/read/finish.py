"""What every parsed sheet gets, whatever its layout (table or text): units split and
resolved against the district's registry, deadlines parsed, numbering checked."""
from __future__ import annotations

import dataclasses
import datetime as dt

from xltools import schema
from xltools.findings import Finding, task_named
from xltools.model import ParsedTask, Task, TaskSheet
from xltools.rules.deadlines import Deadline, DeadlineKind, parse_deadline
from xltools.rules.keys import plan_year
from xltools.rules.numbering import label, leading_label
from xltools.rules.text import is_same_as_above
from xltools.rules.units import UnitName, UnitRegistry, name_roles, split_units


def finish_tasks(sheet: TaskSheet, registry: UnitRegistry | None) -> None:
    """Each parsed task of the sheet finished into a `Task`: units split and named,
    the deadline parsed, a 同上 taken from the rows above; then numbering and empty rows
    noted."""
    base = registry or UnitRegistry.default()
    today = dt.date.today()   # once per sheet, not once per task
    above: dict[str | None, dict] = {}   # per district: what a 同上 below takes (see _SameAsAbove)
    sheet.tasks = [finish_task(p, sheet, district_registry(base, p.district or sheet.district), today,
                               above.setdefault(p.district, {}))
                   for p in sheet.parsed]
    sheet.parsed = []
    _numbering_findings(sheet)


def district_registry(registry: UnitRegistry, district: str | None) -> UnitRegistry:
    """The registry a task is judged by: its own district's (a combined sheet names one
    per row), built once per district."""
    return registry.for_district(district)


def finish_task(p: ParsedTask, sheet: TaskSheet, registry: UnitRegistry, today: dt.date | None = None,
                above: dict | None = None) -> Task:
    """`above`: the units and deadline of the rows above (column key → value), which a
    cell saying 同上 takes; this task's own are kept there for the rows below."""
    same = _SameAsAbove(p, sheet, {} if above is None else above)
    lead, support, notes = _units(p, registry, same)
    deadline = _deadline(p, sheet, today, same)
    units_text = "；".join(x for x in (p.lead_text, p.support_text) if x) or p.units_text
    return Task(p.row, p.seq, p.section, p.subsection, p.requirement, units_text, lead, support,
                p.deadline_raw, deadline, p.due_written, p.status,
                p.progress, p.done_date, p.key, p.district, p.leader, p.rows, p.cells,
                reported_by=p.reported_by, reported_at=p.reported_at, submitter=p.submitter,
                titled=p.titled, extra=p.extra, seq_written=p.seq_written, headings=p.headings,
                lead_notes=notes[0], support_notes=notes[1], deadline_shown=p.deadline_shown,
                heading_numbers=p.heading_numbers, deadline_format=p.deadline_format)


def _deadline(p: ParsedTask, sheet: TaskSheet, today: dt.date | None, same: "_SameAsAbove") -> Deadline:
    raw = p.deadline_cell
    if is_same_as_above(raw) and p.key is not None:
        # a row we wrote (a master, a unit's return): its 同上 was taken when the district's
        # sheet was read, and its 截止日期 holds the date taken (the rows around it are others')
        return Deadline(str(raw), DeadlineKind.DATE if p.due_written else DeadlineKind.UNKNOWN, p.due_written)
    if is_same_as_above(raw) and "deadline" in same.above:
        return same.above["deadline"]     # the deadline of the row above; the cell keeps its 同上
    # a row of a combined sheet (a master) names its own plan year in its task key
    deadline = parse_deadline(raw, year=plan_year(p.key, sheet.year), issued=sheet.issued, as_of=today)
    if deadline.problem in ("needs-issue-date", "needs-year") and p.due_written is not None:
        # our own workbooks carry the resolved date beside the phrase (a unit's return
        # has no notice to take the issue date from)
        deadline = dataclasses.replace(deadline, due=p.due_written, problem=None)
    return same.take("deadline", raw, deadline, raw is not None)


class _SameAsAbove:
    """A cell saying 同上 (同前, 如上) takes the value of the nearest row above in the sheet
    (of the same district) whose cell in that column has one; a row saying 同上 itself
    passes on what it took.  The cell keeps its 同上 as written (a note of the units cell,
    the deadline as typed); validation, due dates, recipients and counts use the value
    taken.  With nothing above: a finding on the cell, and the cell read as written."""

    def __init__(self, p: ParsedTask, sheet: TaskSheet, above: dict):
        self.p, self.sheet, self.above = p, sheet, above

    def take(self, key: str, written, own, has: bool):
        """`own`: the cell's value as read; `has`: does the cell hold one."""
        if self.p.key is not None:   # a row we wrote: what its 同上 took is in the row (see _deadline)
            return own
        if not is_same_as_above(written):
            if has:
                self.above[key] = own
            return own
        if key in self.above:
            return self.above[key]
        cells = self.p.cells
        cell = cells.get(key) or (cells.get("units") if key == "lead" else None) or cells.get("seq")
        self.sheet.findings.append(Finding(
            "same-as-above-none", str(self.sheet.file), self.sheet.sheet, cell, str(written).strip(),
            {"cell": cell or "", "column": schema.READ_BY_KEY[key].zh, "task": task_named(self.p.seq, self.p.row)}))
        return own


def _units(p: ParsedTask, registry: UnitRegistry, same: _SameAsAbove
           ) -> tuple[tuple[UnitName, ...], tuple[UnitName, ...], tuple]:
    """Lead and supporting units: from 牵头单位/配合单位 columns when the sheet has them,
    else from the role words of one 责任单位 cell (no role words: every unit leads); and the
    remarks of those cells that name no unit (lead cell's, supporting cell's).  A cell
    saying 同上 takes the units of the row above (see _SameAsAbove)."""
    if p.lead_text is not None or p.support_text is not None:
        lead_text = p.lead_text or p.units_text or ""
        lead_cell = split_units(lead_text, registry=registry)
        support_cell = split_units(p.support_text or "", registry=registry)
        lead = same.take("lead", lead_text, lead_cell.all, bool(lead_cell.all))
        support = same.take("support", p.support_text, support_cell.all, bool(support_cell.all))
        notes = (lead_cell.notes, support_cell.notes)
    else:
        assignment = split_units(p.units_text or "", registry=registry)
        lead, support = same.take("units", p.units_text, (assignment.lead, assignment.support),
                                  bool(assignment.all))
        notes = (assignment.notes, ())
    return (*name_roles(lead, support, registry), notes)


def _numbering_findings(sheet: TaskSheet) -> None:
    f = sheet.findings
    for task in sheet.tasks:
        seq_cell = task.cells.get("seq", f"A{task.row}")
        if task.is_empty and task.seq in (None, ""):   # no number either: "只有序号" would be false
            f.append(Finding("empty-row", str(sheet.file), sheet.sheet, seq_cell, None, {"row": task.row}))
        elif task.is_empty:
            f.append(Finding("empty-task", str(sheet.file), sheet.sheet, seq_cell, str(task.seq),
                             {"seq": task.seq}))
        elif not task.requirement and "requirement" in task.cells:
            f.append(Finding("missing-requirement", str(sheet.file), sheet.sheet, task.cells["requirement"],
                             None, {"seq": task.seq, "task": task_named(task.seq, task.row)}))
    if sheet.layout == "form":   # one row per report: two units report on one task under its number
        return
    for (_, _, path), numbered in _number_groups(sheet.tasks).items():
        seen: dict[int, int] = {}
        for task, n in numbered:
            if n in seen:
                f.append(Finding("seq-duplicate", str(sheet.file), sheet.sheet, task.cells.get("seq", f"A{task.row}"),
                                 str(task.seq), {"seq": task.seq, "first": seen[n], "row": task.row}))
            seen.setdefault(n, task.row)
        if "key" in sheet.columns:   # a unit's return holds a subset: gaps are expected
            continue
        for missing in range(min(seen), max(seen) + 1):
            if missing not in seen:
                after = next(t for t, n in numbered if n > missing)
                f.append(Finding("seq-gap", str(sheet.file), sheet.sheet, after.cells.get("seq", f"A{after.row}"),
                                 None, {"missing": ".".join(map(str, (*path, missing))) if path else missing}))


def _number_groups(tasks: list[Task]) -> dict[tuple, list[tuple[Task, int]]]:
    """Tasks numbered at one level under one parent, with their last number: 1.1, 1.2 under
    1 and 2.1 under 2 are two groups; whole numbers are one group per district, or one per
    heading when the numbering starts again under each heading (一、 over （一）（二）, 二、 over
    （一）…).  Duplicates and gaps only mean something within a group."""
    groups: dict[tuple, list[tuple[Task, int]]] = {}
    whole = [t for t in tasks if isinstance(t.seq, int)]
    restarts = _restarts(whole)
    for task in tasks:
        if isinstance(task.seq, int):
            key = (task.district, _heading(task) if restarts.get(task.district) else None, ())
            groups.setdefault(key, []).append((task, task.seq))
        elif isinstance(task.seq, str) and (lab := label(task.seq)) is not None and len(lab.path) > 1:
            groups.setdefault((task.district, None, lab.path[:-1]), []).append((task, lab.path[-1]))
    return groups


def _heading(task: Task) -> tuple:
    """The headings a task is numbered under: the heading row nearest above it (of any
    depth: 一、, （一）, or 2. over （1）（2）), and its section and sub-section less the one
    that is its own text: where the sheet has no 具体要求 column its deepest level is the
    task's own text (一、… or 1 over "推进政务云资源统筹。"), and a level whose text begins
    with the task's number is (一、… over "1.全面公开…")."""
    seq_cell = task.cells.get("seq")
    in_text = seq_cell is not None and seq_cell in (task.cells.get("section"), task.cells.get("subsection"))
    levels = [task.section, task.subsection]
    if "requirement" not in task.cells and any(levels):
        levels[1 if levels[1] else 0] = None
    return (task.cells.get("heading"), *(None if in_text and (lab := leading_label(h)) is not None
                                          and lab.seq == task.seq else h for h in levels))


def _restarts(tasks: list[Task]) -> dict[str | None, bool]:
    """Per district: does the numbering start again under each heading (most headings after
    the first begin at the sheet's first number)?"""
    runs: dict[str | None, list[list[int]]] = {}
    last: dict[str | None, tuple] = {}
    for t in tasks:
        heading = _heading(t)
        if last.get(t.district) != heading:
            runs.setdefault(t.district, []).append([])
            last[t.district] = heading
        runs[t.district][-1].append(t.seq)
    out = {}
    for district, rs in runs.items():
        later = rs[1:]
        out[district] = bool(later) and sum(r[0] == rs[0][0] for r in later) * 2 > len(later)
    return out
