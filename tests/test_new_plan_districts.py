"""Next year's plan from a master of several districts, and how headings and wording are
kept (trial 2, 2026-12-07: new-plan --district 吴兴区 from a city master copied all 35 tasks
of 5 districts, gave 长兴县's tasks 德清县's 工作任务 and 具体任务, turned 一…七 into 1…7; the
master showed a date cell 2026年11月30日 as 2026-11-30 and headings with and without their
number or count (一、夯实数字底座, 数字经济（共3项）, 数字基础设施); a return's 填表说明 explained
columns locked in it; the circular did not name the plan).

The masters are generated: districts of a province, a city and a county (towns), each sheet
in a layout and numbering scheme drawn at random (heading bands with their number, numbers
in 序号 beside the title, group rows with a count, a 工作任务 column, no headings at all),
deadlines partly real date cells of various number formats.  Everything goes through the
command line, real .xlsx in and out, read back with openpyxl."""
from __future__ import annotations

import datetime as dt
import random
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from xltools.cli.app import cli
from xltools.read import read_plan
from xltools.read.numfmt import date_shown, format_code
from xltools.rules.numbering import heading_title
from xltools.write.templates import GUIDE_SHEET, PROGRESS_LAYOUT, PROGRESS_SHEET, progress_template
from xltools.rules.units import UnitRegistry

YEAR = 2026
CN = "零一二三四五六七八九十"
LEVELS = {   # the master's level: the places its 区县 column holds, as their titles name them
    "省": ["杭州市", "宁波市", "温州市", "湖州市"],
    "市": ["吴兴区", "南浔区", "德清县", "长兴县", "安吉县"],
    "区县": ["安吉县递铺街道", "安吉县天荒坪镇", "安吉县孝丰镇", "安吉县梅溪镇"],
}
ABOVE = {"省": "浙江省", "市": "湖州市", "区县": "安吉县"}
# a date cell's number format → what the sheet shows (None: ISO, as before)
FORMATS = {'yyyy"年"m"月"d"日"': "{y}年{m}月{d}日", "yyyy/m/d": "{y}/{m}/{d}", "mm-dd-yy": "{y}/{m}/{d}",
           "yyyy-mm-dd": "{y}-{m:02d}-{d:02d}", "yyyy.m.d": "{y}.{m}.{d}", 'm"月"d"日"': "{m}月{d}日",
           'yyyy"年"m"月"d"日";@': "{y}年{m}月{d}日"}
# (heading's number, the tasks' numbers under it) of each scheme; i from 1
SCHEMES = {
    "一、/1": (lambda i: f"{CN[i]}、", lambda h, i: i),
    "一、/（1）": (lambda i: f"{CN[i]}、", lambda h, i: f"（{i}）"),
    "1/1.1": (lambda i: f"{i}", lambda h, i: f"{h}.{i}"),
    "第一部分/一": (lambda i: f"第{CN[i]}部分", lambda h, i: CN[i]),
    "（一）/①": (lambda i: f"（{CN[i]}）", lambda h, i: "①②③④⑤⑥⑦⑧⑨"[i - 1]),
}
LAYOUTS = ("band", "seq", "group", "column", "none")


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert "Traceback" not in result.output, result.output
    return result


