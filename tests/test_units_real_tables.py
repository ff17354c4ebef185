"""Units in real published task tables (the new-user trial, 2026-12-07): who receives
what, role tails, collective names, and the sections of a body's own plan.

The rows are the published wording of: 江门市土地储备中心政务公开工作任务分工 (a city
institution's own plan, sections 办公室/财务科/各科室), 池州市信访局政务公开重点任务清单
(a city bureau's own plan), 六安市叶集区政务公开重点工作任务分工进展情况 (a district,
"…牵头,区政府各部门,各乡镇街负责落实"), 立山区政府2023年重点工作任务分解和责任分工方案 (a
district, "全区经济运行各专班"), 广东省2021年省《政府工作报告》重点任务分工方案 (a province,
"各地、各部门配合") and 霍山县2025年开发区重点工作及责任清单 (a development zone's own plan,
its departments 招商工作部/改革办/规划建设局)."""
from __future__ import annotations

import datetime as dt
import json

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from conftest import write_xlsx
from xltools import read_plan, validate
from xltools.cli import cli
from xltools.read.columns import parse_columns
from xltools.rules.units import (UnitRegistry, collective_member_kinds, is_collective, own_plan_of, recipients,
                                 split_units, units_of)
from xltools.work.merge import merge
from xltools.work.report import read_report

UNKNOWN = {"unknown-unit", "unknown-unit-nosuggest"}

JIANGMEN = [  # 江门市土地储备中心: 工作任务 / 具体要求 / 责任部门 (published without a deadline column)
    ["一、做好财政信息公开。", "1.积极推进本中心预算、决算及相关报表公开。", "财务科"],
    ["二、做好政府网站专栏信息公开。", "2.及时更新网站频道的各类型概况信息。", "办公室"],
    [None, "3.及时反馈网民对调查征集信息的意见。", "各科室"],
    [None, "4.及时更新微信公众号信息。", "办公室牵头,各科室配合"],
    ["三、持续加强重大政策发布解读。", "5.聚焦我中心工作,切实加强重大政策实施的发布解读。", "各科室"],
    [None, "8.加强政策咨询服务,要积极解答政策执行机关和企业、群众的咨询,精准传达政策意图。", "各科室"],
    [None, "9.加强内部协调工作,修订本单位政府信息公开指南,明确对外告知政府信息公开渠道。", "办公室牵头,各科室配合"],
]
CHIZHOU = [  # 池州市信访局: 工作任务 / 序号 / 具体要求 / 责任科室 / 时限要求
    ["强化行政规范性文件集中规范公开", 1, "对行政规范性文件进行全面清理,并向社会公布现行有效行政规范性文件目录。", "办公室", "年底前"],
    ["深化政策解读形式", 2, "积极做好政策解读工作,持续提升政策解读质量,丰富解读形式。", "各科室", "持续推进"],
    ["规范办理依申请公开", 5, "依法依规办理政府信息公开申请,做行政复议答复和行政诉讼答辩工作,防范法律风险。", "各科室", "持续推进"],
]
YEJI_UNITS = ["区政府办公室、区发改委、市自然资源和规划局叶集分局牵头,区政府各部门,各乡镇街负责落实",
              "区政府办公室牵头,区政府各部门,各乡镇街负责落实"]
HUOSHAN = [  # 霍山经济开发区: 序号 / 重点工作 / 责任领导 / 责任单位 / 完成时限
    [1, "坚持服务跟着项目走,优化“重点项目直通车”“无忧办”工作机制。", "叶林", "招商工作部、安商工作部", "全年"],
    [2, "全力推进开发区“空间再造”,推动工业用地“腾笼换鸟”。", "马振明", "改革办", "全年"],
    [3, "持续提升园区承载能力,加快推进开发区污水处理厂及污水管网提升项目。", "张云峰", "规划建设局", "全年"],
]


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def jiangmen_master(tmp_path, deadline: str | None = None):
    """The 江门 plan merged; with `deadline`, a 完成时限 column the published table lacks
    (so that its tasks can be overdue and reminded)."""
    header = ["工作任务", "具体要求", "责任部门"] + (["完成时限"] if deadline else [])
    rows = [r + ([deadline] if deadline else []) for r in JIANGMEN]
    plan = write_xlsx(tmp_path / "江门市土地储备中心政务公开工作任务分工.xlsx",
                      {"Sheet1": [["2024年江门市土地储备中心政务公开工作任务分工"], header, *rows]})
    master = tmp_path / "汇总.xlsx"
    merge([plan], master, as_of=dt.date(2025, 1, 10))
    return master


