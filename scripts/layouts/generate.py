"""One task sheet with its truth, from features chosen at random.

`make_sheet(seed, i)` lays out sheet number i of a run (the same seed and i give the same
sheet), choosing every layout feature at random and recording each by name ("numbering:1.1",
"header:工作内容", "deadline:分阶段", "unit:short" …).  The truth says, per task, the row it
starts on, the requirement, the units as written (lead and cooperating), the deadline's kind,
due date and stages, and the task's own features; per sheet, the rows that head a group and
the planted problems (code and cell).  `write_sheets` writes them as .xlsx, .csv (UTF-8 or
GBK), and .xls / .ods through LibreOffice.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
import random
import shutil
import subprocess
import sys
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from layouts import vocab
from layouts.vocab import Due

sys.path.insert(0, str(vocab.HERE.parent))
from build_layout_corpus import Sheet, col_letter, write_xlsx  # noqa: E402  (the corpus's own grid and writer)

CN = "一二三四五六七八九十"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# dimension → {choice: weight}; a sheet takes one choice of each (recorded as "dimension:choice")
LEVELS = {"county": 5, "city": 2, "province": 1, "township": 1.5}
FORMATS = {"xlsx": 5, "csv-utf8": 1, "csv-gbk": 1, "xls": 1.5, "ods": 1.5}
NUMBERINGS = {"1,2,3": 5, "1,2,3文本": 1, "1.": 1, "（1）": 1, "①": 1, "一、+（一）": 1.5, "1+1.1": 1.5,
              "1.1.1": 1, "一、+1,2,3": 1}
HEADINGS = {"一、+（一）", "1+1.1", "1.1.1", "一、+1,2,3"}
INT_NUMBERINGS = {"1,2,3", "1,2,3文本", "1.", "（1）", "一、+1,2,3"}
TASK_WORDS = ["工作任务", "重点任务", "任务名称"]
REQ_WORDS = ["具体要求", "具  体  要  求", "工作内容", "具体措施", "任务内容"]
UNIT_WORDS = ["责任单位", "责任部门", "承办单位"]
LEAD_SUPPORT_WORDS = [("牵头单位", "配合单位"), ("牵头单位", "责任单位"), ("责任单位", "配合单位")]
DEADLINE_WORDS = ["完成时限", "完成时间", "时间节点", "截止时间"]
EXTRAS = ["责任人", "联系电话", "月度进展", "备注", "开始时间"]
ROLES = {"none": 4, "…牵头，…配合": 2, "牵头单位：…；配合单位：…": 1, "…负责，…参与": 1}
SEPARATORS = {"、": 5, "，": 2, ",": 1, "换行": 2, "、+空格": 1, "；": 1, "空格": 1}
# an office writes its units one way: full names (and collective names) always, each other
# form on a sheet with probability OTHER_FORM, then as often as its weight says
UNIT_FORM_WEIGHTS = {"full": 5, "collective": 1, "short": 3, "zone": 1, "vertical": 1, "second": 1, "person": 1,
                     "village": 1}
OTHER_FORM = 0.2
PLANTS = {"unknown-unit": 0.3, "impossible-date": 0.2, "vague-deadline": 0.2, "missing-units": 0.15,
          "seq-duplicate": 0.15}
PLANS = ["政务公开工作要点", "重点工作", "优化营商环境工作", "民生实事"]
# An online form's export beside the task tables, after FORM_EXPORT of the sheets of a run
# (`sheets_of`; decided by an rng of its own, so the tables of a run stay the tables they
# were): the services' own columns around the questions, one row per unit's report.
FORM_EXPORT = 0.05
SERVICES = {"腾讯收集表": 1, "问卷星": 1, "金山表单": 1}
FORM_UNIT_WORDS = ["填写单位", "单位名称", "所在单位", "填报单位"]
FORM_TASK_WORDS = ["工作任务", "任务名称", "重点任务", "具体要求"]
FORM_NUMBER_WORDS = ["任务序号", "任务编号"]


@dataclass
class TaskTruth:
    row: int                      # Excel row (1-based) where the task starts
    label: str                    # its number as written
    requirement: str
    lead: list[str]               # units as written
    support: list[str]
    units_text: str               # the source text of its unit cell(s)
    due: dict                     # Due as a dict
    features: list[str] = field(default_factory=list)


@dataclass
class SheetTruth:
    file: str
    sheet: str
    format: str
    place: str
    level: str
    year: int
    features: list[str] = field(default_factory=list)
    tasks: list[TaskTruth] = field(default_factory=list)
    headings: list[int] = field(default_factory=list)     # rows that head a group: not tasks
    problems: list[dict] = field(default_factory=list)    # {"code", "cell"}


def _pick(rng: random.Random, weights: dict) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


@dataclass
class _Task:
    requirement: str
    lead: list[str]
    support: list[str]
    deadline: Any
    due: Due
    features: list[str]
    sep: str
    title: str | None = None
    plant: str | None = None
    merged: set = field(default_factory=set)      # "units", "deadline": shared with the row above
    label: str = ""


class Layout:
    """The columns of one sheet and where they land (offset, a blank column)."""

    def __init__(self, keys: list[str], col0: int):
        self.keys, self.col0 = keys, col0

    @property
    def width(self) -> int:
        return self.col0 + len(self.keys)

    def col(self, key: str) -> int:
        return self.col0 + self.keys.index(key)

    def row(self, values: dict[str, Any]) -> list[Any]:
        out: list[Any] = [None] * self.width
        for k, v in values.items():
            if k in self.keys:
                out[self.col(k)] = v
        return out


def make_sheet(seed: int, i: int, formats: dict | None = None) -> tuple[Sheet, SheetTruth]:
    rng = random.Random(f"{seed}-{i}")
    feats: list[str] = []

    def pick(dim: str, weights: dict) -> Any:
        choice = _pick(rng, weights)
        feats.append(f"{dim}:{choice}")
        return choice

    def maybe(name: str, p: float) -> bool:
        if rng.random() < p:
            feats.append(name)
            return True
        return False

    level = pick("level", LEVELS)
    p = vocab.place(rng, level)
    year = rng.choice([2022, 2023, 2024, 2025])
    issued = dt.date(year, rng.randint(1, 4), rng.randint(1, 28))
    fmt = pick("format", formats or FORMATS)
    csv_like = fmt.startswith("csv")
    num = pick("numbering", NUMBERINGS)

    # ------------------------------------------------------------ columns and header
    header_rows = pick("header-rows", {1: 5, 2: 2, 3: 1})
    task_cols = pick("task-column", {"none": 3, "one": 3, "two": 1})
    combined_req = task_cols == "one" and maybe("header:工作任务及具体要求", 0.3)
    if combined_req:
        task_cols = "none"
    unit_cols = "lead+support" if header_rows > 1 else pick("unit-columns", {"one": 4, "lead+support": 2})
    if header_rows > 1:
        feats.append("unit-columns:lead+support")
    roles = pick("roles", ROLES) if unit_cols == "one" else "columns"
    combined_ud = unit_cols == "one" and maybe("header:责任单位及完成时限", 0.15)
    keys = ["seq"] + {"none": [], "one": ["task"], "two": ["section", "subsection"]}[task_cols] + ["req"]
    keys += ["ud"] if combined_ud else (["units"] if unit_cols == "one" else ["lead", "support"])
    extras = [e for e in EXTRAS if maybe(f"extra:{e}", 0.12)]
    keys += [e for e in extras if e in ("责任人", "联系电话")]
    keys += ["开始时间"] if "开始时间" in extras else []
    keys += [] if combined_ud else ["deadline"]
    keys += [e for e in extras if e in ("月度进展", "备注")]
    if maybe("blank-column", 0.15):
        keys.insert(rng.randint(1, len(keys) - 1), "blank")
    offset = maybe("offset:C5", 0.2)
    lay = Layout(keys, 2 if offset else 0)

    words: dict[str, str] = {"seq": rng.choice(["序号", "编号"]), "req": "工作任务及具体要求" if combined_req
                             else rng.choice(REQ_WORDS)}
    if task_cols == "one":
        words["task"] = rng.choice(TASK_WORDS)
    if task_cols == "two":
        words["section"] = words["subsection"] = rng.choice(TASK_WORDS[:2])
    if combined_ud:
        words["ud"] = "责任单位及完成时限"
    elif unit_cols == "one":
        words["units"] = rng.choice(UNIT_WORDS)
    else:
        words["lead"], words["support"] = rng.choice(LEAD_SUPPORT_WORDS) if header_rows == 1 else LEAD_SUPPORT_WORDS[0]
    if not combined_ud:
        words["deadline"] = rng.choice(DEADLINE_WORDS)
    for e in extras:
        words[e] = e
    feats += [f"header:{words[k].replace('  ', '')}{'(空格)' if '  ' in words[k] else ''}" for k in ("seq", "req", "task", "section", "units", "lead",
                                                              "support", "deadline") if k in words
              and not (k == "req" and combined_req)]
    header, header_merges = _header(lay, words, header_rows, rng)

    # ------------------------------------------------------------ the tasks
    n = rng.randint(6, 18)
    groups = _groups(rng, num, n)
    relative_ok = maybe("above:印发日期", 0.3)
    forms = {f: w for f, w in UNIT_FORM_WEIGHTS.items()
             if f in ("full", "collective") or (rng.random() < OTHER_FORM and (f != "village" or level == "township"))}
    tasks = [_task(rng, p, year, issued, relative_ok, csv_like or combined_ud, unit_cols, forms) for _ in range(n)]
    for g in groups:   # under heading rows a task has its own title, or none
        for t in g["tasks"]:
            tasks[t].title = g["title"] if num not in HEADINGS else rng.choice([None, rng.choice(vocab.titles())])
    _plant(rng, tasks, num, year, p, feats)
    _labels(groups, tasks, num)
    if not csv_like and not combined_ud:   # a csv has no merged cells
        _share(rng, tasks, groups, "units", feats)
        _share(rng, tasks, groups, "deadline", feats)

    # ------------------------------------------------------------ rows
    s = Sheet(rng.choice(["Sheet1", "任务分解表", "任务分工", "台账", p.name[:20]]))
    truth = SheetTruth("", s.name, fmt, p.name, level, year)
    for _ in range(4 if offset else 0):
        s.add([])
    plan = rng.choice(PLANS)
    above = pick("above", {"none": 1, "title": 3, "附件+title": 2})
    if above == "附件+title":
        s.add(lay.row({"seq": "附件" + rng.choice(["", "1", "2"])}))
    if above != "none":
        r = s.add(lay.row({"seq": f"{year}年{p.name}{plan}任务分解表"}))
        s.merges.append((r, lay.col0, r, lay.width - 1))
    if relative_ok:
        s.add(lay.row({"seq": f"{p.name}人民政府办公室 {issued.year}年{issued.month}月{issued.day}日印发"}))

    def put_header() -> None:
        top = len(s.rows)
        for values in header:
            s.header_rows.add(s.add(values))
        s.merges.extend((r0 + top, c0, r1 + top, c1) for r0, c0, r1, c1 in header_merges)

    put_header()
    band = num not in HEADINGS and maybe("band-rows", 0.15)
    page_break = n >= 8 and maybe("page-break-header", 0.25)
    split = pick("split-row", {"none": 6, "requirement": 1, "deadline": 1, "units": 1}) if n >= 6 else "none"
    k_break = rng.choice([k for k in range(2, n - 2) if not tasks[k + 1].merged] or [n - 1])
    k_split = _split_task(tasks, split, k_break, unit_cols, combined_ud)
    if k_split is None and split != "none":
        feats.remove(f"split-row:{split}")
        feats.append("split-row:none")
    task_rows: dict[int, int] = {}
    # a band is written in the 序号 column or, 序号 left empty, in the first text column (its own
    # stream, so the rest of the sheet is the same either way)
    band_key = "seq" if random.Random(f"{seed}-{i}-band").random() < 0.5 else next(
        k for k in ("task", "section", "req") if k in keys)
    for gi, g in enumerate(groups):
        if band:
            r = s.add(lay.row({band_key: f"{CN[gi % 10]}、{g['title']}（共{len(g['tasks'])}项）"}))
            s.merges.append((r, lay.col0 if band_key == "seq" else lay.col(band_key), r, lay.width - 1))
        for h in g["headings"]:
            label, title = h
            text_key = "task" if "task" in keys else "section" if "section" in keys else "req"
            r = s.add(lay.row({"seq": label, text_key: title}))
            truth.headings.append(r + 1)
        for t in g["tasks"]:
            task = tasks[t]
            r = s.add(lay.row(_cells(rng, task, lay, roles, p, year)))
            task_rows[t] = r
            if t == k_split:
                _split(s, lay, r, task, split, put_header if page_break else None)
            elif page_break and t == k_break:
                put_header()
    if maybe("total-row", 0.2):
        s.add(lay.row({"seq": f"合计：共{n}项"}) if rng.random() < 0.5 else lay.row({"seq": "合计", "req": f"共{n}项"}))
    for key in ("task", "section"):
        if key in keys and not csv_like:
            _merge_runs(s, lay.col(key), [task_rows[t] for t in range(n)])
    for what, ks in (("units", ("units", "lead", "support")), ("deadline", ("deadline",))):
        t = 1
        while t < n:
            if what not in tasks[t].merged:
                t += 1
                continue
            first = t - 1
            while t < n and what in tasks[t].merged:
                t += 1
            for k in ks:
                if k in keys:
                    c = lay.col(k)
                    s.merges.append((task_rows[first], c, task_rows[t - 1], c))
                    for u in range(first + 1, t):
                        s.rows[task_rows[u]][c] = None
    # ------------------------------------------------------------ truth
    for t, task in enumerate(tasks):
        r = task_rows[t]
        lead, support = (task.lead + task.support, []) if roles == "none" else (task.lead, task.support)
        unit_text = " ".join(str(x) for x in _unit_texts(task, roles, p))
        truth.tasks.append(TaskTruth(r + 1, task.label, task.requirement, lead, support, unit_text,
                                     asdict(task.due), task.features))
        if task.plant:
            key = {"unknown-unit": "ud" if combined_ud else "units" if unit_cols == "one" else "lead",
                   "missing-units": "ud" if combined_ud else "units" if unit_cols == "one" else "lead",
                   "impossible-date": "ud" if combined_ud else "deadline",
                   "vague-deadline": "ud" if combined_ud else "deadline", "seq-duplicate": "seq"}[task.plant]
            truth.problems.append({"code": task.plant, "cell": f"{col_letter(lay.col(key))}{r + 1}"})
    truth.features = feats
    return s, truth


def sheets_of(seed: int, i: int, formats: dict | None = None) -> list[tuple[Sheet, SheetTruth]]:
    """Sheet i of a run: the task table, and after it now and then an online form's export."""
    out = [make_sheet(seed, i, formats)]
    if random.Random(f"{seed}-{i}-form").random() < FORM_EXPORT:
        out.append(make_form_export(random.Random(f"{seed}-{i}-form-export"), formats))
    return out


