"""`xltools flag`: 截止日期 and 预警 columns with the warning colours, added in place to a
district's own task sheet, keeping its formatting (and its macros)."""
from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from openpyxl.worksheet.worksheet import Worksheet

from xltools import schema
from xltools.errors import Words
from xltools.findings import Finding, task_named
from xltools.write.cells import DATE_FORMAT, formula_rule
from xltools.write import versions
from xltools.write.drawings import carry_drawings
from xltools.write.files import editing
from xltools.texts import t
from xltools.write.master import AS_OF_LABELS, SHEET_LOG, MasterError, as_of_label, as_of_words
from xltools.write.templates import workbook_bytes
from xltools.model import col_letter
from xltools.rules.deadlines import MISSING
from xltools.rules.warning import WARNING_WORDS, due_cell, row_colours, warning_formula


class NothingToFlag(MasterError):
    """The table has no 完成时限 column (and no task names a deadline): the file is left alone."""

    exit_code = 1


@dataclass
class FlagResult:
    file: Path
    backup: Path | None                     # None: nothing changed, the file was left alone
    sheets: list[tuple[str, int]]           # (sheet name, tasks flagged)
    # cells of 截止日期 or 预警 holding what a person typed there, kept as typed (flag-kept-…)
    kept: list[Finding] = field(default_factory=list)
    drawings: list[Finding] = field(default_factory=list)   # drawn objects the save could not keep
    renewed: set[str] = field(default_factory=set)          # sheets whose two columns were there already
    as_of: dt.date | None = None                            # the day fixed (None: the day the file is opened)

    def message(self, lang: str = "zh") -> str:
        """What the command says (CLI, page): each sheet, and the day its warnings are judged as of."""
        name = str(self.file)
        lines = [t("cli-flag-unchanged", lang, file=name, sheet=s, rows=n) if not self.changed else
                 t("cli-flag-renewed" if s in self.renewed else "cli-flag-done", lang, file=name, sheet=s, rows=n,
                   backup=self.backup.name) for s, n in self.sheets]
        if self.changed:
            lines.append(t("cli-flag-fixed-day", lang, day=self.as_of.isoformat()) if self.as_of else
                         t("cli-flag-today", lang))
        return "\n".join(lines)

    @property
    def changed(self) -> bool:
        return self.backup is not None

    @property
    def problems(self) -> bool:
        """Some row was left without its warning (text typed where flag writes), or a
        drawn object could not be kept."""
        return any(f.severity != "info" for f in self.kept + self.drawings)


