"""Reading a whole file: every sheet's grid, parsed as a table or else as a text plan,
then finished (units, deadlines, numbering)."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from xltools import schema
from xltools.errors import NoTaskTable
from xltools.findings import Finding
from xltools.model import PlanFile, TaskSheet
from xltools.read.columns import ColumnSpec, saved_for
from xltools.read.context import PlanContext, context_from_filename, context_from_lines, issued_in
from xltools.read.finish import finish_tasks
from xltools.read.forms import is_form_export, parse_form_export
from xltools.read.grid import Grid
from xltools.read.limits import sheet_names_if
from xltools.read.loaders import load_grids
from xltools.read.table import holds_table, near_header, parse_table
from xltools.read.textplan import parse_text_plan
from xltools.rules.units import UnitRegistry, own_plan_of


def read_plan(path: str | Path, sheet: str | None = None, *, year: int | None = None,
              district: str | None = None, registry: UnitRegistry | None = None,
              skip_hidden: bool = False, columns: ColumnSpec | None = None) -> PlanFile:
    """Every task table in a workbook (or text plan).  Raises UnreadableFile / NoTaskTable.
    Hidden sheets are read with a note, or skipped (with a note) when `skip_hidden`.
    `columns`: a clerk's column map; without one, the map saved beside the file (列对应.json)."""
    path = Path(path)
    columns = columns or saved_for(path)
    grids = load_grids(path, sheet)
    grids, notes = _visible(grids if sheet else task_sheets(grids), str(path), skip_hidden and sheet is None)
    plan = plan_from_grids(path, grids, year=year, district=district, registry=registry, notes=notes,
                           columns=columns)
    if is_return_book(path):
        for ts in plan.sheets:
            ts.returned = True
    return plan


def is_return_book(path: str | Path) -> bool:
    """Does the workbook have the hidden 下发底稿 sheet split writes into every return (its
    task sheet may have been renamed)?  Read from the zip directory only (most files read
    are district plans)."""
    return bool(sheet_names_if(path, schema.RETURN_BOOK[1][0]))


def plan_from_grids(path: Path, grids: list[Grid], *, year: int | None = None, district: str | None = None,
                    registry: UnitRegistry | None = None, notes: list[Finding] | None = None,
                    columns: ColumnSpec | None = None, finish: bool = True) -> PlanFile:
    """As read_plan, from grids already loaded (a caller that also needs other sheets of
    the file reads it once).  Not `finish`: each sheet's tasks are left as written
    (`TaskSheet.parsed`: units not named, deadlines not parsed, numbering not checked),
    for a caller that takes only what was typed (collect)."""
    given = PlanContext(district, year, None)
    fallback = book_context(grids, path.stem)
    plan = PlanFile(path, notes=list(notes or []))
    for grid in grids:
        ts = parse_grid(grid, given, fallback, registry, columns, finish)
        if ts is None:
            plan.skipped.append(grid.sheet)
            plan.notes.append(Finding("sheet-skipped", str(path), grid.sheet, params={"sheet": grid.sheet}))
        else:
            plan.sheets.append(ts)
    if not plan.sheets:
        raise _no_table(path, grids)
    if columns is not None:
        plan.notes += _columns_notes(plan, columns)
    return plan


def book_context(grids: list[Grid], name: str, lines: int = 40) -> PlanContext:
    """What a workbook says of its plan outside each sheet's own titles: year and district
    from the first `lines` texts of every sheet and its file `name`; the issue date only from
    a sheet holding no task table (the 通知 sheet: 2022年6月10日 under the issuing office),
    never from a task's deadline cell."""
    book = context_from_lines([line for g in grids for line in g.text_lines(limit=lines)])
    issued = next((d for g in grids if not is_form_export(g) and not holds_table(g)
                   for d in [issued_in(g.rows[:lines])] if d), None)
    return dataclasses.replace(book, issued=issued).overlay(context_from_filename(name))


