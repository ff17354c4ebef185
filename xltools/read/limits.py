"""Limits checked before a workbook is read, from what the file says about itself.

A 2.5 MB file can expand to gigabytes of XML (a zip bomb), and one value far away from
the table (XFD1048576) makes python-calamine allocate the whole rectangle up to it
(512 GB).  So before reading: the zip directory (declared sizes, compression ratio),
then each worksheet's <dimension>; when the dimension is missing or large, the sheet's
cells are scanned (streaming, its tags found by a pattern) to find the real data range, and values far
beyond it are ignored with a note.  A sheet whose real range is still too big is
refused with a message saying so.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from xltools.errors import UnreadableFile
from xltools.model import a1

MAX_FILE_BYTES = 200 * 2**20          # the file itself
MAX_UNPACKED_BYTES = 1024 * 2**20     # all parts of the package, as the zip directory declares them
MAX_RATIO = 200                       # uncompressed / compressed, for parts over RATIO_FROM bytes
RATIO_FROM = 16 * 2**20
MAX_ROWS = 200_000                    # the real data range of one sheet
MAX_CELLS = 4_000_000                 # rows × columns of that range (python-calamine: ~40 bytes each)
TRUST_CELLS = 1_000_000               # a <dimension> at most this big is taken as it is
ROW_GAP, COL_GAP = 1000, 100          # empty rows / columns that separate a stray value from the table
MAX_COLS = 16384

_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


@dataclass
class SheetExtent:
    """What a scan of one worksheet found: the real data range and what lies beyond it."""
    rows: int                               # 1-based last row of the real range
    cols: int                               # 1-based last column
    stray: list[str] = field(default_factory=list)   # cells ignored (A1 references)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # 0-based, inside the range


def check_size(path: Path) -> None:
    """Refuse a file over MAX_FILE_BYTES before anything reads it."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise UnreadableFile("file-too-big", file=str(path), size=_mb(size), limit=_mb(MAX_FILE_BYTES))


