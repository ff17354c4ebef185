"""标记逾期: the 截止日期 and 预警 columns and the colouring, on the open sheet."""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator

from xltools import schema
from xltools.model import col_letter
from xltools.texts import t
from xltools.write.cells import DATE_FORMAT
from xltools.excel.host import ActionError, _alert, _cells_of, _status, action, user_registry
from xltools.excel.sheet import read_active


# ====================================================================== 标记逾期

@action
def mark_overdue(book, *, lang: str = "zh", soon_days: int = schema.DEFAULT_SOON_DAYS,
                 colours: dict | None = None) -> dict:
    """标记逾期: add 截止日期 (real dates) and 预警 (live formulas) after the table and
    colour the rows from 预警 with conditional formats.  Running it again rewrites the
    same two columns."""
    sheet, grid, ts, _ = read_active(book, lang, user_registry())
    if "deadline" not in ts.columns:
        raise ActionError("no-deadline-column", sheet=sheet.name)
    cols = _overdue_columns(grid, ts)
    dues, formulas, unjudged, kept = _overdue_values(ts, cols, soon_days, grid)
    _status(book, t("progress-writing", lang))
    _write_overdue_columns(sheet, cols, dues, formulas)
    rows_rng, rules = _colour_rows(book, sheet, cols, colours)
    tasks = sum(1 for task in ts.tasks if not task.is_empty)
    due_col, warn_col = col_letter(cols.due), col_letter(cols.warning)
    result = {"due_column": due_col, "warning_column": warn_col, "tasks": tasks, "unjudged": unjudged,
              "rules": len(rules), "range": _cells_of(rows_rng.address), "kept": [f.cell for f in kept]}
    # what a person typed in the two columns stays, and is said with what to do
    said = [f"{f.cell}  {f.message(lang)}{f.suggestion(lang)}" for f in kept]
    _alert(book, "\n".join([t("overdue-done", lang, due=due_col, warning=warn_col, tasks=tasks, unjudged=unjudged),
                            *said]), t("title", lang))
    return result


@dataclass(frozen=True)
class _OverdueColumns:
    """0-based columns of 截止日期 and 预警, the rows of the table and the last column coloured."""
    header: int
    first: int
    last: int
    due: int
    warning: int
    right: int
    status: str | None     # letter of 状态, if any


def _overdue_columns(grid, ts) -> _OverdueColumns:
    """The same columns as `xltools flag` (flag.flag_file): ours again when a previous
    run (or a merge) added them, else right after the last column the table uses."""
    header_row = ts.header_row
    first = header_row + 1
    last = max([r for task in ts.tasks for r in (task.rows or [task.row])] + [first])
    found = {schema.normalize_header(v): c for c, v in enumerate(grid.rows[header_row - 1]) if v not in (None, "")}
    used = max([_col_index(L) for L in ts.columns.values()] +
               [c for r in range(header_row - 1, min(last, len(grid.rows))) for c, v in enumerate(grid.rows[r])
                if v not in (None, "")])
    due = found.get(schema.DUE.zh, used + 1)
    warning = found.get(schema.WARNING.zh, max(used, due) + 1)
    return _OverdueColumns(header_row, first, last, due, warning, max(used, due, warning), ts.columns.get("status"))


def _overdue_values(ts, cols: _OverdueColumns, soon_days: int, grid) -> tuple[list[list[Any]], list[list[Any]], int, list]:
    """The 截止日期 values and 预警 formulas, one per row of the table, how many tasks
    cannot be judged (no due date), and the cells kept as a person typed them (the rule of
    `xltools flag`, flag.typed_over): they, and the rows that are no task, are written
    back as they are."""
    from xltools.rules.warning import due_cell, warning_formula, warning_of
    from xltools.work.flag import repeated_headers, typed_over

    rows = range(cols.first, cols.last + 1)
    dues: list[list[Any]] = [[grid.value(r - 1, cols.due)] for r in rows]
    formulas: list[list[Any]] = [[grid.value(r - 1, cols.warning) or ""] for r in rows]
    unjudged, kept = 0, []
    for task in ts.tasks:
        d, i = task.deadline, task.row - cols.first
        formula = warning_formula(task.row, col_letter(cols.due), cols.status, kind=d.kind if d else None,
                                  ongoing=bool(d and d.ongoing), soon_days=soon_days)
        for c, ours, out in ((cols.due, due_cell(d), dues), (cols.warning, formula, formulas)):
            said = typed_over(out[i][0] or None, ours, str(grid.source), grid.sheet, f"{col_letter(c)}{task.row}", task)
            if said is None:
                out[i][0] = ours
            else:
                kept.append(said)
        if not task.is_empty and warning_of(d, task.status, soon_days=soon_days) is None:
            unjudged += 1
    for r in repeated_headers(ts):      # the header again at a page break: named as on the first page
        for column, out in ((schema.DUE, dues), (schema.WARNING, formulas)):
            if cols.first <= r <= cols.last and out[r - cols.first][0] in (None, ""):
                out[r - cols.first][0] = column.zh
    return dues, formulas, unjudged, kept


def _write_overdue_columns(sheet, cols: _OverdueColumns, dues, formulas) -> None:
    h = cols.header
    sheet.range((h, cols.due + 1)).value = schema.DUE.zh
    sheet.range((h, cols.warning + 1)).value = schema.WARNING.zh
    sheet.range((h, cols.due + 1), (h, cols.warning + 1)).font.bold = True
    due_rng = sheet.range((cols.first, cols.due + 1), (cols.last, cols.due + 1))
    due_rng.value = dues
    due_rng.number_format = DATE_FORMAT
    warn_rng = sheet.range((cols.first, cols.warning + 1), (cols.last, cols.warning + 1))
    warn_rng.number_format = "General"     # a text-formatted column would show the formula itself
    warn_rng.formula = formulas


def _colour_rows(book, sheet, cols: _OverdueColumns, colours):
    """Our rules on the table's rows, replacing the ones of an earlier run; the range
    covers every column of the table (a master's A:S, not only up to 预警)."""
    from xltools.rules.warning import row_colours

    rows_rng = sheet.range((cols.first, 1), (cols.last, cols.right + 1))
    rules = row_colours(col_letter(cols.warning), cols.first, colours)
    with _selected(book, rows_rng[0, 0]):
        _remove_our_rules(rows_rng, {"=" + rule.formula for rule in rules})
        # New rules go on top of Excel's list: add the last one first so "done" wins.
        for rule in reversed(rules):
            rows_rng.conditional_formats.add_custom("=" + rule.formula, stop_if_true=True, **_rule_colours(rule))
    return rows_rng, rules


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
    """xlwings' colour arguments for one row colour of the 预警 rule."""
    out = {"fill_color": "#" + rule.fill}
    if rule.font:
        out["font_color"] = "#" + rule.font
    return out


def _remove_our_rules(rng, formulas: set[str]) -> None:
    """Rerunning must not stack copies of our rules; the clerk's own rules stay."""
    try:
        ours = [cf for cf in rng.conditional_formats if (cf.formula or "").replace(" ", "") in formulas]
    except NotImplementedError:   # this engine cannot list rules synchronously
        return
    for cf in ours:
        cf.delete()
