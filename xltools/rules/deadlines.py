"""Parse the 完成时限 (deadline) column of task-breakdown sheets.

Offices write deadlines in many shapes (see DOMAIN.md, "Deadlines"). This module turns
one cell into a :class:`Deadline`: a kind, a resolved due date where there is one, an
``ongoing`` flag, and a stable problem code when the text must be reported instead of
guessed.

A range ("2025年3月—6月", "1月至3月", "三季度至四季度") is due at its end and starts on its
first day (``start``).  A staged deadline ("6月底前完成方案，12月底前全面完成") is due at its
last stage; its stages, in order, are kept as ``stages`` (the last one is ``due``), usable
as milestones.  A start ("2025年7月1日起", "2025年10月起长期坚持", "自印发之日起施行") is
ongoing from its day (``start``) and never due; with a recurring report after it
("2025年1月起每季度报送") it is recurring from then.  A five-year plan's period by its name
("“十四五”期间" = 2021—2025年) is read as the range of its years.  A time counted from the
notice's receipt ("收到通知之日起10日内", "接到通知后5个工作日内", "自收到之日起") is counted
from the issue date, as "本文件印发后30日内"; one counted from each case ("自收到申请之日起20个
工作日内予以答复") is a standing rule: ongoing.  A deadline and then a recurring report
("3月底前完成方案，每季度报送进展") is due at the date and ongoing afterwards, like
"…完成，长期坚持"; its detail holds {"recurring": the report's detail}.

Invariants (checked by the tests):
- ``problem is not None`` implies ``due is None`` (we never hand out a guessed date);
- ``stages`` is empty or holds two or more dates in order, the last equal to ``due``;
- ``ongoing`` may still be True alongside a problem when an ongoing phrase is combined
  with a date that needs a year/issue date or is impossible ("9月底前完成，长期坚持" with
  year=None → DATE, due None, ongoing True, problem "needs-year").

Problem codes and their ``detail`` keys:
- ``missing-deadline``  empty text; detail {}
- ``impossible-date``   detail: the parts read, among "year", "month", "day", "quarter",
                        "n" / "unit" (relative overflow); "start" / "end" (a range that ends
                        before it starts, as written) or "stages" (stages out of order, as written)
- ``unparseable``       detail {"text": normalised text}
- ``vague-deadline``    detail {"text": normalised text}
- ``needs-year``        detail: the parts read ("month", "day", "period", "quarter")
- ``needs-issue-date``  detail {"n", "unit"}
- ``seasonal-deadline`` a season with no fixed day (开学前, 元旦春节前); detail {"text", "season"}
春节前 is the day before 春节 by the lunar calendar's table: of the year written, else the
first after the issue date (needs-issue-date without it; detail {"season": "spring-festival"}).
A season with a conventional day (汛期前, 国庆节前, 秋季开学前) is read as that day's phrase,
its detail adding {"season": "flood"|"heating"|"national-day"|"new-year"|"autumn-term"}.
Recurring results carry detail {"period": "month"|"quarter"|"half-year"|"year"|"week"|"half-month"|"ten-days"}
(plus "every" for every few periods: 每两个月 → {"period": "month", "every": 2})
(plus "day" for 每月25日前 / 每季度10日前, "month" and "day" for 每年12月底前 / 每年3月10日前,
"nth_month" (1-based, one past the last = the month after the period) and "day" for
每季度首月10日前 / 每季度末月20日前 / 每季度次月10日前, "n" and "unit" for 每季度结束后10日内,
"weekday" 1..7 for 每周一); relative ones {"n", "unit": "day"|"workday"|"week"|"month"|"hour"}; an
ongoing rule of each case {"n", "unit": the same}.
"""
from __future__ import annotations

import calendar
import datetime
import functools
import enum
import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any

from dateutil.relativedelta import relativedelta

from xltools import schema
from xltools.rules.text import is_same_as_above

__all__ = ["DeadlineKind", "Deadline", "parse_deadline", "deadline_start", "deadline_texts"]


class DeadlineKind(str, enum.Enum):
    DATE = "date"
    ONGOING = "ongoing"
    RECURRING = "recurring"
    RELATIVE = "relative"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Deadline:
    raw: str
    kind: DeadlineKind
    due: datetime.date | None
    ongoing: bool = False
    problem: str | None = None
    detail: dict = field(default_factory=dict)
    stages: tuple[datetime.date, ...] = ()   # a staged deadline's dates in order; the last is `due`
    # The day the work, or its ongoing part, begins where the text says so: "2025年7月1日起"
    # (ongoing from then, never due), a range's first day ("2025年6月至12月" → 6月1日).
    start: datetime.date | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


MISSING = "missing-deadline"
IMPOSSIBLE = "impossible-date"
UNPARSEABLE = "unparseable"
VAGUE = "vague-deadline"
NEEDS_YEAR = "needs-year"
NEEDS_ISSUE = "needs-issue-date"
OFF_PLAN_YEAR = "deadline-off-plan-year"
SEASONAL = "seasonal-deadline"       # 春节前, 开学前: a season whose day is not fixed

# A deadline's year this far from the plan's year is almost certainly a typo ("2011年底前"
# in a 2020 plan): a plan may be issued late in the year before (2019 in a 2020 plan is
# plausible), and long-range goals reach 15 years on ("到2035年" in a 2021 plan).
YEARS_BEFORE_PLAN, YEARS_AFTER_PLAN = 1, 15
# A year written without 年 before what only a year can precede: "2025第三季度", "2025上半年".
_BARE_YEAR_BEFORE = "第|[一二三四]季|[上下]半年"
_WRITTEN_YEAR = re.compile(rf"[0-9]{{4}}(?=年|{_BARE_YEAR_BEFORE})")


def off_plan_year(deadline: "Deadline | None", plan_year: int | None) -> str | None:
    """The deadline as it should probably read when its written year is far from the plan
    year (that year swapped for the plan year), else None.  The one check of a deadline
    against its plan's year: validate and merge call it."""
    if deadline is None or deadline.due is None or plan_year is None or deadline.problem:
        return None
    if plan_year - YEARS_BEFORE_PLAN <= deadline.due.year <= plan_year + YEARS_AFTER_PLAN:
        return None
    written = str(deadline.due.year)
    if written in _WRITTEN_YEAR.findall(deadline.raw):
        return deadline.raw.replace(written, str(plan_year))
    named = _PLAN_NAME.search(deadline.raw)     # “十三五”期间 in a 2025 plan: 十四五
    if named and _plan_years(named[1])[1] == deadline.due.year and (ours := _plan_name(plan_year)):
        return deadline.raw.replace(named[0], ours)
    return None                           # a year the text did not write (an Excel date, a stage)

_K = DeadlineKind
_MIN_YEAR, _MAX_YEAR = 1990, 2100
_EXCEL_EPOCH = datetime.date(1899, 12, 30)  # 1900 system incl. Lotus' fake 1900-02-29

# --- regex building blocks (text is NFKC-normalised and whitespace-free, so ASCII
# digits and punctuation only; [0-9] rather than \d keeps other scripts' digits out).
_CNNUM = "[一二两三四五六七八九]?十[一二三四五六七八九]?|[一二两三四五六七八九]"
_NUM = rf"[0-9]{{1,2}}|{_CNNUM}"
_BEFORE = "(?:之前|以前|前)?"
_YEAR = rf"(?:(?P<y>[0-9]{{4}})(?:年|(?={_BARE_YEAR_BEFORE}|[Qq]))|(?P<ry>次年|明年|本年|今年|当年))?"

