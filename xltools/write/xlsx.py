"""Our .xlsx package writer: a workbook described as data (`Sheet`s of `Block`s of rows,
`Look`s, rules, links, print setup, a chart) → the whole SpreadsheetML package.

Every part is written here, each element where the schema puts it: a worksheet's
children are written by one function in the order of CT_Worksheet, so no order is
kept by hand elsewhere (tests validate every part against the schema).  Rows are
streamed: the XML of a value is made once per look (`cell_xml`, cached), strings are
inline, cells carry no r="…" (a cell is placed by its order in the row), and a second
thread compresses one chunk of rows while the next is made.

What goes where on which sheet is the caller's business (write/master.py); this module
knows only the file format.
"""
from __future__ import annotations

import datetime as dt
import functools
import math
import queue
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any, Iterable, Iterator, Sequence

from xltools.model import col_letter
from xltools.rules.text import clear_caches, looks_like_formula, row_height, wrapped_lines
from xltools.write import printing
from xltools.write.cells import DATE_FORMAT, DATETIME_FORMAT, clean_text, utf16_len

__all__ = ["Look", "Block", "Sheet", "Rule", "ListValidation", "PrintSetup", "BarChart", "Formula", "ROW",
           "Comment", "KeptRule", "KeptValidation",
           "write_workbook", "link_target", "MAX_LINK", "MAX_LINKS", "quoted"]

TIME_FORMAT = "hh:mm:ss"
DURATION_FORMAT = "[h]:mm:ss"
MAX_LINK = 2079           # Excel's longest hyperlink target (characters, UTF-16)
MAX_LINKS = 65530         # Excel's most hyperlinks on one worksheet
ROW = "{row}"             # in a Formula: the number of the row the formula is in
_CHUNK = 1000             # rows handed to the compressing thread at once


# ------------------------------------------------------------------ the description

@dataclass(frozen=True)
class Look:
    """How a cell looks.  Number formats and the quote prefix follow from each value."""
    bold: bool = False
    colour: str | None = None               # font colour, RRGGBB
    underline: bool = False
    fill: str | None = None                 # solid fill, RRGGBB
    border: bool = True                     # thin grey box
    wrap: bool = True
    vertical: str | None = "top"
    horizontal: str | None = None


class Formula(str):
    """A formula of ours (with its "="): the only text a cell takes as a formula.  Text
    read from a district file is a plain str and stays text.  ROW in it becomes the
    number of its row, in a Block's `numbered` columns."""


@dataclass
class Block:
    """Consecutive rows of one sheet: lists of values, one look for every cell or one per
    column.  With `fit`, each row is as high as the wrapped lines of its values, each
    column `fit[i]` wide (None: a column whose lines do not count).  A Formula using ROW
    goes in a `numbered` column (its cell is made once, the row number put in per row)."""
    rows: Iterable[Sequence[Any]]
    count: int
    width: int                              # columns
    looks: Look | Sequence[Look] = Look()
    fit: Sequence[float | None] | None = None
    numbered: Sequence[int] = ()            # columns whose Formula holds ROW


@dataclass(frozen=True)
class Rule:
    """A conditional format: a formula (no "="), the fill and font colour it gives;
    first match wins (stopIfTrue)."""
    formula: str
    fill: str | None
    font: str | None = None
    stop: bool = True


@dataclass(frozen=True)
class ListValidation:
    """A drop-down of `items` over `ref`; other values stay allowed."""
    ref: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Comment:
    """A comment (批注) on a cell, as a person typed it: shown as Excel's note."""
    ref: str
    author: str
    text: str


@dataclass(frozen=True)
class KeptRule:
    """A conditional format people made in a workbook we replace, copied over: its
    cfRule attributes (but dxfId and priority, which are ours to number), formulas, the
    rest of its content as XML (colorScale, dataBar, iconSet) and its format (a <dxf>)."""
    attrs: tuple[tuple[str, str], ...]
    formulas: tuple[str, ...]
    inner: str = ""
    dxf: str | None = None


@dataclass(frozen=True)
class KeptValidation:
    """A data validation people made (a 督办情况 list …), copied over: its attributes and
    formula1/formula2, over `ref`."""
    ref: str
    attrs: tuple[tuple[str, str], ...]
    formulas: tuple[str, ...]


@dataclass(frozen=True)
class PrintSetup:
    """Landscape, one page wide (write/printing.py); `title_rows` ("1:1") repeat on every page.
    The header and footer keep their own size (Excel: not shrunk with the sheet; LibreOffice
    shrinks them all the same, hence sizes in the codes: &14)."""
    title_rows: str | None = None
    area: str | None = None                 # "A1:L99"
    header: str | None = None               # Excel's header/footer codes (&A, &P, &N, &C, &R, &14)
    footer: str | None = None
    paper: int = printing.A4                # Excel's paperSize code


