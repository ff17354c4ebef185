"""Click command `new-plan`: one library call.

Register it in the CLI group with
    from xltools.cli.templates import new_plan_command
    cli.add_command(new_plan_command)   # name "new-plan"
"""
from __future__ import annotations

import click

from xltools.cli.common import command, handle_errors, lang_option, registry_from, registry_option
from xltools.work.newplan import new_plan


@command("new-plan")
@click.option("--year", type=int, required=True, help="新计划的年度，如 2025 / year of the new plan")
@click.option("--district", default=None,
              help="区县名称，如 天桥区；街道、镇写在所属区县之后，如 平阴县玫瑰镇；用 --from 时可省略（取上一年度计划的区县） / "
                   "district, e.g. 天桥区; a town after its county, e.g. 平阴县玫瑰镇; with --from it may be left "
                   "out (the plan's own)")
@click.option("--from", "from_plan", type=click.Path(dir_okay=False), default=None,
              help="上一年度的任务分解表：沿用其中的任务 / last year's plan to carry tasks over from")
@registry_option
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="要生成的 .xlsx 文件 / the plan to write")
@click.option("--force", is_flag=True,
              help="覆盖已有的文件（原文件保存为旧版本，可用 undo 恢复） / replace an existing file (kept as a version)")
@lang_option
@handle_errors
def new_plan_command(year, district, from_plan, registry, output, force, lang):
    if district is None and from_plan is None:     # only last year's plan can name the district
        ctx = click.get_current_context()
        raise click.MissingParameter(ctx=ctx, param=next(p for p in ctx.command.params if p.name == "district"))
    summary = new_plan(output, year=year, district=district, registry=registry_from(registry),
                       from_plan=from_plan, lang=lang, force=force)
    click.echo(summary.message(lang))
