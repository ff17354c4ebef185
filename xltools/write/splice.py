"""Editing a large workbook with openpyxl without giving it the rows.

openpyxl reads and writes every cell as an object: for a master of 20,000 tasks that is
most of an edit's time.  Here the rows of each worksheet (its <sheetData>) are taken out
of the package before openpyxl opens it, kept as bytes, edited as text (a few cells
set, rows appended) and put back into the package openpyxl saved.  openpyxl still does
what it does well: sheet settings, new small sheets, styles.  This holds because
openpyxl keeps a workbook's cell formats (cellXfs) in their order and only appends to
them, so every s="…" of the rows kept aside names the same format after the save;
shared strings are made inline text when the rows are taken out, since openpyxl writes
a shared-string table of its own.
"""
from __future__ import annotations

import io
import re
import zipfile
from copy import copy
from dataclasses import astuple, dataclass, field
from typing import Any, Callable, Collection, Iterable

from xltools.aside import Aside
from xltools.errors import XltoolsError
from xltools.model import col_letter
from xltools.read.limits import worksheet_parts
from xltools.read.numfmt import format_code
from xltools.write.cells import DATE_FORMAT, DATETIME_FORMAT
from xltools.write.xlsx import Family, Spool, cell_xml

_ROW_START = re.compile(rb"<row(?=[\s>/])")
_CELL_START = re.compile(rb"<c(?=[\s>/])")     # where each <c> of a row starts (text holds no "<")
_R = re.compile(rb'\sr="([A-Z]*)(\d+)"')
_S = re.compile(rb'\ss="(\d+)"')
_SPANS = re.compile(rb'\sspans="[^"]*"')
_SHARED = re.compile(rb'<c\b([^>]*?)\st="s"([^>]*)>\s*<v>(\d+)</v>\s*</c>')
_SI = re.compile(rb"<si>(.*?)</si>|<si/>", re.S)
_DIMENSION = re.compile(rb'<dimension ref="([A-Z]+\d+)(?::([A-Z]+)(\d+))?"\s*/>')
_OPEN, _CLOSE = b"<sheetData", b"</sheetData>"
# CDATA, comments and processing instructions may hold "<row" or "</c>" as text: a sheet with
# any of them in its rows is left to openpyxl whole
_UNUSUAL = re.compile(rb"<!\[CDATA\[|<!--|<\?")
_LINKS = re.compile(rb"<hyperlinks\b[^>]*>(.*?)</hyperlinks>", re.S)   # as put back: <hyperlinks xmlns:r=…>
_ID = re.compile(rb'(\sr:id=")')
_OTHER_ID = re.compile(rb'\s(?!r:)\w+:id="')
_REL = re.compile(rb"<Relationship\b[^>]*/>")
_REL_ID = re.compile(rb'Id="')
_MARK = b"xlHl"                         # our hyperlinks' relationship ids, apart from openpyxl's rId1…
_NS_R = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# CT_Worksheet's children after <hyperlinks>: they are put back before the first of these
_AFTER_LINKS = re.compile(rb"<(?:printOptions|pageMargins|pageSetup|headerFooter|rowBreaks|colBreaks|customProperties"
                          rb"|cellWatches|ignoredErrors|smartTags|drawing|legacyDrawing|legacyDrawingHF|drawingHF"
                          rb"|picture|oleObjects|controls|webPublishItems|tableParts|extLst)\b")