@dataclass(frozen=True)
class BarChart:
    """A stacked column chart: categories and one series per (name cell, values, colour),
    as ranges of its own sheet ("A2:A9"), anchored at a 0-based (column, row)."""
    title: str
    categories: str
    series: tuple[tuple[str, str, str], ...]
    anchor: tuple[int, int]
    size_cm: tuple[float, float] = (16, 7.5)


@dataclass
class Sheet:
    name: str
    blocks: list[Block]
    widths: dict[int, float] = field(default_factory=dict)       # 1-based column → width
    hidden_columns: frozenset[int] = frozenset()                  # 1-based columns the sheet hides
    freeze: str | None = None               # first cell of the scrolling pane ("A2")
    filter: str | None = None               # autoFilter range
    rules: list[tuple[str, list[Rule]]] = field(default_factory=list)   # (range, rules)
    validations: list[ListValidation] = field(default_factory=list)
    links: list[tuple[str, PurePath]] = field(default_factory=list)      # (range, file it opens)
    printing: PrintSetup | None = None
    chart: BarChart | None = None
    hidden: bool = False
    comments: list[Comment] = field(default_factory=list)
    kept_rules: list[tuple[str, list[KeptRule]]] = field(default_factory=list)    # (range, rules), after ours
    kept_validations: list[KeptValidation] = field(default_factory=list)       # after ours

    @property
    def rows(self) -> int:
        return sum(b.count for b in self.blocks)

    @property
    def width(self) -> int:
        return max((b.width for b in self.blocks), default=0)


def quoted(sheet: str) -> str:
    """A sheet name in a formula."""
    return "'" + sheet.replace("'", "''") + "'"


# ------------------------------------------------------------------ hyperlinks

# What a file path cannot hold in a relationship's URI, encoded as Excel writes it (%20
# for a space …), and # (Excel's own separator of a place in the file).  Characters
# outside ASCII stay as they are: Excel writes them so (an IRI), and reads them back.
_URI_ESCAPES = {ord(ch): f"%{ord(ch):02X}" for ch in '%"<>[]^`{}|# '}
_URI_ESCAPES.update({c: f"%{c:02X}" for c in (*range(0x20), 0x7F)})


def link_target(path: PurePath) -> str | None:
    """The target of a hyperlink opening the file `path`; None when Excel could not hold
    it (over MAX_LINK characters).  A relative path stays relative (Excel resolves it
    against the workbook's folder, so the folder can be moved)."""
    text = clean_text(path.as_posix()).translate(_URI_ESCAPES)
    if path.is_absolute():
        text = "file:" + (text if text.startswith("//") else "//" + text if text.startswith("/") else "///" + text)
    return text if utf16_len(text) <= MAX_LINK else None


# ------------------------------------------------------------------ styles

@dataclass(frozen=True, eq=False)   # hashed by identity: a cache key on every cell
class Family:
    """cellXfs ids of one look for each kind of value."""
    text: int
    quoted: int                             # text that looks like a formula: quotePrefix keeps it text
    date: int
    datetime: int
    time: int
    duration: int


class _Styles:
    """styles.xml: the fonts, fills, borders, formats and conditional formats used."""

    def __init__(self) -> None:
        self.fonts = ['<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>']
        self.fills = ['<fill><patternFill patternType="none"/></fill>', '<fill><patternFill patternType="gray125"/></fill>']
        self.borders = ["<border><left/><right/><top/><bottom/><diagonal/></border>"]
        self.formats: dict[str, int] = {}
        self.xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>']
        self.dxfs: list[str] = []
        self._families: dict[Look, Family] = {}

    @staticmethod
    def _index(table: list[str], xml: str) -> int:
        if xml not in table:
            table.append(xml)
        return table.index(xml)

    def family(self, look: Look) -> Family:
        if look not in self._families:
            xf = functools.partial(self._xf, look)
            self._families[look] = Family(xf(), xf(quote=True), xf(DATE_FORMAT), xf(DATETIME_FORMAT),
                                           xf(TIME_FORMAT), xf(DURATION_FORMAT))
        return self._families[look]

    def _xf(self, look: Look, number_format: str | None = None, quote: bool = False) -> int:
        font = self._index(self.fonts, _font(look.bold, look.underline, look.colour, sized=True))
        fill = self._index(self.fills, _fill(look.fill)) if look.fill else 0
        border = self._index(self.borders, _BOX) if look.border else 0
        fmt = self.formats.setdefault(number_format, 164 + len(self.formats)) if number_format else 0
        align = "".join(f' {k}="{v}"' for k, v in (("horizontal", look.horizontal), ("vertical", look.vertical),
                                                    ("wrapText", "1" if look.wrap else None)) if v)
        xml = (f'<xf numFmtId="{fmt}" fontId="{font}" fillId="{fill}" borderId="{border}" xfId="0"'
               + (' applyNumberFormat="1"' if fmt else "") + (' applyFont="1"' if font else "")
               + (' applyFill="1"' if fill else "") + (' applyBorder="1"' if border else "")
               + (' quotePrefix="1"' if quote else "")
               + (f' applyAlignment="1"><alignment{align}/></xf>' if align else "/>"))
        return self._index(self.xfs, xml)

    def dxf(self, rule: Rule) -> int:
        font = _font(False, False, rule.font) if rule.font else ""
        return self.raw_dxf(f"<dxf>{font}{_fill(rule.fill, differential=True) if rule.fill else ''}</dxf>")

    def raw_dxf(self, xml: str) -> int:
        self.dxfs.append(xml)
        return len(self.dxfs) - 1

    def xml(self) -> str:
        formats = "".join(f'<numFmt numFmtId="{i}" formatCode="{_esc_attr(f)}"/>' for f, i in self.formats.items())
        return (_XML + f'<styleSheet xmlns="{_NS_MAIN}">'
                + (f'<numFmts count="{len(self.formats)}">{formats}</numFmts>' if formats else "")
                + _listed("fonts", self.fonts) + _listed("fills", self.fills) + _listed("borders", self.borders)
                + '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                + _listed("cellXfs", self.xfs)
                + '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
                + _listed("dxfs", self.dxfs) + "</styleSheet>")


