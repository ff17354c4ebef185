"""What a task sheet holds, stage by stage: plain data, no I/O.

A row of a sheet is read into a `ParsedTask` (the texts as written, with their cells),
then finished into a `Task` (units named and resolved, the deadline parsed).  Each
dataclass's annotations hold for every instance: the reader turns numbers in text
columns into text and Excel date cells into dates before a task is made.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from xltools import schema
from xltools.findings import Finding
from xltools.rules.deadlines import Deadline
from xltools.rules.numbering import heading_title

CN_DIGITS = "〇零一二三四五六七八九十百"   # a Chinese number's characters: a bare 一 is set apart from its title
from xltools.rules.units import UnitName
from xltools.texts import t


LEVEL_SEP = " ／ "   # between heading levels in one 具体任务 cell


def col_letter(c: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA)."""
    s = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        s = chr(65 + rem) + s
    return s


def a1(r: int, c: int) -> str:
    """0-based row/column → A1 reference as Excel shows it."""
    return f"{col_letter(c)}{r + 1}"


@dataclass(slots=True)
class ParsedTask:
    """One task as the sheet wrote it: every text as written (trimmed), nothing resolved."""
    row: int                                   # Excel row (1-based) where the task starts
    seq: int | str | None = None
    section: str | None = None
    subsection: str | None = None
    requirement: str | None = None
    units_text: str | None = None              # one 责任单位 column (or a text plan's [责任单位：…])
    lead_text: str | None = None               # 牵头单位, when the sheet has a column of its own for it
    support_text: str | None = None            # 配合单位, likewise
    deadline_cell: str | dt.date | None = None  # the phrase as written, or a real Excel date
    deadline_shown: str | None = None          # a date cell as the sheet shows it (its number format)
    due_written: dt.date | None = None         # a 截止日期 column beside the phrase (our own workbooks)
    status: str | None = None
    progress: str | None = None
    done_date: dt.date | str | None = None     # tracking copies: when it was completed
    key: str | None = None                     # stable task key carried by our own workbooks
    district: str | None = None                # a 区县 column of a combined sheet (else the sheet's)
    leader: str | None = None                  # 责任领导 of a 督查 ledger
    rows: list[int] = field(default_factory=list)        # every Excel row joined into this task
    cells: dict[str, str] = field(default_factory=dict)  # column key → A1 of its first cell
    # a row of an online form's export is one unit's report: the unit as it answered
    # (填写单位, also read as the task's unit), when and by whom (a person) it was submitted
    reported_by: str | None = None
    reported_at: dt.date | None = None         # 提交时间 (a datetime when the service gives the time)
    submitter: str | None = None
    # a ledger's only text column (工作事项, read as 工作任务) holds the task's own text on
    # its row: that text makes the row a task, though task levels are otherwise carried down
    titled: bool = False
    # the district's own columns the reader has no field for (报送对象 …): header → value,
    # carried to the master as columns of their own (what a district wrote stays written)
    extra: dict[str, str] = field(default_factory=dict)
    # the 序号 as written where it is no plain number (一、 （一） ① 第一条): the master shows it
    # so; `seq` (1) stays the number the keys, checks and sorting use
    seq_written: str | None = None
    # the heading levels between 工作任务 and 具体任务, highest first, in a plan of three or
    # more (一、 / （一） / 1. over the tasks): see Task.sub_levels
    headings: tuple[str, ...] = ()
    # the number of each heading level above the task that its heading row wrote apart from
    # its title, in the 序号 column (一、 | 推进…): title → number as written; the levels keep
    # their titles (a master shows titles), new-plan writes them numbered (see Task.numbered)
    heading_numbers: dict[str, str] = field(default_factory=dict)
    deadline_format: str | None = None         # a date cell's number format (its look, for new-plan)

    @property
    def deadline_raw(self) -> str | None:
        """The deadline as written, an Excel date as ISO text (as a `Task` keeps it)."""
        raw = self.deadline_cell
        return raw.isoformat() if isinstance(raw, dt.date) else raw

    @property
    def is_empty(self) -> bool:
        # Task levels are carried down from rows above, so they do not make a row a task.
        return not (self.titled or any((self.requirement, self.units_text, self.lead_text, self.support_text,
                                        self.deadline_cell)))