def make_form_export(rng: random.Random, formats: dict | None = None) -> tuple[Sheet, SheetTruth]:
    """An online form's export of a county's progress reports: the service's columns (序号,
    提交者, 提交时间 …, as 腾讯收集表, 问卷星 or 金山表单 write them), the unit's answer, a
    contact person and phone (never units), the task's number and text, its deadline when
    the form repeats it, the progress; two or three units often report on one task.  The
    truth per row: the task text as the requirement, the unit as the one lead unit."""
    feats = ["layout:form-export"]
    service = _pick(rng, SERVICES)
    feats.append(f"form:{service}")
    fmt = _pick(rng, formats or FORMATS)
    feats.append(f"format:{fmt}")
    p = vocab.place(rng, "county")
    year = rng.choice([2022, 2023, 2024, 2025])
    issued = dt.date(year, 2, 1)
    unit_q, task_q = rng.choice(FORM_UNIT_WORDS), rng.choice(FORM_TASK_WORDS)
    number_q = rng.choice(FORM_NUMBER_WORDS) if rng.random() < 0.7 else None
    deadline_q = "完成时限" if rng.random() < 0.4 else None
    questions = [unit_q, "联系人", "联系电话", *([number_q] if number_q else []), task_q,
                 *([deadline_q] if deadline_q else []), "进展情况", "存在问题"]
    if service == "腾讯收集表":
        header = ["提交时间（自动）", *[f"{q}（必填）" if q != "存在问题" else q for q in questions], "提交者（自动）"]
    elif service == "问卷星":
        header = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP",
                  *[f"{k}、{q}" for k, q in enumerate(questions, 1)]]
    else:
        header = ["序号", "提交者", "提交时间", *questions]
    unit_col = next(c for c, h in enumerate(header) if unit_q in h)
    tasks = []
    for n, requirement in enumerate(rng.sample(vocab.requirements(), rng.randint(3, 6)), 1):
        form = rng.choice(["年月底前", "月底前", "年底前"])
        cell, due = vocab.deadline(rng, form, year, issued)
        tasks.append((n, requirement, cell, due))
    units = list(dict.fromkeys(vocab.unit(rng, p, "full") for _ in range(12)))
    reports = [(task, unit) for task in tasks for unit in rng.sample(units, rng.choices([1, 2, 3], [3, 2, 1])[0])]
    rng.shuffle(reports)
    start = dt.datetime(year, rng.randint(3, 11), rng.randint(1, 20), 9, 0)
    s = Sheet(rng.choice(["Sheet1", "收集结果", "数据"]))
    truth = SheetTruth("", s.name, fmt, p.name, "county", year)
    s.header_rows.add(s.add(header))
    plant = rng.randrange(len(reports)) if rng.random() < 0.3 else None
    if plant is not None:
        feats.append("plant:unknown-unit")
    for k, ((n, requirement, cell, due), unit) in enumerate(reports):
        if k == plant:
            unit = vocab.typo(unit, rng)
        when = start + dt.timedelta(minutes=37 * k + rng.randint(0, 30), seconds=rng.randint(0, 59))
        person = rng.choice(vocab.PERSONS)
        answers = {unit_q: unit, "联系人": person, "联系电话": f"1{rng.randint(30, 99)}{rng.randint(0, 10**8 - 1):08d}",
                   number_q: n, task_q: requirement, deadline_q: cell,
                   "进展情况": rng.choice(["已制定工作方案，正在推进。", "按计划推进", "已完成"]), "存在问题": rng.choice(["无", None])}
        values = [answers[q] for q in questions]
        if service == "腾讯收集表":
            row = [when, *values, f"{person[0]}主任"]
        elif service == "问卷星":
            row = [k + 1, when.strftime("%Y/%m/%d %H:%M:%S"), f"{rng.randint(40, 400)}秒", "微信", "N/A",
                   f"36.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}(山东-济南)", *values]
        else:
            row = [k + 1, person, when, *values]
        r = s.add(row)
        truth.tasks.append(TaskTruth(r + 1, str(n) if number_q else "", requirement, [unit], [], unit,
                                     asdict(due if deadline_q else Due("none")), []))
        if k == plant:
            truth.problems.append({"code": "unknown-unit", "cell": f"{col_letter(unit_col)}{r + 1}"})
    truth.features = feats
    return s, truth


