"""Beside test_collect_inputs (new-user trial): a return next to a district's task sheet
is collected while the sheet is refused by name; a return made before 下发底稿 still
collects; Excel's lock file stops collect with words that fit collect, not merge."""
from __future__ import annotations

import openpyxl
from click.testing import CliRunner

from conftest import CHANGQING, TIANQIAO
from loop_fixtures import edit, split_master
from xltools.cli.app import cli
from xltools.work.loop import collect
from xltools.write.templates import SENT_SHEET


def typed(ret, words):
    edit(ret, lambda ws, head, rows: setattr(ws.cell(rows[next(iter(rows))], head["进展情况"]), "value", words))


def master_values(master):
    return [c.value for row in openpyxl.load_workbook(master)["汇总"].iter_rows() for c in row]


def test_a_return_beside_a_district_sheet_is_collected(tmp_path):
    ret = split_master(tmp_path, [TIANQIAO]).files[0][1]
    typed(ret, "已推进")
    result = collect([ret, CHANGQING], tmp_path / "汇总.xlsx")
    assert result.files == [ret] and result.updated >= 1 and result.exit_code == 1
    assert [p.name for p, _ in result.failed] == [CHANGQING.name]
    assert "已推进" in master_values(tmp_path / "汇总.xlsx")


def test_a_return_made_before_its_sent_sheet_still_collects(tmp_path):
    ret = split_master(tmp_path, [TIANQIAO]).files[0][1]
    typed(ret, "老报送")
    wb = openpyxl.load_workbook(ret)
    del wb[SENT_SHEET]
    wb.save(ret)
    result = collect([ret], tmp_path / "汇总.xlsx")
    assert result.files == [ret] and not result.failed and result.updated >= 1
    assert "老报送" in master_values(tmp_path / "汇总.xlsx")


def test_lock_file_words_fit_collect(tmp_path):
    ret = split_master(tmp_path, [TIANQIAO]).files[0][1]
    master = tmp_path / "汇总.xlsx"
    (tmp_path / f"~${master.name}").write_bytes(b"x")
    before = master.read_bytes()
    res = CliRunner().invoke(cli, ["collect", str(ret), "--into", str(master)])
    assert res.exit_code == 2, res.output
    assert "请先在 Excel/WPS 中关闭它再运行" in res.output and "再合并" not in res.output
    res = CliRunner().invoke(cli, ["--lang", "en", "collect", str(ret), "--into", str(master)])
    assert res.exit_code == 2 and "run again" in res.output and "merge again" not in res.output
    assert master.read_bytes() == before


def test_a_district_sheet_is_pointed_to_merge(tmp_path):
    split_master(tmp_path, [TIANQIAO])
    master = tmp_path / "汇总.xlsx"
    before = master.read_bytes()
    res = CliRunner().invoke(cli, ["collect", str(CHANGQING), "--into", str(master)])
    assert res.exit_code == 1 and f"{CHANGQING.name}：不是报送表" in res.output
    assert "如要把区县的任务表并入汇总表，请用 xltools merge" in res.output
    res = CliRunner().invoke(cli, ["--lang", "en", "collect", str(CHANGQING), "--into", str(master)])
    assert res.exit_code == 1 and "use xltools merge" in res.output
    assert master.read_bytes() == before
