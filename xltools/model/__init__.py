"""The data that passes between the stages: tasks as read and as finished
(`model.task`), and the rows a merge hands the master writer (`model.master`)."""
from xltools.model.master import (UNIT_COLUMNS, Change, ChangeLog, ExtraColumn, FileRecord, MasterRow,
                                  OtherSheet, source_names)
from xltools.model.task import ColumnChoice, ParsedTask, PlanFile, Task, TaskSheet, a1, col_letter

__all__ = ["UNIT_COLUMNS", "Change", "ChangeLog", "ExtraColumn", "FileRecord", "MasterRow", "OtherSheet", "ColumnChoice",
           "ParsedTask", "PlanFile", "Task", "TaskSheet", "a1", "col_letter", "source_names"]
