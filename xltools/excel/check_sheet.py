"""校验本表: findings marked on the sheet (fills, notes) and listed on a results sheet
with links to their cells."""
from __future__ import annotations

import datetime as dt

from xltools.texts import t
from xltools.excel.host import _CURRENT, _alert, _link_formula, _sheet_named, _status, _text, action, user_registry
from xltools.excel.sheet import read_active, sheet_values

from xltools.write.annotated import RESULT_KEYS, SEVERITY_FILL, SHOWN_SEVERITIES  # one rule for both copies

# ====================================================================== 校验本表

@action
def validate_sheet(book, *, lang: str = "zh") -> dict:
    """校验本表: check the active sheet; fill and annotate problem cells and list them,
    with links, on a 校验结果 sheet.  Returns counts (for tests and the smoke test)."""
    from xltools.check.validate import check_sheet

    registry = user_registry()
    sheet, grid, ts, merges_known = read_active(book, lang, registry)
    tasks = [task for task in ts.tasks if not task.is_empty]
    _status(book, t("progress-checking", lang, n=len(tasks)))
    findings = [f for f in check_sheet(ts, registry) if f.severity in SHOWN_SEVERITIES]

    _status(book, t("progress-writing", lang))
    results_name = _clear_previous_marks(book, sheet, t("results-sheet", lang), lang)
    noted = _mark_cells(sheet, findings, lang)
    _CURRENT["cell"] = None
    results = _write_results(book, sheet, ts, findings, results_name, lang, merges_known)
    results.activate()
    counts = {"errors": sum(f.severity == "error" for f in findings),
              "warnings": sum(f.severity == "warning" for f in findings), "tasks": len(tasks),
              "cells": len({f.cell for f in findings if f.cell}), "notes": noted}
    if findings:
        _alert(book, t("validate-done", lang, results=results_name, **counts), t("title", lang))
    else:
        _alert(book, t("validate-clean", lang, **counts), t("title", lang))
    return counts


def _severity_rank(severity: str) -> int:
    return {"error": 0, "warning": 1}.get(severity, 2)


def _mark_cells(sheet, findings, lang: str) -> int:
    """Fill each problem cell by its worst finding and attach one note with every
    message and suggestion.  A clerk's own note is kept: ours is appended below it."""
    by_cell: dict[str, list] = {}
    for f in findings:
        if f.cell:
            by_cell.setdefault(f.cell, []).append(f)
    marker = t("note-marker", lang)
    notes_ok, noted = True, 0
    for cell, items in by_cell.items():
        _CURRENT["cell"] = cell
        items.sort(key=lambda f: _severity_rank(f.severity))
        rng = sheet.range(cell)
        rng.color = SEVERITY_FILL[items[0].severity]
        text = marker + "\n" + "\n".join(f.note(lang) for f in items)
        if notes_ok:
            try:
                noted += _put_note(rng, text, marker)
            except NotImplementedError:
                notes_ok = False   # this client cannot hold notes: the results sheet still lists all
    return noted


def _put_note(rng, text: str, marker: str) -> int:
    existing = rng.note
    if existing is None:
        rng.add_note(text)
        return 1
    try:
        old = existing.text or ""
    except NotImplementedError:
        return 0          # cannot read the clerk's note, so leave it untouched
    kept = old.split(marker)[0].rstrip()      # an older note of ours is replaced, not stacked
    existing.text = (kept + "\n\n" + text) if kept else text
    return 1


def _clear_previous_marks(book, sheet, results_name: str, lang: str) -> str:
    """Undo what the last 校验本表 of this sheet did (fills, our notes) and drop its
    校验结果 sheet, so the marks always match the latest results.  Returns the name for
    the new results sheet: a clerk's own sheet that happens to be called 校验结果 is
    never touched, ours goes beside it under another name."""
    name, n = results_name, 1
    while (old := _sheet_named(book, name)) is not None:
        try:
            rows = sheet_values(old)
        except Exception:
            rows = []
        if len(rows) > 1 and [v for v in rows[1] if v is not None] == _results_header(lang):
            break                       # ours
        n += 1
        name = f"{results_name}{n}"
    if old is None:
        return name
    marker = t("note-marker", lang)
    sheet_col, cell_col = 1, 2   # see _results_header
    for row in rows[2:]:
        if len(row) <= cell_col or row[sheet_col] != sheet.name or not row[cell_col]:
            continue
        try:
            rng = sheet.range(str(row[cell_col]))
        except Exception:
            continue
        rng.color = None
        note = rng.note
        if note is None:
            continue
        try:
            text = note.text
        except NotImplementedError:
            continue
        if marker in (text or ""):
            kept = text.split(marker)[0].rstrip()
            if kept:
                note.text = kept
            else:
                note.delete()
    old.delete()
    return name


def _results_header(lang: str) -> list[str]:
    return [t(k, lang) for k in RESULT_KEYS]


def _column_rows(ts, lang: str) -> list[list]:
    """Below the findings: which column was read as which field, and why, then the sheet's
    own columns (as inspect shows them)."""
    lines = ts.column_lines(lang)
    if not lines:
        return []
    title = t("columns-title", lang) + (t("columns-title-given", lang, source=ts.columns_given)
                                        if ts.columns_given else "")
    head = [t(k, lang) for k in ("columns-h-field", "columns-h-letter", "columns-h-header", "columns-h-why")]
    return [[], [title], head] + lines


def _write_results(book, sheet, ts, findings, name: str, lang: str, merges_known: bool = True):
    results = book.sheets.add(name=name, after=sheet)
    errors = sum(f.severity == "error" for f in findings)
    warnings = sum(f.severity == "warning" for f in findings)
    title = t("results-title", lang, sheet=sheet.name, when=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
              errors=errors, warnings=warnings)
    if not merges_known:
        title += t("merges-unknown", lang)
    ordered = sorted(findings, key=lambda f: (_severity_rank(f.severity), f.row or 0, f.cell or ""))
    rows = [[title], _results_header(lang)]
    for f in ordered:
        rows.append([t("severity-" + f.severity, lang), sheet.name, f.cell or "", f.message(lang),
                     f.suggestion(lang), f.value or "", f.code])
    if not ordered:
        rows.append([t("results-none", lang)])
    rows += _column_rows(ts, lang)
    width = len(rows[1])
    rows = [[_text(v) for v in row] + [None] * (width - len(row)) for row in rows]
    results.range("A1").value = rows
    if ordered:
        # the 单元格 column links to the cell itself
        links = [[_link_formula(sheet.name, f.cell, f.cell or sheet.name)] for f in ordered]
        results.range((3, 3), (len(ordered) + 2, 3)).formula = links
    results.range((2, 1), (2, width)).font.bold = True
    results.range((1, 1)).font.bold = True
    results.autofit("c")
    return results
