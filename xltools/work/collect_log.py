"""收集记录: the log of every collection, appended to the master.  Chinese by default
(English with lang="en"), formatted to be read and printed: landscape A4, one page
wide, wrapped text, dates as dates in columns wide enough to show them."""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import itertools
from pathlib import Path
from typing import Any, Collection, NamedTuple

from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from xltools import schema
from xltools.errors import XltoolsError
from xltools.texts import t
from xltools.aside import Aside
from xltools.rules.text import row_height, wrapped_lines
from xltools.work.returns import LOG_SHEET
from xltools.write import printing
from xltools.write.cells import DATE_FORMAT, put
from xltools.write.splice import Formats, SheetRows, cell

# (name, width): time and 报送时间 wide enough for a date and time, never ###
LOG_COLUMNS = (("time", 17), ("kind", 14), ("key", 24), ("district", 8), ("seq", 6), ("task", 18), ("column", 10),
               ("old", 26), ("new", 34), ("unit", 16), ("reported_at", 12), ("file", 22), ("cell", 7), ("note", 44))
_ADDED = ("task", "cell")     # columns a log written before had not: inserted when it is appended to
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD = (Font(name="黑体", bold=True), PatternFill("solid", fgColor="DDEBF7"),
         Alignment(horizontal="center", vertical="center", wrap_text=True))
_BODY = (Font(name="宋体", size=10), Alignment(vertical="top", wrap_text=True))
_FORMATS = {1: "yyyy-mm-dd hh:mm", 11: DATE_FORMAT}     # 收集时间, 报送时间
ASIDE_LINES = 5000          # lines worth making into rows in another process


class ColumnName:
    """Columns of ours as a finding's parameter: their headers in the message's language."""

    def __init__(self, *keys: str):
        self.keys = keys

    def render(self, lang: str) -> str:
        return ("、" if lang == "zh" else ", ").join(
            schema.BY_KEY[k].header(lang) if k in schema.BY_KEY else k for k in self.keys)

    def __str__(self) -> str:
        return self.render("zh")


class Said:
    """What one unit reported for a task (column key → value), rendered when shown:
    状态：已完成；进展情况：…"""

    def __init__(self, values: dict[str, Any]):
        self.values = values

    def render(self, lang: str) -> str:
        return describe(self.values, lang)

    def __str__(self) -> str:
        return self.render("zh")


class Typed:
    """A value as the unit typed it and what it was read as (已办结 → 已完成), shown as
    typed: “已办结”（按已完成处理）."""

    def __init__(self, typed: Any, value: Any):
        self.typed, self.value = typed, value

    def render(self, lang: str) -> str:
        return t("value-typed-as", lang, typed=shown(self.typed), value=shown(self.value))

    def __str__(self) -> str:
        return self.render("zh")


