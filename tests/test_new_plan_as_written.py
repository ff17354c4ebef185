"""new-plan keeps what a township wrote (trial 3, 2026-12-07: from a county's master of three
towns and from a town's own sheet, next year's plan dropped the 备注 column and its notes, the
heading rows 一、/（一）/1 and their numbers, renamed …政务公开工作要点任务分解表 to
…重点工作任务分解表 (in English with --lang en, so the plan read back as the county's), turned
a date cell shown 2026年9月30日 into text from the master and into 2027-09-30 from the own
file, offered county, city and province bureaus first in a town's unit list, gave a 县's
town 区财政局 in its example rows, and kept 编制2026年…年度报告 without asking).

The towns' sheets are built here with openpyxl; everything goes through the command line
and is read back with openpyxl and calamine."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from xltools.cli.app import cli
from xltools.read import read_plan

CN_DATE = 'yyyy"年"m"月"d"日"'
YU = "2026年平阴县榆山街道政务公开工作要点任务分解表"
ROSE = "2026年平阴县玫瑰镇政务公开工作任务台账"


def town_sheet(path: Path, title: str, header: tuple, rows: list[tuple], dates: dict[str, dt.date]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务分解"
    ws.append(["附件"])
    ws.append([title])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(header))
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    for ref, day in dates.items():
        ws[ref] = day
        ws[ref].number_format = CN_DATE
    ws.append([])
    ws.append(["抄送：县委办公室。"])
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def towns(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("towns")
    src = folder / "in"
    src.mkdir()
    town_sheet(src / f"{YU}.xlsx", YU, ("序号", "工作任务", "具体要求", "牵头单位", "配合单位", "完成时限", "备注"), [
        ("一、", "推进重点领域信息公开"),
        ("（一）", "财政信息公开"),
        (1, None, "按时公开街道预决算和“三公”经费信息", "财政所", "党政办公室、纪工委", "2026年6月底前", "预算8月前公开"),
        (2, None, "公开惠民惠农补贴资金发放情况", "财政所", "社会事务办公室\n各社区", "长期坚持"),
        ("（二）", "民生信息公开"),
        (3, None, "公开低保、特困人员救助审批结果", "社会事务办公室", "民政所", None, "季度更新"),
        (4, None, "做好征地拆迁补偿信息公开", "城建办", "自然资源所", "本文件印发后30日内"),
        ("二、", "加强政务公开平台建设"),
        (5, None, "规范政务公开专栏内容维护", "党政办公室", "各村（社区）", "2026年12月底前"),
    ], {"F9": dt.date(2026, 9, 30)})
    town_sheet(src / "玫瑰镇.xlsx", ROSE, ("序号", "工作任务", "具体要求", "责任单位", "完成时限", "备注"), [
        ("1", "重点领域信息公开"),
        ("1.1", None, "公开玫瑰产业扶持资金分配结果", "农业农村办公室、财攻所", "2026年3月底前", "已公开一批"),
        ("1.2", None, "公开镇级重大建设项目批准和实施信息", "城建办\n规划办", None),
        ("2", "政策解读与回应"),
        ("2.1", None, "对镇出台的重要政策开展解读", "党政办公室、各村（社区）", "长期坚持", "随文件同步"),
        ("2.2", None, "编制2026年政府信息公开工作年度报告", "党政办公室", "2027年1月31日前"),
    ], {"E6": dt.date(2026, 12, 15)})
    master = folder / "out" / "汇总.xlsx"
    merged = run("merge", src, "-o", master)
    assert merged.exit_code in (0, 1), merged.output
    return folder


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert "Traceback" not in result.output, result.output
    return result


def made(towns: Path, name: str, *args) -> tuple[Path, str]:
    """The plan `args` make (the last "-": the output goes there), replacing an earlier one."""
    out = towns / "plans" / name
    result = run(*args[:-1], "-o", out, "--force") if args[-1] == "-" else None
    assert result is not None and result.exit_code == 0, result.output
    return out, result.output


def plan_rows(path: Path) -> tuple[str, list[str], list[dict]]:
    """The title, header and task rows of a plan's 任务分解表, as calamine reads them."""
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("任务分解表").to_python()
    header = [str(v) for v in rows[1]]
    body = [dict(zip(header, r)) for r in rows[2:] if any(v not in ("", None) for v in r)]
    return rows[0][0], header, body