_LEAD_NOISE = re.compile(r"^(?:(?:完成时限|完成时间|时间节点|截止时间|截止日期|时限):?|力争|确保|争取|于|在|[,;、:]"
                         r"|截[至止](?:到|于)?|最迟(?:于|在)?|至迟(?:于|在)?|不晚于|到|至)")   # 截至2025年底, 到2027年: by then
_TRAIL_NOISE = re.compile(r"(?:[。.,;、!]|完成(?:阶段性?任务|任务)?)$")
_ONGOING = "长期(?:坚持|执行|推进)?|常态化(?:推进|开展)?|持续(?:推进|开展|实施|落实)?"
_ONGOING_LEAD = re.compile(rf"^\(?(?:{_ONGOING})\)?(?P<rest>.*)$")
# a date and then ongoing work, joined: "…完成，长期坚持", "…完成并长期坚持", "…完成，此后长期坚持"
_ONGOING_TRAIL = re.compile(rf"^(?P<rest>.*?)(?:并且|并|此后|之后|以后|后)?\(?(?:{_ONGOING})\)?$")
_ONGOING_END = re.compile(rf"(?:{_ONGOING})\)?$")   # what a stage does, ongoing: "…建成后持续推进"

# Words that name no time: reported, never read as a date.  What follows them ("尽快组织实施")
# is the action, as long as it names no time either.
# "按上级要求", "根据省市统一部署", "以上级通知为准": whenever someone else says, no time of its own.
_SAYS_ELSEWHERE = ("(?:按照?|根据|依据|遵照|视)(?:上级|上面|国家|中央|省里|市里|省市|省|市|县|区|有关|相关|统一|工作)*"
                   "(?:要求|部署|安排|规定|通知)|以(?:上级)?(?:通知|要求|文件)为准")
_VAGUE = re.compile("^(?:尽快|尽早|及早|及时|适时|适当时[候间机]|择机|按要求|按时|按期|视情况?|根据(?:工作)?需要"
                    f"|另行通知|待定|随时|即时|随到随办|即来即办|即收即办|{_SAYS_ELSEWHERE})+[^0-9年月日号季旬]{{0,8}}$")
_AT_ONCE = re.compile("^(?:立行立改|即知即改|即查即改|立即(?:整改|执行|落实|实施|开展|启动|办理)?)$")
# The day a plan's notice reaches the units: its issue (本文件印发, 通知下发) or its receipt
# (收到通知, 接到本通知, 自收到之日起: what is received is the notice), read as the issue date.
_NOTICE = "(?:本|该|此)?(?:文件|通知|方案|意见)?"
_ISSUE_EVENT = f"{_NOTICE}(?:印发|下发|发布|出台)|{_NOTICE}(?:收到|接到|接收到?){_NOTICE}"
_RELATIVE = re.compile(
    rf"^[自从]?(?:{_ISSUE_EVENT})(?:之日(?:后|起|以后)?|后|起|以后)(?P<n>[0-9]{{1,4}}|{_CNNUM})个?"
    rf"(?P<u>工作日|自然日|日|天|周|星期|月)(?:内|之内|以内)$")
# A time counted from something received (收到…后N日内): what is received decides whose time it
# is (the rule, here only, see _of_notice).  The plan's notice itself (收到通知之日起10日内, 接到本通知后,
# 收到文件后, 自收到之日起: nothing named) is counted from the issue date, as 本文件印发后30日内;
# anything else received (留言, 投诉, 举报, 申请, 来信, 转办件, 上级通知 …) or a case taken up (受理)
# starts a time of each case (自收到申请之日起20个工作日内予以答复, 接到举报后24小时内): a standing
# rule with no date of its own: ongoing, never due.  What is done in that time may follow (办结);
# a date in what is received (收到2026年留言后) is no such rule.
_RECEIVED = re.compile(
    rf"^[自从于]?(?P<verb>收到|接到|接收到?|受理)(?P<what>(?:(?![0-9]+[年月日号])[\u4e00-\u9fff0-9A-Za-z“”\"《》（）()、]){{0,20}}?)"
    rf"(?:之日(?:后|起|以后)?|后|起|以后)(?P<n>[0-9]{{1,4}}|{_CNNUM})个?(?P<u>工作日|自然日|日|天|小时|月|周|星期)"
    rf"(?:内|之内|以内)[^0-9年月日号季旬天]{{0,8}}$")


def _of_notice(verb: str, what: str) -> bool:
    """Is what is received the plan's notice (counted from its issue), not a case?"""
    return verb != "受理" and re.fullmatch(_NOTICE, what) is not None


_UNITS = {"工作日": "workday", "月": "month", "小时": "hour", "周": "week", "星期": "week"}   # others: (natural) days
# Recurring: each period (month, quarter, half year, year, week), then when in it: its end
# (每季度, 每季度末), a day of it (每月25日前, 每季度10日前: the quarter's 10th day, which is also
# the 10th of the month after the quarter before: the report on a quarter falls on the same
# days whichever an office means, as 每季度结束后10日内 and 每季度次月10日前 do), a month of
# it (每季度首月10日前, 每季度末月20日前, 每季度次月10日前: the month after, 每年6月底前,
# 每年一季度), a part of a month (每月上旬), or days after its end (每季度结束后10日内,
# 每月结束后5个工作日内); a week's day (每周五前).  Every few periods (每两个月, 每两周, 每两年:
# "every"), or twice or three times a month (每半月: the 15th and the month's end; 每旬: the
# 10th, 20th and end).  What is reported may follow.
_NTH_MONTH = {"首": 1, "第一个": 1, "第1个": 1, "第二个": 2, "第2个": 2, "第三个": 3, "第3个": 3, "末": -1,
              "最后一个": -1, "最后": -1, "尾": -1, "次": 0, "下": 0, "下个": 0, "下一个": 0,
              "结束后次": 0, "结束后下": 0, "后次": 0}   # -1 its last month, 0 the month after it
_WEEKDAYS = {c: i for i, c in enumerate("一二三四五六日")} | {"天": 6} | {str(i + 1): i for i in range(7)}
_RECURRING = re.compile(
    rf"^(?:每(?P<every>两(?=月)|(?:[0-9]{{1,2}}|{_CNNUM})(?=个|季|年|周|星期))?|按|各)"   # 每三月: every March?
    r"(?:(?P<month>个?月份?)|(?P<quarter>个?季度?)|(?P<half>半年度?)|(?P<year>年度?)"
    r"|(?P<week>周|星期)(?P<wd>[一二三四五六日天1-7])?|(?P<days>半个?月份?|旬))"
    rf"(?:(?P<nth>{'|'.join(sorted(_NTH_MONTH, key=len, reverse=True))})月份?的?"
    rf"|(?P<ym>1[0-2]|[1-9]|{_CNNUM})月份?|第?(?P<yq>[1-4一二三四])季度?)?"
    r"(?P<again>年|季|月)?"          # 每年年底, 每月月底, 每季季末: the period named again
    rf"(?:(?P<d>[0-9]{{1,2}}|{_CNNUM})[日号]|(?P<part>底|末|初|上旬|中旬|下旬|中))?"
    rf"(?:(?:结束|届满)?后(?P<n>[0-9]{{1,2}}|{_CNNUM})个?(?P<nu>工作日|自然日|日|天)(?:内|之内|以内)?)?"
    + _BEFORE
    + "(?:报送|上报|报告|调度|更新|通报|汇报)?(?:上月|本月|当月|上季度|本季度|当季|上半年|全年|年度)?"
      "(?:工作)?(?:进展|进度|情况)?(?:一次)?$")
