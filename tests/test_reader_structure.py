"""Numbering and headings by structure, combined headers, headers of 1–3 rows (issue 23,
point 3): real .xlsx / .csv files read back, every field and finding checked."""
from __future__ import annotations

import csv
import datetime as dt

import openpyxl
import pytest

from xltools import read_plan
from xltools.check.validate import validate_plan
from xltools.rules.keys import task_key
from xltools.rules.numbering import ARABIC, CIRCLE, CN, CN_PAREN, PAREN, label

D = dt.date


def codes(sheet) -> list[str]:
    return [f.code for f in sheet.findings]


def checked(plan) -> list[str]:
    """Every finding's code, as validate reports them (reading and checking)."""
    return [f.code for f in validate_plan(plan)]


@pytest.mark.parametrize("written, rank, path, seq", [
    (1, ARABIC, (1,), 1), (3.0, ARABIC, (3,), 3), ("3.0", ARABIC, (3,), 3), ("12", ARABIC, (12,), 12),
    ("1.", ARABIC, (1,), 1), ("1、", ARABIC, (1,), 1), ("１．２", ARABIC, (1, 2), "1.2"),
    ("1.1", ARABIC, (1, 1), "1.1"), (1.1, ARABIC, (1, 1), "1.1"), ("2.10", ARABIC, (2, 10), "2.10"),
    ("1.1.3", ARABIC, (1, 1, 3), "1.1.3"), ("（1）", PAREN, (1,), 1), ("(12)", PAREN, (12,), 12),
    ("3）", PAREN, (3,), 3), ("①", CIRCLE, (1,), 1), ("⑫", CIRCLE, (12,), 12), ("一、", CN, (1,), 1),
    ("十二、", CN, (12,), 12), ("二十一、", CN, (21,), 21), ("（三）", CN_PAREN, (3,), 3),
    ("(十)", CN_PAREN, (10,), 10),
])
def test_labels_as_offices_write_them(written, rank, path, seq):
    lab = label(written)
    assert (lab.rank, lab.path, lab.seq) == (rank, path, seq)


@pytest.mark.parametrize("written", [None, True, "", "序号", "示例", "一二、", "2024年", "1.2.3.4.5.6", "加强信息公开",
                                     "合计", -1])
def test_no_label(written):
    assert label(written) is None


@pytest.mark.parametrize("above, below, heads", [
    ("1", "1.1", True), ("1.1", "1.1.1", True), ("1", "2.1", False), ("1", "2", False), ("1.1", "1.2", False),
    ("一、", "（一）", True), ("一、", "1", True), ("（一）", "1.", True), ("1.", "（1）", True), ("（1）", "①", True),
    ("（一）", "一、", False), ("①", "②", False), ("1.1", "2", False),
])
def test_a_label_heads_the_deeper_one_below(above, below, heads):
    assert label(above).heads(label(below)) is heads


