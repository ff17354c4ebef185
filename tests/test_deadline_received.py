"""A time counted from something received (trial 3, B6: 收到留言后5个工作日内 was "unreadable",
though 自收到申请之日起20个工作日内 and 接到举报后24小时内 were read).  What is received decides
whose time it is: the plan's notice itself (收到通知之日起10日内, 接到本通知后, 自收到之日起) is
counted from the issue date, as 本文件印发后30日内; any other thing received (留言, 投诉, 举报,
申请, 来信, 转办件, 上级通知 …) or a case taken up (受理) starts a time of each case: a standing
rule, ongoing, never overdue.  Measured on generated variants: event nouns × forms × amounts."""
from __future__ import annotations

import datetime as dt
import itertools

import pytest

from xltools.rules.deadlines import DeadlineKind, parse_deadline

ISSUED = dt.date(2026, 2, 10)
AS_OF = dt.date(2026, 12, 7)
# things a unit receives, case by case
CASES = ["留言", "投诉", "举报", "申请", "来信", "转办件", "交办件", "群众留言", "网民留言", "政府信息公开申请",
         "依申请公开申请", "12345热线转办件", "督办单", "工单", "信访件", "意见建议", "上级通知", "批示", "咨询",
         "来电", "诉求", "问题线索", "整改通知书", "市长信箱来信", "人大代表建议", "政协提案", "反馈意见"]
# the plan's own notice: counted from the issue date
NOTICE = ["通知", "本通知", "文件", "本文件", "", "该通知", "方案"]
# (before the thing, after it)
FORMS = [("收到", "后"), ("收到", "之日起"), ("自收到", "之日起"), ("接到", "后"), ("接到", "之日起"),
         ("从接到", "之日起"), ("收到", "以后"), ("接收", "后")]
AMOUNTS = [("5个工作日内", 5, "workday"), ("10日内", 10, "day"), ("3天内", 3, "day"), ("24小时内", 24, "hour"),
           ("十五个工作日以内", 15, "workday"), ("1个月内", 1, "month"), ("7个自然日之内", 7, "day"),
           ("48个小时内", 48, "hour"), ("2周内", 2, "week")]
TAILS = ["", "办结", "予以答复", "回复"]


def variants(things):
    for thing, (before, after), (amount, n, unit) in itertools.product(things, FORMS, AMOUNTS):
        yield before + thing + after + amount, n, unit


def test_counted_from_each_case_whatever_is_received():
    texts = list(variants(CASES))
    assert len(texts) == 27 * 8 * 9
    wrong = []
    for (text, n, unit), tail in zip(texts, itertools.cycle(TAILS)):
        d = parse_deadline(text + tail, year=2026, issued=ISSUED, as_of=AS_OF)
        if (d.kind, d.due, d.ongoing, d.problem, d.detail) != (DeadlineKind.ONGOING, None, True, None,
                                                             {"n": n, "unit": unit}):
            wrong.append((text + tail, d.kind, d.problem))
    assert wrong == []


def test_counted_from_the_notice_as_from_its_issue():
    for text, n, unit in variants(NOTICE):
        d = parse_deadline(text, year=2026, issued=ISSUED, as_of=AS_OF)
        assert (d.kind, d.problem, d.detail) == (DeadlineKind.RELATIVE, None, {"n": n, "unit": unit}), text
        assert d.due == parse_deadline("本文件印发后" + text.split("后")[-1].split("起")[-1], issued=ISSUED).due \
            or unit in ("hour", "week"), text
        assert parse_deadline(text, year=2026).problem == "needs-issue-date", text


@pytest.mark.parametrize("text, due", [
    ("收到通知后24小时内", dt.date(2026, 2, 11)),      # within the next day
    ("收到通知后48小时内", dt.date(2026, 2, 12)),
    ("收到通知后2周内", dt.date(2026, 2, 24)),
    ("本文件印发后1周内", dt.date(2026, 2, 17)),
    ("收到通知之日起10日内", dt.date(2026, 2, 20)),    # as before
])
def test_hours_and_weeks_after_the_notice(text, due):
    assert parse_deadline(text, year=2026, issued=ISSUED).due == due


@pytest.mark.parametrize("text", ["收到留言后5个工作日内", "受理后20个工作日内", "自受理之日起20个工作日内",
                                  "收到群众的留言后3个工作日内回复"])
def test_the_trials_and_taking_up_a_case(text):
    d = parse_deadline(text, year=2026, issued=ISSUED)
    assert (d.kind, d.ongoing, d.due) == (DeadlineKind.ONGOING, True, None)


@pytest.mark.parametrize("text", ["收到留言后尽快", "收到留言后5个工作日", "收到2026年留言后5日内",
                                  "收到留言后5个工作日内完成2026年9月底前的整改"])
def test_not_a_time_of_each_case(text):
    """No amount, no 内, a date in what is received or in the tail: not this rule."""
    d = parse_deadline(text, year=2026, issued=ISSUED)
    assert d.kind is not DeadlineKind.ONGOING or d.detail.get("n") is None


def test_a_towns_sheet_read_and_checked(tmp_path):
    """玫瑰镇's sheet (trial 3): 收到留言后5个工作日内 is ongoing, not a finding; the notice's
    收到通知之日起10日内 beside it is still counted from the issue date under the title."""
    import openpyxl

    from xltools.check.validate import validate_plan
    from xltools.read import read_plan

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2026年平阴县玫瑰镇政务公开工作任务台账"])
    ws.append(["2026年2月10日"])
    ws.append(["序号", "工作任务", "具体要求", "责任单位", "完成时限"])
    ws.append([1, "政策解读与回应", "办理政务公开信箱留言", "党政办公室", "收到留言后5个工作日内"])
    ws.append([2, "政策解读与回应", "报送联络员名单", "党政办公室", "收到通知之日起10日内"])
    ws.append([3, "依申请公开", "答复依申请公开", "党政办公室", "自收到申请之日起20个工作日内予以答复"])
    path = tmp_path / "玫瑰镇.xlsx"
    wb.save(path)
    plan = read_plan(path)
    tasks = plan.sheets[0].tasks
    assert [(t.deadline.kind, t.deadline.due) for t in tasks] == [
        (DeadlineKind.ONGOING, None), (DeadlineKind.RELATIVE, dt.date(2026, 2, 20)), (DeadlineKind.ONGOING, None)]
    assert [f for f in validate_plan(plan) if f.cell and f.cell.startswith("E")] == []
