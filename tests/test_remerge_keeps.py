"""A re-merge keeps what the office added around the data of the master in Excel/WPS:
a comment (批注) moves with its task, the frozen pane stays, their list and colour rule on
their own column follow it over the new task rows; what cannot be carried (a picture, a
rule on our columns, a comment on a task gone) is named in the output and in 合并记录.
Real files: the examples merged, the master edited as a clerk would (openpyxl), merged
again with a district added above the commented task (its row moves), read back with
openpyxl (comments, panes, rules) and python-calamine (values)."""
from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
import python_calamine as pc
from click.testing import CliRunner
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.drawing.image import Image
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from xltools.cli.merge import merge_command
from xltools.work.merge import merge

from conftest import CHANGQING, TIANQIAO
from lo import SOFFICE, convert
from test_master_package import problems, rewritten
from test_remerge import Clerk, by_key, huaiyin, sheet

PROGRESS, KEY, OWN = "进展情况", "任务编号", "督办情况"
AUTHOR, TEXT = "王科长", "请补充佐证材料，月底前报送"


def png() -> io.BytesIO:
    from PIL import Image as Picture
    data = io.BytesIO()
    Picture.new("RGB", (16, 16), "red").save(data, "PNG")
    data.seek(0)
    return data


def comments(path: Path, name: str = "汇总") -> dict[str, tuple[str, str]]:
    """cell → (author, text) of a sheet's comments, as openpyxl reads them."""
    ws = openpyxl.load_workbook(path)[name]
    return {c.coordinate: (c.comment.author, c.comment.text) for row in ws.iter_rows() for c in row if c.comment}


def log_lines(path: Path) -> list[str]:
    """Every text of 合并记录 (python-calamine)."""
    return [str(v) for row in sheet(path, "合并记录") for v in row if v != ""]


@pytest.fixture
def folder(tmp_path) -> Path:
    folder = tmp_path / "returns"
    folder.mkdir()
    for p in (TIANQIAO, CHANGQING):
        shutil.copy(p, folder / p.name)
    return folder


@pytest.fixture
def edited(folder, tmp_path):
    """The examples merged; the master edited in 'Excel'; a district added (槐荫区 sorts
    between 天桥区 and 长清区, so 长清区's rows move down); merged again.
    (master, the commented task's key, its row before, the summary, 汇总 before)."""
    out = tmp_path / "汇总.xlsx"
    merge([folder], out)
    clerk = Clerk(out)
    ws = clerk.ws
    key = next(ws.cell(r, clerk.col(KEY)).value for r in range(2, ws.max_row + 1)
               if str(ws.cell(r, clerk.col(KEY)).value).startswith("长清区"))
    row = clerk.row(key)
    ws.cell(row, clerk.col(PROGRESS)).comment = Comment(TEXT, AUTHOR)
    ws["A1"].comment = Comment("区县按笔画排序", "李四")                 # on the header: stays there
    clerk.add_column(OWN)
    own = get_column_letter(clerk.col(OWN))
    last = ws.max_row
    lists = DataValidation(type="list", formula1='"未督办,已督办,已办结"', allow_blank=True)
    lists.add(f"{own}2:{own}{last}")
    ws.add_data_validation(lists)
    ws.conditional_formatting.add(f"{own}2:{own}{last}",
                                  FormulaRule(formula=[f'{own}2="未督办"'], fill=PatternFill(bgColor="FFC7CE")))
    clerk.type(key, OWN, "未督办")
    ws.freeze_panes = "C3"
    ws.add_image(Image(png()), "B3")
    ledger = clerk.wb.create_sheet("督办台账")
    ledger.append(["任务", "次数"])
    ledger.append(["督办一", 3])
    ledger["A2"].comment = Comment("已电话督办", AUTHOR)
    chart = BarChart()
    chart.add_data(Reference(ledger, min_col=2, min_row=1, max_row=2), titles_from_data=True)
    ledger.add_chart(chart, "D2")
    clerk.save()
    before = by_key(out)
    huaiyin(folder, {1: "新增的第一项任务", 2: "新增的第二项任务"})
    summary = merge([folder], out)
    return out, key, row, summary, before


# ------------------------------------------------------------------ comments

def test_a_comment_moves_with_its_task(edited):
    out, key, old_row, _, before = edited
    ws = openpyxl.load_workbook(out)["汇总"]
    head = [c.value for c in ws[1]]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, head.index(KEY) + 1).value == key)
    assert row > old_row                                    # the task moved down: its comment with it
    cell = f"{get_column_letter(head.index(PROGRESS) + 1)}{row}"
    found = comments(out)
    assert found[cell] == (AUTHOR, TEXT)
    assert found["A1"] == ("李四", "区县按笔画排序")         # outside the task rows: at its address
    assert len(found) == 2
    assert comments(out, "督办台账") == {"A2": (AUTHOR, "已电话督办")}
    after = by_key(out)                                     # values as they were (python-calamine)
    assert {k: after[k] for k in before} == before
    assert after[key][OWN] == "未督办"


