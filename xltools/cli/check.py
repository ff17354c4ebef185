"""inspect and validate: what was read, and what is wrong with it."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from xltools import schema
from xltools.cli.common import echo_finding as _echo_finding
from xltools.cli.common import (columns_option, command, EXIT_FAILED, EXIT_OK, EXIT_PROBLEMS, fail, handle_errors,
                                json_option, lang_option, registry_from, registry_option, save_columns_option,
                                year_option)
from xltools.cli.table import fitted, text_table
from xltools.read import read_plan
from xltools.write.columns import save_columns as write_column_map
from xltools.texts import t
from xltools.work.return_check import validate_files


@command("inspect")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--sheet", default=None, help="只读这个工作表 / only this sheet")
@year_option
@columns_option
@save_columns_option
@registry_option
@json_option
@lang_option
@handle_errors
def inspect(file, sheet, year, columns, save_columns, registry, as_json, lang):
    _need_columns(columns, save_columns, lang)
    plan = read_plan(file, sheet, year=year, registry=registry_from(registry), columns=columns)
    if save_columns:
        _echo_saved(plan, columns, lang)
    if as_json:
        click.echo(json.dumps(plan.to_dict(), ensure_ascii=False, indent=2))
        return
    for ts in plan.sheets:
        unknown = t("cli-unknown", lang)
        click.echo(f"{t('cli-file', lang)}: {plan.file}  {t('cli-sheet', lang)}: {ts.sheet}")
        click.echo(f"{t('cli-district', lang)}: {ts.district or unknown}  {t('cli-year', lang)}: {ts.year or unknown}  "
                   f"{t('cli-issued', lang)}: {ts.issued or unknown}  {t('cli-header-row', lang)}: "
                   f"{ts.header_row or '-'}  {t('cli-tasks', lang)}: {len(ts.tasks)}")
        _echo_column_map(ts, lang)
        columns = (schema.SEQ, schema.SECTION, schema.REQUIREMENT, schema.LEAD, schema.SUPPORT, schema.DEADLINE,
                   schema.DUE)
        headers = [t("cli-row", lang)] + [c.header(lang) for c in columns]
        rows = [[task.row, task.seq_written or task.seq or "", task.sub_levels or task.section or "", task.requirement or "",
                 "、".join(task.leads_written), "、".join(task.supports_written), task.deadline_raw or "",
                 _due_shown(task, lang)] for task in ts.tasks]
        widths = [5, 5, 16, 30, 18, 14, 14, 10]
        if any(task.deadline and task.deadline.stages for task in ts.tasks):   # a staged deadline's milestones
            headers.append(t("cli-stages", lang))
            widths.append(22)
            for row, task in zip(rows, ts.tasks):
                row.append("、".join(d.isoformat() for d in task.deadline.stages) if task.deadline else "")
        if ts.layout == "form":   # an online form's export: who reported, when
            click.echo(t("cli-form-export", lang))
            headers += [schema.SUBMITTED_AT.header(lang), schema.SUBMITTER.header(lang)]
            widths += [19, 8]
            for row, task in zip(rows, ts.tasks):
                row += [task.reported_at.isoformat(" ") if task.reported_at else "", task.submitter or ""]
        click.echo(text_table(headers, rows, widths=widths))
        click.echo()
    for sheet_name in plan.skipped:
        click.echo(t("sheet-skipped-line", lang, sheet=sheet_name))
    # a map given that names no column, the reader's doubts about its columns: said where the columns are shown
    for f in plan.notes + [f for ts in plan.sheets for f in ts.findings]:
        if f.code.startswith("columns-") and f.code != "columns-given":
            _echo_finding(f, f.sheet + (f"!{f.cell}" if f.cell else ""), lang)


def _due_shown(task, lang: str) -> str:
    """The due date, else why there is none (缺年份, 无效日期 …), else the kind (长期)."""
    d = task.deadline
    if task.due:
        return task.due.isoformat()
    if d is None:
        return t("cli-due-missing-deadline", lang)
    if d.problem:
        return t("cli-due-" + d.problem, lang)
    return t("kind-" + d.kind.value, lang)


def _echo_column_map(ts, lang: str) -> None:
    """Which column was read as which field, and why (a clerk's map says where it came
    from); then the sheet's own columns, kept as written."""
    rows = ts.column_lines(lang)
    if not rows:
        return
    title = t("columns-title", lang)
    if ts.columns_given:
        title += t("columns-title-given", lang, source=ts.columns_given)
    click.echo(title)
    headers = [t(k, lang) for k in ("columns-h-field", "columns-h-letter", "columns-h-header", "columns-h-why")]
    click.echo(text_table(headers, rows, widths=[fitted([headers[0], *(r[0] for r in rows)], 10, 20), 4, 18, 44]))
    click.echo()


def _need_columns(columns, save: bool, lang: str) -> None:
    if save and columns is None:
        fail(lang, t("cli-save-columns-alone", lang))


def _echo_saved(plan, columns, lang: str) -> None:
    saved = write_column_map(plan.sheets[0], columns)
    click.echo(t("cli-columns-saved", lang, file=saved))


@command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--sheet", default=None, help="只校验这个工作表 / only this sheet")
@click.option("--notes", is_flag=True, help="同时列出提示（分页表头、拼接的断行等） / also list notes")
@year_option
@columns_option
@save_columns_option
@registry_option
@json_option
@lang_option
@handle_errors
def validate_cmd(files, sheet, notes, year, columns, save_columns, registry, as_json, lang):
    _need_columns(columns, save_columns, lang)
    if save_columns:   # beside the files: one map per folder, its letters as the headers of the folder's first file
        for folder in dict.fromkeys(Path(f).parent for f in files):
            first = next(f for f in files if Path(f).parent == folder)
            _echo_saved(read_plan(first, sheet, year=year, columns=columns), columns, lang)
    report = validate_files(files, registry_from(registry), year=year, sheet=sheet, columns=columns)
    given = [f for f in report.findings if f.code in ("columns-given", "return-of")]    # said even without --notes
    if not notes:
        report = report.only("error", "warning")
    if as_json:
        click.echo(report.to_json(lang))
    else:
        for f in given if not notes else ():   # the columns were not read as found; whose return of which year
            click.echo(f"[{t('severity-' + f.severity, lang)}] {Path(f.file).name} › {f.sheet}  {f.message(lang)}")
        for exc in report.unreadable:
            click.echo(t("cli-error", lang, message=exc.message(lang)), err=True)
        for f in report.findings:
            _echo_finding(f, f"{Path(f.file).name} › {f.sheet}" + (f"!{f.cell}" if f.cell else ""), lang)
        click.echo(report.summary(lang) if report.findings or report.unreadable else
                   t("cli-no-findings", lang) + report.summary(lang))
    if report.unreadable:
        sys.exit(EXIT_FAILED)
    sys.exit(EXIT_PROBLEMS if report.count("error") else EXIT_OK)
