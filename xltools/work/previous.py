"""The previous master: what people typed into it, read back before a re-merge so that
nothing they added is lost (extra columns, 状态/进展情况 typed in the master)."""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xltools import schema
from xltools.read.limits import sheet_names_if, worksheet_parts
from xltools.write.cells import clean_text
from xltools.texts import t as _t
from xltools.model import ExtraColumn, OtherSheet, source_names
from xltools.write.master import CARRIED_FORMATS, OUR_SHEETS, SHEET_ISSUES, SHEET_LOG, SHEET_MASTER, MasterError
from xltools.write.xlsx import APPLICATION, KeptRule, KeptValidation, cell_ref, quoted_xml

@dataclass(slots=True)
class PreviousRow:
    key: str | None
    values: dict[str, Any]                  # our column key → value as read (`plain`), blanks left out
    extra: dict[int, Any]                   # PreviousMaster.extra_columns index → value, blanks left out
    row: int = 0                            # its row in 汇总 (1-based)


@dataclass
class Note:
    """A comment (批注) on a cell of the previous master: text a person typed."""
    sheet: str
    row: int                                # 1-based
    col: int                                # 0-based
    author: str
    text: str


@dataclass
class Additions:
    """What the office added around the data of the previous master in Excel/WPS:
    comments, 汇总's frozen pane, conditional formats and validations, and what a merge
    cannot carry (pictures, charts), counted so that it can be named."""
    notes: list[Note] = field(default_factory=list)
    freeze: str | None = None               # 汇总's frozen pane: its first scrolling cell
    rules: list[tuple[str, list[KeptRule]]] = field(default_factory=list)     # 汇总: (sqref, rules)
    validations: list[KeptValidation] = field(default_factory=list)           # 汇总, over their old sqref
    pictures: dict[str, int] = field(default_factory=dict)    # sheet → pictures (and shapes) on it
    charts: dict[str, int] = field(default_factory=dict)      # sheet → charts on it (a chart sheet: itself)
    other_rules: int = 0                    # 汇总's conditional formats in Excel's extensions (not copied)
    other_lists: int = 0                    # 汇总's validations in Excel's extensions (not copied)
    unread: str | None = None               # the file's extras could not be read: why


@dataclass
class PreviousMaster:
    path: Path
    merged_at: str | None
    columns: set[str]                       # our columns it has (people may delete one)
    extra_columns: list[ExtraColumn]
    rows: list[PreviousRow]
    sheets: list[OtherSheet] = field(default_factory=list)  # sheets that are not ours
    places: dict[int, str | int] = field(default_factory=dict)   # 汇总 column (0-based) → our key or extras index
    additions: Additions = field(default_factory=Additions)


def plain(v: Any) -> Any:
    """A cell value as a comparison and a rewrite should see it: blank is None, whole
    numbers are int (a reader gives 3.0 for 3), text as the writer would store it."""
    if v is None:
        return None
    if v.__class__ is str:
        if not v.strip():
            return None
        return clean_text(v)
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        return int(v)
    return v


_MERGED_AT = {_t("h-merged-at", lang) for lang in ("zh", "en")}
# Texts that repeat down 汇总 (district, task levels, units …): one string object each.
_UNIQUE = ("requirement", "key", "progress")


def _open_existing(path: Path):
    import python_calamine as pc

    try:
        return pc.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several unrelated types for a bad file
        reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise MasterError("output-unreadable", file=str(path), reason=reason) from None


def _our_columns(header: list) -> dict[str, int]:
    """Our column key → its index in a 汇总 header row (first occurrence)."""
    ours = {schema.normalize_header(c.zh): c.key for c in schema.MASTER_COLUMNS}
    at: dict[str, int] = {}
    for c, text in enumerate(header):
        key = ours.get(schema.normalize_header(text)) if isinstance(text, str) else None
        if key and key not in at:
            at[key] = c
    return at


def header_moved_down(rows: list[list]) -> int | None:
    """The row (1-based) of a 汇总 header with its 任务编号 column among the sheet's first
    rows when it is not the first: people insert a title row above it.  None otherwise."""
    return next((r for r, row in enumerate(rows[1:HEADER_SEARCH], 2) if "key" in _our_columns(list(row))), None)


HEADER_SEARCH = 10      # rows of 汇总 looked at for a header moved down


