import calendar
import datetime as dt

import pytest
from hypothesis import given, strategies as st

from xltools.rules.deadlines import Deadline, DeadlineKind, parse_deadline, shift_years, years_in

D = dt.date
DATE, ONG, REC, REL, UNK = (DeadlineKind.DATE, DeadlineKind.ONGOING, DeadlineKind.RECURRING,
                            DeadlineKind.RELATIVE, DeadlineKind.UNKNOWN)
ISSUED = D(2022, 6, 10)  # a Friday
AS_OF = D(2024, 5, 15)  # a Wednesday
FULL_WIDTH = str.maketrans("0123456789./-", "０１２３４５６７８９．／－")

# (text, plan year, kind, due, ongoing, problem)
CASES = [
    # seeds
    ("2024年12月底前", None, DATE, D(2024, 12, 31), False, None),
    ("2024 年 12 月底前", None, DATE, D(2024, 12, 31), False, None),
    ("12月底前", 2024, DATE, D(2024, 12, 31), False, None),
    ("9月底前", 2024, DATE, D(2024, 9, 30), False, None),
    ("2022年年底前", None, DATE, D(2022, 12, 31), False, None),
    ("2022年年底", None, DATE, D(2022, 12, 31), False, None),
    ("2022年年底 前", None, DATE, D(2022, 12, 31), False, None),
    ("2022 年年底 前", None, DATE, D(2022, 12, 31), False, None),
    ("全年", 2022, DATE, D(2022, 12, 31), False, None),
    ("长期坚持", None, ONG, None, True, None),
    ("2022年9月底前完成，长期坚持", None, DATE, D(2022, 9, 30), True, None),
    ("2022年年底完成，长期坚持", None, DATE, D(2022, 12, 31), True, None),
    ("2022年6月底前", None, DATE, D(2022, 6, 30), False, None),
    ("２０２４年１２月底前", None, DATE, D(2024, 12, 31), False, None),
    # dates
    ("2024年12月31日前", None, DATE, D(2024, 12, 31), False, None),
    ("2024年12月31日", None, DATE, D(2024, 12, 31), False, None),
    ("2024年12月", None, DATE, D(2024, 12, 31), False, None),
    ("2024年12月前", None, DATE, D(2024, 12, 31), False, None),
    ("6月30日前", 2025, DATE, D(2025, 6, 30), False, None),
    ("2025.6.30", None, DATE, D(2025, 6, 30), False, None),
    ("2025/6/30", None, DATE, D(2025, 6, 30), False, None),
    ("2025-06-30", None, DATE, D(2025, 6, 30), False, None),
    ("2025年6月30日之前", None, DATE, D(2025, 6, 30), False, None),
    ("2025年6月30日以前", None, DATE, D(2025, 6, 30), False, None),
    ("2025年6月底以前", None, DATE, D(2025, 6, 30), False, None),
    ("十二月底前", 2024, DATE, D(2024, 12, 31), False, None),
    ("年底前", 2024, DATE, D(2024, 12, 31), False, None),
    ("年底", 2024, DATE, D(2024, 12, 31), False, None),
    ("年内", 2024, DATE, D(2024, 12, 31), False, None),
    ("本年度内", 2024, DATE, D(2024, 12, 31), False, None),
    ("上半年", 2024, DATE, D(2024, 6, 30), False, None),
    ("下半年", 2024, DATE, D(2024, 12, 31), False, None),
    ("一季度", 2024, DATE, D(2024, 3, 31), False, None),
    ("第一季度", 2024, DATE, D(2024, 3, 31), False, None),
    ("一季度末", 2024, DATE, D(2024, 3, 31), False, None),
    ("第1季度", 2024, DATE, D(2024, 3, 31), False, None),
    ("Q1", 2024, DATE, D(2024, 3, 31), False, None),
    ("二季度", 2024, DATE, D(2024, 6, 30), False, None),
    ("第三季度", 2024, DATE, D(2024, 9, 30), False, None),
    ("三季度末", 2024, DATE, D(2024, 9, 30), False, None),
    ("Q4", 2024, DATE, D(2024, 12, 31), False, None),
    ("第四季度", 2024, DATE, D(2024, 12, 31), False, None),
    ("11月上旬", 2024, DATE, D(2024, 11, 10), False, None),
    ("11月中旬", 2024, DATE, D(2024, 11, 20), False, None),
    ("11月下旬", 2024, DATE, D(2024, 11, 30), False, None),
    ("3月初", 2024, DATE, D(2024, 3, 5), False, None),
    ("3月中", 2024, DATE, D(2024, 3, 15), False, None),
    ("2月末", 2024, DATE, D(2024, 2, 29), False, None),
    ("2月底", 2023, DATE, D(2023, 2, 28), False, None),
    ("次年1月", 2024, DATE, D(2025, 1, 31), False, None),
    ("明年1月底前", 2024, DATE, D(2025, 1, 31), False, None),
    ("2024—2025年", None, DATE, D(2025, 12, 31), False, None),
    ("2024-2025年", None, DATE, D(2025, 12, 31), False, None),
    ("2024至2025年", None, DATE, D(2025, 12, 31), False, None),
    ("2024年底前完成", None, DATE, D(2024, 12, 31), False, None),
    ("完成时限：2024年底前完成。", None, DATE, D(2024, 12, 31), False, None),
    ("2024年2月29日", None, DATE, D(2024, 2, 29), False, None),
    # ongoing and combinations
    ("长期", None, ONG, None, True, None),
    ("持续推进", None, ONG, None, True, None),
    ("持续开展", None, ONG, None, True, None),
    ("常态化", None, ONG, None, True, None),
    ("常态化推进", None, ONG, None, True, None),
    ("持续", None, ONG, None, True, None),
    ("长期执行", None, ONG, None, True, None),
    ("长期坚持（2024年底前完成阶段任务）", None, DATE, D(2024, 12, 31), True, None),
    ("2024年6月底前;持续推进", None, DATE, D(2024, 6, 30), True, None),
    ("2024年6月底前、常态化", None, DATE, D(2024, 6, 30), True, None),
    ("2024年6月底前 长期坚持", None, DATE, D(2024, 6, 30), True, None),
    ("9月底前完成，长期坚持", None, DATE, None, True, "needs-year"),
    # problems
    ("2025年13月底前", None, DATE, None, False, "impossible-date"),
    ("2024年2月30日前", None, DATE, None, False, "impossible-date"),
    ("2023年2月29日", None, DATE, None, False, "impossible-date"),
    ("1989年12月底前", None, DATE, None, False, "impossible-date"),
    ("2025年0月", None, DATE, None, False, "impossible-date"),
    ("尽快", None, UNK, None, False, "vague-deadline"),
    ("及时", None, UNK, None, False, "vague-deadline"),
    ("适时", None, UNK, None, False, "vague-deadline"),
    ("按要求", None, UNK, None, False, "vague-deadline"),
    ("", None, UNK, None, False, "missing-deadline"),
    (" \u3000\n", None, UNK, None, False, "missing-deadline"),
    (None, None, UNK, None, False, "missing-deadline"),
    ("12月底前", None, DATE, None, False, "needs-year"),
    ("上半年", None, DATE, None, False, "needs-year"),
    ("随便写写", None, UNK, None, False, "unparseable"),
    ("2025年前", None, UNK, None, False, "unparseable"),
    # ranges: due at the end (every dash and tilde offices type, full-width too)
    ("2025年3月—6月", None, DATE, D(2025, 6, 30), False, None),
    ("2025年3月-6月", None, DATE, D(2025, 6, 30), False, None),
    ("2022年3月～11月", None, DATE, D(2022, 11, 30), False, None),
    ("2024年1月－12月", None, DATE, D(2024, 12, 31), False, None),
    ("2024年1月–12月", None, DATE, D(2024, 12, 31), False, None),
    ("2024年1月——12月", None, DATE, D(2024, 12, 31), False, None),
    ("2024年1月〜12月底", None, DATE, D(2024, 12, 31), False, None),
    ("1月至3月", 2024, DATE, D(2024, 3, 31), False, None),
    ("1月到3月底前", 2024, DATE, D(2024, 3, 31), False, None),
    ("3—6月", 2024, DATE, D(2024, 6, 30), False, None),
    ("３－６月", 2024, DATE, D(2024, 6, 30), False, None),
    ("2025年3-6月", None, DATE, D(2025, 6, 30), False, None),
    ("2025年3月至2025年6月", None, DATE, D(2025, 6, 30), False, None),
    ("2024年10月至2025年3月", None, DATE, D(2025, 3, 31), False, None),
    ("2024年10月至次年3月", None, DATE, D(2025, 3, 31), False, None),
    ("自2025年3月起至6月底", None, DATE, D(2025, 6, 30), False, None),
    ("2025年6月1日至30日", None, DATE, D(2025, 6, 30), False, None),
    ("2025.3-2025.6", None, DATE, D(2025, 6, 30), False, None),
    ("2025.3.1—2025.6.15", None, DATE, D(2025, 6, 15), False, None),
    ("2024—2025年", None, DATE, D(2025, 12, 31), False, None),
    ("2024年—2025年底", None, DATE, D(2025, 12, 31), False, None),
    ("三季度至四季度", 2024, DATE, D(2024, 12, 31), False, None),
    ("第三季度至第四季度", 2024, DATE, D(2024, 12, 31), False, None),
    ("2025年二至三季度", None, DATE, D(2025, 9, 30), False, None),
    ("2024年3月—6月，长期坚持", None, DATE, D(2024, 6, 30), True, None),
    ("3月至6月", None, DATE, None, False, "needs-year"),
    ("2025年6月—3月", None, DATE, None, False, "impossible-date"),
    ("2025—2024年", None, DATE, None, False, "impossible-date"),
    ("2025年3月—13月", None, DATE, None, False, "impossible-date"),
    ("四季度至三季度", 2024, DATE, None, False, "impossible-date"),
    # one date and what is done by then
    ("2024年12月底前完成验收", None, DATE, D(2024, 12, 31), False, None),
    ("6月底前完成方案", 2024, DATE, D(2024, 6, 30), False, None),
    ("2025年前完成", None, UNK, None, False, "unparseable"),   # before 2025? not a guess
    # other generic forms (JioNLP's parse_time reads them too)
    ("二〇二五年六月底前", None, DATE, D(2025, 6, 30), False, None),
    ("2025年6月三十日前", None, DATE, D(2025, 6, 30), False, None),
    ("2025.6", None, DATE, D(2025, 6, 30), False, None),
    ("2025-06", None, DATE, D(2025, 6, 30), False, None),
    ("2025.13", None, DATE, None, False, "impossible-date"),
    # vague words: never a date
    ("尽早", None, UNK, None, False, "vague-deadline"),
    ("适当时候", None, UNK, None, False, "vague-deadline"),
    ("尽快组织实施", None, UNK, None, False, "vague-deadline"),
    ("适时启动", None, UNK, None, False, "vague-deadline"),
    ("按时完成", None, UNK, None, False, "vague-deadline"),
    ("根据工作需要", None, UNK, None, False, "vague-deadline"),
    ("待定", None, UNK, None, False, "vague-deadline"),
    ("尽快启动，6月底前完成", 2024, UNK, None, False, "vague-deadline"),
    # concatenated cells are not stages: no separator between two dates
    ("7月底前2023年10月底前", 2023, UNK, None, False, "unparseable"),
    ("上半年全年", 2024, UNK, None, False, "unparseable"),
    ("印发后15个工作日内11月底前", 2024, UNK, None, False, "unparseable"),
    # a date and then ongoing work, however it is joined (due at the date, and ongoing)
    ("2025年6月底前完成并长期坚持", None, DATE, D(2025, 6, 30), True, None),
    ("2025年6月底前完成，此后长期坚持", None, DATE, D(2025, 6, 30), True, None),
    ("2025年6月底前完成，并长期坚持", None, DATE, D(2025, 6, 30), True, None),
    ("2025年9月底前建成后持续推进", None, DATE, D(2025, 9, 30), True, None),
    ("2025年9月底前\n长期坚持", None, DATE, D(2025, 9, 30), True, None),
    ("长期推进", None, ONG, None, True, None),
    ("持续落实", None, ONG, None, True, None),
    ("印发后长期坚持", None, UNK, None, False, "unparseable"),
    # words that only say "by": 截至, 最迟, 不晚于
    ("截至2025年底", None, DATE, D(2025, 12, 31), False, None),
    ("截止到6月底", 2025, DATE, D(2025, 6, 30), False, None),
    ("最迟于6月底前完成", 2025, DATE, D(2025, 6, 30), False, None),
    ("不晚于6月30日", 2025, DATE, D(2025, 6, 30), False, None),
    ("每年2月30日前", None, REC, None, True, "impossible-date"),
    # the year as a whole: due at its end
    ("2025年度", None, DATE, D(2025, 12, 31), False, None),
    ("全年度", 2025, DATE, D(2025, 12, 31), False, None),
    ("全年度", None, DATE, None, False, "needs-year"),
    # the parts of one span listed with 、: due at the last (a range)
    ("第二、三季度", 2025, DATE, D(2025, 9, 30), False, None),
    ("三、四季度", 2025, DATE, D(2025, 12, 31), False, None),
    ("2025年3、4月", None, DATE, D(2025, 4, 30), False, None),
    ("三、一季度", 2025, DATE, None, False, "impossible-date"),
    # non-text cells
    (D(2024, 3, 1), None, DATE, D(2024, 3, 1), False, None),
    (dt.datetime(2024, 3, 1, 17, 30), None, DATE, D(2024, 3, 1), False, None),
    (45657.0, None, DATE, D(2024, 12, 31), False, None),
    (45657, None, DATE, D(2024, 12, 31), False, None),
    (12.0, None, UNK, None, False, "unparseable"),
]


