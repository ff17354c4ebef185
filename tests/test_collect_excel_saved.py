"""Collect edits the master without giving openpyxl its rows (write/splice.py).  A master
a person saved in Excel carries what Excel writes on every row (x14ac:dyDescent, declared
on the sheet's root): after collect the file must still be well-formed, schema-valid and
hold what the unit reported.  And should a part come out broken, nothing is written."""
from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path
from xml.dom import minidom

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from xltools.write import splice

from conftest import TIANQIAO
from xltools.errors import XltoolsError
from xltools.work.loop import collect, split
from xltools.work.merge import merge

EXCEL_ROOT = (b'<worksheet xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
              b'mc:Ignorable="x14ac" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" ')


def rewrite_sheets(book: Path, change) -> None:
    tmp = book.with_suffix(".tmp")
    with zipfile.ZipFile(book) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, change(data) if info.filename.startswith("xl/worksheets/sheet") else data)
    shutil.move(tmp, book)


def as_excel_saves(data: bytes) -> bytes:
    return re.sub(rb'<row r="(\d+)"', rb'<row r="\1" x14ac:dyDescent="0.25"', data.replace(b"<worksheet ", EXCEL_ROOT, 1))


@pytest.fixture
def master_and_return(tmp_path):
    folder = tmp_path / "区县"
    folder.mkdir()
    shutil.copy(TIANQIAO, folder / TIANQIAO.name)
    master = tmp_path / "汇总.xlsx"
    merge([folder], master)
    split(master, tmp_path / "下发")
    ret = sorted((tmp_path / "下发").glob("*.xlsx"))[0]
    wb = openpyxl.load_workbook(ret)
    ws = wb["进展报送"]
    head = {ws.cell(3, c).value: c for c in range(1, ws.max_column + 1)}
    row = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, head["任务编号"]).value)
    ws.cell(row, head["状态"]).value = "正在推进"
    ws.cell(row, head["进展情况"]).value = "已完成一半，正在公示"
    wb.save(ret)
    return master, ret


def test_a_master_saved_by_excel_stays_well_formed_after_collect(master_and_return):
    master, ret = master_and_return
    rewrite_sheets(master, as_excel_saves)
    done = collect([ret], master)
    assert done.updated >= 1
    with zipfile.ZipFile(master) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                minidom.parseString(z.read(name))             # raises on an unbound prefix
    values = [v for row in openpyxl.load_workbook(master)["汇总"].iter_rows(values_only=True) for v in row]
    assert "已完成一半，正在公示" in values


@pytest.mark.parametrize("aside", [False, True], ids=["checked-here", "checked-in-a-process"])
def test_a_part_that_would_be_broken_is_never_written(master_and_return, monkeypatch, aside):
    """Rows that are not well-formed where they stand are found as they are taken out (a
    large sheet's in a process of its own, answered before anything is written)."""
    master, ret = master_and_return
    if aside:
        monkeypatch.setattr(splice, "CHECK_ASIDE", 0)
    # a row attribute whose prefix nothing declares: the part could not be written back whole
    rewrite_sheets(master, lambda d: d.replace(b'<row r="2"', b'<row r="2" zz:odd="1"', 1))
    before = master.read_bytes()
    with pytest.raises(XltoolsError) as exc:
        collect([ret], master)
    assert exc.value.key == "splice-broken" and "汇总表未作任何修改" in exc.value.message("zh")
    assert "sheet1.xml" in exc.value.message("zh")
    assert master.read_bytes() == before
    rewrite_sheets(master, lambda d: d.replace(b' zz:odd="1"', b"", 1))     # mended: collected
    assert collect([ret], master).updated >= 1


@pytest.mark.parametrize("aside", [False, True], ids=["checked-here", "checked-in-a-process"])
def test_rows_put_under_a_start_tag_lacking_their_namespaces_are_never_written(master_and_return, monkeypatch,
                                                                                tmp_path, aside):
    """Rows checked as they were taken out are checked again, whole with their part, when
    the part they are put back into does not declare every prefix their own did."""
    master, ret = master_and_return
    rewrite_sheets(master, as_excel_saves)
    monkeypatch.setattr(splice, "_with_namespaces", lambda body, original: body)    # as before that was mended
    if aside:       # a large part: checked in a process of its own while this one compresses
        seen = tmp_path / "checked"
        real = splice._check_all

        def marked(parts):
            with seen.open("a") as marks:
                marks.write(" ".join(name for name, _ in parts) + " ")
            real(parts)
        monkeypatch.setattr(splice, "CHECK_ASIDE", 0)
        monkeypatch.setattr(splice, "_check_all", marked)
    before = master.read_bytes()
    with pytest.raises(XltoolsError) as exc:
        collect([ret], master)
    assert exc.value.key == "splice-broken" and "unbound prefix" in exc.value.message("zh")
    assert master.read_bytes() == before
    if aside:
        assert "xl/worksheets/sheet1.xml" in seen.read_text().split()
    monkeypatch.undo()
    assert collect([ret], master).updated >= 1