def looks_like_master(path: str | Path) -> bool:
    """Is this an xltools master (its sheets 汇总 and 合并记录 or 问题清单, and a 任务编号
    column in 汇总)?  Read from the zip directory and 汇总's first row only."""
    names = sheet_names_if(path, SHEET_MASTER)
    if not names & {SHEET_LOG, SHEET_ISSUES}:
        return False
    try:
        from openpyxl import load_workbook   # only for a master: a merge's process need not import it
        wb = load_workbook(path, read_only=True)
        try:
            header = next(wb[SHEET_MASTER].iter_rows(max_row=1, values_only=True), ())
        finally:
            wb.close()
    except Exception:  # unreadable: not for us to say; the reader reports it
        return False
    return "key" in _our_columns(list(header))


def check_previous(path: str | Path) -> None:
    """Raise MasterError when `path` exists but is not a master a merge may replace.
    Quick: the small 合并记录 sheet says so; only without it is 汇总's header read."""
    path = Path(path)
    if not path.exists():
        return
    wb = _open_existing(path)
    try:
        if SHEET_MASTER not in wb.sheet_names:
            raise MasterError("output-not-master", file=str(path))
        if SHEET_LOG in wb.sheet_names:
            first = wb.get_sheet_by_name(SHEET_LOG).to_python(skip_empty_area=False, nrows=1)
            if first and first[0] and str(first[0][0]).strip() in _MERGED_AT:
                return
        top = wb.get_sheet_by_name(SHEET_MASTER).to_python(skip_empty_area=False, nrows=HEADER_SEARCH)
        if "key" not in _our_columns(top[0] if top else []):
            _not_master(path, top)
    finally:
        wb.close()


def _not_master(path: Path, top: list[list]) -> None:
    row = header_moved_down(top)
    if row is not None:
        raise MasterError("output-master-header-moved", file=str(path), row=row)
    raise MasterError("output-not-master", file=str(path))


def read_previous(path: str | Path) -> PreviousMaster | None:
    """The master an earlier merge wrote at `path`: its 汇总 rows with their task keys,
    the columns people added, and when it was merged.  None when there is no file;
    MasterError when the file is there but is not a master (it must not be overwritten).
    Rows are read one at a time and repeated texts shared: a 3 000-file master has
    nearly 200 000 rows."""
    path = Path(path)
    if not path.exists():
        return None
    wb = _open_existing(path)
    try:
        if SHEET_MASTER not in wb.sheet_names:
            raise MasterError("output-not-master", file=str(path))
        merged_at, sheets = _merged_at(wb), _other_sheets(wb, path)
        paths = logged_sources(wb.get_sheet_by_name(SHEET_LOG).to_python(skip_empty_area=False)
                               if SHEET_LOG in wb.sheet_names else [])
        sheet = wb.get_sheet_by_name(SHEET_MASTER)
        pad = [""] * sheet.start[1]          # calamine starts each row at the first used column
        rows_in = sheet.iter_rows()
        header = pad + list(next(rows_in, []))
        at = _our_columns(header)
        if "key" not in at:
            _not_master(path, [header, *(pad + list(r) for _, r in zip(range(HEADER_SEARCH), rows_in))])
        candidates = _extra_candidates(header, at)
        rows, used = _rows(rows_in, pad, at, candidates, sheet.start[0] + 2)
    finally:
        wb.close()
    for row in rows:                         # 来源文件 as the merge knows it: the path
        source = row.values.get("source_file")
        if source in paths:
            row.values["source_file"] = paths[source]
    extras = _keep_used(candidates, rows, used)
    widths, hidden = _column_widths(path, SHEET_MASTER), hidden_columns(path, SHEET_MASTER)
    for c, e in extras:
        e.width, e.hidden = widths.get(c + 1), c + 1 in hidden
    places: dict[int, str | int] = {c: k for k, c in at.items()}
    places.update({c: i for i, (c, _) in enumerate(extras)})
    return PreviousMaster(path, merged_at, set(at) - {"key"}, [e for _, e in extras], rows, sheets, places,
                          read_additions(path))


_FILE_HEADS = {_t("h-file", lang) for lang in ("zh", "en")}


def logged_sources(log_rows: list[list]) -> dict[str, str]:
    """来源文件's names → the paths of the source files (model.source_names), from the rows
    of a master's 合并记录, whose file column lists every file of the merge by its path.
    A master written when 来源文件 held paths maps nothing: its values are the paths."""
    paths: list[str] = []
    listing = False
    for row in log_rows:
        first = str(row[0]).strip() if row and row[0] is not None else ""
        if listing:
            if not first:
                break                    # the list ends; what follows is no file
            paths.append(first)
        elif first in _FILE_HEADS:
            listing = True
    return {name: path for path, name in source_names(paths).items()}