@dataclass(slots=True)
class Task:
    """A finished task: units named (as written, with the registry entry each names) and
    the deadline parsed.  Lists stay lists until a writer renders them."""
    row: int
    seq: int | str | None = None
    section: str | None = None
    subsection: str | None = None
    requirement: str | None = None
    units_text: str | None = None              # every unit text of the row, as written (task key, learn)
    lead_units: tuple[UnitName, ...] = ()
    support_units: tuple[UnitName, ...] = ()
    deadline_raw: str | None = None            # the phrase as written (an Excel date as ISO text)
    deadline: Deadline | None = None
    due_written: dt.date | None = None
    status: str | None = None
    progress: str | None = None
    done_date: dt.date | str | None = None
    key: str | None = None
    district: str | None = None
    leader: str | None = None
    rows: list[int] = field(default_factory=list)
    cells: dict[str, str] = field(default_factory=dict)
    reported_by: str | None = None             # an online form's report: see ParsedTask
    reported_at: dt.date | None = None
    submitter: str | None = None
    titled: bool = False                       # see ParsedTask
    extra: dict[str, str] = field(default_factory=dict)   # see ParsedTask
    seq_written: str | None = None                        # see ParsedTask
    headings: tuple[str, ...] = ()                        # see ParsedTask
    # remarks written in the units cells that name no unit (下同, 不再做分工): not units,
    # but the district's words, shown in the master's cell after the units
    lead_notes: tuple[str, ...] = ()
    support_notes: tuple[str, ...] = ()
    deadline_shown: str | None = None          # see ParsedTask
    heading_numbers: dict[str, str] = field(default_factory=dict)   # see ParsedTask
    deadline_format: str | None = None                              # see ParsedTask

    def numbered(self, level: str | None) -> str | None:
        """A heading level as the plan wrote it: with the number its heading row held in the
        序号 column (一、 + 推进… → 一、推进…; 1 + 重点… → 1 重点…, a space after a bare number);
        else as it is."""
        number = self.heading_numbers.get(level) if level else None
        if not number:
            return level
        return number + (" " if number[-1].isdigit() or number[-1] in CN_DIGITS else "") + level

    @property
    def section_written(self) -> str | None:
        """工作任务 as the plan wrote it, its number included (new-plan)."""
        return self.numbered(self.section)

    @property
    def sub_levels_written(self) -> str | None:
        """具体任务 as `sub_levels`, each level with its number as the plan wrote it."""
        return LEVEL_SEP.join(self.numbered(x) for x in (*self.headings, self.subsection) if x) or None

    @property
    def deadline_text(self) -> str | None:
        """The deadline in the district's wording (a master's 完成时限): a date cell as the
        sheet shows it (2026年11月30日), else the phrase as written."""
        return self.deadline_shown or self.deadline_raw

    @property
    def sub_levels(self) -> str | None:
        """具体任务 as the master, the returns and the reports show it: every heading level
        below 工作任务 down to the sub-section, joined by LEVEL_SEP ("（一）加强… ／ 1. 完善…"),
        so no level of a plan of three or four is lost.  `subsection` alone stays the
        deepest level (the task key is made of it)."""
        return LEVEL_SEP.join(x for x in (*self.headings, self.subsection) if x) or None

    @property
    def section_title(self) -> str | None:
        """工作任务 as a master shows it, the same for every district: the heading's title
        without its number and count (一、夯实数字底座 → 夯实数字底座, 数字经济（共3项） →
        数字经济; numbering.heading_title).  `section` stays as written (inspect, new-plan).
        The text of a task without a requirement (a ledger's one text column) is its own
        words, not a heading: kept as written."""
        return self.section if self._own_text() == "section" else heading_title(self.section)

    @property
    def sub_titles(self) -> str | None:
        """具体任务 as a master shows it: `sub_levels` with each heading level's title (see
        section_title); a task's own text, the deepest level of one without a requirement,
        as written."""
        levels = [part for x in (*self.headings, self.subsection) if x for part in x.split(LEVEL_SEP)]
        own = self._own_text() == "subsection"
        return LEVEL_SEP.join(x if own and i == len(levels) - 1 else heading_title(x)
                              for i, x in enumerate(levels)) or None

    def _own_text(self) -> str | None:
        """The level that holds the task's own text: the deepest written, when the task has
        no requirement (a ledger's 工作事项); None when every level is a heading."""
        if self.requirement:
            return None
        return "subsection" if self.subsection else "section" if self.section else None

    @property
    def due(self) -> dt.date | None:
        return self.deadline.due if self.deadline else None

    @property
    def is_empty(self) -> bool:
        return not (self.titled or any((self.requirement, self.units_text, self.deadline_raw, self.lead_units,
                                        self.support_units)))

    @property
    def lead_entries(self) -> tuple[str, ...]:
        """The lead units as counted and checked: the registry entry each names, else as written."""
        return tuple(u.counted for u in self.lead_units)

    @property
    def support_entries(self) -> tuple[str, ...]:
        return tuple(u.counted for u in self.support_units)

    @property
    def leads_written(self) -> tuple[str, ...]:
        return tuple(u.written for u in self.lead_units)

    @property
    def supports_written(self) -> tuple[str, ...]:
        return tuple(u.written for u in self.support_units)

    def to_dict(self) -> dict:
        return {"row": self.row, "seq": self.seq, "section": self.section, "subsection": self.sub_levels,
                "requirement": self.requirement, "units_raw": self.units_text,
                "lead_units": list(self.leads_written), "support_units": list(self.supports_written),
                "lead_entries": [u.entry for u in self.lead_units],
                "support_entries": [u.entry for u in self.support_units],
                "deadline_raw": self.deadline_raw,
                "deadline_kind": self.deadline.kind.value if self.deadline else None,
                "due": self.due.isoformat() if self.due else None,
                "ongoing": bool(self.deadline and self.deadline.ongoing),
                "stages": [d.isoformat() for d in self.deadline.stages] if self.deadline else [],
                "start": self.deadline.start.isoformat() if self.deadline and self.deadline.start else None,
                "status": self.status, "progress": self.progress,
                "done_date": self.done_date.isoformat() if isinstance(self.done_date, dt.date) else self.done_date,
                "key": self.key, "district": self.district, "leader": self.leader,
                "reported_by": self.reported_by, "submitter": self.submitter,
                "reported_at": self.reported_at.isoformat() if self.reported_at else None}


