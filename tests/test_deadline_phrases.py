"""Deadline phrases a new user's county, city and province sheets held, and their kin from
Chinese government work plans: a start (2025年7月1日起: ongoing from then, never due), a
recurring day inside each period (每季度首月10日前: 1月、4月、7月、10月的10日), a first deadline
and then a recurring report (3月底前完成方案，每季度报送进展), a year written without 年
(2025第三季度), and words that only point elsewhere (按上级要求).  Read by the one grammar,
xltools/rules/deadlines.py; checked through validate, inspect and flag on real workbooks."""
from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import given, strategies as st
from python_calamine import CalamineWorkbook

from xltools.cli.app import cli
from xltools.rules.deadlines import DeadlineKind, off_plan_year, parse_deadline, shift_years, years_in
from xltools.rules.warning import warning_of
from xltools.work.flag import flag_file

D = dt.date
DATE, ONG, REC, REL, UNK = (DeadlineKind.DATE, DeadlineKind.ONGOING, DeadlineKind.RECURRING,
                            DeadlineKind.RELATIVE, DeadlineKind.UNKNOWN)
AS_OF = D(2025, 5, 20)
ISSUED = D(2025, 3, 12)


# --- 1, 2: a start is ongoing from its day, never due ---------------------------------
# (text, plan year, start)
STARTS = [
    ("2025年7月1日起", 2025, D(2025, 7, 1)),
    ("自2025年7月1日起", None, D(2025, 7, 1)),
    ("从2025年7月起", None, D(2025, 7, 1)),
    ("2025年7月起", None, D(2025, 7, 1)),
    ("2025年7月开始", None, D(2025, 7, 1)),
    ("2025年以来", None, D(2025, 1, 1)),
    ("2025年起", None, D(2025, 1, 1)),
    ("2025年7月1日起实施", None, D(2025, 7, 1)),
    ("2025年7月1日起施行。", None, D(2025, 7, 1)),
    ("7月起", 2025, D(2025, 7, 1)),
    ("2025.7.1起", None, D(2025, 7, 1)),
    ("三季度起", 2025, D(2025, 7, 1)),
    ("下半年开始", 2025, D(2025, 7, 1)),
    ("2025年7月中旬起", None, D(2025, 7, 11)),
    ("二〇二五年七月一日起", None, D(2025, 7, 1)),
    # with ongoing words, however joined
    ("2025年10月起长期坚持", 2025, D(2025, 10, 1)),
    ("自2025年10月起长期坚持", None, D(2025, 10, 1)),
    ("2025年10月起，长期坚持", None, D(2025, 10, 1)),
    ("2025年10月起持续推进", None, D(2025, 10, 1)),
    ("长期坚持（2025年10月起）", None, D(2025, 10, 1)),
    ("自印发之日起施行", None, ISSUED),
]


@pytest.mark.parametrize("text,year,start", STARTS)
def test_start_is_ongoing_from_its_day(text, year, start):
    d = parse_deadline(text, year=year, issued=ISSUED)
    assert (d.kind, d.due, d.ongoing, d.problem, d.start, d.stages) == (ONG, None, True, None, start, ())
    # never due, never overdue: before, on and long after its day
    for as_of in (start - dt.timedelta(days=30), start, start + dt.timedelta(days=400)):
        assert warning_of(d, as_of=as_of) == "ongoing"


def test_start_without_its_year_or_issue_date():
    """No day guessed: the problem is told, and the task is still ongoing."""
    d = parse_deadline("7月起")
    assert (d.kind, d.due, d.ongoing, d.problem, d.detail, d.start) == (ONG, None, True, "needs-year", {"month": 7}, None)
    d = parse_deadline("2025年13月起")
    assert (d.kind, d.due, d.problem, d.detail) == (ONG, None, "impossible-date", {"year": 2025, "month": 13})
    d = parse_deadline("自印发之日起施行")          # when it was issued matters to no warning
    assert (d.kind, d.ok, d.start) == (ONG, True, None)


