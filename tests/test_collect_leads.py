"""Who completes a task, and what a message quotes (a new user's trial of collect): a task
led by several units is complete when every lead has said so; a supporting unit's 已完成
completes nothing; a refused status holds back the completion date typed with it; every
line quotes what the unit typed (“已办结”), not only the word it was read as.  Real
returns made by split, typed into with openpyxl as a unit would in Excel, collected, and
the master read back with python-calamine."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
import python_calamine as pc
from click.testing import CliRunner

from conftest import TIANQIAO
from loop_fixtures import copy_loop, fill, split_master
from xltools.cli.app import cli
from xltools.work.loop import LOG_SHEET, OPEN_SHEET, collect

D = dt.date
NOW = dt.datetime(2024, 6, 5, 8, 0)
JOINT, ALONE, PAIR = 10, 11, 12          # 序号 of the tasks whose units the fixture sets
LEADS = "区发改委、区财政局、区住建局"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """天桥区's master; task 10 led by three units and supported by 区司法局, task 11 led by
    区财政局 alone, task 12 by 区财政局 and 区住建局; every task 进行中 with progress."""
    def units(master):
        wb = openpyxl.load_workbook(master)
        ws = wb["汇总"]
        head = {c.value: c.column for c in ws[1]}
        for r in range(2, ws.max_row + 1):
            seq = ws.cell(r, head["序号"]).value
            leads, support = {JOINT: (LEADS, "区司法局"), ALONE: ("区财政局", None),
                              PAIR: ("区财政局、区住建局", None)}.get(seq, (None, None))
            if leads:
                ws.cell(r, head["牵头单位"]).value, ws.cell(r, head["配合单位"]).value = leads, support
                ws.cell(r, head["状态"]).value, ws.cell(r, head["进展情况"]).value = "进行中", "正在推进"
        wb.save(master)

    base = tmp_path_factory.mktemp("leads")
    return base, split_master(base, [TIANQIAO], units)


@pytest.fixture
def loop(built, tmp_path):
    return copy_loop(*built, tmp_path)


def by_seq(path, sheet="汇总"):
    rows = pc.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()
    return {r[rows[0].index("序号")]: dict(zip(rows[0], r)) for r in rows[1:]}


def log_lines(path):
    rows = pc.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(LOG_SHEET).to_python()
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def ret(files, unit):
    return next(p for label, p in files.items() if label.endswith(unit))


def test_a_task_of_three_leads_is_complete_when_all_three_say_so(loop):
    master, out, files = loop
    fill(ret(files, "区发改委"), JOINT, 状态="已办结", 完成日期=D(2024, 5, 10), 进展情况="已全部公开")
    fill(ret(files, "区司法局"), JOINT, 状态="已完成", 完成日期=D(2024, 6, 1))       # supports: completes nothing
    first = collect([out], master, now=NOW)
    row = by_seq(master)[JOINT]
    # the status and date wait; the progress the one lead typed is taken
    assert (row["状态"], row["完成日期"], row["进展情况"]) == ("进行中", "", "已全部公开")
    partly = first.findings_of("collect-leads-done-partly")
    assert [f.params["unit"] for f in partly] == ["区发改委"]
    assert "3个牵头单位中1个已报完成（区发改委）" in partly[0].message()
    assert "区财政局、区住建局" in partly[0].message()
    support = first.findings_of("collect-support-done")
    assert [f.params["unit"] for f in support] == ["区司法局"] and LEADS in support[0].message()
    assert first.open_conflicts == 0
    printed = first.message()
    assert "3个牵头单位中1个已报完成（区发改委）" in printed and "区司法局" in printed
    # what each unit reported is in 收集记录, quoted as typed
    said = {line["报送单位"]: line["报送内容"] for line in log_lines(master) if line["类型"] == "提示"
            and line["序号"] == JOINT}
    assert said["区发改委"] == "状态：“已办结”（按已完成处理）；完成日期：2024-05-10"
    assert said["区司法局"] == "状态：已完成；完成日期：2024-06-01"

    # the second lead, collected alone: its 已完成 and the first's (kept in the master) make two of three
    fill(ret(files, "区财政局"), JOINT, 状态="完成", 完成日期=D(2024, 5, 20))
    second = collect([ret(files, "区财政局")], master, now=NOW)
    assert by_seq(master)[JOINT]["状态"] == "进行中" and by_seq(master)[JOINT]["完成日期"] == ""
    assert "3个牵头单位中2个已报完成（区发改委、区财政局）" in second.findings_of("collect-leads-done-partly")[0].message()

    # the third: complete, on the latest of their dates
    fill(ret(files, "区住建局"), JOINT, 状态="已完成", 完成日期=D(2024, 5, 15))
    third = collect([ret(files, "区住建局")], master, now=NOW)
    row = by_seq(master)[JOINT]
    assert (row["状态"], row["完成日期"]) == ("已完成", D(2024, 5, 20))
    assert not third.findings_of("collect-leads-done-partly") and third.open_conflicts == 0
    assert OPEN_SHEET not in openpyxl.load_workbook(master).sheetnames
    assert "3个牵头单位均已报完成" in third.changes[0].to_dict()["note"]
    # collecting everything again changes nothing
    assert collect([out], master, now=NOW).unchanged


def test_leads_not_done_decide_the_status_the_done_ones_wait(loop):
    master, out, files = loop
    fill(ret(files, "区财政局"), PAIR, 状态="已完成", 完成日期=D(2024, 5, 10))
    fill(ret(files, "区住建局"), PAIR, 状态="暂缓", 进展情况="等待资金")
    result = collect([out], master, now=NOW)
    row = by_seq(master)[PAIR]
    assert (row["状态"], row["完成日期"], row["进展情况"]) == ("暂缓", "", "等待资金")
    assert result.open_conflicts == 0 and result.count("collect-conflict") == 0
    assert "2个牵头单位中1个已报完成（区财政局）" in result.findings_of("collect-leads-done-partly")[0].message()
    # the lead that was not done finishes too: complete, on its date (the later)
    fill(ret(files, "区住建局"), PAIR, 状态="已完成", 完成日期=D(2024, 5, 30))
    collect([ret(files, "区住建局")], master, now=NOW)
    row = by_seq(master)[PAIR]
    assert (row["状态"], row["完成日期"]) == ("已完成", D(2024, 5, 30))


def test_a_single_lead_still_completes_its_task_and_is_quoted_as_typed(loop):
    master, out, files = loop
    fill(ret(files, "区财政局"), ALONE, 状态="已办结", 完成日期=D(2024, 5, 31))
    dry = collect([ret(files, "区财政局")], master, now=NOW, dry_run=True)
    assert "进行中 → “已办结”（按已完成处理）（区财政局）" in dry.message()
    collect([ret(files, "区财政局")], master, now=NOW)
    row = by_seq(master)[ALONE]
    assert (row["状态"], row["完成日期"]) == ("已完成", D(2024, 5, 31))
    line = next(x for x in log_lines(master) if x["类型"] == "已更新" and x["列"] == "状态" and x["序号"] == ALONE)
    assert line["报送内容"] == "“已办结”（按已完成处理）"


def test_a_refused_status_holds_back_its_completion_date_not_its_progress(loop):
    master, out, files = loop
    fill(ret(files, "区财政局"), ALONE, 状态="搁置", 完成日期=D(2024, 5, 31), 进展情况="已上线运行")
    result = collect([ret(files, "区财政局")], master, now=NOW)
    row = by_seq(master)[ALONE]
    assert (row["状态"], row["完成日期"], row["进展情况"]) == ("进行中", "", "已上线运行")
    held = result.findings_of("collect-date-held")
    assert len(held) == 1 and held[0].value == "2024-05-31" and "搁置" in held[0].message()
    assert held[0].cell and result.findings_of("collect-unknown-status")[0].value == "搁置"
    # nothing typed is lost: the held date is in 收集记录
    assert any(x["报送内容"] == "2024-05-31" and x["类型"] == "未写入（错误）" for x in log_lines(master))


def test_messages_quote_what_the_unit_typed(loop):
    master, out, files = loop
    # 办结 without a date: refused, and said as typed
    fill(ret(files, "区财政局"), ALONE, 状态="办结")
    # two leads disagree: each is quoted as typed, with the word it was read as
    fill(ret(files, "区财政局"), JOINT, 状态="未启动")
    fill(ret(files, "区发改委"), JOINT, 状态="缓办")
    result = collect([out], master, now=NOW)
    refused = result.findings_of("collect-done-without-date")
    assert [f.value for f in refused] == ["办结"] and "“办结”" in refused[0].message()
    said = {f.params["unit"]: f.params["said"].render("zh") for f in result.findings_of("collect-conflict")}
    assert said == {"区财政局": "状态：“未启动”（按未开始处理）", "区发改委": "状态：“缓办”（按暂缓处理）"}
    assert "“未启动”（按未开始处理）" in result.message()
    res = CliRunner().invoke(cli, ["collect", str(out), "--into", str(master), "--lang", "en"])
    assert "'缓办' (read as 暂缓)" in res.output
    # and the same conflict, told again from the master's hidden sheet, still quotes them
    again = collect([ret(files, "区发改委")], master, now=NOW)
    said = {f.params["unit"]: f.params["said"].render("zh") for f in again.findings_of("collect-conflict")}
    assert said["区财政局"] == "状态：“未启动”（按未开始处理）"
