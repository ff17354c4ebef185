"""A district name given by a person (--district, a form field) must be a real one:
checked against the national division list, with the names it was probably meant as."""
from __future__ import annotations

from xltools.errors import XltoolsError
from xltools.rules.divisions import is_district, suggest_divisions
from xltools.texts import t


class UnknownDistrict(XltoolsError):
    """A district name the national list (GB/T 2260) does not hold."""


def require_district(name: str) -> str:
    """`name` stripped, or UnknownDistrict saying what it may have meant (天桥 → 天桥区)."""
    name = str(name or "").strip()
    if is_district(name):
        return name
    suggestions = [s for s in suggest_divisions(name) if s != name]
    if suggestions:
        raise UnknownDistrict("district-not-division", name=name, suggestions=suggestions)
    raise UnknownDistrict("district-not-division-nosuggest", name=name)


def no_district(name) -> bool:
    """Whether a master's 区县 cell names no district: empty, or the label merge writes for
    a sheet whose district it did not find (地区未注明; 未识别 in older masters)."""
    text = str(name or "").strip()
    return not text or text in {t("district-unknown-label", la) for la in ("zh", "en")} | {"未识别", "unknown"}
