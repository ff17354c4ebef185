"""Merge district task sheets into one master workbook (汇总).

Row conservation is the contract: every task read from an input is either a row of 汇总
or a rejected row in 问题清单 with its reason, and the summary says so in numbers
(rows_in == rows_merged + rows_rejected).  Inputs are only ever read.  The 汇总 rows are
sorted by district (in their official order, rules.divisions.in_official_order), source
file and row, so input order and repeated merges do not change the result.

Re-merging into an existing master keeps what people added there, by task key: columns
they added (督办意见 …) and 状态/进展情况 typed into the master when the district files
say nothing.  A task whose requirement was edited keeps its key (matched by district,
year, file name and 序号), so it shows as changed in 变更, not as removed and added.
What the office added around the data in Excel/WPS is kept too: comments (a task's move
with it), 汇总's frozen pane, their lists and colour rules on their own columns; what
cannot be carried (pictures, charts …) is named in the output and in 合并记录.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import os
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Iterable

from xltools.version import __version__
from xltools.check.districts import require_district
from xltools.errors import XltoolsError
from xltools.findings import Finding
from xltools.read import CSV_SUFFIXES, READABLE_SUFFIXES, SAVED_NAME, SPREADSHEET_SUFFIXES, ColumnSpec
from xltools.texts import t as _t
from xltools.write.cells import MAX_CELL, needs_fix, split_text, text_fix
from xltools.write import versions
from xltools.work import pool
from xltools.write.files import (ARCHIVE_MARK, RESULT_MARK, TEMP_PREFIX, OutputLocked, check_editable, editing, is_lock, sha256_of,
                                 sweep_temp)
from xltools.write.master import OUR_SHEETS, SHEET_MASTER, SHEET_STATS, MasterError, MasterWorkbook
from xltools.write.xlsx import Comment, KeptRule, KeptValidation, cell_ref
from xltools.work.returns import IDENTITY_SHEET, identity_sheet
from xltools.work.previous import (Note, PreviousMaster, PreviousRow, check_previous, hidden_columns,
                                   looks_like_master, plain,
                                   read_previous)
from xltools.rules.keys import key_year, task_key
from xltools.model import (UNIT_COLUMNS, Change, ChangeLog, ExtraColumn, FileRecord, MasterRow, PlanFile, Task, TaskSheet,
                           col_letter)
from xltools.schema import DEFAULT_SOON_DAYS, MASTER_COLUMNS, STATUS_VALUES, Column
from xltools.rules.deadlines import deadline_texts, parse_deadline
from xltools.rules.units import UnitRegistry, split_units, units_of
from xltools.rules.divisions import in_official_order
from xltools.rules.warning import COUNTED_STATES, count_states, due_cell, row_colours, warning_state

__all__ = ["merge", "MergeSummary", "NothingToMerge", "MergeRefused", "MergePreview", "preview_of", "collect_inputs",
           "task_key", "carry_over"]

_TEMP_SUFFIXES = (".tmp", ".bak", ".swp", ".part", ".crdownload")


class NothingToMerge(MasterError):
    """No input could be read: no master is written.  `.summary` says what was found."""

    def __init__(self, key: str, summary: "MergeSummary | None" = None, **params):
        super().__init__(key, **params)
        self.summary = summary


@dataclass
class MergeSummary:
    output: Path
    files_read: list[str] = field(default_factory=list)
    files_skipped: list[tuple[str, str]] = field(default_factory=list)   # (path, reason)
    files_failed: list[tuple[str, str]] = field(default_factory=list)    # (path, reason)
    rows_in: int = 0
    rows_merged: int = 0
    rows_rejected: int = 0
    rejected: list[Finding] = field(default_factory=list)   # the rows not merged, with the path as given
    rows_deduped: int = 0                            # copies of other files' tasks dropped (--dedupe)
    rows_kept: int = 0                               # tasks of unreadable files kept from the previous master
    issues: int = 0                                  # rows of 问题清单
    issue_counts: dict[str, int] = field(default_factory=dict)  # severity (error/warning/info) → rows of 问题清单
    warnings: dict[str, int] = field(default_factory=dict)  # COUNTED_STATES key → count, as of as_of
    duplicates: list[tuple[str, str, int]] = field(default_factory=list)  # (file, file it repeats, tasks)
    as_of: dt.date | None = None
    changes: ChangeLog = field(default_factory=ChangeLog)   # since the previous master (变更)
    kept_columns: list[str] = field(default_factory=list)   # columns people added to the master, kept
    kept_sheets: list[str] = field(default_factory=list)    # sheets people (or collect) added, kept by value
    notes: list[str] = field(default_factory=list)          # what the merge did about the folder (stale lock…)
    preview: "MergePreview | None" = None                   # what replacing the master does (None: first merge)
    dry_run: bool = False                                   # nothing was written
    columns_given: list[tuple[str, str]] = field(default_factory=list)  # (file, map) read with a clerk's map
    refused: XltoolsError | None = None                     # dry run: what would stop the real run

    @property
    def exit_code(self) -> int:
        """README's table, the same for a dry run as for the real run it previews: 2 when
        the run stops (refused before harm, the master open or locked) or merges nothing,
        1 when done with problems (rows rejected, files unread, validation errors), else 0."""
        if self.refused is not None:
            return self.refused.exit_code
        if self.rows_merged == 0:
            return 2
        return 1 if self.rows_rejected or self.files_failed or self.issue_counts.get("error", 0) else 0

    def would_stop(self, lang: str = "zh") -> str | None:
        """Dry run: the line saying why the real run would stop (None: it would not)."""
        if self.refused is None:
            return None
        if isinstance(self.refused, MergeRefused):
            return _t("cli-dry-run-refused", lang)
        return _t("dry-run-would-stop", lang, message=self.refused.message(lang))

    def to_dict(self, lang: str = "zh") -> dict:
        return {"output": str(self.output),
                "files": {"read": len(self.files_read), "skipped": len(self.files_skipped),
                          "failed": len(self.files_failed)},
                "rows": {"in": self.rows_in, "merged": self.rows_merged, "rejected": self.rows_rejected,
                         "deduped": self.rows_deduped, "kept": self.rows_kept},
                "files_read": self.files_read,
                "files_skipped": [{"file": f, "reason": r} for f, r in self.files_skipped],
                "files_failed": [{"file": f, "reason": r} for f, r in self.files_failed],
                "rejected": [{"file": r.file, "sheet": r.sheet, "cell": r.cell, "reason": r.message(lang)}
                             for r in self.rejected],
                "issues": self.issues,
                "issue_counts": {k: self.issue_counts.get(k, 0) for k in ("error", "warning", "info")},
                "duplicates": [{"file": f, "same_as": o, "tasks": n} for f, o, n in self.duplicates],
                "warnings": {k: self.warnings.get(k, 0) for k in COUNTED_STATES},
                "as_of": self.as_of.isoformat() if self.as_of else None,
                "changes": self.changes.to_dict(),
                "kept_columns": self.kept_columns,
                "kept_sheets": self.kept_sheets,
                "notes": self.notes,
                "dry_run": self.dry_run,
                "columns_given": [{"file": f, "source": s} for f, s in self.columns_given],
                "preview": self.preview.to_dict() if self.preview else None,
                "refused": {"error": self.refused.key, "message": self.refused.message(lang)} if self.refused else None,
                "exit_code": self.exit_code}


# ------------------------------------------------------------------ inputs

def collect_inputs(inputs: Iterable[str | Path], output: Path | None = None,
                   lang: str = "zh") -> tuple[list[Path], list[tuple[Path, str]]]:
    """Files to read, and (path, reason) for every file passed over.  Folders are walked
    recursively (hidden folders ignored); files named on the command line are tried even
    when they are text plans."""
    out_resolved = resolved(output) if output else None
    files: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    seen: set[Path] = set()

    def consider(path: Path, named: bool) -> None:
        name = path.name
        if name == SAVED_NAME:
            return    # the folder's column map, not an input: the summary says which files used it
        if is_lock(path) and not named:
            return    # our own lock (汇总.xlsx.lock, while this merge writes 汇总.xlsx) or another run's
        if name.startswith("~$"):
            reason = "skip-lock-file"
        elif name.startswith(".") or name.endswith("~") or name.lower().endswith(_TEMP_SUFFIXES):
            reason = "skip-hidden"
        elif name.startswith(TEMP_PREFIX):
            reason = "skip-hidden"
        elif RESULT_MARK in name and not named:
            reason = "skip-result-copy"
        elif ARCHIVE_MARK in name and not named:
            reason = "skip-log-archive"
        elif out_resolved is not None and resolved(path) == out_resolved:
            reason = "skip-output"
        elif path.suffix.lower() not in READABLE_SUFFIXES and (path.exists() or not named):
            reason = "skip-not-spreadsheet"
        elif not named and path.suffix.lower() not in SPREADSHEET_SUFFIXES | CSV_SUFFIXES:
            reason = "skip-text-in-folder"
        elif resolved(path) in seen:
            reason = "skip-duplicate"
        else:
            seen.add(resolved(path))
            files.append(path)
            return
        skipped.append((path, _t(reason, lang)))

    for item in inputs:
        item = Path(item)
        if item.is_dir() and item.suffix.lower() not in READABLE_SUFFIXES:
            for path in sorted(_walk(item)):
                consider(path, named=False)
        else:
            consider(item, named=True)  # a missing file is read and fails with "not found"
    return files, skipped


def _walk(folder: Path) -> Iterable[Path]:
    """Files under `folder`; a folder named like a spreadsheet (x.xlsx) is handed on as
    one, so the reader lists it as unreadable instead of merging what is inside."""
    for root, dirs, names in os.walk(folder):
        names += [d for d in dirs if Path(d).suffix.lower() in READABLE_SUFFIXES]
        dirs[:] = [d for d in dirs if not d.startswith((".", "__")) and Path(d).suffix.lower() not in READABLE_SUFFIXES]
        for name in names:
            yield Path(root) / name


@functools.lru_cache(maxsize=None)   # emptied by each merge: asked several times per file
def resolved(path: Path) -> Path:
    """The absolute path with links followed; a symlink loop (which makes resolve raise)
    stays as it is, for the reader to report.  Each resolution costs a system call per
    folder of the path, on a shared drive a round trip each: a merge asks once per path."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def _district_for(path: Path, districts: dict | None) -> str | None:
    """--district FILE=NAME: FILE may be the path as given, the file name or its stem."""
    for key, name in (districts or {}).items():
        k = Path(key)
        if key in (path.name, path.stem, str(path)) or (k.exists() and resolved(k) == resolved(path)):
            return name
    return None


