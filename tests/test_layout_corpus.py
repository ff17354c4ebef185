"""Layouts nobody here built (scripts/build_layout_corpus.py): a Word notice, an .xls with a
two-row header, a 督查 ledger, a WPS csv, a two-sheet .ods.  Each file is read with
read_plan + validate and graded against the ground truth the builder wrote beside it:
at least 95% of the tasks with the right requirement, units and due date; every planted
problem found at its cell; at most two false errors per file.  `pytest -s` prints the table.
"""
from __future__ import annotations

import importlib.util
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import ROOT
from lo import SOFFICE, convert
from xltools import read_plan, validate

_spec = importlib.util.spec_from_file_location("build_layout_corpus", ROOT / "scripts" / "build_layout_corpus.py")
corpus_builder = sys.modules["build_layout_corpus"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus_builder)

UNKNOWN_CODES = {"unknown-unit", "unknown-unit-nosuggest"}
LAYOUTS = ["docx", "xls", "ledger", "csv", "ods"]


@dataclass
class Measure:
    layout: str
    tasks: int = 0
    right: int = 0
    wrong: list[str] = field(default_factory=list)       # what was wrong, task by task
    missed: list[tuple] = field(default_factory=list)    # planted problems not found at their cell
    false_errors: list[tuple] = field(default_factory=list)

    @property
    def fraction(self) -> float:
        return self.right / self.tasks if self.tasks else 0.0


def _same_code(expected: str, found: str) -> bool:
    return found == expected or (expected == "unknown-unit" and found in UNKNOWN_CODES)


def measure(path: Path, truth: dict) -> Measure:
    m = Measure(truth["layout"])
    plan = read_plan(path)
    read = {(t_sheet.sheet, t.seq): t for t_sheet in plan.sheets for t in t_sheet.tasks}
    for exp in truth["tasks"]:
        m.tasks += 1
        got = read.get((exp["sheet"], exp["seq"]))
        if got is None:
            m.wrong.append(f"{exp['sheet']} {exp['seq']}: not read")
            continue
        diffs = []
        if got.requirement != exp["requirement"]:
            diffs.append(f"requirement {got.requirement!r:.60} != {exp['requirement']!r:.60}")
        if list(got.lead_entries) != exp["lead"] or list(got.support_entries) != exp["support"]:
            diffs.append(f"units {got.lead_entries}/{got.support_entries} != {exp['lead']}/{exp['support']}")
        due = got.due.isoformat() if got.due else None
        ongoing = bool(got.deadline and got.deadline.ongoing)
        if (due, ongoing) != (exp["due"], exp["ongoing"]):
            diffs.append(f"due {due}/{ongoing} != {exp['due']}/{exp['ongoing']} ({got.deadline_raw!r})")
        if diffs:
            m.wrong.append(f"{exp['sheet']} {exp['seq']}: " + "; ".join(diffs))
        else:
            m.right += 1
    findings = validate([path]).findings
    expected = truth["problems"]
    for p in expected:
        if not any(_same_code(p["code"], f.code) and f.sheet == p["sheet"] and f.cell == p["cell"] for f in findings):
            m.missed.append((p["code"], p["sheet"], p["cell"],
                             [(f.code, f.cell) for f in findings if f.row == int(p["cell"].lstrip("ABCDEFGHIJ"))]))
    for f in findings:
        if f.severity == "error" and not any(_same_code(p["code"], f.code) and f.sheet == p["sheet"]
                                             and f.cell == p["cell"] for p in expected):
            m.false_errors.append((f.code, f.sheet, f.cell, f.value))
    return m


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("layouts")
    built = corpus_builder.build(out, convert if SOFFICE else None)
    return out, {c.layout: c for c in built}


@pytest.fixture(scope="module")
def measures(corpus):
    out, built = corpus
    result = {}
    for layout, c in built.items():
        truth = json.loads((out / (c.file + ".truth.json")).read_text(encoding="utf-8"))
        result[layout] = measure(out / c.file, truth)
    print("\nlayout   tasks  right  fraction  planted+source problems missed  false errors")
    for layout in LAYOUTS:
        if layout in result:
            m = result[layout]
            print(f"{layout:7} {m.tasks:6} {m.right:6}  {m.fraction:8.3f}  {len(m.missed):6}"
                  f"                        {len(m.false_errors):4}")
    for m in result.values():
        for line in m.wrong + [str(x) for x in m.missed] + [str(x) for x in m.false_errors]:
            print(f"  {m.layout}: {line}")
    return result


