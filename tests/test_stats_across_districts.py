"""统计 of a master with many districts (more than UNIT_ROWS rows by lead unit and district)
counts each recipient across the districts.  The grouping behind it (rules.units.lead_groups
with `most`) works on each distinct lead cell once, whom each unit reaches found once per
level, not row by row: here it is held to the rule applied row by row — each row of 汇总,
as a second reader (python-calamine) reads it back, expanded on its own by
rules.units.recipients with its district's registry."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from xltools.rules.units import UnitName, UnitRegistry, lead_groups, recipients, units_of
from xltools.texts import t
from xltools.work.merge import merge
from xltools.write.master import UNIT_ROWS

from conftest import ROOT, write_xlsx
from lo import convert, needs_soffice

sys.path.insert(0, str(ROOT / "scripts"))
from benchmark_merge import generate  # noqa: E402

AS_OF = dt.date(2024, 12, 20)
FILES = 12      # generated district plans: about 740 rows by lead unit and district, beyond UNIT_ROWS
# beside them, a district's own plan: a task without a lead unit, one with a remark for
# a lead, a collective whose members the registry does not list (各成员单位), a unit written
# beside a collective it is a member of, and 各街道办事处: its own streets, as 天桥区's are its own
LIXIA = [["2024年历下区政务公开重点工作任务分解表"],
         ["序号", "工作任务", "责任单位", "完成时限"],
         [1, "建立政务公开联席会议制度。", "各成员单位", "2024年11月底前"],
         [2, "梳理公开事项清单。", "区财政局、区政府各部门（单位）", "2024年12月底前"],
         [3, "做好预算公开。", "区财政局", "2024年10月底前"],
         [4, "推进基层公开标准化。", "区政府办公室牵头，各街道办事处配合", "2025年3月底前"],
         [5, "完善依申请公开办理。", None, "2024年9月底前"],
         [6, "开展政务公开培训。", "按职责分工负责", "2024年12月25日前"],
         [7, "推进街道政务公开。", "各街道办事处", "2025年6月底前"]]


@pytest.fixture(scope="module")
def master(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("across")
    generate(FILES, d / "in")
    write_xlsx(d / "in" / "2024年历下区政务公开重点工作任务分解表.xlsx", {"Sheet1": LIXIA})
    out = d / "汇总表.xlsx"
    merge([d / "in"], out, as_of=AS_OF)
    return out


def sheet(path: Path, name: str) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()


def tasks_of(path: Path) -> list[tuple[str, str, object]]:
    """汇总's rows as (district, 牵头单位 as written, 预警)."""
    rows = sheet(path, "汇总")
    at = [rows[0].index(h) for h in ("区县", "牵头单位", "预警")]
    return [(str(r[at[0]]), str(r[at[1]]), r[at[2]]) for r in rows[1:]]


def reached(unit: UnitName, own: UnitRegistry) -> list[UnitName]:
    """Whom a unit reaches, as rules.units.recipients says, asked of the district's registry
    each time: a collective by each member it lists, any other unit as named.  What
    `recipients` keeps once per level is held to it."""
    out: dict[str, UnitName] = {}
    for named in [own.name(m) for m in own.members(unit.written)] or [unit]:
        out.setdefault(named.counted, named)
    return list(out.values())


def row_by_row(tasks: list[tuple[str, str, object]]) -> dict[str, dict]:
    """Each row expanded on its own, counted across districts: recipient as counted → its
    name as first written itself (else as a collective's expansion first named it), its
    rows, the lead units through which they reach it, and the districts where it leads."""
    registry = UnitRegistry.default()
    out: dict[str, dict] = {}
    for i, (district, lead, _) in enumerate(tasks):
        own = registry.for_district(district or None)
        units = units_of(lead, own)
        row: dict[str, UnitName] = {}
        itself: set[str] = set()
        for unit in units:
            for named in reached(unit, own):
                written = named.written == unit.written      # not a collective's member
                if named.counted not in row or written and named.counted not in itself:
                    row[named.counted] = named
                one = out.setdefault(named.counted, {"shown": named.written, "rows": [], "forms": [], "in": set(),
                                                     "itself": False})
                if written:
                    itself.add(named.counted)
                    if not one["itself"]:
                        one["shown"], one["itself"] = named.written, True
                one["rows"] += [i] if i not in one["rows"][-1:] else []
                one["forms"] += [unit.written] if unit.written not in one["forms"] else []
                one["in"].add(district)
        assert recipients(units, own) == tuple(row.values())     # the rule, kept once per level
        if not units:
            one = out.setdefault("", {"shown": "", "rows": [], "forms": [], "in": set()})
            one["rows"].append(i)
            one["in"].add(district)
    return out