@dataclass
class SheetRows:
    """A worksheet's rows as bytes: cells set by (row, column), rows appended.  `xml` is
    its <sheetData> element, or None for a sheet openpyxl held whole (rows are then
    appended to what openpyxl writes, after row `last`)."""
    xml: bytes | None
    dimension: bytes | None = None                 # the original <dimension/>
    last: int = 0
    cells: dict[int, dict[int, bytes]] = field(default_factory=dict)
    added: list[bytes] = field(default_factory=list)
    root: bytes = b""                              # the original <worksheet …> start tag (its namespaces)
    links: bytes | None = None                     # its <hyperlinks>, put back as they were
    link_rels: list[bytes] = field(default_factory=list)   # and their relationships
    later: Any = None                              # rows being made aside: .result() gives their <row>s
    later_rows: tuple[int, int] = (0, 0)           # and their first row and how many
    checked: Any = False                           # xml found well-formed when it was taken out (True), or
                                                   # being checked aside (an Aside: .result() is True or raises),
                                                   # or to be checked (check()'s arguments)
    settled: Any = None                            # the edited rows being put into xml aside (settle)
    _at: dict[int, tuple[int, int]] | None = field(default=None, repr=False)
    _parsed: dict[int, dict[int, bytes]] = field(default_factory=dict, repr=False)
    _starts: dict[int, list[int] | None] = field(default_factory=dict, repr=False)

    def check(self) -> None:
        """Check the rows taken out are well-formed XML under their part's start tag: a
        large sheet's in a process of its own (while the edit is made; put_rows waits for
        the answer before writing), a small one's here (XltoolsError if they are not)."""
        if isinstance(self.checked, tuple):
            start_tag, sheet_data, part = self.checked
            self.checked = Aside(_rows_well_formed, start_tag, sheet_data, part) \
                if len(sheet_data) >= CHECK_ASIDE and _can_check(start_tag) else \
                _rows_well_formed(start_tag, sheet_data, part)

    def put(self, row: int, col: int, cell: str) -> None:
        """Set a cell (1-based row and column) to a <c> element without r="…"."""
        if self.settled is not None:
            raise ValueError("a cell set after the rows were settled")
        self.cells.setdefault(row, {})[col] = cell.encode()

    def settle(self) -> None:
        """No more cells will be set: a large sheet's edited rows are put into its text in a
        process of its own, while the rest of the edit goes on here (text() takes it)."""
        if self.cells and self.xml is not None and len(self.xml) >= CHECK_ASIDE:
            self.settled = Aside(self._edited_xml)

    def style_at(self, row: int, col: int) -> int:
        """The cell format (s) of a cell as the file has it (0: none)."""
        starts = self._cell_starts(row)
        if starts is not None:          # found where it is, nothing cut out
            if col >= len(starts):
                return 0
            at = starts[col - 1]
            m = _S.search(self.xml, at, self.xml.index(b">", at))
        else:
            cell = self._row_cells(row).get(col)
            m = _S.search(cell, 0, cell.find(b">")) if cell else None
        return int(m.group(1)) if m else 0

    def append(self, cells: list[str]) -> int:
        """A row after the last, of <c> elements without r="…" in column order; its number."""
        if self.later is not None:
            raise ValueError("rows are appended after the rows made aside")
        r = self.last_row() + 1
        self.added.append(f'<row r="{r}">{"".join(cells)}</row>'.encode())
        return r

    def append_later(self, count: int, make: Callable[[int], Any]) -> None:
        """`count` rows after the last, the last ones appended: `make(first)` (the first
        one's number) returns what gives their <row> elements by .result() when the rows
        are put back (xltools.aside.Aside: made in another process meanwhile)."""
        first = self.last_row() + 1
        self.later, self.later_rows = make(first), (first, count)

    def last_row(self) -> int:
        if self.later is not None:
            return sum(self.later_rows) - 1
        if self.added:
            return int(_R.search(self.added[-1]).group(2))
        if self.xml is None:
            return self.last
        return max(self._rows(), default=0)

    def index(self) -> None:
        """Find where each row is (done once, on the first edit, if not before)."""
        if self.xml is not None:
            self._rows()

    def _rows(self) -> dict[int, tuple[int, int]]:
        """Row number → where its <row> is in xml (a row without r="…" follows the one before)."""
        if self._at is None:
            self._at, n, xml, at = {}, 0, self.xml, 0
            while (start := _ROW_START.search(xml, at)) is not None:
                start = start.start()
                head_end = xml.index(b">", start) + 1
                end = head_end if xml[head_end - 2] == 47 else xml.index(b"</row>", head_end) + 6   # <row …/>
                r = _R.search(xml, start, head_end)
                n = int(r.group(2)) if r else n + 1
                self._at[n] = (start, end)
                at = end
        return self._at

    def _cell_starts(self, row: int) -> list[int] | None:
        """Of a row as our writer makes it (a cell in every column, none with r="…"): where
        each cell starts in xml, then where its </row> does; None for any other row."""
        if row in self._starts:
            return self._starts[row]
        span = self._rows().get(row) if self.xml is not None else None
        starts = None
        if span is not None:
            xml, (start, end) = self.xml, span
            head_end = xml.index(b">", start) + 1
            close = end - len(b"</row>")
            if xml.startswith(b"</row>", close) and xml.find(b' r="', head_end, close) < 0:
                starts = [m.start() for m in _CELL_START.finditer(xml, head_end, close)]
                starts.append(close)
        self._starts[row] = starts
        return starts

    def _row_cells(self, row: int) -> dict[int, bytes]:
        """Column → <c> of a row of xml, in the row's order."""
        if row not in self._parsed:
            self._parsed[row] = self._parse(row)
        return self._parsed[row]

    def _parse(self, row: int) -> dict[int, bytes]:
        span = self._rows().get(row) if self.xml is not None else None
        return cells_of(self.xml[span[0]:span[1]] if span else b"")

    def declare(self, root: bytes) -> None:
        """Rows of another sheet come here (its <worksheet …> start tag `root`): what they may
        use that this sheet's does not declare (a prefix, mc:Ignorable) declared when put back."""
        self.root = _with_namespaces(self.root or b"<worksheet>", root)

    def row_elements(self, rows: Iterable[int]) -> list[bytes]:
        """The <row> elements of these rows, as they are in xml (rows it has not: none)."""
        at = self._rows()
        return [self.xml[at[r][0]:at[r][1]] for r in rows if r in at]

    def remove(self, rows: Collection[int], insert: bytes = b"", count: int = 0) -> None:
        """Take `rows` out of xml, put `insert` (`count` <row> elements) right after row 1,
        and number the rows below to follow on, the rows made aside too (a long log's oldest
        lines moved out: log_archive).  No cells may be set yet."""
        if self.cells or self.added or self.xml is None:
            raise ValueError("rows removed from rows kept as they were, nothing set or added")
        at = self._rows()
        head_end = at[1][1] if 1 in at else self.xml.find(b">", self.xml.find(_OPEN)) + 1
        last_end = max((end for _, end in at.values()), default=head_end)
        kept = b"".join(self.xml[s:e] for r, (s, e) in sorted(at.items()) if r > 1 and r not in rows)
        self.xml = self.xml[:head_end] + renumbered(insert + kept, 2) + self.xml[last_end:]
        if self.later is not None:
            first = 2 + count + kept.count(b"<row")
            self.later, self.later_rows = _Renumbered(self.later, first), (first, self.later_rows[1])
        if self.dimension:      # reaching the last row (dimension_xml): the rows are fewer
            m = _DIMENSION.match(self.dimension)
            if m and m.group(2):
                self.dimension = b'<dimension ref="%s:%s1"/>' % (m.group(1), m.group(2))
        self._at, self._parsed, self._starts = None, {}, {}

    def text(self, written: bytes) -> bytes:
        """The <sheetData> to put back (`written`: the one openpyxl wrote)."""
        xml = written if self.xml is None else self.xml
        if self.cells:
            xml = self.settled.result() if self.settled is not None else self._edited_xml()
        if not self.added and self.later is None:
            return xml
        body = b"".join(self.added) + (self.later.result() if self.later is not None else b"")
        return b"<sheetData>" + body + _CLOSE if not xml.rstrip().endswith(_CLOSE) else \
            xml[:xml.rfind(_CLOSE)] + body + _CLOSE

    def _edited_xml(self) -> bytes:
        """xml with the cells set."""
        pieces, at, xml = [], 0, self.xml
        for row in sorted(self.cells):
            start, end = self._rows()[row]
            head_end = xml.index(b">", start) + 1
            head = _SPANS.sub(b"", xml[start:head_end])
            head = head[:-2] + b">" if head.endswith(b"/>") else head
            pieces += [xml[at:start], head]
            edits, starts = self.cells[row], self._cell_starts(row)
            if starts is not None and max(edits) < len(starts):
                # each edit in the place of a cell: the cells between them kept as one piece each
                before = head_end
                for col in sorted(edits):
                    pieces += [xml[before:starts[col - 1]], edits[col]]
                    before = starts[col]
                pieces.append(xml[before:starts[-1]])
            else:
                pieces += _edited(self._row_cells(row), edits, row)
            pieces.append(b"</row>")
            at = end
        return b"".join(pieces) + xml[at:]

    def dimension_xml(self, written: bytes | None) -> bytes | None:
        """The original <dimension/> (else the one openpyxl wrote), reaching the rows appended."""
        dimension = self.dimension or written
        m = _DIMENSION.match(dimension) if dimension else None
        if not m or not m.group(2):
            return dimension
        return b'<dimension ref="%s:%s%d"/>' % (m.group(1), m.group(2), max(int(m.group(3)), self.last_row()))


