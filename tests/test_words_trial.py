"""Findings of a new-user trial about words: a task number in English (No. 一), unit
abbreviations that name another organ (县发改委 for 县发展和改革局), a township's offices and
a 派出所's full name, and seasonal deadline phrases (汛期前, 节假日期间, 开学前)."""
from __future__ import annotations

from xltools.texts.numerals import in_arabic
from xltools.texts import t


# ------------------------------------------------------------------ 3. task numbers in English

def test_a_task_numbered_in_chinese_is_numbered_in_arabic_in_english():
    assert [in_arabic(s) for s in ("一", "（二）", "十一", "第三条", "一是", "1.1", 19, "①", "甲", None)] == \
        ["1", "(2)", "11", "3", "(1)", "1.1", 19, "①", "甲", None]
    assert t("collect-task", "en", district="安吉县", seq="一", words="x") == "安吉县 task 1 'x'"
    assert t("task-seq", "en", seq="（三）") == "Task (3)"
    assert "No." not in t("reason-no-seq", "en", seq="二") and "numbered 2" in t("reason-no-seq", "en", seq="二")
    assert t("collect-task", "zh", district="安吉县", seq="一", words="x") == "安吉县 第一项“x”"     # Chinese as written


# ------------------------------------------------------------------ 1a. abbreviations under another organ

import itertools       # noqa: E402
import re              # noqa: E402

import pytest          # noqa: E402

from xltools.rules import units as units_mod       # noqa: E402
from xltools.rules.units import UnitRegistry, normalize_unit      # noqa: E402

PLACES = ("天桥区", "嘉祥县", "曲阜市", "达拉特旗", "济南市", "济宁市", "山东省")
# how clerks write a body's organ: a committee (委员会) as 委 or as the bureau it became, a
# bureau (局) as the committee it was; a province's 厅 as it is
ORGANS = {"委员会": ("委员会", "委", "局"), "委": ("委", "局"), "局": ("局", "委"), "厅": ("厅",)}
_HEAD = re.compile(r"^[省市区县旗](?=..)")


def _words(field: str) -> list[str]:
    """A field's words as Chinese abbreviations cut it: 和/及/与 dropped, two characters a
    word, a three-character tail one word (人力资源和社会保障 → 人力 资源 社会 保障)."""
    out = []
    for seg in re.split("和|及|与", field):
        i = 0
        while i < len(seg):
            take = 3 if len(seg) - i == 3 else 2
            out.append(seg[i:i + take])
            i += take
    return out


def _shortenings(field: str):
    """The field in full and each way the domain shortens it: each word whole, its first
    character, or (after the first) nothing (发展和改革 → 发展改革, 发改; 人社; 市场监管)."""
    choices = [[w, w[0]] + ([""] if k else []) for k, w in enumerate(_words(field))]
    yield field
    for pick in itertools.product(*choices):
        if len(short := "".join(pick)) >= 2:
            yield short


def abbreviations(registry: UnitRegistry) -> dict[str, str]:
    """Generated name → the one body of the place's own tier it abbreviates (names two
    bodies share and names the registry lists are left out)."""
    known = {normalize_unit(n) for u in registry for n in (u.name, *u.aliases)}
    found: dict[str, set] = {}
    for u in registry:
        if u.kind != "部门" or u.district or "（" in u.name or u.tier != registry.tier or not _HEAD.match(u.name):
            continue
        organ = next((o for o in ORGANS if u.name.endswith(o) and len(u.name) > len(o) + 2), None)
        field_ = u.name[1:-len(organ)] if organ else ""
        if not field_ or field_.endswith("分"):          # 生态环境分局: a branch, not a bureau
            continue
        for short in _shortenings(field_):
            for o in ORGANS[organ]:
                if (name := u.name[0] + short + o) not in known:
                    found.setdefault(name, set()).add(u.name)
    return {name: next(iter(bodies)) for name, bodies in found.items() if len(bodies) == 1}


