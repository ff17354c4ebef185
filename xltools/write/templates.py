"""Standard workbooks built from the column schema: the annual plan (任务分解表) and a
unit's progress return (进展报送模板).

Both carry dropdowns that Excel, WPS and LibreOffice enforce, a plain-Chinese 填表说明
sheet, a hidden 单位名录 sheet behind a workbook-level defined name (an inline list of
~100 units would pass Excel's 255-character limit and make Excel repair the file), and
sheet protection without a password that guards only what the tool itself fills in.

`write_rows` fills task rows into either sheet (new-plan now, split later), and
`save_workbook` writes any workbook atomically and, for the committed templates,
byte-for-byte reproducibly.
"""
from __future__ import annotations

import datetime as dt
import functools
import io
from copy import copy
import os
import threading
import weakref
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.styles.cell_style import StyleArray
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from xltools import schema
from xltools.rules.text import row_height, wrapped_lines
from xltools.write import printing
from xltools.write.cells import DATE_FORMAT, put
from xltools.write.files import atomic_write
from xltools.schema import Column
from xltools.rules.units import UnitRegistry

__all__ = ["plan_template", "progress_template", "write_rows", "save_workbook", "plan_title", "simple_table",
           "SheetLayout", "PLAN_LAYOUT", "PROGRESS_LAYOUT", "REPORT_UNIT_CELL", "REPORT_DATE_CELL",
           "DEADLINE_EXAMPLES", "PLAN_SHEET", "PROGRESS_SHEET", "GUIDE_SHEET", "LIST_SHEET",
           "LIST_NAME", "FIXED_TIME", "SENT_SHEET", "SENT_FIELDS", "sent_sheet", "heading_row", "plan_layout",
           "own_column_key", "own_header", "progress_layout", "reference_key"]

# ---------------------------------------------------------------- words

from xltools.texts import DOC_LANG, t as _t  # noqa: E402  every word lives in i18n.TEXTS


# ---------------------------------------------------------------- layout

PLAN_SHEET, PROGRESS_SHEET = "任务分解表", "进展报送"
GUIDE_SHEET, LIST_SHEET = "填表说明", "单位名录"
SENT_SHEET = "下发底稿"                # hidden in a return: what it was sent out with (collect compares)
# leads_sent: every unit the task went to as a lead (a collective lead by its members), one a line:
# collect completes the task when all of them have said so.  Fields are added last: a return
# made before one was kept reads as sent without it.
SENT_FIELDS = ("key", "district", "seq", "requirement", "role", "via", "status", "progress", "done_date",
               "leads_sent", "deadline")
LIST_NAME = "单位列表"                 # workbook-scoped defined name behind the unit dropdowns
FIXED_TIME = dt.datetime(2024, 1, 1)   # committed templates: regenerating changes no byte
DATA_LAST_ROW = 1000                  # rows that get dropdowns and unlocked cells
_DATE_2000 = 36526                    # Excel serial of 2000-01-01
REPORT_UNIT_CELL, REPORT_DATE_CELL = "C2", "F2"   # a return's 报送单位 and 报送日期 (split fills the unit)


@dataclass(frozen=True)
class SheetLayout:
    """Where a task sheet of ours keeps what: `write_rows` and readers of our own files
    use this instead of counting rows and columns again."""
    sheet: str
    columns: tuple[Column, ...]
    header_row: int
    editable: frozenset[str]            # column keys the user fills (unlocked)

    @property
    def first_row(self) -> int:
        return self.header_row + 1

    def col(self, key: str) -> int:
        """1-based column number of a schema key."""
        return next(i for i, c in enumerate(self.columns, 1) if c.key == key)

    def letter(self, key: str) -> str:
        return get_column_letter(self.col(key))


# The plan: every task column of the schema except the single 责任单位 column (our own
# plans split it into 牵头单位 and 配合单位).
_PLAN_COLUMNS = tuple(c for c in schema.TASK_COLUMNS if c is not schema.UNITS)
PLAN_LAYOUT = SheetLayout(PLAN_SHEET, _PLAN_COLUMNS, 2,
                          frozenset(c.key for c in _PLAN_COLUMNS if c is not schema.TASK_KEY))
_OWN = "own:"          # the key of a district's own column (备注) in a plan: _OWN + its header
_OWN_WIDTH = 20


def own_column_key(header: str) -> str:
    """The column key of a plan's own column of the district's (备注), as `write_rows` takes it."""
    return _OWN + header


