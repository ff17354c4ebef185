"""The tracking loop: split the master by unit (下发), collect the units' returns (报送)
back into it (汇总).

A return is our 进展报送 template filled with the unit's tasks; every row carries the
task key (任务编号, locked), so a return is matched to the master by key, never by
position or text.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from xltools import schema
from xltools.errors import XltoolsError
from xltools.read import load_grids
from xltools.texts import t
from xltools.write.cells import put
from xltools.write.files import atomic_save, check_not_open, output_lock
from xltools.write.master import SHEET_MASTER
from xltools.work.merge import collect_inputs
from xltools.model import col_letter
from xltools.read import read_plan
from xltools.write.templates import PROGRESS_LAYOUT, PROGRESS_SHEET, REPORT_UNIT_CELL, progress_template, \
    save_workbook, write_rows
from xltools.rules.keys import key_year
from xltools.rules.units import UnitRegistry, normalize_unit, split_units

SPLIT_BY = ("lead-unit", "unit", "district")
LOG_SHEET = "收集记录"
REPORTED = (schema.STATUS, schema.PROGRESS, schema.DONE_DATE)   # what a unit reports
_FORBIDDEN = re.compile(r'[\\/:*?"<>|\[\]\x00-\x1f]')


class LoopError(XltoolsError):
    """The master or a return cannot be used for the tracking loop."""


# ------------------------------------------------------------------ the master

@dataclass
class MasterTable:
    """The 汇总 sheet's rows as dicts keyed by schema column key."""
    path: Path
    rows: list[dict[str, Any]]
    header: dict[str, int]          # column key → 0-based column

    @classmethod
    def read(cls, path: str | Path) -> "MasterTable":
        path = Path(path)
        grids = [g for g in load_grids(path) if g.sheet == SHEET_MASTER]
        if not grids:
            raise LoopError("loop-not-master", file=str(path))
        grid = grids[0]
        by_header = {c.zh: c.key for c in schema.MASTER_COLUMNS}
        header = {by_header[str(v)]: c for c, v in enumerate(grid.rows[0] if grid.rows else [])
                  if str(v) in by_header}
        if schema.TASK_KEY.key not in header:
            raise LoopError("loop-not-master", file=str(path))
        rows = []
        for r in range(1, len(grid.rows)):
            row = {key: grid.value(r, c) for key, c in header.items()}
            if row.get(schema.TASK_KEY.key):
                rows.append(row)
        return cls(path, rows, header)


def _master_units(text: Any) -> list[str]:
    """The units of a master cell (joined with 、), split by the one unit splitter."""
    return list(split_units(text).all)


# ------------------------------------------------------------------ split

@dataclass
class SplitSummary:
    folder: Path
    files: list[tuple[str, Path, int, int]] = field(default_factory=list)   # (unit, file, led, supported)
    unassigned: list[str] = field(default_factory=list)                     # keys of tasks with no unit

    def to_dict(self) -> dict:
        return {"folder": str(self.folder), "unassigned": self.unassigned,
                "files": [{"unit": u, "file": str(f), "lead": n, "support": m} for u, f, n, m in self.files]}


def safe_name(text: str, limit: int = 80) -> str:
    """A name Windows and Excel accept: no \\ / : * ? " < > | [ ], no trailing dot or space."""
    name = _FORBIDDEN.sub("_", str(text)).strip().rstrip(". ")
    return name[:limit] or "_"


def split(master: str | Path, folder: str | Path, *, by: str = "lead-unit", registry: UnitRegistry | None = None,
          lang: str = "zh") -> SplitSummary:
    """One progress return per unit (or district): the tasks it leads, then under
    "二、配合的任务" the tasks it supports."""
    if by not in SPLIT_BY:
        raise LoopError("loop-bad-by", by=by)
    table = MasterTable.read(master)
    registry = registry or UnitRegistry.default()
    # A unit is a unit of one district: 天桥区's 区财政局 is not 长清区's.
    groups: dict[tuple[str, str], dict[str, list]] = defaultdict(lambda: {"lead": [], "support": []})
    summary = SplitSummary(Path(folder))
    district_of = {id(row): str(row.get(schema.DISTRICT.key) or "") for row in table.rows}
    lead_units = {(district_of[id(row)], u) for row in table.rows for u in _master_units(row.get(schema.LEAD.key))}
    for row in table.rows:
        district = district_of[id(row)]
        leads, supports = _master_units(row.get(schema.LEAD.key)), _master_units(row.get(schema.SUPPORT.key))
        if by == "district":
            groups[(district, "")]["lead"].append(row)
            continue
        if not leads and not supports:
            summary.unassigned.append(row[schema.TASK_KEY.key])
        for unit in leads:
            groups[(district, unit)]["lead"].append(row)
        for unit in supports:
            if by == "unit" or (district, unit) in lead_units:
                groups[(district, unit)]["support"].append(row)
    several = len({d for d, _ in groups}) > 1
    Path(folder).mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    for district, unit in sorted(groups):
        rows = groups[(district, unit)]
        label = "-".join(x for x in ((district if several or not unit else ""), unit) if x) or "未识别区县"
        name = safe_name(label)
        while name.lower() in used:          # Windows file names ignore case
            name += "_"
        used.add(name.lower())
        path = Path(folder) / f"{name}.xlsx"
        _write_return(path, unit or None, rows["lead"], rows["support"], registry, lang)
        summary.files.append((label, path, len(rows["lead"]), len(rows["support"])))
    return summary


