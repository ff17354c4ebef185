"""Issue 23, points 1 and 2 on the unit side: what a district wrote stays written (an entry
only by exact name, alias or the abbreviation grammar; a resemblance is a suggestion), and
the units of every tier of government (province, city, county, township, functional zones,
vertical bodies) are known by vocabulary per tier and grammar."""
from __future__ import annotations

import pytest

from conftest import write_xlsx
from xltools import read_plan, validate
from xltools.check.validate import unknown_unit
from xltools.rules import divisions
from xltools.rules.units import Unit, UnitRegistry, split_units

# Pairs of bodies that resemble each other and are two bodies (institutional reforms
# merge, split and rename them): neither is ever resolved to the other.
DIFFERENT_BODIES = [("区档案局", "区档案馆"), ("市生态环境局", "市生态环境分局"), ("市直有关部门", "市政府有关部门"),
                    ("市大数据局", "市大数据中心")]


@pytest.mark.parametrize("written, listed", DIFFERENT_BODIES + [(b, a) for a, b in DIFFERENT_BODIES])
def test_a_resemblance_is_suggested_never_resolved(written, listed):
    kind = "集体称谓" if "部门" in listed else "部门"
    registry = UnitRegistry([Unit(listed, kind), Unit("区财政局", "部门")])
    unit = registry.resolve(written)
    assert unit is None or unit.name == written          # a collective name stands for itself
    assert registry.name(written).entry in (None, written)
    if unit is None:
        code, params = unknown_unit(written, registry)
        assert code == "unknown-unit" and listed in params["suggestions"]


@pytest.mark.parametrize("written, listed", DIFFERENT_BODIES)
def test_the_default_registry_keeps_the_pairs_apart(written, listed):
    for district in (None, "天桥区", "济宁市", "嘉祥县"):
        unit = UnitRegistry.default(district).resolve(written)
        assert unit is None or unit.name != listed.replace("区", unit.name[0], 1), (district, written)


ABBREVIATIONS = [  # (registry entry, written): the grammar, no alias listed
    ("区发展和改革局", "区发改局"), ("区发展和改革局", "区发展改革局"), ("区卫生健康局", "区卫健局"),
    ("区人力资源和社会保障局", "区人社局"), ("区住房和城乡建设局", "区住建局"), ("区市场监督管理局", "区市场监管局"),
    ("区退役军人事务局", "区退役军人局"), ("市发展和改革委员会", "市发展改革委"), ("市发展和改革委员会", "市发改委"),
    ("市卫生健康委员会", "市卫健委"), ("市国有资产监督管理委员会", "市国资委"), ("区人民防空办公室", "区人防办"),
]


@pytest.mark.parametrize("entry, written", ABBREVIATIONS)
def test_the_abbreviation_grammar(entry, written):
    registry = UnitRegistry([Unit(entry, "部门", tier="city" if entry[0] == "市" else "county")], "济宁市"
                            if entry[0] == "市" else None)
    assert registry.resolve(written).name == entry
    assert registry.name(written).written == written          # the sheet's words stay its words


@pytest.mark.parametrize("written", ["区发展局", "区信息局", "区社会局", "区卫健委", "区档案", "区财政局局"])
def test_the_grammar_is_no_similarity(written):
    """The first word always gives something, the organ must agree: 信息局 is not 工业和信息化局,
    卫健委 not 卫生健康局 (unless listed as its alias)."""
    registry = UnitRegistry([Unit(n, "部门") for n in ("区工业和信息化局", "区人力资源和社会保障局", "区卫生健康局",
                                                       "区档案馆", "区财政局", "区经济发展局")])
    assert registry.resolve(written) is None