def own_header(key: Any) -> str | None:
    """The header of an own column's key (own_column_key's inverse); None for a key of ours."""
    return key[len(_OWN):] if isinstance(key, str) and key.startswith(_OWN) else None


def plan_layout(own_columns: Iterable[str] = ()) -> SheetLayout:
    """The plan's layout with the district's own columns (备注 …, headers as written) after
    the template's: the user fills them as any other (new-plan carries them over)."""
    own = tuple(Column(own_column_key(h), h, h, (), _OWN_WIDTH) for h in dict.fromkeys(own_columns))
    if not own:
        return PLAN_LAYOUT
    return SheetLayout(PLAN_SHEET, PLAN_LAYOUT.columns + own, PLAN_LAYOUT.header_row,
                       PLAN_LAYOUT.editable | {c.key for c in own})


# A unit's return: the task as issued (locked), then what the unit reports.
PROGRESS_LAYOUT = SheetLayout(
    PROGRESS_SHEET,
    (schema.SEQ, schema.TASK_KEY, schema.SECTION, schema.SUBSECTION, schema.REQUIREMENT, schema.LEAD,
     schema.SUPPORT, schema.DEADLINE, schema.DUE, schema.STATUS, schema.PROGRESS, schema.DONE_DATE),
    3, frozenset({schema.STATUS.key, schema.PROGRESS.key, schema.DONE_DATE.key}))



def reference_key(header: str) -> str:
    """The key of a return's column that shows the master's own column `header` for
    reference: own_column_key of the heading it is shown under (备注（供参考）)."""
    return own_column_key(_t("return-reference-column", DOC_LANG, header=header))


def progress_layout(reference: Iterable[str] = ()) -> SheetLayout:
    """A return's layout with the master's own columns (备注 …, headers as the master has
    them) after the task columns, for reference: locked and grey like the task as issued,
    each headed "备注（供参考）".  Their keys hold the heading shown (own_column_key), which
    下发底稿 records: what tells collect a column of split's from one the unit added."""
    own = tuple(Column(key, own_header(key), own_header(key), (), _OWN_WIDTH)
                for key in dict.fromkeys(map(reference_key, reference)))
    if not own:
        return PROGRESS_LAYOUT
    return SheetLayout(PROGRESS_SHEET, PROGRESS_LAYOUT.columns + own, PROGRESS_LAYOUT.header_row,
                       PROGRESS_LAYOUT.editable)


# Deadline phrases explained in 填表说明: (as written, meaning zh, meaning en); {y} is the
# plan year.  Tests check that parse_deadline understands every one of them.
DEADLINE_EXAMPLES: tuple[tuple[str, str, str], ...] = (
    ("{y}年12月底前", "{y}年12月31日前完成", "By 31 Dec {y}"),
    ("12月底前", "没写年份的，按本计划年度理解", "No year written: the plan year"),
    ("6月30日前", "本计划年度的6月30日前", "By 30 June of the plan year"),
    ("{y}/6/30", "日期的数字写法，也可写 {y}.6.30、{y}-06-30", "A date in figures"),
    ("上半年", "6月30日前（下半年为12月31日前）", "By 30 June (下半年: by 31 Dec)"),
    ("三季度末", "9月30日前（一季度末、二季度末同理）", "By 30 Sep (other quarters alike)"),
    ("11月中旬", "11月20日前（上旬为10日前，下旬为月底前）", "By 20 Nov (上旬: the 10th, 下旬: month end)"),
    ("长期坚持", "长期任务，不判为逾期（常态化同理）", "Ongoing, never overdue (常态化 alike)"),
    ("持续推进", "同“长期坚持”", "Same as 长期坚持"),
    ("每月25日前", "每月报送，按下一个报送日提醒", "Monthly; reminded before the next date"),
    ("每季度", "每季度末报送", "Quarterly, at each quarter's end"),
    ("每季度首月10日前", "每年1月、4月、7月、10月的10日前报送", "By the 10th of January, April, July and October"),
    ("{y}年7月1日起", "自该日起长期执行，不判为逾期（“起”“开始”同理）", "From 1 July on: ongoing, never overdue"),
    ("本文件印发后30日内", "从印发日期起算，请在标题附近写明“××××年×月×日印发”",
     "Counted from the issue date written near the title"),
    ("{y}年9月底前完成，长期坚持", "先在时限前完成，之后长期坚持", "A due date, then ongoing"),
    ("{y}-06-30", "也可以在单元格中直接填日期", "Or enter a real date in the cell"),
)

