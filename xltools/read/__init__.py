"""Reading: any input file → neutral `Grid`s → `TaskSheet`s.

loaders (calamine, csv, textfile for .txt/.docx) → grid → table parser or text-plan
parser → finish (units, deadlines, numbering); context finds year, district and issue
date in titles, notices and file names.
"""
from xltools.read.columns import SAVED_NAME, ColumnSpec, parse_columns
from xltools.read.grid import Grid, Merge, grid_from_worksheet
from xltools.read.loaders import (CSV_SUFFIXES, READABLE_SUFFIXES, SPREADSHEET_SUFFIXES, TEXT_SUFFIXES,
                                  load_grids)
from xltools.read.plan import parse_grid, plan_from_grids, read_plan

__all__ = ["SAVED_NAME", "ColumnSpec", "parse_columns", "Grid", "Merge", "grid_from_worksheet", "load_grids", "CSV_SUFFIXES", "READABLE_SUFFIXES",
           "SPREADSHEET_SUFFIXES", "TEXT_SUFFIXES", "parse_grid", "plan_from_grids", "read_plan"]
