"""Generated task sheets with their truth, and a scorer: how general the reader is.

    from layouts import make_sheet, write_sheets, score_file

Importable by the tests and by scripts/score_layouts.py (both put scripts/ on sys.path);
the seed texts it writes with are data files beside it (requirements.txt, titles.txt,
units.tsv), so a fresh clone has everything.
"""
from layouts.generate import SheetTruth, TaskTruth, make_sheet, write_sheets  # noqa: F401
