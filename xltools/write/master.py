"""The master workbook (汇总表): what a merge writes.

Sheets: 汇总 (one row per task: MASTER_COLUMNS plus the columns people added to an
earlier master, live 预警 formulas and row colours), 统计 (live counts and a chart), 变更
(what changed since the previous merge), 问题清单 (findings and rejected rows), 合并记录
(what was read, with checksums).  Everything that came from a district file is written
as text, never as a formula, and the file is replaced atomically.

openpyxl builds the frame of the workbook: styles, headers, widths, freeze panes,
filters, conditional formats, validation, print setup, the small 统计 sheet and its
chart.  The rows of the big sheets are then written straight into that frame as
SpreadsheetML text (`_Rows`), one string per cell: openpyxl's cell objects and styles
cost about 25 µs a cell, which made a 300-file merge slower than a plain pandas script.
"""
from __future__ import annotations

import datetime as dt
import functools
import io
import math
import queue
import re
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from xltools import schema
from xltools.read.limits import worksheet_parts
from xltools.rules.text import clear_caches, looks_like_formula, row_height, text_width, wrapped_lines
from xltools.write.cells import DATE_FORMAT, DATETIME_FORMAT, clean_text, formula_rule, put
from xltools.rules.deadlines import DeadlineKind
from xltools.errors import XltoolsError
from xltools.texts import t as _t
from xltools.findings import Finding
from xltools.model import ChangeLog, ExtraColumn, FileRecord, MasterRow, OtherSheet, col_letter
from xltools.rules.units import join_units
from xltools.write.files import atomic_write, check_not_open
from xltools.rules.warning import ROW, COUNTED_STATES, UNJUDGED, row_colours, warning_formula_template

__all__ = ["MasterWorkbook", "MasterError",
           "SHEET_MASTER", "SHEET_STATS", "SHEET_CHANGES", "SHEET_ISSUES", "SHEET_LOG"]

SHEET_MASTER, SHEET_STATS, SHEET_CHANGES, SHEET_ISSUES, SHEET_LOG = "汇总", "统计", "变更", "问题清单", "合并记录"
OUR_SHEETS = (SHEET_MASTER, SHEET_STATS, SHEET_CHANGES, SHEET_ISSUES, SHEET_LOG)  # rewritten by every merge


class MasterError(XltoolsError):
    """The master workbook cannot be written."""


# ------------------------------------------------------------------ cells

THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
NO_WRAP = Alignment(wrap_text=False, vertical="top")
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill(fill_type="solid", start_color="DDEBF7", end_color="DDEBF7")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")
LINK_FONT = Font(color="0563C1", underline="single")
TIME_FORMAT = "hh:mm:ss"
DURATION_FORMAT = "[h]:mm:ss"
# Bars in 统计: traffic-light colours strong enough for a chart (the row fills are pale).
CHART_COLOURS = {"overdue": "C00000", "soon": "FFC000", "ok": "70AD47", "done": "A5A5A5", "ongoing": "5B9BD5"}


def _header(ws: Worksheet, row: int, texts: Iterable[Any], widths: Iterable[float | None] | None = None) -> None:
    for c, text in enumerate(texts, start=1):
        cell = put(ws, row, c, text)
        cell.font, cell.fill, cell.alignment, cell.border = HEADER_FONT, HEADER_FILL, HEADER_ALIGN, BORDER
    for c, w in enumerate(widths or (), start=1):
        if w:
            ws.column_dimensions[col_letter(c - 1)].width = w


def _print_setup(ws: Worksheet, title_rows: str | None = "1:1") -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0           # as many pages tall as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5


def _string(text: str) -> str:
    """Text as a string literal inside a formula of ours (never the formula itself)."""
    return '"' + text.replace('"', '""') + '"'


def _quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


# ------------------------------------------------------------------ rows as SpreadsheetML text

@dataclass(frozen=True, eq=False)   # hashed by identity: a cache key on every cell
class _Family:
    """cellXfs ids of one look (wrapped, bordered; optionally a link) for each kind of value."""
    text: int
    quoted: int                             # text that looks like a formula: quotePrefix keeps it text
    date: int
    datetime: int
    time: int
    duration: int