def test_1_over_1_1_headings_are_sections_and_lend_nothing(xlsx):
    """A county sheet numbered 1 / 1.1 under the combined header 工作任务及具体要求: the
    whole-number rows head groups (no units, no deadline): sections, not tasks, without
    false findings; units merged over a group's rows belong to its tasks."""
    rows = [
        ["2024年某某区政务公开工作任务分解表"],
        ["序号", "工作任务及具体要求", "责任单位", "完成时限"],
        [1, "深化政务公开", None, None],
        ["1.1", "公开预决算。", "区财政局", "2024年6月底前"],
        ["1.2", "公开专项资金分配。", "区审计局", "2024年12月底前"],
        ["2", "加强平台建设", "区政府办公室", None],
        ["2.1", "网站适老化改造。", None, "2024年9月底前"],
        ["2.2", "政务新媒体规范。", None, "长期坚持"],
        [2.3, "做好政府公报。", "区司法局", None],
    ]
    # 区政府办公室 shared by 2.1 and 2.2 (merged from the heading down); 2.2's deadline
    # merged into 2.3's row
    path = xlsx({"S": rows}, {"S": ["C6:C8", "D8:D9"]})
    plan = read_plan(path)
    sheet, = plan.sheets
    assert sheet.columns == {"seq": "A", "requirement": "B", "units": "C", "deadline": "D"}
    got = [(t.row, t.seq, t.section, t.requirement, t.leads_written, t.deadline_raw) for t in sheet.tasks]
    assert got == [
        (4, "1.1", "深化政务公开", "公开预决算。", ("区财政局",), "2024年6月底前"),
        (5, "1.2", "深化政务公开", "公开专项资金分配。", ("区审计局",), "2024年12月底前"),
        (7, "2.1", "加强平台建设", "网站适老化改造。", ("区政府办公室",), "2024年9月底前"),
        (8, "2.2", "加强平台建设", "政务新媒体规范。", ("区政府办公室",), "长期坚持"),
        (9, "2.3", "加强平台建设", "做好政府公报。", ("区司法局",), "长期坚持"),
    ]
    assert not {"empty-task", "missing-seq", "missing-requirement", "seq-gap", "seq-duplicate", "joined-split-row",
                "missing-units", "missing-deadline"} & set(checked(plan))
    t11 = sheet.tasks[0]
    assert task_key("某某区", 2024, t11).startswith("某某区-2024-1.1-")


def test_chinese_headings_over_numbers_that_start_again(xlsx):
    """一、 over （一） over 1, 2 (text and numbers mixed): the numbers start again under
    each （一）, so 1 twice is no duplicate; a real duplicate and a gap inside one group are."""
    rows = [
        ["序号", "重点任务", "具体要求", "牵头单位", "配合单位", "完成时限"],
        ["一、", "优化营商环境", None, None, None, None],
        ["（一）", "审批提速", None, None, None, None],
        [1, None, "推行“高效办成一件事”。", "区行政审批局", "区发改局", "6月底前"],
        ["2.", None, "规范涉企检查。", "区司法局", None, "12月底前"],
        ["（二）", "监管执法", None, None, None, None],
        ["1", None, "公开执法结果。", "区市场监管局", None, "每季度"],
        ["3", None, "公开双随机抽查。", "区市场监管局", None, "下半年"],
        ["二、", "民生保障", None, None, None, None],
        ["（一）", "就业", None, None, None, None],
        ["1.", None, "做好就业帮扶。", "区人社局", "各街道", "长期坚持"],
        ["1.", None, "发布招聘信息。", "区人社局", None, "每月"],
    ]
    plan = read_plan(xlsx({"S": rows}), year=2024)
    sheet, = plan.sheets
    assert [(t.seq, t.section, t.subsection, t.requirement) for t in sheet.tasks] == [
        (1, "优化营商环境", "审批提速", "推行“高效办成一件事”。"), (2, "优化营商环境", "审批提速", "规范涉企检查。"),
        (1, "优化营商环境", "监管执法", "公开执法结果。"), (3, "优化营商环境", "监管执法", "公开双随机抽查。"),
        (1, "民生保障", "就业", "做好就业帮扶。"), (1, "民生保障", "就业", "发布招聘信息。")]
    assert [(f.code, f.cell) for f in sheet.findings if f.code.startswith("seq-")] == [
        ("seq-gap", "A8"), ("seq-duplicate", "A12")]
    assert not {"empty-task", "missing-units", "missing-deadline"} & set(checked(plan))


def test_numbers_of_every_form_are_tasks(xlsx):
    rows = [["序号", "具体要求", "责任单位", "完成时限"]]
    forms = ["①", "②", "（3）", "(4)", "5.", "6、", 7, 8.0, "9.0"]
    rows += [[n, f"任务{i}。", "区财政局", "12月底前"] for i, n in enumerate(forms, start=1)]
    sheet, = read_plan(xlsx({"S": rows}), year=2024).sheets
    assert [t.seq for t in sheet.tasks] == list(range(1, 10))
    assert not {"seq-gap", "seq-duplicate", "missing-seq", "joined-split-row"} & set(codes(sheet))


