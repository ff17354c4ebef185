"""Collect the units' returns back into the master (报送 → 汇总).

Only what a unit changed is a report: each returned value is compared with what the
return was sent out with (its hidden 下发底稿 sheet; the master's value for returns made
before there was one).  Rows are matched by 任务编号, or, when that column is missing or
damaged, by district + 序号 + requirement text (normalised, fuzzy).  Two units that
changed the same field to different values are a conflict; a conflict nothing was
written for stays open (hidden sheet 未决冲突 of the master) and is reported again by
every collection until the units agree or the office types one of the values into the
master.  Everything a unit wrote is either in the master or in 收集记录.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from xltools import schema
from xltools.errors import XltoolsError
from xltools.model import Task
from xltools.read import Grid, load_grids, plan_from_grids
from xltools.rules.deadlines import parse_day
from xltools.rules.keys import normal_text
from xltools.rules.units import normalize_unit
from xltools.texts import t
from xltools.work.collect_log import LogBook
from xltools.work.form_returns import form_reports
from xltools.work.merge import collect_inputs
from xltools.work.returns import OPEN_SHEET, REPORTED, LoopError, MasterTable, master_units, natural_key
from xltools.write.cells import DATE_FORMAT, put
from xltools.write import versions
from xltools.write.files import editing
from xltools.write.master import SHEET_MASTER
from xltools.write.templates import GUIDE_SHEET, LIST_SHEET, PROGRESS_SHEET, SENT_FIELDS, SENT_SHEET

MATCH_THRESHOLD = 85        # rapidfuzz ratio (0–100) a requirement must reach to match without a key
PROBLEM_KINDS = ("conflict", "unknown-key", "missing-key", "unknown-value", "text-edited")


@dataclass
class Claim:
    """One unit's changed value of one field of one task."""
    value: Any
    unit: str
    file: str
    is_lead: bool
    reported_at: dt.date | dt.datetime | None = None


@dataclass
class Return:
    """A return file, read once: its tasks, its reporter and date, what it was sent with."""
    path: Path
    unit: str
    reported_at: dt.date | None
    tasks: list[Task]
    sent: dict[str, dict[str, Any]] | None     # key → SENT_FIELDS as sent (None: a return made before 下发底稿)


@dataclass
class CollectSummary:
    master: Path
    files: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    failed: list[tuple[Path, str]] = field(default_factory=list)
    updated: int = 0                                   # master cells changed
    open_conflicts: int = 0                            # tasks whose conflict stays open
    log: list[dict] = field(default_factory=list)      # every change and every problem

    def count(self, kind: str) -> int:
        return sum(1 for e in self.log if e["kind"] == kind)

    @property
    def problems(self) -> bool:
        return bool(self.failed) or any(e["kind"] in PROBLEM_KINDS for e in self.log)

    def to_dict(self) -> dict:
        return {"master": str(self.master), "files": [str(f) for f in self.files], "updated": self.updated,
                "open_conflicts": self.open_conflicts,
                "skipped": [{"file": str(f), "reason": r} for f, r in self.skipped],
                "failed": [{"file": str(f), "reason": r} for f, r in self.failed],
                "log": [{k: (str(v) if isinstance(v, (Path, dt.date)) else v) for k, v in e.items()}
                        for e in self.log]}

    def message(self, lang: str = "zh") -> str:
        """What the CLI prints and the 收集进展 button shows."""
        lines = [t("cli-collect-done", lang, files=len(self.files), master=self.master, updated=self.updated,
                   conflicts=self.count("conflict"), open=self.open_conflicts,
                   unmatched=self.count("unknown-key") + self.count("missing-key"),
                   unknown=self.count("unknown-value"), edited=self.count("text-edited"))]
        lines += [t("cli-failed-line", lang, file=path, reason=reason) for path, reason in self.failed]
        return "\n".join(lines)


def collect(inputs: Iterable[str | Path], master: str | Path, *, lang: str = "zh", now: dt.datetime | None = None,
            progress: Callable[[int, int, Path], None] | None = None) -> CollectSummary:
    """Write what the units changed (状态 / 进展情况 / 完成日期) into the master and log
    every change and every problem in 收集记录."""
    import openpyxl

    master = Path(master)
    now = now or dt.datetime.now().replace(microsecond=0)
    summary = CollectSummary(master)
    files, summary.skipped = collect_inputs(inputs, output=master, lang=lang)
    files.sort(key=natural_key)
    if master.suffix.lower() not in (".xlsx", ".xlsm"):
        raise LoopError("loop-not-master", file=str(master))
    with editing(master) as held, versions.operation("collect"):   # the lock every writer takes; replaced only if unchanged
        wb = openpyxl.load_workbook(master)     # the master is read once, by the writer
        if SHEET_MASTER not in wb.sheetnames:
            raise LoopError("loop-not-master", file=str(master))
        ws = wb[SHEET_MASTER]
        table = MasterTable.from_rows(master, [list(r) for r in ws.iter_rows(values_only=True)])
        job = _Collection(table, summary, now, lang)
        for i, path in enumerate(files, 1):
            try:
                for ret in read_returns(path, table):
                    job.add(ret)
                summary.files.append(path)
            except XltoolsError as exc:
                summary.failed.append((path, exc.message(lang)))
            if progress:
                progress(i, len(files), path)
        job.add_open(_read_open(wb))
        job.apply(ws)
        _write_open(wb, job.still_open)
        LogBook(wb, lang).append(summary.log, now)
        versions.describe(updated=summary.updated, files=len(summary.files), conflicts=summary.count("conflict"))
        held.replace(wb.save)
    return summary