def cells_of(row: bytes) -> dict[int, bytes]:
    """Column → <c> element of a <row> element, in the row's order."""
    if not row.endswith(b"</row>"):
        return {}
    cells = _CELL_START.split(row[row.find(b">") + 1:-len(b"</row>")])[1:]
    if b' r="' not in row[row.find(b">"):]:       # as our writer makes rows: one cell per column
        return {c: b"<c" + cell for c, cell in enumerate(cells, 1)}
    out, col = {}, 0
    for cell in cells:
        cell = b"<c" + cell
        ref = _R.search(cell, 0, cell.find(b">"))
        col = _column(ref.group(1)) if ref and ref.group(1) else col + 1
        out[col] = cell
    return out


_ROW_OR_REF = re.compile(rb'<row\b[^>]*>|(<c\s(?:[^>]*?\s)?r="[A-Z]+)\d+"')
_ROW_NUMBER = re.compile(rb'(\sr=")\d+"')
_CELL_REF = re.compile(rb'<c\s(?:[^>]*?\s)?r="')
_STYLE = re.compile(rb'(<(?:row|c)\s(?:[^>]*?\s)?s=")(\d+)"')
_ROW_STYLE = re.compile(rb'<row\s[^>]*?\ss="')
_OURS = b'<row r="'             # how our writer (and Excel, LibreOffice) start a row: its number first
_OUR_CELL = b'<c s="'           # and our writer a cell with attributes: its format first, no reference


