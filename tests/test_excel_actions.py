"""Ribbon actions and worksheet functions, on xlwings' remote engine.

The remote engine is xlwings' own stand-in for Excel: a book built from the JSON an
Office.js client sends (`xlwings.Book(json=payload)`), which records every change as an
action for the client to apply (`book.json()["actions"]`).  The payloads here are built
from our example workbooks the way the Office.js client builds them (used range from A1,
dates as ISO strings, existing notes by address), and the actions run through the same
dispatcher the ribbon calls (`xltools.excel.run(tag)` with `Book.caller()`).

The remote engine cannot tell merged cells, read a note's text, list conditional formats
or show a status bar; the tests assert what it records and pin those gaps.
"""
from __future__ import annotations

import datetime as dt
import importlib.util
import json
import shutil
import sys
from pathlib import Path

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter

from conftest import CHANGQING, TIANQIAO
from loop_fixtures import led_alone

from xltools import schema
from xltools.excel import actions, udfs
from xltools.work.flag import flag_file
from xltools.read import parse_grid, read_plan
from xltools.rules.units import UnitRegistry
from xltools.check.validate import check_sheet


# ------------------------------------------------------------------ the engine and its payloads

@pytest.fixture
def xw(monkeypatch, tmp_path):
    """xlwings with its remote engine (PolyForm Noncommercial terms: government use is
    permitted) and a private XLTOOLS_HOME."""
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    monkeypatch.setenv("XLTOOLS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XLTOOLS_LANG", "zh")
    import xlwings

    added = None
    if "remote" not in xlwings.engines.engines_by_name:
        # xlwings registers the engine at import time only when the key is already set
        from xlwings.pro import _xlremote
        added = xlwings.main.Engine(impl=_xlremote.engine)
        xlwings.engines.add(added)
    yield xlwings
    if added is not None:
        xlwings.engines.engines.remove(added)
        xlwings.engines.engines_by_name.pop("remote", None)


def officejs_payload(path: Path, active: str, *, notes_supported: bool = True) -> dict:
    """What xlwings' Office.js client sends for a workbook: every sheet's values from A1
    to the last used cell ("" for empty, dates as ISO strings), the used range, notes."""
    import xlwings

    wb = openpyxl.load_workbook(path, data_only=True)
    sheets = []
    for ws in wb.worksheets:
        nrows, ncols = ws.max_row, ws.max_column
        values = []
        for row in ws.iter_rows(min_row=1, max_row=nrows, max_col=ncols):
            out = []
            for cell in row:
                v = cell.value
                if v is None:
                    v = ""
                elif isinstance(v, dt.datetime):
                    v = v.isoformat(timespec="milliseconds") + "Z"
                elif isinstance(v, dt.date):
                    v = dt.datetime(v.year, v.month, v.day).isoformat(timespec="milliseconds") + "Z"
                out.append(v)
            values.append(out)
        sheet = {"name": ws.title, "values": values, "pictures": [], "shapes": [], "charts": [], "tables": [],
                 "notes": [{"address": c.coordinate} for row in ws.iter_rows() for c in row if c.comment],
                 "used_range_address": f"A1:{get_column_letter(ncols)}{nrows}", "visibility": "Visible",
                 "show_gridlines": True, "pivot_tables": [], "print_area": None}
        if not notes_supported:
            sheet["notes_supported"] = False
        sheets.append(sheet)
    return {"client": "Office.js", "version": xlwings.__version__,
            "book": {"name": path.name, "active_sheet_index": wb.sheetnames.index(active), "selection": "A1",
                     "calculation": "Automatic"},
            "names": [], "sheets": sheets}


def open_book(xw, path: Path, active: str, monkeypatch, **kwargs):
    book = xw.Book(json=officejs_payload(path, active, **kwargs))
    monkeypatch.setattr(xw.Book, "_mock_caller", book, raising=False)   # Book.caller() → this book
    return book


def recorded(book) -> list[dict]:
    return book.json()["actions"]


def of(book, func: str) -> list[dict]:
    return [a for a in recorded(book) if a["func"] == func]


def cell_of(a: dict) -> str:
    return f"{get_column_letter(a['start_column'] + 1)}{a['start_row'] + 1}"


def alerts(book) -> list[tuple[str, str, str]]:
    return [(a["args"][0], a["args"][1], a["args"][3]) for a in of(book, "alert")]


