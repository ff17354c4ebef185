#!/usr/bin/env python3
"""Task-breakdown sheets across the domain's variety, each with its truth.

    python scripts/generate_layouts.py OUT_DIR --seeds 60 [--first 0] [--grade [--json FILE]]

`generate(seed, folder)` writes `<seed>-<name>.xlsx` (a sheet an office could keep, named as
offices name them: after the plan, or 附件N when the title is in the sheet) and the same
name .json (its truth), and returns the truth; `grade` reads one back with read_plan +
validate_plan; `measure`, `tally`, `table` do it per seed and per variant.  Every choice is
drawn from the seed alone, independently of the others, and recorded as
"dimension:choice" in `variants`:

level       province (省直部门) · city (市直部门) · county (区直/县直) · township (镇/街道 offices),
            unit names from xltools' bundled registry (UnitRegistry.default()) at that level,
            their short forms (registry aliases, 和 dropped, 委员会 → 委), collective names,
            functional zones, vertical bodies, 社区
place-named the title names the place · says 全市/全省/全区 (the place is in the file name) ·
            no title names it (the file name does)
numbering   1,2,3 (as text or numbers) · 1、 · 一、 over （一） · 一、 over （一） over 1. ·
            一、 over 1,2,3 · 1 over 1.1 (1.1 as text or as the number Excel makes of it) ·
            第一条 · （1） · ①; with or without a 序号 column (1,2,3 only)
sections    none · a row spanning the table (merged, or text only) · a numbered heading row
tasks       one task column (具体要求) · two (工作任务 merged over its rows + 具体要求)
header      the domain's synonyms for every column (spaced ones too); an extra column after
            (备注, 责任人 …); the table at A1 or B2
above       nothing · a title · 附件 + title + 印发 line (（…印发）, the office and date, or a date)
units       one column · 牵头单位：…；配合单位：… in one column · …牵头，…配合 · …（牵头）、… ·
            牵头单位 | 配合单位 columns (header in one row or two); 责任单位及完成时限 in one column
separator   、 · ， · ； · line break · spaces
deadline    per task, from the grammar (2024年12月底前, 12月底前, 长期坚持, 本文件印发后30日内 (with an 印发 date),
            每季度末, 每月25日前, 上半年, 三季度末, 年底前, 全年, 11月中旬, 2024.6.30, a real Excel date, full-width digits,
            2024年3月—6月, 2024年9月底前完成，长期坚持, staged: 6月底前完成方案，12月底前全面完成 or one stage a line,
            每两个月/每两周/每半月/每两年/每旬, “十四五”期间 (the plan year's five-year plan), 收到通知之日起10日内)
page        header rows repeated at page breaks (after 续表 or not); now and then a row split in two there
shared      units or a deadline merged down over consecutive tasks
also        blank rows between sections; a 说明 sheet before the table's; places of every kind
            (省, 市, 区, 县, county-level 市, 旗, 街道 with its county)

The truth is written from the domain (what the office meant), never asked of xltools:
per task the row it starts on, its number as written, requirement, lead and cooperating
units as written, and its deadline (kind, due date, ongoing, stages).  No problem is
planted: every error finding on these sheets is a false one.
"""
from __future__ import annotations

import argparse
import calendar
import datetime as dt
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))   # this checkout's xltools

from xltools import UnitRegistry  # noqa: E402

