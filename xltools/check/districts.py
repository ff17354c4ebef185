"""A district name given by a person (--district, a form field) must be a real one:
checked against the national division list, with the names it was probably meant as.

The list (GB/T 2260) holds counties, cities and provinces, not the 街道, 镇 and 乡 inside
a county: a township is a place when written after its county (天桥区无影山街道), and a
township written alone is found where the unit registry lists it under its county."""
from __future__ import annotations

from xltools.errors import XltoolsError
from xltools.rules.divisions import district_key, is_district, suggest_divisions, township_name, township_of
from xltools.rules.units import UnitRegistry


class UnknownDistrict(XltoolsError):
    """A district name the national list (GB/T 2260) does not hold."""


def require_district(name: str, registry: UnitRegistry | None = None) -> str:
    """The place `name` names, stripped: a division of the list (天桥区, 济南市, 山东省) or a
    township after its county (天桥区无影山街道), as written.  A township alone (无影山街道)
    is found in `registry`, when given, under one county (天桥区无影山街道); without one
    (the caller uses the name as given) or found under none or several, UnknownDistrict
    says which place to write.  UnknownDistrict for anything else, saying what it may
    have meant (天桥 → 天桥区)."""
    name = str(name or "").strip()
    if is_district(name) or township_of(name):
        return name
    if township_name(name):
        places = (registry or UnitRegistry.default()).township_places(name)
        if registry is not None and len(places) == 1:
            return places[0]
        if places:
            raise UnknownDistrict("district-township-where", name=name, places=places,
                                  districts=list(dict.fromkeys(map(district_key, places))))
        raise UnknownDistrict("district-township-unknown", name=name)
    suggestions = [s for s in suggest_divisions(name) if s != name]
    if suggestions:
        raise UnknownDistrict("district-not-division", name=name, suggestions=suggestions)
    raise UnknownDistrict("district-not-division-nosuggest", name=name)


def county_of(name: str, registry: UnitRegistry | None = None) -> str:
    """The county (or city, province) whose registry serves the place `name`
    (`require_district`): 天桥区 for 天桥区无影山街道, and for 无影山街道 where `registry`
    lists it under 天桥区."""
    return district_key(require_district(name, registry or UnitRegistry.default()))