def measure() -> dict[str, list]:
    """Each generated name by what the registry makes of it: resolved to its body (or
    another), its body suggested first (or later), another body suggested, or nothing."""
    units_mod._shared_index.cache_clear()          # no answers kept from another rule
    out: dict[str, list] = {k: [] for k in ("resolved", "resolved-other", "first", "among", "wrong", "nothing")}
    for place in PLACES:
        registry = UnitRegistry(units_mod._default_units(), place)
        for name, body in abbreviations(registry).items():
            if (unit := registry.resolve(name)) is not None:
                out["resolved" if unit.name == body else "resolved-other"].append((place, name))
                continue
            s = registry.suggest(name)
            out["first" if s[:1] == [body] else "among" if body in s else "wrong" if s else "nothing"].append((place, name, s))
    units_mod._shared_index.cache_clear()
    return out


def test_generated_abbreviations_under_another_organ_are_suggested_their_body(monkeypatch):
    """3480 abbreviations generated from the registry's bodies at 7 places (区, 县, 县级市,
    旗, two cities, a province) by the domain's rules.  Before (no respelling): 1745 resolved,
    258 suggested their body first, 5 later, 83 another body, 1379 nothing (县发改委, 县卫健康委,
    市经信局 …).  After: the same 1745 resolved, 1724 suggested their body first, 1 another
    (曲阜市's 市教育委: 市教育局, a body the registry has), none without a suggestion.  On the
    27019 generated section names and typos of test_section_suggestions, no suggestion is
    added: 8 lose another tier's body (a 街道's slip of 政府办 is offered its own 政府办公室
    only, no longer also 区政府办公室 and 市政府办公室)."""
    with monkeypatch.context() as m:
        m.setattr(units_mod, "_respellings", lambda q, prefix, rest: [])
        before = measure()
    after = measure()
    assert len(before["nothing"]) > 1000 and len(before["wrong"]) > 50          # the finding
    assert after["resolved"] == before["resolved"] and after["resolved-other"] == before["resolved-other"]
    assert after["nothing"] == [] and len(after["wrong"]) <= 1 and len(after["among"]) == 0
    assert len(after["first"]) >= 1700


@pytest.mark.parametrize("place, written, suggested", [
    ("嘉祥县", "县发改委", "县发展和改革局"), ("嘉祥县", "县发展改革委", "县发展和改革局"),
    ("嘉祥县", "县发展和改革委员会", "县发展和改革局"), ("嘉祥县", "县经信委", "县工业和信息化局"),
    ("嘉祥县", "县卫生健康委员会", "县卫生健康局"), ("嘉祥县", "县环保局", "县生态环境分局"),
    ("嘉祥县", "县安监局", "县应急管理局"), ("嘉祥县", "县卫计委", "县卫生健康局"),
    ("嘉祥县", "县工商局", "县市场监督管理局"), ("嘉祥县", "县食药监局", "县市场监督管理局"),
    ("嘉祥县", "县国土局", "县自然资源局"), ("天桥区", "区发改委", "区发展和改革局"),
    ("天桥区", "区住建委", "区住房和城乡建设局"), ("天桥区", "区人社委", "区人力资源和社会保障局"),
    ("济宁市", "市经信委", "市工业和信息化局"), ("济宁市", "市卫健局", "市卫生健康委员会"),
    ("济宁市", "市发改局", "市发展和改革委员会"), ("济宁市", "市环保局", "市生态环境局"),
    ("山东省", "省卫健局", "省卫生健康委员会"),
])
def test_the_trials_abbreviations_are_suggested_at_their_level(place, written, suggested):
    registry = UnitRegistry.default(place)
    assert registry.resolve(written) is None                 # offered, never read as it
    assert registry.suggest(written)[0] == suggested