def test_dotted_numbers_duplicates_and_gaps_within_their_parent(xlsx):
    rows = [["序号", "具体要求", "责任单位", "完成时限"],
            ["1.1", "甲。", "区财政局", "6月底前"], ["1.3", "乙。", "区财政局", "6月底前"],
            ["2.1", "丙。", "区财政局", "6月底前"], ["2.1", "丁。", "区财政局", "6月底前"]]
    sheet, = read_plan(xlsx({"S": rows}), year=2024).sheets
    assert [t.seq for t in sheet.tasks] == ["1.1", "1.3", "2.1", "2.1"]
    found = [(f.code, f.cell, f.params) for f in sheet.findings if f.code.startswith("seq-")]
    assert found == [("seq-gap", "A3", {"missing": "1.2"}),
                     ("seq-duplicate", "A5", {"seq": "2.1", "first": 4, "row": 5})]


@pytest.mark.parametrize("cell, units, deadline, due", [
    ("区财政局、区审计局\n2024年6月底前", ("区财政局", "区审计局"), "2024年6月底前", D(2024, 6, 30)),
    ("区住建局牵头，各街镇配合；长期坚持", ("区住建局",), "长期坚持", None),
    ("区民政局2024年9月底前", ("区民政局",), "2024年9月底前", D(2024, 9, 30)),
    ("2024年10月底前", (), "2024年10月底前", D(2024, 10, 31)),
    (dt.datetime(2024, 11, 30), (), "2024-11-30", D(2024, 11, 30)),
    ("区教育局", ("区教育局",), None, None),
])
def test_units_and_deadline_in_one_column(xlsx, cell, units, deadline, due):
    rows = [["序号", "具体要求", "责任单位及完成时限"], [1, "做好信息公开。", cell]]
    plan = read_plan(xlsx({"S": rows}), year=2024)
    sheet, = plan.sheets
    assert sheet.columns == {"seq": "A", "requirement": "B", "units": "C", "deadline": "C"}
    task, = sheet.tasks
    assert (task.leads_written, task.deadline_raw, task.due) == (units, deadline, due)
    assert task.cells["units"] == task.cells["deadline"] == "C2"
    assert ("missing-deadline" in checked(plan)) is (deadline is None)
    assert ("missing-units" in checked(plan)) is (not units)


def test_three_header_rows_in_a_csv_with_a_blank_column(tmp_path):
    """Nothing is merged in a csv: 责任分工 over 责任单位 over 牵头单位 | 配合单位 sit on three rows,
    each holding part of the header; the header repeated at a page break is skipped."""
    header = [["编号", "", "任务内容", "责任分工", "", ""],
              ["", "", "", "责任单位", "", "完成时限"],
              ["", "", "", "牵头单位", "配合单位", ""]]
    rows = [["附件1"], ["2022年某某市重点工作任务"], *header,
            ["（1）", "", "公开预决算。", "市财政局", "市审计局", "上半年"],
            *header,
            ["（2）", "", "公开专项资金。", "市财政局", "", "2022年9月底前"]]
    path = tmp_path / "plan.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
    sheet, = read_plan(path).sheets
    assert sheet.header_row == 3
    assert sheet.columns == {"seq": "A", "requirement": "C", "lead": "D", "support": "E", "deadline": "F"}
    assert [(t.seq, t.requirement, t.leads_written, t.supports_written, t.due) for t in sheet.tasks] == [
        (1, "公开预决算。", ("市财政局",), ("市审计局",), D(2022, 6, 30)),
        (2, "公开专项资金。", ("市财政局",), (), D(2022, 9, 30))]
    assert codes(sheet).count("repeated-header") == 3