@pytest.mark.parametrize("text,year,kind,due,ongoing,problem", CASES)
def test_table(text, year, kind, due, ongoing, problem):
    d = parse_deadline(text, year=year)
    assert (d.kind, d.due, d.ongoing, d.problem) == (kind, due, ongoing, problem)
    assert d.ok == (problem is None)
    assert d.raw == ("" if text is None else str(text))


def test_impossible_detail():
    assert parse_deadline("2025年13月底前").detail == {"year": 2025, "month": 13}
    assert parse_deadline("2024年2月30日前").detail == {"year": 2024, "month": 2, "day": 30}
    assert parse_deadline("2025年6月—3月").detail == {"start": "2025年6月", "end": "3月"}
    assert parse_deadline("12月底前完成方案，6月底前全面完成", year=2024).detail == {"stages": ["12月底前完成", "6月底前"]}


# (text, plan year, stages, ongoing): due at the last stage
STAGED = [
    ("6月底前完成方案，12月底前全面完成", 2025, [D(2025, 6, 30), D(2025, 12, 31)], False),
    ("2024年7月底前制定方案；2024年10月底前完成", None, [D(2024, 7, 31), D(2024, 10, 31)], False),
    ("3月底前启动、6月底前完成", 2024, [D(2024, 3, 31), D(2024, 6, 30)], False),
    ("3月底前启动\n6月底前完成", 2024, [D(2024, 3, 31), D(2024, 6, 30)], False),
    ("2024年3月底前启动，6月底前完成", None, [D(2024, 3, 31), D(2024, 6, 30)], False),  # the year written before
    ("第一阶段：3月底前；第二阶段：6月底前", 2024, [D(2024, 3, 31), D(2024, 6, 30)], False),
    ("3月底前启动，6月底前推开，12月底前全面完成", 2024, [D(2024, 3, 31), D(2024, 6, 30), D(2024, 12, 31)], False),
    ("3月底前启动、6月底前完成，长期坚持", 2024, [D(2024, 3, 31), D(2024, 6, 30)], True),
    ("长期坚持；2024年6月底前完成试点，2024年12月底前全面推开", None, [D(2024, 6, 30), D(2024, 12, 31)], True),
    ("2024年10月底前完成方案，次年3月底前完成", 2024, [D(2024, 10, 31), D(2025, 3, 31)], False),
    ("３月底前制定方案，１２月底前完成", 2024, [D(2024, 3, 31), D(2024, 12, 31)], False),
    ("3月—6月完成试点，12月底前全面推开", 2024, [D(2024, 6, 30), D(2024, 12, 31)], False),
]