# ---------------------------------------------------------------- pieces

def _header(lay: Layout, words: dict[str, str], n: int, rng: random.Random):
    """The header rows (1–3) as values, and their merges (0-based, relative to the first):
    2 rows put 责任单位 over 牵头单位 | 配合单位; 3 rows put 责任分工 over those and the deadline."""
    rows = [[None] * lay.width for _ in range(n)]
    merges = []
    span = (lay.col("lead"), lay.col("deadline")) if n == 3 else None

    def word(r: int, key: str, last: int | None = None) -> None:
        c = lay.col(key)
        rows[r][c] = words[key]
        if n - 1 > r or last is not None:
            merges.append((r, c, n - 1, last if last is not None else c))

    for key in lay.keys:
        c = lay.col(key)
        if key in ("blank", "subsection", "lead", "support"):
            continue
        inside = span is not None and span[0] <= c <= span[1]
        word(1 if inside else 0, key, lay.col("subsection") if key == "section" else None)
    if "lead" in lay.keys:
        lead, support = lay.col("lead"), lay.col("support")
        if n == 1:
            rows[0][lead], rows[0][support] = words["lead"], words["support"]
        else:
            rows[n - 2][lead] = "责任单位"
            merges.append((n - 2, lead, n - 2, support))
            rows[n - 1][lead], rows[n - 1][support] = words["lead"], words["support"]
    if span is not None:
        rows[0][span[0]] = "责任分工"
        merges.append((0, span[0], 0, span[1]))
    return rows, merges


