"""A township's or a village's plan whose title names only itself (天荒坪镇2026年…, 横路村2026年…),
without its county; and the villages `units learn` files for the township's collectives (各村,
各村（社区）, 各行政村).  Found by a new user's trial as a 镇 clerk (trial2 §2, §4); each test
failed before its fix."""
from __future__ import annotations

import re

import openpyxl
import pytest
from click.testing import CliRunner

from tests.conftest import write_xlsx
from xltools.cli.app import cli
from xltools.rules.divisions import township_alone

# (county, township) of several provinces: 镇, 乡 and 街道
PLACES = [("安吉县", "天荒坪镇"), ("嘉祥县", "纸坊镇"), ("湘潭县", "花石镇"), ("婺源县", "江湾镇"),
          ("泾县", "昌桥乡"), ("天桥区", "北园街道"), ("桐庐县", "分水镇"), ("平武县", "水晶镇")]


def _rows(title: str, village: str) -> list[list]:
    return [[title], ["序号", "工作任务", "责任单位", "完成时限"],
            [1, "发展白茶产业。", "农业农村办、各村", "2026年6月底前"],
            [2, "开展防汛演练。", "应急管理办、各行政村", "2026年5月31日前"],
            [3, "走访联系群众。", "党建办、各村（社区）", "2026年9月底前"],
            [4, "建成文化礼堂。", f"{village}、文化站", "2026年12月底前"],
            [5, "普法进村。", f"司法所、{village}、幸福社区", "2026年12月底前"]]


def _unknown(output: str) -> list[str]:
    return re.findall(r"单位名称“([^”]+)”不在单位名录中", output)


@pytest.mark.parametrize("county,town", PLACES)
def test_a_township_plan_titled_without_its_county_reads_as_with_it(tmp_path, county, town):
    runner = CliRunner()
    alone = write_xlsx(tmp_path / f"{town}2026年重点工作任务分解表.xlsx",
                       {"任务分解": _rows(f"{town}2026年重点工作任务分解表", "大溪村")})
    full = write_xlsx(tmp_path / "有县.xlsx", {"任务分解": _rows(f"{county}{town}2026年重点工作任务分解表", "大溪村")})
    said = runner.invoke(cli, ["validate", str(alone)])
    assert _unknown(said.output) == _unknown(runner.invoke(cli, ["validate", str(full)]).output) == [], said.output
    assert "无法确定区县" not in said.output and said.exit_code == 0, said.output


@pytest.mark.parametrize("title", ["横路村2026年度任务分解", "天荒坪镇横路村2026年度任务分解", "2026年横路村工作任务清单"])
def test_a_village_plan_reads_as_a_township_plan(tmp_path, title):
    plan = write_xlsx(tmp_path / "村.xlsx", {"Sheet1": _rows(title, "横路村")})
    said = CliRunner().invoke(cli, ["validate", str(plan)])
    assert _unknown(said.output) == [] and "无法确定区县" not in said.output, said.output


@pytest.mark.parametrize("title", ["乡村振兴2026年任务分解", "美丽乡村建设任务清单", "2026年乡镇工作要点", "全镇2026年重点工作",
                                   "未来社区2026年建设任务", "小城镇环境整治2026年任务", "特色小镇建设方案",
                                   "城乡社区治理2026年要点", "各村2026年任务", "2026年重点工作任务分解表",
                                   "幸福社区卫生服务中心2026年工作计划", "天荒坪镇文化站2026年工作计划"])
def test_words_about_towns_and_villages_are_no_place(title):
    assert township_alone(title) is None


def test_a_plan_without_any_place_is_not_advised_to_become_a_county_plan(tmp_path):
    plan = write_xlsx(tmp_path / "2026年任务.xlsx", {"Sheet1": _rows("2026年重点工作任务分解表", "大溪村")})
    said = CliRunner().invoke(cli, ["validate", str(plan)]).output
    assert "无法确定区县" in said and "乡镇、街道或村的表写它自己的名称" in said
    en = CliRunner().invoke(cli, ["--lang", "en", "validate", str(plan)]).output
    assert "township's" in en


def test_villages_learned_from_a_township_plan_are_its_villages_and_the_collectives_reach_them(tmp_path):
    runner = CliRunner()
    plan = write_xlsx(tmp_path / "天荒坪镇2026年重点工作任务分解表.xlsx",
                      {"任务分解": _rows("天荒坪镇2026年重点工作任务分解表", "大溪村")})
    registry = tmp_path / "单位名录.xlsx"
    done = runner.invoke(cli, ["units", "learn", str(plan), "-o", str(registry)])
    assert done.exit_code == 0, done.output
    rows = list(openpyxl.load_workbook(registry).active.values)
    learned = {r[1]: r for r in rows[1:] if r[1] in ("大溪村", "幸福社区")}
    assert learned == {"大溪村": ("天荒坪镇", "大溪村", None, "村/社区", "乡级"),
                       "幸福社区": ("天荒坪镇", "幸福社区", None, "村/社区", "乡级")}
    master = tmp_path / "汇总.xlsx"
    assert runner.invoke(cli, ["merge", str(plan), "-o", str(master), "--registry", str(registry)]).exit_code == 0
    out = tmp_path / "下发"
    done = runner.invoke(cli, ["split", str(master), "--by", "lead-unit", "-o", str(out), "--registry", str(registry)])
    assert done.exit_code == 0, done.output
    names = {p.stem for p in out.rglob("*.xlsx")}
    assert {"大溪村", "幸福社区"} <= names and not names & {"各村", "各行政村", "各村（社区）"}, names
    # 大溪村's return: its own two tasks and the three of 各村, 各行政村, 各村（社区）
    ws = openpyxl.load_workbook(out / "大溪村.xlsx").worksheets[0]
    tasks = {c for r in ws.iter_rows(min_row=4, values_only=True) if r[1] for c in r}
    assert {"发展白茶产业。", "开展防汛演练。", "走访联系群众。", "建成文化礼堂。", "普法进村。"} <= tasks, tasks


def test_collectives_of_the_same_villages_are_one_return_when_none_is_listed(tmp_path):
    runner = CliRunner()
    plan = write_xlsx(tmp_path / "2026年任务分解表.xlsx", {"任务分解": _rows("2026年重点工作任务分解表", "大溪村")})
    master = tmp_path / "汇总.xlsx"
    runner.invoke(cli, ["merge", str(plan), "-o", str(master)])      # exit 1: its villages are unknown here
    assert master.exists()
    out = tmp_path / "下发"
    done = runner.invoke(cli, ["split", str(master), "--by", "lead-unit", "-o", str(out)])
    names = {p.stem for p in out.rglob("*.xlsx")}
    assert "各村" in names and not names & {"各行政村", "各村（社区）"}, names
    ws = openpyxl.load_workbook(out / "各村.xlsx").worksheets[0]
    assert len([r for r in ws.iter_rows(min_row=4, values_only=True) if re.match(r".*-2026-\d{3}", str(r[1]))]) == 3
    # the district is not stated: the note says so in words, not with the placeholder as a place
    assert "单位名录中没有村/社区" in done.output and "地区未注明的" not in done.output, done.output
    en = runner.invoke(cli, ["--lang", "en", "split", str(master), "--by", "lead-unit", "-o", str(out), "--dry-run"])
    assert "lists no villages or communities:" in en.output and "district not stated" not in en.output, en.output
    line = next(x for x in en.output.splitlines() if "lists no" in x)
    assert "of kind village/community (村/社区)" in line and "kind 村" not in line and "no 村" not in line, line
    assert "单位名录中没有村/社区" in done.output and "类别填村/社区" in done.output       # Chinese as it was