ROUTES = {   # (file name, args): from the master, and from the town's own sheet
    "master": ("2027榆山.xlsx", ("new-plan", "--year", 2027, "--district", "平阴县榆山街道", "--from", "{master}")),
    "own": ("2027榆山_own.xlsx", ("new-plan", "--year", 2027, "--from", "{own}")),
}


def route(towns: Path, which: str) -> tuple[Path, str]:
    name, args = ROUTES[which]
    args = [str(a).format(master=towns / "out" / "汇总.xlsx", own=towns / "in" / f"{YU}.xlsx") for a in args]
    return made(towns, name, *args, "-")


@pytest.mark.parametrize("which", ROUTES)
def test_the_towns_notes_headings_title_and_dates_are_kept(towns, which):
    out, output = route(towns, which)
    title, header, body = plan_rows(out)
    # A1: the own column after the template's, with every note, and said so
    assert header[-2:] == ["任务编号", "备注"] and "“备注”列" in output
    assert [r["备注"] or None for r in body] == ["预算8月前公开", None, "季度更新", None, None]
    # A3: the headings numbered as written, where the template keeps them
    assert [(r["工作任务"], r["具体任务"] or None) for r in body] == [
        ("一、推进重点领域信息公开", "（一）财政信息公开"), ("一、推进重点领域信息公开", "（一）财政信息公开"),
        ("一、推进重点领域信息公开", "（二）民生信息公开"), ("一、推进重点领域信息公开", "（二）民生信息公开"),
        ("二、加强政务公开平台建设", None)]
    # A2: its own title, the year moved on
    assert title == "2027年平阴县榆山街道政务公开工作要点任务分解表"
    # A4: the date cell stays a date cell shown as the town showed it, a year on (openpyxl: the format)
    ws = openpyxl.load_workbook(out)["任务分解表"]
    cell = ws.cell(5, header.index("完成时限") + 1)
    assert (cell.value, cell.number_format) == (dt.datetime(2027, 9, 30), CN_DATE)
    changes = openpyxl.load_workbook(out)["变更说明"]
    assert [(c.value, c.number_format) for c in changes[4]][:3] == [
        (3, "General"), (dt.datetime(2026, 9, 30), CN_DATE), (dt.datetime(2027, 9, 30), CN_DATE)]
    # read back: the town's plan of 2027, its notes kept beside each task, its headings by title
    sheet, = read_plan(out).sheets
    assert (sheet.district, sheet.year, len(sheet.tasks)) == ("平阴县榆山街道", 2027, 5)
    assert sheet.tasks[0].extra == {"备注": "预算8月前公开"}
    assert [t.section_title for t in sheet.tasks][::4] == ["推进重点领域信息公开", "加强政务公开平台建设"]


def test_both_routes_give_the_same_plan(towns):
    a, b = (plan_rows(route(towns, which)[0]) for which in ROUTES)
    assert a == b