def _family(wb: Workbook, font: Font | None = None, boxed: bool = True, wrap: bool = True,
            fill: PatternFill | None = None, align: Alignment | None = None) -> _Family:
    """Register the formats in the frame workbook: openpyxl writes them to styles.xml.
    Boxed: wrapped text in thin borders, the look of our tables."""
    ws = wb.worksheets[0]

    def xf(number_format: str | None = None, quote: bool = False) -> int:
        cell = Cell(ws)
        if boxed:
            cell.alignment, cell.border = align or (WRAP if wrap else NO_WRAP), BORDER
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        if number_format:
            cell.number_format = number_format
        if quote:
            cell.quotePrefix = True
        return cell.style_id

    return _Family(xf(), xf(quote=True), xf(DATE_FORMAT), xf(DATETIME_FORMAT), xf(TIME_FORMAT), xf(DURATION_FORMAT))


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _esc_attr(text: str) -> str:
    return _esc(text).replace('"', "&quot;")


class Formula(str):
    """A formula of ours (with its "="): the only text a cell of the master takes as a
    formula.  Text read from a district file is a plain str and stays text."""


def _cell(v: Any, f: _Family) -> str:
    """One <c> element, without r="…": a cell is placed by its order in the row (the
    attribute is optional in ECMA-376; Excel, LibreOffice, openpyxl and calamine read
    such rows), so the element of a value is made once for every row that holds it.
    Strings are inline text (never formulas); dates are serial numbers with a date
    format, as Excel stores them."""
    kind = type(v)
    if kind is str:
        return _text_cell(v, f)
    if v is None:
        return f'<c s="{f.text}"/>'
    if kind is Formula:
        return f'<c s="{f.text}"><f>{_esc(v[1:])}</f></c>'
    if kind is int or kind is float:
        if kind is float and not math.isfinite(v):
            return _cell(str(v), f)
        return f'<c s="{f.text}"><v>{v!r}</v></c>'
    if kind is bool:
        return f'<c s="{f.text}" t="b"><v>{int(v)}</v></c>'
    if isinstance(v, dt.datetime):
        return f'<c s="{f.datetime}"><v>{to_excel(v.replace(tzinfo=None))!r}</v></c>'
    if isinstance(v, dt.date):
        return f'<c s="{f.date}"><v>{to_excel(v)!r}</v></c>'
    if isinstance(v, dt.time):
        return f'<c s="{f.time}"><v>{to_excel(v)!r}</v></c>'
    if isinstance(v, dt.timedelta):
        return f'<c s="{f.duration}"><v>{v.total_seconds() / 86400!r}</v></c>'
    if isinstance(v, int):  # a subclass of int (not bool, handled above)
        return _cell(int(v), f)
    return _cell(str(v), f)


@functools.lru_cache(maxsize=65536)   # districts, units, sections and sources repeat on many rows
def _text_cell(v: str, f: _Family) -> str:
    """The <c> of a text: always inline text, never a formula."""
    if not v:
        return f'<c s="{f.text}"/>'
    v = clean_text(v)
    s = f.quoted if looks_like_formula(v) else f.text
    space = ' xml:space="preserve"' if v[:1].isspace() or v[-1:].isspace() else ""
    return f'<c s="{s}" t="inlineStr"><is><t{space}>{_esc(v)}</t></is></c>'


@functools.lru_cache(maxsize=65536, typed=True)   # typed: True and 1 are different cells
def _cell_lines(v: Any, f: _Family, width: float | None) -> tuple[str, int]:
    """A value's <c> and the lines it takes wrapped in a column `width` wide (None: not counted)."""
    return _cell(v, f), 1 if width is None else wrapped_lines(v, width)


@dataclass
class _Rows:
    """Rows a sheet of the frame gets after its own (header) rows."""
    first: int                              # row number of the first one
    count: int
    width: int                              # columns
    rows: Iterator[str]                     # <row> elements
    links: list[tuple[str, str]] = field(default_factory=list)  # (range, target), complete once rows are out

    @property
    def last(self) -> int:
        return self.first + self.count - 1


