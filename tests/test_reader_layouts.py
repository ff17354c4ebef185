"""Layouts the seeds do not have: the reader must find tables by meaning, not by place."""
from __future__ import annotations

import datetime as dt

import pytest

from xltools import NoTaskTable, UnreadableFile, read_plan
from xltools import validate

D = dt.date


def test_lead_and_support_columns_header_on_row_4_real_dates(xlsx):
    path = xlsx({"台账": [
        ["附件2"],
        ["2025年市中区重点工作任务台账"],
        [None, None, None, None, None, None, "（截至2025年3月31日）"],
        ["编号", "重点任务", "任务内容", "牵头单位", "配合单位", "完成时间", "完成状态", "进展情况"],
        [1, "一、优化营商环境", "推行“高效办成一件事”", "区行政审批局", "区发改局\n区司法局", D(2025, 6, 30), "进行中", "已完成清单梳理"],
        [2, None, "规范涉企检查", "区司法局", None, D(2025, 12, 31), None, None],
        [3, "二、民生保障", "做好就业帮扶", "区人社局", "各街道", "长期坚持", "已完成", None],
    ]})
    plan = read_plan(path)
    sheet, = plan.sheets
    assert (sheet.header_row, sheet.year, sheet.district) == (4, 2025, "市中区")
    assert sheet.columns == {"seq": "A", "section": "B", "requirement": "C", "lead": "D", "support": "E",
                             "deadline": "F", "status": "G", "progress": "H"}
    t1, t2, t3 = sheet.tasks
    assert (t1.seq, t1.section, t1.requirement) == (1, "一、优化营商环境", "推行“高效办成一件事”")
    assert t1.lead_entries == ("区行政审批服务局",)
    assert t1.support_entries == ("区发展和改革局", "区司法局")
    assert (t1.due, t1.deadline_raw, t1.deadline.kind.value) == (D(2025, 6, 30), "2025-06-30", "date")
    assert (t1.status, t1.progress) == ("进行中", "已完成清单梳理")
    assert t2.section == "一、优化营商环境"  # carried down from the row above
    assert (t2.lead_entries, t2.support_entries, t2.due) == (("区司法局",), (), D(2025, 12, 31))
    assert (t3.deadline.kind.value, t3.status) == ("ongoing", "已完成")
    assert t3.cells["lead"] == "D7" and t1.cells["deadline"] == "F5"


def test_two_level_header_and_merged_units(xlsx):
    rows = [
        ["2023年槐荫区政务公开工作任务分解表"],
        ["序号", "工作任务", None, "具  体  要  求", "责任单位", None, "完成时限"],
        [None, None, None, None, "牵头单位", "配合单位", None],
        [1, "一、加强政策解读", "（一）规范解读程序", "解读材料与文件同步起草。", "区司法局", "各部门", "2023年6月底前"],
        [2, None, None, "开展政策吹风会。", None, None, "2023年三季度末"],
        [3, None, "（二）创新解读方式", "制作图解、视频。", "区融媒体中心", None, "每季度"],
    ]
    merges = ["B2:C3", "A2:A3", "D2:D3", "E2:F2", "G2:G3", "B4:B6", "C4:C5", "E4:E5", "F4:F5"]
    plan = read_plan(xlsx({"Sheet1": rows}, {"Sheet1": merges}), registry=None)
    sheet, = plan.sheets
    assert sheet.header_row == 2
    assert sheet.columns["section"] == "B" and sheet.columns["subsection"] == "C"
    assert sheet.columns["lead"] == "E" and sheet.columns["support"] == "F"
    assert "units" not in sheet.columns
    t1, t2, t3 = sheet.tasks
    assert (t1.section, t1.subsection) == ("一、加强政策解读", "（一）规范解读程序")
    assert (t2.section, t2.subsection) == ("一、加强政策解读", "（一）规范解读程序")
    assert t2.lead_entries == ("区司法局",)  # merged cell E4:E5 filled down
    assert t2.due == D(2023, 9, 30)
    assert t3.subsection == "（二）创新解读方式"
    assert t3.deadline.kind.value == "recurring"