def flag_file(path: str | Path, *, sheet: str | None = None, year: int | None = None,
              as_of: dt.date | None = None, soon_days: int = schema.DEFAULT_SOON_DAYS,
              colours: dict | None = None, registry=None) -> FlagResult:
    """Add 截止日期 and 预警 columns and the warning colours to the task table(s) of an
    existing workbook, in place, keeping its formatting.  Running it again updates the
    same two columns (idempotent); when that changes nothing the file is not touched
    and no backup made.  Otherwise the original is copied to <name>.<time>.bak first
    (a .bak name, so a later merge of the folder does not read it twice)."""
    from openpyxl import load_workbook

    from xltools.read import read_plan

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm"):
        raise MasterError("flag-unsupported", file=str(path))
    if not path.exists():
        raise MasterError("flag-not-found", file=str(path))
    with editing(path) as held:   # the lock every writer takes; the file as read, to replace only that
        plan = read_plan(path, sheet, year=year, registry=registry)
        tables = [ts for ts in plan.sheets if ts.layout == "table" and ts.header_row and ts.tasks]
        if not tables:
            raise MasterError("flag-no-table", file=str(path))
        tables = [ts for ts in tables if "deadline" in ts.columns or any(
            task.deadline and task.deadline.problem != MISSING for task in ts.tasks)]
        if not tables:   # empty 截止日期 cells and blank warnings would only look as if it worked
            raise NothingToFlag("flag-no-deadline", file=str(path))
        original = path.read_bytes()       # its drawn shapes, which openpyxl drops, are carried from it
        try:
            wb = load_workbook(io.BytesIO(original), keep_vba=suffix == ".xlsm", rich_text=True)
        except Exception:  # openpyxl raises many types (raw XML parser messages) for files it cannot take apart
            raise MasterError("flag-unreadable", file=str(path)) from None
        flagged, changed, kept, renewed = [], False, [], set()
        for ts in tables:
            ws = wb[ts.sheet]
            cols = flag_columns(ts, lambda r, c: ws.cell(r, c).value, ws.max_column)
            if (ws.cell(cols.header, cols.due).value, ws.cell(cols.header, cols.warning).value) == \
                    (schema.DUE.zh, schema.WARNING.zh):
                renewed.add(ts.sheet)
            before = _state(ws, cols)
            kept += _flag_sheet(ws, ts, cols, as_of, soon_days, colours, str(path))
            changed = changed or _state(ws, cols) != before
            flagged.append((ts.sheet, len(ts.tasks)))
        if not changed:
            return FlagResult(path, None, flagged, kept, renewed=renewed, as_of=as_of)
        _say_as_of(wb, as_of, soon_days)
        backup = _backup_name(path)
        try:
            shutil.copy2(path, backup)
        except OSError:  # a read-only folder: the file is not changed without its backup
            with suppress(OSError):
                backup.unlink(missing_ok=True)
            raise MasterError("flag-backup-failed", file=str(path), folder=str(path.parent)) from None
        with versions.operation("flag"):
            versions.describe(tasks=sum(n for _, n in flagged))
            data, lost = carry_drawings(original, workbook_bytes(wb))
            held.replace(lambda temp: Path(temp).write_bytes(data))
    return FlagResult(path, backup, flagged, kept, [x.finding(str(path)) for x in lost], renewed, as_of)


def _say_as_of(wb, as_of: dt.date | None, soon_days: int) -> None:
    """Where a master says what its warnings are judged by (合并记录's 预警基准日 and 临期天数,
    every page's header), it says it again as the formulas now do: a day fixed by --as-of
    is printed as that day, never as TODAY()."""
    labels = AS_OF_LABELS
    soon = {t("h-soon-days", lang) for lang in ("zh", "en")}
    if SHEET_LOG in wb.sheetnames:
        ws = wb[SHEET_LOG]
        for r in range(1, min(ws.max_row, 10) + 1):
            label = str(ws.cell(r, 1).value or "").strip()
            if label in labels:
                ws.cell(r, 2).value = as_of_words(as_of, labels[label])
            elif label in soon:
                ws.cell(r, 2).value = soon_days
    for ws in wb.worksheets:
        for part in (ws.oddHeader.right, ws.evenHeader.right, ws.firstHeader.right):
            lang = next((lang for label, lang in labels.items() if part.text and part.text.startswith(label)), None)
            if lang:
                part.text = as_of_label(as_of, lang).replace("&", "&&")


def _backup_name(path: Path) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    backup, n = path.with_name(f"{path.name}.{stamp}.bak"), 1
    while backup.exists():  # two runs within a second must not overwrite the older backup
        n += 1
        backup = path.with_name(f"{path.name}.{stamp}-{n}.bak")
    return backup


@dataclass(frozen=True)
class FlagColumns:
    """Where 截止日期 and 预警 go on one sheet, and the rows and columns the colouring covers
    (1-based rows and columns, as Excel shows them).  The one rule of `xltools flag` (over the
    openpyxl sheet) and of the ribbon's 标记逾期 (over the open sheet's Grid): see `flag_columns`."""
    header: int            # header row
    first: int             # first task row
    last: int              # last row of the table
    due: int               # 截止日期 column
    warning: int           # 预警 column
    right: int             # last column coloured: the table's own, or ours if further right
    deadline: int          # 完成时限 column: the look the new cells copy
    table_right: int = 0   # the table's last column before ours were added
    repeated: tuple[int, ...] = ()   # the header repeated at page breaks inside the table (rows)

    @property
    def due_letter(self) -> str:
        return col_letter(self.due - 1)

    @property
    def warning_letter(self) -> str:
        return col_letter(self.warning - 1)


