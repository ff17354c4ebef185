"""Split a master, fill the returns as units would in Excel, collect, and check the
master cell by cell."""
from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest
from click.testing import CliRunner

from conftest import CHANGQING, TIANQIAO
from xltools.cli.app import cli
from xltools.work.loop import LOG_SHEET, collect, safe_name, split
from xltools.work.merge import merge
from xltools.schema import MASTER_COLUMNS

D = dt.date
COL = {c.zh: i for i, c in enumerate(MASTER_COLUMNS, 1)}


def master_cells(path):
    ws = openpyxl.load_workbook(path)["汇总"]
    return [[ws.cell(r, c).value for c in range(1, ws.max_column + 1)] for r in range(1, ws.max_row + 1)]


@pytest.fixture
def master(tmp_path):
    path = tmp_path / "汇总.xlsx"
    merge([TIANQIAO, CHANGQING], path)
    return path


def key_of(cells, district, seq):
    return next(row[COL["任务编号"] - 1] for row in cells[1:]
                if row[COL["区县"] - 1] == district and row[COL["序号"] - 1] == seq)


def fill(path, key, status=None, progress=None, done=None, requirement=None, new_key=None):
    """What a unit does in Excel: type into the unlocked cells of its task's row."""
    wb = openpyxl.load_workbook(path)
    ws = wb["进展报送"]
    head = {ws.cell(3, c).value: c for c in range(1, ws.max_column + 1)}
    row = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, head["任务编号"]).value == key)
    if new_key:  # a row copied in and given a key the master does not know
        row = ws.max_row + 1
        for c in range(1, ws.max_column + 1):
            ws.cell(row, c).value = ws.cell(row - 1, c).value
        ws.cell(row, head["任务编号"]).value = new_key
        ws.cell(row, head["序号"]).value = 999
    for name, value in (("状态", status), ("进展情况", progress), ("完成日期", done), ("具体要求", requirement)):
        if value is not None:
            ws.cell(row, head[name]).value = value
    wb.save(path)


