"""校验 on a file: the copy the 校验本表 button makes inside Excel, written without Excel
(the local page's download): each problem cell filled by its worst finding with a note
of every message and suggestion, and a 校验结果 sheet listing them with links."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from xltools.check.validate import validate
from xltools.errors import UnreadableFile
from xltools.findings import Finding, Report
from xltools.rules.units import UnitRegistry
from xltools.texts import t
from xltools.write.cells import put
from xltools.write.files import atomic_save, result_name

__all__ = ["SEVERITY_FILL", "SHOWN_SEVERITIES", "annotated_copy", "RESULT_KEYS"]

# Fills of problem cells, by the worst severity in the cell (the red/yellow offices use).
SEVERITY_FILL = {"error": "#FFC7CE", "warning": "#FFEB9C", "info": "#DDEBF7"}
SHOWN_SEVERITIES = ("error", "warning")   # notes (info) stay hidden, as on the command line
# the 校验结果 sheet's columns (the Excel button's too)
RESULT_KEYS = ("h-severity", "h-sheet", "h-cell", "xl-h-message", "h-suggestion", "h-value", "h-code")
_EDITABLE = (".xlsx", ".xlsm")


def _rank(f: Finding) -> int:
    return SHOWN_SEVERITIES.index(f.severity) if f.severity in SHOWN_SEVERITIES else 2


def annotated_copy(path: str | Path, registry: UnitRegistry | None = None, lang: str = "zh",
                   output: str | Path | None = None) -> tuple[Report, Path]:
    """Validate `path` and write the marked copy beside it (<name>.xltools-结果-<time>.xlsx
    unless `output`); the original is never touched.  (report, copy)."""
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    path = Path(path)
    if path.suffix.lower() not in _EDITABLE:
        raise UnreadableFile("annotate-not-xlsx", file=str(path))
    report = validate([path], registry).only(*SHOWN_SEVERITIES)
    if report.unreadable:
        raise report.unreadable[0]
    wb = openpyxl.load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm")
    by_cell: dict[tuple[str, str], list[Finding]] = {}
    for f in report.findings:
        if f.cell and f.sheet in wb.sheetnames:
            by_cell.setdefault((f.sheet, f.cell), []).append(f)
    marker = t("note-marker", lang)
    for (sheet, cell), items in by_cell.items():
        items.sort(key=_rank)
        target = wb[sheet][cell]
        colour = SEVERITY_FILL[items[0].severity].lstrip("#")
        target.fill = PatternFill("solid", start_color=colour, end_color=colour)
        text = marker + "\n" + "\n".join(f.note(lang) for f in items)
        old = target.comment.text.split(marker)[0].rstrip() if target.comment else ""
        target.comment = Comment((old + "\n\n" + text) if old else text, "xltools", width=300, height=150)
    name, n = t("results-sheet", lang), 1
    while name in wb.sheetnames:
        n += 1
        name = f"{t('results-sheet', lang)}{n}"
    ws = wb.create_sheet(name)
    errors, warnings = report.count("error"), report.count("warning")
    put(ws, 1, 1, t("results-title", lang, sheet=path.name, when=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
                    errors=errors, warnings=warnings)).font = Font(bold=True)
    for c, key in enumerate(RESULT_KEYS, start=1):
        put(ws, 2, c, t(key, lang)).font = Font(bold=True)
    ordered = sorted(report.findings, key=lambda f: (_rank(f), f.sheet or "", f.row or 0, f.cell or ""))
    for r, f in enumerate(ordered, start=3):
        values = (t("severity-" + f.severity, lang), f.sheet or "", f.cell or "", f.message(lang),
                  f.suggestion(lang), f.value or "", f.code)
        for c, value in enumerate(values, start=1):
            put(ws, r, c, value)
        if f.cell and f.sheet in wb.sheetnames:
            ws.cell(r, 3).hyperlink = f"#'{f.sheet.replace(chr(39), chr(39) * 2)}'!{f.cell}"
    if not ordered:
        put(ws, 3, 1, t("results-none", lang))
    for letter, width in zip("ABCDEFG", (8, 14, 8, 50, 40, 24, 16)):
        ws.column_dimensions[letter].width = width
    out = Path(output) if output else result_name(path).with_suffix(path.suffix)
    atomic_save(wb, out)
    return report, out