@pytest.mark.parametrize("place, written, entry", [
    ("嘉祥县", "县经信局", "县工业和信息化局"), ("嘉祥县", "县住建局", "县住房和城乡建设局"),
    ("嘉祥县", "县人社局", "县人力资源和社会保障局"), ("嘉祥县", "县市场监管局", "县市场监督管理局"),
    ("嘉祥县", "县卫健委", "县卫生健康局"), ("嘉祥县", "县卫健局", "县卫生健康局"), ("嘉祥县", "县自规局", "县自然资源局"),
    ("嘉祥县", "县农业局", "县农业农村局"), ("嘉祥县", "县文旅局", "县文化和旅游局"), ("嘉祥县", "县应急局", "县应急管理局"),
])
def test_abbreviations_the_grammar_reads_are_still_read(place, written, entry):
    assert UnitRegistry.default(place).resolve(written).name == entry


# ------------------------------------------------------------------ 1b. a township's own offices

@pytest.mark.parametrize("place", ["天桥区无影山街道", "嘉祥县马集镇"])
@pytest.mark.parametrize("written", ["民政办", "民政办公室", "民政所", "城管中心", "水务站"])
def test_a_townships_office_is_offered_no_body_of_another_tier(place, written):
    registry = UnitRegistry.default(place)
    assert [s for s in registry.suggest(written) if s[0] in "省市区县旗"] == []


def test_a_townships_office_is_offered_its_own_office_where_the_registry_lists_one():
    rows = [["区县", "单位名称", "简称或别名", "类别", "级别"], ["", "区民政局", "", "部门", "县级"],
            ["天桥区", "民政服务办公室", "", "部门", "乡级"]]
    registry = UnitRegistry.from_rows(rows, "天桥区无影山街道")
    assert registry.suggest("民政办") == ["民政服务办公室"]
    assert UnitRegistry.from_rows(rows, "天桥区").suggest("区民政办")[:1] == ["区民政局"]     # a county's plan: its bureau


# ------------------------------------------------------------------ 1c. a 派出所's full name

@pytest.mark.parametrize("place, written, entry", [
    ("嘉祥县", "县公安局城关派出所", "城关派出所"), ("嘉祥县", "嘉祥县公安局城关派出所", "城关派出所"),
    ("嘉祥县", "城关派出所", "城关派出所"), ("天桥区", "天桥公安分局北园派出所", "北园派出所"),
    ("天桥区", "市公安局天桥区分局北园派出所", "北园派出所"), ("天桥区", "区公安分局北园派出所", "北园派出所"),
    ("嘉祥县马集镇", "马集派出所", "派出所"), ("嘉祥县马集镇", "县公安局马集派出所", "派出所"),
    ("天桥区无影山街道", "无影山街道派出所", "派出所"), ("天桥区无影山街道", "北园派出所", "北园派出所"),
    ("嘉祥县", "城关镇派出所", "城关派出所"), ("嘉祥县马集镇", "镇派出所", "派出所"),
])
def test_a_police_station_is_read_as_its_bureaus_station(place, written, entry):
    unit = UnitRegistry.default(place).resolve(written)
    assert unit is not None and unit.name == entry


@pytest.mark.parametrize("place, written", [
    ("嘉祥县", "金乡县公安局城关派出所"),       # another county's bureau
    ("天桥区", "市公安局历下区分局北园派出所"),   # another district's branch
    ("嘉祥县", "县火星局城关派出所"), ("嘉祥县", "各派出所"), ("嘉祥县", "县派出所"), ("嘉祥县", "公安派出所"),    # which station?
])
def test_a_station_of_another_place_or_body_is_not(place, written):
    assert UnitRegistry.default(place).resolve(written) is None


# ------------------------------------------------------------------ 2. seasonal deadline phrases

import datetime as dt          # noqa: E402
import json                    # noqa: E402

from python_calamine import CalamineWorkbook     # noqa: E402

