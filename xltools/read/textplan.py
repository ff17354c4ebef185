"""Plans written as text: "（一）标题。要求……[责任单位：…]" paragraphs (seed 003).

Text files and .docx become a one-column grid (a line per row, a table row per row), so
the same parser sees them; when no table header is found, this module reads the inline
"[责任单位：…]" items.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from xltools.read.context import PlanContext, context_from_lines
from xltools.errors import UnreadableFile
from xltools.findings import Finding
from xltools.read.grid import Grid
from xltools.model import Task, TaskSheet, a1

_ARTIFACT = re.compile(r"\[bookmark:[^\]]*\]")
_UNIT_WORDS = r"(?:责任单位|责任部门|牵头单位|承办单位)\s*[:：]\s*"
# [责任单位：…] may hold round brackets (各街道（镇）); （责任单位：…） may hold one level of them.
_UNITS = re.compile(rf"[\[【［]\s*{_UNIT_WORDS}([^\]】］]+)[\]】］]"
                    rf"|[（(]\s*{_UNIT_WORDS}((?:[^（）()]|[（(][^（）()]*[）)])+)[）)]")
_DEADLINE = re.compile(r"[\[【［(（]\s*(?:完成时限|完成时间|时间节点)\s*[:：]\s*([^\]】］)）]+)[\]】］)）]")
_SECTION = re.compile(r"^[一二三四五六七八九十]+、")
_SUBSECTION = re.compile(r"^[（(][一二三四五六七八九十]+[)）]")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def load_text_grid(path: Path) -> Grid:
    if path.suffix.lower() == ".docx":
        rows, merges = _docx_rows(path)
        return Grid(path, path.stem, rows, merges)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030", errors="replace")
    return Grid(path, path.stem, [[_ARTIFACT.sub("", line).strip()] for line in text.splitlines()], [])


def _docx_rows(path: Path) -> tuple[list[list[str]], list]:
    """Paragraphs as one-cell rows; table rows as rows, with Word's merged cells
    (gridSpan across, vMerge down) as merged ranges."""
    from defusedxml import DefusedXmlException, ElementTree  # never parse district XML without defusedxml

    try:
        with zipfile.ZipFile(path) as zf:
            root = ElementTree.fromstring(zf.read("word/document.xml"))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        raise UnreadableFile("file-corrupt", file=str(path), reason=str(exc)[:80]) from None
    except DefusedXmlException:  # entity expansion or external entities: refused, never expanded
        raise UnreadableFile("file-corrupt", file=str(path), reason="unsafe XML (DTD/entities)") from None
    rows: list[list[str]] = []
    merges: list[list[int]] = []
    body = root.find(f"{W}body")
    for block in (body if body is not None else []):
        if block.tag == f"{W}p":
            rows.append([_text(block)])
        elif block.tag == f"{W}tbl":
            open_down: dict[int, list[int]] = {}   # column → the merge a vMerge continues
            for tr in block.iter(f"{W}tr"):
                r, row = len(rows), []
                for tc in tr.findall(f"{W}tc"):
                    c = len(row)
                    span = int(_prop(tc, "gridSpan") or 1)
                    vmerge = _prop(tc, "vMerge")
                    if vmerge == "continue" and c in open_down:
                        open_down[c][2] = r
                        row.extend([""] * span)
                        continue
                    row.extend(["\n".join(_text(p) for p in tc.iter(f"{W}p")).strip()] + [""] * (span - 1))
                    merge = [r, c, r, c + span - 1]
                    if span > 1 or vmerge == "restart":
                        merges.append(merge)
                    if vmerge == "restart":
                        open_down[c] = merge
                    else:
                        open_down.pop(c, None)
                rows.append(row)
    return rows, [tuple(m) for m in merges]


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t")).strip()


def _prop(tc, name: str) -> str | None:
    """A w:tcPr property's w:val; a bare <w:vMerge/> means "continue"."""
    el = tc.find(f"{W}tcPr/{W}{name}")
    if el is None:
        return None
    return el.get(f"{W}val") or ("continue" if name == "vMerge" else None)


def parse_text_plan(grid: Grid, given: PlanContext, fallback: PlanContext, registry=None) -> TaskSheet | None:
    """Tasks from inline unit markers, or None when the text has none (no task table)."""
    lines = [(r, str(row[0]).strip()) for r, row in enumerate(grid.rows)
             if row and isinstance(row[0], str) and row[0].strip()]
    if not any(_UNITS.search(text) for _, text in lines):
        return None
    ctx = given.overlay(context_from_lines([text for _, text in lines[:40]])).overlay(fallback)
    sheet = TaskSheet(grid.source, grid.sheet, ctx.district, ctx.year, ctx.issued, layout="text")
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
            task = Task(row=r + 1, seq=len(sheet.tasks) + 1, section=section, subsection=subsection,
                        requirement=_DEADLINE.sub("", body).strip() or None,
                        units_raw=(m.group(1) or m.group(2)).strip(),
                        deadline_raw=deadline.group(1).strip() if deadline else None, rows=[r + 1])
            task.cells = {k: a1(r, 0) for k in ("requirement", "units", "deadline")}
            sheet.tasks.append(task)
    if not sheet.tasks:
        return None
    sheet.findings.append(Finding("text-plan", str(grid.source), grid.sheet, None, None,
                                  {"tasks": len(sheet.tasks)}))
    from xltools.read.table import finish_tasks
    finish_tasks(sheet, registry)
    return sheet
