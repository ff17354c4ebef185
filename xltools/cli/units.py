"""units export / learn: the editable 单位名录."""
from __future__ import annotations

import json

import click

from xltools.cli.common import (group, handle_errors, json_option, lang_option,
                                registry_from, registry_option)
from xltools.cli.table import text_table
from xltools.read import read_plan
from xltools.texts import t
from xltools.rules.units import UnitRegistry, learn_units
from xltools.write.registry import save_registry


@group("units")
@lang_option
def units_group(lang):
    """Help text: texts/cli.py "help-…"."""


@units_group.command("export")
@click.argument("output", type=click.Path(dir_okay=False))
@click.option("--district", default=None, help="只导出本区县适用的单位 / only this district's units")
@registry_option
@lang_option
@handle_errors
def units_export(output, district, registry, lang):
    reg = registry_from(registry)
    if district:
        reg = reg.for_district(district)
    save_registry(reg, output)
    click.echo(t("cli-registry-saved", lang, file=output, count=len(reg)))


@units_group.command("learn")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="把建议写入此 .xlsx 单位名录 / write proposals to this registry workbook")
@registry_option
@json_option
@lang_option
@handle_errors
def units_learn(files, output, registry, as_json, lang):
    reg = registry_from(registry)
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
        click.echo(text_table(headers, [[p["name"], p["count"], p["kind"], p.get("alias_of") or ""] for p in proposals],
                          widths=[28, 5, 10, 28]))
    if output and proposals:
        from xltools.rules.units import Unit
        added = [Unit(p["name"], p["kind"]) for p in proposals if not p.get("alias_of")]
        save_registry(UnitRegistry(list(reg) + added), output)
        click.echo(t("cli-learn-saved", lang, count=len(proposals), file=output))
