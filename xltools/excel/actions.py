"""Ribbon actions: one function per button, each taking the calling `xlwings.Book`.

Each action (one module per button group: check_sheet, flag_sheet, plans; host and sheet
beneath them) makes one library call (read + check, merge, new plan …) and does only the
Excel-side presentation through the xlwings API: fills, notes, a results sheet with
links, formulas and conditional formats, message boxes and the status bar.  The same
code runs against desktop Excel (RunPython) and against xlwings' remote engine (an
Office.js-style book), which is how the tests drive it.

Per-user files live in ~/.xltools (XLTOOLS_HOME overrides): 单位名录.xlsx (the unit
registry the buttons check against), excel.json (the last merge folder) and excel.log
(tracebacks of unexpected errors, which are never shown in Excel).
"""
from xltools.excel.check_sheet import SEVERITY_FILL, SHOWN_SEVERITIES, validate_sheet
from xltools.excel.flag_sheet import mark_overdue
from xltools.excel.host import (ACTIONS, ActionError, perform, registry_path, show_error, user_dir,
                                user_registry)
from xltools.excel.plans import collect_progress, merge_folder, new_plan, open_registry, split_plan, undo_last
from xltools.excel.reports import write_reminders, write_report
from xltools.excel.sheet import _book_context, grid_from_sheet, read_active

__all__ = ["ACTIONS", "ActionError", "perform", "show_error", "grid_from_sheet", "read_active", "validate_sheet",
           "mark_overdue", "merge_folder", "new_plan", "split_plan", "collect_progress", "open_registry", "undo_last",
           "write_report", "write_reminders",
           "user_dir", "registry_path", "user_registry", "SEVERITY_FILL", "SHOWN_SEVERITIES", "_book_context"]
