"""What a third new user found in the column reading (notes newuser3-report findings 3, 4
and 7), with the rows of the tables they rebuilt: a provincial department's ledger
(序号 | 工作任务 | 细化分工 | 责任处室 | 完成时限 | 备注), a department's own plan named
only by its file name, and a town's progress sheet with a column 工作任务安排 beside
攻坚目标任务.  Real .xlsx in; the master read back with openpyxl."""
from __future__ import annotations

import openpyxl
import pytest

from xltools import read_plan
from xltools.check.validate import validate_plan
from xltools.read.columns import parse_columns
from xltools.rules.units import UnitRegistry, is_collective
from xltools.work.merge import merge

LEDGER_TITLE = "2021年政务公开工作重点任务台账"   # the title row does not name the department
LEDGER_FILE = "广东省卫生健康委2021年政务公开工作重点任务台账.xlsx"
LEDGER = [
    [LEDGER_TITLE],
    ["序号", "工作任务", "细化分工", "责任处室", "完成时限", "备注"],
    [1, "做好常态化疫情防控信息发布", "重点围绕散发疫情、隔离管控、流调溯源、精准防控等发布权威信息",
     "应急处、监督处、医政医管处、疾控处、基层处等按职责分工落实", "长期推进", None],
    [2, None, "扎实做好疫苗接种信息公开和舆论引导工作", "疾控处", "长期推进", None],
    [3, None, "提高新冠肺炎疫情信息发布规范化水平，强化政府内部信息整合", "宣传处", "2021年8月前", None],
    [4, None, "做好爱国卫生运动、健康中国行动、健康广东行动的信息发布工作", "规划信息处（爱卫办）", "长期推进", None],
    [5, "常规政务公开事项", "强化行政执法信息公开，加强反垄断与反不正当竞争执法信息公开", "政法处", "长期推进", None],
    [6, None, "积极推进部门所属单位预算、决算及相关报表公开", "财务处",
     "2021年2月公布预算信息，2021年8月公布上年度决算信息", None],
    [7, None, "逐步清理、摸清底数，有步骤推进本部门规范性文件统一公开工作", "政法处", "长期推进", None],
    [8, None, "修订完善本部门主动公开目录，指导下级卫生健康行政部门有序推进基层政务公开标准化规范化建设", "办公室",
     "长期推进", None],
]
LEDGER_MERGES = ["A1:F1", "B3:B6", "B7:B10"]
DIVISIONS = {"应急处", "监督处", "医政医管处", "疾控处", "基层处", "宣传处", "政法处", "财务处", "办公室",
             "规划信息处（爱卫办）"}


def ledger(xlsx, name=LEDGER_FILE, rows=LEDGER):
    return xlsx({"台账": rows}, {"台账": LEDGER_MERGES}, name=name)


def master_rows(path) -> list[dict]:
    ws = openpyxl.load_workbook(path)["汇总"]
    header = [c.value for c in ws[1]]
    return [dict(zip(header, (c.value for c in row))) for row in ws.iter_rows(min_row=2)]


# ---------------------------------------------------------------- finding 3: 细化分工 | 责任处室

def test_ledger_units_are_zechu_and_xihua_fengong_is_the_requirement(xlsx):
    sheet, = read_plan(ledger(xlsx)).sheets
    assert sheet.columns["units"] == "D" and sheet.columns["requirement"] == "C"
    why = {c.letter: (c.field, c.reason) for c in sheet.column_map}
    assert why["C"] == ("requirement", "content") and why["D"] == ("units", "header")
    assert "分工" in next(c for c in sheet.column_map if c.letter == "C").why()
    tasks = sheet.tasks
    assert [t.requirement for t in tasks][:2] == [LEDGER[2][2], LEDGER[3][2]]
    assert [u.written for u in tasks[1].lead_units] == ["疾控处"]
    assert [u.written for u in tasks[3].lead_units] == ["规划信息处（爱卫办）"]
    assert not any(f.code.startswith("columns-unsure") for f in sheet.findings)


def test_ledger_gives_no_unit_errors_made_of_sentences(xlsx):
    found = validate_plan(read_plan(ledger(xlsx)))
    units = {f.params.get("unit") for f in found if f.code.startswith("unknown-unit")}
    assert units and units <= DIVISIONS           # 隔离管控, 流调溯源 … are no units
    assert not [f for f in found if f.severity == "error"]