CN = "一二三四五六七八九十"
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# real places of each level (GB/T 2260); a township with the county it belongs to
PLACES = {
    "province": ["山东省", "河南省", "江苏省", "浙江省", "四川省"],
    "city": ["济南市", "济宁市", "青岛市", "洛阳市", "苏州市"],
    "county": ["历下区", "天桥区", "章丘区", "长清区", "嘉祥县", "平阴县", "曲阜市", "邹城市", "土默特左旗"],
    "township": ["历下区泉城路街道", "章丘区明水街道", "天桥区北坦街道", "长清区平安街道"],
}
# the collective names an office of each level writes
COLLECTIVE = {
    "province": ["各市人民政府", "各市政府", "省直有关部门"],
    "city": ["各县（市、区）人民政府", "各区县政府", "市直有关部门", "各区县（功能区）"],
    "county": ["各街道办事处", "{p}直有关部门", "各镇（街道）"],
    "township": ["各社区", "各村（社区）"],
}
# bodies of other kinds an office of each level names: functional zones, vertical bodies, 社区
OTHER_BODIES = {
    "province": ["省税务局", "国家税务总局{place}税务局", "省气象局", "省通信管理局"],
    "city": ["{name}高新区管委会", "市税务局", "市气象局", "国网{name}供电公司"],
    "county": ["{name}经济开发区管委会", "{p}税务局", "{p}气象局", "{p}公安分局"],
    "township": ["{name}社区", "新村社区居委会", "区民政局", "区城市管理局"],
}
OFFICE = {"province": "人民政府办公厅", "city": "人民政府办公室", "county": "人民政府办公室", "township": "党政办公室"}
ROLE_WORDS = [("牵头单位：", "；配合单位："), ("牵头单位：", "\n配合单位："), ("牵头：", "；配合："), ("牵头单位:", "；协办单位:")]
LEVEL_WORDS = {"province": "省直部门", "city": "市直部门", "county": "区直/县直部门", "township": "镇/街道内设机构"}
NUMBERINGS = ["1,2,3", "1、", "一、+（一）", "一、+（一）+1", "一、+1,2,3", "1+1.1", "第一条", "（1）", "①"]
HIERARCHICAL = {"一、+（一）", "一、+（一）+1", "一、+1,2,3", "1+1.1"}
# how a whole place is named in a title instead of its name (全市 …)
WHOLE = {"province": "全省", "city": "全市", "county": "全区", "township": "全街道"}
HEADER = {
    "seq": ["序号", "编号", "序  号"],
    "task": ["工作任务", "重点任务", "任务名称", "主要任务"],
    "requirement": ["具体要求", "具  体  要  求", "工作内容", "具体措施", "任务内容", "主要措施", "工作措施"],
    "units": ["责任单位", "责任部门", "承办单位", "责 任 单 位", "责任主体"],
    "lead": ["牵头单位", "牵头部门", "牵头责任单位", "主责单位"],
    "support": ["配合单位", "配合部门", "协办单位", "配合责任单位", "参与单位"],
    "deadline": ["完成时限", "完成时间", "时间节点", "截止时间", "完 成 时 限", "完成期限", "时间安排"],
    "units+deadline": ["责任单位及完成时限", "责任单位和完成时限"],
    "extra": ["备注", "责任人", "进展情况", "联系人及电话"],
}
SEPARATORS = {"、": "、", "，": "，", "；": "；", "换行": "\n", "空格": " "}
PLANS = ["政务公开工作要点", "重点工作", "优化营商环境工作", "民生实事项目", "数字政府建设工作"]
TABLES = ["任务分解表", "任务分工方案", "重点任务清单", "工作台账", "任务分工"]


def _lines(name: str) -> list[str]:
    text = (HERE / "layouts" / name).read_text(encoding="utf-8")
    return [x.strip() for x in text.splitlines() if x.strip() and not x.startswith("#")]


REQUIREMENTS = _lines("requirements.txt")   # sentences of the four seed plans
TITLES = _lines("titles.txt")               # their section and task titles


def units_of_level(level: str, place: str) -> tuple[list[tuple[str, tuple[str, ...]]], list[str]]:
    """(departments of the level as (name, short forms), from the registry; other bodies:
    functional zones, vertical bodies, 社区, and collective names)."""
    reg = UnitRegistry.default()
    if level == "province":
        units = [u for u in reg if u.tier == "province" and u.kind == "部门"]
    elif level == "township":
        units = [u for u in reg if u.tier == "township" and u.kind == "部门"]
    else:
        local = UnitRegistry.default(place)
        prefix = local.level or place[-1]
        units = [u for u in local if u.kind in ("部门", "街道", "镇") and u.name.startswith((prefix, place[:2]))
                 or u.kind in ("街道", "镇") and u.district]
    depts = [(u.name, tuple(dict.fromkeys(a for a in u.aliases + _short_forms(u.name) if "（" not in a)))
             for u in units]
    p = UnitRegistry.default(place).level or place[-1]
    name = place.split("区")[-1][:2] if level == "township" else place[:-1]
    others = [b.format(p=p, place=place, name=name) for b in OTHER_BODIES[level]]
    return depts, others + [c.format(p=p) for c in COLLECTIVE[level]]