def test_brackets_second_names_and_persons():
    reg = UnitRegistry.default("济宁市")
    cell = "区工信局（商务局）、财政局（王某）、市大数据局（刘洋）、县科协（县科技局）"
    pieces = split_units(cell, registry=reg).all
    assert pieces == ("区工信局（商务局）", "财政局（王某）", "市大数据局（刘洋）", "县科协（县科技局）")
    named = [reg.name(p) for p in pieces]
    assert [u.written for u in named] == list(pieces)              # the bracket stays written
    assert [u.entry for u in named] == ["区工业和信息化局", "市财政局", "市大数据局", "县科协"]
    assert reg.resolve("王某") is None and reg.resolve("刘洋") is None   # a person is never a unit
    # a second name resolves by either name: the first is unknown here, the second is not
    assert reg.resolve("区火星局（区商务局）").name == "区商务局"
    assert reg.resolve("区火星局（王某）") is None
    # two names run together are not one name with a second: the line break between them stays a cut
    assert reg.resolve("县火星局县工信局（商务局）") is None
    assert split_units("县火星局\n县工信局（商务局）", registry=reg).all == ("县火星局", "县工信局（商务局）")


TIERS = [  # (place, written, entry) — the place's own bodies and collective names
    ("山东省", "省住房城乡建设厅", "省住房和城乡建设厅"), ("山东省", "省发展改革委", "省发展和改革委员会"),
    ("山东省", "省直有关部门", "省直有关部门"), ("山东省", "各市人民政府", "各市人民政府"),
    ("山东省", "省市场监管局", "省市场监督管理局"),
    ("济宁市", "市卫生健康委", "市卫生健康委员会"), ("济宁市", "市发展改革委", "市发展和改革委员会"),
    ("济宁市", "各县（市、区）人民政府", "各县（市、区）人民政府"), ("济宁市", "各县（市、区）", "各县（市、区）"),
    ("济宁市", "市直有关部门", "市直有关部门"), ("济宁市", "市财政局", "市财政局"), ("济宁市", "济宁市财政局", "市财政局"),
    ("济宁市", "市教育局", "市教育局"),
    ("曲阜市", "市卫健委", "市卫生健康局"),                 # a county-level city: the county's 局
    ("嘉祥县", "县卫健局", "县卫生健康局"), ("嘉祥县", "市卫健委", "市卫生健康委员会"),   # the city above
    ("任城区东城街道", "党政办", "党政办公室"), ("任城区东城街道", "经发办", "经济发展办公室"),
    ("任城区东城街道", "派出所", "派出所"), ("任城区东城街道", "大李村", "大李村"), ("任城区东城街道", "前进社区", "前进社区"),
    ("任城区东城街道", "各村（社区）", "各村（社区）"), ("任城区东城街道", "区财政局", "区财政局"),
    ("任城区东城街道", "财政局", "区财政局"),
    # party organs, courts and people's organisations of every county and city, and the new 数据局
    ("嘉祥县", "县委组织部", "县委组织部"), ("嘉祥县", "县委办", "县委办公室"), ("嘉祥县", "县法院", "县人民法院"),
    ("嘉祥县", "县检察院", "县人民检察院"), ("嘉祥县", "县纪委", "县纪委监委"), ("嘉祥县", "县委社工部", "县委社会工作部"),
    ("嘉祥县", "县工商联", "县工商联"), ("嘉祥县", "县数据局", "县数据局"), ("嘉祥县", "县公安局交警大队", "县交警大队"),
    ("济宁市", "市委组织部", "市委组织部"), ("济宁市", "市中院", "市中级人民法院"), ("济宁市", "市数据局", "市数据局"),
    ("济宁市", "市公安局交警支队", "市公安局交通警察支队"),
    # the youth league's committee says its level inside its name
    ("嘉祥县", "团县委", "团县委"), ("嘉祥县", "共青团县委", "团县委"), ("济宁市", "团市委", "团市委"),
    ("曲阜市", "共青团市委", "团市委"), ("任城区", "团区委", "团区委"),
]


@pytest.mark.parametrize("place, written, entry", TIERS)
def test_every_tier_has_its_bodies(place, written, entry):
    assert UnitRegistry.default(place).resolve(written).name == entry


