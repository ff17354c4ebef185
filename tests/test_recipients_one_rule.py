"""One rule for who receives what (issue 24, point 5): the master's 统计, the circular and
the page's dashboard count a task led by a collective (区政府各部门（单位）, 各街镇) for each
member the registry lists (rules.units.recipients, grouped by rules.units.lead_groups);
a collective without listed members (各成员单位) is counted as itself in all three, and
what a district wrote stays written in 汇总.

And a township's own plan: its offices and its 领导小组 are its units, not unknown names
(nor renamed to the county's bodies); a county's plan naming 党政办 still gets a finding."""
from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import docx
import openpyxl
import pytest

from xltools.check.validate import validate
from xltools.read import read_plan
from xltools.rules.units import UnitRegistry
from xltools.texts import t
from xltools.ui import make_app
from xltools.work.merge import merge
from xltools.work.report import report

from conftest import CHANGQING, TIANQIAO, write_xlsx
from lo import SOFFICE, needs_soffice

AS_OF = dt.date(2024, 12, 20)
TOKEN = "test-token"
# a third district's own plan: a collective whose members the registry does not list
# (各成员单位), a unit written beside a collective it is a member of, a task without a lead
LIXIA = [["2024年历下区政务公开重点工作任务分解表"],
         ["序号", "工作任务", "责任单位", "完成时限"],
         [1, "建立政务公开联席会议制度。", "各成员单位", "2024年11月底前"],
         [2, "梳理公开事项清单。", "区财政局、区政府各部门（单位）", "2024年12月底前"],
         [3, "做好预算公开。", "区财政局", "2024年10月底前"],
         [4, "推进基层公开标准化。", "区政府办公室牵头，各街道办事处配合", "2025年3月底前"],
         [5, "完善依申请公开办理。", None, "2024年9月底前"],
         [6, "开展政务公开培训。", "各成员单位、区政府办公室", "长期坚持"]]


@pytest.fixture(scope="module")
def master(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("one_rule")
    inputs = [shutil.copy(CHANGQING, d), shutil.copy(TIANQIAO, d),
              write_xlsx(d / "2024年历下区政务公开重点工作任务分解表.xlsx", {"Sheet1": LIXIA})]
    out = d / "out" / "汇总表.xlsx"
    merge(inputs, out, as_of=AS_OF)
    return out


def unit_table(rows: list[list]) -> dict[str, tuple[int, int, int]]:
    """统计's per-unit table: name → (tasks, overdue, due soon)."""
    top = next(i for i, r in enumerate(rows) if r and r[0] == "牵头单位")
    assert rows[top][:4] == ["牵头单位", "任务数", "逾期", "临期"]
    return {r[0]: tuple(int(float(v)) for v in r[1:4]) for r in rows[top + 1:] if r and r[0]}


def circular_table(path: Path) -> dict[str, tuple[int, int, int]]:
    """The circular's per-unit table, as the Word document written by `report` holds it."""
    out = path.with_name(path.stem + "-通报.docx")
    summary = report(path, out, chart_font=None)
    table = next(tb for tb in docx.Document(str(out)).tables if tb.rows[0].cells[0].text == "牵头单位")
    head = [c.text for c in table.rows[0].cells]
    at = [head.index(h) for h in ("任务数", t("state-overdue"), t("state-soon"))]
    # a long name breaks before its district (a line break of its own), never inside
    rows = {r.cells[0].text.replace("\n", ""): tuple(int(r.cells[i].text) for i in at) for r in table.rows[1:]}
    assert rows == {r.name: (r.counts.total, r.counts["overdue"], r.counts["soon"]) for r in summary.circular.by_unit}
    return rows


def dashboard_table(path: Path, home: Path, monkeypatch) -> dict[str, tuple[int, int, int]]:
    monkeypatch.setenv("XLTOOLS_HOME", str(home))
    client = make_app([path.parent], TOKEN).test_client()
    d = client.post(f"/api/dashboard?token={TOKEN}", json={"path": str(path)}).get_json()
    return {r["name"]: (sum(r["counts"].values()), r["counts"]["overdue"], r["counts"]["soon"]) for r in d["by_unit"]}


def computed_stats(path: Path, outdir: Path) -> list[list[str]]:
    """统计 as LibreOffice computes its formulas (CSV of every sheet)."""
    profile = Path("/tmp") / f"xltools_lo_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    outdir.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to",
                        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
                        "--outdir", str(outdir), str(path)], check=True, capture_output=True, timeout=180)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    with open(outdir / f"{path.stem}-统计.csv", encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


@needs_soffice
def test_stats_counts_by_recipient_as_the_circular_and_the_dashboard(master, tmp_path, monkeypatch):
    stats = unit_table(computed_stats(master, tmp_path / "lo"))
    circular = circular_table(master)
    assert stats == circular
    assert dashboard_table(master, tmp_path / "home", monkeypatch) == circular
    # 天桥区's 区政府各部门（单位） reaches its departments; the collective itself is no row
    assert "区财政局（天桥区）" in stats and "区政府各部门（单位）（天桥区）" not in stats
    assert "各街道办事处（天桥区）" not in stats and "北坦街道（天桥区）" in stats
    # 区财政局 written beside a collective it belongs to: task 2 (due soon) counts once, with
    # task 3 (overdue)
    assert stats["区财政局（历下区）"] == (2, 1, 1)
    # a collective without listed members: itself, in all three
    assert stats["各成员单位（历下区）"] == circular["各成员单位（历下区）"] == (2, 1, 0)
    assert stats["未明确牵头单位（历下区）"] == (1, 1, 0)


@needs_soffice
def test_stats_stay_live_and_agree_after_a_state_is_changed_in_the_master(master, tmp_path):
    """People mark tasks done in 汇总: 统计 follows (its formulas), and so does the circular."""
    edited = tmp_path / "汇总表.xlsx"
    shutil.copy(master, edited)
    wb = openpyxl.load_workbook(edited)
    ws = wb["汇总"]
    head = [c.value for c in ws[1]]
    lead, status, district = head.index("牵头单位") + 1, head.index("状态") + 1, head.index("区县") + 1
    done = 0
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, district).value == "长清区" and "区政府各部门" in str(ws.cell(r, lead).value or "").split("、"):
            ws.cell(r, status).value = "已完成"
            done += 1
    assert done
    wb.save(edited)
    before, after = circular_table(master), circular_table(edited)
    assert after["区财政局（长清区）"][1] == before["区财政局（长清区）"][1] - done
    assert unit_table(computed_stats(edited, tmp_path / "lo")) == after