def renumbered(rows: bytes, first: int) -> bytes:
    """Whole <row> elements, one after another, numbered from `first` on (their cells'
    references with them)."""
    if rows.count(b"<row") == rows.count(_OURS) and not _CELL_REF.search(rows):
        # rows as our writer makes them (a long log's): each number replaced where it is
        parts = rows.split(_OURS)
        for i in range(1, len(parts)):
            part = parts[i]
            parts[i] = b'%d' % (first + i - 1) + part[part.index(b'"'):]
        return _OURS.join(parts)
    n = first - 1

    def number(m: re.Match) -> bytes:
        nonlocal n
        if m.group(1) is None:      # a row's start tag
            n += 1
            return _ROW_NUMBER.sub(b'\\g<1>%d"' % n, m.group(0), 1)
        return m.group(1) + b'%d"' % n
    return _ROW_OR_REF.sub(number, rows)


def rows_restyled(rows: bytes, styles: dict[int, int]) -> bytes:
    """Rows with each s="…" (cell format) of `styles` replaced by its value there: rows of
    one workbook made to look the same in another."""
    if rows.count(b"<c ") == rows.count(_OUR_CELL) and not _ROW_STYLE.search(rows):
        # cells as our writer makes them: each format's cells at once (text holds no "<"),
        # marked by a NUL (XML holds none) until all are done, so none is replaced twice
        for old, new in styles.items():
            rows = rows.replace(b'%s%d"' % (_OUR_CELL, old), b'%s\0%d"' % (_OUR_CELL, new))
        return rows.replace(_OUR_CELL + b"\0", _OUR_CELL)
    return _STYLE.sub(lambda m: m.group(1) + b'%d"' % styles.get(int(m.group(2)), int(m.group(2))), rows)


