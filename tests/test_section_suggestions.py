"""A suggestion names the same body (new-user trial: a 街道 clerk and a city clerk).

In a 街道's plan the unknown 城管科 was offered 区城市管理局: a one-character difference
(城管科, 城管局) passed for a typo.  A section (科, 股, 室, 处) or a lower body (所, 站) is
never the same body as a tier's bureau, committee or office of its field, at any tier;
a 中心 is one only at the bureau's own tier (reforms rename a 局 a 中心: 区国资局 is
区国有资产服务中心).  Genuine typos and renamed bodies are still suggested.

Measured on names generated from the registry's own fields at every tier (街道, 乡镇,
区县, 县级市, 旗, 市, 省), not picked by hand: every unknown section name (x科 … x站,
as the place writes it and with its county's or its own tier's prefix) and every
one-character typo and organ rename of the registry's names that a place writes."""
from __future__ import annotations

import random
import re

import pytest

from xltools.rules import units as units_mod
from xltools.rules.units import UnitRegistry, _BRACKET_TAIL, _organ, normalize_unit

PLACES = {"街道": ("天桥区北园街道", "任城区东城街道"), "乡镇": ("章丘区刁镇", "嘉祥县马村镇"),
          "区县": ("天桥区", "嘉祥县", "曲阜市", "达拉特旗"), "市": ("济南市", "济宁市"), "省": ("山东省", "广东省")}
SECTION_ORGANS = ("科", "股", "室", "处", "所", "站")
# a body of a government tier: what a section must never be offered
BUREAU = re.compile(r"(?:局|委|委员会|办|办公室|厅)$")
_HEAD = re.compile(r"^(?:街道|[省市区县旗镇乡])(?=..)")


def _bare(name: str) -> str:
    return _BRACKET_TAIL.sub("", _HEAD.sub("", normalize_unit(name)))


def _fields(registry: UnitRegistry) -> list[str]:
    """The fields of the registry's bodies as plans write them, full and short (城市管理, 城管)."""
    out: dict[str, None] = {}
    for u in registry:
        if u.kind != "部门":
            continue
        for n in (u.name, *u.aliases):
            field_, organ = _organ(_bare(n))
            if organ and 2 <= len(field_) <= 8 and not re.search(r"[（）0-9]", field_):
                out[field_] = None
    return list(out)


def section_names(registry_of, fields: int | None = None, seed: int = 2026) -> list[tuple[str, str]]:
    """(place, unknown section name) at every tier: each field (`fields` of them, drawn by
    `seed`) with each section organ, bare (its own, or a body's) and behind its county's
    or its own tier's prefix (区城管科 in a 街道's plan, 市财政处, 省财政处)."""
    rng, out = random.Random(seed), []
    for places in PLACES.values():
        for place in places:
            registry = registry_of(place)
            found = _fields(registry)
            for field_ in rng.sample(found, fields) if fields and fields < len(found) else found:
                for name in (n for organ in SECTION_ORGANS for n in (field_ + organ, (registry.level or "区") + field_ + organ)):
                    if registry.resolve(name) is None:
                        out.append((place, name))
    return out


# one-character slips seen in real sheets: a homophone or a look-alike of the organ
_ORGAN_SLIPS = {"局": "居", "委": "季", "办": "力", "厅": "听", "所": "斩", "站": "占", "馆": "官", "院": "完",
                "部": "陪", "会": "合", "队": "坠", "心": "新"}
# renamed bodies: the same field under another organ of the same tier (区档案局 / 区档案馆)
_RENAMES = {"局": ("馆", "中心"), "馆": ("局",), "中心": ("局",)}
_POOL = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定"
         "行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然")


def typos(registry_of, each: int | None = None, seed: int = 2026) -> list[tuple[str, str, str]]:
    """(place, typo, the entry it slips from) for the bodies a place's plan writes (`each`
    of them a place, drawn by `seed`): the organ's last character slipped (区财政居), one
    character of the field doubled, dropped or another (the first kept, as clerks slip),
    and the body renamed (区档案局 → 区档案馆, 局 → 中心).  Only names the registry does
    not know."""
    rng, out = random.Random(seed), []
    for places in PLACES.values():
        for place in places:
            registry = registry_of(place)
            bodies = [u for u in registry if u.kind == "部门" and not u.district and "（" not in u.name]
            for u in rng.sample(bodies, each) if each and each < len(bodies) else bodies:
                head = m.group() if (m := _HEAD.match(u.name)) else ""
                field_, organ = _organ(u.name[len(head):])
                if not organ or len(field_) < 2:
                    continue
                i = rng.randrange(1, len(field_))
                slips = [field_ + organ[:-1] + _ORGAN_SLIPS.get(organ[-1], organ[-1]),
                         field_[:i] + field_[i] + field_[i:] + organ,
                         field_[:i] + rng.choice(_POOL) + field_[i + 1:] + organ,
                         *(field_ + other for other in _RENAMES.get(organ, ()))]
                slips += [field_[:i] + field_[i + 1:] + organ] if len(field_) > 2 else []
                out += [(place, head + slip, u.name) for slip in slips
                        if head + slip != u.name and registry.resolve(head + slip) is None]
    return out


