"""Units (责任单位): splitting real cells from the seeds, resolving names and
abbreviations, suggestions, the Excel registry round trip, and properties."""
from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
import python_calamine
from hypothesis import given, settings, strategies as st

from xltools.rules.units import (UNIT_KINDS, Unit, UnitAssignment, UnitRegistry, learn_units,
                           normalize_unit, split_units)
from xltools.read.registry import load_registry
from xltools.write.registry import save_registry

from conftest import SEEDS  # ../shared/seeds beside the checkout, as in CI
# seed file prefix → district it comes from
SEED_DISTRICTS = {"000": "天桥区", "002": "长清区", "003": "章丘区"}


@pytest.fixture(scope="module")
def registry() -> UnitRegistry:
    return UnitRegistry.default()


# ---------------------------------------------------------------- splitting

# (cell as written in a seed or the brief, lead, support)
SPLIT_CASES = [
    ("区政府各部门(单位)", ["区政府各部门（单位）"], []),
    ("各相关部门(单位)、各街道办事处", ["各相关部门（单位）", "各街道办事处"], []),
    ("区发展改革局、区生态环境分局等有关部门(单位)、各街道办事处",
     ["区发展改革局", "区生态环境分局", "有关部门（单位）", "各街道办事处"], []),
    ("区发展改革局、区生态环境分局等有关部门(单位)",
     ["区发展改革局", "区生态环境分局", "有关部门（单位）"], []),
    ("区住建局、各有关街道办事处", ["区住建局", "各有关街道办事处"], []),
    ("区人力资源和社会保障局、各街道办事处", ["区人力资源和社会保障局", "各街道办事处"], []),
    ("区民政局、区卫健局等相关部门", ["区民政局", "区卫健局", "相关部门"], []),
    ("区政府有关行政执法部门（单位）", ["区政府有关行政执法部门（单位）"], []),
    ("区政府办公室（区大数据中心）", ["区政府办公室（区大数据中心）"], []),
    ("区政府办公室(区大数据中心)", ["区政府办公室（区大数据中心）"], []),
    ("区教体局、区卫健", ["区教体局", "区卫健"], []),  # cut by a page break
    ("各街镇，区发改局、区工信局等区政府相关部门", ["各街镇", "区发改局", "区工信局", "区政府相关部门"], []),
    ("各街镇和区工信局（商务局）、区文旅局等区政府相关部门",
     ["各街镇", "区工信局（商务局）", "区文旅局", "区政府相关部门"], []),
    ("各街镇和区财政局、区税务局", ["各街镇", "区财政局", "区税务局"], []),
    ("各街镇和区政府各部门", ["各街镇", "区政府各部门"], []),
    ("区行政审批局、区司法局、牵头，各街镇、区政府有关部门配合",
     ["区行政审批局", "区司法局"], ["各街镇", "区政府有关部门"]),
    ("区市场监管局牵头、区政府有关部门配合", ["区市场监管局"], ["区政府有关部门"]),
    ("区政府办公室、区行政审批局牵头，各政策起草单位配合", ["区政府办公室", "区行政审批局"], ["各政策起草单位"]),
    ("区住建局牵头，各街镇配合", ["区住建局"], ["各街镇"]),
    ("区城管局牵头，各街镇配合", ["区城管局"], ["各街镇"]),
    ("区公安分局、区交通运输局", ["区公安分局", "区交通运输局"], []),
    ("区民政局、区教体局、区住建局、区人社局、区应急局、区医保局",
     ["区民政局", "区教体局", "区住建局", "区人社局", "区应急局", "区医保局"], []),
    ("区文旅局（图书馆）、区档案局", ["区文旅局（图书馆）", "区档案局"], []),
    ("各街道（镇）、区交通运输局、区卫生健康局、区行政审批服务局、区文化和旅游局、区商务服务中心",
     ["各街道（镇）", "区交通运输局", "区卫生健康局", "区行政审批服务局", "区文化和旅游局", "区商务服务中心"], []),
    ("区政府办公室、各街道（镇）、区政府各部门（单位）", ["区政府办公室", "各街道（镇）", "区政府各部门（单位）"], []),
    # collective names with an inner 、
    ("区政府各部门、单位", ["区政府各部门、单位"], []),
    ("各街道、镇，区财政局", ["各街道、镇", "区财政局"], []),
    # role forms
    ("区住建局牵头", ["区住建局"], []),
    ("区教体局（牵头）、区卫健局", ["区教体局"], ["区卫健局"]),
    ("区教体局(牵头),区卫健局", ["区教体局"], ["区卫健局"]),
    ("牵头单位：区住建局；配合单位：各街镇、区财政局", ["区住建局"], ["各街镇", "区财政局"]),
    ("区住建局为牵头单位，各街镇为配合单位", ["区住建局"], ["各街镇"]),
    # role words as offices also write them: bare labels, 参与, 负责, 由…牵头, 按职责分工负责
    ("牵头：区发改局；配合：区财政局", ["区发改局"], ["区财政局"]),
    ("牵头单位：区住建局\n参与单位：区财政局、区审计局", ["区住建局"], ["区财政局", "区审计局"]),
    ("区发改局牵头，区财政局、各街道参与", ["区发改局"], ["区财政局", "各街道"]),
    ("由区发改局牵头，区财政局配合", ["区发改局"], ["区财政局"]),
    ("区发改局负责，区财政局配合", ["区发改局"], ["区财政局"]),
    ("区发改局牵头抓总，区财政局协助配合", ["区发改局"], ["区财政局"]),
    ("区发改局牵头，各相关部门按职责分工负责", ["区发改局"], ["各相关部门"]),
    ("区发改局、区财政局按职责分工负责", ["区发改局", "区财政局"], []),
    ("配合单位：区财政局（按职责分工负责）", [], ["区财政局"]),
    ("区发改局/区财政局", ["区发改局", "区财政局"], []),
    # noise: spaces, newlines, full-width letters, duplicates, empty pieces
    (" 区财政局 ，\n区税务局、、区财政局 ", ["区财政局", "区税务局"], []),
    ("区政府各部门( 单位)、各街道办事处", ["区政府各部门（单位）", "各街道办事处"], []),
    ("区政府办公室\u3000（区大数据中心）", ["区政府办公室（区大数据中心）"], []),
    ("", [], []),
    (None, [], []),
]


