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
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from typing import Callable, Iterable, Iterator

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq, Levenshtein

from xltools.rules import divisions
from xltools.texts import t as _t


UNIT_KINDS = ("部门", "街道", "镇", "集体称谓", "上级/垂管单位", "功能区", "村/社区")
# the kinds as an English command line may name them (the 单位名录 itself holds the Chinese)
KINDS_EN = dict(zip(("department", "street", "town", "collective", "vertical", "zone", "village"), UNIT_KINDS))


def kind_names(kinds: Iterable[str], lang: str = "zh") -> tuple[str, str]:
    """Registry kinds as a sentence names them, and as values to give the registry: in
    Chinese 村/社区 both; in English "villages or communities", and "village (村/社区)" (the
    registry's 类别 holds the Chinese; units add takes either)."""
    kinds = list(kinds)
    if lang != "en":
        return "、".join(kinds), "、".join(kinds)
    english = {zh: en for en, zh in KINDS_EN.items()}
    return (" or ".join(_t(f"unit-kinds-{english[k]}", "en") if k in english else k for k in kinds),
            ", ".join(f"{_t(f'unit-kind-{english[k]}', 'en')} ({k})" if k in english else k for k in kinds))


COLLECTIVE = "集体称谓"                     # the kind of 各街镇, 区政府各部门, 有关部门（单位）…
PLACE_KINDS = ("街道", "镇", "村/社区")       # a county's own: an entry of its place (区县), never of every county
HEADER = ("区县", "单位名称", "简称或别名", "类别", "级别")
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
    tier: str = "county"       # the tier of government whose vocabulary it belongs to (TIERS)

    def __post_init__(self):
        if self.kind not in UNIT_KINDS:
            raise ValueError(f"类别“{self.kind}”无效，应为：{'、'.join(UNIT_KINDS)}")
        if self.tier not in divisions.TIERS:
            raise ValueError(f"级别“{self.tier}”无效，应为：{'、'.join(TIER_WORDS)}")


@dataclass(frozen=True)
class UnitAssignment:
    raw: str
    lead: tuple[str, ...]      # pieces as written (normalized), in order
    support: tuple[str, ...]
    notes: tuple[str, ...] = ()  # remarks in the cell that name no unit (下同, 不再做分工 …)

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


def as_written(pieces: Iterable[str], raw: str | None) -> list[str]:
    """The pieces of a units cell (its units and its remarks, which split_units keeps
    apart) in the order the cell `raw` wrote them: 做好爱国卫生运动、健康中国行动 stays so,
    though 做好… is a remark.  A piece not found in `raw` keeps its place after the others."""
    pieces = list(pieces)
    s = str(raw or "").translate(_TABLE)
    at = {p: s.find(p) for p in pieces}
    return sorted(pieces, key=lambda p: at[p] if at[p] >= 0 else len(s))


def join_cut_cell(head: str, tail: str) -> str:
    """A units cell cut in two at a page break, as one cell for `split_units`: as written
    where the cut falls at a separator (区财政局、 | 区民政局) or before a bracket (区财政局 |
    （牵头）); with 、 where two names meet (区财政局 | 区民政局, as `_boundary` judges);
    else as one text, a name the cut made two (区人力资源和社会 | 保障局, 有关部 | 门（单位）)."""
    head, tail = head.rstrip(), tail.lstrip()
    if head[-1:] in _HARD or tail[:1] in _HARD + "（(":
        return head + tail
    return f"{head}{'、' if _boundary(normalize_unit(head), normalize_unit(tail)) else ''}{tail}"


def units_of(text, registry: "UnitRegistry") -> tuple[UnitName, ...]:
    """Every unit of a cell (lead and supporting), as written, with the entry each names."""
    return name_units(split_units(text, registry=registry).all, registry)


def recipients(units: Iterable[UnitName], registry: "UnitRegistry") -> tuple[UnitName, ...]:
    """Who a task's units reach: a collective by each member the registry lists, any
    other unit as named (a collective without listed members stays itself).  The one
    rule of who receives what: split, the circular's counts and the reminders.  A unit
    reached twice is named as the cell writes it, though a collective (naming its members
    as the registry does) reached it first: 区政府各部门、区人社局 reaches 区人社局."""
    out: dict[str, UnitName] = {}
    as_written: set[str] = set()
    for unit in units:
        for named in _reached(unit, registry):
            own = named.written == unit.written      # the unit itself, not a collective's member
            if named.counted not in out or own and named.counted not in as_written:
                out[named.counted] = named
            if own:
                as_written.add(named.counted)
    return tuple(out.values())


def _reached(unit: UnitName, registry: "UnitRegistry") -> tuple[UnitName, ...]:
    """Whom one unit reaches (`recipients`' rule), found once: kept with the answers the
    district's level shares (a district without entries of its own, a name not beginning
    with its own name: 300 counties' 县政府各部门 are one question), else with the district's."""
    level = registry._level_wide(normalize_unit(unit.written))
    kept = registry._reached if level is None else level.reached
    reached = kept.get(unit)
    if reached is None:
        out: dict[str, UnitName] = {}
        for named in [registry.name(m) for m in registry.members(unit.written)] or [unit]:
            out.setdefault(named.counted, named)
        reached = kept[unit] = tuple(out.values())
    return reached


@dataclass
class LeadGroup:
    """The tasks one recipient leads in one district (see `lead_groups`)."""
    district: str | None         # None: in every district (`lead_groups` with `most`)
    counted: str                 # the recipient as counted; "": the tasks without a lead unit
    shown: str                   # as the district first wrote it, though a collective reached it first (a
                                 # member the district never writes itself: as the registry names it; a
                                 # collective whose members the registry does not list: itself)
    rows: list[int] = field(default_factory=list)    # the tasks' indexes, in order
    forms: list[str] = field(default_factory=list)   # the lead units, as written, through which the tasks reach it
    # across districts (district None), a form that does not reach the recipient in every district
    # writing it (各街道办事处: a district's own streets) → (True, the districts where it does) or,
    # when fewer, (False, those where it does not)
    places: dict[str, tuple[bool, tuple[str, ...]]] = field(default_factory=dict)
    as_written: bool = field(default=False, repr=False)   # `shown` is a lead unit as written, not a member's name

    def met(self, written: str, named: UnitName) -> None:
        """The group reached by the lead unit `written` (a cell's unit) as `named`: a form
        of it; and the name shown, the unit as written as soon as the district writes it
        itself, not through a collective (what a district wrote stays written)."""
        if written not in self.forms:
            self.forms.append(written)
        if named.written == written and not self.as_written:
            self.shown, self.as_written = written, True

    def label(self, several: bool, lang: str = "zh") -> str:
        """The recipient as a table of counts shows it: with its district when the
        table holds several."""
        name = self.shown or _t("rp-no-lead", lang)
        return _t("rp-unit-in", lang, unit=name, district=self.district) if several and self.district else name


# a distinct lead cell of a district: (district, each unit as written with whom it reaches, the rows writing it)
_LeadCell = tuple[str, tuple[tuple[str, tuple[UnitName, ...]], ...], list[int]]


def lead_groups(tasks: Iterable[tuple[str, Iterable[UnitName]]], registry: "UnitRegistry",
                most: int | None = None) -> list[LeadGroup]:
    """Tasks (district, lead units as written) by who leads them: each lead unit by its
    recipients (`recipients`, with the district's registry), in the order first met.  The
    one grouping of the per-unit counts: the circular's, the page's and the master's 统计.
    With `most`: where that makes more than `most` groups (a city's hundreds of districts),
    each recipient once, its tasks in every district (district None)."""
    cells = _lead_cells(tasks, registry)
    groups = _by_district(cells, most)
    return _across_districts(cells) if groups is None else groups


def _lead_cells(tasks: Iterable[tuple[str, Iterable[UnitName]]], registry: "UnitRegistry") -> list[_LeadCell]:
    """The tasks by district and lead cell, in the order first met: rows of one district
    and cell (a plan's 区政府各部门（单位） on many rows) are reached once."""
    cells: dict[tuple[str, tuple[str, ...]], _LeadCell] = {}
    for i, (district, units) in enumerate(tasks):
        units = tuple(units)
        key = (district, tuple(u.written for u in units))
        cell = cells.get(key)
        if cell is None:
            own = registry.for_district(district or None)
            cell = cells[key] = (district, tuple((u.written, _reached(u, own)) for u in units), [])
        cell[2].append(i)
    return list(cells.values())


def _by_district(cells: list[_LeadCell], most: int | None) -> list[LeadGroup] | None:
    """The groups by district and recipient; None as soon as there are more than `most`."""
    groups: dict[tuple[str, str], LeadGroup] = {}

    def group(district: str, named: UnitName | None) -> LeadGroup | None:
        key = (district, named.counted if named else "")
        found = groups.get(key)
        if found is None and (most is None or len(groups) < most):
            found = groups[key] = LeadGroup(district, key[1], named.written if named else "")
        return found

    for district, reached, rows in cells:
        for written, names in reached:
            for named in names:
                if (g := group(district, named)) is None:
                    return None
                g.rows += rows
                g.met(written, named)
        if not reached:
            if (g := group(district, None)) is None:
                return None
            g.rows += rows
    for g in groups.values():       # in order, each task once (two of its units may reach one recipient)
        g.rows = sorted(set(g.rows))
    return list(groups.values())


