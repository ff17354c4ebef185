"""Loaders: every input format becomes `Grid`s.

python-calamine reads every spreadsheet format fast (values + merged ranges); CSV and
plain text/Word have their own small loaders (Word in `textfile`).
"""
from __future__ import annotations

import csv
import datetime as dt
import errno
import functools
import io
import os
import re
import stat
import zipfile
from pathlib import Path
from typing import Any

from xltools.errors import UnreadableFile, Words
from xltools.findings import Finding
from xltools.model import col_letter
from xltools.read.grid import Grid, Merge
from xltools.read.limits import check_package, check_size, real_extent, worksheet_parts
from xltools.read.numfmt import format_code
from xltools.read.textfile import load_text_grid

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".et", ".ett"}   # .et/.ett: WPS 表格
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# what the bytes are → the suffix calamine and openpyxl expect for them
_KIND_SUFFIX = {"xlsx": ".xlsx", "xlsb": ".xlsb", "ods": ".ods", "xls": ".xls"}
TEXT_SUFFIXES = {".txt", ".md", ".docx"}
CSV_SUFFIXES = {".csv", ".tsv"}
READABLE_SUFFIXES = SPREADSHEET_SUFFIXES | TEXT_SUFFIXES | CSV_SUFFIXES


def load_grids(path: str | Path, sheet: str | None = None, *, skip: str | None = None) -> list[Grid]:
    """All sheets of a workbook (or the one named; or all but the one named `skip`) as
    grids.  Raises UnreadableFile with a message that says what to do."""
    path = Path(path)
    try:
        return _load(path, sheet, skip)
    except OSError as exc:  # no permission, a share gone, a symlink loop…
        raise os_error(path, exc) from None


def os_error(path: Path, exc: OSError) -> UnreadableFile:
    """An OSError met while reading, in the clerk's words."""
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM):
        return UnreadableFile("file-no-permission", file=str(path))
    if exc.errno == errno.ELOOP:
        return UnreadableFile("file-symlink-loop", file=str(path))
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return UnreadableFile("file-not-found", file=str(path))
    return UnreadableFile("file-io", file=str(path), reason=exc.strerror or type(exc).__name__)


def _load(path: Path, sheet: str | None, skip: str | None = None) -> list[Grid]:
    st = os.stat(path)  # follows links: a loop raises ELOOP here, not "not found"
    if stat.S_ISDIR(st.st_mode):
        raise UnreadableFile("file-is-folder", file=str(path))
    if st.st_size == 0:
        raise UnreadableFile("file-empty", file=str(path))
    with open(path, "rb"):
        pass  # no permission: say so before any reader tries
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return [_load_csv(path)]
    if suffix in TEXT_SUFFIXES:
        return [load_text_grid(path)]
    if suffix not in SPREADSHEET_SUFFIXES:
        raise UnreadableFile("file-not-spreadsheet", file=str(path))
    grids = _load_calamine(path, sheet, skip)
    if sheet is not None and not grids:
        raise UnreadableFile("sheet-not-found", file=str(path), sheet=sheet)
    return grids


def preload() -> None:
    """Import the native reader and the XML parser now: a process forked after this
    (merge's readers on Linux) starts with them instead of importing them again."""
    import python_calamine  # noqa: F401
    from defusedxml import ElementTree  # noqa: F401


def open_package(path: Path) -> zipfile.ZipFile | None:
    """The file as a zip package, or None (not a zip, or a damaged one): opened once and
    handed to every check that needs its directory."""
    with open(path, "rb") as fh:
        if not fh.read(4) == b"PK\x03\x04":
            return None
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def content_kind(path: Path, package: zipfile.ZipFile | None = None) -> str:
    """What a spreadsheet file is by its bytes, whatever its name says: "xlsx" (also
    .xlsm), "xlsb", "ods", "xls" (also WPS .et), "encrypted" (an OOXML file with an open
    password is an OLE container), "text" (a csv saved under a workbook's name), or
    "other" (a zip or OLE file of another kind, a damaged one, binary data).  `package`:
    the file already opened by `open_package`."""
    if package is None and (package := open_package(path)) is not None:
        with package:
            return content_kind(path, package)
    if package is not None:
        names = set(package.namelist())
        if "mimetype" in names and package.read("mimetype").startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
            return "ods"
        if "xl/workbook.bin" in names:
            return "xlsb"
        return "xlsx" if "[Content_Types].xml" in names and "xl/workbook.xml" in names else "other"
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head == _OLE:
        import olefile

        try:
            with olefile.OleFileIO(str(path)) as ole:
                if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
                    return "encrypted"
                if ole.exists("Workbook") or ole.exists("Book"):
                    return "xls"
        except Exception:   # olefile raises several types for a damaged container
            pass
        return "other"
    text = _text_of(path, sniffing=True)
    # a table saved as text has cells: a separator or a line break (not one word of junk)
    return "text" if text is not None and any(sep in text for sep in (",", "\t", "\n")) else "other"