def _no_table(path: Path, grids: list[Grid]) -> NoTaskTable:
    """The refusal: where a row looks like a header, what was found in it, what is missing,
    and the --columns that would read it with the sheet's own header words."""
    near = [n for g in grids if (n := near_header(g)) is not None]
    if not near:
        return NoTaskTable("no-task-table", file=str(path))
    n = max(near, key=lambda n: len(n["found"]))
    if not n["example"]:
        return NoTaskTable("no-task-table-near-nohint", file=str(path), sheet=n["sheet"], row=n["row"],
                           found=n["found"], missing=n["missing"], unknown=n["unknown"] or ["-"])
    return NoTaskTable("no-task-table-near", file=str(path), sheet=n["sheet"], row=n["row"], found=n["found"],
                       missing=n["missing"], unknown=n["unknown"] or ["-"], example=n["example"])


def _columns_notes(plan: PlanFile, spec: ColumnSpec) -> list[Finding]:
    """Say which sheets were read with the clerk's map; an item of a map given on the
    command line that names no column of the file is a warning (a saved map serves a
    whole folder: a file without that header is no mistake)."""
    notes = [Finding("columns-given", str(plan.file), ts.sheet, params={"source": ts.columns_given,
                                                                         "items": spec.shown()})
             for ts in plan.sheets if ts.columns_given]
    if spec.source == "--columns":
        used = {c.word.rpartition("=")[0] for ts in plan.sheets for c in ts.column_map if c.reason == "given"}
        ts = plan.sheets[0]
        headers = "、".join(f"{c.letter}“{c.header}”" for c in ts.column_map if c.header) or "-"
        notes += [Finding("columns-not-found", str(plan.file), ts.sheet, params={"item": left, "headers": headers})
                  for left, key in spec.items if key is not None and left not in used]
    return notes


def task_sheets(grids: list[Grid]) -> list[Grid]:
    """The grids that may hold tasks: in a workbook xltools wrote (a master, a return),
    only its task sheet, never the sheets it wrote beside it (统计, 收集记录, 催办 …)."""
    names = {g.sheet for g in grids}
    for task_sheet, marks in schema.WRITTEN_BOOKS:
        if task_sheet in names and names & set(marks):
            return [g for g in grids if g.sheet == task_sheet]
    return grids


def _visible(grids: list[Grid], file: str, skip_hidden: bool) -> tuple[list[Grid], list[Finding]]:
    """The grids to parse, and the notes on how they were read (hidden sheets, stray cells)."""
    kept, notes = [], []
    for grid in grids:
        notes += grid.notes
        if grid.hidden:
            code = "sheet-hidden-skipped" if skip_hidden else "sheet-hidden-read"
            notes.append(Finding(code, file, grid.sheet, params={"sheet": grid.sheet, "state": grid.hidden}))
            if skip_hidden:
                continue
        kept.append(grid)
    return kept, notes


def parse_grid(grid: Grid, given: PlanContext = PlanContext(), fallback: PlanContext = PlanContext(),
               registry: UnitRegistry | None = None, columns: ColumnSpec | None = None,
               finish: bool = True) -> TaskSheet | None:
    """The task table in one grid (an online form's export, a table, or else a text plan),
    or None when it holds none; not `finish`: its tasks as written (see plan_from_grids)."""
    sheet = parse_form_export(grid, given, fallback) or parse_table(grid, given, fallback, columns) or \
        parse_text_plan(grid, given, fallback)
    if sheet is not None and finish:
        sheet.own_plan_of = own_plan_of(_title_lines(grid, sheet) + [Path(grid.source).stem])
        finish_tasks(sheet, registry)
    return sheet


def _title_lines(grid: Grid, sheet: TaskSheet) -> list[str]:
    """The lines above a table's header (its titles), or a text plan's first lines."""
    if sheet.header_row is None:
        return grid.text_lines(limit=6)
    return [str(v).strip() for row in grid.rows[:sheet.header_row - 1] for v in row if v not in (None, "")]
