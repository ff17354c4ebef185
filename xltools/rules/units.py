"""Responsible units (责任单位): normalising names, splitting unit cells into lead and
supporting units, and the registry of valid names that office staff edit in Excel.

Cells mix official names and abbreviations (区人社局 = 区人力资源和社会保障局),
half- and full-width brackets, stray spaces and line breaks, role markers (牵头/配合) and
collective names whose inner 、 must not split them (区政府各部门、单位).
"""
from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Iterable, Iterator

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

from xltools.rules import divisions


UNIT_KINDS = ("部门", "街道", "镇", "集体称谓", "上级/垂管单位")
COLLECTIVE = "集体称谓"                     # the kind of 各街镇, 区政府各部门, 有关部门（单位）…
HEADER = ("区县", "单位名称", "简称或别名", "类别")
SHEET = "单位名录"

# Full-width letters/digits → ASCII; every bracket style → full-width round brackets.
_TABLE = {c: c - 0xFEE0 for r in ((0xFF10, 0xFF1A), (0xFF21, 0xFF3B), (0xFF41, 0xFF5B)) for c in range(*r)}
_TABLE |= {ord(a): "（" for a in "([［【"} | {ord(a): "）" for a in ")]］】"}
_TABLE |= {ord(a): None for a in "\u200b\u200c\u200d\ufeff"}  # zero-width junk from Word


def normalize_unit(text: object) -> str:
    """Canonical spelling of a unit name: no whitespace at all, full-width brackets,
    half-width letters and digits."""
    if text is None:
        return ""
    return _normalized(text if isinstance(text, str) else str(text))


_WHITESPACE = re.compile(r"\s+")


@functools.lru_cache(maxsize=65536)   # the same few hundred names, in every file
def _normalized(text: str) -> str:
    return _WHITESPACE.sub("", text.translate(_TABLE))


@dataclass(frozen=True)
class Unit:
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    district: str | None = None

    def __post_init__(self):
        if self.kind not in UNIT_KINDS:
            raise ValueError(f"类别“{self.kind}”无效，应为：{'、'.join(UNIT_KINDS)}")


@dataclass(frozen=True)
class UnitAssignment:
    raw: str
    lead: tuple[str, ...]      # pieces as written (normalized), in order
    support: tuple[str, ...]

    @property
    def all(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.lead + self.support))


@dataclass(frozen=True, slots=True)
class UnitName:
    """One responsible unit as a sheet wrote it, and the registry entry it names.

    `written` is what every sheet and document we write shows: a district's words stay
    its words.  `entry` is set only by an exact name, a registered alias or the
    abbreviation grammar (`UnitRegistry.resolve`), never by similarity; it is what
    counts and checks group by."""
    written: str                 # split from its cell, spaces trimmed
    entry: str | None = None     # the registry's name for it; None: not in the registry
    kind: str | None = None      # the entry's kind (部门, 集体称谓 …)

    @property
    def counted(self) -> str:
        return self.entry or self.written


def join_units(names: Iterable[str]) -> str | None:
    """Units as one cell shows them: joined with 、 (split_units reads them back)."""
    return "、".join(names) or None


def units_of(text, registry: "UnitRegistry") -> tuple[UnitName, ...]:
    """Every unit of a cell (lead and supporting), as written, with the entry each names."""
    return name_units(split_units(text, registry=registry).all, registry)


def recipients(units: Iterable[UnitName], registry: "UnitRegistry") -> tuple[UnitName, ...]:
    """Who a task's units reach: a collective by each member the registry lists, any
    other unit as named (a collective without listed members stays itself).  The one
    rule of who receives what: split, the circular's counts and the reminders."""
    out: dict[str, UnitName] = {}
    for unit in units:
        for named in [registry.name(m) for m in registry.members(unit.written)] or [unit]:
            out.setdefault(named.counted, named)
    return tuple(out.values())


def name_units(pieces: Iterable[str], registry: "UnitRegistry") -> tuple[UnitName, ...]:
    """Each piece as written with the entry it names; a unit written twice (an
    abbreviation beside its full name) is kept once, as first written."""
    out: dict[str, UnitName] = {}
    for piece in pieces:
        named = registry.name(piece)
        out.setdefault(named.counted, named)
    return tuple(out.values())


