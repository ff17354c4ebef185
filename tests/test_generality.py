"""Generality, measured (issue 23, point 7): a few hundred sheets whose layout features are
chosen at random (scripts/layouts/), each read with read_plan + validate and graded against
its truth.  The bars are the issue's: ≥ 97% of tasks right for every feature, ≥ 99%
overall, at most one false error per sheet, every planted problem found, no unit shown
that the district did not write.

Features that miss their bar today are listed in FAILING_NOW and marked
xfail(strict=True): a fix that lifts one makes its test XPASS, which fails, so the list is
updated with the fix.  The table of a 2,000-sheet run is in docs/generality.md
(`python scripts/score_layouts.py --sheets 2000 --seed 1`); `pytest -s` prints this one.
"""
from __future__ import annotations

import csv
import io
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from layouts.generate import PLANTS, all_features, make_sheet, write_sheets  # noqa: E402
from layouts.score import MAX_FALSE_ERRORS, THRESHOLD_FEATURE, THRESHOLD_OVERALL, aggregate, rate, table  # noqa: E402
from score_layouts import score  # noqa: E402

SHEETS, SEED = 300, 23
# .xls and .ods are written by LibreOffice (≈ 1 s a file): a few of them, so the test stays under a minute
FORMATS = {"xlsx": 5, "csv-utf8": 1, "csv-gbk": 1, "xls": 0.3, "ods": 0.3}

# Below 97% of tasks right on this sample today (what fails in each: docs/generality.md).
# Every feature today, since names are rewritten (unit:short …) and each sheet mixes many features.
FAILING_NOW: set[str] = set(all_features()) - {
    # over the bar since headings, numbers and combined headers are read by structure (issue 23 point 3)
    "deadline:年月底前", "deadline:月底前", "deadline:带空格", "deadline:年底前", "deadline:持续推进", "deadline:常态化",
    "deadline:印发后N日内", "deadline:N个工作日内", "deadline:月日前", "deadline:2025.6.30", "deadline:日期单元格",
    "deadline:上半年", "deadline:下半年", "deadline:季度末", "deadline:上中下旬", "deadline:年内", "deadline:每月",
    "deadline:每季度", "deadline:每月N日前", "deadline:全角数字", "deadline:次年", "deadline:跨年",
    # and with the deadline grammar's ranges and stages (main at 32747bc) beside them
    "level:county", "level:province", "level:township", "format:xlsx", "format:csv-utf8", "format:csv-gbk",
    "format:xls", "format:ods", "numbering:1,2,3文本", "numbering:1.", "numbering:（1）", "numbering:①",
    "numbering:一、+（一）", "numbering:1+1.1", "numbering:1.1.1", "numbering:一、+1,2,3", "header-rows:1",
    "header-rows:2", "header-rows:3", "task-column:none", "task-column:one", "task-column:two", "unit-columns:one",
    "unit-columns:lead+support", "roles:none", "roles:…牵头，…配合", "header:工作任务及具体要求", "header:责任单位及完成时限", "header:序号",
    "header:编号", "header:工作任务", "header:重点任务", "header:任务名称", "header:具体要求", "header:具体要求(空格)", "header:具体措施",
    "header:任务内容", "header:责任单位", "header:责任部门", "header:承办单位", "header:牵头单位", "header:配合单位", "header:完成时限",
    "header:完成时间", "header:时间节点", "header:截止时间", "extra:联系电话", "extra:月度进展", "extra:备注", "blank-column",
    "offset:C5", "above:印发日期", "above:none", "above:title", "above:附件+title", "page-break-header", "total-row",
    "split-row:none", "split-row:requirement", "split-row:deadline", "split-row:units", "merged:units",
    "merged:deadline", "plant:unknown-unit", "plant:vague-deadline", "plant:missing-units", "unit:full",
    "unit:collective", "unit:zone", "unit:vertical", "separator:、", "separator:,", "deadline:月份范围",
    "deadline:N月至N月", "deadline:分阶段",
}
PLANTS_MISSED_NOW = {"impossible-date", "vague-deadline", "unknown-unit", "missing-units"} - {
    "unknown-unit", "impossible-date", "missing-units", "vague-deadline"}   # found since the columns are read right