def _merged_at(wb) -> str | None:
    """When the previous merge ran, from the top of its 合并记录."""
    if SHEET_LOG in wb.sheet_names:
        for row in wb.get_sheet_by_name(SHEET_LOG).to_python(skip_empty_area=False, nrows=10):
            if row and str(row[0]).strip() in _MERGED_AT and len(row) > 1:
                return str(plain(row[1]) or "") or None
    return None


def _other_sheets(wb, path: Path) -> list[OtherSheet]:
    """Sheets people added to the master, kept as values with their column widths."""
    sheets = []
    for meta in wb.sheets_metadata:
        if meta.name in OUR_SHEETS or str(meta.typ).endswith("ChartSheet"):
            continue
        grid = [[plain(v) for v in row] for row in wb.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)]
        while grid and all(v is None for v in grid[-1]):
            grid.pop()
        sheets.append(OtherSheet(meta.name, grid, _column_widths(path, meta.name),
                                 not str(meta.visible).endswith(".Visible")))
    return sheets


def _extra_candidates(header: list, at: dict[str, int]) -> list[tuple[int, ExtraColumn]]:
    """Columns that are not ours, each after the one of ours it follows."""
    candidates: list[tuple[int, ExtraColumn]] = []
    key_at, after = {c: k for k, c in at.items()}, None
    for c, text in enumerate(header):
        if c in key_at:
            after = key_at[c]
        else:
            candidates.append((c, ExtraColumn(plain(text), after)))
    return candidates


def _rows(rows_in, pad: list, at: dict[str, int], candidates, first: int) -> tuple[list[PreviousRow], set[int]]:
    """The 汇总 rows (the first is row `first` of the sheet), and which candidate columns hold any value."""
    shared: dict[str, str] = {}
    used: set[int] = set()
    rows: list[PreviousRow] = []
    ours = [(k, c, k not in _UNIQUE) for k, c in at.items()]
    for number, raw in enumerate(rows_in, first):
        row = pad + list(raw) if pad else raw
        width = len(row)
        values = {}
        for k, c, share in ours:
            if c < width and (v := plain(row[c])) is not None:
                values[k] = shared.setdefault(v, v) if share and v.__class__ is str else v
        extra = {}
        for i, (c, _) in enumerate(candidates):
            if c < width and (v := plain(row[c])) is not None:
                extra[i] = shared.setdefault(v, v) if v.__class__ is str and len(v) < 40 else v
        if not values and not extra:
            continue  # a formatted but empty row
        used.update(extra)
        key = values.pop("key", None)
        rows.append(PreviousRow(str(key) if key is not None else None, values, extra, number))
    return rows, used


def _keep_used(candidates, rows: list[PreviousRow], used: set[int]) -> list[tuple[int, ExtraColumn]]:
    """Extra columns with a header or a value; the rows' references renumbered to match."""
    kept = [i for i, (_, e) in enumerate(candidates) if e.header is not None or i in used]
    if len(kept) != len(candidates):
        renumber = {old: new for new, old in enumerate(kept)}
        for r in rows:
            if r.extra:
                r.extra = {renumber[i]: v for i, v in r.extra.items()}
    return [candidates[i] for i in kept]


_COL_ELEMENT = re.compile(r"<(?:\w+:)?col\b([^>]*)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


def _column_widths(path: Path, sheet: str) -> dict[int, float]:
    """Column widths (1-based column → width) of a sheet, from its <cols>; {} when the
    file does not say (widths are cosmetic: never a reason to fail)."""
    try:
        return {c: round(float(attrs["width"]), 2) for c, attrs in _col_attributes(path, sheet).items()
                if "width" in attrs}
    except Exception:
        return {}


def hidden_columns(path: Path, sheet: str) -> set[int]:
    """The 1-based columns a sheet hides (<col hidden="1">, or width 0), from its <cols>
    only: the rows of a 100k-row master are not read."""
    try:
        cols = _col_attributes(path, sheet)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError):     # not a package: nothing hidden by columns
        return set()
    return {c for c, attrs in cols.items() if attrs.get("hidden") in ("1", "true") or _number(attrs.get("width")) == 0}


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def _col_attributes(path: Path, sheet: str) -> dict[int, dict[str, str]]:
    """1-based column → the attributes of the <col> element that covers it; {} when the
    sheet has none.  Only the part's head, before <sheetData>, is read."""
    with zipfile.ZipFile(path) as zf:
        part = worksheet_parts(zf).get(sheet)
        if part is None:
            return {}
        head = b""
        with zf.open(part) as fh:
            while b"<sheetData" not in head and len(head) < 1 << 20:
                block = fh.read(1 << 14)
                if not block:
                    break
                head += block
    out = {}
    for m in _COL_ELEMENT.finditer(head.decode("utf-8", "replace").split("<sheetData")[0]):
        attrs = dict(_ATTR.findall(m.group(1)))
        for c in range(int(attrs["min"]), min(int(attrs["max"]), 16384) + 1):
            out[c] = attrs
    return out


