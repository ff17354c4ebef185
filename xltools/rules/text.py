"""Rules about the text of a cell that checks, readers and writers share: what a
spreadsheet program would take for a formula, what says "the same as the row above",
and how tall wrapped text makes a row."""
from __future__ import annotations

import functools
import math
import re
from typing import Any

# What Excel, LibreOffice and WPS start a formula with (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@")
MAX_ROW_HEIGHT = 409           # points: Excel's tallest row
LINE_HEIGHT = 15               # points per wrapped line of 11-point text


def looks_like_formula(value: Any) -> bool:
    """Text a spreadsheet would run as a formula: our writers keep it text, our checks say so."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


# "The same as the row above", written instead of repeating a cell: 同上, 同 上, 同上。, 同前, 如上
_SAME_AS_ABOVE = re.compile(r"(?:同上|同前|如上)[。．.，,；;！!]*")
_QUOTES = "\"“”'‘’"


def is_same_as_above(value: Any) -> bool:
    """Does a cell say only "the same as the row above" (同上 and its forms)?  The reader
    takes the value of the row above for it; the cell stays as written."""
    if value.__class__ is not str or len(value) > 12:
        return False
    return bool(_SAME_AS_ABOVE.fullmatch("".join(value.split()).strip(_QUOTES)))


def text_width(text: str) -> float:
    """Width in Excel column units: a CJK or full-width character is about two digits
    wide.  UTF-8 spends 3 bytes on those and 1 on ASCII: (bytes + characters) / 2 gives
    2 and 1, counted in C rather than character by character."""
    return len(text) if text.isascii() else (len(text.encode("utf-8", "surrogatepass")) + len(text)) / 2


def wrapped_lines(value: Any, width: float) -> int:
    """Lines a value takes wrapped in a column `width` units wide (anything but text: 1)."""
    usable = max(width - 1, 1)
    if value.__class__ is not str or (len(value) * 2 <= usable and "\n" not in value):
        return 1   # no longer than half the width in characters: one line whatever they are
    return _lines(value, usable)


@functools.lru_cache(maxsize=65536)   # the same requirements and unit lists on many rows
def _lines(text: str, usable: float) -> int:
    return sum(max(1, math.ceil(text_width(part) / usable)) for part in text.split("\n"))


def row_height(lines: int) -> float:
    """Points a row needs for `lines` wrapped lines."""
    return min(MAX_ROW_HEIGHT, LINE_HEIGHT * lines + 3)


def clear_caches() -> None:
    """Forget cached line counts (a long-lived process, such as Excel's Python, calls it
    after a write)."""
    _lines.cache_clear()