# ---------------------------------------------------------------- styles

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BODY_FONT = Font(name="宋体", size=11)
_HEAD_FONT = Font(name="黑体", size=11, bold=True)
_TITLE_FONT = Font(name="黑体", size=16, bold=True)
_EXAMPLE_FONT = Font(name="宋体", size=11, italic=True, color="808080")
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")   # shows which columns cannot be typed in
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_UNLOCKED, _LOCKED = Protection(locked=False), Protection(locked=True)


def plan_title(year: int | None, district: str | None, lang: str = "zh") -> str:
    return _t("plan-title", lang, year=year or "＿＿＿＿", district=district or "＿＿＿＿")


# ---------------------------------------------------------------- builders

def plan_template(registry: UnitRegistry, *, year: int | None = None, district: str | None = None,
                  lang: str = "zh", examples: bool = True, last_row: int = DATA_LAST_ROW,
                  own_columns: Iterable[str] = (), title: str | None = None, used: Iterable[str] = ()) -> Workbook:
    """The annual plan 任务分解表, empty but for three example rows (examples=False: none).
    `own_columns`: the district's own columns after the template's (plan_layout); `title`:
    the plan's own title (else the standard one; Chinese in every language: the plan goes to
    units); `used`: the units the plan names, first in its unit list."""
    layout = plan_layout(own_columns)
    registry = registry.for_district(district) if district else registry
    wb, ws = _new_book(layout.sheet)
    _title(ws, 1, title or plan_title(year, district), len(layout.columns))
    _sheet_body(ws, layout, last_row, lang)
    _unit_list(wb, registry, lang, used)
    _validations(ws, layout, last_row, lang)
    if examples:
        write_rows(ws, layout, _example_rows(year, lang, registry), example=True)
    _guide(wb, layout, year, lang, examples, _several_units(registry if district else None))
    _finish(wb)
    return wb


def progress_template(registry: UnitRegistry, *, unit: str | None = None, year: int | None = None,
                      district: str | None = None, as_of: dt.date | None = None, lang: str = "zh",
                      last_row: int = DATA_LAST_ROW, plan: str | None = None, reference: Iterable[str] = ()
                      ) -> Workbook:
    """A unit's progress return 进展报送: the tasks as issued (locked) and its report.
    `plan` is the plan's own title (所属计划); `last_row` the last row made ready for
    typing (split passes the rows it fills plus a margin: styling 1000 empty rows per
    return was most of split's time); the dropdowns always reach DATA_LAST_ROW.
    `reference`: the master's own columns shown after the task's (progress_layout)."""
    layout = progress_layout(reference)
    wb, ws = _new_book(layout.sheet)
    width = len(layout.columns)
    when = f"{as_of.year}年{as_of.month}月{as_of.day}日" if as_of else _t("as-of-blank", lang)
    _title(ws, 1, _t("progress-title", lang, unit=unit or "＿＿＿＿＿＿", as_of=when), width)
    ws.cell(1, 1).protection = _UNLOCKED   # the unit fills in "截至  年  月  日" (填表说明 says so)
    _report_line(ws, layout, unit, plan or (plan_title(year, district, lang) if year or district else None), lang)
    _sheet_body(ws, layout, last_row, lang)
    _unit_list(wb, registry.for_district(district) if district else registry, lang)
    _validations(ws, layout, max(last_row, DATA_LAST_ROW), lang)
    reporter = _dv("list", LIST_NAME, "dv-unit-title", "dv-unit-prompt", "dv-unit-error-title",
                   "dv-reporter-error", lang)
    reporter.add(REPORT_UNIT_CELL)
    ws.add_data_validation(reporter)
    day = _dv("date", str(_DATE_2000), "dv-date-title", "dv-date-prompt", "dv-date-error-title",
              "dv-date-error", lang, operator="greaterThan")
    day.add(REPORT_DATE_CELL)
    ws.add_data_validation(day)
    _guide(wb, layout, year, lang, examples=False)
    _finish(wb)
    return wb


