"""Collect the units' returns back into the master (报送 → 汇总).

Only what a unit changed is a report: each returned value is compared with what the
return was sent out with (its hidden 下发底稿 sheet; the master's value for returns made
before there was one).  What a unit typed is checked by the rules validate uses
(check.validate.check_reported): an impossible or unreadable date, text in the date
cell, a status outside the list, 已完成 without a date, merged cells — such values are
not written, each is a Finding naming file, cell and value.  A return knows the master
and the split that made it (下发底稿): one from another master or year is refused by
name.  Rows are matched by 任务编号, or, when that column is missing or damaged, by
district + 序号 + requirement text (normalised, fuzzy) among the tasks the return was
sent with.  Two units that changed the same field to different values are a conflict
(a value refused above counts: the units still disagree): a task's reports are then
written whole or not at all; a conflict nothing was written
for stays open (hidden sheet 未决冲突 of the master) and is reported again by every
collection until the units agree or the office types one of the values into the
master.  A status not written holds back the completion date its unit typed with it.
A task is complete when every unit it went to as a lead has said so (must_agree: a
collective lead, 各街道办事处, by each member split sent it to; _done_together): a lead's
已完成 waits in the same hidden sheet until then, and a supporting unit's never
completes a task.  Every line quotes what the unit typed (“已办结”（按已完成处理）).
Everything a unit wrote is either in the master or in 收集记录.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable, NamedTuple

from xltools import schema
from xltools.aside import Aside
from xltools.check.validate import DONE as _DONE, blank, check_reported, done_without_date
from xltools.errors import MessageOf, UnreadableFile, Words, XltoolsError
from xltools.findings import Finding
from xltools.model import ParsedTask, Task, TaskSheet
from xltools.read import Grid, load_grids, plan_from_grids
from xltools.read.forms import is_form_export
from xltools.read.limits import MAX_ROWS, check_package, worksheet_parts
from xltools.read.loaders import os_error
from xltools.rules.deadlines import parse_day, same_date
from xltools.rules.keys import key_year, normal_text
from xltools.rules.units import UnitRegistry, normalize_unit, recipients, units_of
from xltools.texts import t
from xltools.work.collect_log import ColumnName, LogBook, Said, Seen, Typed, log_seen, seen_in_xml, shown
from xltools.work.form_returns import form_reports
from xltools.work.log_archive import Archived, archive_old_lines
from xltools.work import pool
from xltools.work.merge import collect_inputs, fewer_collections
from xltools.work.previous import plain
from xltools.work.returns import (IDENTITY_SHEET, LOG_SHEET, OPEN_SHEET, REPORTED, LoopError, MasterTable, identity_in,
                                  identity_sheet, master_units, natural_key)
from xltools.write.cells import DATE_FORMAT, DATETIME_FORMAT, put
from xltools.write import splice, versions
from xltools.write.drawings import carry_drawings
from xltools.write.files import OutputLocked, check_editable, editing
from xltools.write.master import SHEET_MASTER
from xltools.write.templates import (GUIDE_SHEET, LIST_SHEET, PROGRESS_SHEET, SENT_FIELDS, SENT_SHEET, own_column_key,
                                     own_header, workbook_bytes)

MATCH_THRESHOLD = 85        # rapidfuzz ratio (0–100) a requirement must reach to match without a key
TASK_WORDS = 12             # characters of the requirement that name a task in every line
STAMP_FORMAT = "yyyy-mm-dd hh:mm"   # 报送时间 in the master
MESSAGE_LINES = 40          # errors and warnings printed (all are in 收集记录 and --json)
APPLY_ASIDE = 4000          # tasks worth deciding half of in another process
MAIN_SHARE = 0.55           # of them decided here (the other process also copies what it touches, and sends)
LARGE_RETURNS = 1 << 20    # bytes of returns worth a reading process beside the master's reading
TOLD = ("collect-leads-done-partly", "collect-support-done", "collect-date-year-added")     # notes printed with the problems
REFUSED = ("collect-unreadable", "collect-other-master", "collect-other-year",   # a whole return not taken
           "collect-not-a-return")


@dataclass
class Claim:
    """One unit's changed value of one field of one task."""
    value: Any
    unit: str
    file: str
    is_lead: bool
    reported_at: dt.date | dt.datetime | None = None
    cell: str | None = None          # where the return holds it
    sheet: str | None = None
    refused: bool = False            # not written (listed as a finding), yet the unit said it: it counts in a conflict
    typed: Any = None                # what the unit typed, when the value is read from it (已办结 → 已完成)
    via: str | None = None           # the collective lead or support the task reached the unit through (各街镇)
    waiting: bool = False            # a lead's 已完成 kept until every lead of the task has said it

    def said(self) -> Any:
        """The value as the unit typed it, with what it was read as: every line quotes this."""
        return self.value if self.typed is None else Typed(self.typed, self.value)


class ReturnRow(NamedTuple):
    """A task row of a return as collect takes it: what names it, what the unit typed
    (状态, 进展情况, 完成日期) and where.  Small, for it is sent back from a reading process."""
    row: int
    key: str | None
    seq: int | str | None
    district: str | None
    requirement: str | None
    deadline_raw: str | None
    status: Any
    progress: Any
    done_date: Any
    cells: dict[str, str]            # of the columns above: column key → A1
    own: tuple[tuple[str, str, Any], ...] = ()   # what the unit typed in a column it added: (heading, A1, value)

    @classmethod
    def of(cls, task: ParsedTask | Task, own_columns: dict[str, str] | None = None) -> "ReturnRow":
        """From a task as read (a return's table, with the columns the unit added: letter →
        heading) or finished (an online form's report)."""
        cells = task.cells
        own = tuple((heading, f"{letter}{task.row}", task.extra[heading]) for letter, heading in (own_columns or {}).items()
                    if not blank(task.extra.get(heading)))
        return cls(task.row, task.key, task.seq, task.district, task.requirement, task.deadline_raw, task.status,
                   task.progress, task.done_date, {k: cells[k] for k in _ROW_CELLS if k in cells}, own)


_ROW_CELLS = ("key", "seq", "requirement", "deadline", *(c.key for c in REPORTED))


@dataclass
class Return:
    """A return file, read once: its tasks, its reporter and date, what it was sent with."""
    path: Path
    unit: str
    reported_at: dt.date | None
    tasks: list[ReturnRow]
    sent: dict[str, dict[str, Any]] | None     # key → SENT_FIELDS as sent (None: a return made before 下发底稿)
    source: dict[str, Any] = field(default_factory=dict)   # master, master_name, split (None: made before ids)
    sheet: str | None = None                   # the task sheet read
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # its merged ranges, 0-based
    sent_unit: str | None = None               # the unit split made it for (None: made before 下发底稿)
    own_columns: dict[str, str] = field(default_factory=dict)   # its task sheet's columns of no field: letter → heading
    _by_seq: dict[str, list[dict]] | None = field(default=None, repr=False)

    def references(self) -> dict[str, str]:
        """The columns split wrote for reference (the master's 备注 as 备注（供参考）), heading →
        letter: those whose heading its 下发底稿 records (templates.reference_key)."""
        recorded = next(iter((self.sent or {}).values()), {})
        return {heading: letter for letter, heading in self.own_columns.items() if own_column_key(heading) in recorded}

    def sent_by_seq(self) -> dict[str, list[dict]]:
        """The tasks it was sent with, by 序号 (a matching without keys looks only there)."""
        if self._by_seq is None:
            self._by_seq = defaultdict(list)
            for row in (self.sent or {}).values():
                self._by_seq[_seq(row["seq"])].append(row)
        return self._by_seq


@dataclass
class Change:
    """A change applied to the master (or, in a dry run, that would be): one cell, named
    by its task (district, 序号, the requirement's first words)."""
    kind: str                      # "updated" | "conflict-resolved"
    key: str
    district: Any
    seq: Any
    task: str
    column: str
    old: Any
    new: Any
    unit: str
    file: str
    reported_at: dt.date | dt.datetime | None = None
    note: Words | None = None
    cell: str | None = None        # where the return holds the value
    typed: Typed | None = None     # what the unit typed, when `new` was read from it (已办结 → 已完成)

    def to_dict(self, lang: str = "zh") -> dict:
        return {"kind": self.kind, "key": self.key, "district": self.district, "seq": self.seq, "task": self.task,
                "column": self.column, "old": _json(self.old), "new": _json(self.new), "unit": self.unit,
                "file": self.file, "cell": self.cell, "reported_at": _json(self.reported_at),
                "note": self.note.render(lang) if self.note else None,
                "typed": _json(self.typed.typed) if self.typed else None}