# ---------------------------------------------------------------- splitting cells

_HARD = "、，,；;。"
_UNIT_END = re.compile(r"(局|办|室|委|中心|院|处|街道|办事处|镇|公司|队|部|部门|单位|馆|会|所|站)$")
_ROLE = re.compile(
    r"(?P<lead_label>(?<!各)(?:牵头|主责)(?:单位|部门)\s*[：:])"
    r"|(?P<support_label>(?<!各)(?:配合|协办|协助)(?:单位|部门)\s*[：:])"
    r"|(?P<plain_label>(?:责任|承办)(?:单位|部门)\s*[：:])"
    r"|(?P<lead>（牵头(?:单位)?）|为牵头(?:单位|部门)|(?<!各)牵头(?:负责|单位|部门)?)"
    r"|(?P<support>（(?:配合|协办)(?:单位)?）|为(?:配合|协办)(?:单位|部门)"
    r"|(?<!各)(?:配合|协助|协同|协办)(?:单位|部门)?)")
# After "等", a tail like 有关部门(单位) / 区政府相关部门 is a collective unit of its own.
_ETC_TAIL = re.compile(r"^([区县市旗](政府|直|级)|其他|各|有关|相关)|部门|单位")
_BARE_TAILS = {"部门", "单位", "部门（单位）", "部门和单位", "部门、单位"}
# Pieces that only continue a collective name cut at its inner 、 (区政府各部门、单位).
_CONTINUATIONS = {"单位", "镇", "街道", "街镇"}
_EDGE = re.compile(r"^[：:。．.·“”\"'‘’]+|[：:。．.·“”\"'‘’]+$")


_UNIT_START = ("区", "县", "市", "旗", "各")   # how a unit name of a county-level plan begins


def _boundary(left: str, right: str) -> bool:
    """Registry-free guess that two unit names meet here: the left part ends like a unit
    and the right starts like one (so 区人力资源和社会保障局 never splits on 和)."""
    left = re.sub(r"（[^（）]*）$", "", left)
    return bool(_UNIT_END.search(left)) and right[:1] in _UNIT_START


def split_units(text, registry: "UnitRegistry | None" = None) -> UnitAssignment:
    """Split a 责任单位 cell into lead (牵头) and supporting (配合) units.
    Without role markers every unit is a lead.  A registry, when given, decides whether
    a line break cut a name in two.  The one splitter of the code base: reader,
    validator, master, split, collect and the Excel actions all call it."""
    raw = "" if text is None else str(text)
    if registry is not None and not _WHITESPACE.search(raw):
        registry = None   # the registry only judges whitespace: one cached split for every district
    return _split_units(raw, registry)


@functools.lru_cache(maxsize=65536)   # unit cells repeat across rows and files
def _split_units(raw: str, registry: "UnitRegistry | None") -> UnitAssignment:
    s = raw.translate(_TABLE).replace("\r", "\n")
    roles: dict[str, list[str]] = {"lead": [], "support": []}
    mode, seen_lead, pos = None, False, 0

    def flush(chunk: str, role: str | None) -> None:
        roles[role or ("support" if seen_lead else "lead")].extend(_split_chunk(chunk, registry))

    for m in _ROLE.finditer(s):
        chunk, kind = s[pos:m.start()], m.lastgroup
        pos = m.end()
        if kind.endswith("_label"):      # a label applies to the text after it
            flush(chunk, mode)
            mode = {"lead_label": "lead", "support_label": "support"}.get(kind)
            seen_lead = seen_lead or mode == "lead"
        else:                            # a marker applies to the text before it
            flush(chunk, kind)
            seen_lead = seen_lead or kind == "lead"
            mode = None
    flush(s[pos:], mode)
    lead = tuple(dict.fromkeys(roles["lead"]))
    support = tuple(p for p in dict.fromkeys(roles["support"]) if p not in lead)
    return UnitAssignment(raw, lead, support)