def styles_in(rows: bytes) -> set[int]:
    """The cell formats (s="…") the rows use."""
    if rows.count(b"<c ") == rows.count(_OUR_CELL) and not _ROW_STYLE.search(rows):
        # a few formats on many cells: each found by one scan from where the one before was
        found: set[int] = set()
        at = 0
        while m := re.compile(rb'<c s="%s(\d+)"' % (b"(?!(?:%s)\")" % b"|".join(b"%d" % f for f in found)
                                                    if found else b"")).search(rows, at):
            found.add(int(m.group(1)))
            at = m.start()
        return found
    return {int(m.group(2)) for m in _STYLE.finditer(rows)}


class _Renumbered:
    """Rows being made aside (.result()), numbered from `first` when they are taken."""

    def __init__(self, rows: Any, first: int):
        self.rows, self.first = rows, first

    def result(self) -> bytes:
        return renumbered(self.rows.result(), self.first)


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _edited(cells: dict[int, bytes], edits: dict[int, bytes], row: int) -> list[bytes]:
    """A row's cells with `edits` set, in column order."""
    if max(edits) <= len(cells) and list(cells) == list(range(1, len(cells) + 1)):
        # a cell in every column up to the last (as our writer makes rows), each edit one of
        # them: the cells stay in their places, none after a gap
        out = list(cells.values())
        for col, cell in edits.items():
            out[col - 1] = cell
        return out
    return _placed({**cells, **edits}, row)


def _placed(cells: dict[int, bytes], row: int) -> list[bytes]:
    """A row's cells in column order; a cell without r="…" stands right of the one before
    it, so one that does not is given its reference."""
    out, before = [], 0
    for col in sorted(cells):
        cell = cells[col]
        if col != before + 1 and not _R.search(cell, 0, cell.find(b">")):
            cell = f'<c r="{col_letter(col - 1)}{row}"'.encode() + cell[2:]
        out.append(cell)
        before = col
    return out


def _sheet_data(xml: bytes) -> tuple[int, int] | None:
    start = xml.find(_OPEN)
    if start < 0:
        return None
    end = xml.rfind(_CLOSE)
    return start, (end + len(_CLOSE) if end > start else xml.find(b"/>", start) + 2)


