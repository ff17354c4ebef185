"""同上 in a units or deadline cell: the value of the row above (new-user trials on real
published tables).  Real .xlsx in; the master read back with openpyxl and calamine; the
returns split from it read back with openpyxl."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from xltools import read_plan
from xltools.check.validate import validate_plan
from xltools.rules.text import is_same_as_above
from xltools.work.merge import merge
from xltools.work.split import split

TITLE = [["附件"], ["2024年天桥区政务公开重点工作任务分工"]]
# as an office writes it: 牵头单位 | 配合单位, and 同上 in every form clerks type
LEAD_SUPPORT = TITLE + [
    ["序号", "工作任务", "具体要求", "牵头单位", "配合单位", "完成时限"],
    [1, "（一）加强政策解读", "围绕优化营商环境等重点领域做好政策解读", "区政府办公室", "区司法局、区财政局", "2024年6月底前"],
    [2, None, "规范依申请公开办理，提升答复质量", "同上", "同 上", "同上"],
    [3, None, "完善政府网站集约化平台功能", "同上。", "区大数据中心", "同前"],
    [4, "（二）推进基层政务公开", "推进基层政务公开标准化规范化", "区民政局", None, "长期坚持"],
    [5, None, "更新村（居）务公开目录", "区农业农村局", "同上", "同上"],
]


def master_rows(path) -> list[dict]:
    ws = openpyxl.load_workbook(path)["汇总"]
    header = [c.value for c in ws[1]]
    return [dict(zip(header, (c.value for c in row))) for row in ws.iter_rows(min_row=2)]


def calamine_rows(path) -> list[dict]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("汇总").to_python()
    return [dict(zip(rows[0], row)) for row in rows[1:]]


@pytest.mark.parametrize("written, same", [
    ("同上", True), ("同 上", True), ("同上。", True), ("同前", True), ("如上", True), ("“同上”", True),
    (" 同上\n", True), ("同上级部门", False), ("区同上局", False), ("下同", False), (None, False), (3, False),
])
def test_what_says_same_as_above(written, same):
    assert is_same_as_above(written) is same


def test_same_as_above_takes_the_units_and_deadline_above(xlsx):
    plan = read_plan(xlsx({"任务分工": LEAD_SUPPORT}, name="2024年天桥区任务分工.xlsx"))
    tasks = plan.sheets[0].tasks
    got = [(t.seq, t.leads_written, t.supports_written, t.deadline_raw, t.due, t.deadline.ongoing) for t in tasks]
    assert got == [
        (1, ("区政府办公室",), ("区司法局", "区财政局"), "2024年6月底前", dt.date(2024, 6, 30), False),
        (2, ("区政府办公室",), ("区司法局", "区财政局"), "同上", dt.date(2024, 6, 30), False),
        # 同前 follows row 2's 同上 to row 1; 同上。 takes the lead only, its own 配合 stays
        (3, ("区政府办公室",), ("区大数据中心",), "同前", dt.date(2024, 6, 30), False),
        (4, ("区民政局",), (), "长期坚持", None, True),
        # the nearest row above with a 配合单位: row 3 (row 4 has none)
        (5, ("区农业农村局",), ("区大数据中心",), "同上", None, True),
    ]
    # what the district wrote stays written: the 同上 is the cell's note, the phrase as typed
    assert [(t.lead_notes, t.support_notes) for t in tasks] == [
        ((), ()), (("同上",), ("同上",)), (("同上",), ()), ((), ()), ((), ("同上",))]
    found = validate_plan(plan)
    codes = {f.code for f in found}
    assert not codes & {"unknown-unit", "unknown-unit-nosuggest", "units-only-remark", "missing-units",
                        "unparseable", "same-as-above-none"}, [f.message() for f in found]


def test_one_units_column_with_role_words(xlsx):
    """One 责任单位 cell with 牵头/配合 words above, 同上 below: both roles taken."""
    rows = TITLE + [["序号", "具体要求", "责任单位", "完成时限"],
                    [1, "做好重大决策预公开", "区政府办公室牵头，区司法局、区发展和改革局配合", "2024年9月底前"],
                    [2, "做好决策执行情况公开", "同上", "同上"]]
    plan = read_plan(xlsx({"Sheet1": rows}))
    t1, t2 = plan.sheets[0].tasks
    assert (t2.leads_written, t2.supports_written, t2.due) == (t1.leads_written, t1.supports_written,
                                                               dt.date(2024, 9, 30))
    assert t2.units_text == "同上" and t2.deadline_raw == "同上"
    assert not [f for f in validate_plan(plan) if f.severity == "error"]


def test_same_as_above_in_the_first_row_is_said_once_naming_the_cell(xlsx):
    rows = TITLE + [["序号", "具体要求", "责任单位", "完成时限"],
                    [1, "做好政策解读", "同上", "同上"],
                    [2, "规范依申请公开", "区政府办公室", "2024年6月底前"],
                    [3, "完善政府网站", "同上", "同上"]]
    plan = read_plan(xlsx({"Sheet1": rows}))
    t1, t2, t3 = plan.sheets[0].tasks
    assert (t1.lead_units, t1.due) == ((), None)
    assert (t3.leads_written, t3.due) == (("区政府办公室",), dt.date(2024, 6, 30))
    found = validate_plan(plan)
    assert sorted((f.code, f.cell) for f in found if f.row == 4) == [
        ("same-as-above-none", "C4"), ("same-as-above-none", "D4")]   # not also units-only-remark, unparseable
    units, deadline = sorted((f for f in found if f.row == 4), key=lambda f: f.cell)
    assert units.severity == "error"
    assert units.message() == "第 1 项的责任单位（C4单元格）写的是“同上”，但本表中它上面没有哪一行填写了责任单位，无法沿用。"
    assert "D4" in deadline.message() and "完成时限" in deadline.message() and "D4" in deadline.suggestion()
    assert "D4" in deadline.message("en") and "same as above" in deadline.message("en")
    assert not [f for f in found if f.row != 4 and f.severity == "error"]


def test_same_as_above_does_not_cross_sheets(xlsx):
    """The row above is in the same sheet: a second sheet's first 同上 has nothing above."""
    head = [["序号", "具体要求", "责任单位", "完成时限"]]
    plan = read_plan(xlsx({"天桥区": TITLE + head + [[1, "做好政策解读", "区政府办公室", "2024年6月底前"]],
                           "历下区": [["2024年历下区政务公开任务分工"]] + head + [[1, "规范依申请公开", "同上", "2024年6月底前"]]}))
    second = plan.sheets[1].tasks[0]
    assert second.lead_units == ()
    assert [(f.code, f.sheet, f.cell) for f in validate_plan(plan) if f.code == "same-as-above-none"] == [
        ("same-as-above-none", "历下区", "C3")]


