"""Command line: each command opens its input, makes one library call, and turns the
library's known errors into one Chinese line and an exit code."""
from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

import click

from xltools import __version__, schema
from xltools.cli.common import (EXIT_FAILED, EXIT_OK, EXIT_PROBLEMS, handle_errors, json_option, lang_option,
                         load_registry, registry_option, year_option)
from xltools.texts import t
from xltools.read.table import read_plan
from xltools.rules.units import UnitRegistry, learn_units
from xltools.check.validate import validate


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="xltools")
def cli():
    """xltools：读取、校验、汇总区县任务分解表，并下发和收集进展。"""


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--sheet", default=None, help="只读这个工作表 / only this sheet")
@year_option
@registry_option
@json_option
@lang_option
@handle_errors
def inspect(file, sheet, year, registry, as_json, lang):
    """显示从 FILE 中读出的任务。"""
    plan = read_plan(file, sheet, year=year, registry=load_registry(registry))
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
                 "、".join(task.lead_units), "、".join(task.support_units), task.deadline_raw or "",
                 task.due.isoformat() if task.due else (task.deadline.kind.value if task.deadline else "")]
                for task in ts.tasks]
        click.echo(_table(headers, rows, widths=[5, 5, 16, 30, 18, 14, 14, 10]))
        click.echo()
    for sheet_name in plan.skipped:
        click.echo(t("sheet-skipped-line", lang, sheet=sheet_name))


@cli.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--sheet", default=None, help="只校验这个工作表 / only this sheet")
@click.option("--notes", is_flag=True, help="同时列出提示（分页表头、拼接的断行等） / also list notes")
@year_option
@registry_option
@json_option
@lang_option
@handle_errors
def validate_cmd(files, sheet, notes, year, registry, as_json, lang):
    """校验 FILES 中的单位名称和完成时限。有错误时退出码为 1，有文件无法读取时为 2。"""
    report = validate(files, load_registry(registry), year=year, sheet=sheet)
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


@cli.group()
def units():
    """单位名录：导出、学习。"""


@units.command("export")
@click.argument("output", type=click.Path(dir_okay=False))
@click.option("--district", default=None, help="只导出本区县适用的单位 / only this district's units")
@registry_option
@lang_option
@handle_errors
def units_export(output, district, registry, lang):
    """把单位名录写成可在 Excel 中编辑的 OUTPUT（.xlsx）。"""
    reg = load_registry(registry)
    if district:
        reg = reg.for_district(district)
    reg.save(output)
    click.echo(t("cli-registry-saved", lang, file=output, count=len(reg)))


@units.command("learn")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="把建议写入此 .xlsx 单位名录 / write proposals to this registry workbook")
@registry_option
@json_option
@lang_option
@handle_errors
def units_learn(files, output, registry, as_json, lang):
    """从已有任务表 FILES 中找出名录里没有的单位，提出名录条目建议。"""
    reg = load_registry(registry)
    texts = []
    for file in files:
        plan = read_plan(file, registry=reg)
        texts.extend(task.units_raw for task in plan.tasks if task.units_raw)
    proposals = learn_units(texts, reg)
    if as_json:
        click.echo(json.dumps(proposals, ensure_ascii=False, indent=2))
    elif not proposals:
        click.echo(t("cli-learn-none", lang))
    else:
        headers = ["单位名称", "次数", "类别", "可能是简称"] if lang == "zh" else ["Unit", "Count", "Kind", "Alias of"]
        click.echo(_table(headers, [[p["name"], p["count"], p["kind"], p.get("alias_of") or ""] for p in proposals],
                          widths=[28, 5, 10, 28]))
    if output and proposals:
        from xltools.rules.units import Unit
        added = [Unit(p["name"], p["kind"]) for p in proposals if not p.get("alias_of")]
        UnitRegistry(list(reg) + added).save(output)
        click.echo(t("cli-learn-saved", lang, count=len(proposals), file=output))


def _register() -> None:
    from xltools.cli.merge import flag_command, merge_command
    from xltools.cli.addin import addin_group
    from xltools.cli.loop import collect_command, split_command
    from xltools.cli.templates import new_plan_command
    for command in (merge_command, flag_command, new_plan_command, split_command, collect_command, addin_group):
        cli.add_command(command)


_register()


# ------------------------------------------------------------------ text tables

def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _fit(value, width: int) -> str:
    s = str(value).replace("\n", " ")
    out, used = "", 0
    for ch in s:
        w = _width(ch)
        if used + w > width:
            out = out[:-1] + "…" if out else ""
            used = _width(out)
            break
        out, used = out + ch, used + w
    return out + " " * (width - used)


def _table(headers, rows, widths) -> str:
    lines = ["  ".join(_fit(h, w) for h, w in zip(headers, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_fit(v, w) for v, w in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(lines)


def main(argv=None):
    try:
        cli.main(args=argv, prog_name="xltools", standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("已取消。", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