_BOX = ("<border>" + "".join(f'<{side} style="thin"><color rgb="FFA6A6A6"/></{side}>'
                             for side in ("left", "right", "top", "bottom")) + "<diagonal/></border>")


def _font(bold: bool, underline: bool, colour: str | None, sized: bool = False) -> str:
    """A <font>, its children in the schema's order (b, u, sz, color, name, family)."""
    return ("<font>" + ("<b/>" if bold else "") + ('<u/>' if underline else "")
            + ('<sz val="11"/>' if sized else "") + (f'<color rgb="FF{colour}"/>' if colour else "")
            + ('<name val="Calibri"/><family val="2"/>' if sized else "") + "</font>")


def _fill(colour: str, differential: bool = False) -> str:
    # a cell's solid fill is its foreground; a conditional format's, its background
    colours = f'<bgColor rgb="FF{colour}"/>' if differential else f'<fgColor rgb="FF{colour}"/><bgColor indexed="64"/>'
    return f'<fill><patternFill patternType="solid">{colours}</patternFill></fill>'


def _listed(tag: str, items: list[str]) -> str:
    return f'<{tag} count="{len(items)}">{"".join(items)}</{tag}>' if items else ""


# ------------------------------------------------------------------ cells and rows

def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _esc_attr(text: str) -> str:
    return _esc(text).replace('"', "&quot;")


def quoted_xml(text: str, attribute: bool = True) -> str:
    """Text as XML content (`attribute`: inside an attribute's quotes)."""
    return _esc_attr(text) if attribute else _esc(text)


_EPOCH = dt.datetime(1899, 12, 30)


def _serial(v: dt.date | dt.datetime) -> float | int:
    """Excel's day number (1900 system; every date we write is after 1 March 1900)."""
    if isinstance(v, dt.datetime):
        d = v.replace(tzinfo=None) - _EPOCH
        return d.days + d.seconds / 86400 + d.microseconds / 86400e6
    return (v - _EPOCH.date()).days


def cell_xml(v: Any, f: Family) -> str:
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
            return cell_xml(str(v), f)
        return f'<c s="{f.text}"><v>{v!r}</v></c>'
    if kind is bool:
        return f'<c s="{f.text}" t="b"><v>{int(v)}</v></c>'
    if isinstance(v, dt.datetime):
        return f'<c s="{f.datetime}"><v>{_serial(v)!r}</v></c>'
    if isinstance(v, dt.date):
        return f'<c s="{f.date}"><v>{_serial(v)!r}</v></c>'
    if isinstance(v, dt.time):
        seconds = v.hour * 3600 + v.minute * 60 + v.second + v.microsecond / 1e6
        return f'<c s="{f.time}"><v>{seconds / 86400!r}</v></c>'
    if isinstance(v, dt.timedelta):
        return f'<c s="{f.duration}"><v>{v.total_seconds() / 86400!r}</v></c>'
    if isinstance(v, int):  # a subclass of int (not bool, handled above)
        return cell_xml(int(v), f)
    return cell_xml(str(v), f)


@functools.lru_cache(maxsize=65536)   # districts, units, sections and sources repeat on many rows
def _text_cell(v: str, f: Family) -> str:
    """The <c> of a text: always inline text, never a formula."""
    if not v:
        return f'<c s="{f.text}"/>'
    v = clean_text(v)
    s = f.quoted if looks_like_formula(v) else f.text
    space = ' xml:space="preserve"' if v[:1].isspace() or v[-1:].isspace() else ""
    return f'<c s="{s}" t="inlineStr"><is><t{space}>{_esc(v)}</t></is></c>'


