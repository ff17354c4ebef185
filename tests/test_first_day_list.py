"""The rest of the first-day list (issue 24 point 10): remind checks the lock and the
changed-file check before writing anything; new-plan makes its folder and never
overwrites unasked; units learn asks about a typo of a known unit; merge's exit code
follows README's table; --district is checked the same way in every command.

Real files in and out, read back with openpyxl and python-calamine."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest
import python_calamine as pc
from click.testing import CliRunner

from conftest import CHANGQING, TIANQIAO
from test_merge import district_book
from xltools.cli.app import cli
from xltools.read.registry import load_registry
from xltools.work import report as report_module
from xltools.work.merge import merge
from xltools.write.files import FileChanged

TITLE = "2024年天桥区政务公开重点工作任务分解表"


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def sheets(path: Path) -> list[str]:
    wb = pc.CalamineWorkbook.from_path(str(path))
    try:
        return list(wb.sheet_names)
    finally:
        wb.close()


# ------------------------------------------------------------------ remind --sheet

def test_remind_sheet_on_a_master_saved_meanwhile_writes_no_reminder(tmp_path, monkeypatch):
    master = tmp_path / "汇总.xlsx"
    merge([TIANQIAO, CHANGQING], master, as_of=dt.date(2024, 12, 20))
    read = report_module.read_report

    def read_then_someone_saves(*args, **kwargs):
        data = read(*args, **kwargs)
        wb = openpyxl.load_workbook(master)            # a person saves the master in Excel meanwhile
        wb["汇总"]["K2"] = "王科长刚填的进展"
        wb.save(master)
        return data

    monkeypatch.setattr(report_module, "read_report", read_then_someone_saves)
    with pytest.raises(FileChanged):
        report_module.remind(master, tmp_path / "催办", sheet=True)
    assert not (tmp_path / "催办").exists() or not list((tmp_path / "催办").iterdir())   # no 催办单 written
    assert openpyxl.load_workbook(master)["汇总"]["K2"].value == "王科长刚填的进展"
    assert "催办" not in sheets(master)


def test_remind_sheet_on_a_master_open_in_excel_writes_nothing(tmp_path):
    master = tmp_path / "汇总.xlsx"
    merge([TIANQIAO], master, as_of=dt.date(2024, 12, 20))
    (tmp_path / "~$汇总.xlsx").write_bytes(b"owner")
    before = master.read_bytes()
    result = run("remind", master, "-o", tmp_path / "催办", "--sheet")
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    assert master.read_bytes() == before and not (tmp_path / "催办").exists()


# ------------------------------------------------------------------ new-plan

def test_new_plan_makes_its_folder_and_never_overwrites_unasked(tmp_path):
    out = tmp_path / "2025年" / "计划" / "天桥区.xlsx"
    made = run("new-plan", "--year", "2025", "--district", "天桥区", "-o", out)
    assert made.exit_code == 0 and out.is_file()
    wb = openpyxl.load_workbook(out)                       # the clerk starts typing the plan
    ws = wb[wb.sheetnames[0]]
    ws["C5"] = "全区政务公开工作要点"
    wb.save(out)
    typed = out.read_bytes()

    again = run("new-plan", "--year", "2025", "--district", "天桥区", "-o", out)
    assert again.exit_code == 2 and len(again.output.strip().splitlines()) == 1
    assert again.output.startswith(f"错误：{out} 已存在，没有覆盖。要换掉它请加 --force")
    assert out.read_bytes() == typed

    forced = run("new-plan", "--year", "2025", "--district", "天桥区", "-o", out, "--force")
    assert forced.exit_code == 0 and out.read_bytes() != typed
    listed = run("history", out)
    assert listed.exit_code == 0 and "新建计划" in listed.output
    assert run("undo", out).exit_code == 0
    assert out.read_bytes() == typed
    assert openpyxl.load_workbook(out)[ws.title]["C5"].value == "全区政务公开工作要点"


# ------------------------------------------------------------------ units learn

def cells(path: Path) -> set[str]:
    """Every text of every sheet (openpyxl)."""
    wb = openpyxl.load_workbook(path)
    return {str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None}


def test_units_learn_asks_about_a_typo_of_a_known_unit(tmp_path):
    plan = district_book(tmp_path / f"{TITLE}.xlsx", [
        [1, "一、公开", "要求一", "区财政居", "2024年12月底前"],
        [2, "一、公开", "要求二", "区火星局", "2024年12月底前"],
    ], title=TITLE)
    out = tmp_path / "名录.xlsx"
    result = run("units", "learn", plan, "-o", out)
    assert result.exit_code == 1
    assert "“区财政居”与名录中的“区财政局”只差一个字，可能是写错了，没有作为新单位加入名录；确认它是另一个单位时加 --force。" \
        in result.output
    assert "区火星局" in cells(out) and "区财政居" not in cells(out)     # the new unit added, the typo not
    assert load_registry(out).resolve("区火星局") is not None and load_registry(out).resolve("区财政居") is None

    forced = run("units", "learn", plan, "-o", out, "--force")
    assert forced.exit_code == 0 and "按 --force 作为新单位加入了名录" in forced.output
    assert {"区火星局", "区财政居"} <= cells(out) and load_registry(out).resolve("区财政居") is not None


# ------------------------------------------------------------------ merge: exit code, --district

def test_merge_exits_1_on_validation_errors_as_readme_says(tmp_path):
    plan = district_book(tmp_path / f"{TITLE}.xlsx", [
        [1, "一、公开", "要求一", "区财政局", "2024年12月底前"],
        [2, "一、公开", "要求二", "区火星局", "2024年13月底前"],    # an unknown unit, an impossible date
    ], title=TITLE)
    result = run("merge", plan, "-o", tmp_path / "汇总.xlsx")
    assert result.exit_code == 1, result.output
    assert len(pc.CalamineWorkbook.from_path(str(tmp_path / "汇总.xlsx")).get_sheet_by_name("汇总").to_python()) == 3
    clean = district_book(tmp_path / "clean" / f"{TITLE}.xlsx", [[1, "一、公开", "要求一", "区财政局", "2024年12月底前"]],
                          title=TITLE) if (tmp_path / "clean").mkdir() is None else None
    assert run("merge", clean, "-o", tmp_path / "clean" / "汇总.xlsx").exit_code == 0


@pytest.mark.parametrize("command", [
    ["new-plan", "--year", "2025", "--district", "槐阴区", "-o", "{tmp}/p.xlsx"],
    ["units", "export", "{tmp}/u.xlsx", "--district", "槐阴区"],
    ["merge", TIANQIAO, "-o", "{tmp}/汇总.xlsx", "--district", f"{TIANQIAO.name}=槐阴区"],
])
def test_district_is_checked_the_same_way_in_every_command(command, tmp_path):
    result = run(*[str(a).replace("{tmp}", str(tmp_path)) for a in command])
    assert result.exit_code == 2
    assert result.output == "错误：“槐阴区”不是全国行政区划（GB/T 2260）中的区县名称。是不是要写：槐荫区、淮阴区？\n"
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".xlsx"]


def test_merge_district_map_is_checked_too(tmp_path):
    table = tmp_path / "对照表.csv"
    table.write_text(f"文件,区县\n{TIANQIAO.name},槐阴区\n", encoding="utf-8")
    result = run("merge", TIANQIAO, "-o", tmp_path / "汇总.xlsx", "--district-map", table)
    assert result.exit_code == 2 and "槐荫区" in result.output
    good = run("merge", TIANQIAO, "-o", tmp_path / "汇总.xlsx", "--district", f"{TIANQIAO.name}=天桥区")
    assert good.exit_code in (0, 1) and (tmp_path / "汇总.xlsx").is_file()