def test_a_master_holding_its_parts_in_another_order_is_collected(master_and_return):
    """LibreOffice writes a sheet's relationships (its hyperlinks) before the sheet."""
    master, ret = master_and_return
    tmp = master.with_suffix(".tmp")
    with zipfile.ZipFile(master) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        # as LibreOffice orders them: the workbook's parts, the sheets' relationships, the sheets
        infos = sorted(zin.infolist(), key=lambda i: (i.filename.startswith("xl/worksheets/"),
                                                      not i.filename.startswith("xl/worksheets/_rels/")))
        assert infos.index(zin.getinfo("xl/worksheets/_rels/sheet1.xml.rels")) < \
            infos.index(zin.getinfo("xl/worksheets/sheet1.xml"))
        for info in infos:
            zout.writestr(info, zin.read(info))
    shutil.move(tmp, master)
    assert collect([ret], master).updated >= 1
    values = [v for row in openpyxl.load_workbook(master)["汇总"].iter_rows(values_only=True) for v in row]
    assert "已完成一半，正在公示" in values


def test_rows_holding_cdata_are_left_to_openpyxl_whole(master_and_return):
    """CDATA may hold "</row>" as text: the patterns of the splice would cut there, so a
    sheet with it is edited by openpyxl, and the text stays what it was."""
    master, ret = master_and_return
    odd = "注</row><row r=\"9\">不是一行"
    first = []

    def with_cdata(data: bytes) -> bytes:       # 汇总 (the first sheet): in the first text of every row
        if first:
            return data
        first.append(1)
        return re.sub(rb'(<row [^>]*>(?:<c [^>]*/>)*<c [^>]*t="inlineStr"><is><t>)([^<]*)(</t>)',
                      lambda m: m.group(1) + b"<![CDATA[" + m.group(2) + odd.encode() + b"]]>" + m.group(3), data)
    rewrite_sheets(master, with_cdata)
    assert b"<![CDATA[" in zipfile.ZipFile(master).read("xl/worksheets/sheet1.xml")
    done = collect([ret], master)
    assert done.updated >= 1
    ws = openpyxl.load_workbook(master)["汇总"]
    values = [v for row in ws.iter_rows(values_only=True) for v in row]
    assert [ws.cell(r, 1).value for r in range(2, ws.max_row + 1)] == ["天桥区" + odd] * (ws.max_row - 1)
    assert "已完成一半，正在公示" in values
    with zipfile.ZipFile(master) as z:
        minidom.parseString(z.read("xl/worksheets/sheet1.xml"))


def test_a_title_row_typed_above_the_header_is_named_and_nothing_is_changed(master_and_return):
    """People put a title above a table.  collect, split and merge then cannot take 汇总
    for a master: each says where the header now is and what to do, and writes nothing."""
    master, ret = master_and_return
    wb = openpyxl.load_workbook(master)
    ws = wb["汇总"]
    ws.insert_rows(1)
    ws["A1"] = "2024年度政务公开重点任务汇总表"
    ws.cell(3, [c.value for c in ws[2]].index("进展情况") + 1).value = "办公室电话了解的进展"
    wb.save(master)
    before = master.read_bytes()
    for run in (lambda: collect([ret], master), lambda: split(master, master.parent / "再拆分"),
                lambda: merge([TIANQIAO], master)):
        with pytest.raises(XltoolsError) as exc:
            run()
        text = exc.value.message("zh")
        assert exc.value.key.endswith("master-header-moved"), exc.value.key
        assert "第 2 行" in text and "删除表头上方的行" in text and "不是 xltools" not in text
        assert master.read_bytes() == before
    wb = openpyxl.load_workbook(master)
    wb["汇总"].delete_rows(1)       # as asked: then it is collected, the office's words kept
    wb.save(master)
    assert collect([ret], master).updated >= 1
    grid = CalamineWorkbook.from_path(str(master)).get_sheet_by_name("汇总").to_python()
    assert any("办公室电话了解的进展" in row for row in grid)
    assert any("已完成一半，正在公示" in row for row in grid)
