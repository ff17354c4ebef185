"""Faults a second new user found in the loop (split, validate on returns, deadlines
far from the plan year, the circular's names): each case is a real table's rows
recreated as .xlsx, run through the command a clerk types, read back by a second reader."""
from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
import python_calamine
from click.testing import CliRunner

from xltools.cli.app import cli
from xltools.rules.units import split_units


def _sheet(path: Path, title: str, header: list, rows: list[list]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([title])
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def _run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


# ---------------------------------------------------------------- 1. remarks in a 责任单位 cell

SICHUAN = "省发展改革委、省市场监管局、商务厅、省大数据中心按职责分工负责。具体任务均涉及相关市(州)人民政府,不再做分工,下同。"

# (cell, units as split, a remark that must not be a unit) — what clerks write beside names
REMARKS = [
    (SICHUAN, ["省发展改革委", "省市场监管局", "商务厅", "省大数据中心"], "不再做分工"),
    ("区发改局、区财政局各自负责", ["区发改局", "区财政局"], "各自"),
    ("区发改局牵头，另行通知", ["区发改局"], "另行通知"),
    ("区财政局（下同）", ["区财政局"], "（下同）"),
    ("区发展和改革局（以下简称区发改局）", ["区发展和改革局"], "以下简称"),
    ("区住建局，具体分工视情况另定", ["区住建局"], "视情况"),
    ("区司法局、区信访局，详见附件", ["区司法局", "区信访局"], "详见附件"),
    ("同上", [], "同上"),
    ("待定", [], "待定"),
]


@pytest.mark.parametrize("cell, units, remark", REMARKS)
def test_a_remark_in_a_unit_cell_is_no_unit(cell, units, remark):
    got = split_units(cell)
    assert list(got.all) == units
    assert not any(remark in u for u in got.all)
    if remark != "各自":      # 各自负责 are words of duty (like 按职责分工负责), not a note
        assert got.notes and all(n not in got.all for n in got.notes)


def test_no_return_and_no_unit_error_for_the_remarks_of_a_provincial_cell(tmp_path):
    inbox = tmp_path / "收"
    inbox.mkdir()
    plan = _sheet(inbox / "四川省2025年流通体系任务分工.xlsx", "2025年四川省流通体系任务分工",
                  ["序号", "重点任务", "责任单位", "完成时限"],
                  [[1, "加强市场体系建设", SICHUAN, "2025年12月底前"]])
    result = _run("validate", plan)
    for remark in ("下同", "不再做分工", "具体任务均涉及"):
        assert f"单位名称“{remark}" not in result.output
    master = tmp_path / "汇总.xlsx"
    assert _run("merge", inbox, "-o", master, "--as-of", "2025-01-10").exit_code in (0, 1)
    result = _run("split", master, "--by", "lead-unit", "-o", tmp_path / "下发", "--json")
    assert result.exit_code == 0, result.output
    names = sorted(p.stem for p in (tmp_path / "下发").glob("*.xlsx"))
    assert names == sorted(["省发展改革委", "省市场监管局", "商务厅", "省大数据中心"])
    # the master's unit cell, read by a second reader: the four units, then the province's
    # remarks as it wrote them (what a district wrote stays written; they are no recipients)
    rows = python_calamine.CalamineWorkbook.from_path(str(master)).get_sheet_by_name("汇总").to_python()
    head = rows[0]
    lead = rows[1][head.index("牵头单位")]
    assert lead.split("、")[:4] == ["省发展改革委", "省市场监管局", "商务厅", "省大数据中心"]
    assert "不再做分工" in lead and "下同" in lead
    # merged again (the master read back as an input is re-split the same way): nothing changes
    again = tmp_path / "汇总2.xlsx"
    assert _run("merge", master, "-o", again, "--as-of", "2025-01-10").exit_code in (0, 1)
    rows2 = python_calamine.CalamineWorkbook.from_path(str(again)).get_sheet_by_name("汇总").to_python()
    assert rows2[1][rows2[0].index("牵头单位")] == lead


# ---------------------------------------------------------------- 2. a deadline years off the plan year

@pytest.mark.parametrize("deadline, warned, likely", [
    ("2011年底前", True, "2020年底前"),      # 彰武县's published typo for 2021
    ("2050年6月30日前", True, "2020年6月30日前"),
    ("2021年6月底前", False, None),
    ("2019年12月底前", False, None),         # issued late in the year before
    ("2035年底前", False, None),             # a long-range goal
    ("12月底前", False, None),
])
def test_a_deadline_years_off_the_plan_year_is_a_warning(tmp_path, deadline, warned, likely):
    plan = _sheet(tmp_path / "彰武县2020年基层政务公开任务分工.xlsx", "2020年彰武县基层政务公开任务分工",
                  ["序号", "主要任务", "责任单位", "完成时限"],
                  [[1, "建立全县统一的共性公开事项目录", "县政府办公室", deadline]])
    result = _run("validate", plan, "--json")
    found = [f for f in json.loads(result.output)["findings"] if f["code"] == "deadline-off-plan-year"]
    assert bool(found) is warned, result.output
    if warned:
        assert found[0]["severity"] == "warning" and found[0]["cell"] == "D3"
        assert f"“{likely}”" in found[0]["suggestion"] and "2020" in found[0]["message"]


# ---------------------------------------------------------------- 3. validate on a unit's return

def _return_of(tmp_path: Path, rows: list[list]) -> tuple[Path, dict]:
    """A district plan merged and split: the one return, and its 进展报送 header (name → column)."""
    inbox = tmp_path / "收"
    inbox.mkdir()
    _sheet(inbox / "蔡甸区2023年重点任务.xlsx", "蔡甸区2023年重点任务分工",
           ["序号", "工作任务", "具体要求", "牵头单位", "完成时限"], rows)
    master = tmp_path / "汇总.xlsx"
    assert _run("merge", inbox, "-o", master, "--as-of", "2023-06-01").exit_code in (0, 1)
    assert _run("split", master, "--by", "lead-unit", "-o", tmp_path / "下发").exit_code == 0
    (ret,) = (tmp_path / "下发").glob("*.xlsx")
    ws = openpyxl.load_workbook(ret)["进展报送"]
    return ret, {ws.cell(3, c).value: c for c in range(1, ws.max_column + 1)}


def test_a_return_says_the_plans_own_problems_as_notes_and_keeps_what_the_unit_typed(tmp_path):
    ret, head = _return_of(tmp_path, [[1, "稳增长", "加快项目建设", "区发展和改革局", None],
                                      [2, "抓招商", "引进项目", "区发展和改革局", "2023年12月底前"]])
    wb = openpyxl.load_workbook(ret)
    ws = wb["进展报送"]
    ws.cell(4, head["状态"]).value = "已完成"                 # no date: the unit's error
    ws.cell(5, head["完成日期"]).value = "2023年2月30日"      # no such day: the unit's error
    ws.cell(5, head["进展情况"]).value = "+已开工3个项目"     # read as a formula: the unit's warning
    wb.save(ret)
    result = _run("validate", ret, "--json", "--notes")
    found = {(f["code"], f["cell"]): f for f in json.loads(result.output)["findings"]}
    deadline = f"{openpyxl.utils.get_column_letter(head['完成时限'])}4"
    assert ("missing-deadline", deadline) not in found
    note = found[("return-plan-problem", deadline)]
    assert note["severity"] == "info" and "没有填写完成时限" in note["message"] and "无需" in note["suggestion"]
    english = {(f["code"], f["cell"]): f for f in json.loads(_run("validate", ret, "--json", "--notes", "--lang", "en").output)["findings"]}
    said = english[("return-plan-problem", deadline)]["message"]
    assert "没有填写完成时限" not in said and not any("\u4e00" <= ch <= "\u9fff" for ch in said)   # the plan's problem in English too
    letter = {k: openpyxl.utils.get_column_letter(v) for k, v in head.items()}
    assert found[("collect-done-without-date", f"{letter['状态']}4")]["severity"] == "error"
    assert found[("collect-impossible-date", f"{letter['完成日期']}5")]["severity"] == "error"
    assert found[("formula-text", f"{letter['进展情况']}5")]["severity"] == "warning"
    assert result.exit_code == 1
    assert all(f["severity"] == "info" for f in json.loads(result.output)["findings"]
               if f["code"] not in ("collect-done-without-date", "collect-impossible-date", "formula-text"))


def test_a_clean_return_of_a_plan_with_problems_passes(tmp_path):
    ret, _ = _return_of(tmp_path, [[1, "稳增长", None, "区发展和改革局", None]])
    result = _run("validate", ret)
    assert result.exit_code == 0, result.output
    assert "没有填写完成时限" not in result.output


# ---------------------------------------------------------------- 4. split's note on a collective without members

def test_splits_note_on_a_collective_says_whether_it_got_a_return(tmp_path):
    """各街道办事处 only cooperates, the registry has no streets of the district: no return
    is made for it, and the note must say so (not that one return was made)."""
    inbox = tmp_path / "收"
    inbox.mkdir()
    _sheet(inbox / "某区2025年重点任务.xlsx", "2025年重点任务分工",
           ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"],
           [[1, "优化营商环境", "区政府办公室", "各街道办事处", "2025年6月底前"],
            [2, "统计数据质量", "区统计局", "各街道办事处", "2025年9月底前"]])
    master = tmp_path / "汇总.xlsx"
    assert _run("merge", inbox, "-o", master, "--as-of", "2025-01-10").exit_code in (0, 1)
    result = _run("split", master, "--by", "lead-unit", "-o", tmp_path / "下发")
    assert result.exit_code == 0, result.output
    written = sorted(p.stem for p in (tmp_path / "下发").glob("*.xlsx"))
    assert not any("各街道办事处" in name for name in written)
    assert "只生成了一个报送表" not in result.output
    assert "“各街道办事处”只是配合单位，没有为它生成报送表" in result.output
    # its tasks are in the lead units' returns, read back by a second reader
    for name in written:
        rows = python_calamine.CalamineWorkbook.from_path(str(tmp_path / "下发" / f"{name}.xlsx")
                                                          ).get_sheet_by_name("进展报送").to_python()
        assert any("各街道办事处" in [str(v) for v in row] for row in rows)
    # by unit, it gets its one return, and the note says that
    result = _run("split", master, "--by", "unit", "-o", tmp_path / "按单位")
    assert "各街道办事处" in " ".join(p.stem for p in (tmp_path / "按单位").glob("*.xlsx"))
    assert "“各街道办事处”的任务只生成了一个报送表" in result.output


# ---------------------------------------------------------------- 5. the plan's name in the circular and reminders

def test_the_circular_and_reminders_name_the_plan_by_its_title_not_its_file(tmp_path):
    import docx
    inbox = tmp_path / "收"
    inbox.mkdir()
    _sheet(inbox / "08_时限写法测试_某区2025年重点任务台账(1).xlsx", "某区2025年重点任务台账",
           ["序号", "工作任务", "牵头单位", "完成时限"], [[1, "稳增长", "区发展和改革局", "2025年3月底前"]])
    wb = openpyxl.Workbook()          # no title row: the file name, cleaned, is the last resort
    wb.active.append(["序号", "工作任务", "牵头单位", "完成时限"])
    wb.active.append([1, "抓招商", "区商务局", "2025年4月底前"])
    wb.save(inbox / "03_招商台账-副本.xlsx")
    master = tmp_path / "汇总.xlsx"
    assert _run("merge", inbox, "-o", master, "--as-of", "2025-06-20").exit_code in (0, 1)
    assert _run("report", master, "-o", tmp_path / "通报.docx", "--as-of", "2025-06-20").exit_code == 0
    title = docx.Document(str(tmp_path / "通报.docx")).paragraphs[0].text.replace("\n", "")   # broken into even lines
    assert "某区2025年重点任务台账" in title and "招商台账" in title
    for junk in ("08_", "(1)", "03_", "副本", ".xlsx", "时限写法测试_"):
        assert junk not in title, title
    assert _run("remind", master, "-o", tmp_path / "催办", "--as-of", "2025-06-20").exit_code == 0
    texts = {p.stem: " ".join(par.text for par in docx.Document(str(p)).paragraphs)
             for p in (tmp_path / "催办").glob("*.docx")}
    said = " ".join(texts.values())
    assert "某区2025年重点任务台账" in said and "你单位牵头的" in said
    assert "08_" not in said and "(1)" not in said and "副本" not in said


def test_a_unit_cell_holding_only_a_remark_is_said_as_such(tmp_path):
    plan = _sheet(tmp_path / "某区2025年任务.xlsx", "某区2025年重点任务",
                  ["序号", "工作任务", "责任单位", "完成时限"],
                  [[1, "稳增长", "区发展和改革局", "2025年6月底前"], [2, "抓招商", "同上", "2025年9月底前"],
                   [3, "优服务", "待定", "2025年9月底前"]])
    result = _run("validate", plan, "--json")
    findings = json.loads(result.output)["findings"]
    assert not [f for f in findings if f["cell"] == "C4"]    # 同上: the units of the row above (test_reader_sameas)
    found = [f for f in findings if f["cell"] == "C5"]
    assert [f["code"] for f in found] == ["units-only-remark"], found
    assert "“待定”" in found[0]["message"] and found[0]["severity"] == "error"