@dataclass
class CollectSummary:
    master: Path
    dry_run: bool = False
    files: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)      # what was (dry run: would be) written
    findings: list[Finding] = field(default_factory=list)    # every problem, and notes on what was understood
    open_conflicts: int = 0                                  # tasks whose conflict stays open
    refused: XltoolsError | None = None                      # dry run: what would stop the real run (lock)
    unchanged: bool = False          # nothing new to write: the master left as it was (no version kept)
    archived: Archived | None = None  # the log's oldest lines moved into the archive beside the master

    @property
    def exit_code(self) -> int:
        """README's table, the same for a dry run as for the real run it previews: 2 when
        the run stops (the master open or locked), 1 when done with problems, else 0."""
        if self.refused is not None:
            return self.refused.exit_code
        return 1 if self.problems or not self.files else 0

    @property
    def updated(self) -> int:
        """Master cells changed (dry run: that would be)."""
        return sum(1 for c in self.changes if c.kind == "updated")

    @property
    def failed(self) -> list[tuple[Path, str]]:
        """Returns not taken at all (unreadable, from another master or year), with the reason."""
        return [(Path(f.file), f.message()) for f in self.findings if f.code in REFUSED]

    def count(self, code: str) -> int:
        """Changes of a kind, or findings of a code."""
        return sum(1 for c in self.changes if c.kind == code) + sum(1 for f in self.findings if f.code == code)

    def findings_of(self, code: str) -> list[Finding]:
        return [f for f in self.findings if f.code == code]

    def severity(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def problems(self) -> bool:
        return any(f.severity in ("error", "warning") for f in self.findings)

    def to_dict(self, lang: str = "zh") -> dict:
        return {"master": str(self.master), "dry_run": self.dry_run, "files": [str(f) for f in self.files],
                "updated": self.updated, "unchanged": self.unchanged,
                "open_conflicts": self.open_conflicts,
                "skipped": [{"file": str(f), "reason": r} for f, r in self.skipped],
                "changes": [c.to_dict(lang) for c in self.changes],
                "findings": [{**f.to_dict(lang), **{k: _json(f.params.get(k)) for k in ("key", "district", "seq",
                                                                                         "task", "unit")}}
                             for f in self.findings],
                "refused": {"error": self.refused.key, "message": self.refused.message(lang)} if self.refused else None,
                "archived": self.archived.to_dict() if self.archived else None,
                "exit_code": self.exit_code}

    def message(self, lang: str = "zh") -> str:
        """What the CLI prints and the 收集进展 button shows: the counts, each change of a
        dry run, each error and warning with its file, cell and task."""
        counts = dict(files=len(self.files), master=self.master, updated=self.updated,
                      errors=self.severity("error"), warnings=self.severity("warning"), infos=self.severity("info"))
        lines = [t("cli-collect-dry", lang, **counts) if self.dry_run else
                 t("cli-collect-done", lang, open=self.open_conflicts, **counts)]
        if not self.files:
            lines += [] if self.dry_run else [t("cli-collect-nothing", lang)]
            lines += [t("cli-collect-skipped", lang, file=Path(f).name, reason=r) for f, r in self.skipped[:MESSAGE_LINES]]
        elif self.unchanged:
            lines.append(t("cli-collect-unchanged", lang))
        if self.archived:
            lines.append(self.archived.message(lang))
        if self.dry_run:
            lines += [t("cli-collect-change", lang, task=task_name(c.district, c.seq, c.task, lang),
                        column=ColumnName(c.column).render(lang), old=_shown_or_dash(c.old),
                        new=c.typed.render(lang) if c.typed else _shown_or_dash(c.new), unit=c.unit or "—") for c in self.changes]
        shown_ = [f for f in self.findings if f.severity != "info" or f.code in TOLD]
        lines += [t("cli-collect-finding", lang, where=_where(f, lang), message=f.message(lang))
                  for f in _in_order(shown_)[:MESSAGE_LINES]]
        if len(shown_) > MESSAGE_LINES:
            lines.append(t("cli-collect-more" if self.files else "cli-collect-more-json", lang,
                           n=len(shown_) - MESSAGE_LINES))
        if self.refused is not None:
            lines.append(t("dry-run-would-stop", lang, message=self.refused.message(lang)))
        return "\n".join(lines)


def _where(f: Finding, lang: str) -> str:
    """File, cell and task of a printed line, those it has."""
    task = task_name(f.params.get("district"), f.params.get("seq"), f.params.get("task"), lang) \
        if f.params.get("task") is not None or f.params.get("seq") is not None else ""
    return ("　" if lang == "zh" else "  ").join(x for x in (f"{Path(f.file).name} {f.cell or ''}".strip(), task) if x)


def _in_order(findings: list[Finding]) -> list[Finding]:
    """Lines as the clerk reads the returns: file by file (in the order met), cell by cell
    within a file (row, then column); a line of no cell after its file's cells."""
    first: dict[str, int] = {}
    for f in findings:
        first.setdefault(f.file, len(first))
    return sorted(findings, key=lambda f: (first[f.file], f.row is None, f.row or 0,
                                           len(f.cell or ""), f.cell or ""))


def task_name(district: Any, seq: Any, words: Any, lang: str) -> str:
    """天桥区 第 19 项“编制并公开财政预算…”: how every line names a task."""
    if seq is None or not str(seq).strip():
        return t("collect-task-unnumbered", lang, district=district or "", words=words or "")
    return t("collect-task", lang, district=district or "", seq=seq, words=words or "")


def collect(inputs: Iterable[str | Path], master: str | Path, *, lang: str = "zh", now: dt.datetime | None = None,
            progress: Callable[[int, int, Path], None] | None = None, dry_run: bool = False,
            registry: UnitRegistry | None = None) -> CollectSummary:
    """Write what the units changed (状态 / 进展情况 / 完成日期) into the master and log
    every change and every problem in 收集记录.  With dry_run, nothing is written: the
    summary says what would change (the same list the real run then applies), its
    `refused` what would stop the real run (the master open or locked), and its
    `exit_code` is the real run's.  `registry`: whose members a collective lead has, for
    returns that do not list who the task was sent to (the one split used; None: the
    built-in list)."""
    import openpyxl

    master = Path(master)
    now = now or dt.datetime.now().replace(microsecond=0)
    summary = CollectSummary(master, dry_run)
    files, summary.skipped = collect_inputs(inputs, output=master, lang=lang)
    files.sort(key=natural_key)
    if master.suffix.lower() not in (".xlsx", ".xlsm"):
        raise LoopError("loop-not-master", file=str(master))

    def run(prepare: Callable[[], Any] | None = None, then: Callable[[Any], None] | None = None
            ) -> tuple[_Collection, dict[str, list[list[Any]]], Any]:
        """The collection decided; `prepare()` (the master's edit made ready) runs after
        the master's reading, while the returns are read; `then(what it made)` once they are."""
        read: list[_Read] = [None] * len(files)       # type: ignore[list-item]
        master_read: list = []
        workers = _workers(files)
        apart = _sent_apart(files, workers)
        sent: dict[int, _Read] = {}

        def read_master() -> None:        # while the returns are read
            sheets = _master_sheets(master)
            table = MasterTable.from_rows(master, sheets[SHEET_MASTER])
            master_id = identity_in(sheets[IDENTITY_SHEET]) if IDENTITY_SHEET in sheets else None
            for i in apart:
                sent[i] = _read_file(files[i], "sent")
            master_read[:] = [_Collection(table, summary, now, lang, master_id, registry), sheets,
                              prepare() if prepare else None]

        def done(i: int, result: _Read) -> None:
            read[i] = result
            if progress:
                progress(sum(r is not None for r in read), len(files), files[i])

        pool.read_all(_read_file, [(p, "tasks" if i in apart else "whole") for i, p in enumerate(files)], done, _lost,
                      lang, workers, meanwhile=read_master)
        job, sheets, prepared = master_read
        if then:
            then(prepared)
        for i, path in enumerate(files):
            result = read[i].joined(sent[i]) if i in sent else read[i]
            try:
                for ret in result.returns(job.table):
                    job.add(ret)
                summary.files.append(path)
            except XltoolsError as exc:
                summary.findings.append(Finding("collect-unreadable", str(path), params={"reason": MessageOf(exc)}))
            except _Refused as refused:
                summary.findings.append(refused.finding)
        job.add_open(_read_open(sheets.get(OPEN_SHEET)))
        return job, sheets, prepared

    if dry_run:
        with fewer_collections():
            run()[0].apply(None)
        try:                                    # what the real run would refuse before reading
            check_editable(master)
        except OutputLocked as exc:
            summary.refused = exc
        return summary

    def open_for_edit() -> tuple:
        # openpyxl edits the workbook without its rows (write/splice.py): the rows of 汇总
        # and 收集记录 are edited as text, the small sheets rewritten here are openpyxl's
        seen = log.result()
        whole = {IDENTITY_SHEET, OPEN_SHEET} | ({LOG_SHEET} if LogBook.outdated(seen) else set())
        original = master.read_bytes()      # its drawn shapes, which openpyxl drops, are carried from it
        package, kept = splice.take_rows(original, whole)
        if SHEET_MASTER in kept:
            kept[SHEET_MASTER].index()      # where each row is: found now, not after the returns are read
        return openpyxl.load_workbook(io.BytesIO(package)), kept, seen, original

    # the lock every writer takes; replaced only if unchanged
    with editing(master) as held, fewer_collections(), versions.operation("collect"):
        # the log already there (its lines are not written twice) read in a process of its own
        log = Aside(_log_seen, master, worth=_log_size(master) >= LOG_ASIDE)
        try:
            # the rows taken out checked once the returns are read, while the collection is decided
            job, sheets, (wb, kept, seen, original) = run(open_for_edit, lambda made: [
                rows.check() for rows in made[1].values()])
        finally:
            log.discard()
        if not summary.files:               # nothing to collect (all refused, or none given): the master as it was
            summary.unchanged = True
            return summary
        job.apply(_master_cells(wb, kept.get(SHEET_MASTER)))
        if SHEET_MASTER in kept:
            kept[SHEET_MASTER].settle()         # its edited rows made aside while the log is written
        _write_open(wb, job.still_open, kept)
        if job.master_id is None:               # an older master: from now on its splits carry an id
            _write_identity(wb)
        if seen is not None and seen.unread:
            summary.findings.append(Finding("collect-log-long", str(master), LOG_SHEET, None, None,
                                            {"rows": seen.unread, "limit": MAX_ROWS}))
        book = LogBook(wb, lang, seen, kept)
        lines = book.append(summary.changes, summary.findings, now)
        if not (summary.updated or lines or job.master_id is None
                or _open_rows(job.still_open) != (sheets.get(OPEN_SHEET) or [])[1:]):
            summary.unchanged = True        # collected again with nothing new: not even a version
            return summary
        # a long log's oldest lines into the archive beside the master, written before the master is
        summary.archived = archive_old_lines(book, seen, master, now, summary.findings, lambda: _log_read(master))
        versions.describe(updated=summary.updated, files=len(summary.files), conflicts=summary.count("collect-conflict"))
        saved, lost = carry_drawings(original, splice.put_rows(workbook_bytes(wb), kept))
        summary.findings += [x.finding(str(master)) for x in lost]
        held.replace(lambda temp: Path(temp).write_bytes(saved))
    return summary


LOG_ASIDE = 1 << 20      # bytes of a master's 收集记录 worth reading in a process of its own
LOG_PART_READ = 256 << 20    # bytes of it read from its part at most (seen_in_xml; else as a sheet)


def _log_seen(master: Path) -> Seen | None:
    """The master's 收集记录 as collect needs it (None: none yet): from its part as collect
    writes it (seen_in_xml: a few lines of every thousand read), else read as a sheet.  A
    log longer than a sheet read may be is then not read: its new lines are written,
    compared with none."""
    try:
        with zipfile.ZipFile(master) as zf:
            check_package(master, False, zf)        # its sizes, before a part is unpacked
            part = worksheet_parts(zf).get(LOG_SHEET)
            info = zf.getinfo(part) if part else None
            seen = seen_in_xml(zf.read(info)) if info and info.file_size <= LOG_PART_READ else None
        if seen is not None:
            return seen
    except Exception:      # noqa: BLE001  whatever is wrong with the file, its reading as a sheet says it
        pass
    return _log_read(master)


def _log_read(master: Path) -> Seen | None:
    """_log_seen's log read as a sheet: every line, its refusals too."""
    try:
        return log_seen(_master_sheets(master, (LOG_SHEET,)).get(LOG_SHEET))
    except UnreadableFile as exc:
        if exc.key != "sheet-too-big":
            raise
        return Seen([], {}, unread=exc.params["rows"])


def _log_size(master: Path) -> int:
    """The size of the master's 收集记录 as stored (0: none, or not known: read here)."""
    try:
        with zipfile.ZipFile(master) as zf:
            part = worksheet_parts(zf).get(LOG_SHEET)
            return zf.getinfo(part).file_size if part else 0
    except Exception:       # whatever is wrong with the file, its reading here says it
        return 0


def judge(ret: Return, table: MasterTable, *, master_id: str | None = None, lang: str = "zh",
          registry: UnitRegistry | None = None) -> CollectSummary:
    """What collecting this one return into the tasks of `table` would do, nothing
    written: the changes and findings of `collect --dry-run` (validate on a return asks
    it, work/return_check.py)."""
    summary = CollectSummary(table.path, dry_run=True)
    job = _Collection(table, summary, dt.datetime.now().replace(microsecond=0), lang, master_id, registry)
    try:
        job.add(ret)
    except _Refused as refused:
        summary.findings.append(refused.finding)
        return summary
    job.apply(None)       # decided and listed, nothing written
    return summary


def _master_sheets(master: Path, names: tuple[str, ...] = (SHEET_MASTER, IDENTITY_SHEET, OPEN_SHEET)
                   ) -> dict[str, list[list[Any]]]:
    """The sheets of the master collect reads (汇总, its identity, the open conflicts; or
    `names`) as values a comparison sees (blank is None, whole numbers int)."""
    sheets = {}
    for name in names:
        try:
            grid = load_grids(master, name)[0]
        except UnreadableFile as exc:
            if exc.key != "sheet-not-found":
                raise
            if name == SHEET_MASTER:
                raise LoopError("loop-not-master", file=str(master)) from None
            continue
        # text read from XML is text a rewrite can hold: only blanks and numbers need plain()
        sheets[name] = [[v if v.__class__ is str and v.strip() else plain(v) for v in row] for row in grid.rows]
    return sheets


def _master_cells(wb, rows: splice.SheetRows | None) -> Callable[[int, int, Any, str], None]:
    """How apply writes a cell of 汇总 (row, column, value, format of a date and time):
    into its rows kept aside, in the look the cell has; through openpyxl when the sheet
    was left to it.  A completion date (format DATE_FORMAT) is shown as its column
    already shows dates (_DayFormats)."""
    formats = splice.Formats(wb)
    if rows is None:
        ws = wb[SHEET_MASTER]
        days = _DayFormats(formats, lambda r, c: ws.cell(r, c).style_id, _column_style(ws))

        def put_cell(r: int, c: int, value: Any, moment: str) -> None:
            day = moment == DATE_FORMAT and isinstance(value, dt.date)
            if day:
                moment = days(r, c)         # before put gives the cell a format of its own
            cell = put(ws, r, c, value)
            if day or isinstance(value, dt.datetime):
                cell.number_format = moment
        return put_cell
    return _KeptCells(formats, rows, _DayFormats(formats, rows.style_at, _column_style(wb[SHEET_MASTER])))


class _KeptCells:
    """Cells of 汇总 set in its rows kept aside (write/splice.py), in the look each cell
    has.  Half the tasks may be decided in another process (apply): `taken()` there
    gives the cells it set and the looks it made, `join()` here puts them in, each look
    under its number in this workbook."""

    def __init__(self, formats: splice.Formats, rows: splice.SheetRows, days: "_DayFormats"):
        self.rows, self.formats, self.days = rows, formats, days
        self.made: dict[tuple, str] = {}     # the <c> of a value met again (who reported, when: on every row)

    def __call__(self, r: int, c: int, value: Any, moment: str) -> None:
        s = self.rows.style_at(r, c)
        if value.__class__ is str and len(value) > _SHORT:
            self.rows.put(r, c, splice.cell(value, self.formats.family(s, datetime=moment)))
            return
        date = DATE_FORMAT
        if moment == DATE_FORMAT and isinstance(value, dt.date):
            date = moment = self.days(r, c)
        key = (s, moment, value.__class__, value)
        xml = self.made.get(key)
        if xml is None:
            xml = self.made[key] = splice.cell(value, self.formats.family(s, date=date, datetime=moment))
        self.rows.put(r, c, xml)

    def taken(self) -> tuple[dict[int, dict[int, bytes]], dict[tuple, Any]]:
        return self.rows.cells, self.formats.looks()

    def join(self, taken: tuple[dict[int, dict[int, bytes]], dict[tuple, Any]]) -> None:
        cells, looks = taken
        number = self.formats.numbered(looks)
        for row, set_ in cells.items():
            mine = self.rows.cells.setdefault(row, {})
            mine.update(set_ if not number else {c: splice.restyled(x, number) for c, x in set_.items()})


class _DayFormats:
    """The date format of a completion date collect writes into 汇总: the one the master's
    column already shows (a district's yyyy"年"m"月"d"日"): its cell's when that is a date
    format, else the nearest dated cell's above it in the column (LOOK_UP rows at most),
    else the column's, else DATE_FORMAT.  `style_at(row, column)` and `column_style(column)`
    give cell format ids."""

    def __init__(self, formats: splice.Formats, style_at: Callable[[int, int], int],
                 column_style: Callable[[int], int | None]):
        self.formats, self.style_at, self.column_style = formats, style_at, column_style
        self._above: dict[int, dict[int, str | None]] = defaultdict(dict)   # column → row → its date format
        self._undated: dict[int, dict[int, int]] = defaultdict(dict)        # column → row → first of the undated rows to it
        self._codes: dict[int | None, str | None] = {None: None}             # cell format id → its date format

    def __call__(self, r: int, c: int) -> str:
        return self._dated(self.style_at(r, c)) or self._nearest(r - 1, c) or self._dated(self.column_style(c)) \
            or DATE_FORMAT

    def _dated(self, s: int | None) -> str | None:
        if s not in self._codes:
            from openpyxl.styles.numbers import is_date_format

            code = self.formats.number_format(s)
            self._codes[s] = code if is_date_format(code) else None
        return self._codes[s]

    def _nearest(self, r: int, c: int) -> str | None:
        """The date format of the nearest dated cell at or above row r (below the header,
        at most LOOK_UP rows up: a huge master's whole column is not read for one date);
        each cell's format looked up once however many dates are written under it, and
        rows found undated passed over at once (a column without dates is walked once)."""
        dated, undated = self._above[c], self._undated[c]
        at, walked, found = r, [], None
        while at > 1 and r - at < LOOK_UP:
            if at in undated:                   # the rows from undated[at] to `at` have no date
                walked.append(at)
                at = undated[at] - 1
                continue
            if at not in dated:
                dated[at] = self._dated(self.style_at(at, c))
            if dated[at]:
                found = dated[at]
                break
            walked.append(at)
            at -= 1
        for row in walked:
            undated[row] = at + 1
        return found


LOOK_UP = 1000      # rows above a completion date whose date format it may take (_DayFormats)


def _column_style(ws) -> Callable[[int], int | None]:
    """A sheet's column → the cell format of the column (its <col>), None when it has none."""
    def style(c: int) -> int | None:
        return next((d.style_id for d in ws.column_dimensions.values() if d.min and d.max and d.min <= c <= d.max),
                    None)
    return style


_SHORT = 40     # characters of a text worth keeping its <c> for the rows that hold it too


class _Refused(Exception):
    """A whole return not taken (from another master or year)."""

    def __init__(self, finding: Finding):
        super().__init__(finding.code)
        self.finding = finding


# ------------------------------------------------------------------ reading a return

def read_returns(path: Path, table: MasterTable) -> list[Return]:
    """A unit's return, or each report (row) of an online form's export (form_returns.py)."""
    return _read(path).returns(table)


@dataclass
class _Read:
    """A file as a reading process sends it back: its return, or the sheets of an online
    form's export (matched against the master here), or why it could not be read; read
    in two parts, its return without 下发底稿 and, `sent`, that sheet (_read_sent's)."""
    path: Path
    ret: Return | None = None
    form: list[Grid] | None = None
    error: XltoolsError | None = None
    sent: tuple | None = None

    def joined(self, sent: "_Read") -> "_Read":
        """The return read without its 下发底稿, with it (read apart)."""
        if self.ret is None or self.error is not None:
            return self
        if sent.error is not None:
            return _Read(self.path, error=sent.error)
        return _Read(self.path, _with_sent(self.ret, sent.sent))

    def returns(self, table: MasterTable) -> list[Return]:
        if self.error is not None:
            raise self.error
        if self.ret is not None:
            if self.ret.sent is None and self.ret.sheet != PROGRESS_SHEET:   # a district's plan, not a return
                raise _Refused(Finding("collect-not-a-return", str(self.path), self.ret.sheet, None, None,
                                       {"sheet": self.ret.sheet}))
            return [self.ret]
        reports = form_reports(self.path, self.form, table.rows, MATCH_THRESHOLD) or []
        return [Return(self.path, r.unit, r.reported_at, list(map(ReturnRow.of, r.tasks)), None) for r in reports]


def _read(path: Path, part: str = "whole") -> _Read:
    """The file read whole, or in parts: its "tasks" (all but 下发底稿), its "sent" (that sheet)."""
    if part == "sent":
        try:
            grid = load_grids(path, SENT_SHEET)[0]
        except UnreadableFile as exc:
            if exc.key != "sheet-not-found":
                raise
            return _Read(path)         # a return made before 下发底稿
        return _Read(path, sent=_read_sent(grid))
    grids = load_grids(path, skip=SENT_SHEET if part == "tasks" else None)
    if any(is_form_export(g) for g in grids):
        return _Read(path, form=grids)
    if not grids:       # nothing but 下发底稿: read as a whole file is
        return _Read(path, read_return(path))
    return _Read(path, _read_progress(path, grids) if part == "tasks" else read_return(path, grids))


def _read_file(path: Path, part: str = "whole") -> _Read:
    """One file (or its part, _read) read, in a reading process (work/pool.py) or here.
    Never raises: a file's problem is its own, listed as unreadable; the other returns
    are collected."""
    try:
        return _read(path, part)
    except XltoolsError as exc:
        return _Read(path, error=exc)
    except OSError as exc:      # no permission, a share gone: in the clerk's words
        return _Read(path, error=os_error(path, exc))
    except Exception as exc:    # a reader bug on one odd file: report it, collect the rest
        return _Read(path, error=XltoolsError("internal-error", error=f"{type(exc).__name__}: {exc}"))


def _lost(a: tuple, reason: str) -> _Read:
    """The file of `_read_file`'s arguments `a`, unreadable for `reason` (its process died)."""
    return _Read(a[0], error=XltoolsError("reason-given", reason=reason))


def _workers(files: list[Path]) -> int:
    """Reading processes for the returns: as merge reads its files, and for a few large
    returns too (read while the master is)."""
    workers = pool.workers_for(len(files))
    if workers or not files:
        return workers
    try:
        size = sum(p.stat().st_size for p in files)
    except OSError:
        return 0
    return min(os.cpu_count() or 1, len(files) + 1) - 1 or 1 if size >= LARGE_RETURNS else 0


SENT_SHARE = 0.3       # of a return's reading, about what its 下发底稿 takes


def _sent_apart(files: list[Path], workers: int) -> set[int]:
    """The large returns (by index) whose 下发底稿 this process reads, after the master,
    while the reading processes read their tasks: the largest first, as long as this
    process's share of the reading stays no more than one process's."""
    if not workers:
        return set()
    try:
        sizes = [p.stat().st_size for p in files]
    except OSError:
        return set()
    budget, apart = sum(sizes) / (workers + 1), set()
    for i in sorted(range(len(files)), key=sizes.__getitem__, reverse=True):
        if sizes[i] < LARGE_RETURNS or sizes[i] * SENT_SHARE > budget:
            break
        budget -= sizes[i] * SENT_SHARE
        apart.add(i)
    return apart


def read_return(path: Path, grids: list[Grid] | None = None) -> Return:
    """The return's task table, its 报送单位 / 报送日期 line and its 下发底稿, from one read."""
    grids = grids if grids is not None else load_grids(path)
    sent_grid = next((g for g in grids if g.sheet == SENT_SHEET), None)
    return _with_sent(_read_progress(path, [g for g in grids if g is not sent_grid] or grids),
                      _read_sent(sent_grid) if sent_grid else None)


def _with_sent(ret: Return, sent: tuple | None) -> Return:
    """The return with its 下发底稿 as _read_sent read it (None: a return made before
    there was one); its unit the one typed, else the one it was sent to, else the file's."""
    ret.sent_unit, ret.sent, ret.source = sent or (None, None, {})
    ret.unit = ret.unit or ret.sent_unit or ret.path.stem
    return ret


def _read_progress(path: Path, grids: list[Grid]) -> Return:
    """The return's task table and its 报送单位 / 报送日期 line (the unit "" when none
    is typed), from the sheets read but 下发底稿."""
    # Only the task sheet is parsed (填表说明 and 单位名录 are ours); any sheet when it was renamed.
    tables = [g for g in grids if g.sheet == PROGRESS_SHEET] or \
        [g for g in grids if g.sheet not in (SENT_SHEET, GUIDE_SHEET, LIST_SHEET)]
    plan = plan_from_grids(path, tables or grids, finish=False)     # only what was typed is taken
    progress = (tables or grids)[0]
    unit = normalize_unit(_labelled(progress, "reporter")) or ""
    day = _labelled(progress, "report-date")
    when = day.date() if isinstance(day, dt.datetime) else day if isinstance(day, dt.date) else \
        parse_day(str(day).strip()) if day else None
    sheet = plan.sheets[0]
    rows = [_return_row(p, s, grids) for s in plan.sheets for p in s.parsed]
    rows += [_note_row(f) for s in plan.sheets for f in s.findings if f.code == "note-below-table"]
    return Return(path, unit, when, rows, None, {},
                  sheet.sheet,
                  next((g.merges for g in grids if g.sheet == sheet.sheet), []),
                  own_columns={letter: h for s in plan.sheets for letter, h in s.own_columns.items()})


def _note_row(note: Finding) -> ReturnRow:
    """A note the unit typed below its tasks (其他说明：…; the reader's note-below-table): a
    row that matches no task, named by what it says, and so listed."""
    return ReturnRow(note.row, None, None, None, None, None, None, None, None, {"seq": note.cell},
                     ((schema.SEQ.key, note.cell, note.value),))


def _return_row(task: ParsedTask, sheet: TaskSheet, grids: list[Grid]) -> ReturnRow:
    """A return's row as collect takes it; a row between tasks that is no task (no 任务编号,
    no 序号) keeps what the unit typed in its 序号 cell, said and so listed."""
    row = ReturnRow.of(task, sheet.own_columns)
    letter = sheet.columns.get(schema.SEQ.key)
    if task.key or task.seq is not None or letter is None:
        return row
    grid = next((g for g in grids if g.sheet == sheet.sheet), None)
    if grid is None:
        return row
    from openpyxl.utils import column_index_from_string

    text = grid.value(task.row - 1, column_index_from_string(letter) - 1)
    return row if blank(text) else row._replace(own=((schema.SEQ.key, f"{letter}{task.row}", text), *row.own))


def _labelled(grid: Grid, label_key: str) -> Any:
    """The value right of a label (报送单位：) in the rows above the table, wherever a
    row inserted above the header moved it; None when it was left blank (the next label
    is no value)."""
    labels = {normalize_unit(t(label_key, lang)) for lang in ("zh", "en")}
    every = {normalize_unit(t(key, lang)) for key in _LABELS for lang in ("zh", "en")}
    for row in grid.rows[:8]:
        for c, v in enumerate(row):
            if normalize_unit(v) in labels:
                value = next((x for x in row[c + 1:] if x not in (None, "")), None)
                return None if normalize_unit(value) in every else value
    return None


_LABELS = ("reporter", "report-date")     # the labels above a return's table


def _read_sent(grid: Grid) -> tuple[str | None, dict[str, dict[str, Any]], dict[str, Any]]:
    """The unit, the tasks as sent, and where the return comes from (row 1's pairs after
    the unit: master, master_name, split; none in returns made before)."""
    unit = normalize_unit(grid.value(0, 1)) or None
    first = grid.rows[0] if grid.rows else []
    source = {str(first[c]): first[c + 1] for c in range(2, len(first) - 1, 2) if first[c]}
    sent, width = {}, len(SENT_FIELDS)
    # after the fields, the reference columns' values, each under its key (templates.reference_key)
    own = {c: str(h) for c, h in enumerate(grid.rows[1] if len(grid.rows) > 1 else []) if own_header(h)}
    width = min(width, *own) if own else width
    for row in grid.rows[2:]:
        if row and row[0] not in (None, ""):      # its key: Grid.value's blank is None
            values = dict(zip(SENT_FIELDS, [None if v == "" else v for v in row[:width]]))
            values = {**dict.fromkeys(SENT_FIELDS), **values} if len(values) < len(SENT_FIELDS) else values
            sent[str(row[0])] = {**values, **{h: plain(row[c]) if c < len(row) else None for c, h in own.items()}} \
                if own else values
    return unit, sent, source


# ------------------------------------------------------------------ the collection

class _Collection:
    """The claims of every return, matched to the master, checked, then decided task by task."""

    def __init__(self, table: MasterTable, summary: CollectSummary, now: dt.datetime, lang: str,
                 master_id: str | None, registry: UnitRegistry | None = None):
        self.table, self.summary, self.now, self.lang, self.master_id = table, summary, now, lang, master_id
        self.registry = registry or UnitRegistry.default()
        self.leads_sent: dict[str, tuple[str, ...]] = {}    # key → every unit split sent it to as a lead
        self._reached: dict[tuple, tuple[str, ...]] = {}   # must_agree's answers by the registry, by 牵头单位
        self._needs: dict[tuple, dict[str, str]] = {}      # _need's answers
        self.sent_to: dict[str, str] = {}                  # a unit as its return names itself → as split named it
        self.by_key = {str(r[schema.TASK_KEY.key]): r for r in table.rows}
        self.years = {y for y in map(key_year, self.by_key) if y}
        self.claims: dict[str, dict[str, dict[str, Claim]]] = defaultdict(lambda: defaultdict(dict))
        self.heard: set[tuple[str, str]] = set()        # (key, unit) of every row matched this time
        self.was_open: set[tuple[str, str]] = set()
        self.still_open: list[tuple[str, str, Claim]] = []     # open conflicts, and leads' 已完成 waiting
        self.waiting: dict[str, dict[str, dict[str, Claim]]] = defaultdict(lambda: defaultdict(dict))
        self.notes: dict[tuple[str, str], Words] = {}       # (key, column) → a note on the change
        self._by_seq: dict[str, list[dict]] | None = None   # the master's rows by 序号, for returns without 下发底稿

    # ---------------------------------------------------------- naming tasks

    def about(self, key: str | None, task: ReturnRow | None = None) -> dict[str, Any]:
        """What names a task in every line: key, district, 序号, the requirement's first words."""
        row = self.by_key.get(key or "")
        if row is not None:
            return {"key": key, "district": row.get(schema.DISTRICT.key), "seq": row.get(schema.SEQ.key),
                    "task": words(schema.task_text(row))}
        return {"key": key, "district": task.district if task else None, "seq": task.seq if task else None,
                "task": words(task.requirement) if task else ""}

    def about_row(self, task: ReturnRow, ret: Return) -> dict[str, Any]:
        """A row of a return that matches no task: named by what it says, in the district
        its return was sent to."""
        about = self.about(None, task)
        if not about["task"] and task.own:      # no requirement: named by what the unit typed
            about["task"] = words(str(task.own[0][2]))
        if not about["district"]:
            about["district"] = next((r["district"] for r in (ret.sent or {}).values() if r["district"]), None)
        return about

    def finding(self, code: str, ret: Return, cell: str | None, value: Any, about: dict, **params) -> None:
        self.summary.findings.append(Finding(code, str(ret.path), ret.sheet, cell,
                                             None if value is None else str(shown(value)),
                                             {**about, "unit": ret.unit, "reported_at": ret.reported_at, **params}))

    # ---------------------------------------------------------- a return

    def add(self, ret: Return) -> None:
        self._check_source(ret)
        for key, sent in (ret.sent or {}).items():
            if sent.get("leads_sent") and key not in self.leads_sent:
                self.leads_sent[key] = tuple(x for x in str(sent["leads_sent"]).split("\n") if x.strip())
        if ret.sent_unit and ret.unit != ret.sent_unit:
            self.sent_to.setdefault(ret.unit, ret.sent_unit)
        matched = []
        merges, within = _task_merges(ret), self._span(ret)     # the same for every row of the return
        for task in ret.tasks:
            key = self._match(task, ret)
            if key is not None:
                matched.append(key)
                self._claims_of(task, key, ret, merges, within)
        if ret.sent is not None:
            sent = [k for k in ret.sent if k in self.by_key]
            if matched != sent[:len(matched)] or len(ret.tasks) != len(ret.sent):
                self.finding("collect-rows-moved", ret, None, None, {})

    def _check_source(self, ret: Return) -> None:
        """Refuse a return of another year or another master, naming both."""
        if ret.sent is None:          # made before 下发底稿: nothing to tell
            return
        theirs = ret.source.get("master_name") or Words("master-unnamed")
        years = {y for y in map(key_year, ret.sent) if y}
        if years and self.years and not years & self.years:
            raise _Refused(Finding("collect-other-year", str(ret.path), SENT_SHEET, None, None,
                                   {"theirs": "、".join(map(str, sorted(years))), "name": theirs,
                                    "ours": "、".join(map(str, sorted(self.years))), "ours_name": self.table.path.name,
                                    "unit": ret.unit}))
        other_id = ret.source.get("master")
        if (other_id and self.master_id and str(other_id) != self.master_id) or \
                (not other_id and ret.sent and not any(k in self.by_key for k in ret.sent)):
            raise _Refused(Finding("collect-other-master", str(ret.path), SENT_SHEET, None, None,
                                   {"theirs": theirs, "ours": self.table.path.name, "unit": ret.unit}))

    def _match(self, task: ReturnRow, ret: Return) -> str | None:
        known = ret.sent if ret.sent is not None else self.by_key
        if task.key and str(task.key) in known and str(task.key) in self.by_key:
            return str(task.key)
        key, score, reason = self._by_text(task, ret)
        if key is not None:
            self.finding("collect-matched-by-text", ret, task.cells.get("key", task.cells.get("seq")),
                         task.key or "—", self.about(key), score=score)
            return key
        self.finding("collect-unknown-key" if task.key else "collect-missing-key", ret,
                     task.cells.get("key", task.cells.get("seq")), task.key, self.about_row(task, ret),
                     reason=reason, said=Said({**_typed(task), **{heading: value for heading, _, value in task.own}}))
        return None

    def _by_text(self, task: ReturnRow, ret: Return) -> tuple[str | None, int, Words]:
        """district + 序号 + requirement (normalised, fuzzy ≥ MATCH_THRESHOLD), among the
        tasks the return was sent with (the master's, for a return made before 下发底稿)."""
        from rapidfuzz import fuzz

        mine = normal_text(task.requirement)
        if ret.sent is not None:
            rows = ret.sent_by_seq().get(_seq(task.seq), [])
        else:
            rows = self._master_by_seq().get(_seq(task.seq), [])
        same_seq = [r for r in rows if r["key"] in self.by_key
                    and (not task.district or not r["district"] or r["district"] == task.district)]
        if not same_seq:
            return None, 0, Words("reason-no-seq" if task.seq is not None else "reason-seq-blank", seq=task.seq)
        best = max(same_seq, key=lambda r: fuzz.ratio(mine, str(r["requirement"] or "")))
        score = round(fuzz.ratio(mine, str(best["requirement"] or "")))
        if score >= MATCH_THRESHOLD:
            return str(best["key"]), score, Words("reason-no-seq", seq=task.seq)
        return None, score, Words("reason-not-similar", seq=task.seq, score=score, threshold=MATCH_THRESHOLD)

    def _master_by_seq(self) -> dict[str, list[dict]]:
        if self._by_seq is None:
            self._by_seq = defaultdict(list)
            for k, r in self.by_key.items():
                self._by_seq[_seq(r.get(schema.SEQ.key))].append(
                    {"key": k, "district": r.get(schema.DISTRICT.key), "seq": r.get(schema.SEQ.key),
                     "requirement": normal_text(r.get(schema.REQUIREMENT.key))})
        return self._by_seq

    def _claims_of(self, task: ReturnRow, key: str, ret: Return, merges: list[tuple[int, int, int, int]],
                   within: tuple[dt.date, dt.date]) -> None:
        master_row = self.by_key[key]
        sent = (ret.sent or {}).get(key)
        base = sent if sent is not None else master_row
        # a return made before 下发底稿 tells no role: a unit is a supporter only if 配合单位 names it (a member
        # of a collective lead, 各街道办事处, is named in neither)
        is_lead = sent["role"] == "lead" if sent else (ret.unit in master_units(master_row.get(schema.LEAD.key)) or
                                                       ret.unit not in master_units(master_row.get(schema.SUPPORT.key)))
        via = str(sent["via"]) if sent and sent.get("via") else None
        self.heard.add((key, ret.unit))
        named: dict[str, Any] = {}

        def about() -> dict[str, Any]:       # what names the task: made only for a line (most rows need none)
            if not named:
                named.update(self.about(key))
            return named
        merged = self._merged(task, merges)
        reference = ret.references() if sent is not None else {}
        for heading, cell, value in task.own:     # the master has no such column: said, so listed
            if heading not in reference:
                self.finding("collect-own-column", ret, cell, value, about(), column=ColumnName(heading))
        for heading, letter in reference.items():     # split's, for reference: taken only as a change not taken
            typed, was = next((v for h, _, v in task.own if h == heading), None), sent.get(own_column_key(heading))
            if not _same(typed, was):
                now, then = (Words("reference-value", value=shown(v)) if v is not None else Words("reference-blank")
                             for v in (typed, was))
                self.finding("collect-reference-changed", ret, f"{letter}{task.row}", typed, about(),
                             column=ColumnName(heading), now=now, was=then)
        for column, (cell, area) in merged.items():
            if not _same(getattr(task, column), base.get(column)):
                self.finding("collect-merged-cells", ret, cell, getattr(task, column), about(), range=area,
                             column=ColumnName(column))
        if self._older(task, ret, master_row, base, about):
            return
        checked = task._replace(**{c: None for c in merged}) if merged else task
        # 已完成 without a date is judged on the row as it will be (apply), not on one return
        values, found = check_reported(checked, str(ret.path), ret.sheet, done_known=True, within=within)
        if found:       # checked again, its lines naming the task
            values, found = check_reported(checked, str(ret.path), ret.sheet, done_known=True, within=within,
                                           about={**about(), "unit": ret.unit, "reported_at": ret.reported_at})
        # only what the unit changed is its report, its mistakes too
        self.summary.findings += [f for f in found if not _same(getattr(task, _column_of(f.code)), base.get(
            _column_of(f.code)))]
        status_refused = _changed(task.status, base, schema.STATUS.key) and schema.STATUS.key not in values
        for column in [*values, *(c.key for c in REPORTED if c.key not in values)]:
            # a value refused (listed above) is still what the unit said: two units disagree
            # even if one of them typed it wrong, and nothing of a conflict is written
            typed = getattr(task, column)
            value = values.get(column, typed)
            if _changed(value, base, column):
                refused = column not in values
                if column == schema.DONE_DATE.key and status_refused and not refused:
                    # a completion date belongs with its status: the status refused, the date waits
                    # with it (progress stands on its own and is taken)
                    refused = True
                    self.finding("collect-date-held", ret, task.cells.get(column), typed, about(),
                                 status=shown(task.status))
                self.claims[key][column][ret.unit] = Claim(
                    value, ret.unit, str(ret.path), is_lead, ret.reported_at, task.cells.get(column), ret.sheet,
                    refused=refused, via=via,
                    typed=typed if typed.__class__ is str and typed.strip() != str(shown(value)) else None)
        for column, mine in ((schema.REQUIREMENT, task.requirement), (schema.DEADLINE, task.deadline_raw)):
            theirs = master_row.get(column.key)
            if mine != theirs and normal_text(mine) != normal_text(theirs) \
                    and not (column is schema.DEADLINE and same_date(mine, theirs)):
                self.finding("collect-text-edited", ret, task.cells.get(column.key), mine, about(),
                             column=ColumnName(column.key), old=shown(theirs) if theirs is not None else "")

    def _older(self, task: ReturnRow, ret: Return, master_row: dict, base: dict, about: Callable[[], dict]) -> bool:
        """A report older than the one the master already has from the same unit (its
        报送日期 before the one that unit typed on the report collect wrote last): what it
        changed is not taken (a return of an earlier round collected again would undo a
        newer report), and said."""
        stamped = master_row.get(schema.REPORTED_AT.key)
        # a 报送时间 with a time of day is when it was collected (the unit typed no date): no report date to compare
        ours = stamped.date() if isinstance(stamped, dt.datetime) and stamped.time() == dt.time() else \
            stamped if isinstance(stamped, dt.date) and not isinstance(stamped, dt.datetime) else None
        theirs = _day(ret.reported_at)
        if theirs is None or ours is None or theirs >= ours or \
                normalize_unit(master_row.get(schema.REPORTED_BY.key)) != normalize_unit(ret.unit):
            return False
        said = {c.key: getattr(task, c.key) for c in REPORTED if _changed(getattr(task, c.key), base, c.key)}
        if said:
            first = next(c for c in REPORTED if c.key in said)
            self.finding("collect-older-report", ret, task.cells.get(first.key), None, about(), said=Said(said),
                         theirs=theirs.isoformat(), ours=ours.isoformat())
        return True

    def _span(self, ret: Return) -> tuple[dt.date, dt.date]:
        """When a task of this return was completed, as a day typed without its year is
        read: in its plan year (the years its keys tell), not after the day it was
        reported; within the year before that day when the keys tell none."""
        when = ret.reported_at or self.now
        last = when.date() if isinstance(when, dt.datetime) else when
        if not self.years:
            return last - dt.timedelta(days=365), last
        return dt.date(min(self.years), 1, 1), min(last, dt.date(max(self.years), 12, 31))

    @staticmethod
    def _merged(task: ReturnRow, merges: list[tuple[int, int, int, int]]) -> dict[str, tuple[str, str]]:
        """The reported columns whose cell is part of one of the merged ranges `merges`
        (_task_merges): column → (cell, range)."""
        from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter

        out: dict[str, tuple[str, str]] = {}
        if not merges:
            return out
        for column in (c.key for c in REPORTED):
            ref = task.cells.get(column)
            if not ref:
                continue
            r, c = coordinate_to_tuple(ref)
            for r0, c0, r1, c1 in merges:
                if r0 < r <= r1 + 1 and c0 < c <= c1 + 1:
                    out[column] = (ref, f"{get_column_letter(c0 + 1)}{r0 + 1}:{get_column_letter(c1 + 1)}{r1 + 1}")
        return out

    def add_open(self, earlier: list[tuple[str, str, Claim]]) -> None:
        """Conflicts left open by earlier collections: a unit's earlier claim stands
        unless its return was collected again this time."""
        for key, column, claim in earlier:
            if key not in self.by_key:
                continue
            if claim.waiting:
                self.waiting[key][claim.unit][column] = claim
                continue
            self.was_open.add((key, column))
            if (key, claim.unit) not in self.heard:
                self.claims[key][column].setdefault(claim.unit, claim)

    # ---------------------------------------------------------- deciding and writing

    def apply(self, put_cell: Callable[[int, int, Any, str], None] | None) -> None:
        """Decide each task's claims and write the winners with put_cell(row, column,
        value, format of a date and time) (None: only list them): a unit in an open
        conflict has none of its task's values written.  Many tasks: the second half
        decided in another process meanwhile (_KeptCells gathers the cells it sets)."""
        col = {key: c + 1 for key, c in self.table.header.items()}
        keys = sorted(self.claims.keys() | self.waiting.keys())
        apart = len(keys) >= APPLY_ASIDE and (put_cell is None or isinstance(put_cell, _KeptCells))
        half = int(len(keys) * MAIN_SHARE) if apart else len(keys)
        other = Aside(self._apply_part, keys[half:], col, put_cell) if apart else None
        for key in keys[:half]:
            self._apply_one(key, col, put_cell)
        if other is not None:
            changes, findings, still_open, cells = other.result()
            self.summary.changes += changes
            self.summary.findings += findings
            self.still_open += still_open
            if cells is not None:
                put_cell.join(cells)
        self.summary.open_conflicts = len({key for key, _, claim in self.still_open if not claim.waiting})

    def _apply_part(self, keys: list[str], col: dict[str, int], put_cell: "_KeptCells | None") -> tuple:
        """apply's tasks `keys` decided (in another process, or here if none could be
        made): what they added to the summary and the cells they set, taken out again."""
        marks = len(self.summary.changes), len(self.summary.findings), len(self.still_open)
        cells = put_cell.rows.cells if put_cell is not None else None
        before = {row: dict(set_) for row, set_ in cells.items()} if cells else {}
        if put_cell is not None:
            put_cell.rows.cells = {}
        try:
            for key in keys:
                self._apply_one(key, col, put_cell)
            taken = put_cell.taken() if put_cell is not None else None
        finally:
            if put_cell is not None:
                put_cell.rows.cells = before
        out = []
        for made, mark in zip((self.summary.changes, self.summary.findings, self.still_open), marks):
            out.append(made[mark:])
            del made[mark:]
        return (*out, taken)

    def _apply_one(self, key: str, col: dict[str, int], put_cell: Callable[[int, int, Any, str], None] | None
                   ) -> None:
        """One task's claims decided, its winners written."""
        fields = {column: dict(by_unit) for column, by_unit in self.claims[key].items()
                  if column in col and by_unit}
        r, row = self.table.row_of[key], self.by_key[key]
        together = self._done_together(key, fields, row)
        fields = {column: by_unit for column, by_unit in fields.items() if by_unit}
        current = {column: row.get(column) for column in fields}
        before = len(self.summary.changes)
        decided = {column: self._decide(key, column, by_unit, current[column]) for column, by_unit in fields.items()}
        held = {u for column, (how, _) in decided.items() if how == "open" for u in fields[column]}
        winners: dict[str, Claim] = {}
        for column, (how, winner) in decided.items():
            if how == "agree" and winner.unit in held:    # another unit said the same and is not held
                winner = next((c for u, c in fields[column].items() if u not in held and not c.refused), None)
            if how == "lead" and winner.unit in held:
                winner = None
            if winner is not None and not winner.refused:
                winners[column] = winner
        if together and held & together.keys():     # a lead held in a conflict: their 已完成 waits
            for column in (schema.STATUS.key, schema.DONE_DATE.key):
                if column in winners and winners[column].unit in together:
                    del winners[column]
            self._wait(key, together)
        self._done_needs_date(key, winners, row.get(schema.DONE_DATE.key))
        # an agreement is no resolution while the units are still held by another column's conflict
        if len(self.summary.changes) > before:
            self.summary.changes[before:] = [c for c in self.summary.changes[before:] if c.note is not None
                                             or c.column in winners]
        written = list(winners.values())
        stamp, named = None, self._named(key)
        for column, winner in winners.items():
            if not _same(current[column], winner.value):
                self.summary.changes.append(Change("updated", key, **named, column=column,
                                                   old=current[column], new=winner.value, unit=winner.unit,
                                                   file=winner.file, reported_at=winner.reported_at,
                                                   cell=winner.cell, typed=winner.said() if winner.typed is not None
                                                   else None, note=self.notes.get((key, column))))
                if put_cell:
                    put_cell(r, col[column], winner.value, DATE_FORMAT if column == schema.DONE_DATE.key
                             else DATETIME_FORMAT)
                    stamp = winner
        if stamp:
            self._stamp(put_cell, r, col, stamp)    # the last value written names who reported
        self.still_open += [(key, column, claim) for column, by_unit in fields.items()
                            for unit, claim in by_unit.items() if unit in held]
        self._conflict_findings(key, fields, decided, held, written)

    def must_agree(self, key: str, row: dict) -> tuple[str, ...]:
        """Who must say a task is complete: every unit split sent it to as a lead, a
        collective lead (各街道办事处) by each of its members, as the returns' 下发底稿 list
        them; for returns that do not list them, the units its 牵头单位 reaches by the
        registry (rules.units.recipients, the rule split sent it by)."""
        if key in self.leads_sent:
            return self.leads_sent[key]
        district, lead = str(row.get(schema.DISTRICT.key) or "") or None, row.get(schema.LEAD.key)
        if (district, lead) not in self._reached:     # the same 牵头单位 on many tasks
            own = self.registry.for_district(district)
            self._reached[district, lead] = tuple(u.written for u in recipients(units_of(lead, own), own))
        return self._reached[district, lead]

    def _need(self, row: dict, agree: tuple[str, ...]) -> dict[str, str]:
        """Those who must agree as counted (see _counted) → as named, worked out once for
        the same units in a district (区政府各部门 reaches 82 on many tasks)."""
        memo = (str(row.get(schema.DISTRICT.key) or ""), agree)
        if memo not in self._needs:
            counted = self._counted(row)
            self._needs[memo] = {counted(u): u for u in agree}
        return self._needs[memo]

    def _counted(self, row: dict) -> Callable[[str], str]:
        """A unit of a task as compared with those that must agree: as split named its
        return (whatever 报送单位 it typed), as the district's registry counts it."""
        own = self.registry.for_district(str(row.get(schema.DISTRICT.key) or "") or None)
        return lambda unit: own.name(self.sent_to.get(unit, unit)).counted

    def _done_together(self, key: str, fields: dict[str, dict[str, Claim]], row: dict) -> dict[str, dict] | None:
        """A task is complete when every unit that must agree (must_agree) has said so.  A
        supporting unit's 已完成 (and its date) is never written.  Of a task with several
        leads (牵头单位 “区发改委、区财政局”, or 各街道办事处 sent to each 街道), a lead's
        已完成 and its 完成日期 are taken out of `fields` and wait (kept in the master's
        hidden sheet) until every lead has said it, this time or before; then they are put
        back, the latest date alone, and returned (unit → column → claim) to be written
        together."""
        status, dates = fields.get(schema.STATUS.key, {}), fields.get(schema.DONE_DATE.key, {})
        done = {u: c for u, c in status.items() if not c.refused and schema.status_value(c.value) == _DONE}
        if not done and key not in self.waiting:
            return None
        leads = master_units(row.get(schema.LEAD.key))
        for unit, claim in done.items():
            if not claim.is_lead:
                del status[unit]
                date = dates.pop(unit, None)
                said = {schema.STATUS.key: claim.said(), **({schema.DONE_DATE.key: date.said()} if date else {})}
                self.summary.findings.append(Finding(
                    "collect-support-done", claim.file, claim.sheet, claim.cell, str(shown(claim.typed or claim.value)),
                    {**self.about(key), "unit": unit, "reported_at": claim.reported_at, "said": Said(said),
                     "leads": "、".join(leads) or "—"}))
        agree = self.must_agree(key, row)
        if len(agree) < 2:
            return None           # one lead's word decides
        mine = {}
        for unit, claim in done.items():
            date = dates.get(unit)
            if not claim.is_lead:
                continue
            if done_without_date(claim.value, date.value if date and not date.refused else
                                 row.get(schema.DONE_DATE.key)):      # said at once, as of a single lead
                self._done_without_date(key, claim)
                del status[unit]
                continue
            mine[unit] = {schema.STATUS.key: claim, **({schema.DONE_DATE.key: date} if date else {})}
        every = {u: {**said, **mine.get(u, {})} for u, said in self.waiting.get(key, {}).items()
                 if (key, u) not in self.heard and schema.STATUS.key in said}
        every.update(mine)
        for unit in mine:
            del status[unit]
            dates.pop(unit, None)
        if not every:
            return None
        counted = self._counted(row)
        need = self._need(row, agree)
        named = {counted(u) for u in every}
        # a lead the return's split did not list was sent the whole task (a split by district): its word decides
        if need.keys() <= named or key not in self.leads_sent and any(counted(u) not in need for u in mine):
            for unit, said in every.items():
                status[unit] = said[schema.STATUS.key]
            said_dates = [said[schema.DONE_DATE.key] for said in every.values() if schema.DONE_DATE.key in said]
            days = [d for d in said_dates if not d.refused]
            if days:      # the latest; a refused date (an impossible day) still says they disagree
                latest = max(days, key=lambda d: _norm_value(d.value))
                for d in [latest, *(d for d in said_dates if d.refused)]:
                    fields.setdefault(schema.DONE_DATE.key, {})[d.unit] = d
                note = Words("note-leads-done", n=len(need), unit=latest.unit, day=shown(latest.value))
                self.notes[key, schema.STATUS.key] = self.notes[key, schema.DONE_DATE.key] = note
            fields[schema.STATUS.key] = status
            return every
        waiting = [lead for c, lead in need.items() if c not in named]
        for unit, said in mine.items():
            if (key, unit) in self.heard:
                claim = said[schema.STATUS.key]
                self.summary.findings.append(Finding(
                    "collect-leads-done-partly", claim.file, claim.sheet, claim.cell,
                    str(shown(claim.typed or claim.value)),
                    {**self.about(key), "unit": unit, "reported_at": claim.reported_at,
                     "said": Said({c: x.said() for c, x in said.items()}), "total": len(need),
                     "n": len(need) - len(waiting), "done": "、".join(lead for c, lead in need.items() if c in named),
                     "waiting": "、".join(waiting)}))
        self._wait(key, every)
        return None

    def _wait(self, key: str, together: dict[str, dict[str, Claim]]) -> None:
        """Leads' 已完成 (and dates) kept in the hidden sheet until the task's other leads say it."""
        self.still_open += [(key, column, replace(claim, waiting=True))
                            for said in together.values() for column, claim in said.items()]

    def _done_needs_date(self, key: str, winners: dict[str, Claim], done_in_master: Any) -> None:
        """已完成 is not written to a row that would have no completion date."""
        status, done = winners.get(schema.STATUS.key), winners.get(schema.DONE_DATE.key)
        if status and done_without_date(status.value, done.value if done else done_in_master):
            del winners[schema.STATUS.key]
            self._done_without_date(key, status)

    def _done_without_date(self, key: str, status: Claim) -> None:
        self.summary.findings.append(Finding("collect-done-without-date", status.file, status.sheet, status.cell,
                                             str(shown(status.typed or status.value)),
                                             {**self.about(key), "unit": status.unit, "reported_at": status.reported_at}))

    def _named(self, key: str) -> dict[str, Any]:
        about = self.about(key)
        return {"district": about["district"], "seq": about["seq"], "task": about["task"]}

    def _decide(self, key: str, column: str, by_unit: dict[str, Claim], current: Any) -> tuple[str, Claim | None]:
        """("agree" | "lead", the claim to write), ("resolved", None) when the office typed
        one of the values into the master, or ("open", None)."""
        if len(by_unit) == 1 and (key, column) not in self.was_open:      # one unit said it
            return "agree", next(iter(by_unit.values()))
        claims = sorted(by_unit.values(), key=lambda c: c.refused)     # of equal values, one that can be written
        distinct = {_norm_value(c.value) for c in claims}
        if len(distinct) == 1:
            if (key, column) in self.was_open and not claims[0].refused:
                self._resolved(key, column, claims[0].value, claims[0].unit, claims[0].file, None)
            return "agree", claims[0]
        if (key, column) in self.was_open and _norm_value(current) in distinct:
            self._resolved(key, column, current, "", str(self.table.path), Words("note-resolved-in-master"))
            return "resolved", None
        leads = [c for c in claims if c.is_lead]
        if len({_norm_value(c.value) for c in leads}) == 1 and not leads[0].refused:   # nor a lead's refused value
            return "lead", leads[0]
        return "open", None

    def _resolved(self, key: str, column: str, value: Any, unit: str, file: str, note: Words | None) -> None:
        self.summary.changes.append(Change("conflict-resolved", key, **self._named(key), column=column, old=None,
                                           new=value, unit=unit, file=file, note=note))

    def _stamp(self, put_cell: Callable, r: int, col: dict[str, int], claim: Claim) -> None:
        """Who reported and when (the 报送日期 the unit typed, else the collection time):
        only when the report changed something, so collecting again changes nothing."""
        for column, value in ((schema.REPORTED_BY, claim.unit), (schema.REPORTED_AT, claim.reported_at or self.now)):
            if column.key in col:
                put_cell(r, col[column.key], value, STAMP_FORMAT)

    def _conflict_findings(self, key: str, fields: dict[str, dict[str, Claim]], decided: dict,
                           held: set[str], written: list[Claim]) -> None:
        """One line per unit of a task in conflict: what it said, and whether it was taken."""
        disputed = [column for column, (how, _) in decided.items() if how in ("open", "lead")]
        if not disputed:
            return
        units = dict.fromkeys(u for column in disputed for u in fields[column])
        about = self.about(key)
        for unit in units:
            said = {column: by_unit[unit] for column, by_unit in fields.items() if unit in by_unit}
            first = next(iter(said.values()))
            code = "collect-conflict" if unit in held else \
                "collect-conflict-lead" if any(w is c for w in written for c in said.values()) else \
                "collect-conflict-overruled"
            self.summary.findings.append(Finding(code, first.file, None, None, None,
                                                 {**about, "unit": unit, "reported_at": first.reported_at,
                                                  "column": ColumnName(*said),
                                                  "said": Said({c: claim.said() for c, claim in said.items()})}))


def words(text: Any) -> str:
    """The first words of a requirement, as lines name a task."""
    s = "".join(str(text or "").split())
    return s[:TASK_WORDS] + ("…" if len(s) > TASK_WORDS else "")


def _changed(typed: Any, base: dict, column: str) -> bool:
    """The unit typed a value of `column` other than the one it was sent."""
    return not blank(typed) and not _same(typed, base.get(column))


def _column_of(code: str) -> str:
    """The reported column a finding of check_reported is about."""
    return schema.STATUS.key if "status" in code or "done-without" in code else schema.DONE_DATE.key


def _write_identity(wb) -> None:
    sheet = identity_sheet()
    ws = wb.create_sheet(sheet.name)
    for r, values in enumerate(sheet.rows, 1):
        for c, v in enumerate(values, 1):
            put(ws, r, c, v)
    ws.sheet_state = "hidden"


def _json(v: Any) -> Any:
    return v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v


def _shown_or_dash(v: Any) -> Any:
    return "—" if v in (None, "") else shown(v)


# ------------------------------------------------------------------ values

def _day(v: Any) -> dt.date | None:
    """A date or a moment as its day (None: anything else)."""
    return v.date() if isinstance(v, dt.datetime) else v if isinstance(v, dt.date) else None


def _seq(v: Any) -> str:
    """序号 as compared: 19, 19.0 (calamine) and "19" are one number."""
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v).strip()


