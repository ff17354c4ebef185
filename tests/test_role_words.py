"""Role words inside a units cell (主办/协办, 负责/配合, A会B, A会同B), and split naming every
task that no unit leads.  Real .xlsx in and out, read back by openpyxl and python-calamine."""
from __future__ import annotations

import json

import openpyxl
import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from conftest import write_xlsx
from xltools import read_plan, validate
from xltools.cli.app import cli
from xltools.rules.units import UnitRegistry, split_units
from xltools.work.loop import split
from xltools.work.merge import merge

PENGJIANG = "江门市蓬江区"


@pytest.mark.parametrize("cell, lead, support", [
    ("区卫生健康局主办、区委宣传部协办", ["区卫生健康局"], ["区委宣传部"]),
    ("局防控办主办、各工作组协办", ["局防控办"], ["各工作组"]),
    ("区卫健局主办、区委宣传部、区财政局协办", ["区卫健局"], ["区委宣传部", "区财政局"]),
    ("主办单位：区财政局；协办单位：区民政局", ["区财政局"], ["区民政局"]),
    ("区财政局（主办）、区民政局（协办）", ["区财政局"], ["区民政局"]),
    ("区民政局负责、区委社会工作部配合", ["区民政局"], ["区委社会工作部"]),
    ("区民政局负责，区委社会工作部配合", ["区民政局"], ["区委社会工作部"]),
    ("区发改局具体负责、区财政局配合", ["区发改局"], ["区财政局"]),
    ("区发改局负责落实、区财政局配合", ["区发改局"], ["区财政局"]),
    ("区委宣传部会区政府办公室", ["区委宣传部"], ["区政府办公室"]),
    ("区委宣传部会同区政府办公室", ["区委宣传部"], ["区政府办公室"]),
    ("宣传处会办公室", ["宣传处"], ["办公室"]),
    ("区总工会会同区妇联", ["区总工会"], ["区妇联"]),
    ("区科协会同区教育局", ["区科协"], ["区教育局"]),
    ("区委政法委会同区公安局", ["区委政法委"], ["区公安局"]),
    ("区委宣传部会区政府办公室、区财政局", ["区委宣传部"], ["区政府办公室", "区财政局"]),
    ("区发改局牵头，区信访局会同区司法局配合", ["区发改局"], ["区信访局", "区司法局"]),
    # 主办 inside a name is no role word: the bureau's 主办科室 is one unit
    ("局主办科室", ["局主办科室"], []),
])
def test_role_words_give_lead_and_support(cell, lead, support):
    registry = UnitRegistry.default(PENGJIANG)
    for judge in (registry, None):      # with and without a registry: the same roles
        if judge is None and cell.startswith(("区总工会", "区科协")):
            continue                    # names that end like no unit: only the registry knows them
        got = split_units(cell, registry=judge)
        assert (list(got.lead), list(got.support)) == (lead, support), (cell, judge)


# 会 inside ordinary names (会议, 会计, 委员会, 工会, 社会, 商会, 协会 …) never splits them.
HUI_NAMES = ["区委会", "区总工会", "工会", "区社会组织管理局", "区委社会工作部", "区人力资源和社会保障局",
             "区国有资产监督管理委员会", "区工商联（总商会）", "区商会", "区计划生育协会", "区文联会",
             "区红十字会办公室", "管委会办公室", "开发区管委会", "区人大常委会办公室", "区委会办公室",
             "区财政局会计核算中心", "区机关事务管理局会议中心", "区文广旅体局会展中心", "村委会", "各村委会",
             "各居委会", "区残疾人联合会", "区委员会", "区政协委员会", "社会事务办公室", "区总工会（区职工服务中心）"]


