"""A new annual plan: the standard template with the district's units, optionally with
last year's tasks carried over.

Carrying over keeps every task and its text; only the deadline is re-read for the new
year, and only where the old text names a year that has passed (2022年9月底前 →
2023年9月底前).  Phrases without a year already mean "the plan year" (全年, 12月底前),
ongoing ones never fall due (长期坚持), relative ones count from the new issue date
(本文件印发后30日内): those stay as written.  A start (2025年7月1日起, 2025年10月起长期坚持,
2025年1月起每季度报送) is ongoing work that began then and goes on: its day is history, kept
as written (moved a year it would say the work begins again next July).  A period named
without a year (“十四五”期间) that has ended has no year to move: kept, to check.  What a
unit reported last year (状态, 进展情况, 完成日期) is cleared.  Every decision is listed in
the 变更说明 sheet.

What the district wrote stays written: the plan's own title (its year moved on), its
heading levels with their numbers (一、 （一） 1, written in the 序号 column apart from the
title: 工作任务 and 具体任务 hold them as the template asks), its own columns (备注, after the
template's), and a date cell's look (yyyy"年"m"月"d"日, the date moved on).  A master shows
titles without numbers and date cells as text: the plan a task came from (its 来源 columns)
gives them back while it can still be read.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from xltools import schema
from xltools.read import load_grids
from xltools.read.context import context_from_lines, title_from_lines
from xltools.rules.deadlines import DeadlineKind, parse_deadline, shift_years, years_in
from xltools.rules.numbering import heading_title
from xltools.check.districts import require_district
from xltools.work.returns import unknown_district
from xltools.errors import Words, XltoolsError
from xltools.texts import t
from xltools.model import PlanFile, Task, TaskSheet
from xltools.model.task import LEVEL_SEP
from xltools.read import read_plan
from xltools.rules.keys import normal_text, task_key
from xltools.work.previous import looks_like_master
from xltools.work.returns import MasterTable
from xltools.write.templates import (LIST_SHEET, PLAN_SHEET, own_column_key, plan_layout, plan_template,
                                     plan_title, save_workbook, simple_table, write_rows)
from xltools.rules.divisions import same_place
from xltools.rules.units import UnitRegistry, join_units
from xltools.write import versions

__all__ = ["new_plan", "NewPlanSummary", "DeadlineChange", "carry_deadline", "NewPlanError", "CHANGES_SHEET"]

CHANGES_SHEET = "变更说明"     # a sheet's name is Chinese in every language, as the master's are

_n = t  # every word lives in i18n.TEXTS


class NewPlanError(XltoolsError):
    """The new plan cannot be made (last year's plan unreadable, output not writable)."""


@dataclass
class DeadlineChange:
    """What happened to one task's deadline."""
    seq: int | str | None
    old: str | None
    new: str | dt.date | None
    code: str                       # i18n key: shifted, ongoing, no-year, …
    params: dict = field(default_factory=dict)
    date_format: str | None = None  # a date cell's number format, as the district's sheet showed it

    @property
    def changed(self) -> bool:
        return self.code in ("shifted", "shifted-ongoing")

    @property
    def needs_check(self) -> bool:
        return self.code in ("shifted-ongoing", "unknown", "impossible", "relative", "period-ended") \
            or "text_year" in self.params

    def note(self, lang: str = "zh") -> str:
        text = _n(self.code, lang, **self.params)
        if "text_year" in self.params:   # 编制2026年…年度报告: last year's task, to be renewed?
            text += ("; " if lang == "en" else "；") + _n("text-year", lang, **self.params)
        return text

    def dated(self, value: str | dt.date | None) -> str | dt.date | None:
        """A deadline as the plan has it: a date cell's date (written as ISO text) as a date."""
        return dt.date.fromisoformat(value) if isinstance(value, str) and _ISO_DATE.match(value) else value


@dataclass
class NewPlanSummary:
    output: Path
    year: int
    district: str
    source: Path | None = None
    source_year: int | None = None
    tasks: int = 0
    empty: int = 0                  # rows of last year's plan with only a number: not carried
    other_district: str | None = None   # last year's plan was this other district's (taken as a model)
    changes: list[DeadlineChange] = field(default_factory=list)
    own_columns: list[str] = field(default_factory=list)   # the district's own columns carried (备注)
    title: str | None = None            # the new plan's title

    @property
    def shifted(self) -> int:
        return sum(c.changed for c in self.changes)

    @property
    def to_check(self) -> int:
        return sum(c.needs_check for c in self.changes)

    def message(self, lang: str = "zh") -> str:
        if self.source is None:
            return _n("summary-new", lang, year=self.year, district=self.district, file=self.output)
        text = _n("summary-carried", lang, year=self.year, district=self.district, file=self.output,
                  source=self.source.name, tasks=self.tasks, shifted=self.shifted,
                  kept=self.tasks - self.shifted, check=self.to_check)
        text += _n("summary-empty", lang, n=self.empty) if self.empty else ""
        if self.own_columns:
            text += _n("summary-own-columns", lang, columns=("、" if lang == "zh" else ", ").join(self.own_columns))
        return text + (_n("summary-other-district", lang, other=self.other_district, district=self.district)
                       if self.other_district else "")

    def to_dict(self) -> dict:
        return {"output": str(self.output), "year": self.year, "district": self.district,
                "source": str(self.source) if self.source else None, "source_year": self.source_year,
                "other_district": self.other_district,
                "tasks": self.tasks, "empty": self.empty, "shifted": self.shifted, "to_check": self.to_check,
                "title": self.title, "own_columns": self.own_columns,
                "changes": [{"seq": c.seq, "old": c.old, "new": c.new.isoformat() if isinstance(c.new, dt.date)
                             else c.new, "code": c.code, "note": c.note()} for c in self.changes]}


# ---------------------------------------------------------------- deadlines

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")   # how the reader shows a real date cell


def carry_deadline(task: Task, old_year: int | None, new_year: int) -> DeadlineChange:
    """The deadline `task` gets in the plan for `new_year` (old_year: last plan's year,
    None when unknown)."""
    raw, d = task.deadline_raw, task.deadline
    if raw is None or not str(raw).strip() or d is None:
        return DeadlineChange(task.seq, raw, raw, "empty")
    if d.kind is DeadlineKind.UNKNOWN or d.problem not in (None, "needs-year", "needs-issue-date"):
        return DeadlineChange(task.seq, raw, raw, "unknown")       # 2025年13月起 too: not "ongoing"
    if d.kind is DeadlineKind.RELATIVE:
        return DeadlineChange(task.seq, raw, raw, "relative")
    years = years_in(raw)
    again = parse_deadline(raw, year=new_year)          # read for the new year, as it stands
    if d.kind in (DeadlineKind.ONGOING, DeadlineKind.RECURRING):
        if d.start is not None and again.start == d.start:   # begun on its day, going on: not moved
            return DeadlineChange(task.seq, raw, raw, "start", {"start": d.start.isoformat()})
        if again.start is not None:                            # 7月起: the plan year's July
            return DeadlineChange(task.seq, raw, raw, "no-year", {"year": new_year})
        return DeadlineChange(task.seq, raw, raw, "ongoing")  # 长期坚持, 每季度, 自印发之日起施行
    if d.due is None and d.problem != "needs-year":
        return DeadlineChange(task.seq, raw, raw, "unknown")
    if not years and again.due != d.due:   # 全年, 12月底前, 上半年: the reader takes the plan year
        return DeadlineChange(task.seq, raw, raw, "no-year", {"year": new_year})
    if not years and d.due.year < new_year:   # “十四五”期间 in a plan after it: no year to move
        return DeadlineChange(task.seq, raw, raw, "period-ended", {"due": d.due.isoformat()})
    if d.due is not None and d.due.year >= new_year:   # a later deadline that has not passed yet
        return DeadlineChange(task.seq, raw, raw, "still-due", {"year": new_year})
    base = old_year or (d.due.year if d.due else max(years))
    offset = new_year - base

    new_text = shift_years(raw, offset)
    check = parse_deadline(new_text, year=new_year)
    if check.problem is not None or check.due is None:   # 2024-02-29 + 1 year: report, never guess
        return DeadlineChange(task.seq, raw, raw, "impossible", {"value": new_text})
    new: str | dt.date = check.due if _ISO_DATE.match(raw) else new_text
    code = "shifted-ongoing" if d.ongoing else "shifted"
    return DeadlineChange(task.seq, raw, new, code, {"old": base, "new": new_year})


# ---------------------------------------------------------------- the plan

def new_plan(output: str | Path, *, year: int, district: str | None, registry: UnitRegistry | None = None,
             from_plan: str | Path | None = None, lang: str = "zh", force: bool = False) -> NewPlanSummary:
    """Write the `year` plan of `district` to `output` (.xlsx), making its folder when
    missing.  With `from_plan`, carry last year's tasks of `district` over (a master holds
    several districts' tasks: only that district's; without `district`, the one district
    `from_plan` holds).  An existing `output` is replaced only with force (the old file is
    then kept as a version: undo puts it back).  Raises XltoolsError (NewPlanError,
    UnreadableFile, …)."""
    output = Path(output)
    _check_args(output, year, district, from_plan, force)
    base = registry or UnitRegistry.default()
    plan = read_plan(from_plan, registry=base.for_district(district) if district else base) \
        if from_plan is not None else None
    district, other, keep = _district_of(plan, district) if plan is not None else (district, None, None)
    registry = base.for_district(district)
    summary = NewPlanSummary(output, year, district, other_district=other)
    if plan is None:
        summary.title = plan_title(year, district)
        wb = plan_template(registry, year=year, district=district, lang=lang)
    else:
        summary.source = Path(from_plan)
        summary.source_year = next((s.year for s in plan.sheets if s.year), None)
        originals = _Originals(summary.source, registry)
        rows, formats, used, carried = [], [], [], []
        for sheet in plan.sheets:
            for task in sheet.tasks:
                if not keep(sheet, task):
                    continue            # another district's task (a master of several)
                if task.is_empty:
                    summary.empty += 1
                    continue
                written = originals.task(sheet, task)
                dated = written if written is not None and written.deadline_text == task.deadline_text else task
                change = carry_deadline(dated, sheet.year, year)
                if isinstance(change.new, dt.date):
                    change.date_format = dated.deadline_format
                change.seq = _seq(task)     # the 变更说明 names the task as the plan numbers it
                if task.status or task.progress or task.done_date:
                    change.params.setdefault("cleared", True)
                _text_year(task, sheet.year, year, change)
                summary.changes.append(change)
                rows.append(_row(task, written, change, district, year))
                formats.append(change.date_format)
                used += [*task.leads_written, *task.supports_written]
                carried.append(task)
        summary.tasks = len(rows)
        summary.own_columns = _own_columns(plan, keep, carried)
        summary.title = _title(originals.title(plan), summary.source_year, year, district)
        layout = plan_layout(summary.own_columns)
        last_row = max(1000, layout.first_row + len(rows) + 200)
        wb = plan_template(registry, year=year, district=district, lang=lang, examples=False, last_row=last_row,
                           own_columns=summary.own_columns, title=summary.title,
                           used=[u for u in used if _offered(u, registry)])
        write_rows(wb[PLAN_SHEET], layout, rows)
        at = layout.col("deadline")
        for r, fmt in enumerate(formats, layout.first_row):
            if fmt:                     # the date cell as the district's showed it
                wb[PLAN_SHEET].cell(r, at).number_format = fmt
        _changes_sheet(wb, summary, lang)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise NewPlanError("no-folder", folder=str(output.parent), reason=exc.strerror or str(exc)) from None
    with versions.operation("new-plan"):
        versions.describe(tasks=summary.tasks)
        save_workbook(wb, output, stamp=None)
    return summary


def _check_args(output: Path, year: int, district: str | None, from_plan, force: bool) -> None:
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise NewPlanError("bad-year", year=year)
    if not district or not str(district).strip():
        if from_plan is None:     # with last year's plan, its district (see _district_of)
            raise NewPlanError("no-district")
    else:
        require_district(district)
    if output.suffix.lower() != ".xlsx":
        raise NewPlanError("not-xlsx", file=str(output))
    if from_plan is not None and output.exists() and Path(from_plan).exists() \
            and output.resolve() == Path(from_plan).resolve():
        raise NewPlanError("output-is-input", file=str(output))
    if output.exists() and not force:
        raise NewPlanError("plan-exists", file=str(output))


def _district_of(plan: PlanFile, district: str | None) -> tuple[str, str | None, Callable[[TaskSheet, Task], bool]]:
    """Whose tasks of last year's plan the new plan carries: (the district, the one district
    of another name the plan holds when it is not `district`, which tasks).  A master holds
    several districts (its 区县 column): only `district`'s; refused when it names none of
    them or is not given (the message lists them).  A plan of one district (or of none
    named) is carried whole, into `district`'s plan when given (a plan taken as a model)."""
    def of(sheet: TaskSheet, task: Task) -> str | None:
        name = task.district or sheet.district
        return None if unknown_district(name) else name

    held: dict[str, int] = {}     # district → its tasks, as the plan names them, in its order
    for sheet in plan.sheets:
        for task in sheet.tasks:
            if (name := of(sheet, task)) is not None and not task.is_empty:
                held[name] = held.get(name, 0) + 1
    listed = [Words("district-tasks", district=d, n=n) for d, n in held.items()]
    if not district:
        if len(held) != 1:
            raise NewPlanError("plan-which-district" if held else "plan-no-district", file=str(plan.file),
                               count=len(held), districts=listed, first=next(iter(held), ""))
        district = next(iter(held))
    if len(held) <= 1:
        other = next((d for d in held if not same_place(d, district)), None)
        return district, other, lambda sheet, task: True
    if not any(same_place(d, district) for d in held):
        raise NewPlanError("plan-not-district", file=str(plan.file), district=district, count=len(held),
                           districts=listed)
    return district, None, lambda sheet, task: same_place(of(sheet, task), district)


def _seq(task: Task) -> int | str | None:
    """The task's number as the district wrote it (一、 （一） ①: not made 1, 2, 3)."""
    return task.seq_written or task.seq


def _row(task: Task, written: Task | None, change: DeadlineChange, district: str, year: int) -> dict[str, Any]:
    """The task's row of the new plan; its heading levels as its plan wrote them (`written`:
    the task in the plan a master's row came from), numbers included."""
    lead = join_units(task.leads_written) or task.units_text
    section, sub = task.section_written, task.sub_levels_written
    if written is not None:
        if heading_title(written.section) == heading_title(task.section):
            section = written.section_written
        if _titles(written.sub_levels) == _titles(task.sub_levels):
            sub = written.sub_levels_written
    row = {"seq": _seq(task), "section": section, "subsection": sub,
           "requirement": task.requirement, "lead": lead, "support": join_units(task.supports_written),
           "deadline": change.new, "key": task_key(district, year, task)}
    row.update((own_column_key(header), value) for header, value in task.extra.items())
    return row


def _titles(levels: str | None) -> list:
    return [heading_title(x) for x in (levels or "").split(LEVEL_SEP)]


def _own_columns(plan: PlanFile, keep: Callable[[TaskSheet, Task], bool], carried: list[Task]) -> list[str]:
    """The district's own columns the new plan carries, in the sheet's order: every one of
    a sheet carried whole, and of a master's (which holds every district's) those the
    district's tasks fill."""
    columns: dict[str, None] = {}
    for sheet in plan.sheets:
        whole = all(keep(sheet, task) for task in sheet.tasks)
        filled = {h for task in carried for h, v in task.extra.items() if v not in (None, "")}
        columns.update((h, None) for h in sheet.own_columns.values() if whole or h in filled)
    for task in carried:
        columns.update((h, None) for h in task.extra)
    return list(columns)


def _text_year(task: Task, old_year: int | None, new_year: int, change: DeadlineChange) -> None:
    """A task whose text names last plan's year (编制2026年政府信息公开工作年度报告) is
    likely a yearly one to renew: asked to check, never rewritten."""
    if old_year is None or old_year >= new_year:
        return
    text = "".join(str(x) for x in (task.section, task.sub_levels, task.requirement) if x)
    if old_year in years_in(text):
        change.params.update(text_year=old_year, new=new_year)


def _title(title: str | None, old_year: int | None, year: int, district: str) -> str:
    """The plan's own title with its year moved on (2026年…工作要点任务分解表 → 2027年…);
    the template's when the plan has none, none naming its year, or is another place's; the
    district put after the year when the title names none (the reader finds a plan's place
    there)."""
    if not title or old_year is None or set(years_in(title)) != {old_year}:
        return plan_title(year, district)
    title = shift_years(title, year - old_year)
    named = context_from_lines([title]).district
    if named:           # another place's plan taken as a model: not its title
        return title if same_place(named, district) else plan_title(year, district)
    head = f"{year}年"
    return head + district + title[len(head):] if title.startswith(head) else plan_title(year, district)


def _offered(unit: str, registry: UnitRegistry) -> bool:
    """A unit the plan used, offered in the new plan's list: not one the registry takes for
    a slip of another's name (财攻所)."""
    return registry.resolve(unit) is not None or not registry.suggest(unit)


class _Originals:
    """The plans a carried task was written in: the file itself, or, for a master, the file
    each row came from (来源文件, 来源工作表, 来源行) while it can be read.  They give what a
    master does not show: heading numbers, a date cell's look, the plan's own title."""

    def __init__(self, source: Path, registry: UnitRegistry):
        self.source, self.registry = source, registry
        self.where: dict[str, tuple[Path, str, int]] = {}      # task key → its source file, sheet, row
        self.plans: dict[Path, PlanFile | None] = {}
        self.used: dict[tuple[Path, str], None] = {}           # the sources of the tasks carried, in order
        if looks_like_master(source):
            try:
                table = MasterTable.read(source)
            except XltoolsError:
                table = None
            for row in table.rows if table is not None else ():
                path = self._path(row.get(schema.SOURCE_FILE.key))
                r = row.get(schema.SOURCE_ROW.key)
                if path is not None and isinstance(r, (int, float)):
                    self.where[str(row[schema.TASK_KEY.key])] = (path, str(row.get(schema.SOURCE_SHEET.key)), int(r))

    def _path(self, name) -> Path | None:
        if not name:
            return None
        p = Path(str(name))
        for candidate in (p, self.source.parent / p, self.source.parent / p.name):
            if candidate.is_file():
                return candidate
        return None

    def _plan(self, path: Path) -> PlanFile | None:
        if path not in self.plans:
            try:
                self.plans[path] = read_plan(path, registry=self.registry)
            except XltoolsError:
                self.plans[path] = None
        return self.plans[path]

    def task(self, sheet: TaskSheet, task: Task) -> Task | None:
        """The task as its own plan wrote it (None: `task` is that, or its plan is gone or
        changed)."""
        where = self.where.get(str(task.key))
        if where is None:
            return None
        self.used[where[:2]] = None
        plan = self._plan(where[0])
        for s in plan.sheets if plan is not None else ():
            if s.sheet != where[1]:
                continue
            found = next((t for t in s.tasks if t.row == where[2]), None)
            if found is not None and normal_text(found.requirement) == normal_text(task.requirement):
                return found
        return None

    def title(self, plan: PlanFile) -> str | None:
        """The plan's own title (its title row): a master's from the file its tasks came from."""
        places = list(self.used) if self.where else [(plan.file, s.sheet) for s in plan.sheets]
        for path, sheet in places:
            try:
                grids = load_grids(path, sheet)
            except XltoolsError:
                continue
            title = next((x for g in grids if (x := title_from_lines(g.text_lines(limit=6)))), None)
            if title:
                return title
        return None


def _changes_sheet(wb, summary: NewPlanSummary, lang: str) -> None:
    """变更说明: one line per carried task: 序号, 原完成时限, 新完成时限, 说明."""
    def word(key: str, **p) -> str:
        return t(key, lang, **p)

    deadline = schema.DEADLINE.header(lang)
    heads = (schema.SEQ.header(lang), word("changes-old", deadline=deadline), word("changes-new", deadline=deadline),
             word("changes-note"))
    cleared = (", " if lang == "en" else "、").join(c.header(lang) for c in (schema.STATUS, schema.PROGRESS,
                                                                           schema.DONE_DATE))
    rows = []
    for ch in summary.changes:
        note = ch.note(lang)
        if ch.params.get("cleared"):
            note += ("; " if lang == "en" else "；") + _n("cleared", lang, columns=cleared)
        rows.append((ch.seq, ch.dated(ch.old), ch.dated(ch.new), note))
    ws = wb.create_sheet(CHANGES_SHEET, index=wb.sheetnames.index(LIST_SHEET))
    simple_table(ws, heads, (8, 28, 28, 70), rows, lang)
    for r, ch in enumerate(summary.changes, 2):
        for c in (2, 3):        # a date as the plan shows it (a date cell, not a line of text a reader takes for a date line)
            if ch.date_format and isinstance(ws.cell(r, c).value, dt.date):
                ws.cell(r, c).number_format = ch.date_format