def test_a_township_plan_lists_its_own_units_first(towns):
    out, output = made(towns, "2027玫瑰.xlsx", "new-plan", "--year", 2027, "--district", "平阴县玫瑰镇", "--from",
                       towns / "out" / "汇总.xlsx", "-")
    title, header, body = plan_rows(out)
    assert title == "2027年平阴县玫瑰镇政务公开工作任务台账"
    assert [r["工作任务"] for r in body] == ["1 重点领域信息公开"] * 2 + ["2 政策解读与回应"] * 2
    names = [r[0] for r in CalamineWorkbook.from_path(str(out)).get_sheet_by_name("单位名录").to_python()[1:]]
    # the units the town wrote first (not the slip 财攻所, which validate asks about), then the
    # town's offices, then the county's bodies, then the city's and province's
    assert names[:5] == ["农业农村办公室", "城建办", "规划办", "党政办公室", "各村（社区）"] and "财攻所" not in names
    first_county = next(i for i, n in enumerate(names) if n.startswith("县"))
    first_city = next(i for i, n in enumerate(names) if n.startswith(("市", "省")))
    assert names.index("财政所") < first_county < first_city
    assert not any(n.startswith(("市", "省")) for n in names[first_county:first_city])
    # B5: the yearly report of 2026 is kept as written and asked about
    changes = {r[0]: r for r in openpyxl.load_workbook(out)["变更说明"].iter_rows(min_row=2, values_only=True)}
    assert changes["2.2"][2] == "2027年1月31日前" and "“2026年”，请核对" in changes["2.2"][3]
    assert "请核对" not in changes["2.1"][3]
    assert "1 项请核对" in output      # 2.2 (before: 0)
    assert changes["1.2"][1:3] == (dt.datetime(2026, 12, 15), dt.datetime(2027, 12, 15))


def test_an_english_clerks_township_plan_stays_the_towns(towns):
    out, output = made(towns, "2027玫瑰_en.xlsx", "--lang", "en", "new-plan", "--year", 2027, "--district",
                       "平阴县玫瑰镇", "--from", towns / "out" / "汇总.xlsx", "-")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["任务分解表", "填表说明", "变更说明", "单位名录"] and "See the 变更说明 sheet" in output
    assert wb["任务分解表"]["A1"].value == "2027年平阴县玫瑰镇政务公开工作任务台账"
    notes = [r[3] for r in wb["变更说明"].iter_rows(min_row=2, values_only=True)]
    assert len(notes) == 4 and all("、" not in n for n in notes)
    assert read_plan(out).sheets[0].district == "平阴县玫瑰镇"     # B2: not the county's


@pytest.mark.parametrize("district, lead, absent, several", [
    ("平阴县", "县财政局", "区", "县财政局、县审计局"), ("平阴县玫瑰镇", "财政所", "县", "财政所、党政办公室"),
    ("天桥区", "区财政局", "县", "区财政局、区审计局")])
def test_example_rows_name_units_of_the_plans_place(tmp_path, district, lead, absent, several):
    out = tmp_path / "blank.xlsx"
    assert run("new-plan", "--year", 2027, "--district", district, "-o", out).exit_code == 0
    book = CalamineWorkbook.from_path(str(out))
    rows = book.get_sheet_by_name("任务分解表").to_python()[2:5]
    units = [u for r in rows for u in (r[4], r[5]) if u]
    assert rows[0][4] == lead and units and not any(u.startswith(absent) for u in units)
    guide = {r[0]: r[1] for r in book.get_sheet_by_name("填表说明").to_python()}
    assert f"如“{several}”" in guide["牵头单位"]


def test_an_english_note_lists_the_cleared_columns_in_english(tmp_path):
    src = town_sheet(tmp_path / "镇.xlsx", ROSE, ("序号", "具体要求", "责任单位", "完成时限", "进展情况"),
                     [(1, "公开财政预决算", "财政所", "2026年6月底前", "已公开")], {})
    out = tmp_path / "plan.xlsx"
    result = run("--lang", "en", "new-plan", "--year", 2027, "--district", "平阴县玫瑰镇", "--from", src, "-o", out)
    assert result.exit_code == 0, result.output
    note = openpyxl.load_workbook(out)["变更说明"]["D2"].value
    assert note.endswith("Cleared last year's Status, Progress, Completed on"), note


def test_another_places_plan_taken_as_a_model_is_not_titled_as_its(towns):
    out, output = made(towns, "2027玫瑰_榆山模型.xlsx", "new-plan", "--year", 2027, "--district", "平阴县玫瑰镇",
                       "--from", towns / "in" / f"{YU}.xlsx", "-")
    assert "平阴县榆山街道的" in output
    assert plan_rows(out)[0] == "2027年平阴县玫瑰镇重点工作任务分解表"
    assert read_plan(out).sheets[0].district == "平阴县玫瑰镇"
