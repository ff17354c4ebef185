"""The same plan saved by LibreOffice as .ods and .xls reads the same; the bundled
examples are exactly what the build script makes."""
from __future__ import annotations

import subprocess
import sys

import pytest
from python_calamine import CalamineWorkbook

from conftest import CHANGQING, EXAMPLES, ROOT, TIANQIAO
from lo import convert, needs_soffice
from xltools import read_plan


def summary(path):
    return [(t.seq, t.section, t.subsection, t.requirement, t.lead_entries, t.support_entries, t.due)
            for t in read_plan(path).tasks]


@needs_soffice
@pytest.mark.parametrize("fmt", ["ods", "xls"])
def test_other_formats_read_the_same(tmp_path, fmt):
    for example in (CHANGQING, TIANQIAO):
        converted = convert(example, fmt, tmp_path)
        assert summary(converted) == summary(example)


def test_examples_match_build_script(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_examples.py"), str(tmp_path)], check=True,
                   capture_output=True)
    for committed in EXAMPLES.glob("*.xlsx"):
        fresh, old = CalamineWorkbook.from_path(str(tmp_path / committed.name)), CalamineWorkbook.from_path(str(committed))
        assert fresh.sheet_names == old.sheet_names
        for name in old.sheet_names:
            a, b = fresh.get_sheet_by_name(name), old.get_sheet_by_name(name)
            assert a.to_python(skip_empty_area=False) == b.to_python(skip_empty_area=False), name
            assert a.merged_cell_ranges == b.merged_cell_ranges, name
