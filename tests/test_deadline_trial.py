"""Deadline phrases a new-user trial found reported as unreadable, and the new plan's start
phrases: recurring at other intervals (每两个月, 每两周, 每半月, 每两年, 每旬), a five-year
plan's period by its name (“十四五”期间 = 2021—2025年), a time counted from the notice's
receipt (收到通知之日起10日内: from the issue date, as 本文件印发后30日内) or from each case
(自收到申请之日起20个工作日内: a standing rule, ongoing); 每季度10日前 against the other ways
of saying a quarterly report day; and new-plan keeping a start's day.  One grammar
(xltools/rules/deadlines.py); checked through validate, inspect, flag (computed by
LibreOffice) and new-plan on real workbooks."""
from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest
from hypothesis import given, strategies as st
from python_calamine import CalamineWorkbook

from lo import convert, needs_soffice
from test_deadline_phrases import run     # the command line, no traceback
from xltools.read import read_plan
from xltools.rules.deadlines import DeadlineKind, off_plan_year, parse_deadline
from xltools.rules.warning import warning_of
from xltools.work.newplan import new_plan

D = dt.date
DATE, ONG, REC, REL, UNK = (DeadlineKind.DATE, DeadlineKind.ONGOING, DeadlineKind.RECURRING,
                            DeadlineKind.RELATIVE, DeadlineKind.UNKNOWN)
AS_OF = D(2025, 5, 20)          # a Tuesday
ISSUED = D(2025, 3, 12)
CN = "零一二三四五六七八九"


def cn(n: int) -> str:
    """1..99 as offices write it in words (两 for 2 where they do)."""
    if n < 10:
        return CN[n]
    return ("" if n < 20 else CN[n // 10]) + "十" + (CN[n % 10] if n % 10 else "")


# --- 1a: recurring at other intervals -------------------------------------------------
# (text, as_of, due, detail)
INTERVALS = [
    ("每两个月", AS_OF, D(2025, 5, 31), {"period": "month", "every": 2}),
    ("每两月一次", AS_OF, D(2025, 5, 31), {"period": "month", "every": 2}),
    ("每2个月报送一次进展", AS_OF, D(2025, 5, 31), {"period": "month", "every": 2}),
    ("每三个月", AS_OF, D(2025, 5, 31), {"period": "month", "every": 3}),
    ("每两周", AS_OF, D(2025, 5, 23), {"period": "week", "every": 2}),
    ("每两周报送一次", AS_OF, D(2025, 5, 23), {"period": "week", "every": 2}),
    ("每2周", AS_OF, D(2025, 5, 23), {"period": "week", "every": 2}),
    ("每半月", AS_OF, D(2025, 5, 31), {"period": "half-month"}),
    ("每半个月报送一次", D(2025, 5, 3), D(2025, 5, 15), {"period": "half-month"}),
    ("每半月", D(2025, 2, 16), D(2025, 2, 28), {"period": "half-month"}),
    ("每旬", AS_OF, D(2025, 5, 20), {"period": "ten-days"}),
    ("每旬报送", D(2025, 5, 21), D(2025, 5, 31), {"period": "ten-days"}),
    ("每半年", AS_OF, D(2025, 6, 30), {"period": "half-year"}),
    ("每两年", AS_OF, D(2025, 12, 31), {"period": "year", "every": 2}),
    ("每两年开展一次", AS_OF, D(2025, 12, 31), {"period": "year", "every": 2}),
    ("每三年", AS_OF, D(2025, 12, 31), {"period": "year", "every": 3}),
    ("每两个季度", AS_OF, D(2025, 6, 30), {"period": "quarter", "every": 2}),
    ("每一季度", AS_OF, D(2025, 6, 30), {"period": "quarter"}),
    ("每两个月10日前报送", AS_OF, D(2025, 6, 10), {"period": "month", "every": 2, "day": 10}),
    ("每两个月结束后5个工作日内", AS_OF, D(2025, 6, 6), {"period": "month", "every": 2, "n": 5, "unit": "workday"}),
    ("每季度结束后10个自然日内", AS_OF, D(2025, 7, 10), {"period": "quarter", "n": 10, "unit": "day"}),
]


@pytest.mark.parametrize("text,as_of,due,detail", INTERVALS)
def test_recurring_at_other_intervals(text, as_of, due, detail):
    d = parse_deadline(text, as_of=as_of)
    assert (d.kind, d.due, d.ongoing, d.problem, d.detail) == (REC, due, True, None, detail)
    assert warning_of(d, as_of=due + dt.timedelta(days=40)) == "ongoing"      # never overdue


# (text, as_of, due, start): every few periods from a start written
INTERVALS_FROM = [
    ("2025年7月起每两个月报送", AS_OF, D(2025, 7, 31), D(2025, 7, 1)),
    ("2025年7月起每两个月报送", D(2025, 8, 5), D(2025, 9, 30), D(2025, 7, 1)),
    ("2024年起每两年", AS_OF, D(2026, 12, 31), D(2024, 1, 1)),
    ("2025年起每两年", AS_OF, D(2025, 12, 31), D(2025, 1, 1)),
    ("2025年5月5日起每两周", AS_OF, D(2025, 5, 23), D(2025, 5, 5)),
    ("2025年5月12日起每两周", AS_OF, D(2025, 5, 30), D(2025, 5, 12)),
    ("2025年6月起每半月", AS_OF, D(2025, 6, 15), D(2025, 6, 1)),
]


@pytest.mark.parametrize("text,as_of,due,start", INTERVALS_FROM)
def test_every_few_periods_from_a_start(text, as_of, due, start):
    d = parse_deadline(text, as_of=as_of)
    assert (d.kind, d.due, d.problem, d.start) == (REC, due, None, start)


@given(st.integers(2, 6), st.sampled_from([("个月", 1), ("个季度", 3), ("年", 12)]),
       st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31)), st.booleans())
