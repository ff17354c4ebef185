"""生成通报, 生成催办单: the buttons that turn the open master into the documents the
office sends (xltools.work.report), written beside it."""
from __future__ import annotations

from pathlib import Path

from xltools.texts import DOC_LANG, t
from xltools.excel.host import (_alert, _close, _optional, _saved_master, _unique, action, open_workbook,
                                user_registry)


@action
def write_report(book, *, lang: str = "zh", output: str | Path | None = None):
    """生成通报: the circular of the open master (report.report), as a .docx beside it."""
    report = _optional("xltools.work.report", "cmd-report", lang)
    source = _saved_master(book, "cmd-report", lang)
    # the circular is for the offices it goes to: in their language, Chinese (texts.DOC_LANG)
    output = Path(output) if output else _unique(source.parent / t("report-name", DOC_LANG, name=source.stem))
    summary = report.report(source, output, registry=user_registry())
    n = summary.circular.total
    text = t("report-done", lang, file=output, date=summary.circular.as_of.isoformat(), total=n.total,
             done=n["done"], progress=n.in_progress, overdue=n["overdue"], unknown=n["unjudged"])
    if not summary.chart:
        text += "\n" + t("rp-no-font", lang)
    _alert(book, text, t("title", lang))
    return summary


@action
def write_reminders(book, *, lang: str = "zh", output_dir: str | Path | None = None):
    """生成催办单: one reminder per lead unit with overdue or nearly due tasks
    (report.remind) in a folder beside the master, and the 催办 sheet in the master.  The
    master is saved, closed while the sheet goes in (the library refuses to write a
    workbook that is open) and opened again."""
    report = _optional("xltools.work.report", "cmd-remind", lang)
    source = _saved_master(book, "cmd-remind", lang)
    output_dir = Path(output_dir) if output_dir else source.parent / t("remind-folder", DOC_LANG, name=source.stem)
    app = book.app
    closed = _close(book)
    try:
        summary = report.remind(source, output_dir, sheet=True, lang=lang, registry=user_registry())
    finally:
        if closed:
            open_workbook(book, source, lang, app=app)
    if summary.files:
        text = t("remind-done", lang, files=len(summary.files), folder=output_dir, sheet=summary.sheet)
    else:
        text = t("remind-none", lang, date=summary.as_of.isoformat())
    _alert(book, text, t("title", lang), app=app)
    return summary