def _across_districts(cells: list[_LeadCell]) -> list[LeadGroup]:
    """Each recipient's tasks in every district: the groups `_by_district` makes, each
    recipient's merged in the order first met, computed without them.  Cells whose units
    reach the same (`_reached` keeps one answer for every district of a level) are taken as one."""
    alike: dict[tuple[int, ...], tuple[tuple[tuple[str, tuple[UnitName, ...]], ...], list[int]]] = {}
    for _, reached, rows in cells:
        alike.setdefault(tuple(id(names) for _, names in reached), (reached, []))[1].extend(rows)
    groups: dict[str, LeadGroup] = {}
    for reached, rows in alike.values():
        counted = set()     # a task once, though two of its units reach one recipient
        for written, names in reached:
            for named in names:
                g = groups.get(named.counted)
                if g is None:
                    g = groups[named.counted] = LeadGroup(None, named.counted, named.written)
                if named.counted not in counted:
                    counted.add(named.counted)
                    g.rows += rows
                g.met(written, named)
        if not reached:
            groups.setdefault("", LeadGroup(None, "", "")).rows += rows
    for g in groups.values():       # the rows of different cells are different rows
        g.rows.sort()
    _places(cells, groups)
    return list(groups.values())


def _places(cells: list[_LeadCell], groups: dict[str, LeadGroup]) -> None:
    """Each group's forms that reach its recipient in some of the districts writing them
    only, with those districts (LeadGroup.places)."""
    written: dict[str, set[str]] = defaultdict(set)
    reach: dict[tuple[str, str], set[str]] = defaultdict(set)
    for district, reached, _ in cells:
        for form, names in reached:
            written[form].add(district)
            for named in names:
                reach[(named.counted, form)].add(district)
    for (counted, form), districts in reach.items():
        others = written[form] - districts
        if others:
            groups[counted].places[form] = (True, tuple(sorted(districts))) if len(districts) <= len(others) \
                else (False, tuple(sorted(others)))


def name_units(pieces: Iterable[str], registry: "UnitRegistry") -> tuple[UnitName, ...]:
    """Each piece as written with the entry it names; a unit written twice (an
    abbreviation beside its full name) is kept once, as first written."""
    out: dict[str, UnitName] = {}
    for piece in pieces:
        named = registry.name(piece)
        out.setdefault(named.counted, named)
    return tuple(out.values())


def name_roles(lead: Iterable[str], support: Iterable[str], registry: "UnitRegistry"
               ) -> tuple[tuple[UnitName, ...], tuple[UnitName, ...]]:
    """A task's lead and supporting units named (see `name_units`); a unit that leads is
    not also listed as supporting.  Kept per registry: the same cells recur on every row."""
    key = (tuple(lead), tuple(support))
    named = registry._roles.get(key)
    if named is None:
        leads = name_units(key[0], registry)
        counted = {u.counted for u in leads}
        named = registry._roles[key] = (leads, tuple(u for u in name_units(key[1], registry) if u.counted not in counted))
    return named


# ---------------------------------------------------------------- splitting cells

_HARD = "、，,；;。/／"
_UNIT_END = re.compile(r"(局|厅|办|室|委|中心|院|处|街道|办事处|镇|公司|队|部|部门|单位|馆|会|所|站)$")
# Role words wherever a cell puts them: a label before its units (牵头单位：… / 主办：…), a
# marker after them (…牵头，…配合 / …主办、…协办 / …负责、…配合 / …（参与）), and words of duty that name no role
# ("按职责分工负责", and a tail after the units: …负责落实, …抓好落实, …具体负责, …负责推进):
# their units keep the role they have (after a lead: cooperating; alone: leads).
_DUTY_TAIL = (r"(?:(?:按照?|根据)(?:各自)?职责(?:分工)?|分别|共同|切实|认真|具体|负责|抓好|组织)*"
              r"(?:负责落实|负责推进|负责实施|抓好落实|具体负责|具体落实|组织实施|具体实施|落实|推进|实施|执行)"
              r"(?=\s*(?:[、，,；;。\n]|$))")
_ROLE = re.compile(
    rf"(?P<duty>(?:各自|分别|共同)负责(?:落实|实施|推进)?|（?按照?(?:各自)?职责(?:分工)?(?:负责|落实|抓好落实|推进)?）?|{_DUTY_TAIL})"
    r"|(?P<lead_label>(?<!各)(?:牵头|主责|主办)(?:单位|部门)?\s*[：:])"
    r"|(?P<support_label>(?<!各)(?:配合|协办|协助|参与)(?:单位|部门)?\s*[：:])"
    r"|(?P<plain_label>(?:责任|承办)(?:单位|部门)\s*[：:])"
    r"|(?P<lead>（(?:牵头|主办)(?:单位)?）|为(?:牵头|主办)(?:单位|部门)|(?<!各)牵头(?:负责|抓总|单位|部门)?"
    # 主办 and a bare 负责 only where a piece ends (局主办科室 is a name, not 局 leading 科室)
    r"|(?<!各)主办(?:单位|部门)?(?=\s*(?:[、，,；;。\n]|$))|(?<![各牵])负责(?=\s*(?:[、，,；;。\n]|$)))"
    r"|(?P<support>（(?:配合|协办|参与)(?:单位)?）|为(?:配合|协办|参与)(?:单位|部门)"
    r"|(?<!各)(?:配合|协助|协同|协办|参与)(?:单位|部门)?)")
# After "等", a tail like 有关部门(单位) / 区政府相关部门 is a collective unit of its own.
_ETC_TAIL = re.compile(r"^([区县市旗](政府|直|级)|其他|各|有关|相关)|部门|单位")
_BARE_TAILS = {"部门", "单位", "部门（单位）", "部门和单位", "部门、单位"}
# Pieces that only continue a collective name cut at its inner 、 (区政府各部门、单位).
_CONTINUATIONS = {"单位", "镇", "街道", "街镇", "街道办事处"}   # 各乡镇人民政府、街道办事处
_EDGE = re.compile(r"^[：:。．.·“”\"'‘’]+|[：:。．.·“”\"'‘’]+$|^由(?=..)")   # 由区发改局牵头


# What clerks write in a 责任单位 cell besides names: a remark about the units (下同, 同上,
# 不再做分工, 另行通知, 视情况而定, 待定, 详见附件 …) or a sentence about the task (具体任务均
# 涉及相关市(州)人民政府).  No unit name holds these words, so a piece holding one is a
# note: never a unit, a recipient nor a file name.
_REMARK = re.compile(
    r"下同|同上|如上|同前|以下简称|简称|不再|另行|另定|另附|视情况|视需要|根据需要|根据实际|酌情|必要时|如有|如需"
    r"|待定|待明确|待确定|暂定|暂无|暂不|详见|参见|参照|见附件|附件|附表|见上|见下|涉及|均由|均为|均须|均需|均要"
    r"|自行|为准|不做|不作|不分|无需|不需|各自|按职责|职责分工|分工负责|全力|确保|积极|做好|进行|开展"
    r"|^(?:无|略|否|空|—+|-+|/|／|\\|\?|？|…+|\.+)$")
# A remark at the end of a name (其他单位视情况配合, 区财政局（下同）): the name stays, the remark goes.
_REMARK_TAIL = re.compile(r"(?:（[^（）]*(?:下同|同上|以下简称|简称)[^（）]*）|视情况|视需要|根据需要|酌情|必要时)$")


def is_remark(piece: str) -> bool:
    """A piece of a 责任单位 cell that is a remark, not a unit name (see `_REMARK`)."""
    return bool(_REMARK.search(piece))


_UNIT_START = ("区", "县", "市", "旗", "省", "各")   # how a unit name of a plan's own tier begins


def _boundary(left: str, right: str) -> bool:
    """Registry-free guess that two unit names meet here: the left part ends like a unit
    and the right starts like one (so 区人力资源和社会保障局 never splits on 和)."""
    left = re.sub(r"（[^（）]*）$", "", left)
    return bool(_UNIT_END.search(left)) and right[:1] in _UNIT_START


def split_units(text, registry: "UnitRegistry | None" = None) -> UnitAssignment:
    """Split a 责任单位 cell into lead (牵头) and supporting (配合) units.
    Without role markers every unit is a lead; "A会B" / "A会同B" of two units: A leads, B
    cooperates.  A registry, when given, decides whether a line break cut a name in two,
    and knows the units 会 may join.  The one splitter of the code base: reader,
    validator, master, split, collect and the Excel actions all call it."""
    raw = "" if text is None else str(text)
    if registry is not None:
        # the registry only judges whitespace: one cached split for every district (or level)
        # (and whether 会 joins two units: A会B)
        registry = registry.split_judge(raw) if _WHITESPACE.search(raw) or "会" in raw else None
    return _split_units(raw, registry)


@functools.lru_cache(maxsize=65536)   # unit cells repeat across rows and files
def _split_units(raw: str, registry: "UnitRegistry | None") -> UnitAssignment:
    s = raw.translate(_TABLE).replace("\r", "\n")
    roles: dict[str, list[str]] = {"lead": [], "support": []}
    notes: list[str] = []
    mode, seen_lead, pos = None, False, 0

    def flush(chunk: str, role: str | None) -> None:
        nonlocal seen_lead
        for piece in _split_chunk(chunk, registry):
            bare = _REMARK_TAIL.sub("", piece)
            if bare != piece:
                notes.append(piece[len(bare):])
            if bare and is_remark(bare):
                notes.append(bare)
            elif bare:
                own = role or ("support" if seen_lead else "lead")
                joint = _jointly(bare, registry)
                if joint:                # A会B: A has the piece's role, B cooperates (as after 牵头)
                    roles[own].append(joint[0])
                    roles["support"].append(joint[1])
                    seen_lead = seen_lead or own == "lead"
                else:
                    roles[own].append(bare)

    for m in _ROLE.finditer(s):
        chunk, kind = s[pos:m.start()], m.lastgroup
        pos = m.end()
        if kind == "duty":               # 按职责分工负责: no role of its own
            flush(chunk, mode)
        elif kind.endswith("_label"):    # a label applies to the text after it
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
    return UnitAssignment(raw, lead, support, tuple(dict.fromkeys(notes)))