@pytest.mark.parametrize("text,lead,support", SPLIT_CASES)
def test_split_units(text, lead, support):
    got = split_units(text)
    assert isinstance(got, UnitAssignment)
    assert (list(got.lead), list(got.support)) == (lead, support)
    assert got.all == tuple(dict.fromkeys(lead + support))


def test_split_line_break_inside_a_name_needs_the_registry(registry):
    text = "区人力资源和社会保\n障局、区财政局"
    assert split_units(text).lead == ("区人力资源和社会保", "障局", "区财政局")
    assert split_units(text, registry=registry).lead == ("区人力资源和社会保障局", "区财政局")
    # two names that each resolve stay apart even if written on two lines
    assert split_units("区财政局\n区税务局", registry=registry).lead == ("区财政局", "区税务局")


def test_split_spaces_by_shape_and_registry(registry):
    """A space separates two names (one known, the other shaped like a name); a bracket after
    a space stays with the name before it."""
    town = UnitRegistry.default("海陵区青山镇")
    assert split_units("区农业农村局 党政办公室 火星局", registry=town).all == ("区农业农村局", "党政办公室", "火星局")
    assert split_units("省住房城乡建设厅 省火星局").all == ("省住房城乡建设厅", "省火星局")
    county = UnitRegistry.default("天桥区")
    assert split_units("区政府办公室 （区大数据中心）", registry=county).all == ("区政府办公室（区大数据中心）",)
    assert split_units("区人力资源和社会保 障局 区财政局", registry=county).all == ("区人力资源和社会保障局", "区财政局")


def test_split_does_not_cut_names_on_he():
    for name in ("区人力资源和社会保障局", "区文化和旅游局", "区住房和城乡建设局", "区教育和体育局"):
        assert split_units(name).lead == (name,)


# ---------------------------------------------------------------- resolving

DOMAIN_ALIASES = {
    "区人力资源社会保障局": "区人力资源和社会保障局", "区人社局": "区人力资源和社会保障局",
    "区卫健局": "区卫生健康局", "区教体局": "区教育和体育局", "区教育局": "区教育和体育局",
    "区住房城乡建设局": "区住房和城乡建设局", "区住建局": "区住房和城乡建设局",
    "区发展改革局": "区发展和改革局", "区发改局": "区发展和改革局",
    "区市场监管局": "区市场监督管理局", "区文旅局": "区文化和旅游局", "区医保局": "区医疗保障局",
    "区退役军人局": "区退役军人事务局", "区行政审批局": "区行政审批服务局", "区审批局": "区行政审批服务局",
    "区工信局": "区工业和信息化局", "区城管局": "区城市管理局", "区应急局": "区应急管理局",
    # variants the resolver works out itself
    "区工信局（商务局）": "区工业和信息化局", "区文旅局（图书馆）": "区文化和旅游局",
    "区政府办公室(区大数据中心)": "区政府办公室（区大数据中心）", "区卫健局等": "区卫生健康局",
    "财政局": "区财政局", "区政府各部门、单位": "区政府各部门（单位）",
    "各相关部门(单位)": "各相关部门（单位）", " 区人社局\n": "区人力资源和社会保障局",
}


