"""What split and collect share: the master's 汇总 rows, the loop's error, safe file
names and the unit cells split by the one unit splitter."""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xltools import schema
from xltools.errors import UnreadableFile, XltoolsError
from xltools.model import OtherSheet
from xltools.read import load_grids
from xltools.rules.units import split_units
from xltools.texts import t
from xltools.work.previous import header_moved_down, logged_sources, plain
from xltools.write.master import SHEET_LOG, SHEET_MASTER
from xltools.write.templates import own_column_key

SPLIT_BY = ("lead-unit", "unit", "district")
LOG_SHEET = "收集记录"
OPEN_SHEET = "未决冲突"         # hidden in the master: conflicts not yet resolved, re-checked by every collect
# Hidden in the master: its identity, made by the merge that first wrote it (or the first
# collect into an older master) and kept by every merge; split copies it into each return
# (下发底稿), so collect refuses a return from another master by name.
IDENTITY_SHEET = "汇总表标识"
REPORTED = (schema.STATUS, schema.PROGRESS, schema.DONE_DATE)   # what a unit reports
_FORBIDDEN = re.compile(r'[\\/:*?"<>|\[\]\x00-\x1f]')


class LoopError(XltoolsError):
    """The master or a return cannot be used for the tracking loop."""


@dataclass
class MasterTable:
    """The 汇总 sheet's rows as dicts keyed by schema column key (and, when read with
    `own`, the master's own columns' values, 备注 …, by own_column_key of their header)."""
    path: Path
    rows: list[dict[str, Any]]
    header: dict[str, int]          # column key → 0-based column
    row_of: dict[str, int] = field(default_factory=dict)   # task key → its row as Excel numbers it
    own: tuple[str, ...] = ()       # the headers of the master's own columns, in order (read with own)

    @classmethod
    def read(cls, path: str | Path, own: bool = False) -> "MasterTable":
        path = Path(path)
        try:
            grids = load_grids(path, SHEET_MASTER)
        except UnreadableFile as exc:
            if exc.key != "sheet-not-found":
                raise
            raise LoopError("loop-not-master", file=str(path)) from None
        table = cls.from_rows(path, grids[0].rows, own)
        try:        # 来源文件 names each file; 合并记录 has its path (what report and split open)
            paths = logged_sources(load_grids(path, SHEET_LOG)[0].rows)
        except XltoolsError:
            paths = {}
        for row in table.rows if paths else ():
            source = row.get(schema.SOURCE_FILE.key)
            if source in paths:
                row[schema.SOURCE_FILE.key] = paths[source]
        return table

    @classmethod
    def from_rows(cls, path: Path, rows: list[list[Any]], own: bool = False) -> "MasterTable":
        """From the sheet's values (header first), as calamine or openpyxl gives them;
        with `own`, the columns that are not ours too (a district's 备注, a 督办意见 the
        office added: any header no column of ours has), the first of each header."""
        by_header = {c.zh: c.key for c in schema.MASTER_COLUMNS}
        header = {by_header[str(v)]: c for c, v in enumerate(rows[0] if rows else []) if str(v) in by_header}
        ours = set(by_header) | {c.en for c in schema.MASTER_COLUMNS}
        own_at: dict[str, int] = {}
        for c, v in enumerate(rows[0] if rows and own else []):
            text = " ".join(str(v).split()) if v is not None else ""
            if text and text not in ours:
                own_at.setdefault(text, c)
        if schema.TASK_KEY.key not in header:
            row = header_moved_down(rows)
            if row is not None:
                raise LoopError("loop-master-header-moved", file=str(path), row=row)
            raise LoopError("loop-not-master", file=str(path))
        out, row_of = [], {}
        for r, values in enumerate(rows[1:], 2):
            row = {key: (values[c] if c < len(values) and values[c] != "" else None) for key, c in header.items()}
            for text, c in own_at.items():
                if c < len(values) and (v := plain(values[c])) is not None:
                    row[own_column_key(text)] = v
            if row.get(schema.TASK_KEY.key):
                out.append(row)
                row_of[str(row[schema.TASK_KEY.key])] = r
        return cls(path, out, header, row_of, tuple(own_at))


def master_units(text: Any) -> list[str]:
    """The units of a master cell (joined with 、), split by the one unit splitter."""
    return list(split_units(text).all)


def safe_name(text: str, limit: int = 80) -> str:
    """A name Windows and Excel accept: no \\ / : * ? " < > | [ ], no trailing dot or space."""
    name = _FORBIDDEN.sub("_", str(text)).strip().rstrip(". ")
    return name[:limit] or "_"


def natural_key(path: Path) -> list:
    """区2 before 区10: digits compare as numbers."""
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", str(path))]


def identity_sheet() -> OtherSheet:
    """The master's identity sheet, with a new id."""
    return OtherSheet(IDENTITY_SHEET, [["master", uuid.uuid4().hex]], hidden=True)


def identity_in(rows: list[list[Any]]) -> str | None:
    """The master id in the identity sheet's rows (None when there is none)."""
    return next((str(r[1]) for r in rows if len(r) > 1 and r[0] == "master" and r[1]), None)


def master_identity(path: str | Path) -> str | None:
    """The id of a master file, or None for a master written before there were ids."""
    try:
        grids = load_grids(Path(path), IDENTITY_SHEET)
    except UnreadableFile:
        return None
    return identity_in(grids[0].rows) if grids else None


def unknown_district(district: str) -> bool:
    """Whether a master's 区县 cell states no district (empty, or the placeholder written for one)."""
    return not district or district in {t("district-unknown-label", la) for la in ("zh", "en")} | {
        "未识别", "unknown"}   # (older masters)


def place_of(district: str | None, lang: str) -> str:
    """"安吉县的" (" of 安吉县") before (after) a kind of unit in a message, or "" when the
    district is not stated: the master's placeholder (地区未注明) is no place name."""
    return "" if unknown_district(district or "") else t("place-of", lang, district=district)