def district_sheet(path: Path, place: str, rng: random.Random, truth: list[dict]) -> tuple[str, str]:
    """One district's sheet in a layout and numbering drawn by `rng`; each task's truth
    (requirement, 序号 as the master and a new plan show it, heading titles, deadline shown)
    appended to `truth`.  Returns the layout and the numbering scheme."""
    layout, scheme = rng.choice(LAYOUTS), rng.choice(list(SCHEMES))
    head_no, task_no = SCHEMES[scheme]
    unit = {"市": "市数据局", "区": "区数据局", "县": "县数据局"}.get(place[-1], "党政办")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([f"{YEAR}年{place}数字政府建设重点任务分解表"])
    head = ["序号", "工作任务", "具体要求", "责任单位", "完成时限"] if layout != "none" else \
        ["序号", "具体要求", "责任单位", "完成时限"]
    ws.append(head)
    width = len(head)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    n, restart, flat = 0, rng.random() < 0.5, layout in ("group", "column", "none")
    for h in range(1, rng.randint(2, 3) + 1):
        title = f"{place[-3:]}第{h}类工作"
        count = rng.randint(1, 3)
        shown_title = None if layout == "none" else title
        numbered = head_no(h) + (" " if head_no(h)[-1].isdigit() else "") + title   # 1 数字基础设施, 一、数字…
        if layout == "band":
            ws.append([numbered])
            ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=width)
        elif layout == "seq":
            ws.append([head_no(h), title])
        elif layout == "group":
            ws.append([f"{title}（共{count}项）"])
            ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=width)
        first = ws.max_row + 1
        for i in range(1, count + 1):
            n += 1
            if flat:      # no numbered heading above: the tasks numbered straight through
                seq = n if scheme == "1/1.1" else task_no(1, n)
            else:
                seq = task_no(h, i if restart or scheme == "1/1.1" else n)
            requirement = f"{place}落实第{n}项任务的具体要求。"
            if rng.random() < 0.5:
                day = dt.date(YEAR, rng.randint(1, 12), rng.randint(1, 28))
                code = rng.choice(list(FORMATS))
                deadline, shown = day, FORMATS[code].format(y=day.year, m=day.month, d=day.day)
            else:
                deadline, code = f"{YEAR}年{rng.randint(1, 12)}月底前", None
                shown = deadline
            row = [seq, numbered if layout == "column" else None, requirement, unit, deadline]
            ws.append(row if layout != "none" else [seq, requirement, unit, deadline])
            if code:
                ws.cell(ws.max_row, width).number_format = code
            written = seq if isinstance(seq, int) else str(seq)
            # the heading as the sheet wrote it, number and count included (what a new plan keeps)
            as_written = {"band": numbered, "seq": numbered, "group": f"{title}（共{count}项）", "column": numbered}
            truth.append({"district": place, "requirement": requirement, "seq": written,
                          "levels": (shown_title,) if shown_title else (), "deadline": shown,
                          "written": (as_written[layout],) if layout in as_written else (),
                          "date_format": code})
        if layout == "column" and ws.max_row > first:
            ws.merge_cells(start_row=first, start_column=2, end_row=ws.max_row, end_column=2)
    wb.save(path)
    return layout, scheme


def make_sheets(folder: Path, level: str, seed: int) -> tuple[list[dict], list[tuple[str, str]]]:
    """The districts' sheets of one level, in an order and layouts drawn by `seed`."""
    rng = random.Random(seed)
    places = LEVELS[level][:]
    rng.shuffle(places)
    folder.mkdir()
    truth: list[dict] = []
    layouts = [district_sheet(folder / f"{k}_{place}{YEAR}年任务分解表.xlsx", place, rng, truth)
               for k, place in enumerate(places)]
    return truth, layouts


def make_master(tmp_path: Path, level: str, seed: int) -> tuple[Path, list[dict]]:
    folder = tmp_path / f"{level}{seed}"
    truth, _ = make_sheets(folder, level, seed)
    master = tmp_path / f"{level}{seed}汇总.xlsx"
    result = run("merge", folder, "-o", master, "--as-of", f"{YEAR}-07-01")
    assert result.exit_code in (0, 1), result.output
    return master, truth


def levels(row: dict) -> tuple:
    """The heading levels a row shows (工作任务, then 具体任务; a single level may be either:
    （一）… alone is read as the second)."""
    return tuple(v for v in (row["工作任务"], row["具体任务"]) if v)


def body(path: Path, sheet: str, header_row: int) -> list[dict]:
    ws = openpyxl.load_workbook(path)[sheet]
    rows = list(ws.iter_rows(values_only=True))
    head = rows[header_row - 1]
    return [dict(zip(head, r)) for r in rows[header_row:] if any(v is not None for v in r)]


CASES = [(level, seed) for level in LEVELS for seed in (1, 2, 3, 4)]