def run(tag: str) -> None:
    import xltools.excel
    xltools.excel.run(tag)


def file_findings(path: Path, sheet: str) -> list[tuple[str, str]]:
    plan = read_plan(path, sheet)
    return sorted((f.code, f.cell) for f in check_sheet(plan.sheets[0], UnitRegistry.default())
                  if f.severity in actions.SHOWN_SEVERITIES)


# ------------------------------------------------------------------ reading the open sheet

@pytest.mark.parametrize("path, sheet", [(TIANQIAO, "任务分工"), (CHANGQING, "任务分解表")])
def test_grid_from_sheet_holds_the_sheet_values(xw, monkeypatch, path, sheet):
    import python_calamine as pc

    book = open_book(xw, path, sheet, monkeypatch)
    grid = actions.grid_from_sheet(book.sheets.active)
    ws = pc.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet)
    expected = [[None if v == "" else v for v in row] for row in ws.to_python(skip_empty_area=False)]
    assert grid.sheet == sheet and grid.rows == expected
    # the remote engine has no merge information (desktop Excel has: merged_areas asks it)
    assert grid.merges == []
    # with the file's merged ranges, the Excel path reads exactly what read_plan reads
    grid.merges = [(a[0], a[1], b[0], b[1]) for a, b in ws.merged_cell_ranges]
    ts = parse_grid(grid, fallback=actions._book_context(book, book.sheets.active))
    plan = read_plan(path, sheet).sheets[0]
    assert (ts.year, ts.district, ts.issued) == (plan.year, plan.district, plan.issued)
    assert [t.to_dict() for t in ts.tasks] == [t.to_dict() for t in plan.tasks]


# ------------------------------------------------------------------ 校验本表

def test_validate_marks_cells_notes_and_lists_them_with_links(xw, monkeypatch):
    book = open_book(xw, TIANQIAO, "任务分工", monkeypatch)
    run("validate")
    expected = file_findings(TIANQIAO, "任务分工")       # this sheet has no merge-dependent findings
    assert len(expected) == 5

    fills = {cell_of(a): a["args"][0] for a in of(book, "setRangeColor")}
    assert sorted(fills) == sorted(cell for _, cell in expected)
    assert fills["F39"] == actions.SEVERITY_FILL["error"]       # missing deadline
    assert fills["D60"] == actions.SEVERITY_FILL["warning"]     # missing requirement

    notes = {a["args"][0].replace("$", ""): a["args"][1] for a in of(book, "addNote")}
    assert sorted(notes) == sorted(fills)
    assert notes["F39"] == ("【任务工具校验】\n错误：第 28 项没有填写完成时限。\n"
                            "建议：请填写如“2024年12月底前”或“长期坚持”。")

    (added,) = of(book, "addSheet")
    assert added["args"] == [2, "校验结果"]                      # right after 任务分工
    results = [a for a in of(book, "setValues") if a["sheet_position"] == 2]
    (table,) = results
    rows = table["values"]
    assert rows[0][0].startswith("“任务分工”校验结果（") and "：3 个错误，2 个警告" in rows[0][0]
    assert rows[0][0].endswith("纵向合并的单元格可能被报告为空白。）")   # the remote engine's caveat
    assert rows[1] == ["级别", "工作表", "单元格", "问题", "建议", "原值", "代码"]
    found, columns = rows[2:7], rows[7:]
    assert [r[0] for r in found] == ["错误"] * 3 + ["警告"] * 2
    assert sorted((r[6], r[2]) for r in found) == expected
    # below them, the column map as inspect shows it: which column was read as which field, and why
    assert columns[1][0] == "列对应（哪一列读作哪个字段）"
    assert columns[2][:4] == ["字段", "列", "表头", "依据"]
    # (the remote engine knows no merged cells: 工作任务 merged over B:C is B's header only)
    assert [r[:4] for r in columns[3:]] == [["序号", "A", "序号", "表头与常用写法“序号”相同"],
                                            ["工作任务", "B", "工作任务", "表头与常用写法“工作任务”相同"],
                                            ["具体要求", "D", "具体要求", "表头与常用写法“具体要求”相同"],
                                            ["责任单位", "E", "责任单位", "表头与常用写法“责任单位”相同"],
                                            ["完成时限", "F", "完成时限", "表头与常用写法“完成时限”相同"]]
    (links,) = [a for a in of(book, "setFormula") if a["sheet_position"] == 2]
    assert (links["start_row"], links["start_column"], links["row_count"]) == (2, 2, 5)
    assert [v[0] for v in links["values"]] == [f'=HYPERLINK("#\'任务分工\'!{r[2]}","{r[2]}")' for r in found]
    assert of(book, "activateSheet")[-1]["args"] == [2]
    ((text, title, mode),) = alerts(book)
    assert (title, mode) == ("任务工具", "info")
    assert text == "校验完成：3 个错误，2 个警告。\n问题单元格已标色并加批注，清单见“校验结果”工作表。"


