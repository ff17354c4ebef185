"""flag on a district sheet set up for print: 截止日期 and 预警 print with the table, not on
a page of their own.  A print area is widened to them; a sheet set to print a number of
pages wide keeps its setting; a sheet printed at its own size is set to fit its width only
where our two columns would otherwise start a page across.  Real .xlsx made with openpyxl,
flagged, read back with openpyxl, and printed to PDF by LibreOffice (read with pdftotext);
the ribbon's 标记逾期 widens the print area the same way."""
from __future__ import annotations

import datetime as dt
import shutil

import openpyxl
import pytest

from lo import convert, needs_soffice
from test_excel_actions import officejs_payload, of, xw  # noqa: F401  (xw: the remote engine fixture)
from xltools import schema
from xltools.excel import actions
from xltools.work.flag import FlagColumns, flag_file, print_area_with
from xltools.write import printing

AS_OF = dt.date(2025, 6, 1)
HEAD = ["序号", "工作任务", "具体要求", "牵头单位", "配合单位", "完成时限", "责任人", "备注"]
WIDE = [6, 12, 22, 12, 12, 10, 6, 6]         # 86 characters: one A4 page wide, but not with our 21 more
NARROW = [5, 8, 10, 8, 6, 10, 4, 4]          # room for ours on the same page
SHEET = "任务分解表"

printed = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")


def district(path, widths=WIDE, *, area=None, fit=None, flagged=False):
    """A district's task sheet on A4 portrait: title, header on row 2, twelve tasks (rows
    3–14), a 备注 in the last column, a footnote under the table; `area`: its print area;
    `fit`: (fitToWidth, fitToHeight) to print to fit pages; `flagged`: 截止日期 and 预警
    already there (a run before print areas were widened)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    ws["A1"] = "2025年某区政务公开工作要点任务分解表"
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEAD))
    ws.append(HEAD + ([schema.DUE.zh, schema.WARNING.zh] if flagged else []))
    for n in range(1, 13):
        ws.append([n, "推进政务公开", f"第{n}项要求的具体内容", "区财政局", "区政府办公室", f"2025年{n % 12 + 1}月底前",
                   "张三", "季度报送" if n % 3 == 0 else None])
    ws.append([])
    ws.append(["注：完成时限以区政府通知为准。"])
    for c, w in enumerate(widths, 1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width = w
    ws.page_setup.paperSize = printing.A4
    ws.page_setup.orientation = "portrait"
    if area:
        ws.print_area = area
    if fit:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = fit
    wb.save(path)
    return path


def sheet(path):
    return openpyxl.load_workbook(path)[SHEET]


def fit_of(ws) -> tuple:
    props = ws.sheet_properties.pageSetUpPr
    return bool(props is not None and props.fitToPage), ws.page_setup.fitToWidth, ws.page_setup.fitToHeight


def pages_with(pdf) -> list[set[str]]:
    from test_printing import pages_of

    return [{w.text for w in page.words} for page in pages_of(pdf)]


def test_the_sheet_is_as_the_office_prints_it(tmp_path):
    """The check is not blind: before flag the table is one page wide, with our two
    columns it is not, at the sheet's own size."""
    ws = sheet(district(tmp_path / "a.xlsx"))
    assert printing.pages_across(ws, range(1, 9)) == 1
    ws.column_dimensions["I"].width, ws.column_dimensions["J"].width = schema.DUE.width, schema.WARNING.width
    assert printing.pages_across(ws, range(1, 11)) == 2


def test_a_print_area_is_widened_to_the_new_columns(tmp_path):
    path = district(tmp_path / "a.xlsx", area="A1:H30")
    result = flag_file(path, as_of=AS_OF)
    assert result.changed
    ws = sheet(path)
    assert (ws["I2"].value, ws["J2"].value) == (schema.DUE.zh, schema.WARNING.zh)
    assert ws.print_area == f"'{SHEET}'!$A$1:$J$30"
    assert fit_of(ws) == (True, 1, 0)       # A:J at its own size would need two pages across
    assert flag_file(path, as_of=AS_OF).backup is None      # a second run changes nothing


@needs_soffice
@printed
def test_the_new_columns_print_on_the_page_of_the_table(tmp_path):
    path = district(tmp_path / "a.xlsx", area="A1:H30")
    flag_file(path, as_of=AS_OF)
    pages = pages_with(convert(path, "pdf", tmp_path))
    first = next(words for words in pages if "序号" in words)
    assert {"截止日期", "预警", "备注"} <= first
    assert len(pages) == 1


@needs_soffice
@printed
def test_without_a_print_area_the_sheet_is_fitted_to_its_width(tmp_path):
    path = district(tmp_path / "a.xlsx")
    flag_file(path, as_of=AS_OF)
    ws = sheet(path)
    assert not ws.print_area and fit_of(ws) == (True, 1, 0)
    pages = pages_with(convert(path, "pdf", tmp_path))
    assert {"序号", "截止日期", "预警"} <= pages[0] and len(pages) == 1


@needs_soffice
@printed
def test_left_at_its_own_size_the_new_columns_would_print_apart(tmp_path):
    """What the fit prevents, printed: the same flagged sheet without it puts 截止日期 on a
    second page, away from 序号."""
    path = district(tmp_path / "a.xlsx")
    flag_file(path, as_of=AS_OF)
    wb = openpyxl.load_workbook(path)
    wb[SHEET].sheet_properties.pageSetUpPr.fitToPage = False
    wb.save(path)
    pages = pages_with(convert(path, "pdf", tmp_path))
    assert "序号" in pages[0] and "截止日期" not in pages[0] and any("截止日期" in p for p in pages[1:])


