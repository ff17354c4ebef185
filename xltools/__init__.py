"""xltools: read, validate and merge Chinese district task-breakdown sheets (任务分解表)."""
__version__ = "0.1.0"

from .deadlines import Deadline, DeadlineKind, parse_deadline  # noqa: E402
from .errors import NoTaskTable, UnreadableFile, XltoolsError  # noqa: E402
from .findings import Finding, Report  # noqa: E402
from .model import PlanFile, Task, TaskSheet  # noqa: E402
from .reader import read_plan  # noqa: E402
from .units import Unit, UnitAssignment, UnitRegistry, split_units  # noqa: E402
from .validate import validate, validate_plan  # noqa: E402

__all__ = ["Deadline", "DeadlineKind", "parse_deadline", "XltoolsError", "UnreadableFile", "NoTaskTable",
           "Finding", "Report", "PlanFile", "Task", "TaskSheet", "read_plan", "Unit", "UnitAssignment",
           "UnitRegistry", "split_units", "validate", "validate_plan"]