from lo import convert, needs_soffice            # noqa: E402
from test_deadline_phrases import run            # noqa: E402  the command line, no traceback
from xltools.rules.deadlines import DeadlineKind, deadline_start, parse_deadline      # noqa: E402
from xltools.rules.warning import warning_of      # noqa: E402

D = dt.date
ISSUED = D(2025, 3, 12)
DATE, ONG, REC, UNK = DeadlineKind.DATE, DeadlineKind.ONGOING, DeadlineKind.RECURRING, DeadlineKind.UNKNOWN

# (text, kind, due, start, problem, season): in a 2025 plan
SEASONS = [
    ("汛期前", DATE, D(2025, 5, 31), None, None, "flood"),        # 主汛期 from 6月1日
    ("汛前", DATE, D(2025, 5, 31), None, None, "flood"),
    ("主汛期前", DATE, D(2025, 5, 31), None, None, "flood"),
    ("入汛前", DATE, D(2025, 5, 31), None, None, "flood"),
    ("雨季来临前", DATE, D(2025, 5, 31), None, None, "flood"),
    ("2026年汛期前", DATE, D(2026, 5, 31), None, None, "flood"),
    ("汛期结束前", DATE, D(2025, 9, 30), None, None, "flood"),
    ("汛期期间", DATE, D(2025, 9, 30), D(2025, 6, 1), None, "flood"),   # as 十四五期间: due at the end
    ("国庆节前", DATE, D(2025, 9, 30), None, None, "national-day"),
    ("元旦前", DATE, D(2025, 12, 31), None, None, "new-year"),
    ("秋季开学前", DATE, D(2025, 8, 31), None, None, "autumn-term"),
    ("秋季学期开学前", DATE, D(2025, 8, 31), None, None, "autumn-term"),
    ("冬季供暖前", DATE, D(2025, 11, 14), None, None, "heating"),       # northern heating from 11月15日
    ("供暖季前", DATE, D(2025, 11, 14), None, None, "heating"),
    ("供暖期间", DATE, D(2026, 3, 15), D(2025, 11, 15), None, "heating"),
    ("节假日期间", ONG, None, None, None, "holidays"),                 # work of every holiday: never overdue
    ("重要节假日期间", ONG, None, None, None, "holidays"),
    ("元旦春节期间", ONG, None, None, None, "spring-festival"),
    ("春节前", DATE, D(2026, 2, 16), None, None, "spring-festival"),   # lunar: the first 春节 after the issue
    ("2027年春节前", DATE, D(2027, 2, 5), None, None, "spring-festival"),
    ("元旦春节前", UNK, None, None, "seasonal-deadline", "spring-festival"),  # before which?
    ("国庆节、春节前", UNK, None, None, "unparseable", None),             # two seasons: not read
    ("开学前", UNK, None, None, "seasonal-deadline", "term"),             # spring or autumn term?
    ("春季学期开学前", UNK, None, None, "seasonal-deadline", "term"),
    ("每年春节前", REC, D(2026, 2, 16), None, None, "spring-festival"),
]


@pytest.mark.parametrize("text, kind, due, start, problem, season", SEASONS)
def test_a_season_is_read_as_its_conventional_day_or_told(text, kind, due, start, problem, season):
    d = parse_deadline(text, year=2025, issued=ISSUED, as_of=D(2025, 5, 20))
    assert (d.kind, d.due, d.start, d.problem) == (kind, due, start, problem)
    assert d.detail.get("season") == season
    if problem is None:
        assert warning_of(d, as_of=D(2028, 1, 1)) == ("overdue" if kind is DATE else "ongoing")


