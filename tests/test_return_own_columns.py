"""A return shows the master's own columns (a township's 备注, kept by merge as a column of
its own) after the task columns, for reference: grey, locked, headed “备注（供参考）”, only
those that hold a value on one of the unit's tasks.  collect knows them for split's (their
headings are recorded in 下发底稿): nothing of them is the unit's report, and only a value
the unit changed is said (not taken).  New-user trial D1: three township sheets merged, split,
filled in, collected; every file real, read back with openpyxl."""
from __future__ import annotations

import shutil

import openpyxl
import pytest

from tests.conftest import write_xlsx
from tests.loop_fixtures import HEAD_ROW, edit, fill, head_of, set_master, split_master, task_rows
from xltools.work.collect import collect
from xltools.work.return_check import check_return
from xltools.work.returns import LOG_SHEET
from xltools.write.templates import GUIDE_SHEET, PROGRESS_SHEET, SENT_SHEET

HEADER = ["序号", "工作任务", "具体要求", "责任单位", "完成时限", "备注"]
TOWNS = {"天荒坪镇": "大溪村", "递铺街道": "古城村", "孝丰镇": "横溪坞村"}
NOTE = "需附联系人名单"
SHOWN = "备注（供参考）"


def _plan(town: str, village: str) -> list[list]:
    return [[f"安吉县{town}2026年政务公开工作要点任务分解表"], HEADER,
            [1, "推进政务公开", "更新政府信息公开指南", "党政办", "2026年6月底前", f"{town}{NOTE}"],
            [2, "推进政务公开", "公开年度预算决算", "财政所", "2026年9月底前", None],
            [3, "推进基层公开", "更新村务公开栏", f"党政办、{village}", "2026年12月底前", "每季度更新"]]


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    base = tmp_path_factory.mktemp("township")
    plans = [write_xlsx(base / f"安吉县{town}2026年任务分解表.xlsx", {"任务分解": _plan(town, village)})
             for town, village in TOWNS.items()]
    return base, split_master(base, plans)


@pytest.fixture
def loop(made, tmp_path):
    """A fresh copy of the master and the returns: (master, {label: return})."""
    base, summary = made
    shutil.copy(base / "汇总.xlsx", tmp_path / "汇总.xlsx")
    shutil.copytree(base / "下发", tmp_path / "下发")
    for town in TOWNS:        # 来源文件 beside the master, as merge left them
        name = f"安吉县{town}2026年任务分解表.xlsx"
        shutil.copy(base / name, tmp_path / name)
    return tmp_path / "汇总.xlsx", {label: tmp_path / "下发" / path.name for label, path, _, _ in summary.files}


def _master_notes(master) -> dict[tuple[str, int], object]:
    ws = openpyxl.load_workbook(master)["汇总"]
    head = {c.value: c.column for c in ws[1]}
    return {(ws.cell(r, head["区县"]).value, ws.cell(r, head["序号"]).value): ws.cell(r, head["备注"]).value
            for r in range(2, ws.max_row + 1) if ws.cell(r, head["任务编号"]).value}


def test_the_master_keeps_the_townships_notes(made):
    base, _ = made
    notes = _master_notes(base / "汇总.xlsx")
    assert notes[("安吉县天荒坪镇", 1)] == f"天荒坪镇{NOTE}" and notes[("安吉县孝丰镇", 3)] == "每季度更新"
    assert notes[("安吉县递铺街道", 2)] is None


def test_a_return_shows_the_masters_notes_for_reference(loop):
    _, files = loop
    wb = openpyxl.load_workbook(files["安吉县天荒坪镇-党政办"])
    ws = wb[PROGRESS_SHEET]
    head, rows = task_rows(ws)
    assert list(head)[-1] == SHOWN and head[SHOWN] == head["完成日期"] + 1      # after the task columns
    assert ws.cell(rows[1], head[SHOWN]).value == f"天荒坪镇{NOTE}"
    assert ws.cell(rows[3], head[SHOWN]).value == "每季度更新"
    cell = ws.cell(rows[1], head[SHOWN])
    assert cell.protection.locked and cell.fill.fgColor.rgb.endswith("F2F2F2")        # grey, as the task as issued
    assert not ws.cell(rows[1], head["进展情况"]).protection.locked
    # 下发底稿 records the heading and what each task was sent with
    sent = list(wb[SENT_SHEET].iter_rows(min_row=2, values_only=True))
    col = sent[0].index(f"own:{SHOWN}")
    assert {r[0]: r[col] for r in sent[1:]}[ws.cell(rows[1], head["任务编号"]).value] == f"天荒坪镇{NOTE}"
    guide = [r[0] for r in wb[GUIDE_SHEET].iter_rows(values_only=True)]
    assert SHOWN in guide


