"""Which column is read as which field, and why: the reader's choice as a value a clerk
can see (inspect, validate, the Excel 校验本表), a clerk's correction (`--columns
"具体措施=具体要求,D=牵头单位"`, or the same saved beside the files in 列对应.json), and the
doubts when a table reads unlike a task table (a finding, never a silent wrong reading).
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xltools import schema
from xltools.errors import Words, XltoolsError
from xltools.findings import Finding
from xltools.model import ColumnChoice, TaskSheet, a1, col_letter
from xltools.rules.deadlines import deadline_start
from xltools.rules.numbering import label
from xltools.rules.text import is_same_as_above

SAVED_NAME = "列对应.json"           # beside the files: every file of the folder is read with it
IGNORE = ("不读", "忽略", "ignore")   # the right side that says: this column is not read at all
_ITEMS = re.compile(r"[,，;；\n]")
_LETTER = re.compile(r"[A-Z]{1,3}")
_SAVED_KEY, _NOTE_KEY, _FROM_KEY = "列对应", "说明", "来自"


class ColumnsError(XltoolsError):
    """A --columns spec or a saved 列对应.json that cannot be used."""


def _allowed() -> list[str]:
    """The field names a clerk may write (shown joined as the message's language joins them)."""
    return [c.zh for c in schema.READ_COLUMNS] + [IGNORE[0]]


@dataclass(frozen=True)
class ColumnSpec:
    """A clerk's column map: each item a header text (as written, spacing aside) or a
    column letter, and the field it is read as (None: not read)."""
    items: tuple[tuple[str, str | None], ...]
    source: str = "--columns"           # "--columns", or the saved file it came from

    @functools.cached_property
    def _by_header(self) -> dict[str, str | None]:
        return {schema.normalize_header(left): key for left, key in self.items if not _LETTER.fullmatch(left)}

    @functools.cached_property
    def _by_letter(self) -> dict[str, str | None]:
        return {left: key for left, key in self.items if _LETTER.fullmatch(left)}

    def given(self, c: int, text: Any) -> tuple[str | None, str | None]:
        """(the item that names column c under a header written `text`, as the clerk wrote
        it, or None; the field it says)."""
        letter = col_letter(c)
        if letter in self._by_letter:
            return letter, self._by_letter[letter]
        if isinstance(text, str) and (norm := schema.normalize_header(text)) in self._by_header:
            return next(left for left, _ in self.items if schema.normalize_header(left) == norm), self._by_header[norm]
        return None, None

    def roles(self, row: list[Any], roles: dict[int, tuple[str, ...]]) -> dict[int, tuple[str, ...]]:
        """A row's header roles with the spec's: the header texts it names anywhere, its
        column letters in a row of two or more texts (not a title merged across)."""
        header_like = len({v.strip() for v in row if isinstance(v, str) and v.strip()}) >= 2
        out = dict(roles)
        for c, v in enumerate(row):
            if not isinstance(v, str) or not v.strip():
                continue
            named, key = self.given(c, v)
            if named is None or (named in self._by_letter and not header_like):
                continue
            if key is None:
                out.pop(c, None)
            else:
                out[c] = (key,)
        return out

    def ignores(self, c: int, text: Any) -> bool:
        """Does the clerk say column c (under a header written `text`) is not read (备注=不读)?"""
        named, key = self.given(c, text)
        return named is not None and key is None

    def shown(self) -> str:
        return "、".join(f"{left}→{schema.READ_BY_KEY[key].zh if key else IGNORE[0]}" for left, key in self.items)


def parse_columns(text: str, source: str = "--columns") -> ColumnSpec:
    """`具体措施=具体要求,责任科室=牵头单位,D=具体要求,备注=不读` → a ColumnSpec.  Raises
    ColumnsError naming the item that is wrong and the fields that may be named."""
    items: list[tuple[str, str | None]] = []
    for raw in _ITEMS.split(text or ""):
        item = raw.strip()
        if not item:
            continue
        left, sep, right = item.replace("＝", "=").partition("=")
        left, right = left.strip(), right.strip()
        if not sep or not left or not right:
            raise ColumnsError("columns-bad-item", item=item)
        if right in IGNORE:
            key = None
        elif (key := schema.field_named(right)) is None:
            raise ColumnsError("columns-bad-field", item=item, name=right, fields=_allowed())
        if _LETTER.fullmatch(left.upper()) and left.isascii():
            left = left.upper()
        if any(left == other for other, _ in items):
            raise ColumnsError("columns-twice", item=item, name=left)
        items.append((left, key))
    if not items:
        raise ColumnsError("columns-empty")
    return ColumnSpec(tuple(items), source)


# ---------------------------------------------------------------- saved beside the files

def saved_for(path: Path) -> ColumnSpec | None:
    """The mapping saved in the folder of `path` (列对应.json), or None."""
    saved = Path(path).parent / SAVED_NAME
    try:
        stamp = saved.stat().st_mtime_ns
    except OSError:
        return None
    return _load_saved(str(saved), stamp)


@functools.lru_cache(maxsize=64)
def _load_saved(saved: str, stamp: int) -> ColumnSpec:
    try:
        data = json.loads(Path(saved).read_text(encoding="utf-8-sig"))
        text = ",".join(f"{k}={v}" for k, v in data[_SAVED_KEY].items())
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise ColumnsError("columns-saved-bad", file=saved, reason=Words("columns-saved-not-json")) from None
    try:
        return parse_columns(text, source=saved)
    except ColumnsError as exc:
        raise ColumnsError("columns-saved-bad", file=saved, reason=Words(exc.key, **exc.params)) from None


def saved_text(sheet: TaskSheet, spec: ColumnSpec) -> str:
    """列对应.json for `spec`, each column letter written as the header text it stands over
    in this sheet (so that the other files of the folder, laid out alike but not at the
    same letters, are read alike)."""
    headers = {c.letter: c.header for c in sheet.column_map}
    pairs: dict[str, str] = {}
    for left, key in spec.items:
        if _LETTER.fullmatch(left) and headers.get(left):
            left = schema.normalize_header(headers[left])
        pairs[left] = schema.READ_BY_KEY[key].zh if key else IGNORE[0]
    note = ("xltools 按此读取本文件夹中任务表的列（表头或列号 → 字段）。由 --save-columns 写出，可以编辑；"
            "删除此文件即恢复自动识别。")
    return json.dumps({_NOTE_KEY: note, _SAVED_KEY: pairs, _FROM_KEY: Path(sheet.file).name},
                      ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------- the choice, explained

def _header_text(header: list[list[Any]], c: int, spec: ColumnSpec | None) -> str | None:
    """The header cell a column was read by: the lowest one with a meaning (责任单位 over
    牵头单位: 牵头单位), else the lowest text."""
    texts = [row[c] for row in header if c < len(row) and isinstance(row[c], str) and row[c].strip()]
    for v in reversed(texts):
        if schema.columns_for_header(v) or (spec is not None and spec.given(c, v)[0] is not None):
            return v.strip()
    return texts[-1].strip() if texts else None


def choose_columns(header: list[list[Any]], columns: dict[str, int],
                   spec: ColumnSpec | None) -> tuple[dict[str, int], list[ColumnChoice]]:
    """The columns as the clerk's spec corrects them, and why each was chosen."""
    columns = dict(columns)
    given: dict[int, str] = {}     # column → the clerk's item that names it
    width = max((len(row) for row in header), default=0)
    if spec is not None:
        for c in range(width):
            texts = [row[c] for row in header if c < len(row)] or [None]
            hits = [spec.given(c, v) for v in reversed(texts)]
            named, key = next((h for h in hits if h[0] is not None), (None, None))
            if named is None or named in given.values():   # a group header over two columns: the first
                continue
            given[c] = named
            for k in [k for k, at in columns.items() if at == c or k == key]:
                columns.pop(k)
            if key is not None:
                columns[key] = c
    choices = []
    for key, c in sorted(columns.items(), key=lambda kc: (kc[1], kc[0])):
        text = _header_text(header, c, spec)
        item = f"{given[c]}={schema.READ_BY_KEY[key].zh}" if c in given else None
        choices.append(ColumnChoice(key, col_letter(c), text, *_why(key, text, item)))
    return columns, choices


def _why(key: str, text: str | None, given: str | None) -> tuple[str, str | None]:
    if given is not None:
        return "given", given
    keys = schema.columns_for_header(text) if text else ()
    if len(keys) > 1:
        return "combined", None
    if keys and keys[0] != key:   # 工作任务 merged over two columns: the second is the sub-level
        return ("second" if (keys[0], key) == ("section", "subsection") else "moved"), schema.READ_BY_KEY[keys[0]].zh
    match = schema.header_match(text) if text else None
    if match is None:
        return "header-word", None
    return ("header" if match[2] else "header-word"), match[1]


# ---------------------------------------------------------------- doubts

DOUBT_SHARE = 0.5     # at least half the rows look wrong …
DOUBT_ROWS = 4        # … of at least this many rows with text in the column


def column_doubts(sheet: TaskSheet, rows: list[list[Any]], header: list[list[Any]],
                  columns: dict[str, int]) -> list[Finding]:
    """Warnings where the table reads unlike a task table: a requirement column of
    numbers or dates; a unit column of sentences, numbers or dates, or empty in most rows;
    no requirement, unit or deadline column while a column not read holds what it would in
    most rows.  Each names the column and --columns.  None when the clerk gave the map."""
    tasks = [t for t in sheet.parsed if not t.is_empty]
    if len(tasks) < DOUBT_ROWS or sheet.columns_given:
        return []
    found = []

    def doubt(code: str, key: str | None, c: int, n: int, total: int) -> None:
        written = _header_text(header, c, None) or col_letter(c)
        field = schema.READ_BY_KEY[key].zh if key else ""
        found.append(Finding(code, str(sheet.file), sheet.sheet, a1(sheet.header_row - 1, c), written,
                             {"column": col_letter(c), "header": written, "field": field, "n": n, "total": total}))

    reqs = [t.requirement for t in tasks if t.requirement]
    if "requirement" in columns and (n := _mostly(reqs, _number_or_date)):
        doubt("columns-unsure-requirement", "requirement", columns["requirement"], n, len(reqs))
    unit_keys = [k for k in ("units", "lead", "support") if k in columns]
    without = sum(not (t.units_text or t.lead_text or t.support_text) for t in tasks)
    if unit_keys and without >= DOUBT_ROWS and without >= (1 - DOUBT_SHARE / 2) * len(tasks):
        doubt("columns-unsure-no-units", unit_keys[0], columns[unit_keys[0]], without, len(tasks))
    for key, attr in (("units", "units_text"), ("lead", "lead_text"), ("support", "support_text")):
        if key not in columns or columns[key] == columns.get("deadline"):
            continue
        texts = [v for t in tasks if (v := getattr(t, attr)) and not is_same_as_above(v)]   # 同上: the units above
        if n := _mostly(texts, _not_units):
            doubt("columns-unsure-units", key, columns[key], n, len(texts))
    # a field without a column, while a column not read holds what it would: the column the reader missed
    missing = [(key, code, looks) for key, code, looks in (
        ("requirement", "columns-unsure-requirement-missing", _long_text),
        ("units", "columns-unsure-units-missing", _unit_like),
        ("deadline", "columns-unsure-deadline", _deadline_like))
        if key not in columns and not (key == "units" and "lead" in columns)]
    if missing:
        taken = set(columns.values())
        unread = {c: [rows[t.row - 1][c] if c < len(rows[t.row - 1]) else None for t in tasks]
                  for c in range(max(len(rows[t.row - 1]) for t in tasks)) if c not in taken}
        for key, code, looks in missing:
            hits = {c: _mostly(values, looks) for c, values in unread.items()}
            c = max(hits, key=hits.get, default=None)
            if c is not None and hits[c]:
                doubt(code, key, c, hits[c], len(tasks))
    return found


SAMPLE = 8    # rows looked at first: most sheets are read right, and a sheet read wrong is wrong in most rows


def _mostly(values: list, looks) -> int:
    """How many of `values` look so, when at least DOUBT_ROWS and half of them do (empty
    cells count as not); 0 otherwise.  A sample decides first, so a sheet read right costs
    little: the reader's time is the merge's time."""
    if len(values) < DOUBT_ROWS:
        return 0
    step = max(1, len(values) // SAMPLE)
    sample = values[::step][:SAMPLE]
    if sum(1 for v in sample if v not in (None, "") and looks(v)) < DOUBT_SHARE * len(sample):
        return 0
    n = sum(1 for v in values if v not in (None, "") and looks(v))
    return n if n >= DOUBT_ROWS and n >= DOUBT_SHARE * len(values) else 0


def _not_units(v: Any) -> bool:
    return not _unit_like(v)   # numbers and dates do not end as units' names either


_NUMBER = re.compile(r"[\d\s.,，%％+\-]+")


def _number_or_date(text: str) -> bool:
    s = str(text).strip()
    if len(s) > 24:   # a clause: what a requirement is
        return False
    return bool(_NUMBER.fullmatch(s)) or len(s) <= 6 and label(s) is not None or _deadline_like(s)


_TIME_HINT = re.compile(r"[0-9０-９年月日季旬底前内期常持续全〇一二三四五六七八九十]")


def _deadline_like(v: Any) -> bool:
    if hasattr(v, "year"):   # a real date cell
        return True
    s = str(v).strip()   # the grammar only for short texts with a word of time (it is the slow part)
    return 0 < len(s) <= 24 and _TIME_HINT.search(s) is not None and deadline_start(s) == 0


def _long_text(v: Any) -> bool:
    """Text as a requirement is written: a clause, not a name, number or date."""
    return isinstance(v, str) and len(v.strip()) >= 10 and not _deadline_like(v)


_UNIT_ENDS = ("局", "委", "办", "室", "院", "中心", "政府", "街道", "镇", "乡", "村", "社区", "区", "县", "市", "股", "科",
              "所", "队", "站", "馆", "部", "联", "会", "协", "组", "处", "厅", "行", "台", "社", "校", "公司", "部门", "单位")
_ROLE_ENDS = ("牵头", "配合", "负责", "参与", "落实", "等")
_UNIT_PARTS = re.compile(r"[^、，,；;：:\s]+")


def _unit_like(v: Any) -> bool:
    """A cell that names units: most of its names end as units' names do (局, 委, 办, 中心 …),
    a bracket after a name (工信局（商务局）, 财政局（王某）) and role words aside."""
    parts = _UNIT_PARTS.findall(str(v))
    good = 0
    for p in parts:
        if p.endswith(_ROLE_ENDS):
            p = p[:-2] if p.endswith(_ROLE_ENDS[:-1]) else p[:-1]
        if p.endswith(("）", ")")) and (cut := max(p.rfind("（"), p.rfind("("))) > 0:
            p = p[:cut]
        good += p.endswith(_UNIT_ENDS)
    return bool(parts) and good * 2 >= len(parts)


