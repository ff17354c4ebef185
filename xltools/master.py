"""The master workbook (汇总表): what a merge writes, with openpyxl.

Sheets: 汇总 (one row per task, MASTER_COLUMNS, live 预警 formulas and row colours),
统计 (live counts and a chart), 问题清单 (findings and rejected rows), 合并记录 (what was
read, with checksums).  Everything that came from a district file is written as text,
never as a formula, and the file is written atomically.
"""
from __future__ import annotations

import datetime as dt
import math
import os
import re
import shutil
import tempfile
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from . import schema
from .deadlines import DeadlineKind
from .errors import XltoolsError
from .i18n import t as _t
from .model import col_letter
from .warning import conditional_rules, warning_formula

__all__ = ["MasterWorkbook", "MasterRow", "IssueRow", "FileRecord", "MasterError", "OutputLocked",
           "output_lock", "put", "SHEET_MASTER", "SHEET_STATS", "SHEET_ISSUES", "SHEET_LOG"]

SHEET_MASTER, SHEET_STATS, SHEET_ISSUES, SHEET_LOG = "汇总", "统计", "问题清单", "合并记录"

class MasterError(XltoolsError):
    """The master workbook cannot be written."""


class OutputLocked(MasterError):
    """The output is open in Excel/WPS or another merge is writing it."""


# ------------------------------------------------------------------ rows handed to the writer

@dataclass
class MasterRow:
    values: dict[str, Any]                  # MASTER_COLUMNS key → value (str, int, date, None)
    kind: DeadlineKind | None = None        # decides the 预警 formula
    ongoing: bool = False
    source: Path | None = None              # file behind the 来源文件 hyperlink
    lead_units: tuple[str, ...] = ()


@dataclass
class IssueRow:
    file: str
    sheet: str | None
    cell: str | None
    severity: str
    code: str
    message: str
    suggestion: str


@dataclass
class FileRecord:
    path: str                               # as shown (relative to the master when possible)
    status: str                             # "merged" | "skipped" | "failed"
    district: str | None = None
    rows_read: int | None = None
    rows_merged: int | None = None
    rows_rejected: int | None = None
    size: int | None = None
    sha256: str | None = None
    modified: dt.datetime | None = None
    reason: str | None = None


# ------------------------------------------------------------------ cells

_FORMULA_START = ("=", "+", "-", "@")
_MAX_CELL = 32767
THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill(fill_type="solid", start_color="DDEBF7", end_color="DDEBF7")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")
LINK_FONT = Font(color="0563C1", underline="single")
DATE_FORMAT = "yyyy-mm-dd"
# Bars in 统计: traffic-light colours strong enough for a chart (the row fills are pale).
CHART_COLOURS = {"overdue": "C00000", "soon": "FFC000", "ok": "70AD47", "done": "A5A5A5", "ongoing": "5B9BD5"}


def put(ws: Worksheet, row: int, col: int, value: Any):
    """Write a value from outside (a district file): strings always as text.

    openpyxl turns any str starting with "=" into a formula; a district cell holding
    =HYPERLINK(…) or =cmd|… must stay inert text (formula/CSV injection), and the quote
    prefix keeps it text even when a clerk edits the cell later."""
    cell = ws.cell(row, col)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)[:_MAX_CELL]
        cell.value = value
        if value.startswith(_FORMULA_START):
            cell.data_type = "s"
            cell.quotePrefix = True
    else:
        cell.value = value
        if isinstance(value, (dt.date, dt.datetime)):
            cell.number_format = DATE_FORMAT if not isinstance(value, dt.datetime) else "yyyy-mm-dd hh:mm:ss"
    return cell


def _header(ws: Worksheet, row: int, texts: Iterable[str], widths: Iterable[int] | None = None) -> None:
    for c, text in enumerate(texts, start=1):
        cell = ws.cell(row, c, text)
        cell.font, cell.fill, cell.alignment, cell.border = HEADER_FONT, HEADER_FILL, HEADER_ALIGN, BORDER
    for c, w in enumerate(widths or (), start=1):
        ws.column_dimensions[col_letter(c - 1)].width = w


def _print_setup(ws: Worksheet, title_rows: str = "1:1") -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0           # as many pages tall as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5


def _quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


# ------------------------------------------------------------------ the workbook