def flag_columns(ts, value: Callable[[int, int], Any], width: int) -> FlagColumns:
    """Reuse our columns when a previous run (or a merge) added them; otherwise append
    them right after the last column the table uses (a column it reads, or any value from
    the header row down to its last task row).  `value(row, column)`: the sheet's cell
    (1-based), None or "" when empty; `width`: the sheet's last column."""
    from openpyxl.utils import column_index_from_string

    h = ts.header_row
    rows = [r for task in ts.tasks for r in (task.rows or [task.row])]
    last = max(rows + [h + 1])
    found = {schema.normalize_header(v): c for c in range(1, width + 1) if (v := value(h, c)) not in (None, "")}
    used = max([column_index_from_string(L) for L in ts.columns.values()] +
               [c for c in range(1, width + 1) if any(value(r, c) not in (None, "") for r in range(h, last + 1))])
    due = found.get(schema.DUE.zh) or used + 1
    warning = found.get(schema.WARNING.zh) or max(used, due) + 1
    deadline = column_index_from_string(ts.columns.get("deadline", col_letter(used - 1)))
    return FlagColumns(h, min((t.row for t in ts.tasks), default=h + 1), last, due, warning,
                       max(used, due, warning), deadline, used, repeated_headers(ts))


def repeated_headers(ts) -> tuple[int, ...]:
    """The rows where a sheet's header is repeated inside its table (at a page break):
    flag (and 标记逾期) name 截止日期 and 预警 there too, so each printed page has them."""
    return tuple(sorted(r for f in ts.findings if f.code == "repeated-header" and (r := f.params.get("row"))
                        and r > ts.header_row))


def _flag_sheet(ws: Worksheet, ts, cols: FlagColumns, as_of, soon_days, colours, file: str) -> list[Finding]:
    _write_headers(ws, cols)
    kept = _write_tasks(ws, ts, cols, as_of, soon_days, file)
    _replace_rules(ws, cols, colours)
    if ws.auto_filter.ref:
        ws.auto_filter.ref = f"A{cols.header}:{col_letter(cols.right - 1)}{cols.last}"
    _print_with_table(ws, cols)
    return kept


def print_area_with(area: str | None, cols: FlagColumns) -> list[str] | None:
    """A sheet's print area (as Excel, openpyxl or xlwings give it: "'表'!$A$1:$H$30,…")
    widened so that 截止日期 and 预警 print with the table: each range over the table's rows
    that reaches the column before ours (or one of ours) is extended to the last of ours.
    A range that stops short of that (someone prints only part of the table) is left as it
    is.  The ranges, absolute and without the sheet's name; None when nothing changes."""
    ranges = _area_ranges(area)
    low, high = min(cols.due, cols.warning), max(cols.due, cols.warning)
    out, changed = [], False
    for c0, r0, c1, r1 in ranges:
        if c0 is not None and (r0 or 1) <= cols.last and (r1 is None or r1 >= cols.header) \
                and c0 <= low - 1 <= c1 < high:
            c1, changed = high, True
        out.append(_range_text(c0, r0, c1, r1))
    return out if changed else None


def _area_ranges(area: str | None) -> list[tuple]:
    """(first column, first row, last column, last row) of each range of a print area; None
    where the range takes whole rows or whole columns."""
    from openpyxl.utils.cell import range_boundaries

    if not area:
        return []
    bare = re.sub(r"'(?:[^']|'')*'!", "", area)       # a quoted sheet name may hold commas
    return [range_boundaries(part.split("!")[-1].strip()) for part in bare.split(",") if part.strip()]


def _range_text(c0, r0, c1, r1) -> str:
    def ref(c, r):
        return (f"${col_letter(c - 1)}" if c is not None else "") + (f"${r}" if r is not None else "")
    return f"{ref(c0, r0)}:{ref(c1, r1)}"