def test_the_grouping_across_districts_equals_the_rule_row_by_row(master):
    tasks = tasks_of(master)
    expected = row_by_row(tasks)
    # the master is beyond UNIT_ROWS by lead unit and district: the path across districts is taken
    assert sum(len(one["in"]) for one in expected.values()) > UNIT_ROWS
    assert len({d for d, _, _ in tasks}) == FILES + 1 and "" in expected and "各成员单位" in expected
    registry = UnitRegistry.default()
    groups = lead_groups([(d, units_of(lead, registry.for_district(d or None))) for d, lead, _ in tasks], registry,
                         most=UNIT_ROWS)
    assert all(g.district is None for g in groups)
    assert [(g.counted, g.shown, g.rows, g.forms) for g in groups] == \
        [(c, one["shown"], one["rows"], one["forms"]) for c, one in expected.items()]
    # and as the groups by district, merged: what 统计 counted before it grouped across directly
    by_district = lead_groups([(d, units_of(lead, registry.for_district(d or None))) for d, lead, _ in tasks],
                              registry)
    assert len(by_district) > UNIT_ROWS
    merged: dict[str, set[int]] = {}
    for g in by_district:
        merged.setdefault(g.counted, set()).update(g.rows)
    assert {g.counted: set(g.rows) for g in groups} == merged


def label(one: dict) -> str:
    return one["shown"] or t("rp-no-lead")


def test_stats_lists_each_recipient_once_by_its_tasks_row_by_row(master):
    """The written 统计 (read by python-calamine, no spreadsheet): each recipient once,
    without its district, in the order of its tasks as the rows of 汇总 give them."""
    stats = sheet(master, "统计")
    top = next(i for i, r in enumerate(stats) if r and r[0] == "牵头单位")
    expected = row_by_row(tasks_of(master)).values()
    assert [r[0] for r in stats[top + 1:]] == [label(one) for one in sorted(expected, key=lambda o: (-len(o["rows"]),
                                                                                                  label(o)))]


@pytest.fixture(scope="module")
def computed(master, tmp_path_factory) -> tuple[dict[str, tuple[int, int, int]], dict[str, tuple[int, int, int]]]:
    """统计's per-unit table as LibreOffice computes its formulas (saved again, read back
    by python-calamine), and the same table row by row from 汇总 as computed there."""
    out = convert(master, "xlsx", tmp_path_factory.mktemp("computed"))
    tasks = tasks_of(out)
    expected = {label(one): (len(one["rows"]), sum(tasks[i][2] == "逾期" for i in one["rows"]),
                             sum(tasks[i][2] == "临期" for i in one["rows"])) for one in row_by_row(tasks).values()}
    stats = sheet(out, "统计")
    top = next(i for i, r in enumerate(stats) if r and r[0] == "牵头单位")
    assert stats[top][:4] == ["牵头单位", "任务数", "逾期", "临期"]
    return {r[0]: tuple(int(v) for v in r[1:4]) for r in stats[top + 1:]}, expected


def everywhere(tasks: list[tuple[str, str, object]]) -> set[str]:
    """The recipients that each lead unit through which they are reached reaches in
    every district that writes it (区财政局; not 各街道办事处, whose streets are each district's)."""
    registry = UnitRegistry.default()
    written: dict[str, set[str]] = {}
    reach: dict[str, dict[str, set[str]]] = {}
    for district, lead, _ in tasks:
        own = registry.for_district(district or None)
        for unit in units_of(lead, own):
            written.setdefault(unit.written, set()).add(district)
            for named in reached(unit, own):
                reach.setdefault(named.counted, {}).setdefault(unit.written, set()).add(district)
    shown = {c: label(one) for c, one in row_by_row(tasks).items()}
    return {shown[c] for c, forms in reach.items() if all(ds == written[f] for f, ds in forms.items())}


@needs_soffice
def test_stats_counts_as_the_rule_row_by_row_where_each_form_reaches_the_unit_everywhere(master, computed):
    """The counts LibreOffice computes for 统计's formulas across districts are the rule's,
    row by row, for every recipient whose lead units reach it in each district writing them."""
    listed, expected = computed
    exact = everywhere(tasks_of(master))
    assert len(listed) == len(expected) and len(exact) > 20
    assert {n: v for n, v in listed.items() if n in exact} == {n: v for n, v in expected.items() if n in exact}
    assert any(v[1] for v in listed.values()) and any(v[2] for v in listed.values())


@needs_soffice
def test_stats_counts_as_the_rule_row_by_row(computed):
    """Every recipient's counts, also where a lead unit reaches it in some districts only
    (各街道办事处: each district's own streets): its formula counts that form there only."""
    listed, expected = computed
    assert listed == expected
