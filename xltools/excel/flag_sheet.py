"""标记逾期: the 截止日期 and 预警 columns and the colouring, on the open sheet."""
from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Iterator

from xltools import schema
from xltools.model import col_letter
from xltools.texts import t
from xltools.write.cells import DATE_FORMAT
from xltools.excel.host import ActionError, _alert, _cells_of, _status, action, user_registry
from xltools.excel.sheet import read_active

if TYPE_CHECKING:
    from xltools.work.flag import FlagColumns


# ====================================================================== 标记逾期

@action
def mark_overdue(book, *, lang: str = "zh", soon_days: int = schema.DEFAULT_SOON_DAYS,
                 colours: dict | None = None) -> dict:
    """标记逾期: add 截止日期 (real dates) and 预警 (live formulas) after the table and
    colour the rows from 预警 with conditional formats.  Running it again rewrites the
    same two columns, found by the rule `xltools flag` follows (flag.flag_columns)."""
    from xltools.work.flag import flag_columns

    sheet, grid, ts, _ = read_active(book, lang, user_registry())
    if "deadline" not in ts.columns:
        raise ActionError("no-deadline-column", sheet=sheet.name)
    cols = flag_columns(ts, lambda r, c: grid.value(r - 1, c - 1), grid.width)
    dues, formulas, unjudged, kept = _overdue_values(ts, cols, soon_days, grid)
    _status(book, t("progress-writing", lang))
    _write_overdue_columns(sheet, cols, dues, formulas)
    rows_rng, rules = _colour_rows(book, sheet, cols, colours)
    area = _widen_print_area(sheet, cols)
    tasks = sum(1 for task in ts.tasks if not task.is_empty)
    due_col, warn_col = cols.due_letter, cols.warning_letter
    result = {"due_column": due_col, "warning_column": warn_col, "tasks": tasks, "unjudged": unjudged,
              "rules": len(rules), "range": _cells_of(rows_rng.address), "kept": [f.cell for f in kept],
              "print_area": area}
    # what a person typed in the two columns stays, and is said with what to do
    said = [f"{f.cell}  {f.message(lang)}{f.suggestion(lang)}" for f in kept]
    _alert(book, "\n".join([t("overdue-done", lang, due=due_col, warning=warn_col, tasks=tasks, unjudged=unjudged),
                            *said]), t("title", lang))
    return result


def _overdue_values(ts, cols: FlagColumns, soon_days: int, grid) -> tuple[list[list[Any]], list[list[Any]], int, list]:
    """The 截止日期 values and 预警 formulas, one per row under the header down to the
    table's last (`_block`), how many tasks cannot be judged (no due date), and the cells
    kept as a person typed them (the rule of `xltools flag`, flag.typed_over): they, and the
    rows that are no task, are written back as they are."""
    from xltools.rules.warning import due_cell, warning_formula, warning_of
    from xltools.work.flag import typed_over

    top, rows = _block(cols)
    dues: list[list[Any]] = [[grid.value(r - 1, cols.due - 1)] for r in rows]
    formulas: list[list[Any]] = [[grid.value(r - 1, cols.warning - 1) or ""] for r in rows]
    unjudged, kept = 0, []
    for task in ts.tasks:
        d, i = task.deadline, task.row - top
        formula = warning_formula(task.row, cols.due_letter, ts.columns.get("status"), kind=d.kind if d else None,
                                  ongoing=bool(d and d.ongoing), soon_days=soon_days)
        for c, ours, out in ((cols.due, due_cell(d), dues), (cols.warning, formula, formulas)):
            said = typed_over(out[i][0] or None, ours, str(grid.source), grid.sheet, f"{col_letter(c - 1)}{task.row}", task)
            if said is None:
                out[i][0] = ours
            else:
                kept.append(said)
        if not task.is_empty and warning_of(d, task.status, soon_days=soon_days) is None:
            unjudged += 1
    for r in cols.repeated:      # the header again at a page break: named as on the first page
        for column, out in ((schema.DUE, dues), (schema.WARNING, formulas)):
            if r in rows and out[r - top][0] in (None, ""):
                out[r - top][0] = column.zh
    return dues, formulas, unjudged, kept


def _block(cols: FlagColumns) -> tuple[int, range]:
    """The rows the button writes and colours in one go: from the row under the header
    to the table's last (rows between that are no task are written back as they are)."""
    top = cols.header + 1
    return top, range(top, cols.last + 1)


def _write_overdue_columns(sheet, cols: FlagColumns, dues, formulas) -> None:
    h, (top, _) = cols.header, _block(cols)
    sheet.range((h, cols.due)).value = schema.DUE.zh
    sheet.range((h, cols.warning)).value = schema.WARNING.zh
    sheet.range((h, cols.due), (h, cols.warning)).font.bold = True
    due_rng = sheet.range((top, cols.due), (cols.last, cols.due))
    due_rng.value = dues
    due_rng.number_format = DATE_FORMAT
    warn_rng = sheet.range((top, cols.warning), (cols.last, cols.warning))
    warn_rng.number_format = "General"     # a text-formatted column would show the formula itself
    warn_rng.formula = formulas


def _widen_print_area(sheet, cols: FlagColumns) -> str | None:
    """The sheet's print area, when it has one, widened so that the two columns print with
    the table (the rule of `xltools flag`, flag.print_area_with); the new area, or None when
    it stays as it was.  (`xltools flag` also sets a sheet without a width in pages to fit
    its table's width; xlwings has no portable page setup for that, so the button does not.)"""
    from xltools.work.flag import print_area_with

    try:
        widened = print_area_with(sheet.page_setup.print_area, cols)
    except (AttributeError, NotImplementedError):   # an engine without page setup
        return None
    if widened:
        sheet.page_setup.print_area = ",".join(widened)
    return ",".join(widened) if widened else None


def _colour_rows(book, sheet, cols: FlagColumns, colours):
    """Our rules on the table's rows, replacing the ones of an earlier run; the range
    covers every column of the table (a master's A:S, not only up to 预警)."""
    from xltools.rules.warning import row_colours

    top, _ = _block(cols)
    rows_rng = sheet.range((top, 1), (cols.last, cols.right))
    rules = row_colours(cols.warning_letter, top, colours)
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