def _rows_xml(first: int, rows: Iterable[list[Any]], families: list[_Family],
              widths: Iterable[float | None] | None) -> Iterator[str]:
    """<row> elements for lists of values (one family per column).  With `widths`, each
    row is as high as the wrapped lines of its values in those column widths (None: a
    column whose lines do not count)."""
    if widths is None:
        for n, values in enumerate(rows):
            yield f'<row r="{first + n}">{"".join([_cell(v, f) for v, f in zip(values, families)])}</row>'
        return
    usable = list(widths)
    for n, values in enumerate(rows):
        xml, lines = zip(*([_cell_lines(v, f, u) for v, f, u in zip(values, families, usable)] or [("", 1)]))
        yield f'<row r="{first + n}" ht="{row_height(max(lines))}" customHeight="1">{"".join(xml)}</row>'


# ------------------------------------------------------------------ the package: frame + rows

_NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REL_HYPERLINK = _NS_R + "/hyperlink"
_DIMENSION = re.compile(r"<dimension ref=\"[^\"]*\"\s*/>")
# what may follow <hyperlinks> in a worksheet (CT_Worksheet sequence)
_AFTER_HYPERLINKS = ("<printOptions", "<pageMargins", "<pageSetup", "<headerFooter", "<rowBreaks", "<colBreaks",
                     "<customProperties", "<cellWatches", "<ignoredErrors", "<smartTags", "<drawing",
                     "<legacyDrawing", "<picture", "<oleObjects", "<controls", "<webPublishItems", "<tableParts",
                     "<extLst", "</worksheet>")
_CHUNK = 1000


def _rels_name(part: str) -> str:
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels"


def write_package(wb: Workbook, rows: dict[str, _Rows], target: str | Path) -> None:
    """Save the frame `wb`, then copy it to `target` with each sheet's extra rows (and
    their hyperlinks) spliced in, streaming: the rows are never all in memory as XML."""
    frame = io.BytesIO()
    wb.save(frame)
    # Level 3: half the time of zlib's default for a file about a tenth larger.
    with zipfile.ZipFile(frame) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=3) as out:
        parts = {part: rows[name] for name, part in worksheet_parts(src).items() if name in rows}
        rels = {_rels_name(p): p for p in parts}
        for info in src.infolist():
            if info.filename in rels:
                continue  # written with its sheet
            data = src.read(info)
            if info.filename in parts:
                rel_name = _rels_name(info.filename)
                old_rels = src.read(rel_name) if rel_name in src.namelist() else None
                _splice(out, info.filename, data.decode("utf-8"), parts[info.filename], rel_name, old_rels)
            else:
                out.writestr(info, data)


class _Spool:
    """Writes byte chunks to a zip member from a second thread.  zlib and the file write
    release the GIL, so a chunk is compressed while the next rows are made; a failure
    there is raised here, at the next write or at the end."""

    def __init__(self, member):
        self._member = member
        self._queue: queue.Queue = queue.Queue(maxsize=4)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="xltools-spool", daemon=True)

    def _run(self) -> None:
        while (data := self._queue.get()) is not None:
            if self._error is None:
                try:
                    self._member.write(data)
                except BaseException as exc:  # raised in the writing thread
                    self._error = exc

    def write(self, data: bytes) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put(data)

    def __enter__(self) -> "_Spool":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._queue.put(None)
        self._thread.join()
        if self._error is not None and exc[0] is None:
            raise self._error


