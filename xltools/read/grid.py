"""One neutral grid per sheet, whatever produced it.

python-calamine reads every spreadsheet format fast (values + merged ranges); CSV and
plain text have their own small loaders.  The parser only ever sees a `Grid`.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xltools.errors import UnreadableFile

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
TEXT_SUFFIXES = {".txt", ".md", ".docx"}
CSV_SUFFIXES = {".csv", ".tsv"}
READABLE_SUFFIXES = SPREADSHEET_SUFFIXES | TEXT_SUFFIXES | CSV_SUFFIXES

Merge = tuple[int, int, int, int]  # first row, first col, last row, last col (0-based, inclusive)


@dataclass
class Grid:
    source: Path
    sheet: str
    rows: list[list[Any]]                 # own cell values; '' or None for empty
    merges: list[Merge] = field(default_factory=list)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def value(self, r: int, c: int) -> Any:
        row = self.rows[r] if r < len(self.rows) else []
        v = row[c] if c < len(row) else None
        return None if v == "" else v

    def filled(self) -> list[list[Any]]:
        """Values with every merged range filled from its top-left cell (what a reader
        of the printed sheet sees in each cell)."""
        w = self.width
        out = [[self.value(r, c) for c in range(w)] for r in range(len(self.rows))]
        for r0, c0, r1, c1 in self.merges:
            v = self.value(r0, c0)
            for r in range(r0, min(r1, len(out) - 1) + 1):
                for c in range(c0, min(c1, w - 1) + 1):
                    out[r][c] = v
        return out

    def merge_at(self, r: int, c: int) -> Merge | None:
        for m in self.merges:
            if m[0] <= r <= m[2] and m[1] <= c <= m[3]:
                return m
        return None

    def text_lines(self, limit: int | None = None) -> list[str]:
        """Non-empty cells as lines, row by row (for notice text and titles), at most `limit`."""
        lines: list[str] = []
        for row in self.rows:
            for v in row:
                if v not in (None, "") and str(v).strip():
                    lines.append(str(v).strip())
                    if limit is not None and len(lines) >= limit:
                        return lines
        return lines


def load_grids(path: str | Path, sheet: str | None = None) -> list[Grid]:
    """All sheets of a workbook (or the one named) as grids.  Raises UnreadableFile with a
    message that says what to do."""
    path = Path(path)
    if not path.exists():
        raise UnreadableFile("file-not-found", file=str(path))
    if path.stat().st_size == 0:
        raise UnreadableFile("file-empty", file=str(path))
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return [_load_csv(path)]
    if suffix in TEXT_SUFFIXES:
        from xltools.read.textplan import load_text_grid
        return [load_text_grid(path)]
    if suffix not in SPREADSHEET_SUFFIXES:
        raise UnreadableFile("file-not-spreadsheet", file=str(path))
    grids = _load_calamine(path, sheet)
    if sheet is not None and not grids:
        raise UnreadableFile("sheet-not-found", file=str(path), sheet=sheet)
    return grids


def grid_from_worksheet(ws, source: str | Path) -> Grid:
    """A grid from an openpyxl worksheet (not read-only: read-only mode has no merges),
    for work that keeps the workbook's formatting, such as flagging a sheet in place."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    merges = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in ws.merged_cells.ranges]
    return Grid(Path(source), ws.title, rows, merges)


def _load_calamine(path: Path, sheet: str | None) -> list[Grid]:
    import python_calamine as pc

    _refuse_encrypted(path)
    try:
        wb = pc.CalamineWorkbook.from_path(str(path))
    except pc.PasswordError:
        raise UnreadableFile("file-encrypted", file=str(path)) from None
    except Exception as exc:  # calamine raises several unrelated types for a bad file
        raise UnreadableFile("file-corrupt", file=str(path), reason=_short(exc)) from None
    grids = []
    ods_merges = _ods_merges(path) if path.suffix.lower() == ".ods" else {}
    try:
        for meta in wb.sheets_metadata:
            if sheet is not None and meta.name != sheet:
                continue
            if str(meta.typ).endswith("ChartSheet"):
                continue
            ws = wb.get_sheet_by_name(meta.name)
            rows = [list(r) for r in ws.to_python(skip_empty_area=False)]
            merges = [(a[0], a[1], b[0], b[1]) for a, b in (ws.merged_cell_ranges or [])]
            merges = merges or ods_merges.get(meta.name, [])
            grids.append(Grid(path, meta.name, rows, merges))
    except Exception as exc:
        raise UnreadableFile("file-corrupt", file=str(path), reason=_short(exc)) from None
    finally:
        wb.close()
    return grids


def _ods_merges(path: Path) -> dict[str, list[Merge]]:
    """Merged ranges of an .ods (calamine gives none for OpenDocument): cells carrying
    number-rows/columns-spanned in content.xml."""
    from defusedxml import DefusedXmlException, ElementTree  # district XML is never parsed without defusedxml

    table_ns = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    tag = {name: f"{{{table_ns}}}{name}" for name in ("table", "table-row", "table-cell", "covered-table-cell")}
    attr = {name: f"{{{table_ns}}}{name}" for name in ("name", "number-rows-repeated", "number-columns-repeated",
                                                         "number-rows-spanned", "number-columns-spanned")}
    try:
        with zipfile.ZipFile(path) as zf:
            root = ElementTree.fromstring(zf.read("content.xml"))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, DefusedXmlException):
        return {}  # calamine has read the values; without merges the reader still works
    out: dict[str, list[Merge]] = {}
    for table in root.iter(tag["table"]):
        merges, r = [], 0
        for row in table.iter(tag["table-row"]):
            c = 0
            for cell in row:
                if cell.tag not in (tag["table-cell"], tag["covered-table-cell"]):
                    continue
                rows_span = int(cell.get(attr["number-rows-spanned"], 1))
                cols_span = int(cell.get(attr["number-columns-spanned"], 1))
                if rows_span > 1 or cols_span > 1:
                    merges.append((r, c, r + rows_span - 1, c + cols_span - 1))
                c += int(cell.get(attr["number-columns-repeated"], 1))
            r += int(row.get(attr["number-rows-repeated"], 1))
        out[table.get(attr["name"])] = merges
    return out


def _refuse_encrypted(path: Path) -> None:
    """An encrypted .xlsx is an OLE container, not a zip: say 'encrypted', not 'corrupt'."""
    with open(path, "rb") as fh:
        head = fh.read(8)
    if path.suffix.lower() in {".xlsx", ".xlsm", ".xlsb"} and head.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile("file-encrypted", file=str(path))
    if path.suffix.lower() in {".xlsx", ".xlsm"} and not zipfile.is_zipfile(path):
        raise UnreadableFile("file-corrupt", file=str(path), reason="not a zip package")


def _load_csv(path: Path) -> Grid:
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnreadableFile("file-corrupt", file=str(path), reason="unknown text encoding")
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    rows = [[_csv_value(v) for v in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    return Grid(path, path.stem, rows, [])


def _csv_value(v: str) -> Any:
    v = v.strip()
    if v.isdigit() and len(v) < 6:
        return int(v)
    try:
        return dt.date.fromisoformat(v)
    except ValueError:
        return v


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
