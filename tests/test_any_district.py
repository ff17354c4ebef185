"""Any district's sheets read right: county/city/banner units, collective names by
grammar, districts from the national list, 督查 ledgers, one unit splitter."""
from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings, strategies as st

from conftest import TIANQIAO, write_xlsx
from xltools import read_plan, validate
from xltools.rules import divisions
from xltools.rules.units import UnitRegistry, collective_member_kinds, is_collective, split_units


def _codes(report) -> list[tuple[str, str | None]]:
    return sorted((f.code, f.cell) for f in report.only("error", "warning").findings)


def _relevel(path: Path, out: Path, district: str, level: str) -> Path:
    """The 天桥区 example as another district would keep it: its title names `district`
    and every unit is written with `level` (县财政局, 市政府各部门（单位）, 旗卫健局 …)."""
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    text = cell.value.replace("天桥区", district).replace("天桥", district[:-1])
                    if cell.column_letter == "E" and cell.row > 2:   # 责任单位
                        text = re.sub(r"(^|[、，,\n（(])区", rf"\g<1>{level}", text)
                    cell.value = text
    wb.save(out)
    return out


@pytest.mark.parametrize("district, level", [("嘉祥县", "县"), ("曲阜市", "市"), ("土默特左旗", "旗")])
def test_county_city_and_banner_sheets_validate_with_only_their_real_problems(tmp_path, district, level):
    other = _relevel(TIANQIAO, tmp_path / f"2024年{district}政务公开重点工作任务分工.xlsx", district, level)
    units = [t.units_text for t in read_plan(other).tasks if t.units_text]
    assert sum(f"{level}财政局" in u or f"{level}政府" in u for u in units) >= 5   # the units really changed
    sheet, = read_plan(other).sheets
    assert sheet.district == district
    assert _codes(validate([other])) == _codes(validate([TIANQIAO]))           # the five source defects only
    assert "unknown-unit" not in {f.code for f in validate([other]).findings}


def test_county_units_resolve_to_the_county_names():
    reg = UnitRegistry.default("嘉祥县")
    assert reg.resolve("县卫健局").name == "县卫生健康局"
    assert reg.resolve("县人社局").name == "县人力资源和社会保障局"
    assert reg.resolve("嘉祥县财政局").name == "县财政局"
    assert reg.resolve("县委宣传部") is not None
    assert reg.suggest("县自然资源局局") == ["县自然资源局"]                  # never the 区 form
    assert UnitRegistry.default().suggest("县自然资源局局")[0] == "县自然资源局"
    assert "县财政局" in reg.names() and "区财政局" not in reg.names()        # the county's own list
    assert reg.resolve("市生态环境局嘉祥分局").kind == "上级/垂管单位"
    assert reg.resolve("市生态环境局长清分局") is None                      # another district's branch
    assert reg.resolve("县火星局") is None


COLLECTIVES = ["区直各有关部门、单位", "县直各有关单位", "各镇（街道）党（工）委", "其他相关部门", "各乡镇", "市直有关单位",
               "县政府各部门（单位）", "各镇、街道", "有关部门和单位", "各村（社区）", "区级各部门", "各成员单位",
               "县发改局等有关部门"]


def test_collective_name_variants_are_never_errors(xlsx):
    rows = [["2024年嘉祥县重点工作任务分解表"], ["序号", "工作任务", "具体要求", "责任单位", "完成时限"]]
    rows += [[i, "一、公开", f"任务{i}。", name, "12月底前"] for i, name in enumerate(COLLECTIVES, 1)]
    path = xlsx({"任务": rows})
    report = validate([path])
    assert [f for f in report.findings if f.severity == "error"] == []
    plan = read_plan(path)
    assert [t.lead_entries for t in plan.tasks][:3] == [("区直各有关部门、单位",), ("县直各有关单位",), ("各镇（街道）党（工）委",)]
    assert all(is_collective(name) for name in COLLECTIVES)


@pytest.mark.parametrize("name, kinds", [("各镇（街道）", ("镇", "街道")), ("区政府各部门（单位）", ("部门",)),
                                         ("县直各有关单位", ("部门",)), ("各街道办事处", ("街道",)),
                                         ("各镇（街道）党（工）委", ("镇", "街道")), ("各乡镇", ("镇",)),
                                         ("各村（社区）", ("村/社区",)), ("区财政局", ()), ("各科室", ()), ("各地", ()),
                                         ("各街镇", ("镇", "街道"))])
def test_collective_member_kinds(name, kinds):
    assert collective_member_kinds(name) == kinds


@pytest.mark.parametrize("title, district, note", [
    ("2025年任城区政务公开工作要点任务分解表", "任城区", None),
    ("嘉祥县2024年重点工作任务台账", "嘉祥县", None),
    ("2024年曲阜市政务公开重点任务分工", "曲阜市", None),
    ("2024年枣庄市市中区重点任务", "市中区", None),
    ("2024年市中区重点任务", "市中区", "district-ambiguous"),
    ("2024年新设区重点任务", "新设区", "district-unlisted"),
    ("2024年济宁市重点工作任务", "济宁市", None),        # a city's plan: its place is the city
    ("2024年山东省重点工作任务", "山东省", None),
    ("2025年任城区东城街道重点工作任务", "任城区东城街道", None),   # a township's, after its county
    ("2024年天桥区新型城镇化重点任务", "天桥区", None),
    ("2024年全区重点工作任务", None, None),
])
def test_districts_from_the_national_list(xlsx, title, district, note):
    rows = [[title], ["序号", "具体要求", "责任单位", "完成时限"], [1, "甲。", "区财政局", "12月底前"]]
    sheet, = read_plan(xlsx({"Sheet1": rows}, name="plan.xlsx")).sheets
    assert sheet.district == district
    assert [f.code for f in sheet.findings if f.code.startswith("district-")] == ([note] if note else [])