# "A会B" / "A会同B" (会办): A leads, jointly with B.  Only between two units, so that the
# 会 of a name (区总工会, 区委会, 区红十字会, 区人力资源和社会保障局, 区财政局会计核算中心)
# never splits it: after 委 the 会 is a committee's (村委会, 管委会), so both sides must then
# be names the registry knows; a 会 that begins a word (会议, 会计, 会展 …) joins nothing.
_JOINT = re.compile(r"会同|会")
_HUI_WORD = "议计商签展务员长所场堂审诊谈见期馆址费徽考标聚友同"


def _jointly(piece: str, registry: "UnitRegistry | None") -> tuple[str, str] | None:
    """(A, B) when `piece` is "A会B" or "A会同B" of two units, else None."""
    for m in _JOINT.finditer(piece):
        lead, other = piece[:m.start()], piece[m.end():]
        if not lead or not other:
            continue
        known = registry is not None and bool(registry.resolve(lead) and registry.resolve(other))
        if m.group() == "会" and not known and (lead.endswith("委") or other[0] in _HUI_WORD):
            continue
        if known or (_is_unit(lead, registry) and _is_unit(other, registry)):
            return lead, other
    return None


def _is_unit(name: str, registry: "UnitRegistry | None") -> bool:
    """Registry-known, or shaped like a unit (ends like one: 宣传处, 办公室, 区委宣传部)."""
    return (len(name) > 1 and bool(_UNIT_END.search(name)) and not name.endswith("会")) or \
        (registry is not None and registry.resolve(name) is not None)


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
        """Two names meet at a space: by their shape, or one is a name the registry knows
        and the other ends like a name (党政办公室 火星局: a known office, then an unknown body)."""
        if _boundary(a, b):
            return True
        if registry is None or b.startswith("（"):      # a bracket goes with the name before it
            return False
        known_a, known_b = registry.resolve(a), registry.resolve(b)
        return bool(known_a and known_b or known_a and _UNIT_END.search(b) or known_b and _UNIT_END.search(a))

    res, i = [], 0
    while i < len(parts):
        cur, j = parts[i], i
        if registry is not None:
            for k in range(len(parts) - 1, i, -1):
                span = parts[i:k + 1]
                # a line that is a collective name of its own (各社区居委会) begins a unit
                if registry.resolve("".join(span)) and not all(map(registry.resolve, span)) \
                        and not any(map(is_collective, span[1:])):
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
# The group noun may name bodies of any level: governments (各地, 各县（市、区）), departments
# (各厅局, 各委办局), a body's own sections (各科室, 各股室, 各中心), task forces (各专班).
_GROUP_NOUN = (r"(?:部门|单位|镇|街道办事处|街道|乡镇|街镇|镇街|乡|村|社区|办事处|委|居委会|村委会|委会|居民委员会|村民委员会|党委|党（工）委|工委|人民政府|政府|机关|"
               r"企业|学校|医院|机构|成员单位|处室|科室|股室|专班|工作专班|专项组|工作组|小组|指挥部|支部|党支部|"
               r"党组织|管委会|管理委员会|功能区|园区|开发区|县（市、区）|区县|县区|县市区|"
               r"办(?=（))")   # 机关各办（站、所）
# A short group noun only straight after its quantifier (各地, 各市, 各局, 各科, 各所, 各中心):
# after other words it would end the name of a body (有关部门 各街道办事处 区火星局).
_SHORT_GROUP = r"(?:地|地区|地市|市|县|区|州|市州|盟|旗|局|厅|厅局|委办局|委局|科|股|处|室|所|站|组|队|中心|办)"
_BR = r"(?:（[^（）]{0,12}）)"
# who addresses the group: a tier and its organ (区政府, 县直, 市委, 省直), a township, 机关
_ADDRESSER = r"(?:[省市区县旗镇乡](?:委|政府|人民政府|直|级|直机关)?(?:各级)?|街道|机关)"
_QUANTIFIER = r"(?:各|有关|相关|其他|其它|全体|所有)+"
_COLLECTIVE = re.compile(
    rf"^{_ADDRESSER}?{_QUANTIFIER}(?:[^、，,；;（）]|{_BR}){{0,14}}?{_GROUP_NOUN}{_BR}*"
    rf"(?:[、和及与]{_GROUP_NOUN}{_BR}*)?$"
    rf"|^{_ADDRESSER}?{_QUANTIFIER}(?:级|直属|下属|职能)?{_SHORT_GROUP}{_BR}*$"
    # a body or a field before 各: 局机关各科室, 全区经济运行各专班, 开发区各部门
    rf"|^[^、，,；;（）各]{{1,14}}?各(?:级|有关|相关|直属|下属|职能)?(?:{_GROUP_NOUN}|{_SHORT_GROUP}){_BR}*$"
    rf"|^.{{1,30}}等(?:有关|相关|其他)?(?:部门|单位){_BR}?$")

# Which registry kinds a collective name reaches, by its head noun: only a group of a
# government tier's towns, streets, departments (or a township's villages) has members a
# registry lists.  A body's own sections (各科室, 局机关各科室), task forces (各专班),
# members of a leading group (各成员单位), places (各地, 各县（市、区）人民政府) reach none:
# such a name is one recipient, as written.
_GOVERNMENT = r"(?:全?[省市区县旗镇乡](?:委|政府|人民政府|直|级|直机关|直属)?|街道)"
_MEMBER_NAME = re.compile(
    rf"^{_GOVERNMENT}*(?:各|有关|相关|其他|其它|全体|所有)(?:各|有关|相关|其他|其它|职能|责任|级|相应)*"
    r"(?P<head>.+?)(?:党（工）委|党工委|党委|工委|人民政府|政府)?$")
_MEMBER_WORDS = {"镇": ("乡镇", "镇", "乡"), "街道": ("街道办事处", "街道", "办事处", "街"),
                 "部门": ("部门", "单位", "机关", "委办局", "委办", "委局", "厅局", "局办", "局", "委", "办", "厅"),
                 "村/社区": ("行政村", "村居", "村委会", "居委会", "居民委员会", "村民委员会", "村", "社区", "居")}
_MEMBER_WORD = {w: kind for kind, words in _MEMBER_WORDS.items() for w in words}
# a township's organ between its words names no other kind: 各乡镇人民政府（街道办事处）
_MEMBER_TOKEN = re.compile("|".join(sorted([*_MEMBER_WORD, "人民政府", "政府", "委会"], key=len, reverse=True))
                           + "|[、和及与（）]")


def _member_kinds_of(head: str) -> tuple[str, ...] | None:
    """The kinds the words of a group noun name (镇（街道） → 镇, 街道), or None when
    any part of it is no such word (科室, 成员单位, 县（市、区）)."""
    kinds, pos = [], 0
    while pos < len(head):
        m = _MEMBER_TOKEN.match(head, pos)
        if m is None:
            return None
        kind = _MEMBER_WORD.get(m.group())
        if kind and kind not in kinds:
            kinds.append(kind)
        pos = m.end()
    return tuple(k for k in _MEMBER_WORDS if k in kinds) or None


_BY_GOVERNMENT = re.compile(r"^(?:[省市区县旗镇乡]|街道)?(?:人民)?政府")
_NOT_GOVERNMENT = re.compile(r"^(?:中共)?(?:[省市区县旗]|街道|镇|乡)?委|^团[省市区县旗]?委|人民法院$|人民检察院$|纪委监委$|纪委$|"
                             r"人大常委会|人大$|政协|总工会$|妇联$|残联$|科协$|工商联$|文联$|红十字会$|党校$")


def is_collective(name) -> bool:
    """Whether a unit name addresses a group by grammar (not by list): 各镇（街道）,
    区政府各部门、单位, 县直各有关单位, 各镇（街道）党（工）委, …等有关部门, 各地,
    局机关各科室, 全区经济运行各专班."""
    return bool(_COLLECTIVE.match(normalize_unit(name)))


def collective_member_kinds(name) -> tuple[str, ...]:
    """The registry kinds a collective name reaches (各镇（街道） → 镇, 街道; 区政府各部门 →
    部门; 各村（社区） → 村/社区); () when the name is not collective or names a group whose
    members are no registry kind (各科室, 各专班, 各成员单位, 各地, 各县（市、区）人民政府)."""
    n = normalize_unit(name)
    if not is_collective(n):
        return ()
    m = _MEMBER_NAME.match(n)
    return (m and _member_kinds_of(m["head"])) or ()


# ---------------------------------------------------------------- the registry

# Plans exist at every tier of government; a body's name begins with its tier's prefix
# (省财政厅, 市财政局, 县财政局, 镇党政办公室) or, inside its own tier, with none (党政办公室).
TIERS = divisions.TIERS                     # province, city, county, township
TIER_WORDS = {"省级": "province", "市级": "city", "县级": "county", "乡级": "township"}
_TIER_NAMES = {v: k for k, v in TIER_WORDS.items()}
LEVELS = divisions.LEVEL_SUFFIXES           # 区 县 市 旗: the prefix of a county-level body
_TIER_PREFIXES = {"province": ("省",), "city": ("市",), "county": LEVELS, "township": ("街道", "镇", "乡")}
_PREFIXES = ("街道", "省", "市", "区", "县", "旗", "镇", "乡")
# 市场 is a word (市场监管所, 市场监督管理局: a body of any tier), never the prefix 市 + 场…;
# the city's is written 市市场监督管理局
_NO_PREFIX = ("市场",)