@pytest.mark.parametrize("district", [None, PENGJIANG, "江门市", "广东省", "巴州区曾口镇"])
def test_hui_inside_a_name_never_splits_it(district):
    registry = UnitRegistry.default(district)
    listed = [n for u in registry for n in (u.name, *u.aliases) if "会" in n]
    assert len(listed) > 10            # the registry's own 会 names are part of the check
    for name in HUI_NAMES + listed:
        for judge in (registry, None):
            got = split_units(name, registry=judge)
            assert (got.lead, got.support) == ((name,), ()), (name, district, got)


PLAN = [["2024年江门市蓬江区政务公开工作任务分解表"],
        ["序号", "工作任务", "责任单位", "完成时限"],
        [1, "加强疫情信息发布", "区卫健局主办、区委宣传部协办", "2024年6月底前"],
        [2, "做好政策解读", "区委宣传部会区政府办公室", "2024年8月底前"],
        [3, "做好信访信息公开", "区信访局会同区司法局", "2024年9月底前"],
        [4, "做好社会组织信息公开", "区民政局负责、区委社会工作部配合", "2024年10月底前"],
        [5, "推进工会信息公开", "区总工会、区红十字会", "2024年11月底前"]]
ROLES = {1: (["区卫健局"], ["区委宣传部"]), 2: (["区委宣传部"], ["区政府办公室"]),
         3: (["区信访局"], ["区司法局"]), 4: (["区民政局"], ["区委社会工作部"]),
         5: (["区总工会", "区红十字会"], [])}


@pytest.fixture
def plan(tmp_path):
    return write_xlsx(tmp_path / "2024年蓬江区政务公开任务分解表.xlsx", {"分工": PLAN})


def test_read_and_validate_a_sheet_with_role_words(plan):
    tasks = [t for s in read_plan(plan).sheets for t in s.tasks]
    assert {int(t.seq): ([u.written for u in t.lead_units], [u.written for u in t.support_units])
            for t in tasks} == ROLES
    # the written abbreviation is kept; the registry entry is only for counting
    first = tasks[0].lead_units[0]
    assert (first.written, first.entry) == ("区卫健局", "区卫生健康局")
    report = validate([plan])
    unit_findings = [f for f in report.findings if "unit" in f.code]
    assert unit_findings == [], [f.message() for f in unit_findings]
    assert report.count("error") == 0


def _master_rows(path):
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("汇总").to_python()
    head = rows[0]
    return [dict(zip(head, r)) for r in rows[1:] if any(r)]


def test_merge_keeps_the_written_names_and_split_sends_to_the_lead(plan, tmp_path):
    master = tmp_path / "汇总.xlsx"
    merge([plan], master)
    rows = {int(r["序号"]): (r["牵头单位"], r["配合单位"]) for r in _master_rows(master)}
    assert rows == {n: ("、".join(lead), "、".join(support)) for n, (lead, support) in ROLES.items()}
    # openpyxl reads the same cells: the names as the district typed them, not the registry's
    ws = openpyxl.load_workbook(master)["汇总"]
    head = [c.value for c in ws[1]]
    assert ws.cell(2, head.index("牵头单位") + 1).value == "区卫健局"

    out = tmp_path / "下发"
    summary = split(master, out, by="lead-unit")
    assert summary.no_lead == [] and summary.exit_code == 0
    names = sorted(p.name for p in out.glob("*.xlsx"))
    assert "区卫健局.xlsx" in names and "区委宣传部.xlsx" in names and "区信访局.xlsx" in names
    assert not [n for n in names if "会区" in n or "会同" in n or "主办" in n or "负责" in n]

    def requirements(name):
        rows = CalamineWorkbook.from_path(str(out / name)).get_sheet_by_name("进展报送").to_python()
        return [c for r in rows for c in r if isinstance(c, str) and c.startswith(("加强", "做好", "推进"))]

    assert requirements("区卫健局.xlsx") == ["加强疫情信息发布"]
    # 区委宣传部 leads task 2 and supports task 1 (it leads something, so it gets that too)
    assert sorted(requirements("区委宣传部.xlsx")) == ["做好政策解读", "加强疫情信息发布"]
    assert requirements("区信访局.xlsx") == ["做好信访信息公开"]