@pytest.mark.parametrize("text,year,stages,ongoing", STAGED)
def test_staged(text, year, stages, ongoing):
    d = parse_deadline(text, year=year)
    assert (d.kind, d.due, d.stages, d.ongoing, d.problem) == (DATE, stages[-1], tuple(stages), ongoing, None)
    assert d.raw == text


# (text, plan year, problem): a stage that cannot be read makes the whole a problem, never a guess
STAGED_PROBLEMS = [
    ("12月底前完成方案，6月底前全面完成", 2024, "impossible-date"),   # out of order
    ("2025年13月底前制定方案；2025年6月底前完成", None, "impossible-date"),
    ("3月底前启动，6月底前完成", None, "needs-year"),
    ("3月底前启动，随便写写", 2024, "unparseable"),
]


@pytest.mark.parametrize("text,year,problem", STAGED_PROBLEMS)
def test_staged_problems(text, year, problem):
    d = parse_deadline(text, year=year)
    assert (d.due, d.stages, d.problem) == (None, (), problem)


# (text, issued, due, n, unit)
RELATIVE = [
    ("本文件印发后30日内", ISSUED, D(2022, 7, 10), 30, "day"),
    ("印发之日起30日内", ISSUED, D(2022, 7, 10), 30, "day"),
    ("文件印发后一个月内", ISSUED, D(2022, 7, 10), 1, "month"),
    ("印发后15个工作日内", ISSUED, D(2022, 7, 1), 15, "workday"),
    ("印发后1个工作日内", ISSUED, D(2022, 6, 13), 1, "workday"),  # Fri → Mon
    ("收到通知后10日内", ISSUED, D(2022, 6, 20), 10, "day"),
    ("立行立改", ISSUED, ISSUED, 0, "day"),
    ("即知即改", ISSUED, ISSUED, 0, "day"),
    ("文件印发后一个月内", D(2024, 1, 31), D(2024, 2, 29), 1, "month"),
]