@pytest.mark.parametrize("level,seed", CASES)
def test_a_master_and_each_districts_new_plan(tmp_path, level, seed):
    master, truth = make_master(tmp_path, level, seed)
    by_req = {t["requirement"]: t for t in truth}
    rows = body(master, "汇总", 1)
    assert sorted(r["具体要求"] for r in rows) == sorted(by_req)
    for r in rows:            # the master: each heading by its title, each date as its sheet shows it
        t = by_req[r["具体要求"]]
        assert (r["区县"], levels(r), r["完成时限"], r["序号"]) == \
            (t["district"], t["levels"], t["deadline"], t["seq"]), t
    # read back, the master's rows keep their own levels: none carried from a row above
    assert {(x.requirement, tuple(v for v in (x.section, x.subsection) if v)) for x in read_plan(master).tasks} == \
        {(t["requirement"], t["levels"]) for t in truth}

    places = list(dict.fromkeys(t["district"] for t in truth))
    if level != "区县":       # a township cannot be named by --district yet (trial 2 §3)
        for place in random.Random(seed).sample(places, 2):
            out = tmp_path / f"{YEAR + 1}{place}.xlsx"
            made = run("new-plan", "--year", YEAR + 1, "--district", place, "--from", master, "-o", out)
            assert made.exit_code == 0, made.output
            own = [t for t in truth if t["district"] == place]
            assert f"沿用 {len(own)} 项任务" in made.output
            plan = body(out, "任务分解表", 2)
            # the headings as the district wrote them, numbers and counts included (the master
            # shows their titles; its 来源 columns lead back to the sheets)
            assert [(p["具体要求"], p["序号"], levels(p)) for p in plan] == \
                [(t["requirement"], t["seq"], t["written"]) for t in own]
            # a date cell stays a date cell as the district's sheet showed it, the year moved on
            ws = openpyxl.load_workbook(out)["任务分解表"]
            at = next(c.column for c in ws[2] if c.value == "完成时限")
            for r, t in enumerate(own, 3):
                cell = ws.cell(r, at)
                if t["date_format"]:      # mm-dd-yy is Excel's built-in 14: yyyy/m/d in a Chinese Excel
                    assert (isinstance(cell.value, dt.datetime), cell.value.year, cell.number_format) == \
                        (True, YEAR + 1, {"mm-dd-yy": "yyyy/m/d"}.get(t["date_format"], t["date_format"])), t
            changes = body(out, "变更说明", 1)
            assert [c["序号"] for c in changes] == [t["seq"] for t in own]
    listed = run("new-plan", "--year", YEAR + 1, "--from", master, "-o", tmp_path / "x.xlsx")
    assert listed.exit_code == 2 and not (tmp_path / "x.xlsx").exists()
    assert listed.output.count("\n") == 1 and f"含 {len(places)} 个地区（区县、街道、镇）的任务" in listed.output
    for place in places:
        n = sum(t["district"] == place for t in truth)
        assert f"{place}（{n} 项）" in listed.output
    other = run("new-plan", "--year", YEAR + 1, "--district", "历下区", "--from", master, "-o", tmp_path / "y.xlsx")
    assert other.exit_code == 2 and "其中没有历下区的任务" in other.output and not (tmp_path / "y.xlsx").exists()
    if seed == 1:     # the circular of a master named 汇总.xlsx names the place above all its districts
        circular = tmp_path / "通报.docx"
        assert run("report", master, "-o", circular, "--as-of", f"{YEAR}-07-01").exit_code == 0
        docx = pytest.importorskip("docx")
        title = docx.Document(str(circular)).paragraphs[0].text.replace("\n", "")
        # named by its year, and by its city where every district is one of that city's (h-english's rule)
        assert title.startswith("关于") and title.endswith(f"{YEAR}年度重点工作任务落实情况的通报"), title
        assert "汇总" not in title and ".xlsx" not in title


def test_the_generated_masters_hold_what_the_trial_met(tmp_path):
    """The cases drawn cover the trial's: a district without headings right below one with
    them (长兴县 below 德清县), and every layout and numbering scheme."""
    below, drawn = 0, set()
    for level, seed in CASES:
        _, sheets = make_sheets(tmp_path / f"{level}{seed}", level, seed)
        below += sum(a[0] != "none" and b[0] == "none" for a, b in zip(sheets, sheets[1:]))
        drawn |= set(sheets)
    assert below >= 1
    assert {layout for layout, _ in drawn} == set(LAYOUTS) and {scheme for _, scheme in drawn} == set(SCHEMES)
    # every numbering scheme under numbered headings, in a band and beside its title
    assert {scheme for layout, scheme in drawn if layout in ("band", "seq")} == set(SCHEMES)


