"""`units learn`: unit names in existing sheets that the registry lacks, as proposals
for new registry entries (and, asked for, a registry with them added)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from xltools.errors import XltoolsError
from xltools.read import read_plan
from xltools.rules.units import PLACE_KINDS, Unit, UnitRegistry, learn_units
from xltools.write.registry import REGISTRY_SUFFIXES, save_registry


@dataclass
class LearnResult:
    proposals: list[dict] = field(default_factory=list)
    files_read: list[str] = field(default_factory=list)
    files_failed: list[tuple[str, XltoolsError]] = field(default_factory=list)  # a file with no units to learn
    saved: Path | None = None          # the registry written (with the new units), when asked for
    added: int = 0                     # units added to it (proposals that are not an alias of a known unit)

    @property
    def typos(self) -> list[dict]:
        """Proposals one character away from a known unit (区财政居 → 区财政局): likely typos."""
        return [p for p in self.proposals if p.get("typo_of") and not p.get("alias_of")]


def learn(files: Iterable[str | Path], registry: UnitRegistry, output: str | Path | None = None,
          force: bool = False) -> LearnResult:
    """Read every file (one that cannot be read, or holds no task table, is listed and
    passed over), propose the unknown units, and write `output` — the registry plus the
    new units — when given, even if nothing new was found.  A likely typo of a known unit
    (区财政居) is added only with force (the person confirmed it is another unit)."""
    if output is not None and Path(output).suffix.lower() not in REGISTRY_SUFFIXES:
        raise XltoolsError("registry-suffix", file=str(output))  # before the reading, not after
    result = LearnResult()
    texts: dict[str | None, list[str]] = {}     # per district: its 街道 and 镇 are its own
    for file in files:
        try:
            plan = read_plan(file, registry=registry)
        except XltoolsError as exc:
            result.files_failed.append((str(file), exc))
            continue
        result.files_read.append(str(file))
        for sheet in plan.sheets:
            for task in sheet.tasks:
                if task.units_text:
                    texts.setdefault(task.district or sheet.district, []).append(task.units_text)
    result.proposals = _proposals(texts, registry)
    if output is not None and result.files_read:
        added = [Unit(p["name"], p["kind"], district=p["district"], tier=p["tier"]) for p in result.proposals
                 if not p.get("alias_of") and (force or not p.get("typo_of"))]
        save_registry(UnitRegistry(list(registry) + added), output)
        result.saved, result.added = Path(output), len(added)
    return result


def _proposals(texts: dict[str | None, list[str]], registry: UnitRegistry) -> list[dict]:
    """learn_units per district, judged by the district's registry (章丘区's 龙山街道 is not
    林州市's); a 街道, 镇 or 村 is proposed as its district's entry, any other unit once for all."""
    out: dict[tuple, dict] = {}
    for district, unit_texts in texts.items():
        place = registry.for_district(district)
        for p in learn_units(unit_texts, place):
            p["district"] = district if p["kind"] in PLACE_KINDS else None
            # a body of the plan's own place is of its tier (a 街道's 城管科 is 乡级, not 县级);
            # a 街道 or 镇 is its county's entry, a village its township's
            p["tier"] = "township" if p["kind"] == "村/社区" else "county" if p["kind"] in PLACE_KINDS \
                else place.tier_of_name(p["name"])
            seen = out.get((p["name"], p["district"]))
            if seen is None:
                out[(p["name"], p["district"])] = p
            else:
                seen["count"] += p["count"]
    return sorted(out.values(), key=lambda d: -d["count"])  # stable: ties keep first-seen order