def test_every_few_periods_is_the_next_one(every, unit, as_of, words):
    """Without a start, the next period's end (which of the few is the one, the text does not
    say); from a start, every `every` periods after the start's own."""
    word, months = unit
    n = "两" if every == 2 and words else cn(every) if words else str(every)
    alone = parse_deadline(f"每{n}{word}", as_of=as_of)
    once = parse_deadline("每" + {1: "月", 3: "季度", 12: "年"}[months], as_of=as_of)
    assert (alone.kind, alone.due, alone.detail["every"]) == (REC, once.due, every)
    start = D(as_of.year - 1, 1 + (as_of.month * 7) % 12, 1)
    begun = parse_deadline(f"{start.year}年{start.month}月起每{n}{word}", as_of=as_of)
    assert begun.ok and begun.start == start and begun.due >= as_of
    # the due's period lies a whole number of `every` periods after the start's period
    first = start.year * 12 + (start.month - 1) // months * months
    at = begun.due.year * 12 + (begun.due.month - 1) // months * months
    assert (at - first) // months % every == 0 and (at - first) // months >= 0
    assert (begun.due - max(as_of, start)).days < every * months * 31 + 1


@given(st.integers(2, 4), st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31)), st.integers(0, 60))
def test_every_few_weeks_from_a_start(every, as_of, back):
    start = as_of - dt.timedelta(days=back)
    d = parse_deadline(f"{start.year}年{start.month}月{start.day}日起每{cn(every)}周", as_of=as_of)
    monday = start - dt.timedelta(days=start.weekday())
    assert d.ok and d.due.weekday() == 4 and d.due >= as_of
    assert (d.due - monday).days // 7 % every == 0 and (d.due - as_of).days < 7 * every


@pytest.mark.parametrize("text", ["每三月", "每二月份", "每两半年", "每十三个月", "每两半月", "每两旬"])
def test_intervals_not_read_are_told(text):
    """每三月: every three months, or every March?  Told, not guessed."""
    d = parse_deadline(text, as_of=AS_OF)
    assert (d.kind, d.due, d.problem) == (UNK, None, "unparseable")