def test_a_comment_keeps_its_column_by_heading_when_the_columns_move(folder, tmp_path):
    out = tmp_path / "汇总.xlsx"
    merge([folder], out)
    clerk = Clerk(out)
    key = clerk.ws.cell(5, clerk.col(KEY)).value
    clerk.ws.delete_cols(clerk.col("截止日期"))             # one of ours deleted: the next merge writes it again
    clerk.ws.cell(clerk.row(key), clerk.col(PROGRESS)).comment = Comment(TEXT, AUTHOR)
    moved_from = f"{get_column_letter(clerk.col(PROGRESS))}5"
    clerk.save()
    merge([folder], out)
    ws = openpyxl.load_workbook(out)["汇总"]
    head = [c.value for c in ws[1]]
    assert "截止日期" in head
    cell = f"{get_column_letter(head.index(PROGRESS) + 1)}5"
    assert cell != moved_from and comments(out) == {cell: (AUTHOR, TEXT)}


def test_a_comment_on_a_task_gone_is_listed_with_its_text(folder, tmp_path):
    out = tmp_path / "汇总.xlsx"
    huaiyin(folder, {1: "第一项", 2: "第二项", 3: "第三项"})
    merge([folder], out)
    clerk = Clerk(out)
    key = next(k for k in by_key(out) if k.startswith("槐荫区") and "-002-" in k)
    clerk.ws.cell(clerk.row(key), clerk.col("具体要求")).comment = Comment("此项已并入第一项", AUTHOR)
    clerk.save()
    huaiyin(folder, {1: "第一项", 3: "第三项"})
    res = CliRunner().invoke(merge_command, [str(folder), "-o", str(out), "--replace"])
    assert res.exit_code in (0, 1), res.output
    said = [line for line in res.output.splitlines() if "此项已并入第一项" in line]
    assert len(said) == 1 and key in said[0] and AUTHOR in said[0] and "不在新汇总表中" in said[0]
    assert said[0] in log_lines(out)                        # and in 合并记录, word for word
    assert comments(out) == {}
    assert key not in by_key(out)


# ------------------------------------------------------------------ panes, lists and colour rules

def test_frozen_panes_stay_as_the_office_set_them(edited, folder, tmp_path):
    out = edited[0]
    assert openpyxl.load_workbook(out)["汇总"].freeze_panes == "C3"
    clerk = Clerk(out)                                      # a pane below the new 汇总's rows: our header pane
    clerk.ws.freeze_panes = f"A{clerk.ws.max_row + 50}"
    clerk.save()
    merge([folder], out)
    assert openpyxl.load_workbook(out)["汇总"].freeze_panes == "A2"


def test_their_list_and_colour_rule_follow_their_column_over_the_new_rows(edited):
    out = edited[0]
    ws = openpyxl.load_workbook(out)["汇总"]
    head = [c.value for c in ws[1]]
    own = get_column_letter(head.index(OWN) + 1)
    last = max(r for r in range(2, ws.max_row + 1) if ws.cell(r, head.index(KEY) + 1).value)
    lists = [v for v in ws.data_validations.dataValidation if v.formula1 == '"未督办,已督办,已办结"']
    assert len(lists) == 1 and str(lists[0].sqref) == f"{own}2:{own}{last}" and lists[0].type == "list"
    ours = [v for v in ws.data_validations.dataValidation if "未开始" in (v.formula1 or "")]
    assert len(ours) == 1                                   # our 状态 list once, not twice
    theirs = [(str(cf.sqref), rule) for cf in ws.conditional_formatting for rule in cf.rules
              if rule.formula == [f'{own}2="未督办"']]
    assert len(theirs) == 1 and theirs[0][0] == f"{own}2:{own}{last}"
    assert theirs[0][1].dxf.fill.bgColor.rgb.endswith("FFC7CE")


# ------------------------------------------------------------------ what is not carried is named

def test_what_is_not_carried_is_named(edited):
    out, _, _, summary, _ = edited
    lines = [n for n in summary.notes if "未带入" in n]
    master = [n for n in lines if "“汇总”" in n]
    assert len(master) == 1 and "1 张图片" in master[0]
    ledger = [n for n in lines if "“督办台账”" in n]
    assert len(ledger) == 1 and "1 个图表" in ledger[0]
    assert not [n for n in lines if "“统计”" in n]          # 统计's chart is ours: written again
    assert len(lines) == 2
    logged = log_lines(out)
    assert "未带入新汇总表的内容" in logged and all(n in logged for n in lines)
    with zipfile.ZipFile(out) as zf:
        assert not [n for n in zf.namelist() if n.startswith("xl/media/")]


