"""收集记录: the log of every collection, appended to the master.  Chinese by default
(English with lang="en"), formatted to be read and printed: landscape A4, one page
wide, wrapped text, dates as dates in columns wide enough to show them."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from xltools import schema
from xltools.texts import t
from xltools.work.returns import LOG_SHEET
from xltools.write import printing
from xltools.write.cells import DATE_FORMAT, put

# (name, width): time and 报送时间 wide enough for a date and time, never ###
LOG_COLUMNS = (("time", 17), ("kind", 18), ("key", 24), ("district", 8), ("seq", 6), ("column", 12),
               ("old", 30), ("new", 40), ("unit", 18), ("reported_at", 12), ("file", 24), ("note", 36))
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD = (Font(name="黑体", bold=True), PatternFill("solid", fgColor="DDEBF7"),
         Alignment(horizontal="center", vertical="center", wrap_text=True))
_BODY = (Font(name="宋体", size=10), Alignment(vertical="top", wrap_text=True))


class LogBook:
    """The 收集记录 sheet of a master workbook."""

    def __init__(self, wb, lang: str):
        self.lang = lang
        if LOG_SHEET in wb.sheetnames:
            self.ws = wb[LOG_SHEET]
        else:
            self.ws = wb.create_sheet(LOG_SHEET)
            self._head()
        self._seen = {self._identity(row) for row in self.ws.iter_rows(min_row=2, values_only=True)}

    def _head(self) -> None:
        ws = self.ws
        for c, (name, width) in enumerate(LOG_COLUMNS, 1):
            cell = put(ws, 1, c, t("log-" + name, self.lang))
            cell.font, cell.fill, cell.alignment = _HEAD
            cell.border = _BORDER
            ws.column_dimensions[cell.column_letter].width = width
        ws.freeze_panes = "A2"
        printing.set_up(ws, title_rows="1:1", footer_center=t("footer", self.lang))

    @staticmethod
    def _identity(values) -> tuple:
        """A line as shown, without the collection time: the same line is not written twice."""
        return tuple("" if v is None else str(shown(v)) for v in list(values)[1:])

    def append(self, log: list[dict], now: dt.datetime) -> int:
        """Append the lines not already in the log; returns how many were written."""
        ws, written = self.ws, 0
        for entry in log:
            values = self.row(entry, now)
            identity = self._identity(values)
            if identity in self._seen:
                continue
            self._seen.add(identity)
            r = ws.max_row + 1
            for c, v in enumerate(values, 1):
                cell = put(ws, r, c, v)
                cell.font, cell.alignment = _BODY
                cell.border = _BORDER
            ws.cell(r, 1).number_format = "yyyy-mm-dd hh:mm"
            ws.cell(r, 10).number_format = DATE_FORMAT
            written += 1
        if ws.max_row > 1:
            ws.auto_filter.ref = f"A1:{ws.cell(1, len(LOG_COLUMNS)).column_letter}{ws.max_row}"
        return written

    def row(self, e: dict, now: dt.datetime) -> list[Any]:
        lang = self.lang
        kind = t("log-kind-" + e["kind"], lang)
        if e["kind"] == "conflict" and e.get("applied"):
            kind += t("log-lead-applied", lang)
        new = e.get("new")
        new = describe(new, lang) if isinstance(new, dict) else shown(new)
        return [now, kind, e.get("key"), e.get("district"), e.get("seq"), self.columns(e.get("column")),
                shown(e.get("old")), new, e.get("unit"), e.get("reported_at"), Path(e["file"]).name if e.get("file")
                else None, e.get("note")]

    def columns(self, text: str | None) -> str | None:
        if not text:
            return None
        return "、".join(schema.BY_KEY[k].header(self.lang) if k in schema.BY_KEY else k for k in text.split(","))


def describe(values: dict[str, Any], lang: str) -> str:
    """状态：已完成；进展情况：… (who said what)."""
    sep, colon = ("；", "：") if lang == "zh" else ("; ", ": ")
    return sep.join(f"{schema.BY_KEY[k].header(lang) if k in schema.BY_KEY else k}{colon}{shown(v)}"
                    for k, v in values.items())


def shown(v: Any) -> Any:
    """Dates as text in the log's value columns (a date in a text column prints as ###)."""
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat(" ", "minutes")
    if isinstance(v, dt.date):
        return v.isoformat()
    return v