@pytest.mark.parametrize("place, written", [
    ("济宁市", "市卫生健康局"),           # a city has its 委 where a county has its 局
    ("山东省", "省财政局"), ("山东省", "省火星厅"),
    ("嘉祥县", "党政办公室"), ("嘉祥县", "大李村"),    # a township's offices and villages, only in a township's plan
    ("嘉祥县", "国家税务总局汶上县税务局"), ("嘉祥县", "市公安局任城分局"),   # another county's vertical bodies
    ("鼓楼区", "济南市公安局鼓楼区分局"),          # no 鼓楼区 in 济南
    ("任城区东城街道", "党政办公室室"),
    ("济宁市", "开发区"), ("济宁市", "市数据中心"),     # a zone is named or has its organ; 数据局 is not 数据中心
    ("嘉祥县", "团区委"), ("济宁市", "团县委"),          # another level's committee
])
def test_what_a_tier_does_not_have(place, written):
    assert UnitRegistry.default(place).resolve(written) is None


@pytest.mark.parametrize("place, written, kind", [
    ("济宁市", "济宁高新区管委会", "功能区"), ("济宁市", "济宁经济技术开发区管理委员会", "功能区"),
    ("嘉祥县", "县经济开发区管委会", "功能区"), ("济宁市", "太白湖新区管委会", "功能区"),
    ("嘉祥县", "国家税务总局嘉祥县税务局", "上级/垂管单位"), ("济宁市", "国家税务总局济宁市税务局", "上级/垂管单位"),
    ("济宁市", "济宁市生态环境局嘉祥县分局", "上级/垂管单位"), ("嘉祥县", "国网嘉祥县供电公司", "上级/垂管单位"),
    ("山东省", "国家税务总局山东省税务局", "上级/垂管单位"), ("嘉祥县", "济宁市气象局", "上级/垂管单位"),
    ("天河区东城街道", "广州市公安局天河区分局", "上级/垂管单位"),
    ("济宁市", "经开区管委会", "功能区"), ("嘉祥县", "市邮政管理局", "上级/垂管单位"),
    # 鼓楼区 of 南京, 徐州, 福州 and 开封, the sheet naming no city: a city above any of them
    ("鼓楼区", "徐州市公安局鼓楼区分局", "上级/垂管单位"), ("鼓楼区", "南京市生态环境局鼓楼区分局", "上级/垂管单位"),
])
def test_zones_and_vertical_bodies_by_grammar(place, written, kind):
    unit = UnitRegistry.default(place).resolve(written)
    assert unit is not None and unit.kind == kind and unit.name == written


@pytest.mark.parametrize("text, place, tier", [
    ("2025年济宁市政务公开工作要点任务分解表", "济宁市", "city"),
    ("2025年山东省政务公开工作要点任务分工", "山东省", "province"),
    ("2025年任城区东城街道重点工作任务", "任城区东城街道", "township"),
    ("2023年屏南县桃园镇优化营商环境工作任务分解表", "屏南县桃园镇", "township"),
    ("2024年天桥区新型城镇化重点任务", "天桥区", "county"),
    ("2024年天桥区美丽乡村建设任务", "天桥区", "county"),
    ("2024年大兴安岭地区重点任务", "大兴安岭地区", "city"),
    # 新城区, 城区, 郊区 are words too: a place with a township after it
    ("2025年新城区东城街道任务分解表", "新城区东城街道", "township"),
])
def test_the_place_of_a_plan(text, place, tier):
    found = divisions.find_district(text)
    assert (found.place, found.tier) == (place, tier)
    assert divisions.tier_of(found.place)[0] == tier


