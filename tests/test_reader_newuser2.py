"""Faults a second new user found in the reader (notes newuser2-report F1, F2, F4, F6):
real .xlsx in, the master read back with openpyxl."""
from __future__ import annotations

import openpyxl
import pytest

from xltools import read_plan
from xltools.check.validate import validate_plan
from xltools.rules.numbering import ARABIC, CN, CN_PAREN, label


def master_rows(path) -> list[dict]:
    ws = openpyxl.load_workbook(path)["汇总"]
    header = [c.value for c in ws[1]]
    return [dict(zip(header, (c.value for c in row))) for row in ws.iter_rows(min_row=2)]


@pytest.mark.parametrize("written, rank, path, text", [
    ("第一条", CN, (1,), "第一条"), ("第1条", CN, (1,), "第1条"), ("第十二项", CN, (12,), "第十二项"),
    ("第3项", CN, (3,), "第3项"), ("一是", CN_PAREN, (1,), "一是"), ("二是：", CN_PAREN, (2,), "二是"),
])
def test_article_and_yishi_numbers_are_labels(written, rank, path, text):
    lab = label(written)
    assert (lab.rank, lab.path, lab.text) == (rank, path, text)
    assert lab.heads(label("1.1"))


@pytest.mark.parametrize("written", ["第〇条", "是", "第一条款", "第条"])
def test_no_article_label(written):
    assert label(written) is None


def test_numbered_by_article_three_tasks_stay_three(tmp_path, xlsx):
    """第一条/第二条/第三条 in the 序号 column: three tasks, not one glued task that the merge
    says lost nothing, and no finding about a number or a unit nobody wrote."""
    from xltools.work.merge import merge
    rows = [["2025年历下区政务公开重点任务清单"], ["序号", "任务内容", "责任单位", "完成时限"],
            ["第一条", "统筹推进政务公开标准化建设", "区政府办公室", "2025年6月底前"],
            ["第二条", "做好政策解读", "区发展和改革局 区财政局", "持续推进"],
            ["第三条", "规范依申请公开办理", "区司法局", "2025年9月底前"]]
    src = xlsx({"Sheet": rows}, name="r8_第一条编号.xlsx")
    plan = read_plan(src)
    sheet, = plan.sheets
    assert [(t.requirement, t.leads_written, t.deadline_raw) for t in sheet.tasks] == [
        ("统筹推进政务公开标准化建设", ("区政府办公室",), "2025年6月底前"),
        ("做好政策解读", ("区发展和改革局", "区财政局"), "持续推进"),
        ("规范依申请公开办理", ("区司法局",), "2025年9月底前")]
    codes = [f.code for f in validate_plan(plan)]
    assert "joined-split-row" not in codes and "missing-seq" not in codes
    out = tmp_path / "汇总.xlsx"
    merge([src], out)
    got = master_rows(out)
    assert [r["具体要求"] for r in got] == ["统筹推进政务公开标准化建设", "做好政策解读", "规范依申请公开办理"]


def test_articles_over_dotted_numbers(xlsx):
    """第一条, 第二条 then 1.1, 1.1.1: 第二条 has its own units and deadline, a task, not glued on."""
    rows = [["2025年历下区政务公开重点任务清单"], ["编号", "任务内容", "责任单位", "完成时限"],
            ["第一条", "统筹推进政务公开标准化建设", "区政府办公室\n区司法局", "2025年6月底前"],
            ["第二条", "做好政策解读", "区发展和改革局 区财政局", "持续推进"],
            ["1.1", "规范依申请公开办理", "区政府办公室，区司法局", "2025年9月底前"],
            ["1.1.1", "完善答复模板", "区司法局", "2025年3月—12月"]]
    sheet, = read_plan(xlsx({"Sheet": rows}, name="r7.xlsx")).sheets
    assert [t.requirement for t in sheet.tasks] == ["统筹推进政务公开标准化建设", "做好政策解读", "规范依申请公开办理",
                                                   "完善答复模板"]
    assert sheet.tasks[1].leads_written == ("区发展和改革局", "区财政局")