@pytest.mark.parametrize("alias,canonical", DOMAIN_ALIASES.items())
def test_resolve_aliases(registry, alias, canonical):
    unit = registry.resolve(alias)
    assert unit is not None and unit.name == canonical


def test_resolve_district_units():
    changqing = UnitRegistry.default("长清区")
    assert changqing.resolve("市生态环境局长清分局").kind == "上级/垂管单位"
    assert changqing.resolve("马山镇").kind == "镇"
    assert changqing.resolve("文昌街道办事处").name == "文昌街道"
    assert changqing.resolve("无影山街道") is None            # a 天桥区 street
    assert changqing.resolve("区生态环境分局") is not None     # valid in every district
    tianqiao = changqing.for_district("天桥区")
    assert tianqiao.resolve("无影山街道").district == "天桥区"
    assert tianqiao.resolve("市生态环境局长清分局") is None
    assert len(UnitRegistry.default()) > len(tianqiao) > len(tianqiao.names(["部门"]))


def test_suggest(registry):
    assert registry.suggest("区人设局")[0] == "区人力资源和社会保障局"
    assert registry.suggest("区教局")[0] == "区教育和体育局"
    assert registry.suggest("区卫健")[0] == "区卫生健康局"
    assert len(registry.suggest("区人设局", n=1)) == 1
    for nonsense in ("今天天气很好", "区火星局", "xyz", "区局", ""):
        assert registry.suggest(nonsense) == []


def test_names_and_kinds(registry):
    names = registry.names()
    assert len(names) == len(registry) == len(set(names))
    # functional zones and villages are told by grammar (their names are open), never listed
    assert {u.kind for u in registry} == set(UNIT_KINDS) - {"功能区", "村/社区"}
    assert "各街镇" in registry.names(["集体称谓"]) and "各街镇" not in registry.names(["部门"])
    with pytest.raises(ValueError):
        Unit("区某局", "科室")


# ---------------------------------------------------------------- the seeds

_DEADLINE = re.compile(r"^(\d{4}\s*年.*|\d+\s*月.*|全年|长期坚持|本文件印发后.*|前)$")


def _seed_cells(prefix: str) -> list[str]:
    """Every 责任单位 cell of a seed: the field before the deadline in the numbered table
    rows, or the text of each inline [责任单位：…]."""
    text = next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")
    if prefix == "003":
        return re.findall(r"\[责任单位[：:]([^\]]*)\]", text)
    cells = []
    for line in text.splitlines():
        fields = [f.strip() for f in line.split("\t")]
        if not fields[0].isdigit():
            continue
        while fields and not fields[-1]:
            fields.pop()
        if len(fields) < 2:
            continue
        cell = fields[-2] if _DEADLINE.match(fields[-1]) else fields[-1]
        cell = re.sub(r"\s+\d{4}\s*年.*$", "", cell)      # "… 2024年12月底前" in one field
        if cell and "。" not in cell and len(cell) < 100:
            cells.append(cell)
    return cells


# Pieces of cells cut in two by a page break (only the first half is on the numbered row).
EXPECTED_UNKNOWN = {"有关部", "区政府各部门（单", "区卫健"}


@pytest.mark.parametrize("prefix,district", SEED_DISTRICTS.items())
def test_every_seed_unit_resolves(prefix, district):
    reg = UnitRegistry.default(district)
    cells = _seed_cells(prefix)
    assert len(cells) >= 15
    pieces = [p for c in cells for p in split_units(c, registry=reg).all]
    unknown = {p for p in pieces if reg.resolve(p) is None}
    assert unknown <= EXPECTED_UNKNOWN, unknown


