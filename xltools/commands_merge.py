"""Click commands `merge` and `flag`: one library call each.

Register them in the CLI group with
    from .commands_merge import merge_command, flag_command
    cli.add_command(merge_command)   # name "merge"
    cli.add_command(flag_command)    # name "flag"
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
import sys
from pathlib import Path

import click

from .errors import XltoolsError
from .i18n import t
from .i18n import t as _t
from .merge import NothingToMerge, merge

EXIT_OK, EXIT_PROBLEMS, EXIT_FAILED = 0, 1, 2

_LIST_LIMIT = 20


def _c(key: str, lang: str, **params) -> str:
    return _t("cli-" + key, lang, **params)


def _lang_default() -> str:
    return os.environ.get("XLTOOLS_LANG", "zh")


def _parse_date(ctx, param, value):
    if value is None:
        return None
    m = re.fullmatch(r"\s*(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?\s*", value)
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3])) if m else dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(_c("bad-date", ctx.params.get("lang") or _lang_default())) from None


def _parse_districts(ctx, param, values):
    out = {}
    for value in values:
        file, sep, name = value.rpartition("=")  # district names hold no "=", file names may
        if not sep or not file or not name.strip():
            raise click.BadParameter(_c("bad-district", ctx.params.get("lang") or _lang_default()))
        out[file] = name.strip()
    return out


def _one_line_errors(f):
    """Known errors → one line and their exit code; anything else → one line, never a traceback."""
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        lang = kwargs.get("lang") or "zh"
        try:
            return f(*args, **kwargs)
        except NothingToMerge as exc:
            if exc.summary is not None:
                _echo_lists(exc.summary, lang)
            click.echo(t("cli-error", lang, message=exc.message(lang)), err=True)
            sys.exit(EXIT_FAILED)
        except XltoolsError as exc:
            click.echo(t("cli-error", lang, message=exc.message(lang)), err=True)
            sys.exit(exc.exit_code)
        except PermissionError as exc:
            click.echo(t("cli-error", lang, message=t("file-locked", lang, file=exc.filename)), err=True)
            sys.exit(EXIT_FAILED)
        except Exception as exc:  # a bug of ours: still one line
            click.echo(t("cli-error", lang, message=t("internal-error", lang, error=f"{type(exc).__name__}: {exc}")),
                       err=True)
            sys.exit(3)
    return wrapper


def _echo_lists(summary, lang: str) -> None:
    lines = [_c("failed-line", lang, file=f, reason=r) for f, r in summary.files_failed]
    lines += [_c("rejected-line", lang, file=r.file, sheet=r.sheet, cell=r.cell, reason=r.message)
              for r in summary.rejected]
    lines += [_c("skipped-line", lang, file=f, reason=r) for f, r in summary.files_skipped]
    for line in lines[:_LIST_LIMIT]:
        click.echo(line)
    if len(lines) > _LIST_LIMIT:
        click.echo(_c("more-lines", lang, n=len(lines) - _LIST_LIMIT))


class _Progress:
    """A progress bar on a terminal, one plain line per file otherwise (logs, pipes)."""

    def __init__(self, lang: str, quiet: bool):
        self.lang, self.quiet, self.bar = lang, quiet, None
        self.tty = sys.stderr.isatty()

    def __call__(self, done: int, total: int, path: Path) -> None:
        if self.quiet:
            return
        if not self.tty:
            click.echo(_c("progress-line", self.lang, done=done, total=total, file=path), err=True)
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=_c("progress", self.lang), show_pos=True,
                                         file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@click.command("merge")
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="汇总表（.xlsx） / the master workbook to write")
@click.option("--year", type=int, default=None, help="计划年度，优先于标题和文件名中的年份 / plan year, overrides the title")
@click.option("--district", "districts", multiple=True, metavar="FILE=NAME", callback=_parse_districts,
              help="指定某文件的区县，可重复 / district of a file, repeatable")
@click.option("--as-of", "as_of", default=None, metavar="DATE", callback=_parse_date,
              help="预警按此日期计算（默认为打开表格当天） / judge warnings as of this date (default: today)")
@click.option("--soon-days", type=click.IntRange(0, 3650), default=15, show_default=True,
              help="截止前多少天内算“临期” / days before the due date counted as due soon")
@click.option("--registry", type=click.Path(dir_okay=False), default=None,
              help="单位名录（.xlsx 或 .csv） / unit registry")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出汇总结果 / print the summary as JSON")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=_lang_default, is_eager=True,
              help="输出语言 / output language")
@_one_line_errors
def merge_command(inputs, output, year, districts, as_of, soon_days, registry, as_json, lang):
    """把各区县的任务分解表 INPUTS（文件或文件夹）合并为一个汇总表。

    汇总表已存在时按任务编号重新合并：保留其中手工添加的列，以及在汇总表里填写、而各区县表中没有的
    状态、进展情况、完成日期；“变更”工作表列出与上次合并相比新增、删除和修改的任务。

    退出码：0 成功；1 有任务被剔除或有文件无法读取；2 没有可合并的内容、汇总表被占用或输出文件不是汇总表。"""
    reg = None
    if registry:
        from .units import UnitRegistry
        try:
            reg = UnitRegistry.load(registry)
        except (OSError, ValueError, KeyError) as exc:
            raise XltoolsError("registry-unreadable", file=registry, reason=str(exc)[:80]) from None
    progress = _Progress(lang, quiet=as_json)
    try:
        summary = merge(inputs, output, year=year, districts=districts, registry=reg, as_of=as_of,
                        soon_days=soon_days, progress=progress, lang=lang)
    finally:
        progress.close()
    if as_json:
        click.echo(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(_c("merged-files", lang, output=output, read=len(summary.files_read),
                      skipped=len(summary.files_skipped), failed=len(summary.files_failed)))
        click.echo(_c("merged-rows", lang, rows_in=summary.rows_in, merged=summary.rows_merged,
                      rejected=summary.rows_rejected))
        from .schema import WARNING_STATES
        counts = ("，" if lang == "zh" else ", ").join(
            _c("count", lang, label=label, n=summary.warnings.get(key, 0)) for key, label in WARNING_STATES.items())
        click.echo(_c("merged-warnings", lang, as_of=as_of.isoformat() if as_of else _c("today", lang),
                      counts=counts))
        click.echo(_c("merged-changes", lang, note=summary.changes.note(lang)))
        if summary.kept_columns:
            click.echo(_c("kept-columns", lang, columns="、".join(summary.kept_columns)))
        _echo_lists(summary, lang)
        if summary.issues:
            click.echo(_c("merged-issues", lang, issues=summary.issues))
    if summary.rows_merged == 0:
        sys.exit(EXIT_FAILED)
    sys.exit(EXIT_PROBLEMS if summary.rows_rejected or summary.files_failed else EXIT_OK)


@click.command("flag")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--sheet", default=None, help="只处理这个工作表 / only this sheet")
@click.option("--year", type=int, default=None, help="计划年度，优先于标题和文件名中的年份 / plan year, overrides the title")
@click.option("--as-of", "as_of", default=None, metavar="DATE", callback=_parse_date,
              help="预警按此日期计算（默认为打开表格当天） / judge warnings as of this date (default: today)")
@click.option("--soon-days", type=click.IntRange(0, 3650), default=15, show_default=True,
              help="截止前多少天内算“临期” / days before the due date counted as due soon")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=_lang_default, is_eager=True,
              help="输出语言 / output language")
@_one_line_errors
def flag_command(file, sheet, year, as_of, soon_days, lang):
    """在任务表 FILE 中加上“截止日期”和“预警”两列及颜色标记（原地修改，先备份原文件；可重复运行）。"""
    from .master import flag_file
    result = flag_file(file, sheet=sheet, year=year, as_of=as_of, soon_days=soon_days)
    for sheet_name, rows in result.sheets:
        click.echo(_c("flag-done", lang, file=file, sheet=sheet_name, rows=rows, backup=result.backup.name))
    sys.exit(EXIT_OK)


__all__ = ["merge_command", "flag_command"]