def test_split_collect_round_trip(master, tmp_path):
    before = master_cells(master)
    k = {(d, n): key_of(before, d, n) for d, n in [("长清区", 12), ("长清区", 13), ("长清区", 14), ("长清区", 17),
                                                   ("天桥区", 19)]}
    out = tmp_path / "下发"
    summary = split(master, out)
    files = {label: path for label, path, _, _ in summary.files}
    # 各街镇 is collective: its tasks go to each 街道 and 镇 of 长清区 (issue 9; was one 各街镇 return)
    assert {"长清区-区住建局", "长清区-文昌街道", "长清区-马山镇", "天桥区-区财政局"} <= set(files)
    assert "长清区-各街镇" not in files
    f = files
    fill(f["长清区-区住建局"], k["长清区", 17], "已完成", "已公开项目清单", D(2022, 8, 15))
    fill(f["长清区-文昌街道"], k["长清区", 17], "进行中", "配合提供材料")             # supporter disagrees
    fill(f["长清区-区行政审批局"], k["长清区", 13], "暂缓", "等待批复")   # (one lead's 已完成 would wait: test_collect_leads)
    fill(f["长清区-区司法局"], k["长清区", 13], "进行中")                # two leads disagree: nothing of either is written
    fill(f["长清区-区政府办公室"], k["长清区", 12], "进行中", "已完成初稿")
    fill(f["长清区-区政府办公室"], k["长清区", 14], progress="已集中公开", requirement="改过的要求")
    fill(f["天桥区-区财政局"], k["天桥区", 19], "已完成", "目录已公开", D(2024, 5, 31))
    fill(f["天桥区-区财政局"], k["天桥区", 19], "已完成", new_key="天桥区-2024-999-abcdef")

    result = collect([out], master, now=dt.datetime(2024, 6, 1, 9, 0))
    assert len(result.files) == len(summary.files) and not result.failed

    expected = [row[:] for row in before]
    changes = {k["长清区", 17]: ("已完成", "已公开项目清单", dt.datetime(2022, 8, 15), "区住建局"),
               k["长清区", 12]: ("进行中", "已完成初稿", None, "区政府办公室"),
               k["长清区", 14]: (None, "已集中公开", None, "区政府办公室"),
               k["天桥区", 19]: ("已完成", "目录已公开", dt.datetime(2024, 5, 31), "区财政局")}
    for row in expected[1:]:
        if row[COL["任务编号"] - 1] in changes:
            status, progress, done, unit = changes[row[COL["任务编号"] - 1]]
            row[COL["状态"] - 1], row[COL["进展情况"] - 1] = status, progress
            row[COL["完成日期"] - 1], row[COL["报送单位"] - 1] = done, unit
            row[COL["报送时间"] - 1] = dt.datetime(2024, 6, 1, 9, 0)
    after = master_cells(master)
    assert after == expected   # every cell, every row: only the four reported tasks changed

    ws = openpyxl.load_workbook(master)[LOG_SHEET]
    head = [c.value for c in ws[1]]
    log = [dict(zip(head, r)) for r in ws.iter_rows(min_row=2, values_only=True)]
    lines = {(e["类型"], e["任务编号"], e["说明"].split("“")[0] if e["说明"] else None) for e in log}
    edited = next(e for e in log if e["任务编号"] == k["长清区", 14] and e["类型"] == "警告")
    assert "把“具体要求”改成了“改过的要求”" in edited["说明"] and edited["报送内容"] == "改过的要求" and edited["单元格"]
    unknown = next(e for e in log if "天桥区-2024-999-abcdef" in (e["说明"] or ""))
    assert unknown["类型"] == "警告" and unknown["序号"] == 999 and unknown["报送内容"].startswith("状态：已完成")
    assert result.count("collect-conflict-lead") == 1 and result.count("collect-conflict-overruled") == 1
    assert result.count("collect-conflict") == 2                     # neither lead of 13 wins: nothing of either
    assert ("警告", k["长清区", 13], "") in lines and result.open_conflicts == 1
    assert result.count("updated") == 9   # 3 + 2 + 1 + 3 cells
    # every line names its task: district, 序号 and the requirement's first words (never "序号 None")
    assert all(e["区县"] and e["序号"] is not None and (e["任务"] or e is unknown) for e in log if e["任务编号"] or
               e is unknown), log
    moved = [e["文件"] for e in log if not e["序号"]]
    assert moved == ["天桥区-区财政局.xlsx"]      # the row added at the bottom: 报送表中的任务行与下发时的顺序不同


def test_collect_twice_changes_nothing_more(master, tmp_path):
    out = tmp_path / "下发"
    summary = split(master, out)
    path = next(p for label, p, _, _ in summary.files if label == "天桥区-区财政局")
    key = key_of(master_cells(master), "天桥区", 19)
    fill(path, key, "已完成", "目录已公开", D(2024, 5, 31))
    links = hyperlinks(master)
    assert len(links[0]) == 2 and links[1] == 2         # merge links each district's rows to its file: a range each
    collect([path], master)
    once = master_cells(master)
    second = collect([path], master)
    assert second.updated == 0 and master_cells(master) == once
    fill(path, key, progress="目录已公开并更新")             # the next round: collected into the collected master
    assert collect([path], master).updated == 1
    # the links as merge wrote them, not one link and one relationship per row (openpyxl's way)
    assert hyperlinks(master) == links


