"""Plans written as text: "（一）标题。要求……[责任单位：…]" paragraphs (seed 003).

Text files and .docx arrive as a one-column grid (see `textfile`); when the table
parser finds no header, this module reads the inline "[责任单位：…]" items.
"""
from __future__ import annotations

import re

from xltools.read.context import PlanContext, context_from_lines, issued_in
from xltools.findings import Finding
from xltools.read.grid import Grid
from xltools.model import ParsedTask, TaskSheet, a1

_UNIT_WORDS = r"(?:责任单位|责任部门|牵头单位|承办单位)\s*[:：]\s*"
# [责任单位：…] may hold round brackets (各街道（镇）); （责任单位：…） may hold one level of them.
_UNITS = re.compile(rf"[\[【［]\s*{_UNIT_WORDS}([^\]】］]+)[\]】］]"
                    rf"|[（(]\s*{_UNIT_WORDS}((?:[^（）()]|[（(][^（）()]*[）)])+)[）)]")
_DEADLINE = re.compile(r"[\[【［(（]\s*(?:完成时限|完成时间|时间节点)\s*[:：]\s*([^\]】］)）]+)[\]】］)）]")
_SECTION = re.compile(r"^[一二三四五六七八九十]+、")
_SUBSECTION = re.compile(r"^[（(][一二三四五六七八九十]+[)）]")


def parse_text_plan(grid: Grid, given: PlanContext, fallback: PlanContext) -> TaskSheet | None:
    """Tasks from inline unit markers, or None when the text has none (no task table)."""
    lines = [(r, str(row[0]).strip()) for r, row in enumerate(grid.rows)
             if row and isinstance(row[0], str) and row[0].strip()]
    if not any(_UNITS.search(text) for _, text in lines):
        return None
    ctx = given.overlay(context_from_lines([text for _, text in lines[:40]])).overlay(fallback)
    # a text plan is the notice itself: its lines may state the issue date (tasks hold no date line)
    issued = issued_in([text for _, text in lines[:40]]) or ctx.issued
    sheet = TaskSheet(grid.source, grid.sheet, ctx.district, ctx.year, issued, layout="text")
    sheet.findings.extend(ctx.findings(grid.source, grid.sheet))
    section = subsection = None
    for r, text in lines:
        if _SECTION.match(text) and len(text) < 60:
            section = text
            continue
        if not _UNITS.search(text):
            continue
        start = 0
        for m in _UNITS.finditer(text):
            body = text[start:m.start()].strip()
            start = m.end()
            title = _SUBSECTION.match(body)
            if title:
                head, _, rest = body.partition("。")
                subsection, body = head, rest.strip()
            deadline = _DEADLINE.search(body)
            task = ParsedTask(row=r + 1, seq=len(sheet.parsed) + 1, section=section, subsection=subsection,
                        requirement=_DEADLINE.sub("", body).strip() or None,
                        units_text=(m.group(1) or m.group(2)).strip(),
                        deadline_cell=deadline.group(1).strip() if deadline else None, rows=[r + 1])
            task.cells = {k: a1(r, 0) for k in ("requirement", "units", "deadline")}
            sheet.parsed.append(task)
    if not sheet.parsed:
        return None
    sheet.findings.append(Finding("text-plan", str(grid.source), grid.sheet, None, None,
                                  {"tasks": len(sheet.parsed)}))
    return sheet
