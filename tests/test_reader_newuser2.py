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


LEDGER_HEAD = [["2021年盘锦市报送台账"], ["序号", "工作事项", "责任单位", "时间节点"]]
TASK2 = [2, "经分管市领导审核把关后报送市政府", "各牵头单位", "2月7日前"]


@pytest.mark.parametrize("first, tail, merges", [
    ([1, "各牵头单位的具体推进实施方案报送各位分管市领", "各牵头单位", "2021年2月3日前"], [None, "导", None, None], None),
    ([1, "各牵头单位的具体推进实施方案报送各位分管市领", "各牵头单位", "2021年2月3日"], [None, "导", None, "前"], None),
    ([1, "各牵头单位的具体推进实施方案报送各位分管市领", "各牵头单位", "2021年2月3日前"], [None, "导", None, None],
     ["C3:C5"]),
])
def test_a_ledger_row_split_at_a_page_break_is_joined(tmp_path, xlsx, first, tail, merges):
    """The only text column read as 工作任务 (工作事项): the tail "导" (and the deadline's
    "前") belong to task 1; no phantom task, no "None" in any finding, 2 tasks in the master."""
    from xltools.work.merge import merge
    task2 = list(TASK2)
    if merges:
        task2[2] = None
    src = xlsx({"Sheet": LEDGER_HEAD + [first, tail, task2]}, merges={"Sheet": merges} if merges else None,
               name="盘锦市台账.xlsx")
    plan = read_plan(src)
    sheet, = plan.sheets
    assert [(t.seq, t.section, t.deadline_raw, t.rows) for t in sheet.tasks] == [
        (1, "各牵头单位的具体推进实施方案报送各位分管市领导", "2021年2月3日前", [3, 4]),
        (2, "经分管市领导审核把关后报送市政府", "2月7日前", [5])]
    found = validate_plan(plan)
    assert {f.code for f in found} <= {"joined-split-row"}, [f.message() for f in found]
    assert not any("None" in f.message() for f in found)
    out = tmp_path / "汇总.xlsx"
    merge([src], out)
    got = master_rows(out)
    assert [(r["序号"], r["工作任务"], r["完成时限"]) for r in got] == [
        (1, "各牵头单位的具体推进实施方案报送各位分管市领导", "2021年2月3日前"),
        (2, "经分管市领导审核把关后报送市政府", "2月7日前")]


def test_a_ledger_task_with_only_its_text_is_a_task_not_an_empty_number(tmp_path, xlsx):
    """序号 1 with its text in 工作事项 and nothing else: a task lacking units and deadline
    (said so), not "第 1 项只有序号" and not dropped from the master."""
    from xltools.work.merge import merge
    src = xlsx({"Sheet": LEDGER_HEAD + [[1, "报送方案", None, None], TASK2]}, name="盘锦市台账.xlsx")
    plan = read_plan(src)
    codes = [f.code for f in validate_plan(plan)]
    assert "empty-task" not in codes and {"missing-units", "missing-deadline"} <= set(codes)
    out = tmp_path / "汇总.xlsx"
    merge([src], out)
    assert [r["工作任务"] for r in master_rows(out)] == ["报送方案", "经分管市领导审核把关后报送市政府"]


def test_an_unnumbered_row_without_task_content_never_says_none(tmp_path, xlsx):
    """A first data row with no number and no requirement, units or deadline: said as a row,
    never "第 None 项只有序号" (it has no number), nor "第 ? 项" when the merge leaves it out."""
    from xltools.work.merge import merge
    rows = [["2024年某某区任务表"], ["序号", "工作任务", "具体要求", "责任单位", "完成时限"],
            [None, "一级标题文字", None, None, None],
            [1, None, "公开预决算。", "区财政局", "2024年6月底前"]]
    src = xlsx({"S": rows}, name="某某区.xlsx")
    found = validate_plan(read_plan(src))
    texts = [f.message() for f in found]
    assert not any("None" in m or "只有序号" in m for m in texts), texts
    out = tmp_path / "汇总.xlsx"
    summary = merge([src], out)
    said = [f.message() for f in summary.rejected]
    said += [str(c.value) for row in openpyxl.load_workbook(out)["问题清单"].iter_rows() for c in row if c.value]
    assert not any("None" in m or "第 ? 项" in m or "只有序号" in m for m in said), said