def test_the_trials_city_master(tmp_path):
    """The trial's own case, built as it was: 德清县 (group rows （共3项）, dates 2026年11月30日)
    right above 长兴县 (no 工作任务 column), 安吉县 numbered 一…七."""
    folder = tmp_path / "districts"
    folder.mkdir()
    dq = openpyxl.Workbook()
    ws = dq.active
    ws.append(["德清县2026年数字政府建设重点任务督查台账"])
    ws.append(["序号", "重点任务", "具体内容", "责任领导", "牵头单位", "责任单位", "时间节点"])
    ws.append(["数字经济（共2项）"])
    ws.merge_cells("A3:G3")
    ws.append([1, "地理信息产业", "推进地理信息小镇扩容", "王副县长", "县经信局", "县发改局", dt.datetime(2026, 11, 30)])
    ws.append([2, "数字贸易", "跨境电商交易额增长20%", "王副县长", "县商务局", None, dt.datetime(2026, 12, 31)])
    ws.append(["数字社会（共1项）"])
    ws.merge_cells("A6:G6")
    ws.append([3, "数字养老", "推广“浙里康养”应用", "李副县长", "县民政局", "县卫健局", "持续推进"])
    for r in (4, 5):
        ws.cell(r, 7).number_format = "yyyy年m月d日"
    dq.save(folder / "德清县2026年数字政府督查台账.xlsx")
    cx = openpyxl.Workbook()
    ws = cx.active
    ws.append(["长兴县2026年数字政府建设任务分解"])
    ws.append(["编号", "工作任务及具体要求", "责任单位及完成时限"])
    ws.append([1, "建设县级公共数据平台。", "县数据局\n2026年7月底前"])
    ws.append([2, "完成政务网站集约化迁移。", "县府办 2026年8月底前"])
    cx.save(folder / "长兴县2026年数字政府建设任务分解.xlsx")
    aj = openpyxl.Workbook()
    ws = aj.active
    ws.append(["2026年安吉县数字政府建设工作要点任务分解表"])
    ws.append(["序号", "重点任务", "工作内容", "责任单位", "完成时限"])
    for i, cn in enumerate("一二三", 1):
        ws.append([cn, "数据要素", f"安吉县第{i}项任务。", "县数据局", "2026年11月底前"])
    aj.save(folder / "安吉县2026年数字政府建设工作要点.xlsx")
    master = tmp_path / "2026年湖州市数字政府建设任务汇总表.xlsx"
    assert run("merge", folder, "-o", master, "--as-of", "2026-12-07").exit_code in (0, 1)
    rows = {r["具体要求"]: r for r in body(master, "汇总", 1)}
    assert (rows["推进地理信息小镇扩容"]["工作任务"], rows["推进地理信息小镇扩容"]["完成时限"]) == \
        ("数字经济", "2026年11月30日")
    assert rows["推进地理信息小镇扩容"]["截止日期"] == dt.datetime(2026, 11, 30)   # the date itself, as before
    assert [rows[r]["工作任务"] for r in ("建设县级公共数据平台。", "完成政务网站集约化迁移。")] == [None, None]

    out = tmp_path / "2027长兴县.xlsx"
    made = run("new-plan", "--year", 2027, "--district", "长兴县", "--from", master, "-o", out)
    assert made.exit_code == 0 and "沿用 2 项任务" in made.output, made.output
    plan = body(out, "任务分解表", 2)
    assert [(p["序号"], p["工作任务"], p["具体任务"]) for p in plan] == [(1, None, None), (2, None, None)]
    out = tmp_path / "2027安吉县.xlsx"
    assert run("new-plan", "--year", 2027, "--district", "安吉县", "--from", master, "-o", out).exit_code == 0
    assert [p["序号"] for p in body(out, "任务分解表", 2)] == ["一", "二", "三"]
    # from the district's own sheet the plan is the district's: its headings as it wrote them
    own = tmp_path / "2027德清县.xlsx"
    assert run("new-plan", "--year", 2027, "--from", folder / "德清县2026年数字政府督查台账.xlsx", "-o", own).exit_code == 0
    assert {p["工作任务"] for p in body(own, "任务分解表", 2)} == {"数字经济（共2项）", "数字社会（共1项）"}

    circular = tmp_path / "通报.docx"
    assert run("report", master, "-o", circular, "--as-of", "2026-12-07").exit_code == 0
    docx = pytest.importorskip("docx")
    title = lambda: docx.Document(str(circular)).paragraphs[0].text.replace("\n", "")   # noqa: E731 (lines broken as printed)
    assert title() == "关于2026年湖州市数字政府建设任务落实情况的通报"
    plain = tmp_path / "汇总.xlsx"
    master.rename(plain)
    assert run("report", plain, "-o", circular, "--as-of", "2026-12-07").exit_code == 0
    assert sorted(title()[2:-len("工作任务落实情况的通报")].split("、")) == \
        sorted(["2026年安吉县", "2026年德清县", "2026年长兴县"])    # few: by their places (in official order)


