"""The table parser: a grid with a header row becomes a `TaskSheet`, however messy.

One pass over one neutral grid: find the header by meaning, skip title rows above and
footers below, skip header rows repeated at page breaks, join rows split by a page
break, fill merged cells, carry the task levels down.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from xltools import schema
from xltools.read.columns import ColumnSpec, choose_columns, column_doubts, read_elsewhere
from xltools.read.context import PlanContext, context_from_lines, issued_in, states_issue
from xltools.findings import Finding, task_named
from xltools.read.grid import Grid
from xltools.read.numfmt import date_shown
from xltools.rules.deadlines import deadline_start, excel_serial_date
from xltools.rules.numbering import ARABIC, CN_PAREN, Label, heading_label, label, leading_label
from xltools.rules.units import join_cut_cell
from xltools.model import ParsedTask, TaskSheet, a1, col_letter

HEADER_SCAN_ROWS = 60
HEADER_BLOCK = 3   # a header is 1–3 rows: group headers (责任分工, 责任单位) merged over their columns
_SECTION = re.compile(r"^[一二三四五六七八九十百]+\s*[、.．]")
_SUBSECTION = re.compile(r"^[（(]\s*[一二三四五六七八九十百]+\s*[)）]")
_FOOTER = re.compile(r"^(抄送|主送|印发|分送|[（(]此页无正文[)）]|注\s*[:：]|说明\s*[:：]|填表人|制表人|填报人|"
                     r"联系人|审核人|审核：|填报单位|联系电话)")
# a task's number at the start of its text: 1. 1、 （1） 1） ① (not 1.5万, not 2024年)
# the line a Word table carries above its header repeated on the next page
_CONTINUED = re.compile(r"^[（(]?\s*续\s*上?\s*表\s*\d*\s*[)）]?$")
_TOTAL = re.compile(r"^(合\s*计|小\s*计|总\s*计|共\s*计)")
_BETWEEN = " \t\n\u3000；;，,、：:"   # what may stand between the units and the deadline in one cell
_SENTENCE_END = ("。", "；", ";", "！", "!", "？", "?", "”", "）", ")", "》")
TEXT_KEYS = ("section", "subsection", "requirement", "units", "lead", "support", "deadline", "due", "status",
             "progress", "done_date", "key", "district", "leader")
_UNIT_KEYS = ("units", "lead", "support")
DATE_KEYS = ("deadline", "due", "done_date")  # keep real Excel dates as dates
_MASTER_HEADERS = frozenset(h for c in schema.MASTER_COLUMNS for h in (c.zh, c.en))
# a combined sheet's columns that say whose row it is, besides 区县 (a master's 来源文件, 来源工作表)
_ORIGIN_HEADERS = frozenset(h for c in (schema.SOURCE_FILE, schema.SOURCE_SHEET) for h in (c.zh, c.en))
EXAMPLE_MARKS = ("示例", "例", "样例", "填写示例")  # a template's example rows, not tasks


def parse_table(grid: Grid, given: PlanContext = PlanContext(),
                fallback: PlanContext = PlanContext(), spec: ColumnSpec | None = None) -> TaskSheet | None:
    """The task table in one grid, unfinished (see `finish`), or None without a header.
    `spec`: a clerk's column map (--columns, 列对应.json), over the reader's own."""
    filled = grid.filled()
    header = _find_header(filled, spec)
    if header is None:
        return None
    h, columns, data_start = header
    columns, column_map = choose_columns(filled[h:data_start], columns, spec, filled[data_start:])
    titles = [str(v) for row in filled[:h] for v in row if v not in (None, "")]
    # The sheet's own titles first, then its name (a workbook may hold one sheet per
    # district), then the rest of the workbook and the file name.
    ctx = given.overlay(context_from_lines(titles)).overlay(context_from_lines([grid.sheet])).overlay(fallback)
    sheet = TaskSheet(grid.source, grid.sheet, ctx.district, ctx.year, None, header_row=h + 1,
                      columns={k: col_letter(c) for k, c in columns.items()}, column_map=column_map,
                      columns_given=spec.source if spec is not None and any(
                          c.reason == "given" for c in column_map) else None)
    sheet.findings.extend(ctx.findings(grid.source, grid.sheet))
    parser = _TableParser(grid, filled, columns, sheet, filled[h:data_start], spec)
    parser.run(data_start)
    _dates_as_shown(grid, columns.get("deadline"), sheet.parsed)
    sheet.findings.extend(column_doubts(sheet, filled, filled[h:data_start], columns, bool(grid.merges)))
    # the issue date: from the lines around the table (its titles, then its footer: 2024年6月25日印发),
    # else the workbook's notice; never from a task's cell
    sheet.issued = issued_in(grid.rows[:h]) or issued_in(parser.below()) or given.issued or fallback.issued
    return sheet


def _dates_as_shown(grid: Grid, c: int | None, tasks: list[ParsedTask]) -> None:
    """Each date cell of the deadline column as the sheet shows it (2026年11月30日 for
    yyyy"年"m"月"d"日): the district's wording, which the master keeps.  Number formats are
    read only for these cells (a second reader: calamine gives values only)."""
    dated = [p for p in tasks if isinstance(p.deadline_cell, dt.date)]
    if c is None or grid.formats is None or not dated:
        return
    where = {}      # task → the cell that holds its date (the top-left of a merged range)
    for p in dated:
        m = grid.merge_at(p.row - 1, c)
        where[id(p)] = (m[0], m[1]) if m else (p.row - 1, c)
    codes: dict[tuple[int, int], str] = {}
    for col in {cell[1] for cell in where.values()}:
        rows = sorted({r for r, cc in where.values() if cc == col})
        codes.update(((r, col), code) for r, code in grid.formats(col, rows).items())
    for p in dated:
        code = codes.get(where[id(p)])
        p.deadline_shown = date_shown(p.deadline_cell, code)
        p.deadline_format = code if p.deadline_shown else None


# ---------------------------------------------------------------- header

def _roles(row: list[Any], spec: ColumnSpec | None = None) -> dict[int, tuple[str, ...]]:
    """The column keys each header-like cell of a row means (two for 责任单位及完成时限)."""
    roles = {c: keys for c, v in enumerate(row) if isinstance(v, str) and (keys := schema.columns_for_header(v))}
    return roles if spec is None else spec.roles(row, roles)


def _is_header(roles: dict[int, tuple[str, ...]], least: int = 3) -> bool:
    """A task text and a unit or deadline column, and `least` meanings in all (two when the
    clerk named columns: a two-column table is theirs to say)."""
    keys = {k for ks in roles.values() for k in ks}
    has_task = bool(keys & {"section", "subsection", "requirement"})
    has_tracking = bool(keys & {"units", "lead", "support", "deadline"})
    return len(keys) >= least and has_task and has_tracking


def _find_header(filled: list[list[Any]], spec: ColumnSpec | None = None) -> tuple[int, dict[str, int], int] | None:
    """The header's first row, its columns and the first data row.  A header may take up
    to three rows, a group header over its parts (责任分工 over 责任单位 over 牵头单位 |
    配合单位; 工作任务 over 一级 | 二级): read together, the lowest word of a column wins.
    In a csv nothing is merged, so no single row of such a header holds every meaning."""
    for r, row in enumerate(filled[:HEADER_SCAN_ROWS]):
        roles = _roles(row, spec)
        # a header row holds at least two headers (a title holds none or one, though merged
        # across the table it fills every column: 2025年重点工作任务分工 is one text)
        if len(roles) < 2 or len({row[c] for c in roles}) < 2:
            continue
        block, end = dict(roles), r + 1
        while end < len(filled) and end - r < HEADER_BLOCK and (sub := _under_header(filled[end], spec)):
            block.update(sub)
            end += 1
        if _is_header(block, 3 if spec is None else 2):
            return r, _assign_columns(block), end
    return None


def holds_table(grid: Grid) -> bool:
    """Does the grid hold a task table (a header among its first rows)?"""
    top = Grid(grid.source, grid.sheet, grid.rows[:HEADER_SCAN_ROWS + HEADER_BLOCK], grid.merges)
    return _find_header(top.filled()) is not None


def near_header(grid: Grid) -> dict | None:
    """Where no header was found: the row that comes closest (two or more header texts,
    at least one of them known), what it was read as, what it lacks, and a --columns item
    for each field it lacks, naming a column whose header was not known and whose cells
    look like that field (else the first such column).  For the message that refuses the
    file: it shows the clerk the sheet's own words.  None when no row comes close."""
    from xltools.read.columns import _deadline_like, _long_text, _unit_like
    filled = grid.filled()
    best = None
    for r, row in enumerate(filled[:HEADER_SCAN_ROWS]):
        texts = {c: v.strip() for c, v in enumerate(row) if isinstance(v, str) and v.strip() and len(v.strip()) <= 16}
        if len(set(texts.values())) < 2:
            continue
        roles = _roles(row)
        if roles and (best is None or len(roles) > len(best[1])):
            best = (r, roles, texts)
    if best is None:
        return None
    r, roles, texts = best
    keys = {k for ks in roles.values() for k in ks}
    unknown = {c: v for c, v in texts.items() if c not in roles and label(v) is None}
    unknown = {c: v for c, v in unknown.items() if v not in list(unknown.values())[:list(unknown).index(c)]}
    wanted, missing = [], []     # (field, what its cells look like); what the header lacks, as said
    if not keys & {"section", "subsection", "requirement"}:
        wanted.append(("requirement", _long_text))
        missing.append("/".join(schema.READ_BY_KEY[k].zh for k in ("section", "requirement")))
    if not keys & {"units", "lead", "support", "deadline"}:
        wanted += [("units", _unit_like), ("deadline", _deadline_like)]
        missing.append("/".join(schema.READ_BY_KEY[k].zh for k in ("units", "deadline")))
    if not missing:     # both kinds, but fewer than three meanings
        wanted = [(k, looks) for k, looks in (("requirement", _long_text), ("units", _unit_like),
                                              ("deadline", _deadline_like)) if k not in keys]
        missing = [schema.READ_BY_KEY[k].zh for k, _ in wanted]
    data = filled[r + 1:r + 1 + 20]
    items, free = [], dict(unknown)
    for key, looks in wanted:
        scores = {c: sum(1 for row in data if c < len(row) and row[c] not in (None, "") and looks(row[c]))
                  for c in free}
        c = max(scores, key=scores.get, default=None)
        if c is not None and scores[c]:
            items.append(f"{free.pop(c)}={schema.READ_BY_KEY[key].zh}")
    if not items and free and wanted:
        items.append(f"{next(iter(free.values()))}={schema.READ_BY_KEY[wanted[0][0]].zh}")
    return {"sheet": grid.sheet, "row": r + 1,
            "found": [f"“{texts.get(c, '')}”（{'/'.join(schema.READ_BY_KEY[k].zh for k in ks)}）"
                      for c, ks in sorted(roles.items())],
            "missing": missing,
            "unknown": [f"“{v}”" for v in unknown.values()], "example": ",".join(items)}


def _under_header(row: list[Any], spec: ColumnSpec | None = None) -> dict[int, tuple[str, ...]] | None:
    """The roles of a row that continues a header above it: two or more different
    headers, no numbers (a heading merged across the table, "一、牵头的任务", is one text;
    a task row has its number; "1.0" saved as text is a number too)."""
    below = [v for v in row if v is not None]
    if len(set(below)) < 2 or any(isinstance(v, (int, float)) or label(v) is not None for v in below):
        return None
    if any(isinstance(v, str) and len("".join(v.split())) > 16 for v in below):   # a sentence: data (as header_match)
        return None
    return _roles(row, spec) or None


def _assign_columns(roles: dict[int, tuple[str, ...]]) -> dict[str, int]:
    alone = {ks[0] for ks in roles.values() if len(ks) == 1}
    columns: dict[str, int] = {}
    for c in sorted(roles):
        keys = roles[c]
        if len(keys) > 1:
            for key in _combined(keys, alone):
                columns.setdefault(key, c)
            continue
        key = keys[0]
        if key == "section" and columns.get("section") == c - 1 and "subsection" not in columns:
            key = "subsection"  # 工作任务 merged over two columns: the second is the sub-level
        columns.setdefault(key, c)
    if "units" in columns and "lead" in columns:
        if "support" in columns:
            columns.pop("units")  # 责任单位 was only the parent of 牵头/配合
        else:
            columns["support"] = columns.pop("units")  # a ledger: 牵头单位 | 责任单位 (the others)
    elif "units" in columns and "support" in columns:
        columns["lead"] = columns.pop("units")  # 责任单位 | 配合单位
    if "due" in columns and "deadline" not in columns:
        columns["deadline"] = columns.pop("due")  # 截止日期 is the only deadline column
    return columns


def _combined(keys: tuple[str, ...], alone: set[str]) -> tuple[str, ...]:
    """What one column under a combined header is read as.  工作任务及具体要求: the task and
    its requirement in one text, read as the requirement (as the section when the sheet
    has a requirement column of its own); 牵头单位及配合单位: units with role words;
    责任单位及完成时限: units, then a deadline in the same cell (split when read)."""
    kinds = set(keys)
    if kinds == {"section", "requirement"}:
        return ("section",) if "requirement" in alone else ("requirement",)
    if kinds == {"lead", "support"}:
        return ("units",)
    unit = next((k for k in keys if k in ("units", "lead", "support")), None)
    if unit and "deadline" in kinds:
        return tuple(k for k in (unit, "deadline") if k not in alone)
    return keys[:1]


# ---------------------------------------------------------------- rows

class _TableParser:
    def __init__(self, grid: Grid, filled: list[list[Any]], columns: dict[str, int], sheet: TaskSheet,
                 header: list[list[Any]], spec: ColumnSpec | None = None):
        self.grid, self.filled, self.columns, self.sheet = grid, filled, columns, sheet
        # (column key, Task attribute, column index, column letter) of the columns present
        self.fields = [(k, _attr(k), columns[k], col_letter(columns[k])) for k in TEXT_KEYS if k in columns]
        self.seq_letter = col_letter(columns["seq"]) if "seq" in columns else None
        # 责任单位及完成时限: one column read as units and as deadline, split by the deadline phrase
        self.unit_deadline = next((k for k in ("units", "lead") if k in columns
                                   and columns[k] == columns.get("deadline")), None)
        self.header_texts = {_row_texts(row) for row in header}   # the header repeated at a page break
        self.header_words = {v for row in header for v in row if v is not None}
        # the sheet's own columns read as no field (报送对象, 联系人): kept beside the task as written
        taken = set(columns.values())
        width = max((len(row) for row in header), default=0)
        self.unread = [(c, text) for c in range(width) if c not in taken
                       and (text := _header_name(header, c)) is not None and label(text) is None
                       and _own_column(header, c, columns, text)
                       and not (spec is not None and spec.ignores(c, text))]
        sheet.own_columns = {col_letter(c): text for c, text in self.unread}
        # whose row each row is, in a combined sheet (a master: 区县, 来源文件, 来源工作表): a
        # heading never carries from one district's (or one source's) rows to another's
        self.scope_columns = [columns["district"]] if "district" in columns else []
        self.scope_columns += [c for c in range(width) if c not in taken and _header_name(header, c) in _ORIGIN_HEADERS]
        self.after_page_break = False
        self.section: str | None = None
        self.subsection: str | None = None
        self.section_label: Label | None = None   # the number of the heading row that set `section`
        # the heading rows below `section`, highest first (（一）, then 1. under it …): each with
        # its number; the deepest is `subsection` unless a task column gave that (`sub_own`)
        self.path: list[tuple[Label | None, str | None]] = []
        # the numbers heading rows wrote in the 序号 column apart from their titles: title → number
        self.numbers: dict[str, str] = {}
        self.sub_own = False
        # the scope of the data row whose own cell set `section` (`subsection`); None when a
        # heading row set it (a heading over the rows of several districts holds for all)
        self.section_scope: tuple | None = None
        self.sub_scope: tuple | None = None
        self.headed = False    # sections come from heading rows: a single task column is the second level
        # the cell of the heading row the tasks below are numbered under (the nearest above,
        # of any depth: 一、, （一）, 2. over （1）（2）), kept in each task's cells as "heading"
        self.heading_cell: str | None = None
        self.labels: dict[int, Label] = {}        # row → the label in its 序号 cell
        self.over: set[int] = set()               # rows numbered above a deeper number (1 over 1.1)
        self.end = len(filled)                    # the first row of the footer (抄送, 印发)
        self.notes_below: list[int] = []          # rows read as notes under the table

    def note(self, code: str, r: int, c: int, value=None, **params) -> None:
        self.sheet.findings.append(Finding(code, str(self.grid.source), self.grid.sheet, a1(r, c),
                                           None if value is None else str(value), params))

    def own(self, r: int, key: str) -> Any:
        c = self.columns.get(key)
        return None if c is None else _clean(self.grid.value(r, c))

    def seen(self, r: int, key: str) -> Any:
        c = self.columns.get(key)
        return None if c is None else _clean(self.filled[r][c] if c < len(self.filled[r]) else None)

    def run(self, start: int) -> None:
        rows = self.grid.rows
        self._number_rows(start)
        notes: list[int] = []    # rows read as a note: below the table, unless a task follows them
        for r in range(start, len(self.filled)):
            row = self.filled[r]
            own_values = [v for v in (rows[r] if r < len(rows) else ()) if v is not None and
                          (v.__class__ is not str or v.strip())]   # as _clean(v) is not None, but fast
            if not own_values:
                continue
            first = str(own_values[0]).strip()
            if not (_FOOTER.match(first) or states_issue(first) or _TOTAL.match(first)):
                if self._note(r, own_values):
                    notes.append(r)
                    continue
                for n in notes:          # between tasks after all: read as any row
                    self._data_row(n)
                    self.after_page_break = False
                notes.clear()
            if len(own_values) == 1 and _CONTINUED.match(str(own_values[0]).strip()):
                self.after_page_break = True    # 续表: the table goes on on the next page
                continue
            # the header again, where a Word/PDF table broke across pages (a header holds no numbers)
            if not any(v.__class__ in (int, float) for v in own_values) and r not in self.labels and (
                    all(v in self.header_words for v in own_values) and _row_texts(row) in self.header_texts
                    or _is_header(_roles(row))):
                self.note("repeated-header", r, 0, row=r + 1)
                self.after_page_break = True
                continue
            # (a task's own text may begin 印发《…》: a row with units or a deadline is no footer)
            if (_FOOTER.match(first) or states_issue(first)) and not self._holds_task_cells(r):
                self.end = r
                break
            if _TOTAL.match(first):   # 合计：共N项, 小计 — a count, not a task
                continue
            if self._heading_row(r, own_values) or (r in self.over and self._numbered_heading(r)):
                continue
            self._data_row(r)
            self.after_page_break = False
        for n in notes:
            c, text = self._note_cell(n)
            self.note("note-below-table", n, c, text, row=n + 1)
        self.notes_below = notes

    def below(self) -> list[list[Any]]:
        """The rows below the table (its footer and the notes under it), as written."""
        rows = self.grid.rows
        return [rows[n] for n in self.notes_below] + rows[self.end:]

    def _note(self, r: int, own_values: list) -> bool:
        """Does the row hold only a note (备注：以上任务由区督查室跟踪, 其他说明：…)?  One text,
        no number and no heading, in a column no task's own field is read from (序号, 区县,
        the task levels beside a 具体要求 column, or none).  Below the tasks such a row is no
        task: collect lists it, flag and merge do not take it as a task."""
        if len(own_values) != 1 or not isinstance(own_values[0], str):
            return False
        text = own_values[0].strip()
        if (label(text) is not None or text in EXAMPLE_MARKS or _CONTINUED.match(text) or _SECTION.match(text)
                or _SUBSECTION.match(text) or heading_label(text) is not None or self._band(r)):
            return False
        notes_in = {"seq", "district"} | ({"section", "subsection"} if "requirement" in self.columns else set())
        task_columns = {c for k, c in self.columns.items() if k not in notes_in} | {c for c, _ in self.unread}
        return self._note_cell(r)[0] not in task_columns

    def _note_cell(self, r: int) -> tuple[int, str]:
        """The column and the text of a note row."""
        return next((c, str(_clean(v))) for c, v in enumerate(self.grid.rows[r]) if _clean(v) is not None)

    def _number_rows(self, start: int) -> None:
        """Each row's label in the 序号 column, and the rows whose next numbered row below
        is numbered one level deeper."""
        c = self.columns.get("seq")
        if c is None:
            return
        rows, labels = self.grid.rows, self.labels
        for r in range(start, len(rows)):
            row = rows[r]
            if c < len(row) and row[c] is not None and (lab := label(row[c])) is not None:
                labels[r] = lab
        numbered = list(labels)
        self.over = {r for r, below in zip(numbered, numbered[1:]) if labels[r].heads(labels[below])
                     and not _crosses(self._scope(r), self._scope(below))}

    def _scope(self, r: int) -> tuple:
        """Whose row r is: its district and source, as far as the sheet says (see scope_columns)."""
        row = self.filled[r]
        return tuple(_clean(row[c]) if c < len(row) else None for c in self.scope_columns)

    def _heading_row(self, r: int, own_values: list) -> bool:
        """A row holding only a section heading spanning the table ("一、…"), from the 序号
        column or from the requirement's: merged across (its units and deadline cells show
        the heading, not a task's), or, where nothing is merged (a csv), numbered 一、/（一）
        beside an empty 序号 or in a table without one, or 1、… alone in the 序号 column."""
        texts = {str(v).strip() for v in own_values}
        if len(texts) != 1:
            return False
        text = texts.pop()
        if self.own(r, "requirement") is not None and not self._band(r) and not (
                _SECTION.match(text) or _SUBSECTION.match(text)):
            return False
        if _SUBSECTION.match(text):
            self._sub_heading(heading_label(text), text)
            self.heading_cell = a1(r, 0)
            return True
        # a number and a title in the 序号 cell: 1、… 1.1 … 第一部分 … (over the rows numbered below)
        numbered_title = self.own(r, "seq") is not None and label(text) is None and heading_label(text) is not None
        if _SECTION.match(text) or numbered_title or (self._band(r) and label(text) is None):
            # 一、…, a 序号 cell holding a number and a title (1、…, over 1.1), or a band: 重点项目（10项）;
            # numbered below the section's own number (1.… under 一、…): a level below it
            lab = heading_label(text)
            if lab is not None and self.section is not None and self.section_label is not None \
                    and self.section_label.heads(lab):
                self._sub_heading(lab, text)
            else:
                self._new_section(text, lab)
            self.headed, self.heading_cell = True, a1(r, 0)
            return True
        return False

    def _new_section(self, title: str | None, lab: Label | None, scope: tuple | None = None) -> None:
        """A new first level (from a heading row, or else a data row's own cell of `scope`):
        the levels below it end."""
        self.section, self.subsection, self.section_label, self.path = title, None, lab, []
        self.numbers = {}
        self.section_scope, self.sub_scope = scope, None

    def _sub_heading(self, lab: Label | None, title: str | None) -> None:
        """A heading row below the section: it ends the headings above it that do not head
        it (（二） ends （一） and the 1. under it) and becomes the deepest level."""
        path = self.path
        while path and not (lab is not None and path[-1][0] is not None and path[-1][0].heads(lab)):
            path.pop()
        path.append((lab, title))
        self.subsection, self.sub_own, self.sub_scope = title, False, None

    def _numbered_heading(self, r: int) -> bool:
        """A numbered row heading the group numbered below it (1 over 1.1, 1.2; 一、 over
        （一）; 1.1 over 1.1.1): no units and no deadline of its own, and the next numbered
        row one level deeper.  It is a section, not a task: its title becomes the level
        carried down, and it takes no units or deadline from a neighbour."""
        if self._holds_task_cells(r):
            return False
        lab = self.labels[r]
        title = next((v for k in ("section", "subsection", "requirement") if (v := self.own(r, k)) is not None), None)
        title = None if title is None else str(title)
        if self.section_label is None or not self.section_label.heads(lab):
            self._new_section(title, lab)
        else:
            self._sub_heading(lab, title)
        written = self.own(r, "seq")
        if isinstance(written, float) and written.is_integer():
            written = int(written)           # 1 typed as a number
        if title is not None and written is not None and label(title) is None:
            self.numbers[title] = str(written)
        self.headed, self.heading_cell = True, a1(r, 0)
        return True

    def _holds_task_cells(self, r: int) -> bool:
        """Does the row hold units or a deadline of its own?  A cell merged down from it
        over the rows below holds theirs (a group sharing one unit), not the row's."""
        for key in ("units", "lead", "support", "deadline"):
            c = self.columns.get(key)
            if c is None or _clean(self.grid.value(r, c)) is None:
                continue
            m = self.grid.merge_at(r, c)
            if m is None or m[0] != r or m[2] == r:
                return True
        return False

    def _band(self, r: int) -> bool:
        """A row whose one value is merged across most of the table's columns."""
        row = self.grid.rows[r] if r < len(self.grid.rows) else []
        c = next((i for i, v in enumerate(row) if v not in (None, "")), None)
        m = self.grid.merge_at(r, c) if c is not None else None
        return m is not None and m[3] - m[1] + 1 >= max(3, len(self.columns) // 2)

    def _data_row(self, r: int) -> None:
        tasks = self.sheet.parsed
        written = self.own(r, "seq")
        if isinstance(written, str) and written in EXAMPLE_MARKS:   # own() has stripped it
            self.note("example-row", r, self.columns["seq"], row=r + 1)  # a template's example, not a task
            return
        lab = self.labels.get(r)
        seq = lab.seq if lab is not None else None
        seq_merged = seq is None and label(self.seen(r, "seq")) is not None
        in_text = self._number_in_text(r) if seq is None and not seq_merged else None
        if in_text is not None:
            seq = in_text[1].seq
        # without a 序号 column, only a row after a page break may be the tail of the task above
        if tasks and in_text is None and (seq_merged or (seq is None and ("seq" in self.columns or self.after_page_break)
                                                         and self._continues(r))):
            self._join(r, sep="\n" if seq_merged else "")
            return
        task = ParsedTask(row=r + 1, seq=seq, rows=[r + 1])
        if lab is not None and lab.rank != ARABIC and isinstance(written, str):
            task.seq_written = written       # 一、 （一） ① 第一条 as the district wrote it
        filled, excel_row = self.filled[r], r + 1
        cells, width = task.cells, len(filled)
        for key, attr, c, letter in self.fields:   # columns the sheet lacks keep the task's defaults
            value = filled[c] if c < width else None
            setattr(task, attr, _typed(key, value))
            cells[key] = f"{letter}{excel_row}"
        if in_text is not None:     # the number written in the task's text column: its 序号
            key, _, alone = in_text
            cells["seq"] = cells[key]
            if alone:                # the cell held only the number: it is the 序号, not the task's text
                setattr(task, key, None)
                del cells[key]
        elif self.seq_letter:
            cells["seq"] = f"{self.seq_letter}{excel_row}"
        if self.heading_cell is not None:
            cells["heading"] = self.heading_cell
        if self.unit_deadline:
            self._split_unit_deadline(task, getattr(task, _attr(self.unit_deadline)))
        for c, header in self.unread:
            if (v := _typed("progress", filled[c] if c < width else None)) is not None:
                task.extra[header] = v
        if "requirement" not in self.columns:   # a ledger: its one text column is the task's own
            task.titled = any(self.own(r, k) is not None for k in ("section", "subsection"))
        self._levels(task, r)
        if seq is None and in_text is None and "seq" in self.columns and not task.is_empty:
            self.note("missing-seq", r, self.columns["seq"])
        tasks.append(task)

    def _number_in_text(self, r: int) -> tuple[str, Label, bool] | None:
        """The task's number where no 序号 column holds it, written in its first text column
        that is no heading: the whole cell (叶集: 1 under 工作任务, beside 具体要求) or the start
        of the text ("1.积极推进…", "（1）…", "①…").  (column key, label, whether the cell holds
        only the number); None when the first such text starts with no number."""
        for key in sorted((k for k in ("section", "subsection", "requirement") if k in self.columns),
                          key=self.columns.get):
            v = self.own(r, key)
            if v is None:
                continue
            lab = label(v)
            if lab is not None:
                return None if lab.rank <= CN_PAREN else (key, lab, True)
            text = str(v)
            if _SECTION.match(text) or _SUBSECTION.match(text):
                continue            # the heading of the group, in a column of its own
            lab = leading_label(text)
            return (key, lab, False) if lab is not None else None
        return None

    def _split_unit_deadline(self, task: ParsedTask, text: str | None) -> None:
        """责任单位及完成时限: the cell's units, then its deadline phrase (found by the
        deadline grammar at the end of the text); a date cell is only a deadline."""
        attr = _attr(self.unit_deadline)
        if isinstance(task.deadline_cell, dt.date) or text is None:
            setattr(task, attr, None)
            return
        i = deadline_start(text)
        units, deadline = (text, None) if i is None else (text[:i].rstrip(_BETWEEN) or None, text[i:].strip())
        setattr(task, attr, units)
        task.deadline_cell = deadline

    def _levels(self, task: ParsedTask, r: int) -> None:
        """Carry section and sub-section down; a single task column holds either level.  A
        level a row of another district or source set is not carried (a master: 长兴县's
        rows without 工作任务 below 德清县's)."""
        if "subsection" not in self.columns and task.section and not _SECTION.match(task.section):
            if _SUBSECTION.match(task.section) or self.headed:
                task.section, task.subsection = None, task.section
        scope = self._scope(r)
        if _crosses(self.section_scope, scope):
            self._new_section(None, None)
        if _crosses(self.sub_scope, scope):
            self.subsection, self.sub_own, self.sub_scope = None, False, None
        if task.section and task.section != self.section:
            self._new_section(task.section, None, scope)
        elif task.section and self.section_scope is not None:
            self.section_scope = scope     # the same level written again by this row: its own now
        if task.subsection:
            if task.subsection != self.subsection or self.sub_scope is not None:
                self.sub_scope = scope
            self.subsection, self.sub_own = task.subsection, True
        task.section, task.subsection = self.section, self.subsection
        # the heading rows between them (all of them when the task's own column gave the sub-section)
        task.headings = tuple(t for _, t in (self.path if self.sub_own else self.path[:-1]) if t)
        task.heading_numbers = {x: n for x in (task.section, *task.headings, task.subsection)
                                if x and (n := self.numbers.get(x))}

    def _continues(self, r: int) -> bool:
        """Is this unnumbered row the tail of a task split at a page break?  (Without a 序号
        column every row is unnumbered: there the row's own cells decide.)"""
        last = _last_with_text(self.sheet.parsed)
        if "key" in self.columns and self.own(r, "key") is None and last is not None and last.key:
            return False        # every task has its 任务编号: a row without one is a row a person added
        if last is not None and _crosses(self._scope(last.row - 1), self._scope(r)):
            return False        # another district's (or source's) row is never the tail of this one
        if self.after_page_break and "seq" in self.columns:
            return True
        if last is None:
            return False
        if "requirement" not in self.columns:
            return self._continues_ledger(r, last)
        req = last.requirement or ""
        if req and not req.endswith(_SENTENCE_END):
            return True
        if any(getattr(last, _attr(k)) in (None, "") and self.own(r, k) is not None
               for k in ("requirement", "units", "deadline")):
            return True
        # Without a number, a task holds its text and its units or deadline (shared ones in a
        # merged cell count); a row with only one of them is the rest of the task above.
        text = any(self.own(r, k) is not None for k in ("section", "subsection", "requirement"))
        tracking = any(self.seen(r, k) is not None for k in ("units", "lead", "support", "deadline"))
        return not (text and tracking)

    def _continues_ledger(self, r: int, last: ParsedTask) -> bool:
        """The same question where the only task text is read as 工作任务 (a ledger's 工作事项):
        a row with text and no units or deadline (its own or merged down) is the rest of the
        task above; so is one whose text follows an unfinished text above ("…分管市领" / "导")
        with no units and deadline of its own both (a deadline tail "前" alone), and one with
        no text under no merged text, holding only units or a deadline the task above lacks
        or continues.  A row with its own text, units and deadline is a task without a number."""
        key = "subsection" if "subsection" in self.columns else "section"
        if key not in self.columns:
            return False
        above = last.subsection if key == "subsection" or self.headed else last.section
        above = above or ""
        text = self.own(r, key) is not None
        tracking = any(self.seen(r, k) is not None for k in ("units", "lead", "support", "deadline"))
        own_units = any(self.own(r, k) is not None for k in ("units", "lead", "support"))
        own_deadline = self.own(r, "deadline") is not None
        if text:
            return not tracking or (bool(above) and not above.endswith(_SENTENCE_END)
                                    and not (own_units and own_deadline))
        return self.seen(r, key) is None and (own_units or own_deadline)

    def _join(self, r: int, sep: str) -> None:
        task = _last_with_text(self.sheet.parsed) or self.sheet.parsed[-1]
        whole = None
        if self.unit_deadline:   # one cell of units and deadline: join the texts, then split again
            head = [getattr(task, _attr(self.unit_deadline)), task.deadline_cell]
            whole = "\n".join(str(x) for x in head if x not in (None, ""))
        for key in TEXT_KEYS:
            if whole is not None and key in (self.unit_deadline, "deadline"):
                continue
            tail = _typed(key, self.own(r, key))
            if tail is None:
                continue
            head = getattr(task, _attr(key))
            if isinstance(head, dt.date) or isinstance(tail, dt.date):
                continue
            if not head:
                setattr(task, _attr(key), tail)
            elif key in _UNIT_KEYS:   # a list of units cut in two: joined as units are separated
                setattr(task, _attr(key), join_cut_cell(head, tail))
            else:                     # a sentence cut in two: joined as text
                setattr(task, _attr(key), f"{head}{sep}{tail}")
            if key in ("section", "subsection") and getattr(self, key) == head:
                setattr(self, key, getattr(task, key))  # carry the whole level down, not its first half
            if key not in task.cells and key in self.columns:
                task.cells[key] = a1(r, self.columns[key])
        if whole is not None and (tail := _typed("units", self.own(r, self.unit_deadline))) is not None:
            self._split_unit_deadline(task, f"{whole}{sep}{tail}" if whole else tail)
        for c, header in self.unread:
            if (tail := _typed("progress", _clean(self.grid.value(r, c)))) is not None:
                task.extra[header] = f"{task.extra[header]}{sep}{tail}" if task.extra.get(header) else tail
        task.rows.append(r + 1)
        self.note("joined-split-row", r, 0, row=r + 1, seq=task.seq, task=task_named(task.seq, task.row))


_ATTRS = {"units": "units_text", "deadline": "deadline_cell", "lead": "lead_text", "support": "support_text",
          "due": "due_written"}


def _attr(key: str) -> str:
    return _ATTRS.get(key, key)


def _last_with_text(tasks: list[ParsedTask]) -> ParsedTask | None:
    return next((t for t in reversed(tasks) if not t.is_empty), None)


def _crosses(scope: tuple | None, other: tuple) -> bool:
    """Do two rows' scopes (see _TableParser._scope) name different districts or sources?
    A cell left empty says nothing."""
    return scope is not None and any(a is not None and b is not None and a != b for a, b in zip(scope, other))


def _clean(v: Any) -> Any:
    if isinstance(v, str):   # first: nearly every value is text
        if "\r" in v:
            v = v.replace("\r\n", "\n").replace("\r", "\n")
        return v.strip() or None
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _typed(key: str, v: Any) -> Any:
    """A cell as the parsed task holds it: text columns as text (a number typed there is
    its digits), date columns as a real date (an Excel date cell or serial number) or
    else the text it shows; 截止日期 only as a date."""
    v = _clean(v)
    if key in DATE_KEYS:
        if isinstance(v, dt.datetime):
            return v.date()
        if isinstance(v, dt.date):
            return v
        serial = excel_serial_date(v)
        if serial is not None:
            return serial
        if key == "due":
            return None
    if v is None or v.__class__ is str:
        return v
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time(0) else v.isoformat(" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def _own_column(header: list[list[Any]], c: int, columns: dict[str, int], text: str) -> bool:
    """Is a column no field was read from (see `_assign_columns`) kept as the district's
    own column?  Yes, unless its header is one of the master's own (来源文件, 预警) or the
    header of a column read already (完成时限 merged over two columns: see
    columns.read_elsewhere).  The requirement is read from the first column whose header
    reads as one (具体要求, 工作目标, 主要内容, 工作措施 …); another such column beside it
    (工作目标 | 具体措施, 攻坚目标任务 | 工作任务安排) is the district's own, never dropped.
    Headers no field reads (目标要求, 预期成效) likewise."""
    return text not in _MASTER_HEADERS and not read_elsewhere(header, c, columns)


def _header_name(header: list[list[Any]], c: int) -> str | None:
    """A column's header as written (the lowest text of a header of several rows), or None."""
    texts = [" ".join(str(row[c]).split()) for row in header if c < len(row) and row[c] is not None
             and str(row[c]).strip()]
    return texts[-1] if texts else None


def _row_texts(row: list[Any]) -> tuple:
    """A row's values as compared with the header's rows (spacing aside)."""
    return tuple("".join(v.split()) if isinstance(v, str) else v for v in row)
