"""inspect and validate: what was read, and what is wrong with it."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from xltools import schema
from xltools.check.validate import validate
from xltools.cli.common import (command, EXIT_FAILED, EXIT_OK, EXIT_PROBLEMS, handle_errors, json_option, lang_option,
                                registry_from, registry_option, year_option)
from xltools.cli.table import text_table
from xltools.read import read_plan
from xltools.texts import t


@command("inspect")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--sheet", default=None, help="只读这个工作表 / only this sheet")
@year_option
@registry_option
@json_option
@lang_option
@handle_errors
def inspect(file, sheet, year, registry, as_json, lang):
    plan = read_plan(file, sheet, year=year, registry=registry_from(registry))
    if as_json:
        click.echo(json.dumps(plan.to_dict(), ensure_ascii=False, indent=2))
        return
    for ts in plan.sheets:
        unknown = t("cli-unknown", lang)
        click.echo(f"{t('cli-file', lang)}: {plan.file}  {t('cli-sheet', lang)}: {ts.sheet}")
        click.echo(f"{t('cli-district', lang)}: {ts.district or unknown}  {t('cli-year', lang)}: {ts.year or unknown}  "
                   f"{t('cli-issued', lang)}: {ts.issued or unknown}  {t('cli-header-row', lang)}: "
                   f"{ts.header_row or '-'}  {t('cli-tasks', lang)}: {len(ts.tasks)}")
        columns = (schema.SEQ, schema.SECTION, schema.REQUIREMENT, schema.LEAD, schema.SUPPORT, schema.DEADLINE,
                   schema.DUE)
        headers = [t("cli-row", lang)] + [c.header(lang) for c in columns]
        rows = [[task.row, task.seq or "", task.subsection or task.section or "", task.requirement or "",
                 "、".join(task.leads_written), "、".join(task.supports_written), task.deadline_raw or "",
                 task.due.isoformat() if task.due else (t("kind-" + task.deadline.kind.value, lang) if task.deadline else "")]
                for task in ts.tasks]
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


@command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--sheet", default=None, help="只校验这个工作表 / only this sheet")
@click.option("--notes", is_flag=True, help="同时列出提示（分页表头、拼接的断行等） / also list notes")
@year_option
@registry_option
@json_option
@lang_option
@handle_errors
def validate_cmd(files, sheet, notes, year, registry, as_json, lang):
    report = validate(files, registry_from(registry), year=year, sheet=sheet)
    if not notes:
        report = report.only("error", "warning")
    if as_json:
        click.echo(report.to_json(lang))
    else:
        for exc in report.unreadable:
            click.echo(t("cli-error", lang, message=exc.message(lang)), err=True)
        for f in report.findings:
            where = f"{Path(f.file).name} › {f.sheet}" + (f"!{f.cell}" if f.cell else "")
            click.echo(f"[{t('severity-' + f.severity, lang)}] {where}  {f.message(lang)}")
            click.echo(f"        {'建议' if lang == 'zh' else 'Suggestion'}：{f.suggestion(lang)}")
        click.echo(report.summary(lang) if report.findings or report.unreadable else
                   t("cli-no-findings", lang) + report.summary(lang))
    if report.unreadable:
        sys.exit(EXIT_FAILED)
    sys.exit(EXIT_PROBLEMS if report.count("error") else EXIT_OK)
