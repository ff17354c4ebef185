"""What a new clerk in a 县 or 市 office found with their own plans (helper h-newuser).

Each test writes the plan as the office would (real .xlsx, a LibreOffice-style title row,
merged heading rows), runs xltools on it and reads what xltools wrote back with a second
reader (python-calamine).  Each failed before its fix."""
from __future__ import annotations

import datetime as dt

from python_calamine import CalamineWorkbook

from tests.conftest import write_xlsx
from xltools import validate
from xltools.read import read_plan
from xltools.rules.units import UnitRegistry
from xltools.work.learn import learn
from xltools.work.merge import merge
from xltools.work.split import split


def _rows(path, sheet):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()


def _errors(report, code_prefix="unknown-unit"):
    return sorted(f.value for f in report.findings if f.code.startswith(code_prefix) and f.severity == "error")


# ---------------------------------------------------------------- a city's plan names its districts' governments

CITY = [["2025年临沂市政务公开工作要点任务分工"],
        ["序号", "任务内容", "牵头单位", "配合单位", "完成时间"],
        [1, "推动城区政务公开专区标准化。", "兰山区人民政府、罗庄区政府", "市直有关部门", "2025年10月底前"],
        [2, "做好县域政务公开示范点建设。", "沂南县人民政府", "市政府办公室", "2025年9月底前"],
        [3, "试点新做法。", "火星区人民政府", None, "2025年9月底前"],
        [4, "新建改建城市道路20条。", "市住房城乡建设局", "兰山区、罗庄区、河东区人民政府，任城区", "2025年11月底前"]]


def test_a_city_plan_knows_the_governments_of_its_own_districts(tmp_path):
    plan = write_xlsx(tmp_path / "2025年临沂市政务公开工作要点任务分工.xlsx", {"任务分工": CITY})
    report = validate([plan])
    # real districts of 临沂市: their governments are units (named alone too, as a ledger
    # writes them); a made-up place, or another city's district (任城区), is still an error
    assert _errors(report) == ["任城区", "火星区人民政府"]
    # a county's plan knows its own government and its city's, not another county's
    county = write_xlsx(tmp_path / "2025年沂南县政务公开工作要点.xlsx", {"分工": [
        ["2025年沂南县政务公开工作要点任务分解表"], ["序号", "具体措施", "责任单位", "完成时限"],
        [1, "公开重大决策。", "沂南县人民政府、临沂市人民政府", "2025年6月底前"],
        [2, "学习兄弟县区经验。", "兰山区人民政府", "2025年6月底前"]]})
    assert _errors(validate([county])) == ["兰山区人民政府"]


# ---------------------------------------------------------------- a county's towns: learned as its own, reached by its collectives

def _county(tmp_path, name, district, rows):
    head = [[f"2025年{district}政务公开工作要点任务分解表"], ["序号", "具体措施", "责任单位", "完成时限"]]
    return write_xlsx(tmp_path / name, {"Sheet1": head + rows})


