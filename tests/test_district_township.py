"""A 街道 clerk gives their own 街道 to --district (new-user trial): the national list
(GB/T 2260) holds counties, not the 街道, 镇 and 乡 inside them, so a township is a place
when written after its county (天桥区无影山街道), and alone where the unit registry lists
it under its county (the built-in list: 天桥区's 无影山街道, 章丘区's 刁镇; a clerk's own
list: whatever they added).  Else a one-line message says which place to write.

Real files through the command line: exit code, message, the .xlsx read back."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from conftest import TIANQIAO
from xltools.check.districts import UnknownDistrict, require_district
from xltools.cli.app import cli
from xltools.rules.divisions import township_name, township_of
from xltools.rules.units import UnitRegistry

UNKNOWN_TOWN = ("错误：“泺源街道”是街道（镇、乡），不是区县，单位名录中也没有它属于哪个区县。请写它所属的区县"
                "（如 天桥区），或把区县写在它前面（如 天桥区无影山街道）。\n")


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


def rows(path: Path) -> list[tuple]:
    ws = openpyxl.load_workbook(path)["单位名录"]
    return [r for r in ws.iter_rows(min_row=2, values_only=True)]


@pytest.mark.parametrize("name, place, county", [
    ("天桥区无影山街道", "天桥区无影山街道", "天桥区"), ("济南市天桥区无影山街道办事处", "天桥区无影山街道", "天桥区"),
    ("山东省济南市天桥区无影山街道", "天桥区无影山街道", "天桥区"), ("章丘区刁镇", "章丘区刁镇", "章丘区"),
    ("嘉祥县马村镇人民政府", "嘉祥县马村镇", "嘉祥县"), ("泰顺县竹里畲族乡", "泰顺县竹里畲族乡", "泰顺县"),
    ("天桥区泺源街道", "天桥区泺源街道", "天桥区"),       # any township's name after a real county
])
def test_a_township_after_its_county_is_a_place(name, place, county):
    found = township_of(name)
    assert found.place == place and found.name == county and township_name(name) is None


@pytest.mark.parametrize("name", ["天桥区", "济南市", "火星区泺源街道", "天桥区泺源", "各街道", "城镇", "乡镇", "全镇",
                                  "新型城镇化"])
def test_no_township_place(name):
    assert township_of(name) is None


@pytest.mark.parametrize("name, town", [("泺源街道", "泺源街道"), ("泺源街道办事处", "泺源街道"), ("刁镇人民政府", "刁镇"),
                                        ("古镇镇", "古镇镇"), ("竹里畲族乡", "竹里畲族乡"), ("各街道", None), ("城镇", None),
                                        ("天桥区", None), ("天桥区无影山街道", None), ("全镇", None)])
def test_a_township_written_alone(name, town):
    assert township_name(name) == town


def test_a_township_alone_is_found_where_the_registry_lists_it():
    registry = UnitRegistry.default()
    assert require_district("无影山街道", registry) == "天桥区无影山街道"
    assert require_district("无影山街道办事处", registry) == "天桥区无影山街道"
    assert require_district("刁镇", registry) == "章丘区刁镇"
    # without a registry the caller would use the name as given: told what to write
    with pytest.raises(UnknownDistrict) as told:
        require_district("无影山街道")
    assert told.value.message() == ("“无影山街道”是街道（镇、乡），不是区县。请在它前面写上所属的区县，写作：天桥区无影山街道；"
                                    "或只写区县：天桥区。")
    with pytest.raises(UnknownDistrict) as told:
        require_district("泺源街道", registry)
    assert told.value.key == "district-township-unknown"


# ---------------------------------------------------------------- units export

def test_export_for_a_township_is_its_countys_registry_naming_the_township(tmp_path):
    county = run("units", "export", tmp_path / "区.xlsx", "--district", "天桥区")
    assert county.exit_code == 0
    for i, name in enumerate(("无影山街道", "天桥区无影山街道", "济南市天桥区无影山街道办事处")):
        out = tmp_path / f"街道{i}.xlsx"
        result = run("units", "export", out, "--district", name)
        assert result.exit_code == 0, result.output
        assert result.output == (f"无影山街道属于天桥区，街道、镇的任务表用所属区县的名录：已把天桥区的单位名录（含街道、镇的内设机构）"
                                 f"保存到 {out}（{len(rows(out))} 个单位），可在 Excel 中编辑。\n")
        got = rows(out)
        assert got == rows(tmp_path / "区.xlsx")                      # the county's registry, row for row
        assert {r[0] for r in got} == {None, "天桥区"}                 # no other county's entries
        assert ("天桥区", "无影山街道", "无影山街道办事处", "街道", "县级") in got
        assert {r[1] for r in got if r[4] == "乡级"} >= {"党政办公室", "财政所", "综合文化站"}   # its offices
    english = run("units", "export", tmp_path / "e.xlsx", "--district", "无影山街道", "--lang", "en")
    assert english.exit_code == 0 and english.output.startswith("无影山街道 is in 天桥区, and a 街道's or town's plans")


def test_export_for_a_township_no_registry_knows_says_to_give_its_county(tmp_path):
    result = run("units", "export", tmp_path / "u.xlsx", "--district", "泺源街道")
    assert result.exit_code == 2 and result.output == UNKNOWN_TOWN
    assert not (tmp_path / "u.xlsx").exists()
    english = run("units", "export", tmp_path / "u.xlsx", "--district", "泺源街道", "--lang", "en")
    assert english.exit_code == 2 and english.output == (
        "Error: '泺源街道' is a 街道 (town, township), not a district, and the unit registry does not say which "
        "district it belongs to. Write its district (e.g. 天桥区), or the district before it (e.g. 天桥区无影山街道).\n")
    # written after its county, it is a place (the national list holds no townships to check it against)
    after = run("units", "export", tmp_path / "u.xlsx", "--district", "历下区泺源街道")
    assert after.exit_code == 0 and after.output.startswith("泺源街道属于历下区")
    assert {r[0] for r in rows(tmp_path / "u.xlsx")} == {None, "历下区"}


def test_a_township_the_clerk_added_is_found_in_their_registry(tmp_path):
    own = tmp_path / "名录.xlsx"
    assert run("units", "export", own).exit_code == 0
    added = run("units", "add", own, "泺源街道", "--kind", "街道", "--district", "历下区")
    assert added.exit_code == 0
    out = tmp_path / "历下.xlsx"
    result = run("units", "export", out, "--district", "泺源街道", "--registry", own)
    assert result.exit_code == 0 and result.output.startswith("泺源街道属于历下区")
    got = rows(out)
    assert ("历下区", "泺源街道", None, "街道", "县级") in got and {r[0] for r in got} == {None, "历下区"}
    # a name two counties' 街道 have: which one is not guessed
    assert run("units", "add", own, "泺源街道", "--kind", "街道", "--district", "市中区").exit_code == 0
    twice = run("units", "export", out, "--district", "泺源街道", "--registry", own)
    assert twice.exit_code == 2 and twice.output == (
        "错误：“泺源街道”是街道（镇、乡），不是区县。请在它前面写上所属的区县，写作：历下区泺源街道、市中区泺源街道；"
        "或只写区县：历下区、市中区。\n")


# ---------------------------------------------------------------- every other --district

def test_new_plan_for_a_township_after_its_county_and_told_so_when_alone(tmp_path):
    alone = run("new-plan", "--year", "2026", "--district", "北园街道", "-o", tmp_path / "p.xlsx")
    assert alone.exit_code == 2 and alone.output == (
        "错误：“北园街道”是街道（镇、乡），不是区县。请在它前面写上所属的区县，写作：天桥区北园街道；或只写区县：天桥区。\n")
    assert not (tmp_path / "p.xlsx").exists()
    plan = run("new-plan", "--year", "2026", "--district", "天桥区北园街道", "-o", tmp_path / "p.xlsx")
    assert plan.exit_code == 0, plan.output
    assert openpyxl.load_workbook(tmp_path / "p.xlsx").worksheets[0]["A1"].value == "2026年天桥区北园街道重点工作任务分解表"


@pytest.mark.parametrize("given", ["北园街道", "天桥区北园街道"])
def test_merge_district_of_a_file_may_be_its_township(given, tmp_path):
    master = tmp_path / "汇总.xlsx"
    result = run("merge", TIANQIAO, "-o", master, "--district", f"{TIANQIAO.name}={given}")
    assert result.exit_code in (0, 1), result.output
    ws = openpyxl.load_workbook(master)["汇总"]
    col = [c.value for c in ws[1]].index("区县")
    assert {r[col] for r in ws.iter_rows(min_row=2, values_only=True)} == {"天桥区北园街道"}


def test_merge_district_of_an_unknown_township_is_refused(tmp_path):
    result = run("merge", TIANQIAO, "-o", tmp_path / "汇总.xlsx", "--district", f"{TIANQIAO.name}=泺源街道")
    assert result.exit_code == 2 and result.output == UNKNOWN_TOWN
    assert not (tmp_path / "汇总.xlsx").exists()


def test_units_add_of_a_township_is_an_entry_of_its_county(tmp_path):
    own = tmp_path / "名录.xlsx"
    assert run("units", "add", own, "城管科", "--kind", "部门", "--district", "无影山街道").exit_code == 0
    assert run("units", "add", own, "环卫所", "--kind", "部门", "--district", "天桥区无影山街道").exit_code == 0
    got = {r[1]: r[0] for r in rows(own)}
    assert got["城管科"] == got["环卫所"] == "天桥区"        # so that its 街道's plans find them
    assert UnitRegistry.from_rows([["区县", "单位名称", "简称或别名", "类别", "级别"], *rows(own)],
                                  "天桥区无影山街道").resolve("城管科") is not None
    wrong = run("units", "add", own, "某科", "--kind", "部门", "--district", "天桥")
    assert wrong.exit_code == 2 and wrong.output == "错误：“天桥”不是全国行政区划（GB/T 2260）中的区县名称。是不是要写：天桥区？\n"
    assert "某科" not in {r[1] for r in rows(own)}
    # an entry is still found by the 区县 the list writes
    assert run("units", "alias", own, "城管科", "城管办", "--district", "天桥区").exit_code == 0
    assert run("units", "remove", own, "环卫所", "--district", "无影山街道").exit_code == 0
    assert "环卫所" not in {r[1] for r in rows(own)}