@dataclass
class MasterWorkbook:
    """Collects rows, issues and file records; `save` writes the .xlsx atomically."""
    as_of: dt.date | None = None            # None: 预警 uses TODAY()
    soon_days: int = schema.DEFAULT_SOON_DAYS
    colours: dict | None = None
    lang: str = "zh"
    rows: list[MasterRow] = field(default_factory=list)
    issues: list[IssueRow] = field(default_factory=list)
    files: list[FileRecord] = field(default_factory=list)
    version: str = ""

    # column letters of the master sheet, from the schema (a class constant, not a field)
    COL = {c.key: col_letter(i) for i, c in enumerate(schema.MASTER_COLUMNS)}

    def build(self) -> Workbook:
        wb = Workbook()
        wb.remove(wb.active)
        self._master(wb.create_sheet(SHEET_MASTER))
        self._stats(wb.create_sheet(SHEET_STATS))
        self._issues(wb.create_sheet(SHEET_ISSUES))
        self._log(wb.create_sheet(SHEET_LOG))
        wb.calculation.fullCalcOnLoad = True  # no cached values: make every client compute
        return wb

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        if path.suffix.lower() != ".xlsx":
            raise MasterError("output-suffix", file=str(path))
        check_not_open(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_save(self.build(), path)
        return path

    # -------------------------------------------------------------- 汇总

    def _master(self, ws: Worksheet) -> None:
        cols = schema.MASTER_COLUMNS
        _header(ws, 1, [c.zh for c in cols], [c.width for c in cols])
        col_no = {c.key: i + 1 for i, c in enumerate(cols)}
        due_col, status_col = self.COL["due"], self.COL["status"]
        for r, row in enumerate(self.rows, start=2):
            for key, c in col_no.items():
                if key == "warning":
                    cell = ws.cell(r, c, warning_formula(r, due_col, status_col, kind=row.kind, ongoing=row.ongoing,
                                                         as_of=self.as_of, soon_days=self.soon_days))
                else:
                    cell = put(ws, r, c, row.values.get(key))
                cell.alignment, cell.border = WRAP, BORDER
            ws.row_dimensions[r].height = _row_height((row.values.get(c.key), c.width) for c in cols)
            if row.source is not None:
                link = ws.cell(r, col_no["source_file"])
                link.hyperlink = _link_target(row.source)
                link.font = LINK_FONT
        last_row = max(2, len(self.rows) + 1)
        last_col = col_letter(len(cols) - 1)
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{last_col}{last_row}"
        for _, rule in conditional_rules(self.COL["warning"], 2, self.colours):
            ws.conditional_formatting.add(f"A2:{last_col}{last_row}", rule)
        # A drop-down of the usual status words; other words (是, √ …) stay allowed.
        dv = DataValidation(type="list", formula1='"' + ",".join(schema.STATUS_VALUES) + '"', allow_blank=True,
                            showErrorMessage=False)
        dv.add(f"{status_col}2:{status_col}{max(last_row, 1000)}")
        ws.add_data_validation(dv)
        _print_setup(ws)
        # Print what a reader of the report needs (区县 … 预警); 来源/任务编号 stay on screen.
        ws.print_area = f"A1:{self.COL['warning']}{last_row}"

    # -------------------------------------------------------------- 统计

    def _stats(self, ws: Worksheet) -> None:
        lang, m = self.lang, _quoted(SHEET_MASTER)
        n = max(2, len(self.rows) + 1)
        rng = {k: f"{m}!${self.COL[k]}$2:${self.COL[k]}${n}" for k in ("district", "lead", "warning")}
        states = list(schema.WARNING_STATES)
        labels = [schema.WARNING_STATES[s] for s in states]
        head = [schema.DISTRICT.zh] + labels + [_t("h-unjudged", lang), _t("h-total", lang)]
        _header(ws, 1, head, [14] + [9] * (len(head) - 1))
        districts = sorted({str(r.values.get("district") or "") for r in self.rows})
        total_col = col_letter(len(head) - 1)
        for i, district in enumerate(districts, start=2):
            put(ws, i, 1, district)
            for j, label in enumerate(labels, start=2):
                ws.cell(i, j, f'=COUNTIFS({rng["district"]},$A{i},{rng["warning"]},"{label}")')
            ws.cell(i, len(head), f'=COUNTIFS({rng["district"]},$A{i})')
            # what 预警 left blank (no due date): total minus every state
            ws.cell(i, len(head) - 1, f"={total_col}{i}-SUM(B{i}:{col_letter(len(labels))}{i})")
        total_row = len(districts) + 2
        ws.cell(total_row, 1, _t("h-total", lang)).font = HEADER_FONT
        for j in range(2, len(head) + 1):
            letter = col_letter(j - 1)
            ws.cell(total_row, j, f"=SUM({letter}2:{letter}{total_row - 1})" if districts else 0).font = HEADER_FONT
        for row in ws.iter_rows(min_row=2, max_row=total_row, max_col=len(head)):
            for cell in row:
                cell.border = BORDER

        if districts:
            chart = BarChart()
            chart.type, chart.grouping, chart.overlap = "col", "stacked", 100
            chart.title = _t("chart-title", lang)
            chart.height, chart.width = 7.5, 16
            data = Reference(ws, min_col=2, max_col=len(labels) + 1, min_row=1, max_row=total_row - 1)
            chart.add_data(data, titles_from_data=True)
            chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=total_row - 1))
            for series, state in zip(chart.series, states):
                series.graphicalProperties.solidFill = CHART_COLOURS[state]
                series.graphicalProperties.line.solidFill = CHART_COLOURS[state]
            chart.x_axis.delete = chart.y_axis.delete = False  # openpyxl ≥ 3.1 hides axes by default
            ws.add_chart(chart, f"{col_letter(len(head) + 1)}2")

        # Overdue by lead unit: a row may name several leads joined by 、 — match whole names.
        top = total_row + 3
        _header(ws, top, [_t("h-lead", lang), _t("h-tasks", lang), labels[0], labels[1]])
        ws.column_dimensions["A"].width = 30
        counts: dict[str, int] = {}
        for r in self.rows:
            for unit in r.lead_units:
                counts[unit] = counts.get(unit, 0) + 1
        for i, unit in enumerate(sorted(counts, key=lambda u: (-counts[u], u)), start=top + 1):
            put(ws, i, 1, unit).border = BORDER
            match = f'ISNUMBER(FIND("、"&$A{i}&"、","、"&{rng["lead"]}&"、"))'
            ws.cell(i, 2, f"=SUMPRODUCT({match}*1)").border = BORDER
            for j, state in ((3, "overdue"), (4, "soon")):
                label = schema.WARNING_STATES[state]
                ws.cell(i, j, f'=SUMPRODUCT({match}*({rng["warning"]}="{label}"))').border = BORDER
        ws.freeze_panes = "B2"
        _print_setup(ws, title_rows=None)

    # -------------------------------------------------------------- 问题清单

    def _issues(self, ws: Worksheet) -> None:
        lang = self.lang
        keys = ("h-file", "h-sheet", "h-cell", "h-severity", "h-code", "h-message", "h-suggestion")
        widths = (30, 12, 8, 8, 20, 50, 40)
        _header(ws, 1, [_t(k, lang) for k in keys], widths)
        for r, issue in enumerate(self.issues, start=2):
            values = (issue.file, issue.sheet, issue.cell, _t(f"severity-{issue.severity}", lang), issue.code,
                      issue.message, issue.suggestion)
            for c, v in enumerate(values, start=1):
                cell = put(ws, r, c, v)
                cell.alignment, cell.border = WRAP, BORDER
            ws.row_dimensions[r].height = _row_height(zip(values, widths))
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:G{max(2, len(self.issues) + 1)}"
        _print_setup(ws)

    # -------------------------------------------------------------- 合并记录

    def _log(self, ws: Worksheet) -> None:
        lang = self.lang
        # as text: a date in the narrow 区县 column below would print as ###
        meta = [(_t("h-merged-at", lang), dt.datetime.now().isoformat(" ", "seconds")),
                (_t("h-as-of", lang), self.as_of.isoformat() if self.as_of else _t("as-of-today", lang)),
                (_t("h-soon-days", lang), self.soon_days),
                (_t("h-version", lang), self.version)]
        for r, (k, v) in enumerate(meta, start=1):
            ws.cell(r, 1, k).font = HEADER_FONT
            put(ws, r, 2, v).alignment = Alignment(horizontal="left")
        top = len(meta) + 2
        keys = ("h-file", "h-district", "h-status", "h-rows-read", "h-rows-merged", "h-rows-rejected", "h-size",
                "h-sha256", "h-modified", "h-reason")
        widths = (40, 10, 10, 10, 10, 10, 12, 66, 20, 50)
        _header(ws, top, [_t(k, lang) for k in keys], widths)
        for r, f in enumerate(self.files, start=top + 1):
            values = (f.path, f.district, _t(f"file-{f.status}", lang), f.rows_read, f.rows_merged, f.rows_rejected,
                      f.size, f.sha256, f.modified, f.reason)
            for c, v in enumerate(values, start=1):
                cell = put(ws, r, c, v)
                cell.alignment, cell.border = WRAP, BORDER
            ws.row_dimensions[r].height = _row_height(zip(values, widths))
        ws.freeze_panes = ws.cell(top + 1, 1).coordinate
        ws.auto_filter.ref = f"A{top}:J{max(top + 1, top + len(self.files))}"
        _print_setup(ws, title_rows=f"{top}:{top}")


