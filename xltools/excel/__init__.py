"""The Excel side of xltools: the 任务工具 ribbon tab, its actions and the XT_* worksheet
functions (see docs/excel-addin.md).

The ribbon's VBA callback runs  ``import xltools.excel; xltools.excel.run('<tag>')``.
Importing this package stays light: xlwings and the actions load on first use.
"""
from __future__ import annotations

__all__ = ["run"]


def run(tag: str, book=None) -> None:
    """Run the ribbon command with this tag on the calling workbook (xlwings.Book.caller())."""
    from xltools.excel.commands import run as _run
    _run(tag, book)