def _print_with_table(ws: Worksheet, cols: FlagColumns) -> None:
    """The two columns print on the table's pages, not on a page of their own: a print area
    is widened to them (`print_area_with`).  A sheet set to print a number of pages wide
    keeps its setting (ours are inside those pages).  Otherwise, when ours would start a
    page across that the table alone did not need, the sheet is set to print as many pages
    wide as the table alone did (mostly one: fit to width), as many pages down as it takes."""
    from openpyxl.worksheet.properties import PageSetupProperties

    from xltools.write.printing import pages_across

    widened = print_area_with(ws.print_area, cols)
    if widened:
        ws.print_area = widened
    props, setup = ws.sheet_properties.pageSetUpPr, ws.page_setup
    fitted = bool(props is not None and props.fitToPage)
    if fitted and setup.fitToWidth != 0:       # none written: 1, Excel's default
        return
    ours = {cols.due, cols.warning}
    if ws.print_area:
        spans = [range(c0, c1 + 1) for c0, _, c1, _ in _area_ranges(ws.print_area)
                 if c0 is not None and ours <= set(range(c0, c1 + 1))]
        if not spans:                          # the print area leaves ours out (or takes whole rows)
            return
        printed = spans[0]
    else:
        printed = range(1, cols.right + 1)
    alone = pages_across(ws, [c for c in printed if c not in ours])
    if pages_across(ws, printed) > alone:
        if props is None:
            props = ws.sheet_properties.pageSetUpPr = PageSetupProperties()
        props.fitToPage = True
        setup.fitToWidth = alone
        if not fitted:
            setup.fitToHeight = 0


def _write_headers(ws: Worksheet, cols: FlagColumns) -> None:
    """The two headings on the header row and on every copy of it at a page break; a
    title merged across the table's width above it widened to the new columns."""
    from copy import copy

    for row in (cols.header, *cols.repeated):
        left = ws.cell(row, cols.table_right or cols.right)
        for c, col in ((cols.due, schema.DUE), (cols.warning, schema.WARNING)):
            cell = ws.cell(row, c)
            # the header row is ours to name; a copy of it only where the cell is empty
            if cell.value != col.zh if row == cols.header else cell.value in (None, ""):
                cell.value = col.zh
                if left.has_style:
                    cell._style = copy(left._style)
    for c, col in ((cols.due, schema.DUE), (cols.warning, schema.WARNING)):
        ws.column_dimensions[col_letter(c - 1)].width = col.width
    for merged in list(ws.merged_cells.ranges):
        if merged.max_row < cols.header and merged.min_col == 1 and merged.max_col == cols.table_right < cols.right \
                and all(ws.cell(r, c).value in (None, "") for r in range(merged.min_row, merged.max_row + 1)
                        for c in range(merged.max_col + 1, cols.right + 1)):
            ws.merged_cells.remove(merged)
            ws.merge_cells(start_row=merged.min_row, start_column=1, end_row=merged.max_row, end_column=cols.right)


def _write_tasks(ws: Worksheet, ts, cols: FlagColumns, as_of, soon_days, file: str) -> list[Finding]:
    """Each task's 截止日期 and 预警 cells, but for a cell holding what a person typed (see
    `typed_over`): kept as typed, and said."""
    from copy import copy

    status = ts.columns.get("status")
    kept = []
    for task in ts.tasks:
        r, d = task.row, task.deadline
        model = ws.cell(r, cols.deadline)
        formula = warning_formula(r, cols.due_letter, status, kind=d.kind if d else None,
                                  ongoing=bool(d and d.ongoing), as_of=as_of, soon_days=soon_days)
        for c, value in ((cols.due, due_cell(d)), (cols.warning, formula)):
            cell = ws.cell(r, c)
            said = typed_over(cell.value, value, file, ws.title, cell.coordinate, task)
            if said is not None:
                kept.append(said)
                continue
            cell.value = value
            if model.has_style:
                cell._style = copy(model._style)
            # the deadline cell may be formatted as text ("@"): dates and formulas need their own
            cell.number_format = DATE_FORMAT if c == cols.due else "General"
    return kept