def test_towns_learned_from_a_county_plan_are_that_countys_and_its_collectives_reach_them(tmp_path):
    yinan = _county(tmp_path, "2025年沂南县任务分解表.xlsx", "沂南县", [
        [1, "规范乡镇政务公开专区。", "岸堤镇人民政府、马牧池乡人民政府、孙祖镇、界湖街道", "2025年6月底前"],
        [2, "推进基层政务公开标准化。", "各乡镇人民政府（街道办事处）", "2025年9月底前"],
        [3, "公开乡镇财政预决算。", "各乡镇人民政府、街道办事处", "2025年9月底前"]])
    deqing = _county(tmp_path, "2025年德清县任务分解表.xlsx", "德清县", [
        [1, "建设政务公开体验区。", "武康街道、乾元镇", "2025年6月底前"],
        [2, "推进镇（街道）政务公开标准化。", "各镇（街道）", "2025年9月底前"]])
    linzhou = _county(tmp_path, "2025年林州市任务分解表.xlsx", "林州市", [
        [1, "公开城市更新项目信息。", "开元街道、龙山街道", "2025年6月底前"]])
    names = tmp_path / "名录.xlsx"
    learn([yinan, deqing, linzhou], UnitRegistry.default(), names)
    rows = {r[1]: r for r in _rows(names, "单位名录")[1:]}
    # each town is its county's entry (not every county's); a 乡 is a township, not a department
    assert rows["岸堤镇人民政府"][0] == "沂南县" and rows["武康街道"][0] == "德清县"
    assert rows["马牧池乡人民政府"][3] == "镇"
    # 章丘区 has a 龙山街道 of its own: 林州市's is learned all the same, as 林州市's
    assert any(r[1] == "龙山街道" and r[0] == "林州市" for r in _rows(names, "单位名录")[1:])

    from xltools.read.registry import load_registry
    registry = load_registry(names)
    assert not _errors(validate([linzhou], registry=registry))      # 龙山街道 is 林州市's now
    master = tmp_path / "汇总.xlsx"
    merge([yinan, deqing], master, registry=registry, as_of=dt.date(2025, 7, 15))
    out = tmp_path / "下发"
    split(master, out, registry=registry)
    files = sorted(p.name for p in out.glob("*.xlsx"))
    # 德清县's 各镇（街道） reaches 德清县's towns only; 沂南县's 各乡镇人民政府（街道办事处） reaches its three
    assert "德清县-岸堤镇人民政府.xlsx" not in files and "德清县-孙祖镇.xlsx" not in files
    assert {"德清县-武康街道.xlsx", "德清县-乾元镇.xlsx"} <= set(files)
    assert "沂南县-各乡镇人民政府（街道办事处）.xlsx" not in files
    assert not _errors(validate([yinan], registry=registry))   # 各乡镇人民政府、街道办事处: one collective
    for town in ("岸堤镇人民政府", "马牧池乡人民政府", "孙祖镇"):
        texts = [str(c) for row in _rows(out / f"沂南县-{town}.xlsx", "进展报送") for c in row]
        assert "推进基层政务公开标准化。" in texts and "公开乡镇财政预决算。" in texts, town
    texts = [str(c) for row in _rows(out / "沂南县-界湖街道.xlsx", "进展报送") for c in row]
    assert "推进基层政务公开标准化。" in texts and "公开乡镇财政预决算。" in texts


# ---------------------------------------------------------------- a body's other full name, shortened

def test_a_short_form_of_a_bodys_other_full_name_is_that_body(tmp_path):
    plan = _county(tmp_path, "2025年德清县任务分解表.xlsx", "德清县", [
        [1, "公开重点项目批准和实施信息。", "县自然资源规划局、县自然资源和规划局", "2025年6月底前"],
        [2, "公开耕地保护信息。", "县自然资源监督局", "2025年6月底前"]])
    # 县自然资源和规划局 is 县自然资源局's other name; 县自然资源规划局 is its short form
    assert _errors(validate([plan])) == ["县自然资源监督局"]
    (task, _) = read_plan(plan).tasks
    assert task.lead_entries == ("县自然资源局",)
    assert task.lead_units[0].written == "县自然资源规划局"       # what the county wrote stays written


# ---------------------------------------------------------------- 各季度末 is every quarter's end

def test_each_quarters_end_is_recurring(tmp_path):
    plan = _county(tmp_path, "2025年费县任务分解表.xlsx", "费县", [
        [1, "公开涉企收费目录清单。", "县财政局", "各季度末"],
        [2, "公开政策解读材料。", "县司法局", "每季度末"]])
    report = validate([plan])
    assert not [f for f in report.findings if f.code == "unparseable"], [(f.code, f.value) for f in report.findings]
    kinds = [t.deadline.kind.value for t in read_plan(plan).tasks]
    assert kinds == ["recurring", "recurring"]
    master = tmp_path / "汇总.xlsx"
    merge([plan], master, as_of=dt.date(2025, 7, 15))
    body = _rows(master, "汇总")
    head = body[0]
    assert [r[head.index("完成时限")] for r in body[1:]] == ["各季度末", "每季度末"]   # as written
    assert [r[head.index("截止日期")] for r in body[1:]] == ["", ""]                   # no stale date


# ---------------------------------------------------------------- numbers in the text restart under each heading