def test_district_from_sheet_and_file_names(tmp_path):
    rows = [["序号", "具体要求", "责任单位", "完成时限"], [1, "甲。", "县财政局", "12月底前"]]
    path = write_xlsx(tmp_path / "嘉祥县2024年任务台账.xlsx", {"Sheet1": rows})
    assert read_plan(path).sheets[0].district == "嘉祥县"
    path = write_xlsx(tmp_path / "2024年台账.xlsx", {"曲阜市": rows, "邹城市": rows})
    assert [s.district for s in read_plan(path).sheets] == ["曲阜市", "邹城市"]


def test_division_rules():
    assert divisions.district_key("济南市天桥区") == "天桥区"
    assert divisions.is_district("任城区") and not divisions.is_district("火星区")
    assert divisions.suggest_divisions("天桥")[0] == "天桥区"
    assert divisions.suggest_divisions("天乔区")[0] == "天桥区"
    assert divisions.find_district("2024年主城区改造任务清单") is None
    assert divisions.find_district("2024年阳泉市城区任务").division.city == "阳泉市"


# ---------------------------------------------------------------- 督查督办 ledgers

LEDGER_HEADER = ["序号", "重点任务", "工作措施", "责任领导", "牵头单位", "责任单位", "时间节点", "进展情况", "完成状态"]


def _ledger(tmp_path) -> Path:
    rows = [["嘉祥县2024年重点工作督查督办台账"], LEDGER_HEADER,
            ["一、优化营商环境"] + [None] * 8,
            ["1.", "深化“放管服”改革", "推行“一网通办”，政务服务事项网上可办率达到95%以上。", "张三", "县行政审批服务局",
             "县大数据中心、各镇（街道）", "2024年6月底前", "已完成部署", "已完成"],
            ["2.", "", "开展涉企收费专项检查。", "李四", "县市场监管局", "县发改局、县财政局", "2024年9月底前", None, "推进中"],
            ["重点项目建设（共3项）"] + [None] * 8,
            ["3.", "推进重点项目", "年内开工项目开工率达到90%。", "王五", "县发改局", "县直各有关部门、单位", "12月底前",
             None, None],
            ["4.", "", "做好项目要素保障。", "王五", "县自然资源局", None, "长期坚持", None, None],
            ["合计：共4项"] + [None] * 8]
    return write_xlsx(tmp_path / "督查台账.xlsx", {"台账": rows}, {"台账": ["A3:I3", "A6:I6", "A9:I9"]})


def test_a_ledger_reads_lead_cooperating_units_and_leaders(tmp_path):
    sheet, = read_plan(_ledger(tmp_path)).sheets
    assert [t.seq for t in sheet.tasks] == [1, 2, 3, 4]                          # no band or total row as task
    t1, t2, t3, t4 = sheet.tasks
    assert t1.lead_entries == ("县行政审批服务局",) and t1.support_entries == ("县大数据中心", "各镇（街道）")
    assert t2.support_entries == ("县发展和改革局", "县财政局")
    assert t3.support_entries == ("县直各有关部门、单位",)
    assert (t1.leader, t3.leader) == ("张三", "王五")
    assert (t1.section, t3.section) == ("一、优化营商环境", "重点项目建设（共3项）")
    assert t1.status == "已完成" and t1.progress == "已完成部署"
    assert [f for f in validate([_ledger(tmp_path)]).findings if f.severity == "error"] == []


def test_a_ledger_merges_with_its_leader_column(tmp_path):
    from xltools.work.merge import merge

    master = tmp_path / "汇总.xlsx"
    merge([_ledger(tmp_path)], master)
    ws = openpyxl.load_workbook(master)["汇总"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, (c.value for c in r))) for r in ws.iter_rows(min_row=2)]
    assert [r["责任领导"] for r in rows] == ["张三", "李四", "王五", "王五"]
    assert rows[0]["配合单位"] == "县大数据中心、各镇（街道）" and rows[0]["牵头单位"] == "县行政审批服务局"


# ---------------------------------------------------------------- one splitter

_POOL = sorted({u.name for u in UnitRegistry.default()} | set(COLLECTIVES) | {
    "区政府办公室（区大数据中心）", "区文旅局（图书馆、文化馆）", "县财政局", "旗卫生健康局", "市生态环境局长清分局"})
_POOL = [p for p in _POOL if split_units(p).all == (p,)]   # names that are one unit on their own


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_POOL), min_size=1, max_size=8, unique=True))
def test_split_of_join_gives_the_units_back(units):
    assert split_units("、".join(units)).all == tuple(units)


def test_the_pool_holds_collectives_with_an_inner_separator():
    assert {"区直各有关部门、单位", "各镇、街道", "区政府各部门、单位"} <= set(_POOL) | {"区政府各部门、单位"}
    assert "区直各有关部门、单位" in _POOL and "各镇、街道" in _POOL


def test_split_of_a_master_never_makes_a_fragment_return(tmp_path):
    from xltools.work.loop import split
    from xltools.work.merge import merge

    rows = [["2024年嘉祥县重点工作任务分解表"], ["序号", "工作任务", "具体要求", "责任单位", "完成时限"]]
    rows += [[i, "一、公开", f"任务{i}。", name, "12月底前"] for i, name in enumerate(COLLECTIVES, 1)]
    master = tmp_path / "汇总.xlsx"
    merge([write_xlsx(tmp_path / "嘉祥县.xlsx", {"任务": rows})], master)
    split(master, tmp_path / "下发", by="unit")
    names = {p.stem.split("_")[-1] for p in (tmp_path / "下发").rglob("*.xlsx")}
    assert not names & {"单位", "部门", "街道", "镇"}