@functools.lru_cache(maxsize=65536, typed=True)   # typed: True and 1 are different cells
def _cell_lines(v: Any, f: Family, width: float | None) -> tuple[str, int]:
    """A value's <c> and the lines it takes wrapped in a column `width` wide (None: not counted)."""
    return cell_xml(v, f), 1 if width is None else wrapped_lines(v, width)


def _rows_xml(first: int, block: Block, families: list[Family]) -> Iterator[str]:
    """The <row> elements of a block, numbered from `first`; rows without values are left out."""
    numbered = block.numbered
    if block.fit is None:
        for r, values in enumerate(block.rows, start=first):
            if values:
                cells = list(map(cell_xml, values, families))
                for i in numbered:
                    cells[i] = cells[i].replace(ROW, str(r))
                yield f'<row r="{r}">{"".join(cells)}</row>'
        return
    widths = list(block.fit) + [None] * (block.width - len(block.fit))
    for r, values in enumerate(block.rows, start=first):
        if not values:
            continue
        cells, lines = zip(*map(_cell_lines, values, families, widths))
        if numbered:
            cells = list(cells)
            for i in numbered:
                cells[i] = cells[i].replace(ROW, str(r))
        yield f'<row r="{r}" ht="{row_height(max(lines))}" customHeight="1">{"".join(cells)}</row>'


# ------------------------------------------------------------------ worksheets

_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG_R = "http://schemas.openxmlformats.org/package/2006/relationships"
_REL_HYPERLINK = _NS_R + "/hyperlink"
_REL_DRAWING = _NS_R + "/drawing"
_REL_CHART = _NS_R + "/chart"
_REL_VML = _NS_R + "/vmlDrawing"
_REL_COMMENTS = _NS_R + "/comments"


def cell_ref(ref: str) -> tuple[int, int]:
    """0-based (column, row) of an A1 reference ($ signs allowed)."""
    ref = ref.replace("$", "")
    letters = ref.rstrip("0123456789")
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch.upper()) - 64
    return col - 1, int(ref[len(letters):]) - 1


def _sheet_view(freeze: str | None, selected: bool) -> str:
    tab = ' tabSelected="1"' if selected else ""
    if not freeze or freeze == "A1":
        return f'<sheetViews><sheetView{tab} workbookViewId="0"/></sheetViews>'
    col, row = cell_ref(freeze)
    pane = "bottomRight" if col and row else "bottomLeft" if row else "topRight"
    split = (f' xSplit="{col}"' if col else "") + (f' ySplit="{row}"' if row else "")
    return (f'<sheetViews><sheetView{tab} workbookViewId="0"><pane{split} topLeftCell="{freeze}" '
            f'activePane="{pane}" state="frozen"/><selection pane="{pane}" activeCell="{freeze}" sqref="{freeze}"/>'
            f'</sheetView></sheetViews>')


def _cols(widths: dict[int, float], hidden: frozenset[int] = frozenset()) -> str:
    if not widths and not hidden:
        return ""
    cols = "".join(f'<col min="{c}" max="{c}"' + (f' width="{widths[c]:g}" customWidth="1"' if c in widths else "")
                   + (' hidden="1"' if c in hidden else "") + "/>" for c in sorted(set(widths) | hidden))
    return f"<cols>{cols}</cols>"