def _prefixed(name: str, prefix: str) -> bool:
    """Does `name` begin with the tier prefix `prefix` (区财政局: 区; 市场监管所: not 市)?"""
    return name.startswith(prefix) and len(name) > len(prefix) + 1 and not name.startswith(_NO_PREFIX)
# Kinds written behind a tier's prefix: one vocabulary serves 区, 县, 县级市 and 旗.
_LEVELLED = ("部门", "集体称谓", "上级/垂管单位")
_VOCABULARY_PREFIXES = ("区", "县", "旗")   # how the built-in county vocabulary is written
_BRACKET_TAIL = re.compile(r"（([^（）]*)）$")

# The organ word that ends a body's name decides which body it is: 档案局 is not 档案馆,
# 生态环境局 is not 生态环境分局, 大数据局 is not 大数据中心.  委 and 办 are the standard
# short forms of 委员会 and 办公室.
_ORGANS = (("委员会", "委"), ("办公室", "办"), ("分局", "分局"), ("分中心", "分中心"), ("委", "委"), ("办", "办"),
           ("局", "局"), ("厅", "厅"), ("中心", "中心"), ("馆", "馆"), ("所", "所"), ("站", "站"), ("队", "队"),
           ("部", "部"), ("院", "院"), ("会", "会"))


def _organ(rest: str) -> tuple[str, str]:
    """(the body's field, its organ): 发展和改革委员会 → (发展和改革, 委); (rest, "") for none."""
    for word, key in _ORGANS:
        if rest.endswith(word) and len(rest) > len(word):
            return rest[:-len(word)], key
    return rest, ""


# the organ words of more than one character, and 办事处: a slip in one of them (办工室, 委员汇,
# 服务中芯) leaves a name with no organ, which no rule of organs can judge
_LONG_ORGANS = tuple(dict.fromkeys([w for w, _ in _ORGANS if len(w) > 1] + ["办事处"]))


def _organ_slips(q: str) -> list[str]:
    """`q` with its organ word spelt right, where it ends in one a character off (综合执法办工室
    → 综合执法办公室, 党政办公 → 党政办公室) and no organ of its own; [] for any other name.
    A section's own word stays one: the slip keeps a last 室/处/科… (办工室, not 办公科 → 办公室),
    and 办公 before it is a section's name (人民政府办公处, 办公科), no slip."""
    if len(q) < 3 or _organ(_bare(q))[1] or _BRACKET_TAIL.search(q):
        return []
    section = q[-1] in _SECTION_ORGANS
    if section and q[:-1].endswith(("办公", "办事")):
        return []
    out = []
    for word in _LONG_ORGANS:
        for k in (len(word) - 1, len(word), len(word) + 1):
            if 2 <= len(q) - k and Levenshtein.distance(q[-k:], word) == 1 and not (section and word[-1] != q[-1]):
                out.append(q[:-k] + word)
    return list(dict.fromkeys(out))


# A body of one field is a committee (委员会, 委) at one place or time and a bureau (局) at
# another: 发改委 and 发改局, 卫健委 and 卫健局, 经信委 and 经信局, 教委 and 教育局 (reforms turn
# committees into bureaus, and clerks keep the old word).  Another organ's name is offered
# as the body's, never read as it: a place may have both (区国资委, 区国资局).
_OTHER_ORGANS = {"委员会": ("局",), "委": ("局",), "局": ("委",)}
# Fields the 2018 institutional reform renamed or merged, as clerks still write them: the
# field's present name (环保局 → 生态环境局, 安监局 → 应急管理局, 卫计委 → 卫生健康局,
# 工商局/质监局/食药监局 → 市场监督管理局, 国土局 → 自然资源局).  Offered, never read as it.
_FORMER_FIELDS = (("环境保护", "生态环境"), ("国土资源", "自然资源"), ("安全生产监督管理", "应急管理"),
                  ("卫生和计划生育", "卫生健康"), ("工商行政管理", "市场监督管理"), ("质量技术监督", "市场监督管理"),
                  ("食品药品监督管理", "市场监督管理"), ("文化广电新闻出版", "文化和旅游"))
# the organs of a township's own offices: 民政办, 党政办公室, 财政所, 农技站, 便民服务中心
_TOWNSHIP_ORGANS = ("办", "所", "站", "中心", "分中心")


def _respellings(q: str, rest: str, present: Callable[[str], bool]) -> list[tuple[str, bool]]:
    """Other spellings of the bureau or committee `q` names (`rest`: behind its tier's
    prefix), each with whether its field is renamed: under the other organ (县发改委 →
    县发改局, 市卫健局 → 市卫健委) and, where the field names no present one (`present`),
    under the present name of the field it abbreviates (县环保局 → 县生态环境局, 县卫计委 →
    县卫生健康局 and 县卫生健康委; not 国资局: 国有资产's); [] for none.  A field of one
    character (县农委) is too short to tell."""
    field_, organ = _organ(rest)
    word = next((w for w, key in _ORGANS if rest.endswith(w) and key == organ), "")
    if len(field_) < 2 or word not in (*_OTHER_ORGANS, "厅") or _BRACKET_TAIL.search(rest):
        return []
    head = q[:len(q) - len(rest)]
    renamed = [] if present(field_) else \
        [new for old, new in _FORMER_FIELDS if field_ == old or _abbreviates(field_, _words(old))]
    out = [(head + f + o, f != field_) for f in [field_, *renamed] for o in (word, *_OTHER_ORGANS.get(word, ()))]
    return [(r, new) for r, new in dict.fromkeys(out) if r != q]


# One body under another name of its field, at every tier (provinces and reforms name it
# differently): 经济和信息化局 (经信局) is the 工业和信息化局, 文化广电和旅游局 the 文化和旅游局.
_SAME_FIELD = (("工业和信息化", "工业信息化", "经济和信息化", "经济信息化"),
               ("文化和旅游", "文化旅游", "文化广电和旅游", "文化广电旅游", "文化广电体育和旅游", "文化体育和旅游"))
_FIELD_NAMES = {f: names for names in _SAME_FIELD for f in names}


def _other_fields(name: str) -> list[str]:
    """`name` (behind its tier's prefix) under the other names of its field:
    工业和信息化局 → 经济和信息化局, …; [] for a field of one name."""
    field_, _ = _organ(name)
    return [f + name[len(field_):] for f in _FIELD_NAMES.get(field_, ()) if f != field_]


def _words(field: str) -> tuple[str, ...]:
    """The words of a field as abbreviations cut it: 和/及/与 dropped, then two characters a
    word (a three-character tail stays one word): 人力资源和社会保障 → 人力 资源 社会 保障."""
    out: list[str] = []
    for seg in re.split(r"和|及|与", field):
        i = 0
        while i < len(seg):
            take = 3 if len(seg) - i == 3 else 2
            out.append(seg[i:i + take])
            i += take
    return tuple(out)


@functools.lru_cache(maxsize=65536)
def _abbreviates(short: str, words: tuple[str, ...], first: bool = True) -> bool:
    """The abbreviation grammar: each word of the full field gives its first characters or
    nothing, the first word always something (发改 = 发展和改革, 人社 = 人力资源和社会保障,
    市场监管 = 市场监督管理, 卫健 = 卫生健康, 退役军人 = 退役军人事务)."""
    if not words:
        return not short
    w = words[0]
    for k in range(min(len(w), len(short)), 0 if first else -1, -1):
        if short[:k] == w[:k] and _abbreviates(short[k:], words[1:], False):
            return True
    return False


@dataclass(frozen=True)
class _Vocabulary:
    """The bodies of one tier by their names behind the tier's prefix (财政局 of 区财政局):
    names and aliases, names without a （…） tail that stand for one body, and the
    abbreviation grammar's index (organ, first character) → (words, body, name)."""
    tier: str
    index: dict
    base: dict
    abbreviations: dict
    fields: frozenset        # the fields of its bodies: a lower tier's body of one of them is not one of this tier

    def find(self, rest: str) -> tuple[Unit, str] | None:
        hit = self.index.get(rest) or self.base.get(rest)
        if hit is not None:
            return hit
        field_, organ = _organ(rest)
        if not organ or len(field_) < 2:
            return None
        found = {name: unit for words, unit, name in self.abbreviations.get((organ, field_[0]), ())
                 if _abbreviates(field_, words)}
        return next(((u, n) for n, u in found.items()), None) if len(found) == 1 else None


def _rest(name: str, tier: str) -> str | None:
    """A body's name behind its tier's prefix (区财政局 → 财政局), or None when it has no
    such prefix (团区委: matched as written only).  A township's bodies go without one."""
    for p in _TIER_PREFIXES[tier]:
        if _prefixed(name, p):
            return name[len(p):]
    return name if tier == "township" else None


@functools.lru_cache(maxsize=16)
def _vocabulary(units: tuple[Unit, ...], tier: str) -> _Vocabulary:
    index: dict[str, tuple[Unit, str]] = {}
    rows = [u for u in units if not u.district and u.tier == tier and u.kind in _LEVELLED]
    for names_of in (lambda u: (u.name,), lambda u: u.aliases):    # canonical names before aliases
        for u in rows:
            canon = _rest(u.name, tier)
            if canon is None:
                continue
            for n in names_of(u):
                rest = _rest(n, tier)
                if rest:
                    index.setdefault(rest, (u, canon))
    for u in rows:     # then each name under the other names of its field (经济和信息化局)
        if (canon := _rest(u.name, tier)) is not None:
            for n in (u.name, *u.aliases):
                for other in _other_fields(_rest(n, tier) or ""):
                    index.setdefault(other, (u, canon))
    abbreviations: dict[tuple[str, str], list] = {}
    fields = set()
    for u in rows:
        canon = _rest(u.name, tier)
        if canon is None:
            continue
        field_, organ = _organ(_BRACKET_TAIL.sub("", canon))
        if organ and field_:
            fields.add(field_)
        # a body's other full names are abbreviated too: 自然资源规划局 is 自然资源和规划局 (区自然资源局's alias)
        names = [canon] + [r for a in u.aliases if (r := _rest(a, tier))]
        for full in dict.fromkeys(names + [o for n in names for o in _other_fields(n)]):
            field_, organ = _organ(_BRACKET_TAIL.sub("", full))
            if organ and field_:
                abbreviations.setdefault((organ, field_[0]), []).append((_words(field_), u, canon))
    base = {b: index[k] for b, k in _unique_bases({k: k for k in index}).items()}
    return _Vocabulary(tier, index, base, abbreviations, frozenset(fields))