# ------------------------------------------------------------------ reading a return

def read_returns(path: Path, table: MasterTable) -> list[Return]:
    """A unit's return, or each report (row) of an online form's export (form_returns.py)."""
    grids = load_grids(path)
    reports = form_reports(path, grids, table.rows, MATCH_THRESHOLD)
    if reports is None:
        return [read_return(path, grids)]
    return [Return(path, r.unit, r.reported_at, r.tasks, None) for r in reports]


def read_return(path: Path, grids: list[Grid] | None = None) -> Return:
    """The return's task table, its 报送单位 / 报送日期 line and its 下发底稿, from one read."""
    grids = grids if grids is not None else load_grids(path)
    sent_grid = next((g for g in grids if g.sheet == SENT_SHEET), None)
    # Only the task sheet is parsed (填表说明 and 单位名录 are ours); any sheet when it was renamed.
    tables = [g for g in grids if g.sheet == PROGRESS_SHEET] or \
        [g for g in grids if g.sheet not in (SENT_SHEET, GUIDE_SHEET, LIST_SHEET)]
    plan = plan_from_grids(path, tables or grids)
    progress = (tables or grids)[0]
    sent_unit, sent = _read_sent(sent_grid) if sent_grid else (None, None)
    typed = _labelled(progress, "reporter")
    unit = normalize_unit(typed) or sent_unit or path.stem
    day = _labelled(progress, "report-date")
    when = day.date() if isinstance(day, dt.datetime) else day if isinstance(day, dt.date) else \
        parse_day(str(day).strip()) if day else None
    return Return(path, unit, when, plan.tasks, sent)


def _labelled(grid: Grid, label_key: str) -> Any:
    """The value right of a label (报送单位：) in the rows above the table, wherever a
    row inserted above the header moved it."""
    labels = {normalize_unit(t(label_key, lang)) for lang in ("zh", "en")}
    for row in grid.rows[:8]:
        for c, v in enumerate(row):
            if normalize_unit(v) in labels:
                return next((x for x in row[c + 1:] if x not in (None, "")), None)
    return None


def _read_sent(grid: Grid) -> tuple[str | None, dict[str, dict[str, Any]]]:
    unit = normalize_unit(grid.value(0, 1)) or None
    sent = {}
    for r in range(2, len(grid.rows)):
        values = {key: grid.value(r, c) for c, key in enumerate(SENT_FIELDS)}
        if values["key"]:
            sent[str(values["key"])] = values
    return unit, sent


# ------------------------------------------------------------------ the collection

