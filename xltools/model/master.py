"""What a merge hands the master writer: the rows of 汇总, the lines of 变更 and 合并记录,
the columns and sheets people added.  Plain data, no I/O."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from xltools.rules.deadlines import DeadlineKind
from xltools.rules.units import UnitName, as_written, join_units
from xltools.texts import t as _t


UNIT_COLUMNS = ("lead", "support")          # the columns a MasterRow holds as lists of units


@dataclass(slots=True)
class MasterRow:
    """One row of 汇总.  The units stay lists of names as the district wrote them (each
    with the registry entry it names, for counting); a writer renders them."""
    values: dict[str, Any]                  # MASTER_COLUMNS key → value (str, int, date), except the units
    lead_units: tuple[UnitName, ...] = ()
    support_units: tuple[UnitName, ...] = ()
    kind: DeadlineKind | None = None        # decides the 预警 formula
    ongoing: bool = False
    source: Path | None = None              # file behind the 来源文件 hyperlink
    extra: dict[int, Any] = field(default_factory=dict)  # MasterWorkbook.extra_columns index → value
    # the district's own columns (header → value) until the merge gives each its extra column
    written: dict[str, Any] = field(default_factory=dict)
    lead_notes: tuple[str, ...] = ()        # remarks of the units cells (Task.lead_notes), shown among the units
    support_notes: tuple[str, ...] = ()
    units_text: str | None = None           # the units cells as written: the order the cell shows them in
    private: frozenset[str] = frozenset()   # of `written`, the columns the district hid (internal notes): hidden in 汇总

    def value(self, key: str) -> Any:
        """What 汇总 shows in our column `key` (the units joined with 、, the remarks
        among them where the district wrote them)."""
        if key in UNIT_COLUMNS:
            units, notes = (self.lead_units, self.lead_notes) if key == "lead" else (self.support_units,
                                                                                   self.support_notes)
            pieces = [u.written for u in units]
            return join_units(as_written(pieces + list(notes), self.units_text) if notes else pieces)
        return self.values.get(key)

    @property
    def lead_entries(self) -> tuple[str, ...]:
        """The lead units as counted: by the registry entry each names (else as written)."""
        return tuple(dict.fromkeys(u.counted for u in self.lead_units))


@dataclass
class FileRecord:
    path: str                               # as shown (relative to the master when possible)
    status: str                             # "merged" | "skipped" | "failed"
    district: str | None = None
    rows_read: int | None = None
    rows_merged: int | None = None
    rows_rejected: int | None = None
    size: int | None = None
    sha256: str | None = None
    modified: dt.datetime | None = None
    reason: str | None = None


def source_names(paths) -> dict[str, str]:
    """How 汇总's 来源文件 names each source file (its path as 合并记录 lists it, relative to
    the master): by its file name, with as many of its folders before it as tell it from
    another file of the same name (2025/吴兴区.xlsx, 2026/吴兴区.xlsx).  A path does not
    fit the narrow column, nor print (../districts/南浔区2…); the path itself stays the
    hyperlink's target and 合并记录's, and readers of 汇总 turn the name back into it."""
    parts = {p: PurePosixPath(str(p).replace("\\", "/")).parts or (str(p),) for p in dict.fromkeys(paths)}
    out: dict[str, str] = {}
    n, left = 1, dict(parts)
    while left:
        tails = Counter(ps[-n:] for ps in parts.values())
        for p, ps in list(left.items()):
            if tails[ps[-n:]] == 1 or n >= len(ps):
                out[p] = "/".join(ps[-n:])
                del left[p]
        n += 1
    return out


@dataclass
class ExtraColumn:
    """A column people added to 汇总 themselves (督办意见, 责任人 …), kept across merges, or
    a district's own column the reader has no field for (报送对象), kept as written."""
    header: Any                             # as typed (None when the header cell is blank)
    after: str | None                       # key of our column it followed (None: before all of ours)
    width: float | None = None
    hidden: bool = False                    # the office hid it in 汇总 (an internal 督办意见): kept hidden


@dataclass
class OtherSheet:
    """A sheet people added to the master (or `collect`'s 收集记录): kept, by value."""
    name: str
    rows: list[list[Any]]
    widths: dict[int, float] = field(default_factory=dict)   # 1-based column → width
    hidden: bool = False


@dataclass(slots=True)
class Change:
    """One line of 变更: a task added or removed, or one column of a task changed."""
    kind: str                               # "added" | "removed" | "changed"
    key: str | None
    district: Any
    seq: Any
    column: Any = None                      # header of the column, as 汇总 shows it
    old: Any = None
    new: Any = None


@dataclass
class ChangeLog:
    previous: str | None = None             # when the previous master was merged (its 合并记录)
    first: bool = True                      # no previous master: 首次合并
    tasks: int = 0                          # rows of the new 汇总
    added: int = 0                          # tasks, not lines
    removed: int = 0
    changed: int = 0
    changes: list[Change] = field(default_factory=list)

    def note(self, lang: str = "zh") -> str:
        """One sentence: 首次合并, no change, or how many tasks were added/removed/changed."""
        if self.first:
            return _t("changes-first", lang, n=self.tasks)
        if not (self.added or self.removed or self.changed):
            return _t("changes-none", lang)
        return _t("changes-summary", lang, added=self.added, removed=self.removed, changed=self.changed)

    def to_dict(self) -> dict:
        return {"first": self.first, "previous_merge": self.previous, "tasks": self.tasks,
                "added": self.added, "removed": self.removed, "changed": self.changed}
