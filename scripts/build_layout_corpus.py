#!/usr/bin/env python3
"""Build task tables in layouts nobody here built, with their ground truth.

    python scripts/build_layout_corpus.py OUT_DIR

The tasks are the seeds' real text (scripts/seed_tables/tianqiao_2024.tsv, changqing_2022.tsv
and the items of examples/2025年章丘区政务公开工作要点.txt), rewritten for other districts
(区/县/县级市: 任城区, 嘉祥县, 曲阜市, 汶上县, 天桥区, 长清区) and laid out as offices keep them:

    docx    a Word notice (文号, title, body, 印发 date) with the task table as a Word table:
            vertically merged task levels and units, the header repeated at a page break, a
            task split across the break
    xls     a two-row header (责任单位 over 牵头单位 | 配合单位), merged section cells,
            written by LibreOffice from an .xlsx
    ledger  a 督查督办 台账: 序号 "（1）", 任务来源, 责任领导, units one per line, 时间节点 as
            real Excel dates, band rows and a 合计 row
    csv     as WPS exports it: GBK, CRLF, a title line and a blank line above the header,
            quoted cells with line breaks, a trailing 合计 line
    ods     two districts, one sheet each, sheet names = district names (LibreOffice)

Every file gets planted problems (an unknown unit such as 县火星局, an impossible date, 尽快,
an empty deadline, a numbered row with nothing in it, a gap in the numbering) besides the
source's own defects.  `build(out_dir, convert)` returns the ground truth of each file and
writes it beside the file as <file>.truth.json; `convert(src, fmt, outdir)` is LibreOffice
(tests/lo.py), needed for .xls and .ods.

The expected units are canonical names from this script's own table (ALIASES below), not
from xltools: the measurement must not grade the reader with its own answers.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import sys
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TABLES = HERE / "seed_tables"
ZHANGQIU = ROOT / "examples" / "2025年章丘区政务公开工作要点.txt"

# Written department name (after the level prefix) → canonical department name.
ALIASES = {
    "发展改革局": "发展和改革局", "发改局": "发展和改革局", "教体局": "教育和体育局", "教育局": "教育和体育局",
    "住建局": "住房和城乡建设局", "卫健局": "卫生健康局", "人社局": "人力资源和社会保障局",
    "医保局": "医疗保障局", "文旅局": "文化和旅游局", "市场监管局": "市场监督管理局", "城管局": "城市管理局",
    "工信局": "工业和信息化局", "行政审批局": "行政审批服务局", "应急局": "应急管理局", "档案局": "档案馆",
    "文旅局（图书馆）": "文化和旅游局", "工信局（商务局）": "工业和信息化局",
}
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
LEADERS = ["王建国", "李红梅", "张立军", "刘洋", "陈志强"]
UNKNOWN = "火星局"   # planted: no district has a 火星局


# ---------------------------------------------------------------- the tasks

@dataclass
class SeedTask:
    section: str | None
    subsection: str | None
    requirement: str | None
    lead: list[str]                 # written 区-level names, as the seed has them
    support: list[str]
    deadline: Any                   # text, a date, or None
    due: str | None                 # expected due date (ISO), None when none can be told
    ongoing: bool = False
    inherit_units: bool = False     # the source leaves the cell blank: merged with the row above
    inherit_deadline: bool = False
    source: str = ""                # 任务来源 of a ledger


@dataclass
class TaskTruth:
    sheet: str
    seq: int
    requirement: str | None
    lead: list[str]
    support: list[str]
    due: str | None
    ongoing: bool


@dataclass
class Problem:
    code: str
    sheet: str
    cell: str
    planted: bool = True            # False: a defect of the seed itself


@dataclass
class Corpus:
    layout: str
    file: str
    districts: dict[str, str]
    tasks: list[TaskTruth] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _fw(text: str) -> str:
    return text.replace("(", "（").replace(")", "）")


def _pieces(text: str) -> list[str]:
    """The seed's unit text as names (the ground-truth reading of the few shapes it has)."""
    out = []
    for part in re.split(r"[、，,]", _fw(text)):
        for piece in re.split(r"(?<=^各街镇)和", part.strip()):
            if "等" in piece and not piece.startswith("等"):
                out.extend(p for p in piece.split("等", 1))
            elif piece:
                out.append(piece)
    return [p for p in out if p]