def _write_return(path: Path, unit: str | None, lead: list[dict], support: list[dict], registry: UnitRegistry,
                  lang: str) -> None:
    sample = (lead or support)[0]
    district = sample.get(schema.DISTRICT.key)
    year = key_year(sample.get(schema.TASK_KEY.key))
    wb = progress_template(registry.for_district(district), unit=unit, year=year, district=district, lang=lang)
    ws = wb[PROGRESS_SHEET]
    keys = [c.key for c in PROGRESS_LAYOUT.columns]
    row = PROGRESS_LAYOUT.first_row
    for title, block in (("一、牵头的任务", lead), ("二、配合的任务", support)):
        if not block:
            continue
        if support:   # headings only when both kinds are present
            put(ws, row, 1, title)
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(keys))
            row += 1
        row += write_rows(ws, PROGRESS_LAYOUT, [{k: r.get(k) for k in keys} for r in block], start=row)
    save_workbook(wb, path, stamp=None)


# ------------------------------------------------------------------ collect

@dataclass
class Report:
    key: str
    unit: str
    file: Path
    values: dict[str, Any]          # status / progress / done_date as reported (non-empty only)
    is_lead: bool = False


@dataclass
class CollectSummary:
    master: Path
    files: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    failed: list[tuple[Path, str]] = field(default_factory=list)
    updated: int = 0                                   # master cells changed
    log: list[dict] = field(default_factory=list)      # every change and every problem

    def count(self, kind: str) -> int:
        return sum(1 for e in self.log if e["kind"] == kind)

    def to_dict(self) -> dict:
        return {"master": str(self.master), "files": [str(f) for f in self.files], "updated": self.updated,
                "skipped": [{"file": str(f), "reason": r} for f, r in self.skipped],
                "failed": [{"file": str(f), "reason": r} for f, r in self.failed],
                "log": [{k: (str(v) if isinstance(v, (Path, dt.date)) else v) for k, v in e.items()}
                        for e in self.log]}


def collect(inputs: Iterable[str | Path], master: str | Path, *, lang: str = "zh",
            now: dt.datetime | None = None) -> CollectSummary:
    """Write the units' 状态 / 进展情况 / 完成日期 into the master by task key.  Conflicts,
    unknown keys and edited task text are logged in 收集记录, never silently resolved;
    a value already in the master is only replaced by a reported one, and the old value
    is kept in the log."""
    import openpyxl

    master = Path(master)
    now = now or dt.datetime.now().replace(microsecond=0)
    table = MasterTable.read(master)
    summary = CollectSummary(master)
    files, summary.skipped = collect_inputs(inputs, output=master, lang=lang)
    by_key = {r[schema.TASK_KEY.key]: r for r in table.rows}
    reports: dict[str, list[Report]] = defaultdict(list)
    for path in files:
        try:
            for report in _read_return(path, by_key, summary):
                reports[report.key].append(report)
            summary.files.append(path)
        except XltoolsError as exc:
            summary.failed.append((path, exc.message(lang)))

    check_not_open(master)
    with output_lock(master):
        wb = openpyxl.load_workbook(master)
        ws = wb[SHEET_MASTER]
        col = {key: c + 1 for key, c in table.header.items()}
        row_of = {ws.cell(r, col[schema.TASK_KEY.key]).value: r for r in range(2, ws.max_row + 1)}
        for key, found in sorted(reports.items()):
            chosen = _choose(key, found, by_key[key], summary)
            if chosen is None:
                continue
            r = row_of[key]
            changed = False
            for column in REPORTED:
                new = chosen.values.get(column.key)
                old = ws.cell(r, col[column.key]).value if column.key in col else None
                if new in (None, "") or column.key not in col or _same(old, new):
                    continue
                put(ws, r, col[column.key], new)
                if column is schema.DONE_DATE:
                    ws.cell(r, col[column.key]).number_format = "yyyy-mm-dd"
                summary.updated += 1
                changed = True
                summary.log.append(_entry("updated", key, by_key[key], chosen, column=column.zh, old=old, new=new))
            # Who reported and when: only when the report changed something, so that
            # collecting the same returns again changes nothing.
            for column, value in ((schema.REPORTED_BY, chosen.unit), (schema.REPORTED_AT, now)):
                if changed and column.key in col:
                    put(ws, r, col[column.key], value)
        _write_log(wb, summary.log, now, lang)
        atomic_save(wb, master)
    return summary