# (text, as_of, due, start): reported each period from the start on, never before it
RECURRING_FROM = [
    ("2025年1月起每季度", AS_OF, D(2025, 6, 30), D(2025, 1, 1)),
    ("2025年10月起每月10日前报送上月进展", AS_OF, D(2025, 10, 10), D(2025, 10, 1)),
    ("自2025年7月起，每季度首月10日前报送", AS_OF, D(2025, 7, 10), D(2025, 7, 1)),
    ("2025年7月1日起，每月10日前报送", AS_OF, D(2025, 7, 10), D(2025, 7, 1)),
    ("2025年起每年6月底前报送", D(2025, 8, 1), D(2026, 6, 30), D(2025, 1, 1)),
]


@pytest.mark.parametrize("text,as_of,due,start", RECURRING_FROM)
def test_recurring_from_a_start(text, as_of, due, start):
    d = parse_deadline(text, as_of=as_of)
    assert (d.kind, d.due, d.ongoing, d.problem, d.start) == (REC, due, True, None, start)


# (text, plan year, kind, due, stages, ongoing, start): a start beside a deadline
START_AND_DATE = [
    ("2025年3月起，6月底前完成", None, DATE, D(2025, 6, 30), (), False, D(2025, 3, 1)),   # from March, due in June
    ("3月底前完成方案，4月起全面推行", 2025, DATE, D(2025, 3, 31), (), True, D(2025, 4, 1)),
    ("3月底前完成方案，4月起长期坚持", 2025, DATE, D(2025, 3, 31), (), True, D(2025, 4, 1)),
    ("2025年6月至12月", None, DATE, D(2025, 12, 31), (), False, D(2025, 6, 1)),            # a range: its first day
    ("2025年7月1日至12月31日", None, DATE, D(2025, 12, 31), (), False, D(2025, 7, 1)),
    ("自2025年3月起至6月底", None, DATE, D(2025, 6, 30), (), False, D(2025, 3, 1)),
    ("三季度至四季度", 2025, DATE, D(2025, 12, 31), (), False, D(2025, 7, 1)),
]


@pytest.mark.parametrize("text,year,kind,due,stages,ongoing,start", START_AND_DATE)
def test_start_beside_a_deadline(text, year, kind, due, stages, ongoing, start):
    d = parse_deadline(text, year=year)
    assert (d.kind, d.due, d.stages, d.ongoing, d.problem, d.start) == (kind, due, stages, ongoing, None, start)


def test_a_deadline_is_no_start():
    """Only 起/开始/以来 start: a plain due date has none, and is overdue after it."""
    for text in ("2025年7月1日前", "2025年7月底前完成", "2025年9月底前完成，长期坚持", "每季度"):
        assert parse_deadline(text, year=2025, as_of=AS_OF).start is None
    assert warning_of(parse_deadline("2025年7月1日前"), as_of=D(2025, 8, 1)) == "overdue"


