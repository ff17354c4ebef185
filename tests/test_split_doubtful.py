"""split and a unit name the registry does not know but finds close to one (财攻所 for
财政所, 区财政居 for 区财政局): the return is made as the district wrote it (what a district
wrote stays written), and the clerk is told, with the name it may stand for and where to
correct it.  A real master merged from a sheet made with openpyxl; the returns on disk."""
from __future__ import annotations

import json

from click.testing import CliRunner

from conftest import write_xlsx
from xltools.cli.app import cli
from xltools.work.merge import merge
from xltools.work.split import split

HEAD = ["序号", "工作任务", "具体要求", "牵头单位", "配合单位", "完成时限"]


def plan(path):
    return write_xlsx(path, {"任务分解表": [
        ["2024年天桥区政务公开工作任务分解表"], HEAD,
        [1, "财政公开", "按规定公开部门预决算", "区财政居", None, "2024年6月底前"],
        [2, "财政公开", "公开政府采购信息", "区财政局", "区审计局", "2024年9月底前"],
        [3, "平台建设", "完善政府网站专栏", "区政府办公室", None, "2024年12月底前"],
    ]})


def test_a_return_for_a_unit_close_to_a_known_one_is_made_as_written_and_told(tmp_path):
    master = tmp_path / "汇总.xlsx"
    merge([plan(tmp_path / "天桥区.xlsx")], master)
    summary = split(master, tmp_path / "下发")
    assert [(d, u, s) for d, u, s, _ in summary.doubtful] == [("天桥区", "区财政居", "区财政局")]
    path = summary.doubtful[0][3]
    assert path.exists() and "区财政居" in path.name
    line = summary.message("zh").splitlines()[-1]
    assert "天桥区的“区财政居”不在单位名录中，是否应为“区财政局”？" in line and path.name in line
    assert "did the sheet mean 区财政局" in summary.message("en")
    # the CLI says it, and --json gives it
    out = CliRunner().invoke(cli, ["split", str(master), "-o", str(tmp_path / "again"), "--json"])
    assert out.exit_code == 0, out.output
    got = json.loads(out.output)["doubtful"]
    assert [(x["unit"], x["suggestion"]) for x in got] == [("区财政居", "区财政局")]


def test_known_units_and_units_close_to_none_are_not_doubted(tmp_path):
    master = tmp_path / "汇总.xlsx"
    rows = [["2024年天桥区政务公开工作任务分解表"], HEAD,
            [1, "公开", "公开采购信息", "区财政局", "区审计局", "2024年9月底前"],
            [2, "公开", "建设档案专栏", "火星探测办", None, "2024年9月底前"]]
    merge([write_xlsx(tmp_path / "天桥区.xlsx", {"任务分解表": rows})], master)
    assert split(master, tmp_path / "下发").doubtful == []


def test_a_reminder_to_a_name_close_to_a_known_unit_is_told_too(tmp_path):
    import datetime as dt

    from xltools.work.report import remind

    master = tmp_path / "汇总.xlsx"
    merge([plan(tmp_path / "天桥区.xlsx")], master, as_of=dt.date(2024, 12, 20))
    summary = remind(master, tmp_path / "催办", as_of=dt.date(2024, 12, 20))
    assert [(d, u, s) for d, u, s, _ in summary.doubtful] == [("天桥区", "区财政居", "区财政局")]
    assert summary.doubtful[0][3].exists()              # written as the district wrote the name
    out = CliRunner().invoke(cli, ["remind", str(master), "-o", str(tmp_path / "再催"), "--as-of", "2024-12-20"])
    assert "天桥区的“区财政居”不在单位名录中，是否应为“区财政局”？" in out.output, out.output