def _short_forms(name: str) -> tuple[str, ...]:
    """The standard short forms offices write (规范简称): 和 dropped, 委员会 as 委
    (市住房和城乡建设局 → 市住房城乡建设局, 市发展和改革委员会 → 市发展改革委)."""
    forms = {name.replace("和", "", 1) if "和" in name[2:] else name}
    forms |= {f.replace("委员会", "委") for f in forms if f.endswith("委员会") and len(f) <= 9}
    return tuple(sorted(forms - {name}))


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def deadline(rng: random.Random, year: int, issued: dt.date | None) -> tuple[str, str, dict]:
    """(form name, text as written, truth) of one deadline of the plan year."""
    m, m2 = rng.randint(3, 11), 12
    forms = {
        "年月底前": (f"{year}年{m}月底前", "date", _month_end(year, m)),
        "年12月底前": (f"{year}年12月底前", "date", dt.date(year, 12, 31)),
        "月底前": (f"{m}月底前", "date", _month_end(year, m)),
        "月日前": (f"{year}年{m}月{15}日前", "date", dt.date(year, m, 15)),
        "长期坚持": ("长期坚持", "ongoing", None),
        "持续推进": ("持续推进", "ongoing", None),
        "每季度末": ("每季度末", "recurring", None),
        "上半年": ("上半年", "date", dt.date(year, 6, 30)),
        "下半年": ("下半年", "date", dt.date(year, 12, 31)),
        "日期+长期坚持": (f"{year}年{m}月底前完成，长期坚持", "date+ongoing", _month_end(year, m)),
        "Excel日期": (dt.datetime(year, m, 30), "date", dt.date(year, m, 30)),
        "全角数字": (f"{year}年{m}月底前".translate(FULL_WIDTH), "date", _month_end(year, m)),
        "2024.6.30": (f"{year}.{m}.30", "date", dt.date(year, m, 30)),
        "年底前": (rng.choice([f"{year}年年底前", "年底前", "年内", f"{year}年底前", "全年", "12月31日前"]), "date",
                 dt.date(year, 12, 31)),
        "月中旬": (f"{m}月中旬", "date", dt.date(year, m, 20)),
        "季度末": (f"{CN[m // 3 - 1]}季度末", "date", _month_end(year, m // 3 * 3)),
        "每月N日前": ("每月25日前", "recurring", None),
        "月份范围": (f"{year}年{m - 2}月—{m}月", "date", _month_end(year, m)),
        # other intervals, and the five-year plan the year is in (“十四五”期间: its last day);
        # the wording drawn from m, so the stream of choices stays as it was
        "每两个月": (("每两个月", "每两周报送一次", "每半月", "每两年", "每旬", "每2个月报送进展")[m % 6], "recurring", None),
        "规划期": (f"{('', '“')[m % 2]}十{CN[(year - 2006) // 5]}五{('', '”')[m % 2]}"
                 f"{('期间', '时期', '规划期内', '期末')[m % 4]}", "date", dt.date(2010 + (year - 2006) // 5 * 5, 12, 31)),
    }
    if issued:
        forms["印发后N日内"] = ("本文件印发后30日内", "relative", issued + dt.timedelta(days=30))
        forms["收到通知后N日内"] = (("收到通知之日起10日内", "接到本通知后10日内", "自收到通知之日起10个自然日内")[m % 3],
                              "relative", issued + dt.timedelta(days=10))
    name = rng.choice(sorted(forms) + ["分阶段"])
    if name == "分阶段":
        m = rng.randint(3, 9)
        first, last = f"{m}月底前", f"{m2}月底前"
        if rng.random() < 0.5:
            first, last = f"{year}年{first}", f"{year}年{last}"
        text = rng.choice([f"{first}完成方案制定，{last}全面完成", f"{first}：制定方案；\n{last}：全面完成"])
        return name, text, {"kind": "date", "due": dt.date(year, m2, 31).isoformat(), "ongoing": False,
                            "stages": [_month_end(year, m).isoformat(), dt.date(year, m2, 31).isoformat()]}
    text, kind, due = forms[name]
    return name, text, {"kind": kind.split("+")[0], "due": due.isoformat() if due else None,
                        "ongoing": kind in ("ongoing", "date+ongoing"), "stages": []}


def _label(scheme: str, s: int, i: int, j: int, typed: str):
    """The 序号 of task i (j-th in section s), as written (a number when typed as one)."""
    if typed == "number" and scheme in ("1,2,3", "一、+1,2,3"):
        return i
    if typed == "number" and scheme == "1+1.1":
        return float(f"{s}.{j}")          # 1.1 typed into Excel is the number 1.1
    return {"1,2,3": str(i), "1、": f"{i}、", "一、+（一）+1": f"{j}.", "一、+（一）": f"（{CN[j - 1]}）", "一、+1,2,3": str(i),
            "1+1.1": f"{s}.{j}", "第一条": f"第{_cn(i)}条", "（1）": f"（{i}）", "①": CIRCLED[i - 1]}[scheme]


def _cn(n: int) -> str:
    return CN[n - 1] if n <= 10 else ("十" if n < 20 else CN[n // 10 - 1] + "十") + (CN[n % 10 - 1] if n % 10 else "")


def _heading(scheme: str, s: int, typed: str):
    if scheme == "1+1.1":
        return s if typed == "number" else str(s)
    return f"{CN[s - 1]}、"


def choose(rng: random.Random) -> dict:
    """The layout: one choice per dimension, each drawn independently."""
    scheme = rng.choice(NUMBERINGS)
    units = rng.choice(["one-column", "roles-in-cell", "牵头，配合-in-cell", "（牵头）-in-cell", "two-columns"])
    return {
        "level": rng.choice(list(PLACES)),
        "place-named": rng.choice(["title", "全X", "file-name"]),
        "numbering": scheme,
        "seq-typed": rng.choice(["text", "number"]) if scheme in ("1,2,3", "一、+1,2,3", "1+1.1") else "text",
        "seq-column": rng.choice(["yes", "yes", "no"]) if scheme in ("1,2,3", "1、") else "yes",
        "sections": rng.choice(["numbered-row", "merged-row", "text-row"] + (["none"] if scheme == "1+1.1" else [])
                               if scheme in HIERARCHICAL else ["none", "merged-row", "text-row"]),
        "tasks": rng.choice(["one", "two"]),
        "above": rng.choice(["none", "title", "附件+title+印发"]),
        "header-rows": rng.choice(["1", "2"]) if units == "two-columns" else "1",
        "units": units,
        "units+deadline": rng.choice(["two-columns", "two-columns", "one-column"]) if units != "two-columns"
        else "two-columns",
        "extra-column": rng.choice(["none", "none", "after"]),
        "offset": rng.choice(["A1", "A1", "B2"]),
        "separator": rng.choice(list(SEPARATORS)),
        "short-names": rng.choice(["no", "yes"]),
        "page-break": rng.choice(["none", "header-repeated", "header-repeated+split-row", "续表+header"]),
        "shared-cells": rng.choice(["none", "units", "deadline"]),    # merged down over consecutive tasks
        "blank-rows": rng.choice(["none", "none", "between-sections"]),
        "sheets": rng.choice(["one", "one", "填表说明 first"]),
    }


def generate(seed: int, folder: Path) -> dict:
    """Write one sheet and its truth (<name>.json) in `folder`; return the truth."""
    rng = random.Random(seed)
    lay = choose(rng)
    level = lay["level"]
    place = rng.choice(PLACES[level])
    year = rng.choice([2022, 2023, 2024, 2025])
    plan = rng.choice(PLANS)
    issued = dt.date(year, rng.randint(1, 4), rng.randint(1, 28)) if lay["above"] == "附件+title+印发" else None
    depts, collective = units_of_level(level, place)
    local = UnitRegistry.default(place)
    sep = SEPARATORS[lay["separator"]]
    two = lay["tasks"] == "two"
    cols = (["seq"] if lay["seq-column"] == "yes" else []) + (["task"] if two else []) + ["requirement"]
    cols += ["lead", "support"] if lay["units"] == "two-columns" else ["units"]
    cols += ["deadline"] if lay["units+deadline"] == "two-columns" else []
    cols += ["extra"] if lay["extra-column"] == "after" else []
    header = [rng.choice(HEADER["units+deadline" if c == "units" and "deadline" not in cols else c]) for c in cols]
    if not two and rng.random() < 0.15:
        header[cols.index("requirement")] = "工作任务及具体要求"
    if two and "".join(header[cols.index("task")].split()) == "".join(header[cols.index("requirement")].split()):
        header[cols.index("task")] = "工作任务"
    task_col = cols.index("task") + 1 if two else None
    width = len(cols)
    # the title names the place, or says 全市 (the place is then in the file name, as offices name files)
    named = place if lay["place-named"] == "title" else WHOLE[level] if lay["place-named"] == "全X" else ""
    table = rng.choice(TABLES)
    title = f"{year}年{named}{plan}{table}"
    stem = f"{seed:03d}-{place}{year}年{plan}{table}" if lay["place-named"] != "title" or lay["above"] == "none" \
        else f"{seed:03d}-附件{rng.randint(1, 3)}"

    rows: list[list] = []
    merges: list[tuple[int, int, int, int]] = []     # 1-based r0, c0, r1, c1
    if lay["above"] != "none":
        if lay["above"].startswith("附件"):
            rows.append(["附件"])
        rows.append([title] + [None] * (width - 1))
        merges.append((len(rows), 1, len(rows), width))
        if issued:
            date = f"{issued.year}年{issued.month}月{issued.day}日"
            office = f"{place.split('区')[-1] if level == 'township' else place}{OFFICE[level]}"
            rows.append([rng.choice([f"（{date}印发）", f"{office}  {date}印发", date])])
    head_rows = [list(header)]
    if lay["header-rows"] == "2":    # 责任单位 over 牵头单位 | 配合单位, the other cells merged down
        lead_col = cols.index("lead")
        top = list(header)
        top[lead_col], top[lead_col + 1] = rng.choice(HEADER["units"]), None
        head_rows = [top, [header[c] if c in (lead_col, lead_col + 1) else None for c in range(width)]]

    def put_header() -> None:
        r0 = len(rows) + 1
        rows.extend(list(h) for h in head_rows)
        if len(head_rows) == 2:
            merges.append((r0, lead_col + 1, r0, lead_col + 2))
            merges.extend((r0, c + 1, r0 + 1, c + 1) for c in range(width) if c not in (lead_col, lead_col + 1))

    put_header()
    variants = [f"{k}:{v}" for k, v in lay.items()]

    def pick_units() -> tuple[list[str], list[str]]:
        pool = rng.sample(depts, min(len(depts), rng.randint(1, 5)))
        names = [rng.choice(short) if short and lay["short-names"] == "yes" and rng.random() < 0.4 else name
                 for name, short in pool]
        # an office names each body once in a cell (a county-level city's list holds some twice)
        names = list({(u.name if (u := local.resolve(n)) else n): n for n in names}.values())
        if rng.random() < 0.25:
            names.append(rng.choice([c for c in collective if c not in names]))
        k = rng.randint(1, len(names))
        return names[:k], (names[k:] if lay["units"] != "one-column" else [])

    roles = rng.choice(ROLE_WORDS)
    # columns whose cell one task shares with the tasks below it (merged down)
    shared = {"units": ["units"] if "units" in cols else ["lead", "support"],
              "deadline": ["deadline"] if "deadline" in cols else []}.get(lay["shared-cells"], [])
    tasks, n_sections = [], rng.randint(1, 4)
    page, since_break, split_done = rng.randint(4, 7), 0, False
    i = 0
    for s in range(1, n_sections + 1):
        heading = rng.choice(TITLES)
        if s > 1 and lay["blank-rows"] == "between-sections":
            rows.append([None] * width)
        if lay["sections"] in ("merged-row", "text-row"):
            label = f"{s}、" if lay["numbering"] == "1+1.1" else f"{CN[s - 1]}、"
            rows.append([f"{label}{heading}"] + [None] * (width - 1))
            if lay["sections"] == "merged-row":
                merges.append((len(rows), 1, len(rows), width))
        elif lay["sections"] == "numbered-row":
            rows.append([_heading(lay["numbering"], s, lay["seq-typed"]), heading] + [None] * (width - 2))
        group_start = None

        def close_group() -> None:
            if two and group_start is not None and len(rows) > group_start:
                merges.append((group_start, task_col, len(rows), task_col))

        sub, j, sharing = 0, 0, None

        def close_shared() -> None:
            if sharing is not None and len(rows) > sharing:
                merges.extend((sharing, cols.index(k) + 1, len(rows), cols.index(k) + 1) for k in shared)

        for _ in range(rng.randint(1, 6)):
            i, j = i + 1, j + 1
            if i > len(CIRCLED):
                break
            if lay["numbering"] == "一、+（一）+1" and (j == 1 and sub == 0 or j > 1 and rng.random() < 0.4):
                sub, j = sub + 1, 1       # a （一） row heading the tasks 1. 2. under it
                close_group()
                close_shared()
                group_start = sharing = None
                rows.append([f"（{CN[sub - 1]}）", rng.choice(TITLES)] + [None] * (width - 2))
            req = rng.choice(REQUIREMENTS)
            lead, support = pick_units()
            dl_name, dl_text, due = deadline(rng, year, issued)
            if "deadline" not in cols:     # 责任单位及完成时限: the units, then the deadline
                dl_text = dl_text if isinstance(dl_text, str) else f"{year}年{dl_text.month}月30日前"
            if lay["units"] == "roles-in-cell" and support:
                cells = {"units": f"{roles[0]}{sep.join(lead)}{roles[1]}{sep.join(support)}"}
            elif lay["units"] == "牵头，配合-in-cell" and support:
                cells = {"units": f"{sep.join(lead)}牵头，{sep.join(support)}配合"}
            elif lay["units"] == "（牵头）-in-cell" and support:    # one lead marked, the others cooperate
                lead = lead[:1]
                support = [u for u in (lead + support)[1:] if u not in lead]
                cells = {"units": sep.join([f"{lead[0]}（牵头）"] + support)}
            elif lay["units"] == "two-columns":
                cells = {"lead": sep.join(lead), "support": sep.join(support) or None}
            else:
                cells = {"units": sep.join(lead + support)}
            if "deadline" not in cols:
                cells["units"] += rng.choice(["\n", "；", " "]) + dl_text
            share = bool(shared) and sharing is not None and rng.random() < 0.4
            if share:                       # the cells of the task above, merged down over this one
                prev = tasks[-1]
                if lay["shared-cells"] == "units":
                    lead, support = prev["lead"], prev["support"]
                    if "deadline" not in cols:
                        dl_name, dl_text, due = prev["variants"][0][9:], prev["deadline"], prev["due"]
                else:
                    dl_name, dl_text, due = prev["variants"][0][9:], prev["deadline_cell"], prev["due"]
                cells = {**cells, **{k: None for k in shared}}
            values = {"seq": _label(lay["numbering"], s, i, j, lay["seq-typed"]), "requirement": req,
                      "deadline": dl_text, "extra": _extra(rng, header[-1]), **cells}
            if two and (group_start is None or rng.random() < 0.5):   # a new 工作任务, merged over its rows
                close_group()
                values["task"] = rng.choice(TITLES)
                group_start = len(rows) + 1
            row = [values.get(c) for c in cols]
            if not share:
                close_shared()
                sharing = len(rows) + 1 if shared else None
            split = None
            since_break += 1
            at_break = lay["page-break"] != "none" and since_break >= page
            if at_break and lay["page-break"].endswith("split-row") and not split_done and len(req) > 24:
                split = rng.choice(["requirement"] + (["deadline"] if "deadline" in cols and str(dl_text).endswith("底前")
                                                      and not share else [])
                                   + (["units"] if lay["units"] == "one-column" and "deadline" in cols and not share
                                      and sep == "、" and len(lead + support) > 1 else []))
            rows.append(row)
            tasks.append({"row": len(rows), "label": values["seq"], "requirement": req, "lead": lead,
                          "support": support, "due": due,
                          "deadline": dl_text if isinstance(dl_text, str) else f"{dl_text:%Y-%m-%d} (Excel date)",
                          "deadline_cell": dl_text,
                          "variants": [f"deadline:{dl_name}"] + ([f"split:{split}"] if split else [])
                          + ([f"shared:{lay['shared-cells']}"] if share else [])})
            if at_break:
                since_break, tail = 0, None
                if split == "requirement":
                    cut = rng.randint(10, len(req) - 6)
                    row[cols.index("requirement")], tail = req[:cut], ("requirement", req[cut:])
                elif split == "deadline":
                    row[cols.index("deadline")], tail = dl_text[:-1], ("deadline", "前")
                elif split == "units":
                    cell = row[cols.index("units")]
                    last = (lead + support)[-1]
                    row[cols.index("units")], tail = cell[:-len(last)], ("units", last)
                close_group()
                close_shared()
                group_start = sharing = None
                if lay["page-break"] == "续表+header":
                    rows.append(["续表"])
                put_header()     # the header again, at the top of the next page
                if tail:
                    split_done = True
                    cont = [None] * width
                    cont[cols.index(tail[0])] = tail[1]
                    rows.append(cont)
        close_group()
        close_shared()
    while rows[-1] in head_rows:
        rows.pop()
    rows += [[None], ["抄送：各有关单位"] if rng.random() < 0.3 else [None]]

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}.xlsx"
    shift = 1 if lay["offset"] == "B2" else 0     # the table pasted at B2, as conversions leave it
    notes = ["填表说明", "1. 请各单位对照任务逐项填写，不得改动表格结构。", f"2. 于每季度末前报送{place}{OFFICE[level]}。"] \
        if lay["sheets"] != "one" else None
    _write(path, rows, merges, rng.choice(["任务分解", "Sheet1", f"{year}年任务"]), shift, notes)
    for t in tasks:
        t["row"] += shift
    if split_done:
        variants.append("split-row:yes")
    truth = {"seed": seed, "file": path.name, "place": place, "year": year,
             "issued": issued.isoformat() if issued else None, "level_units": LEVEL_WORDS[level],
             "header": header, "variants": variants,
             "tasks": [{k: v for k, v in t.items() if k != "deadline_cell"} for t in tasks]}
    path.with_suffix(".json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return truth


def _extra(rng: random.Random, word: str) -> str | None:
    """What an office writes in a column of its own (mostly nothing)."""
    if rng.random() < 0.5:
        return None
    return {"备注": "无", "责任人": rng.choice(["张伟", "李娜", "王强"]), "进展情况": rng.choice(["已完成", "正在推进"]),
            "联系人及电话": "王强 0531-86012345"}.get(word)


def _write(path: Path, rows: list[list], merges: list[tuple[int, int, int, int]], sheet: str, shift: int,
           notes: list[str] | None) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    wb = Workbook()
    ws = wb.active
    if notes:                       # a sheet of instructions before the table
        ws.title = "说明"
        for r, line in enumerate(notes, start=1):
            ws.cell(r, 1, line)
        ws = wb.create_sheet()
    ws.title = sheet
    wrap = Alignment(wrap_text=True, vertical="center")
    for r, values in enumerate(rows, start=1):
        for c, v in enumerate(values, start=1):
            if v not in (None, ""):
                cell = ws.cell(r + shift, c + shift, v)
                cell.alignment = wrap
                if isinstance(v, dt.datetime):
                    cell.number_format = 'yyyy"年"m"月"d"日"'
    for r0, c0, r1, c1 in merges:
        ws.merge_cells(start_row=r0 + shift, start_column=c0 + shift, end_row=r1 + shift, end_column=c1 + shift)
    wb.properties.created = dt.datetime(2024, 1, 1)
    wb.save(path)


# ---------------------------------------------------------------- grading

def _fold(text) -> str:
    return "".join(str(text or "").split())


def grade(path: Path, truth: dict) -> dict:
    """Read one generated file with read_plan + validate_plan and grade it against its truth:
    per task (matched by the row it starts on) requirement, lead and cooperating units as
    written, deadline; the number of tasks read; every error finding (none is planted)."""
    from xltools import read_plan, validate_plan
    from xltools.errors import XltoolsError

    out = {"file": truth["file"], "variants": truth["variants"], "tasks": [], "count": 0, "false_errors": [],
           "unreadable": None}
    try:
        plan = read_plan(path)
        findings = validate_plan(plan)
    except XltoolsError as exc:
        out["unreadable"] = str(exc)
        plan, findings = None, []
    read = {t.row: t for t in (plan.tasks if plan else [])}
    out["count"] = len(read)
    for exp in truth["tasks"]:
        got, why = read.get(exp["row"]), []
        if got is None:
            why.append("not read")
        else:
            if _fold(got.requirement) != _fold(exp["requirement"]):
                why.append(f"requirement {str(got.requirement)[:24]!r}")
            units = ([u.written for u in got.lead_units], [u.written for u in got.support_units])
            if units != (exp["lead"], exp["support"]):
                why.append(f"units {units[0]}/{units[1]} want {exp['lead']}/{exp['support']}")
            if (w := _due_wrong(got.deadline, exp["due"])):
                why.append(f"deadline {exp['deadline']!r}: {w}")
        out["tasks"].append({"row": exp["row"], "variants": exp["variants"], "why": "; ".join(why)})
    out["false_errors"] = [(f.code, f.cell, str(f.value)[:30]) for f in findings if f.severity == "error"]
    return out


def _due_wrong(d, due: dict) -> str | None:
    if d is None:
        return "not read"
    got = (d.kind.value, d.due.isoformat() if d.due else None, bool(d.ongoing), [s.isoformat() for s in d.stages])
    said = f"read {got}"
    if due["kind"] == "recurring":
        return None if got[0] == "recurring" else said
    if due["kind"] == "ongoing":
        return None if got[2] and got[1] is None else said
    if due["kind"] == "relative" and got[0] != "relative":
        return said
    if (got[1], got[2]) != (due["due"], due["ongoing"]) or (due["stages"] and got[3] != due["stages"]):
        return said
    return None


def measure(seeds: range, folder: Path) -> list[dict]:
    """Generate and grade one file per seed."""
    return [grade(folder / t["file"], t) for t in (generate(s, folder) for s in seeds)]


def tally(results: list[dict]) -> dict[str, dict]:
    """Per variant (and "all"): files, tasks, tasks right, files whose count is wrong, false errors."""
    rows: dict[str, dict] = {}

    def add(name, tasks, r):
        c = rows.setdefault(name, {"files": set(), "tasks": 0, "right": 0, "count_wrong": set(), "false": {}})
        c["files"].add(r["file"])
        c["tasks"] += len(tasks)
        c["right"] += sum(1 for t in tasks if not t["why"])
        if r["count"] != len(r["tasks"]):
            c["count_wrong"].add(r["file"])
        c["false"][r["file"]] = len(r["false_errors"])

    for r in results:
        add("all", r["tasks"], r)
        for v in r["variants"]:
            add(v, r["tasks"], r)
        for v in {v for t in r["tasks"] for v in t["variants"]}:
            add(v, [t for t in r["tasks"] if v in t["variants"]], r)
    return rows


def passes(r: dict, min_right: float = 0.95, max_false: int = 1) -> bool:
    """Does one file read well enough: its tasks right, all found, few false errors?"""
    right = sum(1 for t in r["tasks"] if not t["why"])
    return not r["unreadable"] and right >= min_right * len(r["tasks"]) and r["count"] == len(r["tasks"]) \
        and len(r["false_errors"]) <= max_false


def table(results: list[dict]) -> str:
    lines = ["| variant | files | tasks | right | count wrong | false errors | worst file |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name, c in sorted(tally(results).items(), key=lambda kv: (kv[0] != "all", kv[0])):
        rate = c["right"] / c["tasks"] if c["tasks"] else 1.0
        lines.append(f"| {name} | {len(c['files'])} | {c['tasks']} | {rate:.3f} | {len(c['count_wrong'])} | "
                     f"{sum(c['false'].values())} | {max(c['false'].values())} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--seeds", type=int, default=60)
    ap.add_argument("--first", type=int, default=0)
    ap.add_argument("--grade", action="store_true", help="read each file back and print the table")
    ap.add_argument("--json", type=Path, default=None, help="with --grade: write every file's grading here")
    args = ap.parse_args(argv)
    seeds = range(args.first, args.first + args.seeds)
    if args.grade:
        results = measure(seeds, args.out)
        for r in results:
            for t in r["tasks"]:
                if t["why"]:
                    print(r["file"], t["row"], t["why"])
            if r["false_errors"] or r["unreadable"]:
                print(r["file"], "false errors:", r["false_errors"][:5], r["unreadable"] or "")
        print(table(results))
        passed = sum(1 for r in results if passes(r))
        print(f"files at the bar (≥ 95% of tasks right, every task found, ≤ 1 false error): {passed}/{len(results)}")
        if args.json:
            args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
        return 0
    for seed in seeds:
        t = generate(seed, args.out)
        print(t["file"], len(t["tasks"]), " ".join(t["variants"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