def test_validate_lists_the_sheets_own_columns_below_the_column_map(xw, monkeypatch, tmp_path):
    """责任人, read as no field, is listed in 校验结果 as the sheet's own column, as inspect
    lists it (TaskSheet.column_lines)."""
    path = tmp_path / "2024年天桥区政务公开重点工作任务分工.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务分工"
    ws.append(["2024年天桥区政务公开重点工作任务分工"])
    ws.append(["序号", "具体要求", "责任单位", "完成时限", "责任人"])
    ws.append([1, "集中发布惠企政策清单", "区财政局", "2024年12月底前", "张三"])
    wb.save(path)
    open_book(xw, path, "任务分工", monkeypatch)
    run("validate")
    (table,) = [a for a in of(xw.Book.caller(), "setValues") if a["sheet_position"] == 1]
    rows = [r[:4] for r in table["values"]]
    at = rows.index(["字段", "列", "表头", "依据"])
    assert rows[at + 1:] == [["序号", "A", "序号", "表头与常用写法“序号”相同"],
                             ["具体要求", "B", "具体要求", "表头与常用写法“具体要求”相同"],
                             ["责任单位", "C", "责任单位", "表头与常用写法“责任单位”相同"],
                             ["完成时限", "D", "完成时限", "表头与常用写法“完成时限”相同"],
                             ["本表自有列", "E", "责任人", "不对应任何字段，原样保留为汇总表中的一列"]]


@pytest.fixture
def broken_plan(tmp_path) -> Path:
    """天桥 with an unknown unit, an impossible date, text that looks like a formula and a
    clerk's own note on one of the problem cells."""
    path = tmp_path / "2024年天桥区政务公开重点工作任务分工.xlsx"
    shutil.copy(TIANQIAO, path)
    wb = openpyxl.load_workbook(path)
    ws = wb["任务分工"]
    ws["E5"] = "区人社局、区城市管理局局"
    ws["F6"] = "2024年13月底前"
    ws["D7"].value = "=HYPERLINK(\"http://example.invalid\",\"点此\")"
    ws["D7"].data_type = "s"
    ws["F6"].comment = Comment("科室意见：时限待定", "clerk")
    wb.save(path)
    return path


def test_validate_reports_units_and_dates_and_keeps_a_clerks_note(xw, monkeypatch, broken_plan):
    book = open_book(xw, broken_plan, "任务分工", monkeypatch)
    run("validate")
    codes = {(f.code, f.cell) for f in check_sheet(read_plan(broken_plan, "任务分工").sheets[0],
                                                     UnitRegistry.default())}
    assert {("impossible-date", "F6"), ("formula-text", "D7")} <= codes
    assert any(code.startswith("unknown-unit") and cell == "E5" for code, cell in codes)

    fills = {cell_of(a) for a in of(book, "setRangeColor")}
    assert {"E5", "F6", "D7"} <= fills
    noted = {a["args"][0].replace("$", "") for a in of(book, "addNote")}
    # F6 already has the clerk's note, which this engine cannot read: it is left alone
    assert "F6" not in noted and {"E5", "D7"} <= noted
    assert not of(book, "deleteNote") and not [a for a in recorded(book) if "Note" in a["func"] and
                                               a["func"] != "addNote"]
    (table,) = [a for a in of(book, "setValues") if a["sheet_position"] == 2]
    by_cell = {r[2]: r for r in table["values"][2:]}
    assert by_cell["F6"][6] == "impossible-date" and by_cell["F6"][5] == "2024年13月底前"
    # text from the district file is written as text, never as a formula
    assert by_cell["D7"][5].startswith("'=")
    assert "区城市管理局局" in by_cell["E5"][3]


