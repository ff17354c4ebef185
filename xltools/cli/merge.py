"""Click commands `merge` and `flag`: one library call each.

Register them in the CLI group with
    from xltools.cli.merge import merge_command, flag_command
    cli.add_command(merge_command)   # name "merge"
    cli.add_command(flag_command)    # name "flag"
"""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import click

from xltools.cli.common import EXIT_OK, EXIT_PROBLEMS, Progress, columns_option, command, echo_finding, \
    handle_errors, json_option, lang_option, registry_from, parse_date, registry_option, screen_lang, year_option
from xltools.texts import t as _t
from xltools.work.merge import MergeRefused, NothingToMerge, merge
from xltools.schema import DEFAULT_COLOURS, DEFAULT_SOON_DAYS, WARNING_STATES

_LIST_LIMIT = 20


def _c(key: str, lang: str, **params) -> str:
    return _t("cli-" + key, lang, **params)


def _parse_districts(ctx, param, values):
    out = {}
    for value in values:
        file, sep, name = value.rpartition("=")  # district names hold no "=", file names may
        if not sep or not file or not name.strip():
            raise click.BadParameter(_c("bad-district", screen_lang(ctx)))
        out[file] = name.strip()
    return out


def _read_district_map(path: str | None) -> dict[str, str]:
    """A two-column file (文件, 区县), CSV or .xlsx, for offices with many files."""
    if not path:
        return {}
    if Path(path).suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods"):
        from xltools.read import load_grids
        rows = load_grids(path)[0].rows
    else:
        rows = list(csv.reader(Path(path).read_text(encoding="utf-8-sig").splitlines()))
    return {str(r[0]).strip(): str(r[1]).strip() for r in rows
            if len(r) >= 2 and r[0] and r[1] and str(r[0]).strip() not in ("文件", "文件名", "file")}


_STATE_NAMES = {**{k: k for k in DEFAULT_COLOURS}, **{WARNING_STATES[k]: k for k in DEFAULT_COLOURS}}


def _parse_colours(ctx, param, values):
    """--colour 逾期=FFC7CE or overdue=FFC7CE/9C0006 (fill, optional font colour)."""
    colours = {}
    for value in values:
        state, _, spec = value.partition("=")
        fill, _, font = spec.partition("/")
        key = _STATE_NAMES.get(state.strip())
        ok = key and all(len(x) == 6 and all(ch in "0123456789abcdefABCDEF" for ch in x) for x in filter(None, (fill, font)))
        if not ok or not fill:
            raise click.BadParameter(_c("bad-colour", screen_lang(ctx)))
        colours[key] = (fill.upper(), (font or DEFAULT_COLOURS[key][1]).upper())
    return {**DEFAULT_COLOURS, **colours} if colours else None


def warning_options(f):
    """--as-of, --soon-days and --colour: shared by merge and flag."""
    f = click.option("--colour", "colours", multiple=True, metavar="STATE=RRGGBB[/RRGGBB]", callback=_parse_colours,
                     help="预警颜色，如 逾期=FFC7CE 或 临期=FFEB9C/9C5700（底色/字色），可重复 / warning colours")(f)
    f = click.option("--soon-days", type=click.IntRange(0, 3650), default=DEFAULT_SOON_DAYS, show_default=True,
                     help="截止前多少天内算“临期” / days before the due date counted as due soon")(f)
    return click.option("--as-of", "as_of", default=None, metavar="DATE", callback=parse_date,
                        help="预警按此日期计算（默认为打开表格当天） / judge warnings as of this date (default: today)")(f)


def _echo_lists(summary, lang: str) -> None:
    lines = [_c("failed-line", lang, file=f, reason=r) for f, r in summary.files_failed]
    lines += [_c("rejected-line", lang, file=r.file, sheet=r.sheet, cell=r.cell, reason=r.message(lang))
              for r in summary.rejected]
    lines += [_c("skipped-line", lang, file=f, reason=r) for f, r in summary.files_skipped]
    for line in lines[:_LIST_LIMIT]:
        click.echo(line)
    if len(lines) > _LIST_LIMIT:
        click.echo(_c("more-lines", lang, n=len(lines) - _LIST_LIMIT))


def _echo_columns_given(summary, lang: str) -> None:
    """The files read with a clerk's column map (--columns, or a folder's 列对应.json)."""
    if summary.columns_given:
        sources = "、".join(dict.fromkeys(source for _, source in summary.columns_given))
        click.echo(_t("cli-columns-used", lang, n=len({f for f, _ in summary.columns_given}), sources=sources))


def _echo_duplicates(summary, lang: str) -> None:
    if not summary.duplicates:
        return
    click.echo(_c("duplicates", lang, files=len({f for f, _, _ in summary.duplicates}),
                  tasks=sum(n for _, _, n in summary.duplicates)))
    for file, other, n in summary.duplicates[:_LIST_LIMIT]:
        click.echo(_c("duplicate-line", lang, file=file, other=other, tasks=n))
    if len(summary.duplicates) > _LIST_LIMIT:
        click.echo(_c("more-lines", lang, n=len(summary.duplicates) - _LIST_LIMIT))
    if summary.rows_deduped:
        click.echo(_c("duplicates-dropped", lang, tasks=summary.rows_deduped))
    else:
        click.echo(_c("duplicates-kept", lang))


@command("merge")
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="汇总表（.xlsx） / the master workbook to write")
@year_option
@click.option("--district", "districts", multiple=True, metavar="FILE=NAME", callback=_parse_districts,
              help="指定某文件的区县，可重复 / district of a file, repeatable")