def _roles(text: str) -> tuple[list[str], list[str]]:
    if "牵头" in text:
        lead, support = text.split("牵头", 1)
        return _pieces(lead), _pieces(support.strip("，、,").removesuffix("配合"))
    return _pieces(text), []


_FIXED_DUE = {"全年": "-12-31", "长期坚持": None}


def _expected_due(text: str, year: int, issued: dt.date) -> tuple[str | None, bool]:
    """The ground truth of the seeds' deadline phrases (a small table, written by hand)."""
    ongoing = "长期坚持" in text
    squeezed = re.sub(r"\s+", "", text)
    if squeezed in _FIXED_DUE:
        return (f"{year}{_FIXED_DUE[squeezed]}" if _FIXED_DUE[squeezed] else None), ongoing
    if "印发后30日内" in squeezed:
        return (issued + dt.timedelta(days=30)).isoformat(), False
    m = re.match(r"(?:(\d{4})年)?(\d{1,2}|年)(?:月)?底", squeezed)
    if m:
        month = 12 if m.group(2) == "年" else int(m.group(2))
        last = (dt.date(year, month % 12 + 1, 1) - dt.timedelta(days=1)) if month < 12 else dt.date(year, 12, 31)
        return last.isoformat(), ongoing
    raise ValueError(f"no ground truth for deadline {text!r}")


def seed_tasks(tsv: str, year: int, issued: dt.date) -> list[SeedTask]:
    """The seed table's tasks, each whole: page-break tails joined, seq-only rows dropped."""
    tasks: list[SeedTask] = []
    raw_rows = []
    section = subsection = None
    for line in (TABLES / tsv).read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or line.startswith("kind\t"):
            continue
        kind, seq, sec, sub, req, units, deadline = (line.split("\t") + [""] * 7)[:7]
        if kind == "T":
            raw_rows.append([sec, sub, req, units, deadline])
        elif kind == "C":
            last = raw_rows[-1]
            for i, tail in enumerate((sec, sub, req, units, deadline)):
                last[i] += tail
    for sec, sub, req, units, deadline in raw_rows:
        if sec:
            section, subsection = sec, None
        if sub:
            subsection = sub
        prev = tasks[-1] if tasks else None
        lead, support = _roles(units) if units else (list(prev.lead), list(prev.support))
        given = bool(deadline)
        if deadline:
            due, ongoing = _expected_due(deadline, year, issued)
        elif prev is not None and not units:   # the source's merged block: units and deadline shared
            due, ongoing, deadline = prev.due, prev.ongoing, prev.deadline
        else:
            due, ongoing, deadline = None, False, None
        tasks.append(SeedTask(section, subsection, req or None, lead, support, deadline, due, ongoing,
                              inherit_units=not units, inherit_deadline=not given and deadline is not None))
    return tasks


def zhangqiu_items(year: int = 2025) -> list[SeedTask]:
    """章丘 2025 plan items: "(一)title。body…[责任单位：…]" under "一、…" sections."""
    tasks, section = [], None
    for line in ZHANGQIU.read_text(encoding="utf-8").splitlines():
        line = re.sub(r"\[bookmark:[^\]]*\]", "", line).strip()
        if re.match(r"^[一二三四五六七八九十]+、", line):
            section = line
        m = re.match(r"^[(（]([一二三四五六七八九十]+)[)）](.+?)。(.*)\[责任单位：([^\]]+)\]$", line)
        if m:
            lead, support = _roles(m.group(4))
            tasks.append(SeedTask(section, m.group(2), m.group(3), lead, support, None, None,
                                  source=f"{year}年政务公开工作要点（{m.group(1)}）"))
    return tasks


# ---------------------------------------------------------------- districts

@dataclass(frozen=True)
class District:
    name: str        # 嘉祥县
    city: str        # 济宁市
    code: str        # 文号 short form: 嘉

    @property
    def level(self) -> str:
        return self.name[-1]

    @property
    def short(self) -> str:
        return self.name[:-1]


