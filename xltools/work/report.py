"""From a master to what the office sends: the 督办通报 (circular) and the per-unit
催办单 (reminders).

The 汇总 sheet is read by the tracking loop's reader (loop.MasterTable).  Each task's
state is the master's own 预警 rule (rules.warning.warning_state, the rule the live
formula is written from) applied to the row's cells: 截止日期 and 状态 as the formula
reads them, and the kind of deadline (ongoing / recurring / "…前完成，长期坚持") from the
完成时限 text, which is what the merge built the formula from.  A blank 预警 (no due
date to judge) is 无法判断, so every task is counted exactly once.

As-of date and 临期 days default to the master's own (合并记录: a master merged with
--as-of keeps that day in its formulas); otherwise today and 15 days.
"""
from __future__ import annotations

import contextlib
import io
import re
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from xltools import schema
from xltools.errors import XltoolsError
from xltools.findings import Finding
from xltools.read import load_grids
from xltools.rules.deadlines import deadline_texts, parse_day, parse_deadline
from xltools.read.context import title_from_lines
from xltools.rules.divisions import common_place, in_official_order, tier_of
from xltools.rules.keys import key_year
from xltools.rules.numbering import order
from xltools.rules.units import COLLECTIVE, LeadGroup, UnitName, UnitRegistry, lead_groups, recipients, units_of
from xltools.rules.warning import warning_state
from xltools.texts import DOC_LANG, t
from xltools.work.loop import MasterTable, safe_name
from xltools.work.collect import done_waiting
from xltools.work.collect_log import Refusal, refusals
from xltools.work.returns import LOG_SHEET, OPEN_SHEET, unknown_district
from xltools.work.split import source_title
from xltools.rules.warning import UNJUDGED
from xltools.write.circular import (Circular, CountRow, StateCounts, TaskLine,
                                    write_circular)
from xltools.write import versions
from xltools.write.drawings import carry_drawings
from xltools.write.files import Editing, editing
from xltools.write.master import AS_OF_LABELS, SHEET_CHANGES, SHEET_LOG
from xltools.write.reminder import Reminder, reminder_sheet, write_reminder
from xltools.write.templates import workbook_bytes

__all__ = ["ReportError", "MasterReport", "read_report", "task_state", "report", "remind", "ReportSummary",
           "RemindSummary", "area_level", "TASK_CHARS", "REMIND_STATES", "DEFAULT_REPLY_DAYS", "SinceMerge", "since_last_merge"]

TASK_CHARS = 40                    # a task as the lists show it: its requirement, cut to this length
REMIND_STATES = ("overdue", "soon")
DEFAULT_REPLY_DAYS = 7


class ReportError(XltoolsError):
    """A master that cannot be reported on."""


# ------------------------------------------------------------------ one task