def test_a_plan_of_another_district_is_carried_with_a_note(tmp_path):
    src = tmp_path / "南浔区2026年任务清单.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["南浔区2026年数字政府任务清单"])
    ws.append(["序号", "具体要求", "责任单位", "完成时限"])
    ws.append([1, "完成视频监控资源整合共享。", "区公安分局", "2026年12月底前"])
    wb.save(src)
    made = run("new-plan", "--year", 2027, "--district", "吴兴区", "--from", src, "-o", tmp_path / "p.xlsx")
    assert made.exit_code == 0 and "上一年度计划是南浔区的，已按吴兴区的计划沿用，请核对" in made.output
    alone = run("new-plan", "--year", 2027, "--from", src, "-o", tmp_path / "q.xlsx")     # its own district
    assert alone.exit_code == 0 and alone.output.startswith("已生成 2027年南浔区任务分解表")
    blank = run("new-plan", "--year", 2027, "-o", tmp_path / "r.xlsx")
    assert blank.exit_code == 2 and "缺少选项 --district" in blank.output      # nothing names the district


# ------------------------------------------------------------------ the reader: whose rows

def _sheet(tmp_path, rows, merges=()):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for m in merges:
        ws.merge_cells(m)
    path = tmp_path / "combined.xlsx"
    wb.save(path)
    return read_plan(path).tasks


def test_a_level_never_crosses_into_another_source_of_the_same_district(tmp_path):
    head = ["区县", "序号", "工作任务", "具体要求", "牵头单位", "完成时限", "来源文件"]
    tasks = _sheet(tmp_path, [head,
                              ["吴兴区", 1, "一、夯实底座", "甲任务。", "区数据局", "2026年6月底前", "a.xlsx"],
                              ["吴兴区", 1, None, "乙任务。", "区数据局", "2026年6月底前", "b.xlsx"],
                              ["吴兴区", 2, None, "丙任务。", "区数据局", "2026年6月底前", "b.xlsx"]])
    assert [t.section for t in tasks] == ["一、夯实底座", None, None]


def test_a_heading_row_over_several_districts_holds_for_all(tmp_path):
    """A city's own sheet by topic: a heading band, then rows of several districts: the
    heading is the sheet's, not a district's, and is carried to every row below it."""
    head = ["序号", "区县", "具体要求", "责任单位", "完成时限"]
    tasks = _sheet(tmp_path, [["2026年湖州市数字政府建设任务分解表"], head, ["一、数字经济"],
                              [1, "吴兴区", "甲任务。", "区数据局", "2026年6月底前"],
                              [2, "南浔区", "乙任务。", "区数据局", "2026年6月底前"],
                              ["二、数字社会"],
                              [3, "德清县", "丙任务。", "县数据局", "2026年6月底前"]],
                   ["A1:E1", "A3:E3", "A6:E6"])
    assert [(t.district, t.section) for t in tasks] == [("吴兴区", "一、数字经济"), ("南浔区", "一、数字经济"),
                                                        ("德清县", "二、数字社会")]


def test_a_districts_own_level_column_stops_at_the_next_district(tmp_path):
    head = ["区县", "序号", "工作任务", "具体任务", "具体要求", "牵头单位", "完成时限"]
    tasks = _sheet(tmp_path, [head,
                              ["德清县", 1, "数字社会（共3项）", "数字养老", "甲。", "县民政局", "持续推进"],
                              ["长兴县", 1, None, None, "乙。", "县数据局", "2026年7月底前"],
                              ["长兴县", 2, None, None, "丙。", "县府办", "2026年8月底前"]])
    assert [(t.section, t.subsection) for t in tasks] == [("数字社会（共3项）", "数字养老"), (None, None),
                                                          (None, None)]


# ------------------------------------------------------------------ dates as shown, titles

@pytest.mark.parametrize("code,shown", [
    ('yyyy"年"m"月"d"日"', "2026年11月30日"), ("yyyy年m月d日", "2026年11月30日"), ("yyyy/m/d", "2026/11/30"),
    ("yyyy-mm-dd", "2026-11-30"), ("yyyy.mm.dd", "2026.11.30"), ('[$-804]yyyy"年"m"月"d"日";@', "2026年11月30日"),
    ('m"月"d"日"', "11月30日"), ('yyyy"年"m"月"', "2026年11月"), ('e"年"m"月"d"日"', "2026年11月30日"),
    ("General", None), ("@", None), ("0.00", None), ("yyyy-mm-dd h:mm", None), ("dddd", None),
    ("d-mmm-yy", None), ('[DBNum1][$-804]yyyy"年"m"月"d"日"', None), ("[Red]yyyy/m/d", None),
])
def test_a_date_as_its_number_format_shows_it(code, shown):
    assert date_shown(dt.date(2026, 11, 30), code) == shown


