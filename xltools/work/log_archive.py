"""The archive of 收集记录: a long log's oldest lines moved into a workbook beside the master.

A large master's log grows by about two lines per task each collection: an office of
2,000 tasks collecting weekly passes 200,000 lines within a year, where the log can no
longer be read for comparison (collect-log-long) and the master is slow to open.  When a
collection would leave more than ARCHIVE_AT lines, the oldest collections move, whole,
into 汇总-收集记录存档.xlsx beside 汇总.xlsx (then 汇总-收集记录存档2.xlsx when one is full),
a sheet of the same name, columns and headings (LogBook makes its head), appended to on
every move.  The latest collections stay (at least KEEP_ROUNDS of them and half the
limit's lines), and so do the lines this collection found again in the log (they keep
it from writing them once more) and the refusals no later report answered (remind names
them).

Nothing is lost: the archive is written (atomically, under its lock) before the master
without those lines replaces the old one; when the archive cannot be written the master
keeps its lines and collect says so.  A master put back by `xltools undo` holds lines
the archive has already: they are not written there twice (a line's identity is all it
shows, its 收集时间 too).  The rows move as text (write/splice.py), their cell formats
made the archive's: neither workbook is read again through openpyxl's cells.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from copy import copy
from pathlib import Path
from typing import Any, Callable, NamedTuple

from xltools.errors import MessageOf, UnreadableFile, Words, XltoolsError
from xltools.findings import Finding
from xltools.read.limits import worksheet_parts
from xltools.read.loaders import os_error
from xltools.texts import t
from xltools.work.collect_log import EXCEL_ROWS, LogBook, Seen, collections_in, filter_all, shown
from xltools.work.returns import LOG_SHEET
from xltools.write import splice
from xltools.write.files import ARCHIVE_MARK, editing
from xltools.write.templates import workbook_bytes

ARCHIVE_AT = 100_000     # lines of 收集记录 a collection leaves at most: past it the oldest collections move out
KEEP_ROUNDS = 4          # the latest collections always stay in the master (and half ARCHIVE_AT's lines)


class Archived(NamedTuple):
    """What a collection moved out of 收集记录: how many lines, into which archive files (all
    of them, oldest first), and how many lines the master keeps."""
    lines: int
    files: list[Path]
    kept: int

    def message(self, lang: str = "zh") -> str:
        return t("cli-collect-archived", lang, lines=self.lines, kept=self.kept, files=_names(self.files, lang))

    def to_dict(self) -> dict:
        return {"lines": self.lines, "files": [str(f) for f in self.files], "kept": self.kept}


def archive_path(master: Path, n: int = 1) -> Path:
    """汇总.xlsx → 汇总-收集记录存档.xlsx (n = 2: …存档2.xlsx), beside it: named in Chinese
    like every file xltools keeps beside a master."""
    return master.with_name(f"{master.stem}{ARCHIVE_MARK}{n if n > 1 else ''}.xlsx")


def archives(master: Path) -> list[Path]:
    """The master's archive files there are, oldest first (anything of the name counts)."""
    out = []
    while (path := archive_path(master, len(out) + 1)).exists():
        out.append(path)
    return out


