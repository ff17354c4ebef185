"""Editing the 单位名录 in place (the local page's 单位名录 tab): add a unit, rename one, give
one an alias, remove one.  The file is read and written as `units learn -o` and `units
export` write it (write.registry), under the workbook's lock (write.files.editing), replaced
atomically and only if nobody changed it meanwhile, and the file replaced is kept as a
version (history / undo) like every workbook xltools writes."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from xltools.check.districts import county_of
from xltools.errors import XltoolsError
from xltools.read.registry import load_registry
from xltools.rules.units import HEADER, KINDS_EN, UNIT_KINDS, Unit, UnitRegistry, normalize_unit
from xltools.write import versions
from xltools.write.files import editing
from xltools.write.registry import REGISTRY_SUFFIXES, registry_writer

__all__ = ["RegistryEdit", "RegistryEditError", "EditResult", "apply_edits", "edit_registry", "EDIT_OPS"]

EDIT_OPS = ("add", "rename", "alias", "remove")


class RegistryEditError(XltoolsError):
    """An edit that cannot be made (a name taken, an entry not in the list)."""


@dataclass(frozen=True)
class RegistryEdit:
    """One change: `name` (of `district`, None for every district) is the entry; `value` is
    the new name (rename) or the alias (alias); `kind` the 类别 of an added unit."""
    op: str
    name: str
    value: str = ""
    kind: str = ""
    district: str | None = None

    @classmethod
    def of(cls, data: dict) -> "RegistryEdit":
        """From the page's JSON: op, name, value, kind, district (strings)."""
        op = str(data.get("op") or "")
        if op not in EDIT_OPS:
            raise RegistryEditError("units-edit-op", op=op)
        return cls(op, str(data.get("name") or ""), str(data.get("value") or ""), str(data.get("kind") or ""),
                   str(data.get("district") or "") or None)


@dataclass
class EditResult:
    file: Path
    count: int                                        # entries in the saved registry
    kept: bool = False                                # the file replaced was kept as a version
    done: dict[str, int] = field(default_factory=dict)   # op → how many

    def to_dict(self) -> dict:
        return {"file": str(self.file), "count": self.count, "kept": self.kept, **{op: self.done.get(op, 0) for op in EDIT_OPS}}


def _place(district: str | None) -> str | None:
    return normalize_unit(district) or None


def _district_of(written: str | None, units: list[Unit]) -> str | None:
    """The 区县 an edit names: as written when an entry of the list has it (the list's own
    spelling), else the county of the place named (天桥区无影山街道, or 无影山街道 where the list
    has it under 天桥区 → 天桥区: an entry of a 街道's name would serve no plan)."""
    district = _place(written)
    if district is None or any(_place(u.district) == district for u in units):
        return district
    return county_of(district, UnitRegistry(units))


def _taken(units: list[Unit], name: str, district: str | None, but: int | None = None) -> Unit | None:
    """The entry of the same place already called `name` (its name or an alias)."""
    return next((u for i, u in enumerate(units) if i != but and _place(u.district) == district
                 and (u.name == name or name in u.aliases)), None)


def _find(units: list[Unit], name: str, district: str | None) -> int:
    for i, u in enumerate(units):
        if u.name == name and _place(u.district) == district:
            return i
    raise RegistryEditError("units-edit-unknown", name=name, district=f"（{district}）" if district else "")


def _new_unit(name: str, kind: str, district: str | None) -> Unit:
    """A unit as a row of the 单位名录 reads (rules.units: kind checked, tier by its prefix);
    the kind in Chinese or English (department → 部门)."""
    kind = KINDS_EN.get(kind.strip().lower(), kind.strip())
    if kind not in UNIT_KINDS:
        raise RegistryEditError("units-edit-bad-kind", name=name, kind=kind, kinds="、".join(UNIT_KINDS),
                                kinds_en=", ".join(f"{en} ({zh})" for en, zh in KINDS_EN.items()))
    try:
        return next(iter(UnitRegistry.from_rows([list(HEADER), [district, name, "", kind, ""]])))
    except ValueError as exc:
        raise RegistryEditError("units-edit-bad", name=name, reason=str(exc)) from None


def apply_edits(units: Iterable[Unit], edits: Iterable[RegistryEdit]) -> tuple[list[Unit], dict[str, int]]:
    """The entries after the edits, in order (an added unit goes last); what was done.  The
    first edit that cannot be made raises RegistryEditError, and nothing is changed."""
    out, done = list(units), dict.fromkeys(EDIT_OPS, 0)
    for edit in edits:
        name, value, district = normalize_unit(edit.name), normalize_unit(edit.value), _district_of(edit.district, out)
        if not name or (edit.op in ("rename", "alias") and not value):
            raise RegistryEditError("units-edit-empty")
        if edit.op == "add":
            if (other := _taken(out, name, district)) is not None:
                raise RegistryEditError("units-edit-taken", name=name, unit=other.name)
            out.append(_new_unit(name, edit.kind, district))
        else:
            i = _find(out, name, district)
            unit = out[i]
            if edit.op == "remove":
                del out[i]
            elif (other := _taken(out, value, district, but=i)) is not None:
                raise RegistryEditError("units-edit-taken", name=value, unit=other.name)
            elif edit.op == "rename":
                out[i] = dataclasses.replace(unit, name=value, aliases=tuple(a for a in unit.aliases if a != value))
            elif value != unit.name and value not in unit.aliases:
                out[i] = dataclasses.replace(unit, aliases=unit.aliases + (value,))
        done[edit.op] += 1
    return out, done


def edit_registry(path: str | Path, edits: Iterable[RegistryEdit], base: UnitRegistry | None = None) -> EditResult:
    """Apply `edits` to the registry file `path` (.xlsx or .csv) and save it.  A file not
    there yet starts from `base` (else the built-in list)."""
    path = Path(path)
    if path.suffix.lower() not in REGISTRY_SUFFIXES:
        raise XltoolsError("registry-suffix", file=str(path))
    edits = list(edits)
    existed = path.exists()
    with versions.operation("units"), editing(path) as held:
        current = load_registry(path) if path.exists() else (base or UnitRegistry.default())
        units, done = apply_edits(current, edits)
        versions.describe(**done)
        held.replace(registry_writer(UnitRegistry(units), path))
    return EditResult(path, len(units), versions.versioned(path) and existed, done)
