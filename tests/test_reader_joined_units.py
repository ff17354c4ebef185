"""A task row split in two at a page break, both halves holding units (new-user trials
on real published tables): the units are joined as units are separated, the text as
text.  Real .xlsx in; the master read back with openpyxl and calamine."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from xltools import read_plan
from xltools.check.validate import validate_plan
from xltools.rules.units import join_cut_cell, split_units
from xltools.work.merge import merge

HEAD = [["附件"], ["2024年天桥区政务公开重点工作任务分工"], ["序号", "具体要求", "牵头单位", "配合单位", "完成时限"]]
FIRST = [1, "做好政策解读，及时回应社会关切", "区政府办公室", "区司法局", "2024年6月底前"]
LAST = [3, "完善政府网站集约化平台功能", "区大数据中心", None, "2024年9月底前"]


def split_row(head_units, tail_units):
    """Task 2 broken by a page break: the sentence, the 配合单位 list and the deadline go on."""
    return HEAD + [FIRST,
                   [2, "推进教育、民政等领域信息公开，及时发布", "区政府办公室", head_units, "2024年12月"],
                   [None, "惠民政策文件", None, tail_units, "底前"],
                   LAST]


@pytest.mark.parametrize("head, tail, joined", [
    ("区财政局、区教育局、", "区民政局", "区财政局、区教育局、区民政局"),    # the break inside the list
    ("区财政局、区教育局", "、区民政局", "区财政局、区教育局、区民政局"),
    ("区财政局", "区民政局", "区财政局、区民政局"),                        # the break between two units
    ("区财政局，", "区民政局", "区财政局，区民政局"),
    ("区财政局\n", "各街道办事处", "区财政局、各街道办事处"),               # a line break trimmed: names meet
    ("区财政局", "（牵头）", "区财政局（牵头）"),                         # a bracket goes with its name
    ("区人力资源和社会", "保障局", "区人力资源和社会保障局"),              # a name cut in two: one name
    ("区文旅局等有关部", "门（单位）", "区文旅局等有关部门（单位）"),
])
def test_join_cut_cell(head, tail, joined):
    assert join_cut_cell(head, tail) == joined


@pytest.mark.parametrize("head, tail", [("区财政局、区教育局、", "区民政局"), ("区财政局、区教育局", "区民政局"),
                                        ("区财政局、区教育局", "、区民政局")])
def test_units_broken_across_a_page_break(xlsx, tmp_path, head, tail):
    src = xlsx({"Sheet1": split_row(head, tail)}, name="2024年天桥区任务分工.xlsx")
    plan = read_plan(src)
    tasks = plan.sheets[0].tasks
    assert [t.seq for t in tasks] == [1, 2, 3]
    task = tasks[1]
    assert task.rows == [5, 6]
    assert task.supports_written == ("区财政局", "区教育局", "区民政局")
    assert task.requirement == "推进教育、民政等领域信息公开，及时发布惠民政策文件"   # no separator inside a sentence
    assert (task.deadline_raw, task.due) == ("2024年12月底前", dt.date(2024, 12, 31))
    found = validate_plan(plan)
    assert {f.code for f in found} == {"joined-split-row"}, [f.message() for f in found]

    out = tmp_path / "汇总.xlsx"
    merge([src], out)
    ws = openpyxl.load_workbook(out)["汇总"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, (c.value for c in row))) for row in ws.iter_rows(min_row=2)]
    cal = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("汇总").to_python()
    cal_rows = [dict(zip(cal[0], row)) for row in cal[1:]]
    for got in (rows, cal_rows):
        assert len(got) == 3
        assert got[1]["配合单位"] == "区财政局、区教育局、区民政局"
        assert got[1]["具体要求"] == "推进教育、民政等领域信息公开，及时发布惠民政策文件"


def test_one_units_column_broken_between_two_units(xlsx):
    """One 责任单位 column, role words on both halves: 区司法局 | 区民政局配合."""
    rows = [["2024年天桥区政务公开重点工作任务分工"], ["序号", "工作任务", "具体要求", "责任单位", "完成时限"],
            [1, "政策解读", "做好政策解读", "区政府办公室", "2024年6月底前"],
            [2, "基层公开", "推进基层政务公开标准化规范化建设，", "区政府办公室牵头，区司法局", "2024年12月"],
            [None, None, "更新公开目录", "区民政局配合", "底前"],
            [3, "网站建设", "完善政府网站", "区大数据中心", "2024年9月底前"]]
    plan = read_plan(xlsx({"Sheet1": rows}))
    task = plan.sheets[0].tasks[1]
    assert (task.leads_written, task.supports_written) == (("区政府办公室",), ("区司法局", "区民政局"))
    assert task.requirement == "推进基层政务公开标准化规范化建设，更新公开目录"
    assert split_units(task.units_text).all == ("区政府办公室", "区司法局", "区民政局")
    assert not [f for f in validate_plan(plan) if f.severity == "error"]


def test_a_unit_name_cut_in_two_is_one_unit(xlsx):
    """The break inside one name: joined as one name."""
    plan = read_plan(xlsx({"Sheet1": split_row("区财政局、区人力资源和社会", "保障局")}))
    assert plan.sheets[0].tasks[1].supports_written == ("区财政局", "区人力资源和社会保障局")
    assert not [f for f in validate_plan(plan) if f.severity == "error"]