def test_districts_of_a_level_share_answers_but_not_their_own_names():
    """Districts without entries of their own keep one set of answers per level; a name
    that begins with a district's own name, or a city bureau's branch, is still judged by
    that district: every answer is the one a registry asked nothing before would give."""
    from xltools.rules import units as U
    pieces = {p for prefix in SEED_DISTRICTS for c in _seed_cells(prefix) for p in split_units(c).all}
    levelled = {re.sub(r"^区", "县", p) for p in pieces}
    names = sorted(pieces | levelled | {"嘉祥县财政局", "汶上县财政局", "嘉祥县财政", "市生态环境局嘉祥分局",
                                        "市生态环境局汶上分局", "市公安局任城分局", "天桥区审计局", "曲阜市财政局"})
    districts = ["嘉祥县", "汶上县", "天桥区", "曲阜市", "任城区", "长清区", None]
    base = UnitRegistry.default()
    asked = {}
    for n in names:            # every district asks right after the others, in turn
        for d in districts:
            reg = base.for_district(d)
            asked[d, n] = (reg.resolve(n), reg.suggest(n))
    assert asked["嘉祥县", "嘉祥县财政局"][0].name == "县财政局" and asked["汶上县", "嘉祥县财政局"][0] is None
    assert asked["嘉祥县", "市生态环境局嘉祥分局"][0].kind == "上级/垂管单位"
    assert asked["汶上县", "市生态环境局嘉祥分局"][0] is None
    units = U._default_units()
    for d in districts:
        for n in names:
            U._shared_index.cache_clear()
            alone = UnitRegistry(units, d)
            assert (alone.resolve(n), alone.suggest(n)) == asked[d, n], (d, n)


def test_seed_cells_found():
    assert "区行政审批局、区司法局、牵头，各街镇、区政府有关部门配合" in _seed_cells("002")
    assert "区政府各部门(单位)、各街道办事处" in _seed_cells("000")
    assert len(_seed_cells("003")) == 16


def test_learn_units(registry):
    texts = ["区人社局、区火星局", "区火星局牵头，区卫健配合", "各有关社区、区火星局", "刘家庄街道办事处"]
    got = learn_units(texts, registry)
    assert [d["name"] for d in got][0] == "区火星局" and got[0]["count"] == 3
    by_name = {d["name"]: d for d in got}
    assert "区人社局" not in by_name
    assert by_name["区卫健"]["kind"] == "部门"
    assert "各有关社区" not in by_name           # a collective name by grammar: never unknown
    assert by_name["刘家庄街道办事处"]["kind"] == "街道"
    assert by_name["区火星局"]["alias_of"] is None
    small = UnitRegistry([Unit("区行政审批服务局", "部门"), Unit("区人力资源和社会保障局", "部门"), Unit("区财政局", "部门")])
    (proposal,) = learn_units(["区审批局", "区人社局"], small)     # 区人社局: the abbreviation grammar's
    assert proposal == {"name": "区审批局", "count": 1, "kind": "部门", "alias_of": "区行政审批服务局", "typo_of": None}
    (typo,) = learn_units(["区财政居"], small)                        # one character off a known unit: a typo
    assert typo["typo_of"] == "区财政局" and typo["alias_of"] is None and by_name["区火星局"]["typo_of"] is None
    assert registry.resolve("市生态环境局莱芜分局").kind == "上级/垂管单位"   # a city bureau's branch, by grammar
    changqing = registry.for_district("长清区")                                # … but not 长清's own branch
    assert learn_units(["市生态环境局莱芜分局"], changqing)[0]["kind"] == "上级/垂管单位"


# ---------------------------------------------------------------- the Excel registry

def test_save_load_round_trip(tmp_path, registry):
    extra = Unit("=1+1", "部门", ("=区财政局",), "天桥区")  # formula-looking text
    reg = UnitRegistry([*registry, extra])
    path = tmp_path / "单位名录.xlsx"
    save_registry(reg, path)
    back = load_registry(path)
    assert [(u.name, u.kind, u.aliases, u.district, u.tier) for u in back] == \
        [(u.name, u.kind, u.aliases, u.district, u.tier) for u in reg]
    assert {u.tier for u in back} == {"province", "city", "county", "township"}

    rows = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("单位名录").to_python()
    assert tuple(rows[0]) == ("区县", "单位名称", "简称或别名", "类别", "级别")
    assert ["省财政厅", "省级"] == [rows[i][j] for i in [next(i for i, r in enumerate(rows) if r[1] == "省财政厅")]
                                     for j in (1, 4)]
    assert len(rows) == len(reg) + 1

    wb = openpyxl.load_workbook(path)
    ws = wb["单位名录"]
    formula_cells = [c for row in ws.iter_rows() for c in row if str(c.value or "").startswith("=")]
    assert len(formula_cells) == 2 and all(c.data_type == "s" for c in formula_cells)
    assert ws.freeze_panes == "A2" and ws["A1"].font.bold and ws.auto_filter.ref
    kinds, tiers = ws.data_validations.dataValidation
    assert kinds.type == "list" and "上级/垂管单位" in kinds.formula1 and len(kinds.formula1) < 255
    assert tiers.type == "list" and "省级" in tiers.formula1 and str(tiers.sqref).startswith("E2")
    assert 3 <= wb["说明"].max_row <= 6


