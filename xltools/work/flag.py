"""`xltools flag`: 截止日期 and 预警 columns with the warning colours, added in place to a
district's own task sheet, keeping its formatting (and its macros)."""
from __future__ import annotations

import datetime as dt
import re
import shutil
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from openpyxl.worksheet.worksheet import Worksheet

from xltools import schema
from xltools.write.cells import DATE_FORMAT
from xltools.write.files import atomic_save, check_not_open
from xltools.write.master import MasterError
from xltools.model import col_letter
from xltools.rules.warning import conditional_rules, due_cell, warning_formula

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

    from xltools.read import read_plan

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
    except Exception:  # openpyxl raises many types (raw XML parser messages) for files it cannot take apart
        raise MasterError("flag-unreadable", file=str(path)) from None
    flagged = [(ts.sheet, _flag_sheet(wb[ts.sheet], ts, as_of, soon_days, colours)) for ts in tables]

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    backup, n = path.with_name(f"{path.name}.{stamp}.bak"), 1
    while backup.exists():  # two runs within a second must not overwrite the older backup
        n += 1
        backup = path.with_name(f"{path.name}.{stamp}-{n}.bak")
    try:
        shutil.copy2(path, backup)
    except OSError:  # a read-only folder: the file is not changed without its backup
        with suppress(OSError):
            backup.unlink(missing_ok=True)
        raise MasterError("flag-backup-failed", file=str(path), folder=str(path.parent)) from None
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
        due = due_cell(d)
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