# what may follow a recurring phrase as what is done each time: nothing that names a time
_TIME_LEFT = re.compile(rf"^(?:首|末|尾|次|第|最后|结束|届满|后|前|底|初|中|上旬|下旬|年|半|季|月|周|星期)"
                        rf"|(?:[0-9]+|{_CNNUM}|两)个?(?:工作日|日|号|天|月|周|季|年)")   # not 报送2次
_YMD_NUMERIC = re.compile(  # 2025.6.30 / 2025/6/30 / 2025-06-30 (optionally a time part)
    rf"^(?P<y>[0-9]{{4}})([./-])(?P<m>[0-9]{{1,2}})\2(?P<d>[0-9]{{1,2}})日?"
    rf"(?:[0-9]{{2}}:[0-9]{{2}}(?::[0-9]{{2}})?)?{_BEFORE}$")
_YM_NUMERIC = re.compile(rf"^(?P<y>[0-9]{{4}})[./-](?P<m>[0-9]{{1,2}})(?:月底?|月份)?{_BEFORE}$")  # 2025.6, 2025-06
_YMD = re.compile(rf"^{_YEAR}(?P<m>{_NUM})月(?P<d>[0-9]{{1,2}}|{_CNNUM})[日号]{_BEFORE}$")
_YM = re.compile(rf"^{_YEAR}(?P<m>{_NUM})月份?(?P<part>底|末|初|中|上旬|中旬|下旬)?{_BEFORE}$")
_YSPAN = re.compile(
    rf"^{_YEAR}(?P<span>年?度?(?:底|末|内|期间)|全年度?|度|上半年|下半年"
    rf"|第?(?P<q>[1-4一二三四])季度?(?:末|底)?|[Qq](?P<q2>[1-4]))?{_BEFORE}$")

_DAY_IN_MONTH = {"初": 5, "中": 15, "上旬": 10, "中旬": 20}  # others: end of month

# A five-year plan's period by its name, quoted or not: “十四五”期间 / 十四五时期 / 十四五规划期内
# is 2021—2025年 (due at its end, begun on its first day, as that range), 十四五末 its end.
# The 11th (十一五) began in 2006, each runs five years; 十五 (the 10th) is not read: "十五日".
_PLAN_NAME = re.compile("十([一二三四五六七八九])五")
_PLAN_DIGITS = "一二三四五六七八九"


def _plan_years(digit: str) -> tuple[int, int]:
    """The first and last year of the five-year plan 十<digit>五."""
    first = 2006 + 5 * _PLAN_DIGITS.index(digit)
    return first, first + 4


def _plan_name(year: int) -> str | None:
    """十四五 for 2021..2025: the name of the five-year plan `year` is in (十一五..十九五)."""
    i = (year - 2006) // 5
    return f"十{_PLAN_DIGITS[i]}五" if 0 <= i < len(_PLAN_DIGITS) else None


_PLAN_PERIOD = re.compile(
    r"^(?:整个)?(?P<q>[\"'“‘「『])?(?P<n>十[一二三四五六七八九])五(?(q)[\"'”’」』])(?:规划(?=期))?"
    rf"(?:(?P<end>(?:时期|期)?末期?){_BEFORE}|(?:期间|时期|期)?内?)$")

# Seasons and festivals offices date work by (汛期前, 国庆节前, 秋季开学前, 节假日期间).  A
# season with a conventional day is read as that day's phrase in the plan's year: the main
# flood season (主汛期) of most of China runs 6月1日—9月30日, the northern heating season
# 11月15日—次年3月15日, the National Day holiday 10月1日—7日, the autumn term begins 9月1日;
# 汛期前 is then "5月31日前".  A season without one is never guessed: 春节 and the spring term
# follow the lunar calendar, 开学 alone may be either term, 节假日 are many days; before it
# (春节前, 开学前) is told as a seasonal deadline, during it (节假日期间) is work of every
# such time: ongoing.  (name key, its spellings, before, by its end, during) — None: no fixed day.
_SEASONS = (
    ("flood", ("主汛期", "汛期", "入汛", "汛", "雨季"), "5月31日", "9月30日", "6月1日至9月30日"),
    ("heating", ("冬季供暖", "冬季采暖", "供暖季", "供暖期", "采暖季", "采暖期", "供暖", "采暖"),
     "11月14日", "次年3月15日", "11月15日至次年3月15日"),
    ("national-day", ("国庆节", "国庆"), "9月30日", "10月7日", "10月1日至10月7日"),
    ("new-year", ("元旦",), "12月31日", None, None),             # the coming 元旦: the plan year's last day
    ("autumn-term", ("秋季学期开学", "秋季开学", "秋季学期"), "8月31日", None, None),
    ("spring-festival", ("元旦春节", "元旦、春节", "春节", "两节", "春运"), None, None, None),
    ("term", ("春季学期开学", "春季开学", "新学期开学", "开学"), None, None, None),
    ("holidays", ("重要节假日", "重大节假日", "法定节假日", "节假日", "重要节日", "重大节日", "节日", "假期",
                  "寒暑假", "暑期", "暑假", "寒假"), None, None, None),
)
_SEASON_OF = {name: row for row in _SEASONS for name in row[1]}
# 春节 (the first day of the lunar year) by year, as the lunar calendar gives it (checked
# against lunar-python): 春节前 is the day before the first 春节 after the notice's issue
# (a plan issued in January means that month's; one issued in March, next year's), or of
# the year written (2026年春节前).  Outside these years it is told, not guessed.
_SPRING_FESTIVAL = {2018: (2, 16), 2019: (2, 5), 2020: (1, 25), 2021: (2, 12), 2022: (2, 1), 2023: (1, 22),
                    2024: (2, 10), 2025: (1, 29), 2026: (2, 17), 2027: (2, 6), 2028: (1, 26), 2029: (2, 13),
                    2030: (2, 3), 2031: (1, 23), 2032: (2, 11), 2033: (1, 31), 2034: (2, 19), 2035: (2, 8),
                    2036: (1, 28), 2037: (2, 15), 2038: (2, 4), 2039: (1, 24), 2040: (2, 12)}


def _spring_festival(year: int) -> datetime.date | None:
    return datetime.date(year, *_SPRING_FESTIVAL[year]) if year in _SPRING_FESTIVAL else None


def _spring_festival_after(day: datetime.date) -> datetime.date | None:
    """The first 春节 after `day` (on it: that one), or None beyond the table."""
    return next((f for y in (day.year, day.year + 1) if (f := _spring_festival(y)) and f >= day), None)


def _before_spring_festival(t: str, lead: str, year: int | None, issued: datetime.date | None,
                            as_of: datetime.date) -> Deadline | None:
    """春节前: the day before 春节 (see _SPRING_FESTIVAL); every year's (每年春节前) the next one
    after `as_of`; without a year written, the first after the issue date, which must be known.
    None beyond the table."""
    detail = {"season": "spring-festival"}
    if lead == "每年":
        after = _spring_festival_after(as_of + datetime.timedelta(days=1))
        return after and Deadline(t, _K.RECURRING, after - datetime.timedelta(days=1), ongoing=True,
                                  detail={"period": "year"} | detail)
    if lead:
        m = _YSPAN.match(lead)
        y = _year(m, year) if m else None
        if y is None:
            return Deadline(t, _K.DATE, None, problem=NEEDS_YEAR, detail={"period": "春节"})
        festival = _spring_festival(y)
    elif issued is None:
        return Deadline(t, _K.DATE, None, problem=NEEDS_ISSUE, detail=detail)
    else:
        festival = _spring_festival_after(issued.date() if isinstance(issued, datetime.datetime) else issued)
    return festival and Deadline(t, _K.DATE, festival - datetime.timedelta(days=1), detail=detail)
