"""Click commands `report` (督办通报) and `remind` (催办单): one library call each."""
from __future__ import annotations

import json
from pathlib import Path

import click

from xltools.cli.common import command, doc_lang_option, echo_finding, handle_errors, json_option, lang_option, \
    parse_date, registry_from, registry_option
from xltools.texts import t
from xltools.work.report import remind, report
from xltools.work.returns import place_of


def _as_of_option(f):
    return click.option("--as-of", callback=parse_date, default=None,
                        help="按哪一天统计（默认取汇总表的预警基准日，没有则为今天） / as-of day")(f)


def _soon_option(f):
    return click.option("--soon-days", type=click.IntRange(0, 366), default=None,
                        help="几天内到期算“临期”（默认取汇总表的设置，没有则为 15） / days counted as due soon")(f)


def _plan_option(f):
    return click.option("--plan", default=None, help="标题中的计划名称（默认取计划表的标题，其次区县和年度） / "
                                                      "plan name in the title (default: the plan's title)")(f)


@command("report")
@click.argument("master", type=click.Path(dir_okay=False, exists=True))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="通报保存为（.docx） / the circular (.docx)")
@_as_of_option
@_soon_option
@_plan_option
@registry_option
@doc_lang_option
@json_option
@lang_option
@handle_errors
def report_command(master, output, as_of, soon_days, plan, registry, doc_lang, as_json, lang):
    summary = report(master, output, as_of=as_of, soon_days=soon_days, plan=plan, doc_lang=doc_lang,
                     registry=registry_from(registry))
    if as_json:
        click.echo(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
        return
    n = summary.circular.total
    click.echo(t("cli-report-done", lang, file=output, total=n.total, done=n["done"], progress=n.in_progress,
                 overdue=n["overdue"], unknown=n["unjudged"], date=summary.circular.as_of.isoformat()))
    if not summary.chart:
        click.echo(t("cli-report-no-chart", lang))


@command("remind")
@click.argument("master", type=click.Path(dir_okay=False, exists=True))
@click.option("-o", "--output", "folder", required=True, type=click.Path(file_okay=False),
              help="保存催办单的文件夹 / folder for the reminders")
@_as_of_option
@_soon_option
@click.option("--reply-by", callback=parse_date, default=None,
              help="反馈期限（默认为统计日后 7 天） / reply-by date (default: 7 days after the as-of day)")
@click.option("--sheet", is_flag=True, help="同时在汇总表中写入“催办”工作表 / also write a 催办 sheet into the master")
@_plan_option
@registry_option
@doc_lang_option
@json_option
@lang_option
@handle_errors
def remind_command(master, folder, as_of, soon_days, reply_by, sheet, plan, registry, doc_lang, as_json, lang):
    summary = remind(master, folder, as_of=as_of, soon_days=soon_days, reply_by=reply_by, plan=plan, sheet=sheet,
                     lang=lang, doc_lang=doc_lang, registry=registry_from(registry))
    if as_json:
        click.echo(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
        return
    if not summary.files:
        click.echo(t("cli-remind-only-unreached" if summary.unreached else "cli-remind-none", lang,
                     date=summary.as_of.isoformat()))
    else:
        click.echo(t("cli-remind-done", lang, files=len(summary.files), folder=folder, date=summary.as_of.isoformat(),
                     reply=summary.reply_by.isoformat()))
    for unit, path, overdue, soon in summary.files:
        click.echo(t("cli-remind-line", lang, unit=unit, overdue=overdue, soon=soon, file=path.name))
        if summary.refused.get(unit):
            click.echo(t("cli-remind-refused", lang, n=summary.refused[unit]))
    for district, unit in summary.unreached:
        click.echo(t("cli-remind-unreached", lang, unit=unit, place=place_of(district, lang)))
    for district, unit, suggestion, path in summary.doubtful:
        click.echo(t("cli-remind-doubtful", lang, unit=unit, place=place_of(district, lang), suggestion=suggestion,
                     file=path.name))
    if summary.sheet:
        click.echo(t("cli-remind-sheet", lang, sheet=summary.sheet))
    for f in summary.findings:       # drawn objects the save of the 催办 sheet could not keep
        echo_finding(f, f"{Path(f.file).name} › {f.sheet}", lang)
