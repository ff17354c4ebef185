"""merge options shared with flag: a district map file and configurable colours."""
from __future__ import annotations

import json
import shutil

import openpyxl
from click.testing import CliRunner

from conftest import CHANGQING
from xltools.cli.app import cli


def test_district_map_and_colours(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(CHANGQING, src / "报送1.xlsx")
    mapping = tmp_path / "对照表.csv"
    mapping.write_text("文件,区县\n报送1.xlsx,平阴县\n", encoding="utf-8-sig")
    out = tmp_path / "汇总.xlsx"
    result = CliRunner().invoke(cli, ["merge", str(src), "-o", str(out), "--district-map", str(mapping),
                                      "--colour", "逾期=112233/445566", "--colour", "soon=AABBCC", "--json"])
    # 长清区's 区… units checked as 平阴县's: validation errors, so exit 1 (README's table)
    assert result.exit_code == 1 and json.loads(result.output)["issue_counts"]["error"] > 0, result.output
    ws = openpyxl.load_workbook(out)["汇总"]
    assert {ws.cell(r, 1).value for r in range(2, ws.max_row + 1)} == {"平阴县"}
    fills = {rule.formula[0].split("=")[-1].strip('"'): (rule.dxf.fill.bgColor.rgb[-6:], rule.dxf.font.color.rgb[-6:])
             for rng in ws.conditional_formatting for rule in rng.rules}
    assert fills["逾期"] == ("112233", "445566")
    assert fills["临期"][0] == "AABBCC"
    assert fills["已完成"][0] == "E7E6E6"   # the default stays


def test_bad_colour_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(cli, ["merge", str(CHANGQING), "-o", str(tmp_path / "x.xlsx"), "--colour", "红=FF0000"])
    assert result.exit_code == 2 and "颜色应写成" in result.output and "Traceback" not in result.output


def test_issue_list_puts_errors_first(tmp_path):
    from conftest import TIANQIAO
    from xltools.work.merge import merge
    out = tmp_path / "汇总.xlsx"
    merge([TIANQIAO, CHANGQING], out)
    ws = openpyxl.load_workbook(out)["问题清单"]
    levels = [ws.cell(r, 4).value for r in range(2, ws.max_row + 1)]
    order = {"错误": 0, "警告": 1, "提示": 2}
    assert levels == sorted(levels, key=order.__getitem__) and levels[0] == "错误" and "提示" in levels


def test_the_master_itself_reads_and_validates_per_district(tmp_path):
    """A combined sheet (our master) names each row's district: units are checked against
    that district's registry and numbering is per district."""
    from conftest import TIANQIAO
    from xltools import read_plan
    from xltools import validate
    from xltools.work.merge import merge
    out = tmp_path / "汇总.xlsx"
    merge([TIANQIAO, CHANGQING], out)
    tasks = read_plan(out).tasks
    assert {t.district for t in tasks} == {"天桥区", "长清区"}
    assert next(t for t in tasks if t.district == "长清区" and t.seq == 25).lead_entries[-1] == "市生态环境局长清分局"
    problems = sorted((f.code, f.params.get("seq")) for f in validate([out]).findings if f.severity != "info")
    assert problems == [("missing-deadline", 28), ("missing-requirement", 43)]   # the 天桥 source's own