def _worksheet_parts(sheet: Sheet, styles: _Styles, selected: bool, links: list[tuple[str, str]],
                     drawing: str | None) -> tuple[str, Iterator[str], str]:
    """A worksheet as (head, rows, tail), each child where CT_Worksheet's sequence puts it:
    sheetPr, dimension, sheetViews, sheetFormatPr, cols, sheetData, autoFilter,
    conditionalFormatting, dataValidations, hyperlinks, pageMargins, pageSetup,
    headerFooter, drawing, legacyDrawing.  `links` are (range, target) with rId1… in that
    order; the drawing, if any, is the next rId, then the comments' VML drawing."""
    p = sheet.printing
    head = (_XML + f'<worksheet xmlns="{_NS_MAIN}" xmlns:r="{_NS_R}">'
            + ('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' if p else "")
            + f'<dimension ref="A1:{col_letter(max(sheet.width, 1) - 1)}{max(sheet.rows, 1)}"/>'
            + _sheet_view(sheet.freeze, selected)
            + '<sheetFormatPr defaultRowHeight="15"/>'
            + _cols(sheet.widths, sheet.hidden_columns) + "<sheetData>")
    tail = ["</sheetData>"]
    if sheet.filter:
        tail.append(f'<autoFilter ref="{sheet.filter}"/>')
    priority = 0
    for ref, rules in sheet.rules:
        tail.append(f'<conditionalFormatting sqref="{ref}">')
        for rule in rules:
            priority += 1
            stop = ' stopIfTrue="1"' if rule.stop else ""
            tail.append(f'<cfRule type="expression" dxfId="{styles.dxf(rule)}" priority="{priority}"{stop}>'
                        f"<formula>{_esc(rule.formula)}</formula></cfRule>")
        tail.append("</conditionalFormatting>")
    for ref, kept in sheet.kept_rules:
        tail.append(f'<conditionalFormatting sqref="{ref}">')
        for k in kept:
            priority += 1
            dxf = f' dxfId="{styles.raw_dxf(k.dxf)}"' if k.dxf else ""
            tail.append(f"<cfRule{_attrs(k.attrs)}{dxf} priority=\"{priority}\">"
                        + "".join(f"<formula>{_esc(f)}</formula>" for f in k.formulas) + k.inner + "</cfRule>")
        tail.append("</conditionalFormatting>")
    if sheet.validations or sheet.kept_validations:
        tail.append(f'<dataValidations count="{len(sheet.validations) + len(sheet.kept_validations)}">')
        for v in sheet.validations:
            items = _esc('"' + ",".join(v.items) + '"')
            tail.append(f'<dataValidation type="list" allowBlank="1" showErrorMessage="0" sqref="{v.ref}">'
                        f"<formula1>{items}</formula1></dataValidation>")
        for v in sheet.kept_validations:
            tail.append(f'<dataValidation{_attrs(v.attrs)} sqref="{v.ref}">'
                        + "".join(f"<formula{n}>{_esc(f)}</formula{n}>" for n, f in enumerate(v.formulas, 1))
                        + "</dataValidation>")
        tail.append("</dataValidations>")
    if links:
        tail.append("<hyperlinks>" + "".join(f'<hyperlink ref="{ref}" r:id="rId{n}"/>'
                                             for n, (ref, _) in enumerate(links, 1)) + "</hyperlinks>")
    if p:
        tail.append(f'<pageMargins left="{printing.LEFT}" right="{printing.RIGHT}" top="{printing.TOP}" '
                    f'bottom="{printing.BOTTOM}" header="{printing.HEADER}" footer="{printing.FOOTER}"/>'
                    f'<pageSetup paperSize="{p.paper}" fitToWidth="1" fitToHeight="0" orientation="landscape"/>')
        if p.header or p.footer:
            tail.append('<headerFooter scaleWithDoc="0">' + (f"<oddHeader>{_esc(p.header)}</oddHeader>" if p.header else "")
                        + (f"<oddFooter>{_esc(p.footer)}</oddFooter>" if p.footer else "") + "</headerFooter>")
    if drawing:
        tail.append(f'<drawing r:id="rId{len(links) + 1}"/>')
    if sheet.comments:   # the comments' shapes: the relationship after the links' and the drawing's
        tail.append(f'<legacyDrawing r:id="rId{len(links) + 1 + bool(drawing)}"/>')
    tail.append("</worksheet>")
    families = [styles.family(b.looks) if isinstance(b.looks, Look) else None for b in sheet.blocks]

    def rows() -> Iterator[str]:
        first = 1
        for block, family in zip(sheet.blocks, families):
            looks = [family] * block.width if family else [styles.family(look) for look in block.looks]
            yield from _rows_xml(first, block, looks)
            first += block.count

    return head, rows(), "".join(tail)


def _sheet_links(sheet: Sheet) -> list[tuple[str, str]]:
    """The sheet's hyperlinks Excel can hold: a target too long, or past MAX_LINKS, is
    left out (its cell keeps the text)."""
    out = []
    for ref, path in sheet.links:
        target = link_target(path)
        if target is not None:
            out.append((ref, target))
            if len(out) == MAX_LINKS:
                break
    return out


class Spool:
    """Writes byte chunks to a zip member (or anything with .write) from a second
    thread.  zlib and the file write release the GIL, so a chunk is compressed while the
    next rows are made; a failure there is raised here, at the next write or at the end."""

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

    def __enter__(self) -> "Spool":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._queue.put(None)
        self._thread.join()
        if self._error is not None and exc[0] is None:
            raise self._error


def _stream(out: zipfile.ZipFile, part: str, head: str, rows: Iterator[str], tail: str) -> None:
    """A worksheet into the zip, `_CHUNK` rows at a time: never all in memory as XML."""
    with out.open(part, "w") as member, Spool(member) as fh:
        fh.write(head.encode("utf-8"))
        chunk: list[str] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= _CHUNK:
                fh.write("".join(chunk).encode("utf-8", "replace"))
                chunk.clear()
        fh.write("".join(chunk).encode("utf-8", "replace"))
        fh.write(tail.encode("utf-8"))


def _attrs(attrs: tuple[tuple[str, str], ...]) -> str:
    return "".join(f' {k}="{_esc_attr(v)}"' for k, v in attrs)


def _rels(rels: list[tuple[str, str, str, bool]]) -> str:
    """A .rels part: (id, type, target, external)."""
    return (_XML + f'<Relationships xmlns="{_NS_PKG_R}">'
            + "".join(f'<Relationship Id="{i}" Type="{t}" Target="{_esc_attr(target)}"'
                      + (' TargetMode="External"' if ext else "") + "/>" for i, t, target, ext in rels)
            + "</Relationships>")