# 预警 formulas flag (and merge) write: each names the warning words in quotes
_OUR_FORMULA = re.compile("|".join(re.escape(f'"{w}"') for w in WARNING_WORDS.values()))


def typed_over(value, ours, file: str, sheet: str, cell: str, task) -> Finding | None:
    """Does a 截止日期 or 预警 cell hold what a person typed, which flag (and the ribbon's
    标记逾期) must not overwrite?  None: the cell is empty or holds what flag writes there (a
    预警 formula of ours, or a word it shows when only values are known; the date 完成时限
    gives), so it may be (re)written.  Else the finding that says the cell was kept:
    flag-kept-date for a date (or number) typed in 截止日期 other than that one, which the
    预警 formula reads; flag-kept-text for anything else (已督办，延期至12月)."""
    if value is None or isinstance(value, str) and not value.strip():
        return None
    if isinstance(ours, str):             # the 预警 cell
        if isinstance(value, str) and (value.startswith("=") and _OUR_FORMULA.search(value)
                                       or value.strip() in WARNING_WORDS.values()):
            return None
    elif isinstance(value, (dt.date, int, float)) and not isinstance(value, bool):
        day = value.date() if isinstance(value, dt.datetime) else value
        if day == ours:
            return None
        due = ours.isoformat() if ours else Words("flag-due-none")
        return Finding("flag-kept-date", file, sheet, cell, str(day),
                       {"deadline": task.deadline_raw or "", "due": due})
    header = schema.WARNING.zh if isinstance(ours, str) else schema.DUE.zh
    return Finding("flag-kept-text", file, sheet, cell, str(value),
                   {"column": header, "task": task_named(task.seq, task.row)})


_OURS = re.compile(r'^\$[A-Z]{1,3}\d+="(?:%s)"$' % "|".join(schema.WARNING_STATES.values()))


def _replace_rules(ws: Worksheet, cols: FlagColumns, colours) -> None:
    """Replace our earlier rules (same formulas), keep everyone else's."""
    for cf in list(ws.conditional_formatting):
        kept = [rule for rule in cf.rules if not (rule.formula and _OURS.match(rule.formula[0]))]
        if kept:
            ws.conditional_formatting._cf_rules[cf] = kept
        else:
            del ws.conditional_formatting._cf_rules[cf]
    target = f"A{cols.first}:{col_letter(cols.right - 1)}{cols.last}"
    for colour in row_colours(cols.warning_letter, cols.first, colours):
        ws.conditional_formatting.add(target, formula_rule(colour))


def _state(ws: Worksheet, cols: FlagColumns) -> tuple:
    """What flagging writes, as comparable values: the two columns, the rules, the filter,
    the print setup that keeps them on the table's pages."""
    def value(v):
        return v.date() if isinstance(v, dt.datetime) else v

    def look(cell):  # the format of an empty cell shows nothing
        return (value(cell.value), cell.number_format if cell.value is not None else None)

    cells = tuple(look(ws.cell(r, c)) for r in range(cols.header, cols.last + 1) for c in (cols.due, cols.warning))
    rules = tuple(sorted((str(cf.sqref), tuple(_rule_state(rule) for rule in cf.rules))
                         for cf in ws.conditional_formatting))
    props = ws.sheet_properties.pageSetUpPr
    printing = (ws.print_area, props is not None and props.fitToPage, ws.page_setup.fitToWidth,
                ws.page_setup.fitToHeight)
    return cells, rules, ws.auto_filter.ref, printing


def _rule_state(rule) -> tuple:
    dxf = rule.dxf
    fill = dxf.fill.bgColor.rgb if dxf is not None and dxf.fill is not None and dxf.fill.bgColor is not None else None
    font = dxf.font.color.rgb if dxf is not None and dxf.font is not None and dxf.font.color is not None else None
    return rule.type, tuple(rule.formula or ()), bool(rule.stopIfTrue), str(fill)[-6:], str(font)[-6:]
