"""xltools: read, validate and merge Chinese district task-breakdown sheets (任务分解表)."""
from xltools.check.validate import validate, validate_plan
from xltools.errors import NoTaskTable, UnreadableFile, XltoolsError
from xltools.findings import Finding, Report
from xltools.model import PlanFile, Task, TaskSheet
from xltools.read import read_plan
from xltools.rules.deadlines import Deadline, DeadlineKind, parse_deadline
from xltools.rules.units import Unit, UnitAssignment, UnitRegistry, split_units
from xltools.version import __version__

__all__ = ["__version__", "Deadline", "DeadlineKind", "parse_deadline", "XltoolsError", "UnreadableFile", "NoTaskTable",
           "Finding", "Report", "PlanFile", "Task", "TaskSheet", "read_plan", "Unit", "UnitAssignment",
           "UnitRegistry", "split_units", "validate", "validate_plan"]