def write_rows(ws: Worksheet, layout: SheetLayout, rows: Iterable[Mapping[str, Any]], *, start: int | None = None,
               example: bool = False) -> int:
    """Write task rows (column key → value) from `start` (default: the first data row);
    returns the number of rows written.  Locked columns stay locked (and grey).  The row
    itself is unlocked: Excel refuses to delete a row of a protected sheet that holds a
    locked cell, so example rows, whose key cell is unlocked too, can be deleted."""
    r = start or layout.first_row
    n = 0
    styles = _STYLES.setdefault(ws, {})
    for n, values in enumerate(rows, 1):
        ws.row_dimensions[r].protection = _UNLOCKED
        for c, col in enumerate(layout.columns, 1):
            value = values.get(col.key)
            cell = put(ws, r, c, value)
            # Styling a cell attribute by attribute costs a hash per attribute; the cells
            # of one column share one style, so it is built once and copied.
            key = (col.key, example, isinstance(value, dt.date))
            if key in styles:
                cell._style = copy(styles[key])
                continue
            _task_cell_style(cell, layout, col, example)
            styles[key] = copy(cell._style)
        # An explicit height: neither LibreOffice nor Excel re-fits wrapped rows on opening.
        ws.row_dimensions[r].height = _task_row_height(layout, values)
        r += 1
    return n


# Per worksheet (style ids belong to one workbook): column key, is a date → the style.
_STYLES: "weakref.WeakKeyDictionary[Worksheet, dict[tuple, StyleArray]]" = weakref.WeakKeyDictionary()


def _task_cell_style(cell, layout: SheetLayout, col: Column, example: bool) -> None:
    cell.font = _EXAMPLE_FONT if example else _BODY_FONT
    cell.border = _BORDER
    cell.alignment = _CENTER if col.key in (schema.SEQ.key, schema.STATUS.key) else _WRAP
    if col.key in (schema.DONE_DATE.key, schema.DUE.key):
        cell.number_format = DATE_FORMAT
    cell.protection = _UNLOCKED if example or col.key in layout.editable else _LOCKED
    if not example and col.key not in layout.editable:
        cell.fill = _LOCKED_FILL


def heading_row(ws: Worksheet, layout: SheetLayout, row: int, text: str) -> None:
    """A heading across a task sheet (一、牵头的任务), bold, locked."""
    cell = put(ws, row, 1, text)
    cell.font, cell.alignment = _HEAD_FONT, Alignment(vertical="center", wrap_text=True)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(layout.columns))
    ws.row_dimensions[row].height = row_height(wrapped_lines(text, sum(c.width for c in layout.columns)))


def sent_sheet(wb: Workbook, unit: str | None, rows: Iterable[Mapping[str, Any]],
               source: Mapping[str, Any] | None = None, extra: Iterable[str] = ()) -> Worksheet:
    """The hidden, protected 下发底稿 sheet of a return: the unit it went to and where the
    return comes from (`source`: the master's id and name, the split's id), then one row
    per task with SENT_FIELDS as sent, then the `extra` keys (the reference columns'
    own_column_key).  Headers are the keys, which no reader takes for a task table."""
    fields = (*SENT_FIELDS, *extra)
    ws = wb.create_sheet(SENT_SHEET)
    for c, value in enumerate(("unit", unit, *(x for pair in (source or {}).items() for x in pair)), 1):
        put(ws, 1, c, value)
    for c, key in enumerate(fields, 1):
        put(ws, 2, c, key)
    for r, values in enumerate(rows, 3):
        for c, key in enumerate(fields, 1):
            cell = put(ws, r, c, values.get(key))
            if key == "done_date" or isinstance(values.get(key), dt.date):   # a date cell read back as a date
                cell.number_format = DATE_FORMAT
    ws.sheet_state = "hidden"
    ws.protection.sheet = True
    return ws


def _task_row_height(layout: SheetLayout, values: Mapping[str, Any]) -> float:
    """Points needed by the tallest wrapped cell of a task row."""
    lines = max((wrapped_lines(v, c.width) for c in layout.columns if isinstance(v := values.get(c.key), str)), default=1)
    return row_height(lines)


def simple_table(ws: Worksheet, heads: Iterable[str], widths: Iterable[float], rows: Iterable[Iterable[Any]],
                 lang: str = "zh") -> None:
    """A plain bordered table with a styled header in row 1 (for side sheets such as 变更说明)."""
    widths = list(widths)
    for c, (text, width) in enumerate(zip(heads, widths), 1):
        cell = put(ws, 1, c, text)
        cell.font, cell.fill, cell.border, cell.alignment = _HEAD_FONT, _HEAD_FILL, _BORDER, _CENTER
        ws.column_dimensions[get_column_letter(c)].width = width
    r = 1
    for r, values in enumerate(rows, 2):
        values = list(values)
        for c, value in enumerate(values, 1):
            cell = put(ws, r, c, value)
            cell.font, cell.border, cell.alignment = _BODY_FONT, _BORDER, _WRAP
        ws.row_dimensions[r].height = row_height(max((wrapped_lines(v, w) for v, w in zip(values, widths)
                                                   if isinstance(v, str)), default=1))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(widths))}{max(r, 2)}"
    printing.set_up(ws, title_rows="1:1", footer_center=_t("footer", lang))