def test_section_heading_rows_and_single_task_column(xlsx):
    rows = [
        ["序号", "工作任务", "工作内容", "责任部门", "截止时间"],
        ["一、深化主动公开"],
        [1, "（一）财政信息", "公开预决算。", "区财政局", "12月底前"],
        [2, None, "公开专项资金分配。", "区财政局", "下半年"],
        ["二、加强平台建设"],
        [3, "（二）网站建设", "网站适老化改造。", "区政府办公室", "2024.6.30"],
    ]
    sheet, = read_plan(xlsx({"S": rows}, {"S": ["A2:E2", "A5:E5"]}), year=2024).sheets
    assert [t.seq for t in sheet.tasks] == [1, 2, 3]
    assert [(t.section, t.subsection) for t in sheet.tasks] == [
        ("一、深化主动公开", "（一）财政信息"), ("一、深化主动公开", "（一）财政信息"),
        ("二、加强平台建设", "（二）网站建设")]
    assert [t.due for t in sheet.tasks] == [D(2024, 12, 31), D(2024, 12, 31), D(2024, 6, 30)]


def test_every_task_sheet_is_read_and_others_skipped(xlsx):
    table = [["序号", "具体要求", "责任单位", "完成时限"], [1, "甲。", "区财政局", "2024年6月底前"]]
    plan = read_plan(xlsx({"说明": [["请按要求填报"]], "街道": table, "部门": table}))
    assert [s.sheet for s in plan.sheets] == ["街道", "部门"]
    assert plan.skipped == ["说明"]
    assert [f.code for f in plan.notes] == ["sheet-skipped"]


def test_csv_in_gbk(tmp_path):
    path = tmp_path / "2024年天桥区任务.csv"
    path.write_bytes("序号,具体要求,责任单位,完成时限\n1,公开预算。,区财政局、区审计局,2024年9月底前\n".encode("gbk"))
    sheet, = read_plan(path).sheets
    assert (sheet.district, sheet.year) == ("天桥区", 2024)  # from the file name
    assert sheet.tasks[0].lead_entries == ("区财政局", "区审计局")
    assert sheet.tasks[0].due == D(2024, 9, 30)


def test_numbers_saved_as_text_are_numbers(tmp_path):
    """A csv written by a script or WPS may hold 序号 as 1.0, 2.0 …: each is a task of its
    own, not the tail of the task above (nothing joined, nothing lost)."""
    path = tmp_path / "2024年天桥区任务.csv"
    rows = [f"{k}.0,任务{k}的要求,区财政局,2024年{k}月底前" for k in range(1, 13)]
    path.write_text("序号,具体要求,责任单位,完成时限\n" + "\n".join(rows) + "\n", encoding="utf-8")
    sheet, = read_plan(path).sheets
    assert [t.seq for t in sheet.tasks] == list(range(1, 13))
    assert [t.requirement for t in sheet.tasks] == [f"任务{k}的要求" for k in range(1, 13)]
    assert not [f for f in sheet.findings if f.code in ("joined-split-row", "missing-seq")]


def test_text_plan_with_inline_units():
    from conftest import ZHANGQIU_TEXT
    sheet, = read_plan(ZHANGQIU_TEXT).sheets
    assert (sheet.layout, sheet.district, sheet.year, sheet.issued) == ("text", "章丘区", 2025, D(2025, 7, 11))
    assert len(sheet.tasks) == 16
    first = sheet.tasks[0]
    assert first.section == "一、聚焦中心任务，强化政务公开功能支撑"
    assert first.subsection == "(一)以公开促进政策精准落地"
    assert first.requirement.startswith("以“项目提升年”为牵引")
    assert first.lead_entries == ("各街道（镇）", "区政府各部门（单位）")
    assert sheet.tasks[-1].subsection == "(十六)深化品牌引领"
    assert any("区卫生健康局" in t.lead_entries for t in sheet.tasks)