def test_numbers_written_in_the_task_text_restart_under_each_heading(tmp_path):
    rows = [["邹城市2025年政务公开工作任务清单"], ["工作任务", "责任单位", "完成时限"],
            ["一、推进权力运行信息公开", None, None],
            ["1.全面公开权责清单并动态调整。", "市司法局", "2025年6月底前"],
            ["2.公开行政执法“三项制度”落实情况。", "市司法局", "2025年9月底前"],
            ["二、推进基层政务公开", None, None],
            ["1.推进镇街便民服务中心公开专区建设。", "市民政局", "2025年9月底前"],
            ["2.公开医疗保障待遇政策。", "市医保局", "2025年12月底前"],
            ["2.公开城乡低保资金发放情况。", "市民政局", "2025年12月底前"]]
    plan = write_xlsx(tmp_path / "邹城市2025年政务公开工作任务清单.xlsx", {"清单": rows},
                      {"清单": ["A1:C1", "A3:C3", "A6:C6"]})
    report = validate([plan])
    dups = [(f.code, f.cell) for f in report.findings if f.code.startswith("seq-")]
    # 1, 2 under 一、 and 1, 2 under 二、 are no duplicates; the second 2 under 二、 is
    assert dups == [("seq-duplicate", "A9")]
    master = tmp_path / "汇总.xlsx"
    merge([plan], master, as_of=dt.date(2025, 7, 15))
    body = _rows(master, "汇总")
    head = body[0]
    # each heading by its title, as where its number has a cell of its own (the test below)
    assert [r[head.index("工作任务")] for r in body[1:]] == ["推进权力运行信息公开"] * 2 + ["推进基层政务公开"] * 3


def test_tasks_numbered_again_under_numbered_headings_are_no_duplicates(tmp_path):
    # a province's plan: 1, 2 head groups of （1）（2）, the task's text its only text column
    rows = [["山东省2025年数字政府建设工作要点任务分工"], ["序号", "任务", "责任单位", "完成时限"],
            ["1", "夯实数字基础设施", None, None],
            ["（1）", "推进政务云资源统筹。", "省大数据局（牵头）、省财政厅", "2025年12月底前"],
            ["（2）", "建设省级政务数据共享平台。", "省大数据局", "2025年内"],
            ["2", "提升数字化治理能力", None, None],
            ["（1）", "推进“鲁通码”应用。", "省公安厅、省大数据局", "2025年下半年"],
            ["（2）", "做好网络舆情回应。", "省委宣传部、省委网信办", "持续推进"],
            ["（2）", "做好政务新媒体管理。", "省委网信办", "持续推进"]]
    plan = write_xlsx(tmp_path / "山东省2025年数字政府建设工作要点任务分工.xlsx", {"Sheet1": rows}, {"Sheet1": ["A1:D1"]})
    dups = [(f.code, f.cell) for f in validate([plan]).findings if f.code.startswith("seq-")]
    assert dups == [("seq-duplicate", "A9")]
    master = tmp_path / "汇总.xlsx"
    merge([plan], master, as_of=dt.date(2025, 7, 15))
    body = _rows(master, "汇总")
    head = body[0]
    assert [r[head.index("工作任务")] for r in body[1:]] == ["夯实数字基础设施"] * 2 + ["提升数字化治理能力"] * 3


def test_numbering_is_checked_under_the_nearest_heading_of_any_depth(tmp_path):
    # 一、 over （一） over 1. — and 2. heading （1）（2）: four levels in one 序号 column
    rows = [["蒙阴县2025年政务公开重点工作任务分解表"], ["序号", "工作任务", "责任单位", "完成时限"],
            ["一、", "深化重点领域信息公开", None, None],
            ["（一）", "经济领域", None, None],
            ["1.", "公开优化营商环境政策措施。", "县发展改革局", "2025年6月底前"],
            ["2.", "公开重点项目信息", None, None],
            ["（1）", "公开项目审批结果。", "县行政审批服务局", "每季度末"],
            ["（2）", "公开项目建设进度。", "县发展改革局", "2025年第三季度"],
            ["（2）", "公开项目验收结果。", "县住房和城乡建设局", "2025年第四季度"],
            ["（二）", "社会领域", None, None],
            ["1.", "公开教育招生政策。", "县教育和体育局", "2025年上半年"],
            ["3.", "公开医疗服务价格。", "县医疗保障局", "2025年下半年"]]
    plan = write_xlsx(tmp_path / "蒙阴县2025年政务公开重点工作任务分解表.xlsx", {"Sheet1": rows}, {"Sheet1": ["A1:D1"]})
    found = sorted((f.code, f.cell) for f in validate([plan]).findings if f.code.startswith("seq-"))
    # the second （2） under 2. is a duplicate and 2. is missing under （二）; 1. under （一）
    # and 1. under （二）, or （1） under 2. beside 1., are no duplicates
    assert found == [("seq-duplicate", "A9"), ("seq-gap", "A12")]