_SEASON_START = re.compile(f"^(?:{'|'.join(sorted(_SEASON_OF, key=len, reverse=True))})")
_SEASON = re.compile(
    r"^(?P<lead>(?:[0-9]{4}年度?|次年|明年|本年|今年|当年|每年)?)"
    f"(?P<season>{'|'.join(sorted(_SEASON_OF, key=len, reverse=True))})"
    r"(?P<when>(?:来临|到来|开始)?(?:之前|以前|前)|结束(?:之前|以前|前)|期间|期内|内|时期|)$")


def _seasonal(t: str, year: int | None, issued: datetime.date | None, as_of: datetime.date) -> Deadline | None:
    """A season phrase (see _SEASONS), or None when `t` is none: read as its conventional
    date phrase, ongoing during a season of no fixed day, else told (SEASONAL)."""
    m = _SEASON.match(t)
    if m is None or not m["when"] and not m["season"].endswith(("期", "季")):
        return None               # a season alone is a time only as a period's name (汛期, 供暖季), not 春节, 开学
    key, _, before, end, during = _SEASON_OF[m["season"]]
    when, lead = m["when"], m["lead"]
    if m["season"] == "春节" and when.endswith("前") and (read := _before_spring_festival(t, lead, year, issued, as_of)):
        return read
    said = before if when.endswith("前") and not when.startswith("结束") else end if when.startswith("结束") else during
    if said is None:
        if when.endswith("前") or lead == "每年":
            return Deadline(t, _K.UNKNOWN, None, problem=SEASONAL, detail={"text": t, "season": key})
        return Deadline(t, _K.ONGOING, None, ongoing=True, detail={"season": key})
    if lead and lead != "每年" and "至" in said:       # 2025年汛期期间: 2025年6月1日至9月30日
        said = said.replace("至", "至" + lead)
    read = _parse_core(lead + said + ("前" if when.endswith("前") else ""), year, issued, as_of)
    return replace(read, raw=t, detail=read.detail | {"season": key}) if read.problem is None else replace(read, raw=t)


# Ranges: START SEP END, due at END.  Every dash and tilde offices type (full-width ones are
# folded by NFKC: － → -, ～ → ~), 至/到, "起至".  A start written without its unit takes
# the end's ("3—6月", "三至四季度", "2024—2025年"); an end without a year takes the start's.
_RANGE_SEP = re.compile("(?:起|开始)?(?:至|到)|[—–―‒~〜-]+|、")
_RANGE_FROM = re.compile("^(?:自|从)")
_BARE_END = re.compile(rf"(?:[0-9]{{1,4}}|{_CNNUM})$")
_END_UNIT = re.compile(rf"^第?(?:[0-9]{{1,4}}|{_CNNUM})(年|月份?|季度|季|日|号)")
_END_DAY = re.compile(rf"^(?:[0-9]{{1,2}}|{_CNNUM})[日号]")
_HAS_YEAR = re.compile("[0-9]{4}")

# Stages: date phrases (each with what is done by then) separated by punctuation or lines:
# "6月底前完成方案，12月底前全面完成", "2024年7月底前制定方案；2024年10月底前完成".
_STAGE_SEP = re.compile("[,;。、\n\r]+")        # on NFKC text: ，→ , ；→ ;
_STAGE_LABEL = re.compile("^[^0-9:]{1,10}:")     # "第一阶段：3月底前"
# What is done by a stage names no time itself, and does not go on a date phrase ("2025年"
# + "前完成" is not a stage: "2025年前" is ambiguous).
# Nor does it end in a time of its own (2025年汛期前), nor begin a start (see _stage).
_ACTION = re.compile("(?![前底末内初以之年度]|.*(?:前|期间|期内)$)"
                     "(?:(?!全年|半年|年[底末内]|年度内|[次明本当今]年"
                     f"|(?:{_CNNUM})个?(?:工作日|自然日|日|天)(?:以内|之内|内))[^0-9月季旬])*")   # 起三十日内: a time
_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2, "〇": 0}

# Stage markers: ①②③, ⑴⑵, ⒈⒉, ❶, ㈠ (one character each; NFKC would turn ① into the digit 1
# and "①3月底前" into "13月底前") and (1) （一） 1） written out, at the start of the text or
# after a separator.  Each becomes a stage separator before anything else reads the text.
_MARK_CHARS = "".join(chr(c) for lo, hi in ((0x2460, 0x249B), (0x24EB, 0x24FE), (0x2776, 0x2793),
                                           (0x3220, 0x3229), (0x3251, 0x325F), (0x32B1, 0x32BF))
                      for c in range(lo, hi + 1))
_MARK_CHAR = re.compile(f"[{_MARK_CHARS}]")
_MARK_TEXT = re.compile(r"(?:^|(?<=[\s,;。、:]))(?:\((?:[0-9]{1,2}|[一二三四五六七八九十]{1,2})\)|[0-9]{1,2}\))")
_MARKED = "§"          # where a marker stood (a separator no office types in a deadline)
_STRONG_SEP = re.compile("[;。\n\r]+")   # what ends a stage and its action (a comma may part the two)
# a time word in a piece: such a piece is a stage of its own or unreadable, never an action
_RECURRING_HEAD = re.compile(rf"^(?:每(?:[0-9]{{1,2}}|{_CNNUM})?|按|各)(?:个?月份?|个?季度?|半个?月|半年|旬|年度?|周|星期)(?:底|末)?")


def _unmark(text: str) -> str:
    """The text with its stage markers replaced by _MARKED (NFKC applied afterwards)."""
    if _MARK_CHAR.search(text):
        text = _MARK_CHAR.sub(_MARKED, text)
    text = unicodedata.normalize("NFKC", text)
    return _MARK_TEXT.sub(_MARKED, text) if "(" in text or ")" in text else text


def _int(s: str) -> int:
    """ASCII digits or a small Chinese numeral (一..九十九) → int."""
    if s.isascii():
        return int(s)
    tens, has_ten, ones = s.partition("十")
    if not has_ten:
        return _CN_DIGITS[s]
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def _month_end(y: int, m: int) -> datetime.date:
    return datetime.date(y, m, calendar.monthrange(y, m)[1])


def _quarter_end(y: int, q: int) -> datetime.date:
    return _month_end(y, 3 * q)


_CN_YEAR = re.compile("([〇零一二三四五六七八九]{4})(?=年)")   # 二〇二五年, as formal documents write it


def _normalise(raw: str) -> str:
    # NFKC folds full-width digits/letters/punctuation (and \u3000) to half-width.
    text = re.sub(r"[\s\u200b\ufeff]+", "", unicodedata.normalize("NFKC", raw))
    return _CN_YEAR.sub(lambda m: "".join(str(_CN_DIGITS[c]) for c in m[0]), text)