def _splice(out: zipfile.ZipFile, part: str, xml: str, rows: _Rows, rel_name: str, old_rels: bytes | None) -> None:
    head, sep, tail = xml.partition("</sheetData>")
    if not sep:
        head, sep, tail = xml.partition("<sheetData/>")
        if not sep:
            raise RuntimeError(f"no sheetData in {part}")
        head += "<sheetData>"
    last = max(rows.last, 1)
    head = _DIMENSION.sub(f'<dimension ref="A1:{col_letter(max(rows.width, 1) - 1)}{last}"/>', head, count=1)
    root_end = head.index(">", head.index("<worksheet"))
    if "xmlns:r=" not in head[:root_end]:
        head = f'{head[:root_end]} xmlns:r="{_NS_R}"{head[root_end:]}'
    with out.open(part, "w") as member, _Spool(member) as fh:
        fh.write(head.encode("utf-8"))
        chunk: list[str] = []
        for row in rows.rows:
            chunk.append(row)
            if len(chunk) >= _CHUNK:
                fh.write("".join(chunk).encode("utf-8", "replace"))
                chunk.clear()
        fh.write("".join(chunk).encode("utf-8", "replace"))
        fh.write(b"</sheetData>")
        if rows.links:
            if "<hyperlinks" in tail:
                raise RuntimeError(f"{part} has hyperlinks of its own")
            at = min(i for i in (tail.find(tag) for tag in _AFTER_HYPERLINKS) if i >= 0)
            links = "".join(f'<hyperlink ref="{ref}" r:id="rIdX{n}"/>' for n, (ref, _) in enumerate(rows.links, 1))
            tail = f"{tail[:at]}<hyperlinks>{links}</hyperlinks>{tail[at:]}"
        fh.write(tail.encode("utf-8"))
    if rows.links or old_rels:
        rel_xml = old_rels.decode("utf-8") if old_rels else \
            ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
             'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>')
        ours = "".join(f'<Relationship Id="rIdX{n}" Type="{_REL_HYPERLINK}" Target="{_esc_attr(clean_text(target))}" '
                       f'TargetMode="External"/>' for n, (_, target) in enumerate(rows.links, 1))
        rel_xml = re.sub(r"<Relationships([^>]*)/>", r"<Relationships\1></Relationships>", rel_xml)
        at = rel_xml.rindex("</Relationships>")
        out.writestr(rel_name, rel_xml[:at] + ours + rel_xml[at:])


# ------------------------------------------------------------------ the workbook