def _groups(rng: random.Random, num: str, n: int) -> list[dict]:
    """Tasks 0..n-1 in groups of 2–4, each with its heading rows (label, title) when the
    numbering has headings."""
    groups, t = [], 0
    titles = rng.sample(vocab.titles(), 12)
    while t < n:
        k = min(rng.randint(2, 4), n - t)
        groups.append({"title": titles[len(groups) % 12], "tasks": list(range(t, t + k)), "headings": []})
        t += k
    for gi, g in enumerate(groups, start=1):
        if num in ("一、+（一）", "一、+1,2,3"):
            g["headings"] = [(f"{CN[(gi - 1) % 10]}、", g["title"])]
        elif num == "1+1.1":
            g["headings"] = [(gi if rng.random() < 0.5 else str(gi), g["title"])]
        elif num == "1.1.1":
            g["headings"] = [(str(gi), g["title"]), (f"{gi}.1", titles[(gi + 5) % 12])]
    return groups


def _labels(groups: list[dict], tasks: list[_Task], num: str) -> None:
    k = 0
    for gi, g in enumerate(groups, start=1):
        for j, t in enumerate(g["tasks"], start=1):
            if tasks[t].plant != "seq-duplicate":
                k += 1
            tasks[t].label = {"1,2,3": k, "1,2,3文本": str(k), "1.": f"{k}.", "（1）": f"（{k}）",
                              "①": CIRCLED[(k - 1) % 20], "一、+（一）": f"（{_cn(k)}）", "1+1.1": f"{gi}.{j}",
                              "1.1.1": f"{gi}.1.{j}", "一、+1,2,3": k}[num]