# --- 1b: a five-year plan's period ------------------------------------------------------
PERIODS = {"十一五": 2006, "十二五": 2011, "十三五": 2016, "十四五": 2021, "十五五": 2026, "十六五": 2031}
QUOTES = [("", ""), ("“", "”"), ('"', '"'), ("「", "」"), ("‘", "’"), ("＂", "＂")]
DURING = ["期间", "时期", "期内", "时期内", "规划期间", "规划期内", "内", ""]
AT_END = ["末", "期末", "末期", "时期末", "末前"]


@given(st.sampled_from(sorted(PERIODS)), st.sampled_from(QUOTES), st.sampled_from(DURING + AT_END),
       st.sampled_from(["", "整个", "在", "到", "截至"]), st.sampled_from(["", "完成", "持续推进", "，长期坚持"]))
def test_plan_period_is_the_range_of_its_years(name, quotes, tail, lead, then):
    """“十四五”期间 reads as 2021—2025年 does: due at its end, begun on its first day (its end:
    no start), ongoing when the words say so."""
    if lead == "整个" and tail in AT_END:
        return
    first = PERIODS[name]
    text = f"{lead}{quotes[0]}{name}{quotes[1]}{tail}{then}"
    d = parse_deadline(text, year=2025, as_of=AS_OF)
    same = parse_deadline(f"{first}—{first + 4}年{then}", year=2025, as_of=AS_OF)
    assert (d.kind, d.due, d.problem, d.ongoing) == (DATE, D(first + 4, 12, 31), None, then.endswith(("推进", "坚持")))
    assert (d.kind, d.due, d.ongoing) == (same.kind, same.due, same.ongoing)
    assert d.start == (None if tail in AT_END else D(first, 1, 1))


@pytest.mark.parametrize("text,start", [("十四五以来", D(2021, 1, 1)), ("“十五五”起", D(2026, 1, 1)),
                                        ("自十四五起长期坚持", D(2021, 1, 1)), ("2021年以来", D(2021, 1, 1))])
def test_plan_period_as_a_start(text, start):
    d = parse_deadline(text, year=2025)
    assert (d.kind, d.due, d.ongoing, d.problem, d.start) == (ONG, None, True, None, start)


@pytest.mark.parametrize("text,due,start", [
    ("2021-2025年期间", D(2025, 12, 31), D(2021, 1, 1)),
    ("2021—2025年期间", D(2025, 12, 31), D(2021, 1, 1)),
    ("2021年至2025年期间", D(2025, 12, 31), D(2021, 1, 1)),
    ("2025年期间", D(2025, 12, 31), None),
    ("十四五期间至2030年", D(2030, 12, 31), D(2021, 1, 1)),
])
def test_years_during(text, due, start):
    d = parse_deadline(text)
    assert (d.kind, d.due, d.problem, d.start) == (DATE, due, None, start)


@pytest.mark.parametrize("text", ["十五期间",          # the 10th plan (2001—2005) or 十五日? not read
                                  "十四五前", "“十四五期间", "十四五中期", "2025年中期", "期间",
                                  "十四五规划", "十四五规划编制", "2025年规划编制"])  # a name, not a time
def test_plan_period_not_read_is_told(text):
    d = parse_deadline(text, year=2025)
    assert (d.kind, d.due, d.problem) == (UNK, None, "unparseable")


@pytest.mark.parametrize("text,year,likely", [
    ("“十三五”期间", 2025, "“十四五”期间"), ("十二五末", 2024, "十四五末"), ("十四五期间", 2035, "十六五期间"),
    ("十四五期间", 2025, None), ("十四五期间", 2026, None), ("十五五期间", 2025, None)])
def test_a_plan_period_far_from_the_plan_year_is_told(text, year, likely):
    """As 2015年底前 in a 2025 plan: the period of the plan year is suggested."""
    assert off_plan_year(parse_deadline(text, year=year), year) == likely