# ------------------------------------------------------------------ reading (in worker processes)

@dataclass
class _Row:
    """A task on its way into 汇总, as a worker hands it over: small to send back."""
    sort_key: tuple                  # district, file, sheet, row: the order of 汇总
    row: MasterRow
    sheet: str
    cell: str                        # its 序号 cell, for the duplicate-key note


@dataclass
class _FileResult:
    """One input, read, checked and turned into 汇总 rows, 问题清单 lines and a 合并记录 line.
    Workers build it, so the main process never holds the (much bigger) parsed tasks."""
    path: Path
    record: FileRecord
    rows: list[_Row] = field(default_factory=list)
    issues: list[Finding] = field(default_factory=list)
    rejected: list[Finding] = field(default_factory=list)    # for the summary: the path as given
    error: str | None = None
    skipped: str | None = None                                 # passed over (an older master in a folder)


def _read_one(path: Path, year: int | None, district: str | None, registry: UnitRegistry | None,
              base: Path, lang: str, named: bool = True, skip_hidden: bool = False,
              columns: ColumnSpec | None = None) -> _FileResult:
    """Read and check one file.  Never raises: a bad file must not stop the merge.  An
    xltools master found in a folder (not `named`) is skipped: its rows would come twice."""
    from xltools.read import read_plan
    from xltools.check.validate import validate_plan

    shown = _display(path, base)
    if not named and looks_like_master(path):
        record = FileRecord(shown.as_posix(), "skipped", reason=_t("skip-master", lang))
        return _FileResult(path, record, skipped=record.reason)
    record = _record(path, shown)
    try:
        registry = registry or UnitRegistry.default()
        plan = read_plan(path, year=year, district=district, registry=registry, skip_hidden=skip_hidden,
                         columns=columns)
        findings = validate_plan(plan, registry)
    except XltoolsError as exc:
        return _failed(path, record, exc.message(lang))
    except OSError as exc:  # no permission, a share gone: in the clerk's words
        from xltools.read.loaders import os_error
        return _failed(path, record, os_error(path, exc).message(lang))
    except Exception as exc:  # a reader bug on one odd file: report it, merge the rest
        return _failed(path, record, _t("internal-error", lang, error=f"{type(exc).__name__}: {exc}"))
    return _take_file(path, shown, record, plan, findings, lang)


def _record(path: Path, shown: Path) -> FileRecord:
    """The 合并记录 line of a file about to be read: its size, time and hash."""
    record = FileRecord(shown.as_posix(), "merged")
    try:
        st = path.stat()
        record.size, record.modified = st.st_size, dt.datetime.fromtimestamp(st.st_mtime).replace(microsecond=0)
        record.sha256 = sha256_of(path)
    except OSError:
        pass  # read_plan reports the missing/unreadable file in the user's words
    return record