@pytest.mark.parametrize("text,issued,due,n,unit", RELATIVE)
def test_relative(text, issued, due, n, unit):
    d = parse_deadline(text, issued=issued)
    assert (d.kind, d.due, d.problem, d.detail) == (REL, due, None, {"n": n, "unit": unit})
    missing = parse_deadline(text)
    assert (missing.kind, missing.due, missing.problem) == (REL, None, "needs-issue-date")


# (text, period, due for AS_OF 2024-05-15)
RECURRING = [
    ("每月", "month", D(2024, 5, 31)),
    ("按月", "month", D(2024, 5, 31)),
    ("每月25日前", "month", D(2024, 5, 25)),
    ("每月10日前", "month", D(2024, 6, 10)),
    ("每季度", "quarter", D(2024, 6, 30)),
    ("每季", "quarter", D(2024, 6, 30)),
    ("每季度末", "quarter", D(2024, 6, 30)),
    ("按季度", "quarter", D(2024, 6, 30)),
    ("每半年", "half-year", D(2024, 6, 30)),
    ("每年", "year", D(2024, 12, 31)),
    ("每年度", "year", D(2024, 12, 31)),
    ("每周", "week", D(2024, 5, 17)),
    ("每月10日前报送上月进展", "month", D(2024, 6, 10)),
    ("每季度报送工作进展", "quarter", D(2024, 6, 30)),
    ("每年12月底前报送", "year", D(2024, 12, 31)),     # a day of each year: this year's, else next year's
    ("每年3月10日前", "year", D(2025, 3, 10)),
    ("每年5月15日前", "year", D(2024, 5, 15)),
]