# ------------------------------------------------------------------ what the office added around the data

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_PIECES = re.compile(rb"<(?:\w+:)?sheetData\b[^>]*?(/?)>")
_END_ROWS = re.compile(rb"</(?:\w+:)?sheetData>")
_ROOT = re.compile(rb"<([\w:]+)[\s>]")
_PLACE = ("from", "to", "pos", "ext", "clientData")     # an anchor's place, not what it holds


def read_additions(path: Path) -> Additions:
    """Comments on every sheet, and on 汇总 its frozen pane, conditional formats and
    validations; pictures and charts counted.  Comments and drawings are found from each
    sheet's relationships (nothing to read when there are none); 汇总's XML after its
    rows is read by streaming past them (no cell is parsed), only when someone else saved
    the file or an earlier merge carried such formats (a master only merged is not read
    again: its rows are most of its bytes).  A package that cannot be read so is not a
    reason to stop: `unread` says why, and the merge names it."""
    from defusedxml import ElementTree

    add = Additions()
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            parts = worksheet_parts(zf)
            for sheet, part in parts.items():
                if "/chartsheets/" in part:
                    add.charts[sheet] = add.charts.get(sheet, 0) + 1     # a chart sheet: a chart itself
                    continue
                rels = _part_rels(zf, part, names)
                for target in rels.get("comments", []):
                    add.notes += _comments(ElementTree.fromstring(zf.read(target)), sheet)
                for target in rels.get("drawing", []):
                    # each anchor holds one thing: a chart (graphicFrame), else a picture or shape
                    things = [next((_local(e.tag) for e in anchor if _local(e.tag) not in _PLACE), "")
                              for anchor in ElementTree.fromstring(zf.read(target))]
                    charts = things.count("graphicFrame")
                    pictures = len(things) - charts
                    if pictures:
                        add.pictures[sheet] = add.pictures.get(sheet, 0) + pictures
                    if charts:
                        add.charts[sheet] = add.charts.get(sheet, 0) + charts
            if SHEET_MASTER in parts and parts[SHEET_MASTER] in names:
                root = ElementTree.fromstring(_without_rows(zf, parts[SHEET_MASTER], _formats_possible(zf, names)))
                add.freeze = _frozen(root)
                dxfs = _dxfs(zf, names) if root.find(f"{_MAIN}conditionalFormatting") is not None else []
                add.rules = [(cf.get("sqref", ""), [_kept_rule(r, dxfs) for r in cf.findall(f"{_MAIN}cfRule")])
                             for cf in root.iter(f"{_MAIN}conditionalFormatting")]
                add.validations = [_kept_validation(v) for v in root.iter(f"{_MAIN}dataValidation")]
                # Excel's extensions (a list from another sheet, data bars of 2010): counted, not copied
                extended = [_local(e.tag) for e in root.iter() if not e.tag.startswith(_MAIN)]
                add.other_rules, add.other_lists = extended.count("cfRule"), extended.count("dataValidation")
    except Exception as exc:  # a package we cannot follow: named, never silently dropped
        add.unread = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
    return add


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _part_rels(zf: zipfile.ZipFile, part: str, names: set[str]) -> dict[str, list[str]]:
    """A part's relationships: kind (comments, drawing …) → the parts they point to."""
    from defusedxml import ElementTree

    folder, _, name = part.rpartition("/")
    rels_part = f"{folder}/_rels/{name}.rels"
    if rels_part not in names:
        return {}
    out: dict[str, list[str]] = {}
    for rel in ElementTree.fromstring(zf.read(rels_part)):
        target = rel.get("Target") or ""
        if rel.get("TargetMode") == "External":
            continue
        path = target.lstrip("/") if target.startswith("/") else _join(folder, target)
        if path in names:
            out.setdefault(rel.get("Type", "").rpartition("/")[2], []).append(path)
    return out


def _join(folder: str, target: str) -> str:
    parts = folder.split("/")
    for piece in target.split("/"):
        if piece == "..":
            parts.pop()
        elif piece not in (".", ""):
            parts.append(piece)
    return "/".join(parts)


