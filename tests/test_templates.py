"""Standard templates, new annual plans and the new-plan command: real files out, opened
again by openpyxl, by our own reader and by LibreOffice."""
from __future__ import annotations

import datetime as dt
import re
import subprocess
import zipfile
import sys

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import given, strategies as st
from python_calamine import CalamineWorkbook

from conftest import CHANGQING, ROOT
from lo import convert, needs_soffice
from xltools import schema
from xltools.cli.templates import new_plan_command
from xltools.rules.deadlines import parse_deadline
from xltools.model import Task
from xltools.work.newplan import NewPlanError, carry_deadline, new_plan
from xltools.read import read_plan
from xltools.write.templates import (DEADLINE_EXAMPLES, GUIDE_SHEET, LIST_NAME, LIST_SHEET, PLAN_LAYOUT, PLAN_SHEET,
                               PROGRESS_LAYOUT, PROGRESS_SHEET, plan_template, progress_template, save_workbook,
                               write_rows)
from xltools.rules.units import UnitRegistry

TEMPLATES = ROOT / "workbook_templates"
PLAN_FILE, PROGRESS_FILE = TEMPLATES / "任务分解表模板.xlsx", TEMPLATES / "进展报送模板.xlsx"
LAYOUTS = {PLAN_FILE.name: PLAN_LAYOUT, PROGRESS_FILE.name: PROGRESS_LAYOUT}
ALLOWED = ("autoFilter", "sort", "formatCells", "formatColumns", "formatRows", "insertRows")   # False = allowed


def snapshot(path) -> dict:
    """Everything a template promises, as openpyxl reads it back."""
    wb = openpyxl.load_workbook(path)
    out = {"names": {n: d.attr_text for n, d in wb.defined_names.items()}, "sheets": {}}
    for ws in wb.worksheets:
        out["sheets"][ws.title] = {
            "state": ws.sheet_state,
            "values": [list(r) for r in ws.iter_rows(values_only=True)],
            "merged": sorted(str(m) for m in ws.merged_cells.ranges),
            "validations": sorted(repr((dv.type, dv.formula1, str(dv.sqref), dv.showErrorMessage, dv.errorStyle,
                                        dv.prompt, dv.error)) for dv in ws.data_validations.dataValidation),
            "protection": (ws.protection.sheet, *(getattr(ws.protection, a) for a in ALLOWED)),
            "locked": [[c.protection.locked for c in row] for row in ws.iter_rows()],
            "local_names": {n: d.attr_text for n, d in ws.defined_names.items()},
            "print_titles": ws.print_title_rows, "freeze": ws.freeze_panes, "filter": ws.auto_filter.ref,
        }
    return out


def built(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_templates.py"), str(tmp_path)], check=True,
                   capture_output=True)
    return tmp_path


# ------------------------------------------------------------------ (a) committed = generated

def test_committed_templates_match_build_script(tmp_path):
    fresh = built(tmp_path)
    for committed in (PLAN_FILE, PROGRESS_FILE):
        assert snapshot(fresh / committed.name) == snapshot(committed), committed.name


def test_output_is_byte_for_byte_reproducible(tmp_path):
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    for name in (PLAN_FILE.name, PROGRESS_FILE.name):
        assert (built(tmp_path / "a") / name).read_bytes() == (built(tmp_path / "b") / name).read_bytes()


# ------------------------------------------------------------------ (b) dropdowns, names, protection

