"""The command line: exit codes, exact Chinese text, JSON shape, no tracebacks."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from conftest import CHANGQING, LIXIA_TEXT, TIANQIAO
from xltools.cli.app import cli
from xltools.read.registry import load_registry


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def test_inspect_json_shape():
    result = run("inspect", CHANGQING, "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["file"] == str(CHANGQING)
    sheet, = data["sheets"]
    assert {k: sheet[k] for k in ("sheet", "district", "year", "issued", "header_row")} == {
        "sheet": "任务分解表", "district": "长清区", "year": 2022, "issued": "2022-06-10", "header_row": 4}
    assert len(sheet["tasks"]) == 66
    task = sheet["tasks"][63]
    assert set(task) >= {"row", "seq", "section", "subsection", "requirement", "units_raw", "lead_units",
                         "support_units", "deadline_raw", "deadline_kind", "due", "status", "progress"}
    assert (task["seq"], task["deadline_raw"], task["deadline_kind"], task["due"]) == \
        (64, "本文件印发后30日内", "relative", "2022-07-10")


def test_inspect_table_is_chinese():
    result = run("inspect", TIANQIAO)
    assert result.exit_code == 0
    assert "区县: 天桥区  年度: 2024  印发日期: 2024-06-25  表头行: 3  任务数: 58" in result.output
    assert "- 工作表“通知”：没有任务表，已跳过" in result.output


def test_inspect_shows_stages(xlsx):
    """A staged deadline's stages: a column of the table, a list in --json; due at the last stage."""
    path = xlsx({"S": [["2024年历城区任务分解表"], ["序号", "具体要求", "责任单位", "完成时限"],
                       [1, "甲。", "区财政局", "6月底前完成方案，12月底前全面完成"],
                       [2, "乙。", "区财政局", "2024年3月—9月"]]})
    table = run("inspect", path)
    assert table.exit_code == 0
    lines = table.output.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("行 "))   # the tasks, below the column map
    header, _, first, second = lines[at:at + 4]
    assert header.endswith("截止日期    分阶段时间")
    assert first.endswith("2024-12-31  2024-06-30、2024-12-31") and second.endswith("2024-09-30")
    assert "Stages" in run("inspect", path, "--lang", "en").output
    staged, ranged = json.loads(run("inspect", path, "--json").output)["sheets"][0]["tasks"]
    assert (staged["due"], staged["stages"], ranged["due"], ranged["stages"]) == \
        ("2024-12-31", ["2024-06-30", "2024-12-31"], "2024-09-30", [])
    assert "分阶段时间" not in run("inspect", CHANGQING).output   # only where a sheet has stages


def test_validate_reversed_range_and_vague_words(xlsx):
    path = xlsx({"S": [["2024年历城区任务分解表"], ["序号", "具体要求", "责任单位", "完成时限"],
                       [1, "甲。", "区财政局", "2024年12月—6月"],
                       [2, "乙。", "区财政局", "12月底前完成方案，6月底前全面完成"],
                       [3, "丙。", "区财政局", "尽早"]]})
    out = run("validate", path).output
    assert "S!D3  完成时限“2024年12月—6月”不是有效日期（起始2024年12月晚于结束6月）。" in out
    assert "S!D4  完成时限“12月底前完成方案，6月底前全面完成”不是有效日期（各阶段时间先后颠倒）。" in out
    assert "S!D5  完成时限“尽早”没有具体时间，无法判断是否逾期。" in out


def test_inspect_year_override_and_english():
    result = run("inspect", TIANQIAO, "--year", "2030", "--lang", "en")
    assert "District: 天桥区  Year: 2030" in result.output


def test_validate_exit_codes():
    assert run("validate", CHANGQING).exit_code == 0
    bad = run("validate", TIANQIAO)
    assert bad.exit_code == 1
    assert "[错误] 2024年天桥区政务公开重点工作任务分工.xlsx › 任务分工!A57  第 42 项只有序号" in bad.output
    assert bad.output.strip().endswith("共检查 1 个文件、58 项任务：3 个错误，2 个警告。")


def test_validate_json_equals_library_report():
    from xltools import validate
    result = run("validate", TIANQIAO, CHANGQING, "--json", "--notes")
    assert json.loads(result.output) == json.loads(validate([TIANQIAO, CHANGQING]).to_json())