@pytest.mark.parametrize("text,period,due", RECURRING)
def test_recurring(text, period, due):
    d = parse_deadline(text, as_of=AS_OF)
    assert (d.kind, d.due, d.ongoing, d.problem, d.detail["period"]) == (REC, due, True, None, period)


def test_recurring_second_half_and_friday():
    assert parse_deadline("每半年", as_of=D(2024, 7, 1)).due == D(2024, 12, 31)
    assert parse_deadline("每周", as_of=D(2024, 5, 17)).due == D(2024, 5, 17)
    assert parse_deadline("每月31日前", as_of=D(2024, 2, 3)).due == D(2024, 2, 29)


# --- properties ---------------------------------------------------------------------
dates = st.dates(min_value=D(2000, 1, 1), max_value=D(2099, 12, 31))


@given(dates, st.sampled_from(["{y}年{m}月{d}日前", "{y}.{m}.{d}", "{y}/{m}/{d}", "{y}-{m:02}-{d:02}"]),
       st.booleans())
def test_any_valid_date_parses(day, fmt, full_width):
    text = fmt.format(y=day.year, m=day.month, d=day.day)
    if full_width:
        text = text.translate(FULL_WIDTH)
    d = parse_deadline(text)
    assert (d.kind, d.due, d.problem) == (DATE, day, None)