# --- 3: a day inside each period ------------------------------------------------------
# (text, as_of, due, detail)
RECURRING = [
    ("每季度首月10日前", AS_OF, D(2025, 7, 10), {"period": "quarter", "nth_month": 1, "day": 10}),
    ("每季度首月10日前", D(2025, 1, 10), D(2025, 1, 10), {"period": "quarter", "nth_month": 1, "day": 10}),
    ("每季度首月10日前", D(2025, 10, 11), D(2026, 1, 10), {"period": "quarter", "nth_month": 1, "day": 10}),
    ("每季度首月15日前报送上季度进展", AS_OF, D(2025, 7, 15), {"period": "quarter", "nth_month": 1, "day": 15}),
    ("每季度第一个月10日前", AS_OF, D(2025, 7, 10), {"period": "quarter", "nth_month": 1, "day": 10}),
    ("每季度10日前", AS_OF, D(2025, 7, 10), {"period": "quarter", "day": 10}),      # the quarter's 10th day
    ("每季度次月10日前报送上季度数据", AS_OF, D(2025, 7, 10), {"period": "quarter", "nth_month": 4, "day": 10}),
    ("每季度结束后次月10日前", AS_OF, D(2025, 7, 10), {"period": "quarter", "nth_month": 4, "day": 10}),
    ("每季度结束后10日内", AS_OF, D(2025, 7, 10), {"period": "quarter", "n": 10, "unit": "day"}),
    ("每季度结束后5个工作日内", AS_OF, D(2025, 7, 7), {"period": "quarter", "n": 5, "unit": "workday"}),
    ("每月结束后5个工作日内", AS_OF, D(2025, 6, 6), {"period": "month", "n": 5, "unit": "workday"}),
    ("每季度末月20日前", AS_OF, D(2025, 6, 20), {"period": "quarter", "nth_month": 3, "day": 20}),
    ("每季度最后一个月20日前", D(2025, 6, 21), D(2025, 9, 20), {"period": "quarter", "nth_month": 3, "day": 20}),
    ("每月5日前", AS_OF, D(2025, 6, 5), {"period": "month", "day": 5}),
    ("每月上旬", AS_OF, D(2025, 6, 10), {"period": "month"}),
    ("每半年", AS_OF, D(2025, 6, 30), {"period": "half-year"}),
    ("每半年", D(2025, 7, 1), D(2025, 12, 31), {"period": "half-year"}),
    ("每年6月底前", AS_OF, D(2025, 6, 30), {"period": "year", "month": 6}),
    ("每年6月底前", D(2025, 7, 1), D(2026, 6, 30), {"period": "year", "month": 6}),
    ("每年一季度", AS_OF, D(2026, 3, 31), {"period": "year", "month": 3}),
    ("每周一", AS_OF, D(2025, 5, 26), {"period": "week", "weekday": 1}),
    ("每周五前", AS_OF, D(2025, 5, 23), {"period": "week", "weekday": 5}),
    ("每季度末", AS_OF, D(2025, 6, 30), {"period": "quarter"}),
    ("每月底前", AS_OF, D(2025, 5, 31), {"period": "month"}),
    ("每月月底前", AS_OF, D(2025, 5, 31), {"period": "month"}),
    ("每年年底前", AS_OF, D(2025, 12, 31), {"period": "year"}),
    ("每季度季末", AS_OF, D(2025, 6, 30), {"period": "quarter"}),
    ("每季度报送2次", AS_OF, D(2025, 6, 30), {"period": "quarter"}),        # what is done, no time
    ("每个季度第一个月的10日前", AS_OF, D(2025, 7, 10), {"period": "quarter", "nth_month": 1, "day": 10}),
]


@pytest.mark.parametrize("text,as_of,due,detail", RECURRING)
def test_recurring_day_in_each_period(text, as_of, due, detail):
    d = parse_deadline(text, as_of=as_of)
    assert (d.kind, d.due, d.ongoing, d.problem, d.detail) == (REC, due, True, None, detail)


@given(st.sampled_from([("首月", (1, 4, 7, 10)), ("第一个月", (1, 4, 7, 10)), ("末月", (3, 6, 9, 12)),
                        ("次月", (1, 4, 7, 10))]),
       st.integers(1, 28), st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 10, 1)))
def test_quarter_day_is_the_next_one(nth, day, as_of):
    word, months = nth
    d = parse_deadline(f"每季度{word}{day}日前", as_of=as_of)
    assert d.kind is REC and d.ok
    assert d.due >= as_of and (d.due - as_of).days < 92 and d.due.month in months and d.due.day == day


# Phrases whose time the grammar cannot place: reported, never read as the period's end.
@pytest.mark.parametrize("text", ["每季度前10个工作日", "每季度中旬", "每年10日前", "每月首月5日", "每三月",
                                  "每季度召开会议10日前", "每年年初", "每年月底"])
def test_recurring_time_not_read_is_told(text):
    d = parse_deadline(text, as_of=AS_OF)
    assert (d.kind, d.due, d.problem) == (UNK, None, "unparseable")


# --- 4: a first deadline and then a recurring report ----------------------------------
# (text, plan year, due, stages, recurring detail)
THEN_RECURRING = [
    ("3月底前完成方案，每季度报送进展", 2025, D(2025, 3, 31), (), {"period": "quarter"}),
    ("3月底前启动，每月10日前报送", 2024, D(2024, 3, 31), (), {"period": "month", "day": 10}),
    ("3月底前启动。每月10日前报送", 2024, D(2024, 3, 31), (), {"period": "month", "day": 10}),
    ("2025年6月底前出台方案；每季度首月10日前报送上季度进展", None, D(2025, 6, 30), (),
     {"period": "quarter", "nth_month": 1, "day": 10}),
    ("6月底前完成方案，12月底前全面完成，每半年报送一次", 2025, D(2025, 12, 31), (D(2025, 6, 30), D(2025, 12, 31)),
     {"period": "half-year"}),
]


