"""The master's package as a file: every part valid against the OOXML schema (openxml-audit,
the Open XML SDK's checks in Python), rows numbered as Excel requires, hyperlink targets
encoded and within Excel's limits.  Excel is stricter than every reader we can run here,
so the schema is the judge of element order, not a reader that happens to cope."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from pathlib import Path, PurePosixPath, PureWindowsPath

import openpyxl
import pytest
from openxml_audit import OpenXmlValidator

from xltools.schema import MASTER_COLUMNS
from xltools.work.merge import merge
from xltools.write import xlsx
from xltools.write.xlsx import link_target

from conftest import CHANGQING, TIANQIAO
from test_merge import district_book
from test_remerge import Clerk

AS_OF = dt.date(2024, 12, 20)
SOURCE = next(i for i, c in enumerate(MASTER_COLUMNS) if c.key == "source_file") + 1
# Inline strings are how we keep rows fast and small; Excel moves them into a shared table
# when it saves the file.  The SDK notes that as a compatibility warning, not an error.
ALLOWED = {"Excel_InlineStrCells"}


def problems(path: Path) -> list[str]:
    result = OpenXmlValidator().validate(path)
    return [f"{e.part_uri} {e.path}: {e.description}" for e in result.errors if e.id not in ALLOWED]


def rows_out_of_order(path: Path) -> list[str]:
    """Worksheets whose <row r> numbers are not strictly increasing within 1…1,048,576
    (Excel refuses such a file; the schema cannot say it)."""
    bad = []
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/sheet"):
                numbers = [int(n) for n in re.findall(rb'<row r="(\d+)"', zf.read(name))]
                if any(b <= a for a, b in zip(numbers, numbers[1:])) or numbers and not 1 <= numbers[0] <= numbers[-1] <= 1048576:
                    bad.append(name)
    return bad


def rewritten(path: Path, out: Path, part: str, change) -> Path:
    """A copy of the package with one part changed."""
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            data = src.read(name)
            dst.writestr(name, change(data.decode("utf-8")).encode("utf-8") if name == part else data)
    return out


@pytest.fixture
def master(tmp_path) -> Path:
    """A master with every sheet and feature: 变更 from a re-merge, a column and a hidden
    sheet people added, a chart, hyperlinks, formulas, dates."""
    folder = tmp_path / "returns"
    folder.mkdir()
    for p in (TIANQIAO, CHANGQING):
        shutil.copy(p, folder / p.name)
    out = tmp_path / "master.xlsx"
    merge([folder], out, as_of=AS_OF)
    clerk = Clerk(out)
    clerk.add_column("督办意见", width=20)
    notes = clerk.wb.create_sheet("备注")
    notes.append(["说明", dt.date(2024, 5, 1), 3.5, True])
    notes.sheet_state = "hidden"
    clerk.save()
    merge([folder], out, as_of=AS_OF)
    return out


def test_every_part_of_the_master_is_valid(master):
    with zipfile.ZipFile(master) as zf:
        names = set(zf.namelist())
    assert {"xl/charts/chart1.xml", "xl/drawings/drawing1.xml", "xl/worksheets/sheet6.xml"} <= names  # all there
    assert problems(master) == []
    assert rows_out_of_order(master) == []
    wb = openpyxl.load_workbook(master)
    assert wb.sheetnames == ["汇总", "统计", "变更", "问题清单", "合并记录", "汇总表标识", "备注"]
    assert wb["备注"].sheet_state == "hidden" and wb["备注"]["B1"].value == dt.datetime(2024, 5, 1)
    assert "督办意见" in [c.value for c in wb["汇总"][1]]


def test_a_wrong_element_order_or_row_number_would_fail(master, tmp_path):
    """The checks above are not blind: the same package with autoFilter moved before
    sheetData, or with a row number repeated, is caught."""
    part = "xl/worksheets/sheet1.xml"

    def filter_first(xml: str) -> str:
        tag = re.search(r"<autoFilter [^>]*/>", xml).group()
        return xml.replace(tag, "").replace("<sheetData>", tag + "<sheetData>")

    assert problems(rewritten(master, tmp_path / "order.xlsx", part, filter_first))
    repeated = rewritten(master, tmp_path / "rows.xlsx", part, lambda xml: xml.replace('<row r="3" ', '<row r="2" ', 1))
    assert rows_out_of_order(repeated) == [part]


@pytest.mark.parametrize("path, target", [
    (PurePosixPath("returns/天桥区 2024.xlsx"), "returns/天桥区%202024.xlsx"),        # non-ASCII kept, as Excel does
    (PurePosixPath("../第#1号 100%.xlsx"), "../第%231号%20100%25.xlsx"),
    (PurePosixPath("a[1]{x}^`|b.xlsx"), "a%5B1%5D%7Bx%7D%5E%60%7Cb.xlsx"),
    (PurePosixPath("/srv/共享 盘/a.xlsx"), "file:///srv/共享%20盘/a.xlsx"),
    (PureWindowsPath(r"C:\共享\a b.xlsx"), "file:///C:/共享/a%20b.xlsx"),
    (PureWindowsPath(r"\\server\share\a.xlsx"), "file://server/share/a.xlsx"),
])
def test_link_targets_are_encoded_as_excel_expects(path, target):
    assert link_target(path) == target


def test_link_targets_over_excels_limit_are_refused():
    assert link_target(PurePosixPath("a" * 2074 + ".xlsx")) is not None          # 2,079 characters
    assert link_target(PurePosixPath("a" * 2075 + ".xlsx")) is None
    assert link_target(PurePosixPath("a" * 2073 + " .xlsx")) is None             # the space counts three (%20)


def test_a_source_link_excel_cannot_hold_keeps_its_text(tmp_path):
    deep = tmp_path / "in"
    for n in range(9):                                                   # a path of about 2,300 characters
        deep = deep / (f"{n}" * 250)
    deep.mkdir(parents=True)
    long = district_book(deep / "天桥区.xlsx", [[1, "一、工作", "任务", "区财政局", "2024年12月底前", None]])
    short = district_book(tmp_path / "in" / "长清区.xlsx", [[1, "一、工作", "任务", "区财政局", "2024年12月底前", None]],
                          title="2022年长清区政务公开重点工作任务分解表")
    out = tmp_path / "master.xlsx"
    summary = merge([long, short], out, as_of=AS_OF)
    ws = openpyxl.load_workbook(out)["汇总"]
    cells = {Path(ws.cell(r, SOURCE).value).name: ws.cell(r, SOURCE) for r in (2, 3)}
    assert cells["天桥区.xlsx"].hyperlink is None and len(cells["天桥区.xlsx"].value) > 2079  # the text stays
    assert cells["长清区.xlsx"].hyperlink.target == "in/长清区.xlsx"
    issues = [r for r in openpyxl.load_workbook(out)["问题清单"].iter_rows(min_row=2, values_only=True)
              if r[4] == "link-too-long"]
    assert len(issues) == 1 and issues[0][2] == cells["天桥区.xlsx"].coordinate and "2079" in issues[0][5]
    assert summary.issue_counts["warning"] >= 1
    assert problems(out) == []


def test_links_past_excels_count_keep_their_text(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_LINKS", 1)
    files = [district_book(tmp_path / f"{d}.xlsx", [[1, "一、工作", "任务", "区财政局", "2024年12月底前", None]],
                           title=f"2024年{d}政务公开重点工作任务分解表") for d in ("天桥区", "长清区")]
    out = tmp_path / "master.xlsx"
    merge(files, out, as_of=AS_OF)
    wb = openpyxl.load_workbook(out)
    ws = wb["汇总"]
    assert ws.cell(2, SOURCE).hyperlink is not None and ws.cell(3, SOURCE).hyperlink is None
    assert ws.cell(3, SOURCE).value.endswith(".xlsx")
    codes = [r[4] for r in wb["问题清单"].iter_rows(min_row=2, values_only=True)]
    assert codes.count("too-many-links") == 1