def check_package(path: Path, ooxml: bool | None = None, package: zipfile.ZipFile | None = None,
                  read: Callable[[str], bool] | None = None) -> dict[str, SheetExtent | None]:
    """Refuse a file that is too big, or a zip package that declares too much, before
    reading; for an .xlsx/.xlsm, the real range of each worksheet that needs one (no
    <dimension>, or a big one), None for one whose declared range can be read whole and
    cut to the real range (real_extent).  Sheets that can be read as they are do not appear.
    Raises UnreadableFile for a sheet whose real data is over the limits.  `package`: the
    file already opened as a zip (left open); None: opened here when it is one.  `read`:
    which sheets (by name) will be read (None: all); another sheet's size does not matter."""
    check_size(path)
    if package is None:
        try:
            package = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError):
            return {}  # not a zip (.xls), or damaged: the reader says which
        with package:
            return check_package(path, ooxml, package, read)
    infos = package.infolist()
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED_BYTES:
        raise UnreadableFile("file-unpacks-too-big", file=str(path), size=_mb(total),
                             limit=_mb(MAX_UNPACKED_BYTES))
    for info in infos:
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise UnreadableFile("file-zip-bomb", file=str(path), part=info.filename,
                                 ratio=info.file_size // max(info.compress_size, 1), size=_mb(info.file_size))
    if ooxml is None:
        ooxml = path.suffix.lower() in (".xlsx", ".xlsm")
    return _sheet_extents(path, package, read) if ooxml else {}


def sheet_names_if(path: str | Path, needed: str) -> set[str]:
    """The worksheet names of an .xlsx/.xlsm, read from its zip directory only, or an empty
    set when the file is none or has no sheet named `needed`: most files asked are district
    plans, whose sheet list, as its bytes say it, lacks that name (a name written as
    character references is parsed, never guessed).  A damaged file: empty, for the
    reader to report."""
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return set()
    try:
        with zipfile.ZipFile(path) as zf:
            book = zf.read("xl/workbook.xml")
            if needed.encode("utf-8") not in book and b"&#" not in book:
                return set()
            names = set(worksheet_parts(zf))
    except Exception:   # noqa: BLE001  any damage: not for this check to say
        return set()
    return names if needed in names else set()


def worksheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → worksheet part (xl/worksheets/sheetN.xml), from workbook.xml and its relations."""
    from defusedxml import ElementTree

    book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    target = {rel.get("Id"): rel.get("Target") or "" for rel in rels}
    parts = {}
    for sheet in book.iter():
        if _local(sheet.tag) != "sheet":
            continue
        rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
        path = target.get(rid)
        if path:
            parts[sheet.get("name")] = path.lstrip("/") if path.startswith("/") else "xl/" + path
    return parts


def _sheet_extents(path: Path, zf: zipfile.ZipFile, read: Callable[[str], bool] | None = None
                   ) -> dict[str, SheetExtent | None]:
    out = {}
    try:
        names = set(zf.namelist())
        for name, part in worksheet_parts(zf).items():
            if part not in names or read is not None and not read(name):
                continue
            dim = _dimension(zf, part)
            if _trusted(dim):
                continue
            if dim is not None and dim[0] <= MAX_ROWS and dim[0] * dim[1] <= MAX_CELLS:
                out[name] = None    # what it declares can be read whole: its real range is found in the values
                continue
            extent = _scan(zf, part)
            if extent.rows > MAX_ROWS or extent.rows * extent.cols > MAX_CELLS:
                raise UnreadableFile("sheet-too-big", file=str(path), sheet=name, rows=extent.rows,
                                     cols=extent.cols, max_rows=MAX_ROWS, max_cells=MAX_CELLS)
            if dim is None or extent.stray or (extent.rows, extent.cols) != dim:
                out[name] = extent
    except (KeyError, zipfile.BadZipFile, SyntaxError, ValueError):
        return {}  # not a package we understand: python-calamine says what is wrong
    return out


def _trusted(dim: tuple[int, int] | None) -> bool:
    return dim is not None and dim[0] * dim[1] <= TRUST_CELLS and dim[0] <= MAX_ROWS


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([^\"]*)\"")


def _dimension(zf: zipfile.ZipFile, part: str) -> tuple[int, int] | None:
    """(last row, last column) of the sheet's <dimension ref>, from the first bytes of the
    part only (it comes before <sheetData>; a regex on those bytes parses no XML)."""
    with zf.open(part) as fh:
        head = fh.read(4096)
    head = head.split(b"<sheetData", 1)[0]
    m = _DIMENSION.search(head)
    if m is None:
        return None
    end = _cell(m.group(1).decode("ascii", "replace").split(":")[-1])
    return (end[0] + 1, end[1] + 1) if end else None


def _scan(zf: zipfile.ZipFile, part: str) -> SheetExtent:
    """Every cell holding a value, streamed: where the table really ends."""
    with zf.open(part) as fh:
        return _extent(*_cells_and_merges(fh))


def real_extent(rows: list[list]) -> SheetExtent:
    """Where the table really ends in a sheet's values read whole (as _scan finds it in the XML)."""
    return _extent([(r, c) for r, row in enumerate(rows) for c, v in enumerate(row) if v != "" and v is not None], [])


def _extent(cells: list[tuple[int, int]], merges: list[tuple[int, int, int, int]]) -> SheetExtent:
    last_row = _block_end(sorted({r for r, _ in cells}), ROW_GAP)
    last_col = _block_end(sorted({c for _, c in cells}), COL_GAP)
    stray = [a1(r, c) for r, c in cells if r > last_row or c > last_col]
    inside = [(r0, c0, min(r1, last_row), min(c1, last_col)) for r0, c0, r1, c1 in merges
              if r0 <= last_row and c0 <= last_col]
    return SheetExtent(last_row + 1, last_col + 1, stray, inside)


# One pattern for what a scan needs, in document order: a <row> start tag, a <c> with its
# content, a <mergeCell>.  Text holds no "<", so a tag found here is a tag.
_SCAN = re.compile(rb"<(?:\w+:)?(?:(row)\b([^>]*)>|(c)\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)|(mergeCell)\b([^>]*)>)", re.S)
_SCAN_REF = re.compile(rb'\sr="([^"]*)"')
_SCAN_VALUE = re.compile(rb"<(?:\w+:)?(?:v|is)[\s>/]")
_ROW_END = re.compile(rb"</(?:\w+:)?row>")
_CHUNK = 8 * 2**20


def _cells_and_merges(fh) -> tuple[list[tuple[int, int]], list[tuple[int, int, int, int]]]:
    """0-based (row, column) of every cell with a value, and the merged ranges: the part
    read in chunks cut after a </row>, its tags found by one pattern (a parser made an
    object of every element: minutes for a sheet of two million cells)."""
    cells, merges = [], []
    row, col = -1, -1
    rest = b""
    while True:
        chunk = fh.read(_CHUNK)
        buf = rest + chunk
        if chunk:
            ends = [m.end() for m in _ROW_END.finditer(buf, max(0, len(buf) - _CHUNK // 2))] or \
                [m.end() for m in _ROW_END.finditer(buf)]
            if not ends:            # no row ends in it yet: read on
                rest = buf
                continue
            buf, rest = buf[:ends[-1]], buf[ends[-1]:]
        for m in _SCAN.finditer(buf):
            if m.group(1):          # rows and cells without r="…" follow the previous one
                r = _SCAN_REF.search(m.group(2))
                row, col = (int(r.group(1)) - 1 if r else row + 1), -1
            elif m.group(3):
                r = _SCAN_REF.search(m.group(4))
                row, col = (r and _cell(r.group(1).decode("ascii", "replace"))) or (row, col + 1)
                if m.group(5) and _SCAN_VALUE.search(m.group(5)):
                    cells.append((row, col))
            else:
                r = re.search(rb'\sref="([^"]*)"', m.group(7))
                a, _, b = (r.group(1).decode("ascii", "replace") if r else "").partition(":")
                first, last = _cell(a), _cell(b or a)
                if first and last:
                    merges.append((*first, *last))
        if not chunk:
            return cells, merges


def _block_end(positions: list[int], gap: int) -> int:
    """The last position before the first gap wider than `gap` (-1 when there is none)."""
    if not positions:
        return -1
    end = positions[0]
    for p in positions[1:]:
        if p - end > gap:
            break
        end = p
    return end


def _cell(ref: str) -> tuple[int, int] | None:
    """0-based (row, column) of an A1 reference."""
    m = _REF.match(ref.strip())
    if not m:
        return None
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    row = int(m.group(2))
    if not (1 <= row <= 1_048_576 and 1 <= col <= MAX_COLS):
        return None
    return row - 1, col - 1


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _mb(n: int) -> str:
    return f"{n / 2**20:,.0f} MB" if n >= 2**20 else f"{n:,} B"
