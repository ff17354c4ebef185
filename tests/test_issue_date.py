"""The plan's issue date (印发日期) comes only from the lines around its task table: its title
rows (a date line under the title, 发文日期：…), its footer (…2026年2月10日印发), a 通知 sheet —
never from a task's deadline cell (trial 3, B1: a deadline typed as text, 2026年9月30日, was
taken for the issue date, so 本文件印发后30日内 fell on 2026-10-30 and the warning went away;
every plan new-plan wrote read back with an invented issue date)."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from click.testing import CliRunner

from xltools.cli.app import cli
from xltools.check.validate import validate_plan
from xltools.read import read_plan
from xltools.read.context import issued_in, states_issue


def validate_file(path):
    return validate_plan(read_plan(path))

TITLE = "2026年平阴县榆山街道政务公开工作要点任务分解表"
HEADER = ["序号", "工作任务", "具体要求", "牵头单位", "配合单位", "完成时限"]
TASKS = [
    [1, "财政信息公开", "按时公开预决算信息", "财政所", "党政办公室", "2026年6月底前"],
    [2, "民生信息公开", "公开救助审批结果", "社会事务办公室", "民政所", "2026年9月30日"],   # text, not a date cell
    [3, "民生信息公开", "做好征地拆迁补偿信息公开", "城建办", "自然资源所", "本文件印发后30日内"],
    [4, "平台建设", "开展政务公开培训", "党政办公室", None, "2026年12月15日"],
]


def _plan(path, above=(), below=(), notice=None, other=None):
    wb = openpyxl.Workbook()
    if notice is not None:
        ws = wb.active
        ws.title = "通知"
        for line in notice:
            ws.append([line])
        ws = wb.create_sheet("任务分解表")
    else:
        ws = wb.active
        ws.title = "任务分解表"
    ws.append([TITLE])
    for line in above:
        ws.append(line if isinstance(line, list) else [line])
    ws.append(HEADER)
    for row in TASKS:
        ws.append(row)
    for line in below:
        ws.append(line if isinstance(line, list) else [line])
    if other is not None:
        ws2 = wb.create_sheet(other[0])
        for row in other[1]:
            ws2.append(row)
    wb.save(path)
    return path


def _issued(path):
    plan = read_plan(path)
    return plan.sheets[0].issued, {t.seq: t.deadline.due for t in plan.sheets[0].tasks}


def test_a_deadline_typed_as_text_is_no_issue_date(tmp_path):
    path = _plan(tmp_path / "无印发行.xlsx")
    issued, due = _issued(path)
    assert issued is None
    assert due[2] == dt.date(2026, 9, 30) and due[3] is None
    codes = [(f.code, f.cell) for f in validate_file(path)]
    assert ("needs-issue-date", "F5") in codes


@pytest.mark.parametrize("where, lines, issued", [
    ("footer", {"below": ["抄送：县委办", "平阴县榆山街道办事处党政办公室  2026年2月10日印发"]}, dt.date(2026, 2, 10)),
    ("footer-label", {"below": ["发文日期：2026年2月11日"]}, dt.date(2026, 2, 11)),
    ("date-under-title", {"above": ["2026年2月12日"]}, dt.date(2026, 2, 12)),
    ("label-under-title", {"above": [["发文日期：", None, None, "2026-02-13"]]}, None),   # the date in another cell: not said
    ("label-under-title-one-cell", {"above": ["发文日期：2026-02-13"]}, dt.date(2026, 2, 13)),
    ("notice-sheet", {"notice": ["关于印发…的通知", "现印发给你们。", "平阴县榆山街道办事处", "2026年2月14日"]},
     dt.date(2026, 2, 14)),
    # a sheet beside the plan holding dates in a table of its own (new-plan's 变更说明) states no issue date
    ("changes-sheet", {"other": ("变更说明", [["序号", "原完成时限", "新完成时限", "说明"],
                                              [2, "2025年9月30日", "2026年9月30日", "年份顺延"]])}, None),
])
def test_the_issue_date_comes_from_the_lines_around_the_table(tmp_path, where, lines, issued):
    path = _plan(tmp_path / f"{where}.xlsx", **lines)
    got, due = _issued(path)
    assert got == issued
    assert due[3] == (issued + dt.timedelta(days=30) if issued else None)
    assert due[2] == dt.date(2026, 9, 30)


def test_the_sheets_footer_goes_before_the_notice(tmp_path):
    path = _plan(tmp_path / "两处.xlsx", below=["2026年3月1日印发"], notice=["通知", "2026年2月14日"])
    assert _issued(path)[0] == dt.date(2026, 3, 1)


@pytest.mark.parametrize("rows, issued", [
    (["2024年6月25日印发"], dt.date(2024, 6, 25)),
    (["济南市天桥区人民政府办公室\u3000\u30002024年6月25日印发"], dt.date(2024, 6, 25)),
    (["印发日期：2024年6月25日"], dt.date(2024, 6, 25)),
    (["成文日期 2024.6.25"], dt.date(2024, 6, 25)),
    (["２０２４年６月２５日"], dt.date(2024, 6, 25)),         # full-width, a line of its own
    ([[dt.datetime(2024, 6, 25)]], dt.date(2024, 6, 25)),    # a date cell alone in its row
    ([[3, "任务", "2024年6月25日"]], None),                   # a date among other cells: a task's
    (["2024年6月25日前完成"], None),
    (["2024年2月30日印发"], None),
])
def test_what_counts_as_an_issue_date_line(rows, issued):
    assert issued_in(rows) == issued


def test_a_footer_line_is_told_by_the_same_rule():
    assert states_issue("平阴县榆山街道办事处  2026年2月10日印发")
    assert states_issue("发文日期：2026年2月10日")
    assert not states_issue("2026年2月10日")
    assert not states_issue("印发《政务公开工作要点》")


def test_a_plan_new_plan_wrote_is_read_back_without_an_issue_date(tmp_path):
    """new-plan moves 2026年9月30日 on to 2027年9月30日, text in the table; read back, the plan
    has no issue date and 本文件印发后30日内 is told as needing one (trial 3: 2027-09-30)."""
    source = _plan(tmp_path / "2026榆山.xlsx", below=["2026年2月10日印发"])
    out = tmp_path / "2027计划.xlsx"
    result = CliRunner().invoke(cli, ["new-plan", "--year", "2027", "--from", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(out).worksheets[0]
    assert "2027年9月30日" in [c.value for row in ws.iter_rows() for c in row]   # a text deadline in the plan
    plan = read_plan(out)
    sheet = plan.sheets[0]
    assert sheet.issued is None
    assert [t.deadline.problem for t in sheet.tasks if "印发后" in (t.deadline_raw or "")] == ["needs-issue-date"]
    assert "needs-issue-date" in {f.code for f in validate_file(out)}
    # the clerk writes the issue date under the title, as the 变更说明 asks: now it is read
    wb = openpyxl.load_workbook(out)
    ws = wb.worksheets[0]
    ws.insert_rows(2)
    ws["A2"] = "2027年2月1日"
    wb.save(out)
    assert read_plan(out).sheets[0].issued == dt.date(2027, 2, 1)
