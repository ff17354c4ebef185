"""flag on a master with --as-of (the second new-user trial): the warnings are then judged
as of that day for good, and the master says so wherever it says what they are judged
by — 合并记录's 预警基准日 and every page's header — never "TODAY()" over frozen formulas;
flag without --as-of makes them live again and says that.  A master merged from the
example, flagged through the CLI, read back with openpyxl."""
from __future__ import annotations

import openpyxl
from click.testing import CliRunner

from conftest import TIANQIAO
from xltools import schema
from xltools.cli.app import cli
from xltools.work.merge import merge
from xltools.write.master import SHEET_LOG, SHEET_MASTER


def said(path):
    wb = openpyxl.load_workbook(path)
    log = {str(r[0].value): r[1].value for r in wb[SHEET_LOG].iter_rows(max_row=10, max_col=2)}
    return log["预警基准日"], log["临期天数"], wb[SHEET_MASTER].oddHeader.right.text, wb[SHEET_MASTER]


def test_a_fixed_day_is_said_as_that_day_and_today_again_as_today(tmp_path):
    master = tmp_path / "汇总.xlsx"
    merge([TIANQIAO], master)
    as_of, soon, header, _ = said(master)
    assert "TODAY()" in as_of and "TODAY()" in header

    res = CliRunner().invoke(cli, ["flag", str(master), "--as-of", "2026-12-07", "--soon-days", "10"])
    assert res.exit_code == 0, res.output
    as_of, soon, header, ws = said(master)
    assert as_of == "2026-12-07" and soon == 10
    assert header == "预警基准日：2026-12-07" and "TODAY" not in header
    warning = next(c for c in ws[2] if isinstance(c.value, str) and "DATE(2026,12,7)" in c.value)
    assert warning.value.startswith("=")
    # the master had both columns: updated, not "added"; the fixed day said, and how to undo it
    assert "已更新" in res.output and "加上" not in res.output
    assert "预警按固定日期 2026-12-07 判断" in res.output and "不加 --as-of" in res.output

    res = CliRunner().invoke(cli, ["flag", str(master)])
    as_of, soon, header, ws = said(master)
    assert res.exit_code == 0 and "TODAY()" in as_of and "TODAY()" in header
    assert soon == schema.DEFAULT_SOON_DAYS
    assert any(isinstance(c.value, str) and "TODAY()" in c.value for c in ws[2])
    assert "每天自动更新" in res.output

    res = CliRunner().invoke(cli, ["flag", str(master), "--as-of", "2026-12-07", "--lang", "en"])
    assert "fixed day 2026-12-07" in res.output and "Updated" in res.output
