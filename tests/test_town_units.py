"""A 街道 (town) office's own plan: its units on separate lines of one cell, and its
collectives of villages and communities (各社区居委会, 各村（居）委会).  Found by a new
user's trial (helper h-trial); each test failed before its fix."""
from __future__ import annotations

import pytest
from python_calamine import CalamineWorkbook

from tests.conftest import write_xlsx
from xltools import validate
from xltools.read import read_plan
from xltools.rules.units import UnitRegistry, collective_member_kinds, is_collective
from xltools.work.learn import learn
from xltools.work.merge import merge
from xltools.work.split import split

TOWN = [["2026年天桥区北园街道政务公开任务分解表"],
        ["序号", "工作任务", "具体要求", "牵头单位", "配合单位", "完成时限"],
        [1, "公开", "公开财政预决算。", "党政办", "财政所\n各社区居委会", "2026年12月底前"],
        [2, "公开", "公开低保名单。", "党政办", "区民政局\n各社区居委会", "2026年12月底前"],
        [3, "公开", "公开执法信息。", "党政办", "财政所\n司法所", "2026年12月底前"],
        [4, "公开", "公开村务。", "党政办", "派出所\n北村社区居委会", "2026年12月底前"]]


def test_a_line_that_is_a_collective_begins_a_unit_of_its_own(tmp_path):
    plan = write_xlsx(tmp_path / "2026年北园街道任务分解表.xlsx", {"任务": TOWN})
    tasks = read_plan(plan).sheets[0].tasks
    assert [[u.written for u in t.support_units] for t in tasks] == [
        ["财政所", "各社区居委会"], ["区民政局", "各社区居委会"], ["财政所", "司法所"], ["派出所", "北村社区居委会"]]
    # a collective is never an unknown unit
    assert not [f for f in validate([plan]).findings if f.value == "各社区居委会"]


def test_split_sends_the_task_to_the_unit_on_the_first_line(tmp_path):
    plan = write_xlsx(tmp_path / "2026年北园街道任务分解表.xlsx", {"任务": TOWN})
    master = tmp_path / "汇总.xlsx"
    merge([plan], master)
    out = tmp_path / "下发"
    split(master, out, by="unit")       # a return for the cooperating units too
    names = {p.stem for p in out.rglob("*.xlsx")}
    assert any(n.startswith("财政所") for n in names), names
    assert not any("财政所各社区" in n or "民政局各社区" in n for n in names), names


@pytest.mark.parametrize("name", ["各社区居委会", "各村委会", "各村（居）委会", "各村居委会", "各社区居民委员会", "各居委会"])
def test_villages_and_communities_addressed_as_a_group(name):
    assert is_collective(name) and collective_member_kinds(name) == ("村/社区",)


@pytest.mark.parametrize("name", ["北村社区居委会", "财政所各社区居委会"])
def test_one_community_or_a_joined_line_is_no_group(name):
    assert not collective_member_kinds(name)


def test_units_learned_from_a_town_plan_are_the_towns_own_and_then_known(tmp_path):
    plan = write_xlsx(tmp_path / "2026年北园街道任务分解表.xlsx", {"任务": TOWN + [
        [5, "公开", "公开城管执法。", "城管科", "环卫所\n各社区居委会", "2026年12月底前"]]})
    assert sorted(f.value for f in validate([plan]).findings if f.code.startswith("unknown-unit")) == ["城管科", "环卫所"]
    out = tmp_path / "北园街道名录.xlsx"
    learn([plan], UnitRegistry.default(), output=out)
    rows = {r[1]: r for r in CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()[1:]}
    # a 街道's own sections, of its tier (not 县级 bodies of every county); no collective learned
    assert rows["城管科"][3:] == ["部门", "乡级"] and rows["环卫所"][3:] == ["部门", "乡级"]
    assert "各社区居委会" not in rows
    known = UnitRegistry.from_rows(CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python())
    assert not [f for f in validate([plan], registry=known).findings if f.code.startswith("unknown-unit")]


def test_a_districts_exported_registry_serves_its_towns_plans_as_the_built_in_one_does(tmp_path):
    """README: export the district's 单位名录, edit it in Excel, pass it with --registry."""
    from xltools.write.registry import export_registry

    plan = write_xlsx(tmp_path / "2026年北园街道任务分解表.xlsx", {"任务": TOWN + [
        [5, "公开", "公开安全生产信息。", "应急办", "综治中心\n派出所", "2026年12月底前"]]})
    out = tmp_path / "天桥区名录.xlsx"
    export_registry(UnitRegistry.default(), out, "天桥区")
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()[1:]
    assert "乡级" in {r[4] for r in rows}                       # the towns' own offices are in it
    assert {r[0] for r in rows} <= {"", "天桥区"}                  # and no other district's entries
    exported = UnitRegistry.from_rows(CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python())

    def unknown(registry):
        return sorted(f.value for f in validate([plan], registry=registry).findings if f.code.startswith("unknown"))
    assert unknown(exported) == unknown(UnitRegistry.default()) == []