def _task_merges(ret: Return) -> list[tuple[int, int, int, int]]:
    """The return's merged ranges (of more than one cell) that reach its task rows: the
    title's and the header's cannot hold what a unit reported."""
    first = min((task.row for task in ret.tasks), default=1)
    return [(r0, c0, r1, c1) for r0, c0, r1, c1 in ret.merges if (r0, c0) != (r1, c1) and r1 + 1 >= first]


def _typed(task: ReturnRow) -> dict[str, Any]:
    return {c.key: getattr(task, c.key) for c in REPORTED if getattr(task, c.key) not in (None, "")}


def _norm_value(v: Any) -> str:
    """A value as compared: a status word as the word it means, no spaces, a day as a day."""
    if v.__class__ is str:
        s = "".join(v.split())
        # a text longer than any status word (a progress report) is no status
        return s if len(s) > _STATUS_LONGEST else schema.status_value(s) or s
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        v = v.date()
    return "".join(str(v).split())


_STATUS_LONGEST = 4 * max(len(w) for value, words in schema.STATUS_VARIANTS.items() for w in (value, *words))


def _same(old: Any, new: Any) -> bool:
    if old.__class__ is new.__class__ and old == new:
        return True
    if old is None or new is None:          # one blank: the same only if the other is blank too
        other = new if old is None else old
        return other.__class__ is str and not other.strip()
    return _norm_value(old) == _norm_value(new)