class LogBook:
    """The 收集记录 sheet of a master workbook: the changes applied and the findings of
    every collection, one line each, naming the task.  Its rows are appended as text to
    the rows kept out of openpyxl (write/splice.py); the sheet itself, its head and its
    print setup are openpyxl's."""

    def __init__(self, wb, lang: str, seen: Seen | None, kept: dict[str, SheetRows]):
        """seen: the log in the master (log_seen; None: no log yet); kept: the rows of each
        sheet taken out of openpyxl's hands (a log held whole is an outdated one)."""
        self.lang = lang
        if LOG_SHEET in wb.sheetnames:
            self.ws = wb[LOG_SHEET]
            if LOG_SHEET not in kept:
                self._upgrade()
        else:
            self.ws = wb.create_sheet(LOG_SHEET)
            self._head()
        if LOG_SHEET in kept:
            self._seen = seen.lines if seen else frozenset()      # the lines in the log: never changed here
        else:
            self._seen = {identity(row) for row in self.ws.iter_rows(min_row=2, values_only=True)}
            kept[LOG_SHEET] = SheetRows(None, last=self.ws.max_row)
        self.rows = kept[LOG_SHEET]
        body = Cell(self.ws)
        body.font, body.alignment = _BODY
        body.border = _BORDER
        formats = Formats(wb)
        # 收集时间 and 报送时间 in one format each, whatever the value (a day, a moment, none)
        self.looks = [formats.family(formats.like(body.style_id, _FORMATS[c]), _FORMATS[c], _FORMATS[c])
                      if c in _FORMATS else formats.family(body.style_id) for c in range(1, len(LOG_COLUMNS) + 1)]

    @staticmethod
    def outdated(seen: Seen | None) -> bool:
        """A log written before lines named their task: openpyxl must hold it whole to
        insert the columns (_upgrade)."""
        if seen is None or seen.unread:        # a log too long to read is no old one: they were short
            return False
        heads = {str(v) for v in seen.head if v is not None}
        return any(
            name in _ADDED and not heads & {t("log-" + name, lang) for lang in ("zh", "en")} for name, _ in LOG_COLUMNS)

    def _head(self) -> None:
        ws = self.ws
        for c, (name, width) in enumerate(LOG_COLUMNS, 1):
            self._head_cell(c, name, width)
        ws.freeze_panes = "A2"
        printing.set_up(ws, title_rows="1:1", header_center=t("page-sheet-collected", self.lang),
                        footer_center=t("footer", self.lang))

    def _head_cell(self, c: int, name: str, width: float) -> None:
        cell = put(self.ws, 1, c, t("log-" + name, self.lang))
        cell.font, cell.fill, cell.alignment = _HEAD
        cell.border = _BORDER
        self.ws.column_dimensions[cell.column_letter].width = width

    def _upgrade(self) -> None:
        """A log written before lines named their task: its columns made today's."""
        heads = {str(c.value) for c in self.ws[1] if c.value is not None}
        for c, (name, width) in enumerate(LOG_COLUMNS, 1):
            if name in _ADDED and not heads & {t("log-" + name, lang) for lang in ("zh", "en")}:
                self.ws.insert_cols(c)
                self._head_cell(c, name, width)

    def append(self, changes: list, findings: list, now: dt.datetime) -> int:
        """Append the lines not already in the log; returns how many were written.  Many
        lines are made into rows in another process (xltools.aside) while the master's
        other sheets are put back here."""
        lines, mine = [], set()        # this collection's lines, as shown: each written once
        self.repeated: set[bytes] = set()       # and those already in the log (kept there: see log_archive)
        for values in [self.change_row(c, now) for c in changes] + [self.finding_row(f, now) for f in findings]:
            line = _line(values)
            if line in mine:
                continue
            if self._seen and (digest := _digest(line)) in self._seen:
                self.repeated.add(digest)
                continue
            mine.add(line)
            lines.append(values)
        if self.rows.last_row() + len(lines) > EXCEL_ROWS:      # nothing written: the clerk moves old lines out
            raise XltoolsError("collect-log-full", rows=self.rows.last_row(), lines=len(lines), limit=EXCEL_ROWS)
        if lines:
            self.rows.append_later(len(lines), lambda first: _Halves(lines, self.looks, first))
        filter_all(self.ws, self.rows.last_row())
        return len(lines)

    def moved_out(self, rows: Collection[int], note: str, file: str, now: dt.datetime) -> None:
        """`rows` moved out of the log (log_archive), the old note's among them; in their
        place a note at the top, the first line under the header, saying where they went."""
        values: list[Any] = [None] * len(LOG_COLUMNS)
        names = [name for name, _ in LOG_COLUMNS]
        for name, value in (("time", now), ("kind", _word("log-kind-archived", self.lang)), ("file", file),
                            ("note", note)):
            values[names.index(name)] = value
        self.rows.remove(set(rows), _rows_xml([values], self.looks, 2), 1)
        filter_all(self.ws, self.rows.last_row())

    def change_row(self, c, now: dt.datetime) -> list[Any]:
        """A change applied (已更新, 冲突已解决)."""
        lang = self.lang
        return [now, _word("log-kind-" + c.kind, lang), c.key, c.district, c.seq, c.task, self.column(c.column),
                shown(c.old), c.typed.render(lang) if c.typed is not None else shown(c.new), c.unit, c.reported_at, _name(c.file), c.cell,
                c.note.render(lang) if c.note else None]

    def finding_row(self, f, now: dt.datetime) -> list[Any]:
        """A finding: its severity, the task, the cell and value, the message and what to do."""
        lang, p = self.lang, f.params
        said = p.get("said")
        column = p.get("column")
        note = f.message(lang) + (f" {s}" if (s := f.suggestion(lang)) else "")
        return [now, _word("log-kind-" + f.severity, lang), p.get("key"), p.get("district"), p.get("seq"), p.get("task"),
                column.render(lang) if column is not None else None, shown(p.get("old")),
                said.render(lang) if said is not None else f.value, p.get("unit"), p.get("reported_at"),
                _name(f.file), f.cell, note]

    def column(self, key: str | None) -> str | None:
        return _column_name(key, self.lang) if key else None