def _split_chunk(chunk: str, registry: "UnitRegistry | None") -> list[str]:
    pieces: list[str] = []
    for seg in _split_top(chunk):
        pieces.extend(_soft_split(seg, registry))
    merged: list[str] = []
    for p in pieces:
        if p in _CONTINUATIONS and merged and re.search(r"^各|有关|相关|部门$", merged[-1]):
            merged[-1] += "、" + p
        else:
            merged.append(p)
    out = []
    for p in merged:
        for q in _split_etc(p):
            out.extend(_split_and(q))
    return [c for c in (_EDGE.sub("", normalize_unit(p)) for p in out) if c]


def _split_top(s: str) -> list[str]:
    """Split on hard separators outside brackets (区文旅局（图书馆、文化馆） stays whole);
    with unbalanced brackets (a cell cut by a page break) brackets are ignored."""
    parts, cur, depth = [], [], 0
    for ch in s:
        depth += (ch == "（") - (ch == "）" and depth > 0)
        if ch in _HARD and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return re.split(f"[{_HARD}]", s) if depth else parts


def _soft_split(seg: str, registry: "UnitRegistry | None") -> list[str]:
    """Whitespace inside a segment: a line break separates, a space is noise, unless the
    registry shows that joining the parts gives a name the parts alone do not."""
    tokens = re.split(r"(\s+)", seg.strip())
    parts, gaps = tokens[0::2], ["\n" in g for g in tokens[1::2]]
    if parts == [""]:
        return []

    def meet(a: str, b: str) -> bool:
        return _boundary(a, b) or (registry is not None and bool(registry.resolve(a) and registry.resolve(b)))

    res, i = [], 0
    while i < len(parts):
        cur, j = parts[i], i
        if registry is not None:
            for k in range(len(parts) - 1, i, -1):
                span = parts[i:k + 1]
                if registry.resolve("".join(span)) and not all(map(registry.resolve, span)):
                    cur, j = "".join(span), k
                    break
        if j == i:  # no join found in the registry: spaces join unless two names meet there
            while j + 1 < len(parts) and not gaps[j] and not meet(cur, parts[j + 1]):
                cur, j = cur + parts[j + 1], j + 1
        res.append(cur)
        i = j + 1
    return res


def _split_etc(p: str) -> list[str]:
    """区发改局、区工信局等区政府相关部门 → …, 区工信局, 区政府相关部门."""
    i = p.rfind("等")
    if i < 0:
        return [p]
    left, right = p[:i], p[i + 1:]
    if right and not _ETC_TAIL.search(right):
        return [p]
    tail = [right] if right and right not in _BARE_TAILS else []
    return (_split_etc(left) if left else []) + tail


def _split_and(p: str) -> list[str]:
    """和/及/与 separate units only between two unit-looking pieces (各街镇和区财政局)."""
    out, start = [], 0
    for m in re.finditer(r"以及|和|及|与", p):
        left, right = p[start:m.start()], p[m.end():]
        if left and _boundary(left, right):
            out.append(left)
            start = m.end()
    out.append(p[start:])
    return out


# ---------------------------------------------------------------- collective names

# A collective name addresses a group of units ("each 镇", "the relevant departments"):
#   level/organ?  quantifier  (anything short)  group noun  (brackets)*  (、/和 noun)?
# 区政府各部门（单位） · 县直各有关部门、单位 · 各镇（街道）党（工）委 · 市直有关单位 · 其他相关部门
_GROUP_NOUN = (r"(?:部门|单位|镇|街道|乡镇|街镇|镇街|乡|村|社区|办事处|委|党委|党（工）委|工委|人民政府|政府|机关|"
               r"企业|学校|医院|机构|成员单位|处室|科室)")
_BR = r"(?:（[^（）]{0,12}）)"
_COLLECTIVE = re.compile(
    rf"^(?:[区县市旗](?:委|政府|人民政府|直|级|直机关)?(?:各级)?)?"
    rf"(?:各|有关|相关|其他|其它|全体|所有)+[^、，,；;]{{0,14}}?{_GROUP_NOUN}{_BR}*"
    rf"(?:[、和及与]{_GROUP_NOUN}{_BR}*)?$"
    rf"|^.{{1,30}}等(?:有关|相关|其他)?(?:部门|单位){_BR}?$")