def _load_calamine(path: Path, sheet: str | None, skip: str | None = None) -> list[Grid]:
    import python_calamine as pc

    check_size(path)
    package = open_package(path)
    try:
        kind = content_kind(path, package)
        # before any reader: the zip directory, each sheet's size
        extents = check_package(path, kind == "xlsx", package,
                                lambda name: (sheet is None or name == sheet) and name != skip) \
            if package is not None and kind != "other" else {}
    finally:
        if package is not None:
            package.close()
    if kind == "encrypted":
        raise UnreadableFile("file-encrypted", file=str(path))
    if kind == "other":
        raise UnreadableFile("file-corrupt", file=str(path), reason=Words("reason-not-spreadsheet-content"))
    if kind == "text":   # a csv export named .xlsx/.xls
        grid = _load_csv(path)
        grid.notes.append(Finding("file-misnamed", str(path), params={"named": path.suffix.lower(), "kind": ".csv"}))
        return [grid]
    named = path.suffix.lower()
    misnamed = _KIND_SUFFIX[kind] != {".xlsm": ".xlsx", ".et": ".xls", ".ett": ".xls"}.get(named, named)
    try:
        if misnamed:   # calamine chooses its reader by the name: give it the bytes, it looks at them
            with open(path, "rb") as fh:
                wb = pc.CalamineWorkbook.from_filelike(fh)
        else:
            wb = pc.CalamineWorkbook.from_path(str(path))
    except pc.PasswordError:
        raise UnreadableFile("file-encrypted", file=str(path)) from None
    except Exception as exc:  # calamine raises several unrelated types for a bad file
        raise _corrupt(path, exc) from None
    grids = []
    ods_merges = _ods_merges(path) if kind == "ods" else {}
    try:
        for meta in wb.sheets_metadata:
            if (sheet is not None and meta.name != sheet) or meta.name == skip:
                continue
            if str(meta.typ).endswith("ChartSheet"):
                continue
            hidden = {"Hidden": "hidden", "VeryHidden": "veryHidden"}.get(str(meta.visible).rpartition(".")[2])
            if extents.get(meta.name) is not None:  # stray cells far away, or no <dimension>: read only the real range
                grids.append(_load_range(path, meta.name, extents[meta.name], hidden))
                continue
            ws = wb.get_sheet_by_name(meta.name)
            rows = [list(r) for r in ws.to_python(skip_empty_area=False)]
            merges = [(a[0], a[1], b[0], b[1]) for a, b in (ws.merged_cell_ranges or [])]
            merges = merges or ods_merges.get(meta.name, [])
            grid = Grid(path, meta.name, rows, merges, hidden)
            grid = _real_range(grid) if meta.name in extents else grid
            if kind == "xlsx":
                grid.formats = functools.partial(number_formats, path, meta.name)
            grids.append(grid)
    except UnreadableFile:
        raise
    except Exception as exc:
        raise _corrupt(path, exc) from None
    finally:
        wb.close()
    if misnamed and grids:
        grids[0].notes.append(Finding("file-misnamed", str(path), params={"named": named, "kind": _KIND_SUFFIX[kind]}))
    return grids


def _load_range(path: Path, name: str, extent, hidden: str | None) -> Grid:
    """A sheet read within its real data range (openpyxl, streaming), with a note for the
    values ignored beyond it."""
    rows = _openpyxl_rows(path, name, extent.rows, extent.cols)
    return _noted(Grid(path, name, rows, extent.merges, hidden,
                       formats=functools.partial(number_formats, path, name)), extent)


def _real_range(grid: Grid) -> Grid:
    """A sheet read whole, cut to its real data range, with a note for the values beyond."""
    extent = real_extent(grid.rows)
    if not extent.stray and (extent.rows, extent.cols) == (len(grid.rows), grid.width):
        return grid
    merges = [(r0, c0, min(r1, extent.rows - 1), min(c1, extent.cols - 1)) for r0, c0, r1, c1 in grid.merges
              if r0 < extent.rows and c0 < extent.cols]
    rows = [row[:extent.cols] for row in grid.rows[:extent.rows]]
    return _noted(Grid(grid.source, grid.sheet, rows, merges, grid.hidden), extent)


def _noted(grid: Grid, extent) -> Grid:
    name, path = grid.sheet, grid.source
    if extent.stray:
        shown = "、".join(extent.stray[:3]) + ("…" if len(extent.stray) > 3 else "")
        grid.notes.append(Finding("stray-cells", str(path), name, extent.stray[0],
                                  params={"cells": shown, "count": len(extent.stray), "rows": extent.rows,
                                          "cols": extent.cols}))
    return grid