def filter_all(ws, last: int) -> None:
    """The log's filter buttons over every line (none while it has none)."""
    if last > 1:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(LOG_COLUMNS))}{last}"


class Seen(NamedTuple):
    """The log already in a master, as collect needs it: its header row and each line's
    identity (→ the last row holding it); `unread`: the lines of a log too long to read
    (then none are compared).  For moving old lines out (log_archive): the rows of each
    collection (first, last, its 收集时间: lines of one time, one after another), oldest
    first; the row of the note saying where older lines went (0: none); the rows of the
    refusals not yet answered (remind names them: refusals())."""
    head: list[Any]
    lines: dict[bytes, int]
    unread: int = 0
    rounds: tuple[tuple[int, int, Any], ...] = ()
    note: int = 0
    refused: frozenset[int] = frozenset()


EXCEL_ROWS = 1_048_576          # a sheet's last row in Excel (and WPS): a log may not pass it


def log_seen(rows: list[list[Any]] | None) -> Seen | None:
    """`rows`: the log sheet's, whole numbers int (None: the master has no log)."""
    if rows is None:
        return None
    head = rows[0] if rows else []
    cols = _columns(head)
    kind, when = cols.get("kind"), cols.get("time", 0)
    archived = {t("log-kind-archived", lang) for lang in ("zh", "en")}
    lines: dict[bytes, int] = {}
    rounds: list[list[Any]] = []      # [first, last, 收集时间] of each collection
    note, time = 0, None
    for r, row in enumerate(rows[1:], 2):
        lines[identity(row)] = r
        if kind is not None and kind < len(row) and row[kind] in archived:
            note = r
            continue
        at = row[when] if when < len(row) else None
        if rounds and at == time and rounds[-1][1] == r - 1:
            rounds[-1][1] = r
        else:
            rounds.append([r, r, at])
            time = at
    return Seen(head, lines, rounds=tuple(map(tuple, rounds)), note=note,
                refused=frozenset(r for open_ in _refused(rows).values() for r, _ in open_))


def _columns(head: list[Any]) -> dict[str, int]:
    """Where each of our columns is in a log's header row (its names in either language)."""
    names = {t("log-" + name, lang): name for name, _ in LOG_COLUMNS for lang in ("zh", "en")}
    return {names[str(v)]: c for c, v in enumerate(head) if str(v) in names}


def identity(values) -> bytes:
    """A line as shown, without the collection time: the same line is not written twice.
    A digest: a long log's identities are few bytes to send from the process reading it."""
    return _digest(_line(values))


def _line(values) -> str:
    """A line as shown, without the collection time.  Text read from a worksheet holds
    no NUL (XML cannot): joined by it, different lines stay apart."""
    return "\0".join(map(_as_shown, values[1:]))


def _digest(line: str) -> bytes:
    return hashlib.blake2b(line.encode(), digest_size=16).digest()


class _Halves:
    """Many lines made into rows in two processes at once (the first half's and the
    second's), few here: `result()` gives the rows in order."""

    def __init__(self, lines: list[list[Any]], looks: list, first: int):
        half = len(lines) // 2 if len(lines) >= 2 * ASIDE_LINES else len(lines)
        self.parts = [Aside(_rows_xml, part, looks, at, worth=len(lines) >= ASIDE_LINES)
                      for part, at in ((lines[:half], first), (lines[half:], first + half)) if part]

    def result(self) -> bytes:
        return b"".join(part.result() for part in self.parts)


