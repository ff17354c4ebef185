"""Click commands `history` and `undo`: one library call each."""
from __future__ import annotations

import json

import click

from xltools.cli.common import command, handle_errors, json_option, lang_option
from xltools.work.history import history, undo


@command("history")
@click.argument("file", type=click.Path(dir_okay=False))
@json_option
@lang_option
@handle_errors
def history_command(file, as_json, lang):
    found = history(file)
    if as_json:
        click.echo(json.dumps(found.to_dict(lang), ensure_ascii=False, indent=2))
        return
    for line in found.lines(lang):
        click.echo(line)


@command("undo")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--version", "version", default=None, metavar="N",
              help="恢复 history 列出的第 N 个版本（默认：上次操作之前的版本） / put back version N of history "
                   "(default: the file before the last command)")
@json_option
@lang_option
@handle_errors
def undo_command(file, version, as_json, lang):
    result = undo(file, version)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(result.message(lang))