class _Collection:
    """The claims of every return, matched to the master, then decided field by field."""

    def __init__(self, table: MasterTable, summary: CollectSummary, now: dt.datetime, lang: str):
        self.table, self.summary, self.now, self.lang = table, summary, now, lang
        self.by_key = {str(r[schema.TASK_KEY.key]): r for r in table.rows}
        self.claims: dict[tuple[str, str], dict[str, Claim]] = defaultdict(dict)
        self.heard: set[tuple[str, str]] = set()        # (key, unit) of every row matched this time
        self.was_open: set[tuple[str, str]] = set()
        self.still_open: list[tuple[str, str, Claim]] = []

    def log(self, kind: str, key: str | None, unit: str, file: Path | str, **extra) -> None:
        row = self.by_key.get(key or "", {})
        self.summary.log.append({"kind": kind, "key": key, "district": row.get(schema.DISTRICT.key),
                                 "seq": row.get(schema.SEQ.key), "unit": unit, "file": str(file),
                                 "column": None, "old": None, "new": None, "note": None, **extra})

    # ---------------------------------------------------------- matching

    def add(self, ret: Return) -> None:
        for task in ret.tasks:
            key = self._match(task, ret)
            if key is not None:
                self._claims_of(task, key, ret)

    def _match(self, task: Task, ret: Return) -> str | None:
        known = ret.sent if ret.sent is not None else self.by_key
        if task.key and str(task.key) in known and str(task.key) in self.by_key:
            return str(task.key)
        key, score, reason = self._by_text(task, ret)
        typed = _typed(task)
        if key is not None:
            self.log("matched-by-text", key, ret.unit, ret.path,
                     note=t("note-matched-by-text", self.lang, seq=task.seq, score=score, key=task.key or "—"))
            return key
        self.log("unknown-key" if task.key else "missing-key", task.key, ret.unit, ret.path, seq=task.seq,
                 new=typed or None, note=reason, reported_at=ret.reported_at)
        return None

    def _by_text(self, task: Task, ret: Return) -> tuple[str | None, int, str]:
        """district + 序号 + requirement (normalised, fuzzy ≥ MATCH_THRESHOLD)."""
        from rapidfuzz import fuzz

        mine = normal_text(task.requirement)
        rows = ret.sent.values() if ret.sent is not None else (
            {"key": k, "district": r.get(schema.DISTRICT.key), "seq": r.get(schema.SEQ.key),
             "requirement": normal_text(r.get(schema.REQUIREMENT.key))} for k, r in self.by_key.items())
        same_seq = [r for r in rows if _seq(r["seq"]) == _seq(task.seq) and r["key"] in self.by_key
                    and (not task.district or not r["district"] or r["district"] == task.district)]
        if not same_seq:
            return None, 0, t("note-no-seq", self.lang, seq=task.seq)
        best = max(same_seq, key=lambda r: fuzz.ratio(mine, str(r["requirement"] or "")))
        score = round(fuzz.ratio(mine, str(best["requirement"] or "")))
        if score >= MATCH_THRESHOLD:
            return str(best["key"]), score, ""
        return None, score, t("note-not-similar", self.lang, seq=task.seq, score=score, threshold=MATCH_THRESHOLD)

    def _claims_of(self, task: Task, key: str, ret: Return) -> None:
        master_row = self.by_key[key]
        sent = (ret.sent or {}).get(key)
        base = sent if sent is not None else master_row
        is_lead = sent["role"] == "lead" if sent else ret.unit in master_units(master_row.get(schema.LEAD.key))
        self.heard.add((key, ret.unit))
        for column, typed in _typed(task).items():
            value, understood = _canonical(column, typed)
            if not understood:
                self.log("unknown-value", key, ret.unit, ret.path, column=column, new=typed,
                         note=t("note-kept-as-typed", self.lang), reported_at=ret.reported_at)
            if not _same(value, base.get(column)):
                self.claims[(key, column)][ret.unit] = Claim(value, ret.unit, str(ret.path), is_lead,
                                                            ret.reported_at)
        for column, mine in ((schema.REQUIREMENT, task.requirement), (schema.DEADLINE, task.deadline_raw)):
            theirs = master_row.get(column.key)
            if normal_text(mine) != normal_text(theirs):
                self.log("text-edited", key, ret.unit, ret.path, column=column.key, old=theirs, new=mine,
                         reported_at=ret.reported_at)

    def add_open(self, earlier: list[tuple[str, str, Claim]]) -> None:
        """Conflicts left open by earlier collections: a unit's earlier claim stands
        unless its return was collected again this time."""
        for key, column, claim in earlier:
            if key not in self.by_key:
                continue
            self.was_open.add((key, column))
            if (key, claim.unit) not in self.heard:
                self.claims[(key, column)].setdefault(claim.unit, claim)

    # ---------------------------------------------------------- deciding and writing

    def apply(self, ws) -> None:
        col = {key: c + 1 for key, c in self.table.header.items()}
        row_of = {str(ws.cell(r, col[schema.TASK_KEY.key]).value): r for r in range(2, ws.max_row + 1)}
        conflicts: dict[str, dict[str, dict[str, Claim]]] = defaultdict(dict)
        winners: dict[str, list[Claim]] = defaultdict(list)
        for (key, column), by_unit in sorted(self.claims.items()):
            if column not in col:
                continue
            cell = ws.cell(row_of[key], col[column])
            winner = self._decide(key, column, by_unit, cell.value, conflicts)
            if winner is None:
                continue
            winners[key].append(winner)
            if not _same(cell.value, winner.value):
                self.log("updated", key, winner.unit, winner.file, column=column, old=cell.value, new=winner.value,
                         reported_at=winner.reported_at)
                put(ws, cell.row, cell.column, winner.value)
                if column == schema.DONE_DATE.key:
                    cell.number_format = DATE_FORMAT
                self.summary.updated += 1
                self._stamp(ws, cell.row, col, winner)
        self._log_conflicts(conflicts, winners)
        self.summary.open_conflicts = len({key for key, _, _ in self.still_open})

    def _decide(self, key: str, column: str, by_unit: dict[str, Claim], current: Any,
                conflicts: dict) -> Claim | None:
        claims = list(by_unit.values())
        distinct = {_norm_value(c.value) for c in claims}
        if len(distinct) == 1:
            if (key, column) in self.was_open:
                self.log("conflict-resolved", key, claims[0].unit, claims[0].file, column=column, new=claims[0].value)
            return claims[0]
        if (key, column) in self.was_open and _norm_value(current) in distinct:
            # the office typed one of the values into the master: resolved there
            self.log("conflict-resolved", key, "", self.table.path, column=column, new=current,
                     note=t("note-resolved-in-master", self.lang))
            return None
        conflicts[key][column] = by_unit
        leads = {_norm_value(c.value) for c in claims if c.is_lead}
        if len(leads) == 1:
            return next(c for c in claims if c.is_lead)
        self.still_open.extend((key, column, c) for c in claims)
        return None

    def _stamp(self, ws, r: int, col: dict[str, int], claim: Claim) -> None:
        """Who reported and when (the 报送日期 the unit typed, else the collection time):
        only when the report changed something, so collecting again changes nothing."""
        for column, value in ((schema.REPORTED_BY, claim.unit), (schema.REPORTED_AT, claim.reported_at or self.now)):
            if column.key in col:
                cell = put(ws, r, col[column.key], value)
                if isinstance(value, dt.datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm"

    def _log_conflicts(self, conflicts: dict, winners: dict[str, list[Claim]]) -> None:
        """One line per unit and task: who said what, and whether it was taken."""
        for key, fields in conflicts.items():
            said: dict[str, dict[str, Claim]] = defaultdict(dict)
            for column, by_unit in fields.items():
                for unit, claim in by_unit.items():
                    said[unit][column] = claim
            for unit, claims in said.items():
                applied = all(any(w is c for w in winners.get(key, [])) for c in claims.values())
                first = next(iter(claims.values()))
                self.log("conflict", key, unit, first.file, column=",".join(claims),
                         new={c: claim.value for c, claim in claims.items()}, applied=applied,
                         reported_at=first.reported_at)


# ------------------------------------------------------------------ values

def _seq(v: Any) -> str:
    """序号 as compared: 19, 19.0 (calamine) and "19" are one number."""
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v).strip()