def test_three_merged_header_rows_with_two_task_levels(xlsx):
    """工作任务 over 一级 | 二级, 责任分工 over 责任单位 over 牵头单位 | 配合单位: the header
    starts at its first row and the data right under its last."""
    rows = [
        ["2023年某某区重点工作任务分解表"],
        ["序号", "工作任务", None, "具体要求", "责任分工", None, None],
        [None, "一级任务", "二级任务", None, "责任单位", None, "完成时限"],
        [None, None, None, None, "牵头单位", "配合单位", None],
        [1, "一、优化营商环境", "（一）审批提速", "推行一件事。", "区行政审批局", "区发改局", "2023年6月底前"],
    ]
    merges = ["A2:A4", "B2:C2", "B3:B4", "C3:C4", "D2:D4", "E2:G2", "E3:F3", "G3:G4", "A1:G1"]
    sheet, = read_plan(xlsx({"S": rows}, {"S": merges})).sheets
    assert sheet.header_row == 2
    assert sheet.columns == {"seq": "A", "section": "B", "subsection": "C", "requirement": "D", "lead": "E",
                             "support": "F", "deadline": "G"}
    task, = sheet.tasks
    assert (task.row, task.section, task.subsection, task.leads_written, task.supports_written, task.due) == (
        5, "一、优化营商环境", "（一）审批提速", ("区行政审批局",), ("区发改局",), D(2023, 6, 30))
    assert "责任分工" not in str(sheet.to_dict())


def test_unnumbered_tails_join_the_task_above(xlsx):
    """A row without a number that holds only the rest of a requirement (even after a
    closing quote), of a unit list or of a deadline ("前") is the same task, split at a
    page break."""
    rows = [
        ["序号", "具体要求", "牵头单位", "配合单位", "完成时限"],
        [1, "开展“回头看”", "区政府办公室", None, "2024年6月底前"],
        [None, "督查，逐项核查核销。", None, None, None],
        [2, "公开预决算。", "区财政局、", None, "2024年12月底"],
        [None, None, "区审计局", None, "前"],
        [3, "公开专项资金。", "区财政局", None, "下半年"],
    ]
    plan = read_plan(xlsx({"S": rows}), year=2024)
    sheet, = plan.sheets
    assert [(t.seq, t.requirement, t.leads_written, t.deadline_raw, t.rows) for t in sheet.tasks] == [
        (1, "开展“回头看”督查，逐项核查核销。", ("区政府办公室",), "2024年6月底前", [2, 3]),
        (2, "公开预决算。", ("区财政局", "区审计局"), "2024年12月底前", [4, 5]),
        (3, "公开专项资金。", ("区财政局",), "下半年", [6])]
    assert codes(sheet).count("joined-split-row") == 2
    assert not {"missing-seq", "missing-units", "missing-deadline"} & set(checked(plan))


def test_a_master_keeps_dotted_numbers_as_text(tmp_path, xlsx):
    """1.1 travels to the master as the text written; its key names it."""
    from xltools.work.merge import merge
    rows = [["2024年某某区任务分解表"], ["序号", "具体要求", "责任单位", "完成时限"],
            [1, "深化政务公开", None, None],
            ["1.1", "公开预决算。", "区财政局", "2024年6月底前"], ["1.2", "公开专项资金。", "区审计局", "2024年9月底前"]]
    src = xlsx({"S": rows}, name="某某区.xlsx")
    out = tmp_path / "汇总.xlsx"
    merge([src], out)
    ws = openpyxl.load_workbook(out)["汇总"]
    header = [c.value for c in ws[1]]
    seqs = [ws.cell(r, header.index("序号") + 1).value for r in range(2, ws.max_row + 1)]
    keys = [ws.cell(r, header.index("任务编号") + 1).value for r in range(2, ws.max_row + 1)]
    assert seqs == ["1.1", "1.2"]
    assert [k.split("-")[2] for k in keys] == ["1.1", "1.2"]


def test_task_numbers_sort_as_numbered_not_as_text():
    from xltools.rules.numbering import order
    written = ["1.10", "1.2", 3, "2", "其他", 10, "1.1.1", 1.1, "（二）", "①"]
    assert sorted(written, key=order) == ["①", 1.1, "1.1.1", "1.2", "1.10", "2", "（二）", 3, 10, "其他"]   # ties keep their order
