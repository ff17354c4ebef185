"""What a task sheet holds, once read: plain data, no I/O."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from xltools.rules.deadlines import Deadline
from xltools.findings import Finding


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


@dataclass
class Task:
    row: int                                   # Excel row (1-based) where the task starts
    seq: int | str | None = None
    section: str | None = None
    subsection: str | None = None
    requirement: str | None = None
    units_raw: str | None = None
    lead_units: tuple[str, ...] = ()
    support_units: tuple[str, ...] = ()
    deadline_raw: str | None = None
    deadline: Deadline | None = None
    due_written: dt.date | None = None          # a 截止日期 column beside the phrase (our own workbooks)
    status: str | None = None
    progress: str | None = None
    done_date: dt.date | str | None = None      # tracking copies: when it was completed
    key: str | None = None                      # stable task key carried by our own workbooks
    district: str | None = None                 # a 区县 column of a combined sheet (else the sheet's)
    leader: str | None = None                   # 责任领导 of a 督查 ledger
    rows: list[int] = field(default_factory=list)       # every Excel row joined into this task
    cells: dict[str, str] = field(default_factory=dict)  # column key → A1 of its first cell

    @property
    def due(self) -> dt.date | None:
        return self.deadline.due if self.deadline else None

    @property
    def is_empty(self) -> bool:
        # Task levels are carried down from rows above, so they do not make a row a task.
        return not any((self.requirement, self.units_raw, self.deadline_raw, self.lead_units, self.support_units))

    def to_dict(self) -> dict:
        return {"row": self.row, "seq": self.seq, "section": self.section, "subsection": self.subsection,
                "requirement": self.requirement, "units_raw": self.units_raw,
                "lead_units": list(self.lead_units), "support_units": list(self.support_units),
                "deadline_raw": self.deadline_raw,
                "deadline_kind": self.deadline.kind.value if self.deadline else None,
                "due": self.due.isoformat() if self.due else None,
                "ongoing": bool(self.deadline and self.deadline.ongoing),
                "status": self.status, "progress": self.progress,
                "done_date": self.done_date.isoformat() if isinstance(self.done_date, dt.date) else self.done_date,
                "key": self.key, "district": self.district, "leader": self.leader}


@dataclass
class TaskSheet:
    file: Path
    sheet: str
    district: str | None = None
    year: int | None = None
    issued: dt.date | None = None
    header_row: int | None = None              # Excel row of the header (None for text plans)
    columns: dict[str, str] = field(default_factory=dict)  # column key → letter
    tasks: list[Task] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # what reading noticed
    layout: str = "table"                      # "table", or "text" for inline [责任单位：…] plans

    def to_dict(self) -> dict:
        return {"sheet": self.sheet, "layout": self.layout, "district": self.district, "year": self.year,
                "issued": self.issued.isoformat() if self.issued else None,
                "header_row": self.header_row, "columns": self.columns,
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
