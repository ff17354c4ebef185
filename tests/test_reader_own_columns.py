"""Two columns whose headers both read as the requirement (工作目标 | 具体措施, 主要内容 |
工作措施): the first is the requirement, the other is kept as the district's own column,
never dropped (read.table._own_column).  Real .xlsx in; the master read back with openpyxl
and calamine."""
from __future__ import annotations

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from xltools import read_plan
from xltools.read.columns import parse_columns
from xltools.work.merge import merge

TITLE = ["2024年天桥区优化营商环境重点工作任务分解表"]
GOAL = "政务服务事项网上可办率达到98%以上"
MEASURE = "梳理公布政务服务事项清单，推行“一网通办”，按月调度办理情况"


def rows_under(header: list[str]) -> list[list]:
    texts = {"工作任务": "提升政务服务效能", "重点任务": "提升政务服务效能", "任务名称": "提升政务服务效能",
             "责任单位": "区行政审批服务局", "完成时限": "2024年12月底前"}
    first, second = [h for h in header if texts.get(h) is None and h != "序号"]
    row = [1 if h == "序号" else texts.get(h) for h in header]
    row[header.index(first)], row[header.index(second)] = GOAL, MEASURE
    return [TITLE, header, row, [2, *(["推进“高效办成一件事”"] + row[2:])]]


@pytest.mark.parametrize("header, own", [
    (["序号", "工作任务", "工作目标", "具体措施", "责任单位", "完成时限"], "具体措施"),
    (["序号", "重点任务", "主要内容", "工作措施", "责任单位", "完成时限"], "工作措施"),
    (["序号", "任务名称", "具体要求", "工作目标", "责任单位", "完成时限"], "工作目标"),
    (["序号", "工作任务", "目标要求", "具体措施", "责任单位", "完成时限"], "目标要求"),   # a header no field reads
])
def test_a_second_requirement_like_column_is_kept(xlsx, tmp_path, header, own):
    src = xlsx({"Sheet1": rows_under(header)}, name="2024年天桥区任务分解表.xlsx")
    sheet, = read_plan(src).sheets
    task = sheet.tasks[0]
    requirement = next(h for h in header[2:4] if h != own)
    assert sheet.columns["requirement"] == "CD"[header.index(requirement) - 2]
    assert task.requirement == (GOAL if requirement == header[2] else MEASURE)
    assert task.extra == {own: MEASURE if requirement == header[2] else GOAL}

    out = tmp_path / "汇总.xlsx"
    merge([src], out)
    ws = openpyxl.load_workbook(out)["汇总"]
    head = [c.value for c in ws[1]]
    got = [dict(zip(head, (c.value for c in row))) for row in ws.iter_rows(min_row=2)]
    cal = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("汇总").to_python()
    for rows in (got, [dict(zip(cal[0], r)) for r in cal[1:]]):
        assert [r["具体要求"] for r in rows] == [task.requirement] * 2
        assert [r[own] for r in rows] == [task.extra[own]] * 2     # both texts in the master, none lost
        values = {str(v) for r in rows for v in r.values()}
        assert {GOAL, MEASURE} <= values


def test_a_column_the_clerk_says_not_to_read_is_not_kept(xlsx):
    """目标任务=不读: the clerk decided; the column is neither the requirement nor kept."""
    header = ["序号", "任务名称", "目标任务", "具体措施", "责任单位", "完成时限"]
    src = xlsx({"Sheet1": rows_under(header)})
    sheet, = read_plan(src).sheets
    assert (sheet.tasks[0].requirement, sheet.tasks[0].extra) == (GOAL, {"具体措施": MEASURE})
    sheet, = read_plan(src, columns=parse_columns("目标任务=不读,具体措施=具体要求")).sheets
    assert (sheet.tasks[0].requirement, sheet.tasks[0].extra) == (MEASURE, {})