# 春节 by year (lunar-python's Lunar.fromYmd(y, 1, 1).getSolar(), 2018—2040): every one a
# day of late January or February, the lunar year 354 or 355 days (384 with a leap month)
@pytest.mark.parametrize("issued, due", [
    (D(2025, 1, 10), D(2025, 1, 28)),      # issued before that year's 春节: that one
    (D(2025, 1, 29), D(2025, 1, 28)),      # on 春节 itself: this one, already passed
    (D(2025, 3, 12), D(2026, 2, 16)),      # after it: next year's
    (D(2023, 12, 20), D(2024, 2, 9)), (D(2030, 6, 1), D(2031, 1, 22)),
])
def test_before_the_spring_festival_is_counted_from_the_issue_date(issued, due):
    assert parse_deadline("春节前", year=issued.year, issued=issued).due == due


def test_the_spring_festival_table():
    from xltools.rules.deadlines import _SPRING_FESTIVAL
    days = [D(y, *md) for y, md in sorted(_SPRING_FESTIVAL.items())]
    assert [d.year for d in days] == list(range(2018, 2041))
    assert all(D(d.year, 1, 21) <= d <= D(d.year, 2, 20) for d in days)
    assert all((b - a).days in (354, 355, 383, 384, 385) for a, b in zip(days, days[1:]))
    d = parse_deadline("春节前", year=2025)                      # no issue date: which 春节? told
    assert (d.due, d.problem) == (None, "needs-issue-date")
    assert parse_deadline("2045年春节前", year=2045).problem == "seasonal-deadline"   # beyond the table


def test_a_season_without_the_plan_year_needs_it_and_every_year_recurs():
    d = parse_deadline("汛期前")
    assert (d.kind, d.due, d.problem) == (DATE, None, "needs-year")
    d = parse_deadline("每年汛期前", as_of=D(2025, 7, 1))           # was read as every year's end
    assert (d.kind, d.due, d.ongoing, d.detail) == (REC, D(2026, 5, 31), True,
                                                    {"period": "year", "month": 5, "day": 31, "season": "flood"})


@pytest.mark.parametrize("text, due", [
    ("每年汛期前开展一次排查", D(2026, 5, 31)),          # was every year's end, the season taken for the action
    ("每年国庆节前报送", D(2025, 9, 30)), ("每年春节前开展走访", D(2026, 2, 16)),
])
def test_every_years_season_with_what_is_done(text, due):
    d = parse_deadline(text, year=2025, as_of=D(2025, 7, 1))
    assert (d.kind, d.due, d.problem) == (REC, due, None)


def test_every_years_season_of_no_day_is_not_every_years_end():
    assert parse_deadline("每年开学前开展检查", year=2025).due is None


def test_a_season_is_a_stage_and_the_tail_of_a_units_cell():
    d = parse_deadline("3月底前完成方案，汛期前全面完成", year=2025)
    assert (d.due, d.stages) == (D(2025, 5, 31), (D(2025, 3, 31), D(2025, 5, 31)))
    d = parse_deadline("汛期前完成，长期坚持", year=2025)
    assert (d.due, d.ongoing) == (D(2025, 5, 31), True)
    assert deadline_start("区水务局、区应急局\n汛期前") == 10
    for text in ("春节", "开学", "汛", "供暖"):     # a season alone is a time only as a period's name
        assert parse_deadline(text, year=2025).problem == "unparseable"


SEASON_ROWS = [["2025年历城区防汛和民生重点工作任务分解表"], ["2025年3月12日印发"],
               ["序号", "具体要求", "责任单位", "完成时限", "状态"],
               [1, "甲。", "区水务局", "汛期前", None],                 # row 4
               [2, "乙。", "区水务局", "汛期结束前", None],             # row 5
               [3, "丙。", "区公安分局", "节假日期间", None],           # row 6
               [4, "丁。", "区教育和体育局", "秋季开学前", None],       # row 7
               [5, "戊。", "区人力资源和社会保障局", "春节前", None],   # row 8: the first after the issue
               [6, "己。", "区教育和体育局", "开学前", None],           # row 9
               [7, "庚。", "区城市管理局", "冬季供暖前", None],         # row 10
               [8, "辛。", "区水务局", "2025年汛期前", "已完成"]]       # row 11


