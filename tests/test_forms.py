"""Online collection-form exports (issue 23, point 5): 腾讯收集表, 问卷星 and 金山表单 exports,
built as the services write them, read as one unit's report per row; validate, merge
and collect take them, and a person or a phone number is never a unit.  Outputs are read
back with python-calamine (a second reader)."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from conftest import TIANQIAO
from xltools.check.validate import validate_plan
from xltools.cli.app import cli
from xltools.read import load_grids, read_plan
from xltools.read.forms import is_form_export, submitted_at
from xltools.work.loop import collect
from xltools.work.merge import merge

T = dt.datetime
# Two units report on task 3 (the lead and a cooperating unit), one on task 6.
REPORTS = [
    # submitted, unit, person, phone, task number, task text, progress, status
    (T(2024, 6, 28, 10, 13, 5), "区发展改革局", "张伟", "13805310001", 3, "做好绿色低碳高质量发展政策的发布和宣传",
     "已发布政策解读3篇", "进行中"),
    (T(2024, 6, 28, 11, 2, 40), "区生态环境分局", "李娜", "0531-85010002", 3, "做好绿色低碳高质量发展政策的发布和宣传",
     "配合发布环评信息2条", "进行中"),
    (T(2024, 6, 29, 9, 0, 0), "区城管局", "王强", "13905310003", 7, "持续开展生活垃圾分类宣传活动",
     "开展宣传12场", "已完成"),
]


def tencent(path, reports=REPORTS):
    """腾讯收集表 (收集结果): 提交时间（自动） first, questions marked （必填）, 提交者（自动） last."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["提交时间（自动）", "填写单位（必填）", "联系人（必填）", "联系电话（必填）", "任务序号（必填）", "工作任务（必填）",
               "进展情况（必填）", "完成状态（必填）", "存在问题", "提交者（自动）"])
    for when, unit, person, phone, no, text, progress, status in reports:
        ws.append([when, unit, person, phone, no, text, progress, status, "无", f"{person[0]}科长"])
        ws.cell(ws.max_row, 1).number_format = "yyyy/m/d h:mm:ss"
    wb.save(path)
    return path


def wenjuanxing(path):
    """问卷星 (按序号下载 Excel): 序号 numbers the submissions, 提交答卷时间 as text, the service's
    columns, then the questions numbered 1、2、…"""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP", "1、填写单位", "2、您的姓名", "3、手机号",
               "4、任务序号", "5、任务名称", "6、完成情况", "7、状态"])
    for n, (when, unit, person, phone, no, text, progress, status) in enumerate(REPORTS, 1):
        ws.append([n, when.strftime("%Y/%m/%d %H:%M:%S"), "125秒", "微信", "N/A", "36.1.2.3(山东-济南)", unit, person,
                   phone, str(no), text, progress, status])
    wb.save(path)
    return path


