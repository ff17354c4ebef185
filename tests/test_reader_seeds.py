"""The bundled seed workbooks are read completely and correctly, row by row.

Expectations come from the seed tables themselves (scripts/seed_tables/*.tsv, the ground
truth the workbooks are built from) and from hand-written facts about the documents,
never from the reader's own output.
"""
from __future__ import annotations

import datetime as dt
import re

import pytest

from conftest import CHANGQING, ROOT, TIANQIAO
from xltools import read_plan
from xltools import validate

D = dt.date


def seed_tasks(name: str) -> list[dict]:
    """Tasks of a seed TSV: T/E rows, with C rows (page-break tails) appended to the last
    task that has text."""
    lines = (ROOT / "scripts" / "seed_tables" / name).read_text(encoding="utf-8").splitlines()
    header = None
    tasks: list[dict] = []
    for line in lines:
        if line.startswith("#"):
            continue
        fields = line.split("\t")
        if header is None:
            header = fields
            continue
        row = dict(zip(header, fields + [""] * (len(header) - len(fields))))
        if row["kind"] in ("T", "E"):
            tasks.append(row)
        elif row["kind"] == "C":
            target = next(t for t in reversed(tasks) if t["kind"] == "T")
            for key in ("section", "subsection", "requirement", "units", "deadline"):
                target[key] += row[key]
    return tasks


def units_text(s: str | None) -> str:
    return re.sub(r"\s*\n\s*", "、", s or "")


@pytest.fixture(scope="module")
def tianqiao():
    plan = read_plan(TIANQIAO)
    assert [s.sheet for s in plan.sheets] == ["任务分工"]
    assert plan.skipped == ["通知"]
    return plan.sheets[0]


@pytest.fixture(scope="module")
def changqing():
    plan = read_plan(CHANGQING)
    assert [s.sheet for s in plan.sheets] == ["任务分解表"]
    assert sorted(plan.skipped) == ["填报说明", "通知"]
    return plan.sheets[0]


def test_tianqiao_context(tianqiao):
    assert (tianqiao.district, tianqiao.year, tianqiao.issued, tianqiao.header_row) == \
        ("天桥区", 2024, D(2024, 6, 25), 3)


def test_changqing_context(changqing):
    assert (changqing.district, changqing.year, changqing.issued, changqing.header_row) == \
        ("长清区", 2022, D(2022, 6, 10), 4)


@pytest.mark.parametrize("fixture,tsv", [("tianqiao", "tianqiao_2024.tsv"), ("changqing", "changqing_2022.tsv")])
def test_every_seed_row_read(fixture, tsv, request):
    sheet = request.getfixturevalue(fixture)
    expected = seed_tasks(tsv)
    assert [t.seq for t in sheet.tasks] == [int(e["seq"]) for e in expected]
    previous = None
    for task, e in zip(sheet.tasks, expected):
        assert (task.requirement or "") == e["requirement"], task.seq
        if e["deadline"] or e["kind"] == "E" or fixture == "tianqiao":
            assert (task.deadline_raw or "") == e["deadline"], task.seq
        else:  # blank in the 长清 TSV = merged with the row above
            assert task.deadline_raw == previous.deadline_raw, task.seq
        if e["units"] or e["kind"] == "E":
            assert units_text(task.units_text) == units_text(e["units"]), task.seq
        else:
            assert task.units_text == previous.units_text, task.seq
        previous = task


def test_tianqiao_numbering(tianqiao):
    assert len(tianqiao.tasks) == 58
    assert [t.seq for t in tianqiao.tasks] == [n for n in range(1, 60) if n != 37]


def test_changqing_numbering(changqing):
    assert [t.seq for t in changqing.tasks] == list(range(1, 67))


TIANQIAO_SECTIONS = [(1, 23, "一、做实重点领域主动公开"), (24, 30, "二、推进政策服务提质增效"),
                     (31, 36, "三、深化政民政企互动交流"), (38, 42, "四、提升依申请公开水平"),
                     (43, 53, "五、打造集约高效公开平台"), (54, 59, "六、夯实政务公开工作基础")]
TIANQIAO_SUBSECTIONS = [(1, 4, "(一)"), (5, 9, "（二）"), (10, 16, "(三)"), (17, 23, "(四)"), (24, 27, "（五）"),
                        (28, 30, "（六）"), (31, 34, "(七)"), (35, 36, "(八)"), (39, 40, "(九)"), (41, 42, "(十)"),
                        (43, 45, "(十一)"), (46, 48, "(十二)"), (49, 50, "(十三)"), (51, 53, "(十四)"),
                        (54, 55, "(十五)"), (56, 57, "(十六)"), (58, 59, "(十七)")]


def test_tianqiao_sections_row_by_row(tianqiao):
    by_seq = {t.seq: t for t in tianqiao.tasks}
    for first, last, section in TIANQIAO_SECTIONS:
        for n in range(first, last + 1):
            if n != 37:
                assert by_seq[n].section == section, n
    for first, last, prefix in TIANQIAO_SUBSECTIONS:
        for n in range(first, last + 1):
            assert by_seq[n].subsection.startswith(prefix), n
    assert by_seq[38].subsection is None  # a new section resets the sub-level
    # halves joined across the page break
    assert by_seq[41].subsection == "(十)建设依申请公开数字化管理平台"
    assert by_seq[49].subsection == "(十三) 高质量拓展公共企事业单位平台功能"
    assert by_seq[50].subsection == by_seq[49].subsection