def _comments(root, sheet: str) -> list[Note]:
    authors = [a.text or "" for a in root.iter(f"{_MAIN}author")]
    out = []
    for c in root.iter(f"{_MAIN}comment"):
        col, row = cell_ref(c.get("ref", "A1"))
        text = "".join(t.text or "" for t in c.iter(f"{_MAIN}t"))
        n = int(c.get("authorId") or 0)
        out.append(Note(sheet, row + 1, col, authors[n] if n < len(authors) else "", text))
    return out


def _formats_possible(zf: zipfile.ZipFile, names: set[str]) -> bool:
    """Can 汇总 hold conditional formats or lists people made?  Not in a package we wrote
    without carrying any."""
    ours = "docProps/app.xml" in names and APPLICATION.encode() in zf.read("docProps/app.xml")
    return not ours or "docProps/custom.xml" in names and CARRIED_FORMATS.encode() in zf.read("docProps/custom.xml")


def _without_rows(zf: zipfile.ZipFile, part: str, tail: bool = True) -> bytes:
    """A worksheet's XML with its sheetData left out, streamed: the rows are never held.
    Without `tail`, only what comes before the rows (its panes, its columns)."""
    head, found = b"", None
    with zf.open(part) as fh:
        while found is None:
            block = fh.read(1 << 16)
            if not block:
                raise ValueError(f"{part}: no sheetData")
            head += block
            found = _PIECES.search(head)
        start, rest = head[:found.start()], head[found.end():]
        if not tail:                         # closed where the rows began
            return start + b"</" + _ROOT.search(start).group(1) + b">"
        if found.group(1):                   # <sheetData/>
            return start + rest + fh.read()
        carry = rest
        while True:
            at = carry.find(b"sheetData>")   # bytes.find over the rows: a pattern only where it is
            end = _END_ROWS.search(carry, max(at - 16, 0)) if at >= 0 else None
            if end is not None:
                return start + carry[end.end():] + fh.read()
            block = fh.read(1 << 20)
            if not block:
                raise ValueError(f"{part}: sheetData not closed")
            carry = carry[-64:] + block


def _frozen(root) -> str | None:
    from xltools.model import a1

    pane = root.find(f"{_MAIN}sheetViews/{_MAIN}sheetView/{_MAIN}pane")
    if pane is None or pane.get("state") not in ("frozen", "frozenSplit"):
        return None
    cols, rows = int(float(pane.get("xSplit") or 0)), int(float(pane.get("ySplit") or 0))
    return pane.get("topLeftCell") or a1(rows, cols)


def _dxfs(zf: zipfile.ZipFile, names: set[str]) -> list[str]:
    from defusedxml import ElementTree

    if "xl/styles.xml" not in names:
        return []
    return [_xml(d) for d in ElementTree.fromstring(zf.read("xl/styles.xml")).iter(f"{_MAIN}dxf")]


def _xml(e) -> str:
    """An element of the main namespace as XML without prefixes (what the writer writes);
    content of other namespaces (extensions) is left out."""
    tag = _local(e.tag)
    attrs = "".join(f' {k}="{quoted_xml(v)}"' for k, v in e.attrib.items() if "}" not in k)
    inner = quoted_xml(e.text or "", attribute=False) + "".join(
        _xml(c) + quoted_xml(c.tail or "", attribute=False) for c in e if c.tag.startswith(_MAIN))
    return f"<{tag}{attrs}>{inner}</{tag}>" if inner else f"<{tag}{attrs}/>"


def _kept_rule(rule, dxfs: list[str]) -> KeptRule:
    attrs = tuple((k, v) for k, v in rule.attrib.items() if "}" not in k and k not in ("dxfId", "priority"))
    dxf = rule.get("dxfId")
    formulas = tuple(f.text or "" for f in rule.findall(f"{_MAIN}formula"))
    inner = "".join(_xml(c) for c in rule if c.tag.startswith(_MAIN) and _local(c.tag) != "formula")
    return KeptRule(attrs, formulas, inner, dxfs[int(dxf)] if dxf is not None and int(dxf) < len(dxfs) else None)


def _kept_validation(v) -> KeptValidation:
    attrs = tuple((k, val) for k, val in v.attrib.items() if "}" not in k and k != "sqref")
    formulas = tuple(v.findtext(f"{_MAIN}formula{n}") or "" for n in (1, 2) if v.find(f"{_MAIN}formula{n}") is not None)
    return KeptValidation(v.get("sqref", ""), attrs, formulas)
