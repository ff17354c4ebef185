"""Ribbon actions: one function per button, each taking the calling `xlwings.Book`.

Each action makes one library call (read + check, merge, new plan …) and does only the
Excel-side presentation through the xlwings API: fills, notes, a results sheet with
links, formulas and conditional formats, message boxes and the status bar.  The same
code runs against desktop Excel (RunPython) and against xlwings' remote engine (an
Office.js-style book), which is how the tests drive it.

Per-user files live in ~/.xltools (XLTOOLS_HOME overrides): 单位名录.xlsx (the unit
registry the buttons check against), excel.json (the last merge folder) and excel.log
(tracebacks of unexpected errors, which are never shown in Excel).
"""
from __future__ import annotations

import datetime as dt
import importlib
import json
import os
import subprocess
import sys
import traceback
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

from xltools import schema
from xltools.write.cells import looks_like_formula
from xltools.read.context import PlanContext, context_from_filename, context_from_lines
from xltools.errors import XltoolsError
from xltools.read.grid import Grid
from xltools.model import TaskSheet, col_letter
from xltools.texts import t

__all__ = ["ACTIONS", "ActionError", "perform", "show_error", "grid_from_sheet", "validate_sheet", "mark_overdue",
           "merge_folder", "new_plan", "split_plan", "collect_progress", "open_registry", "user_dir",
           "registry_path", "user_registry"]

ACTIONS: dict[str, Callable] = {}
_CURRENT: dict[str, str | None] = {"cell": None}   # the cell being written, for the error box

# Fills of problem cells, by the worst severity in the cell (the red/yellow offices use).
SEVERITY_FILL = {"error": "#FFC7CE", "warning": "#FFEB9C", "info": "#DDEBF7"}
SHOWN_SEVERITIES = ("error", "warning")   # notes (info) stay hidden, as on the command line
DATE_FORMAT = "yyyy-mm-dd"
BOOK_CONTEXT_ROWS = 40                    # rows of the other sheets read for year/district/issue date


def action(f: Callable) -> Callable:
    """Register a ribbon action (commands.py gives each one a button)."""
    ACTIONS[f.__name__] = f
    return f


class ActionError(XltoolsError):
    """Why an action cannot go on, with a text from EXCEL_TEXTS.  `cell` (A1), when
    given, is shown in the message box."""

    def __init__(self, key: str, **params):
        self.key, self.params = key, params
        Exception.__init__(self, t(key, "zh", **params))

    def message(self, lang: str = "zh") -> str:
        return t(self.key, lang, **self.params)


# ====================================================================== user files

def user_dir() -> Path:
    return Path(os.environ.get("XLTOOLS_HOME") or Path.home() / ".xltools")


def registry_path() -> Path:
    return user_dir() / "单位名录.xlsx"


_REGISTRY_CACHE: dict[str, Any] = {}


def user_registry():
    """The clerk's own 单位名录 when there is one (单位名录 button), else the built-in list."""
    from xltools.rules.units import UnitRegistry

    path = registry_path()
    if not path.exists():
        return UnitRegistry.default()
    key = (str(path), path.stat().st_mtime_ns)
    if _REGISTRY_CACHE.get("key") != key:
        _REGISTRY_CACHE.update(key=key, registry=UnitRegistry.load(path))
    return _REGISTRY_CACHE["registry"]


