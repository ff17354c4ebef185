"""units export / learn / add / rename / alias / remove: the editable 单位名录."""
from __future__ import annotations

import json
import sys

import click

from xltools.cli.common import (EXIT_FAILED, EXIT_OK, EXIT_PROBLEMS, group, handle_errors, json_option, lang_option,
                                registry_from, registry_option)
from xltools.cli.table import text_table
from xltools.texts import t
from xltools.work.learn import learn
from xltools.work.registry import RegistryEdit, edit_registry
from xltools.write.registry import export_registry


@group("units")
@lang_option
def units_group(lang):
    """Help text: texts/cli.py "help-…"."""


@units_group.command("export")
@click.argument("output", type=click.Path(dir_okay=False))
@click.option("--district", default=None, help="只导出本区县适用的单位（写街道、镇时导出它所属区县的） / only this district's units (a 街道's: its district's)")
@registry_option
@lang_option
@handle_errors
def units_export(output, district, registry, lang):
    saved = export_registry(registry_from(registry), output, district)
    if saved.township:
        click.echo(t("cli-registry-saved-township", lang, file=output, count=saved.count, township=saved.township,
                     district=saved.district))
    else:
        click.echo(t("cli-registry-saved", lang, file=output, count=saved.count))


@units_group.command("learn")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="把名录连同建议的新单位写入此文件（.xlsx 或 .csv） / write the registry with the proposed units to this file")
@click.option("--force", is_flag=True,
              help="与已知单位只差一个字的名称也作为新单位加入名录 / add names one character away from a known unit too")
@registry_option
@json_option
@lang_option
@handle_errors
def units_learn(files, output, force, registry, as_json, lang):
    result = learn(files, registry_from(registry), output, force=force)
    if as_json:
        click.echo(json.dumps(result.proposals, ensure_ascii=False, indent=2))
    elif not result.proposals and result.files_read:
        click.echo(t("cli-learn-none", lang))
    else:
        headers = [t(k, lang) for k in ("cli-learn-unit", "cli-learn-count", "cli-learn-kind", "cli-learn-alias")]
        held = {id(p) for p in result.typos} if not force else set()    # the rows not added: said in the row too
        click.echo(text_table(headers, [[p["name"], p["count"], p["kind"], p.get("alias_of") or (
            t("cli-learn-typo-mark", lang) if id(p) in held else "")]
                                        for p in result.proposals], widths=[28, 5, 10, 28]))
    for p in result.typos:
        click.echo(t("cli-learn-typo-added" if force else "cli-learn-typo", lang, name=p["name"], known=p["typo_of"]),
                   err=as_json)
    for file, exc in result.files_failed:
        click.echo(t("cli-learn-skipped", lang, reason=exc.message(lang)), err=True)
    if result.saved:
        click.echo(t("cli-learn-saved", lang, count=result.added, file=result.saved))
    if not result.files_read:
        sys.exit(EXIT_FAILED)
    sys.exit(EXIT_PROBLEMS if result.files_failed or (result.typos and not force) else EXIT_OK)


def _edit(file: str, edit: RegistryEdit, lang: str) -> None:
    """One change to the registry FILE (created from the built-in list when missing), as
    the local page's 单位名录 tab makes it: the same library call, lock and version."""
    done = edit_registry(file, [edit])
    click.echo(t("cli-units-edited", lang, file=file, count=done.count))


def _district_option(f):
    return click.option("--district", default=None,
                        help="只属于本区县的条目（街道、镇、本地单位） / an entry of this district only")(f)


@units_group.command("add")
@click.argument("file", type=click.Path(dir_okay=False))
@click.argument("name")
@click.option("--kind", required=True, help="类别，如 部门、街道、镇 / the kind: department, street, town, collective, vertical, zone, village")
@_district_option
@lang_option
@handle_errors
def units_add(file, name, kind, district, lang):
    _edit(file, RegistryEdit("add", name, kind=kind, district=district), lang)


def _name_to_name(op: str, second: str):
    """`units OP FILE NAME SECOND`: rename and alias, one name of FILE's entry to another."""
    @units_group.command(op)
    @click.argument("file", type=click.Path(dir_okay=False))
    @click.argument("name")
    @click.argument(second)
    @_district_option
    @lang_option
    @handle_errors
    def command(file, name, district, lang, **value):
        _edit(file, RegistryEdit(op, name, value[second], district=district), lang)
    return command


units_rename = _name_to_name("rename", "new_name")
units_alias = _name_to_name("alias", "alias")


@units_group.command("remove")
@click.argument("file", type=click.Path(dir_okay=False))
@click.argument("name")
@_district_option
@lang_option
@handle_errors
def units_remove(file, name, district, lang):
    _edit(file, RegistryEdit("remove", name, district=district), lang)