def test_master_keeps_the_same_as_above_and_split_sends_to_the_unit_above(xlsx, tmp_path):
    src = xlsx({"任务分工": LEAD_SUPPORT}, name="2024年天桥区任务分工.xlsx")
    out = tmp_path / "汇总.xlsx"
    merge([src], out)
    for rows in (master_rows(out), calamine_rows(out)):
        by_seq = {int(r["序号"]): r for r in rows}
        # the district's 同上 where it wrote it (rules.units.as_written), then the units it stands for
        assert by_seq[2]["牵头单位"] == "同上、区政府办公室"
        assert by_seq[2]["配合单位"] == "同上、区司法局、区财政局"
        assert by_seq[3]["牵头单位"] == "同上、区政府办公室" and by_seq[3]["配合单位"] == "区大数据中心"
        assert by_seq[5]["配合单位"] == "同上、区大数据中心"
        # the deadline as typed, the due date taken from the row above
        assert [by_seq[n]["完成时限"] for n in (2, 3, 5)] == ["同上", "同前", "同上"]
    by_seq = {r["序号"]: r for r in master_rows(out)}
    assert by_seq[2]["截止日期"].date() == by_seq[3]["截止日期"].date() == dt.date(2024, 6, 30)
    assert by_seq[5]["截止日期"] is None   # 长期坚持 above: ongoing, no due date
    # merged again over the master: the cells stay the same
    before = [(r["牵头单位"], r["配合单位"], r["完成时限"], r["截止日期"]) for r in master_rows(out)]
    merge([src], out)
    assert [(r["牵头单位"], r["配合单位"], r["完成时限"], r["截止日期"]) for r in master_rows(out)] == before

    summary = split(out, tmp_path / "下发")
    files = {label: path for label, path, _, _ in summary.files}
    assert "同上" not in " ".join(files) and not summary.unassigned

    def tasks_in(label):
        ws = openpyxl.load_workbook(files[label]).worksheets[0]
        return {str(c.value) for row in ws.iter_rows() for c in row if c.value and "同上" not in str(c.value)}

    office = tasks_in(next(k for k in files if k.endswith("区政府办公室")))
    assert {"规范依申请公开办理，提升答复质量", "完善政府网站集约化平台功能"} <= office


