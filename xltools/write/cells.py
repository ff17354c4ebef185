"""Writing one cell safely: the rule every writer of ours follows.

openpyxl stores any str starting with "=" as a formula.  Text from district files is
data: a cell holding =HYPERLINK(…) or =cmd|… must stay inert text (formula / CSV
injection), and the quote prefix keeps it text even when a clerk edits the cell later.

Text must also be text XML can hold: U+FFFE, U+FFFF, lone surrogates and most control
characters make the sheet XML invalid (openpyxl refuses the file, LibreOffice stops
reading at that cell), and Excel keeps at most 32,767 UTF-16 units in a cell.  Every
string of every output passes `clean_text`; `text_fix` says what it changed, so the
caller can record a finding naming the cell.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from xltools.rules.text import looks_like_formula
from xltools.rules.warning import RowColour

MAX_CELL = 32767                       # Excel's limit on the text of one cell, in UTF-16 units
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"

# What XML 1.0 forbids (tab, LF, CR allowed); vertical tab and form feed (Word's line and
# page breaks) become line breaks, the rest is removed.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_AS_NEWLINE = {"\x0b": "\n", "\x0c": "\n"}


@dataclass(frozen=True)
class TextFix:
    """What `clean_text` changed in one string."""
    removed: tuple[str, ...] = ()      # the characters replaced or removed, as U+XXXX, each once
    units: int = 0                     # UTF-16 length of the original when it was cut, else 0

    @property
    def cut(self) -> bool:
        return self.units > MAX_CELL


def utf16_len(text: str) -> int:
    """Length as Excel counts it: a character outside the BMP (Ext-B 𠀀…) counts twice."""
    return len(text) if text.isascii() else len(text.encode("utf-16-le", "surrogatepass")) // 2


def text_fix(value: str) -> tuple[str, TextFix | None]:
    """The text an output may hold, and what was changed (None: nothing)."""
    removed: tuple[str, ...] = ()
    if _XML_ILLEGAL.search(value):
        removed = tuple(dict.fromkeys(f"U+{ord(ch):04X}" for ch in _XML_ILLEGAL.findall(value)))
        value = _XML_ILLEGAL.sub(lambda m: _AS_NEWLINE.get(m.group(), ""), value)
    units = 0
    if len(value) > MAX_CELL // 2 and (n := utf16_len(value)) > MAX_CELL:
        units = n
        # cut by UTF-16 units; "ignore" drops half of a pair split at the end
        value = value.encode("utf-16-le")[:2 * MAX_CELL].decode("utf-16-le", "ignore")
    if not removed and not units:
        return value, None
    return value, TextFix(removed, units)


def needs_fix(value: str) -> bool:
    """Whether `text_fix` could change the text: False is certain (checked in C).  Several
    cells joined may be asked at once: none of them needs a fix when the whole does not."""
    return len(value) > MAX_CELL // 2 or _XML_ILLEGAL.search(value) is not None


def clean_text(value: str) -> str:
    """Text Excel can store: no XML-illegal characters, at most 32,767 UTF-16 units."""
    return text_fix(value)[0] if needs_fix(value) else value  # the common case, checked in C


def split_text(value: str, size: int = MAX_CELL) -> list[str]:
    """Cleaned text in pieces of at most `size` UTF-16 units: over-long text kept whole
    over several cells (问题清单)."""
    raw = _XML_ILLEGAL.sub(lambda m: _AS_NEWLINE.get(m.group(), ""), value).encode("utf-16-le")
    pieces, at = [], 0
    while at < len(raw):
        end = min(at + 2 * size, len(raw))
        if end < len(raw) and 0xD8 <= raw[end - 1] <= 0xDB:  # do not split a surrogate pair
            end -= 2
        pieces.append(raw[at:end].decode("utf-16-le"))
        at = end
    return pieces


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


def formula_rule(colour: RowColour):
    """openpyxl's form of one row colour of the 预警 rule (imported here: the master's own
    package writer uses this module without openpyxl)."""
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Font, PatternFill

    fill = PatternFill(fill_type="solid", start_color=colour.fill, end_color=colour.fill, bgColor=colour.fill)
    return FormulaRule(formula=[colour.formula], stopIfTrue=True, fill=fill,
                       font=Font(color=colour.font) if colour.font else None)