def test_a_chinese_excels_built_in_dates(tmp_path):
    """Formats 14 and 31 (短日期, 长日期) have no code in the file: Excel draws them from the
    locale; a Chinese Excel shows 2026/11/30 and 2026年11月30日."""
    assert format_code("mm-dd-yy", 14) == "yyyy/m/d" and format_code("General", 31) == 'yyyy"年"m"月"d"日"'
    path = tmp_path / "天桥区2026年任务分解表.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2026年天桥区重点工作任务分解表"])
    ws.append(["序号", "具体要求", "责任单位", "完成时限"])
    ws.append([1, "甲任务。", "区数据局", dt.datetime(2026, 11, 30)])
    ws.append([2, "乙任务。", "区数据局", dt.datetime(2026, 6, 30)])
    ws["D3"].number_format = 'yyyy"年"m"月"d"日"'       # saved as a code of its own (id 164)…
    ws["D4"].number_format = "mm-dd-yy"                  # …and as built-in 14
    wb.save(path)
    with zipfile.ZipFile(path) as z:                   # …made built-in 31, as a Chinese Excel saves it
        parts = {n: z.read(n) for n in z.namelist()}
    styles = parts["xl/styles.xml"].decode()
    styles = re.sub(r'<numFmt numFmtId="164"[^>]*/>', "", styles).replace('numFmtId="164"', 'numFmtId="31"')
    parts["xl/styles.xml"] = styles.encode()
    with zipfile.ZipFile(path, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    assert [(t.deadline_text, t.due) for t in read_plan(path).tasks] == \
        [("2026年11月30日", dt.date(2026, 11, 30)), ("2026/6/30", dt.date(2026, 6, 30))]


@pytest.mark.parametrize("written,title", [
    ("一、夯实数字底座", "夯实数字底座"), ("数字经济（共3项）", "数字经济"), ("（一）政务云与网络", "政务云与网络"),
    ("1 数字基础设施", "数字基础设施"), ("1.1完善机制", "完善机制"), ("第一部分 总体要求", "总体要求"),
    ("一是加强学习", "加强学习"), ("① 做好", "做好"), ("重点项目(10项)", "重点项目"),
    ("民生实事（共十项任务）", "民生实事"), ("1、数字基础设施（共 3 项）", "数字基础设施"),
    ("数字基础设施", "数字基础设施"), ("5G网络建设", "5G网络建设"), ("2024年重点", "2024年重点"),
    ("1.5万亩高标准农田", "1.5万亩高标准农田"), ("第一条 加强", "第一条 加强"), ("一、", "一、"), (None, None),
])
def test_a_headings_title(written, title):
    assert heading_title(written) == title


# ------------------------------------------------------------------ a return's 填表说明

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_returns_guide_explains_only_what_the_unit_fills(tmp_path, lang):
    wb = progress_template(UnitRegistry.default(), unit="区数据局", year=2026, district="吴兴区", lang=lang)
    path = tmp_path / "return.xlsx"
    wb.save(path)
    back = openpyxl.load_workbook(path)
    ws, guide = back[PROGRESS_SHEET], back[GUIDE_SHEET]
    header = {c.value: c.column for c in ws[PROGRESS_LAYOUT.header_row]}
    from xltools import schema
    from xltools.texts import t
    sent = t("col-sent", lang)
    described = [r[0] for r in guide.iter_rows(values_only=True) if r[0] in header and r[1] and r[1] != sent
                 and r[0] not in (schema.TASK_KEY.zh, schema.DUE.zh)]     # these two say in their own words
    assert sorted(described) == sorted(c.zh for c in PROGRESS_LAYOUT.columns if c.key in PROGRESS_LAYOUT.editable)
    for name in described:        # each column it explains as to fill is one the unit can type in
        assert ws.cell(PROGRESS_LAYOUT.first_row, header[name]).protection.locked is False, name
    text = "\n".join(str(v) for r in guide.iter_rows(values_only=True) for v in r if v)
    assert "填数字" not in text and "1、2、3" not in text and "xltools" not in text
    assert "本文件印发后30日内" not in text           # no deadline phrases: the unit writes none
