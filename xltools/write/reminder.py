"""The 催办单 (reminder) of one lead unit as a Word document, and the same lines as a
sheet of the master: what a reminder says is a `Reminder` (work/report.py gathers it).

The sheet is named 催办 whatever the clerk's language, as every sheet of the master is
named in Chinese (the master is the office's shared document: a colleague's Chinese run
must find and replace the sheet an English run wrote); its headings are the clerk's."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from xltools.texts import t
from xltools.write import document as d, printing
from xltools.write.cells import put
from xltools.write.circular import TaskLine, state_name

if TYPE_CHECKING:
    from xltools.work.collect_log import Refusal

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
    refused: dict[str, list[Refusal]] = field(default_factory=dict)  # task key → what collect did not take, why

    def count(self, state: str) -> int:
        return sum(1 for x in self.tasks if x.state == state)


_CJK_GAP = re.compile(r"([。；：，])\s+")      # the log's message and advice joined by a space: none after 。


def refused_text(refusal: Refusal, lang: str) -> str:
    """你单位报送的“已完成”未被采纳：<collect's reason>（报送表“…xlsx” F12）.  The reason in
    the letter's language when it can be said again (Refusal.reason_in), else quoted from
    收集记录 and said to be."""
    where = " ".join(str(x) for x in (refusal.file, refusal.cell) if x)
    reason, quoted = refusal.reason_in(lang)
    text = t("rm-refused-quoted" if quoted else "rm-refused", lang,
             value=refusal.value if refusal.value is not None else "", reason=_CJK_GAP.sub(r"\1", reason.strip()))
    return text + (t("rm-refused-where", lang, where=where) if where else "")


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
    refused = [(x, r.refused[x.key]) for x in r.tasks if x.key in r.refused]
    if refused:        # what the unit reported that was not taken: it is told what to correct
        d.paragraph(doc, t("rm-refused-head", lang), indent=True, align="justify")
        for x, lines in refused:
            for refusal in lines:
                d.paragraph(doc, t("rm-refused-task", lang, seq=x.seq, text=refused_text(refusal, lang)),
                            indent=True, align="justify")
        d.paragraph(doc)
    d.paragraph(doc, t("rm-reply", lang, date=d.day_text(r.reply_by, lang)), indent=True, align="justify")
    d.paragraph(doc)
    d.paragraph(doc, d.day_text(r.as_of, lang), align="right")
    return d.save_document(doc, path)


SHEET_COLUMNS = ("rp-col-district", "rp-col-unit", "rp-col-seq", "rp-col-task", "rp-col-deadline", "rp-col-due",
                 "rp-col-state", "rp-col-days", "rp-col-days-left", "rp-col-reply", "rp-col-key", "rp-col-refused")
_WIDTHS = (10, 22, 6, 50, 16, 12, 9, 9, 9, 12, 24, 60)


def reminder_sheet(wb, reminders: list[Reminder], *, lang: str = "zh") -> str:
    """(Re)write the 催办 sheet of an openpyxl workbook, where the one it replaces stood (an
    older English run's "Reminders" too): one row per task of every reminder.  Text is
    written as text (cells.put), never as a formula."""
    from openpyxl.styles import Alignment, Font
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
                      r.reply_by, x.key,
                      "\n".join(refused_text(y, lang) for y in r.refused.get(x.key, ())) or None)
            for c, value in enumerate(values, 1):
                cell = put(ws, row, c, value)
                if isinstance(value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
                elif c == len(values) and value:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
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