# --- 1c: counted from the notice, or from each case --------------------------------------
RECEIPT = ["收到通知之日起", "收到通知后", "接到通知后", "接到本通知之日起", "自收到之日起", "自收到通知之日起",
           "收到本通知后", "自接到通知之日起", "从收到通知之日起", "收到文件后", "接到后"]
ISSUE = ["本文件印发后", "自印发之日起", "从印发之日起", "本通知下发之日起", "本通知印发之日"]
AMOUNTS = [("10日内", 10, "day"), ("5个工作日内", 5, "workday"), ("十五个自然日内", 15, "day"), ("30天以内", 30, "day"),
           ("1个月内", 1, "month"), ("三个工作日之内", 3, "workday")]


@pytest.mark.parametrize("event", RECEIPT + ISSUE)
@pytest.mark.parametrize("amount,n,unit", AMOUNTS)
def test_counted_from_the_notice(event, amount, n, unit):
    """As 本文件印发后30日内: from the issue date found above the table, or told it is missing."""
    text = event + amount
    d = parse_deadline(text, issued=ISSUED)
    same = parse_deadline("本文件印发后" + amount, issued=ISSUED)
    assert (d.kind, d.due, d.problem, d.detail) == (REL, same.due, None, {"n": n, "unit": unit})
    assert same.due > ISSUED
    d = parse_deadline(text)
    assert (d.kind, d.due, d.problem, d.detail) == (REL, None, "needs-issue-date", {"n": n, "unit": unit})


@pytest.mark.parametrize("text", ["自收到之日起", "自收到通知之日起", "自接到本通知之日起施行", "自收到之日起长期坚持"])
def test_from_receipt_on_is_a_start(text):
    """As 自印发之日起施行: ongoing from the issue date, never due."""
    d = parse_deadline(text, issued=ISSUED)
    assert (d.kind, d.due, d.ongoing, d.problem, d.start) == (ONG, None, True, None, ISSUED)
    assert parse_deadline(text).ok


@pytest.mark.parametrize("text,n,unit", [
    ("自收到申请之日起20个工作日内予以答复", 20, "workday"),
    ("收到政府信息公开申请之日起20个工作日内", 20, "workday"),
    ("接到举报后24小时内", 24, "hour"),
    ("受理投诉后5个工作日内办结", 5, "workday"),
    ("收到交办件之日起10日内反馈", 10, "day"),
    ("自受理投诉之日5个工作日内", 5, "workday"),
])
def test_counted_from_each_case_is_ongoing(text, n, unit):
    """A rule of every case has no date of its own: not the issue date's, never overdue."""
    d = parse_deadline(text, issued=ISSUED, as_of=AS_OF)
    assert (d.kind, d.due, d.ongoing, d.problem, d.detail) == (ONG, None, True, None, {"n": n, "unit": unit})


def test_from_the_issue_day_within_days_is_relative():
    """从印发之日起三十日内 was read as "ongoing from the issue date" (三十日内 taken for an action),
    and 2025年7月1日起三十日内 as ongoing from July: now relative, and told."""
    d = parse_deadline("从印发之日起三十日内", issued=ISSUED)
    assert (d.kind, d.due) == (REL, ISSUED + dt.timedelta(days=30))
    d = parse_deadline("2025年7月1日起三十日内", issued=ISSUED)
    assert (d.kind, d.due, d.problem) == (UNK, None, "unparseable")


# --- 3: a quarterly report day, however it is said -----------------------------------------
@given(st.integers(1, 28), st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 10, 1)),
       st.one_of(st.none(), st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 6, 1))))
def test_quarter_report_day_said_four_ways(day, as_of, start):
    """每季度10日前 (the quarter's 10th day), 每季度首月10日前, 每季度次月10日前 (the month after
    the quarter) and 每季度结束后10日内 fall on the same days: 1月、4月、7月、10月的10日."""
    lead = f"{start.year}年{start.month}月{start.day}日起" if start else ""
    dues = {parse_deadline(f"{lead}{way}", as_of=as_of).due
            for way in (f"每季度{day}日前", f"每季度首月{day}日前", f"每季度次月{day}日前", f"每季度结束后{day}日内")}
    due, = dues
    assert due.month in (1, 4, 7, 10) and due.day == day and due >= max(as_of, start or as_of)