@pytest.mark.parametrize("text,year,due,stages,recurring", THEN_RECURRING)
def test_deadline_then_recurring_report(text, year, due, stages, recurring):
    d = parse_deadline(text, year=year, as_of=AS_OF)
    assert (d.kind, d.due, d.stages, d.ongoing, d.problem) == (DATE, due, stages, True, None)
    assert d.detail == {"recurring": recurring}
    # due at the date; afterwards reported each period, like "…完成，长期坚持": not overdue
    assert warning_of(d, as_of=due - dt.timedelta(days=3)) == "soon"
    assert warning_of(d, as_of=due + dt.timedelta(days=30)) == "ongoing"


@pytest.mark.parametrize("text", ["每年2月30日前，每季度报送进展", "3月底前完成方案，每年2月30日前报送"])
def test_an_impossible_report_day_is_told(text):
    """(it raised TypeError before: two recurring phrases, one without a date)"""
    d = parse_deadline(text, year=2025, as_of=AS_OF)
    assert (d.due, d.problem, d.detail) == (None, "impossible-date", {"period": "year", "month": 2, "day": 30})


def test_deadline_then_recurring_without_a_year_is_told():
    d = parse_deadline("3月底前完成方案，每季度报送进展")
    assert (d.due, d.ongoing, d.problem) == (None, True, "needs-year")


# --- 5: quarters and half years, with or without 年 ------------------------------------
@pytest.mark.parametrize("text,due", [
    ("2025第三季度", D(2025, 9, 30)),
    ("2025第三季度末", D(2025, 9, 30)),
    ("2025第3季度", D(2025, 9, 30)),
    ("2025三季度", D(2025, 9, 30)),
    ("2025第四季度前", D(2025, 12, 31)),
    ("2025上半年", D(2025, 6, 30)),
    ("2025年第三季度", D(2025, 9, 30)),
    ("2025年三季度", D(2025, 9, 30)),
    ("2025年3季度", D(2025, 9, 30)),
    ("2025年Q3", D(2025, 9, 30)),
    ("三季度", D(2025, 9, 30)),
    ("第三季度末", D(2025, 9, 30)),
    ("2025第一季度至第二季度", D(2025, 6, 30)),
])
def test_quarter_with_or_without_nian(text, due):
    d = parse_deadline(text, year=2025)
    assert (d.kind, d.due, d.problem) == (DATE, due, None)


def test_year_without_nian_is_a_written_year():
    """new-plan moves it on, and a typo in it is caught like any written year."""
    assert years_in("2025第三季度") == [2025]
    assert shift_years("2025第三季度", 1) == "2026第三季度"
    assert off_plan_year(parse_deadline("2015第三季度"), 2025) == "2025第三季度"
    assert parse_deadline("20253季度").problem == "unparseable"      # digits run together: not a year


# --- other phrases plans use ----------------------------------------------------------
# (text, plan year, kind, due, ongoing, problem)
OTHERS = [
    ("到2027年", None, DATE, D(2027, 12, 31), False, None),          # 到2035年: a long-range goal
    ("到2025年底", None, DATE, D(2025, 12, 31), False, None),
    ("至2025年底前", None, DATE, D(2025, 12, 31), False, None),
    ("当年", 2025, DATE, D(2025, 12, 31), False, None),
    ("当年完成", 2025, DATE, D(2025, 12, 31), False, None),
    ("次年", 2025, DATE, D(2026, 12, 31), False, None),
    ("2025年汛期前", None, DATE, D(2025, 5, 31), False, None),         # was read as 2025年 + "汛期前"; 主汛期 from 6月1日
    ("2025年春节前完成", None, DATE, D(2025, 1, 28), False, None),      # 2025年春节: 1月29日 (lunar calendar)
    ("即时办理", None, UNK, None, False, "vague-deadline"),
    ("随到随办", None, UNK, None, False, "vague-deadline"),
    ("按上级要求", None, UNK, None, False, "vague-deadline"),
    ("按上级要求完成", None, UNK, None, False, "vague-deadline"),
    ("根据上级部署", None, UNK, None, False, "vague-deadline"),
    ("按照省市统一部署", None, UNK, None, False, "vague-deadline"),
    ("按省里要求", None, UNK, None, False, "vague-deadline"),
    ("以上级通知为准", None, UNK, None, False, "vague-deadline"),
    ("立即整改", None, REL, None, False, "needs-issue-date"),         # as 立行立改: from the issue date
    ("3月底前起草方案", 2025, DATE, D(2025, 3, 31), False, None),      # 起草 drafts: no start
    ("3月起草方案", 2025, DATE, D(2025, 3, 31), False, None),
    ("6月底前开始试运行", 2025, DATE, D(2025, 6, 30), False, None),    # begun by then: due
    ("2025年6月底前开始实施，长期坚持", None, DATE, D(2025, 6, 30), True, None),
    ("年底前", 2025, DATE, D(2025, 12, 31), False, None),
    ("上半年", 2025, DATE, D(2025, 6, 30), False, None),
    ("2025年9月底前完成，长期坚持", None, DATE, D(2025, 9, 30), True, None),
    ("2025年底前，长期坚持", None, DATE, D(2025, 12, 31), True, None),
]


