#!/usr/bin/env python3
"""Build the standard workbooks office staff start from.

    python scripts/build_templates.py [OUT_DIR]        (default: workbook_templates/)

Writes 任务分解表模板.xlsx (the annual plan) and 进展报送模板.xlsx (a unit's progress
return) from xltools.templates with the built-in unit registry (every district's
units).  The output is deterministic, so rebuilding gives identical files and the
committed copies only change when the code does (tests/test_templates.py checks).
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from xltools.write.templates import plan_template, progress_template, save_workbook  # noqa: E402
from xltools.rules.units import UnitRegistry  # noqa: E402

TEMPLATES = {"任务分解表模板.xlsx": plan_template, "进展报送模板.xlsx": progress_template}


def main(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    registry = UnitRegistry.default()
    for name, build in TEMPLATES.items():
        path = save_workbook(build(registry), out_dir / name, keep_version=False)
        print(path)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "workbook_templates")