def take_rows(data: bytes, keep: set[str] = frozenset()) -> tuple[bytes, dict[str, SheetRows]]:
    """The package with the rows of its worksheets taken out (all but those in `keep`,
    and any whose XML this does not understand), and those rows by sheet name.  The
    sheets' hyperlinks go with the rows: openpyxl would make one link, and one
    relationship, of every cell of a linked range."""
    rows: dict[str, SheetRows] = {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zf, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        parts = {part: name for name, part in worksheet_parts(zf).items() if name not in keep}
        names = set(zf.namelist())
        shared = _shared_strings(zf)
        for info in zf.infolist():
            body = zf.read(info)
            span = _sheet_data(body) if info.filename in parts else None
            if span and _UNUSUAL.search(body, *span):     # markup the patterns here do not read: openpyxl's
                span = None
            if span:
                start, end = span
                sheet_data = body[start:end]
                if shared is not None and b't="s"' in sheet_data:
                    sheet_data = _SHARED.sub(lambda m: b'<c%s t="inlineStr"%s><is>%s</is></c>'
                                             % (m.group(1), m.group(2), shared[int(m.group(3))]), sheet_data)
                dim = _DIMENSION.search(body, 0, start)
                root = _ROOT.search(body, 0, start)
                kept = rows[parts[info.filename]] = SheetRows(sheet_data, dim.group(0) if dim else None,
                                                              root=root.group(0) if root else b"")
                # checked when check() says (collect: once the returns are read), else when put back
                kept.checked = (body[:root.end()] if root else b"", sheet_data, info.filename)
                body = body[:start] + b"<sheetData/>" + body[end:]
                links = _LINKS.search(body, start)
                rels = _rels_part(info.filename)
                if links and rels in names and not _OTHER_ID.search(links.group(0)):
                    kept.links = b"<hyperlinks>" + _ID.sub(rb"\1" + _MARK, links.group(1)) + b"</hyperlinks>"
                    kept.link_rels = [_REL_ID.sub(b'Id="' + _MARK, m.group(0)) for m in _REL.finditer(zf.read(rels))
                                      if m.group(0).find(b"/hyperlink\"") > 0]
                    body = body[:links.start()] + body[links.end():]
            # a copy: writestr sets the entry's offset to the new package's, and a sheet's
            # relationships may come before the sheet (LibreOffice) and be read again for it
            new.writestr(copy(info), body, compresslevel=1)
    return out.getvalue(), rows


def put_rows(data: bytes, rows: dict[str, SheetRows]) -> bytes:
    """The package openpyxl saved, with the rows (and hyperlinks) put back into each sheet.
    Every part put back is well-formed XML before the package is returned (else
    XltoolsError "splice-broken", nothing written).  Rows checked as they were taken out
    (take_rows) are whole elements of a well-formed text, rows edited are made of their
    cells and ours, and rows appended are ours (the writer's, as merge writes them): what
    is checked here is the rest, what openpyxl wrote (_put_back); a part whose rows were
    not checked is checked whole.  A large part is checked in a process of its own while
    the next parts are put back and compressed here."""
    aside: list[Aside] = []
    here: list[tuple[str, bytes]] = []
    out = io.BytesIO()
    # each part compressed in a second thread while the next is put back here
    with zipfile.ZipFile(io.BytesIO(data)) as zf, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new, \
            Spool(_Parts(new)) as parts:
        kept_in = {part: rows[name] for name, part in worksheet_parts(zf).items() if name in rows}
        rels = {_rels_part(part): kept.link_rels for part, kept in kept_in.items() if kept.link_rels}
        for info in zf.infolist():
            body = zf.read(info)
            kept = kept_in.get(info.filename)
            if kept is not None:
                body, frame = _put_back(body, kept)
                checked = (info.filename, body if frame is None else frame)
                if len(checked[1]) >= CHECK_ASIDE:
                    aside.append(Aside(_check_all, [checked]))
                else:
                    here.append(checked)
            if info.filename in rels:
                at = body.rfind(b"</Relationships>")
                body = body[:at] + b"".join(rels.pop(info.filename)) + body[at:]
            parts.write((info, body))
        for name, links in rels.items():      # a sheet openpyxl wrote no relationships for
            parts.write((name, b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
                         b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' + b"".join(links)
                         + b"</Relationships>"))
    _check_all(here)
    for checking in aside:      # a broken part is found again here, for its message
        checking.result()
    return out.getvalue()


class _Parts:
    """What Spool writes a package's parts through: (name or ZipInfo, bytes) each."""

    def __init__(self, package: zipfile.ZipFile):
        self.package = package

    def write(self, part: tuple[zipfile.ZipInfo | str, bytes]) -> None:
        self.package.writestr(*part, compresslevel=3)


CHECK_ASIDE = 4 << 20      # bytes of a part worth checking in a process of its own


def _check_all(parts: list[tuple[str, bytes]]) -> None:
    """Every part put back well-formed (XltoolsError at the first that is not)."""
    for name, body in parts:
        _check_well_formed(body, name)


def _put_back(body: bytes, kept: SheetRows) -> tuple[bytes, bytes | None]:
    """A worksheet part as openpyxl wrote it, with its rows, dimension and hyperlinks
    back; and what of it is left to check: without the rows, when they were checked as
    they were taken out; without the rows appended (the writer's), when openpyxl held
    the sheet; else None (the whole part)."""
    start, end = _sheet_data(body)
    # what comes before the rows and after them edited apart: the rows are most of the part
    head, rows, tail = _with_namespaces(body[:start], kept.root), kept.text(body[start:end]), body[end:]
    written = _DIMENSION.search(head)
    if written:
        head = head[:written.start()] + kept.dimension_xml(written.group(0)) + head[written.end():]
    if kept.links:
        after = _AFTER_LINKS.search(tail)
        at = after.start() if after else tail.rfind(b"</worksheet>")
        tail = tail[:at] + kept.links.replace(b"<hyperlinks>", b'<hyperlinks xmlns:r="%s">' % _NS_R, 1) + tail[at:]
    if kept.xml is None:        # openpyxl's rows, then ours
        return b"".join((head, rows, tail)), b"".join((head, body[start:end], tail))
    # the rows were checked under the original start tag: every prefix it declares must be declared here
    kept.check()
    if isinstance(kept.checked, Aside):
        kept.checked = kept.checked.result()        # raises when they are not well-formed
    root = _ROOT.search(head) if kept.checked else None
    frame = b"".join((head, b"<sheetData/>", tail)) \
        if root is not None and _prefixes(kept.root) <= _prefixes(root.group(0)) else None
    return b"".join((head, rows, tail)), frame


_ROOT = re.compile(rb"<worksheet\b[^>]*>")
_XMLNS = re.compile(rb'\sxmlns:(\w+)="[^"]*"')
_IGNORABLE = re.compile(rb'\s(\w+):Ignorable="[^"]*"')


def _with_namespaces(body: bytes, original: bytes) -> bytes:
    """openpyxl's <worksheet> with the namespace declarations of the original one that it
    lacks, and its mc:Ignorable: the rows put back may use them (Excel writes
    x14ac:dyDescent on every row), and a prefix undeclared breaks the whole part."""
    root = _ROOT.search(body)
    if root is None or not original:
        return body
    have = {m.group(1) for m in _XMLNS.finditer(root.group(0))}
    extra = [m.group(0) for m in _XMLNS.finditer(original) if m.group(1) not in have]
    ignorable = _IGNORABLE.search(original)
    if ignorable and not _IGNORABLE.search(root.group(0)):
        extra.append(ignorable.group(0))
    if not extra:
        return body
    tag = root.group(0)
    end = len(tag) - (2 if tag.endswith(b"/>") else 1)
    return body[:root.start()] + tag[:end] + b"".join(extra) + tag[end:] + body[root.end():]


def _prefixes(tag: bytes) -> set[bytes]:
    return {m.group(1) for m in _XMLNS.finditer(tag)}


def _rows_well_formed(start: bytes, sheet_data: bytes, part: str) -> bool:
    """The rows taken out of a worksheet checked in their place: after `start` (the part
    up to its <worksheet …> start tag: the declaration and the namespaces), then the
    worksheet closed.  False when there is no such start tag to check them under (the
    whole part is then checked when it is put back); XltoolsError when they are not
    well-formed there."""
    if not _can_check(start):
        return False
    _check_well_formed(start + sheet_data + b"</worksheet>", part)
    return True


def _can_check(start: bytes) -> bool:
    """take_rows gives the part up to the <worksheet …> start tag, or nothing."""
    return bool(start) and not start.endswith(b"/>")


def _check_well_formed(xml: bytes, part: str) -> None:
    """Parse the part put back (expat, no document type allowed): a part that is not
    well-formed XML is never written (Excel would "repair" the workbook, dropping what it
    cannot read); the edit stops with the master untouched."""
    from xml.parsers import expat

    def no_doctype(*_):
        raise ValueError("DOCTYPE")

    parser = expat.ParserCreate(namespace_separator=" ")   # namespace-aware: an unbound prefix is an error
    parser.StartDoctypeDeclHandler = no_doctype
    try:
        parser.Parse(xml, True)
    except (expat.ExpatError, ValueError) as exc:
        raise XltoolsError("splice-broken", part=part, reason=str(exc)) from None


def _rels_part(part: str) -> str:
    """xl/worksheets/sheet1.xml → xl/worksheets/_rels/sheet1.xml.rels"""
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels"


def _shared_strings(zf: zipfile.ZipFile) -> list[bytes] | None:
    """The inner XML of each shared string (<t>…</t> or rich-text runs), or None."""
    name = next((n for n in zf.namelist() if n.lower() == "xl/sharedstrings.xml"), None)
    if name is None:
        return None
    return [m.group(1) or b"<t></t>" for m in _SI.finditer(zf.read(name))]


class Formats:
    """Cell formats of an openpyxl workbook made from the formats its cells have: the
    same look with a date format, or with the quote prefix that keeps text text."""

    def __init__(self, wb):
        self.wb = wb
        self._families: dict[tuple, Family] = {}

    def like(self, s: int, number_format: str | None = None, quote: bool = False) -> int:
        from openpyxl.cell import Cell

        cell = Cell(self.wb.worksheets[0])
        cell._style = copy(self.wb._cell_styles[s]) if s < len(self.wb._cell_styles) else cell._style
        if number_format:
            cell.number_format = number_format
        if quote:
            cell.quotePrefix = True
        return cell.style_id

    def number_format(self, s: int) -> str:
        """The number format of cell format `s` as the sheet shows it (a locale's built-in
        date, which the file names by its id only, by its code)."""
        from openpyxl.cell import Cell

        if s >= len(self.wb._cell_styles):
            return "General"
        cell = Cell(self.wb.worksheets[0])
        cell._style = copy(self.wb._cell_styles[s])
        return format_code(cell.number_format, cell._style.numFmtId) or "General"

    def family(self, s: int, date: str = DATE_FORMAT, datetime: str = DATETIME_FORMAT) -> Family:
        key = (s, date, datetime)
        if key not in self._families:
            self._families[key] = Family(s, self.like(s, quote=True), self.like(s, date), self.like(s, datetime),
                                          s, s)
        return self._families[key]

    def looks(self) -> dict[tuple, Family]:
        """The looks made so far, by what they were made of: to be made again in another
        copy of this workbook (numbered)."""
        return dict(self._families)

    def numbered(self, looks: dict[tuple, Family]) -> dict[int, int]:
        """The looks another copy of this workbook made (a forked process's: looks()), each
        made here too: their cell formats' numbers there → here, those that differ (a
        format both copies had keeps its number; one made since has the next free one)."""
        out: dict[int, int] = {}
        for key, there in looks.items():
            out.update((a, b) for a, b in zip(astuple(there), astuple(self.family(*key))) if a != b)
        return out


def restyled(xml: bytes, number: dict[int, int]) -> bytes:
    """A <c> made by `cell` with its format's number renumbered (Formats.numbered)."""
    m = _CELL_S.match(xml)
    n = number.get(int(m.group(1))) if m else None
    return xml if n is None else b'<c s="%d"' % n + xml[m.end():]


_CELL_S = re.compile(rb'<c s="(\d+)"')
cell = cell_xml   # the <c> of a value without r="…" (text always text, dates as dates), as our writer makes it