def _failed(path: Path, record: FileRecord, reason: str) -> _FileResult:
    record.status, record.reason = "failed", reason
    issue = Finding("unreadable-file", record.path, params={"reason": reason})
    return _FileResult(path, record, issues=[issue], error=reason)


@contextlib.contextmanager
def fewer_collections():
    """Reading and writing make millions of small objects that live until the master is
    written, and almost no cycles: with Python's default thresholds the collector walks the
    growing heap again and again (a tenth of a merge).  Collect less often while merging
    (and collecting: work/collect.py);
    Excel's Python, which runs merges from the ribbon, gets its own thresholds back."""
    before = gc.get_threshold()
    gc.set_threshold(*pool.GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _read_all(files: list[Path], year, districts, registry, jobs, progress, base: Path,
              lang: str, named: set[Path] | None = None, skip_hidden: bool = False,
              columns: ColumnSpec | None = None) -> list[_FileResult]:
    named = named if named is not None else {resolved(p) for p in files}
    args = [(p, year, _district_for(p, districts), registry, base, lang, resolved(p) in named, skip_hidden, columns)
            for p in files]
    results: list[_FileResult | None] = [None] * len(files)
    count = 0

    def done(i: int, result: _FileResult) -> None:
        nonlocal count
        results[i], count = result, count + 1
        if progress:
            progress(count, len(files), result.path)

    pool.read_all(_read_one, args, done, _lost, lang, pool.workers_for(len(files), jobs))
    return results


def _lost(a: tuple, reason: str) -> _FileResult:
    """The file of `_read_one`'s arguments `a`, listed as unreadable for `reason`."""
    path, base = a[0], a[4]
    return _failed(path, _record(path, _display(path, base)), reason)


# ------------------------------------------------------------------ task rows

def is_empty_task(task: Task) -> bool:
    """Only a number: no requirement, unit, deadline, status or progress of its own
    (section titles do not count: the reader carries them down onto every row)."""
    return task.is_empty and not task.status and not task.progress


def _display(path: Path, base: Path) -> Path:
    """The path as the master shows and links it: relative to the master's folder when
    possible (so the folder can be moved or shared), absolute otherwise."""
    try:
        return Path(os.path.relpath(resolved(path), resolved(base)))
    except ValueError:  # another drive on Windows
        return resolved(path)


def _master_row(task: Task, ts: TaskSheet, district: str, shown: Path, where: str, key: str,
                private: frozenset[str] = frozenset()) -> MasterRow:
    values = {"district": district, "seq": task.seq_written or task.seq, "section": task.section_title,
              "subsection": task.sub_titles, "requirement": task.requirement, "deadline": task.deadline_text,
              "due": due_cell(task.deadline), "status": task.status, "progress": task.progress,
              "done_date": task.done_date, "source_file": where, "source_sheet": ts.sheet, "source_row": task.row, "key": key,
              "leader": task.leader, "reported_by": task.reported_by, "reported_at": task.reported_at}
    d = task.deadline
    return MasterRow({k: v for k, v in values.items() if v is not None}, task.lead_units, task.support_units,
                     d.kind if d else None, bool(d and d.ongoing), shown, written=dict(task.extra),
                     lead_notes=task.lead_notes, support_notes=task.support_notes, units_text=task.units_text,
                     private=private)


def _hidden_own(path: Path, ts: TaskSheet) -> dict[str, str]:
    """A sheet's own columns (header → letter) that the district hid: its internal notes,
    hidden in 汇总 too (split never sends a hidden column to the units)."""
    from openpyxl.utils import column_index_from_string

    if not ts.own_columns:
        return {}
    hidden = hidden_columns(path, ts.sheet)
    return {str(header): letter for letter, header in ts.own_columns.items()
            if column_index_from_string(letter) in hidden}


def _take_file(path: Path, shown: Path, record: FileRecord, plan: PlanFile, findings: list[Finding],
               lang: str) -> _FileResult:
    """One file's 合并记录 line, 问题清单 lines and 汇总 rows; tasks that are only a
    number are rejected (with a line saying so)."""
    out = _FileResult(path, record)
    where = shown.as_posix()
    record.rows_read = record.rows_merged = record.rows_rejected = 0
    rejected_cells, districts = set(), []
    at = str(resolved(path))
    for sheet_no, ts in enumerate(plan.sheets):
        district = ts.district or _t("district-unknown-label", lang)
        districts.append(district)   # a sheet without its district: validate_plan's unknown-district says so
        private = _hidden_own(path, ts)
        out.issues += [Finding("own-column-hidden", where, ts.sheet, f"{letter}{ts.header_row or 1}", header,
                               {"column": header}) for header, letter in private.items()]
        for task in ts.tasks:
            record.rows_read += 1
            cell = task.cells.get("seq", f"A{task.row}")
            if is_empty_task(task):
                rejected_cells.add((ts.sheet, cell))
                issue = (Finding("rejected-empty-task", where, ts.sheet, cell, params={"seq": task.seq})
                         if task.seq not in (None, "") else
                         Finding("rejected-empty-row", where, ts.sheet, cell, params={"row": task.row}))
                out.issues.append(issue)
                out.rejected.append(replace(issue, file=str(path)))
                record.rows_rejected += 1
            else:
                record.rows_merged += 1
                own = task.district or district   # a combined sheet names each row's district
                key = task.key or task_key(own, ts.year, task)  # a returned copy keeps its key
                row = _master_row(task, ts, own, shown, where, key, frozenset(private))
                out.issues += _text_issues(row, task, ts.sheet, where)
                out.rows.append(_Row((own, at, sheet_no, task.row), row, ts.sheet, cell))
    record.district = "、".join(dict.fromkeys(districts)) or None
    # A rejection row says all that the reader's empty-task finding said.
    out.issues.extend(replace(f, file=where) for f in findings
                      if not (f.code in ("empty-task", "empty-row") and (f.sheet, f.cell) in rejected_cells))
    return out


def _text_issues(row: MasterRow, task: Task, sheet: str, where: str) -> list[Finding]:
    """What the master cannot hold as it is: XML-illegal characters (removed by the cell
    writer) and text over Excel's 32,767 UTF-16 units (cut in 汇总, kept whole here, over
    as many 问题清单 lines as it needs)."""
    out = []
    units = [u.written for u in (*row.lead_units, *row.support_units)] + [*row.lead_notes, *row.support_notes]
    whole = "".join([v for v in row.values.values() if isinstance(v, str)] + units)
    if not needs_fix(whole + "、" * len(units)):   # 、: the separators of the units' cells
        return out  # nearly every row: one check in C for the whole row
    texts = {k: v for k in (*row.values, *UNIT_COLUMNS) if isinstance(v := row.value(k), str)}
    for key, value in texts.items():
        _, fix = text_fix(value)
        if fix is None:
            continue
        cell = task.cells.get(key) or task.cells.get("units" if key in ("lead", "support") else "seq")
        column = _HEADER[key]
        if fix.removed:
            out.append(Finding("illegal-characters", where, sheet, cell,
                               params={"column": column, "chars": "、".join(fix.removed)}))
        if fix.cut:
            parts = split_text(value, MAX_CELL - 100)
            out.append(Finding("text-too-long", where, sheet, cell,
                               params={"column": column, "units": fix.units, "limit": MAX_CELL, "parts": len(parts)}))
            out += [Finding("text-too-long-part", where, sheet, cell, part, {"n": n, "parts": len(parts)})
                    for n, part in enumerate(parts, 1)]
    return out


def _add_rows(rows: list[_Row], book: MasterWorkbook, summary: MergeSummary,
              dedupe: bool = False) -> None:
    """The 汇总 rows, in order, each with a unique task key.  A task another file already
    holds is dropped with --dedupe (and noted), else kept under a suffixed key; either
    way the summary names the files that repeat others."""
    seen: dict[str, tuple[str, str]] = {}          # key → (file, "file sheet!cell") of its first copy
    repeats: dict[tuple[str, str], int] = {}       # (file, file it repeats) → tasks
    records = {rec.path: rec for rec in book.files}
    for r in rows:
        values = r.row.values
        key, where = values["key"], values["source_file"]
        if key in seen:
            first_file, first_at = seen[key]
            if first_file != where:
                repeats[(where, first_file)] = repeats.get((where, first_file), 0) + 1
                if dedupe:
                    _drop_duplicate(r, where, first_at, book, records)
                    summary.rows_deduped += 1
                    continue
            n = 2
            while f"{key}~{n}" in seen:
                n += 1
            book.issues.append(Finding("duplicate-task", where, r.sheet, r.cell, params={"other": first_at}))
            key = values["key"] = f"{key}~{n}"
        seen[key] = (where, f"{where} {r.sheet}!{r.cell}")
        book.rows.append(r.row)
    summary.rows_merged = len(book.rows) - summary.rows_kept
    summary.duplicates = [(f, o, n) for (f, o), n in repeats.items()]


def _drop_duplicate(r: _Row, where: str, first_at: str, book: MasterWorkbook, records: dict) -> None:
    book.issues.append(Finding("duplicate-dropped", where, r.sheet, r.cell, params={"other": first_at}))
    record = records.get(where)
    if record is not None and record.rows_merged:
        record.rows_merged -= 1


def _count_warnings(book: MasterWorkbook, summary: MergeSummary, as_of: dt.date, soon_days: int) -> None:
    """What 预警 will show, as of `as_of` (with the 状态 kept from the previous master)."""
    summary.warnings = count_states(
        warning_state(row.values.get("due"), row.values.get("status"), row.kind, row.ongoing, as_of, soon_days)
        for row in book.rows)


# ------------------------------------------------------------------ re-merging: the previous master

# Columns compared between merges (not where a task sits, nor what is computed from it).
COMPARED = ("district", "seq", "section", "subsection", "requirement", "lead", "support", "deadline", "status",
            "progress", "done_date", "leader")
# Columns filled in the master itself, by hand or by `collect`: kept when the district
# files say nothing (报送单位/报送时间 they never say).
TYPED_IN_MASTER = ("status", "progress", "done_date", "reported_by", "reported_at")
_CARRIED = tuple(dict.fromkeys(COMPARED + TYPED_IN_MASTER))
_HEADER = {c.key: c.zh for c in MASTER_COLUMNS}


def _comparable(v):
    """Equal values compare equal whichever reader produced them (a date cell may come
    back as a datetime at midnight)."""
    if isinstance(v, dt.datetime) and v.time() == dt.time(0):
        return v.date()
    return v


def _place(values: dict, key: str | None) -> tuple | None:
    """Where a task stands when its text changed: district, year, file name, 序号."""
    seq, source = values.get("seq"), values.get("source_file")
    if seq is None or not source:
        return None
    year = key_year(key)
    return values.get("district"), year and str(year), PurePosixPath(str(source).replace("\\", "/")).name, seq


def _shown(values: dict) -> tuple[str, object]:
    """The column that names a task in 变更: its requirement, else its task levels."""
    for key in ("requirement", "subsection", "section"):
        if plain(values.get(key)) is not None:
            return _HEADER[key], plain(values.get(key))
    return _HEADER["requirement"], None


def carry_over(previous: PreviousMaster | None, rows: list[MasterRow]) -> tuple[list[ExtraColumn], ChangeLog]:
    """Match the new 汇总 rows with the previous master's, keep what people typed there,
    and list what changed.  Rows are changed in place (kept values, kept keys)."""
    log = ChangeLog(tasks=len(rows))
    if previous is None:
        return [], log
    log.first, log.previous = False, previous.merged_at
    match = _match_rows(previous.rows, rows)
    extra_header = [e.header for e in previous.extra_columns]
    added = [_added(row) for row, i in zip(rows, match) if i is None]
    changed = []
    for row, i in zip(rows, match):
        if i is not None:
            diffs = _keep_typed(row, previous.rows[i], previous.columns)
            log.changed += bool(diffs)
            changed += diffs
    taken = {i for i in match if i is not None}
    removed = [line for i, old in enumerate(previous.rows) if i not in taken for line in _removed(old, extra_header)]
    log.added, log.removed = len(added), len(previous.rows) - len(taken)
    log.changes = added + removed + changed
    return previous.extra_columns, log


def districts_columns(extra: list[ExtraColumn], rows: list[MasterRow]) -> list[ExtraColumn]:
    """The districts' own columns (报送对象 …) as columns of 汇总 after ours, each by its
    header: the one the previous master has, else a new one.  What a district wrote stays
    written; a value the previous master holds in that cell is kept (someone may have typed
    it there: the district's file keeps its own)."""
    extra = list(extra)
    at = {str(e.header): i for i, e in enumerate(extra) if e.header is not None}
    last = MASTER_COLUMNS[-1].key
    private = {header for row in rows for header in row.private}     # hidden by a district: hidden here
    for row in rows:
        for header, value in row.written.items():
            if header not in at:
                at[header] = len(extra)
                extra.append(ExtraColumn(header, last))
            row.extra.setdefault(at[header], value)
    return [replace(e, hidden=True) if str(e.header) in private and not e.hidden else e for e in extra]


def _match_rows(old_rows: list[PreviousRow], rows: list[MasterRow]) -> list[int | None]:
    """For each new row, the index of its previous row (or None): by task key, else —
    the text was edited, so the key's hash changed — by place, when that is unambiguous
    on both sides (the row then keeps its old key)."""
    by_key: dict[str, int] = {}
    for i, old in enumerate(old_rows):
        if old.key is not None:
            by_key.setdefault(old.key, i)
    match: list[int | None] = [by_key.get(row.values["key"]) for row in rows]
    taken = {i for i in match if i is not None}
    old_at: dict[tuple, list[int]] = {}
    for i, old in enumerate(old_rows):
        if i not in taken and old.key is not None and (place := _place(old.values, old.key)):
            old_at.setdefault(place, []).append(i)
    new_at: dict[tuple, list[int]] = {}
    for n, row in enumerate(rows):
        if match[n] is None and (place := _place(row.values, row.values["key"])):
            new_at.setdefault(place, []).append(n)
    for place, ns in new_at.items():
        olds = old_at.get(place, [])
        if len(ns) == 1 and len(olds) == 1:
            match[ns[0]] = olds[0]
            rows[ns[0]].values["key"] = old_rows[olds[0]].key  # the key stays stable
    return match


def _added(row: MasterRow) -> Change:
    v = row.values
    column, text = _shown(v)
    return Change("added", v["key"], v.get("district"), v.get("seq"), column, None, text)


def _keep_typed(row: MasterRow, old: PreviousRow, columns: set[str]) -> list[Change]:
    """Carry what was typed into the master onto the new row; the columns that changed."""
    v = row.values
    row.extra = dict(old.extra)
    diffs = []
    for k in _CARRIED:
        if k not in columns:
            continue  # the column was deleted from the old master
        new, was = plain(row.value(k)), old.values.get(k)
        if k in TYPED_IN_MASTER and new is None:
            if was is not None:
                v[k] = was  # typed into the master, not supplied by the district: kept
            continue
        if _comparable(new) != _comparable(was):
            diffs.append(Change("changed", v["key"], v.get("district"), v.get("seq"), _HEADER[k], was, new))
    return diffs


def _removed(old: PreviousRow, extra_header: list) -> list[Change]:
    """A task gone from the districts' files, with what people typed about it, so
    nothing is lost with it."""
    v = old.values
    column, text = _shown(v)
    lines = [Change("removed", old.key, v.get("district"), v.get("seq"), column, text)]
    lines += [Change("removed", old.key, v.get("district"), v.get("seq"), _HEADER[k], v[k])
              for k in TYPED_IN_MASTER if v.get(k) is not None]
    lines += [Change("removed", old.key, v.get("district"), v.get("seq"), extra_header[j], value)
              for j, value in sorted(old.extra.items())]
    return lines


# ------------------------------------------------------------------ preview before harm

# A re-merge that removes more than REMOVE_LIMIT tasks, or more than REMOVE_SHARE of the
# master's tasks, or any task people filled in (状态, 进展情况, 完成日期, 报送单位/时间, a
# column they added), is refused unless the caller says replace: a wrong folder picked
# must not wipe the master.  Either bound alone catches the wrong folder; a task or two
# dropped from the plans behind a master of dozens of tasks passes.
REMOVE_LIMIT = 5
REMOVE_SHARE = 0.10
PREVIEW_TASKS = 10              # removed tasks named in a message


@dataclass
class RemovedTask:
    """A task of the master that the new merge no longer has."""
    key: str | None
    district: object
    seq: object
    text: object                                     # its requirement (or task levels)
    filled: list[str] = field(default_factory=list)  # headers of the columns people filled in

    def label(self, lang: str = "zh") -> str:
        text = str(self.text or "").replace("\n", " ")
        line = _t("preview-removed-task", lang, district=self.district or "", seq=self.seq if self.seq is not None
                  else "?", text=text[:30] + ("…" if len(text) > 30 else ""))
        return line + (_t("preview-filled", lang, columns="、".join(self.filled)) if self.filled else "")


@dataclass
class MergePreview:
    """What writing the merged master over the existing one would do: the counts of 变更
    and the tasks it removes."""
    previous: int                                    # tasks in the master being replaced
    tasks: int                                       # tasks in the new master
    added: int
    removed: int
    changed: int
    removed_tasks: list[RemovedTask] = field(default_factory=list)

    @property
    def filled(self) -> list[RemovedTask]:
        return [r for r in self.removed_tasks if r.filled]

    @property
    def harmful(self) -> bool:
        return (self.removed > REMOVE_LIMIT or self.removed > REMOVE_SHARE * self.previous
                or bool(self.filled))

    def task_lines(self, lang: str = "zh", limit: int = PREVIEW_TASKS) -> list[str]:
        first = self.filled + [r for r in self.removed_tasks if not r.filled]   # people's work first
        lines = ["  " + r.label(lang) for r in first[:limit]]
        if len(first) > limit:
            lines.append("  " + _t("preview-more", lang, n=len(first) - limit))
        return lines

    def params(self, lang: str = "zh") -> dict:
        """The numbers and the list, for the refusal and the Excel question."""
        filled = _t("merge-would-remove-filled", lang, n=len(self.filled)) if self.filled else ""
        return {"removed": self.removed, "previous": self.previous, "filled": filled,
                "tasks": "\n".join(self.task_lines(lang))}

    def to_dict(self) -> dict:
        return {"previous": self.previous, "tasks": self.tasks, "added": self.added, "removed": self.removed,
                "changed": self.changed, "harmful": self.harmful,
                "removed_tasks": [{"key": r.key, "district": r.district, "seq": r.seq, "text": r.text,
                                   "filled": r.filled} for r in self.removed_tasks]}


class MergeRefused(MasterError):
    """The merge would remove too many tasks, or tasks people filled in: nothing written."""

    def __init__(self, preview: MergePreview, file: str):
        self.preview, self.file = preview, file
        super().__init__("merge-would-remove", file=file)

    def message(self, lang: str = "zh") -> str:
        return _t("merge-would-remove", lang, file=self.file, **self.preview.params(lang))


def preview_of(log: ChangeLog) -> MergePreview | None:
    """The preview, read from the change list carry_over made (_removed: a task's line,
    then one line per column people filled in, all with the task's key); None for a first
    merge."""
    if log.first:
        return None
    removed: list[RemovedTask] = []
    for change in log.changes:
        if change.kind != "removed":
            continue
        last = removed[-1] if removed else None
        if last is not None and (last.key, last.district, last.seq) == (change.key, change.district, change.seq):
            last.filled.append(str(change.column))
        else:
            removed.append(RemovedTask(change.key, change.district, change.seq, change.old))
    return MergePreview(log.tasks - log.added + log.removed, log.tasks, log.added, log.removed, log.changed, removed)


# ------------------------------------------------------------------ merge

def _gather(results: list[_FileResult], skipped: list[tuple[Path, str]], book: MasterWorkbook,
            summary: MergeSummary, base: Path) -> list[_Row]:
    """Each file's 合并记录 line and 问题清单 lines into the book, its counts into the
    summary; the 汇总 rows of all files read."""
    rows, masters = [], []
    for result in results:
        book.files.append(result.record)
        book.issues += result.issues
        summary.columns_given += sorted({(str(result.path), f.params["source"]) for f in result.issues
                                         if f.code == "columns-given"})
        if result.skipped is not None:
            masters.append((result.path, result.skipped))
        elif result.error is None:
            summary.files_read.append(str(result.path))
            summary.rejected += result.rejected
            rows += result.rows
        else:
            summary.files_failed.append((str(result.path), result.error))
    for path, reason in skipped:
        book.files.append(FileRecord(_display(path, base).as_posix(), "skipped", reason=reason))
    skipped += masters
    summary.files_skipped = [(str(p), r) for p, r in skipped]  # summary paths: as the user gave them
    return rows


def merge(inputs: Iterable[str | Path], output: str | Path, *, year: int | None = None,
          districts: dict[str, str] | None = None, registry: UnitRegistry | None = None,
          as_of: dt.date | None = None, soon_days: int = DEFAULT_SOON_DAYS,
          colours: dict | None = None, jobs: int | None = None, dedupe: bool = False,
          progress: Callable[[int, int, Path], None] | None = None, lang: str = "zh",
          skip_hidden: bool = False, dry_run: bool = False, replace: bool = False,
          confirm: Callable[[MergePreview], bool] | None = None, columns: ColumnSpec | None = None) -> MergeSummary:
    """Read every input (files and folders), write the master workbook to `output`.

    dedupe: a task the same as one of another file (same task key) is merged once.
    Raises OutputLocked when the master is open or being written by another merge,
    NothingToMerge when no input could be read.  Everything else is in the summary.
    Hidden sheets are read with a note, or skipped when `skip_hidden`; an xltools master
    inside an input folder is skipped unless it is named itself.

    Replacing an existing master: the summary's `preview` says what changes.  When it is
    harmful (MergePreview.harmful) the merge raises MergeRefused before writing, unless
    `replace`, or `confirm(preview)` (a dialog) answers True.  `dry_run` computes
    everything and writes nothing (no lock, no version, no temp file); the summary's
    `refused` is what would stop the real run (the master open or locked, the preview
    before harm) and its `exit_code` is the real run's.  The master
    replaced is kept as a version (write/versions.py): `xltools undo` puts it back.
    `columns`: a clerk's column map for every file (else each folder's saved 列对应.json);
    the files read with one are listed in the summary's `columns_given`."""
    output = Path(output)
    inputs = list(inputs)
    resolved.cache_clear()   # links may have changed since the last merge in this process
    if not inputs:
        raise NothingToMerge("no-inputs")
    if output.suffix.lower() != ".xlsx":
        raise MasterError("output-suffix", file=str(output))
    _check_inputs_exist(inputs)
    # a district named by a person is a real one, checked as every command checks it
    # (a 街道 alone, where the registry lists it: 无影山街道 → 天桥区无影山街道, a 街道's plan)
    named = registry or UnitRegistry.default()
    districts = {file: require_district(name, named) for file, name in (districts or {}).items()}
    found: list[tuple[str, dict]] = []
    # open in Excel or locked: fail before the slow part, not after; a dry run takes no lock
    held = contextlib.nullcontext() if dry_run else editing(output, found)
    with held as master, fewer_collections(), versions.operation("merge"):
        if not dry_run:
            found += [("temp-removed", {"name": name}) for name in sweep_temp(output.parent)]
        check_previous(output)  # not a master: refuse before reading anything
        base = output.parent
        files, skipped = collect_inputs(inputs, output, lang)
        summary = MergeSummary(output, as_of=as_of)
        notes = [Finding(key, output.name, params=params) for key, params in found]
        summary.notes = [note.message(lang) for note in notes]
        named = {resolved(Path(i)) for i in inputs if not Path(i).is_dir() or Path(i).suffix.lower() in READABLE_SUFFIXES}
        results = _read_all(files, year, districts, registry, jobs, progress, base, lang, named, skip_hidden,
                            columns)
        results.sort(key=lambda r: str(resolved(r.path)))  # every sheet independent of input order

        book = MasterWorkbook(as_of=as_of, soon_days=soon_days, colours=colours, lang=lang, version=__version__,
                              registry=registry)
        book.issues += notes
        rows = _gather(results, skipped, book, summary, base)
        del results
        _check_read(summary, book)
        if master is not None:      # (a dry run holds no lock and replaces nothing)
            master.mark_read()      # the master as it is now is what we keep from, and replace
        previous = None
        if summary.files_failed:    # their tasks in the master stay: read it now, to place them
            previous = read_previous(output)
            rows += _keep_unread(previous, rows, book, summary, registry or UnitRegistry.default())
        # districts in their official order (GB/T 2260 codes), the others in the order of their files
        rank = {d: i for i, d in enumerate(in_official_order(r.sort_key[0] for r in rows))}
        rows.sort(key=lambda r: (rank[r.sort_key[0]], r.sort_key))
        _add_rows(rows, book, summary, dedupe)
        del rows
        if previous is None:        # read now, not while the reading processes or the rows' wrappers live
            previous = read_previous(output)
        _carry_previous(previous, book, summary)
        _count_warnings(book, summary, as_of or dt.date.today(), soon_days)
        book.issues += book.link_issues()
        _count_issues(book, summary)
        summary.dry_run = dry_run
        if dry_run:             # what the real run would refuse, in the order it checks
            try:
                check_editable(output)
                _check_harm(summary, output, replace, None, describe=False)
            except (OutputLocked, MergeRefused) as exc:
                summary.refused = exc
            return summary
        _check_harm(summary, output, replace, confirm)
        master.replace(book.write)
    return summary


def _check_inputs_exist(inputs: list) -> None:
    """A file or folder named to merge that is not there (a share gone, a typo) stops the
    merge before anything is written: merging without it would remove its tasks."""
    for item in inputs:
        if not os.path.lexists(item):
            raise NothingToMerge("input-missing", file=str(item))


def _keep_unread(previous: PreviousMaster | None, rows: list[_Row], book: MasterWorkbook, summary: MergeSummary,
                 registry: UnitRegistry) -> list[_Row]:
    """The previous master's rows of files that could not be read this time (empty while
    still being copied, deleted meanwhile, damaged), kept as they were — typed values and
    added columns too — and marked as not refreshed in 问题清单 and 合并记录.  They are
    refreshed when the file reads again; only a file gone from the inputs loses its rows.
    A task that another file now brings (same key) is that file's."""
    failed = {r.path: r for r in book.files if r.status == "failed"}
    if previous is None or not failed:
        return []
    fresh = {r.row.values["key"] for r in rows}
    by_file: dict[str, list[tuple[int, PreviousRow]]] = {}
    for i, old in enumerate(previous.rows):
        where = old.values.get("source_file")
        if where in failed and old.key is not None and old.key not in fresh:
            by_file.setdefault(where, []).append((i, old))
    meant = deadline_texts([old.values for old in previous.rows])   # a kept 同上: the deadline of its row above
    kept = []
    for where, olds in by_file.items():
        record, source = failed[where], Path(where)
        at = str(resolved(previous.path.parent / source))   # sorted where the file's fresh rows would be
        book.issues.append(Finding("not-refreshed", where, params={"rows": len(olds), "reason": record.reason}))
        record.reason = f"{record.reason}；{_t('kept-unread', book.lang, rows=len(olds))}"
        kept += [_Row((str(old.values.get("district") or ""), at, 0, i), _kept_row(old, meant[i], source, registry), "", "")
                 for i, old in olds]
    summary.rows_kept = len(kept)
    return kept


def _kept_row(old: PreviousRow, deadline: Any, source: Path, registry: UnitRegistry) -> MasterRow:
    """A 汇总 row as the previous master held it; 预警 is ours to write again, from the
    kind of its deadline as meant (`deadline`: a 同上's is the row above's, as
    report.task_state reads it); its 完成时限 stays as written."""
    values = {k: _comparable(v) for k, v in old.values.items() if k not in ("warning", *UNIT_COLUMNS)}
    values["key"] = old.key
    d = parse_deadline(deadline, year=key_year(old.key)) if deadline is not None else None
    lead, support = (units_of(old.values.get(k), registry) for k in UNIT_COLUMNS)
    notes = [split_units(old.values.get(k), registry=registry).notes for k in UNIT_COLUMNS]   # kept as written
    return MasterRow(values, lead, support, d.kind if d else None, bool(d and d.ongoing), source, dict(old.extra),
                     lead_notes=notes[0], support_notes=notes[1],
                     units_text="；".join(str(v) for k in UNIT_COLUMNS if (v := old.values.get(k)) is not None))


def _check_harm(summary: MergeSummary, output: Path, replace: bool,
                confirm: Callable[[MergePreview], bool] | None, describe: bool = True) -> None:
    """Stop before writing a master that loses too much (see REMOVE_LIMIT), unless told
    to; record what the merge changes for the version of the master it replaces (not
    `describe`: a dry run, which replaces nothing)."""
    preview = summary.preview
    if preview is not None and preview.harmful and not replace and not (confirm and confirm(preview)):
        raise MergeRefused(preview, str(output))
    if not describe:
        return
    log = summary.changes
    versions.describe(tasks=log.tasks, added=log.added, removed=log.removed, changed=log.changed)


def _check_read(summary: MergeSummary, book: MasterWorkbook) -> None:
    """Rows read and rejected; NothingToMerge when no file could be read."""
    summary.rows_in = sum(r.rows_read or 0 for r in book.files)
    summary.rows_rejected = len(summary.rejected)
    if not summary.files_read:
        raise NothingToMerge("nothing-to-merge", summary, failed=len(summary.files_failed),
                             found=len(summary.files_failed) + len(summary.files_skipped),
                             skipped=len(summary.files_skipped))


def _carry_previous(previous: PreviousMaster | None, book: MasterWorkbook, summary: MergeSummary) -> None:
    """Keep what people typed into the master being replaced, and list the changes."""
    book.extra_columns, book.changes = carry_over(previous, book.rows)
    typed = [str(e.header) for e in book.extra_columns if e.header is not None]
    book.extra_columns = districts_columns(book.extra_columns, book.rows)
    book.other_sheets = previous.sheets if previous else []
    summary.changes = book.changes
    summary.preview = preview_of(book.changes)
    written = {h for row in book.rows for h in row.written}   # the districts' columns: not typed into 汇总
    summary.kept_columns = [h for h in typed if h not in written]
    summary.kept_sheets = [s.name for s in book.other_sheets if s.name != IDENTITY_SHEET]
    if not any(s.name == IDENTITY_SHEET for s in book.other_sheets):   # a new master: its identity (returns.py)
        book.other_sheets = book.other_sheets + [identity_sheet()]
    if previous is not None:
        _carry_additions(previous, book, summary)


# ------------------------------------------------------------------ re-merging: what the office added around the data

def _carry_additions(previous: PreviousMaster, book: MasterWorkbook, summary: MergeSummary) -> None:
    """Carry what the office added in Excel/WPS around the data of the master replaced:
    comments (a task's moves with its task, by key and heading; any other stays at its
    address), 汇总's frozen pane, and their conditional formats and validations on the
    columns they added (to the same column by heading, over the new task rows).  What
    cannot be carried is named, in the summary's notes and in 合并记录: never dropped
    in silence."""
    add, lang = previous.additions, book.lang
    layout = book.layout()
    column_at = {(c.key if isinstance(c, Column) else c[0]): i for i, c in enumerate(layout)}
    lines: list[str] = []
    if add.unread is not None:
        lines.append(_t("kept-additions-unread", lang, reason=add.unread))
    book.comments, gone = _place_notes(add.notes, previous, book.rows, column_at)
    lines += [_gone_line(note, old, lang) for note, old in gone]
    last_row = len(book.rows) + 1
    if add.unread is None:
        book.freeze = add.freeze if add.freeze is None or _fits(add.freeze, last_row, len(layout)) else "A2"
    mine = _task_rows(previous)
    ours = _our_rules(previous, book)
    rules_left = add.other_rules
    for sqref, rules in add.rules:
        rules = [r for r in rules if not (r.formulas and set(r.formulas) <= ours)]
        if not rules:
            continue     # ours: written again
        moved = _moved(sqref, previous.places, column_at, mine, last_row)
        if moved is None:
            rules_left += len(rules)
            continue
        ref, shift = moved
        book.kept_rules.append((ref, [KeptRule(r.attrs, tuple(shift(f) for f in r.formulas), r.inner, r.dxf)
                                      for r in rules]))
    lists_left = add.other_lists
    for v in add.validations:
        if _ours_validation(v, previous):
            continue
        moved = _moved(v.ref, previous.places, column_at, mine, last_row)
        if moved is None:
            lists_left += 1
            continue
        ref, shift = moved
        book.kept_validations.append(KeptValidation(ref, v.attrs, tuple(shift(f) for f in v.formulas)))
    charts = dict(add.charts)
    if book.rows and charts.get(SHEET_STATS):
        charts[SHEET_STATS] -= 1     # 统计's chart is ours: written again
    what = {}
    for sheet in dict.fromkeys([*add.pictures, *charts]):
        what[sheet] = [_t("kept-pictures", lang, n=add.pictures[sheet])] if add.pictures.get(sheet) else []
        what[sheet] += [_t("kept-charts", lang, n=charts[sheet])] if charts.get(sheet) else []
    master_left = [_t("kept-rules", lang, n=rules_left)] if rules_left else []
    master_left += [_t("kept-validations", lang, n=lists_left)] if lists_left else []
    if master_left:
        what[SHEET_MASTER] = what.get(SHEET_MASTER, []) + master_left
    joined = "、" if lang == "zh" else ", "
    lines += [_t("kept-not-carried", lang, sheet=sheet, what=joined.join(items)) for sheet, items in what.items() if items]
    book.not_carried = lines
    summary.notes += lines


def _place_notes(notes: list[Note], previous: PreviousMaster, rows: list[MasterRow],
                 column_at: dict) -> tuple[dict[str, list[Comment]], list[tuple[Note, PreviousRow | None]]]:
    """Each comment at its cell of the new master: on 汇总's task rows by task key and
    heading; elsewhere (a header, a title, a sheet people added) at its address.  Two
    landing on one cell are joined.  The comments that have no place: on a task no longer
    in the master, or on a sheet every merge writes anew."""
    if not notes:
        return {}, []
    new_row = {row.values["key"]: r for r, row in enumerate(rows, 2)}
    old_rows = {old.row: old for old in previous.rows}
    placed: dict[str, dict[tuple[int, int], Comment]] = {}
    gone: list[tuple[Note, PreviousRow | None]] = []
    for note in notes:
        row, col = note.row, note.col
        if note.sheet == SHEET_MASTER:
            old = old_rows.get(note.row)
            if old is not None:
                if old.key not in new_row:
                    gone.append((note, old))
                    continue
                row = new_row[old.key]
            col = column_at.get(previous.places.get(note.col), note.col)
        elif note.sheet in OUR_SHEETS:
            gone.append((note, None))
            continue
        cells = placed.setdefault(note.sheet, {})
        there = cells.get((row, col))
        ref = f"{col_letter(col)}{row}"
        cells[(row, col)] = (Comment(ref, note.author, note.text) if there is None else
                             Comment(ref, "、".join(dict.fromkeys((there.author, note.author))),
                                     f"{there.text}\n{note.text}"))
    return {sheet: list(cells.values()) for sheet, cells in placed.items()}, gone


def _gone_line(note: Note, old: PreviousRow | None, lang: str) -> str:
    if old is None:
        return _t("kept-comment-sheet", lang, sheet=note.sheet, cell=f"{col_letter(note.col)}{note.row}",
                  author=note.author, text=note.text)
    v = old.values
    return _t("kept-comment-gone", lang, key=old.key or "", district=v.get("district") or "",
              seq=v.get("seq") if v.get("seq") is not None else "?", cell=f"{col_letter(note.col)}{note.row}",
              author=note.author, text=note.text)


def _fits(freeze: str, last_row: int, width: int) -> bool:
    """A frozen pane whose frozen rows and columns are still inside the new 汇总."""
    col, row = cell_ref(freeze)
    return row <= last_row and col <= width


def _task_rows(previous: PreviousMaster) -> tuple[int, int] | None:
    numbers = [old.row for old in previous.rows]
    return (min(numbers), max(numbers)) if numbers else None


def _our_rules(previous: PreviousMaster, book: MasterWorkbook) -> set[str]:
    """The formulas of the row colours an earlier merge wrote (by the old 预警 column)."""
    warning = next((c for c, k in previous.places.items() if k == "warning"), None)
    return set() if warning is None else {c.formula for c in row_colours(col_letter(warning), 2, book.colours)}


def _ours_validation(v: KeptValidation, previous: PreviousMaster) -> bool:
    """The 状态 drop-down an earlier merge wrote."""
    status = next((c for c, k in previous.places.items() if k == "status"), None)
    return (dict(v.attrs).get("type") == "list" and v.formulas[:1] == ('"' + ",".join(STATUS_VALUES) + '"',)
            and status is not None and all(_columns(r) == (status, status) for r in v.ref.split()))


def _columns(ref: str) -> tuple[int, int]:
    first, _, last = ref.partition(":")
    return cell_ref(first)[0], cell_ref(last or first)[0]


_WHOLE = 1048576


def _moved(sqref: str, places: dict, column_at: dict, tasks: tuple[int, int] | None,
           last_row: int) -> tuple[str, Callable[[str], str]] | None:
    """A range of 汇总 on the columns people added, over the new task rows, and its
    formulas moved with it (their relative references); None when it cannot be carried
    so: it touches a column of ours, or covers only some of the tasks."""
    from openpyxl.formula.translate import Translator

    if tasks is None:
        return None
    first_task, last_task = tasks
    out, shift = [], None
    for piece in sqref.split():
        a, _, b = piece.partition(":")
        (c1, r1), (c2, r2) = cell_ref(a), cell_ref(b or a)
        r1, r2 = r1 + 1, r2 + 1
        new = [column_at.get(places.get(c)) if isinstance(places.get(c), int) else None for c in range(c1, c2 + 1)]
        if None in new or any(n - c != new[0] - c1 for c, n in zip(range(c1, c2 + 1), new)):
            return None
        if shift is None:
            shift = new[0] - c1
        elif shift != new[0] - c1:
            return None
        if r2 >= _WHOLE:
            top, bottom = r1, r2
        elif r1 <= first_task and r2 >= last_task:
            top, bottom = r1, last_row + (r2 - last_task)
        else:
            return None
        out.append(f"{col_letter(new[0])}{top}:{col_letter(new[-1])}{bottom}")
    if not out:
        return None
    origin = sqref.split()[0].split(":")[0]
    target = out[0].split(":")[0]

    def move(formula: str) -> str:
        if shift == 0 or not formula:
            return formula
        return Translator("=" + formula, origin=origin).translate_formula(target)[1:]

    return " ".join(out), move


def _count_issues(book: MasterWorkbook, summary: MergeSummary) -> None:
    """问题清单 by severity, and row conservation: nothing read may vanish silently."""
    summary.issues = len(book.issues)
    summary.issue_counts = {s: sum(1 for i in book.issues if i.severity == s) for s in ("error", "warning", "info")}
    if summary.rows_in != summary.rows_merged + summary.rows_rejected + summary.rows_deduped:
        raise RuntimeError(f"row conservation broken: {summary.rows_in} in, {summary.rows_merged} merged, "
                           f"{summary.rows_rejected} rejected, {summary.rows_deduped} deduped")
