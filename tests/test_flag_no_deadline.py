"""`xltools flag` on a table with no 完成时限 column (newuser3 finding 12): one line saying so,
the file byte for byte as it was, no backup, exit 1 — not empty 截止日期 cells and blank
预警 formulas that only look as if it worked."""
from __future__ import annotations

import datetime as dt

import openpyxl
import python_calamine as pc
import pytest
from click.testing import CliRunner

from conftest import write_xlsx

from xltools.cli.app import cli
from xltools.work.flag import NothingToFlag, flag_file

ROWS = [["2021年江门市卫生健康局政务公开工作要点分工方案"],
        ["序号", "工作任务", "责任科室"],
        [1, "加强疫情防控信息发布，及时公开疫情防控政策措施和工作进展", "局防控办"],
        [2, "推进医疗卫生服务信息公开，公布医疗机构服务项目和收费标准", "医政医管科"],
        [3, "做好政府信息公开年度报告的编制和发布工作", "办公室"]]


@pytest.fixture
def no_deadline(tmp_path):
    return write_xlsx(tmp_path / "江门市卫生健康局2021年政务公开工作要点分工方案.xlsx", {"分工": ROWS})


@pytest.mark.parametrize("lang, words", [("zh", "没有“完成时限”列"), ("en", "has no 完成时限 (deadline) column")])
def test_flag_without_deadline_column_says_so_and_leaves_the_file(no_deadline, lang, words):
    before = no_deadline.read_bytes()
    res = CliRunner().invoke(cli, ["flag", str(no_deadline), "--as-of", "2021-09-15", "--lang", lang])
    assert res.exit_code == 1, res.output
    lines = [line for line in res.output.splitlines() if line.strip()]
    assert len(lines) == 1 and words in lines[0] and no_deadline.name in lines[0], res.output
    assert "Traceback" not in res.output and "加上截止日期" not in res.output
    assert no_deadline.read_bytes() == before
    assert sorted(p.name for p in no_deadline.parent.iterdir()) == [no_deadline.name]   # no .bak, no versions
    sheet = pc.CalamineWorkbook.from_path(str(no_deadline)).get_sheet_by_name("分工").to_python()
    assert sheet[1] == ["序号", "工作任务", "责任科室"]


def test_flag_file_raises_and_the_same_table_with_deadlines_is_flagged(tmp_path, no_deadline):
    with pytest.raises(NothingToFlag) as caught:
        flag_file(no_deadline, as_of=dt.date(2021, 9, 15))
    assert caught.value.exit_code == 1
    # the control: the same table with a 完成时限 column is flagged as before
    rows = [ROWS[0], ROWS[1] + ["完成时限"]] + [r + ["2021年12月底前"] for r in ROWS[2:]]
    with_deadline = write_xlsx(tmp_path / "有时限.xlsx", {"分工": rows})
    result = flag_file(with_deadline, as_of=dt.date(2021, 9, 15))
    assert result.changed and result.sheets == [("分工", 3)]
    ws = openpyxl.load_workbook(with_deadline)["分工"]
    header = [c.value for c in ws[2]]
    assert "截止日期" in header and "预警" in header
    due = header.index("截止日期") + 1
    assert [ws.cell(r, due).value.date() for r in (3, 4, 5)] == [dt.date(2021, 12, 31)] * 3