# ------------------------------------------------------------------ charts

_NS_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_NS_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
_EMU_PER_CM = 360000


def _absolute(sheet: str, ref: str) -> str:
    return _esc(quoted(sheet)) + "!" + _absolute_range(ref)


def _drawing_xml(chart: BarChart) -> str:
    col, row = chart.anchor
    cx, cy = (round(v * _EMU_PER_CM) for v in chart.size_cm)
    return (_XML + f'<xdr:wsDr xmlns:xdr="{_NS_XDR}" xmlns:a="{_NS_A}"><xdr:oneCellAnchor>'
            f"<xdr:from><xdr:col>{col}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{row}</xdr:row>"
            f'<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:ext cx="{cx}" cy="{cy}"/>'
            '<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="2" name="Chart 1"/>'
            "<xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>"
            '<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>'
            f'<a:graphic><a:graphicData uri="{_NS_C}"><c:chart xmlns:c="{_NS_C}" xmlns:r="{_NS_R}" r:id="rId1"/>'
            "</a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:oneCellAnchor></xdr:wsDr>")


def _chart_xml(sheet: str, chart: BarChart) -> str:
    def colour(rgb: str) -> str:
        return f'<a:solidFill><a:srgbClr val="{rgb}"/></a:solidFill>'

    series = "".join(
        f'<c:ser><c:idx val="{i}"/><c:order val="{i}"/>'
        f"<c:tx><c:strRef><c:f>{_absolute(sheet, name)}</c:f></c:strRef></c:tx>"
        f"<c:spPr>{colour(rgb)}<a:ln>{colour(rgb)}</a:ln></c:spPr><c:invertIfNegative val=\"0\"/>"
        f"<c:cat><c:strRef><c:f>{_absolute(sheet, chart.categories)}</c:f></c:strRef></c:cat>"
        f"<c:val><c:numRef><c:f>{_absolute(sheet, values)}</c:f></c:numRef></c:val></c:ser>"
        for i, (name, values, rgb) in enumerate(chart.series))
    axis = '<c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>'
    return (_XML + f'<c:chartSpace xmlns:c="{_NS_C}" xmlns:a="{_NS_A}" xmlns:r="{_NS_R}">'
            '<c:roundedCorners val="0"/><c:chart>'
            f"<c:title><c:tx><c:rich><a:bodyPr/><a:p><a:r><a:t>{_esc(chart.title)}</a:t></a:r></a:p></c:rich></c:tx>"
            '<c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/><c:plotArea><c:layout/>'
            f'<c:barChart><c:barDir val="col"/><c:grouping val="stacked"/><c:varyColors val="0"/>{series}'
            '<c:gapWidth val="150"/><c:overlap val="100"/><c:axId val="10"/><c:axId val="100"/></c:barChart>'
            f'<c:catAx><c:axId val="10"/>{axis}<c:axPos val="b"/><c:majorTickMark val="none"/>'
            '<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="100"/>'
            '<c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/>'
            '<c:noMultiLvlLbl val="0"/></c:catAx>'
            f'<c:valAx><c:axId val="100"/>{axis}<c:axPos val="l"/><c:majorGridlines/>'
            '<c:numFmt formatCode="General" sourceLinked="1"/><c:majorTickMark val="out"/>'
            '<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="10"/>'
            '<c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx></c:plotArea>'
            '<c:legend><c:legendPos val="r"/><c:overlay val="0"/></c:legend><c:plotVisOnly val="1"/>'
            '<c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>')


# ------------------------------------------------------------------ comments

def _comments_xml(comments: list[Comment]) -> str:
    authors = list(dict.fromkeys(c.author for c in comments))
    return (_XML + f'<comments xmlns="{_NS_MAIN}"><authors>'
            + "".join(f"<author>{_esc(a)}</author>" for a in authors) + "</authors><commentList>"
            + "".join(f'<comment ref="{c.ref}" authorId="{authors.index(c.author)}"><text>'
                      f'<t xml:space="preserve">{_esc(clean_text(c.text))}</t></text></comment>' for c in comments)
            + "</commentList></comments>")


def _vml_xml(comments: list[Comment], sheet_no: int) -> str:
    """The legacy drawing Excel needs to show comments: one hidden note shape per comment,
    anchored beside its cell (as Excel writes them)."""
    shapes = []
    for n, c in enumerate(comments, 1):
        col, row = cell_ref(c.ref)
        anchor = f"{col + 1}, 15, {max(row - 1, 0)}, 10, {col + 3}, 15, {max(row - 1, 0) + 4}, 4"
        shapes.append(
            f'<v:shape id="_x0000_s{sheet_no * 1024 + n}" type="#_x0000_t202" style="position:absolute;'
            'margin-left:59.25pt;margin-top:1.5pt;width:108pt;height:59.25pt;z-index:1;visibility:hidden" '
            'fillcolor="#ffffe1" o:insetmode="auto"><v:fill color2="#ffffe1"/>'
            '<v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>'
            '<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>'
            f'<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>{anchor}</x:Anchor>'
            f"<x:AutoFill>False</x:AutoFill><x:Row>{row}</x:Row><x:Column>{col}</x:Column></x:ClientData></v:shape>")
    return ('<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
            'xmlns:x="urn:schemas-microsoft-com:office:excel">'
            f'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{sheet_no}"/></o:shapelayout>'
            '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">'
            '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
            + "".join(shapes) + "</xml>")