@click.option("--district-map", type=click.Path(dir_okay=False, exists=True), default=None,
              help="文件与区县对照表（两列：文件、区县；.csv 或 .xlsx） / file → district table")
@warning_options
@click.option("--skip-hidden", is_flag=True, help="不读取隐藏的工作表 / skip hidden sheets")
@click.option("--dedupe", is_flag=True,
              help="与其他文件完全相同的任务只保留一份（去掉的记在问题清单中） / keep one copy of tasks repeated "
                   "across files")
@click.option("--dry-run", is_flag=True,
              help="只预览会有哪些变化（新增、删除、修改的任务），不写入任何文件 / show what would change, write nothing")
@click.option("--replace", is_flag=True,
              help="即使会删除较多任务或有人填写过的任务，也替换汇总表（旧汇总表保存为旧版本，可用 undo 恢复） / "
                   "replace the master even when that removes many tasks or tasks people filled in")
@columns_option
@registry_option
@json_option
@lang_option
@handle_errors
def merge_command(inputs, output, year, districts, district_map, as_of, soon_days, colours, skip_hidden, dedupe,
                  dry_run, replace, columns, registry, as_json, lang):
    progress = Progress(lang, quiet=as_json)
    try:
        summary = merge(inputs, output, year=year, districts={**_read_district_map(district_map), **districts},
                        registry=registry_from(registry) if registry else None, as_of=as_of, soon_days=soon_days,
                        colours=colours, dedupe=dedupe, progress=progress, lang=lang, skip_hidden=skip_hidden,
                        dry_run=dry_run, replace=replace, columns=columns)
    except NothingToMerge as exc:
        if exc.summary is not None:
            _echo_lists(exc.summary, lang)
        raise
    except MergeRefused as exc:
        if as_json:
            click.echo(json.dumps({"refused": True, "preview": exc.preview.to_dict()}, ensure_ascii=False, indent=2))
        raise
    finally:
        progress.close()
    if dry_run:
        _echo_preview(summary, as_json, lang)
        sys.exit(summary.exit_code)     # the real run's exit code
    if as_json:
        click.echo(json.dumps(summary.to_dict(lang), ensure_ascii=False, indent=2))
    else:
        click.echo(_c("merged-files", lang, output=output, read=len(summary.files_read),
                      skipped=len(summary.files_skipped), failed=len(summary.files_failed)))
        rows = dict(rows_in=summary.rows_in, merged=summary.rows_merged, rejected=summary.rows_rejected,
                    deduped=summary.rows_deduped)
        click.echo(_c("merged-rows-deduped" if summary.rows_deduped else "merged-rows", lang, **rows))
        if summary.rows_kept:
            click.echo(_c("merged-kept", lang, kept=summary.rows_kept))
        counts = ("，" if lang == "zh" else ", ").join(
            _c("count", lang, label=_t("state-" + key, lang), n=n) for key, n in summary.warnings.items())
        click.echo(_c("merged-warnings", lang, as_of=as_of.isoformat() if as_of else _c("today", lang),
                      total=sum(summary.warnings.values()), counts=counts))
        click.echo(_c("merged-changes", lang, note=summary.changes.note(lang)))
        if summary.kept_columns:
            click.echo(_c("kept-columns", lang, columns="、".join(summary.kept_columns)))
        _echo_duplicates(summary, lang)
        _echo_columns_given(summary, lang)
        _echo_lists(summary, lang)
        for note in summary.notes:
            click.echo(note)
        if summary.issues:
            n = summary.issue_counts
            click.echo(_c("merged-issues", lang, issues=summary.issues, errors=n.get("error", 0),
                          warnings=n.get("warning", 0), notes=n.get("info", 0)))
        if summary.preview is not None:
            click.echo(_t("cli-version-kept", lang, file=output))
    sys.exit(summary.exit_code)         # README's table


def _echo_preview(summary, as_json: bool, lang: str) -> None:
    """merge --dry-run: what the merge would change, the problems the real run would
    report, and why it would stop, if it would; nothing was written."""
    preview = summary.preview
    if as_json:
        click.echo(json.dumps(summary.to_dict(lang), ensure_ascii=False, indent=2))
        return
    if preview is None:
        click.echo(_t("cli-dry-run-first", lang, tasks=summary.rows_merged))
    else:
        click.echo(_t("cli-dry-run", lang, tasks=preview.tasks, added=preview.added, removed=preview.removed,
                      changed=preview.changed))
        if preview.removed_tasks:
            click.echo(_t("cli-dry-run-removed", lang))
            for line in preview.task_lines(lang, limit=_LIST_LIMIT):
                click.echo(line)
    _echo_lists(summary, lang)
    if summary.issues:
        n = summary.issue_counts
        click.echo(_t("cli-dry-run-issues", lang, issues=summary.issues, errors=n.get("error", 0),
                      warnings=n.get("warning", 0), notes=n.get("info", 0)))
    stop = summary.would_stop(lang)
    if stop:
        click.echo(stop)


@command("flag")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--sheet", default=None, help="只处理这个工作表 / only this sheet")
@year_option
@warning_options
@lang_option
@handle_errors
def flag_command(file, sheet, year, as_of, soon_days, colours, lang):
    from xltools.work.flag import flag_file
    result = flag_file(file, sheet=sheet, year=year, as_of=as_of, soon_days=soon_days, colours=colours)
    click.echo(result.message(lang))
    for f in result.kept + result.drawings:   # what a person typed in 截止日期 or 预警: kept, said; drawings not kept
        echo_finding(f, f"{Path(f.file).name} › {f.sheet}" + (f"!{f.cell}" if f.cell else ""), lang)
    return EXIT_PROBLEMS if result.problems else EXIT_OK