@given(st.integers(2000, 2099), st.integers(1, 12))
def test_month_end(y, m):
    d = parse_deadline(f"{y}年{m}月底前")
    assert d.due == D(y, m, calendar.monthrange(y, m)[1])
    assert d.due <= parse_deadline(f"{y}年12月31日").due


@given(st.integers(2000, 2099), st.integers(13, 99))
def test_impossible_month(y, m):
    for text in (f"{y}年{m}月底前", f"{y}年{m}月1日", f"{m}月底前"):
        d = parse_deadline(text, year=2024)
        assert (d.problem, d.due) == ("impossible-date", None)


@given(st.integers(2000, 2099), st.integers(1, 12), st.data())
def test_impossible_day(y, m, data):
    day = data.draw(st.integers(calendar.monthrange(y, m)[1] + 1, 99))
    for text in (f"{y}年{m}月{day}日前", f"{y}.{m}.{day}"):
        d = parse_deadline(text)
        assert (d.problem, d.due) == ("impossible-date", None)


@given(st.one_of(st.text(), st.text(alphabet="0123456789年月日底前季度上下半每按长期持续,、()．２０ -"),
                 st.text(alphabet="0123456789年月日底前季度首末次个第结束后内工作起开始以来自从每周一三五长期,")),
       st.one_of(st.none(), st.integers(1990, 2100)))
def test_never_raises(text, year):
    d = parse_deadline(text, year=year, issued=ISSUED, as_of=AS_OF)
    assert isinstance(d, Deadline) and isinstance(d.kind, DeadlineKind)
    assert d.raw == text
    if d.problem is not None:
        # Never a guessed date; `ongoing` may still be True (date part needs a year etc.).
        assert d.due is None
    if d.kind is UNK:
        assert d.due is None and not d.ongoing and d.problem is not None
    if d.kind is ONG:
        assert d.ongoing and d.due is None
    if d.stages:
        assert len(d.stages) >= 2 and list(d.stages) == sorted(d.stages) and d.stages[-1] == d.due and d.ok
    if d.start is not None:       # a start is read, never guessed, and not after the date due
        assert d.ok and (d.due is None or d.ongoing or d.start <= d.due)


# Every dash and tilde offices type (full-width ones too), 至 and 到.
RANGE_SEPS = ["—", "——", "-", "－", "–", "―", "~", "～", "〜", "至", "到", "起至"]
RANGE_FORMS = ["{y}年{a}月{sep}{b}月", "{y}年{a}月{sep}{y}年{b}月", "{a}月{sep}{b}月", "{y}年{a}{sep}{b}月",
               "{a}{sep}{b}月", "{y}年{a}月{sep}{b}月底前", "{a}月{sep}{b}月底"]