def test_load_per_district_and_csv(tmp_path):
    csv_path = tmp_path / "units.csv"
    csv_path.write_text("区县,单位名称,简称或别名,类别\n,区财政局,区财局,部门\n长清区,马山镇,,镇\n"
                        ",各街道办事处,,\n", encoding="utf-8-sig")
    reg = load_registry(csv_path, district="天桥区")
    assert reg.names() == ["区财政局", "各街道办事处"]
    assert reg.resolve("区财局").name == "区财政局"
    assert list(reg)[1].kind == "集体称谓"       # an empty 类别 is guessed
    assert load_registry(csv_path, "长清区").resolve("马山镇") is not None


def test_default_csv_header_and_bom():
    raw = (Path(__file__).parents[1] / "xltools" / "data" / "units_default.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw[3:].decode("utf-8").splitlines()[0] == "区县,单位名称,简称或别名,类别,级别"


def test_load_bad_files(tmp_path):
    from xltools.errors import XltoolsError
    bad_kind = tmp_path / "bad.csv"
    bad_kind.write_text("区县,单位名称,简称或别名,类别\n,区财政局,,科室\n", encoding="utf-8")
    no_header = tmp_path / "nohead.csv"
    no_header.write_text("区财政局,部门\n", encoding="utf-8")
    wrong_sheet = tmp_path / "wrong.xlsx"
    openpyxl.Workbook().save(wrong_sheet)
    for path in (bad_kind, no_header, wrong_sheet, tmp_path / "missing.csv"):
        with pytest.raises(XltoolsError):
            load_registry(path)


# ---------------------------------------------------------------- properties

_DEFAULT_NAMES = UnitRegistry.default().names()


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_split_never_raises(text):
    got = split_units(text)
    assert all(p and p == normalize_unit(p) for p in got.all)
    split_units(text, registry=UnitRegistry.default())


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_DEFAULT_NAMES), min_size=1, max_size=8, unique=True), st.data())
def test_joined_names_split_back(names, data):
    seps = [data.draw(st.sampled_from(["、", "，", ",", "；", "\n"])) for _ in names[1:]]
    text = names[0] + "".join(s + n for s, n in zip(seps, names[1:]))
    assert split_units(text).lead == tuple(names)
    assert split_units(text, registry=UnitRegistry.default()).lead == tuple(names)


@given(st.text())
def test_normalize_idempotent(text):
    once = normalize_unit(text)
    assert normalize_unit(once) == once
    assert not re.search(r"\s|[()\[\]]", once)


def test_registry_edits_from_the_command_line(tmp_path):
    """units add/alias/rename/remove: the page's edits from the command line, the same
    library call; the file read back by a second reader; a refused edit changes nothing;
    undo puts the previous file back."""
    from click.testing import CliRunner
    from xltools.cli.app import cli

    book = tmp_path / "名录.xlsx"

    def run(*args):
        return CliRunner().invoke(cli, [*map(str, args)])

    def entries():
        rows = python_calamine.CalamineWorkbook.from_path(str(book)).get_sheet_by_index(0).to_python()
        head = [str(h) for h in rows[0]]
        return {(str(r[head.index("单位名称")]), str(r[head.index("简称或别名")] or "")) for r in rows[1:]}

    assert run("units", "add", book, "区火星局", "--kind", "部门").exit_code == 0
    assert run("units", "alias", book, "区火星局", "区火星").exit_code == 0
    assert ("区火星局", "区火星") in entries()
    before = book.read_bytes()
    refused = run("units", "add", book, "区火星局", "--kind", "部门")       # the name is taken
    assert refused.exit_code == 2 and "区火星局" in refused.output and book.read_bytes() == before
    assert run("units", "rename", book, "区火星局", "区火星发展局").exit_code == 0
    assert {n for n, _ in entries()} >= {"区火星发展局"} and "区火星局" not in {n for n, _ in entries()}
    assert run("units", "remove", book, "区火星发展局").exit_code == 0
    assert "区火星发展局" not in {n for n, _ in entries()}
    assert run("undo", book).exit_code == 0                               # the remove undone
    assert "区火星发展局" in {n for n, _ in entries()}
