"""The Python API for analysts (xltools.frames): DataFrames from the same reading, checks
and 预警 rule as the commands; the examples in docs/python-api.md run as written."""
from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import os
import re
import shutil
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from conftest import EXAMPLES, ROOT
from lo import SOFFICE, convert, needs_soffice
from xltools.read import read_plan
from xltools.work.merge import merge

pd = pytest.importorskip("pandas")
xf = pytest.importorskip("xltools.frames")

AS_OF = dt.date(2024, 12, 20)


@pytest.fixture(scope="module")
def master(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("frames") / "汇总.xlsx"
    merge(sorted(EXAMPLES.glob("*.xlsx")), out, as_of=AS_OF)
    return out


def test_tasks_frame_has_every_task_as_written(tmp_path):
    frame = xf.tasks(EXAMPLES)
    plans = [read_plan(p) for p in sorted(EXAMPLES.glob("*.xlsx"))]
    assert len(frame) == sum(len(p.tasks) for p in plans)
    # the units as the district wrote them, read back from the source cells with openpyxl
    first = plans[0].sheets[0]
    ws = openpyxl.load_workbook(first.file, read_only=False)[first.sheet]
    row = frame[(frame["文件"] == first.file.name) & (frame["行"] == first.tasks[0].row)].iloc[0]
    written = ws[f"{first.columns['lead'] if 'lead' in first.columns else first.columns['units']}{first.tasks[0].row}"].value
    for unit in row["牵头单位"].split("、"):
        assert unit in written.replace(" ", "")
    assert set(frame["区县"]) == {"天桥区", "长清区"}
    english = xf.tasks(EXAMPLES, lang="en")
    assert {"File", "Sheet", "Row", "District", "Lead units", "Due date"} <= set(english.columns)


def test_findings_frame_lists_each_problem_with_its_cell(tmp_path):
    src = tmp_path / "区财政局.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务分解表"
    ws.append(["序号", "具体要求", "牵头单位", "完成时限"])
    ws.append([1, "做好预算公开", "区财政居", "2024年2月30日"])
    ws.append([2, "做好决算公开", "区财政局", "12月底前"])
    wb.save(src)
    frame = xf.findings(src)
    cells = set(zip(frame["单元格"], frame["级别"]))
    assert ("C2", "错误") in cells            # the typo'd unit
    assert ("D2", "错误") in cells            # 2月30日 does not exist
    assert not any(c and c.endswith("3") for c in frame["单元格"].dropna() if c[0] in "CD")
    typo = frame[frame["单元格"] == "C2"].iloc[0]
    assert "区财政局" in typo["建议"]


@needs_soffice
def test_master_frame_states_equal_the_live_formulas(master, tmp_path):
    """Each row's 预警 as LibreOffice computes the master's live formula."""
    out = convert(master, "csv:Text - txt - csv (StarCalc):44,34,76,1", tmp_path)
    with open(out, encoding="utf-8", newline="") as fh:
        live = [r["预警"] for r in csv.DictReader(fh)]
    frame = xf.master(master)
    assert len(frame) == len(live)
    unjudged = frame["预警"] == "无法判断"
    assert list(frame.loc[~unjudged, "预警"]) == [s for s, u in zip(live, unjudged) if not u]
    assert all(s == "无法判断" for s, u in zip(live, unjudged) if u)
    late = frame[frame["预警"] == "逾期"]
    assert (late["天数"] > 0).all()
    assert all((AS_OF - d.date()).days == n for d, n in zip(pd.to_datetime(late["截止日期"]), late["天数"]))


def python_blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_the_documented_examples_run(tmp_path):
    """docs/python-api.md, block by block, in a folder holding the examples."""
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    blocks = python_blocks((ROOT / "docs" / "python-api.md").read_text(encoding="utf-8"))
    assert len(blocks) == 3
    namespace: dict = {}
    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        shown = io.StringIO()
        with contextlib.redirect_stdout(shown):
            for block in blocks:
                exec(compile(block, "docs/python-api.md", "exec"), namespace)
    finally:
        os.chdir(here)
    assert (tmp_path / "汇总.xlsx").exists()
    assert re.search(r"^\d+ 项任务$", shown.getvalue(), flags=re.M)
    assert "逾期" in shown.getvalue()
    assert len(namespace["late"]) == Counter(namespace["rows"]["预警"])["逾期"]
