"""Plain text tables for the terminal, with CJK characters counted double-width."""
from __future__ import annotations

import unicodedata


def fitted(values, least: int, most: int) -> int:
    """A column's width for its values (a field's name in English is longer than in
    Chinese): the widest, between `least` and `most`."""
    return max(least, min(most, max((_width(str(v)) for v in values), default=0)))


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _fit(value, width: int) -> str:
    s = str(value).replace("\n", " ")
    out, used = "", 0
    for ch in s:
        w = _width(ch)
        if used + w > width:
            out = out[:-1] + "…" if out else ""
            used = _width(out)
            break
        out, used = out + ch, used + w
    return out + " " * (width - used)


def text_table(headers, rows, widths) -> str:
    lines = ["  ".join(_fit(h, w) for h, w in zip(headers, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_fit(v, w) for v, w in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(lines)