def test_validate_again_clears_the_last_marks(xw, monkeypatch, tmp_path):
    path = tmp_path / "plan.xlsx"
    shutil.copy(TIANQIAO, path)
    wb = openpyxl.load_workbook(path)
    old = wb.create_sheet("校验结果")
    old.append(["“任务分工”校验结果（旧）"])
    old.append(["级别", "工作表", "单元格", "问题", "建议", "原值", "代码"])
    old.append(["错误", "任务分工", "E9", "旧问题", "", "", "unknown-unit"])
    old.append(["错误", "别的表", "E10", "旧问题", "", "", "unknown-unit"])
    wb.save(path)
    book = open_book(xw, path, "任务分工", monkeypatch)
    run("validate")
    first = recorded(book)
    cleared = [a for a in first if a["func"] == "setRangeColor" and a["args"] == [None]]
    assert [cell_of(a) for a in cleared] == ["E9"]                 # only this sheet's old mark
    deleted = [i for i, a in enumerate(first) if a["func"] == "sheetDelete"]
    added = [i for i, a in enumerate(first) if a["func"] == "addSheet"]
    assert len(deleted) == 1 and deleted[0] < added[0]
    assert first[deleted[0]]["sheet_position"] == wb.sheetnames.index("校验结果")


def test_validate_leaves_a_clerks_own_sheet_named_like_ours(xw, monkeypatch, tmp_path):
    path = tmp_path / "plan.xlsx"
    shutil.copy(TIANQIAO, path)
    wb = openpyxl.load_workbook(path)
    wb.create_sheet("校验结果").append(["科室自己的校验记录"])
    wb.save(path)
    book = open_book(xw, path, "任务分工", monkeypatch)
    run("validate")
    assert not of(book, "sheetDelete")
    assert [a["args"][1] for a in of(book, "addSheet")] == ["校验结果2"]
    assert "清单见“校验结果2”工作表" in alerts(book)[-1][0]


def test_validate_on_a_sheet_without_a_table_says_so_in_chinese(xw, monkeypatch):
    book = open_book(xw, TIANQIAO, "通知", monkeypatch)
    run("validate")
    ((text, title, mode),) = alerts(book)
    assert (title, mode) == ("任务工具 - 出错", "critical")
    assert text.startswith("文件：2024年天桥区政务公开重点工作任务分工.xlsx\n工作表：通知\n\n")
    assert "没有找到任务表" in text and "Traceback" not in text
    assert {a["func"] for a in recorded(book)} == {"setScreenUpdating", "alert"}


def test_notes_are_skipped_where_the_client_has_none(xw, monkeypatch):
    book = open_book(xw, TIANQIAO, "任务分工", monkeypatch, notes_supported=False)
    run("validate")
    assert of(book, "setRangeColor") and not of(book, "addNote")
    assert of(book, "addSheet") and alerts(book)[-1][2] == "info"


# ------------------------------------------------------------------ 标记逾期