@pytest.mark.parametrize("district", [None, "天桥区", "长清区"])
def test_unit_dropdown_points_at_the_hidden_list(tmp_path, district):
    registry = UnitRegistry.default()
    path = save_workbook(plan_template(registry, district=district), tmp_path / "plan.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb[PLAN_SHEET]
    by_col = {rng.coord.split(":")[0].rstrip("0123456789"): dv for dv in ws.data_validations.dataValidation
              for rng in dv.sqref.ranges}
    lead = by_col[PLAN_LAYOUT.letter("lead")]
    assert lead.type == "list" and lead.formula1.lstrip("=") == LIST_NAME
    assert by_col[PLAN_LAYOUT.letter("support")] is lead
    (sheet, ref), = wb.defined_names[LIST_NAME].destinations
    assert sheet == LIST_SHEET and wb[LIST_SHEET].sheet_state == "hidden"
    values = [c.value for row in wb[LIST_SHEET][ref.replace("$", "")] for c in row]
    assert values == registry.for_district(district).names()
    assert wb.active.title == PLAN_SHEET


@pytest.mark.parametrize("path", [PLAN_FILE, PROGRESS_FILE], ids=lambda p: p.name)
def test_validations_refuse_bad_entries_within_excel_limits(path):
    wb = openpyxl.load_workbook(path)
    ws, layout = wb.worksheets[0], LAYOUTS[path.name]
    dvs = ws.data_validations.dataValidation
    assert dvs
    for dv in dvs:
        assert dv.showErrorMessage is True and dv.showInputMessage is True
        assert len(dv.formula1 or "") <= 255          # longer inline lists make Excel repair the file
        assert len(dv.promptTitle or "") <= 32 and len(dv.errorTitle or "") <= 32
        assert len(dv.prompt or "") <= 255 and len(dv.error or "") <= 225
        assert not (dv.formula1 or "").startswith('"') or len(dv.formula1) < 60   # only short inline lists
    kinds = {rng.coord.split(":")[0]: (dv.type, dv.formula1, dv.operator, dv.errorStyle)
             for dv in dvs for rng in dv.sqref.ranges}
    first = layout.first_row
    assert kinds[f"{layout.letter('status')}{first}"] == \
        ("list", '"' + ",".join(schema.STATUS_VALUES) + '"', None, "stop")
    assert kinds[f"{layout.letter('done_date')}{first}"] == ("date", "36526", "greaterThan", "stop")
    for dv in dvs:   # every validation reaches down a generous range
        assert all(r.coord.endswith(":" + r.coord[0] + "1000") or r.coord in ("C2", "F2") for r in dv.sqref.ranges)


@pytest.mark.parametrize("path", [PLAN_FILE, PROGRESS_FILE], ids=lambda p: p.name)
def test_only_provenance_columns_are_locked(path):
    wb = openpyxl.load_workbook(path)
    ws, layout = wb.worksheets[0], LAYOUTS[path.name]
    p = ws.protection
    assert p.sheet is True and not p.password
    assert not any(getattr(p, a) for a in ALLOWED)       # filtering, sorting, formatting rows still allowed
    for col in layout.columns:
        for r in (layout.first_row + 5, 500, 1000):
            assert ws.cell(r, layout.col(col.key)).protection.locked is (col.key not in layout.editable), \
                (col.zh, r)
    assert ws.cell(layout.header_row, 1).protection.locked
    assert layout.editable == ({c.key for c in layout.columns} - {"key"} if layout is PLAN_LAYOUT
                               else {"status", "progress", "done_date"})


def test_plan_layout_follows_the_schema():
    wb = openpyxl.load_workbook(PLAN_FILE)
    ws = wb[PLAN_SHEET]
    heads = [c.value for c in ws[PLAN_LAYOUT.header_row]]
    assert heads == ["序号", "工作任务", "具体任务", "具体要求", "牵头单位", "配合单位", "完成时限", "状态", "进展情况",
                     "完成日期", "任务编号"]
    assert [ws.column_dimensions[PLAN_LAYOUT.letter(c.key)].width for c in PLAN_LAYOUT.columns] == \
        [c.width for c in PLAN_LAYOUT.columns]
    assert ws.freeze_panes == "A3" and ws.print_title_rows == "$2:$2" and ws.auto_filter.ref == "A2:K1000"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws["A1"].value == "＿＿＿＿年＿＿＿＿重点工作任务分解表"
    examples = [ws.cell(r, 1).value for r in range(3, 6)]
    assert examples == ["示例"] * 3 and ws.cell(6, 1).value is None
    assert all(ws.cell(r, 4).font.i and ws.cell(r, 4).font.color.rgb.endswith("808080") for r in range(3, 6))
    assert [ws.title for ws in wb.worksheets] == [PLAN_SHEET, GUIDE_SHEET, LIST_SHEET]


def test_progress_layout():
    ws = openpyxl.load_workbook(PROGRESS_FILE)[PROGRESS_SHEET]
    # both task levels (issue 9: 具体任务 was dropped)
    assert [c.value for c in ws[3]] == ["序号", "任务编号", "工作任务", "具体任务", "具体要求", "牵头单位", "配合单位",
                                        "完成时限", "截止日期", "状态", "进展情况", "完成日期"]
    assert not ws["A1"].protection.locked       # 填表说明: fill in 截至  年  月  日 in the title
    assert ws["A1"].value == "＿＿＿＿＿＿进展情况报送表（截至　　年　　月　　日）"
    assert (ws["A2"].value, ws["E2"].value) == ("报送单位：", "报送日期：")
    assert not ws["C2"].protection.locked and not ws["F2"].protection.locked


def test_guide_explains_every_column_and_every_phrase_it_lists():
    ws = openpyxl.load_workbook(PLAN_FILE)[GUIDE_SHEET]
    first_col = [r[0] for r in ws.iter_rows(values_only=True)]
    for col in PLAN_LAYOUT.columns:
        assert col.zh in first_col
    for written, _, _ in DEADLINE_EXAMPLES:   # the guide never promises what the parser cannot read
        d = parse_deadline(written.format(y=2024), year=2024, issued=dt.date(2024, 3, 1), as_of=dt.date(2024, 5, 1))
        assert d.problem is None, written
    text = "\n".join(str(v) for row in ws.iter_rows(values_only=True) for v in row if v)
    assert "已完成" in text and "完成日期" in text and "20XX年12月底前" in text


def test_english_guide_keeps_chinese_headers():
    wb = plan_template(UnitRegistry.default(), lang="en")
    assert [c.value for c in wb[PLAN_SHEET][2]][:2] == ["序号", "工作任务"]
    assert wb[GUIDE_SHEET]["A1"].value == "How to fill in this workbook"


# ------------------------------------------------------------------ reading our own files back

def test_plan_template_reads_back_without_inventing_year_or_district():
    sheet, = read_plan(PLAN_FILE).sheets
    assert (sheet.sheet, sheet.header_row, sheet.year, sheet.district) == (PLAN_SHEET, 2, None, None)
    assert sheet.tasks == [] and sum(f.code == "example-row" for f in sheet.findings) == 3  # examples are not tasks


def test_filled_progress_return_reads_back(tmp_path):
    wb = progress_template(UnitRegistry.default(), unit="区财政局", year=2024, district="天桥区",
                           as_of=dt.date(2024, 6, 30))
    rows = [{"seq": 1, "key": "天桥区-2024-001-abc123", "section": "一、深化公开", "requirement": "=HYPERLINK(\"x\")公开预算。",
             "lead": "区财政局", "deadline": "6月30日前", "status": "已完成", "progress": "已公开",
             "done_date": dt.date(2024, 6, 1)},
            {"seq": 2, "key": "天桥区-2024-002-def456", "section": "一、深化公开", "requirement": "公开决算。",
             "lead": "区财政局", "support": "区审计局", "deadline": "长期坚持", "status": "进行中", "progress": "准备中"}]
    assert write_rows(wb[PROGRESS_SHEET], PROGRESS_LAYOUT, rows) == 2
    path = save_workbook(wb, tmp_path / "区财政局.xlsx")
    sheet, = read_plan(path).sheets
    assert (sheet.year, sheet.district, sheet.header_row) == (2024, "天桥区", 3)
    got = [(t.seq, t.key, t.status, t.progress, t.done_date, t.due, t.requirement) for t in sheet.tasks]
    assert got == [(1, "天桥区-2024-001-abc123", "已完成", "已公开", dt.date(2024, 6, 1), dt.date(2024, 6, 30),
                    "=HYPERLINK(\"x\")公开预算。"),
                   (2, "天桥区-2024-002-def456", "进行中", "准备中", None, None, "公开决算。")]
    # worksheets in UTF-8 (openpyxl alone writes each Chinese character as an 8-byte &#NNNNN;)
    with zipfile.ZipFile(path) as zf:
        parts = [zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]
    assert parts and not any(re.search(rb"&#\d+;", xml) for xml in parts)
    assert any("公开决算。".encode() in xml for xml in parts)
    calamine = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(PROGRESS_SHEET).to_python()
    assert [r[PROGRESS_LAYOUT.col("progress") - 1] for r in calamine[3:5]] == ["已公开", "准备中"]
    ws = openpyxl.load_workbook(path)[PROGRESS_SHEET]
    assert ws["E4"].data_type == "s"                       # text, never a formula (具体要求 moved to E: 具体任务 added)
    assert ws["B4"].protection.locked and not ws[f"{PROGRESS_LAYOUT.letter('status')}4"].protection.locked


# ------------------------------------------------------------------ (c) LibreOffice

@needs_soffice
@pytest.mark.parametrize("path", [PLAN_FILE, PROGRESS_FILE], ids=lambda p: p.name)
def test_libreoffice_opens_the_templates(tmp_path, path):
    pdf = convert(path, "pdf", tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF")
    ods = convert(path, "ods", tmp_path)
    layout = LAYOUTS[path.name]
    book = CalamineWorkbook.from_path(str(ods))
    rows = book.get_sheet_by_name(layout.sheet).to_python(skip_empty_area=False)
    assert rows[layout.header_row - 1][:len(layout.columns)] == [c.zh for c in layout.columns]


# ------------------------------------------------------------------ (d) new plans

@pytest.fixture(scope="module")
def carried(tmp_path_factory):
    out = tmp_path_factory.mktemp("newplan") / "2023年长清区任务分解表.xlsx"
    return out, new_plan(out, year=2023, district="长清区", from_plan=CHANGQING)


def test_new_plan_carries_every_task(carried):
    out, summary = carried
    assert summary.tasks == 66 and len(summary.changes) == 66 and summary.source_year == 2022
    by_old = {c.old: c for c in summary.changes}
    assert by_old["2022年9月底前"].new == "2023年9月底前"
    assert by_old["2022年年底"].new == "2023年年底"
    assert by_old["2022年年底 前"].new == "2023年年底 前"
    assert (by_old["全年"].new, by_old["全年"].code) == ("全年", "no-year")
    both = by_old["2022年9月底前完成，长期坚持"]
    assert (both.new, both.code, both.needs_check) == ("2023年9月底前完成，长期坚持", "shifted-ongoing", True)
    assert (by_old["本文件印发后30日内"].new, by_old["本文件印发后30日内"].code) == ("本文件印发后30日内", "relative")
    assert summary.shifted == 14
    assert list(out.parent.iterdir()) == [out]   # written atomically: no temporary file left


def test_new_plan_reads_back_for_the_new_year(carried):
    out, _ = carried
    old = read_plan(CHANGQING).tasks
    sheet, = read_plan(out).sheets
    assert (sheet.year, sheet.district, len(sheet.tasks)) == (2023, "长清区", 66)
    dues = [t.due for t in sheet.tasks if t.due]
    assert len(dues) == 65 and all(d.year == 2023 for d in dues)     # only the relative one has no date yet
    assert [t.requirement for t in sheet.tasks] == [t.requirement for t in old]
    assert [t.lead_entries for t in sheet.tasks] == [t.lead_entries for t in old]
    assert all(t.status is None and t.progress is None and t.done_date is None for t in sheet.tasks)
    keys = [t.key for t in sheet.tasks]
    assert all(k and k.startswith("长清区-2023-") for k in keys) and len(set(keys)) == 66


def test_new_plan_sheets(carried):
    out, _ = carried
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [PLAN_SHEET, GUIDE_SHEET, "变更说明", LIST_SHEET]
    assert wb[PLAN_SHEET]["A1"].value == "2023年长清区政务公开重点工作任务分解表"   # its own title, year moved on
    changes = list(wb["变更说明"].iter_rows(values_only=True))
    assert changes[0] == ("序号", "原完成时限", "新完成时限", "说明") and len(changes) == 67
    (sheet, ref), = wb.defined_names[LIST_NAME].destinations
    names = [c.value for row in wb[sheet][ref.replace("$", "")] for c in row]
    listed = UnitRegistry.default().for_district("长清区").names()
    used = list(dict.fromkeys(u for t in read_plan(CHANGQING).tasks for u in (*t.leads_written, *t.supports_written)))
    assert names[:len(used)] == used       # the units the plan names first, then the registry's
    assert names == list(dict.fromkeys(used + listed))
    assert "马山镇" in names and "无影山街道" not in names


def test_new_plan_clears_last_years_progress(tmp_path):
    wb = openpyxl.load_workbook(CHANGQING)
    ws = wb["任务分解表"]
    ws["G4"], ws["G5"], ws["H4"], ws["H5"] = "完成情况", "已完成", "备注", "已于5月完成"
    src = tmp_path / "2022年长清区任务分解表（已填进展）.xlsx"
    wb.save(src)
    summary = new_plan(tmp_path / "new.xlsx", year=2023, district="长清区", from_plan=src)
    assert "已清空" in openpyxl.load_workbook(tmp_path / "new.xlsx")["变更说明"]["D2"].value
    assert read_plan(tmp_path / "new.xlsx").tasks[0].status is None and summary.tasks == 66


def test_new_plan_without_last_year(tmp_path):
    summary = new_plan(tmp_path / "p.xlsx", year=2025, district="章丘区")
    assert summary.tasks == 0 and "空白表" in summary.message()
    sheet, = read_plan(tmp_path / "p.xlsx").sheets
    assert (sheet.year, sheet.district, len(sheet.tasks)) == (2025, "章丘区", 0)


@pytest.mark.parametrize("kwargs, key", [
    ({"year": 25, "district": "天桥区"}, "bad-year"),
    ({"year": 2025, "district": " "}, "no-district"),
])
def test_new_plan_refuses_bad_arguments(tmp_path, kwargs, key):
    with pytest.raises(NewPlanError) as exc:
        new_plan(tmp_path / "p.xlsx", **kwargs)
    assert exc.value.key == key and exc.value.message()


def test_new_plan_refuses_to_overwrite_its_source(tmp_path):
    src = tmp_path / "plan.xlsx"
    src.write_bytes(CHANGQING.read_bytes())
    with pytest.raises(NewPlanError, match="同一个文件"):
        new_plan(src, year=2023, district="长清区", from_plan=src)
    made = new_plan(tmp_path / "missing" / "p.xlsx", year=2023, district="长清区")   # the folder is made
    assert openpyxl.load_workbook(made.output).sheetnames


def _task(raw, year):
    return Task(row=5, seq=1, deadline_raw=raw, deadline=parse_deadline(raw, year=year))


@pytest.mark.parametrize("raw, old_year, new_year, new, code", [
    ("2022年12月底前", 2022, 2023, "2022年12月底前".replace("2022", "2023"), "shifted"),
    ("２０２２年１２月底前", 2022, 2023, "２０２３年１２月底前", "shifted"),
    ("2022/6/30", 2022, 2023, "2023/6/30", "shifted"),
    ("2022-09-30", 2022, 2023, dt.date(2023, 9, 30), "shifted"),          # a real date cell stays a date
    ("2024-02-29", 2024, 2025, "2024-02-29", "impossible"),              # reported, never guessed
    ("2023年6月底前", 2022, 2023, "2023年6月底前", "still-due"),
    ("2021—2022年", 2022, 2023, "2022—2023年", "shifted"),
    ("2022年9月底前完成，长期坚持", 2022, 2023, "2023年9月底前完成，长期坚持", "shifted-ongoing"),
    ("2022年9月底前", None, 2023, "2023年9月底前", "shifted"),            # last plan's year unknown
    ("12月底前", 2022, 2023, "12月底前", "no-year"),
    ("次年1月", 2022, 2023, "次年1月", "no-year"),
    ("长期坚持", 2022, 2023, "长期坚持", "ongoing"),
    ("常态化推进", 2022, 2023, "常态化推进", "ongoing"),
    ("每月25日前", 2022, 2023, "每月25日前", "ongoing"),
    ("本文件印发后30日内", 2022, 2023, "本文件印发后30日内", "relative"),
    ("2022年7月1日起", 2022, 2023, "2022年7月1日起", "start"),           # begun then, going on: not moved
    ("2022年10月起长期坚持", 2022, 2023, "2022年10月起长期坚持", "start"),
    ("7月起", 2022, 2023, "7月起", "no-year"),
    ("自印发之日起施行", 2022, 2023, "自印发之日起施行", "ongoing"),
    ("十四五期间", 2025, 2026, "十四五期间", "period-ended"),          # no year to move: to check
    ("十四五期间", 2024, 2025, "十四五期间", "still-due"),
    ("2022年13月起", 2022, 2023, "2022年13月起", "unknown"),            # was "ongoing", unchecked
    ("每年2月30日前", 2022, 2023, "每年2月30日前", "unknown"),
    ("尽快", 2022, 2023, "尽快", "unknown"),
    ("2022年13月底前", 2022, 2023, "2022年13月底前", "unknown"),
    (None, 2022, 2023, None, "empty"),
])
def test_carry_deadline(raw, old_year, new_year, new, code):
    change = carry_deadline(_task(raw, old_year), old_year, new_year)
    assert (change.new, change.code) == (new, code)
    assert change.note() and change.note("en")


@given(st.integers(2000, 2090), st.integers(1, 12), st.sampled_from(["月底前", "月底", "月份"]))
def test_carried_dated_deadlines_fall_in_the_new_year(year, month, tail):
    change = carry_deadline(_task(f"{year}年{month}{tail}", year), year, year + 1)
    due = parse_deadline(change.new, year=year + 1).due
    assert change.code == "shifted" and (due.year, due.month) == (year + 1, month)


# ------------------------------------------------------------------ (e) the command

def test_new_plan_command(tmp_path):
    out = tmp_path / "2023.xlsx"
    result = CliRunner().invoke(new_plan_command, ["--year", "2023", "--district", "长清区", "--from", str(CHANGQING),
                                                   "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"已生成 2023年长清区任务分解表：{out}。从 {CHANGQING.name} 沿用 66 项任务，")
    assert "其中 14 项完成时限顺延到2023年" in result.output and out.exists()


def test_new_plan_command_missing_source(tmp_path):
    result = CliRunner().invoke(new_plan_command, ["--year", "2023", "--district", "长清区", "--from",
                                                   str(tmp_path / "没有这个文件.xlsx"), "-o", str(tmp_path / "p.xlsx")])
    assert result.exit_code == 2
    assert result.output.startswith("错误：找不到文件：") and "Traceback" not in result.output
    assert result.output.count("\n") == 1 and not (tmp_path / "p.xlsx").exists()


def test_example_rows_of_the_template_are_not_tasks():
    from xltools.read import parse_grid
    from xltools.read import grid_from_worksheet
    from xltools.write.templates import plan_template
    from xltools.rules.units import UnitRegistry
    wb = plan_template(UnitRegistry.default(), year=2025, district="天桥区")
    ws = wb["任务分解表"]
    sheet = parse_grid(grid_from_worksheet(ws, "模板.xlsx"))
    assert sheet.tasks == []
    assert {f.code for f in sheet.findings} == {"example-row"}


def test_new_plan_does_not_carry_rows_that_hold_only_a_number(tmp_path):
    from conftest import TIANQIAO
    from xltools import read_plan
    from xltools.work.newplan import new_plan
    summary = new_plan(tmp_path / "2025.xlsx", year=2025, district="天桥区", from_plan=TIANQIAO)
    assert (summary.tasks, summary.empty) == (56, 2)          # 42 and 44 of the 2024 table are empty
    assert "另有 2 项只有序号" in summary.message()
    assert all(not t.is_empty for t in read_plan(tmp_path / "2025.xlsx").tasks)