OVERALL_FAILING_NOW = {"tasks-right", "false-errors", "units-written"} - {"units-written"}


@pytest.fixture(scope="module")
def measured():
    results = score(SHEETS, SEED, jobs=0, formats=FORMATS, chunk=150)
    agg = aggregate(results)
    print("\n" + table(agg))
    return results, agg


def _xfail(names: list[str], failing: set[str]) -> list:
    return [pytest.param(n, marks=pytest.mark.xfail(strict=True, reason="below the bar today")) if n in failing
            else n for n in names]


@pytest.mark.parametrize("feature", _xfail(all_features(), FAILING_NOW))
def test_tasks_right_per_feature(measured, feature):
    c = measured[1]["features"].get(feature)
    if c is None or not c["tasks"]:
        pytest.skip(f"{feature} did not occur in this sample")
    assert rate(c) >= THRESHOLD_FEATURE, c["examples"]


@pytest.mark.parametrize("code", _xfail(list(PLANTS), PLANTS_MISSED_NOW))
def test_every_planted_problem_is_found(measured, code):
    missed = [(r["file"], p["cell"], p["near"]) for r in measured[0] for p in r["planted"]
              if p["code"] == code and not p["found"]]
    assert any(p["code"] == code for r in measured[0] for p in r["planted"])
    assert missed == []


@pytest.mark.xfail("tasks-right" in OVERALL_FAILING_NOW, strict=True, reason="below the bar today")
def test_tasks_right_overall(measured):
    assert rate(measured[1]["overall"]) >= THRESHOLD_OVERALL


@pytest.mark.xfail("false-errors" in OVERALL_FAILING_NOW, strict=True, reason="above the bar today")
def test_at_most_one_false_error_per_sheet(measured):
    o = measured[1]["overall"]
    assert o["false_errors"] / o["sheets"] <= MAX_FALSE_ERRORS


@pytest.mark.xfail("units-written" in OVERALL_FAILING_NOW, strict=True, reason="names are rewritten today")
def test_every_unit_shown_was_written_by_the_district(measured):
    """Every unit the reader returns is in the text of the task's own unit cell(s)."""
    rewritten = [(r["file"], t["row"], t["why"]) for r in measured[0] for t in r["tasks"] if not t["written"]]
    assert rewritten == []


# ---------------------------------------------------------------- the generator itself

def test_the_same_seed_makes_the_same_sheet():
    a, b = make_sheet(5, 17), make_sheet(5, 17)
    assert a[0].rows == b[0].rows and a[1] == b[1]
    assert make_sheet(6, 17)[0].rows != a[0].rows


def test_the_truth_is_in_the_file(tmp_path):
    """Read back without xltools (python-calamine, the csv module): each task's requirement
    and units as written are in the rows the truth names, and the file is the format named."""
    from python_calamine import CalamineWorkbook

    formats = {"xlsx": 1, "csv-utf8": 1, "csv-gbk": 1}
    truths = write_sheets([make_sheet(SEED, i, formats) for i in range(60)], tmp_path)
    seen = set()
    for t in truths:
        path = tmp_path / t.file
        raw = path.read_bytes()
        if t.format == "csv-gbk":
            rows = list(csv.reader(io.StringIO(raw.decode("gbk"))))
            with pytest.raises(UnicodeDecodeError):
                raw.decode("utf-8")
        elif t.format == "csv-utf8":
            assert raw.startswith(b"\xef\xbb\xbf")
            rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        else:
            assert raw[:2] == b"PK"
            rows = CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python(skip_empty_area=False)
        text = ["".join(str(v) for v in r).replace(" ", "").replace("\n", "") for r in rows] + ["", ""]
        for task in t.tasks:
            own = text[task.row - 1] + text[task.row]     # a row split at a page break goes on below
            if "split-row:requirement" in t.features or "page-break-header" in t.features:
                own += "".join(text[task.row + 1:task.row + 4])
            assert task.requirement[:10] in own, (t.file, task.row)
            merged = "merged:units" in task.features
            for unit in ([] if merged else task.lead + task.support):
                assert unit.replace(" ", "") in own, (t.file, task.row, unit)
        seen |= set(t.features)
    assert {"format:xlsx", "format:csv-gbk", "numbering:1.1.1", "header-rows:3", "offset:C5"} <= seen