# Which kinds of registry unit a collective name sends its tasks to.
_MEMBER_WORDS = (("镇", r"镇|乡"), ("街道", r"街道|办事处|街"), ("部门", r"部门|单位|机关|处室|科室"))


def is_collective(name) -> bool:
    """Whether a unit name addresses a group by grammar (not by list): 各镇（街道）,
    区政府各部门、单位, 县直各有关单位, 各镇（街道）党（工）委, …等有关部门."""
    return bool(_COLLECTIVE.match(normalize_unit(name)))


def collective_member_kinds(name) -> tuple[str, ...]:
    """The registry kinds a collective name reaches (各镇（街道） → 镇, 街道; 区政府各部门 →
    部门); () when the name is not collective or its members are no registry kind
    (各村（社区）)."""
    n = normalize_unit(name)
    if not is_collective(n):
        return ()
    n = re.sub(r"党（工）委|党委|工委$", "", n)
    return tuple(kind for kind, rx in _MEMBER_WORDS if re.search(rx, n))


# ---------------------------------------------------------------- the registry

LEVELS = divisions.LEVEL_SUFFIXES          # 区 县 市 旗: the prefix of a county-level body
# Kinds written behind a level prefix: one vocabulary serves 区, 县, 县级市 and 旗.  A
# listed name starting with 市 is the city's (市生态环境局长清分局): no vocabulary entry.
_LEVELLED = ("部门", "集体称谓", "上级/垂管单位")
_VOCABULARY_PREFIXES = ("区", "县", "旗")
# A city bureau's branch in the district (市生态环境局嘉祥分局, 市公安局任城分局): a vertical unit
# whether listed or not.
_CITY_BRANCH = re.compile(r"^[省市][\u4e00-\u9fff]{2,14}?(?:局|委|中心)(?P<place>[\u4e00-\u9fff]{1,5}?)"
                          r"(?:分局|分中心|大队|中队|所)$")
_BRACKET_TAIL = re.compile(r"（[^（）]*）$")


def _variants(n: str) -> list[str]:
    """Spellings to try, most literal first: as written; without a trailing 等; 、单位 as
    （单位）; without a （…） suffix."""
    seeds = [n, n.rstrip("等")]
    seeds.append(re.sub(r"、(单位|镇|街道)$", r"（\1）", seeds[-1]))
    seeds += [_BRACKET_TAIL.sub("", s) for s in seeds]
    return [v for v in dict.fromkeys(seeds) if v]


_CORE = re.compile(r"^[区县市旗各]|(街道办事处|办事处|街道|人民政府|分局|局|办公室|办|中心|委员会|委|大队|公司|镇|部门|单位)$")


def _core(s: str) -> str:
    """The distinctive part of a name (人社 in 区人社局): matching on 区…局 alone is no match."""
    return _CORE.sub("", s)


def _score(q: str, core: str, s: str) -> float:
    if not set(core) & set(_core(s) or s):
        return 0.0
    ratio = fuzz.ratio(q, s) / 100
    lcs = LCSseq.similarity(q, s)
    if lcs == len(q):   # a subsequence: Chinese abbreviations keep the characters in order
        return 0.6 + 0.4 * ratio
    covered = lcs / len(q)
    return 0.7 * covered + 0.3 * ratio if covered >= 0.6 else 0.0


