"""Click commands `split` and `collect`: one library call each."""
from __future__ import annotations

import json

import click

from xltools.cli.common import Progress, command, handle_errors, json_option, lang_option, registry_from, \
    registry_option
from xltools.texts import t
from xltools.work.loop import SPLIT_BY, collect, split


@command("split")
@click.argument("master", type=click.Path(dir_okay=False, exists=True))
@click.option("--by", type=click.Choice(SPLIT_BY), default="lead-unit", show_default=True,
              help="按牵头单位 / 所有责任单位 / 区县拆分 / split by lead unit, any unit or district")
@click.option("-o", "--output", "folder", required=True, type=click.Path(file_okay=False),
              help="保存报送表的文件夹 / folder for the returns")
@click.option("--keep-collective", is_flag=True,
              help="“各镇（街道）”等集体称谓不拆给各成员，只生成一个报送表 / "
                   "one return per collective unit instead of one per member")
@click.option("--dry-run", is_flag=True,
              help="只预览将写入、删除和保护哪些文件，不写入任何文件 / show what would be written, removed and left "
                   "alone; write nothing")
@click.option("--no-new-folder", is_flag=True,
              help="文件夹中有改动过的或不是拆分生成的文件时停止，不写入新的日期文件夹 / refuse instead of writing into "
                   "a new dated folder when the folder holds files split must not overwrite")
@registry_option
@json_option
@lang_option
@handle_errors
def split_command(master, by, folder, keep_collective, dry_run, no_new_folder, registry, as_json, lang):
    progress = Progress(lang, quiet=as_json)
    try:
        summary = split(master, folder, by=by, registry=registry_from(registry), keep_collective=keep_collective,
                        lang=lang, progress=progress, dry_run=dry_run, no_new_folder=no_new_folder)
    finally:
        progress.close()
    if as_json:
        click.echo(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
        raise SystemExit(summary.exit_code)
    click.echo(summary.message(lang))
    for unit, path, lead, support in summary.files:
        click.echo(t("cli-split-line", lang, unit=unit, lead=lead, support=support, file=path.name))
    if dry_run and summary.plan is not None:
        for name in summary.plan.clean:
            click.echo(t("split-dry-run-clean", lang, file=name))
        for name in summary.plan.protected:
            click.echo(t("split-dry-run-protect", lang, file=name))
    raise SystemExit(summary.exit_code)     # a dry run's is the real run's


@command("collect")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--into", "master", required=True, type=click.Path(dir_okay=False, exists=True),
              help="要写回的汇总表 / the master to update")
@click.option("--dry-run", is_flag=True,
              help="只显示将写入汇总表的内容，不写任何文件 / show what would change, write nothing")
@registry_option
@json_option
@lang_option
@handle_errors
def collect_command(inputs, master, dry_run, registry, as_json, lang):
    progress = Progress(lang, quiet=as_json)
    try:
        summary = collect(inputs, master, lang=lang, progress=progress, dry_run=dry_run,
                          registry=registry_from(registry))
    finally:
        progress.close()
    if as_json:
        click.echo(json.dumps(summary.to_dict(lang), ensure_ascii=False, indent=2))
    else:
        click.echo(summary.message(lang))
    raise SystemExit(summary.exit_code)     # a dry run's is the real run's
