"""Reading the sheet a button was pressed on: values, merged areas (from the engine or
the saved file) and the workbook's context, parsed like any file."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from xltools.read.context import PlanContext
from xltools.errors import XltoolsError
from xltools.read import Grid
from xltools.read.plan import book_context
from xltools.model import TaskSheet
from xltools.texts import t
from xltools.excel.host import ActionError, _status

BOOK_CONTEXT_ROWS = 40                    # rows of the other sheets read for year/district/issue date

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
    from xltools.read import load_grids

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
    grids: list[Grid] = []
    ours = {t("results-sheet", "zh"), t("results-sheet", "en")}
    for sheet in book.sheets:
        if sheet.name == active.name or sheet.name in ours:
            continue
        try:
            rows = sheet_values(sheet, BOOK_CONTEXT_ROWS)
        except Exception:
            continue
        grids.append(Grid(Path(book.name), sheet.name, rows))
    return book_context(grids, Path(book.name).stem, BOOK_CONTEXT_ROWS)


def read_active(book, lang: str = "zh", registry=None) -> tuple[Any, Grid, TaskSheet, bool]:
    """The active sheet parsed by the library (one parse, like every other reader), and
    whether merged cells were known."""
    from xltools.read import parse_grid
    from xltools.read.columns import saved_for

    sheet = book.sheets.active
    _status(book, t("progress-reading", lang, sheet=sheet.name))
    grid, merges_known = _read_grid(sheet)
    if not grid.rows:
        raise ActionError("sheet-empty", sheet=sheet.name)
    # the column map saved beside the workbook (列对应.json) serves the button as it serves the commands
    columns = saved_for(Path(book.fullname)) if book.fullname else None
    ts = parse_grid(grid, PlanContext(), _book_context(book, sheet), registry, columns)
    if ts is None or ts.layout != "table":
        raise ActionError("xl-no-task-table", sheet=sheet.name)
    return sheet, grid, ts, merges_known
