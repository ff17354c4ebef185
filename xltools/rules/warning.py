"""The traffic-light warning (预警), in one place.

`warning_state` judges a task in Python; `warning_formula` writes the same judgement as
an Excel formula for the 预警 column, and `row_colours` colours rows from that column
(pure data: each writer makes its own form of it).  All three follow one decision tree, `_plan`, so Python, Excel, LibreOffice and
WPS agree (tests check the formula against LibreOffice's results):

    done (状态 in DONE_WORDS)           → 已完成
    ongoing / recurring deadline          → 持续推进   (never overdue)
    no due date                           → 持续推进 if the text also says 长期坚持, else 无法判断
    due date passed                       → 持续推进 if "…前完成，长期坚持", else 逾期
    due within soon_days (inclusive)      → 临期
    otherwise                             → 正常

A task due today is not overdue yet; it is 临期.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from xltools.rules.deadlines import Deadline, DeadlineKind
from xltools.schema import DEFAULT_COLOURS, DEFAULT_SOON_DAYS, DONE_WORDS, WARNING_STATES, WARNING_UNJUDGED

__all__ = ["warning_state", "warning_of", "warning_formula", "warning_formula_template", "ROW", "RowColour", "row_colours",
           "is_done", "as_of_excel", "due_cell", "COUNTED_STATES", "UNJUDGED", "WARNING_WORDS", "count_states"]

_ONGOING_KINDS = (DeadlineKind.ONGOING, DeadlineKind.RECURRING)


def due_cell(deadline: Deadline | None) -> dt.date | None:
    """What the 截止日期 column shows: the due date, but none for ongoing and recurring
    tasks (a "next report date" written into a cell would go stale)."""
    if deadline is None or deadline.kind in _ONGOING_KINDS:
        return None
    return deadline.due


# Excel compares text case-insensitively: Python must too, or "DONE"/"done" would differ.
_DONE = {w.casefold() for w in DONE_WORDS}


@dataclass(frozen=True)
class _Plan:
    """The per-task constants of the decision tree (what the deadline text says)."""
    fixed: str | None     # state regardless of dates (ongoing kinds), else None
    past: str             # state once the due date has passed
    no_date: str | None   # state when there is no due date (None: cannot judge, 无法判断)


def _plan(kind: DeadlineKind | str | None, ongoing: bool) -> _Plan:
    kind = DeadlineKind(kind) if kind else None
    if kind in _ONGOING_KINDS:
        return _Plan("ongoing", "ongoing", "ongoing")
    return _Plan(None, "ongoing" if ongoing else "overdue", "ongoing" if ongoing else None)


def is_done(status) -> bool:
    # strip(" ") like Excel's TRIM, which leaves other whitespace (\u3000) alone
    return isinstance(status, str) and status.strip(" ").casefold() in _DONE


def warning_state(due: dt.date | None, status=None, kind: DeadlineKind | str | None = DeadlineKind.DATE,
                  ongoing: bool = False, as_of: dt.date | None = None,
                  soon_days: int = DEFAULT_SOON_DAYS) -> str | None:
    """A WARNING_STATES key, or None when there is no due date to judge (the deadline
    problem is reported elsewhere; 预警 says 无法判断, more honest than 正常)."""
    if is_done(status):
        return "done"
    plan = _plan(kind, ongoing)
    if plan.fixed:
        return plan.fixed
    if isinstance(due, dt.datetime):
        due = due.date()
    if due is None:
        return plan.no_date
    as_of = as_of or dt.date.today()
    if due < as_of:
        return plan.past
    return "soon" if (due - as_of).days <= soon_days else "ok"


# What counts of 预警 are made of: every task is in exactly one of these.  A task with no
# due date to judge is 无法判断, shown in 预警 and counted, not left out: the counts add up
# to the tasks, on the terminal and in 统计 (where it is the total minus the other columns,
# so a 预警 cell someone typed over is counted there too).
UNJUDGED = "unjudged"
COUNTED_STATES = (*WARNING_STATES, UNJUDGED)
# Every word a 预警 cell shows (the formula's results): what conditional formats, 统计's
# COUNTIFS and flag compare with, in Chinese whatever the language of the clerk.
WARNING_WORDS = {**WARNING_STATES, UNJUDGED: WARNING_UNJUDGED}


def count_states(states) -> dict[str, int]:
    """{COUNTED_STATES key: n} for the states of some tasks (None: not judged)."""
    counts = dict.fromkeys(COUNTED_STATES, 0)
    for state in states:
        counts[state or UNJUDGED] += 1
    return counts


def warning_of(deadline: Deadline | None, status=None, *, as_of=None, soon_days=DEFAULT_SOON_DAYS) -> str | None:
    """`warning_state` for a parsed Deadline."""
    if deadline is None:
        return warning_state(None, status, None, False, as_of, soon_days)
    return warning_state(deadline.due, status, deadline.kind, deadline.ongoing, as_of, soon_days)


# ------------------------------------------------------------------ Excel

def _q(text: str) -> str:
    """A string literal in a formula."""
    return '"' + text.replace('"', '""') + '"'


def _label(state: str | None) -> str:
    return _q(WARNING_WORDS[state or UNJUDGED])


def as_of_excel(as_of: dt.date | None) -> str:
    """TODAY() for a live sheet, DATE(y,m,d) for a report fixed at --as-of."""
    return "TODAY()" if as_of is None else f"DATE({as_of.year},{as_of.month},{as_of.day})"


def _done_test(status_ref: str) -> str:
    return "OR(" + ",".join(f"TRIM({status_ref})={_q(w)}" for w in sorted(_DONE)) + ")"


def warning_formula(row: int, due_col: str, status_col: str | None, *, kind=DeadlineKind.DATE,
                    ongoing: bool = False, as_of: dt.date | None = None,
                    soon_days: int = DEFAULT_SOON_DAYS) -> str:
    """The 预警 cell formula (with the leading "=") for one row, English function names
    and comma separators as the file format stores them."""
    return warning_formula_template(due_col, status_col, kind=kind, ongoing=ongoing, as_of=as_of,
                                    soon_days=soon_days).replace(ROW, str(row))


ROW = "{row}"  # where the row number goes in a cached formula (no formula text has braces)


def warning_formula_template(due_col: str, status_col: str | None, *, kind=DeadlineKind.DATE,
                             ongoing: bool = False, as_of: dt.date | None = None,
                             soon_days: int = DEFAULT_SOON_DAYS) -> str:
    """`warning_formula` with ROW where the row number goes: one text for every row of a
    kind, for writers that put it in place themselves."""
    return _formula(due_col, status_col, kind, ongoing, as_of, soon_days)


@functools.lru_cache(maxsize=512)
def _formula(due_col: str, status_col: str | None, kind, ongoing: bool, as_of: dt.date | None,
             soon_days: int) -> str:
    """The formula of every row of one kind, built once (a master has 100 000s of rows)."""
    row = ROW
    plan = _plan(kind, ongoing)
    if plan.fixed:
        body = _label(plan.fixed)
    else:
        due, today = f"{due_col}{row}", as_of_excel(as_of)
        body = (f"IF(ISNUMBER({due}),IF({due}<{today},{_label(plan.past)},"
                f"IF({due}-{today}<={int(soon_days)},{_label('soon')},{_label('ok')})),{_label(plan.no_date)})")
    if status_col:
        body = f"IF({_done_test(f'{status_col}{row}')},{_label('done')},{body})"
    return "=" + body


@dataclass(frozen=True)
class RowColour:
    """One conditional format of the rows: where the 预警 cell says `state`, fill the row
    (and colour its text).  Writers make their own form of it (openpyxl, SpreadsheetML,
    Excel through xlwings)."""
    state: str
    formula: str                 # no leading "=": absolute column, relative row ($L2)
    fill: str                    # RRGGBB
    font: str | None = None      # RRGGBB, or None to keep the text colour


def row_colours(warning_col: str, first_row: int = 2,
                colours: dict[str, tuple[str, str]] | None = None) -> list[RowColour]:
    """The rules colouring whole rows from the 预警 column, first match wins (stopIfTrue).

    Colouring from the computed 预警 text (not from the dates again) keeps one decision
    tree: an ongoing task can never turn red.  Formulas have no leading "=", an absolute
    column and a relative row ($L2), as Excel and WPS expect."""
    colours = {**DEFAULT_COLOURS, **(colours or {})}
    # done first: a finished task is grey even if its date has passed
    return [RowColour(state, f'${warning_col}{first_row}={_q(WARNING_STATES[state])}', colours[state][0],
                      colours[state][1] or None)
            for state in ("done", "overdue", "soon", "ok", "ongoing") if colours.get(state)]