def hyperlinks(path):
    """汇总's hyperlinks (ref, target), and how many relationships its sheet has."""
    import zipfile
    from defusedxml import ElementTree
    from xltools.read.limits import worksheet_parts

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rid = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    with zipfile.ZipFile(path) as zf:
        part = worksheet_parts(zf)["汇总"]
        folder, _, name = part.rpartition("/")
        sheet, rels = ElementTree.fromstring(zf.read(part)), ElementTree.fromstring(zf.read(f"{folder}/_rels/{name}.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels}
    return sorted((h.get("ref"), target[h.get(rid)]) for h in sheet.iter(main + "hyperlink")), len(target)


def test_split_by_district_and_safe_names(master, tmp_path):
    summary = split(master, tmp_path / "按区县", by="district")
    assert sorted((label, lead) for label, _, lead, _ in summary.files) == [("天桥区", 56), ("长清区", 66)]
    assert safe_name('区政府办公室/大数据:中心*?"<>|') == "区政府办公室_大数据_中心______"
    assert safe_name("各部门. ") == "各部门"


def test_split_and_collect_commands(master, tmp_path):
    runner = CliRunner()
    out = tmp_path / "下发"
    result = runner.invoke(cli, ["split", str(master), "-o", str(out), "--json"])
    assert result.exit_code == 0, result.output
    files = json.loads(result.output)["files"]
    assert all(f["lead"] + f["support"] > 0 for f in files)
    result = runner.invoke(cli, ["collect", str(out), "--into", str(master)])
    assert result.exit_code == 0 and "已收集" in result.output and "更新 0 处" in result.output
    result = runner.invoke(cli, ["collect", str(out), "--into", str(tmp_path / "没有.xlsx")])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_collect_refuses_a_file_that_is_not_a_master(tmp_path):
    from xltools.work.loop import LoopError
    with pytest.raises(LoopError) as exc:
        collect([CHANGQING], CHANGQING)
    assert "不是 xltools 生成的汇总表" in exc.value.message()


def test_split_returns_open_in_libreoffice_with_dropdowns_and_protection(master, tmp_path):
    from lo import SOFFICE, convert
    from xltools.rules.units import UnitRegistry
    summary = split(master, tmp_path / "下发")
    label, path, lead, support = next(x for x in summary.files if x[0] == "长清区-文昌街道")
    assert lead > 0 and support > 0          # it leads some tasks and supports others
    wb = openpyxl.load_workbook(path)
    ws = wb["进展报送"]
    assert ws.protection.sheet
    head = {ws.cell(3, c).value: c for c in range(1, ws.max_column + 1)}
    assert ws.cell(5, head["任务编号"]).protection.locked            # the key cannot be typed over
    assert not ws.cell(5, head["进展情况"]).protection.locked
    formulas = {dv.formula1 for dv in ws.data_validations.dataValidation}
    unit_list = next(f for f in formulas if f and "单位列表" in f)
    name = wb.defined_names[unit_list.lstrip("=")]
    (sheet, ref), = name.destinations
    listed = [c.value for row in wb[sheet][ref.replace("$", "")] for c in row]
    assert listed == UnitRegistry.default().for_district("长清区").names()
    if SOFFICE:
        pdf = convert(path, "pdf", tmp_path)
        assert pdf.read_bytes().startswith(b"%PDF")


def test_returns_validate_clean(master, tmp_path):
    """A unit's return holds a subset of the tasks (no numbering gaps to report) and the
    resolved 截止日期 beside each phrase (本文件印发后30日内 needs no notice there)."""
    from xltools import read_plan
    from xltools import validate
    summary = split(master, tmp_path / "下发")
    files = [p for _, p, _, _ in summary.files]
    report = validate(files)
    codes = {f.code for f in report.findings if f.severity != "info"}
    assert "seq-gap" not in codes and "needs-issue-date" not in codes
    # the only problems left are the source's own: 天桥 28 has no deadline, 43 no requirement
    assert codes == {"missing-deadline", "missing-requirement"}
    streets = next(p for label, p, _, _ in summary.files if label == "长清区-文昌街道")
    task64 = next(t for t in read_plan(streets).tasks if t.seq == 64)
    assert (task64.deadline_raw, task64.due) == ("本文件印发后30日内", D(2022, 7, 10))