class UnitRegistry:
    """The valid unit names of one district (or of all, when district is None).

    Department names are one vocabulary behind any level prefix: the built-in list is
    written with 区, and 县卫健局 resolves to 县卫生健康局 as 区卫健局 does to 区卫生健康局.
    A registry of a 县 (嘉祥县) shows its departments with 县.  Entries of the district
    itself (街道, 镇, local bodies) are matched first.  Collective names are recognised
    by grammar (`is_collective`), listed or not."""

    def __init__(self, units: Iterable[Unit], district: str | None = None):
        self._all = tuple(units)
        self.district = district or None
        key = divisions.district_key(district) if district else None
        self.level = divisions.level_of(key)
        self._own_names = tuple(n for n in dict.fromkeys(map(normalize_unit, (district, key))) if n)
        # The district's own entries (街道, 镇, local bodies) win a lookup; the shared
        # vocabulary is indexed once per level (区, 县, 市, 旗), not once per district.
        own = tuple(u for u in self._all if u.district and (key is None or divisions.district_key(u.district) == key))
        shared = _shared_index(self._all, self.level)
        self._units = shared.units + own   # the list's own order: shared entries, then the district's
        own_index, own_cores = _index_of(own)
        # never mutated: a district without entries of its own shares the level's dicts
        self._index = {**shared.index, **own_index} if own_index else shared.index
        self._cores = {**shared.cores, **own_cores} if own_cores else shared.cores
        # 区政府办公室 finds 区政府办公室（区大数据中心） when that is the only such name.
        self._base = _unique_bases(self._index) if own else shared.base
        self._core_base = ({b: self._cores[k] for b, k in _unique_bases({k: k for k in self._cores}).items()}
                           if own_cores else shared.core_base)
        self._resolved: dict[str, Unit | None] = {}
        self._named: dict[str, UnitName] = {}
        self._suggested: dict[tuple[str, int], list[str]] = {}
        self._districts: dict[str | None, UnitRegistry] = {}
        # A district with no entries of its own judges a name as every district of its
        # level does, unless the name begins with the district's own name: those answers
        # are kept once per level, not once per district (a merge may hold 300 counties).
        self._level_memo = None if own else shared

    @classmethod
    def default(cls, district: str | None = None) -> "UnitRegistry":
        base = _default_registry()
        return base if district is None else base.for_district(district)

    @classmethod
    def from_rows(cls, rows: list[list], district: str | None = None) -> "UnitRegistry":
        """A registry from the rows of a 单位名录 (header row first, as HEADER)."""
        return cls(_units_from_rows(rows), district)

    def for_district(self, district: str | None) -> "UnitRegistry":
        """The registry of one district, built once per district and kept."""
        if district not in self._districts:
            self._districts[district] = UnitRegistry(self._all, district)
        return self._districts[district]

    def _own_prefix(self, n: str) -> str | None:
        """The district's own name (嘉祥县, or its short form) that `n` begins with."""
        for own in self._own_names:
            if n.startswith(own) and len(n) > len(own) + 1:
                return own
        return None

    def _split_level(self, n: str) -> tuple[str | None, str]:
        """(level prefix, the rest): 县卫健局 → (县, 卫健局); 嘉祥县财政局 → (县, 财政局)."""
        own = self._own_prefix(n)
        if own:
            return own[-1], n[len(own):]
        if n[:1] in LEVELS and len(n) > 2:
            return n[0], n[1:]
        return None, n

    def _level_wide(self, n: str) -> "_Shared | None":
        """The level's index, whose answers about `n` this registry shares, or None when
        its answer is its own (entries of its own, a name beginning with its own name)."""
        return None if self._level_memo is None or self._own_prefix(n) else self._level_memo

    def resolve(self, name: str) -> Unit | None:
        """The entry `name` names: exactly, by an alias, or by the abbreviation grammar
        (behind any level prefix); a collective name by grammar.  Never by similarity:
        that is `suggest`."""
        n = normalize_unit(name)
        if n not in self._resolved:
            self._resolved[n] = self._resolve(n) if n else None
        return self._resolved[n]

    def name(self, written: str) -> UnitName:
        """`written` with the entry it names (see `resolve`)."""
        named = self._named.get(written)
        if named is None:
            unit = self.resolve(written)
            named = self._named[written] = UnitName(written, unit.name, unit.kind) if unit else UnitName(written)
        return named

    def _resolve(self, n: str) -> Unit | None:
        level = self._level_wide(n)
        if level is None:
            unit = self._listed(n)
        else:
            if n not in level.resolved:
                level.resolved[n] = self._listed(n)
            unit = level.resolved[n]
        if unit is not None:
            return unit
        branch = _CITY_BRANCH.match(n)   # judged by the district's own name
        if branch and (self.district is None or divisions.district_key(self.district)[:-1] in branch["place"]):
            return Unit(n, "上级/垂管单位")
        return None

    def _listed(self, n: str) -> Unit | None:
        """The entry `n` names (directly, behind a level prefix), or a collective name."""
        for v in _variants(n):
            unit = self._index.get(v) or self._base.get(v)
            if unit is not None:
                return unit
        prefix, rest = self._split_level(n)
        level = prefix or self.level or "区"
        for v in _variants(rest):
            hit = self._cores.get(v) or self._core_base.get(v)
            if hit is not None:
                unit, core = hit
                return Unit(level + core, unit.kind, tuple(level + a[1:] for a in unit.aliases if a[:1] in LEVELS),
                            unit.district)
        if is_collective(n):
            return Unit(n, "集体称谓")
        return None

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """Closest canonical names, best first; [] when nothing is reasonably close.  A
        name written with a level prefix gets suggestions with the same prefix."""
        q = normalize_unit(name)
        if (q, n) not in self._suggested:
            level = self._level_wide(q)
            if level is None:
                self._suggested[(q, n)] = self._suggest(q, n)
            else:
                if (q, n) not in level.suggested:
                    level.suggested[(q, n)] = self._suggest(q, n)
                self._suggested[(q, n)] = level.suggested[(q, n)]
        return list(self._suggested[(q, n)])

    def _suggest(self, q: str, n: int) -> list[str]:
        prefix, rest = self._split_level(q)
        core_q = _core(q)
        if not core_q:
            return []
        best: dict[str, float] = {}
        for u in self._units:
            levelled = prefix is not None and u.kind in _LEVELLED and u.name[:1] in _VOCABULARY_PREFIXES
            shown = prefix + u.name[1:] if levelled else u.name
            for s in map(normalize_unit, (u.name, *u.aliases)):
                score = (_score(rest, _core(rest) or rest, s[1:]) if levelled and s[:1] in _VOCABULARY_PREFIXES
                         else _score(q, core_q, s))
                if score >= 0.55 and score > best.get(shown, 0.0):
                    best[shown] = score
        ranked = sorted(best, key=lambda k: (-best[k], len(k), k))
        return ranked[:n]

    def members(self, name: str) -> list[str]:
        """The units a collective name stands for in this registry (各街镇 → every 街道 and
        镇 listed, 区政府各部门 → every 部门); [] for a single unit, or a collective whose
        members the registry does not list."""
        kinds = collective_member_kinds(name)
        return self.names(kinds) if kinds else []

    def names(self, kinds: Iterable[str] | None = None) -> list[str]:
        wanted = None if kinds is None else set(kinds)
        return [u.name for u in self._units if wanted is None or u.kind in wanted]

    def __len__(self) -> int:
        return len(self._units)

    def __iter__(self) -> Iterator[Unit]:
        return iter(self._units)