def _read_return(path: Path, by_key: dict[str, dict], summary: CollectSummary) -> list[Report]:
    plan = read_plan(path)
    unit = _reporter(path)
    out = []
    for task in plan.tasks:
        values = {c.key: getattr(task, c.key) for c in REPORTED if getattr(task, c.key) not in (None, "")}
        if not task.key:
            if values:
                summary.log.append({"kind": "missing-key", "key": None, "unit": unit, "file": path,
                                    "seq": task.seq, "column": None, "old": None, "new": None})
            continue
        master_row = by_key.get(task.key)
        if master_row is None:
            summary.log.append({"kind": "unknown-key", "key": task.key, "unit": unit, "file": path, "seq": task.seq,
                                "column": None, "old": None, "new": None})
            continue
        report = Report(task.key, unit, path, values, unit in _master_units(master_row.get(schema.LEAD.key)))
        for column, mine in ((schema.REQUIREMENT, task.requirement), (schema.DEADLINE, task.deadline_raw)):
            theirs = master_row.get(column.key)
            if _norm(mine) != _norm(theirs):
                summary.log.append(_entry("text-edited", task.key, master_row, report, column=column.zh,
                                          old=theirs, new=mine))
        if values:
            out.append(report)
    return out


def _reporter(path: Path) -> str:
    """The unit named in the return's 报送单位 cell, else the file name (split names
    files after units)."""
    try:
        grid = load_grids(path, PROGRESS_SHEET)[0]
        r, c = int(REPORT_UNIT_CELL[1:]) - 1, ord(REPORT_UNIT_CELL[0]) - 65
        value = grid.value(r, c)
    except XltoolsError:
        value = None
    return normalize_unit(value) or path.stem


def _choose(key: str, found: list[Report], master_row: dict, summary: CollectSummary) -> Report | None:
    """One report per task is applied.  Disagreeing reports are logged as a conflict; the
    lead unit's report wins when there is exactly one, otherwise nothing is written."""
    distinct = {tuple(sorted((k, str(v)) for k, v in r.values.items())) for r in found}
    if len(distinct) == 1:
        return found[0]
    leads = [r for r in found if r.is_lead]
    winner = leads[0] if len({tuple(sorted(r.values.items())) for r in leads}) == 1 and leads else None
    for r in found:
        summary.log.append(_entry("conflict", key, master_row, r, column=None, old=None,
                                  new="；".join(f"{k}={v}" for k, v in r.values.items()),
                                  applied=r is winner))
    return winner


def _entry(kind: str, key: str, row: dict, report: Report, **extra) -> dict:
    return {"kind": kind, "key": key, "district": row.get(schema.DISTRICT.key), "seq": row.get(schema.SEQ.key),
            "unit": report.unit, "file": report.file, **extra}


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, dt.datetime):
        old = old.date()
    if isinstance(new, dt.datetime):
        new = new.date()
    return old == new or _norm(old) == _norm(new)


def _norm(v: Any) -> str:
    return re.sub(r"\s+", "", str(v or ""))


LOG_COLUMNS = ("time", "kind", "key", "district", "seq", "column", "old", "new", "unit", "file")


def _write_log(wb, log: list[dict], now: dt.datetime, lang: str) -> None:
    """Append this collection's entries to 收集记录 (earlier collections stay)."""
    if LOG_SHEET in wb.sheetnames:
        ws = wb[LOG_SHEET]
    else:
        ws = wb.create_sheet(LOG_SHEET)
        for c, name in enumerate(LOG_COLUMNS, 1):
            put(ws, 1, c, t("log-" + name, lang))
            ws.column_dimensions[col_letter(c - 1)].width = 40 if name in ("old", "new") else 16
        ws.freeze_panes = "A2"
    for e in log:
        kind = t("log-kind-" + e["kind"], lang)
        if e["kind"] == "conflict" and e.get("applied"):
            kind += t("log-lead-applied", lang)
        values = (now, kind, e["key"], e.get("district"), e.get("seq"), e.get("column"), e.get("old"), e.get("new"),
                  e["unit"], Path(e["file"]).name)
        r = ws.max_row + 1
        for c, v in enumerate(values, 1):
            put(ws, r, c, v)
