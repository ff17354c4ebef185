"""What a new user's trial on county, county-level-city, city and province sheets found
about unit names and messages (helper h-units).  Each test failed before its fix."""
from __future__ import annotations

import re

from click.testing import CliRunner

from tests.conftest import write_xlsx
from xltools import validate
from xltools.cli.app import cli
from xltools.read.registry import load_registry


def _county(tmp_path, name="2025年嘉祥县政务公开工作要点.xlsx"):
    return write_xlsx(tmp_path / name, {"Sheet1": [
        ["2025年嘉祥县政务公开工作要点任务分解表"], ["序号", "具体措施", "责任单位", "完成时限"],
        [1, "公开镇村财务。", "梁宝寺镇、马村镇", "2025年6月底前"],
        [2, "建设示范点。", "县融创局", "2025年9月底前"],
        [3, "推进村务公开。", "大张楼镇前进村", "2025年9月底前"]]})


# ---------------------------------------------------------------- 1. how to add a county's own units

def test_unknown_units_of_a_county_say_how_to_add_them_and_the_advice_works(tmp_path):
    plan = _county(tmp_path)
    found = [f for f in validate([plan]).findings if f.code.startswith("unknown-unit")]
    assert {f.value for f in found} >= {"梁宝寺镇", "马村镇", "县融创局"}
    for f in found:
        zh, en = f.suggestion("zh"), f.suggestion("en")
        assert f"xltools units learn \"{plan}\" -o 单位名录.xlsx" in zh and "--registry 单位名录.xlsx" in zh
        assert "单位名录" in zh and "从文件学习新单位" in zh                # the local page's way
        assert f"xltools units learn \"{plan}\" -o 单位名录.xlsx" in en and "--registry 单位名录.xlsx" in en
        assert not re.search(r"[\u4e00-\u9fff]", en.replace(str(plan), "").replace("单位名录.xlsx", ""))
        assert len(zh) - len(str(plan)) < 120          # short: said once per unknown unit
    # the advice, followed, makes them known
    registry = tmp_path / "单位名录.xlsx"
    runner = CliRunner()
    done = runner.invoke(cli, ["units", "learn", str(plan), "-o", str(registry)])
    assert done.exit_code == 0, done.output
    assert not [f for f in validate([plan], load_registry(registry)).findings if f.code.startswith("unknown-unit")]
    again = runner.invoke(cli, ["validate", str(plan), "--registry", str(registry)])
    assert "单位名录中" not in again.output


def test_a_cell_check_in_excel_points_to_the_registry_button_not_a_command():
    from xltools.excel.udfs import XT_UNIT_CHECK
    said = XT_UNIT_CHECK("县火星局")
    assert "“单位名录”按钮" in said and "xltools units learn" not in said and "?" not in said
