"""What a clerk gives collect by mistake: the districts' task sheets (no returns), the
master itself, only returns of another master.  Each file is named with the reason, the
exit code is 1, and the master is left as it was (no version kept: nothing to undo)."""
from __future__ import annotations

import shutil

from click.testing import CliRunner

from conftest import CHANGQING, TIANQIAO
from loop_fixtures import split_master
from xltools.cli.app import cli
from xltools.work.history import history


def versions_of(path):
    return history(path).versions


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_district_sheets_are_no_returns(tmp_path):
    split_master(tmp_path, [TIANQIAO])
    master = tmp_path / "汇总.xlsx"
    plans = tmp_path / "区县原表"
    plans.mkdir()
    for plan in (TIANQIAO, CHANGQING):
        shutil.copy(plan, plans)
    before, kept = master.read_bytes(), len(versions_of(master))
    result = run("collect", plans, "--into", master)
    assert result.exit_code == 1, result.output
    assert master.read_bytes() == before and len(versions_of(master)) == kept
    assert "没有收集到任何报送表，汇总表未改动" in result.output
    for plan in (TIANQIAO, CHANGQING):
        assert f"{plan.name}：不是报送表" in result.output
    assert "Not a return" in run("collect", plans, "--into", master, "--lang", "en").output


def test_the_master_given_as_its_own_input(tmp_path):
    split_master(tmp_path, [TIANQIAO])
    master = tmp_path / "汇总.xlsx"
    before = master.read_bytes()
    result = run("collect", master, "--into", master)
    assert result.exit_code == 1 and master.read_bytes() == before
    assert "跳过 汇总.xlsx：这是汇总表本身" in result.output


def test_returns_of_another_master_only(tmp_path):
    other = tmp_path / "另一份"
    other.mkdir()
    sent = split_master(other, [CHANGQING])
    split_master(tmp_path, [TIANQIAO])
    master = tmp_path / "汇总.xlsx"
    before, kept = master.read_bytes(), len(versions_of(master))
    result = run("collect", other / "下发", "--into", master)
    assert result.exit_code == 1 and sent.files
    assert master.read_bytes() == before and len(versions_of(master)) == kept
    assert "整份未收集" in result.output and "没有收集到任何报送表" in result.output
    assert "收集记录" not in result.output.split("没有收集到任何报送表")[1]      # nothing was written there