def measure(registry_of, fields: int | None = None, each: int | None = None) -> dict[str, object]:
    """Sections offered a bureau (a tier's 局, 委, 办 or 厅), and the typos whose entry is
    among their suggestions."""
    return {"offered": [(place, name, s) for place, name in section_names(registry_of, fields)
                        for s in registry_of(place).suggest(name) if BUREAU.search(_bare(s))],
            "right": {(place, typo) for place, typo, entry in typos(registry_of, each)
                      if entry in registry_of(place).suggest(typo)}}


def _fresh(monkeypatch=None):
    """Registries of their own (no answers kept from other tests); with `monkeypatch`,
    judging without the organ rule, as before the fix."""
    units_mod._shared_index.cache_clear()
    if monkeypatch is not None:
        monkeypatch.setattr(units_mod, "_may_be", lambda q, s, same_tier: True)
    made: dict[str, UnitRegistry] = {}
    return lambda place: made.setdefault(place, UnitRegistry(units_mod._default_units(), place))


@pytest.fixture
def before(monkeypatch):
    with monkeypatch.context() as m:
        found = measure(_fresh(m), fields=20, each=30)
    units_mod._shared_index.cache_clear()     # no answer of the old rule left for other tests
    return found


def test_no_section_is_offered_a_bureau_and_no_typo_loses_its_suggestion(before):
    """Measured on the whole generated set (20452 unknown section names at 12 places of
    every tier, 6583 typos): before, 11090 section names were offered a bureau (15540
    suggestions); after, none.  6452 typos were offered their entry before and after,
    the same ones.  Here a sample drawn from it (2864 section names, 1352 typos: before,
    1493 names offered a bureau, 1327 typos their entry), against the rule switched off."""
    after = measure(_fresh(), fields=20, each=30)
    assert len(before["offered"]) > 1000                    # the sample holds the finding …
    assert after["offered"] == []                           # … and no section is offered a bureau
    assert len(before["right"]) > 1000 and after["right"] == before["right"]   # no typo lost, none gained


@pytest.mark.parametrize("place", [p for places in PLACES.values() for p in places])
def test_the_finding_at_every_tier(place):
    """城管科 (a 街道's section, a bureau's section elsewhere) is offered no bureau; a real
    slip of the bureau's name still is."""
    registry = UnitRegistry.default(place)
    level = registry.level or "区"
    for name in ("城管科", "城管股", level + "城管科", "城管站", "应急处", "财政科", "档案室"):
        assert not [s for s in registry.suggest(name) if BUREAU.search(_bare(s))], (name, registry.suggest(name))
    tier = {"province": "省", "city": "市"}.get(registry.tier, level)
    bureau = {"省": "省财政厅", "市": "市财政局"}.get(tier, tier + "财政局")
    assert bureau in registry.suggest(bureau[:-1] + "居" if bureau.endswith("局") else bureau[:-1] + "听")


@pytest.mark.parametrize("place, written, expected", [
    ("天桥区北园街道", "区财政居", "区财政局"), ("天桥区", "区档案局", "区档案馆"), ("济南市", "市大数据中心", "市大数据局"),
    ("天桥区北园街道", "财政科", "财政所"), ("天桥区北园街道", "统计科", "统计站"),   # a township's own lower body
    ("天桥区北园街道", "便民综合服务中心", "便民服务中心"), ("济南市", "大数据中心", "市大数据局"),
])
def test_typos_renamed_bodies_and_a_townships_own_stations_are_still_suggested(place, written, expected):
    assert expected in UnitRegistry.default(place).suggest(written)


@pytest.mark.parametrize("place, written, unlike", [
    ("天桥区北园街道", "城管科", "区城市管理局"), ("天桥区北园街道", "城管中心", "区城市管理局"),
    ("天桥区北园街道", "应急处", "应急管理办公室"), ("天桥区北园街道", "政务服务科", "区行政审批服务局"),
    ("广东省", "应急处", "省应急管理厅"), ("蓬江区", "应急处", "区应急管理局"), ("济南市", "宣传科", "市委宣传部"),
])
def test_a_section_is_never_offered_a_body(place, written, unlike):
    assert unlike not in UnitRegistry.default(place).suggest(written)