def _layout(measures, layout) -> Measure:
    if layout not in measures:
        pytest.skip("LibreOffice (soffice) is not installed: the .xls and .ods are written with it")
    return measures[layout]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_tasks_come_out_right(measures, layout):
    m = _layout(measures, layout)
    assert m.tasks >= 50
    assert m.fraction >= 0.95, m.wrong


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_planted_problem_is_found_at_its_cell(measures, layout):
    assert _layout(measures, layout).missed == []


@pytest.mark.parametrize("layout", LAYOUTS)
def test_at_most_two_false_errors(measures, layout):
    assert len(_layout(measures, layout).false_errors) <= 2, _layout(measures, layout).false_errors


def test_the_corpus_is_what_it_says(corpus):
    """The files really are the layouts named: a Word table with merges and a repeated
    header, an .xls (OLE), a GBK/CRLF csv, an .ods with two district sheets."""
    out, built = corpus
    import zipfile

    docx = zipfile.ZipFile(out / built["docx"].file).read("word/document.xml").decode("utf-8")
    assert docx.count("<w:vMerge") > 20 and "w:tblHeader" in docx and docx.count(">序号<") >= 4
    raw = (out / built["csv"].file).read_bytes()
    assert b"\r\n" in raw and raw.decode("gbk").splitlines()[1] == ""
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    planted = {p.code for c in built.values() for p in c.problems if p.planted}
    assert planted == {"unknown-unit", "impossible-date", "vague-deadline", "missing-deadline", "empty-task",
                       "seq-gap"}
    if "xls" in built:
        assert (out / built["xls"].file).read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
        ods = zipfile.ZipFile(out / built["ods"].file).read("content.xml").decode("utf-8")
        assert 'table:name="长清区"' in ods and 'table:name="汶上县"' in ods
    units = {u for c in built.values() for t in c.tasks for u in t.lead + t.support}
    # written per district (汶上县's sheet is the .xls/.ods one, made only where LibreOffice is)
    assert {"市火星局", "区火星局", "市政府各部门（单位）"} | ({"县火星局", "县财政局"} if "xls" in built else set()) <= units


# ---------------------------------------------------------------- regressions the corpus found

def test_units_on_lines_of_their_own_in_a_word_cell(tmp_path):
    """Shift+Enter in a Word cell is a line break (w:br), not nothing: the units stay apart."""
    from docx import Document

    doc = Document()
    doc.add_paragraph("2024年任城区政务公开重点工作任务分工")
    table = doc.add_table(rows=2, cols=4)
    for c, v in enumerate(["序号", "具体要求", "责任单位", "完成时限"]):
        table.cell(0, c).text = v
    for c, v in enumerate(["1", "做好公开。", "区商务局\n区文旅局\n各街道办事处", "2024年12月底前"]):
        table.cell(1, c).text = v
    path = tmp_path / "通知.docx"
    doc.save(path)
    assert "<w:br/>" in __import__("zipfile").ZipFile(path).read("word/document.xml").decode()
    task, = read_plan(path).tasks
    assert task.lead_entries == ("区商务局", "区文化和旅游局", "各街道办事处")
    assert [f for f in validate([path]).findings if f.severity == "error"] == []


def test_an_unknown_cooperating_unit_is_reported_in_its_own_cell(xlsx):
    """牵头单位 | 配合单位 apart: the finding points at the 配合单位 cell that holds the name."""
    rows = [["嘉祥县2024年重点工作督查台账"], ["序号", "工作措施", "牵头单位", "配合单位", "时间节点"],
            [1, "甲。", "县财政局", "县税务局\n县火星局", "12月底前"],
            [2, "乙。", "县水星局", "县财政局", "12月底前"]]
    errors = [f for f in validate([xlsx({"台账": rows})]).findings if f.severity == "error"]
    assert {f.code for f in errors} <= UNKNOWN_CODES
    assert sorted((f.cell, f.value) for f in errors) == [("C4", "县水星局"), ("D3", "县火星局")]