# ------------------------------------------------------------------ the package

def _workbook_xml(sheets: list[Sheet]) -> str:
    entries, names = [], []
    for i, s in enumerate(sheets):
        state = ' state="hidden"' if s.hidden else ""
        entries.append(f'<sheet name="{_esc_attr(s.name)}" sheetId="{i + 1}"{state} r:id="rId{i + 1}"/>')
        q = _esc(quoted(s.name))
        if s.filter:
            names.append(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
                         f"{q}!{_absolute_range(s.filter)}</definedName>")
        if s.printing and s.printing.area:
            names.append(f'<definedName name="_xlnm.Print_Area" localSheetId="{i}">'
                         f"{q}!{_absolute_range(s.printing.area)}</definedName>")
        if s.printing and s.printing.title_rows:
            first, _, last = s.printing.title_rows.partition(":")
            names.append(f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
                         f"{q}!${first}:${last or first}</definedName>")
    active = next((i for i, s in enumerate(sheets) if not s.hidden), 0)
    return (_XML + f'<workbook xmlns="{_NS_MAIN}" xmlns:r="{_NS_R}">'
            f'<bookViews><workbookView activeTab="{active}"/></bookViews>'
            f'<sheets>{"".join(entries)}</sheets>'
            + (f'<definedNames>{"".join(names)}</definedNames>' if names else "")
            # no cached values are written: every client computes on opening
            + '<calcPr calcId="191029" fullCalcOnLoad="1"/></workbook>')


def _absolute_range(ref: str) -> str:
    return ":".join("$" + p.rstrip("0123456789") + "$" + p[len(p.rstrip("0123456789")):] for p in ref.split(":"))


