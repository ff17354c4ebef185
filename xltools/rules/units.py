"""Responsible units (责任单位): normalising names, splitting unit cells into lead and
supporting units, and the registry of valid names that office staff edit in Excel.

Cells mix official names and abbreviations (区人社局 = 区人力资源和社会保障局),
half- and full-width brackets, stray spaces and line breaks, role markers (牵头/配合) and
collective names whose inner 、 must not split them (区政府各部门、单位).
"""
from __future__ import annotations

import csv
import difflib
import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Iterable, Iterator


UNIT_KINDS = ("部门", "街道", "镇", "集体称谓", "上级/垂管单位")
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
    return re.sub(r"\s+", "", str(text).translate(_TABLE))


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
_ETC_TAIL = re.compile(r"^(区政府|区直|区级|其他|各|有关|相关)|部门|单位")
_BARE_TAILS = {"部门", "单位", "部门（单位）", "部门和单位", "部门、单位"}
# Pieces that only continue a collective name cut at its inner 、 (区政府各部门、单位).
_CONTINUATIONS = {"单位", "镇", "街道", "街镇"}
_EDGE = re.compile(r"^[：:。．.·“”\"'‘’]+|[：:。．.·“”\"'‘’]+$")


def _boundary(left: str, right: str) -> bool:
    """Registry-free guess that two unit names meet here: the left part ends like a unit
    and the right starts like one (so 区人力资源和社会保障局 never splits on 和)."""
    left = re.sub(r"（[^（）]*）$", "", left)
    return bool(_UNIT_END.search(left)) and right[:1] in ("区", "市", "各")


def split_units(text, registry: "UnitRegistry | None" = None) -> UnitAssignment:
    """Split a 责任单位 cell into lead (牵头) and supporting (配合) units.
    Without role markers every unit is a lead.  A registry, when given, decides whether
    a line break cut a name in two."""
    raw = "" if text is None else str(text)
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


# ---------------------------------------------------------------- the registry

def _district_key(d: str | None) -> str:
    return re.sub(r"^.*?市(?=.)|[区县]$", "", normalize_unit(d))


def _variants(n: str) -> list[str]:
    """Spellings to try, most literal first: as written; without a trailing 等; 、单位 as
    （单位）; without a （…） suffix; with or without the leading 区."""
    seeds = [n, n.rstrip("等")]
    seeds.append(re.sub(r"、(单位|镇|街道)$", r"（\1）", seeds[-1]))
    seeds += [re.sub(r"（[^（）]*）$", "", s) for s in seeds]
    out = []
    for s in seeds:
        out += [s, s[1:] if s.startswith("区") else "区" + s]
    return [v for v in dict.fromkeys(out) if v]


_CORE = re.compile(r"^[区市各]|(街道办事处|办事处|街道|人民政府|分局|局|办公室|办|中心|委员会|委|大队|公司|镇|部门|单位)$")


def _core(s: str) -> str:
    """The distinctive part of a name (人社 in 区人社局): matching on 区…局 alone is no match."""
    return _CORE.sub("", s)


def _is_subsequence(q: str, s: str) -> bool:
    it = iter(s)
    return all(ch in it for ch in q)


def _lcs(a: str, b: str) -> int:
    row = [0] * (len(b) + 1)
    for ca in a:
        prev = 0
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], prev + 1 if ca == cb else max(row[j], row[j - 1])
    return row[-1]


def _score(q: str, core: str, s: str) -> float:
    if not set(core) & set(_core(s) or s):
        return 0.0
    ratio = difflib.SequenceMatcher(None, q, s).ratio()
    if _is_subsequence(q, s):   # Chinese abbreviations keep the characters in order
        return 0.6 + 0.4 * ratio
    covered = _lcs(q, s) / len(q)
    return 0.7 * covered + 0.3 * ratio if covered >= 0.6 else 0.0


class UnitRegistry:
    """The valid unit names of one district (or of all, when district is None)."""

    def __init__(self, units: Iterable[Unit], district: str | None = None):
        self._all = tuple(units)
        self.district = district or None
        key = _district_key(district) if district else None
        self._units = tuple(u for u in self._all
                            if key is None or not u.district or _district_key(u.district) == key)
        # District entries first, canonical names before aliases: the first claim wins.
        ordered = sorted(self._units, key=lambda u: u.district is None)
        self._index: dict[str, Unit] = {}
        for names_of in (lambda u: (u.name,), lambda u: u.aliases):
            for u in ordered:
                for n in names_of(u):
                    self._index.setdefault(normalize_unit(n), u)
        # 区政府办公室 finds 区政府办公室（区大数据中心） when that is the only such name.
        bases: dict[str, set[Unit]] = {}
        for k, u in self._index.items():
            bases.setdefault(re.sub(r"（[^（）]*）$", "", k), set()).add(u)
        self._base = {b: us.pop() for b, us in bases.items() if len(us) == 1}

    @classmethod
    def default(cls, district: str | None = None) -> "UnitRegistry":
        return cls(_default_units(), district)

    @classmethod
    def from_rows(cls, rows: list[list], district: str | None = None) -> "UnitRegistry":
        """A registry from the rows of a 单位名录 (header row first, as HEADER)."""
        return cls(_units_from_rows(rows), district)

    def for_district(self, district: str | None) -> "UnitRegistry":
        return UnitRegistry(self._all, district)

    def resolve(self, name: str) -> Unit | None:
        n = normalize_unit(name)
        for v in _variants(n) if n else ():
            unit = self._index.get(v) or self._base.get(v)
            if unit is not None:
                return unit
        return None

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """Closest canonical names, best first; [] when nothing is reasonably close."""
        q = normalize_unit(name)
        core = _core(q)
        if not core:
            return []
        best: dict[str, float] = {}
        for u in self._units:
            score = max(_score(q, core, normalize_unit(s)) for s in (u.name, *u.aliases))
            if score >= 0.55 and score > best.get(u.name, 0.0):
                best[u.name] = score
        ranked = sorted(best, key=lambda k: (-best[k], len(k), k))
        return ranked[:n]

    def names(self, kinds: Iterable[str] | None = None) -> list[str]:
        wanted = None if kinds is None else set(kinds)
        return [u.name for u in self._units if wanted is None or u.kind in wanted]

    def __len__(self) -> int:
        return len(self._units)

    def __iter__(self) -> Iterator[Unit]:
        return iter(self._units)


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
_KIND_RULES = (("集体称谓", r"^(各|区政府各|区直)|有关|相关|各部门"), ("上级/垂管单位", r"^市.*分局$"),
               ("街道", r"街道(办事处)?$"), ("镇", r"镇(人民政府)?$"))


def _guess_kind(name: str) -> str:
    return next((kind for kind, rx in _KIND_RULES if re.search(rx, name)), "部门")


def _likely_alias(piece: str, registry: UnitRegistry) -> str | None:
    """The canonical name `piece` abbreviates, if one stands out: the piece keeps the
    characters in order and ends like the full name (区人社局 → 区人力资源和社会保障局)."""
    if not _core(piece):
        return None
    cands: dict[str, float] = {}
    for u in registry:
        for s in (u.name, *u.aliases):
            if len(piece) < len(s) and s[-1] == piece[-1] and _is_subsequence(piece, s):
                ratio = difflib.SequenceMatcher(None, piece, s).ratio()
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