CHANGQING_SECTIONS = [(1, 28, "突出重点领域，推动高质量政务公开"), (29, 40, "抓好政策解读，推动常态化政务公开"),
                      (41, 47, "聚焦基层建设，推动便民化政务公开"), (48, 59, "强化平台建设，推动全方位政务公开"),
                      (60, 66, "完善保障机制，推动规范化政务公开")]
CHANGQING_SUBSECTIONS = [(1, 3, "加强高质量发展信息公开"), (4, 8, "加强重大战略实施信息公开"),
                         (9, 11, "加强疫情防控信息公开"), (12, 16, "加强优化营商环境信息公开"),
                         (17, 24, "加强民生保障信息公开"), (25, 28, "加强公共企事业单位信息公开"),
                         (29, 32, "聚焦政策解读，强化发布意识"), (33, 35, "聚焦社会关切，提升公开实效"),
                         (36, 38, "聚焦公众参与，实施流程公开"), (39, 40, "聚焦政府开放，推进常态建设"),
                         (41, 42, "深化基层政务公开标准化规范化建设"), (43, 45, "推动基层政务公开标准化规范化向纵深发展"),
                         (46, 47, "继续深化政务公开特色化建设"), (48, 51, "优化政府信息平台"),
                         (52, 54, "加强政务信息管理"), (55, 59, "推进依申请公开"), (60, 61, "健全工作机制"),
                         (62, 63, "加强培训考核"), (64, 66, "抓好工作落实")]


def test_changqing_sections_row_by_row(changqing):
    by_seq = {t.seq: t for t in changqing.tasks}
    for table, attr in ((CHANGQING_SECTIONS, "section"), (CHANGQING_SUBSECTIONS, "subsection")):
        for first, last, text in table:
            for n in range(first, last + 1):
                assert getattr(by_seq[n], attr) == text, (attr, n)


def test_tianqiao_due_dates(tianqiao):
    ongoing = {30, 32, 39, 54, 58}
    missing = {28, 42, 44}
    for task in tianqiao.tasks:
        if task.seq in ongoing:
            assert (task.deadline.kind.value, task.due) == ("ongoing", None), task.seq
        elif task.seq in missing:
            assert task.deadline.problem == "missing-deadline", task.seq
        else:  # "2024年12月底前", "2024 年 12 月底前", split "2024年12月底"+"前", and "12月底前" (no year)
            assert task.due == D(2024, 12, 31), task.seq


def test_changqing_due_dates(changqing):
    special = {25: D(2022, 9, 30), 26: D(2022, 9, 30), 27: D(2022, 9, 30), 41: D(2022, 6, 30),
               64: D(2022, 7, 10),  # 本文件印发后30日内, issued 2022-06-10
               65: D(2022, 6, 30)}
    for task in changqing.tasks:
        assert task.due == special.get(task.seq, D(2022, 12, 31)), task.seq
        assert task.deadline.ongoing == (task.seq in {3, 16, 27}), task.seq  # "…完成，长期坚持"
    assert changqing.tasks[63].deadline.kind.value == "relative"


def test_tianqiao_units(tianqiao):
    by_seq = {t.seq: t for t in tianqiao.tasks}
    assert by_seq[3].lead_entries == ("区发展和改革局", "区生态环境分局", "有关部门（单位）", "各街道办事处")
    assert by_seq[4].lead_entries[-2:] == ("有关部门（单位）", "各街道办事处")  # joined across the page break
    assert by_seq[10].lead_entries == ("区人力资源和社会保障局", "各街道办事处")
    assert by_seq[14].lead_entries == ("区教育和体育局",)   # written 区教育局
    assert by_seq[23].lead_entries == ("区政府办公室（区大数据中心）",)
    assert by_seq[49].lead_entries == ("区教育和体育局", "区卫生健康局")  # "区卫健" + "局" on the next page
    assert by_seq[32].lead_entries == ("区政府各部门（单位）", "各街道办事处")
    assert all(t.support_entries == () for t in tianqiao.tasks)


def test_changqing_units_and_roles(changqing):
    by_seq = {t.seq: t for t in changqing.tasks}
    assert by_seq[1].lead_entries == ("各街镇", "区发展和改革局", "区工业和信息化局", "区政府相关部门")
    assert (by_seq[13].lead_entries, by_seq[13].support_entries) == (("区行政审批服务局", "区司法局"),
                                                                 ("各街镇", "区政府有关部门"))
    assert (by_seq[16].lead_entries, by_seq[16].support_entries) == (("区政府办公室", "区行政审批服务局"),
                                                                 ("各政策起草单位",))
    assert (by_seq[17].lead_entries, by_seq[17].support_entries) == (("区住房和城乡建设局",), ("各街镇",))
    assert by_seq[25].lead_entries[-1] == "市生态环境局长清分局"
    # merged 责任单位 cells: rows 10–11 share row 9's units, 56–59 share 55's
    assert by_seq[10].lead_entries == by_seq[11].lead_entries == by_seq[9].lead_entries
    assert all(by_seq[n].lead_entries == ("各街镇", "区政府各部门") for n in range(55, 60))


def test_examples_validate_reports_real_problems_only():
    report = validate([TIANQIAO, CHANGQING])
    problems = sorted((f.code, f.cell) for f in report.findings if f.severity != "info")
    assert problems == sorted([
        ("empty-task", "A57"),           # 42: only a number, the source lost the row
        ("empty-task", "A61"),           # 44: likewise
        ("missing-requirement", "D60"),  # 43: the source has no requirement text
        ("missing-deadline", "F39"),     # 28: the source has no deadline
        ("seq-gap", "A53"),              # 37 is absent from the source; reported at 38
    ])
    assert all(f.file == str(TIANQIAO) for f in report.findings if f.severity != "info")