def _as_day(value: Any) -> dt.date | None:
    """The 截止日期 cell as the formula's ISNUMBER sees it: a date (or a date serial)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return parse_deadline(value).due
    return None


def task_state(row: dict[str, Any], as_of: dt.date, soon_days: int, text: Any = None) -> str:
    """A REPORT_STATES key for one 汇总 row (a MasterTable row); `text`: its deadline as
    meant, where the cell says 同上 (deadline_texts)."""
    text = row.get(schema.DEADLINE.key) if text is None else text
    deadline = parse_deadline(text if text not in (None, "") else None, year=key_year(row.get(schema.TASK_KEY.key)))
    state = warning_state(_as_day(row.get(schema.DUE.key)), row.get(schema.STATUS.key), deadline.kind,
                          deadline.ongoing, as_of, soon_days)
    return state or UNJUDGED


def _seq(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else (value if value is not None else "")


def _short(text: str, limit: int = TASK_CHARS) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _task_text(row: dict[str, Any]) -> str:
    return _short(schema.task_text(row) or "")


def _line(row: dict[str, Any], state: str, as_of: dt.date) -> TaskLine:
    due = _as_day(row.get(schema.DUE.key))
    days = None
    if due is not None and state in ("overdue", "soon", "ok"):
        days = (as_of - due).days if state == "overdue" else (due - as_of).days
    return TaskLine(district=str(row.get(schema.DISTRICT.key) or ""), seq=_seq(row.get(schema.SEQ.key)),
                    task=_task_text(row), lead=str(row.get(schema.LEAD.key) or ""),
                    deadline=str(row.get(schema.DEADLINE.key) or ""), due=due, state=state, days=days,
                    key=str(row.get(schema.TASK_KEY.key) or ""))


# ------------------------------------------------------------------ the master, as of a day

@dataclass
class MasterReport:
    path: Path
    plan: str
    as_of: dt.date
    soon_days: int
    lines: list[TaskLine]                         # one per 汇总 row, in the master's order
    leads: list[tuple[UnitName, ...]] = field(default_factory=list)   # each line's lead units, collectives
                                                                      # by their members (rules.units.recipients)
    plan_of: dict[str, str] = field(default_factory=dict)   # district → its own plan (what a reminder names)
    rows: list[dict[str, Any]] = field(default_factory=list)  # the 汇总 rows as read, one per line
    groups: list[LeadGroup] = field(default_factory=list)    # the lines by lead unit (rules.units.lead_groups)
    # (task key, lead unit as counted) → what collect refused of that unit's reports on the task (收集记录)
    refused: dict[tuple[str, str], list[Refusal]] = field(default_factory=dict)
    # (task key, lead unit as counted) of the leads whose 已完成 waits for the task's other leads
    done_waiting: set[tuple[str, str]] = field(default_factory=set)

    def circular(self, lang: str = "zh") -> Circular:
        total = StateCounts()
        districts: dict[str, StateCounts] = {}
        for line in self.lines:
            total.add(line.state)
            districts.setdefault(line.district, StateCounts()).add(line.state)
        several = len(districts) > 1
        districts = {name: districts[name] for name in in_official_order(districts)}
        by_district = [CountRow(name or t("rp-no-district", lang), c) for name, c in districts.items()]
        by_unit = []
        for group in self.groups:
            counts = StateCounts()
            for i in group.rows:
                counts.add(self.lines[i].state)
            by_unit.append(CountRow(group.label(several, lang), counts))
        by_unit.sort(key=lambda r: (-r.counts["overdue"], -r.counts.total, r.name))
        overdue = sorted((x for x in self.lines if x.state == "overdue"),
                         key=lambda x: (list(districts).index(x.district), order(x.seq)))
        return Circular(self.plan, self.as_of, self.soon_days, total, by_district, by_unit, overdue,
                        area_level(list(districts)))

    def _shown(self) -> dict[tuple[str, str], str]:
        """(district, unit as counted) → the unit as the district wrote it: grouped by
        registry entry, shown in the district's words (the circular's groups' names)."""
        return {(group.district, group.counted): group.shown for group in self.groups}

    def unit_lines(self, lang: str = "zh") -> dict[str, list[int]]:
        """circular()'s by-unit rows by name → the lines counted in each (the page's
        click-through from a bar to its tasks)."""
        several = len({line.district for line in self.lines}) > 1
        return {group.label(several, lang): list(group.rows) for group in self.groups}

    def reminders(self, reply_by: dt.date) -> list[Reminder]:
        """One per (district, lead unit) with an overdue or nearly due task: overdue first
        (longest overdue first), then due soon (nearest first).  A lead that reported the
        task complete and waits for the task's other leads is not reminded of it; what
        collect refused of a unit's reports on its tasks is in its reminder, with why."""
        groups: dict[tuple[str, str], list[TaskLine]] = defaultdict(list)
        for line, leads in zip(self.lines, self.leads):
            if line.state in REMIND_STATES:
                for unit in leads:
                    # nobody receives a letter addressed to 各相关部门
                    if unit.kind != COLLECTIVE and (line.key, unit.counted) not in self.done_waiting:
                        groups[(line.district, unit.counted)].append(line)
        shown = self._shown()
        rank = {name: i for i, name in enumerate(in_official_order(x.district for x in self.lines))}
        out = []
        for (district, counted), lines in sorted(groups.items(), key=lambda g: (rank[g[0][0]], g[0][1])):
            unit = shown[(district, counted)]
            lines.sort(key=lambda x: (REMIND_STATES.index(x.state), -(x.days or 0) if x.state == "overdue"
                                      else (x.days or 0), order(x.seq)))
            plan = self.plan_of.get(district, self.plan)
            refused = {x.key: self.refused[x.key, counted] for x in lines if (x.key, counted) in self.refused}
            out.append(Reminder(district, unit, plan, self.as_of, self.soon_days, reply_by, lines, refused))
        return out

    @property
    def unassigned(self) -> list[TaskLine]:
        """Overdue or nearly due tasks with no lead unit: nobody to remind."""
        return [x for x, leads in zip(self.lines, self.leads) if x.state in REMIND_STATES and not leads]

    @property
    def unreached(self) -> list[tuple[str, str]]:
        """(district, collective) of overdue or nearly due tasks led by a collective whose
        members the registry does not list: no reminder can reach them."""
        return list(dict.fromkeys((x.district, u.written) for x, leads in zip(self.lines, self.leads)
                                  if x.state in REMIND_STATES for u in leads if u.kind == COLLECTIVE))


