"""Saving the unit registry as the Excel 单位名录 office staff edit."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation

from xltools.rules import divisions
from xltools.rules.units import HEADER, SHEET, TIER_WORDS, UNIT_KINDS, Unit, UnitRegistry
from xltools.write.cells import put
from xltools.check.districts import require_district
from xltools.errors import XltoolsError
from xltools.write.files import atomic_write

REGISTRY_SUFFIXES = (".xlsx", ".csv")   # what load_registry reads back

_NOTES = (  # the 说明 sheet of a saved registry
    "本表是责任单位名录：xltools 用它核对任务分解表中的责任单位名称。",
    "“单位名称”填规范全称，括号用全角，如：区政府办公室（区大数据中心）。",
    "“简称或别名”可填多个，用顿号“、”分隔，如：区人力资源社会保障局、区人社局。",
    "“区县”留空表示各区县通用；填区县名（如 天桥区）则只在该区县有效。",
    "“类别”请从下拉列表选择：" + "、".join(UNIT_KINDS) + "。可增删行，请勿改动表头。",
    "“级别”是单位所属的政府层级（" + "、".join(TIER_WORDS) + "）：同一层级的单位名称可换用该层级的前缀"
    "（区财政局 也认 县财政局）；留空按县级。",
)
_TIER_WORD = {tier: word for word, tier in TIER_WORDS.items()}


def _row(u: Unit) -> tuple:
    return u.district, u.name, "、".join(u.aliases), u.kind, _TIER_WORD[u.tier]


@dataclass(frozen=True)
class ExportedRegistry:
    """What `units export` saved: how many units, of which county (None: every county's),
    and the township asked for when one was (its county's registry serves its plans)."""
    count: int
    district: str | None = None
    township: str | None = None


def export_registry(registry: UnitRegistry, path, district: str | None = None) -> ExportedRegistry:
    """`units export`: the registry saved to `path`; with `district` (a real district name,
    or one of its 街道, 镇 or 乡: `require_district`), only the units valid in its county."""
    if district is None:
        save_registry(registry, path)
        return ExportedRegistry(len(registry))
    # what the district's plans and its 街道' and 镇' plans may name: every shared unit
    # of every tier (a 街道's 党政办公室 too), and its own entries, not other districts'
    place = require_district(district, registry)
    key = divisions.district_key(place)
    registry = UnitRegistry([u for u in registry if not u.district or divisions.district_key(u.district) == key])
    save_registry(registry, path)
    town = divisions.township_of(place)
    return ExportedRegistry(len(registry), key, town.township if town else None)


def save_registry(registry: UnitRegistry, path) -> None:
    """Write the registry as an Excel 单位名录 office staff can edit (.xlsx), or as a
    CSV (UTF-8 with BOM, so Excel shows the Chinese) that --registry reads the same."""
    atomic_write(Path(path), registry_writer(registry, path))


def registry_writer(registry: UnitRegistry, path) -> Callable[[str], None]:
    """What writes `registry` as `path`'s kind of file (.xlsx or .csv) to a temporary name:
    for atomic_write, or for files.Editing.replace when the registry is edited in place."""
    suffix = Path(path).suffix.lower()
    if suffix not in REGISTRY_SUFFIXES:
        raise XltoolsError("registry-suffix", file=str(path))
    if suffix == ".csv":
        return lambda target: Path(target).write_bytes(_csv_bytes(registry))
    return _workbook(registry).save


def _csv_bytes(registry: UnitRegistry) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for u in registry:
        # a cell starting with = + - @ would be a formula when Excel opens the CSV
        writer.writerow([_csv_text(v) for v in _row(u)])
    return out.getvalue().encode("utf-8-sig")


def _csv_text(value) -> str:
    text = str(value or "")
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _workbook(registry: UnitRegistry) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(HEADER)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r, u in enumerate(registry, 2):
        for c, value in enumerate(_row(u), 1):
            put(ws, r, c, value or None)  # text from district files, never a formula
    for col, width in zip("ABCDE", (12, 36, 50, 16, 10)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:E{ws.max_row}"
    # The list is short, so an inline list stays far below Excel's 255-character limit.
    dv = DataValidation(type="list", formula1='"' + ",".join(UNIT_KINDS) + '"', allow_blank=True,
                        showErrorMessage=True, errorTitle="类别无效", error="请从下拉列表中选择类别。")
    dv.add(f"D2:D{ws.max_row + 1000}")
    ws.add_data_validation(dv)
    tiers = DataValidation(type="list", formula1='"' + ",".join(TIER_WORDS) + '"', allow_blank=True,
                           showErrorMessage=True, errorTitle="级别无效", error="请从下拉列表中选择级别。")
    tiers.add(f"E2:E{ws.max_row + 1000}")
    ws.add_data_validation(tiers)
    notes = wb.create_sheet("说明")
    for line in _NOTES:
        notes.append([line])
        notes.cell(notes.max_row, 1).alignment = Alignment(wrap_text=True)
    notes.column_dimensions["A"].width = 90
    return wb