@dataclass(frozen=True)
class _Shared:
    units: tuple[Unit, ...]
    index: dict
    cores: dict
    base: dict
    core_base: dict
    # what the level's registries without entries of their own found: name → resolve, (name, n) → suggest
    resolved: dict = field(default_factory=dict)
    suggested: dict = field(default_factory=dict)


def _localised(u: Unit, level: str | None) -> Unit:
    """A shared department as a district of `level` writes it (区财政局 → 县财政局 in a 县)."""
    if level in (None, "区") or u.kind not in _LEVELLED or not u.name.startswith("区"):
        return u
    relevel = lambda n: re.sub(r"^区|(?<=（)区", level, n)  # noqa: E731  also 办公室（区大数据中心）
    return Unit(relevel(u.name), u.kind, tuple(map(relevel, u.aliases)), u.district)


def _index_of(units: tuple[Unit, ...]) -> tuple[dict[str, Unit], dict[str, tuple[Unit, str]]]:
    """Exact names (canonical names before aliases: the first claim wins) and the
    vocabulary behind the level prefix (财政局 → (unit, its name without the level))."""
    index: dict[str, Unit] = {}
    cores: dict[str, tuple[Unit, str]] = {}
    for names_of in (lambda u: (u.name,), lambda u: u.aliases):
        for u in units:
            for n in map(normalize_unit, names_of(u)):
                index.setdefault(n, u)
                if u.kind in _LEVELLED and n[:1] in _VOCABULARY_PREFIXES and \
                        u.name[:1] in _VOCABULARY_PREFIXES and len(n) > 2:
                    cores.setdefault(n[1:], (u, u.name[1:]))
    return index, cores


