"""合并汇总, 新建计划, 拆分下发, 收集进展, 单位名录: the buttons that run a library job on
files and open what it wrote."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from xltools.read.context import context_from_filename
from xltools.errors import XltoolsError
from xltools.texts import t
from xltools.excel.host import (ActionError, _alert, _close, _optional, _save_settings, _saved_master,
                                _settings, _status, _unique, action, ask, confirm, open_workbook, pick_folder,
                                registry_path, user_registry)

# ====================================================================== 合并汇总

@action
def merge_folder(book, *, lang: str = "zh", folder: str | Path | None = None, output: str | Path | None = None):
    """合并汇总: merge a folder of district workbooks into 汇总表.xlsx in that folder and
    open it.  The folder picker starts in the folder used last time."""
    merge_module = _optional("xltools.work.merge", "cmd-merge", lang)
    if folder is None:
        folder = pick_folder(book, t("pick-folder", lang), _settings().get("merge_folder"))
        if not folder:
            _alert(book, t("cancelled", lang), t("title", lang))
            return None
    folder = Path(folder)
    _save_settings(merge_folder=str(folder))
    output = Path(output) if output else folder / t("merge-output-name", lang)

    def progress(i: int, n: int, path: Path) -> None:
        _status(book, t("progress-merging", lang, i=i, n=n, file=Path(path).name))

    def replace(preview) -> bool:      # the merge would remove many tasks, or filled ones: ask first
        return confirm(book, t("merge-confirm", lang, **preview.params(lang)), t("cmd-merge", lang))

    try:
        summary = merge_module.merge([folder], output, registry=user_registry(), progress=progress, lang=lang,
                                     confirm=replace)
    except merge_module.MergeRefused:
        _alert(book, t("merge-not-replaced", lang, output=output), t("title", lang))
        return None
    open_workbook(book, output, lang)
    _alert(book, "\n".join([t("merge-done", lang, read=len(summary.files_read), merged=summary.rows_merged,
                                rejected=summary.rows_rejected, failed=len(summary.files_failed), output=output),
                              *summary.notes]), t("title", lang))    # notes: what was not carried, a lock taken over
    return summary

# ====================================================================== 新建计划, 拆分下发, 收集进展

@action
def new_plan(book, *, lang: str = "zh", output: str | Path | None = None, year: int | None = None,
             district: str | None = None, from_plan: str | Path | bool | None = None):
    """新建计划: a new task-breakdown workbook from the template (newplan.new_plan).  When
    the open workbook is an earlier year's plan, offer to carry its tasks over (as
    `xltools new-plan --from`); from_plan=False never asks."""
    newplan = _optional("xltools.work.newplan", "cmd-newplan", lang)
    ctx = context_from_filename(Path(book.name).stem)
    this_year = dt.date.today().year
    if year is None:
        answer = ask(book, t("ask-year", lang), str(ctx.year or this_year), t("cmd-newplan", lang))
        if answer is None:
            return None
        if not (answer.isdigit() and 1990 <= int(answer) <= 2100):
            raise ActionError("xl-bad-year", value=answer, year=this_year)
        year = int(answer)
    if district is None:
        district = ask(book, t("ask-district", lang), ctx.district or "", t("cmd-newplan", lang))
        if district is None:
            return None
    if output is None:
        here = Path(book.fullname or "")
        documents = Path.home() / "Documents"
        folder = here.parent if here.is_absolute() and here.exists() else (documents if documents.is_dir()
                                                                            else Path.home())
        output = _unique(folder / t("newplan-name", lang, year=year, district=district or ""))
    output = Path(output)
    if from_plan is None:
        from_plan = _carry_source(book, year, lang)
    result = newplan.new_plan(output, year=year, district=district, registry=user_registry(),
                              from_plan=from_plan or None, lang=lang)
    open_workbook(book, output, lang)
    if hasattr(result, "message"):
        _alert(book, result.message(lang), t("title", lang))
    return result


_YES = {"是", "好", "沿用", "y", "yes", "ok"}


def _carry_source(book, year: int, lang: str) -> Path | None:
    """The open workbook, if it is a saved plan of an earlier year and the clerk agrees."""
    from xltools.read import read_plan

    here = Path(book.fullname or "")
    if not (here.is_absolute() and here.is_file()):
        return None
    try:
        plan = read_plan(here)
    except XltoolsError:
        return None
    old = next((s.year for s in plan.sheets if s.year), None)
    if not plan.tasks or old is None or old >= year:
        return None
    answer = ask(book, t("ask-carry", lang, file=here.name, n=len(plan.tasks), year=old), t("answer-yes", lang),
                 t("cmd-newplan", lang))
    return here if answer and answer.strip().lower() in _YES else None

@action
def split_plan(book, *, lang: str = "zh", output_dir: str | Path | None = None, by: str = "lead-unit",
               keep_collective: bool = False):
    """拆分下发: one progress return per responsible unit from the open master, in a
    folder beside it: the library call and the message of `xltools split`."""
    loop = _optional("xltools.work.loop", "cmd-split", lang)
    source = _saved_master(book, "cmd-split", lang)
    output_dir = Path(output_dir) if output_dir else source.parent / t("split-folder", lang, name=source.stem)
    summary = loop.split(source, output_dir, by=by, registry=user_registry(), keep_collective=keep_collective,
                         lang=lang, progress=_progress(book, lang))
    _status(book, False)
    _alert(book, summary.message(lang), t("title", lang))
    return summary


def _progress(book, lang: str):
    """The CLI's progress line, in Excel's status bar."""
    def show(i: int, n: int, path: Path) -> None:
        _status(book, t("progress-working", lang, i=i, n=n, file=Path(path).name))
    return show


@action
def collect_progress(book, *, lang: str = "zh", folder: str | Path | None = None):
    """收集进展: the units' returns in a folder, written into the open master by task key
    (xltools.loop.collect).  The master is saved, closed while the returns go in (the
    library refuses to write a workbook that is open) and opened again."""
    loop = _optional("xltools.work.loop", "cmd-collect", lang)
    source = _saved_master(book, "cmd-collect", lang)
    if folder is None:
        initial = _settings().get("collect_folder") or str(source.parent)
        folder = pick_folder(book, t("pick-returns", lang), initial)
        if not folder:
            _alert(book, t("cancelled", lang), t("title", lang))
            return None
    _save_settings(collect_folder=str(folder))
    app = book.app
    closed = _close(book)
    try:
        summary = loop.collect([Path(folder)], source, lang=lang, progress=_progress(book, lang),
                               registry=user_registry())
    finally:
        _status(book, False)
        if closed:
            open_workbook(book, source, lang, app=app)
    _alert(book, summary.message(lang), t("title", lang), app=app)
    return summary

# ====================================================================== 撤销上次操作

@action
def undo_last(book, *, lang: str = "zh"):
    """撤销上次操作: put back the open workbook as it was before the last xltools command
    (history.undo).  The workbook is saved first (what was typed since becomes a version
    too, so nothing is lost), closed while the file is replaced, and opened again."""
    history = _optional("xltools.work.history", "cmd-undo", lang)
    source = _saved_master(book, "cmd-undo", lang)
    app = book.app
    closed = _close(book)
    try:
        result = history.undo(source)
    finally:
        if closed:
            open_workbook(book, source, lang, app=app)
    _alert(book, result.message(lang), t("title", lang), app=app)
    return result

# ====================================================================== 单位名录

@action
def open_registry(book, *, lang: str = "zh") -> Path:
    """单位名录: open the clerk's registry workbook (created from the built-in list the
    first time); 校验本表 and the worksheet functions use it once saved."""
    from xltools.rules.units import UnitRegistry
    from xltools.write.registry import save_registry

    path = registry_path()
    created = not path.exists()
    if created:
        path.parent.mkdir(parents=True, exist_ok=True)
        save_registry(UnitRegistry.default(), path)
    open_workbook(book, path, lang)
    if created:
        _alert(book, t("registry-created", lang, file=path), t("title", lang))
    return path