def _openpyxl_rows(path: Path, name: str, max_row: int, max_col: int) -> list[list[Any]]:
    """Values of A1:(max_row, max_col), streamed by openpyxl: nothing beyond is allocated,
    and text is not cut."""
    from openpyxl import load_workbook

    if max_row <= 0 or max_col <= 0:
        return []
    with open(path, "rb") as fh:   # a file object: openpyxl would refuse a misnamed path by its suffix
        wb = load_workbook(fh, read_only=True, data_only=True)
        try:
            return [[_plain(v) for v in r]
                    for r in wb[name].iter_rows(min_row=1, max_row=max_row, max_col=max_col, values_only=True)]
        finally:
            wb.close()


def number_formats(path: Path, name: str, column: int, rows: list[int]) -> dict[int, str]:
    """The number format of each of `rows` in `column` (0-based) of sheet `name` of an
    .xlsx, as the cell shows it (numfmt.format_code); {} when they cannot be read: how a
    value is shown never stops a file being read.  python-calamine gives values only; the
    cells' style numbers are found in the sheet's XML by one pattern (as limits scans it:
    a parser would make an object of every cell) and looked up in styles.xml."""
    from defusedxml import DefusedXmlException, ElementTree
    from openpyxl.styles.numbers import BUILTIN_FORMATS

    letter = col_letter(column)
    wanted = {f"{letter}{r + 1}".encode(): r for r in rows}
    try:
        with zipfile.ZipFile(path) as zf:
            xml = zf.read(worksheet_parts(zf)[name])
            styles = ElementTree.fromstring(zf.read("xl/styles.xml"))
    except (KeyError, OSError, zipfile.BadZipFile, ElementTree.ParseError, DefusedXmlException):
        return {}
    def named(element, tag: str) -> bool:
        return isinstance(element.tag, str) and element.tag.rsplit("}", 1)[-1] == tag

    codes = {int(f.get("numFmtId", -1)): f.get("formatCode") for f in styles.iter() if named(f, "numFmt")}
    fmt_ids = [int(x.get("numFmtId") or 0) for xfs in styles.iter() if named(xfs, "cellXfs")
               for x in xfs if named(x, "xf")]
    found = {}
    for m in _CELL_TAG.finditer(xml):
        ref = _CELL_REF.search(m.group(1))
        if ref is None or ref.group(1) not in wanted:
            continue
        style = _CELL_STYLE.search(m.group(1))
        k = int(style.group(1)) if style else 0
        fmt_id = fmt_ids[k] if k < len(fmt_ids) else 0
        found[wanted[ref.group(1)]] = format_code(codes.get(fmt_id, BUILTIN_FORMATS.get(fmt_id, "General")), fmt_id)
    return found


_CELL_TAG = re.compile(rb"<(?:\w+:)?c\b([^>]*)>")
_CELL_REF = re.compile(rb'\sr="([A-Z]{1,3}\d+)"')
_CELL_STYLE = re.compile(rb'\ss="(\d+)"')


def _plain(v: Any) -> Any:
    """As python-calamine gives it: a date cell without a time is a date."""
    if isinstance(v, dt.datetime) and v.time() == dt.time(0):
        return v.date()
    return v


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


_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _text_of(path: Path, sniffing: bool = False) -> str | None:
    """The file's text (UTF-8 or GBK, as WPS and Excel save csv), or None.  When `sniffing`
    a file under a workbook's name, control bytes mean binary data, whatever GBK would
    make of them (a real .csv may hold a few: they are removed with a finding)."""
    raw = path.read_bytes()
    if sniffing and _CONTROL.search(raw):
        return None
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return None


def _load_csv(path: Path) -> Grid:
    text = _text_of(path)
    if text is None:
        raise UnreadableFile("file-corrupt", file=str(path), reason=Words("reason-unknown-encoding"))
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    rows = [[_csv_value(v) for v in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    return Grid(path, path.stem, rows, [])


def _csv_value(v: str) -> Any:
    v = v.strip()
    if v.isdecimal() and len(v) < 6:   # not isdigit: int() refuses ①
        return int(v)
    try:
        return dt.date.fromisoformat(v)
    except ValueError:
        return v


_XML_WORDS = ("xml", "syntax error", "tag", "attribute", "escape", "unexpected eof")


def _corrupt(path: Path, exc: Exception) -> UnreadableFile:
    """A reader's failure in the clerk's words: a raw XML parser message helps nobody."""
    if any(word in str(exc).lower() for word in _XML_WORDS):
        return UnreadableFile("file-corrupt-xml", file=str(path))
    return UnreadableFile("file-corrupt", file=str(path), reason=_short(exc))


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