def test_validate_unreadable_file_exits_2(tmp_path):
    broken = tmp_path / "坏文件.xlsx"
    broken.write_bytes(b"garbage")
    result = run("validate", CHANGQING, broken)
    assert result.exit_code == 2
    assert "错误：文件已损坏或格式不对，无法读取：" in result.output and "坏文件.xlsx" in result.output


@pytest.mark.parametrize("make,expected", [
    (lambda p: p.write_bytes(b""), "文件是空的"),
    # an OLE header and nothing behind it: damaged (a really encrypted file: test_reader_layouts)
    (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100), "文件已损坏或格式不对"),
])
def test_inspect_bad_file_one_line(tmp_path, make, expected):
    path = tmp_path / "报送.xlsx"
    make(path)
    result = run("inspect", path)
    assert result.exit_code == 2
    assert result.output.startswith("错误：") and expected in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_inspect_text_without_table():
    result = run("inspect", LIXIA_TEXT)
    assert result.exit_code == 2
    assert "中没有找到任务表" in result.output


def test_units_learn_proposes_unknown_units(xlsx, tmp_path):
    path = xlsx({"S": [["序号", "具体要求", "责任单位", "完成时限"],
                       [1, "甲。", "区大明湖管理处、区财政局", "2024年12月底前"],
                       [2, "乙。", "区大明湖管理处", "2024年12月底前"],
                       [3, "丙。", "区人社局、新东站片区指挥部", "2024年12月底前"]]})
    result = run("units", "learn", path, "--json")
    proposals = json.loads(result.output)
    assert [(p["name"], p["count"]) for p in proposals] == [("区大明湖管理处", 2), ("新东站片区指挥部", 1)]
    out = tmp_path / "名录.xlsx"
    result = run("units", "learn", path, "-o", out)
    assert out.exists() and f"单位名录已写入 {out}，其中新增 2 个单位" in result.output
    assert load_registry(out).resolve("区大明湖管理处") is not None


def test_units_export_roundtrip(tmp_path):
    out = tmp_path / "单位名录.xlsx"
    result = run("units", "export", out, "--district", "天桥区")
    assert result.exit_code == 0 and "单位名录已保存到" in result.output
    reg = load_registry(out)
    assert reg.resolve("泺口街道") is not None and reg.resolve("马山镇") is None


def test_every_command_is_documented():
    from xltools.cli.app import cli as group
    def walk(cmd, prefix=()):
        for name, sub in getattr(cmd, "commands", {}).items():
            yield prefix + (name,), sub
            yield from walk(sub, prefix + (name,))
    from conftest import ROOT
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    from xltools.texts import t
    for path, cmd in walk(group):
        key = "help-" + "-".join(path)
        result = run(*path, "--help")
        assert result.exit_code == 0
        assert t(key, "zh").split("。")[0] in result.output and "用法：xltools" in result.output, path
        english = run(*path, "--help", "--lang", "en")
        assert t(key, "en").split(".")[0].split("\n")[0] in english.output.replace("\n  ", " "), path
        assert f"xltools {' '.join(path)}" in readme, f"README does not document xltools {' '.join(path)}"


def test_the_command_line_uses_the_clerks_own_registry(tmp_path, monkeypatch):
    """The 单位名录 the clerk keeps (~/.xltools, the page's and the Excel buttons') is the
    command line's too: a unit added there is no error in validate; --registry still wins."""
    import openpyxl

    plan = tmp_path / "2024年天桥区任务分工.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "工作任务", "牵头单位", "完成时限"])
    ws.append([1, "推进城市更新信息公开", "区城市更新局", "2024年12月底前"])
    wb.save(plan)
    home = tmp_path / "home"
    monkeypatch.setenv("XLTOOLS_HOME", str(home))
    before = run("validate", plan)
    assert before.exit_code == 1 and "区城市更新局" in before.output
    home.mkdir()
    own = home / "单位名录.xlsx"
    assert run("units", "export", own, "--district", "天桥区").exit_code == 0
    assert run("units", "add", own, "区城市更新局", "--kind", "部门").exit_code == 0
    after = run("validate", plan)
    assert after.exit_code == 0 and "区城市更新局" not in after.output, after.output
    builtin = tmp_path / "内置名录.xlsx"
    monkeypatch.setenv("XLTOOLS_HOME", str(tmp_path / "elsewhere"))     # no list of one's own: the built-in one
    assert run("units", "export", builtin, "--district", "天桥区").exit_code == 0
    monkeypatch.setenv("XLTOOLS_HOME", str(home))
    assert run("validate", plan, "--registry", builtin).exit_code == 1