def test_a_rule_on_our_columns_is_named_not_dropped(folder, tmp_path):
    out = tmp_path / "汇总.xlsx"
    merge([folder], out)
    clerk = Clerk(out)
    progress = get_column_letter(clerk.col(PROGRESS))
    clerk.ws.conditional_formatting.add(f"{progress}2:{progress}{clerk.ws.max_row}",
                                        FormulaRule(formula=[f'{progress}2=""'], fill=PatternFill(bgColor="FFEB9C")))
    clerk.save()
    summary = merge([folder], out, lang="en")
    named = [n for n in summary.notes if "conditional format" in n]
    assert len(named) == 1 and "1 conditional format" in named[0] and "汇总" in named[0]
    assert named[0] in log_lines(out)


X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
XM = "http://schemas.microsoft.com/office/excel/2006/main"
# What Excel 2010+ writes for a data bar and for a list taken from another sheet: its extensions
EXTENSIONS = (
    f'<extLst><ext uri="{{78C0D931-6437-407d-A8EE-F0AAD7539E65}}" xmlns:x14="{X14}"><x14:conditionalFormattings>'
    f'<x14:conditionalFormatting xmlns:xm="{XM}"><x14:cfRule type="dataBar" id="{{00000000-0000-0000-0000-000000000001}}">'
    '<x14:dataBar minLength="0" maxLength="100"><x14:cfvo type="autoMin"/><x14:cfvo type="autoMax"/></x14:dataBar>'
    "</x14:cfRule><xm:sqref>B2:B9</xm:sqref></x14:conditionalFormatting></x14:conditionalFormattings></ext>"
    f'<ext uri="{{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}}" xmlns:x14="{X14}"><x14:dataValidations count="1" '
    f'xmlns:xm="{XM}"><x14:dataValidation type="list" allowBlank="1"><x14:formula1><xm:f>督办台账!$A$2:$A$3</xm:f>'
    "</x14:formula1><xm:sqref>B2:B9</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst>")


def test_excel_extensions_are_named_not_dropped(folder, tmp_path):
    out = tmp_path / "汇总.xlsx"
    merge([folder], out)
    Clerk(out).save()                                       # saved by "Excel"
    edited = rewritten(out, tmp_path / "edited.xlsx", "xl/worksheets/sheet1.xml",
                       lambda xml: xml.replace("</worksheet>", EXTENSIONS + "</worksheet>"))
    shutil.move(edited, out)
    summary = merge([folder], out)
    named = [n for n in summary.notes if "“汇总”" in n]
    assert len(named) == 1 and "1 条条件格式" in named[0] and "1 条数据验证" in named[0]
    assert named[0] in log_lines(out)


def test_what_was_carried_is_carried_again_and_an_unedited_master_gets_nothing(edited, folder, tmp_path):
    out = edited[0]
    kept = comments(out), comments(out, "督办台账")
    ws = openpyxl.load_workbook(out)["汇总"]
    rules = [(str(cf.sqref), r.formula) for cf in ws.conditional_formatting for r in cf.rules]
    lists = [(str(v.sqref), v.formula1) for v in ws.data_validations.dataValidation]
    summary = merge([folder], out)                          # the master xltools wrote, merged once more
    assert (comments(out), comments(out, "督办台账")) == kept
    ws = openpyxl.load_workbook(out)["汇总"]
    assert [(str(cf.sqref), r.formula) for cf in ws.conditional_formatting for r in cf.rules] == rules
    assert [(str(v.sqref), v.formula1) for v in ws.data_validations.dataValidation] == lists
    assert ws.freeze_panes == "C3" and not [n for n in summary.notes if "未带入" in n]
    with zipfile.ZipFile(out) as zf:
        assert "docProps/custom.xml" in zf.namelist()      # their formats: the next merge reads them again

    plain = tmp_path / "plain.xlsx"                         # nobody edited it: nothing added, nothing named
    merge([folder], plain)
    summary = merge([folder], plain)
    assert not [n for n in summary.notes if "未带入" in n]
    with zipfile.ZipFile(plain) as zf:      # (nor the mark that makes the next merge read its formats)
        assert not [n for n in zf.namelist() if "comments" in n or n.endswith(".vml") or "custom" in n]
    assert openpyxl.load_workbook(plain)["汇总"].freeze_panes == "A2"


# ------------------------------------------------------------------ the package

def test_the_master_with_comments_is_valid_and_libreoffice_reads_them(edited, tmp_path):
    out, key = edited[0], edited[1]
    assert problems(out) == []
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        types = zf.read("[Content_Types].xml").decode()
    assert [n for n in names if n.startswith("xl/comments")] == ["xl/comments1.xml", "xl/comments2.xml"]
    assert "vmlDrawing" in types and "spreadsheetml.comments+xml" in types
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    (tmp_path / "lo").mkdir()
    again = convert(out, "xlsx", tmp_path / "lo")
    # (LibreOffice writes no comment's author back, not even of a file Excel or openpyxl made: texts compared)
    assert {cell: text for cell, (_, text) in comments(again).items()} == \
        {cell: text for cell, (_, text) in comments(out).items()}
    assert [text for _, text in comments(again, "督办台账").values()] == ["已电话督办"]
    assert by_key(again)[key][OWN] == "未督办"
