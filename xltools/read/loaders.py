"""Loaders: every input format becomes `Grid`s.

python-calamine reads every spreadsheet format fast (values + merged ranges); CSV and
plain text/Word have their own small loaders (Word in `textfile`).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

from xltools.errors import UnreadableFile
from xltools.read.grid import Grid, Merge
from xltools.read.textfile import load_text_grid

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
TEXT_SUFFIXES = {".txt", ".md", ".docx"}
CSV_SUFFIXES = {".csv", ".tsv"}
READABLE_SUFFIXES = SPREADSHEET_SUFFIXES | TEXT_SUFFIXES | CSV_SUFFIXES


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
        return [load_text_grid(path)]
    if suffix not in SPREADSHEET_SUFFIXES:
        raise UnreadableFile("file-not-spreadsheet", file=str(path))
    grids = _load_calamine(path, sheet)
    if sheet is not None and not grids:
        raise UnreadableFile("sheet-not-found", file=str(path), sheet=sheet)
    return grids


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
