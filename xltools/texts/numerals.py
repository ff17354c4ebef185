"""Numbers written in Chinese numerals (一, 十二, 一百零三), as every layer reads and says
them: the task numbers' reader (rules.numbering) and the English texts, which say 一 as 1."""
from __future__ import annotations

import re

CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}


def cn_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零三 → 103; None for anything else."""
    total, digit = 0, 0
    for ch in text:
        if ch in CN_DIGITS:
            if digit:   # 一二: two digits in a row is no number
                return None
            digit = CN_DIGITS[ch]
        elif ch in "十百":
            total += (digit or 1) * (10 if ch == "十" else 100)
            digit = 0
        else:
            return None
    return (total + digit) or None


# a task number in Chinese numerals: 一, 第一条, 第一项, （一）, (一), 一是
_NUMBERED = re.compile(r"^(?:第?(?P<n>[零〇一二两三四五六七八九十百]+)[条项]?|[（(](?P<p>[零〇一二两三四五六七八九十百]+)[)）]"
                       r"|(?P<is>[零〇一二两三四五六七八九十百]+)是)[、.．，,]?$")


def in_arabic(seq):
    """A task number as an English reader reads it: in Arabic numerals where it is written
    in Chinese ones (一 → 1, （二） → (2), 第三条 → 3, 十一 → 11, 一是 → (1)); any other as it is."""
    m = _NUMBERED.match(seq.strip()) if isinstance(seq, str) else None
    n = m and cn_number(m["n"] or m["p"] or m["is"])
    if not n:
        return seq
    return str(n) if m["n"] else f"({n})"