def written(name: str, d: District) -> str:
    """A 区-level seed name as this district writes it (县财政局, 市政府各部门（单位）)."""
    name = _fw(name).replace("长清", d.short)
    if name.startswith("区"):
        name = d.level + name[1:]
    return name.replace("（区", "（" + d.level)


def canonical(name: str, d: District) -> str:
    if name.startswith(d.level) and name[1:] in ALIASES:
        return d.level + ALIASES[name[1:]]
    return name


# ---------------------------------------------------------------- planting problems

@dataclass
class Item:
    seq: int
    task: SeedTask | None          # None: a numbered row with nothing in it
    sheet: str = ""
    plant: str | None = None       # the planted finding code
    unknown_in: str | None = None  # "lead" or "support": where the unknown unit is


def plan_items(tasks: list[SeedTask], d: District, year: int, sheet: str, picks: dict[str, int],
               two_unit_columns: bool) -> list[Item]:
    """Number the tasks, planting the problems of `picks` (code → preferred task index):
    unknown-unit, impossible-date, vague-deadline, missing-deadline, empty-task, seq-gap."""
    tasks = [replace(t, lead=list(t.lead), support=list(t.support)) for t in tasks]
    chosen: dict[int, str] = {}
    for code, i in picks.items():
        while i in chosen or not _plantable(tasks, i):
            i += 1
        chosen[i] = code
    items, seq = [], 0
    for i, task in enumerate(tasks):
        code = chosen.get(i)
        if code == "seq-gap":
            seq += 1                      # the number is skipped: this task comes after a gap
        seq += 1
        item = Item(seq, task, sheet, None if code == "empty-task" else code)
        if code == "unknown-unit":
            side = "support" if two_unit_columns and task.support else "lead"
            getattr(task, side).append("区" + UNKNOWN)   # written as 县火星局 / 市火星局 by `written`
            item.unknown_in = side
        elif code == "impossible-date":
            task.deadline, task.due, task.ongoing = f"{year}年13月底前", None, False
        elif code == "vague-deadline":
            task.deadline, task.due, task.ongoing = "尽快", None, False
        elif code == "missing-deadline":
            task.deadline, task.due, task.ongoing = None, None, False
        items.append(item)
        if code == "empty-task":
            seq += 1
            items.append(Item(seq, None, sheet, "empty-task"))
    return items


def _plantable(tasks: list[SeedTask], i: int) -> bool:
    """A task whose cells are its own (no merged block starts or continues on it)."""
    nxt = tasks[i + 1] if i + 1 < len(tasks) else None
    t = tasks[i]
    return (t.requirement and not t.inherit_units and not t.inherit_deadline and t.deadline is not None
            and (nxt is None or not (nxt.inherit_units or nxt.inherit_deadline)))


# ---------------------------------------------------------------- a sheet being laid out

def col_letter(c: int) -> str:
    s, c = "", c + 1
    while c:
        c, rem = divmod(c - 1, 26)
        s = chr(65 + rem) + s
    return s


@dataclass
class Sheet:
    name: str
    rows: list[list[Any]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)   # 0-based, inclusive
    header_rows: set[int] = field(default_factory=set)
    placed: dict[int, tuple[int, dict[str, int]]] = field(default_factory=dict)  # item → (row, columns)

    def add(self, values: list[Any]) -> int:
        self.rows.append(list(values))
        return len(self.rows) - 1

    def merge_down(self, col: int, rows: list[int]) -> None:
        """Merge `col` over runs of consecutive rows that hold the same value (top cell keeps it)."""
        run: list[int] = []
        for r in rows + [None]:
            if run and r is not None and r == run[-1] + 1 and self.rows[r][col] == self.rows[run[0]][col] \
                    and self.rows[r][col] not in (None, ""):
                run.append(r)
                continue
            if len(run) > 1:
                self.merges.append((run[0], col, run[-1], col))
                for rr in run[1:]:
                    self.rows[rr][col] = None
            run = [r] if r is not None else []