def test_a_districts_own_columns_reach_the_master_and_remarks_are_not_progress(tmp_path, xlsx):
    """报送对象 (no field of ours) and 备注 (a remark, not 进展情况) are columns of the
    master as the district wrote them; 进展情况 stays empty for the units' returns; a
    second merge keeps them once, and does not call them columns typed into 汇总."""
    from xltools.work.merge import merge
    rows = [["2025年历城区重点任务台账"], ["序号", "工作任务", "牵头单位", "报送对象", "完成时限", "备注"],
            [1, "报送实施方案", "区发展和改革局", "分管区领导", "2025年2月3日前", "需附联系人名单"],
            [2, "报送总结", "区财政局", None, "2025年3月底前", None]]
    src = xlsx({"Sheet": rows}, name="历城区台账.xlsx")
    sheet, = read_plan(src).sheets
    assert "progress" not in sheet.columns
    out = tmp_path / "汇总.xlsx"
    for _ in range(2):
        summary = merge([src], out)
        assert summary.kept_columns == []
        got = master_rows(out)
        assert [(r["报送对象"], r["备注"], r["进展情况"]) for r in got] == [
            ("分管区领导", "需附联系人名单", None), (None, None, None)]
        header = [c.value for c in openpyxl.load_workbook(out)["汇总"][1]]
        assert header.count("报送对象") == 1 and header.count("备注") == 1


def test_the_master_shows_the_number_as_the_district_wrote_it(tmp_path, xlsx):
    """一、 （一） ① 第一条 in the master as written (not 1); plain numbers stay numbers; the
    task keys still count by the number; a second merge sees no change."""
    from xltools.work.merge import merge
    a = xlsx({"S": [["2023年蔡甸区任务分解方案"], ["序号", "具体要求", "牵头单位", "完成时限"],
                    ["（一）", "地区生产总值增长7%以上。", "区发展和改革局", "2023年12月底前"],
                    ["（二）", "固定资产投资增长10%以上。", "区财政局", "2023年12月底前"]]}, name="蔡甸区.xlsx")
    b = xlsx({"S": [["2023年江夏区任务分解方案"], ["序号", "具体要求", "牵头单位", "完成时限"],
                    ["一、", "做好政策解读。", "区财政局", "2023年12月底前"],
                    ["①", "公开预决算。", "区财政局", "2023年12月底前"],
                    [3, "规范依申请公开。", "区司法局", "2023年12月底前"]]}, name="江夏区.xlsx")
    out = tmp_path / "汇总.xlsx"
    merge([a, b], out)
    got = {(r["区县"], r["具体要求"]): (r["序号"], r["任务编号"].split("-")[2]) for r in master_rows(out)}
    assert got == {("蔡甸区", "地区生产总值增长7%以上。"): ("（一）", "001"),
                   ("蔡甸区", "固定资产投资增长10%以上。"): ("（二）", "002"),
                   ("江夏区", "做好政策解读。"): ("一、", "001"), ("江夏区", "公开预决算。"): ("①", "001"),
                   ("江夏区", "规范依申请公开。"): (3, "003")}
    again = merge([a, b], out)
    assert (again.changes.added, again.changes.removed, again.changes.changed) == (0, 0, 0)


def test_inspect_shows_the_number_as_written(xlsx):
    from click.testing import CliRunner
    from xltools.cli.app import cli
    src = xlsx({"S": [["2023年蔡甸区任务分解方案"], ["序号", "具体要求", "牵头单位", "完成时限"],
                      ["（一）", "地区生产总值增长7%以上。", "区发展和改革局", "2023年12月底前"]]}, name="蔡甸区.xlsx")
    result = CliRunner().invoke(cli, ["inspect", str(src)])
    line = next(x for x in result.output.splitlines() if "地区生产总值" in x)
    row, seq = line.split()[:2]     # the column is 5 wide (README shows it): （一） may show as （…
    assert row == "3" and seq in ("（一）", "（…"), result.output


def test_a_value_typed_into_a_districts_column_of_the_master_is_kept(tmp_path, xlsx):
    """The clerk typed into the master's 备注 (a district's column): a re-merge keeps it."""
    from xltools.work.merge import merge
    rows = [["2025年历城区重点任务台账"], ["序号", "工作任务", "牵头单位", "完成时限", "备注"],
            [1, "报送实施方案", "区发展和改革局", "2025年2月3日前", "需附联系人名单"],
            [2, "报送总结", "区财政局", "2025年3月底前", None]]
    src = xlsx({"Sheet": rows}, name="历城区台账.xlsx")
    out = tmp_path / "汇总.xlsx"
    merge([src], out)
    wb = openpyxl.load_workbook(out)
    ws = wb["汇总"]
    c = [x.value for x in ws[1]].index("备注") + 1
    ws.cell(2, c).value, ws.cell(3, c).value = "已电话督促", "下周报"
    wb.save(out)
    merge([src], out)
    assert [r["备注"] for r in master_rows(out)] == ["已电话督促", "下周报"]
