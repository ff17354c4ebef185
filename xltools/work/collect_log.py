"""收集记录: the log of every collection, appended to the master.  Chinese by default
(English with lang="en"), formatted to be read and printed: landscape A4, one page
wide, wrapped text, dates as dates in columns wide enough to show them."""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import itertools
import re
from pathlib import Path
from typing import Any, Collection, NamedTuple

from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from xltools import schema
from xltools.errors import XltoolsError
from xltools.findings import Finding
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
        changed = {_word("log-kind-" + kind, self.lang) for kind in ("updated", "conflict-resolved")}
        self.repeated: set[bytes] = set()       # problems already in the log (kept there: see log_archive)
        for values in [self.change_row(c, now) for c in changes] + [self.finding_row(f, now) for f in findings]:
            line = _line(values)
            if line in mine:
                continue
            # a change is written whenever it is made (the office may have typed the old value back);
            # a problem or a note, once
            if values[1] not in changed and self._seen and (digest := _digest(line)) in self._seen:
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
    partial: bool = False     # read from its part (seen_in_xml): only problems' lines, no refusals


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


_CHANGE_TEXTS = {t("log-kind-" + kind, lang) for kind in ("updated", "conflict-resolved") for lang in ("zh", "en")}
# a row that is not a change as collect writes it: its first two cells (收集时间, 类型) say which
_NO_CHANGE = re.compile(rb'<row\b[^>]*?\sr="(\d+)"[^>]*(?<!/)>(?!<c\b[^>]*>(?:<v>[^<]*</v>)?</c><c\b[^>]*\bt="inlineStr"[^>]*><is><t>(?:'
                        + b"|".join(re.escape(kind.encode()) for kind in sorted(_CHANGE_TEXTS)) + rb")</t>)")
_CELL_XML = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_TEXT_XML = re.compile(rb"<t\b[^>]*>(.*?)</t>", re.S)
_VALUE_XML = re.compile(rb"<v>(.*?)</v>", re.S)
_REF_XML = re.compile(rb'\sr="([A-Z]+)[0-9]+"')
_TYPE_XML = re.compile(rb'\st="(\w+)"')
_ENTITY = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|quot|apos|amp);")
_NAMED = {"lt": "<", "gt": ">", "quot": '"', "apos": "'", "amp": "&"}
_REPORTED_AT = next(c for c, (name, _) in enumerate(LOG_COLUMNS) if name == "reported_at")


def seen_in_xml(xml: bytes) -> Seen | None:
    """The log in a master as collect needs it (log_seen), read from its worksheet part as
    collect writes it: each line's text, one cell per column, no formulas.  Only the lines
    that are no change (problems and notes: a change is written whenever it is made) are
    compared (LogBook.append).  None when the part is not as collect writes it (a log
    saved by Excel or WPS keeps its text apart, in shared strings): read as a sheet then."""
    start = xml.find(b"<sheetData")
    end = xml.rfind(b"</sheetData>")
    if start < 0:
        return None
    if end < 0:                           # <sheetData/>: no line yet
        return Seen([], {}, partial=True)
    head, lines = None, {}
    for m in _NO_CHANGE.finditer(xml, start, end):      # the header, then every line but a change
        values = _row_values(xml[m.end():xml.find(b"</row>", m.end())])
        if values is None:
            return None
        if head is None:
            head = values
        else:
            lines[identity(values + [None] * (len(head) - len(values)))] = int(m.group(1))
    return collections_in(xml, start, end)._replace(head=head or [], lines=lines, partial=True)


def collections_in(xml: bytes, start: int = 0, end: int | None = None) -> Seen:
    """A log's collections (Seen.rounds) and the row of its note on older lines (Seen.note),
    found in the text of its rows: its lines none (a log too long to read as values)."""
    from openpyxl.utils.datetime import from_excel

    rounds: list[list[Any]] = []
    head, note = [], 0
    for m in _NUMBERED_FIRST.finditer(xml, start, len(xml) if end is None else end):
        r, time = int(m.group(1)), _TAG.sub(b"", m.group(2) or b"")
        if r == 1:
            head = [time.decode()]
        elif r == 2 and _NOTE_KIND.search(xml, m.end(), xml.find(b"</row>", m.end())):
            note = r
        elif rounds and time == rounds[-1][2] and rounds[-1][1] == r - 1:
            rounds[-1][1] = r
        else:
            rounds.append([r, r, time])
    for one in rounds:
        try:
            one[2] = from_excel(float(one[2]))
        except ValueError:
            one[2] = one[2].decode()
    return Seen(head, {}, rounds=tuple(map(tuple, rounds)), note=note, partial=True)


_TAG = re.compile(rb"<[^>]*>")
_NUMBERED_FIRST = re.compile(rb'<row\b[^>]*?\sr="(\d+)"[^>]*>\s*<c\b[^>]*?(?:/>|>(.*?)</c>)', re.S)
_NOTE_KIND = re.compile(b"|".join(b">%s<" % re.escape(t("log-kind-archived", lang).encode()) for lang in ("zh", "en")))