# Bodies described by grammar, not listed: functional zones and their 管委会, the villages
# and communities of a township, and vertical bodies named with their place.
_ZONE_WORDS = (r"(?:经济技术开发区|经济开发区|高新技术产业开发区|高新技术开发区|高新区|经开区|"
               r"开发区|工业园区|产业园区|园区|新区|综合保税区|保税区|试验区|示范区|合作区)")
_ZONE_ORGANS = r"(?:管委会|管理委员会|党工委|党工委管委会)"
# a zone by its name (济宁高新区), or its organ without one, in its own plan (经开区管委会)
_ZONE = re.compile(rf"^[\u4e00-\u9fff]{{1,14}}?{_ZONE_WORDS}{_ZONE_ORGANS}?$|^{_ZONE_WORDS}{_ZONE_ORGANS}$")
# a township's own group bodies: …领导小组(办公室), …委员会(办公室), …指挥部(办公室)
_OWN_GROUP = re.compile(r"^[\u4e00-\u9fff（）]{2,24}?(?:领导小组|委员会|指挥部)(?:办公室|办)?$")
_VILLAGE = re.compile(r"^[\u4e00-\u9fff]{1,8}?(?:村|社区)(?:村委会|居委会|村民委员会|居民委员会|党支部|党总支)?$")
_UPPER = r"(?:[省市]|[\u4e00-\u9fff]{2,10}?(?:省|市|州|地区|盟))"
_VERTICAL = (
    re.compile(r"^国家税务总局(?P<place>[\u4e00-\u9fff]{2,20}?)税务(?:局|分局)$"),
    re.compile(r"^(?:国网)?(?P<place>[\u4e00-\u9fff]{2,20}?)供电(?:公司|分公司|中心)$"),
    re.compile(r"^(?P<place>[\u4e00-\u9fff]{2,20}?|[省市])(?:气象局|消防救援支队|消防救援大队|海关|地震局|邮政管理局|"
               r"税务局|通信管理局)$"),
    # a bureau's branch in a district: 市生态环境局嘉祥分局, 广州市公安局天河区分局
    re.compile(rf"^(?P<upper>{_UPPER})[\u4e00-\u9fff]{{2,14}}?(?:局|委|中心)(?P<place>[\u4e00-\u9fff]{{1,8}}?)"
               r"(?:分局|分中心|大队|中队|支队)$"),
)


_TWO_NAMES = re.compile(r"(?:局|办|室|委|中心|厅|处|街道|办事处|镇|公司|队|部门|馆|所|站)(?=[省市区县旗各])")


def _one_name(text: str) -> bool:
    """Whether `text` looks like one name, not two run together (县火星局县工信局)."""
    return not _TWO_NAMES.search(text[:-1])


def _vertical(n: str, district: str | None) -> bool:
    """A vertical body named with its place, the place being the plan's own (or above it,
    or for a city or province plan inside it): 国家税务总局嘉祥县税务局, 市公安局任城分局."""
    places = _vertical_places(n)
    if places is None:
        return False
    return district is None or all(divisions.within(p, district) for p in places)


# The government of a place, named with it: 兰山区人民政府 (or only 兰山区, as a city's ledger
# writes it) in 临沂市's plan, 沂南县人民政府 in its own, 临沂市人民政府 in a county's.  The place
# must be a division of the national list, written in full (兰山区, not 兰山).
_PLACE_GOVERNMENT = re.compile(r"^(?P<place>[\u4e00-\u9fff]{2,12}?)(?P<organ>人民政府|政府)?$")


def _place_government(n: str, district: str | None) -> bool:
    """A real division's government, the division being the plan's place, above it, or
    (for a city or province plan) inside it: the rule `_vertical` applies to places."""
    m = _PLACE_GOVERNMENT.match(n)
    if m is None:
        return False
    place = m["place"]
    if not (divisions.is_place_name(place) if m["organ"] else divisions.is_district(place)):
        return False
    return district is None or divisions.within(place, district)


# A 派出所 is its public security bureau's station in a township, named alone (城关派出所) or
# after its bureau (县公安局城关派出所, 天桥公安分局北园派出所, 市公安局天桥区分局北园派出所).  No
# list holds every one: read by grammar as the station, by its own name (the bureau's
# dropped, and its township's 镇/乡/街道: one station however written), a body of the bureau as its
# 交警大队 is.
_POLICE_STATION = re.compile(r"^(?:(?P<head>[\u4e00-\u9fff]{0,12}?)公安(?:分)?局(?:(?P<branch>[\u4e00-\u9fff]{1,8}?)分局)?)?"
                             r"(?P<station>(?!各|有关|相关|其他|公安派出所|[省市区县旗镇乡]派出所)[^局委办厅部院所站队处科中（）、]{1,8}派出所)$")


def _police_station(n: str, district: str | None) -> str | None:
    """The station a 派出所's name names (县公安局城关派出所 → 城关派出所), its bureau being the
    plan's place's or above it (`_vertical`'s rule: not 金乡县公安局… in 嘉祥县's plan); else None."""
    m = _POLICE_STATION.match(n)
    if m is None:
        return None
    for place in (m["head"], m["branch"]):
        place = re.sub(r"^[省市区县旗]$", "", place or "")
        if place and district and not divisions.within(place, district) and not divisions.within(place + "区", district):
            return None
    return re.sub(r"(?<=.)(?:街道|镇|乡)派出所$", "派出所", m["station"])     # 城关镇派出所 is 城关派出所


@functools.lru_cache(maxsize=65536)   # asked once per district for every unknown name
def _vertical_places(n: str) -> tuple[str, ...] | None:
    """The places a vertical body's name names, or None when `n` is no such name."""
    for rx in _VERTICAL:
        m = rx.match(n)
        if m:
            return tuple(p for p in [m["place"]] + ([m["upper"]] if "upper" in rx.groupindex else []) if len(p) > 1)
    return None