def _rows_xml(lines: list[list[Any]], looks: list, first: int) -> bytes:
    """The <row> elements of log lines, numbered from `first`: column by column, each
    value's cell made once (the time, the unit, the file … are the same on most lines).
    Each row is as high as its most wrapped value (说明 takes a few lines): Excel, WPS and
    LibreOffice keep a row of a file at the height it says, and a wrapped sentence in a
    row of one line is cut off in print."""
    columns, tall = [], []        # tall: the line counts of the columns where a value wraps
    for values, look, (_, width) in zip(itertools.zip_longest(*lines), looks, LOG_COLUMNS):
        if {float, bool} & set(map(type, values)):         # 1 == 1.0 == True: one key, three cells
            columns.append([cell(v, look) for v in values])
            continue
        made = dict.fromkeys(values)
        wraps = {v: n for v in made if (n := wrapped_lines(v, width)) > 1}
        for v in made:
            made[v] = cell(v, look)
        columns.append(list(map(made.__getitem__, values)))
        if wraps:
            tall.append([wraps.get(v, 1) for v in values])
    heights = list(map(row_height, map(max, *tall))) if len(tall) > 1 else \
        list(map(row_height, tall[0])) if tall else [row_height(1)] * len(lines)
    return "".join(f'<row r="{r}" ht="{h}" customHeight="1">{"".join(cells)}</row>'
                   for r, cells, h in zip(itertools.count(first), zip(*columns), heights)).encode()


@functools.lru_cache(maxsize=256)      # the same few words on every line of a 100,000-line log
def _word(key: str, lang: str) -> str:
    return t(key, lang)


@functools.lru_cache(maxsize=256)
def _column_name(key: str, lang: str) -> str:
    return ColumnName(key).render(lang)


def _as_shown(v: Any) -> str:
    """A value as a line's identity compares it: as shown, blank as ""."""
    return "" if v is None else v if v.__class__ is str else str(shown(v))


@functools.lru_cache(maxsize=1024)   # the same few files on every line
def _name(file: str | None) -> str | None:
    return Path(file).name if file else None


def describe(values: dict[str, Any], lang: str) -> str:
    """状态：已完成；进展情况：… (who said what)."""
    sep, colon = ("；", "：") if lang == "zh" else ("; ", ": ")
    return sep.join(f"{schema.BY_KEY[k].header(lang) if k in schema.BY_KEY else k}{colon}"
                    f"{v.render(lang) if isinstance(v, Typed) else shown(v)}"
                    for k, v in values.items())


def shown(v: Any) -> Any:
    """Dates as text in the log's value columns (a date in a text column prints as ###)."""
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat(" ", "minutes")
    if isinstance(v, dt.date):
        return v.isoformat()
    return v


class Refusal(NamedTuple):
    """What collect did not take of a unit's report on a task, as its 收集记录 line says it:
    the value the unit typed, why (the line's 说明: what was wrong and what to do), where."""
    value: Any
    reason: str
    file: str | None
    cell: str | None


def refusals(rows: list[list[Any]] | None) -> dict[tuple[str, str], list[Refusal]]:
    """(task key, unit as the log names it) → what collect refused of its reports and has
    not taken since: the log's error lines (未写入), read from `rows` (the 收集记录 sheet's,
    header first; None: no log).  A later line that wrote the unit's 状态 (已更新) answers
    the refusals before it.  The reasons are collect's own words, in the log's language."""
    return {about: list(dict.fromkeys(line for _, line in lines)) for about, lines in _refused(rows).items()}


def _refused(rows: list[list[Any]] | None) -> dict[tuple[str, str], list[tuple[int, Refusal]]]:
    """refusals(), each line with its row (remind needs them: they stay when old lines move out)."""
    if not rows:
        return {}
    col = _columns(rows[0])
    if not {"kind", "key", "unit", "note"} <= col.keys():
        return {}
    error = {t("log-kind-error", lang) for lang in ("zh", "en")}
    updated = {t("log-kind-updated", lang) for lang in ("zh", "en")}
    status = {ColumnName(schema.STATUS.key).render(lang) for lang in ("zh", "en")}
    out: dict[tuple[str, str], list[tuple[int, Refusal]]] = {}

    def at(row: list[Any], name: str) -> Any:
        c = col.get(name)
        return row[c] if c is not None and c < len(row) and row[c] not in ("", None) else None

    for r, row in enumerate(rows[1:], 2):
        key, unit, kind = at(row, "key"), at(row, "unit"), at(row, "kind")
        if key is None or unit is None:
            continue
        about = (str(key), str(unit))
        if kind in error and at(row, "note"):
            out.setdefault(about, []).append((r, Refusal(at(row, "new"), str(at(row, "note")), at(row, "file"),
                                                         at(row, "cell"))))
        elif kind in updated and at(row, "column") in status:
            out.pop(about, None)
    return out