def test_mark_overdue_adds_due_and_warning_columns_and_rules(xw, monkeypatch, tmp_path):
    book = open_book(xw, TIANQIAO, "任务分工", monkeypatch)
    result = actions.perform(book, actions.mark_overdue)
    assert result["due_column"] == "G" and result["warning_column"] == "H"
    plan = read_plan(TIANQIAO, "任务分工").sheets[0]
    header = plan.header_row
    values = {cell_of(a): a["values"] for a in of(book, "setValues")}
    assert values[f"G{header}"] == [[schema.DUE.zh]] and values[f"H{header}"] == [[schema.WARNING.zh]]

    dues = values[f"G{header + 1}"]
    formulas = {cell_of(a): a["values"] for a in of(book, "setFormula")}[f"H{header + 1}"]
    assert len(dues) == len(formulas) == max(r for t in plan.tasks for r in (t.rows or [t.row])) - header
    # the same cells as `xltools flag` writes into the file (flag.flag_file)
    flagged = tmp_path / TIANQIAO.name
    shutil.copy(TIANQIAO, flagged)
    flag_file(flagged, sheet="任务分工")
    ws = openpyxl.load_workbook(flagged)["任务分工"]
    assert (ws[f"G{header}"].value, ws[f"H{header}"].value) == (schema.DUE.zh, schema.WARNING.zh)
    for i, (due, formula) in enumerate(zip(dues, formulas)):
        row = header + 1 + i
        want = ws[f"G{row}"].value
        # a date, or on the header repeated at a page break the column's name (as flag writes it)
        assert due == [want.date().isoformat() if hasattr(want, "date") else want or ""], row
        assert formula == [ws[f"H{row}"].value or ""], row
    from xltools.work.flag import repeated_headers
    assert sum(d == [schema.DUE.zh] for d in dues) == len(repeated_headers(plan)) > 0   # each page's header names them
    number_formats = {cell_of(a): a["args"] for a in of(book, "setNumberFormat")}
    assert number_formats == {f"G{header + 1}": ["yyyy-mm-dd"], f"H{header + 1}": ["General"]}

    rules = [a["args"][0] for a in of(book, "addConditionalFormat")]
    # added bottom-up: Excel puts each new rule on top, so 已完成 ends highest
    assert [r["formula"] for r in rules] == [f'=$H{header + 1}="临期"', f'=$H{header + 1}="逾期"',
                                             f'=$H{header + 1}="已完成"']
    colours = {r["formula"].split('"')[1]: (r["fill_color"], r["font_color"]) for r in rules}
    for state, (fill, font) in schema.DEFAULT_COLOURS.items():
        assert colours[schema.WARNING_STATES[state]] == ("#" + fill.lower(), "#" + font.lower())
    assert all(r["stop_if_true"] for r in rules)
    (rng,) = {(a["start_row"], a["start_column"], a["column_count"]) for a in of(book, "addConditionalFormat")}
    assert rng == (header, 0, 8)                                   # whole rows A:H
    # desktop Excel reads $H4 relative to the active cell: the first row is selected while
    # the rules go in, and the clerk's selection (A1 in the payload) comes back after
    steps = [(a["func"], cell_of(a)) for a in recorded(book) if a["func"] in ("rangeSelect", "addConditionalFormat")]
    assert steps == [("rangeSelect", f"A{header + 1}")] + [("addConditionalFormat", f"A{header + 1}")] * 3 \
        + [("rangeSelect", "A1")]
    ((text, _, mode),) = alerts(book)
    assert mode == "info" and "G 列写入截止日期、H 列写入预警" in text


def test_mark_overdue_again_reuses_its_columns(xw, monkeypatch, tmp_path):
    path = tmp_path / "plan.xlsx"
    shutil.copy(CHANGQING, path)
    wb = openpyxl.load_workbook(path)
    ws = wb["任务分解表"]
    ws["G4"], ws["H4"] = schema.DUE.zh, schema.WARNING.zh
    ws["G5"], ws["H5"] = dt.date(2022, 12, 31), "逾期"
    wb.save(path)
    book = open_book(xw, path, "任务分解表", monkeypatch)
    result = actions.perform(book, actions.mark_overdue)
    assert (result["due_column"], result["warning_column"]) == ("G", "H")
    assert {cell_of(a) for a in of(book, "setValues")} == {"G4", "H4", "G5"}


def test_mark_overdue_needs_a_deadline_column(xw, monkeypatch, tmp_path):
    from conftest import write_xlsx

    path = write_xlsx(tmp_path / "x.xlsx", {"表": [["序号", "工作任务", "具体要求", "责任单位"],
                                                    [1, "一、公开", "做好公开", "区政府办公室"]]})
    book = open_book(xw, path, "表", monkeypatch)
    run("overdue")
    ((text, _, mode),) = alerts(book)
    assert mode == "critical" and "没有“完成时限”列" in text


# ------------------------------------------------------------------ 合并汇总, 单位名录, the rest

def test_merge_folder_writes_and_announces_the_master(xw, monkeypatch, tmp_path):
    if importlib.util.find_spec("xltools.work.merge") is None:
        pytest.skip("xltools.merge is not there yet")
    folder = tmp_path / "returns"
    folder.mkdir()
    for path in (TIANQIAO, CHANGQING):
        shutil.copy(path, folder / path.name)
    book = open_book(xw, TIANQIAO, "任务分工", monkeypatch)
    summary = actions.perform(book, actions.merge_folder, folder=folder)
    master = folder / "汇总表.xlsx"
    assert summary.output == master and master.exists()
    assert len(summary.files_read) == 2 and summary.rows_merged > 100
    ws = openpyxl.load_workbook(master)["汇总"]
    assert ws.max_row - 1 == summary.rows_merged
    texts = [text for text, _, _ in alerts(book)]
    assert texts[0] == f"已生成：{master}\n请在 Excel 中打开它。"       # the remote engine cannot open files
    assert texts[1].startswith("合并完成：读取 2 个文件") and str(master) in texts[1]
    settings = json.loads((tmp_path / "home" / "excel.json").read_text(encoding="utf-8"))
    assert settings["merge_folder"] == str(folder)                  # the picker starts here next time