def _text_width(text: str) -> float:
    """Width in Excel column units: a CJK character is about two digits wide."""
    return sum(2.0 if unicodedata.east_asian_width(ch) in "WF" else 1.0 for ch in text)


def _row_height(cells: Iterable[tuple[Any, float]]) -> float:
    """Row height (points) that shows every wrapped line of (value, column width) pairs.
    Neither Excel nor LibreOffice reliably fits rows on open, and a one-line row hides
    most of a requirement."""
    lines = 1
    for v, width in cells:
        if isinstance(v, str) and v:
            usable = max(width - 1, 1)
            lines = max(lines, sum(max(1, math.ceil(_text_width(part) / usable)) for part in v.split("\n")))
    return min(409, 15 * lines + 3)  # 409 pt is Excel's maximum row height


def _link_target(source: Path) -> str:
    """The source file as a hyperlink target.  Relative targets are resolved by Excel
    against the master's folder, so keep them relative (the folder can be moved)."""
    return source.as_posix() if not source.is_absolute() else source.as_uri()


def atomic_save(wb: Workbook, path: Path) -> None:
    """Write beside the target and rename: a crash never leaves half a workbook, and a
    reader sees either the old or the new file.  The temp name is hidden (".~"), so a
    merge scanning the folder meanwhile skips it."""
    fd, tmp = tempfile.mkstemp(prefix=".~xltools-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask())
        os.replace(tmp, path)
    except PermissionError as exc:  # Windows: the target is open in Excel
        Path(tmp).unlink(missing_ok=True)
        raise OutputLocked("output-not-writable", file=str(path), reason=exc.strerror or str(exc)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# ------------------------------------------------------------------ locks

def check_not_open(path: Path) -> None:
    """Excel and WPS leave ~$<name> beside an open workbook, LibreOffice .~lock.<name>#:
    replacing the file under them would lose the clerk's edits."""
    for lock in (path.with_name("~$" + path.name), path.with_name(f".~lock.{path.name}#")):
        if lock.exists():
            raise OutputLocked("output-open", file=str(path), lock=lock.name)


@contextmanager
def output_lock(path: str | Path) -> Iterator[Path]:
    """Hold <output>.lock (created exclusively) for the whole merge: two merges into the
    same master must not interleave."""
    path = Path(path)
    lock = path.with_name(path.name + ".lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        raise OutputLocked("output-busy", file=str(path), lock=lock.name) from None
    except OSError as exc:
        raise OutputLocked("output-not-writable", file=str(path), reason=exc.strerror or str(exc)) from None
    try:
        os.write(fd, f"{os.getpid()}\n".encode())
    finally:
        os.close(fd)
    try:
        yield lock
    finally:
        lock.unlink(missing_ok=True)


# ------------------------------------------------------------------ flag: warnings in a district's own sheet

@dataclass
class FlagResult:
    file: Path
    backup: Path
    sheets: list[tuple[str, int]]           # (sheet name, tasks flagged)


def flag_file(path: str | Path, *, sheet: str | None = None, year: int | None = None,
              as_of: dt.date | None = None, soon_days: int = schema.DEFAULT_SOON_DAYS,
              colours: dict | None = None, registry=None) -> FlagResult:
    """Add 截止日期 and 预警 columns and the warning colours to the task table(s) of an
    existing workbook, in place, keeping its formatting.  Running it again updates the
    same two columns (idempotent).  The original is copied to <name>.<time>.bak first
    (a .bak name, so a later merge of the folder does not read it twice)."""
    from openpyxl import load_workbook

    from .reader import read_plan

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm"):
        raise MasterError("flag-unsupported", file=str(path))
    if not path.exists():
        raise MasterError("flag-not-found", file=str(path))
    check_not_open(path)
    plan = read_plan(path, sheet, year=year, registry=registry)
    tables = [ts for ts in plan.sheets if ts.layout == "table" and ts.header_row and ts.tasks]
    if not tables:
        raise MasterError("flag-no-table", file=str(path))
    try:
        wb = load_workbook(path, keep_vba=suffix == ".xlsm", rich_text=True)
    except Exception as exc:  # openpyxl raises many types for files it cannot take apart
        raise MasterError("flag-unreadable", file=str(path), reason=str(exc)[:120]) from None
    flagged = [(ts.sheet, _flag_sheet(wb[ts.sheet], ts, as_of, soon_days, colours)) for ts in tables]

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    backup, n = path.with_name(f"{path.name}.{stamp}.bak"), 1
    while backup.exists():  # two runs within a second must not overwrite the older backup
        n += 1
        backup = path.with_name(f"{path.name}.{stamp}-{n}.bak")
    shutil.copy2(path, backup)
    atomic_save(wb, path)
    return FlagResult(path, backup, flagged)


def _flag_sheet(ws: Worksheet, ts, as_of, soon_days, colours) -> int:
    from copy import copy

    from openpyxl.utils import column_index_from_string

    h = ts.header_row
    rows = [r for task in ts.tasks for r in (task.rows or [task.row])]
    first, last = min(t.row for t in ts.tasks), max(rows)
    # Reuse our columns when a previous run added them; otherwise append after the table.
    found = {schema.normalize_header(ws.cell(h, c).value): c for c in range(1, ws.max_column + 1)
             if ws.cell(h, c).value not in (None, "")}
    used = max([column_index_from_string(L) for L in ts.columns.values()] +
               [c for c in range(1, ws.max_column + 1)
                if any(ws.cell(r, c).value not in (None, "") for r in range(h, last + 1))])
    due_c = found.get(schema.DUE.zh) or used + 1
    warn_c = found.get(schema.WARNING.zh) or max(used, due_c) + 1
    due_L, warn_L = col_letter(due_c - 1), col_letter(warn_c - 1)
    left = ws.cell(h, used)
    deadline_c = column_index_from_string(ts.columns.get("deadline", col_letter(used - 1)))
    for c, col in ((due_c, schema.DUE), (warn_c, schema.WARNING)):
        cell = ws.cell(h, c, col.zh)
        if left.has_style:
            cell._style = copy(left._style)
        ws.column_dimensions[col_letter(c - 1)].width = col.width
    status_L = ts.columns.get("status")
    for task in ts.tasks:
        r = task.row
        d = task.deadline
        due = d.due if d and d.kind not in (DeadlineKind.ONGOING, DeadlineKind.RECURRING) else None
        model = ws.cell(r, deadline_c)
        for c, value in ((due_c, due),
                         (warn_c, warning_formula(r, due_L, status_L, kind=d.kind if d else None,
                                                  ongoing=bool(d and d.ongoing), as_of=as_of,
                                                  soon_days=soon_days))):
            cell = ws.cell(r, c)
            cell.value = value
            if model.has_style:
                cell._style = copy(model._style)
            # the deadline cell may be formatted as text ("@"): dates and formulas need their own
            cell.number_format = DATE_FORMAT if c == due_c else "General"
    # Replace our earlier rules (same formulas), keep everyone else's.
    ours = re.compile(r'^\$[A-Z]{1,3}\d+="(?:%s)"$' % "|".join(schema.WARNING_STATES.values()))
    for cf in list(ws.conditional_formatting):
        kept = [rule for rule in cf.rules if not (rule.formula and ours.match(rule.formula[0]))]
        if kept:
            ws.conditional_formatting._cf_rules[cf] = kept
        else:
            del ws.conditional_formatting._cf_rules[cf]
    right = col_letter(max(due_c, warn_c) - 1)
    for _, rule in conditional_rules(warn_L, first, colours):
        ws.conditional_formatting.add(f"A{first}:{right}{last}", rule)
    if ws.auto_filter.ref:
        ws.auto_filter.ref = f"A{h}:{right}{last}"
    return len(ts.tasks)
