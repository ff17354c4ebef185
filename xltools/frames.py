"""Tables for the analyst in Jupyter: the same reading, checks and 预警 rule as the
commands, returned as pandas DataFrames (pandas is an extra: pip install
"xltools-renwu[pandas]").

    import xltools.frames as xf
    xf.tasks("各区任务分解表/")        # one row per task of every file, as the districts wrote it
    xf.findings("天桥区.xlsx")          # one row per problem: file, sheet, cell, value, problem, suggestion
    xf.master("汇总.xlsx")              # the master's rows, each with its 预警 state and days

Column headers are the ones our workbooks use (schema), in Chinese or English (`lang`).
Units are shown as written, joined with 、 as a cell shows them.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Iterable

from xltools import schema
from xltools.check.validate import validate
from xltools.errors import XltoolsError
from xltools.read import read_plan
from xltools.rules.units import UnitRegistry, join_units
from xltools.texts import t
from xltools.work.merge import collect_inputs
from xltools.work.report import read_report

# the task's fields a table shows, in the order of our templates
_TASK_FIELDS = (schema.SEQ, schema.SECTION, schema.SUBSECTION, schema.REQUIREMENT, schema.LEAD, schema.SUPPORT,
                schema.DEADLINE, schema.STATUS, schema.PROGRESS, schema.DONE_DATE, schema.TASK_KEY)


def _pandas():
    try:
        import pandas
    except ImportError:
        raise XltoolsError("fr-needs-pandas") from None
    return pandas


def _files(paths: str | Path | Iterable[str | Path]) -> list[Path]:
    items = [paths] if isinstance(paths, (str, Path)) else list(paths)
    return collect_inputs(items)[0]


def tasks(paths: str | Path | Iterable[str | Path], *, year: int | None = None, lang: str = "zh"):
    """One row per task of every file (folders are walked as `merge` walks them), with
    the file, sheet and row it stands in, its district and its due date as parsed."""
    pd = _pandas()
    registry = UnitRegistry.default()
    rows = []
    for path in _files(paths):
        plan = read_plan(path, year=year, registry=registry)
        for sheet in plan.sheets:
            for task in sheet.tasks:
                values = {c.key: getattr(task, c.key, None) for c in _TASK_FIELDS}
                values[schema.SUBSECTION.key] = task.sub_levels
                values[schema.LEAD.key] = join_units(u.written for u in task.lead_units)
                values[schema.SUPPORT.key] = join_units(u.written for u in task.support_units)
                values[schema.DEADLINE.key] = task.deadline_raw
                rows.append({t("fr-file", lang): path.name, t("fr-sheet", lang): sheet.sheet,
                             t("fr-row", lang): task.row, schema.DISTRICT.header(lang): sheet.district,
                             **{c.header(lang): values[c.key] for c in _TASK_FIELDS},
                             t("fr-due", lang): task.deadline.due if task.deadline else None})
    return pd.DataFrame(rows)


def findings(paths: str | Path | Iterable[str | Path], *, year: int | None = None, lang: str = "zh"):
    """Every problem `validate` finds, one row each; files that cannot be read are rows too."""
    pd = _pandas()
    report = validate(_files(paths), year=year)
    rows = [{t("fr-file", lang): Path(f.file).name, t("fr-sheet", lang): f.sheet, t("fr-cell", lang): f.cell,
             t("fr-value", lang): f.value, t("fr-severity", lang): t("severity-" + f.severity, lang), t("fr-code", lang): f.code,
             t("fr-problem", lang): f.message(lang), t("fr-suggestion", lang): f.suggestion(lang)}
            for f in report.findings]
    rows += [{t("fr-file", lang): Path(str(e.params.get("file") or "")).name, t("fr-severity", lang): t("severity-error", lang),
              t("fr-code", lang): e.key, t("fr-problem", lang): e.message(lang)} for e in report.unreadable]
    return pd.DataFrame(rows)


def master(path: str | Path, *, as_of: dt.date | None = None, soon_days: int | None = None, lang: str = "zh"):
    """The master's 汇总 rows with their 预警 state as of `as_of` (the master's own day by
    default) and the days overdue or left, by the rule the 统计 sheet and the circular use."""
    pd = _pandas()
    report = read_report(path, as_of=as_of, soon_days=soon_days, lang=lang)
    names = {c.key: c.header(lang) for c in schema.MASTER_COLUMNS}
    states = {**{k: (v if lang != "en" else k) for k, v in schema.WARNING_STATES.items()},
              "unjudged": t("fr-state-unjudged", lang)}
    rows = []
    for row, line in zip(report.rows, report.lines):
        shown = {names[k]: v for k, v in row.items() if k in names and k != schema.WARNING.key}
        rows.append({**shown, schema.WARNING.header(lang): states[line.state], t("fr-days", lang): line.days})
    return pd.DataFrame(rows)