# ------------------------------------------------------------ 1. who receives what

SECTION_COLLECTIVES = ["各科室", "各处室", "各股室", "局机关各科室", "各中心", "各专班", "全区经济运行各专班", "各成员单位",
                       "各地", "各县（市、区）人民政府", "区政府有关行政执法部门（单位）"]


@pytest.mark.parametrize("place", ["广东省", "江门市", "池州市", "长清区", "嘉祥县", "泗洲头镇"])
@pytest.mark.parametrize("name", SECTION_COLLECTIVES)
def test_a_group_no_registry_lists_is_one_recipient_at_every_level(place, name):
    """A body's own sections, task forces, a leading group's members, places: never the
    departments of the government of the place; one recipient, as written."""
    registry = UnitRegistry.default(place)
    assert is_collective(name) and collective_member_kinds(name) == ()
    assert registry.members(name) == []
    got = recipients(units_of(name, registry), registry)
    assert [u.written for u in got] == [name]


def test_a_collective_of_government_bodies_reaches_the_members_listed_for_it():
    changqing = UnitRegistry.default("长清区")
    streets = set(changqing.names(["街道"])) & {u.name for u in changqing if u.district}
    assert streets and set(changqing.members("各街道")) == streets
    assert set(changqing.members("各街镇")) >= streets and "马山镇" in changqing.members("各街镇")
    departments = changqing.members("区直各部门")
    assert {"区财政局", "区委组织部", "区人民法院"} <= set(departments) and not [d for d in departments if "街道" in d]
    assert changqing.members("区直各部门") == changqing.members("各有关部门") == changqing.members("县直各单位")
    government = changqing.members("区政府各部门（单位）")        # the government's: no party organ, no court
    assert "区财政局" in government and not {"区委组织部", "区人民法院", "区人民检察院", "团区委"} & set(government)
    assert collective_member_kinds("各乡镇街") == ("镇", "街道")
    assert collective_member_kinds("各镇（街道）党（工）委") == ("镇", "街道")
    assert collective_member_kinds("各村（社区）") == ("村/社区",)
    assert collective_member_kinds("省直各部门") == collective_member_kinds("各厅局") == ("部门",)


def test_an_institutions_sections_are_not_sent_to_the_citys_departments(tmp_path):
    """江门市土地储备中心's 各科室: one return, one unit in the circular and in 统计 alike
    (before: 70 returns to 市中级人民法院, 市委组织部 …)."""
    master = jiangmen_master(tmp_path)
    result = run("split", master, "--by", "lead-unit", "-o", tmp_path / "下发", "--json")
    assert result.exit_code == 0, result.output
    units = sorted(f["unit"] for f in json.loads(result.output)["files"])
    assert units == ["办公室", "各科室", "财务科"]
    written = sorted(p.stem for p in (tmp_path / "下发").glob("*.xlsx"))
    assert written == ["办公室", "各科室", "财务科"]
    # the circular and 统计 count the same lead units
    report = read_report(master, as_of=dt.date(2025, 1, 10))
    circular = {row.name for row in report.circular().by_unit}
    assert circular == {"办公室", "各科室", "财务科"}
    stats = openpyxl.load_workbook(master)["统计"]
    rows = [[c.value for c in r] for r in stats.iter_rows()]
    top = next(i for i, r in enumerate(rows) if r[0] == "牵头单位")
    assert {r[0] for r in rows[top + 1:] if r[0]} == circular
    out = tmp_path / "通报.docx"
    assert run("report", master, "-o", out, "--as-of", "2025-01-10").exit_code == 0
    text = "\n".join(c.text for t in docx.Document(str(out)).tables for r in t.rows for c in r.cells)
    assert "各科室" in text and "市中级人民法院" not in text and "市委组织部" not in text


