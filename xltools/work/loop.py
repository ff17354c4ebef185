"""The tracking loop: split the master by unit (下发, work.split), collect the units'
returns (报送) back into it (汇总, work.collect).  This module is the one entry point
the CLI and the Excel buttons use."""
from xltools.work.collect import CollectSummary, collect
from xltools.work.returns import LOG_SHEET, OPEN_SHEET, REPORTED, SPLIT_BY, LoopError, MasterTable, safe_name
from xltools.work.split import SplitSummary, split

__all__ = ["split", "collect", "SplitSummary", "CollectSummary", "LoopError", "MasterTable", "safe_name",
           "SPLIT_BY", "LOG_SHEET", "OPEN_SHEET", "REPORTED"]
