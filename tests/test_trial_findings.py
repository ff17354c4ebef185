"""What a new user found in English and on the command line (helper h-trial, 2026-12-07);
each test failed before its fix."""
from __future__ import annotations

from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from xltools.cli.app import cli


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_units_add_takes_the_kind_in_english_and_says_the_kinds_in_english(tmp_path):
    registry = tmp_path / "registry.xlsx"
    assert run("units", "export", registry).exit_code == 0
    added = run("units", "add", registry, "区火星数据局", "--kind", "department", "--lang", "en")
    assert added.exit_code == 0, added.output
    rows = CalamineWorkbook.from_path(str(registry)).get_sheet_by_index(0).to_python()
    assert ["", "区火星数据局", "", "部门", "县级"] in [list(r) for r in rows]     # the 单位名录 holds the Chinese
    bad = run("units", "add", registry, "区火星办", "--kind", "dept", "--lang", "en")
    assert bad.exit_code == 2
    assert "the kind 'dept' is not one of: department (部门)" in bad.output
    assert "第" not in bad.output and "类别" not in bad.output
    zh = run("units", "add", registry, "区火星办", "--kind", "部")
    assert zh.exit_code == 2 and "类别“部”无效，应为：部门、街道" in zh.output
