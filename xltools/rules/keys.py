"""The task key (任务编号): the one stable id of a task, used to re-merge a master, to
match the units' returns in collect and to carry tasks into a new plan.

Shape: 区县-年度-序号-hash, e.g. 天桥区-2024-007-3fa2c1 (天桥区-2024-1.2-3fa2c1 for task 1.2; "~2"
is appended when one sheet holds the same task twice).  The hash is of the requirement with spacing and
punctuation ignored, so a re-typed copy keeps its key.
"""
from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a task is only read here
    from xltools.model import Task

_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
_DOTTED = re.compile(r"\d+(?:\.\d+)+")
KEY_SHAPE = re.compile(r"^(.+)-(\d{4})-([^-]+)-[0-9a-f]{6}(?:~\d+)?$")


def normal_text(text) -> str:
    """Text as compared for identity: NFKC, no spacing or punctuation, case-folded."""
    return _normal(str(text or ""))


@functools.lru_cache(maxsize=8192)  # every district's sheet repeats the city plan's requirements
def _normal(text: str) -> str:
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text)).casefold()


def task_key(district: str | None, year: int | None, task: "Task") -> str:
    text = normal_text(task.requirement) or normal_text(f"{task.section}{task.subsection}{task.units_text}")
    if task.reported_by:   # a row of a form's export is one unit's report on the task
        text += "|" + normal_text(task.reported_by)
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:6]
    if isinstance(task.seq, int):
        seq = f"{task.seq:03d}"
    elif isinstance(task.seq, str) and _DOTTED.fullmatch(task.seq):
        seq = task.seq   # 1.1, 1.1.2: the number as written
    else:
        seq = f"r{task.row}"
    return f"{district or 'X'}-{year or '0000'}-{seq}-{digest}"


def key_year(key) -> int | None:
    """The plan year a key names, or None for text that is no task key."""
    m = KEY_SHAPE.match(str(key or ""))
    return int(m.group(2)) if m else None


def plan_year(key, sheet_year: int | None) -> int | None:
    """The plan year a task belongs to: the one its key names (a row of a combined sheet,
    a master, names its own), else its sheet's."""
    return key_year(key) or sheet_year
