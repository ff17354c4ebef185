"""`xltools flag` on a macro workbook keeps its VBA project byte for byte."""
from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlwings

from xltools.read import load_grids

QUICKSTART = Path(xlwings.__file__).parent / "quickstart.xlsm"


@pytest.mark.skipif(not QUICKSTART.exists(), reason="xlwings ships no quickstart.xlsm")
def test_flag_keeps_macros(tmp_path):
    from click.testing import CliRunner
    from xltools.cli.app import cli
    wb = openpyxl.load_workbook(QUICKSTART, keep_vba=True)
    ws = wb.create_sheet("任务")
    ws.append(["2024年天桥区重点任务"])
    ws.append(["序号", "具体要求", "责任单位", "完成时限", "状态"])
    ws.append([1, "公开预算。", "区财政局", "2024年6月底前", None])
    ws.append([2, "公开决算。", "区财政局", "长期坚持", None])
    path = tmp_path / "plan.xlsm"
    wb.save(path)
    vba_before = zipfile.ZipFile(path).read("xl/vbaProject.bin")

    result = CliRunner().invoke(cli, ["flag", str(path), "--as-of", "2024-07-01"])
    assert result.exit_code == 0, result.output
    assert zipfile.ZipFile(path).read("xl/vbaProject.bin") == vba_before
    grid = next(g for g in load_grids(path) if g.sheet == "任务")
    assert grid.rows[1][5:7] == ["截止日期", "预警"]
    assert list(tmp_path.glob("plan*.bak")), "the original is backed up"