def _settings() -> dict:
    try:
        return json.loads((user_dir() / "excel.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _save_settings(**changes) -> None:
    settings = {**_settings(), **changes}
    path = user_dir() / "excel.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(settings, ensure_ascii=False, indent=2), encoding="utf-8")


def _log_error(text: str) -> None:
    """Append to ~/.xltools/excel.log: support reads tracebacks there, clerks never see them."""
    try:
        user_dir().mkdir(parents=True, exist_ok=True)
        with open(user_dir() / "excel.log", "a", encoding="utf-8") as f:
            f.write(f"{dt.datetime.now():%Y-%m-%d %H:%M:%S} {text}\n")
    except OSError:
        pass


# ====================================================================== running an action

def perform(book, fn: Callable, lang: str = "zh", **options) -> Any:
    """Run one action; every error becomes a Chinese message box, never a traceback."""
    # Taken now: an action may close the workbook (收集进展) before something goes wrong.
    where = {"app": _app(book), "book": _book_name(book), "sheet": _active_sheet_name(book)}
    _CURRENT["cell"] = None
    try:
        with _busy(book):
            return fn(book, lang=lang, **options)
    except XltoolsError as exc:
        show_error(book, exc, lang, app=where["app"], book_name=where["book"], sheet=where["sheet"])
    except PermissionError as exc:
        show_error(book, ActionError("file-in-use", file=exc.filename or "", reason=exc.strerror or ""), lang,
                   app=where["app"], book_name=where["book"], sheet=where["sheet"])
    except Exception as exc:  # a bug of ours: logged with its traceback, shown in one line
        cell = _CURRENT["cell"]
        _log_error(f"{getattr(fn, '__name__', fn)} failed on {where['book']} {cell or ''}\n{traceback.format_exc()}")
        show_error(book, ActionError("xl-internal-error", error=f"{type(exc).__name__}: {exc}", cell=cell,
                                     log=str(user_dir() / "excel.log")), lang, app=where["app"],
                   book_name=where["book"], sheet=where["sheet"])
    return None


def show_error(book, exc: XltoolsError, lang: str = "zh", *, app=None, book_name: str | None = None,
               sheet: str | None = None) -> None:
    params = getattr(exc, "params", {}) or {}
    sheet = params.get("sheet") or sheet or _active_sheet_name(book)
    where = "error-where-cell" if params.get("cell") else "error-where"
    text = t(where, lang, book=book_name or _book_name(book), sheet=sheet, cell=params.get("cell"),
             message=exc.message(lang))
    _alert(book, text, t("title-error", lang), mode="critical", app=app)


def _app(book):
    try:
        return book.app
    except Exception:
        return None


def _alert(book, text: str, title: str, mode: str = "info", app=None) -> None:
    try:
        (app or book.app).alert(text, title=title, mode=mode)
    except Exception:  # no UI (tests, a closed Excel): the message still goes somewhere
        print(f"{title}: {text}", file=sys.stderr)


def _book_name(book) -> str:
    try:
        return book.fullname or book.name
    except Exception:
        return "?"


def _active_sheet_name(book) -> str:
    try:
        return book.sheets.active.name
    except Exception:
        return "?"


def _status(book, text: str | bool) -> None:
    """Progress in Excel's status bar (False gives the bar back to Excel).  Engines
    without a status bar (the remote engine) are skipped."""
    try:
        book.app.status_bar = text
    except Exception:
        pass


@contextmanager
def _busy(book) -> Iterator[None]:
    try:
        book.app.screen_updating = False
    except Exception:
        pass
    try:
        yield
    finally:
        _status(book, False)
        try:
            book.app.screen_updating = True
        except Exception:
            pass


def _optional(module: str, label_key: str, lang: str):
    """A library module that other issues are still writing: missing → a message box."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and (exc.name == module or module.startswith(exc.name + ".")):
            raise ActionError("not-installed", label=t(label_key, lang), module=module) from None
        raise


# ====================================================================== reading a sheet

def _used_extent(sheet) -> tuple[int, int]:
    """Rows and columns from A1 to the last used cell (1-based counts)."""
    used = sheet.used_range
    last = used.last_cell
    return last.row, last.column


def sheet_values(sheet, max_rows: int | None = None) -> list[list[Any]]:
    """Cell values from A1 to the end of the used range, so that row/column indexes are
    the sheet's own (a finding's A1 reference is where the clerk looks)."""
    nrows, ncols = _used_extent(sheet)
    if max_rows:
        nrows = min(nrows, max_rows)
    values = sheet.range((1, 1), (nrows, ncols)).options(ndim=2, empty=None).value
    if not values or (nrows == 1 and ncols == 1 and values[0][0] is None):
        return []
    return [list(row) for row in values]


def merged_areas(sheet, nrows: int, ncols: int) -> list[tuple[int, int, int, int]] | None:
    """Merged ranges inside A1:(nrows, ncols) as 0-based (r0, c0, r1, c1), or None when the
    engine cannot tell (xlwings' remote engine has no merge information).

    Desktop Excel answers "are there merged cells in this range?" in one call, so the
    range is halved only where the answer is yes: a few dozen calls for a whole sheet."""
    found: set[tuple[int, int, int, int]] = set()

    def merged(r0, c0, r1, c1):
        return sheet.range((r0 + 1, c0 + 1), (r1 + 1, c1 + 1)).merge_cells

    def area_of(r, c):
        a = sheet.range((r + 1, c + 1)).merge_area
        last = a.last_cell
        return a.row - 1, a.column - 1, last.row - 1, last.column - 1

    def visit(r0, c0, r1, c1):
        state = merged(r0, c0, r1, c1)
        if state is False:
            return
        area = area_of(r0, c0) if state is True else None
        if area and area[0] <= r0 and area[1] <= c0 and area[2] >= r1 and area[3] >= c1:
            found.add(area)  # the whole block is one merge
            return
        if r0 == r1 and c0 == c1:
            if state:
                found.add(area_of(r0, c0))
            return
        if r1 - r0 >= c1 - c0:
            mid = (r0 + r1) // 2
            visit(r0, c0, mid, c1)
            visit(mid + 1, c0, r1, c1)
        else:
            mid = (c0 + c1) // 2
            visit(r0, c0, r1, mid)
            visit(r0, mid + 1, r1, c1)

    if nrows < 1 or ncols < 1:
        return []
    try:
        visit(0, 0, nrows - 1, ncols - 1)
    except (NotImplementedError, AttributeError):
        return None
    return sorted(m for m in found if m[0] != m[2] or m[1] != m[3])


def grid_from_sheet(sheet, max_rows: int | None = None) -> Grid:
    """The neutral Grid of an open sheet: values of the used range from A1, plus merged
    areas where the engine provides them."""
    return _read_grid(sheet, max_rows)[0]


def _read_grid(sheet, max_rows: int | None = None) -> tuple[Grid, bool]:
    """The grid, and whether the engine could say which cells are merged."""
    rows = sheet_values(sheet, max_rows)
    merges = merged_areas(sheet, len(rows), max((len(r) for r in rows), default=0)) if rows else []
    if merges is None:
        merges = _saved_merges(sheet, rows)
    return Grid(Path(sheet.book.fullname or sheet.book.name), sheet.name, rows, merges or []), merges is not None


def _saved_merges(sheet, rows: list[list]) -> list | None:
    """Merged ranges from the saved file, when the engine cannot tell and the saved sheet
    holds exactly what is open (otherwise the merges might not fit: None)."""
    from xltools.read.grid import load_grids

    path = Path(sheet.book.fullname or "")
    if not (path.is_absolute() and path.is_file()):
        return None
    try:
        saved = load_grids(path, sheet.name)[0]
    except XltoolsError:
        return None
    width = max((len(r) for r in rows), default=0)
    same = all(_same_cell(saved.value(r, c), rows[r][c] if c < len(rows[r]) else None)
               for r in range(len(rows)) for c in range(width))
    return saved.merges if same else None


def _same_cell(a, b) -> bool:
    if a in (None, "") and b in (None, ""):
        return True
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return float(a) == float(b)
    if isinstance(a, dt.date) and isinstance(b, dt.date):
        return (a.date() if isinstance(a, dt.datetime) else a) == (b.date() if isinstance(b, dt.datetime) else b)
    return str(a) == str(b)


def _book_context(book, active) -> PlanContext:
    """Year, district and issue date from the workbook's other sheets and its name, as
    read_plan takes them from the whole file (the 通知 sheet often holds the issue date)."""
    lines: list[str] = []
    ours = {t("results-sheet", "zh"), t("results-sheet", "en")}
    for sheet in book.sheets:
        if sheet.name == active.name or sheet.name in ours:
            continue
        try:
            rows = sheet_values(sheet, BOOK_CONTEXT_ROWS)
        except Exception:
            continue
        lines += [str(v).strip() for row in rows for v in row if v not in (None, "") and str(v).strip()]
    ctx = context_from_lines(lines[:BOOK_CONTEXT_ROWS])
    return ctx.overlay(context_from_filename(Path(book.name).stem))


def read_active(book, lang: str = "zh", registry=None) -> tuple[Any, Grid, TaskSheet, bool]:
    """The active sheet parsed by the library (one parse, like every other reader), and
    whether merged cells were known."""
    from xltools.read.table import parse_grid

    sheet = book.sheets.active
    _status(book, t("progress-reading", lang, sheet=sheet.name))
    grid, merges_known = _read_grid(sheet)
    if not grid.rows:
        raise ActionError("sheet-empty", sheet=sheet.name)
    ts = parse_grid(grid, PlanContext(), _book_context(book, sheet), registry)
    if ts is None or ts.layout != "table":
        raise ActionError("xl-no-task-table", sheet=sheet.name)
    return sheet, grid, ts, merges_known


# ====================================================================== writing helpers

def _text(value: Any) -> Any:
    """A value from a district file, written so that Excel keeps it as text: a leading
    = + - @ would make Excel (and WPS) parse it as a formula."""
    return "'" + value if looks_like_formula(value) else value


def _q(text: str) -> str:
    """A string literal inside a formula."""
    return '"' + str(text).replace('"', '""') + '"'


def _link_formula(sheet_name: str, cell: str | None, shown: str) -> str:
    target = "#'" + sheet_name.replace("'", "''") + "'!" + (cell or "A1")
    return f"=HYPERLINK({_q(target)},{_q(shown)})"


def _cells_of(ref: str) -> str:
    return ref.replace("$", "")


# ====================================================================== 校验本表

@action
def validate_sheet(book, *, lang: str = "zh") -> dict:
    """校验本表: check the active sheet; fill and annotate problem cells and list them,
    with links, on a 校验结果 sheet.  Returns counts (for tests and the smoke test)."""
    from xltools.check.validate import check_sheet

    registry = user_registry()
    sheet, grid, ts, merges_known = read_active(book, lang, registry)
    tasks = [task for task in ts.tasks if not task.is_empty]
    _status(book, t("progress-checking", lang, n=len(tasks)))
    findings = [f for f in check_sheet(ts, registry) if f.severity in SHOWN_SEVERITIES]

    _status(book, t("progress-writing", lang))
    results_name = _clear_previous_marks(book, sheet, t("results-sheet", lang), lang)
    noted = _mark_cells(sheet, findings, lang)
    _CURRENT["cell"] = None
    results = _write_results(book, sheet, findings, results_name, lang, merges_known)
    results.activate()
    counts = {"errors": sum(f.severity == "error" for f in findings),
              "warnings": sum(f.severity == "warning" for f in findings), "tasks": len(tasks),
              "cells": len({f.cell for f in findings if f.cell}), "notes": noted}
    if findings:
        _alert(book, t("validate-done", lang, results=results_name, **counts), t("title", lang))
    else:
        _alert(book, t("validate-clean", lang, **counts), t("title", lang))
    return counts


def _severity_rank(severity: str) -> int:
    return {"error": 0, "warning": 1}.get(severity, 2)


def _mark_cells(sheet, findings, lang: str) -> int:
    """Fill each problem cell by its worst finding and attach one note with every
    message and suggestion.  A clerk's own note is kept: ours is appended below it."""
    by_cell: dict[str, list] = {}
    for f in findings:
        if f.cell:
            by_cell.setdefault(f.cell, []).append(f)
    marker = t("note-marker", lang)
    notes_ok, noted = True, 0
    for cell, items in by_cell.items():
        _CURRENT["cell"] = cell
        items.sort(key=lambda f: _severity_rank(f.severity))
        rng = sheet.range(cell)
        rng.color = SEVERITY_FILL[items[0].severity]
        text = marker + "\n" + "\n".join(
            f"{t('severity-' + f.severity, lang)}：{f.message(lang)}\n"
            f"{t('note-suggestion', lang, suggestion=f.suggestion(lang))}" for f in items)
        if notes_ok:
            try:
                noted += _put_note(rng, text, marker)
            except NotImplementedError:
                notes_ok = False   # this client cannot hold notes: the results sheet still lists all
    return noted


def _put_note(rng, text: str, marker: str) -> int:
    existing = rng.note
    if existing is None:
        rng.add_note(text)
        return 1
    try:
        old = existing.text or ""
    except NotImplementedError:
        return 0          # cannot read the clerk's note, so leave it untouched
    kept = old.split(marker)[0].rstrip()      # an older note of ours is replaced, not stacked
    existing.text = (kept + "\n\n" + text) if kept else text
    return 1


def _clear_previous_marks(book, sheet, results_name: str, lang: str) -> str:
    """Undo what the last 校验本表 of this sheet did (fills, our notes) and drop its
    校验结果 sheet, so the marks always match the latest results.  Returns the name for
    the new results sheet: a clerk's own sheet that happens to be called 校验结果 is
    never touched, ours goes beside it under another name."""
    name, n = results_name, 1
    while (old := _sheet_named(book, name)) is not None:
        try:
            rows = sheet_values(old)
        except Exception:
            rows = []
        if len(rows) > 1 and [v for v in rows[1] if v is not None] == _results_header(lang):
            break                       # ours
        n += 1
        name = f"{results_name}{n}"
    if old is None:
        return name
    marker = t("note-marker", lang)
    sheet_col, cell_col = 1, 2   # see _results_header
    for row in rows[2:]:
        if len(row) <= cell_col or row[sheet_col] != sheet.name or not row[cell_col]:
            continue
        try:
            rng = sheet.range(str(row[cell_col]))
        except Exception:
            continue
        rng.color = None
        note = rng.note
        if note is None:
            continue
        try:
            text = note.text
        except NotImplementedError:
            continue
        if marker in (text or ""):
            kept = text.split(marker)[0].rstrip()
            if kept:
                note.text = kept
            else:
                note.delete()
    old.delete()
    return name


def _results_header(lang: str) -> list[str]:
    return [t(k, lang) for k in ("h-severity", "h-sheet", "h-cell", "xl-h-message", "h-suggestion", "h-value",
                                 "h-code")]


def _write_results(book, sheet, findings, name: str, lang: str, merges_known: bool = True):
    results = book.sheets.add(name=name, after=sheet)
    errors = sum(f.severity == "error" for f in findings)
    warnings = sum(f.severity == "warning" for f in findings)
    title = t("results-title", lang, sheet=sheet.name, when=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
              errors=errors, warnings=warnings)
    if not merges_known:
        title += t("merges-unknown", lang)
    ordered = sorted(findings, key=lambda f: (_severity_rank(f.severity), f.row or 0, f.cell or ""))
    rows = [[title], _results_header(lang)]
    for f in ordered:
        rows.append([t("severity-" + f.severity, lang), sheet.name, f.cell or "", f.message(lang),
                     f.suggestion(lang), f.value or "", f.code])
    if not ordered:
        rows.append([t("results-none", lang)])
    width = len(rows[1])
    rows = [[_text(v) for v in row] + [None] * (width - len(row)) for row in rows]
    results.range("A1").value = rows
    if ordered:
        # the 单元格 column links to the cell itself
        links = [[_link_formula(sheet.name, f.cell, f.cell or sheet.name)] for f in ordered]
        results.range((3, 3), (len(ordered) + 2, 3)).formula = links
    results.range((2, 1), (2, width)).font.bold = True
    results.range((1, 1)).font.bold = True
    results.autofit("c")
    return results


def _sheet_named(book, name: str):
    """The sheet with this name (Excel compares sheet names ignoring case), or None."""
    return next((s for s in book.sheets if s.name.casefold() == name.casefold()), None)


# ====================================================================== 标记逾期

@action
def mark_overdue(book, *, lang: str = "zh", soon_days: int = schema.DEFAULT_SOON_DAYS,
                 colours: dict | None = None) -> dict:
    """标记逾期: add 截止日期 (real dates) and 预警 (live formulas) after the table and
    colour the rows from 预警 with conditional formats.  Running it again rewrites the
    same two columns."""
    from xltools.rules.warning import conditional_rules, due_cell, warning_formula, warning_of

    sheet, grid, ts, _ = read_active(book, lang, user_registry())
    if "deadline" not in ts.columns:
        raise ActionError("no-deadline-column", sheet=sheet.name)
    header_row = ts.header_row
    tasks = [task for task in ts.tasks if not task.is_empty]
    first = header_row + 1
    last = max([r for task in ts.tasks for r in (task.rows or [task.row])] + [first])
    # The same columns as `xltools flag` (flag.flag_file): ours again when a previous
    # run added them, else right after the last column the table uses.
    found = {schema.normalize_header(v): c for c, v in enumerate(grid.rows[header_row - 1]) if v not in (None, "")}
    used = max([_col_index(L) for L in ts.columns.values()] +
               [c for r in range(header_row - 1, min(last, len(grid.rows))) for c, v in enumerate(grid.rows[r])
                if v not in (None, "")])
    due_c = found.get(schema.DUE.zh, used + 1)
    warn_c = found.get(schema.WARNING.zh, max(used, due_c) + 1)
    due_col, warn_col = col_letter(due_c), col_letter(warn_c)
    status_col = ts.columns.get("status")

    dues: list[list[Any]] = [[None] for _ in range(first, last + 1)]
    formulas: list[list[str]] = [[""] for _ in range(first, last + 1)]
    unjudged = 0
    for task in ts.tasks:
        d = task.deadline
        dues[task.row - first][0] = due_cell(d)
        formulas[task.row - first][0] = warning_formula(
            task.row, due_col, status_col, kind=d.kind if d else None,
            ongoing=bool(d and d.ongoing), soon_days=soon_days)
        if not task.is_empty and warning_of(d, task.status, soon_days=soon_days) is None:
            unjudged += 1

    _status(book, t("progress-writing", lang))
    sheet.range((header_row, due_c + 1)).value = schema.DUE.zh
    sheet.range((header_row, warn_c + 1)).value = schema.WARNING.zh
    sheet.range((header_row, due_c + 1), (header_row, warn_c + 1)).font.bold = True
    due_rng = sheet.range((first, due_c + 1), (last, due_c + 1))
    due_rng.value = dues
    due_rng.number_format = DATE_FORMAT
    warn_rng = sheet.range((first, warn_c + 1), (last, warn_c + 1))
    warn_rng.number_format = "General"     # a text-formatted column would show the formula itself
    warn_rng.formula = formulas

    rows_rng = sheet.range((first, 1), (last, max(due_c, warn_c) + 1))
    rules = conditional_rules(warn_col, first, colours)
    with _selected(book, rows_rng[0, 0]):
        _remove_our_rules(rows_rng, {"=" + formula for formula, _ in rules})
        # New rules go on top of Excel's list: add the last one first so "done" wins.
        for formula, rule in reversed(rules):
            rows_rng.conditional_formats.add_custom("=" + formula, stop_if_true=True, **_rule_colours(rule))
    result = {"due_column": due_col, "warning_column": warn_col, "tasks": len(tasks), "unjudged": unjudged,
              "rules": len(rules), "range": _cells_of(rows_rng.address)}
    _alert(book, t("overdue-done", lang, due=due_col, warning=warn_col, tasks=len(tasks), unjudged=unjudged),
           t("title", lang))
    return result


@contextmanager
def _selected(book, cell) -> Iterator[None]:
    """Desktop Excel reads the relative part of a conditional-format formula ($H4)
    relative to the active cell, not to the range: select the range's first cell while
    adding or reading rules, then give the clerk's selection back."""
    try:
        before = book.app.selection
    except Exception:
        before = None
    try:
        cell.select()
    except Exception:
        pass
    try:
        yield
    finally:
        if before is not None:
            try:
                before.select()
            except Exception:
                pass


def _col_index(letters: str) -> int:
    """Excel column letters → 0-based index (A → 0)."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch.upper()) - 64
    return n - 1


def _rule_colours(rule) -> dict:
    """Fill and font colour of an openpyxl FormulaRule from warning.conditional_rules."""
    out = {}
    fill = getattr(rule.dxf, "fill", None)
    if fill is not None and fill.bgColor is not None and fill.bgColor.rgb:
        out["fill_color"] = "#" + str(fill.bgColor.rgb)[-6:]
    font = getattr(rule.dxf, "font", None)
    if font is not None and font.color is not None and font.color.rgb:
        out["font_color"] = "#" + str(font.color.rgb)[-6:]
    return out


def _remove_our_rules(rng, formulas: set[str]) -> None:
    """Rerunning must not stack copies of our rules; the clerk's own rules stay."""
    try:
        ours = [cf for cf in rng.conditional_formats if (cf.formula or "").replace(" ", "") in formulas]
    except NotImplementedError:   # this engine cannot list rules synchronously
        return
    for cf in ours:
        cf.delete()


# ====================================================================== 合并汇总

@action
def merge_folder(book, *, lang: str = "zh", folder: str | Path | None = None, output: str | Path | None = None):
    """合并汇总: merge a folder of district workbooks into 汇总表.xlsx in that folder and
    open it.  The folder picker starts in the folder used last time."""
    merge_module = _optional("xltools.work.merge", "cmd-merge", lang)
    if folder is None:
        folder = pick_folder(book, t("pick-folder", lang), _settings().get("merge_folder"))
        if not folder:
            _alert(book, t("cancelled", lang), t("title", lang))
            return None
    folder = Path(folder)
    _save_settings(merge_folder=str(folder))
    output = Path(output) if output else folder / t("merge-output-name", lang)

    def progress(i: int, n: int, path: Path) -> None:
        _status(book, t("progress-merging", lang, i=i, n=n, file=Path(path).name))

    summary = merge_module.merge([folder], output, registry=user_registry(), progress=progress, lang=lang)
    open_workbook(book, output, lang)
    _alert(book, t("merge-done", lang, read=len(summary.files_read), merged=summary.rows_merged,
                   rejected=summary.rows_rejected, failed=len(summary.files_failed), output=output),
           t("title", lang))
    return summary


def pick_folder(book, title: str, initial: str | None = None) -> str | None:
    """A folder picker: Excel's own dialog on Windows, the system one on macOS."""
    if sys.platform.startswith("win"):
        dialog = book.app.api.FileDialog(4)          # msoFileDialogFolderPicker
        dialog.Title = title
        dialog.AllowMultiSelect = False
        if initial:
            dialog.InitialFileName = str(initial).rstrip("\\") + "\\"
        return dialog.SelectedItems(1) if dialog.Show() == -1 else None
    if sys.platform == "darwin":
        script = f"POSIX path of (choose folder with prompt {_applescript(title)}"
        if initial and Path(initial).is_dir():
            script += f" default location (POSIX file {_applescript(str(initial))})"
        done = subprocess.run(["osascript", "-e", script + ")"], capture_output=True, text=True)
        return done.stdout.strip() or None
    raise ActionError("not-installed", label=title, module="folder picker")


def _applescript(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def ask(book, prompt: str, default: str, title: str) -> str | None:
    """A one-line question: Excel's InputBox on Windows, a dialog on macOS; elsewhere
    (no desktop Excel) the default is taken."""
    if sys.platform.startswith("win"):
        answer = book.app.api.InputBox(prompt, title, default, Type=2)
        return None if answer is False else str(answer).strip()
    if sys.platform == "darwin":
        script = (f"text returned of (display dialog {_applescript(prompt)} default answer {_applescript(default)} "
                  f"with title {_applescript(title)})")
        done = subprocess.run(["osascript", "-e", script], capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else None
    return default


def open_workbook(book, path: Path, lang: str = "zh", app=None) -> None:
    """Open a written workbook in the same Excel; a client that cannot open files (the
    remote engine) gets a message with the path instead."""
    try:
        (app or book.app).books.open(str(path))
    except (NotImplementedError, TypeError, AttributeError):
        _alert(book, t("opened-elsewhere", lang, file=path), t("title", lang), app=app)


def _saved_path(book, label_key: str, lang: str) -> Path:
    path = Path(book.fullname or "")
    if not path.is_absolute() or not path.exists():
        raise ActionError("book-unsaved", label=t(label_key, lang))
    return path


# ====================================================================== 新建计划, 拆分下发, 收集进展

@action
def new_plan(book, *, lang: str = "zh", output: str | Path | None = None, year: int | None = None,
             district: str | None = None, from_plan: str | Path | bool | None = None):
    """新建计划: a new task-breakdown workbook from the template (newplan.new_plan).  When
    the open workbook is an earlier year's plan, offer to carry its tasks over (as
    `xltools new-plan --from`); from_plan=False never asks."""
    newplan = _optional("xltools.work.newplan", "cmd-newplan", lang)
    ctx = context_from_filename(Path(book.name).stem)
    this_year = dt.date.today().year
    if year is None:
        answer = ask(book, t("ask-year", lang), str(ctx.year or this_year), t("cmd-newplan", lang))
        if answer is None:
            return None
        if not (answer.isdigit() and 1990 <= int(answer) <= 2100):
            raise ActionError("xl-bad-year", value=answer, year=this_year)
        year = int(answer)
    if district is None:
        district = ask(book, t("ask-district", lang), ctx.district or "", t("cmd-newplan", lang))
        if district is None:
            return None
    if output is None:
        here = Path(book.fullname or "")
        documents = Path.home() / "Documents"
        folder = here.parent if here.is_absolute() and here.exists() else (documents if documents.is_dir()
                                                                            else Path.home())
        output = _unique(folder / t("newplan-name", lang, year=year, district=district or ""))
    output = Path(output)
    if from_plan is None:
        from_plan = _carry_source(book, year, lang)
    result = newplan.new_plan(output, year=year, district=district, registry=user_registry(),
                              from_plan=from_plan or None, lang=lang)
    open_workbook(book, output, lang)
    if hasattr(result, "message"):
        _alert(book, result.message(lang), t("title", lang))
    return result


_YES = {"是", "好", "沿用", "y", "yes", "ok"}


def _carry_source(book, year: int, lang: str) -> Path | None:
    """The open workbook, if it is a saved plan of an earlier year and the clerk agrees."""
    from xltools.read.table import read_plan

    here = Path(book.fullname or "")
    if not (here.is_absolute() and here.is_file()):
        return None
    try:
        plan = read_plan(here)
    except XltoolsError:
        return None
    old = next((s.year for s in plan.sheets if s.year), None)
    if not plan.tasks or old is None or old >= year:
        return None
    answer = ask(book, t("ask-carry", lang, file=here.name, n=len(plan.tasks), year=old), t("answer-yes", lang),
                 t("cmd-newplan", lang))
    return here if answer and answer.strip().lower() in _YES else None


def _unique(path: Path) -> Path:
    n, candidate = 2, path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}({n}){path.suffix}")
        n += 1
    return candidate


@action
def split_plan(book, *, lang: str = "zh", output_dir: str | Path | None = None, by: str = "lead-unit"):
    """拆分下发: one progress return per responsible unit from the open master
    (xltools.loop.split), in a folder beside it."""
    loop = _optional("xltools.work.loop", "cmd-split", lang)
    source = _saved_master(book, "cmd-split", lang)
    output_dir = Path(output_dir) if output_dir else source.parent / t("split-folder", lang, name=source.stem)
    summary = loop.split(source, output_dir, by=by, registry=user_registry(), lang=lang)
    text = t("split-done", lang, files=len(summary.files), folder=output_dir)
    if summary.unassigned:
        text += "\n" + t("split-unassigned", lang, n=len(summary.unassigned))
    _alert(book, text, t("title", lang))
    return summary


@action
def collect_progress(book, *, lang: str = "zh", folder: str | Path | None = None):
    """收集进展: the units' returns in a folder, written into the open master by task key
    (xltools.loop.collect).  The master is saved, closed while the returns go in (the
    library refuses to write a workbook that is open) and opened again."""
    loop = _optional("xltools.work.loop", "cmd-collect", lang)
    source = _saved_master(book, "cmd-collect", lang)
    if folder is None:
        initial = _settings().get("collect_folder") or str(source.parent)
        folder = pick_folder(book, t("pick-returns", lang), initial)
        if not folder:
            _alert(book, t("cancelled", lang), t("title", lang))
            return None
    _save_settings(collect_folder=str(folder))
    app = book.app
    closed = _close(book)
    try:
        summary = loop.collect([Path(folder)], source, lang=lang)
    finally:
        if closed:
            open_workbook(book, source, lang, app=app)
    _alert(book, t("collect-done", lang, files=len(summary.files), master=source, updated=summary.updated,
                   conflicts=summary.count("conflict"), unknown=summary.count("unknown-key"),
                   edited=summary.count("text-edited")), t("title", lang), app=app)
    return summary


def _saved_master(book, label_key: str, lang: str) -> Path:
    """The open workbook's file, with the clerk's edits saved into it first: the library
    reads the file, not the screen."""
    path = _saved_path(book, label_key, lang)
    book.save()
    return path


def _close(book) -> bool:
    try:
        book.close()
        return True
    except Exception:
        return False


# ====================================================================== 单位名录

@action
def open_registry(book, *, lang: str = "zh") -> Path:
    """单位名录: open the clerk's registry workbook (created from the built-in list the
    first time); 校验本表 and the worksheet functions use it once saved."""
    from xltools.rules.units import UnitRegistry

    path = registry_path()
    created = not path.exists()
    if created:
        path.parent.mkdir(parents=True, exist_ok=True)
        UnitRegistry.default().save(path)
    open_workbook(book, path, lang)
    if created:
        _alert(book, t("registry-created", lang, file=path), t("title", lang))
    return path