# ------------------------------------------------------------------ open conflicts (hidden sheet of the master)

_OPEN_FIELDS = ("key", "column", "unit", "value", "file", "lead", "reported_at", "refused", "waiting", "via", "typed")


def _read_open(rows: list[list[Any]] | None) -> list[tuple[str, str, Claim]]:
    out = []
    for values in (rows or [])[1:]:
        row = dict(zip(_OPEN_FIELDS, values))
        if row.get("key") and row.get("column") and row.get("unit"):
            out.append((str(row["key"]), str(row["column"]), Claim(row["value"], str(row["unit"]),
                                                                   str(row["file"] or ""), bool(row["lead"]),
                                                                   row.get("reported_at"),
                                                                   refused=bool(row.get("refused")),
                                                                   typed=row.get("typed"), via=row.get("via"),
                                                                   waiting=bool(row.get("waiting")))))
    return out


def done_waiting(rows: list[list[Any]] | None) -> set[tuple[str, str]]:
    """(task key, unit) of each lead whose 已完成 waits for the task's other leads
    (_done_together), from the rows of the master's hidden 未决冲突 sheet (None: none)."""
    return {(key, claim.unit) for key, column, claim in _read_open(rows) if claim.waiting and column == schema.STATUS.key}


def _open_rows(still_open: list[tuple[str, str, Claim]]) -> list[list[Any]]:
    """The open conflicts' rows below the hidden sheet's header, as _master_sheets reads them back."""
    return [[plain(v) for v in (key, column, claim.unit, claim.value, claim.file, int(claim.is_lead),
                                claim.reported_at, int(claim.refused), int(claim.waiting), claim.via, claim.typed)]
            for key, column, claim in still_open]


def _write_open(wb, still_open: list[tuple[str, str, Claim]], kept: dict[str, splice.SheetRows]) -> None:
    """The hidden sheet of open conflicts and waiting leads, made anew: its header by
    openpyxl, its rows (thousands, where many leads wait) as text, put in with the rows of
    the other sheets (splice)."""
    kept.pop(OPEN_SHEET, None)
    if OPEN_SHEET in wb.sheetnames:
        del wb[OPEN_SHEET]
    if not still_open:
        return
    ws = wb.create_sheet(OPEN_SHEET)
    for c, v in enumerate(_OPEN_FIELDS, 1):
        put(ws, 1, c, v)
    rows = kept[OPEN_SHEET] = splice.SheetRows(None, last=1)
    family = splice.Formats(wb).family(0)
    for values in _open_rows(still_open):
        rows.append([splice.cell(v, family) for v in values])
    ws.sheet_state = "hidden"
    ws.protection.sheet = True
