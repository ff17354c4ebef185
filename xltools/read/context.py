"""Plan year, district and issue date, read from title rows, notice text and file names."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from xltools.findings import Finding
from xltools.rules import divisions
from xltools.rules.divisions import Found

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
# What counts as an issue-date line (印发日期), here only: a line that says so (…2024年6月25日印发,
# 发文日期：2024年6月25日), or a line that is only a date (the date under the issuing office of a
# notice, or under a plan's title).  Only the lines around a task table are looked at: its
# titles, its footer, a notice sheet; a task's cell 2026年9月30日 is a deadline (see issued_in).
_YMD = r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
_ISSUED = re.compile(_YMD + r"\s*印\s*发")
_ISSUED_LABEL = re.compile(r"(?:发\s*文|印\s*发|成\s*文)\s*(?:日\s*期|时\s*间)\s*[:：]?\s*"
                           r"(?:" + _YMD + r"|((?:19|20)\d{2})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})(?!\d))")
_DATE_LINE = re.compile("^" + _YMD + "$")
_TITLE_WORDS = ("任务", "要点", "分解", "分工", "台账", "计划", "清单", "方案", "通知")


@dataclass(frozen=True)
class PlanContext:
    district: str | None = None
    year: int | None = None
    issued: dt.date | None = None
    found: Found | None = None      # how the district was found (national list, its city)
    titled: bool = True             # the district was named by a title, a sheet or file name, not a task's text
    year_titled: bool = True        # the year too (not only a task's deadline, 2025—2026年, named it)

    def overlay(self, other: "PlanContext") -> "PlanContext":
        """Fill what this context lacks from another (less trusted) one.  A place a title
        names wins over one only a task's text names (济南市生态环境局天桥分局 in a cell);
        so does a year (a title's or file name's 2025 over a task's 2025—2026年)."""
        year, year_titled = self.year, self.year_titled
        if other.year is not None and (year is None or not year_titled and other.year_titled):
            year, year_titled = other.year, other.year_titled
        issued = self.issued or other.issued
        if self.district and not self.titled and other.titled and other.district:
            return PlanContext(other.district, year, issued, other.found, True, year_titled)
        if self.district:
            found = self.found
            if found is not None and found.ambiguous and other.found and other.found.name == found.name:
                found = other.found if not other.found.ambiguous else found
            return PlanContext(self.district, year, issued, found, self.titled, year_titled)
        return PlanContext(other.district, year, issued, other.found, other.titled, year_titled)

    def findings(self, file, sheet: str) -> list[Finding]:
        """Notes on the district: not in the national list, or a name several cities have."""
        f = self.found
        if not self.district or f is None:
            return []
        if not f.listed:
            return [Finding("district-unlisted", str(file), sheet, None, self.district,
                            {"district": self.district})]
        if f.ambiguous:
            return [Finding("district-ambiguous", str(file), sheet, None, self.district,
                            {"district": self.district, "cities": "、".join(d.city for d in f.others)})]
        return []


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text)).replace("\u3000", " ").strip()


def find_district(text: str) -> str | None:
    found = divisions.find_district(text)
    return found.place if found else None


def states_issue(text: str) -> bool:
    """Does a line say the plan's issue date (…印发, 发文日期：…)?  A footer line, not a task."""
    text = _clean(text)
    return bool(_ISSUED.search(text) or _ISSUED_LABEL.search(text))


def issued_in(rows) -> dt.date | None:
    """The issue date stated by lines around a task table: its title rows, its footer rows, a
    notice sheet (each row a list of cells, or a line of text).  A line saying so first
    (…印发, 发文日期：…), else a row holding nothing but a date (the date under the issuing
    office, or under the title).  Never pass the table's own rows: a task's deadline cell
    holds dates too."""
    rows = [[row] if isinstance(row, (str, dt.date)) else [v for v in row if v not in (None, "")
                                                           and (not isinstance(v, str) or v.strip())]
            for row in rows]
    for row in rows:
        for v in row:
            if isinstance(v, str) and (m := _ISSUED.search(_clean(v)) or _ISSUED_LABEL.search(_clean(v))):
                return _date(m)
    for row in rows:    # the date line: alone in its row
        if len(row) != 1:
            continue
        v = row[0]
        if isinstance(v, dt.date):
            return v.date() if isinstance(v, dt.datetime) else v
        if isinstance(v, str) and (m := _DATE_LINE.match(re.sub(r"\s+", "", _clean(v)))):
            return _date(m)
    return None


def _date(m: re.Match) -> dt.date | None:
    y, mo, d = (g for g in m.groups() if g is not None)
    try:
        return dt.date(int(y), int(mo), int(d))
    except ValueError:
        return None


def context_from_lines(lines: list[str]) -> PlanContext:
    """District and year from a few lines of text: titles first, then any line.  No issue
    date: which lines may state one depends on where they stand (see issued_in)."""
    lines = [_clean(x) for x in lines if x and str(x).strip()]
    titles = [x for x in lines if any(w in x for w in _TITLE_WORDS) and len(x) < 80]
    year = found = None
    titled = True
    for line in titles + lines:
        if year is None and (m := _YEAR.search(line)):
            year, year_titled = int(m.group(1)), line in titles
        if found is None and len(line) < 80:
            # a city or province only from a title or a line that is its name (a sheet's)
            found = divisions.find_district(line, upper=line in titles or len(line) <= 12)
            titled = line in titles or found is not None and re.sub(r"\s+", "", line) == found.place
            # a city, a province or a township is the plan's place when a title (or a sheet
            # or file named after it) says so, not because a task names 济南市生态环境局
            if found is not None and found.tier != "county" and line not in titles \
                    and re.sub(r"\s+", "", line) != found.place:
                found = None if found.tier in ("city", "province") else dataclasses.replace(
                    found, tier="county", township=None)
    if found is None:   # a township's or a village's plan titled without its county (天荒坪镇2026年…)
        found = next((divisions.Found("", None, True, (), "township", alone) for line in titles + lines
                      for alone in [divisions.township_alone(line)]
                      if alone and (line in titles or re.sub(r"\s+", "", line) == alone)), None)
    if found is not None and found.ambiguous:   # the city may be written on another line
        city = next((c for line in lines for c in [divisions.city_in(line)] if c), None)
        if city:
            again = divisions.find_district(found.name + (found.township or ""), city)
            found = again if again is not None else found
    return PlanContext(found.place if found else None, year, None, found, titled,
                       year is None or year_titled)


def context_from_filename(name: str) -> PlanContext:
    ctx = context_from_lines([name])
    year = ctx.year
    if year is None and (m := re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", name)):
        year = int(m.group(1))
    return PlanContext(ctx.district, year, None, ctx.found, True)   # a file is named after its plan


def title_from_lines(lines: list[str]) -> str | None:
    """A plan's own title among its first lines: a short line with a year and a title
    word (2024年天桥区政务公开重点工作任务分工), or None."""
    for line in lines:
        text = re.sub(r"\s+", "", _clean(line))
        if len(text) < 80 and _YEAR.search(text) and any(w in text for w in _TITLE_WORDS):
            return text
    return None