def _clean(text: str) -> str:
    """Strip labels, filler particles, a trailing 完成/。 and wrapping brackets."""
    while True:
        new = _TRAIL_NOISE.sub("", _LEAD_NOISE.sub("", text))
        if len(new) >= 2 and new[0] == "(" and new[-1] == ")":
            new = new[1:-1]
        if new == text:
            return text
        text = new


def _today() -> datetime.date:
    return datetime.date.today()


def parse_deadline(value, year: int | None = None, issued: datetime.date | None = None,
                   as_of: datetime.date | None = None) -> Deadline:
    """Parse one deadline cell. Never raises; problems are reported in the result."""
    if value is None:
        return Deadline("", _K.UNKNOWN, None, problem=MISSING)
    if isinstance(value, datetime.datetime):  # before date: datetime is a date subclass
        return Deadline(str(value), _K.DATE, value.date())
    if isinstance(value, datetime.date):
        return Deadline(str(value), _K.DATE, value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        serial = excel_serial_date(value)
        if serial is not None:
            return Deadline(str(value), _K.DATE, serial)
        return Deadline(str(value), _K.UNKNOWN, None, problem=UNPARSEABLE, detail={"text": str(value)})

    return _parse_text(value if isinstance(value, str) else str(value), year, issued, as_of or _today())


def same_date(a: Any, b: Any) -> bool:
    """Two deadline cells naming the same day in other forms: a date cell and its text as a
    sheet shows it (2026-11-30 and 2026年11月30日; 2026.11.30, 2026年11月底前).  Only one
    day with its year written counts: a phrase without a year (12月底前), stages, an
    ongoing or recurring task are compared as text."""
    days = [parse_deadline(v) for v in (a, b)]
    return all(d.kind is _K.DATE and d.ok and d.due is not None and not d.stages and not d.ongoing
               and (not isinstance(d.raw, str) or years_in(d.raw)) for d in days) and days[0].due == days[1].due


def deadline_texts(rows: list[dict]) -> list:
    """Each 汇总 row's (column key → value) deadline as meant: a 同上 (as the district
    wrote it, kept in the master) is the deadline of the row above it in the same
    district's sheet, as the reader took it; 截止日期 holds that row's date, not whether
    it is ongoing."""
    above: dict[tuple, object] = {}
    out = []
    for row in rows:
        text = row.get(schema.DEADLINE.key)
        where = (row.get(schema.DISTRICT.key), row.get(schema.SOURCE_FILE.key), row.get(schema.SOURCE_SHEET.key))
        if is_same_as_above(text):
            text = above.get(where, text)
        else:
            above[where] = text
        out.append(text)
    return out


def excel_serial_date(value) -> datetime.date | None:
    """A number that is a plausible Excel date serial (1954..2119) as its date; None
    for anything else (NaN fails the range too)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 20000 <= value <= 80000:
        return _EXCEL_EPOCH + datetime.timedelta(days=int(value))
    return None


_BEFORE_PHRASE = " \t\r\n\u3000；;，,、：:"


def deadline_start(text: str) -> int | None:
    """Where the deadline phrase that ends `text` starts, or None: the longest tail the
    grammar reads (a date, a period, ongoing, recurring, relative, or a phrase it knows is
    wrong, such as an impossible date or a vague word).  For a cell holding something else
    before its deadline (责任单位及完成时限: "区财政局、区审计局\n2025年6月底前" → 10)."""
    for i, ch in enumerate(text):
        if ch in _BEFORE_PHRASE or (i and text[i - 1] not in _BEFORE_PHRASE and _same_word(text[i - 1], ch)):
            continue
        if _parse_text(text[i:], None, None, _today()).problem not in (UNPARSEABLE, MISSING):
            return i
    return None


def _same_word(before: str, ch: str) -> bool:
    """A phrase does not start inside a number (2025 → "025")."""
    return before.isdigit() and ch.isdigit()


@functools.lru_cache(maxsize=16384)   # deadline phrases repeat across rows and files
def _parse_text(raw: str, year: int | None, issued: datetime.date | None, as_of: datetime.date) -> Deadline:
    unmarked = _unmark(raw)
    text = _clean(_normalise(unmarked.replace(_MARKED, ";")))
    if not text:
        return Deadline(raw, _K.UNKNOWN, None, problem=MISSING)
    result = _parse_phrase(text, year, issued, as_of)
    if result.problem == UNPARSEABLE:   # not one phrase: perhaps stages, each with its action
        result = _staged(unmarked, year, issued, as_of) or result
    return replace(result, raw=raw)


def _parse_phrase(text: str, year: int | None, issued: datetime.date | None, as_of: datetime.date) -> Deadline:
    """One phrase, with ongoing words peeled off either end: what remains is the date part."""
    ongoing = False
    while text:
        m = _ONGOING_LEAD.match(text) or _ONGOING_TRAIL.match(text)
        if not m:
            break
        ongoing, text = True, _clean(m["rest"])
    if not text:
        return Deadline(text, _K.ONGOING, None, ongoing=True)
    result = _parse_core(text, year, issued, as_of)
    if ongoing and result.kind is not _K.UNKNOWN:
        result = replace(result, ongoing=True)
    return result


def _parse_core(t: str, year: int | None, issued: datetime.date | None,
                as_of: datetime.date) -> Deadline:
    if _VAGUE.match(t):
        return Deadline(t, _K.UNKNOWN, None, problem=VAGUE, detail={"text": t})
    if _AT_ONCE.match(t):
        return _relative(t, 0, "day", issued)
    if m := _RELATIVE.match(t):
        return _relative(t, _int(m["n"]), _UNITS.get(m["u"], "day"), issued)
    if m := _RECEIVED.match(t):
        n, unit = _int(m["n"]), _UNITS.get(m["u"], "day")
        if _of_notice(m["verb"], m["what"]):
            return _relative(t, n, unit, issued)
        return Deadline(t, _K.ONGOING, None, ongoing=True, detail={"n": n, "unit": unit})
    if (m := _RECURRING.match(t)) and (recurring := _recurring(t, m, as_of)):
        return recurring
    return (_point(t, year) or _range(t, year) or _started(t, year, issued, as_of)
            or _seasonal(t, year, issued, as_of)
            or Deadline(t, _K.UNKNOWN, None, problem=UNPARSEABLE, detail={"text": t}))


def _point(t: str, year: int | None) -> Deadline | None:
    """One point in time (a day, a month, a quarter, a half or a whole year), or None."""
    period = _period(t, year)
    return period[0] if period else None


_FIRST_DAY = {"中": 15, "中旬": 11, "下旬": 21}   # where a part of a month begins (初, 上旬: the 1st)


def _period(t: str, year: int | None) -> tuple[Deadline, datetime.date | None] | None:
    """One point in time as a due date, and the first day of what it names (a day: that
    day; 6月: 6月1日; 三季度: 7月1日; 下半年: 7月1日; 2025年: 1月1日; 6月底, 年底: the last
    day), the first day None when the point has a problem; None when `t` is no point."""
    if m := _YMD_NUMERIC.match(t):
        d = _date(t, int(m["y"]), int(m["m"]), int(m["d"]))
        return d, d.due
    if m := _YM_NUMERIC.match(t):
        d = _date(t, int(m["y"]), int(m["m"]), None)
        return d, d.due and d.due.replace(day=1)
    if m := _YMD.match(t):
        d = _date(t, _year(m, year), _int(m["m"]), _int(m["d"]))
        return d, d.due
    if m := _YM.match(t):
        d = _date(t, _year(m, year), _int(m["m"]), _DAY_IN_MONTH.get(m["part"]))
        return d, d.due and (d.due if m["part"] in ("底", "末") else d.due.replace(day=_FIRST_DAY.get(m["part"], 1)))
    if m := _PLAN_PERIOD.match(t):
        years = _plan_years(m["n"][1])
        first, due = datetime.date(years[0], 1, 1), datetime.date(years[1], 12, 31)
        return Deadline(t, _K.DATE, due, start=None if m["end"] else first), due if m["end"] else first
    if (m := _YSPAN.match(t)) and _span_ok(m):
        d = _span(t, m, _year(m, year))
        span, q = m["span"] or "", m["q"] or m["q2"]
        month = 3 * _int(q) - 2 if q else 7 if span == "下半年" else 1
        return d, d.due and (d.due if span.endswith(("底", "末")) else d.due.replace(month=month, day=1))
    return None


# A start: from a day, a month, a quarter or a year on ("2025年7月1日起", "自2025年10月起长期
# 坚持", "2025年7月开始", "2025年以来", "自印发之日起施行"): ongoing from then, never due.  What
# follows is what is done from then on, or a recurring report ("2025年1月起每季度报送").
_START_WORD = "起(?!草|步|诉|算)|开始|以来"     # 起草 (draft) is an action, not a start
_START = re.compile(rf"^(?:自|从)?(?P<when>.+?)(?:{_START_WORD})(?P<rest>.*)$")
# after a date phrase, what makes it a time of its own, or a name: a start, a middle ("十四五中期",
# "2025年中期"), a plan ("十四五规划编制": a task's name, not a deadline)
_STARTS_OTHER = re.compile(f"{_START_WORD}|中期|规划")
_ISSUE_DAY = re.compile(rf"^(?:{_ISSUE_EVENT})(?:之日)?$")
_ONGOING_ONLY = re.compile(rf"\(?(?:{_ONGOING})\)?")


def _started(t: str, year: int | None, issued: datetime.date | None, as_of: datetime.date) -> Deadline | None:
    """A start phrase: ongoing (or recurring) from its day, with no due date of its own;
    None when `t` is not one.  A start without its issue date or year is still ongoing: the
    problem is told, no day guessed."""
    m = _START.match(t)
    if not m or m["when"].endswith("前"):
        return None                # "6月底前开始试运行": begun by then, a due date
    if _ISSUE_DAY.match(m["when"]):
        read, first = Deadline(t, _K.ONGOING, None, ongoing=True), issued
    elif (period := _period(m["when"], year)) is not None:
        read, first = period
    else:
        return None
    if isinstance(first, datetime.datetime):
        first = first.date()
    rest = _clean(m["rest"])
    if rest and (recurring := _recurring_start(rest, as_of, first)) is not None:
        result = replace(recurring, raw=t)
    elif not rest or _ONGOING_ONLY.fullmatch(rest) or _ACTION.fullmatch(rest):
        result = Deadline(t, _K.ONGOING, None, ongoing=True, start=first)
    else:
        return None
    if read.problem:
        return replace(result, due=None, start=None, problem=read.problem, detail=read.detail)
    return result


def _range(t: str, year: int | None) -> Deadline | None:
    """START—END, due at the end; None when no split of `t` reads as two points."""
    if len(t) > _LONGEST:
        return None
    for sep in _RANGE_SEP.finditer(t):
        start, end = _RANGE_FROM.sub("", t[:sep.start()]), t[sep.end():]
        if not start or not end or sep[0] == "、" and not _BARE_END.search(start):
            continue                   # 、 only lists the parts of one span: 二、三季度, 3、4月
        if _BARE_END.search(start) and (unit := _END_UNIT.match(end)):
            start += unit[1]                                   # 3—6月 → 3月; 三至四季度 → 三季度
        if _END_DAY.match(end) and "月" in start:
            end = start[:start.rindex("月") + 1] + end         # 6月1日至30日 → 6月30日
        period = _period(start, year)
        if period is None:
            continue
        first, first_day = period
        own_year = first.due.year if first.due and _HAS_YEAR.search(start) else year
        last = _point(end, own_year)
        if last is None:
            continue
        if first.problem == IMPOSSIBLE or last.problem:
            return replace(first if first.problem == IMPOSSIBLE else last, raw=t)
        if first.due and first.due > last.due:   # "6月至3月": a misread, not a range
            return Deadline(t, _K.DATE, None, problem=IMPOSSIBLE, detail={"start": start, "end": end})
        return Deadline(t, _K.DATE, last.due, start=first_day)
    return None


_LONGEST = 60   # a range or a stage's date phrase is short: longer text is not searched for one
_PROBLEM_ORDER = (IMPOSSIBLE, VAGUE, NEEDS_ISSUE, NEEDS_YEAR)   # which problem of several stages is told


def _staged(text: str, year: int | None, issued: datetime.date | None, as_of: datetime.date) -> Deadline | None:
    """Stages, due at the last; None when the text is not stages.  `text` is NFKC with its
    stage markers as _MARKED.
    - Marked (①3月底前，完成方案。②6月底前…): each marker begins a stage; a stage is its
      date phrase and what is done by then, in any words (a stage may also be done 每月…).
    - Parted by 。；or lines into two or more stages, each beginning with its date phrase
      (3月底前，完成设计招标。5月底前，开工建设。): the words after a stage's date are its action.
    - Otherwise every piece between separators is a date phrase with its action, or an
      ongoing phrase: "6月底前完成方案，12月底前全面完成"."""
    if _MARKED in text:
        head, *segments = text.split(_MARKED)
        if _clean(_normalise(head)):
            return None                  # words before the first marker: not a staged deadline
        marked = True
    else:
        segments = [s for s in _STRONG_SEP.split(text) if _clean(_normalise(s))]
        marked = False
        if len(segments) < 2:
            segments = [text]
    parted = marked or len(segments) > 1
    ongoing, stages, recurring, starts = False, [], [], []
    open_start = False     # a start ("4月起全面推行") after the last dated stage: ongoing from then
    for segment in segments:
        pieces = [p for p in (_clean(_normalise(x)) for x in _STAGE_SEP.split(segment)) if p]
        timed = False
        for piece in pieces:
            stage = _stage(_STAGE_LABEL.sub("", piece), year, issued, as_of)
            if stage is None and _RECURRING_HEAD.match(piece):   # 每季度完成监测: done every quarter
                if _recurring_start(piece, as_of) is not None:
                    recurring.append(piece)
                    timed = True
                    continue
            if stage is not None and stage.problem == VAGUE and parted and timed:
                stage = None          # "3月底前，及时发布": the words of the stage above, not a time
            if stage is None:
                if parted and (marked or timed):
                    continue          # what is done by the stage above (or, marked, by this stage)
                return None
            timed = True
            if stage.start is not None:
                starts.append(stage.start)
                if _HAS_YEAR.search(stage.raw):
                    year = stage.start.year     # "2025年3月起，6月底前完成": June of 2025
            if stage.kind is _K.ONGOING and stage.start is not None and not _ONGOING_END.search(piece):
                open_start = True      # "2025年3月起，6月底前完成": from March, due in June
                continue
            ongoing = ongoing or stage.ongoing
            if stage.kind is _K.ONGOING:
                continue
            open_start = False
            if stage.kind is _K.DATE and stage.problem is None and _HAS_YEAR.search(stage.raw):
                year = stage.due.year           # a later stage without a year is in the year written before
            stages.append(stage)
        if parted and not marked and not timed:
            return None
    start = min(starts, default=None)
    reports = [_recurring_start(piece, as_of, start) for piece in recurring]
    if wrong := next((r for r in reports if r.problem), None):
        return replace(wrong, raw=text)     # "每年2月30日前，每季度报送": told, whatever else is read
    if not stages:
        if reports:                     # done every month, every quarter …: due at the next report
            return min(reports, key=lambda s: s.due)
        return None
    ongoing = ongoing or open_start
    then = {}
    if reports:        # "3月底前完成方案，每季度报送进展": due at the date, then reported each period
        ongoing, then = True, {"recurring": reports[0].detail}
    text = "；".join(p for p in (_clean(_normalise(x)) for x in _STAGE_SEP.split(text.replace(_MARKED, ";"))) if p)
    problems = [s for s in stages if s.problem]
    if problems:
        worst = min(problems, key=lambda s: _PROBLEM_ORDER.index(s.problem))
        return Deadline(text, worst.kind, None, ongoing=ongoing and worst.problem != VAGUE,
                        problem=worst.problem, detail=worst.detail)
    dues = [s.due for s in stages]
    if dues != sorted(dues):
        return Deadline(text, _K.DATE, None, ongoing=ongoing, problem=IMPOSSIBLE,
                        detail={"stages": [s.raw for s in stages]})
    return Deadline(text, stages[-1].kind, dues[-1], ongoing=ongoing, detail=stages[-1].detail | then,
                    stages=tuple(dues) if len(dues) > 1 else (), start=start)


def _recurring_start(piece: str, as_of: datetime.date, start: datetime.date | None = None) -> Deadline | None:
    """The longest start of `piece` that is a recurring phrase (每月10日前, 每季度), the rest
    being what is done each time; None when none is, or when the rest names a time the
    phrase did not read ("每季度前10个工作日").  From `start` on, when given."""
    for end in range(min(len(piece), _LONGEST), 1, -1):
        head, rest = piece[:end], piece[end:]
        if head.startswith("每年") and (season := _seasonal(head, None, None, as_of)) and season.kind is _K.RECURRING:
            recurring = season                # 每年汛期前开展排查: every 5月31日
        elif not (m := _RECURRING.match(head)) or _SEASON_START.match(rest) \
                or not (recurring := _recurring(head, m, as_of, start)):
            continue                          # 每年 + 开学前…: not every year's end
        return None if _TIME_LEFT.search(rest) else recurring
    return None


def _stage(piece: str, year: int | None, issued: datetime.date | None, as_of: datetime.date) -> Deadline | None:
    """One stage: the longest start of `piece` that is a date (or relative) phrase, the rest
    being what is done by then; a phrase that is only ongoing or vague is returned as read."""
    whole = _parse_phrase(piece, year, issued, as_of)
    if whole.kind is _K.ONGOING or whole.problem == VAGUE:
        return whole
    for end in range(min(len(piece), _LONGEST), 1, -1):
        if not _ACTION.fullmatch(piece[end:]) or (_STARTS_OTHER.match(piece[end:]) and not piece[:end].endswith("前")):
            continue              # "2025年7月起…" is a start (read whole, or not at all), not July
        d = _parse_phrase(_clean(piece[:end]), year, issued, as_of)
        if d.kind in (_K.DATE, _K.RELATIVE) and d.problem in (None, IMPOSSIBLE, NEEDS_YEAR, NEEDS_ISSUE):
            return replace(d, raw=piece[:end], ongoing=d.ongoing or bool(_ONGOING_END.search(piece[end:])))
    return None


def _year(m: re.Match, plan_year: int | None) -> int | None:
    """Explicit year in the text wins; otherwise the plan year (+1 for 次年/明年)."""
    if m["y"]:
        return int(m["y"])
    if plan_year is None:
        return None
    return plan_year + 1 if m["ry"] in ("次年", "明年") else plan_year


def _date(t: str, y: int | None, mo: int, d: int | None) -> Deadline:
    """Validate y/mo/d (d None = end of month) and build a DATE result."""
    parts = {k: v for k, v in (("year", y), ("month", mo), ("day", d)) if v is not None}
    # Without a year, judge the day against a leap year: 2月29日 may be fine, 2月30日 never.
    check_year = y if y is not None else 2000
    if (not 1 <= mo <= 12 or (y is not None and not _MIN_YEAR <= y <= _MAX_YEAR)
            or (d is not None and not 1 <= d <= calendar.monthrange(check_year, mo)[1])):
        return Deadline(t, _K.DATE, None, problem=IMPOSSIBLE, detail=parts)
    if y is None:
        return Deadline(t, _K.DATE, None, problem=NEEDS_YEAR, detail=parts)
    return Deadline(t, _K.DATE, datetime.date(y, mo, d) if d else _month_end(y, mo))


def _on(y: int, mo: int, day: int | None) -> datetime.date:
    """That day of the month (its last day when none, or when the month is shorter: 2月29日)."""
    end = _month_end(y, mo)
    return end if day is None else datetime.date(y, mo, min(day, end.day))


def _span_ok(m: re.Match) -> bool:
    # A bare "底"/"内"/"度内" only means the year's end when a year precedes it;
    # a bare year ("2025年") is fine, but "2025年前" is ambiguous (before 2025?).
    span = m["span"]
    has_year = bool(m["y"] or m["ry"])
    if span is None:      # 2025年, 当年, 次年: the year; "2025年前" is not
        return has_year and not m.string.endswith("前")
    return has_year or not span.startswith(("度", "底", "末", "内", "期"))


def _span(t: str, m: re.Match, y: int | None) -> Deadline:
    span = m["span"] or "年底"
    q = m["q"] or m["q2"]
    if q:
        month, detail = 3 * _int(q), {"quarter": _int(q)}
    else:
        month, detail = (6 if span == "上半年" else 12), {"period": "年度" if span == "度" else span}
    if y is None:
        return Deadline(t, _K.DATE, None, problem=NEEDS_YEAR, detail=detail)
    if not _MIN_YEAR <= y <= _MAX_YEAR:
        return Deadline(t, _K.DATE, None, problem=IMPOSSIBLE, detail={"year": y, **detail})
    return Deadline(t, _K.DATE, _month_end(y, month))


def _relative(t: str, n: int, unit: str, issued: datetime.date | None) -> Deadline:
    detail = {"n": n, "unit": unit}
    if issued is None:
        return Deadline(t, _K.RELATIVE, None, problem=NEEDS_ISSUE, detail=detail)
    if isinstance(issued, datetime.datetime):
        issued = issued.date()
    try:
        due = _after(issued, n, unit)
    except (OverflowError, ValueError):  # beyond datetime.date's range
        return Deadline(t, _K.RELATIVE, None, problem=IMPOSSIBLE, detail=detail)
    return Deadline(t, _K.RELATIVE, due, detail=detail)


def _after(day: datetime.date, n: int, unit: str) -> datetime.date:
    """`n` days, workdays, weeks, months or hours after `day` (within 24 hours: by the next day)."""
    if unit == "month":
        return day + relativedelta(months=n)
    if unit == "week":
        return day + datetime.timedelta(weeks=n)
    if unit == "hour":
        return day + datetime.timedelta(days=-(-n // 24))
    if unit == "workday":
        for _ in range(n):  # Mon–Fri only; no holiday table on purpose
            day += datetime.timedelta(days=1)
            while day.weekday() >= 5:
                day += datetime.timedelta(days=1)
        return day
    return day + datetime.timedelta(days=n)


_PERIOD_MONTHS = {"month": 1, "quarter": 3, "half-year": 6, "year": 12}


def _recurring(t: str, m: re.Match, as_of: datetime.date, start: datetime.date | None = None) -> Deadline | None:
    """Next occurrence on/after as_of (and on/after `start`: "2025年7月起每月"); None when
    the parts make no time of one period (每月首月10日, 每年10日前: which month?)."""
    if isinstance(as_of, datetime.datetime):
        as_of = as_of.date()
    if start is not None and start > as_of:
        as_of = start
    # Every few periods (每两个月): from the start's period when one is written, else the next
    # period may be the one (the text does not say which), so the next is told.
    every = _int(m["every"]) if m["every"] else 1
    if not 1 <= every <= 12:
        return None
    often = {"every": every} if every > 1 else {}
    if m["days"]:                        # 每半月, 每旬: days of each month
        if often or m["nth"] or m["ym"] or m["yq"] or m["again"] or m["d"] or m["part"] or m["n"]:
            return None
        period, marks = ("half-month", (15, None)) if "半" in m["days"] else ("ten-days", (10, 20, None))
        month = as_of.replace(day=1)
        due = min(d for first in (month, month + relativedelta(months=1))
                  for d in (_on(first.year, first.month, day) for day in marks) if d >= as_of)
        return Deadline(t, _K.RECURRING, due, ongoing=True, detail={"period": period}, start=start)
    if m["week"]:
        if m["nth"] or m["ym"] or m["yq"] or m["d"] or m["part"] or m["n"]:
            return None
        weekday = _WEEKDAYS[m["wd"]] if m["wd"] else 4      # without a day, the report is due on Friday
        detail = {"period": "week", **({"weekday": weekday + 1} if m["wd"] else {}), **often}
        due = as_of + datetime.timedelta(days=(weekday - as_of.weekday()) % 7)
        if start is not None:            # every few weeks from the start's week
            while (due - start + datetime.timedelta(days=start.weekday())).days // 7 % every:
                due += datetime.timedelta(days=7)
        return Deadline(t, _K.RECURRING, due, ongoing=True, detail=detail, start=start)
    period = "month" if m["month"] else "quarter" if m["quarter"] else "half-year" if m["half"] else "year"
    if m["again"] and m["again"] != {"month": "月", "quarter": "季", "year": "年"}.get(period):
        return None                       # 每年月底: which?
    length = _PERIOD_MONTHS[period]
    detail: dict = {"period": period, **often}
    day = _int(m["d"]) if m["d"] else _DAY_IN_MONTH.get(m["part"])     # None: the month's last day
    at_end = m["part"] in ("底", "末")
    if m["nth"]:                         # 每季度首月, 末月, 次月 (the month after the quarter)
        month = {-1: length, 0: length + 1}.get(_NTH_MONTH[m["nth"]], _NTH_MONTH[m["nth"]])
        if period == "month" or month > length + 1:
            return None
        detail["nth_month"] = month
    elif m["ym"] or m["yq"]:             # 每年6月, 每年一季度
        if period != "year" or m["yq"] and m["d"]:
            return None
        month = _int(m["ym"]) if m["ym"] else 3 * _int(m["yq"])
        detail["month"] = month
        if not 1 <= month <= 12:
            return Deadline(t, _K.RECURRING, None, ongoing=True, problem=IMPOSSIBLE, detail=detail)
    elif m["part"] and not at_end and not (m["part"] == "初" or m["d"]):
        if period != "month":            # 每季度中旬: which month's?
            return None
        month = 1
    elif day is not None and not at_end:  # 每月25日, 每季度10日前: the period's 10th day
        if period not in ("month", "quarter"):
            return None
        month = 1
    else:                                 # 每季度, 每季度末, 每月底
        month = length
    if m["d"]:
        detail["day"] = day
        last = calendar.monthrange(2000, month)[1] if "month" in detail else 31
        if not 1 <= day <= last:
            return Deadline(t, _K.RECURRING, None, ongoing=True, problem=IMPOSSIBLE, detail=detail)
    n, unit = (_int(m["n"]), _UNITS.get(m["nu"], "day")) if m["n"] else (None, None)
    if n is not None:                    # 每季度结束后10日内: days after the period's end
        if m["nth"] or m["ym"] or m["yq"] or m["d"] or (m["part"] and not at_end):
            return None
        detail |= {"n": n, "unit": unit}
    # the periods around as_of, in order: the first occurrence on/after as_of is the next one
    first = as_of.year * 12 + (as_of.month - 1) // length * length       # months since year 0
    anchor = None if start is None else start.year * 12 + (start.month - 1) // length * length
    for p in range(first - length, first + (every + 2) * length, length):
        if anchor is not None and (p - anchor) // length % every:
            continue
        if n is not None:
            end = p + length - 1
            due = _after(_month_end(end // 12, end % 12 + 1), n, unit)
        else:
            at = p + month - 1
            due = _on(at // 12, at % 12 + 1, day)
        if due >= as_of:
            return Deadline(t, _K.RECURRING, due, ongoing=True, detail=detail, start=start)
    raise AssertionError("an occurrence lies within two periods")


# ---------------------------------------------------------------- other date rules

# A four-digit year followed by 年 or by a date separator (2022年, 2022-09-30, 2022/6/30,
# 2022—2023年); full-width digits too, as offices type them.
_YEAR_TOKEN = re.compile(r"(?<![0-9０-９])((?:19|20|１９|２０)[0-9０-９]{2})"
                         rf"(?=\s*(?:年|[./\-—–~〜至到．／－]|{_BARE_YEAR_BEFORE}))")
_FULL_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
_DAY = re.compile(r"\s*(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?\s*")


_CN_YEAR_DIGITS = str.maketrans("0123456789", "〇一二三四五六七八九")


def _year_value(token: str) -> int:
    if token[0] in _CN_DIGITS:   # 二〇二二
        return int("".join(str(_CN_DIGITS[c]) for c in token))
    return int(token)            # int() reads full-width digits


def years_in(text: str) -> list[int]:
    """The years written in a deadline phrase (2022年, 2022-09-30, ２０２２年, 二〇二二年 …)."""
    text = str(text)
    return [_year_value(m.group(1)) for m in (*_YEAR_TOKEN.finditer(text), *_CN_YEAR.finditer(text))]


def shift_years(text: str, offset: int) -> str:
    """The phrase with every written year moved by `offset`, in the digits it was typed in."""
    def shift(m: re.Match) -> str:
        token = m.group(1)
        moved = str(_year_value(token) + offset)
        if token[0] in _CN_DIGITS:
            return moved.translate(_CN_YEAR_DIGITS)
        return moved if token.isascii() else moved.translate(_FULL_DIGITS)
    return _CN_YEAR.sub(shift, _YEAR_TOKEN.sub(shift, str(text)))


def parse_day(text: str) -> datetime.date | None:
    """One calendar day as typed for an option or a form: 2024-12-20, 2024/12/20,
    2024.12.20, 2024年12月20日; None when it is not a valid day."""
    m = _DAY.fullmatch(str(text))
    try:
        return datetime.date(int(m[1]), int(m[2]), int(m[3])) if m else datetime.date.fromisoformat(str(text))
    except ValueError:
        return None