months = st.integers(1, 12)


@given(st.integers(2000, 2099), months, months, st.sampled_from(RANGE_SEPS), st.sampled_from(RANGE_FORMS),
       st.booleans())
def test_range_due_at_end(y, a, b, sep, form, full_width):
    a, b = min(a, b), max(a, b)
    text = form.format(y=y, a=a, b=b, sep=sep)
    if full_width:
        text = text.translate(FULL_WIDTH)
    d = parse_deadline(text, year=y)
    assert (d.kind, d.due, d.problem, d.stages) == (DATE, D(y, b, calendar.monthrange(y, b)[1]), None, ())


@given(st.integers(2000, 2099), months, st.one_of(st.just(0), st.integers(13, 99)), st.sampled_from(RANGE_SEPS),
       st.sampled_from(RANGE_FORMS), st.booleans())
def test_range_with_impossible_month(y, good, bad, sep, form, bad_first):
    a, b = (bad, good) if bad_first else (good, bad)
    d = parse_deadline(form.format(y=y, a=a, b=b, sep=sep), year=y)
    assert (d.problem, d.due) == ("impossible-date", None)


@given(st.integers(2000, 2099), months, months, st.sampled_from(RANGE_SEPS), st.sampled_from(RANGE_FORMS))
def test_range_ending_before_it_starts(y, a, b, sep, form):
    if a == b:
        return
    a, b = max(a, b), min(a, b)
    d = parse_deadline(form.format(y=y, a=a, b=b, sep=sep), year=y)
    assert (d.problem, d.due) == ("impossible-date", None)


@given(st.integers(2000, 2099), st.integers(1, 4), st.integers(1, 4), st.sampled_from(["至", "—", "-", "～", "到"]),
       st.sampled_from(["{q1}季度{sep}{q2}季度", "第{q1}季度{sep}第{q2}季度", "{q1}{sep}{q2}季度"]))
def test_quarter_range(y, q1, q2, sep, form):
    cn = "一二三四"
    d = parse_deadline(form.format(q1=cn[q1 - 1], q2=cn[q2 - 1], sep=sep), year=y)
    if q1 <= q2:
        assert (d.due, d.problem) == (D(y, 3 * q2, calendar.monthrange(y, 3 * q2)[1]), None)
    else:
        assert (d.due, d.problem) == (None, "impossible-date")


STAGE_SEPS = ["，", "；", "、", "\n", ",", ";", "。"]
ACTIONS = ["", "完成方案", "制定方案", "启动", "全面完成", "完成试点", "全面推开", "完成验收"]


@given(st.integers(2000, 2098), st.lists(months, min_size=2, max_size=4), st.data())
def test_stages_in_order(y, picked, data):
    picked = sorted(picked)
    pieces = []
    for m in picked:
        year = data.draw(st.sampled_from(["", f"{y}年"]))
        pieces.append(f"{year}{m}月底前{data.draw(st.sampled_from(ACTIONS))}")
    text = pieces[0]
    for piece in pieces[1:]:
        text += data.draw(st.sampled_from(STAGE_SEPS)) + piece
    ongoing = data.draw(st.booleans())
    if ongoing:
        text += data.draw(st.sampled_from(STAGE_SEPS)) + "长期坚持"
    d = parse_deadline(text, year=y)
    ends = tuple(D(y, m, calendar.monthrange(y, m)[1]) for m in picked)
    assert (d.kind, d.due, d.stages, d.ongoing, d.problem) == (DATE, ends[-1], ends, ongoing, None)


@given(st.integers(2000, 2099), st.lists(months, min_size=2, max_size=4, unique=True), st.sampled_from(STAGE_SEPS))
def test_stages_out_of_order(y, picked, sep):
    picked = sorted(picked, reverse=True)
    d = parse_deadline(sep.join(f"{m}月底前完成" for m in picked), year=y)
    assert (d.problem, d.due, d.stages) == ("impossible-date", None, ())