def test_text_without_units_has_no_task_table():
    from conftest import LIXIA_TEXT
    with pytest.raises(NoTaskTable) as exc:
        read_plan(LIXIA_TEXT)
    assert "没有找到任务表" in exc.value.message() and LIXIA_TEXT.name in exc.value.message()


@pytest.mark.parametrize("content,suffix,key", [
    (b"", ".xlsx", "file-empty"),
    (b"\0binary, not a zip\xff", ".xlsx", "file-corrupt"),
    # an OLE header with nothing behind it: damaged, not "encrypted" (a real one: below)
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ".xlsx", "file-corrupt"),
    (b"%PDF-1.4", ".pdf", "file-not-spreadsheet"),
    (b"\xd0\xcf\x11\xe0garbage", ".xls", "file-corrupt"),
])
def test_bad_files_raise_clear_errors(tmp_path, content, suffix, key):
    path = tmp_path / f"区县报送{suffix}"
    path.write_bytes(content)
    with pytest.raises(UnreadableFile) as exc:
        read_plan(path)
    assert exc.value.key == key
    assert str(path) in exc.value.message()


def test_really_encrypted_workbook(tmp_path, xlsx):
    pytest.importorskip("msoffcrypto")
    from msoffcrypto.format.ooxml import OOXMLFile
    plain = xlsx({"S": [["序号", "具体要求", "责任单位", "完成时限"], [1, "甲", "区财政局", "12月底前"]]})
    secret = tmp_path / "加密.xlsx"
    with open(plain, "rb") as src, open(secret, "wb") as dst:
        office = OOXMLFile(src)
        office.encrypt("1234", dst)
    with pytest.raises(UnreadableFile) as exc:
        read_plan(secret)
    assert exc.value.key == "file-encrypted"


def test_workbook_without_table(xlsx):
    with pytest.raises(NoTaskTable):
        read_plan(xlsx({"S": [["会议纪要"], ["一、会议要求大家认真落实。"]]}))


def test_formula_looking_text_is_a_finding_not_a_formula(tmp_path):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "具体要求", "责任单位", "完成时限"])
    ws.append([1, "x", "区财政局", "2024年12月底前"])
    ws["B2"] = '=HYPERLINK("http://evil.example","点我")'
    ws["B2"].data_type = "s"  # a district file holding the text, as Excel would with a leading '
    wb.save(tmp_path / "历城区inj.xlsx")      # the district named: the only finding is the formula's
    report = validate([tmp_path / "历城区inj.xlsx"], year=2024)
    assert [(f.code, f.cell) for f in report.findings if f.severity != "info"] == [("formula-text", "B2")]


def test_unknown_units_and_bad_deadlines_point_at_their_cells(xlsx):
    path = xlsx({"S": [
        ["2024年天桥区任务分工"],
        ["序号", "具体要求", "责任单位", "完成时限"],
        [1, "甲。", "区人设局、区财政局", "2024年13月底前"],
        [2, "乙。", "区教局", "尽快"],
        [3, "丙。", "火星办事处", "每月25日前"],
    ]})
    report = validate([path])
    got = {(f.code, f.cell, f.value) for f in report.findings}
    assert ("unknown-unit", "C3", "区人设局") in got
    assert ("impossible-date", "D3", "2024年13月底前") in got
    assert ("unknown-unit", "C4", "区教局") in got
    assert ("vague-deadline", "D4", "尽快") in got
    assert ("unknown-unit-nosuggest", "C5", "火星办事处") in got
    first = next(f for f in report.findings if f.value == "区人设局")
    assert "区人力资源和社会保障局" in first.suggestion()
    assert report.count("error") == 5 and not report.valid