@pytest.mark.parametrize("word", ["部门分工", "具体分工"])
def test_a_fengong_column_of_units_stays_the_units(xlsx, word):
    """A 分工 column whose cells name units is the units column, as before."""
    rows = [["2024年蓬江区政务公开任务清单"], ["序号", "工作任务", word, "完成时限"]] + [
        [i, f"做好第{i}项政务公开工作，按要求及时发布信息", unit, "2024年12月底前"]
        for i, unit in enumerate(["区财政局牵头，区各部门配合", "区卫生健康局", "区委宣传部、区政府办公室",
                                  "区司法局", "区应急管理局"], 1)]
    sheet, = read_plan(xlsx({"Sheet": rows})).sheets
    assert sheet.columns["units"] == "C" and sheet.columns["section"] == "B" and "requirement" not in sheet.columns
    assert [u.written for u in sheet.tasks[0].lead_units] == ["区财政局"]


def test_a_juti_fengong_column_of_sentences_is_the_requirement(xlsx):
    """具体分工 holding sentences, no other units column: read as the requirement, so no
    piece of a sentence is taken for a unit (the clerk is told no units column was found)."""
    rows = [["2024年蓬江区政务公开任务清单"], ["序号", "工作任务", "具体分工", "完成时限"]] + [
        [i, "做好政务公开工作", text, "2024年12月底前"] for i, text in enumerate(
            [r[2] for r in LEDGER[2:7]], 1)]
    sheet, = read_plan(xlsx({"Sheet": rows})).sheets
    assert sheet.columns["requirement"] == "C" and "units" not in sheet.columns
    assert sheet.tasks[0].requirement == LEDGER[2][2]
    assert not [f for f in validate_plan(read_plan(xlsx({"Sheet": rows}))) if f.code.startswith("unknown-unit")]


def test_a_misread_units_cell_keeps_its_written_order_in_the_master(xlsx, tmp_path):
    """Read by the clerk's map as units, 做好爱国卫生运动 (a remark) stays first, as written."""
    src = ledger(xlsx)
    out = tmp_path / "汇总.xlsx"
    merge([src], out, columns=parse_columns("细化分工=责任单位,责任处室=不读"))
    got = {r["序号"]: r for r in master_rows(out)}
    assert got[4]["牵头单位"] == "做好爱国卫生运动、健康中国行动、健康广东行动的信息发布工作"
    assert got[6]["牵头单位"] == "积极推进部门所属单位预算、决算及相关报表公开"
    # merged again, the master keeps the same words in the same order
    merge([src], out, columns=parse_columns("细化分工=责任单位,责任处室=不读"))
    again = {r["序号"]: r for r in master_rows(out)}
    assert again[4]["牵头单位"] == got[4]["牵头单位"] and again[6]["牵头单位"] == got[6]["牵头单位"]


# ---------------------------------------------------------------- finding 4: whose plan, suggestions

def test_department_named_by_file_name_has_its_divisions_as_hints(xlsx):
    plan = read_plan(ledger(xlsx))
    assert plan.sheets[0].own_plan_of == "广东省卫生健康委"
    found = validate_plan(plan)
    hinted = {f.params["unit"] for f in found if f.code == "unknown-unit-internal"}
    assert {"应急处", "疾控处", "财务处", "办公室", "政法处"} <= hinted
    assert not [f for f in found if f.severity == "error"]


def test_without_the_department_in_title_or_file_name_the_divisions_are_errors(xlsx):
    """The same rows in a file named for no body: no own plan, the divisions are unknown units."""
    plan = read_plan(ledger(xlsx, name="广东省2021年政务公开工作重点任务台账.xlsx"))
    assert plan.sheets[0].own_plan_of is None
    errors = {f.params["unit"] for f in validate_plan(plan) if f.severity == "error" and "unit" in f.params}
    assert {"应急处", "财务处"} <= errors


def test_a_government_title_is_not_overridden_by_the_file_name(xlsx):
    rows = [["广东省2021年政务公开工作重点任务台账"]] + LEDGER[1:]
    plan = read_plan(ledger(xlsx, rows=rows))
    assert plan.sheets[0].own_plan_of is None


def test_province_suggestions_name_no_district_body_and_no_collective(xlsx):
    """The ledger's units are the 卫健委's own 处 (sections): none is offered a bureau of its
    field (应急处 is not 省应急管理厅, nor in a district's plan 区应急管理局: test_section_suggestions),
    a district's body or a collective; a name that is a body's, misspelt, still is."""
    plan = read_plan(ledger(xlsx, name="广东省2021年政务公开工作重点任务台账.xlsx"))
    found = [f for f in validate_plan(plan) if f.code.startswith("unknown-unit")]
    assert {f.params["unit"] for f in found} >= {"应急处", "政法处", "财务处"}
    assert not [f for f in found if f.code == "unknown-unit"], [f.params for f in found]
    registry = UnitRegistry.default("广东省")
    assert registry.suggest("应急管理听") == ["省应急管理厅"]      # a suggestion is still offered …
    assert not [n for n in registry.suggest("政法处") if is_collective(n)]
    assert registry.suggest("区应急局") == ["区应急管理局"]   # written with 区: the 区's body
    county = UnitRegistry.default("蓬江区")
    assert county.suggest("应急处") == [] and county.suggest("应急管理居")[0] == "区应急管理局"   # its own body