def kingsoft(path):
    """金山表单 / WPS 收集表: 序号, 提交者, 提交时间, then the questions."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "提交者", "提交时间", "单位名称", "联系电话", "任务编号", "工作任务", "进展情况", "状态"])
    for n, (when, unit, person, phone, no, text, progress, status) in enumerate(REPORTS, 1):
        ws.append([n, person, when, unit, phone, no, text, progress, status])
    wb.save(path)
    return path


SERVICES = {"腾讯收集表": tencent, "问卷星": wenjuanxing, "金山表单": kingsoft}


@pytest.fixture(params=list(SERVICES))
def export(request, tmp_path):
    return SERVICES[request.param](tmp_path / f"天桥区2024年重点任务进展收集表（{request.param}）.xlsx")


def test_an_export_is_one_units_report_per_row(export):
    plan = read_plan(export)
    sheet = plan.sheets[0]
    assert sheet.layout == "form" and sheet.district == "天桥区"
    assert [t.leads_written for t in plan.tasks] == [(r[1],) for r in REPORTS]
    assert [t.reported_by for t in plan.tasks] == [r[1] for r in REPORTS]
    assert [t.seq for t in plan.tasks] == [3, 3, 7]          # the task's number, not the submission's
    assert [t.requirement for t in plan.tasks] == [r[5] for r in REPORTS]
    assert [t.progress for t in plan.tasks] == [r[6] for r in REPORTS]
    assert [t.reported_at for t in plan.tasks] == [r[0] for r in REPORTS]
    assert plan.tasks[0].submitter in ("张伟", "张科长")      # the person (联系人 or the service's 提交者)
    people = {r[2] for r in REPORTS} | {r[3] for r in REPORTS} | {f"{r[2][0]}科长" for r in REPORTS}
    for task in plan.tasks:   # a person or a phone number is never a unit
        assert not {u.written for u in task.lead_units + task.support_units} & people
    assert validate_plan(plan) == []   # no missing unit, deadline or repeated number on any row


def test_validate_names_an_unknown_unit_in_the_unit_column_only(tmp_path):
    rows = [REPORTS[0], (T(2024, 6, 30, 8, 0), "区发改委员局", "赵六", "13800000000", 4, "消费支持政策信息发布",
                         "推进中", "进行中"), (T(2024, 6, 30, 9, 0), None, "钱七", "13800000001", 5, "城市更新", "x", "进行中")]
    path = tencent(tmp_path / "天桥区收集表.xlsx", rows)
    found = {(f.code, f.cell) for f in validate_plan(read_plan(path))}
    assert found == {("unknown-unit", "B3"), ("missing-units", "B4")}
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1 and "B3" in result.output and "钱七" not in result.output


@pytest.mark.parametrize("text, want", [
    ("2025/6/28 10:13:05", T(2025, 6, 28, 10, 13, 5)), ("2025-06-28 10:13", T(2025, 6, 28, 10, 13)),
    ("2025年6月28日 10:13", T(2025, 6, 28, 10, 13)), ("2025/6/28", dt.date(2025, 6, 28)),
    (T(2025, 6, 28, 10, 13, 5, 120), T(2025, 6, 28, 10, 13, 5)), ("2025/6/31 10:13", None), ("2025/6/28 25:00", None),
    ("昨天", None), (None, None)])
def test_submission_times_as_services_write_them(text, want):
    assert submitted_at(text) == want


def test_merge_keeps_the_unit_and_time_of_every_report(export, tmp_path):
    out = tmp_path / "out" / "汇总.xlsx"
    summary = merge([export], out)
    assert summary.rows_merged == 3
    book = CalamineWorkbook.from_path(out)
    rows = book.get_sheet_by_name("汇总").to_python()
    col = {h: i for i, h in enumerate(rows[0])}
    body = rows[1:]
    assert [r[col["牵头单位"]] for r in body] == [r[1] for r in REPORTS]
    assert [r[col["报送单位"]] for r in body] == [r[1] for r in REPORTS]
    assert [r[col["报送时间"]] for r in body] == [r[0] for r in REPORTS]
    assert len({r[col["任务编号"]] for r in body}) == 3      # two units on task 3: two reports, not a duplicate
    issues = book.get_sheet_by_name("问题清单").to_python()
    assert not [r for r in issues[1:] if r[4] in ("duplicate-task", "missing-units", "unknown-unit", "seq-duplicate")]
    text = "".join(str(v) for r in body for v in r)
    assert not any(r[3] in text for r in REPORTS)             # phone numbers stay in the export


def test_a_master_is_not_an_export(tmp_path):
    """Our master has 报送单位 and 报送时间 columns: it is still read as a table."""
    out = tmp_path / "汇总.xlsx"
    merge([TIANQIAO], out)
    assert not any(is_form_export(g) for g in load_grids(out))
    assert read_plan(out).sheets[0].layout == "table"


def test_collect_takes_an_export_as_returns(tmp_path):
    master = tmp_path / "汇总.xlsx"
    merge([TIANQIAO], master)
    late = (T(2024, 7, 1, 8, 30), "区城管局", "王强", "13905310003", None,
            "持续开展生活垃圾分类进企业、进校园、进社区、进商超、进旅馆、进窗口等宣传活动", "开展宣传15场", "已完成")
    unknown = (T(2024, 6, 29, 10, 0), "区城管局", "王强", "13905310003", 99, "一项没有的任务", "x", "进行中")
    export = tencent(tmp_path / "天桥区进展收集表（收集结果）.xlsx", REPORTS + [late, unknown])
    result = CliRunner().invoke(cli, ["collect", str(export), "--into", str(master)])
    assert result.exit_code == 1, result.output          # one row matches no task: reported
    rows = CalamineWorkbook.from_path(master).get_sheet_by_name("汇总").to_python()
    col = {h: i for i, h in enumerate(rows[0])}
    by_seq = {r[col["序号"]]: r for r in rows[1:]}
    # task 3: both units lead it and agree on its status; their progress differs: collect's own
    # rule for two units' returns holds (a conflict, logged with each unit's words, left open;
    # a task's reports are applied whole or not at all: not even the status they agree on)
    assert by_seq[3][col["状态"]] in (None, "") and by_seq[3][col["进展情况"]] in (None, "")
    # task 7: by number with a shortened text, then by its text alone a day later: the latest stands
    # (已完成 with no 完成日期 is refused as validate refuses it; the progress is written)
    assert by_seq[7][col["进展情况"]] == "开展宣传15场" and by_seq[7][col["状态"]] in (None, "")
    assert by_seq[7][col["报送时间"]] == T(2024, 7, 1, 8, 30)
    assert by_seq[7][col["具体要求"]].startswith("持续开展生活垃圾分类")    # the form names the task, never edits it
    log = CalamineWorkbook.from_path(master).get_sheet_by_name("收集记录").to_python()
    text = "\n".join(" ".join(str(v) for v in r) for r in log)
    assert "99" in text and "13905310003" not in text
    assert "状态填了“已完成”，但没有" in text
    assert "配合发布环评信息2条" in text and "已发布政策解读3篇" in text   # the conflict, word for word
    again = collect([export], master)                      # collecting the same export again changes nothing
    assert again.updated == 0


def test_inspect_says_it_is_an_export_and_who_reported_when(tmp_path):
    path = tencent(tmp_path / "天桥区收集表.xlsx")
    out = CliRunner().invoke(cli, ["inspect", str(path)]).output
    assert "在线收集表的导出" in out and "2024-06-28 10:13:05" in out and "张伟" in out
    data = __import__("json").loads(CliRunner().invoke(cli, ["inspect", "--json", str(path)]).output)
    sheet = data["sheets"][0]
    assert sheet["layout"] == "form" and sheet["columns"]["reported_by"] == "B" and sheet["columns"]["phone"] == "D"
    assert sheet["tasks"][1]["lead_units"] == ["区生态环境分局"] and sheet["tasks"][1]["submitter"] == "李娜"


def test_a_forms_completion_time_is_when_the_work_was_done(tmp_path):
    """A progress form asks 完成时间: the day the unit finished (完成日期), not the deadline;
    a copied 完成时限 stays the deadline.  So 已完成 with its day is collected whole."""
    master = tmp_path / "汇总.xlsx"
    merge([TIANQIAO], master)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["提交时间（自动）", "填写单位（必填）", "任务序号（必填）", "完成时限", "进展情况", "完成状态", "完成时间",
               "提交者（自动）"])
    # task 14, of one lead unit (one of several leads would wait for the others: test_collect_leads)
    ws.append([T(2024, 7, 1, 9, 0), "区教育局", 14, "长期坚持", "开展宣传15场", "已完成", dt.date(2024, 6, 30), "王科长"])
    export = tmp_path / "天桥区收集表.xlsx"
    wb.save(export)
    sheet = read_plan(export).sheets[0]
    assert sheet.layout == "form"
    task = sheet.tasks[0]
    assert task.done_date == dt.date(2024, 6, 30) and task.deadline_raw == "长期坚持"
    summary = collect([export], master)
    assert not [f for f in summary.findings if f.code == "collect-done-without-date"]
    rows = CalamineWorkbook.from_path(master).get_sheet_by_name("汇总").to_python()
    col = {h: i for i, h in enumerate(rows[0])}
    seven = next(r for r in rows[1:] if r[col["序号"]] == 14)
    assert seven[col["状态"]] == "已完成" and seven[col["完成日期"]] == dt.date(2024, 6, 30)
    assert seven[col["进展情况"]] == "开展宣传15场"