def test_stats_lists_the_circulars_units_without_a_spreadsheet(master):
    """A second reader (openpyxl) of the written file: the same rows, and 汇总 keeps the
    collective as the district wrote it."""
    wb = openpyxl.load_workbook(master)
    rows = [[c.value for c in r] for r in wb["统计"].iter_rows()]
    top = next(i for i, r in enumerate(rows) if r[0] == "牵头单位")
    assert {r[0] for r in rows[top + 1:] if r[0]} == set(circular_table(master))
    ws = wb["汇总"]
    head = [c.value for c in ws[1]]
    leads = {ws.cell(r, head.index("牵头单位") + 1).value for r in range(2, ws.max_row + 1)}
    assert "区财政局、区政府各部门（单位）" in leads and "各成员单位" in leads


# ------------------------------------------------------------ a township's own plan

TOWNSHIP_UNITS = [
    "党政办牵头，经济发展办、社会事务办配合", "综治中心", "镇乡村振兴领导小组办公室", "乡村振兴领导小组",
    "镇安全生产委员会办公室", "镇纪委", "镇人大主席团", "镇武装部", "团委、镇妇联", "镇财政所",
    "农业综合服务中心", "镇党政办", "镇环境整治领导小组", "应急办", "社保所", "国土所", "统计站",
    "各村（社区）", "县农业农村局", "县财政局配合"]


def township_plan(path: Path, units: list[str], title: str = "2024年屏南县桃园镇重点工作任务分解表") -> Path:
    rows = [[title], ["序号", "工作任务", "责任单位", "完成时限"]]
    rows += [[i, f"任务{i}。", u, "2024年12月底前"] for i, u in enumerate(units, 1)]
    return write_xlsx(path, {"Sheet1": rows})


def test_a_townships_own_offices_and_leading_groups_are_its_units(tmp_path):
    path = township_plan(tmp_path / "桃园镇.xlsx", TOWNSHIP_UNITS)
    sheet, = read_plan(path).sheets
    assert sheet.district == "屏南县桃园镇"
    assert [(f.code, f.value) for f in validate([path]).findings if f.code.startswith("unknown-unit")] == []
    # its own bodies, written with or without the township's prefix, are one unit each
    own = UnitRegistry.default("屏南县桃园镇")
    assert own.name("镇乡村振兴领导小组办公室").counted == own.name("乡村振兴领导小组办公室").counted
    assert own.name("镇纪委").counted == own.name("纪委").counted
    # what the township wrote stays written
    assert [u.written for u in sheet.tasks[2].lead_units] == ["镇乡村振兴领导小组办公室"]