@pytest.mark.parametrize("district", ["广东省", "江门市"])
def test_higher_tier_registry_suggests_no_lower_tier(district):
    registry = UnitRegistry.default(district)
    for q in ("应急处", "应急管理局", "财政处", "司法处"):
        assert not [n for n in registry.suggest(q) if n.startswith(("区", "县", "旗"))], (q, registry.suggest(q))


# ---------------------------------------------------------------- finding 7: 工作任务安排 kept

TOWN = [
    ["泗洲头镇2024年度重点工作计划二季度执行情况"],
    ["序号", "重点工作", "责任领导", "责任科室", "攻坚目标任务", "工作任务安排", "第二季度完成情况"],
    [1, "白仙山水库工程政策处理", "欧乾震", "白仙山水库工程政策处理工作领导小组",
     "完成项目政策处理工作，推进大坝、溢洪道、引水隧洞及配套设施建设。", "推进坟墓迁移工作。", "该工程库区内坟墓迁移进度达60%。"],
    [2, "现代化美丽城镇", "吴宇凡", "乡村振兴办", "成功创建首批浙江省美丽城镇。", "按照时间节点开展项目建设。",
     "本年度总投资6000万元的19个项目完成投资3000万元。"],
]


def test_town_column_beside_the_requirement_is_kept_in_the_master(xlsx, tmp_path):
    src = xlsx({"二季度": TOWN}, {"二季度": ["A1:G1"]}, name="泗洲头镇2024年度重点工作计划二季度执行情况.xlsx")
    sheet, = read_plan(src).sheets
    assert sheet.columns["requirement"] == "E"
    assert [t.extra.get("工作任务安排") for t in sheet.tasks] == ["推进坟墓迁移工作。", "按照时间节点开展项目建设。"]
    out = tmp_path / "汇总.xlsx"
    merge([src], out)
    got = master_rows(out)
    assert [r["工作任务安排"] for r in got] == ["推进坟墓迁移工作。", "按照时间节点开展项目建设。"]
    assert [r["具体要求"] for r in got] == [TOWN[2][4], TOWN[3][4]]


def test_a_header_merged_over_two_columns_is_one_column(xlsx, tmp_path):
    """完成时限 merged over two columns (filled when read) is still the one deadline column,
    not a column of the district's own."""
    rows = [["2024年蓬江区政务公开任务清单"], ["序号", "具体要求", "责任单位", "完成时限", None],
            [1, "做好政策解读，及时发布解读材料", "区司法局", "2024年6月底前", None],
            [2, "规范依申请公开办理，按时答复", "区政府办公室", "2024年9月底前", None]]
    src = xlsx({"Sheet": rows}, {"Sheet": ["D2:E2", "D3:E3", "D4:E4"]})
    sheet, = read_plan(src).sheets
    assert [t.extra for t in sheet.tasks] == [{}, {}]
    out = tmp_path / "汇总.xlsx"
    merge([src], out)
    header = [c.value for c in openpyxl.load_workbook(out)["汇总"][1]]
    assert header.count("完成时限") == 1


def test_a_column_of_text_without_header_is_a_warning(xlsx):
    """A column the town wrote under no header cannot be kept by its name: the clerk is told."""
    rows = [row[:5] + [None] + row[6:] for row in TOWN[:2]] + TOWN[2:]
    sheet, = read_plan(xlsx({"二季度": rows}, {"二季度": ["A1:G1"]})).sheets
    found = [f for f in sheet.findings if f.code == "columns-unread-no-header"]
    assert [(f.cell, f.params["n"], f.severity) for f in found] == [("F2", 2, "warning")]
    assert "推进坟墓迁移工作" in found[0].message() and "F 列" in found[0].message()


def test_cells_merged_from_the_left_are_no_column_without_header(xlsx):
    rows = [["2024年蓬江区政务公开任务清单"], ["序号", "具体要求", None, "责任单位", "完成时限"],
            [1, "做好政策解读，及时发布解读材料", None, "区司法局", "2024年6月底前"],
            [2, "规范依申请公开办理，按时答复", None, "区政府办公室", "2024年9月底前"]]
    sheet, = read_plan(xlsx({"Sheet": rows}, {"Sheet": ["B2:C2", "B3:C3", "B4:C4"]})).sheets
    assert not [f for f in sheet.findings if f.code == "columns-unread-no-header"]