@dataclass(frozen=True)
class ColumnChoice:
    """Which column of a sheet the reader took for a field, and why: `reason` is
    "header" (the header is a word of the schema), "header-word" (it begins or ends with
    one), "combined" (one part of a combined header, 责任单位及完成时限), "moved" (read as
    another field because of the columns beside it: 责任单位 next to 牵头单位 holds the
    others), "content" (a unit header of no unit's word, 细化分工, over sentences: read as
    the requirement) or "given" (a clerk's --columns, or the mapping saved beside the file)."""
    field: str                 # schema column key
    letter: str                # A, B, … as Excel shows it
    header: str | None         # the header cell as written
    reason: str
    word: str | None = None    # the schema word matched; for "moved" the field it first meant

    def why(self, lang: str = "zh") -> str:
        """Why, in the user's words: 表头含常用写法“具体要求” …"""
        key = "column-reason-" + (self.reason if self.word or self.reason == "combined" else "no-word")
        return t(key, lang, word=self.word or "")

    def to_dict(self) -> dict:
        return {"field": self.field, "column": self.letter, "header": self.header, "reason": self.reason,
                "word": self.word}


@dataclass
class TaskSheet:
    file: Path
    sheet: str
    district: str | None = None
    year: int | None = None
    issued: dt.date | None = None
    header_row: int | None = None              # Excel row of the header (None for text plans)
    columns: dict[str, str] = field(default_factory=dict)  # column key → letter
    parsed: list[ParsedTask] = field(default_factory=list)  # while reading; `finish_tasks` empties it
    tasks: list[Task] = field(default_factory=list)         # finished
    findings: list[Finding] = field(default_factory=list)  # what reading noticed
    layout: str = "table"                      # "table", "text" for inline [责任单位：…] plans, "form" for
                                               # an online form's export (one unit's report per row)
    column_map: list[ColumnChoice] = field(default_factory=list)  # how each column was chosen, by column
    columns_given: str | None = None           # where a clerk's mapping came from: "--columns" or its file
    own_plan_of: str | None = None             # the zone or body whose own plan this is (not a government's):
                                               # its sections (办公室, 招商工作部) are no registry's bodies
    # the sheet's own columns no field is read from (报送对象, 责任人): letter → header as
    # written; kept beside each task as written and in the master as columns of their own
    own_columns: dict[str, str] = field(default_factory=dict)
    returned: bool = False                     # the 进展报送 of a return split wrote: its own columns are
                                               # the master's shown for reference, or the unit's; none collected

    def column_lines(self, lang: str = "zh") -> list[list[str]]:
        """The column map as inspect and the Excel 校验结果 show it: field, letter, header,
        why, for each column read as a field, then each of the sheet's own columns."""
        return ([[schema.READ_BY_KEY[c.field].header(lang), c.letter, c.header or "", c.why(lang)]
                 for c in self.column_map]
                + [[t(f"columns-{self._own_kind(header)}-field", lang), letter, header,
                    t(f"columns-{self._own_kind(header)}-why", lang)] for letter, header in self.own_columns.items()])

    def _own_kind(self, header: str) -> str:
        """own: a district's column, kept in the master; in a return, reference: a master's
        column split shows (备注（供参考）), return-own: one the unit added."""
        if not self.returned:
            return "own"
        shown = t("return-reference-column", "zh", header="")     # split's returns are Chinese
        return "reference" if header.endswith(shown) and header != shown else "return-own"

    def to_dict(self) -> dict:
        return {"sheet": self.sheet, "layout": self.layout, "district": self.district, "year": self.year,
                "issued": self.issued.isoformat() if self.issued else None,
                "header_row": self.header_row, "columns": self.columns,
                "column_map": [c.to_dict() for c in self.column_map], "columns_given": self.columns_given,
                "own_plan_of": self.own_plan_of, "own_columns": self.own_columns, "returned": self.returned,
                "tasks": [t.to_dict() for t in self.tasks]}


@dataclass
class PlanFile:
    file: Path
    sheets: list[TaskSheet] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)       # sheet names without a task table
    notes: list[Finding] = field(default_factory=list)

    @property
    def tasks(self) -> list[Task]:
        return [t for s in self.sheets for t in s.tasks]

    def to_dict(self) -> dict:
        return {"file": str(self.file), "sheets": [s.to_dict() for s in self.sheets],
                "skipped_sheets": self.skipped}