def test_registry_is_created_once_and_used_by_the_checks(xw, monkeypatch, tmp_path):
    book = open_book(xw, TIANQIAO, "任务分工", monkeypatch)
    path = actions.perform(book, actions.open_registry)
    assert path == tmp_path / "home" / "单位名录.xlsx" and path.exists()
    assert [text.split("\n")[0] for text, _, _ in alerts(book)] == [f"已生成：{path}",
                                                                     f"已根据内置名录生成单位名录：{path}"]
    assert udfs.XT_UNIT_CHECK("区数字经济促进局") != ""
    wb = openpyxl.load_workbook(path)
    ws = wb["单位名录"]
    ws.append([None, "区数字经济促进局", "区数促局", "部门"])
    wb.save(path)
    assert udfs.XT_UNIT_CHECK("区数字经济促进局") == ""            # the clerk's edit counts
    assert udfs.XT_UNITS("区数促局") == "区数字经济促进局"
    again = open_book(xw, TIANQIAO, "任务分工", monkeypatch)
    actions.perform(again, actions.open_registry)
    assert len(alerts(again)) == 1                                 # opened, not created again


@pytest.mark.parametrize("tag, module", [("split", "xltools.work.loop"), ("collect", "xltools.work.loop"),
                                         ("new-plan", "xltools.work.newplan"), ("merge", "xltools.work.merge")])
def test_functions_not_installed_say_so(xw, monkeypatch, tag, module):
    """An install older than the library module a button needs (sys.modules[name] = None
    makes its import fail, as a missing module does)."""
    monkeypatch.setitem(sys.modules, module, None)
    book = open_book(xw, TIANQIAO, "任务分工", monkeypatch)
    run(tag)
    ((text, title, mode),) = alerts(book)
    assert mode == "critical" and f"功能尚未安装（缺少模块 {module}）" in text


@pytest.fixture
def master(tmp_path) -> Path:
    from xltools.work.merge import merge

    folder = tmp_path / "districts"
    folder.mkdir()
    for path in (TIANQIAO, CHANGQING):
        shutil.copy(path, folder / path.name)
    output = tmp_path / "汇总表.xlsx"
    merge([folder], output)
    return output


def master_book(xw, master: Path, monkeypatch):
    """The open master.  Office.js sends only the file name; the file-based buttons need
    the full path, which desktop Excel gives as Book.fullname, so the payload carries it."""
    payload = officejs_payload(master, "汇总")
    payload["book"]["name"] = str(master)
    book = xw.Book(json=payload)
    monkeypatch.setattr(xw.Book, "_mock_caller", book, raising=False)
    return book


def test_split_and_collect_round_trip(xw, monkeypatch, master, tmp_path):
    pytest.importorskip("xltools.work.loop")
    book = master_book(xw, master, monkeypatch)
    run("split")
    returns = tmp_path / "汇总表_下发"
    files = sorted(returns.glob("*.xlsx"))
    assert files
    assert of(book, "save")                                        # the clerk's edits are in the file first
    ((text, _, mode),) = alerts(book)
    assert mode == "info" and text.startswith(f"已拆分为 {len(files)} 个报送表，保存在 {returns}。")

    # a unit reports one task done: the first task row a unit leads alone, none supporting (a task led by
    # several, or by a collective's members, is complete only when all say so: test_collect_leads,
    # test_remind_collected; the return's 下发底稿 lists who leads it); a return may open with a heading
    # naming a collective (issue 9)
    sheet = openpyxl.load_workbook(master)["汇总"]
    columns = [c.value for c in sheet[1]]
    unsupported = {r[columns.index(schema.TASK_KEY.zh)] for r in sheet.iter_rows(min_row=2, values_only=True)
                   if not r[columns.index(schema.SUPPORT.zh)]}
    path, alone = next((p, keys) for p in files if (keys := led_alone(p) & unsupported))
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header = next(r for r in range(1, 20) if schema.STATUS.zh in [c.value for c in ws[r]])
    status_col = [c.value for c in ws[header]].index(schema.STATUS.zh) + 1
    key_col = [c.value for c in ws[header]].index(schema.TASK_KEY.zh) + 1
    first = next(r for r in range(header + 1, ws.max_row + 1) if ws.cell(r, key_col).value in alone)
    key = ws.cell(first, key_col).value
    ws.cell(first, status_col, "已完成")
    ws.cell(first, [c.value for c in ws[header]].index(schema.DONE_DATE.zh) + 1, dt.date(2024, 5, 31))  # 已完成 needs it
    wb.save(path)

    book = master_book(xw, master, monkeypatch)
    summary = actions.perform(book, actions.collect_progress, folder=returns)
    assert summary is not None and summary.updated >= 1
    texts = [text for text, _, _ in alerts(book)]
    assert texts[-2] == f"已生成：{master}\n请在 Excel 中打开它。"      # reopened (this engine: a message)
    assert texts[-1].startswith(f"已收集 {len(files)} 个报送表到 {master}：更新 {summary.updated} 处")
    ws = openpyxl.load_workbook(master)["汇总"]
    head = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[head.index(schema.TASK_KEY.zh)] == key)
    assert row[head.index(schema.STATUS.zh)] == "已完成"