def test_no_reminder_goes_to_the_citys_departments_for_各科室(tmp_path):
    master = jiangmen_master(tmp_path, deadline="2024年12月底前")
    result = run("remind", master, "-o", tmp_path / "催办", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert sorted(f["unit"] for f in data["files"]) == ["办公室", "财务科"]
    assert [u["unit"] for u in data["unreached"]] == ["各科室"]
    assert sorted(p.stem for p in (tmp_path / "催办").glob("*.docx")) == ["催办单-办公室", "催办单-财务科"]


# ------------------------------------------------------------ 2. role tails

@pytest.mark.parametrize("cell, lead, support", [
    (YEJI_UNITS[0], ("区政府办公室", "区发改委", "市自然资源和规划局叶集分局"), ("区政府各部门", "各乡镇街")),
    (YEJI_UNITS[1], ("区政府办公室",), ("区政府各部门", "各乡镇街")),
    ("各乡镇街负责落实", ("各乡镇街",), ()),
    ("区财政局牵头，各街道具体负责", ("区财政局",), ("各街道",)),
    ("区财政局牵头，各街镇抓好落实", ("区财政局",), ("各街镇",)),
    ("区发改局牵头，区直各部门负责推进", ("区发改局",), ("区直各部门",)),
    ("区财政局、区审计局按职责落实", ("区财政局", "区审计局"), ()),
    ("区财政局负责，区审计局配合", ("区财政局",), ("区审计局",)),
    ("区推进办牵头", ("区推进办",), ()),
    ("区财政局牵头，区审计局协同推进", ("区财政局",), ("区审计局",)),
])
def test_a_role_tail_is_no_part_of_the_unit(cell, lead, support):
    got = split_units(cell)
    assert (got.lead, got.support) == (lead, support)


def test_yeji_units_are_read_without_the_role_tail(tmp_path):
    path = write_xlsx(tmp_path / "叶集区.xlsx", {"Sheet1": [
        ["六安市叶集区2021年政务公开重点工作任务分工进展情况"],
        ["序号", "具体要求", "责任单位", "时限要求"],
        [1, "区政府要主动公开国民经济和社会发展第十四个五年规划纲要。", YEJI_UNITS[0], "年底前"],
        [2, "区政府网站建立专题,集中发布区级各类规划。", YEJI_UNITS[1], "年底前"],
    ]})
    tasks = read_plan(path).tasks
    assert [tuple(u.written for u in t.support_units) for t in tasks] == [("区政府各部门", "各乡镇街")] * 2
    units = {f.value for f in validate([path]).findings if f.code in UNKNOWN}
    assert not [u for u in units if "负责" in u or "落实" in u]


# ------------------------------------------------------------ 3. collective names by grammar

def test_province_and_district_collectives_are_no_errors(tmp_path):
    guangdong = write_xlsx(tmp_path / "广东省.xlsx", {"Sheet1": [
        ["2021年省《政府工作报告》重点任务分工方案"],
        ["序号", "重点任务", "分管省领导", "部门分工"],
        ["一、2021年经济社会发展主要预期目标", None, None, None],
        [1, "地区生产总值增长6%以上。", "林克庆", "省发展改革委牵头,各地、各部门配合。"],
        [2, "地方一般公共预算收入增长5%左右。", "林克庆", "省财政厅牵头,各地、各部门配合。"],
    ]})
    lishan = write_xlsx(tmp_path / "立山区.xlsx", {"Sheet1": [
        ["立山区政府2023年重点工作任务分解和责任分工方案"],
        ["序号", "工作任务", "牵头单位", "责任单位"],
        ["一、经济社会发展的主要预期目标", None, None, None],
        [1, "努力实现地区生产总值增长6.2%左右。", "区发改局", "立山经济开发区,全区经济运行各专班"],
        [6, "居民收入增长与经济增长基本同步。", "区发改局", "各街道,各相关单位,各专班"],
    ]})
    report = validate([guangdong, lishan], columns=parse_columns("部门分工=责任单位,分管省领导=责任领导"))
    flagged = {f.value for f in report.findings if f.code in UNKNOWN}
    assert not flagged & {"各地", "各部门", "全区经济运行各专班", "各专班", "各相关单位"}, flagged


# ------------------------------------------------------------ 4. a body's own plan, and suggestions

def test_a_zones_own_departments_are_notes_and_nothing_is_renamed(tmp_path):
    path = write_xlsx(tmp_path / "霍山县2025年开发区重点工作及责任清单.xlsx", {"Sheet1": [
        ["2025年霍山经济开发区重点工作及责任清单"], ["序号", "重点工作", "责任领导", "责任单位", "完成时限"], *HUOSHAN]})
    report = validate([path])
    assert not [f for f in report.findings if f.severity == "error"], [f.message() for f in report.findings]
    notes = {f.value: f for f in report.findings if f.code == "unknown-unit-internal"}
    assert set(notes) == {"招商工作部", "安商工作部", "改革办", "规划建设局"}
    assert all(f.severity == "info" and "霍山经济开发区" in f.message() for f in notes.values())
    shown = " ".join(f.message() + f.suggestion() for f in report.findings)
    for other in ("社会工作部", "住房和城乡建设局", "发展和改革"):
        assert other not in shown
    master = tmp_path / "汇总.xlsx"
    merge([path], master)
    ws = openpyxl.load_workbook(master)["汇总"]
    col = {c.value: c.column for c in ws[1]}
    assert [ws.cell(r, col["牵头单位"]).value for r in (2, 3, 4)] == ["招商工作部、安商工作部", "改革办", "规划建设局"]


def test_a_bureaus_own_sections_are_notes_a_governments_unknown_units_errors(tmp_path):
    chizhou = write_xlsx(tmp_path / "池州市信访局.xlsx", {"Sheet1": [
        ["池州市信访局政务公开重点任务清单"], ["工作任务", "序号", "具体要求", "责任科室", "时限要求"], *CHIZHOU]})
    jiangmen = write_xlsx(tmp_path / "江门.xlsx", {"Sheet1": [
        ["2024年江门市土地储备中心政务公开工作任务分工"], ["工作任务", "具体要求", "责任部门"], *JIANGMEN]})
    report = validate([chizhou, jiangmen], year=2023)
    assert not [f for f in report.findings if f.code in UNKNOWN]
    assert {f.value for f in report.findings if f.code == "unknown-unit-internal"} == {"办公室", "财务科"}
    district = write_xlsx(tmp_path / "叶集区.xlsx", {"Sheet1": [
        ["2021年叶集区政务公开重点工作任务分工"], ["序号", "具体要求", "责任单位", "完成时限"],
        [1, "甲。", "招商工作部", "年底前"], [2, "乙。", "区火星局", "年底前"]]})
    codes = {(f.value, f.code) for f in validate([district]).findings}
    assert ("招商工作部", "unknown-unit-nosuggest") in codes and ("区火星局", "unknown-unit-nosuggest") in codes


@pytest.mark.parametrize("title, issuer", [
    ("2025年霍山经济开发区重点工作及责任清单", "霍山经济开发区"), ("池州市信访局政务公开重点任务清单", "池州市信访局"),
    ("2024年江门市土地储备中心政务公开工作任务分工", "江门市土地储备中心"),
    ("2023年度区卫健委政务公开任务清单", "区卫健委"),
    ("立山区政府2023年重点工作任务分解和责任分工方案", None), ("2021年省《政府工作报告》重点任务分工方案", None),
    ("泗洲头镇2024年度重点工作计划二季度执行情况", None), ("中共天桥区委2024年工作要点", None),
    ("天桥区人民政府办公室2024年政务公开工作要点", None), ("东城街道办事处2024年重点工作清单", None),
    ("2024年度重点工作任务清单", None), ("序号", None),
])
def test_whose_own_plan(title, issuer):
    assert own_plan_of([title]) == issuer


@pytest.mark.parametrize("place, written, unlike", [
    ("霍山县", "招商工作部", "县委社会工作部"), ("霍山县", "规划建设局", "县住房和城乡建设局"),
    ("霍山县", "改革办", "县发展和改革局"), ("泗洲头镇", "民政办公室", "党政办公室"),
    ("谯城区", "民政办公室", "区政府办公室"),
])
def test_a_suggestion_is_plausibly_the_same_body(place, written, unlike):
    assert unlike not in UnitRegistry.default(place).suggest(written)


@pytest.mark.parametrize("written, expected", [
    ("区人设局", "区人力资源和社会保障局"), ("区教局", "区教育和体育局"), ("区财政居", "区财政局"),
    ("县自然资源局局", "县自然资源局"), ("便民综合服务中心", "便民服务中心"),
])
def test_a_plausible_suggestion_is_still_made(written, expected):
    place = "泗洲头镇" if written.startswith("便民") else "天桥区"
    assert expected in UnitRegistry.default(place).suggest(written)


def test_a_townships_villages_are_reached_when_its_registry_lists_them():
    """各村（社区） in a township's plan: its villages and communities, when its registry
    lists them (office staff add them); otherwise one recipient."""
    rows = [["区县", "单位名称", "简称或别名", "类别", "级别"], ["泗洲头镇", "党政办公室", "", "部门", "乡级"],
            ["泗洲头镇", "墩岙村", "", "村/社区", "乡级"], ["泗洲头镇", "泗洲头社区", "", "村/社区", "乡级"]]
    town = UnitRegistry.from_rows(rows, "泗洲头镇")
    assert town.members("各村（社区）") == ["墩岙村", "泗洲头社区"]
    assert [u.written for u in recipients(units_of("党政办公室牵头，各村（社区）配合", town), town)] == \
        ["党政办公室", "墩岙村", "泗洲头社区"]
    assert town.members("各科室") == [] and UnitRegistry.default("泗洲头镇").members("各村（社区）") == []
