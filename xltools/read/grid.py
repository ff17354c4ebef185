"""One neutral grid per sheet, whatever produced it (python-calamine, openpyxl, CSV, a
Word table, an xlwings Book): values + merged ranges + sheet name.  The parser only
ever sees a `Grid`; the loaders that make one are in `loaders`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

Merge = tuple[int, int, int, int]  # first row, first col, last row, last col (0-based, inclusive)


@dataclass
class Grid:
    source: Path
    sheet: str
    rows: list[list[Any]]                 # own cell values; '' or None for empty
    merges: list[Merge] = field(default_factory=list)
    hidden: str | None = None             # "hidden" / "veryHidden": a sheet the clerk does not see
    notes: list = field(default_factory=list)  # Findings about how the sheet was read (stray cells…)
    # (column, rows) → each cell's number format as it shows (see numfmt.format_code), asked
    # only for the few cells that need it (date cells of 完成时限); None where the file has none
    formats: Callable[[int, list[int]], dict[int, str]] | None = None

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def value(self, r: int, c: int) -> Any:
        row = self.rows[r] if r < len(self.rows) else []
        v = row[c] if c < len(row) else None
        return None if v == "" else v

    def filled(self) -> list[list[Any]]:
        """Values with every merged range filled from its top-left cell (what a reader
        of the printed sheet sees in each cell)."""
        w = self.width
        out = [[None if v == "" else v for v in row] + [None] * (w - len(row)) for row in self.rows]
        for r0, c0, r1, c1 in self.merges:
            v = self.value(r0, c0)
            for r in range(r0, min(r1, len(out) - 1) + 1):
                for c in range(c0, min(c1, w - 1) + 1):
                    out[r][c] = v
        return out

    def merge_at(self, r: int, c: int) -> Merge | None:
        for m in self.merges:
            if m[0] <= r <= m[2] and m[1] <= c <= m[3]:
                return m
        return None

    def text_lines(self, limit: int | None = None) -> list[str]:
        """Non-empty cells as lines, row by row (for notice text and titles), at most `limit`."""
        lines: list[str] = []
        for row in self.rows:
            for v in row:
                if v not in (None, "") and str(v).strip():
                    lines.append(str(v).strip())
                    if limit is not None and len(lines) >= limit:
                        return lines
        return lines


def grid_from_worksheet(ws, source: str | Path) -> Grid:
    """A grid from an openpyxl worksheet (not read-only: read-only mode has no merges),
    for work that keeps the workbook's formatting, such as flagging a sheet in place."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    merges = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in ws.merged_cells.ranges]
    return Grid(Path(source), ws.title, rows, merges,
                formats=lambda c, rs: {r: cell_format(ws.cell(r + 1, c + 1)) for r in rs})


def cell_format(cell) -> str:
    """An openpyxl cell's number format as it shows: a locale's built-in date (an id the
    file holds no code for, which openpyxl calls General) as a Chinese Excel shows it."""
    from xltools.read.numfmt import format_code

    style = getattr(cell, "style_array", None) or getattr(cell, "_style", None)
    return format_code(cell.number_format, getattr(style, "numFmtId", None))
