"""Merge district task sheets into one master workbook (汇总).

Row conservation is the contract: every task read from an input is either a row of 汇总
or a rejected row in 问题清单 with its reason, and the summary says so in numbers
(rows_in == rows_merged + rows_rejected).  Inputs are only ever read.  The 汇总 rows are
sorted by district, source file and row, so input order and repeated merges do not
change the result.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import unicodedata
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable

from . import __version__
from .deadlines import DeadlineKind
from .errors import XltoolsError
from .findings import Finding
from .grid import CSV_SUFFIXES, READABLE_SUFFIXES, SPREADSHEET_SUFFIXES
from .i18n import t as _t
from .master import (FileRecord, IssueRow, MasterError, MasterRow, MasterWorkbook,
                     check_not_open, output_lock)
from .model import PlanFile, Task, TaskSheet
from .schema import DEFAULT_SOON_DAYS, WARNING_STATES
from .units import UnitRegistry
from .warning import warning_of

__all__ = ["merge", "MergeSummary", "NothingToMerge", "collect_inputs", "task_key"]

PARALLEL_FROM = 4          # below this many files, process start-up costs more than it saves
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
    rejected: list[IssueRow] = field(default_factory=list)
    issues: int = 0                                  # rows of 问题清单
    warnings: dict[str, int] = field(default_factory=dict)  # WARNING_STATES key → count, as of as_of
    as_of: dt.date | None = None

    def to_dict(self) -> dict:
        return {"output": str(self.output),
                "files": {"read": len(self.files_read), "skipped": len(self.files_skipped),
                          "failed": len(self.files_failed)},
                "rows": {"in": self.rows_in, "merged": self.rows_merged, "rejected": self.rows_rejected},
                "files_read": self.files_read,
                "files_skipped": [{"file": f, "reason": r} for f, r in self.files_skipped],
                "files_failed": [{"file": f, "reason": r} for f, r in self.files_failed],
                "rejected": [{"file": r.file, "sheet": r.sheet, "cell": r.cell, "reason": r.message}
                             for r in self.rejected],
                "issues": self.issues,
                "warnings": {k: self.warnings.get(k, 0) for k in WARNING_STATES},
                "as_of": self.as_of.isoformat() if self.as_of else None}


# ------------------------------------------------------------------ inputs

def collect_inputs(inputs: Iterable[str | Path], output: Path | None = None,
                   lang: str = "zh") -> tuple[list[Path], list[tuple[Path, str]]]:
    """Files to read, and (path, reason) for every file passed over.  Folders are walked
    recursively (hidden folders ignored); files named on the command line are tried even
    when they are text plans."""
    out_resolved = output.resolve() if output else None
    files: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    seen: set[Path] = set()

    def consider(path: Path, named: bool) -> None:
        name = path.name
        if name.startswith("~$"):
            reason = "skip-lock-file"
        elif name.startswith(".") or name.endswith("~") or name.lower().endswith(_TEMP_SUFFIXES):
            reason = "skip-hidden"
        elif out_resolved is not None and path.resolve() == out_resolved:
            reason = "skip-output"
        elif path.suffix.lower() not in READABLE_SUFFIXES and (path.exists() or not named):
            reason = "skip-not-spreadsheet"
        elif not named and path.suffix.lower() not in SPREADSHEET_SUFFIXES | CSV_SUFFIXES:
            reason = "skip-text-in-folder"
        elif path.resolve() in seen:
            reason = "skip-duplicate"
        else:
            seen.add(path.resolve())
            files.append(path)
            return
        skipped.append((path, _t(reason, lang)))

    for item in inputs:
        item = Path(item)
        if item.is_dir():
            for path in sorted(_walk(item)):
                consider(path, named=False)
        else:
            consider(item, named=True)  # a missing file is read and fails with "not found"
    return files, skipped


def _walk(folder: Path) -> Iterable[Path]:
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith((".", "__"))]
        for name in names:
            yield Path(root) / name


def _district_for(path: Path, districts: dict | None) -> str | None:
    """--district FILE=NAME: FILE may be the path as given, the file name or its stem."""
    for key, name in (districts or {}).items():
        k = Path(key)
        if key in (path.name, path.stem, str(path)) or (k.exists() and k.resolve() == path.resolve()):
            return name
    return None


# ------------------------------------------------------------------ reading (in worker processes)

@dataclass
class _Read:
    path: Path
    size: int | None = None
    sha256: str | None = None
    modified: dt.datetime | None = None
    plan: PlanFile | None = None
    findings: list[Finding] = field(default_factory=list)
    error: dict | None = None        # {"zh": …, "en": …}: exceptions do not pickle with their params


def _read_one(path: Path, year: int | None, district: str | None, registry: UnitRegistry | None) -> _Read:
    """Read and check one file.  Never raises: a bad file must not stop the merge."""
    from .reader import read_plan
    from .validate import validate_plan

    result = _Read(path)
    try:
        st = path.stat()
        result.size, result.modified = st.st_size, dt.datetime.fromtimestamp(st.st_mtime).replace(microsecond=0)
        result.sha256 = sha256_of(path)
    except OSError:
        pass  # read_plan reports the missing/unreadable file in the user's words
    try:
        registry = registry or UnitRegistry.default()
        result.plan = read_plan(path, year=year, district=district, registry=registry)
        result.findings = validate_plan(result.plan, registry)
    except XltoolsError as exc:
        result.plan, result.error = None, {lang: exc.message(lang) for lang in ("zh", "en")}
    except Exception as exc:  # a reader bug on one odd file: report it, merge the rest
        result.plan = None
        result.error = {lang: _t("internal-error", lang, error=f"{type(exc).__name__}: {exc}")
                        for lang in ("zh", "en")}
    return result


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _read_all(files: list[Path], year, districts, registry, jobs, progress) -> list[_Read]:
    total = len(files)
    args = [(p, year, _district_for(p, districts), registry) for p in files]
    results: dict[Path, _Read] = {}
    workers = jobs or min(os.cpu_count() or 1, total)
    if workers > 1 and total > PARALLEL_FROM:
        try:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                futures = {pool.submit(_read_one, *a): a[0] for a in args}
                for future in as_completed(futures):
                    path = futures[future]
                    results[path] = future.result()
                    if progress:
                        progress(len(results), total, path)
        except (OSError, NotImplementedError, BrokenProcessPool):
            pass  # no process pool here (sandbox, frozen app): read the rest in this process
    for a in args:
        if a[0] not in results:
            results[a[0]] = _read_one(*a)
            if progress:
                progress(len(results), total, a[0])
    return [results[p] for p in files]


# ------------------------------------------------------------------ task rows

def is_empty_task(task: Task) -> bool:
    """Only a number: no requirement, unit, deadline, status or progress of its own
    (section titles do not count: the reader carries them down onto every row)."""
    return task.is_empty and not task.status and not task.progress


_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def _normal(text) -> str:
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", str(text or ""))).casefold()


def task_key(district: str | None, year: int | None, task: Task) -> str:
    """A stable id for re-merging and collecting returns: district, year, number and a
    short hash of the requirement (spacing and punctuation ignored, so re-typed copies
    keep their key)."""
    text = _normal(task.requirement) or _normal(f"{task.section}{task.subsection}{task.units_raw}")
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:6]
    seq = f"{task.seq:03d}" if isinstance(task.seq, int) else f"r{task.row}"
    return f"{district or 'X'}-{year or '0000'}-{seq}-{digest}"


def _display(path: Path, base: Path) -> Path:
    """The path as the master shows and links it: relative to the master's folder when
    possible (so the folder can be moved or shared), absolute otherwise."""
    try:
        return Path(os.path.relpath(path.resolve(), base.resolve()))
    except ValueError:  # another drive on Windows
        return path.resolve()


def _due_cell(task: Task) -> dt.date | None:
    # Ongoing/recurring tasks get no date: a "next report date" would go stale.
    d = task.deadline
    if d is None or d.kind in (DeadlineKind.ONGOING, DeadlineKind.RECURRING):
        return None
    return d.due


def _master_row(task: Task, ts: TaskSheet, district: str, shown: Path, key: str) -> MasterRow:
    values = {"district": district, "seq": task.seq, "section": task.section, "subsection": task.subsection,
              "requirement": task.requirement, "lead": "、".join(task.lead_units) or None,
              "support": "、".join(task.support_units) or None, "deadline": task.deadline_raw,
              "due": _due_cell(task), "status": task.status, "progress": task.progress,
              "source_file": shown.as_posix(), "source_sheet": ts.sheet, "source_row": task.row, "key": key}
    d = task.deadline
    return MasterRow(values, d.kind if d else None, bool(d and d.ongoing), shown, tuple(task.lead_units))


def _issue(f: Finding, shown: str, lang: str) -> IssueRow:
    return IssueRow(shown, f.sheet, f.cell, f.severity, f.code, f.message(lang), f.suggestion(lang))


@dataclass
class _Entry:
    """A task on its way into 汇总."""
    sort_key: tuple
    task: Task
    sheet: TaskSheet
    district: str
    shown: Path


def _take_file(read: _Read, base: Path, book: MasterWorkbook, summary: MergeSummary, lang: str) -> list[_Entry]:
    """Record one file in 合并记录 and 问题清单; return its tasks, reject the empty ones."""
    shown = _display(read.path, base)
    where = shown.as_posix()
    record = FileRecord(where, "merged", size=read.size, sha256=read.sha256, modified=read.modified)
    book.files.append(record)
    if read.plan is None:
        record.status, record.reason = "failed", read.error[lang]
        summary.files_failed.append((str(read.path), read.error[lang]))
        book.issues.append(IssueRow(where, None, None, "error", "unreadable-file",
                                    _t("unreadable-file", lang, reason=read.error[lang]), _t("unreadable-hint", lang)))
        return []
    summary.files_read.append(str(read.path))
    record.rows_read = record.rows_merged = record.rows_rejected = 0
    entries, rejected_cells, districts = [], set(), []
    for sheet_no, ts in enumerate(read.plan.sheets):
        district = ts.district or _t("district-unknown-label", lang)
        districts.append(district)
        if not ts.district:
            book.issues.append(IssueRow(where, ts.sheet, None, "warning", "unknown-district",
                                        _t("unknown-district", lang), _t("unknown-district-hint", lang)))
        for task in ts.tasks:
            record.rows_read += 1
            if is_empty_task(task):
                cell = task.cells.get("seq", f"A{task.row}")
                rejected_cells.add((ts.sheet, cell))
                seq = task.seq if task.seq is not None else "?"
                issue = IssueRow(where, ts.sheet, cell, "error", "rejected-empty-task",
                                 _t("rejected-empty", lang, seq=seq), _t("rejected-empty-hint", lang))
                book.issues.append(issue)
                summary.rejected.append(replace(issue, file=str(read.path)))
                record.rows_rejected += 1
            else:
                record.rows_merged += 1
                entries.append(_Entry((district, str(read.path.resolve()), sheet_no, task.row), task, ts, district,
                                      shown))
    record.district = "、".join(dict.fromkeys(districts)) or None
    # A rejection row says all that the reader's empty-task finding said.
    book.issues.extend(_issue(f, where, lang) for f in read.findings
                       if not (f.code == "empty-task" and (f.sheet, f.cell) in rejected_cells))
    return entries


def _add_rows(entries: list[_Entry], book: MasterWorkbook, summary: MergeSummary, as_of: dt.date,
              soon_days: int, lang: str) -> None:
    """The 汇总 rows, in order, each with a unique task key."""
    seen: dict[str, str] = {}
    for e in entries:
        task, ts, where = e.task, e.sheet, e.shown.as_posix()
        key = task.key or task_key(e.district, ts.year, task)  # a returned copy keeps its key
        if key in seen:
            n = 2
            while f"{key}~{n}" in seen:
                n += 1
            book.issues.append(IssueRow(where, ts.sheet, task.cells.get("seq"), "warning", "duplicate-task",
                                        _t("duplicate-task", lang, other=seen[key]), _t("duplicate-task-hint", lang)))
            key = f"{key}~{n}"
        seen[key] = f"{where} {ts.sheet}!{task.cells.get('seq', f'A{task.row}')}"
        book.rows.append(_master_row(task, ts, e.district, e.shown, key))
        state = warning_of(task.deadline, task.status, as_of=as_of, soon_days=soon_days)
        if state:
            summary.warnings[state] = summary.warnings.get(state, 0) + 1
    summary.rows_merged = len(book.rows)


# ------------------------------------------------------------------ merge

def merge(inputs: Iterable[str | Path], output: str | Path, *, year: int | None = None,
          districts: dict[str, str] | None = None, registry: UnitRegistry | None = None,
          as_of: dt.date | None = None, soon_days: int = DEFAULT_SOON_DAYS,
          colours: dict | None = None, jobs: int | None = None,
          progress: Callable[[int, int, Path], None] | None = None, lang: str = "zh") -> MergeSummary:
    """Read every input (files and folders), write the master workbook to `output`.

    Raises OutputLocked when the master is open or being written by another merge,
    NothingToMerge when no input could be read.  Everything else is in the summary."""
    output = Path(output)
    inputs = list(inputs)
    if not inputs:
        raise NothingToMerge("no-inputs")
    if output.suffix.lower() != ".xlsx":
        raise MasterError("output-suffix", file=str(output))
    check_not_open(output)  # fail before the slow part, not after
    with output_lock(output):
        base = output.parent
        files, skipped = collect_inputs(inputs, output, lang)
        summary = MergeSummary(output, as_of=as_of)
        summary.files_skipped = [(str(p), r) for p, r in skipped]  # summary paths: as the user gave them
        reads = _read_all(files, year, districts, registry, jobs, progress)
        reads.sort(key=lambda r: str(r.path.resolve()))  # every sheet independent of input order

        book = MasterWorkbook(as_of=as_of, soon_days=soon_days, colours=colours, lang=lang, version=__version__)
        entries = []
        for read in reads:
            entries += _take_file(read, base, book, summary, lang)
        for path, reason in skipped:
            book.files.append(FileRecord(_display(path, base).as_posix(), "skipped", reason=reason))
        summary.rows_in = sum(r.rows_read or 0 for r in book.files)
        summary.rows_rejected = len(summary.rejected)
        if not summary.files_read:
            raise NothingToMerge("nothing-to-merge", summary, found=len(files) + len(skipped),
                                 failed=len(summary.files_failed), skipped=len(skipped))
        _add_rows(sorted(entries, key=lambda e: e.sort_key), book, summary, as_of or dt.date.today(), soon_days, lang)
        summary.issues = len(book.issues)
        # Row conservation: nothing read may vanish silently.
        if summary.rows_in != summary.rows_merged + summary.rows_rejected:
            raise RuntimeError(f"row conservation broken: {summary.rows_in} in, {summary.rows_merged} merged, "
                               f"{summary.rows_rejected} rejected")
        book.save(output)
    return summary