def _typed(task: Task) -> dict[str, Any]:
    return {c.key: getattr(task, c.key) for c in REPORTED if getattr(task, c.key) not in (None, "")}


def _canonical(column: str, typed: Any) -> tuple[Any, bool]:
    """The value as the master holds it, and whether it was understood.  Statuses map to
    the vocabulary (已办结 → 已完成), dates to dates; anything else is kept as typed."""
    if column == schema.STATUS.key:
        value = schema.status_value(typed)
        return (value, True) if value else (str(typed).strip(), False)
    if column == schema.DONE_DATE.key:
        if isinstance(typed, dt.datetime):
            return typed.date(), True
        if isinstance(typed, dt.date):
            return typed, True
        day = parse_day(str(typed).strip())
        return (day, True) if day else (str(typed).strip(), False)
    return (str(typed).strip() if isinstance(typed, str) else typed), True


def _norm_value(v: Any) -> str:
    if isinstance(v, dt.datetime):
        v = v.date()
    if isinstance(v, str) and schema.status_value(v):
        v = schema.status_value(v)
    return "".join(str(v if v is not None else "").split())


def _same(old: Any, new: Any) -> bool:
    return _norm_value(old) == _norm_value(new)


# ------------------------------------------------------------------ open conflicts (hidden sheet of the master)

_OPEN_FIELDS = ("key", "column", "unit", "value", "file", "lead", "reported_at")


def _read_open(wb) -> list[tuple[str, str, Claim]]:
    if OPEN_SHEET not in wb.sheetnames:
        return []
    out = []
    for values in wb[OPEN_SHEET].iter_rows(min_row=2, values_only=True):
        row = dict(zip(_OPEN_FIELDS, values))
        if row.get("key") and row.get("column") and row.get("unit"):
            out.append((str(row["key"]), str(row["column"]), Claim(row["value"], str(row["unit"]),
                                                                   str(row["file"] or ""), bool(row["lead"]),
                                                                   row.get("reported_at"))))
    return out


def _write_open(wb, still_open: list[tuple[str, str, Claim]]) -> None:
    if OPEN_SHEET in wb.sheetnames:
        del wb[OPEN_SHEET]
    if not still_open:
        return
    ws = wb.create_sheet(OPEN_SHEET)
    for c, name in enumerate(_OPEN_FIELDS, 1):
        put(ws, 1, c, name)
    for r, (key, column, claim) in enumerate(still_open, 2):
        for c, v in enumerate((key, column, claim.unit, claim.value, claim.file, int(claim.is_lead),
                               claim.reported_at), 1):
            put(ws, r, c, v)
    ws.sheet_state = "hidden"
    ws.protection.sheet = True