def _new_book(title: str) -> tuple[Workbook, Worksheet]:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    return wb, ws


def _title(ws: Worksheet, row: int, text: str, width: int) -> None:
    put(ws, row, 1, text).font = _TITLE_FONT
    ws.cell(row, 1).alignment = _CENTER
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    ws.row_dimensions[row].height = 36


def _report_line(ws: Worksheet, layout: SheetLayout, unit: str | None, plan: str | None, lang: str) -> None:
    """Row 2 of a return: 报送单位：| unit (C2) | 报送日期：| date (F2) | 所属计划：| plan."""
    # (first column, last column, value, kind): labels, cells the unit fills, the plan's name
    parts = ((1, 2, _t("reporter", lang), "label"), (3, 4, unit, "input"),
             (5, 5, _t("report-date", lang), "label"), (6, 7, None, "input"),
             (8, 8, _t("plan-of", lang), "label"), (9, len(layout.columns), plan, "text"))
    for first, last, value, kind in parts:
        editable = kind == "input"
        cell = put(ws, 2, first, value)
        cell.font = _HEAD_FONT if kind == "label" else _BODY_FONT
        cell.alignment = Alignment(horizontal="right" if kind == "label" else "left", vertical="center")
        cell.protection = _UNLOCKED if editable else _LOCKED
        if cell.coordinate == REPORT_DATE_CELL:
            cell.number_format = DATE_FORMAT
        if last > first:
            ws.merge_cells(start_row=2, start_column=first, end_row=2, end_column=last)
        for c in range(first, last + 1):
            ws.cell(2, c).border = Border(bottom=_THIN) if editable else Border()
    ws.row_dimensions[2].height = 24


def _sheet_body(ws: Worksheet, layout: SheetLayout, last_row: int, lang: str) -> None:
    """Header, widths, empty data cells (unlocked where the user types), print setup,
    filter, frozen panes and protection."""
    h = layout.header_row
    for c, col in enumerate(layout.columns, 1):
        cell = put(ws, h, c, col.zh)   # headers stay Chinese: the reader finds them by meaning
        cell.font, cell.fill, cell.border, cell.alignment = _HEAD_FONT, _HEAD_FILL, _BORDER, _CENTER
        ws.column_dimensions[get_column_letter(c)].width = col.width
        editable = col.key in layout.editable
        # Only the lock and wrapping: no borders, so empty rows print no empty grid.
        first = ws.cell(layout.first_row, c)
        first.protection = _UNLOCKED if editable else _LOCKED
        first.alignment = _WRAP
        if col.key in (schema.DONE_DATE.key, schema.DUE.key):
            first.number_format = DATE_FORMAT
        for r in range(layout.first_row + 1, last_row + 1):
            ws.cell(r, c)._style = copy(first._style)   # one style per column, copied (see write_rows)
    ws.row_dimensions[h].height = 30
    last_col = get_column_letter(len(layout.columns))
    ws.freeze_panes = ws.cell(layout.first_row, 1).coordinate
    ws.auto_filter.ref = f"A{h}:{last_col}{last_row}"
    printing.set_up(ws, title_rows=f"{h}:{h}", footer_center=_t("footer", lang))
    ws.print_options.horizontalCentered = True
    p = ws.protection
    p.sheet = True   # no password: this guards against slips, not against people
    # False = allowed: users still filter, sort, resize, insert and delete rows.
    p.autoFilter = p.sort = p.formatCells = p.formatColumns = p.formatRows = p.insertRows = p.deleteRows = False
    p.selectLockedCells = p.selectUnlockedCells = False