def test_a_city_sheet_named_only_in_its_file_name_validates_clean(tmp_path):
    units = ["市卫生健康委", "各县（市、区）人民政府", "市发展改革委牵头，市直有关部门配合", "济宁高新区管委会",
             "国家税务总局济宁市税务局", "市大数据局（刘洋）", "市工信局（市国防科工办）"]
    rows = [["序号", "工作任务", "具体要求", "责任单位", "完成时限"]]
    rows += [[i, "一、公开", f"任务{i}。", u, "12月底前"] for i, u in enumerate(units, 1)]
    path = write_xlsx(tmp_path / "2025年济宁市政务公开任务分解表.xlsx", {"Sheet1": rows})
    sheet, = read_plan(path).sheets
    assert sheet.district == "济宁市"
    assert [f.code for f in validate([path]).findings if f.severity == "error"] == []
    t3 = sheet.tasks[2]
    assert [u.written for u in t3.lead_units + t3.support_units] == ["市发展改革委", "市直有关部门"]
    assert t3.lead_units[0].entry == "市发展和改革委员会"
    assert sheet.tasks[5].lead_units[0].written == "市大数据局（刘洋）"


def test_a_township_sheet_validates_clean(tmp_path):
    units = ["党政办公室", "经发办、财政所", "派出所牵头，各村（社区）配合", "大李村", "区财政局", "便民服务中心"]
    rows = [["2025年任城区东城街道重点工作任务分解表"], ["序号", "具体要求", "责任单位", "完成时限"]]
    rows += [[i, f"任务{i}。", u, "12月底前"] for i, u in enumerate(units, 1)]
    path = write_xlsx(tmp_path / "plan.xlsx", {"Sheet1": rows})
    assert read_plan(path).sheets[0].district == "任城区东城街道"
    assert [f.code for f in validate([path]).findings if f.severity == "error"] == []


def test_a_collective_reaches_the_bodies_of_the_tier_it_names():
    county = UnitRegistry.default("嘉祥县").members("县政府各部门")
    assert "县财政局" in county and not [n for n in county if n[0] in "省市"]
    direct = UnitRegistry.default("嘉祥县").members("县直各部门")     # and the party's, courts', people's bodies
    assert "团县委" in direct and not [n for n in direct if n[0] in "省市区" or "区委" in n]
    city = UnitRegistry.default("济宁市").members("市直有关部门")
    assert {"市财政局", "市卫生健康委员会"} <= set(city) and "市卫生健康局" not in city
    assert "团市委" in city and not [n for n in city if n[0] != "市" and n != "团市委"]


def test_one_body_written_twice_in_a_task_is_one_unit_and_a_person_column_is_no_unit(tmp_path):
    """区卫健局 beside 区卫生健康局（王某） is one body (kept as first written); a 责任人 column
    holds persons, never units; role words and separators as offices write them."""
    rows = [["2025年任城区政务公开工作要点任务分解表"], ["序号", "具体要求", "责任单位", "责任人", "完成时限"],
            [1, "任务一。", "区卫健局、区卫生健康局（王某）牵头，区卫生健康局、区财政局配合", "王建国", "12月底前"],
            [2, "任务二。", "由区发改局负责，各街道按职责分工负责", "李红梅", "6月底前"],
            [3, "任务三。", "牵头：区教体局；参与：区财政局 区审计局", "张立军", "9月底前"]]
    path = write_xlsx(tmp_path / "plan.xlsx", {"Sheet1": rows})
    t1, t2, t3 = read_plan(path).sheets[0].tasks
    assert [u.written for u in t1.lead_units] == ["区卫健局"] and t1.lead_units[0].entry == "区卫生健康局"
    assert [u.written for u in t1.support_units] == ["区财政局"]
    assert ([u.written for u in t2.lead_units], [u.written for u in t2.support_units]) == (["区发改局"], ["各街道"])
    assert ([u.written for u in t3.lead_units], [u.written for u in t3.support_units]) == (["区教体局"],
                                                                                        ["区财政局", "区审计局"])
    assert [f.code for f in validate([path]).findings if f.severity == "error"] == []