class UnitRegistry:
    """The valid unit names of one place (a county, or a city, province or township; of
    all, when district is None).

    Department names are one vocabulary per tier behind the tier's prefix: the built-in
    county list is written with 区, and 县卫健局 resolves to 县卫生健康局 as 区卫健局 does to
    区卫生健康局; a city's has its 委 (市卫生健康委员会) where a county has its 局, and
    otherwise the county's bodies; a province's are its 厅 and 局; a township's are its
    offices (党政办公室) besides its county's.  An entry comes only from an exact name, an
    alias, or the abbreviation grammar; a bracket may hold the body's second name.  Entries
    of the place itself (街道, 镇, local bodies) are matched first.  Collective names,
    functional zones, villages of a township and vertical bodies of the place are
    recognised by grammar, listed or not."""

    def __init__(self, units: Iterable[Unit], district: str | None = None):
        self._all = tuple(units)
        self.district = district or None
        key = divisions.district_key(district) if district else None
        self.tier, self.level = divisions.tier_of(district) if district else (None, None)
        self._own_names = {n: p for n, p in self._own_prefixes(district, key) if n}
        # The place's own entries (街道, 镇, local bodies) win a lookup; the shared
        # vocabulary is indexed once per tier and prefix, not once per district.
        own = tuple(u for u in self._all if u.district and (key is None or divisions.district_key(u.district) == key))
        shared = self._shared = _shared_index(self._all, self.tier, self.level)
        self._units = shared.units + own   # the list's own order: shared entries, then the district's
        own_index = _index_of(own)
        # never mutated: a district without entries of its own shares the level's dicts
        self._index = {**shared.index, **own_index} if own_index else shared.index
        # 区政府办公室 finds 区政府办公室（区大数据中心） when that is the only such name.
        self._base = _unique_bases(self._index) if own else shared.base
        self._resolved: dict[str, Unit | None] = {}
        self._named: dict[str, UnitName] = {}
        self._roles: dict[tuple, tuple] = {}   # name_roles' answers
        self._members: dict[str, list[str]] = {}   # members' answers: every task of a plan names its collectives
        self._reached: dict[UnitName, tuple[UnitName, ...]] = {}   # recipients' answers, unit by unit
        self._suggested: dict[tuple[str, int], list[str]] = {}
        self._districts: dict[str | None, UnitRegistry] = {}
        # A district with no entries of its own judges a name as every district of its
        # level does, unless the name begins with the district's own name: those answers
        # are kept once per level, not once per district (a merge may hold 300 counties).
        self._level_memo = None if own else shared
        self._any_place = False   # a vertical body of any place is one (the level's split judge)

    def _own_prefixes(self, district: str | None, key: str | None) -> list[tuple[str, str]]:
        """The place's own names and the prefix each stands for: 嘉祥县 → 县; 任城区东城街道 →
        街道 and 任城区 → 区; 济宁市 → 市."""
        if not district:
            return []
        d, k = normalize_unit(district), normalize_unit(key)
        if self.tier == "township":   # a village's plan (横路村, its county not named): no prefix of its own
            own = next((w for w in ("街道", "镇", "乡") if d.endswith(w)), None)
            return ([(d, own)] if own else []) + ([(k, k[-1])] if k != d else [])
        return [(d, self.level), (k, self.level)]

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

    def split_judge(self, raw: str) -> "UnitRegistry":
        """Whose answers decide where whitespace splits `raw` (see split_units): a district
        with entries of its own, or whose own name `raw` holds, judges for itself; every
        other district of a level judges as its level does (the same answers for every name
        that does not begin with a district's own name), so a cell is split once for all."""
        level = self._level_memo
        if level is None or any(own in raw for own in self._own_names):
            return self
        judge = level.judge.get("split")
        if judge is None:
            judge = level.judge["split"] = UnitRegistry(self._all, self.district)
            judge._own_names, judge._any_place = {}, True
        return judge

    def tier_of_name(self, name: str) -> str:
        """The tier of government a body's name belongs to in this place's plans: its
        prefix's (县卫健局: county; 镇财政所: township), else the place's own (a 街道's
        城管科 is the 街道's, a city's 12345热线办 the city's)."""
        prefix, _ = self._split_level(normalize_unit(name))
        if prefix is None or prefix == self.level and self.tier in ("city", "county"):
            return self.tier or "county"
        return next(t for t in ("township", "province", "city", "county") if prefix in _TIER_PREFIXES[t])

    def _same_tier(self, tier: str, u: Unit, shown: str) -> bool:
        """Whether entry `u`, as this place shows it (`shown`), is of `tier`: by its prefix,
        else by its own tier (a township's 财政所)."""
        return tier == (self.tier_of_name(shown) if self._split_level(shown)[0] else u.tier)

    def _own_prefix(self, n: str) -> str | None:
        """The place's own name (嘉祥县, or its short form) that `n` begins with."""
        for own in self._own_names:
            if n.startswith(own) and len(n) > len(own) + 1:
                return own
        return None

    def _split_level(self, n: str) -> tuple[str | None, str]:
        """(tier prefix, the rest): 县卫健局 → (县, 卫健局); 嘉祥县财政局 → (县, 财政局)."""
        own = self._own_prefix(n)
        if own:
            return self._own_names[own], n[len(own):]
        for p in _PREFIXES:
            if _prefixed(n, p):
                return p, n[len(p):]
        return None, n

    def _tiers_for(self, prefix: str | None) -> list[tuple[str, str]]:
        """Which tiers' vocabularies a name with `prefix` is looked up in, and the prefix
        its entry is shown with: a 区 registry finds 市卫健委 among the city's bodies."""
        tier, own = self.tier or "county", self.level or "区"
        if tier == "township" and prefix in (None, own):
            return [("township", ""), ("county", own)] if prefix is None else [("county", own)]
        if tier == "township" and prefix == self._own_names.get(normalize_unit(self.district)):
            return [("township", "")]      # 镇纪委 in a 镇's own plan: its 纪委, one entry however written
        if prefix is None:
            return [(tier, own)]
        if prefix in _TIER_PREFIXES["township"]:
            return [("township", prefix)]
        if prefix == "省":
            return [("province", "省")]
        if prefix == "市":
            return [("county", "市"), ("city", "市")] if tier == "county" and own == "市" else [("city", "市")]
        return [("county", prefix)]

    def _level_wide(self, n: str) -> "_Shared | None":
        """The level's index, whose answers about `n` this registry shares, or None when
        its answer is its own (entries of its own, a name beginning with its own name)."""
        return None if self._level_memo is None or self._own_prefix(n) else self._level_memo

    def resolve(self, name: str) -> Unit | None:
        """The entry `name` names: exactly, by an alias, or by the abbreviation grammar
        (behind any tier's prefix), by either name of a bracketed second name; a
        collective name, a functional zone, a village of a township or a vertical body of
        the place by grammar.  Never by similarity: that is `suggest`."""
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
        place = None if self._any_place else self.district
        bare = _BRACKET_TAIL.sub("", n)
        if _vertical(bare, place) or _place_government(bare, place):  # by the place's name
            return Unit(n, "上级/垂管单位")
        if station := _police_station(bare, place):
            own = self.tier == "township" and (town := divisions.township_of(self.district)) \
                and station[:-3] == re.sub("(?:街道|镇|乡)$", "", town.township)
            return self._named_as("派出所") if own else Unit(station, "上级/垂管单位")
        return None

    def _listed(self, n: str) -> Unit | None:
        """The entry `n` names (directly, behind a tier's prefix, by either of two names),
        or a body of a kind described by grammar."""
        unit = self._named_as(n)
        second = _BRACKET_TAIL.search(n)
        if unit is None and second and len(second.group(1)) > 2 and _one_name(n[:second.start()]):
            unit = self._named_as(second.group(1))                  # 区工信局（商务局）: either name
        if unit is not None:
            return unit
        bare = _BRACKET_TAIL.sub("", n) or n
        if is_collective(n):
            return Unit(n, "集体称谓")
        if _ZONE.match(bare):
            return Unit(n, "功能区")
        if self.tier == "township" and _VILLAGE.match(bare) and bare[0] not in "各有相其":
            return Unit(n, "村/社区")
        if self.tier == "township":
            return self._own_group(bare)
        return None

    def _own_group(self, n: str) -> Unit | None:
        """A township's own leading group, committee or headquarters and its office, by
        grammar (镇乡村振兴领导小组办公室, 安全生产委员会办公室): no list can hold every one.
        Its entry is the name without the township's own prefix, so 镇乡村振兴领导小组 and
        乡村振兴领导小组 are one unit; a name with another place or tier (县…领导小组) is not the
        township's."""
        own = [p for p, kind in self._own_names.items() if kind in _TIER_PREFIXES["township"]]
        own += [kind for kind in dict.fromkeys(self._own_names.values()) if kind in _TIER_PREFIXES["township"]]
        for p in own:
            # 乡 before 村 is 乡村 (乡村振兴), not a 乡's own prefix
            if n.startswith(p) and _OWN_GROUP.match(n[len(p):]) and not (p == "乡" and n.startswith("乡村")):
                n = n[len(p):]
                break
        if _OWN_GROUP.match(n) and n[0] not in "省市区县旗州盟" and divisions.find_district(n) is None:
            return Unit(n, "部门", tier="township")
        return None

    def _named_as(self, n: str) -> Unit | None:
        variants = _variants(n)
        for v in variants:
            unit = self._index.get(v) or self._base.get(v)
            if unit is not None:
                return unit
        prefix, rest = self._split_level(n)
        for tier, shown in self._tiers_for(prefix):
            for v in _variants(rest):
                unit = self._index.get(shown + v) if shown else None   # 嘉祥县档案局 → the county's own 县档案局
                if unit is not None:
                    return unit
                hit = self._find(tier, v)
                if hit is not None:
                    row, canon = hit
                    relevel = lambda a: shown + r if (r := _rest(a, row.tier)) else a  # noqa: E731
                    return Unit(shown + canon, row.kind, tuple(map(relevel, row.aliases)), None, tier)
        return None

    def _find(self, tier: str, rest: str) -> tuple[Unit, str] | None:
        """`rest` among the tier's bodies; a city's or a province's are its own, then the
        county's (by any of its names: 市政务服务管理局, 省政府新闻办) of a field it has no body
        of, or has one of the same name (市行政审批服务局); not 市卫生健康局: the city has its
        委, nor 省财政局: the province has its 厅."""
        own = self._vocabulary(tier)
        hit = own.find(rest)
        if hit is None and tier in ("city", "province"):
            hit = self._vocabulary("county").find(rest)
            # of any kind: 省公安分局 is not the county's 公安分局 behind 省, the province has its 公安厅
            if hit is not None and _organ(_BRACKET_TAIL.sub("", hit[1]))[0] in own.fields:
                return own.index.get(hit[1])
        return hit

    def _vocabulary(self, tier: str) -> "_Vocabulary":
        """The tier's vocabulary, built once per list of units (kept with the level's index)."""
        vocabularies = self._shared.vocabularies
        if tier not in vocabularies:
            vocabularies[tier] = _vocabulary(self._all, tier)
        return vocabularies[tier]

    def slip_of(self, name: str) -> str | None:
        """The name `name` may be a slip for (财攻所 → 财政所): validate's first suggestion for
        a name this registry does not know; None for a known name or one close to none.
        split and remind say so when a return or a reminder goes to such a name."""
        if self.resolve(name) is not None:
            return None
        return next(iter(self.suggest(name, 1)), None)

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
        """The bodies the grammar finds under another spelling of `q` (`_respellings`:
        县发改委 → 县发展和改革局), then the closest names; a township's own office (民政办)
        is offered none of another tier (`_offered`)."""
        found: dict[str, None] = {}
        renamed = []
        prefix, rest = self._split_level(q)
        for r in _organ_slips(q):             # 综合执法办工室: the 综合执法办公室 the registry reads
            unit = self._named_as(r)
            if unit is not None:
                found.setdefault(unit.name)
            else:
                renamed.append(r)
        for r, new in _respellings(q, rest, functools.partial(self._present_field, prefix)):
            unit = self._named_as(r)          # a listed body, by its name, an alias or the abbreviation grammar
            if unit is not None:
                found.setdefault(unit.name)
            elif new and r.endswith(rest[len(_organ(rest)[0]):]):
                renamed.append(r)             # 县生态环境局: the closest to it (县生态环境分局)
        for r in (q, *renamed):               # then the closest to what was written, and to the field's present name
            found.update(dict.fromkeys(self._closest(r, n)))
        return [s for s in found if self._offered(q, s)][:n]

    def _present_field(self, prefix: str | None, field_: str) -> bool:
        """Whether `field_` is, or abbreviates, a field of a body of the tiers a name with
        `prefix` is looked up in (国资: 国有资产服务中心's)."""
        return any(f == field_ or _abbreviates(field_, _words(f))
                   for tier, _ in self._tiers_for(prefix) for f in self._vocabulary(tier).fields)

    def _offered(self, q: str, s: str) -> bool:
        """Whether `s` may be offered for `q`: in a township's plan, a name of its own (no
        tier's prefix) with a township office's organ (民政办, 农技站, 城管中心) is one of the
        township's own offices, never a body of another tier (县民政局, 省民政厅)."""
        if self.tier != "township" or self._split_level(q)[0] not in (None, *_TIER_PREFIXES["township"]) \
                or _organ(_bare(q))[1] not in _TOWNSHIP_ORGANS:
            return True
        prefix = self._split_level(s)[0]
        return prefix is None or prefix in _TIER_PREFIXES["township"]

    def _closest(self, q: str, n: int) -> list[str]:
        prefix, rest = self._split_level(q)
        # a province's or a city's plan is never offered a lower tier's body (应急处 is not
        # 区应急管理局) unless the name itself names that tier; a single unit's name is never
        # offered a collective term (政法处 is not 区政府有关行政执法部门（单位）)
        below = TIERS[TIERS.index(self.tier) + 1:] if prefix is None and self.tier in ("province", "city") else ()
        single = not is_collective(q) and not q.endswith(("部门", "单位"))   # 执法部门 may be many
        # 镇… in a township's own plan is one of its own bodies: never renamed to the county's
        own = self.tier == "township" and prefix in _TIER_PREFIXES["township"]
        if prefix in ("街道", "镇", "乡"):
            prefix, rest = None, q
        core_q = _core(q)
        if not core_q:
            return []
        tier, bare_q = self.tier_of_name(q), _bare(q)
        best: dict[str, float] = {}
        for u in self._units:
            if u.tier in below and not u.district or single and (u.kind == "集体称谓" or is_collective(u.name)):
                continue
            if own and u.tier != "township" and not u.district:
                continue
            levelled = prefix is not None and prefix in LEVELS and u.kind in _LEVELLED and u.tier == "county" \
                and u.name[:1] in LEVELS
            shown = prefix + u.name[1:] if levelled else u.name
            if prefix is not None and not shown.startswith(prefix):
                continue     # 县…局 is suggested a 县 body, never another tier's
            same_tier = functools.partial(self._same_tier, tier, u, shown)
            if not _may_be(bare_q, _bare(shown), same_tier):
                continue     # by the entry's own name too: 政务服务科 is not 区行政审批服务局 (its alias 区政务服务中心)
            for s in map(normalize_unit, (u.name, *u.aliases)):
                score = (_score(rest, _core(rest) or rest, s[1:]) if levelled and s[:1] in LEVELS
                         else _score(q, core_q, s))
                if score >= 0.55 and score > best.get(shown, 0.0) and _same_body(q, shown if levelled else s, same_tier):
                    best[shown] = score
        ranked = sorted(best, key=lambda k: (-best[k], len(k), k))
        return ranked[:n]

    def members(self, name: str) -> list[str]:
        """The units a collective name stands for in this registry (各街镇 → every 街道 and
        镇 listed, 区政府各部门 → every 部门); [] for a single unit, or a collective whose
        members the registry does not list."""
        if name not in self._members:
            self._members[name] = self._members_of(name)
        return list(self._members[name])

    def _members_of(self, name: str) -> list[str]:
        kinds = collective_member_kinds(name)
        if not kinds:
            return []
        # the tier the name addresses: 区政府各部门 → the county's, 市直有关部门 → the city's,
        # 各有关部门 → this plan's own (never a province's 厅 in a county's plan)
        n = normalize_unit(name)
        prefix, _ = self._split_level(n)
        tiers = {t for t, _ in self._tiers_for(prefix)}
        # 区政府各部门 are the government's: not the party's organs, the courts, the
        # procuratorate or the mass organisations that 区直各部门 also counts
        government = bool(_BY_GOVERNMENT.match(n))
        return [u.name for u in self._units if u.kind in kinds and (u.district or u.tier in tiers)
                and not (government and u.kind == "部门" and _NOT_GOVERNMENT.search(u.name))]

    def township_places(self, name: str) -> list[str]:
        """Where the 街道, 镇 or 乡 `name` (written alone: 无影山街道, 无影山街道办事处) lies by
        this list: the place of each entry of that name (or alias) of a county, its county
        before it (天桥区无影山街道), each once; [] when the list has none."""
        town = divisions.township_name(name)
        places: dict[str, None] = {}
        for u in self._all if town else ():
            if u.kind in ("街道", "镇") and u.district and town in {divisions.township_name(n) for n in (u.name, *u.aliases)}:
                places[divisions.district_key(u.district) + town] = None
        return [p for p in places if divisions.township_of(p)]

    def names(self, kinds: Iterable[str] | None = None) -> list[str]:
        wanted = None if kinds is None else set(kinds)
        return [u.name for u in self._units if wanted is None or u.kind in wanted]

    def __len__(self) -> int:
        return len(self._units)

    def __iter__(self) -> Iterator[Unit]:
        return iter(self._units)