def test_a_typo_in_a_townships_plan_is_still_found_and_not_renamed_to_the_countys(tmp_path):
    path = township_plan(tmp_path / "桃园镇.xlsx", ["社会事物办", "镇经济发屏办", "县财政居", "镇纪检监察室室"])
    found = {f.value: f for f in validate([path]).findings if f.code.startswith("unknown-unit")}
    assert set(found) == {"社会事物办", "镇经济发屏办", "县财政居", "镇纪检监察室室"}
    assert found["社会事物办"].params["suggestions"].split("、")[0] == "社会事务办公室"
    assert found["镇经济发屏办"].params["suggestions"] == "经济发展办公室"
    assert "县财政局" in found["县财政居"].params["suggestions"]
    # 镇… is the township's own: never suggested as a county body (县纪委监委)
    suggested = found["镇纪检监察室室"].params.get("suggestions", "")
    assert not [s for s in suggested.split("、") if s.startswith(("县", "省", "市"))]


def test_a_countys_plan_naming_a_townships_office_still_gets_a_finding(tmp_path):
    path = township_plan(tmp_path / "屏南县.xlsx", ["党政办", "乡村振兴领导小组办公室", "县财政局"],
                         title="2024年屏南县重点工作任务分解表")
    assert read_plan(path).sheets[0].district == "屏南县"
    found = {f.value for f in validate([path]).findings if f.code.startswith("unknown-unit")}
    assert found == {"党政办", "乡村振兴领导小组办公室"}


@needs_soffice
def test_a_master_of_many_districts_counts_each_unit_across_them(tmp_path, monkeypatch):
    """Hundreds of districts would make 统计 tens of thousands of formulas over 汇总 (a
    city's master, Excel recalculating for minutes): beyond UNIT_ROWS its rows are each
    recipient across the districts, by the same rule, and the counts add up to the circular's."""
    from xltools.write import master as master_module
    monkeypatch.setattr(master_module, "UNIT_ROWS", 5)
    inputs = [shutil.copy(CHANGQING, tmp_path), shutil.copy(TIANQIAO, tmp_path),
              write_xlsx(tmp_path / "2024年历下区政务公开重点工作任务分解表.xlsx", {"Sheet1": LIXIA})]
    out = tmp_path / "out" / "汇总表.xlsx"
    merge(inputs, out, as_of=AS_OF)
    stats = unit_table(computed_stats(out, tmp_path / "lo"))
    circular = circular_table(out)
    assert len(stats) < len(circular) and not any("（天桥区）" in name or "（历下区）" in name for name in stats)
    assert "区财政局" in stats and stats["区财政局"] == tuple(
        map(sum, zip(*(v for k, v in circular.items() if k.startswith("区财政局（")))))
    for i in range(3):      # every task of each recipient, overdue and due soon, once
        assert sum(v[i] for v in stats.values()) == sum(v[i] for v in circular.values())


def test_split_sends_one_return_to_a_unit_however_its_rows_reach_it(tmp_path):
    """A unit written by its short name on one row (区住建局), by its full name on
    another, and reached through a collective on an earlier one (区政府各部门（单位）: the
    registry lists it as 区住房和城乡建设局) gets one return holding each task once, as
    统计 and the circular count it once, named as the district's rows first write it."""
    from xltools.work.loop import split

    rows = [["2024年历下区政务公开重点工作任务分解表"],
            ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"],
            [1, "梳理公开事项清单。", "区政府各部门（单位）", None, "2024年12月底前"],
            [2, "公开住房保障信息。", "区住建局", None, "2024年10月底前"],
            [3, "公开城建项目信息。", "区住房和城乡建设局", "区住建局", "2024年11月底前"]]
    plan = write_xlsx(tmp_path / "2024年历下区政务公开重点工作任务分解表.xlsx", {"Sheet1": rows})
    master = tmp_path / "汇总表.xlsx"
    merge([plan], master, as_of=AS_OF)
    files = {label: path for label, path, _, _ in split(master, tmp_path / "下发").files}
    housing = [label for label in files if "住建" in label or "住房和城乡建设" in label]
    # named as the district wrote it first (one district: labels without it), not the registry's name
    assert housing == ["区住建局"], sorted(files)
    ws = openpyxl.load_workbook(files[housing[0]])["进展报送"]
    column = next(c for c in range(1, ws.max_column + 1) if ws.cell(3, c).value == "工作任务")
    tasks = [ws.cell(r, column).value for r in range(4, ws.max_row + 1) if ws.cell(r, column).value]
    assert sorted(tasks) == sorted(row[1] for row in rows[2:])              # each task once
    assert "区财政局" in files                                        # the collective's other members too