def test_validate_reads_a_season_and_tells_one_without_a_day(xlsx):
    path = xlsx({"任务": SEASON_ROWS})
    out = run("validate", path).output
    for row in (4, 5, 6, 7, 8, 10, 11):
        assert f"任务!D{row} " not in out, out
    assert "任务!D9  完成时限“开学前”是节令或学期的时间，没有固定日期" in out, out
    assert "无法识别" not in out
    notes = run("validate", "--notes", path).output        # the conventional day read is a note
    assert "[提示] plan.xlsx › 任务!D4  完成时限“汛期前”按惯例读作 2025-05-31（主汛期自6月1日" in notes, notes
    assert "任务!D10  完成时限“冬季供暖前”按惯例读作 2025-11-14" in notes and "任务!D6 " not in notes
    assert "任务!D8  完成时限“春节前”按惯例读作 2026-02-16" in notes
    tasks = json.loads(run("inspect", path, "--json").output)["sheets"][0]["tasks"]
    assert [(t["deadline_kind"], t["due"]) for t in tasks] == [
        ("date", "2025-05-31"), ("date", "2025-09-30"), ("ongoing", None), ("date", "2025-08-31"),
        ("date", "2026-02-16"), ("unknown", None), ("date", "2025-11-14"), ("date", "2025-05-31")]


@needs_soffice
def test_flag_shows_a_seasons_due_status(xlsx, tmp_path):
    """截止日期 holds the conventional day; LibreOffice computes 预警 from it: passed 汛期前 is
    逾期 (done: 已完成), 节假日期间 持续推进, 开学前 无法判断, 春节前 (2026-02-16) 正常."""
    path = xlsx({"任务": SEASON_ROWS})
    run("flag", path, "--as-of", "2025-10-20")
    grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("任务").to_python()
    due = grid[2].index("截止日期")
    assert [grid[r][due] for r in range(3, 11)] == [D(2025, 5, 31), D(2025, 9, 30), "", D(2025, 8, 31),
                                                    D(2026, 2, 16), "", D(2025, 11, 14), D(2025, 5, 31)]
    out = convert(path, "csv:Text - txt - csv (StarCalc):44,34,76", tmp_path / "lo")
    warnings = [row.rsplit(",", 1)[1] for row in out.read_text(encoding="utf-8").splitlines()[3:11]]
    assert warnings == ["逾期", "逾期", "持续推进", "逾期", "正常", "无法判断", "正常", "已完成"]


# ------------------------------------------------------------------ 1. through validate, on real workbooks

def test_validate_suggests_the_body_and_reads_the_station(xlsx):
    county = xlsx({"任务": [["2025年嘉祥县重点工作任务分解表"], ["序号", "具体要求", "责任单位", "完成时限"],
                            [1, "甲。", "县发改委", "2025年6月底前"],
                            [2, "乙。", "县公安局城关派出所、城关派出所", "2025年6月底前"],
                            [3, "丙。", "县环保局", "2025年6月底前"]]}, name="county.xlsx")
    out = run("validate", county).output
    assert "任务!C3  单位名称“县发改委”不在单位名录中。" in out and "是否应为：县发展和改革局？" in out, out
    assert "任务!C4 " not in out                                       # a station of the county's bureau
    assert "单位名称“县环保局”不在单位名录中。" in out and "是否应为：县生态环境分局？" in out
    town = xlsx({"任务": [["2025年嘉祥县马集镇重点工作任务分解表"], ["序号", "具体要求", "责任单位", "完成时限"],
                          [1, "甲。", "民政办", "2025年6月底前"], [2, "乙。", "马集派出所", "2025年6月底前"]]},
                name="town.xlsx")
    out = run("validate", town).output
    assert "单位名称“民政办”不在单位名录中，也没有相近的名称。" in out and "民政局" not in out, out
    assert "任务!C4 " not in out                                       # the town's own 派出所