def test_openpyxl_grid_reads_like_calamine():
    import openpyxl
    from conftest import CHANGQING
    from xltools.read import grid_from_worksheet, load_grids
    from xltools.read import parse_grid
    ws = openpyxl.load_workbook(CHANGQING)["任务分解表"]
    via_openpyxl = parse_grid(grid_from_worksheet(ws, CHANGQING))
    via_calamine = parse_grid(load_grids(CHANGQING, "任务分解表")[0])
    assert [t.to_dict() for t in via_openpyxl.tasks] == [t.to_dict() for t in via_calamine.tasks]


def _docx(path, paragraphs=(), table=()):
    """A minimal .docx (what Word saves, reduced to the parts the reader looks at)."""
    import zipfile
    from xml.sax.saxutils import escape
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    body = "".join(f"<w:p><w:r><w:t>{escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
    if table:
        rows = "".join("<w:tr>" + "".join(f"<w:tc><w:p><w:r><w:t>{escape(str(c))}</w:t></w:r></w:p></w:tc>"
                                          for c in row) + "</w:tr>" for row in table)
        body += f"<w:tbl>{rows}</w:tbl>"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", f'<?xml version="1.0"?><w:document {w}><w:body>{body}</w:body></w:document>')
    return path


def test_docx_text_plan_and_table(tmp_path):
    text = _docx(tmp_path / "2025年章丘区工作要点.docx", [
        "2025年济南市章丘区政务公开工作要点", "一、聚焦中心任务",
        "(一)以公开促进政策精准落地。重点做好信息公开。[责任单位：各街道（镇）、区政府各部门（单位）]",
        "(二)以公开助力政务服务优化。规范发布办事指南。[责任单位：区行政审批服务局]"])
    sheet, = read_plan(text).sheets
    assert [(t.subsection, t.lead_entries) for t in sheet.tasks] == [
        ("(一)以公开促进政策精准落地", ("各街道（镇）", "区政府各部门（单位）")),
        ("(二)以公开助力政务服务优化", ("区行政审批服务局",))]
    table = _docx(tmp_path / "任务表.docx", ["2024年天桥区政务公开重点工作任务分工"],
                  [["序号", "具体要求", "责任单位", "完成时限"], ["1", "公开预算。", "区财政局", "2024年6月底前"]])
    sheet, = read_plan(table).sheets
    assert (sheet.year, sheet.district, sheet.tasks[0].due) == (2024, "天桥区", D(2024, 6, 30))


def test_docx_with_an_entity_bomb_is_refused(tmp_path):
    import zipfile
    bomb = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            '<w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>')
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("word/document.xml", bomb)
    with pytest.raises(UnreadableFile):
        read_plan(path)


def test_docx_table_with_merged_cells(tmp_path):
    """Word's own merges: 工作任务 spanning two columns (gridSpan) and units shared by two
    rows (vMerge restart/continue)."""
    import zipfile
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

    def tc(text="", span=1, vmerge=None):
        props = (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "") + \
                ('<w:vMerge w:val="restart"/>' if vmerge == "restart" else "<w:vMerge/>" if vmerge else "")
        return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"

    rows = [[tc("序号"), tc("工作任务", span=2), tc("具体要求"), tc("责任单位"), tc("完成时限")],
            [tc("1"), tc("一、公开", vmerge="restart"), tc("（一）预算"), tc("公开预算。"), tc("区财政局", vmerge="restart"),
             tc("2024年6月底前")],
            [tc("2"), tc(vmerge="continue"), tc("（二）决算"), tc("公开决算。"), tc(vmerge="continue"), tc("9月底前")]]
    table = "<w:tbl>" + "".join("<w:tr>" + "".join(r) + "</w:tr>" for r in rows) + "</w:tbl>"
    path = tmp_path / "2024年天桥区任务分工.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("word/document.xml", f'<w:document {w}><w:body>{table}</w:body></w:document>')
    sheet, = read_plan(path).sheets
    assert sheet.columns["section"] == "B" and sheet.columns["subsection"] == "C"
    t1, t2 = sheet.tasks
    assert (t2.section, t2.subsection, t2.lead_entries, t2.due) == ("一、公开", "（二）决算", ("区财政局",), D(2024, 9, 30))