def _content_types(sheets: int, charts: int, comments: int = 0, custom: bool = False) -> str:
    ct = "application/vnd.openxmlformats-officedocument."
    parts = ([("/xl/workbook.xml", ct + "spreadsheetml.sheet.main+xml"),
              ("/xl/styles.xml", ct + "spreadsheetml.styles+xml"),
              ("/xl/theme/theme1.xml", ct + "theme+xml"),
              ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
              ("/docProps/app.xml", ct + "extended-properties+xml")]
             + [(f"/xl/worksheets/sheet{i}.xml", ct + "spreadsheetml.worksheet+xml") for i in range(1, sheets + 1)]
             + [(f"/xl/drawings/drawing{i}.xml", ct + "drawing+xml") for i in range(1, charts + 1)]
             + [(f"/xl/charts/chart{i}.xml", ct + "drawingml.chart+xml") for i in range(1, charts + 1)]
             + [(f"/xl/comments{i}.xml", ct + "spreadsheetml.comments+xml") for i in range(1, comments + 1)]
             + ([("/docProps/custom.xml", ct + "custom-properties+xml")] if custom else []))
    return (_XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            + (f'<Default Extension="vml" ContentType="{ct}vmlDrawing"/>' if comments else "")
            + "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in parts) + "</Types>")


def _core_xml(created: dt.datetime) -> str:
    when = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (_XML + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
            'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>xltools</dc:creator>'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified></cp:coreProperties>')


APPLICATION = "<Application>xltools</Application>"   # in docProps/app.xml: a package we wrote


def _custom_xml(properties: dict[str, str]) -> str:
    return (_XML + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            + "".join(f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{n}" name="{_esc_attr(k)}">'
                      f"<vt:lpwstr>{_esc(v)}</vt:lpwstr></property>" for n, (k, v) in enumerate(properties.items(), 2))
            + "</Properties>")


_APP_XML = (_XML + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            f"{APPLICATION}</Properties>")


def _theme_xml() -> str:
    """The Office theme, as small as the schema allows: Excel expects a workbook to have
    one (colours and fonts a client falls back on; our cells name their own)."""
    colours = "".join(f'<a:{name}><a:srgbClr val="{rgb}"/></a:{name}>' for name, rgb in (
        ("dk1", "000000"), ("lt1", "FFFFFF"), ("dk2", "44546A"), ("lt2", "E7E6E6"), ("accent1", "4472C4"),
        ("accent2", "ED7D31"), ("accent3", "A5A5A5"), ("accent4", "FFC000"), ("accent5", "5B9BD5"),
        ("accent6", "70AD47"), ("hlink", "0563C1"), ("folHlink", "954F72")))
    font = '<a:latin typeface="{0}"/><a:ea typeface=""/><a:cs typeface=""/>'
    solid = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
    line = f'<a:ln w="6350">{solid}</a:ln>'
    return (_XML + f'<a:theme xmlns:a="{_NS_A}" name="Office Theme"><a:themeElements>'
            f'<a:clrScheme name="Office">{colours}</a:clrScheme>'
            f'<a:fontScheme name="Office"><a:majorFont>{font.format("Calibri Light")}</a:majorFont>'
            f'<a:minorFont>{font.format("Calibri")}</a:minorFont></a:fontScheme>'
            f'<a:fmtScheme name="Office"><a:fillStyleLst>{solid * 3}</a:fillStyleLst>'
            f'<a:lnStyleLst>{line * 3}</a:lnStyleLst>'
            f'<a:effectStyleLst>{"<a:effectStyle><a:effectLst/></a:effectStyle>" * 3}</a:effectStyleLst>'
            f'<a:bgFillStyleLst>{solid * 3}</a:bgFillStyleLst></a:fmtScheme></a:themeElements></a:theme>')


def write_workbook(target: str | Path, sheets: list[Sheet], properties: dict[str, str] | None = None) -> None:
    """Write the package of `sheets` to `target`, rows streamed; `properties`: the
    document's custom properties (name → text), if any."""
    styles = _Styles()
    try:
        _write(target, sheets, styles, properties or {})
    finally:  # the cached cells live for one write, not for the life of Excel's Python
        for cached in (_text_cell, _cell_lines):
            cached.cache_clear()
        clear_caches()


def _write(target: str | Path, sheets: list[Sheet], styles: _Styles, properties: dict[str, str]) -> None:
    # Level 3: half the time of zlib's default for a file about a tenth larger.
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=3) as out:
        out.writestr("[Content_Types].xml", _content_types(len(sheets), sum(1 for s in sheets if s.chart),
                                                           sum(1 for s in sheets if s.comments), bool(properties)))
        out.writestr("_rels/.rels", _rels([
            ("rId1", _NS_R + "/officeDocument", "xl/workbook.xml", False),
            ("rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
             "docProps/core.xml", False),
            ("rId3", _NS_R + "/extended-properties", "docProps/app.xml", False)]
            + ([("rId4", _NS_R + "/custom-properties", "docProps/custom.xml", False)] if properties else [])))
        out.writestr("docProps/core.xml", _core_xml(dt.datetime.now(dt.timezone.utc)))
        out.writestr("docProps/app.xml", _APP_XML)
        if properties:
            out.writestr("docProps/custom.xml", _custom_xml(properties))
        out.writestr("xl/workbook.xml", _workbook_xml(sheets))
        out.writestr("xl/_rels/workbook.xml.rels", _rels(
            [(f"rId{i}", _NS_R + "/worksheet", f"worksheets/sheet{i}.xml", False) for i in range(1, len(sheets) + 1)]
            + [(f"rId{len(sheets) + 1}", _NS_R + "/styles", "styles.xml", False),
               (f"rId{len(sheets) + 2}", _NS_R + "/theme", "theme/theme1.xml", False)]))
        out.writestr("xl/theme/theme1.xml", _theme_xml())
        charts = notes = 0
        for i, sheet in enumerate(sheets, start=1):
            links = _sheet_links(sheet)
            drawing = None
            if sheet.chart:
                charts += 1
                drawing = f"../drawings/drawing{charts}.xml"
                out.writestr(f"xl/drawings/drawing{charts}.xml", _drawing_xml(sheet.chart))
                out.writestr(f"xl/drawings/_rels/drawing{charts}.xml.rels",
                             _rels([("rId1", _REL_CHART, f"../charts/chart{charts}.xml", False)]))
                out.writestr(f"xl/charts/chart{charts}.xml", _chart_xml(sheet.name, sheet.chart))
            head, rows, tail = _worksheet_parts(sheet, styles, i == 1, links, drawing)
            _stream(out, f"xl/worksheets/sheet{i}.xml", head, rows, tail)
            rels = [(f"rId{n}", _REL_HYPERLINK, target, True) for n, (_, target) in enumerate(links, 1)]
            if drawing:
                rels.append((f"rId{len(links) + 1}", _REL_DRAWING, drawing, False))
            if sheet.comments:
                notes += 1
                out.writestr(f"xl/comments{notes}.xml", _comments_xml(sheet.comments))
                out.writestr(f"xl/drawings/vmlDrawing{notes}.vml", _vml_xml(sheet.comments, notes))
                rels += [(f"rId{len(rels) + 1}", _REL_VML, f"../drawings/vmlDrawing{notes}.vml", False),
                         (f"rId{len(rels) + 2}", _REL_COMMENTS, f"../comments{notes}.xml", False)]
            if rels:
                out.writestr(f"xl/worksheets/_rels/sheet{i}.xml.rels", _rels(rels))
        out.writestr("xl/styles.xml", styles.xml())   # last: the sheets' looks and rules are all known
