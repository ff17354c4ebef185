"""The column map a clerk saves beside the files (列对应.json), written as every file we write."""
from __future__ import annotations

from pathlib import Path

from xltools.model import TaskSheet
from xltools.read.columns import SAVED_NAME, ColumnSpec, saved_text
from xltools.write.files import atomic_write


def save_columns(sheet: TaskSheet, spec: ColumnSpec) -> Path:
    """Save `spec` in the folder of the sheet's file; every later read of the folder uses
    it (read.columns.saved_for).  Returns the file written."""
    target = Path(sheet.file).parent / SAVED_NAME
    text = saved_text(sheet, spec)
    atomic_write(target, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"), keep_version=False)
    return target