def truth_and_problems(items: list[Item], placed: dict[int, tuple[int, dict[str, int]]], d: District,
                       sheet: str) -> tuple[list[TaskTruth], list[Problem]]:
    """Ground truth from the laid-out items: placed = item index → (row, column key → col)."""
    tasks, problems = [], []
    for i, item in enumerate(items):
        row, cols = placed[i]
        if item.task is not None:
            t = item.task
            tasks.append(TaskTruth(sheet, item.seq, t.requirement, [canonical(written(u, d), d) for u in t.lead],
                                   [canonical(written(u, d), d) for u in t.support], t.due, t.ongoing))
            if t.requirement is None:
                problems.append(Problem("missing-requirement", sheet, _a1(row, cols["requirement"]), False))
            if t.deadline is None and item.plant != "missing-deadline":
                problems.append(Problem("missing-deadline", sheet, _a1(row, cols["deadline"]), False))
        code = item.plant
        if code is None:
            continue
        key = {"unknown-unit": item.unknown_in if item.unknown_in in cols else "units", "impossible-date": "deadline",
               "vague-deadline": "deadline", "missing-deadline": "deadline"}.get(code, "seq")
        problems.append(Problem(code, sheet, _a1(row, cols[key])))
    return tasks, problems


def _a1(r: int, c: int) -> str:
    return f"{col_letter(c)}{r + 1}"


def _units_text(names: list[str], d: District, sep: str = "、") -> str:
    return sep.join(written(u, d) for u in names)


def _units_cell(t: SeedTask, d: District, sep: str = "、") -> str | None:
    """One 责任单位 cell: "A、B牵头，C配合" when the task has cooperating units."""
    if t.support:
        return f"{_units_text(t.lead, d, sep)}牵头，{_units_text(t.support, d, sep)}配合"
    return _units_text(t.lead, d, sep) or None


# ---------------------------------------------------------------- (a) a Word notice

RENCHENG = District("任城区", "济宁市", "任")
JIAXIANG = District("嘉祥县", "济宁市", "嘉")
QUFU = District("曲阜市", "济宁市", "曲")
WENSHANG = District("汶上县", "济宁市", "汶")
TIANQIAO = District("天桥区", "济南市", "天")
CHANGQING = District("长清区", "济南市", "长")

PICKS = {"unknown-unit": 3, "impossible-date": 11, "vague-deadline": 19, "missing-deadline": 26,
         "empty-task": 33, "seq-gap": 40}


DOCX_HEADER = ["序号", "工作任务", "工作任务", "具体要求", "责任单位", "完成时限"]


def build_docx(out: Path) -> Corpus:
    d, year, issued = RENCHENG, 2024, dt.date(2024, 6, 25)
    tasks = seed_tasks("tianqiao_2024.tsv", year, issued)
    items = plan_items(tasks, d, year, "", PICKS, two_unit_columns=False)
    paragraphs = [f"济{d.code}政办发〔2024〕5号", f"{d.city}{d.name}人民政府办公室关于印发{year}年{d.name}政务公开工作要点的通知",
                  "各街道办事处，区政府各部门：", f"《{year}年{d.name}政务公开工作要点》已经区政府同意，现印发给你们，请认真贯彻落实。",
                  f"{d.city}{d.name}人民政府办公室", f"{year}年6月25日", "附件", f"{year}年{d.name}政务公开重点工作任务分工"]
    grid = Sheet(out.stem)
    for p in paragraphs:
        grid.add([p])
    first_row = len(grid.rows)
    para_rows = _lay_word_table(grid, items, d)
    _write_docx(out, paragraphs, grid, first_row, para_rows, f"{d.city}{d.name}人民政府办公室　　{year}年6月25日印发")
    truth, problems = truth_and_problems(items, grid.placed, d, out.stem)
    return Corpus("docx", out.name, {out.stem: d.name}, truth, problems)