@functools.lru_cache(maxsize=64)
def _shared_index(units: tuple[Unit, ...], level: str | None) -> _Shared:
    shared = tuple(_localised(u, level) for u in units if not u.district)
    index, cores = _index_of(shared)
    core_base = {b: cores[k] for b, k in _unique_bases({k: k for k in cores}).items()}
    return _Shared(shared, index, cores, _unique_bases(index), core_base)


def _unique_bases(index: dict[str, object]) -> dict[str, object]:
    """Names without their （…） suffix that stand for exactly one entry."""
    bases: dict[str, set] = {}
    for k, v in index.items():
        bases.setdefault(_BRACKET_TAIL.sub("", k), set()).add(v)
    return {b: next(iter(vs)) for b, vs in bases.items() if len(vs) == 1}


@functools.lru_cache(maxsize=1)
def _default_registry() -> "UnitRegistry":
    return UnitRegistry(_default_units())


@functools.lru_cache(maxsize=1)
def _default_units() -> tuple[Unit, ...]:
    ref = resources.files("xltools") / "data" / "units_default.csv"
    with ref.open(encoding="utf-8-sig", newline="") as f:
        return tuple(_units_from_rows(list(csv.reader(f))))


def _units_from_rows(rows: list[list]) -> list[Unit]:
    header = [normalize_unit(h) for h in (rows[0] if rows else [])]
    if "单位名称" not in header:
        raise ValueError("第1行应为表头：" + "、".join(HEADER))
    col = {h: header.index(h) for h in HEADER if h in header}
    units = []
    for r, row in enumerate(rows[1:], 2):
        cell = {h: row[i] if i < len(row) else None for h, i in col.items()}
        name = normalize_unit(cell["单位名称"])
        if not name:
            continue
        kind = normalize_unit(cell.get("类别")) or _guess_kind(name)
        if kind not in UNIT_KINDS:
            raise ValueError(f"第{r}行类别“{kind}”无效，应为：{'、'.join(UNIT_KINDS)}")
        aliases = re.split(r"[、，,；;\n]", str(cell.get("简称或别名") or ""))  # before normalising: \n separates
        units.append(Unit(name, kind, tuple(a for a in map(normalize_unit, aliases) if a),
                          normalize_unit(cell.get("区县")) or None))
    return units


# ---------------------------------------------------------------- learning from sheets

# Collective first: 各街道 is a collective name although it ends in 街道.
_KIND_RULES = (("上级/垂管单位", r"^市.*分局$"),
               ("街道", r"街道(办事处)?$"), ("镇", r"镇(人民政府)?$"))


def _guess_kind(name: str) -> str:
    if is_collective(name):
        return "集体称谓"
    return next((kind for kind, rx in _KIND_RULES if re.search(rx, name)), "部门")


def _likely_alias(piece: str, registry: UnitRegistry) -> str | None:
    """The canonical name `piece` abbreviates, if one stands out: the piece keeps the
    characters in order and ends like the full name (区人社局 → 区人力资源和社会保障局)."""
    if not _core(piece):
        return None
    cands: dict[str, float] = {}
    for u in registry:
        for s in (u.name, *u.aliases):
            if len(piece) < len(s) and s[-1] == piece[-1] and LCSseq.similarity(piece, s) == len(piece):
                ratio = fuzz.ratio(piece, s) / 100
                cands[u.name] = max(cands.get(u.name, 0.0), ratio)
    ranked = sorted(cands.values(), reverse=True)
    if not ranked or (len(ranked) > 1 and ranked[0] - ranked[1] < 0.05):
        return None
    return max(cands, key=cands.get)


def learn_units(unit_texts: Iterable[str], registry: UnitRegistry) -> list[dict]:
    """Proposals for new registry entries from the unit cells of existing sheets."""
    counts: dict[str, int] = {}
    for text in unit_texts:
        for piece in split_units(text, registry=registry).all:
            if registry.resolve(piece) is None:
                counts[piece] = counts.get(piece, 0) + 1
    proposals = [{"name": p, "count": c, "kind": _guess_kind(p), "alias_of": _likely_alias(p, registry)}
                 for p, c in counts.items()]
    return sorted(proposals, key=lambda d: -d["count"])  # stable: ties keep first-seen order