def _unit_list(wb: Workbook, registry: UnitRegistry, lang: str, used: Iterable[str] = ()) -> None:
    """Hidden 单位名录 sheet, names in column A under a header, and the defined name
    that the unit dropdowns point at."""
    ws = wb.create_sheet(LIST_SHEET)
    put(ws, 1, 1, _t("list-header", lang)).font = _HEAD_FONT
    names = _listed_units(registry, used)
    for r, name in enumerate(names, 2):
        put(ws, r, 1, name)
    ws.column_dimensions["A"].width = 40
    ws.sheet_state = "hidden"
    last = max(len(names), 1) + 1
    wb.defined_names[LIST_NAME] = DefinedName(LIST_NAME, attr_text=f"{quote_sheetname(LIST_SHEET)}!$A$2:$A${last}")


def _listed_units(registry: UnitRegistry, used: Iterable[str]) -> list[str]:
    """The unit list of a place's plan: the units the plan names first, then the registry's.
    A township's own come before its county's (the entries of the place, then its offices),
    and the higher tiers last: a town's plan names its own offices most."""
    units = list(registry)
    if registry.tier == "township":
        order = {"township": 1, "county": 2}
        units.sort(key=lambda u: 0 if u.district else order.get(u.tier, 3))   # a stable sort: the list's order within
    return list(dict.fromkeys([*used, *(u.name for u in units)]))


def _dv(kind: str | None, formula: str | None, title: str, prompt: str, error_title: str, error: str,
        lang: str, style: str = "stop", operator: str | None = None, **p) -> DataValidation:
    return DataValidation(type=kind, formula1=formula, operator=operator, allow_blank=True,
                          showInputMessage=True, promptTitle=_t(title, lang), prompt=_t(prompt, lang, **p),
                          showErrorMessage=True, errorStyle=style,
                          errorTitle=_t(error_title, lang) if error_title else None,
                          error=_t(error, lang, **p) if error else None)


def _validations(ws: Worksheet, layout: SheetLayout, last_row: int, lang: str) -> None:
    values = "、".join(schema.STATUS_VALUES)
    # Units point at the defined name, never an inline list (Excel's 255-character limit).
    # Style "warning", not "stop": a task often has several units in one cell ("A、B"),
    # which no list entry matches; Excel then asks instead of refusing.
    unit = _dv("list", LIST_NAME, "dv-unit-title", "dv-unit-prompt", "dv-unit-error-title", "dv-unit-error",
               lang, style="warning")
    status = _dv("list", '"' + ",".join(schema.STATUS_VALUES) + '"', "dv-status-title", "dv-status-prompt",
                 "dv-status-error-title", "dv-status-error", lang, values=values)
    done = _dv("date", str(_DATE_2000), "dv-date-title", "dv-date-prompt", "dv-date-error-title", "dv-date-error",
               lang, operator="greaterThan")
    deadline = _dv(None, None, "dv-deadline-title", "dv-deadline-prompt", None, None, lang)  # prompt only
    key = _dv(None, None, "dv-key-title", "dv-key-prompt", None, None, lang)
    wanted = {schema.LEAD.key: unit, schema.SUPPORT.key: unit, schema.STATUS.key: status,
              schema.DONE_DATE.key: done, schema.DEADLINE.key: deadline, schema.TASK_KEY.key: key}
    for col_key, dv in wanted.items():
        # Only where the user types: a dropdown on a locked cell would only confuse.
        if col_key in layout.editable or dv is key:
            letter = layout.letter(col_key)
            dv.add(f"{letter}{layout.first_row}:{letter}{last_row}")
    for dv in dict.fromkeys(wanted.values()):
        if dv.sqref:
            ws.add_data_validation(dv)


# The example rows' units, in the county vocabulary (区… as the built-in registry writes it,
# shown with the place's own prefix: 县财政局 in a 县) and, for a township's plan, offices of
# the built-in township list; an example names only what the place's registry knows.
# The last pair: the two units 填表说明 gives as an example of a cell naming several.
_EXAMPLE_UNITS = {"county": (("区财政局", "区政府各部门（单位）"), ("区政府办公室", "区司法局"),
                             ("区政府办公室（区大数据中心）", None), ("区财政局", "区审计局")),
                  "township": (("财政所", "各村（社区）"), ("党政办公室", "司法所"), ("党政办公室", None),
                               ("财政所", "党政办公室"))}


def _example_units(registry: UnitRegistry | None) -> tuple[tuple[str | None, str | None], ...]:
    tier = registry.tier if registry is not None else None
    units = _EXAMPLE_UNITS["township" if tier == "township" else "county"]
    if tier is None:
        return units
    prefix = registry.level if tier in ("county", "city") else None

    def shown(name: str | None) -> str | None:
        if name is None:
            return None
        name = name.replace("区", prefix) if prefix and name.startswith("区") else name
        return name if registry.resolve(name) is not None else None
    return tuple((shown(lead), shown(support)) for lead, support in units)