@dataclass
class MasterWorkbook:
    """Collects rows, issues, changes and file records; `save` writes the .xlsx atomically."""
    as_of: dt.date | None = None            # None: 预警 uses TODAY()
    soon_days: int = schema.DEFAULT_SOON_DAYS
    colours: dict | None = None
    lang: str = "zh"
    rows: list[MasterRow] = field(default_factory=list)
    issues: list[Finding] = field(default_factory=list)      # 问题清单: every layer's findings
    files: list[FileRecord] = field(default_factory=list)
    version: str = ""
    extra_columns: list[ExtraColumn] = field(default_factory=list)
    changes: ChangeLog | None = None        # None: no 变更 sheet
    other_sheets: list[OtherSheet] = field(default_factory=list)  # after ours, as they were

    def layout(self) -> list[schema.Column | tuple[int, ExtraColumn]]:
        """汇总's columns: ours in schema order, each added column right after the one
        of ours it followed in the previous master."""
        extra = list(enumerate(self.extra_columns))
        out: list = [e for e in extra if e[1].after is None]
        for col in schema.MASTER_COLUMNS:
            out.append(col)
            out += [e for e in extra if e[1].after == col.key]
        known = {c.key for c in schema.MASTER_COLUMNS}
        out += [e for e in extra if e[1].after is not None and e[1].after not in known]
        return out

    def letters(self) -> dict[str, str]:
        """Our column key → its letter in 汇总 (moved right by added columns)."""
        return {c.key: col_letter(i) for i, c in enumerate(self.layout()) if isinstance(c, schema.Column)}

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        if path.suffix.lower() != ".xlsx":
            raise MasterError("output-suffix", file=str(path))
        check_not_open(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, self.write)
        return path

    def write(self, target: str | Path) -> None:
        """Write the workbook to `target` (not atomically: `save` does that)."""
        wb = Workbook()
        wb.remove(wb.active)
        sheets = {name: wb.create_sheet(name) for name in
                  (SHEET_MASTER, SHEET_STATS) + ((SHEET_CHANGES,) if self.changes else ()) + (SHEET_ISSUES, SHEET_LOG)}
        plain, link = _family(wb), _family(wb, LINK_FONT)
        # 任务编号 on one line: an ID broken in two is misread and mistyped
        rows = {SHEET_MASTER: self._master(sheets[SHEET_MASTER], plain, link, _family(wb, wrap=False)),
                SHEET_ISSUES: self._issues(sheets[SHEET_ISSUES], plain),
                SHEET_LOG: self._log(sheets[SHEET_LOG], plain)}
        rows[SHEET_STATS] = self._stats(sheets[SHEET_STATS], _family(wb, wrap=False),
                                        _family(wb, HEADER_FONT, wrap=False),
                                        _family(wb, HEADER_FONT, fill=HEADER_FILL, align=HEADER_ALIGN))
        if self.changes:
            rows[SHEET_CHANGES] = self._changes(sheets[SHEET_CHANGES], plain)
        for ws in sheets.values():
            self._page_marks(ws)
        bare = _family(wb, boxed=False)
        for other in self.other_sheets:
            if other.name in sheets:
                continue
            ws = sheets[other.name] = wb.create_sheet(other.name)
            rows[other.name] = self._other(ws, other, bare)
        wb.calculation.fullCalcOnLoad = True  # no cached values: make every client compute
        try:
            write_package(wb, rows, target)
        finally:  # the cached cells live for one write, not for the life of Excel's Python
            for cached in (_text_cell, _cell_lines):
                cached.cache_clear()
            clear_caches()

    def _page_marks(self, ws: Worksheet) -> None:
        """Header and footer of every printed page: title and sheet, the as-of date of the
        warnings, page n of N (Excel's &A, &P, &N codes)."""
        lang = self.lang
        as_of = self.as_of.isoformat() if self.as_of else _t("as-of-today", lang)
        for part in (ws.oddHeader, ws.evenHeader, ws.firstHeader):
            part.center.text = _t("print-title", lang) + " — &A"
            part.right.text = _t("h-as-of", lang) + "：" + as_of.replace("&", "&&")
        for part in (ws.oddFooter, ws.evenFooter, ws.firstFooter):
            part.center.text = _t("print-page", lang)

    # -------------------------------------------------------------- 汇总

    def _master(self, ws: Worksheet, plain: _Family, link: _Family, key: _Family) -> _Rows:
        layout = self.layout()
        letters = self.letters()
        headers = [c.zh if isinstance(c, schema.Column) else c[1].header for c in layout]
        widths = [self._key_width(c.width) if c is schema.TASK_KEY else c.width if isinstance(c, schema.Column)
                  else (c[1].width or _width_for(c[1].header)) for c in layout]
        _header(ws, 1, headers, widths)
        n = len(self.rows)
        last_row = max(2, n + 1)
        last_col = col_letter(len(layout) - 1)
        status_col, warn_col = letters["status"], letters["warning"]
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{last_col}{last_row}"
        for colour in row_colours(warn_col, 2, self.colours):
            ws.conditional_formatting.add(f"A2:{last_col}{last_row}", formula_rule(colour))
        # A drop-down of the usual status words; other words (是, √ …) stay allowed.
        dv = DataValidation(type="list", formula1='"' + ",".join(schema.STATUS_VALUES) + '"', allow_blank=True,
                            showErrorMessage=False)
        dv.add(f"{status_col}2:{status_col}{max(last_row, 1000)}")
        ws.add_data_validation(dv)
        _print_setup(ws)
        # Print what a reader of the report needs (区县 … 预警); 来源/任务编号 stay on screen.
        ws.print_area = f"A1:{warn_col}{last_row}"
        out = _Rows(2, n, len(layout), iter(()))
        out.rows = self._master_rows(layout, widths, plain, link, key, out.links)
        return out

    def _key_width(self, width: float) -> float:
        """任务编号 is not wrapped: wide enough for the longest key (天桥区-2024-001-1a2b3c~2)."""
        return max([width] + [text_width(str(r.values.get("key") or "")) + 2 for r in self.rows])

    def _master_rows(self, layout, widths, plain: _Family, link: _Family, key: _Family,
                     links: list) -> Iterator[str]:
        letters = [col_letter(i) for i in range(len(layout))]
        keys = [c.key if isinstance(c, schema.Column) else None for c in layout]
        extra = [None if isinstance(c, schema.Column) else c[0] for c in layout]
        # (look, width): 任务编号 is as wide as the longest key, one line on every row
        columns = [(link if k == "source_file" else key if k == "key" else plain, None if k == "key" else w)
                   for k, w in zip(keys, widths)]
        lead_at, support_at = keys.index("lead"), keys.index("support")
        source_letter = letters[keys.index("source_file")]
        due_col, status_col = letters[keys.index("due")], letters[keys.index("status")]
        warning_at = keys.index("warning")
        as_of, soon_days = self.as_of, self.soon_days
        run: list = [None, 0, 0]                 # hyperlink target, first row, last row
        warnings: dict[tuple, str] = {}          # (kind, ongoing) → the 预警 <c>, ROW for its row number
        source = target = None
        for r, row in enumerate(self.rows, start=2):
            get, extras = row.values.get, row.extra
            cells = [_cell_lines(get(k) if k is not None else extras.get(x), f, u)
                     for k, x, (f, u) in zip(keys, extra, columns)]
            look = (row.kind, row.ongoing)
            if look not in warnings:
                formula = warning_formula_template(due_col, status_col, kind=row.kind, ongoing=row.ongoing,
                                                   as_of=as_of, soon_days=soon_days)
                warnings[look] = _cell(Formula(formula), plain)
            cells[warning_at] = (warnings[look].replace(ROW, str(r)), 1)
            for at, units in ((lead_at, row.lead_units), (support_at, row.support_units)):
                if units:   # the lists of units, as the district wrote them
                    cells[at] = _cell_lines(join_units([u.written for u in units]), *columns[at])
            xml, lines = zip(*cells)
            yield f'<row r="{r}" ht="{row_height(max(lines))}" customHeight="1">{"".join(xml)}</row>'
            if row.source is not source:   # a file's rows come together: one target for them all
                source = row.source
                target = _link_target(source) if source is not None else None
            if target != run[0] or r != run[2] + 1:
                _close_run(run, source_letter, links)
                run[:] = [target, r, r]
            else:
                run[2] = r
        _close_run(run, source_letter, links)

    # -------------------------------------------------------------- 统计

    def _stats(self, ws: Worksheet, plain: _Family, bold: _Family, heading: _Family) -> _Rows:
        """Counts by district and state, a stacked bar chart of them, overdue by lead unit:
        all formulas over 汇总, so they follow what people change there."""
        lang, m, col = self.lang, _quoted(SHEET_MASTER), self.letters()
        n = max(2, len(self.rows) + 1)
        rng = {k: f"{m}!${col[k]}$2:${col[k]}${n}" for k in ("district", "lead", "warning")}
        # the columns of the counts: COUNTED_STATES, the one rule the merge summary counts by too
        states = [s for s in COUNTED_STATES if s != UNJUDGED]
        labels = [schema.WARNING_STATES[s] for s in states]
        head = [schema.DISTRICT.zh] + labels + [_t("state-unjudged", lang), _t("h-total", lang)]
        _header(ws, 1, head, [14] + [9] * (len(head) - 1))
        districts = sorted({str(r.values.get("district") or "") for r in self.rows})
        total_col, last_label = col_letter(len(head) - 1), col_letter(len(labels))
        rows: list[list[Any]] = []
        looks: list[_Family] = []
        for i, district in enumerate(districts, start=2):
            counts = [Formula(f'=COUNTIFS({rng["district"]},$A{i},{rng["warning"]},"{label}")') for label in labels]
            # what 预警 left blank (no due date): total minus every state
            rows.append([district, *counts, Formula(f"={total_col}{i}-SUM(B{i}:{last_label}{i})"),
                         Formula(f'=COUNTIFS({rng["district"]},$A{i})')])
            looks.append(plain)
        total_row = len(districts) + 2
        rows.append([_t("h-total", lang)] + [Formula(f"=SUM({c}2:{c}{total_row - 1})") if districts else 0
                                              for c in map(col_letter, range(1, len(head)))])
        looks.append(bold)

        if districts:
            chart = BarChart()
            chart.type, chart.grouping, chart.overlap = "col", "stacked", 100
            chart.title = _t("chart-title", lang)
            chart.height, chart.width = 7.5, 16
            data = Reference(ws, min_col=2, max_col=len(labels) + 1, min_row=1, max_row=total_row - 1)
            chart.add_data(data, titles_from_data=True)
            chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=total_row - 1))
            for series, state in zip(chart.series, states):
                series.graphicalProperties.solidFill = CHART_COLOURS[state]
                series.graphicalProperties.line.solidFill = CHART_COLOURS[state]
            chart.x_axis.delete = chart.y_axis.delete = False  # openpyxl ≥ 3.1 hides axes by default
            ws.add_chart(chart, f"{col_letter(len(head) + 1)}2")

        # Overdue by lead unit: a row may name several leads joined by 、 — match whole names.
        top = total_row + 3
        rows += [[], []]
        looks += [plain, plain]
        rows.append([_t("h-lead", lang), _t("h-tasks", lang), labels[0], labels[1]])
        looks.append(heading)
        ws.column_dimensions["A"].width = 30
        counts: dict[str, int] = {}
        written: dict[str, list[str]] = {}   # a unit as counted → every way 汇总 writes it
        for r in self.rows:
            for unit in r.lead_units:
                counts[unit.counted] = counts.get(unit.counted, 0) + 1
                forms = written.setdefault(unit.counted, [])
                if unit.written not in forms:
                    forms.append(unit.written)
        for i, unit in enumerate(sorted(counts, key=lambda u: (-counts[u], u)), start=top + 1):
            # shown as a district wrote it; a row counts once however it writes the unit
            # (区发改局, 区发展和改革局: one registry entry)
            forms = [f'$A{i}'] if len(written[unit]) == 1 else [_string(w) for w in written[unit]]
            found = [f'ISNUMBER(FIND("、"&{w}&"、","、"&{rng["lead"]}&"、"))' for w in forms]
            match = found[0] if len(found) == 1 else f'(({"+".join(found)})>0)'
            rows.append([written[unit][0], Formula(f"=SUMPRODUCT({match}*1)")] +
                        [Formula(f'=SUMPRODUCT({match}*({rng["warning"]}="{schema.WARNING_STATES[state]}"))')
                         for state in ("overdue", "soon")])
            looks.append(plain)
        ws.freeze_panes = "B2"
        _print_setup(ws, title_rows=None)
        xml = (f'<row r="{r}">{"".join([_cell(v, f) for v in values])}</row>'
               for r, (values, f) in enumerate(zip(rows, looks), start=2))
        return _Rows(2, len(rows), len(head), xml)

    # -------------------------------------------------------------- 变更

    def _changes(self, ws: Worksheet, plain: _Family) -> _Rows:
        lang, log = self.lang, self.changes
        previous = log.previous or _t("changes-no-previous" if log.first else "changes-previous-unknown", lang)
        meta = [(_t("h-previous-merge", lang), previous), (_t("h-changes", lang), log.note(lang))]
        for r, (k, v) in enumerate(meta, start=1):
            ws.cell(r, 1, k).font = HEADER_FONT
            put(ws, r, 2, v).alignment = Alignment(horizontal="left")
        top = len(meta) + 2
        heads = [_t("h-change-kind", lang), schema.TASK_KEY.header(lang), schema.DISTRICT.header(lang),
                 schema.SEQ.header(lang), _t("h-column", lang), _t("h-old", lang), _t("h-new", lang)]
        widths = (10, 26, 10, 6, 12, 50, 50)
        _header(ws, top, heads, widths)
        ws.freeze_panes = ws.cell(top + 1, 1).coordinate
        ws.auto_filter.ref = f"A{top}:G{max(top + 1, top + len(log.changes))}"
        _print_setup(ws, title_rows=f"{top}:{top}")
        words = {k: _t(f"change-{k}", lang) for k in ("added", "removed", "changed")}
        values = ([words[c.kind], c.key, c.district, c.seq, c.column, c.old, c.new] for c in log.changes)
        counted = [None] * 5 + list(widths[5:])  # the old and new values decide the height
        return _Rows(top + 1, len(log.changes), len(heads),
                     _rows_xml(top + 1, values, [plain] * len(heads), counted))

    # -------------------------------------------------------------- 问题清单

    def _issues(self, ws: Worksheet, plain: _Family) -> _Rows:
        lang = self.lang
        keys = ("h-file", "h-sheet", "h-cell", "h-severity", "h-code", "h-message", "h-suggestion")
        widths = (30, 12, 8, 8, 20, 50, 40)
        _header(ws, 1, [_t(k, lang) for k in keys], widths)
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:G{max(2, len(self.issues) + 1)}"
        _print_setup(ws)
        severity = {s: _t(f"severity-{s}", lang) for s in {i.severity for i in self.issues}}
        # Errors first, then warnings, then notes (skipped sheets, page-break headers…);
        # within each, in file order, so the problems to act on are at the top.
        rank = {"error": 0, "warning": 1, "info": 2}
        ordered = sorted(self.issues, key=lambda i: rank.get(i.severity, 3))
        values = ([i.file, i.sheet, i.cell, severity[i.severity], i.code, i.message(lang), i.suggestion(lang)]
                  for i in ordered)
        return _Rows(2, len(ordered), len(keys), _rows_xml(2, values, [plain] * len(keys), widths))

    # -------------------------------------------------------------- 合并记录

    def _log(self, ws: Worksheet, plain: _Family) -> _Rows:
        lang = self.lang
        # as text: a date in the narrow 区县 column below would print as ###
        meta = [(_t("h-merged-at", lang), dt.datetime.now().isoformat(" ", "seconds")),
                (_t("h-as-of", lang), self.as_of.isoformat() if self.as_of else _t("as-of-today", lang)),
                (_t("h-soon-days", lang), self.soon_days),
                (_t("h-version", lang), self.version)]
        for r, (k, v) in enumerate(meta, start=1):
            ws.cell(r, 1, k).font = HEADER_FONT
            put(ws, r, 2, v).alignment = Alignment(horizontal="left")
        top = len(meta) + 2
        keys = ("h-file", "h-district", "h-status", "h-rows-read", "h-rows-merged", "h-rows-rejected", "h-size",
                "h-sha256", "h-modified", "h-reason")
        widths = (40, 10, 10, 10, 10, 10, 12, 66, 20, 50)
        _header(ws, top, [_t(k, lang) for k in keys], widths)
        ws.freeze_panes = ws.cell(top + 1, 1).coordinate
        ws.auto_filter.ref = f"A{top}:J{max(top + 1, top + len(self.files))}"
        _print_setup(ws, title_rows=f"{top}:{top}")
        values = [[f.path, f.district, _t(f"file-{f.status}", lang), f.rows_read, f.rows_merged, f.rows_rejected,
                   f.size, f.sha256, f.modified, f.reason] for f in self.files]
        return _Rows(top + 1, len(values), len(keys), _rows_xml(top + 1, values, [plain] * len(keys), widths))


    def _other(self, ws: Worksheet, other: OtherSheet, bare: _Family) -> _Rows:
        for c, w in other.widths.items():
            ws.column_dimensions[col_letter(c - 1)].width = w
        if other.hidden:
            ws.sheet_state = "hidden"
        width = max((len(r) for r in other.rows), default=0)
        return _Rows(1, len(other.rows), width, _rows_xml(1, other.rows, [bare] * width, None))


def _close_run(run: list, letter: str, links: list) -> None:
    target, first, last = run
    if target is not None:
        links.append((f"{letter}{first}" if first == last else f"{letter}{first}:{letter}{last}", target))


def _width_for(header: Any) -> float:
    """Width of an added column whose width the previous master did not say."""
    return max(12, min(40, text_width(str(header or "")) + 4))


def _link_target(source: Path) -> str:
    """The source file as a hyperlink target.  Relative targets are resolved by Excel
    against the master's folder, so keep them relative (the folder can be moved)."""
    return source.as_posix() if not source.is_absolute() else source.as_uri()