def test_split_needs_a_saved_master(xw, monkeypatch):
    pytest.importorskip("xltools.work.loop")
    book = open_book(xw, TIANQIAO, "任务分工", monkeypatch)       # Office.js: no path
    run("split")
    ((text, _, mode),) = alerts(book)
    assert mode == "critical" and "请先保存当前工作簿，再使用“拆分下发”" in text


def test_new_plan_writes_a_workbook(xw, monkeypatch, tmp_path):
    if importlib.util.find_spec("xltools.work.newplan") is None:
        pytest.skip("xltools.newplan is not there yet")
    book = open_book(xw, TIANQIAO, "任务分工", monkeypatch)
    output = tmp_path / "2025年天桥区任务分解表.xlsx"
    summary = actions.perform(book, actions.new_plan, year=2025, district="天桥区", output=output)
    assert output.exists(), alerts(book)
    assert summary.output == output
    assert alerts(book)[0][0] == f"已生成：{output}\n请在 Excel 中打开它。"


def test_unknown_tags_and_bugs_end_in_a_message_box(xw, monkeypatch, tmp_path):
    book = open_book(xw, TIANQIAO, "任务分工", monkeypatch)
    run("no-such-button")
    assert "按钮标记“no-such-button”没有对应的功能" in alerts(book)[-1][0]

    def broken(book, lang="zh"):
        raise ZeroDivisionError("division by zero")
    actions.perform(book, broken)
    text, title, mode = alerts(book)[-1]
    assert mode == "critical" and "意外错误（ZeroDivisionError: division by zero）" in text
    assert "Traceback" not in text
    log = (tmp_path / "home" / "excel.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "ZeroDivisionError" in log


# ------------------------------------------------------------------ worksheet functions (plain Python)

def test_xt_deadline():
    assert udfs.XT_DEADLINE("2024年12月底前") == dt.date(2024, 12, 31)
    assert udfs.XT_DEADLINE("9月底前", 2024) == dt.date(2024, 9, 30)
    assert udfs.XT_DEADLINE("9月底前", 2024.0) == dt.date(2024, 9, 30)      # Excel passes numbers as floats
    assert udfs.XT_DEADLINE("9月底前") == ""                                 # no year: no guess
    assert udfs.XT_DEADLINE("本文件印发后30日内", None, dt.datetime(2024, 6, 25)) == dt.date(2024, 7, 25)
    assert udfs.XT_DEADLINE("本文件印发后30日内", None, "2024-06-25") == dt.date(2024, 7, 25)
    assert udfs.XT_DEADLINE("长期坚持") == "" and udfs.XT_DEADLINE(None) == "" and udfs.XT_DEADLINE("") == ""
    assert udfs.XT_DEADLINE(dt.datetime(2025, 6, 30)) == dt.date(2025, 6, 30)


def test_ranges_in_arrays_out():
    column = [["2024年12月底前"], ["全年"], [None]]
    assert udfs.XT_DEADLINE(column, 2024) == [[dt.date(2024, 12, 31)], [dt.date(2024, 12, 31)], [""]]
    assert udfs.XT_DEADLINE_KIND([["长期坚持", "每月25日前"]]) == [["长期", "定期"]]
    assert udfs.XT_UNITS(["区人社局", "区卫健局、区教体局"]) == ["区人力资源和社会保障局",
                                                               "区卫生健康局、区教育和体育局"]
    assert udfs.XT_WARNING([[dt.date(2024, 1, 1)], [dt.date(2024, 3, 1)]], [["已完成"], [None]],
                           dt.date(2024, 2, 20)) == [["已完成"], ["临期"]]


def test_xt_deadline_kind():
    assert [udfs.XT_DEADLINE_KIND(x) for x in ("2024年12月底前", "长期坚持", "每季度末", "印发后30日内", "尽快", "")] \
        == ["日期", "长期", "定期", "相对时限", "无法识别", ""]


def test_xt_units_and_unit_check():
    assert udfs.XT_UNITS("区政府办公室牵头，区人社局配合") == "区政府办公室、区人力资源和社会保障局"
    assert udfs.XT_UNITS("") == ""
    assert udfs.XT_UNIT_CHECK("区人社局、各街道办事处") == ""
    assert udfs.XT_UNIT_CHECK(None) == ""
    problem = udfs.XT_UNIT_CHECK("区人设局")
    assert problem.startswith("单位名称“区人设局”不在单位名录中。是否应为：") and "区人力资源和社会保障局" in problem


def test_xt_warning():
    day = dt.date(2024, 6, 1)
    assert udfs.XT_WARNING(dt.date(2024, 5, 31), None, day) == "逾期"
    assert udfs.XT_WARNING(dt.date(2024, 6, 1), None, day) == "临期"          # due today is not late yet
    assert udfs.XT_WARNING(dt.date(2024, 6, 16), None, day) == "临期"
    assert udfs.XT_WARNING(dt.date(2024, 6, 17), None, day) == "正常"
    assert udfs.XT_WARNING(dt.date(2024, 6, 17), None, day, 20) == "临期"
    assert udfs.XT_WARNING(dt.date(2024, 5, 1), "已完成", day) == "已完成"
    assert udfs.XT_WARNING("长期坚持", None, day) == "持续推进"
    assert udfs.XT_WARNING("2024年5月底前", "进行中", day) == "逾期"
    assert udfs.XT_WARNING(45443.0, None, day) == "逾期"                      # a serial number (2024-05-31)
    assert udfs.XT_WARNING(None, None, day) == "" and udfs.XT_WARNING("尽快", None, day) == "无法判断"   # as 预警 shows it


def test_new_plan_offers_to_carry_the_open_plan(xw, monkeypatch, tmp_path):
    """The open workbook is last year's plan: its tasks are carried (the remote engine
    takes the question's default, 是); from_plan=False gives a blank plan."""
    from xltools import read_plan
    book = open_book(xw, CHANGQING, "任务分解表", monkeypatch)
    monkeypatch.setattr(type(book), "fullname", property(lambda self: str(CHANGQING)), raising=False)
    carried = tmp_path / "2023年长清区任务分解表.xlsx"
    actions.perform(book, actions.new_plan, year=2023, district="长清区", output=carried)
    sheet, = read_plan(carried).sheets
    assert (sheet.year, len(sheet.tasks)) == (2023, 66)
    assert {t.due.year for t in sheet.tasks if t.due} == {2023}
    blank = tmp_path / "blank.xlsx"
    actions.perform(book, actions.new_plan, year=2023, district="长清区", output=blank, from_plan=False)
    assert read_plan(blank).tasks == []


def test_validate_takes_merges_from_the_saved_file_when_the_engine_has_none(xw, monkeypatch):
    """长清 keeps units and deadlines in merged cells.  The remote engine cannot say which
    cells are merged; when the open sheet equals the saved file, the file's merges are
    used, so 校验本表 reports what `xltools validate` reports: nothing."""
    book = open_book(xw, CHANGQING, "任务分解表", monkeypatch)
    monkeypatch.setattr(type(book), "fullname", property(lambda self: str(CHANGQING)), raising=False)
    run("validate")
    assert of(book, "setRangeColor") == [] and of(book, "addNote") == []
    table = next(a for a in of(book, "setValues") if a["sheet_position"] == 2)["values"]   # after 任务分解表
    assert "：0 个错误，0 个警告" in table[0][0] and "纵向合并" not in table[0][0]