def _several_units(registry: UnitRegistry | None) -> str:
    """What 填表说明 shows as a cell of several units: two of the plan's place."""
    return "、".join(u for u in _example_units(registry)[-1] if u) or "、".join(_EXAMPLE_UNITS["county"][-1])


def _example_rows(year: int | None, lang: str, registry: UnitRegistry | None = None) -> list[dict[str, Any]]:
    """Three rows showing the usual shapes: a date, ongoing, and a finished task, with units
    of the plan's own place (see _EXAMPLE_UNITS)."""
    y = year or FIXED_TIME.year
    ex = _t("example", lang)
    units = _example_units(registry)
    return [
        {"seq": ex, "section": "一、示例：深化重点领域信息公开", "subsection": "（一）示例：推进财政预决算公开",
         "requirement": "示例：按规定公开部门预决算和“三公”经费，并在门户网站专栏集中展示。",
         "lead": units[0][0], "support": units[0][1], "deadline": "12月底前", "status": "进行中",
         "progress": "示例：已完成预算公开，决算公开正在准备。"},
        {"seq": ex, "section": "一、示例：深化重点领域信息公开", "subsection": "（二）示例：做好政策解读回应",
         "requirement": "示例：重要政策文件与解读材料同步起草、同步审签、同步发布。",
         "lead": units[1][0], "support": units[1][1], "deadline": "长期坚持", "status": "长期推进",
         "progress": "示例：本季度发布政策解读3篇。"},
        {"seq": ex, "section": "二、示例：加强政务公开平台建设", "subsection": "（一）示例：规范政府网站管理",
         "requirement": "示例：开展政府网站和政务新媒体季度检查，及时整改发现的问题。",
         "lead": units[2][0], "support": units[2][1], "deadline": "6月30日前", "status": "已完成",
         "progress": "示例：已完成检查并整改。", "done_date": dt.date(y, 6, 20)},
    ]


def _guide(wb: Workbook, layout: SheetLayout, year: int | None, lang: str, examples: bool,
           several: str | None = None) -> None:
    """填表说明: what goes in each column (from the schema), deadline phrases, completion.
    A return's says only what the unit fills (its status, progress and date; the task as
    issued is locked): no column it cannot type in is explained as one to fill, and no
    deadline phrases (it writes none)."""
    ws = wb.create_sheet(GUIDE_SHEET)
    rows: list[tuple[str, str | None, Font | None]] = [(_t("guide-title", lang), None, _TITLE_FONT)]
    name = {c.key: c.zh for c in layout.columns}
    values = "、".join(schema.STATUS_VALUES)
    is_return = layout.sheet == PROGRESS_SHEET
    parts = iter("一二三四五六七八九" if lang == "zh" else range(1, 10))

    def part(key: str) -> None:
        rows.append((_t("guide-part", lang, n=next(parts), title=_t(key, lang)), None, _HEAD_FONT))

    part("guide-columns-return" if is_return else "guide-columns")
    locked = [c.zh for c in layout.columns if c.key not in layout.editable]
    if is_return:
        rows.append((_t("guide-progress-head", lang, row=layout.header_row - 1), None, None))
        rows.append((_t("guide-progress-locked", lang, columns="、".join(locked), progress=name["progress"]),
                     None, None))
    for col in layout.columns:
        # a return's locked columns were filled when it was sent: no "choose from the list" for
        # them (截止日期 and 任务编号 say so in their own words)
        own = col.key.startswith(_OWN)     # the district's own column (备注): as its plan had it; a
        # return's is the master's, for reference
        sent = is_return and col.key not in layout.editable and col not in (schema.DUE, schema.TASK_KEY)
        text = ("col-reference" if own else "col-sent") if sent else "col-own" if own else "col-" + col.key
        rows.append((col.zh, _t(text, lang, values=values, units=several or _several_units(None)), None))
    if is_return:   # what collect understands besides the dropdown's words
        rows.append((_t("guide-status-variants", lang, status=name["status"]), None, _HEAD_FONT))
        for value, words in schema.STATUS_VARIANTS.items():
            rows.append((value, "、".join(words), None))
    else:
        part("guide-deadlines")
        rows.append((_t("guide-deadline-head", lang), _t("guide-deadline-meaning", lang), _HEAD_FONT))
        y = str(year) if year else "20XX"   # no real year in a year-less template: the reader would take it
        for written, zh, en in DEADLINE_EXAMPLES:
            rows.append((written.format(y=y), (en if lang == "en" else zh).format(y=y), None))

    part("guide-done")
    for key in ("guide-done-1", "guide-done-2", "guide-done-3"):
        rows.append((_t(key, lang, status=name["status"], done=name["done_date"], progress=name["progress"]),
                     None, None))

    part("guide-other")
    if is_return:
        rows.append((_t("guide-progress-return", lang), None, None))
        rows.append((_t("guide-progress-changes", lang, sheet=SENT_SHEET), None, None))
        rows.append((_t("guide-protect-return", lang, columns="、".join(locked)), None, None))
        rows.append((_t("guide-list-return", lang, sheet=LIST_SHEET), None, None))
    else:
        rows.append((_t("guide-one-row", lang), None, None))
        if examples:
            rows.append((_t("guide-examples", lang, first=layout.first_row, last=layout.first_row + 2), None, None))
        rows.append((_t("guide-protect", lang, key=name["key"]), None, None))
        rows.append((_t("guide-list", lang, sheet=LIST_SHEET), None, None))

    widths = (26, 90)
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = widths
    for r, (a, b, font) in enumerate(rows, 1):
        put(ws, r, 1, a).font = font or _BODY_FONT
        ws.cell(r, 1).alignment = _WRAP
        if b is None:
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
            lines = wrapped_lines(a, sum(widths))
        else:
            put(ws, r, 2, b).font = font or _BODY_FONT
            ws.cell(r, 2).alignment = _WRAP
            lines = max(wrapped_lines(a, widths[0]), wrapped_lines(b, widths[1]))
        ws.row_dimensions[r].height = 30 if font is _TITLE_FONT else row_height(lines)
    printing.set_up(ws, footer_center=_t("footer", lang), landscape=False)   # two columns of prose