# --- through validate, inspect and flag, on a real workbook ----------------------------------
ROWS = [["2025年历城区重点工作任务分解表"], ["2025年3月12日印发"],
        ["序号", "具体要求", "责任单位", "完成时限", "状态"],
        [1, "甲。", "区财政局", "每两个月报送一次", None],                      # row 4
        [2, "乙。", "区财政局", "“十四五”期间", None],                          # row 5
        [3, "丙。", "区财政局", "收到通知之日起10日内", None],                  # row 6
        [4, "丁。", "区财政局", "接到通知后5个工作日内", None],                 # row 7
        [5, "戊。", "区财政局", "自收到之日起", None],                          # row 8
        [6, "己。", "区财政局", "每半月", None],                                # row 9
        [7, "庚。", "区财政局", "十四五时期", "已完成"],                        # row 10
        [8, "辛。", "区财政局", "自收到申请之日起20个工作日内予以答复", None],  # row 11
        [9, "壬。", "区财政局", "每两年", None],                                # row 12
        [10, "癸。", "区财政局", "十四五期间持续推进", None]]                   # row 13


def test_validate_and_inspect_read_them(xlsx):
    path = xlsx({"任务": ROWS})
    result = run("validate", path)
    assert result.exit_code == 0 and "未发现问题" in result.output, result.output
    older = xlsx({"任务": ROWS[:4] + [[2, "乙。", "区财政局", "“十三五”期间", None]]}, name="older.xlsx")
    out = run("validate", older).output
    assert "任务!D5  完成时限““十三五”期间”是 2020 年，与本计划年度 2025 年相差太远，可能写错了年份。" in out, out
    assert "是否应为““十四五”期间”？" in out
    tasks = json.loads(run("inspect", path, "--json").output)["sheets"][0]["tasks"]
    got = [(t["deadline_kind"], t["due"], t["ongoing"], t["start"]) for t in tasks]
    assert got[1:8] + got[9:] == [
        ("date", "2025-12-31", False, "2021-01-01"),
        ("relative", "2025-03-22", False, None), ("relative", "2025-03-19", False, None),
        ("ongoing", None, True, "2025-03-12"), ("recurring", got[5][1], True, None),
        ("date", "2025-12-31", False, "2021-01-01"), ("ongoing", None, True, None),
        ("date", "2025-12-31", True, "2021-01-01")]
    assert got[0][0] == got[8][0] == "recurring"


@needs_soffice
def test_flag_shows_them(xlsx, tmp_path):
    """截止日期 holds the period's end and the notice-counted days; LibreOffice computes 预警
    from them: the period passed is 逾期 (done: 已完成; with 持续推进: 持续推进), the recurring
    and per-case rules are 持续推进."""
    path = xlsx({"任务": ROWS})
    run("flag", path, "--as-of", "2026-01-15")
    grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("任务").to_python()
    head = grid[2]
    due = head.index("截止日期")
    assert [grid[r][due] for r in range(3, 13)] == ["", D(2025, 12, 31), D(2025, 3, 22), D(2025, 3, 19), "", "",
                                                    D(2025, 12, 31), "", "", D(2025, 12, 31)]
    out = convert(path, "csv:Text - txt - csv (StarCalc):44,34,76", tmp_path / "lo")
    rows = out.read_text(encoding="utf-8").splitlines()[3:13]
    warnings = [row.rsplit(",", 1)[1] for row in rows]
    assert warnings == ["持续推进", "逾期", "逾期", "逾期", "持续推进", "持续推进", "已完成", "持续推进", "持续推进",
                        "持续推进"]