def to_move(seen: Seen | None, last_row: int, repeated: set[bytes]) -> tuple[list[int], list[tuple]]:
    """The rows of the log to move out, and the collections they are of (first, last,
    收集时间): none while the log, `last_row` its last row now, holds at most ARCHIVE_AT
    lines (or could not be read).  The oldest collections, whole, but never the latest
    KEEP_ROUNDS nor the latest half of ARCHIVE_AT lines (whichever is more), nor a line
    found again this time (`repeated`: identities; its last row stays), nor a refusal not
    answered yet (remind reads it in the log)."""
    if seen is None or seen.unread:
        return [], []
    rounds = list(seen.rounds)
    old = max([seen.note, 1] + [r[1] for r in rounds])
    if last_row > old:
        rounds.append((old + 1, last_row, None))          # this collection's lines
    size = [b - a + 1 for a, b, _ in rounds]
    if sum(size) <= ARCHIVE_AT:
        return [], []
    k, kept = len(rounds), 0
    while k > 0 and (len(rounds) - k < KEEP_ROUNDS or kept < ARCHIVE_AT // 2):
        k -= 1
        kept += size[k]
    stay = {seen.lines[d] for d in repeated if d in seen.lines} | seen.refused
    moved = [[r for r in range(a, b + 1) if r not in stay] for a, b, _ in rounds[:k]]
    return [r for rows in moved for r in rows], [one for one, rows in zip(rounds, moved) if rows]


def archive_old_lines(book: LogBook, seen: Seen | None, master: Path, now: dt.datetime,
                      findings: list[Finding], whole: Callable[[], Seen | None] | None = None) -> Archived | None:
    """Move the log's oldest lines (to_move) into the archive, then out of `book` (the
    master's log, its lines of this collection appended).  The archive is written first:
    when it cannot be, the master keeps them and `findings` gets collect-archive-failed.
    `whole()`: the log read as a sheet, when `seen` was read from its part (no refusals)."""
    if book.rows.xml is None:         # a log openpyxl holds whole (an old one, upgraded now): next time
        return None
    last = book.rows.last_row()
    if seen is not None and seen.partial and whole is not None and to_move(seen, last, book.repeated)[0]:
        seen = whole()        # read whole now (a log read from its part has no refusals): they stay
    if seen is not None and seen.unread and last - 1 > ARCHIVE_AT:   # too long to read: found in its text
        seen = collections_in(book.rows.xml)
    rows, rounds = to_move(seen, last, book.repeated)
    if not rows:
        return None
    moved = book.rows.row_elements(rows)
    head_lang = "en" if seen.head and seen.head[0] == t("log-time", "en") else "zh"
    try:
        files = _write(master, b"".join(moved), book.ws.parent, book.rows.root, head_lang)
    except (OSError, XltoolsError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        archive = (archives(master) or [archive_path(master)])[-1]
        findings.append(Finding("collect-archive-failed", str(master), LOG_SHEET, None, None,
                                {"rows": last - 1, "lines": len(rows), "archive": archive.name,
                                 "reason": _reason(exc, archive)}))
        return None
    names = _names(files, book.lang)
    when = [shown(r[2]) for r in rounds if r[2] is not None] or [shown(now)]
    book.moved_out(rows + ([seen.note] if seen.note else []),
                   t("log-archived-note", book.lang, files=names, when=shown(now), lines=len(rows),
                     first=when[0], last=when[-1]), ", ".join(f.name for f in files), now)
    return Archived(len(rows), files, book.rows.last_row() - 2)


def _reason(exc: Exception, path: Path) -> MessageOf:
    """Why the archive `path` could not be written, in the clerk's words (in the language
    the finding is shown in)."""
    if isinstance(exc, IsADirectoryError):
        exc = UnreadableFile("file-is-folder", file=path.name)
    elif isinstance(exc, OSError):
        exc = os_error(path, exc)
    elif isinstance(exc, zipfile.BadZipFile):
        exc = UnreadableFile("file-corrupt", file=path.name, reason=Words("reason-not-zip"))
    elif not isinstance(exc, XltoolsError):
        exc = UnreadableFile("file-io", file=path.name, reason=str(exc) or type(exc).__name__)
    return MessageOf(exc)


def _names(files: list[Path], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join((f"“{f.name}”" if lang == "zh" else f"'{f.name}'") for f in files)


def _target(master: Path, lines: int) -> Path:
    """The archive file `lines` more go into: the last one, while it has room."""
    there = archives(master)
    try:
        if there and _last_row(there[-1]) + lines <= EXCEL_ROWS:
            return there[-1]
    except (OSError, zipfile.BadZipFile, KeyError):     # said when it is written
        return there[-1]
    return archive_path(master, len(there) + 1)


def _last_row(path: Path) -> int:
    """An archive's last row, as its rows' dimension says (read without its rows)."""
    with zipfile.ZipFile(path) as zf:
        part = worksheet_parts(zf).get(LOG_SHEET)
        head = zf.open(part).read(4096) if part else b""
    m = re.search(rb'<dimension ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"', head)
    return int(m.group(1) or 1) if m else EXCEL_ROWS


def _write(master: Path, rows: bytes, source, root: bytes, lang: str) -> list[Path]:
    """Append `rows` (<row> elements of the master's log, `source` its openpyxl workbook,
    `root` its sheet's start tag) to the archive, those it holds already left out; the
    archive files there are then."""
    count = rows.count(b"<row")
    target = _target(master, count)
    others = [p for p in archives(master) if p != target]
    # a master put back by undo holds lines moved before: in any archive file
    already = set().union(*(_lines_in(_rows_in(p), rows) for p in others))
    with editing(target) as held:
        wb, kept = _open(target) if target.exists() else _new(lang)
        log = kept[LOG_SHEET]
        if log.xml is not None:
            already |= _lines_in(log.xml, rows)
        if already:
            rows = b"".join(row for row in _elements(rows) if _line_key(row) not in already)
            count = rows.count(b"<row")
        if count:
            rows = splice.rows_restyled(rows, _style_map(source, wb, splice.styles_in(rows)))
            log.append_later(count, lambda first: _Made(splice.renumbered(rows, first)))
            log.declare(root)          # what Excel writes on every row (x14ac:dyDescent) declared
            filter_all(wb[LOG_SHEET], log.last_row())
            data = splice.put_rows(workbook_bytes(wb), kept)
            held.replace(lambda temp: Path(temp).write_bytes(data))
    return archives(master)


def _open(path: Path) -> tuple[Any, dict[str, splice.SheetRows]]:
    import openpyxl

    package, kept = splice.take_rows(path.read_bytes())
    wb = openpyxl.load_workbook(io.BytesIO(package))
    if LOG_SHEET not in kept:       # no such sheet, or one openpyxl must read: no archive of ours
        raise XltoolsError("log-archive-not-ours", file=path.name, sheet=LOG_SHEET)
    return wb, kept


def _rows_in(path: Path) -> bytes:
    """An archive's rows, as text."""
    kept = splice.take_rows(path.read_bytes())[1].get(LOG_SHEET)
    return kept.xml or b"" if kept else b""


def _new(lang: str) -> tuple[Any, dict[str, splice.SheetRows]]:
    """An empty archive: the log's sheet as LogBook makes it (head, widths, print setup)."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    kept: dict[str, splice.SheetRows] = {}
    LogBook(wb, lang, None, kept)
    return wb, kept


class _Made:
    def __init__(self, rows: bytes):
        self.rows = rows

    def result(self) -> bytes:
        return self.rows


def _style_map(source, wb, ids: set[int]) -> dict[int, int]:
    """Each cell format of `source` the rows use → the same look's in `wb`."""
    from openpyxl.cell import Cell

    out = {}
    for s in ids:
        if s >= len(source._cell_styles):
            continue
        a = Cell(source.worksheets[0])
        a._style = copy(source._cell_styles[s])
        b = Cell(wb[LOG_SHEET])
        b.font, b.fill, b.border, b.alignment = copy(a.font), copy(a.fill), copy(a.border), copy(a.alignment)
        b.number_format, b.protection, b.quotePrefix = a.number_format, copy(a.protection), a.quotePrefix
        out[s] = b.style_id
    return out


_ROW = re.compile(rb"<row\b[^>]*?(?:/>|>.*?</row>)", re.S)
_FIRST = re.compile(rb"<row\b[^>]*>\s*<c\b[^>]*?(?:/>|>(.*?)</c>)", re.S)
_TAG = re.compile(rb"<[^>]*>")


def _elements(rows: bytes) -> list[bytes]:
    return _ROW.findall(rows)


def _value(text: bytes) -> Any:
    """A cell's value as the identity of a line compares it: a number to the second (a
    收集时间 as any writer puts it), text as it is."""
    try:
        return round(float(text) * 86400)
    except ValueError:
        return text


def _line_key(row: bytes) -> tuple:
    """A line's identity across workbooks: every value it shows, its 收集时间 first, in
    order, whatever the cells' formats and numbering (a value is never in another column
    on the same line)."""
    values = [v for v in _TAG.sub(b"\0", row).split(b"\0") if v]
    return (_value(values[0]), *values[1:]) if values else ()


def _lines_in(xml: bytes, rows: bytes) -> set[tuple]:
    """The identities of the lines of `xml` (an archive's rows) that may be among `rows`:
    those of the same 收集时间 (found by each row's first cell, the rest read only then)."""
    times = {_value(_TAG.sub(b"", m.group(1) or b"")) for m in _FIRST.finditer(rows)}
    out = set()
    for m in _FIRST.finditer(xml):
        if _value(_TAG.sub(b"", m.group(1) or b"")) in times:
            end = xml.find(b"</row>", m.start())
            out.add(_line_key(xml[m.start():end + 6]))
    return out