def _row_values(inner: bytes) -> list[Any] | None:
    """The values of a row's cells, as a sheet read gives them (_master_sheets): blank
    None, whole numbers int, 报送时间 a date; None for a cell this does not read (shared
    text)."""
    values: list[Any] = []
    for m in _CELL_XML.finditer(inner):
        attrs, body = m.group(1), m.group(2) or b""
        ref = _REF_XML.search(attrs)
        if ref:
            at = 0
            for ch in ref.group(1):
                at = at * 26 + ch - 64
            values += [None] * (at - 1 - len(values))
        kind = _TYPE_XML.search(attrs)
        kind = kind.group(1) if kind else b"n"
        if kind == b"inlineStr":
            value: Any = _unescaped(b"".join(_TEXT_XML.findall(body)).decode())
        else:
            v = _VALUE_XML.search(body)
            if v is None:
                value = None
            elif kind == b"n":
                value = float(v.group(1))
                if len(values) == _REPORTED_AT:
                    value = _EPOCH + dt.timedelta(days=value)
                    value = (value + dt.timedelta(microseconds=500_000)).replace(microsecond=0) \
                        if value.microsecond else value
                elif value.is_integer() and abs(value) < 2 ** 53:
                    value = int(value)
            elif kind == b"b":
                value = v.group(1) == b"1"
            elif kind in (b"str", b"e"):
                value = _unescaped(v.group(1).decode())
            else:
                return None
        values.append(value if value.__class__ is not str or value.strip() else None)
    return values


def _unescaped(text: str) -> str:
    if "&" not in text:
        return text
    return _ENTITY.sub(lambda m: _NAMED.get(m.group(1)) or chr(int(m.group(1)[2:], 16) if m.group(1)[1] in "xX"
                                                                  else int(m.group(1)[1:])), text)


_EPOCH = dt.datetime(1899, 12, 30)


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
    lang: str = "zh"            # the log's language (its headings')

    def reason_in(self, lang: str) -> tuple[str, bool]:
        """Why, in `lang`: the line's own words when the log is in `lang`; else the finding
        the line was written from, said again in `lang`, when the line reads back as one
        finding whose every part is the same in any language (the value the unit typed, a
        date, a cell, a column of ours); else the line as recorded, and True: a quote in
        the log's language."""
        found = logged_finding(self.reason)
        logged_in = found[1] if found else self.lang
        if logged_in == lang:
            return self.reason, False
        if found is None or not {k for k, v in found[2].items() if v} <= _NEUTRAL.keys():
            return self.reason, True
        code, _, params = found
        f = Finding(code, self.file or "", None, self.cell, params.get("value"),
                    {k: _NEUTRAL[k](v) if v else v for k, v in params.items() if k != "value"})
        return f.message(lang) + (f" {s}" if (s := f.suggestion(lang)) else ""), False


def _column_named(header: str) -> Any:
    """A column as a log line names it, back to ours (状态 → Status in English); another as written."""
    keys = [c.key for c in schema.MASTER_COLUMNS if header in (c.zh, c.en)]
    return ColumnName(*keys) if keys else header


# A logged finding's parameters that read the same in any language (what the unit typed,
# dates, cells, names, the return's status words), and the columns of ours, named again
_NEUTRAL: dict[str, Any] = {**{k: str for k in ("value", "example", "day", "range", "status", "choices", "unit",
                                                  "leads", "name", "theirs", "ours", "ours_name", "years")},
                            "column": _column_named}


def logged_finding(note: str) -> tuple[str, str, dict[str, str]] | None:
    """(code, language, parameters as written) of the finding a log line's 说明 was made
    from (its message and suggestion, as finding_row joins them), when exactly one
    finding's texts match it; None otherwise (a line of an older wording, a change's note)."""
    found = {(code, lang): m.groupdict() for (code, lang), pattern in _finding_patterns()
             if (m := pattern.fullmatch(note.strip()))}
    if len({code for code, _ in found}) != 1:
        return None
    (code, lang), params = next(iter(found.items()))
    return code, lang, params


@functools.lru_cache(maxsize=1)
def _finding_patterns() -> list[tuple[tuple[str, str], Any]]:
    """Each finding's texts as finding_row writes them, as a pattern with a group for each
    parameter (a parameter named twice must read the same twice)."""
    import re
    import string

    from xltools.texts import FINDINGS

    out = []
    for code, (_, *texts) in FINDINGS.items():
        for lang, (message, suggestion) in zip(("zh", "en"), texts):
            parts, seen = [], set()
            for literal, name, _, _ in string.Formatter().parse(message + (f" {suggestion}" if suggestion else "")):
                parts.append(re.escape(literal).replace("\\ ", " ").replace(" ", " ?"))
                if name:
                    parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.*?)")
                    seen.add(name)
            out.append(((code, lang), re.compile("".join(parts), re.S)))
    return out


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
    logged_in = "en" if t("log-note", "en") in rows[0] else "zh"
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
                                                         at(row, "cell"), logged_in)))
        elif kind in updated and at(row, "column") in status:
            out.pop(about, None)
    return out
