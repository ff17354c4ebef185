"""A date cell as the sheet shows it: its number format applied (yyyy"年"m"月"d"日" →
2026年11月30日), for the columns that keep a district's wording (完成时限).  Only what a
date format of a Chinese office's sheet holds: year, month, day, literal text; anything
else (times, weekdays, month names, Chinese numerals) gives None and the reader keeps the
date in ISO form.
"""
from __future__ import annotations

import datetime as dt
import re

# Formats whose code the file does not hold: Excel draws them from the locale.  As a
# Chinese (zh-CN) Excel or WPS shows them, the dates among them (ECMA-376 18.8.30).
_LOCALE_DATES = {14: "yyyy/m/d", 27: 'yyyy"年"m"月"', 28: 'm"月"d"日"', 29: 'm"月"d"日"', 30: "m-d-yy",
                 31: 'yyyy"年"m"月"d"日"', 36: 'yyyy"年"m"月"', 50: 'yyyy"年"m"月"', 51: 'm"月"d"日"',
                 52: 'yyyy"年"m"月"', 53: 'm"月"d"日"', 54: 'm"月"d"日"', 57: 'yyyy"年"m"月"', 58: 'm"月"d"日"'}

_TOKEN = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|[yY]+|[mM]+|[dD]+|[eE]|[hHsS]+|[aA][mM]/[pP][mM]|[aA]/[pP]|'
                    r"_.|\*.|[@0#?.,%]|.", re.S)


def format_code(code: str | None, builtin_id: int | None = None) -> str | None:
    """The format a cell shows: a locale's built-in date by its id, else the code."""
    return _LOCALE_DATES.get(builtin_id) if builtin_id in _LOCALE_DATES else code


def date_shown(day: dt.date, code: str | None) -> str | None:
    """`day` as a cell of number format `code` shows it, or None when the code is no
    plain date format (General, text, a number, a time, a weekday …)."""
    if not code or code.strip().lower() in ("general", "@"):
        return None
    out = []
    for token in _TOKEN.findall(_first_section(code)):
        low = token.lower()
        if token.startswith('"'):
            out.append(token[1:-1])
        elif token.startswith("\\"):
            out.append(token[1])
        elif token.startswith("["):
            if not token.startswith("[$"):      # [Red], [DBNum1] (Chinese numerals), [h] …
                return None
            out.append(token[2:-1].split("-")[0])   # [$-804]: a locale, nothing shown; [$元-804]: 元
        elif low[0] == "y" or low == "e":
            out.append(f"{day.year % 100:02d}" if len(low) <= 2 and low != "e" else str(day.year))
        elif low[0] == "m":
            if len(low) > 2:
                return None                    # mmm: a month's name
            out.append(f"{day.month:02d}" if len(low) == 2 else str(day.month))
        elif low[0] == "d":
            if len(low) > 2:
                return None                    # ddd: a weekday
            out.append(f"{day.day:02d}" if len(low) == 2 else str(day.day))
        elif low[0] in "hs" or "/" in low and low[0] == "a" or token in "@0#?%" or token[0] in "_*":
            return None                        # a time, a number or text format: no date
        else:
            out.append(token)
    text = "".join(out).strip()
    return text if any(ch.isdigit() for ch in text) else None


def _first_section(code: str) -> str:
    """The part of a code for positive numbers (a date): up to its first ; outside quotes."""
    quoted = False
    for i, ch in enumerate(code):
        if ch == '"':
            quoted = not quoted
        elif ch == ";" and not quoted:
            return code[:i]
    return code
