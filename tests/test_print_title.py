"""The master's page header names the place its tasks are in: the district itself, the
county of its towns, the city of its counties; 区县任务汇总表 where they share none (or a
row names no place).  Masters merged from sheets made with openpyxl; headers read back."""
from __future__ import annotations

import openpyxl
import pytest

from conftest import write_xlsx
from xltools.rules.divisions import common_place
from xltools.work.merge import merge

HEAD = ["序号", "工作任务", "具体要求", "牵头单位", "完成时限"]


@pytest.mark.parametrize("places, place", [
    (["天桥区"], "天桥区"), (["天桥区", "长清区"], "济南市"), (["吴兴区", "安吉县"], "湖州市"),
    (["平阴县榆山街道", "平阴县玫瑰镇"], "平阴县"), (["平阴县玫瑰镇"], "平阴县玫瑰镇"),
    (["平阴县玫瑰镇", "长清区文昌街道"], "济南市"), (["济南市"], "济南市"),
    (["天桥区", "吴兴区"], None), (["天桥区", "地区未注明"], None), (["天桥区", "平阴县玫瑰镇"], None),
    (["火星区"], None), ([""], None), ([], None),
    (["泰安市", "岱岳区", "宁阳县"], "泰安市"), (["济南市", "岱岳区"], None), (["泰安市", "济南市"], None),
])
def test_the_place_a_masters_tasks_are_in(places, place):
    assert common_place(places) == place


def town(path, name):
    return write_xlsx(path, {"任务台账": [[f"2026年{name}政务公开工作任务台账"], HEAD,
                                       [1, "公开", "公开财政预算", "财政所", "2026年6月底前"]]})


def test_a_county_master_of_its_towns_prints_the_countys_name(tmp_path):
    master = tmp_path / "汇总.xlsx"
    merge([town(tmp_path / "榆山.xlsx", "平阴县榆山街道"), town(tmp_path / "玫瑰.xlsx", "平阴县玫瑰镇")], master)
    wb = openpyxl.load_workbook(master)
    assert {ws.oddHeader.center.text.split(" — ")[0] for ws in wb.worksheets if ws.sheet_state == "visible"} \
        == {"平阴县任务汇总表"}
    single = tmp_path / "玫瑰汇总.xlsx"
    merge([town(tmp_path / "玫瑰2.xlsx", "平阴县玫瑰镇")], single)
    assert openpyxl.load_workbook(single)["汇总"].oddHeader.center.text == "平阴县玫瑰镇任务汇总表 — &A"


def test_a_city_with_its_counties_is_one_place_in_the_circulars_title(tmp_path):
    """The city's own tasks beside its counties' (泰安市, 岱岳区, 宁阳县): the master's page
    header and the circular name 泰安市, not each place with the year again."""
    from xltools.work.report import read_report

    def plan(name):
        return write_xlsx(tmp_path / f"{name}.xlsx", {"任务分解": [[f"2026年{name}政务公开工作要点任务分解表"], HEAD,
                                                               [1, "公开", "公开财政预算", "财政局", "2026年6月底前"]]})
    master = tmp_path / "汇总.xlsx"
    merge([plan("泰安市"), plan("岱岳区"), plan("宁阳县")], master)
    assert openpyxl.load_workbook(master)["汇总"].oddHeader.center.text == "泰安市任务汇总表 — &A"
    assert read_report(master).plan == "泰安市2026年度重点工作任务"
    assert read_report(master, lang="en").plan == "the 2026 key work plan of 泰安市"