def _lay_word_table(grid: Sheet, items: list[Item], d: District) -> set[int]:
    """The task table's rows as the Word notice prints them; returns the rows whose units are
    one paragraph each (the others break lines inside one paragraph)."""
    cols = {"seq": 0, "section": 1, "subsection": 2, "requirement": 3, "units": 4, "deadline": 5}
    grid.header_rows.add(grid.add(DOCX_HEADER))
    segments, para_rows, split_done = [[]], set(), False
    for i, item in enumerate(items):
        t = item.task
        if i and i % 14 == 0:                       # a page break: the header printed again
            segments.append([])
            prev = items[i - 1].task
            if not split_done and t is not None and prev and prev.requirement:
                # the previous task's requirement runs over the page break
                grid.rows[-1][3] = prev.requirement[: len(prev.requirement) // 2]
                grid.header_rows.add(grid.add(DOCX_HEADER))
                grid.add([None, None, None, prev.requirement[len(prev.requirement) // 2:], None, None])
                split_done = True
            else:
                grid.header_rows.add(grid.add(DOCX_HEADER))
        if t is None:
            r = grid.add([item.seq, None, None, None, None, None])
        else:
            many = len(t.lead) >= 3 and not t.support
            deadline = t.deadline.translate(FULL_WIDTH) if i % 9 == 4 and t.deadline else t.deadline
            r = grid.add([item.seq, t.section, t.subsection, t.requirement,
                          _units_cell(t, d, "\n" if many else "、"), deadline])
            if many and i % 2:
                para_rows.add(r)
        segments[-1].append(r)
        grid.placed[i] = (r, cols)
    for seg in segments:
        for c in (1, 2, 4):
            grid.merge_down(c, seg)
    return para_rows


def _write_docx(out: Path, paragraphs: list[str], grid: Sheet, first_row: int, para_rows: set[int],
                footer: str) -> None:
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    doc = Document()
    for p in paragraphs:
        doc.add_paragraph(p)
    rows = grid.rows[first_row:]
    table = doc.add_table(rows=len(rows), cols=len(DOCX_HEADER))
    table.style = "Table Grid"
    for r, values in enumerate(rows):
        for c, v in enumerate(values):
            if v in (None, ""):
                continue
            cell = table.cell(r, c)
            if c == 4 and (first_row + r) in para_rows:   # one unit per paragraph (Enter)
                cell.text, *more = str(v).split("\n")
                for line in more:
                    cell.add_paragraph(line)
            else:
                cell.text = str(v)                          # "\n" becomes a line break (Shift+Enter)
    for r0, c0, r1, c1 in grid.merges:
        table.cell(r0 - first_row, c0).merge(table.cell(r1 - first_row, c1))
    for r in grid.header_rows:
        table.cell(r - first_row, 1).merge(table.cell(r - first_row, 2))
        table.cell(r - first_row, 1).text = "工作任务"
    tr_pr = table.rows[0]._tr.get_or_add_trPr()   # Word repeats the first row on every page
    tr_pr.append(OxmlElement("w:tblHeader"))
    tr_pr[-1].set(qn("w:val"), "true")
    doc.add_paragraph(footer)
    doc.core_properties.created = dt.datetime(2024, 1, 1)
    doc.save(out)


# ---------------------------------------------------------------- xlsx writing (for xls, ledger, ods)

def write_xlsx(path: Path, sheets: list[Sheet], date_format: str = 'yyyy"年"m"月"d"日"') -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    wb = Workbook()
    wb.remove(wb.active)
    wrap = Alignment(wrap_text=True, vertical="center")
    for sheet in sheets:
        ws = wb.create_sheet(sheet.name)
        for r, values in enumerate(sheet.rows, start=1):
            for c, v in enumerate(values, start=1):
                if v in (None, ""):
                    continue
                cell = ws.cell(r, c, v)
                cell.alignment = wrap
                if isinstance(v, (dt.date, dt.datetime)):
                    cell.number_format = date_format
        for r0, c0, r1, c1 in sheet.merges:
            ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
    wb.properties.created = dt.datetime(2024, 1, 1)
    wb.save(path)
    return path


# ---------------------------------------------------------------- (b) .xls with a two-row header

def lay_two_row_header(tasks: list[SeedTask], d: District, year: int, issued: dt.date, sheet_name: str,
                       picks: dict[str, int]) -> tuple[Sheet, list[Item], dict]:
    items = plan_items(tasks, d, year, sheet_name, picks, two_unit_columns=True)
    s = Sheet(sheet_name)
    s.add(["附件1"])
    s.add([f"{d.name}{year}年政务公开重点工作任务分解表"])
    s.merges.append((1, 0, 1, 7))
    h = s.add(["序号", "重点任务", "工作任务", "具体要求", "责任单位", None, "完成时限", "备注"])
    s.add([None, None, None, None, "牵头单位", "配合单位", None, None])
    for c in (0, 1, 2, 3, 6, 7):
        s.merges.append((h, c, h + 1, c))
    s.merges.append((h, 4, h, 5))
    cols = {"seq": 0, "section": 1, "subsection": 2, "requirement": 3, "lead": 4, "support": 5, "deadline": 6}
    placed, data_rows = {}, []
    for i, item in enumerate(items):
        t = item.task
        if t is None:
            r = s.add([item.seq] + [None] * 7)
        else:
            deadline = t.deadline
            if i % 6 == 1 and t.due and not t.ongoing and not t.inherit_deadline and isinstance(deadline, str):
                deadline = dt.datetime.fromisoformat(t.due)     # a real date cell where the clerk typed one
            sep = ("，", ", ", "、 ", "、")[i % 4]     # what clerks type between units
            r = s.add([item.seq, t.section, t.subsection, t.requirement, _units_text(t.lead, d, sep) or None,
                       _units_text(t.support, d) or None, deadline, None])
        placed[i] = (r, cols)
        data_rows.append(r)
    for c in (1, 2):
        s.merge_down(c, data_rows)
    s.placed = placed
    for c, flag in ((4, "inherit_units"), (5, "inherit_units"), (6, "inherit_deadline")):
        _merge_inherited(s, items, c, flag)
    s.add([])
    s.add([f"{d.name}人民政府办公室　　{issued.year}年{issued.month}月{issued.day}日印发"])
    return s, items


def _merge_inherited(s: Sheet, items: list[Item], c: int, flag: str) -> None:
    """The source's shared units and deadlines (blank below the first task) as merged cells."""
    run: list[int] = []
    for i, item in enumerate(items + [None]):
        inherits = item is not None and item.task is not None and getattr(item.task, flag)
        if inherits and run:
            run.append(s.placed[i][0])
            continue
        if len(run) > 1 and s.rows[run[0]][c] not in (None, ""):
            s.merges.append((run[0], c, run[-1], c))
            for rr in run[1:]:
                s.rows[rr][c] = None
        run = [s.placed[i][0]] if item is not None and item.task is not None else []


def build_xls(out: Path, convert: Callable) -> Corpus:
    d, year, issued = JIAXIANG, 2022, dt.date(2022, 6, 10)
    tasks = seed_tasks("changqing_2022.tsv", year, issued)
    sheet, items = lay_two_row_header(tasks, d, year, issued, "任务分解表", PICKS)
    src = write_xlsx(out.with_suffix(".xlsx"), [sheet])
    made = convert(src, "xls", out.parent)
    src.unlink()
    assert made == out
    truth, problems = truth_and_problems(items, sheet.placed, d, sheet.name)
    return Corpus("xls", out.name, {sheet.name: d.name}, truth, problems)


# ---------------------------------------------------------------- (c) a 督查 ledger

LEDGER_HEADER = ["序号", "任务来源", "重点任务", "工作措施", "责任领导", "牵头单位", "责任单位", "时间节点", "进展情况",
                 "完成状态"]
QUARTER_ENDS = [dt.date(2025, 3, 31), dt.date(2025, 6, 30), dt.date(2025, 9, 30), dt.date(2025, 12, 31)]


def ledger_tasks(d: District) -> list[SeedTask]:
    """章丘 items as a ledger keeps them: one 工作措施 per sentence, the item's title as 重点任务,
    the first department as lead, a real date (or 长期坚持) for each."""
    out = []
    for item in zhangqiu_items():
        units = item.lead
        depts = [u for u in units if not u.startswith("各")] or units
        lead = depts[:2] if len(units) > 3 else depts[:1]
        support = [u for u in units if u not in lead]
        for n, sentence in enumerate(s for s in re.split(r"(?<=。)", item.requirement) if s.strip()):
            k = len(out)
            if k % 7 == 6:
                deadline, due, ongoing = "长期坚持", None, True
            elif k % 11 == 5:
                deadline, due, ongoing = "2025.6.30", "2025-06-30", False
            elif k % 13 == 8:
                deadline, due, ongoing = "9月底前", "2025-09-30", False
            else:
                deadline = dt.datetime.combine(QUARTER_ENDS[k % 4], dt.time())
                due, ongoing = QUARTER_ENDS[k % 4].isoformat(), False
            out.append(SeedTask(item.section, item.subsection, sentence.strip(), list(lead), list(support), deadline,
                                due, ongoing, source=item.source))
    return out


def build_ledger(out: Path) -> Corpus:
    d, year = QUFU, 2025
    tasks = ledger_tasks(d)
    items = plan_items(tasks, d, year, "督查台账", PICKS, two_unit_columns=True)
    s = Sheet("督查台账")
    s.add([f"{d.name}{year}年政务公开重点工作督查督办台账"])
    s.merges.append((0, 0, 0, 9))
    s.add(["填报单位：市政府办公室", None, None, None, None, None, None, "截至：2025年3月31日"])
    s.add(LEDGER_HEADER)
    cols = {"seq": 0, "source": 1, "subsection": 2, "requirement": 3, "leader": 4, "lead": 5, "support": 6,
            "deadline": 7}
    placed, section, block = {}, None, []
    blocks = []
    for i, item in enumerate(items):
        t = item.task
        if t is not None and t.section != section:
            section = t.section
            r = s.add([section] + [None] * 9)
            s.merges.append((r, 0, r, 9))
            blocks.append(block)
            block = []
        label = f"（{item.seq}）"
        if t is None:
            r = s.add([label] + [None] * 9)
        else:
            r = s.add([label, t.source, t.subsection, t.requirement, LEADERS[len(blocks) % len(LEADERS)],
                       _units_text(t.lead, d, "\n"), _units_text(t.support, d, "\n") or None, t.deadline,
                       "正在推进" if i % 3 == 0 else None, "推进中" if i % 3 == 0 else None])
        placed[i] = (r, cols)
        block.append(r)
    blocks.append(block)
    for blk in blocks:
        for c in (1, 2, 4):
            s.merge_down(c, blk)
    s.add([f"合计：共{sum(1 for it in items if it.task is not None)}项"] + [None] * 9)
    write_xlsx(out, [s])
    truth, problems = truth_and_problems(items, placed, d, s.name)
    return Corpus("ledger", out.name, {s.name: d.name}, truth, problems)


# ---------------------------------------------------------------- (d) a WPS csv

def build_csv(out: Path) -> Corpus:
    d, year, issued = TIANQIAO, 2024, dt.date(2024, 6, 25)
    tasks = seed_tasks("tianqiao_2024.tsv", year, issued)
    picks = {"unknown-unit": 5, "impossible-date": 9, "vague-deadline": 17, "missing-deadline": 30,
             "empty-task": 36, "seq-gap": 50}
    items = plan_items(tasks, d, year, out.stem, picks, two_unit_columns=False)
    rows: list[list[Any]] = [[f"{year}年济南市天桥区政务公开重点工作任务分工", "", "", "", "", ""], [],
                             ["序号", "工作任务", "", "具体要求", "责任单位", "完成时限"]]
    cols = {"seq": 0, "section": 1, "subsection": 2, "requirement": 3, "units": 4, "deadline": 5}
    placed, section, subsection = {}, None, None
    for i, item in enumerate(items):
        t = item.task
        if t is None:
            rows.append([item.seq, "", "", "", "", ""])
        else:
            sec = t.section if t.section != section else ""
            sub = t.subsection if (t.subsection, t.section) != (subsection, section) else ""
            section, subsection = t.section, t.subsection
            sep = "\n" if len(t.lead) > 1 and i % 2 else "、"   # units one per line in some cells
            req = t.requirement or ""
            if i % 5 == 0:    # Alt+Enter inside the cell
                req = re.sub(r"。(?=.)", "。\n", req, count=1)
                if req != (t.requirement or ""):
                    t = items[i].task = replace(t, requirement=req)
            rows.append([item.seq, sec or "", sub or "", req, _units_cell(t, d, sep) or "",
                         t.deadline or ""])
        placed[i] = (len(rows) - 1, cols)
    rows.append([f"合计：共{sum(1 for it in items if it.task is not None)}项", "", "", "", "", ""])
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    out.write_bytes(buf.getvalue().encode("gbk"))
    truth, problems = truth_and_problems(items, placed, d, out.stem)
    return Corpus("csv", out.name, {out.stem: d.name}, truth, problems)


# ---------------------------------------------------------------- (e) a two-sheet .ods

def lay_one_header(tasks: list[SeedTask], d: District, year: int, picks: dict[str, int]) -> tuple[Sheet, list[Item]]:
    s = Sheet(d.name)
    items = plan_items(tasks, d, year, d.name, picks, two_unit_columns=False)
    s.add([f"{year}年政务公开重点工作任务分解表"])
    s.merges.append((0, 0, 0, 5))
    s.add(["序号", "工作任务", None, "具  体  要  求", "责任单位", "完成时限"])
    s.merges.append((1, 1, 1, 2))
    cols = {"seq": 0, "section": 1, "subsection": 2, "requirement": 3, "units": 4, "deadline": 5}
    placed, rows = {}, []
    for i, item in enumerate(items):
        t = item.task
        if t is None:
            r = s.add([item.seq] + [None] * 5)
        else:
            r = s.add([item.seq, t.section, t.subsection, t.requirement, _units_cell(t, d) or None,
                       t.deadline])
        placed[i] = (r, cols)
        rows.append(r)
    for c in (1, 2, 4, 5):
        s.merge_down(c, rows)
    s.placed = placed
    return s, items


def build_ods(out: Path, convert: Callable) -> Corpus:
    first = seed_tasks("changqing_2022.tsv", 2022, dt.date(2022, 6, 10))
    for t in first:   # a sheet without a notice: the relative deadline is not in it
        if t.deadline == "本文件印发后30日内":
            t.deadline, t.due = "2022年7月10日前", "2022-07-10"
    second = [replace(t, deadline=("长期坚持" if n % 4 == 3 else "2025年12月底前"),
                      due=(None if n % 4 == 3 else "2025-12-31"), ongoing=n % 4 == 3)
              for n, t in enumerate(zhangqiu_items())]
    s1, items1 = lay_one_header(first, CHANGQING, 2022, {"unknown-unit": 4, "impossible-date": 20, "empty-task": 30})
    s2, items2 = lay_one_header(second, WENSHANG, 2025, {"vague-deadline": 2, "missing-deadline": 7, "seq-gap": 11})
    s2.rows[0][0] = "2025年政务公开工作要点任务分解表"
    src = write_xlsx(out.with_suffix(".xlsx"), [s1, s2])
    made = convert(src, "ods", out.parent)
    src.unlink()
    assert made == out
    corpus = Corpus("ods", out.name, {s1.name: CHANGQING.name, s2.name: WENSHANG.name})
    for s, items, d in ((s1, items1, CHANGQING), (s2, items2, WENSHANG)):
        truth, problems = truth_and_problems(items, s.placed, d, s.name)
        corpus.tasks += truth
        corpus.problems += problems
    return corpus


# ---------------------------------------------------------------- all of it

def build(out_dir: str | Path, convert: Callable | None = None) -> list[Corpus]:
    """Write every layout into out_dir (the .xls and .ods need `convert`); return the ground truth."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    corpora = [build_docx(out_dir / "2024年任城区政务公开工作要点通知.docx"),
               build_ledger(out_dir / "曲阜市2025年督查台账.xlsx"),
               build_csv(out_dir / "2024年天桥区任务分工WPS导出.csv")]
    if convert is not None:
        corpora.insert(1, build_xls(out_dir / "嘉祥县2022年任务分解表.xls", convert))
        corpora.append(build_ods(out_dir / "2022年各区县任务分解表.ods", convert))
    for c in corpora:
        (out_dir / (c.file + ".truth.json")).write_text(json.dumps(asdict(c), ensure_ascii=False, indent=1),
                                                         encoding="utf-8")
    return corpora


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.splitlines()[2].strip())
        return 2
    sys.path.insert(0, str(ROOT / "tests"))
    from lo import SOFFICE, convert   # LibreOffice, as the tests use it
    corpora = build(argv[0], convert if SOFFICE else None)
    for c in corpora:
        print(f"{c.layout:7} {c.file}: {len(c.tasks)} tasks, {len(c.problems)} problems")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