@given(st.sampled_from(["每月", "每季度", "每季", "每季度末", "每半年", "每年", "每年度", "每周",
                        "按月", "按季度"] + [f"每月{n}日前" for n in range(1, 32)]),
       st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31)))
def test_recurring_never_in_past(text, as_of):
    d = parse_deadline(text, as_of=as_of)
    assert d.kind is REC and d.ok and d.due >= as_of


# (text, years written, moved on by one year): new-plan carries deadlines over with these
SHIFTED = [
    ("2024年6月底前完成方案；2024年12月底前全面完成", [2024, 2024], "2025年6月底前完成方案；2025年12月底前全面完成"),
    ("2024—2025年", [2024, 2025], "2025—2026年"),
    ("２０２４年３月－６月", [2024], "２０２５年３月－６月"),
    ("二〇二四年六月底前", [2024], "二〇二五年六月底前"),
    ("6月底前完成方案，12月底前全面完成", [], "6月底前完成方案，12月底前全面完成"),
]


@pytest.mark.parametrize("text,years,moved", SHIFTED)
def test_years_written_and_moved(text, years, moved):
    assert years_in(text) == years
    assert shift_years(text, 1) == moved
    if years:
        assert parse_deadline(moved).due == parse_deadline(text).due.replace(year=parse_deadline(text).due.year + 1)


# Generic forms JioNLP's parse_time reads (its own test table), as due dates; plan year 2021.
# Where it reads "2025年前" as "by the end of 2025" we do not: before 2025 or by its end is a
# guess, so it stays a finding (see the table above).
JIONLP = [
    ("1999.08-2002.02", D(2002, 2, 28)),
    ("2017年8月11日至8月22日", D(2017, 8, 22)),
    ("2017年8月15日至2018年3月29日", D(2018, 3, 29)),
    ("2017年8月至11月", D(2017, 11, 30)),
    ("2017年五月至2018年四月", D(2018, 4, 30)),
    ("从2008年——2018年", D(2018, 12, 31)),
    ("从2015年1月至12月", D(2015, 12, 31)),
    ("从2018年12月九号到十五号", D(2018, 12, 15)),
    ("2019年4月12-19日", D(2019, 4, 19)),
    ("2019年1-五月", D(2019, 5, 31)),
    ("2018年1－9月份", D(2018, 9, 30)),
    ("2018年2——4月", D(2018, 4, 30)),
    ("明年底前", D(2022, 12, 31)),
    ("二零四九年十月一号以前", D(2049, 10, 1)),
    ("二〇〇六年十二月", D(2006, 12, 31)),
    ("2019.9.6", D(2019, 9, 6)),
    ("9月30日", D(2021, 9, 30)),
    ("十二月20号", D(2021, 12, 20)),
]


@pytest.mark.parametrize("text,due", JIONLP)
def test_generic_forms(text, due):
    d = parse_deadline(text, year=2021)
    assert (d.due, d.problem) == (due, None)


@pytest.mark.parametrize("text, tail", [
    ("区财政局、区审计局\n2025年6月底前", "2025年6月底前"),
    ("县财政局；2025年12月底前", "2025年12月底前"),
    ("县财政局2025年12月底前", "2025年12月底前"),     # no separator: the phrase, not "025年…"
    ("区住建局牵头，各街镇配合\n长期坚持", "长期坚持"),
    ("县委组织部\n2022年9月底前完成，长期坚持", "2022年9月底前完成，长期坚持"),
    ("县政府办\n本文件印发后30日内", "本文件印发后30日内"),
    ("2025年13月底前", "2025年13月底前"),               # a wrong date is still the deadline phrase
    ("县财政局\n尽快", "尽快"),
    ("区财政局", None),
])
def test_deadline_start_finds_the_phrase_ending_a_cell(text, tail):
    from xltools.rules.deadlines import deadline_start
    i = deadline_start(text)
    assert (None if i is None else text[i:]) == tail