def test_a_column_mostly_same_as_above_is_still_a_units_column(xlsx):
    """One unit on the first row, 同上 on the rest (a short plan of one office): no doubt
    that the column holds units, every task sent to that office."""
    rows = TITLE + [["序号", "具体要求", "责任单位", "完成时限"],
                    [1, "做好政策解读", "区政府办公室", "2024年6月底前"]] + \
        [[n, f"第{n}项公开工作按要求落实到位", "同上", "同上"] for n in range(2, 8)]
    plan = read_plan(xlsx({"Sheet1": rows}))
    tasks = plan.sheets[0].tasks
    assert {t.leads_written for t in tasks} == {("区政府办公室",)}
    assert {t.due for t in tasks} == {dt.date(2024, 6, 30)}
    found = validate_plan(plan)
    assert not [f for f in found if f.code.startswith("columns-unsure")], [f.message() for f in found]
    assert not [f for f in found if f.severity == "error"]


def test_a_workbook_we_wrote_keeps_what_its_same_as_above_took(xlsx, tmp_path):
    """The master and the units' returns hold other rows around a 同上 (sorted, a subset):
    their 截止日期 holds what it took when the district's sheet was read; never taken again
    from whatever row is above it there, never said to have nothing above."""
    src = xlsx({"任务分工": LEAD_SUPPORT}, name="2024年天桥区任务分工.xlsx")
    out = tmp_path / "汇总.xlsx"
    merge([src], out)
    master = read_plan(out).sheets[0].tasks
    assert [(t.seq, t.deadline_raw, t.due) for t in master if t.deadline_raw in ("同上", "同前")] == [
        (2, "同上", dt.date(2024, 6, 30)), (3, "同前", dt.date(2024, 6, 30)), (5, "同上", None)]
    summary = split(out, tmp_path / "下发")
    for label, path, _, _ in summary.files:
        plan = read_plan(path)
        found = validate_plan(plan)
        assert not [f for f in found if f.code in ("same-as-above-none", "unparseable", "units-only-remark")], \
            (label, [f.message() for f in found])
        if label.endswith("区农业农村局"):   # task 5 alone: its 同上 (长期坚持 above) has no row above it here
            (task,) = plan.sheets[0].tasks
            assert (task.seq, task.deadline_raw, task.due, task.leads_written) == (5, "同上", None, ("区农业农村局",))


def test_the_circular_reads_a_same_as_above_deadline_as_the_row_above(xlsx, tmp_path):
    """完成时限 keeps 同上 in the master; the circular judges it by the row above, as the
    reader did: 长期坚持 above → ongoing (was 'cannot be judged'), a date above → that date."""
    from xltools.work.report import read_report
    src = xlsx({"任务分工": LEAD_SUPPORT}, name="2024年天桥区任务分工.xlsx")
    out = tmp_path / "汇总.xlsx"
    merge([src], out)
    lines = {int(line.seq): line for line in read_report(out, as_of=dt.date(2024, 7, 10)).lines}
    assert lines[5].deadline == "同上" and lines[5].state == "ongoing"
    assert lines[2].deadline == "同上" and lines[2].state == "overdue" and lines[2].due == dt.date(2024, 6, 30)
