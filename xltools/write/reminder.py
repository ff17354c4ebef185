"""The 催办单 (reminder) of one lead unit as a Word document, and the same lines as a
sheet of the master: what a reminder says is a `Reminder` (work/report.py gathers it).

The sheet is named 催办 whatever the clerk's language, as every sheet of the master is
named in Chinese (the master is the office's shared document: a colleague's Chinese run
must find and replace the sheet an English run wrote); its headings are the clerk's."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from xltools.texts import t
from xltools.write import document as d, printing
from xltools.write.cells import put
from xltools.write.circular import TaskLine, state_name

SHEET = "催办"
# what the sheet was called in an English run before it was named 催办 in every language
# (taken for ours, and replaced, only when its headings are ours)
_OLD_NAMES = ("Reminders",)


@dataclass
class Reminder:
    district: str
    unit: str
    plan: str
    as_of: dt.date
    soon_days: int
    reply_by: dt.date
    tasks: list[TaskLine]          # overdue first, then due soon

    def count(self, state: str) -> int:
        return sum(1 for x in self.tasks if x.state == state)


def _days(line: TaskLine) -> str:
    return "" if line.days is None else str(line.days)


def write_reminder(r: Reminder, path: str | Path, *, lang: str = "zh") -> Path:
    doc = d.new_document()
    d.title(doc, t("rm-title", lang))
    if r.district:
        d.paragraph(doc, t("rm-district", lang, district=r.district), align="center")
    d.paragraph(doc)
    d.paragraph(doc, t("rm-to", lang, unit=r.unit))
    d.paragraph(doc, t("rm-body", lang, date=d.day_text(r.as_of, lang), plan=r.plan, overdue=r.count("overdue"),
                       soon=r.count("soon"), days=r.soon_days), indent=True, align="justify")
    header = [t(k, lang) for k in ("rp-col-seq", "rp-col-task", "rp-col-deadline", "rp-col-due", "rp-col-state",
                                   "rp-col-days", "rp-col-days-left")]
    rows = [[x.seq, x.task, x.deadline, d.day_text(x.due, lang) if x.due else "", state_name(x.state, lang),
             _days(x) if x.state == "overdue" else "", _days(x) if x.state != "overdue" else ""] for x in r.tasks]
    # the task takes what the others leave: each of them as wide as its words (a date, 逾期,
    # "overdue") on one line and its heading on one or two, the deadline on up to three
    fits = [d.Fit(), d.Fit(share=1), d.Fit(lines=3, most=0.2), d.Fit(), d.Fit(head=2), d.Fit(head=2),
            d.Fit(head=2)]
    d.table(doc, header, rows, d.column_widths(header, rows, fits), numeric=(0, 3, 4, 5, 6))
    d.paragraph(doc)
    d.paragraph(doc, t("rm-reply", lang, date=d.day_text(r.reply_by, lang)), indent=True, align="justify")
    d.paragraph(doc)
    d.paragraph(doc, d.day_text(r.as_of, lang), align="right")
    return d.save_document(doc, path)


SHEET_COLUMNS = ("rp-col-district", "rp-col-unit", "rp-col-seq", "rp-col-task", "rp-col-deadline", "rp-col-due",
                 "rp-col-state", "rp-col-days", "rp-col-days-left", "rp-col-reply", "rp-col-key")
_WIDTHS = (10, 22, 6, 50, 16, 12, 9, 9, 9, 12, 24)


def reminder_sheet(wb, reminders: list[Reminder], *, lang: str = "zh") -> str:
    """(Re)write the 催办 sheet of an openpyxl workbook, where the one it replaces stood (an
    older English run's "Reminders" too): one row per task of every reminder.  Text is
    written as text (cells.put), never as a formula."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ours = [n for n in wb.sheetnames if n == SHEET or n in _OLD_NAMES and _our_heads(wb[n])]
    at = wb.sheetnames.index(ours[0]) if ours else None
    for n in ours:
        del wb[n]
    ws = wb.create_sheet(SHEET, at)
    for c, key in enumerate(SHEET_COLUMNS, 1):
        put(ws, 1, c, t(key, lang)).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(c)].width = _WIDTHS[c - 1]
    row = 2
    for r in reminders:
        for x in r.tasks:
            values = (r.district, r.unit, x.seq, x.task, x.deadline, x.due, state_name(x.state, lang),
                      x.days if x.state == "overdue" else None, x.days if x.state != "overdue" else None,
                      r.reply_by, x.key)
            for c, value in enumerate(values, 1):
                cell = put(ws, row, c, value)
                if isinstance(value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
            row += 1
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(SHEET_COLUMNS))}{max(row - 1, 1)}"
    printing.set_up(ws, title_rows="1:1", header_center=t("page-sheet-remind", lang), footer_center=t("footer", lang))
    return SHEET


def _our_heads(ws) -> bool:
    """Does the sheet begin with the 催办 sheet's headings (in either language; the first
    four, which no version has worded otherwise)?"""
    first = [c.value for c in next(ws.iter_rows(max_row=1), ())][:4]
    return any(first == [t(k, lang) for k in SHEET_COLUMNS[:4]] for lang in ("zh", "en"))