LEADLESS = [["2024年江门市蓬江区政务公开工作任务分解表"],
            ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"],
            [1, "加强疫情信息发布", "区卫生健康局", "区委宣传部", "2024年6月底前"],
            [2, "做好政策解读工作，及时回应社会关切", None, "区财政局", "2024年8月底前"],
            [3, "推进预算公开", None, "区卫生健康局", "2024年9月底前"],
            [4, "做好惠民资金公开", None, None, "2024年10月底前"]]


def test_split_names_every_task_without_a_lead_and_exits_1(tmp_path):
    plan = write_xlsx(tmp_path / "2024年蓬江区任务.xlsx", {"分工": LEADLESS})
    master = tmp_path / "汇总.xlsx"
    merge([plan], master)
    assert [r["牵头单位"] for r in _master_rows(master)] == ["区卫生健康局", "", "", ""]
    runner = CliRunner()
    out = tmp_path / "下发"
    result = runner.invoke(cli, ["split", str(master), "--by", "lead-unit", "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert "蓬江区 第 2 项“做好政策解读工作，及时回…”没有牵头单位，未下发；请在汇总表中填写牵头单位后重新拆分。" \
        in result.output
    # task 3's supporting unit leads task 1, so it got task 3 as a supported task: said so
    assert "蓬江区 第 3 项“推进预算公开”没有牵头单位，只作为配合任务发给了区卫生健康局；" in result.output
    assert "蓬江区 第 4 项“做好惠民资金公开”没有牵头单位，未下发" in result.output
    assert "Traceback" not in result.output
    assert [p.name for p in out.glob("*.xlsx")] == ["区卫生健康局.xlsx"]
    rows = CalamineWorkbook.from_path(str(out / "区卫生健康局.xlsx")).get_sheet_by_name("进展报送").to_python()
    assert any("推进预算公开" in r for r in rows) and not any("做好政策解读工作，及时回应社会关切" in r for r in rows)

    # --json says the same, with the task keys; a dry run exits as the real run would
    result = runner.invoke(cli, ["split", str(master), "-o", str(tmp_path / "预览"), "--json", "--dry-run"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.output)
    assert data["exit_code"] == 1
    assert [(x["seq"], x["task"], x["sent_as_support"]) for x in data["no_lead"]] == [
        (2, "做好政策解读工作，及时回…", []), (3, "推进预算公开", ["区卫生健康局"]), (4, "做好惠民资金公开", [])]
    assert all(x["key"].startswith("蓬江区-2024-") and x["district"] == "蓬江区" for x in data["no_lead"])

    result = runner.invoke(cli, ["split", str(master), "-o", str(tmp_path / "en"), "--lang", "en"])
    assert result.exit_code == 1
    assert "蓬江区 task 2 '做好政策解读工作，及时回…' has no lead unit and was not sent" in result.output

    # by unit, a task with supporting units reaches them: only the task with no unit at all is named
    result = runner.invoke(cli, ["split", str(master), "--by", "unit", "-o", str(tmp_path / "按单位"), "--json"])
    assert result.exit_code == 1
    assert [x["seq"] for x in json.loads(result.output)["no_lead"]] == [4]
    # by district every task is sent
    result = runner.invoke(cli, ["split", str(master), "--by", "district", "-o", str(tmp_path / "按区县")])
    assert result.exit_code == 0 and "没有牵头单位" not in result.output


def test_split_of_a_led_master_exits_0(plan, tmp_path):
    master = tmp_path / "汇总.xlsx"
    merge([plan], master)
    result = CliRunner().invoke(cli, ["split", str(master), "-o", str(tmp_path / "下发")])
    assert result.exit_code == 0, result.output
    assert "没有牵头单位" not in result.output