@pytest.mark.parametrize("text,year,kind,due,ongoing,problem", OTHERS)
def test_other_plan_phrases(text, year, kind, due, ongoing, problem):
    d = parse_deadline(text, year=year, as_of=AS_OF)
    assert (d.kind, d.due, d.ongoing, d.problem) == (kind, due, ongoing, problem)


def test_at_once_counts_from_the_issue_date():
    assert parse_deadline("立即整改", issued=ISSUED).due == ISSUED


# --- through validate, inspect and flag, on a real workbook ----------------------------
ROWS = [["2025年历城区重点工作任务分解表"], ["序号", "具体要求", "责任单位", "完成时限", "状态"],
        [1, "甲。", "区财政局", "2025年7月1日起", None],                      # row 3
        [2, "乙。", "区财政局", "2025年10月起长期坚持", None],                # row 4
        [3, "丙。", "区财政局", "每季度首月10日前", None],                    # row 5
        [4, "丁。", "区财政局", "3月底前完成方案，每季度报送进展", None],      # row 6
        [5, "戊。", "区财政局", "2025第三季度", None],                        # row 7
        [6, "己。", "区财政局", "按上级要求", None],                          # row 8
        [7, "庚。", "区财政局", "2025年汛期前", None]]                        # row 9


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def test_validate_and_inspect_read_them(xlsx):
    path = xlsx({"任务": ROWS})
    out = run("validate", path).output
    for row in range(3, 8):
        assert f"任务!D{row} " not in out, out          # read: nothing to report
    assert "任务!D8  完成时限“按上级要求”没有具体时间，无法判断是否逾期。" in out
    assert "建议：请写明截止日期，如“2025年9月底前”。" in out
    assert "任务!D9 " not in out                         # 2025年汛期前: before 6月1日 (test_words_trial)
    tasks = json.loads(run("inspect", path, "--json").output)["sheets"][0]["tasks"]
    got = [(t["deadline_kind"], t["due"], t["ongoing"], t["start"]) for t in tasks[:5]]
    assert got == [("ongoing", None, True, "2025-07-01"), ("ongoing", None, True, "2025-10-01"),
                   ("recurring", got[2][1], True, None), ("date", "2025-03-31", True, None),
                   ("date", "2025-09-30", False, None)]
    assert got[2][1][5:] in ("01-10", "04-10", "07-10", "10-10")


def test_flag_never_marks_a_start_overdue(xlsx):
    """截止日期 stays empty for a start (as for 长期坚持) and its 预警 is 持续推进 whatever the
    day; a first deadline with a recurring report afterwards is not 逾期 once passed."""
    path = xlsx({"任务": ROWS})
    flag_file(path, as_of=D(2025, 11, 20))
    grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("任务").to_python()
    head = grid[1]
    due, warn = head.index("截止日期"), head.index("预警")
    assert [grid[r][due] for r in (2, 3, 4)] == ["", "", ""]
    assert grid[5][due] == D(2025, 3, 31) and grid[6][due] == D(2025, 9, 30)
    ws = openpyxl.load_workbook(path)["任务"]
    formulas = {r: ws.cell(r + 1, warn + 1).value for r in (2, 3, 4, 5, 6)}
    for r in (2, 3, 4):
        assert "持续推进" in formulas[r] and "逾期" not in formulas[r]
    assert "逾期" not in formulas[5] and "逾期" in formulas[6]   # 3月底前…每季度报送 / 2025第三季度