def _day(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else parse_day(str(value or ""))


def master_settings(path: Path) -> tuple[dt.date | None, int | None]:
    """The as-of day and 临期 days the master's formulas use (合并记录), when it says."""
    try:
        grid = load_grids(path, SHEET_LOG)[0]
    except XltoolsError:
        return None, None
    labels = {**{t("h-soon-days", lang): "h-soon-days" for lang in ("zh", "en")},
              **dict.fromkeys(AS_OF_LABELS, "h-as-of")}
    found = {labels[str(grid.value(r, 0)).strip()]: grid.value(r, 1) for r in range(min(len(grid.rows), 10))
             if str(grid.value(r, 0)).strip() in labels}
    soon = found.get("h-soon-days")
    return (_day(found.get("h-as-of")),
            int(soon) if isinstance(soon, (int, float)) and not isinstance(soon, bool) else None)


PLANS_LISTED = 3     # several plans are named by their places (2024年天桥区、2022年长清区) up to this many


def _plan_name(rows: list[dict[str, Any]], lang: str, master: Path | None = None) -> str:
    """The plan a master (or a district's rows) holds, as the plan names itself: the title
    of its one source sheet as read; else its district (with the year), its file name only
    where nothing else names it, and then without its extension and numbering.  Several
    plans, when they are few, are named by their places (2024年天桥区、2022年长清区工作任务),
    or, when none has a place, by their titles; else by their years alone (2021—2024年度重点
    工作任务), never a long list of titles or places mixed with titles."""
    sources = {(r.get(schema.SOURCE_FILE.key), r.get(schema.SOURCE_SHEET.key)) for r in rows
               if r.get(schema.SOURCE_FILE.key)}
    if len(sources) == 1 and master is not None:
        title = source_title(master, *next(iter(sources)))
        if title:
            return t("rp-plan-titled", lang, title=title)
    parts: dict[str, None] = {}
    placed = any(not unknown_district(str(r.get(schema.DISTRICT.key) or "")) for r in rows)
    for r in rows:
        year, district = key_year(r.get(schema.TASK_KEY.key)), str(r.get(schema.DISTRICT.key) or "")
        if not unknown_district(district):
            parts[t("rp-plan-place", lang, year=year, district=district) if year else district] = None
        elif len(sources) > 1 and placed:
            return _general_plan_name(rows, lang)     # places and a plan without one: only a general name fits
        else:                               # no place to name: the plan's own title, else its file names it
            source, sheet = r.get(schema.SOURCE_FILE.key), r.get(schema.SOURCE_SHEET.key)
            title = (source_title(master, source, sheet) if master is not None else None) or _file_plan_name(source)
            parts[t("rp-plan-titled", lang, title=title) if title else ""] = None
    names = [p for p in parts if p]
    places = {str(r.get(schema.DISTRICT.key) or "") for r in rows}
    one_year = len({key_year(r.get(schema.TASK_KEY.key)) for r in rows}) == 1
    if len(parts) > PLANS_LISTED or len(names) > 1 and one_year and common_place(places) in places:
        return _general_plan_name(rows, lang)      # a city's with its counties': 泰安市2026年度…, not 2026年泰安市、2026年岱岳区…
    return t("rp-plans-of" if len(names) > 1 else "rp-plan-of", lang, districts=_listed(names, lang))


def _listed(items: list[str], lang: str) -> str:
    """天桥区、长清区 / 天桥区 and 长清区; 天桥区, 长清区 and 历下区."""
    if lang != "en" or len(items) < 2:
        return "、".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _general_plan_name(rows: list[dict[str, Any]], lang: str) -> str:
    """Several plans by their years, and their city when they are all its counties':
    湖州市2026年度重点工作任务, 2021—2024年度重点工作任务."""
    years = sorted({y for r in rows if (y := key_year(r.get(schema.TASK_KEY.key)))})
    places = [str(r.get(schema.DISTRICT.key) or "") for r in rows]
    city = common_place(places) if not any(map(unknown_district, places)) else None
    place = t("rp-plan-city", lang, city=city) if city else ""
    if not years:
        return t("rp-plan-general-no-year", lang, place=place)
    if years[0] == years[-1]:
        return t("rp-plan-general", lang, years=years[0], place=place)
    return t("rp-plan-general-span", lang, years=t("rp-years", lang, first=years[0], last=years[-1]), place=place)


def _own_title(master: Path, rows: list[dict[str, Any]]) -> str | None:
    """The name a master of several sources gives its plan: its file name when that reads
    as a plan's title, without the word for the master (2026年湖州市数字政府建设任务汇总表.xlsx →
    2026年湖州市数字政府建设任务); None for a master of one source (its own title names it)
    or a file name that names no plan (汇总.xlsx)."""
    if len({r.get(schema.SOURCE_FILE.key) for r in rows}) < 2:
        return None
    name = _MASTER_WORD.sub("", _file_plan_name(master.name))
    return title_from_lines([name])


def area_level(districts: list[str]) -> str:
    """What a master's 区县 column holds, for the words of the circular: "county" when every
    place named is a county-level division (区, 县, county-level 市, 旗), "area" when some are
    cities, provinces or towns (广东省, 江门市, 巴州区曾口镇), "body" when some name no place
    at all.  The rows without a district are left out."""
    tiers = {tier_of(d)[0] for d in districts if not unknown_district(d)}
    if None in tiers:
        return "body"
    return "county" if tiers <= {"county"} else "area"


_MASTER_WORD = re.compile(r"[的_\-\s]*(?:汇总表|汇总|总表|总台账)$")
# A file name as a plan's name: without what people add to file names (08_…, …(1), …-副本, …_v2, …_20250101)
_FILE_HEAD = re.compile(r"^[0-9]{1,3}[_\-.、．\s]+(?=\D)")
_FILE_TAIL = re.compile(r"(?:[_\-\s]*(?:\([0-9]+\)|（[0-9]+）|[vV][0-9]+|副本|最终版|终版|定稿|修改稿|修改版?|[0-9]{6,8}))+$")


def _file_plan_name(source: Any) -> str:
    stem = PurePosixPath(str(source or "").replace("\\", "/")).stem
    return _FILE_TAIL.sub("", _FILE_HEAD.sub("", stem)) or stem


def read_report(master: str | Path, *, as_of: dt.date | None = None, soon_days: int | None = None,
                plan: str | None = None, lang: str = "zh", registry: UnitRegistry | None = None) -> MasterReport:
    """Every task of the master with its state as of `as_of`; lead units counted by the
    registry entry each names, shown as the district wrote them."""
    path = Path(master)
    registry = registry or UnitRegistry.default()
    table = MasterTable.read(path)
    if not table.rows:
        raise ReportError("rp-empty", file=str(path))
    fixed_as_of, fixed_soon = master_settings(path)
    as_of = as_of or fixed_as_of or dt.date.today()
    soon_days = soon_days if soon_days is not None else (fixed_soon if fixed_soon is not None
                                                         else schema.DEFAULT_SOON_DAYS)
    lines, leads, written = [], [], []
    for row, text in zip(table.rows, deadline_texts(table.rows)):
        lines.append(_line(row, task_state(row, as_of, soon_days, text), as_of))
        district = row.get(schema.DISTRICT.key)
        own = registry.for_district(str(district) if district else None)
        written.append(units_of(row.get(schema.LEAD.key), own))
        leads.append(recipients(written[-1], own))
    plan_of: dict[str, list] = defaultdict(list)
    for row in table.rows:
        plan_of[str(row.get(schema.DISTRICT.key) or "")].append(row)
    titles: dict[tuple, str] = {}    # each district's and the master's name, each source read once

    def named(rows: list[dict]) -> str:
        key = tuple(sorted({(str(r.get(schema.SOURCE_FILE.key)), str(r.get(schema.DISTRICT.key))) for r in rows}))
        if key not in titles:
            titles[key] = _plan_name(rows, lang, path)
        return titles[key]

    refused, waiting = _collected(path, table.rows, registry)
    return MasterReport(path, plan or _own_title(path, table.rows) or named(table.rows), as_of, soon_days, lines, leads,
                        {d: plan or named(rows) for d, rows in plan_of.items()}, table.rows,
                        lead_groups(zip((x.district for x in lines), written), registry), refused, waiting)


def _collected(path: Path, rows: list[dict[str, Any]], registry: UnitRegistry
               ) -> tuple[dict[tuple[str, str], list[Refusal]], set[tuple[str, str]]]:
    """What collect recorded in the master about the units' reports, by (task key, unit as
    the task's district counts it): the refusals its 收集记录 lists (collect_log.refusals),
    and the leads whose 已完成 waits for the others (collect.done_waiting)."""
    sheets = {}
    for name in (LOG_SHEET, OPEN_SHEET):
        try:
            sheets[name] = load_grids(path, name)[0].rows
        except XltoolsError:
            sheets[name] = None       # never collected into (or unreadable: nothing to say)
    district = {str(r.get(schema.TASK_KEY.key)): str(r.get(schema.DISTRICT.key) or "") or None for r in rows}

    def counted(key: str, unit: str) -> tuple[str, str]:
        return key, registry.for_district(district.get(key)).name(unit).counted

    refused: dict[tuple[str, str], list[Refusal]] = {}
    for (key, unit), lines in refusals(sheets[LOG_SHEET]).items():
        if key in district:
            refused.setdefault(counted(key, unit), []).extend(lines)
    return refused, {counted(key, unit) for key, unit in done_waiting(sheets[OPEN_SHEET]) if key in district}


# ------------------------------------------------------------------ since the last merge

CHANGE_KINDS = ("added", "removed", "changed")


@dataclass
class SinceMerge:
    """How a master changed with its last merge: the tasks that merge added, removed and
    changed (the record of the version it replaced, else the master's 变更 sheet), and the
    tasks by 预警 state now and in the master before that merge, both judged by the same
    rule (task_state) as of the same day, so a difference is the merge's, not the calendar's."""
    note: str                               # 变更's sentence (首次合并 / no change / the counts)
    previous_merge: str                     # 变更's 上次合并时间
    first: bool                             # no master before the last merge
    added: int = 0
    removed: int = 0
    changed: int = 0
    version: str | None = None              # the version kept before the last merge (history lists it)
    merged_at: str | None = None            # when that merge ran (the version's time)
    before: dict[str, int] | None = None    # tasks by state before the merge (None: no version to read)
    now: dict[str, int] = field(default_factory=dict)
    lines: list[dict[str, Any]] = field(default_factory=list)   # 变更's lines, as the sheet lists them

    def to_dict(self) -> dict:
        return {"note": self.note, "previous_merge": self.previous_merge, "first": self.first,
                "added": self.added, "removed": self.removed, "changed": self.changed, "version": self.version,
                "merged_at": self.merged_at, "before": self.before, "now": self.now, "lines": self.lines}


def _changes_sheet(path: Path) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """The master's 变更 sheet: its two lines on top (by label key) and its change lines."""
    try:
        grid = load_grids(path, SHEET_CHANGES)[0]
    except XltoolsError:
        return {}, []
    labels = {t(key, lang): key for key in ("h-previous-merge", "h-changes") for lang in ("zh", "en")}
    heads = {t("h-change-kind", lang) for lang in ("zh", "en")}
    kinds = {t(f"change-{k}", lang): k for k in CHANGE_KINDS for lang in ("zh", "en")}
    top: dict[str, str] = {}
    lines: list[dict[str, Any]] = []
    start = None
    for r in range(len(grid.rows)):
        first = str(grid.value(r, 0) or "").strip()
        if start is None:
            if first in labels:
                top[labels[first]] = str(grid.value(r, 1) or "")
            elif first in heads:
                start = r + 1
        elif first in kinds:
            lines.append({"kind": kinds[first], "key": str(grid.value(r, 1) or ""),
                          "district": str(grid.value(r, 2) or ""), "seq": _seq(grid.value(r, 3)),
                          "column": str(grid.value(r, 4) or ""), "old": str(grid.value(r, 5) or ""),
                          "new": str(grid.value(r, 6) or "")})
    return top, lines


def since_last_merge(master: MasterReport, *, registry: UnitRegistry | None = None,
                     lang: str = "zh") -> SinceMerge:
    """What the last merge of `master` changed (see SinceMerge).  The master before it is the
    version the merge kept (history.before_last), read by read_report as of master's day."""
    from xltools.work.history import before_last

    top, lines = _changes_sheet(master.path)
    keys = {k: {x["key"] for x in lines if x["kind"] == k} for k in CHANGE_KINDS}
    out = SinceMerge(note=top.get("h-changes", ""), previous_merge=top.get("h-previous-merge", ""),
                     first=top.get("h-previous-merge") in {t("changes-no-previous", lg) for lg in ("zh", "en")},
                     now=dict(master.circular(lang).total.counts), lines=lines,
                     **{k: len(v) for k, v in keys.items()})
    version = before_last(master.path, "merge")
    if version is None:
        return out
    out.version, out.merged_at, out.first = version.id, version.time.isoformat(sep=" "), False
    for k in CHANGE_KINDS:                  # the merge's own counts, when its version recorded them
        if isinstance(version.changes.get(k), int):
            setattr(out, k, version.changes[k])
    try:
        before = read_report(version.file, as_of=master.as_of, soon_days=master.soon_days, lang=lang,
                             registry=registry)
        out.before = dict(before.circular(lang).total.counts)
    except XltoolsError:
        out.before = None                   # a version that cannot be read: the counts now only
    return out


# ------------------------------------------------------------------ the two documents

@dataclass
class ReportSummary:
    path: Path
    circular: Circular
    chart: bool                     # the chart is in (a Chinese font was found)

    def to_dict(self) -> dict:
        n = self.circular.total
        return {"file": str(self.path), "as_of": self.circular.as_of.isoformat(), "plan": self.circular.plan,
                "total": n.total, "states": dict(n.counts), "chart": self.chart}


def report(master: str | Path, output: str | Path, *, as_of: dt.date | None = None, soon_days: int | None = None,
           plan: str | None = None, doc_lang: str = DOC_LANG, chart_font: str | bool | None = True,
           registry: UnitRegistry | None = None) -> ReportSummary:
    """Write the circular of `master` to `output` (.docx), in `doc_lang` (its readers',
    Chinese unless asked otherwise); `registry`: whose members a collective lead has (the
    one the master was merged with; None: the built-in list)."""
    output = Path(output)
    if output.suffix.lower() != ".docx":
        raise ReportError("rp-bad-output", file=str(output))
    circular = read_report(master, as_of=as_of, soon_days=soon_days, plan=plan, lang=doc_lang,
                           registry=registry).circular(doc_lang)
    chart = write_circular(circular, output, lang=doc_lang, chart_font=chart_font)
    return ReportSummary(output, circular, chart)


@dataclass
class RemindSummary:
    folder: Path
    as_of: dt.date
    reply_by: dt.date
    files: list[tuple[str, Path, int, int]] = field(default_factory=list)   # (unit, file, overdue, soon)
    sheet: str | None = None
    unassigned: list[str] = field(default_factory=list)                     # keys of tasks with no lead unit
    unreached: list[tuple[str, str]] = field(default_factory=list)          # (district, collective without members)
    # reminders to a name the registry does not know but finds close to one: (district, unit, the name, file)
    doubtful: list[tuple[str, str, str, Path]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)                   # what saving the sheet could not keep
    refused: dict[str, int] = field(default_factory=dict)     # unit → its tasks told of a report collect did not take

    def to_dict(self) -> dict:
        return {"folder": str(self.folder), "as_of": self.as_of.isoformat(), "reply_by": self.reply_by.isoformat(),
                "sheet": self.sheet, "unassigned": self.unassigned,
                "unreached": [{"district": d, "unit": u} for d, u in self.unreached],
                "doubtful": [{"district": d, "unit": u, "suggestion": s, "file": str(f)} for d, u, s, f in self.doubtful],
                "findings": [f.to_dict() for f in self.findings],
                "files": [{"unit": u, "file": str(f), "overdue": o, "soon": s, "refused": self.refused.get(u, 0)}
                          for u, f, o, s in self.files]}


def remind(master: str | Path, folder: str | Path, *, as_of: dt.date | None = None, soon_days: int | None = None,
           reply_by: dt.date | None = None, plan: str | None = None, sheet: bool = False,
           lang: str = "zh", doc_lang: str = DOC_LANG, registry: UnitRegistry | None = None) -> RemindSummary:
    """One 催办单 (.docx) per lead unit with overdue or nearly due tasks, in `folder`, in
    `doc_lang` (the units', Chinese unless asked otherwise); with sheet=True the same lines
    also go into the master's 催办 sheet, headed in the clerk's `lang`.  `registry`: as for
    `report`."""
    master = Path(master)
    # --sheet edits the master: its lock, and the sheet written (replaced only if nobody
    # changed the master meanwhile), before any 催办单 is written: a refusal leaves no
    # half-done folder of reminders behind
    with editing(master) if sheet else contextlib.nullcontext() as held:
        data = read_report(master, as_of=as_of, soon_days=soon_days, plan=plan, lang=doc_lang, registry=registry)
        reply_by = reply_by or data.as_of + dt.timedelta(days=DEFAULT_REPLY_DAYS)
        reminders = data.reminders(reply_by)
        summary = RemindSummary(Path(folder), data.as_of, reply_by, unassigned=[x.key for x in data.unassigned],
                                unreached=data.unreached)
        if sheet:
            summary.sheet, summary.findings = _write_sheet(held, reminders, lang)
    several = len({x.district for x in data.lines}) > 1
    units = registry or UnitRegistry.default()
    used: set[str] = set()
    for r in reminders:
        label = "-".join(x for x in ((r.district if several else ""), r.unit) if x)
        name = safe_name(t("rm-file", doc_lang, name=label))
        while name.lower() in used:          # Windows file names ignore case
            name += "_"
        used.add(name.lower())
        path = write_reminder(r, Path(folder) / f"{name}.docx", lang=doc_lang)
        summary.files.append((label, path, r.count("overdue"), r.count("soon")))
        if r.refused:
            summary.refused[label] = len(r.refused)
        if slip := units.for_district(r.district or None).slip_of(r.unit):
            summary.doubtful.append((r.district, r.unit, slip, path))
    return summary


def _write_sheet(held: Editing, reminders: list[Reminder], lang: str) -> tuple[str, list[Finding]]:
    import openpyxl

    with versions.operation("remind"):
        original = held.path.read_bytes()       # its drawn shapes, which openpyxl drops, are carried from it
        wb = openpyxl.load_workbook(io.BytesIO(original))
        name = reminder_sheet(wb, reminders, lang=lang)
        versions.describe(units=len(reminders))
        data, lost = carry_drawings(original, workbook_bytes(wb))
        held.replace(lambda temp: Path(temp).write_bytes(data))
    return name, [x.finding(str(held.path)) for x in lost]