def _variants(n: str) -> list[str]:
    """Spellings to try, most literal first: as written; without a trailing 等; 、单位 as
    （单位）; without a （…） suffix."""
    seeds = [n, n.rstrip("等")]
    seeds.append(re.sub(r"、(单位|镇|街道)$", r"（\1）", seeds[-1]))
    seeds += [_BRACKET_TAIL.sub("", s) for s in seeds]
    return [v for v in dict.fromkeys(seeds) if v]


_CORE = re.compile(r"^[区县市旗省各]|(街道办事处|办事处|街道|人民政府|分局|局|厅|办公室|办|中心|委员会|委|大队|公司|镇|部门|单位)$")


def _core(s: str) -> str:
    """The distinctive part of a name (人社 in 区人社局): a suggestion needs more in common
    than 区…局.  Only suggestions use it: two names with one core may be two bodies."""
    return _CORE.sub("", s)


_TIER_HEAD = re.compile(rf"^(?!{'|'.join(_NO_PREFIX)})(?:街道|[省市区县旗镇乡])(?=..)")   # as _prefixed


# The organ of a section of a body (科, 股, 室, 处: 城管科, 应急处) or of a lower body (所, 站: a
# township's 财政所, 文化站); not 办公室 (an office) nor 办事处 (a 街道's government).
_SECTION = re.compile(r".+(?:科|股|(?<!办公)室|(?<!办事)处|所|站)$")
_SECTION_ORGANS = "科股室处所站"


@functools.lru_cache(maxsize=65536)
def _rank(body: str) -> str | None:
    """What a name (behind its tier's prefix, no bracket tail) names by its organ: a
    "section" (or lower body), a "centre" (中心), a "body" of a tier (局, 委, 办, 厅, 馆,
    部 …), or None when no organ ends it (区妇联)."""
    if _SECTION.match(body):
        return "section"
    organ = _organ(body)[1]
    return "centre" if organ in ("中心", "分中心") else "body" if organ else None


@functools.lru_cache(maxsize=65536)     # the registry's names, met by every suggestion
def _bare(name: str) -> str:
    """A name without its tier's prefix and its bracket tail: 区政府办公室（区大数据中心） → 政府办公室."""
    return _BRACKET_TAIL.sub("", _TIER_HEAD.sub("", name)) or name


def _may_be(q: str, s: str, same_tier: Callable[[], bool]) -> bool:
    """Whether names `q` and `s` (bare) may name one body by their organs: a section never
    a tier's body; a 中心 and a section or a body only at one tier (asked only then)."""
    ranks = {_rank(q), _rank(s)} - {None}
    if ranks == {"section", "body"}:
        return False
    return len(ranks) < 2 or same_tier()


def _same_body(q: str, s: str, same_tier: Callable[[], bool] = lambda: True) -> bool:
    """Whether registry name `s` may be the body `q` names, so that suggesting it makes
    sense: a typo (one character apart), the same field under another organ (区档案局,
    区档案馆: reforms rename bodies), or the field shortened or slightly misspelt with the
    same organ and first character (区人设局 → 区人力资源和社会保障局).  The field's first
    character always agrees, and sharing words is not enough: 招商工作部 is not 县委社会工作部,
    规划建设局 not 县住房和城乡建设局, 改革办 not 县发展和改革局, 民政办公室 not 党政办公室.
    A section or a lower body is never a tier's body (a 街道's 城管科 is not 区城市管理局, a
    province's 应急处 not 省应急管理厅), however close the words; a 中心 is one only of its
    own tier (`same_tier`: 市大数据局 may be 市大数据中心, a 街道's 城管中心 is not 区城市管理局)."""
    qb, sb = (_bare(x) for x in (q, s))
    if not _may_be(qb, sb, same_tier):
        return False
    if qb[:1] == sb[:1] and Levenshtein.distance(q, s) <= 1:
        return True
    (fq, oq), (fs, os_) = _organ(qb), _organ(sb)
    if fq == fs:
        return True
    if oq and os_ and oq != os_ or not fs:
        return False
    # 发改委员局: an organ written twice (发改委 + 局) still names the field 发改
    for f in dict.fromkeys((fq, re.sub(r"(?:委员|委|办公|办)$", "", fq))):
        if f and f[0] == fs[0] and (_abbreviates(f, _words(fs)) or LCSseq.similarity(f, fs) >= min(len(f), len(fs)) - 1):
            return True
    return False


def _score(q: str, core: str, s: str) -> float:
    if not set(core) & set(_core(s) or s):
        return 0.0
    ratio = fuzz.ratio(q, s) / 100
    lcs = LCSseq.similarity(q, s)
    if lcs == len(q):   # a subsequence: Chinese abbreviations keep the characters in order
        return 0.6 + 0.4 * ratio
    covered = lcs / len(q)
    return 0.7 * covered + 0.3 * ratio if covered >= 0.6 else 0.0