@pytest.mark.parametrize("title,district", [
    ("2024年济南市历城区政务公开重点工作任务分解表", "历城区"), ("2024年钢城区重点任务台账", "钢城区"),
    ("2024年莱芜区任务分工", "莱芜区"), ("平阴县2024年任务分解表", "平阴县"), ("2024年主城区改造任务清单", None),
    ("2024年全区重点工作任务", None)])
def test_district_from_title(title, district):
    from xltools.read.context import find_district
    assert find_district(title) == district


def test_one_sheet_per_district(xlsx):
    table = [["2024年重点工作任务分解表"], ["序号", "具体要求", "责任单位", "完成时限"], [1, "甲。", "区财政局", "12月底前"]]
    plan = read_plan(xlsx({"天桥区": table, "长清区": table}))
    assert [(s.sheet, s.district, s.year) for s in plan.sheets] == [("天桥区", "天桥区", 2024), ("长清区", "长清区", 2024)]


def test_due_date_column_beside_the_phrase_and_alone(xlsx):
    both = xlsx({"S": [["2022年任务"], ["序号", "具体要求", "责任单位", "完成时限", "截止日期"],
                       [1, "甲。", "区财政局", "本文件印发后30日内", D(2022, 7, 10)]]}, name="both.xlsx")
    task, = read_plan(both).tasks
    assert (task.deadline.kind.value, task.due, task.deadline.problem) == ("relative", D(2022, 7, 10), None)
    alone = xlsx({"S": [["序号", "具体要求", "责任单位", "截止日期"], [1, "甲。", "区财政局", D(2024, 3, 31)]]},
                 name="alone.xlsx")
    sheet, = read_plan(alone).sheets
    assert sheet.columns["deadline"] == "D" and sheet.tasks[0].due == D(2024, 3, 31)


def test_a_city_plan_numbered_1_1_with_its_own_header_words(tmp_path):
    """Tried as a new user would, on a layout none of the fixtures has: a city's plan,
    1 / 1.1 numbering with heading rows, 工作措施 / 牵头部门 / 配合部门 / 时间安排 headers, city
    bodies (委 short forms, 管委会, 各区县人民政府), a month range: read with no error."""
    from xltools.check.validate import validate_plan
    rows = [["2025年淄博市政务公开工作任务分工方案"],
            ["序号", "重点任务", "工作措施", "牵头部门", "配合部门", "时间安排"],
            ["1", "深化重点领域信息公开", None, None, None, None],
            ["1.1", None, "做好财政预决算公开。", "市财政局", "各区县人民政府", "2025年6月底前"],
            ["1.2", None, "公开重大建设项目信息。", "市发展改革委", "市住房城乡建设局、高新区管委会", "3月—12月"],
            ["2", "优化政务服务", None, None, None, None],
            ["2.1", None, "推行事项清单动态管理。", "市行政审批服务局", "市直有关部门", "长期坚持"]]
    from conftest import write_xlsx
    path = write_xlsx(tmp_path / "淄博.xlsx", {"分工": rows})
    plan = read_plan(path)
    assert plan.sheets[0].district == "淄博市"
    assert [(t.seq, t.section, t.leads_written, t.supports_written, t.due) for t in plan.tasks] == [
        ("1.1", "深化重点领域信息公开", ("市财政局",), ("各区县人民政府",), D(2025, 6, 30)),
        ("1.2", "深化重点领域信息公开", ("市发展改革委",), ("市住房城乡建设局", "高新区管委会"), D(2025, 12, 31)),
        ("2.1", "优化政务服务", ("市行政审批服务局",), ("市直有关部门",), None)]
    assert [f.code for f in validate_plan(plan) if f.severity != "info"] == []
