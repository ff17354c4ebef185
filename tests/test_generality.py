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
from layouts.generate import PLANTS, all_features, make_form_export, make_sheet, sheets_of, write_sheets  # noqa: E402
from layouts.score import MAX_FALSE_ERRORS, THRESHOLD_FEATURE, THRESHOLD_OVERALL, aggregate, rate, table  # noqa: E402
from score_layouts import score  # noqa: E402

SHEETS, SEED = 300, 23
# .xls and .ods are written by LibreOffice (≈ 1 s a file): a few of them, so the test stays under a minute
FORMATS = {"xlsx": 5, "csv-utf8": 1, "csv-gbk": 1, "xls": 0.3, "ods": 0.3}

# Below 97% of tasks right on this sample today (what fails in each: docs/generality.md).
# Units now stay as written, headings and combined headers are read by structure, every
# level of government is known and ranges/stages are read: these are what is left.
FAILING_NOW: set[str] = {
    "band-rows", "deadline:2025/6/30", "deadline:N个工作日内", "deadline:全年", "deadline:日期+长期坚持",
    "deadline:第N季度", "extra:责任人", "header:工作内容", "level:city", "offset:C5", "plant:impossible-date",
    "plant:seq-duplicate", "plant:vague-deadline", "roles:牵头单位：…；配合单位：…", "separator:、", "separator:、+空格",
    "separator:，", "unit:person", "unit:second", "unit:short",
}
# over the bar since the plan year is a title's or the file name's before a task's (h-layout); what
# is left in the deadline/layout names above is units only (two names of one body in a cell)
FAILING_NOW -= {"offset:C5", "plant:vague-deadline", "level:city", "separator:、+空格"}
# lifted by the unit work (a task names each body once in the generator's truth; role words, places)
FAILING_NOW -= {"unit:short", "unit:person", "unit:second", "separator:、", "separator:、+空格", "separator:，",
                "roles:牵头单位：…；配合单位：…", "level:city", "extra:责任人"}
# over the bar on this sample once the generator's truth named each body once (their wrong tasks
# were tasks listing one body twice), not by work on their own features
FAILING_NOW -= {"band-rows", "deadline:2025/6/30", "deadline:N个工作日内", "deadline:全年", "deadline:日期+长期坚持",
                "deadline:第N季度", "header:工作内容", "offset:C5", "plant:impossible-date", "plant:seq-duplicate",
                "plant:vague-deadline"}
PLANTS_MISSED_NOW: set[str] = set()          # every planted problem is found on this sample
OVERALL_FAILING_NOW: set[str] = set()       # tasks right over the bar of 0.99 since the generator fix


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


def test_form_exports_are_written_as_the_services_write_them(tmp_path):
    """An online form's export beside the tables, now and then (the tables of a run stay
    what they were): the service's columns, the unit and task text of each report in the
    row its truth names, read back without xltools."""
    import random

    from python_calamine import CalamineWorkbook

    assert [s[1] for s in sheets_of(SEED, 3)][:1] == [make_sheet(SEED, 3)[1]]
    assert any(len(sheets_of(SEED, i)) == 2 for i in range(100))
    truths = write_sheets([make_form_export(random.Random(k), {"xlsx": 1, "csv-gbk": 1}) for k in range(12)], tmp_path)
    services = set()
    for t in truths:
        path = tmp_path / t.file
        rows = list(csv.reader(io.StringIO(path.read_bytes().decode("gbk")))) if t.format == "csv-gbk" else \
            CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()
        header = [str(v) for v in rows[0]]
        assert any(h.startswith(("提交时间", "提交答卷时间")) for h in header), header
        assert "收集结果" in t.file and "layout:form-export" in t.features
        services |= {f for f in t.features if f.startswith("form:")}
        for task in t.tasks:
            row = [str(v) for v in rows[task.row - 1]]
            assert task.lead[0] in row and task.requirement in row and task.support == []
    assert services == {"form:腾讯收集表", "form:问卷星", "form:金山表单"}
