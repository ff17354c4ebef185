"""xltools: read, validate and merge Chinese district task-breakdown sheets (任务分解表)."""
__version__ = "0.1.0"

from xltools.rules.deadlines import Deadline, DeadlineKind, parse_deadline  # noqa: E402
from xltools.errors import NoTaskTable, UnreadableFile, XltoolsError  # noqa: E402
from xltools.findings import Finding, Report  # noqa: E402
from xltools.model import PlanFile, Task, TaskSheet  # noqa: E402
from xltools.read.table import read_plan  # noqa: E402
from xltools.rules.units import Unit, UnitAssignment, UnitRegistry, split_units  # noqa: E402
from xltools.check.validate import validate, validate_plan  # noqa: E402

__all__ = ["Deadline", "DeadlineKind", "parse_deadline", "XltoolsError", "UnreadableFile", "NoTaskTable",
           "Finding", "Report", "PlanFile", "Task", "TaskSheet", "read_plan", "Unit", "UnitAssignment",
           "UnitRegistry", "split_units", "validate", "validate_plan"]