# --- 2: new-plan keeps a start's day --------------------------------------------------------
LAST_YEAR = [["2025年历城区重点工作任务分解表"], ["序号", "具体要求", "责任单位", "完成时限"],
             [1, "甲。", "区财政局", "2025年7月1日起"],
             [2, "乙。", "区财政局", "2025年10月起长期坚持"],
             [3, "丙。", "区财政局", "2025年1月起每季度报送"],
             [4, "丁。", "区财政局", "7月起"],
             [5, "戊。", "区财政局", "2025年9月底前"],
             [6, "己。", "区财政局", "2025年3月起，6月底前完成"],
             [7, "庚。", "区财政局", "“十四五”期间"],
             [8, "辛。", "区财政局", "十五五期间"],
             [9, "壬。", "区财政局", "每两个月报送一次"],
             [10, "癸。", "区财政局", "2025年13月起"],
             [11, "子。", "区财政局", "收到通知之日起10日内"]]
# (new deadline, 变更说明 note, to check)
CARRIED = [("2025年7月1日起", "自2025-07-01起持续进行的任务，开始时间不顺延，保留原写法", False),
           ("2025年10月起长期坚持", "自2025-10-01起持续进行的任务，开始时间不顺延，保留原写法", False),
           ("2025年1月起每季度报送", "自2025-01-01起持续进行的任务，开始时间不顺延，保留原写法", False),
           ("7月起", "未写年份，按2026年理解，保留原写法", False),
           ("2026年9月底前", "年份顺延：2025年 → 2026年", False),
           ("2026年3月起，6月底前完成", "年份顺延：2025年 → 2026年", False),
           ("“十四五”期间", "所写时期已于2025-12-31结束，没有可顺延的年份，原样保留，请核对", True),
           ("十五五期间", "原时限在2026年或以后，保留原写法", False),
           ("每两个月报送一次", "长期或定期任务，保留原写法", False),
           ("2025年13月起", "无法识别，原样保留，请核对", True),
           ("收到通知之日起10日内", "相对印发日期，保留原写法；请在标题附近写明新计划的印发日期", True)]


def test_new_plan_keeps_a_starts_day(xlsx, tmp_path):
    """A start is work begun then and going on: its day is history, not moved (2026年7月1日起
    would say the work begins anew in July); a dated deadline, start and all, is moved; a period
    named without a year that has ended is kept and to check."""
    src = xlsx({"任务": LAST_YEAR}, name="2025年历城区任务分解表.xlsx")
    out = tmp_path / "2026.xlsx"
    result = run("new-plan", "--year", "2026", "--district", "历城区", "--from", src, "-o", out)
    assert result.exit_code == 0, result.output
    assert "其中 2 项完成时限顺延到2026年，9 项保留原写法，3 项请核对" in result.output
    changes = list(openpyxl.load_workbook(out)["变更说明"].iter_rows(min_row=2, values_only=True))
    assert [(old, new, note) for _, old, new, note in changes] == [
        (row[3], new, note) for row, (new, note, _) in zip(LAST_YEAR[2:], CARRIED)]
    book = CalamineWorkbook.from_path(str(out))
    plan = book.get_sheet_by_name(book.sheet_names[0]).to_python()
    head = next(i for i, row in enumerate(plan) if "完成时限" in row)
    col = plan[head].index("完成时限")
    assert [row[col] for row in plan[head + 1:head + 12]] == [new for new, _, _ in CARRIED]
    # read for 2026, the kept starts still began in 2025 and are never due
    tasks = read_plan(out).tasks
    assert [t.deadline.start for t in tasks[:3]] == [D(2025, 7, 1), D(2025, 10, 1), D(2025, 1, 1)]
    assert all(warning_of(t.deadline, as_of=D(2026, 12, 1)) == "ongoing" for t in tasks[:4])
    assert (tasks[4].due, tasks[5].due, tasks[5].deadline.start) == (D(2026, 9, 30), D(2026, 6, 30), D(2026, 3, 1))
    again = new_plan(tmp_path / "again.xlsx", year=2026, district="历城区", from_plan=src)
    assert [c["code"] for c in again.to_dict()["changes"]] == [
        "start", "start", "start", "no-year", "shifted", "shifted", "period-ended", "still-due", "ongoing", "unknown",
        "relative"]