def _cn(k: int) -> str:
    if k <= 10:
        return CN[k - 1]
    return ("" if k < 20 else CN[k // 10 - 1]) + "十" + (CN[k % 10 - 1] if k % 10 else "")


def _task(rng, p, year, issued, relative_ok, text_only, unit_cols, forms: dict) -> _Task:
    feats: list[str] = []
    names: list[str] = []
    n_lead = rng.choices([1, 2, 3], [6, 3, 1])[0]
    n_support = 0 if rng.random() < 0.5 else rng.randint(1, 3)
    bodies: set[str] = set()
    while len(names) < n_lead + n_support:
        form = _pick(rng, forms)
        name = vocab.unit(rng, p, form)
        if vocab.body(name, p) not in bodies:   # each body once a task, in whichever form
            bodies.add(vocab.body(name, p))
            names.append(name)
            feats.append(f"unit:{form}")
    sep = _pick(rng, SEPARATORS)
    if len(names) > 1 and not (unit_cols == "lead+support" and n_lead == 1 and n_support == 1):
        feats.append(f"separator:{sep}")
    choices = [f for f in vocab.DEADLINE_FORMS if relative_ok or f not in vocab.RELATIVE_FORMS]
    weights = [6 if f in ("年月底前", "月底前") else 1 for f in choices]
    form = rng.choices(choices, weights)[0]
    cell, due = vocab.deadline(rng, form, year, issued)
    if text_only and isinstance(cell, dt.datetime):   # a csv export writes the date as text
        form, cell = "2025/6/30", f"{cell.year}/{cell.month}/{cell.day}"
    feats.append(f"deadline:{form}")
    return _Task(rng.choice(vocab.requirements()), names[:n_lead], names[n_lead:], cell, due,
                 sorted(set(feats)), sep)


def _plant(rng, tasks: list[_Task], num: str, year: int, p, feats: list[str]) -> None:
    free = list(range(1, len(tasks)))
    rng.shuffle(free)
    for code, prob in PLANTS.items():
        if rng.random() >= prob or not free or (code == "seq-duplicate" and num not in INT_NUMBERINGS):
            continue
        t = tasks[free.pop()]
        t.plant = code
        t.features.append(f"plant:{code}")
        feats.append(f"plant:{code}")
        if code == "unknown-unit":
            t.lead[-1] = vocab.typo(t.lead[-1], rng)
        elif code == "missing-units":
            t.lead, t.support = [], []
        elif code == "impossible-date":
            t.deadline = rng.choice([f"{year}年13月底前", f"{year}年2月30日前", "2月30日前", f"{year}年0月底前"])
            t.due = Due("problem")
        elif code == "vague-deadline":
            t.deadline, t.due = rng.choice(["尽快", "尽早", "适时"]), Due("problem")


def _share(rng, tasks: list[_Task], groups: list[dict], what: str, feats: list[str]) -> None:
    """Runs of 2–3 tasks of a group sharing their units (or deadline) in one merged cell."""
    if rng.random() >= 0.25:
        return
    feats.append(f"merged:{what}")
    for g in groups:
        ts = g["tasks"]
        if len(ts) < 2 or rng.random() < 0.4:
            continue
        run = ts[: rng.randint(2, len(ts))]
        if any(tasks[t].plant for t in run):
            continue
        first = tasks[run[0]]
        for t in run[1:]:
            task = tasks[t]
            if what == "units":
                task.lead, task.support, task.sep = list(first.lead), list(first.support), first.sep
                task.features = sorted({f for f in task.features if not f.startswith(("unit:", "separator:"))}
                                       | {f for f in first.features if f.startswith(("unit:", "separator:"))})
            else:
                task.deadline, task.due = first.deadline, first.due
                task.features = sorted({f for f in task.features if not f.startswith("deadline:")}
                                       | {f for f in first.features if f.startswith("deadline:")})
            task.merged.add(what)
            task.features.append(f"merged:{what}")


def _join(names: list[str], sep: str) -> str:
    return {"换行": "\n", "、+空格": "、 ", "空格": " "}.get(sep, sep).join(names)


def _unit_texts(task: _Task, roles: str, p) -> list[str]:
    """The unit cell(s) as written: [one cell] or [lead cell, support cell]."""
    lead, support = _join(task.lead, task.sep), _join(task.support, task.sep)
    if not task.lead and not task.support:
        return ["", ""]
    if roles == "columns":
        return [lead, support]
    if roles == "none":
        return [_join(task.lead + task.support, task.sep)]
    if not task.support:
        return [{"…牵头，…配合": lead, "…负责，…参与": f"{lead}负责"}.get(roles, f"牵头单位：{lead}")]
    if roles == "…牵头，…配合":
        return [f"{lead}牵头，{support}配合"]
    if roles == "…负责，…参与":
        return [f"{lead}负责，{support}参与"]
    return [f"牵头单位：{lead}；配合单位：{support}"]


def _cells(rng, task: _Task, lay: Layout, roles: str, p, year: int) -> dict[str, Any]:
    cells: dict[str, Any] = {"seq": task.label, "req": task.requirement}
    if "task" in lay.keys:
        cells["task"] = task.title
    if "section" in lay.keys:
        cells["section"], cells["subsection"] = task.title, rng.choice(vocab.titles())
    units = _unit_texts(task, roles, p)
    if "ud" in lay.keys:
        cells["ud"] = units[0] + rng.choice(["\n", "\n", "；"]) + str(task.deadline) if units[0] else str(task.deadline)
    elif "units" in lay.keys:
        cells["units"] = units[0] or None
    else:
        cells["lead"], cells["support"] = units[0] or None, units[1] or None
    if "deadline" in lay.keys:
        cells["deadline"] = task.deadline
    cells["责任人"] = rng.choice(vocab.PERSONS)
    cells["联系电话"] = rng.choice([f"1{rng.randint(30, 99)}{rng.randint(0, 10**8 - 1):08d}",
                                  f"0{rng.randint(531, 539)}-{rng.randint(1000000, 9999999)}"])
    cells["月度进展"] = rng.choice(["已制定工作方案，正在推进。", "按计划推进", None])
    cells["备注"] = rng.choice([None, None, "重点任务", "新增"])
    cells["开始时间"] = f"{year}年{rng.randint(1, 3)}月"
    return cells


def _split_task(tasks: list[_Task], split: str, k_break: int, unit_cols: str, combined_ud: bool) -> int | None:
    """The task whose row is split at the page break (the one just before it), if it can be."""
    for k in [k_break] + list(range(len(tasks))):
        t = tasks[k]
        if t.plant or t.merged or (k + 1 < len(tasks) and tasks[k + 1].merged):
            continue
        if split == "requirement" and len(t.requirement) > 20:
            return k
        if split == "deadline" and not combined_ud and isinstance(t.deadline, str) and t.deadline.endswith("底前") \
                and "\u3000" not in t.deadline:
            return k
        if split == "units" and not combined_ud and len(t.lead) >= 2 and t.sep in ("、", "，"):
            return k
    return None


def _split(s: Sheet, lay: Layout, r: int, task: _Task, split: str, header) -> None:
    """Row r continues on the next row (after the repeated header when a page breaks there)."""
    if split == "requirement":
        key, cut = "req", len(task.requirement) // 2
        head, tail = task.requirement[:cut], task.requirement[cut:]
    elif split == "deadline":
        key, head, tail = "deadline", task.deadline[:-1], "前"
    else:
        key = "units" if "units" in lay.keys else "lead"
        text = s.rows[r][lay.col(key)]
        cut = text.index(task.lead[1])
        head, tail = text[:cut], text[cut:]
    s.rows[r][lay.col(key)] = head
    if header is not None:
        header()
    s.add(lay.row({key: tail}))


def _merge_runs(s: Sheet, c: int, rows: list[int]) -> None:
    """The task column merged over consecutive rows holding the same title (the top keeps it)."""
    s.merge_down(c, rows)


# ---------------------------------------------------------------- files

def file_name(truth: SheetTruth, i: int) -> str:
    ext = {"csv-utf8": "csv", "csv-gbk": "csv"}.get(truth.format, truth.format)
    if "layout:form-export" in truth.features:   # as the services name a download
        return f"{truth.year}年{truth.place}重点任务进展收集表（收集结果）-{i:05d}.{ext}"
    return f"{truth.year}年{truth.place}任务分解表-{i:05d}.{ext}"


def write_sheets(sheets: list[tuple[Sheet, SheetTruth]], out: Path, first: int = 0) -> list[SheetTruth]:
    """Write each sheet in its format into `out`; .xls and .ods are converted by LibreOffice in
    one batch per format (skipped, as .xlsx, when soffice is missing)."""
    out.mkdir(parents=True, exist_ok=True)
    convert: dict[str, list[Path]] = {}
    soffice = shutil.which("soffice")
    for n, (sheet, truth) in enumerate(sheets):
        if truth.format in ("xls", "ods") and not soffice:
            truth.format = "xlsx"
            truth.features = [f if not f.startswith("format:") else "format:xlsx" for f in truth.features]
        truth.file = file_name(truth, first + n)
        path = out / truth.file
        if truth.format.startswith("csv"):
            buf = io.StringIO(newline="")
            csv.writer(buf, lineterminator="\r\n").writerows(
                [["" if v is None else v for v in row] for row in sheet.rows])
            text = buf.getvalue()
            try:
                data = text.encode("gbk") if truth.format == "csv-gbk" else b"\xef\xbb\xbf" + text.encode("utf-8")
            except UnicodeEncodeError:   # a name GBK cannot hold: the office would have saved UTF-8
                truth.format = "csv-utf8"
                truth.features = [f if f != "format:csv-gbk" else "format:csv-utf8" for f in truth.features]
                data = b"\xef\xbb\xbf" + text.encode("utf-8")
            path.write_bytes(data)
        elif truth.format in ("xls", "ods"):
            (out / "src").mkdir(exist_ok=True)
            src = write_xlsx(out / "src" / (path.stem + ".xlsx"), [sheet])
            convert.setdefault(truth.format, []).append(src)
        else:
            write_xlsx(path, [sheet])
    for fmt, srcs in convert.items():
        _soffice(srcs, fmt, out)
    if (out / "src").exists():
        shutil.rmtree(out / "src")
    return [t for _, t in sheets]


def _soffice(srcs: list[Path], fmt: str, outdir: Path) -> None:
    profile = Path("/tmp") / f"xltools_gen_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        for k in range(0, len(srcs), 200):
            subprocess.run([shutil.which("soffice"), "--headless", f"-env:UserInstallation=file://{profile}",
                            "--convert-to", fmt, "--outdir", str(outdir), *map(str, srcs[k:k + 200])],
                           check=True, capture_output=True, timeout=900)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def all_features() -> list[str]:
    """Every feature name a sheet or a task can carry (what the per-feature test is
    parametrized by)."""
    names = [f"level:{x}" for x in LEVELS] + [f"format:{x}" for x in FORMATS] + \
        [f"numbering:{x}" for x in NUMBERINGS] + [f"header-rows:{x}" for x in (1, 2, 3)] + \
        [f"task-column:{x}" for x in ("none", "one", "two")] + ["unit-columns:one", "unit-columns:lead+support"] + \
        [f"roles:{x}" for x in ROLES] + ["header:工作任务及具体要求", "header:责任单位及完成时限"] + \
        [f"header:{w.replace('  ', '')}{'(空格)' if '  ' in w else ''}"
         for w in dict.fromkeys(["序号", "编号"] + TASK_WORDS + REQ_WORDS + UNIT_WORDS
                                + [w for pair in LEAD_SUPPORT_WORDS for w in pair] + DEADLINE_WORDS)] + \
        [f"extra:{e}" for e in EXTRAS] + ["blank-column", "offset:C5", "above:印发日期"] + \
        [f"above:{x}" for x in ("none", "title", "附件+title")] + ["band-rows", "page-break-header", "total-row"] + \
        [f"split-row:{x}" for x in ("none", "requirement", "deadline", "units")] + ["merged:units", "merged:deadline"] + \
        [f"plant:{c}" for c in PLANTS] + [f"unit:{f}" for f in UNIT_FORM_WEIGHTS] + \
        [f"separator:{s}" for s in SEPARATORS] + [f"deadline:{f}" for f in vocab.DEADLINE_FORMS] + \
        ["layout:form-export"] + [f"form:{x}" for x in SERVICES]
    return list(dict.fromkeys(names))
