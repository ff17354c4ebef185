"""Plan year, district and issue date, read from title rows, notice text and file names."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_ISSUED = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*印\s*发")
_DATE_LINE = re.compile(r"^((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_TITLE_WORDS = ("任务", "要点", "分解", "分工", "台账", "计划", "清单", "方案", "通知")
# "济南市天桥区…" → 天桥区; the city prefix is dropped, a 2–4 character name before 区/县 kept.
_DISTRICT = re.compile(r"(?:^|市|年)([\u4e00-\u9fff]{2,4}?(?:区|县|旗))(?=人民政府|政务|政府|20|\d|[\u4e00-\u9fff]|$)")
_NOT_DISTRICT = ("政府", "街道", "社区", "园区", "片区", "专区", "辖区", "全区", "本区", "各区", "我区", "小区")
_CITY_AREAS = ("城区", "主城区", "老城区", "新城区", "中心城区")  # but 历城区 and 钢城区 are districts


@dataclass(frozen=True)
class PlanContext:
    district: str | None = None
    year: int | None = None
    issued: dt.date | None = None

    def overlay(self, other: "PlanContext") -> "PlanContext":
        """Fill what this context lacks from another (less trusted) one."""
        return PlanContext(self.district or other.district, self.year or other.year,
                           self.issued or other.issued)


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text)).replace("\u3000", " ").strip()


def find_district(text: str) -> str | None:
    text = re.sub(r"\s+", "", _clean(text))
    for m in _DISTRICT.finditer(text):
        name = m.group(1)
        if name not in _CITY_AREAS and not any(name.endswith(bad) for bad in _NOT_DISTRICT):
            return name
    return None


def find_issued(lines: list[str]) -> dt.date | None:
    for line in lines:
        m = _ISSUED.search(_clean(line))
        if m:
            return _date(m)
    for line in lines:  # the date line under the issuing office in a notice
        m = _DATE_LINE.match(re.sub(r"\s+", "", _clean(line)))
        if m:
            return _date(m)
    return None


def _date(m: re.Match) -> dt.date | None:
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def context_from_lines(lines: list[str]) -> PlanContext:
    """Context from a few lines of text: titles first, then any line."""
    lines = [_clean(x) for x in lines if x and str(x).strip()]
    titles = [x for x in lines if any(w in x for w in _TITLE_WORDS) and len(x) < 80]
    year = district = None
    for line in titles + lines:
        if year is None and (m := _YEAR.search(line)):
            year = int(m.group(1))
        if district is None and len(line) < 80:
            district = find_district(line)
    return PlanContext(district, year, find_issued(lines))


def context_from_filename(name: str) -> PlanContext:
    ctx = context_from_lines([name])
    if ctx.year is None and (m := re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", name)):
        ctx = PlanContext(ctx.district, int(m.group(1)), None)
    return PlanContext(ctx.district, ctx.year, None)