def _finish(wb: Workbook) -> None:
    # The guide and the list go after the task sheet; the hidden list must never be active.
    wb.move_sheet(LIST_SHEET, offset=len(wb.sheetnames))
    wb.active = 0
    wb.properties.creator = "xltools"
    wb.properties.created = wb.properties.modified = FIXED_TIME


# ---------------------------------------------------------------- saving

def save_workbook(wb: Workbook, path: str | os.PathLike, *, stamp: dt.datetime | None = FIXED_TIME,
                  keep_version: bool = True, before_replace: Callable[[str], None] | None = None) -> Path:
    """Save atomically (a temporary file in the same folder, then os.replace: a reader
    never sees half a file, and a failed save leaves the old file alone).  With `stamp`
    the bytes are reproducible (fixed document and zip entry times); stamp=None stamps
    the current time, as for a new plan.  keep_version=False: the file replaced is not kept
    (templates rebuilt from the schema).  before_replace: as atomic_write's (may refuse)."""
    path = Path(path)
    if stamp is None:
        wb.properties.created = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
    data = workbook_bytes(wb)    # openpyxl sets "modified" to the current time while saving
    if stamp is not None:
        wb.properties.created = wb.properties.modified = stamp
        data = _repack(data, wb, stamp)
    atomic_write(path, lambda tmp: Path(tmp).write_bytes(data), keep_version=keep_version,
                 before_replace=before_replace)
    return path


_SAVING = threading.Lock()


def workbook_bytes(wb: Workbook) -> bytes:
    """The package openpyxl writes, its worksheets in UTF-8.  openpyxl writes them through
    lxml without an encoding, in ASCII: each Chinese character an eight-byte &#NNNNN;
    reference, a return's rows two and a half times their size and slower to read, for
    Excel, calamine and the next openpyxl alike."""
    from openpyxl.worksheet import _writer
    from openpyxl.xml.functions import xmlfile

    buf = io.BytesIO()
    with _SAVING:
        _writer.xmlfile = functools.partial(xmlfile, encoding="utf-8")
        try:
            wb.save(buf)
        finally:
            _writer.xmlfile = xmlfile
    return buf.getvalue()


def _repack(data: bytes, wb: Workbook, stamp: dt.datetime) -> bytes:
    """The same package with fixed times: core.xml re-written, every zip entry dated stamp."""
    from openpyxl.xml.functions import tostring

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = tostring(wb.properties.to_tree())
            entry = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, content)
    return out.getvalue()