def test_a_table_with_room_for_the_columns_keeps_its_size(tmp_path):
    path = district(tmp_path / "a.xlsx", NARROW, area="A1:H30")
    flag_file(path, as_of=AS_OF)
    ws = sheet(path)
    assert ws.print_area == f"'{SHEET}'!$A$1:$J$30"
    assert not fit_of(ws)[0]


@pytest.mark.parametrize("fit", [(1, 0), (2, 0), (1, 3)])
def test_a_sheet_printed_to_fit_pages_keeps_its_setting(tmp_path, fit):
    path = district(tmp_path / "a.xlsx", area="A1:H30", fit=fit)
    flag_file(path, as_of=AS_OF)
    ws = sheet(path)
    assert ws.print_area == f"'{SHEET}'!$A$1:$J$30" and fit_of(ws) == (True, *fit)


def test_a_sheet_fitted_only_to_its_height_is_fitted_to_its_width_too(tmp_path):
    path = district(tmp_path / "a.xlsx", fit=(0, 2))
    flag_file(path, as_of=AS_OF)
    assert fit_of(sheet(path)) == (True, 1, 2)


def test_a_print_area_taking_part_of_the_table_is_left(tmp_path):
    """Someone prints only the first columns: that is what they chose, not widened."""
    path = district(tmp_path / "a.xlsx", area="A1:D30")
    flag_file(path, as_of=AS_OF)
    ws = sheet(path)
    assert ws.print_area == f"'{SHEET}'!$A$1:$D$30" and not fit_of(ws)[0]


def test_a_sheet_flagged_before_gets_its_print_area_widened(tmp_path):
    """The columns are there from an earlier run that left the print area short: flag
    widens it (and says the file changed)."""
    path = district(tmp_path / "a.xlsx", area="A1:H30", flagged=True)
    flag_file(path, as_of=AS_OF)
    path2 = tmp_path / "b.xlsx"
    shutil.copy(path, path2)
    wb = openpyxl.load_workbook(path2)
    wb[SHEET].print_area = "A1:H30"
    wb[SHEET].sheet_properties.pageSetUpPr.fitToPage = False
    wb.save(path2)
    result = flag_file(path2, as_of=AS_OF)
    ws = sheet(path2)
    assert result.changed and result.renewed == {SHEET}
    assert ws.print_area == f"'{SHEET}'!$A$1:$J$30" and fit_of(ws) == (True, 1, 0)


COLS = FlagColumns(header=2, first=3, last=14, due=9, warning=10, right=10, deadline=6, table_right=8)


@pytest.mark.parametrize("area, widened", [
    (None, None),
    ("", None),
    ("A1:H30", ["$A$1:$J$30"]),
    ("$A$1:$H$30", ["$A$1:$J$30"]),
    ("'任务,分解表'!$A$1:$H$30", ["$A$1:$J$30"]),
    ("Sheet1!$A$1:$I$30", ["$A$1:$J$30"]),                      # one of ours in, the other not
    ("$A$1:$J$30", None),                                      # both in already
    ("$A:$H", ["$A:$J"]),                                      # whole columns
    ("$1:$30", None),                                          # whole rows: every column prints
    ("$A$1:$D$30", None),                                      # part of the table
    ("$A$1:$H$30,$A$40:$C$50", ["$A$1:$J$30", "$A$40:$C$50"]),  # a second range off the table
    ("$A$10:$H$30", ["$A$10:$J$30"]),                          # the table's lower part
    ("$A$16:$H$30", None),                                     # under the table
])
def test_which_print_areas_are_widened(area, widened):
    assert print_area_with(area, COLS) == widened


# ------------------------------------------------------------------ the ribbon's 标记逾期

def open_with_area(xw, path, area, monkeypatch):
    payload = officejs_payload(path, SHEET)
    payload["sheets"][0]["print_area"] = area
    book = xw.Book(json=payload)
    monkeypatch.setattr(xw.Book, "_mock_caller", book, raising=False)
    return book


def test_the_button_widens_the_print_area_as_flag_does(xw, monkeypatch, tmp_path):
    path = district(tmp_path / "a.xlsx", area="A1:H30")
    book = open_with_area(xw, path, "$A$1:$H$30", monkeypatch)
    result = actions.perform(book, actions.mark_overdue)
    assert (result["due_column"], result["warning_column"]) == ("I", "J")
    assert [a["args"] for a in of(book, "setPrintArea")] == [["$A$1:$J$30"]] and result["print_area"] == "$A$1:$J$30"
    flag_file(path, as_of=AS_OF)                                # the same area as flag gives the file
    assert sheet(path).print_area == f"'{SHEET}'!$A$1:$J$30"


@pytest.mark.parametrize("area", [None, "$A$1:$D$30"])
def test_the_button_leaves_a_print_area_it_need_not_widen(xw, monkeypatch, tmp_path, area):
    path = district(tmp_path / "a.xlsx")
    book = open_with_area(xw, path, area, monkeypatch)
    result = actions.perform(book, actions.mark_overdue)
    assert not of(book, "setPrintArea") and result["print_area"] is None