def test_only_columns_with_a_value_on_the_units_tasks_are_shown(loop):
    _, files = loop
    ws = openpyxl.load_workbook(files["安吉县递铺街道-财政所"])[PROGRESS_SHEET]
    assert SHOWN not in head_of(ws) and ws.cell(HEAD_ROW, ws.max_column).value == "完成日期"


def test_collecting_leaves_the_notes_and_says_nothing_of_them(loop):
    master, files = loop
    path = files["安吉县天荒坪镇-党政办"]
    before = _master_notes(master)
    fill(path, 1, 状态="进行中", 进展情况="已更新指南初稿")
    fill(path, 3, 进展情况="已更新一季度公开栏")
    # the office changes its note in the master after the split: the unit's untouched copy is no change
    set_master(master, {("安吉县天荒坪镇", 3): {"备注": "每月更新"}})
    assert check_return(path) and not [f for f in check_return(path) if f.code.startswith("collect-own")]
    result = collect([path], master)
    assert not result.findings_of("collect-own-column") and not result.findings_of("collect-reference-changed"), \
        result.message()
    assert result.updated >= 3
    after = _master_notes(master)
    assert after == {**before, ("安吉县天荒坪镇", 3): "每月更新"}
    ws = openpyxl.load_workbook(master)["汇总"]
    head = {c.value: c.column for c in ws[1]}
    assert "已更新指南初稿" in [ws.cell(r, head["进展情况"]).value for r in range(2, ws.max_row + 1)]
    assert SHOWN not in head


def test_a_note_the_unit_changed_is_said_and_not_taken(loop):
    master, files = loop
    path = files["安吉县孝丰镇-党政办"]
    before = _master_notes(master)
    cells = {}

    def change(ws, head, rows):
        ws.cell(rows[1], head[SHOWN]).value = "联系人已改为办公室主任"
        ws.cell(rows[3], head[SHOWN]).value = None           # emptied: a change too
        ws.cell(rows[1], head["进展情况"]).value = "已完成初稿"
        ws.cell(HEAD_ROW, ws.max_column + 1).value = "单位备注"      # a column of the unit's own
        ws.cell(rows[1], ws.max_column).value = "请联系张三"
        cells.update(changed=ws.cell(rows[1], head[SHOWN]).coordinate,
                     emptied=ws.cell(rows[3], head[SHOWN]).coordinate,
                     own=ws.cell(rows[1], ws.max_column).coordinate)
    edit(path, change)
    # validate on the return says it before the unit sends it back, at the same cells
    assert {f.cell for f in check_return(path) if f.code == "collect-reference-changed"} == {cells["changed"],
                                                                                           cells["emptied"]}
    result = collect([path], master)
    changed = {f.cell: f for f in result.findings_of("collect-reference-changed")}
    assert set(changed) == {cells["changed"], cells["emptied"]}, result.message()
    said = changed[cells["changed"]].message()
    assert SHOWN in said and "联系人已改为办公室主任" in said and f"孝丰镇{NOTE}" in said and "不写入汇总表" in said
    assert "改为空白" in changed[cells["emptied"]].message() and "“每季度更新”" in changed[cells["emptied"]].message()
    assert "changed it to blank (sent as '每季度更新')" in changed[cells["emptied"]].message("en")
    (own,) = result.findings_of("collect-own-column")        # the unit's own column is still its own
    assert own.cell == cells["own"] and "请联系张三" in own.message()
    assert _master_notes(master) == before
    assert result.exit_code == 1
    log = [" ".join(str(v) for v in r if v is not None) for r in openpyxl.load_workbook(master)[LOG_SHEET].values]
    assert [r for r in log if "联系人已改为办公室主任" in r and SHOWN in r].__len__() == 1
