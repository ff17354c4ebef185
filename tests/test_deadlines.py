import calendar
import datetime as dt

import pytest
from hypothesis import given, strategies as st

from xltools.rules.deadlines import Deadline, DeadlineKind, parse_deadline

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


@given(st.one_of(st.text(), st.text(alphabet="0123456789年月日底前季度上下半每按长期持续,、()．２０ -")),
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


@given(st.sampled_from(["每月", "每季度", "每季", "每季度末", "每半年", "每年", "每年度", "每周",
                        "按月", "按季度"] + [f"每月{n}日前" for n in range(1, 32)]),
       st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31)))
def test_recurring_never_in_past(text, as_of):
    d = parse_deadline(text, as_of=as_of)
    assert d.kind is REC and d.ok and d.due >= as_of


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