@dataclass(frozen=True)
class _Shared:
    units: tuple[Unit, ...]
    index: dict
    base: dict
    # what the level's registries without entries of their own found: name → resolve, (name, n) → suggest
    resolved: dict = field(default_factory=dict)
    suggested: dict = field(default_factory=dict)
    reached: dict = field(default_factory=dict)          # UnitName → whom it reaches (_reached)
    vocabularies: dict = field(default_factory=dict)     # tier → _Vocabulary
    judge: dict = field(default_factory=dict)            # "split" → UnitRegistry.split_judge's registry


# where a county body's name says its level: 区财政局, 办公室（区大数据中心）, 团区委 (共青团区委)
_COUNTY_LEVEL = re.compile(r"^区|(?<=（)区|(?<=团)区(?=委)")


def _localised(u: Unit, tier: str | None, level: str | None) -> Unit:
    """A shared county body as a county of `level` writes it (区财政局 → 县财政局, 团区委 →
    团县委 in a 县)."""
    if tier not in ("county", "township") or level in (None, "区") or u.tier != "county" \
            or u.kind not in _LEVELLED or not _COUNTY_LEVEL.search(u.name):
        return u
    relevel = lambda n: _COUNTY_LEVEL.sub(level, n)  # noqa: E731
    return Unit(relevel(u.name), u.kind, tuple(map(relevel, u.aliases)), u.district, u.tier)


def _as_city(u: Unit, fields: frozenset, taken: set) -> tuple[Unit, ...]:
    """A county body as a city lists it (区财政局 → 市财政局, 团区委 → 团市委), or none when
    the city has its own body of that field (市卫生健康委员会, not 市卫生健康局)."""
    if u.tier != "county" or u.kind not in _LEVELLED or not _COUNTY_LEVEL.search(u.name):
        return (u,)
    name = _COUNTY_LEVEL.sub("市", u.name, count=1)       # its own level: not a bracket's (区大数据中心)
    if name in taken or (name[0] == "市" and _organ(_BRACKET_TAIL.sub("", name[1:]))[0] in fields):
        return ()
    relevel = lambda n: _COUNTY_LEVEL.sub("市", n)  # noqa: E731
    return (Unit(name, u.kind, tuple(a for a in map(relevel, u.aliases) if a not in taken), None, "city"),)


def _index_of(units: tuple[Unit, ...]) -> dict[str, Unit]:
    """Exact names, canonical names before aliases: the first claim wins."""
    index: dict[str, Unit] = {}
    for names_of in (lambda u: (u.name,), lambda u: u.aliases):
        for u in units:
            for n in map(normalize_unit, names_of(u)):
                index.setdefault(n, u)
    return index


@functools.lru_cache(maxsize=64)
def _shared_index(units: tuple[Unit, ...], tier: str | None, level: str | None) -> _Shared:
    # a township's offices go without a prefix: another tier's plan never means them
    shared = tuple(_localised(u, tier, level) for u in units
                   if not u.district and (u.tier != "township" or tier in (None, "township")))
    if tier == "city":   # a city's bodies: its own, then the county's of a field the city has none of (市财政局)
        city = _vocabulary(units, "city")
        taken = {n for u in shared if u.tier == "city" for n in (u.name, *u.aliases)}
        shared = tuple(c for u in shared for c in _as_city(u, city.fields, taken))
    index = _index_of(shared)
    return _Shared(shared, index, _unique_bases(index))


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
        tier_word = normalize_unit(cell.get("级别"))
        if tier_word and tier_word not in TIER_WORDS:
            raise ValueError(f"第{r}行级别“{tier_word}”无效，应为：{'、'.join(TIER_WORDS)}")
        # a list without the column (older exports): 省… is the province's, the rest the county's
        tier = TIER_WORDS.get(tier_word) or ("province" if name.startswith("省") else "county")
        aliases = re.split(r"[、，,；;\n]", str(cell.get("简称或别名") or ""))  # before normalising: \n separates
        units.append(Unit(name, kind, tuple(a for a in map(normalize_unit, aliases) if a),
                          normalize_unit(cell.get("区县")) or None, tier))
    return units


# ---------------------------------------------------------------- learning from sheets

# Collective first: 各街道 is a collective name although it ends in 街道.
# A 乡 is a township as a 镇 is: the registry's kind 镇 holds both (各乡镇 reaches it, 县直各部门 not).
_KIND_RULES = (("上级/垂管单位", r"^市.*分局$"),
               ("街道", r"街道(办事处)?$"), ("镇", r"[镇乡](人民政府|政府)?$"))


def _guess_kind(name: str) -> str:
    if is_collective(name):
        return "集体称谓"
    if _VILLAGE.match(name) and name[0] not in "各有相其":     # 大溪村, 幸福社区, 横路村村委会
        return "村/社区"
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
    """Proposals for new registry entries from the unit cells of existing sheets; a
    township's village, read by grammar, too when the registry does not list it: only a
    listed one is a member 各村 reaches."""
    counts: dict[str, int] = {}
    listed = frozenset(u.name for u in registry if u.kind == "村/社区")
    for text in unit_texts:
        for piece in split_units(text, registry=registry).all:
            unit = registry.resolve(piece)
            if unit is None or unit.kind == "村/社区" and unit.name not in listed:
                counts[piece] = counts.get(piece, 0) + 1
    proposals = [{"name": p, "count": c, "kind": _guess_kind(p), "alias_of": _likely_alias(p, registry),
                  "typo_of": near_miss(p, registry)} for p, c in counts.items()]
    return sorted(proposals, key=lambda d: -d["count"])  # stable: ties keep first-seen order


def near_miss(piece: str, registry: UnitRegistry) -> str | None:
    """The known unit `piece` is probably a typo of (区财政居 → 区财政局): registry.suggest's
    best name, when it is one character away (one wrong, missing or extra); or the spelling
    one character away that the registry reads as it (综合执法办工室 → 综合执法办公室, read as
    综合行政执法办公室).  Only ever a question for the person: such a name is never added to
    the registry unasked."""
    q = normalize_unit(piece)
    slipped = {u.name: r for r in _organ_slips(q) if (u := registry.resolve(r)) is not None}
    for name in registry.suggest(piece):
        if name != q and Levenshtein.distance(q, normalize_unit(name)) <= 1:
            return name
        if name in slipped:
            return slipped[name]
    return None


# ---------------------------------------------------------------- whose plan

# A title names its issuer before the plan's words: "2025年霍山经济开发区重点工作及责任清单",
# "池州市信访局政务公开重点任务清单", "立山区政府2023年重点工作任务分解和责任分工方案".
_TITLE_PLAN = ("任务", "要点", "分解", "分工", "台账", "计划", "清单", "方案", "安排", "责任")
_TITLE_LEAD = re.compile(r"^(?:附件[0-9一二三四五六七八九十]*[:：]?|\d+[_\-.、．\s]+|中共|关于印发|关于)+")
_TITLE_YEAR = re.compile(r"(?:19|20)\d{2}(?:年度?|[-—～~至]+(?:19|20)?\d{2}年度?)?")
_ISSUER = re.compile(r"^(?P<name>[\u4e00-\u9fff（）]{1,30}?)(?=(?:19|20)\d{2}|《|“|关于|贯彻|印发|政务公开|重点|主要|年度|"
                     r"全年|工作|任务|目标|责任|清单|方案|计划|要点|台账|$)")
# a government: a place (or its party committee, its government, their offices)
_GOVERNMENT_ISSUER = re.compile(r"(?:^|[省市区县旗州盟镇乡]|街道|村|社区)(?:委|党委|人民政府|政府|政府办公室|"
                                r"人民政府办公室|委办公室|委办|政府办|两办|党工委|办事处|办|居委会|村委会)*$")
_BODY_ISSUER = re.compile(r"(?:局|委员会|委|办公室|办|中心|院|所|站|馆|厅|部|队|署|公司|集团|学校|医院|协会|会|处|科|社)$")


def own_plan_of(texts: Iterable[str]) -> str | None:
    """The body whose own plan this is, when the title (or, where no title names an issuer,
    the file name) names an issuer that is not a government: a functional zone (霍山经济开发区, 开发区),
    a bureau or an institution (池州市信访局, 江门市土地储备中心).  None for a government's
    plan (a province, city, county, township, their party committees and offices) or when
    no title says.  Its units are often its own sections (办公室, 招商工作部, 各科室),
    which no registry of government bodies lists."""
    for text in texts:
        line = normalize_unit(text)
        if len(line) > 80 or not any(w in line for w in _TITLE_PLAN):
            continue
        m = _ISSUER.match(_TITLE_YEAR.sub("", _TITLE_LEAD.sub("", line), count=1))   # the year may come first
        if m is None:
            continue
        name = m["name"]
        if re.search(rf"{_ZONE_WORDS}{_ZONE_ORGANS}?$", name):
            return name
        if _GOVERNMENT_ISSUER.search(name) or (place := divisions.find_district(name)) and place.place == name:
            return None
        if _BODY_ISSUER.search(name):
            return name
        # a title that names no issuer ("2021年政务公开工作重点任务台账"): the next text
        # (the file name "广东省卫生健康委2021年…台账") may name it
    return None


def is_own_section(written: str, registry: "UnitRegistry") -> bool:
    """Whether an unknown name may be a section of the body whose own plan it is in: it
    names no place or tier (办公室, 招商工作部, 规划建设局; not 县火星局, 霍山县招商局)."""
    n = normalize_unit(written)
    prefix, _ = registry._split_level(n)
    return prefix is None and divisions.find_district(n) is None
