"""Writing one cell safely: the rule every writer of ours follows.

openpyxl stores any str starting with "=" as a formula.  Text from district files is
data: a cell holding =HYPERLINK(…) or =cmd|… must stay inert text (formula / CSV
injection), and the quote prefix keeps it text even when a clerk edits the cell later.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_START = ("=", "+", "-", "@")
MAX_CELL = 32767                       # Excel's limit on the text of one cell
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"


def clean_text(value: str) -> str:
    """Text Excel can store: no control characters, at most 32,767 characters."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL]


def looks_like_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def put(ws, row: int, col: int, value: Any):
    """Write a value; strings always as text, dates with a date format."""
    cell = ws.cell(row, col)
    if isinstance(value, str):
        cell.value = clean_text(value)
        if looks_like_formula(cell.value):
            cell.data_type = "s"
            cell.quotePrefix = True
    else:
        cell.value = value
        if isinstance(value, dt.datetime):
            cell.number_format = DATETIME_FORMAT
        elif isinstance(value, dt.date):
            cell.number_format = DATE_FORMAT
    return cell
