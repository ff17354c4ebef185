"""Published task tables a new user tried (docs: the newuser report of 2026-12-07): a province
plan read by its own header words, staged deadlines with ①② markers, task numbers written in
the task's text column, a table without a deadline column, a township without a district.
Each table is recreated here from the published rows (the excerpts' wording, half-width
punctuation as published), written as .xlsx and read back; variants cover the other levels of
government and numbering schemes."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from click.testing import CliRunner

from conftest import write_xlsx
from xltools import NoTaskTable, read_plan
from xltools.check.validate import validate_plan
from xltools.cli.app import cli
from xltools.rules.deadlines import parse_deadline

D = dt.date


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def findings(path, **kw):
    plan = read_plan(path, **kw)
    return plan, validate_plan(plan)


# ---------------------------------------------------------------- 1. the province's header words

GUANGDONG_HEADER = ["序号", "重点任务", "分管省领导", "部门分工"]
GUANGDONG_TASKS = [(1, "地区生产总值增长6%以上。", "林克庆", "省发展改革委牵头,各地、各部门配合。"),
                   (2, "地方一般公共预算收入增长5%左右。", "林克庆", "省财政厅牵头,各地、各部门配合。"),
                   (3, "固定资产投资增长8%左右。", "林克庆", "省发展改革委牵头,各地、各部门配合。"),
                   (4, "社会消费品零售总额增长6%以上。", "张新", "省商务厅牵头,各地、各部门配合。")]


def guangdong(path, header=GUANGDONG_HEADER):
    """粤府〔2021〕22号 as an office keeps it: 附件, title, header, a 一、 heading merged across."""
    rows = [["附件"], ["2021年省《政府工作报告》重点任务分工方案"], list(header),
            ["一、2021年经济社会发展主要预期目标"], *[list(t) for t in GUANGDONG_TASKS]]
    return write_xlsx(path, {"Sheet1": rows}, {"Sheet1": ["A2:D2", "A4:D4"]})


def test_a_province_table_is_read_by_its_own_header_words(tmp_path):
    path = guangdong(tmp_path / "07_广东省2021年省政府工作报告重点任务分工方案.xlsx")
    sheet, = read_plan(path).sheets
    assert sheet.columns == {"seq": "A", "section": "B", "leader": "C", "units": "D"}
    assert [(t.seq, t.leads_written, t.supports_written, t.leader) for t in sheet.tasks] == [
        (seq, (lead,), ("各地", "各部门"), leader) for (seq, _, leader, _), lead in zip(
            GUANGDONG_TASKS, ["省发展改革委", "省财政厅", "省发展改革委", "省商务厅"])]
    assert {t.section for t in sheet.tasks} == {"一、2021年经济社会发展主要预期目标"}


@pytest.mark.parametrize("leader,units", [
    ("分管省领导", "部门分工"), ("分管市领导", "单位分工"), ("分管县领导", "分工"), ("分管区领导", "责任部门"),
    ("分管领导", "单位分工"), ("责任领导", "责任处室")])
def test_leader_and_division_of_work_headers_at_every_level(tmp_path, leader, units):
    sheet, = read_plan(guangdong(tmp_path / "2021年某地分工方案.xlsx", ["序号", "重点任务", leader, units])).sheets
    assert (sheet.columns["leader"], len(sheet.tasks)) == ("C", 4)
    assert next(k for k, v in sheet.columns.items() if v == "D") in ("units", "lead")
    assert sheet.tasks[0].leads_written == ("省发展改革委",) and sheet.tasks[0].leader == "林克庆"


def test_a_refused_table_says_what_was_found_and_the_columns_that_read_it(tmp_path):
    """A header the reader cannot complete: the message names the file, the sheet and row,
    what was found, what is missing and a --columns made of the sheet's own header words,
    and that --columns reads the table."""
    path = guangdong(tmp_path / "2021年广东省分工方案.xlsx", ["序号", "重点任务", "分管省领导", "省直部门"])
    with pytest.raises(NoTaskTable) as exc:
        read_plan(path)
    message = exc.value.message()
    assert path.name in message and "“Sheet1”第 3 行" in message
    assert "“序号”（序号）" in message and "“重点任务”（工作任务）" in message and "“分管省领导”（责任领导）" in message
    assert "没有责任单位/完成时限列" in message and "没有认出的表头：“省直部门”" in message
    assert '--columns "省直部门=责任单位"' in message
    assert "请确认选对了文件" not in message
    assert "省直部门" in exc.value.message("en") and "--columns" in exc.value.message("en")
    result = run("inspect", path, "--columns", "省直部门=责任单位", "--json")
    assert result.exit_code == 0 and result.output.count('"seq"') >= 4
    refused = run("validate", path)
    assert refused.exit_code == 2 and '--columns "省直部门=责任单位"' in refused.output


def test_a_file_with_no_header_at_all_keeps_the_plain_refusal(tmp_path):
    path = write_xlsx(tmp_path / "会议纪要.xlsx", {"S": [["会议纪要"], ["一、会议要求大家认真落实。"]]})
    with pytest.raises(NoTaskTable) as exc:
        read_plan(path)
    assert exc.value.key == "no-task-table"


# ---------------------------------------------------------------- 2. stage markers in deadlines

KAIHUA = [
    (1, "启动新安综合体建设。",
     "①2月上旬前,完成设计招标。②3月底前,完成图纸深化设计。③5月底前,完成施工许可报批并开工建设。"),
    (2, "以更加开放的姿态,支持银行、证券、保险业发展,壮大金融服务业。",
     "①3月底前,召开金融联席会议,明确2023年金融指标增长目标,压实责任,明确举措。②5月底前,召开金融助力“三年活动”"
     "破难攻坚要素保障政银企业对接会。③6月底前,出台碳账户贷款贴息、央行结构性货币政策工具贴息政策,并组织开展兑现。"),
    (3, "出境水II类以上水质天数占比和空气优良率均保持在98%以上。",
     "①通过乡镇断面水质、空气自动站,实时监控水、气环境质量数据,每月上报水气环境质量情况,实时提供预警信息,做好水气"
     "环境质量保护工作。②每月完成地表水及饮用水源地水质监测、每季度完成农村环境质量监测及城市污水处理厂监测。③每半年"
     "完成一次全县农村生活污水处理终端水质监测。"),
]


def test_staged_deadlines_of_a_county_plan_are_due_at_their_last_stage(tmp_path):
    rows = [["开化县2023年度重点工作清单(一季度政府工作报告重点任务执行落实情况)"],
            ["序号", "工作事项", "进度安排", "进展情况", "完成情况"],
            *[[seq, task, stages, "①已完成。", "达序推进"] for seq, task, stages in KAIHUA]]
    path = write_xlsx(tmp_path / "09_开化县2023年度重点工作清单一季度执行落实情况.xlsx", {"Sheet1": rows},
                      {"Sheet1": ["A1:E1"]})
    plan, found = findings(path)
    first, second, third = plan.sheets[0].tasks
    assert (first.due, first.deadline.stages) == (D(2023, 5, 31), (D(2023, 2, 10), D(2023, 3, 31), D(2023, 5, 31)))
    assert (second.due, second.deadline.stages) == (D(2023, 6, 30), (D(2023, 3, 31), D(2023, 5, 31), D(2023, 6, 30)))
    assert third.deadline.kind.value == "recurring" and third.deadline.ok
    assert not [f for f in found if f.code in ("unparseable", "impossible-date")]


@pytest.mark.parametrize("text,due,stages", [
    ("①3月底前", D(2023, 3, 31), ()),                     # not 13月
    ("②6月底前", D(2023, 6, 30), ()),                     # not 26月
    ("①3月底前完成方案；②6月底前全面完成", D(2023, 6, 30), (D(2023, 3, 31), D(2023, 6, 30))),
    ("①6月底前完成方案，②12月底前全面完成", D(2023, 12, 31), (D(2023, 6, 30), D(2023, 12, 31))),
    ("（1）3月底前完成方案；（2）6月底前全面完成", D(2023, 6, 30), (D(2023, 3, 31), D(2023, 6, 30))),
    ("(1)3月底前完成方案;(2)6月底前全面完成", D(2023, 6, 30), (D(2023, 3, 31), D(2023, 6, 30))),
    ("1）3月底前完成方案 2）6月底前全面完成", D(2023, 6, 30), (D(2023, 3, 31), D(2023, 6, 30))),
    ("⑴3月底前完成方案⑵6月底前全面完成", D(2023, 6, 30), (D(2023, 3, 31), D(2023, 6, 30))),
    ("❶10月底前制定方案❷次年3月底前完成", D(2024, 3, 31), (D(2023, 10, 31), D(2024, 3, 31))),
    ("（一）3月底前启动；（二）2024年6月底前完成", D(2024, 6, 30), (D(2023, 3, 31), D(2024, 6, 30))),
    ("⑩12月10日前", D(2023, 12, 10), ()),
    ("3月底前,完成设计招标。5月底前,开工建设。", D(2023, 5, 31), (D(2023, 3, 31), D(2023, 5, 31))),
])
def test_stage_markers_are_not_digits(text, due, stages):
    d = parse_deadline(text, year=2023)
    assert (d.due, d.stages, d.problem) == (due, stages, None)
    assert d.raw == text


@pytest.mark.parametrize("text,problem", [
    ("①13月底前", "impossible-date"),                            # a real 13月 is still reported
    ("①6月底前完成方案；②3月底前全面完成", "impossible-date"),   # stages out of order
    ("①尽快完成", "vague-deadline"),
    ("①完成方案。②全面推开", "unparseable"),                     # markers, but no time at all
    ("3月底前启动；随便写写", "unparseable"),                       # a part without a time is no stage
    ("区财政局；区审计局\n2025年6月底前", "unparseable"),           # units before a date are not stages
])
def test_marked_text_that_names_no_time_is_still_reported(text, problem):
    d = parse_deadline(text, year=2023)
    assert (d.due, d.problem) == (None, problem)


# ---------------------------------------------------------------- 3. numbers in the task's text column

def test_task_numbers_in_the_task_column_under_subheadings(tmp_path):
    """叶集区: 一、 and (一) heading rows, the task numbers 1, 2 in the 工作任务 column."""
    rows = [["六安市叶集区20219月政务公开重点工作任务分工进展情况"],
            ["工作任务", "具体要求", "责任单位", "时限要求", "进展情况"],
            ["一、进一步强化重点领域信息公开"], ["(一)做好各类规划主动公开。"],
            [1, "区政府要主动公开国民经济和社会发展第十四个五年规划纲要、国土空间规划、专项规划和区域规划等。",
             "区政府办公室、区发改委、市自然资源和规划局叶集分局牵头,区政府各部门,各乡镇街负责落实", "年底前",
             "已建立“叶集区规划蓝图”专题,相关规划信息正在完善。"],
            [2, "区政府网站建立专题,集中发布区级各类规划,归集整理政府网站主动公开的规划。",
             "区政府办公室牵头,区政府各部门,各乡镇街负责落实", "年底前", "已建立“叶集区规划蓝图”专题,相"],
            ["(二)做好财政信息公开。"],
            [3, "公开预算。", "区财政局", "年底前", None]]
    path = write_xlsx(tmp_path / "05_六安市叶集区2021年9月政务公开重点工作任务分工进展情况.xlsx", {"Sheet1": rows},
                      {"Sheet1": ["A1:E1", "A3:E3", "A4:E4", "A7:E7"]})
    plan, found = findings(path)
    assert [(t.seq, t.section, t.subsection, t.cells["seq"]) for t in plan.sheets[0].tasks] == [
        (1, "一、进一步强化重点领域信息公开", "(一)做好各类规划主动公开。", "A5"),
        (2, "一、进一步强化重点领域信息公开", "(一)做好各类规划主动公开。", "A6"),
        (3, "一、进一步强化重点领域信息公开", "(二)做好财政信息公开。", "A8")]
    assert plan.sheets[0].tasks[0].due == D(2021, 12, 31)


@pytest.mark.parametrize("numbers,seqs", [
    (["1.", "2.", "3."], [1, 2, 3]), (["1、", "2、", "3、"], [1, 2, 3]), (["（1）", "（2）", "（3）"], [1, 2, 3]),
    (["①", "②", "③"], [1, 2, 3]), (["1)", "2)", "3)"], [1, 2, 3])])
def test_task_numbers_at_the_start_of_the_requirement(tmp_path, numbers, seqs):
    """江门: no 序号 column, 一、 in 工作任务 (merged down), the number at the start of 具体要求;
    the text keeps its number as written."""
    texts = ["积极推进本中心预算、决算及相关报表公开。", "及时更新网站频道的各类型概况信息。", "及时更新微信公众号信息。"]
    rows = [["江门市土地储备中心政务公开工作任务分工"], ["工作任务", "具体要求", "责任部门"],
            ["一、做好财政信息公开。", numbers[0] + texts[0], "财务科"],
            ["二、做好政府网站专栏信息公开。", numbers[1] + texts[1], "办公室"],
            [None, numbers[2] + texts[2], "办公室牵头,各科室配合"]]
    path = write_xlsx(tmp_path / "2024年江门市土地储备中心.xlsx", {"Sheet1": rows}, {"Sheet1": ["A1:C1", "A4:A5"]})
    tasks = read_plan(path).sheets[0].tasks
    assert [t.seq for t in tasks] == seqs
    assert [t.requirement for t in tasks] == [n + x for n, x in zip(numbers, texts)]
    assert [t.section for t in tasks] == ["一、做好财政信息公开。"] + ["二、做好政府网站专栏信息公开。"] * 2


def test_text_that_starts_with_a_quantity_is_no_task_number(tmp_path):
    rows = [["2024年某区任务"], ["工作任务", "具体要求", "责任单位"],
            ["一、稳增长", "1.5万户完成改造。", "区住建局"], ["一、稳增长", "2024年底前完成。", "区财政局"]]
    tasks = read_plan(write_xlsx(tmp_path / "2024年某区.xlsx", {"S": rows})).sheets[0].tasks
    assert [t.seq for t in tasks] == [None, None]


# ---------------------------------------------------------------- 4. no "None", one finding for a missing column

JIANGMEN = [["江门市土地储备中心政务公开工作任务分工"], ["工作任务", "具体要求", "责任部门"],
            ["一、做好财政信息公开。", "1.积极推进本中心预算、决算及相关报表公开。", "财务科"],
            ["二、做好政府网站专栏信息公开。", "2.及时更新网站频道的各类型概况信息。", "办公室"],
            [None, "3.及时反馈网民对调查征集信息的意见。", "各科室"],
            [None, "4.及时更新微信公众号信息。", "办公室牵头,各科室配合"]]


def test_a_table_without_a_deadline_column_is_one_finding(tmp_path):
    path = write_xlsx(tmp_path / "02_江门市土地储备中心政务公开工作任务.xlsx", {"Sheet1": JIANGMEN},
                      {"Sheet1": ["A1:C1", "A4:A6"]})
    _, found = findings(path)
    codes = [f.code for f in found]
    assert codes.count("no-deadline-column") == 1 and "missing-deadline" not in codes
    f = next(f for f in found if f.code == "no-deadline-column")
    assert (f.sheet, f.cell) == ("Sheet1", None) and "4 项任务" in f.message()
    assert "12月底前" in f.suggestion() and "年12月底前" not in f.suggestion()   # no year known: none shown


def test_a_table_without_a_unit_column_is_one_finding(tmp_path):
    rows = [["开化县2023年度重点工作清单"], ["序号", "工作事项", "进度安排"],
            *[[seq, task, stages] for seq, task, stages in KAIHUA]]
    _, found = findings(write_xlsx(tmp_path / "开化县.xlsx", {"Sheet1": rows}))
    codes = [f.code for f in found]
    assert codes.count("no-units-column") == 1 and "missing-units" not in codes


def repro_tables(tmp_path) -> list:
    """The minimal reproductions of the report, recreated (one table each)."""
    tables = {
        "r2_广东.xlsx": [["2021年广东省重点任务分工方案"], GUANGDONG_HEADER, list(GUANGDONG_TASKS[0])],
        "r3_none.xlsx": [["2024年历城区政务公开任务"], ["工作任务", "具体要求", "责任单位"], ["一、公开", "1.更新网站。", "区财政局"]],
        "r3b_noseq.xlsx": [["历城区政务公开任务"], ["工作任务", "具体要求", "责任单位", "完成时限"],
                           ["一、公开", "更新网站。", "区财政局", None], ["一、公开", "公开预算。", None, "12月底前"]],
        "r4_noyear.xlsx": [["历城区政务公开任务"], ["序号", "具体要求", "责任单位", "完成时限"], [1, "更新网站。", "区财政局", None]],
        "r6b.xlsx": [["2023年开化县重点工作清单"], ["序号", "工作事项", "责任单位", "完成时限"],
                     [1, "a", "县发改局", "①3月底前"], [2, "b", "县发改局", "②6月底前"],
                     [3, "c", "县发改局", "①6月底前完成方案，②12月底前全面完成"],
                     [4, "d", "县发改局", "（1）3月底前完成方案；（2）6月底前全面完成"]],
        "r7_seq.xlsx": [["2021年叶集区政务公开任务"], ["工作任务", "具体要求", "责任单位", "时限要求"],
                        ["一、强化重点领域信息公开"], ["（一）做好规划公开。"], [1, "公开规划纲要。", "区财政局", "年底前"],
                        [2, "建立专题。", None, "年底前"], ["（二）做好财政公开。"], [3, "公开预算。", "区财政局", None]],
        "r9_anpai.xlsx": [["泗洲头镇2024年度重点工作计划"], ["序号", "重点工作", "责任领导", "责任科室", "攻坚目标任务",
                                                       "工作任务安排", "完成时限"],
                          [1, "白仙山水库工程政策处理", "欧乾震", "党政办公室", "完成项目政策处理工作。", "推进坟墓迁移工作。",
                           "年底前"], [2, "现代化美丽城镇", "吴宇凡", "乡村振兴办", "成功创建首批浙江省美丽城镇。", None, None]],
    }
    return [write_xlsx(tmp_path / name, {"Sheet1": rows}) for name, rows in tables.items()]


def test_no_finding_ever_shows_none_or_a_missing_year(tmp_path):
    """Every rendered text of every finding of the reproductions, in both languages: no
    Python None, no example with its year missing ("年12月底前" after no digit)."""
    seen = 0
    for path in repro_tables(tmp_path):
        _, found = findings(path)
        for f in found:
            for lang in ("zh", "en"):
                text = f"{f.message(lang)} {f.suggestion(lang)} {f.cell or ''}"
                assert "None" not in text, (path.name, f.code, text)
                assert not re.search(r"(?<![0-9])年\d{1,2}月", text), (path.name, f.code, text)
                seen += 1
    assert seen > 20


def test_a_task_without_a_number_is_named_by_its_row_and_cell(tmp_path):
    path = repro_tables(tmp_path)[2]      # r3b: no 序号, an empty deadline and an empty unit
    _, found = findings(path)
    by_code = {f.code: f for f in found}
    assert by_code["missing-deadline"].message() == "第 3 行的任务没有填写完成时限。"
    assert by_code["missing-deadline"].cell == "D3"
    assert by_code["missing-units"].message() == "第 4 行的任务没有填写责任单位。"
    assert by_code["missing-units"].message("en") == "The task in row 4 has no responsible unit."


# ---------------------------------------------------------------- 5. smaller things

def test_a_work_arrangement_column_is_no_second_task_level(tmp_path):
    """泗洲头镇: 重点工作 … 攻坚目标任务 | 工作任务安排 — the arrangement is not a sub-task."""
    path = repro_tables(tmp_path)[-1]
    sheet, = read_plan(path).sheets
    assert "subsection" not in sheet.columns and sheet.columns["section"] == "B"
    first = sheet.tasks[0]
    assert (first.section, first.subsection, first.requirement) == ("白仙山水库工程政策处理", None, "完成项目政策处理工作。")


def test_a_town_titled_alone_is_its_place(tmp_path):
    """A town's plan titled by the town alone (泗洲头镇2024年度重点工作计划) is the town's:
    its 区县 column and the 通报 name it, and validate says no district is missing."""
    import openpyxl
    from xltools.work.merge import merge
    from xltools.work.report import read_report
    paths = repro_tables(tmp_path)
    town = paths[-1].rename(tmp_path / "泗洲头镇2024年度重点工作计划二季度执行情况.xlsx")
    _, found = findings(town)
    assert "unknown-district" not in [f.code for f in found]
    out = tmp_path / "汇总.xlsx"
    merge([town, paths[4]], out, year=2024)             # r6b: 2023年开化县
    wb = openpyxl.load_workbook(out)
    header = [c.value for c in wb["汇总"][1]]
    assert {row[header.index("区县")] for row in wb["汇总"].iter_rows(min_row=2, values_only=True) if any(row)} \
        == {"泗洲头镇", "开化县"}
    plan_name = read_report(out, as_of=D(2024, 7, 1)).plan
    assert "泗洲头镇" in plan_name and "开化县" in plan_name and ".xlsx" not in plan_name


def test_an_unknown_district_is_said_by_validate_and_never_shown_as_a_place(tmp_path):
    """A plan whose title, sheet and file name no place: validate says so as merge does, and
    the master, the 通报 title and the file names show a neutral label, never 未识别 as a place."""
    import openpyxl
    from xltools.work.merge import merge
    from xltools.work.report import read_report
    paths = repro_tables(tmp_path)
    wb = openpyxl.load_workbook(paths[-1])
    wb.active["A1"].value = "2024年度重点工作计划"          # the town's plan with its name left out
    wb.save(paths[-1])
    town = paths[-1].rename(tmp_path / "2024年度重点工作计划二季度执行情况.xlsx")
    county = paths[4]                                   # r6b: 2023年开化县
    _, found = findings(town)
    assert "unknown-district" in [f.code for f in found]
    out = tmp_path / "汇总.xlsx"
    merge([town, county], out, year=2024)
    wb = openpyxl.load_workbook(out)
    header = [c.value for c in wb["汇总"][1]]
    districts = {row[header.index("区县")] for row in wb["汇总"].iter_rows(min_row=2, values_only=True) if any(row)}
    assert districts == {"地区未注明", "开化县"}
    issues = [row[4] for row in wb["问题清单"].iter_rows(min_row=2, values_only=True)]
    assert issues.count("unknown-district") == 1
    plan_name = read_report(out, as_of=D(2024, 7, 1)).plan
    # two plans, one of them with no district: named by their years, never by a title or file name
    assert re.fullmatch(r"20\d\d(—20\d\d)?年度重点工作任务", plan_name), plan_name
    assert "泗洲头镇" not in plan_name and ".xlsx" not in plan_name
    assert "未识别" not in plan_name and "地区未注明" not in plan_name


def test_inspect_never_shows_a_kind_word_as_a_due_date(tmp_path):
    rows = [["某局政务公开重点任务清单"], ["序号", "具体要求", "责任科室", "时限要求"],
            [1, "公开目录。", "办公室", "年底前"], [2, "公开解读。", "各科室", "持续推进"],
            [3, "公开年报。", "办公室", "①13月底前"], [4, "公开指南。", "办公室", None]]
    path = write_xlsx(tmp_path / "01_池州市信访局政务公开重点任务清单.xlsx", {"Sheet1": rows})
    lines = run("inspect", path).output.splitlines()
    due = {line.split()[0]: line.split()[-1] for line in lines if line[:1].isdigit()}
    assert due == {"3": "缺年份", "4": "长期", "5": "无效日期", "6": "未填"}
    assert run("inspect", path, "--year", "2023").output.count("2023-12-31") == 1
