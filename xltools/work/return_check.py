"""validate on a return: what collect would refuse of it, found by collect's own checks.

A return (the file split made for a unit, with its hidden 下发底稿) is run through the
collection itself (work/collect.py), as a dry run, with the tasks it was sent out with
standing in for the master.  A unit that validates its return before sending it back
sees, cell for cell, the values collect would not write (impossible or unreadable
dates, text in the date cell, 已完成 without a date, status words outside the list,
merged cells) and the notes collect would make (办结 taken as 已完成, rows re-sorted,
rows it cannot match).  Nothing here judges a value: every finding comes from collect.

A 完成时限 edited in the return is told as collect tells it (collect-text-edited, by
collect's own comparison) when its 下发底稿 keeps the deadline as sent (returns split
since it does; an older one's is left to collect, which has the master).  What only the
master can tell is left to collect: whatever the office changed in the master since the
split (a completion date typed there meanwhile makes a later 已完成 valid).
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from xltools import schema
from xltools.check.validate import validate
from xltools.errors import MessageOf, Words, XltoolsError
from xltools.findings import Finding, Report
from xltools.model import PlanFile
from xltools.texts import FINDINGS
from xltools.read import ColumnSpec, load_grids
from xltools.read.plan import is_return_book
from xltools.rules.keys import key_year
from xltools.rules.units import UnitRegistry
from xltools.work.collect import judge, read_return
from xltools.work.returns import MasterTable
from xltools.write.templates import PROGRESS_LAYOUT, SENT_FIELDS, SENT_SHEET

__all__ = ["validate_files", "check_return", "is_return"]


def validate_files(paths: Iterable[str | Path], registry: UnitRegistry | None = None, *, year: int | None = None,
                   sheet: str | None = None, columns: ColumnSpec | None = None) -> Report:
    """`check.validate.validate`, and for each return among the files collect's checks
    of what the unit typed (check_return): what `xltools validate` reports."""
    return validate(paths, registry, year=year, sheet=sheet, columns=columns, more=_on_return)


def _on_return(path: Path, plan: PlanFile, found: list[Finding]) -> list[Finding]:
    """A return's findings: the plan's own problems (a cell the unit did not type: the
    office's 完成时限, 具体要求, a unit name, the plan year) said as notes, for the unit
    cannot fix them and collect does not take them; the cells the unit typed keep their
    severity; then collect's checks of what it typed.  Any other file: as found."""
    if not is_return(path):
        return found
    typed = {cell for task in plan.tasks for key, cell in task.cells.items() if key in PROGRESS_LAYOUT.editable}
    typed_columns = {_column(c) for c in typed}
    return [f if f.cell is not None and _column(f.cell) in typed_columns or FINDINGS[f.code][0] == "info"
            else Finding("return-plan-problem", f.file, f.sheet, f.cell, f.value, {"problem": MessageOf(f)})
            for f in found] + check_return(path)


def _column(cell: str) -> str:
    return "".join(ch for ch in cell if ch.isalpha())


is_return = is_return_book        # (its old name here)


def check_return(path: str | Path) -> list[Finding]:
    """The findings collect --dry-run would make for this return alone, collected into a
    master that holds what the return was sent out with; [] for a file that is no return
    (or one whose 下发底稿 lists no task)."""
    path = Path(path)
    if not is_return(path):
        return []
    try:
        grids = load_grids(path)
        ret = read_return(path, grids)
    except XltoolsError:            # validate has reported the file as unreadable
        return []
    if not ret.sent:
        return []
    kept = _keeps_deadline(grids)
    summary = judge(ret, MasterTable.from_rows(path, _as_sent(ret.sent, kept)), master_id=ret.source.get("master"))
    return [_return_of(ret)] + [f for f in summary.findings if kept or not _deadline_edited(f)]


def _return_of(ret) -> Finding:
    """Whose return it is, split from which master of which year: a unit that fills last
    year's form sees it before sending it back."""
    years = sorted({y for y in map(key_year, ret.sent) if y})
    return Finding("return-of", str(ret.path), SENT_SHEET, None, None,
                   {"unit": ret.unit, "name": ret.source.get("master_name") or Words("master-unnamed"),
                    "years": "、".join(map(str, years)) or "?"})


def _keeps_deadline(grids) -> bool:
    """Does the return's 下发底稿 keep each task's deadline as sent (its header row names it)?"""
    sent = next((g for g in grids if g.sheet == SENT_SHEET), None)
    return sent is not None and len(sent.rows) > 1 and schema.DEADLINE.key in sent.rows[1]


def _as_sent(sent: dict[str, dict], deadline: bool) -> list[list]:
    """A 汇总 sheet's rows (header first) holding the tasks as 下发底稿 lists them (their
    deadline when it was kept)."""
    columns = [c for c in schema.MASTER_COLUMNS if c.key in SENT_FIELDS
               and (deadline or c.key != schema.DEADLINE.key)]
    return [[c.zh for c in columns]] + [[row.get(c.key) for c in columns] for row in sent.values()]


def _deadline_edited(f: Finding) -> bool:
    """collect's note on an edited deadline: an older 下发底稿 has no deadline to compare with."""
    column = f.params.get("column")
    return f.code == "collect-text-edited" and getattr(column, "keys", (None,))[0] == schema.DEADLINE.key
