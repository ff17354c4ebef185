"""The escape hatch: which column was read as which field and why, a clerk's --columns over
it (saved beside the files in 列对应.json for the whole folder), and the warnings when a
table reads unlike a task table.  Real .xlsx files in, the master read back by openpyxl."""
from __future__ import annotations

import datetime as dt
import json
import re

import openpyxl
import pytest
from click.testing import CliRunner

from conftest import CHANGQING, TIANQIAO, write_xlsx
from xltools.check.validate import validate_plan
from xltools.cli.app import cli
from xltools.read import SAVED_NAME, parse_columns, read_plan
from xltools.read.columns import ColumnsError

TITLE = ["2024年历城区政务公开重点工作任务分工"]
TASKS = [(1, "深化政策公开", "围绕优化营商环境，集中发布惠企政策清单", "区发展改革局", "区财政局", "2024年6月底前"),
         (2, "深化政策公开", "做好政策解读，推行图文、视频等多样化解读", "区政府办公室", "区融媒体中心", "2024年12月底前"),
         (3, "加强平台建设", "优化政府网站集约化平台栏目设置", "区大数据局", None, "2024年9月底前"),
         (4, "加强平台建设", "规范政务新媒体账号管理工作", "区政府办公室", "各街道办事处", "长期坚持"),
         (5, "做好依申请公开", "规范依申请公开办理流程，提高答复质量", "区司法局", "区政府办公室", "2024年12月底前")]


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def unknown_headers(path, order=(0, 1, 2, 3, 4, 5)):
    """A section's own words for its columns: 推进举措 (the requirement) and 责任股室 (the
    lead units) are headers no reader can know; `order` puts the columns elsewhere."""
    header = ["序号", "重点工作", "推进举措", "责任股室", "配合股室", "完成时限"]
    rows = [TITLE, [header[i] for i in order]] + [[task[i] for i in order] for task in TASKS]
    return write_xlsx(path, {"任务分工": rows})


def test_unknown_headers_are_not_read_silently(tmp_path):
    plan = read_plan(unknown_headers(tmp_path / "2024年历城区任务分工.xlsx"))
    (ts,) = plan.sheets
    assert [(c.field, c.letter, c.header, c.reason, c.word) for c in ts.column_map] == [
        ("seq", "A", "序号", "header", "序号"), ("section", "B", "重点工作", "header", "重点工作"),
        ("support", "E", "配合股室", "header-word", "配合"), ("deadline", "F", "完成时限", "header", "完成时限")]
    assert all(t.requirement is None and not t.lead_units for t in ts.tasks)   # read wrong …
    doubts = {(f.code, f.cell, f.severity) for f in validate_plan(plan) if f.code.startswith("columns-")}
    assert doubts == {("columns-unsure-requirement-missing", "C2", "warning"),   # … but said so, with the fix
                      ("columns-unsure-units-missing", "D2", "warning")}
    out = run("inspect", plan.file).output
    assert "具体要求，加 --columns \"推进举措=具体要求\"（或 C=具体要求）指定" in out
    assert "配合单位    E     配合股室            表头含常用写法“配合”" in out


def test_inspect_lists_the_sheets_own_columns_the_master_keeps(tmp_path):
    """责任人 and 备注说明 are read as no field: inspect says they are kept as the sheet's
    own columns, and the merge keeps them so (openpyxl reads the master back); 预警, a
    column of the master's own, is not one of them."""
    header = ["序号", "工作任务", "具体要求", "牵头单位", "配合单位", "完成时限", "责任人", "备注说明", "预警"]
    rows = [TITLE, header] + [[*task, f"张{task[0]}", "按月报送" if task[0] % 2 else None, "正常"] for task in TASKS]
    path = write_xlsx(tmp_path / "2024年历城区任务分工.xlsx", {"任务分工": rows})
    out = run("inspect", path).output
    assert "本表自有列  G     责任人              不对应任何字段，原样保留为汇总表中的一列" in out
    assert "本表自有列  H     备注说明            不对应任何字段，原样保留为汇总表中的一列" in out
    assert out.count("本表自有列") == 2                               # not 预警 (I)
    english = run("inspect", path, "--lang", "en").output
    assert re.search(r"^Own column +G     责任人              no field: kept as written in the master", english, re.M)
    assert "本表自有列" not in english and "不对应任何字段" not in english
    (sheet,) = json.loads(run("inspect", path, "--json").output)["sheets"]
    assert sheet["own_columns"] == {"G": "责任人", "H": "备注说明"}

    master = tmp_path / "汇总.xlsx"
    assert run("merge", path, "-o", master).exit_code in (0, 1)
    ws = openpyxl.load_workbook(master)["汇总"]
    col = {c.value: c.column for c in ws[1]}
    kept = [(ws.cell(r, col["责任人"]).value, ws.cell(r, col["备注说明"]).value) for r in range(2, ws.max_row + 1)]
    assert kept == [(f"张{n}", "按月报送" if n % 2 else None) for n in range(1, 6)]


@pytest.mark.parametrize("spec", ["推进举措=具体要求,责任股室=牵头单位", "C=具体要求，D=lead",
                                  "推 进 举 措=Requirement,责任股室=牵头单位"])
def test_columns_override(tmp_path, spec):
    path = unknown_headers(tmp_path / "2024年历城区任务分工.xlsx")
    result = run("inspect", path, "--columns", spec, "--json")
    assert result.exit_code == 0
    (sheet,) = json.loads(result.output)["sheets"]
    assert sheet["columns_given"] == "--columns"
    by_field = {c["field"]: c for c in sheet["column_map"]}
    assert (by_field["requirement"]["column"], by_field["requirement"]["reason"]) == ("C", "given")
    assert (by_field["lead"]["column"], by_field["lead"]["header"]) == ("D", "责任股室")
    tasks = sheet["tasks"]
    assert [t["requirement"] for t in tasks] == [t[2] for t in TASKS]
    assert [t["lead_units"] for t in tasks] == [[t[3]] for t in TASKS]
    table = run("inspect", path, "--columns", spec).output
    assert "列对应（哪一列读作哪个字段），按 --columns 指定" in table
    assert "不读" not in table and "[警告]" not in table    # the clerk decided: no doubts left


def test_columns_override_a_column_the_reader_knows(tmp_path):
    """责任科室 is read as 责任单位; the clerk says it is the lead, and 备注 is not read."""
    path = write_xlsx(tmp_path / "2024年历城区任务.xlsx", {"S": [
        TITLE, ["序号", "具体措施", "责任科室", "完成时限", "备注"],
        [1, "集中发布惠企政策清单。", "区财政局", "2024年6月底前", "区审计局"],
        [2, "推行图文解读。", "区政府办公室", "2024年12月底前", "无"]]})
    (ts,) = read_plan(path, columns=parse_columns("责任科室=牵头单位,备注=不读")).sheets
    assert {c.field: c.letter for c in ts.column_map} == {"seq": "A", "requirement": "B", "lead": "C",
                                                          "deadline": "D"}
    assert [t.progress for t in ts.tasks] == [None, None]
    assert [t.leads_written for t in ts.tasks] == [("区财政局",), ("区政府办公室",)]


@pytest.mark.parametrize("spec, said", [
    ("推进举措=具体措施x", "“推进举措=具体措施x”中的“具体措施x”不是可以读的字段。可用的字段：序号、工作任务、具体任务、具体要求、"
                          "责任单位、牵头单位、配合单位、完成时限、状态、进展情况、完成日期、任务编号、截止日期、区县、责任领导、不读"),
    ("推进举措", "“推进举措”写法不对：每项写成 表头=字段 或 列号=字段"),
    ("C=具体要求,C=牵头单位", "“C”写了两次"),
])
def test_bad_columns_spec_is_one_chinese_line(tmp_path, spec, said):
    path = unknown_headers(tmp_path / "a.xlsx")
    for command in (["inspect", path], ["validate", path], ["merge", path, "-o", tmp_path / "汇总.xlsx"]):
        result = run(*command, "--columns", spec)
        assert result.exit_code == 2
        assert result.output.count("\n") == 1 and result.output.startswith("错误：--columns 的值无效：")
        assert said in result.output
    assert not (tmp_path / "汇总.xlsx").exists()


def test_save_columns_needs_columns(tmp_path):
    result = run("inspect", unknown_headers(tmp_path / "a.xlsx"), "--save-columns")
    assert result.exit_code == 2 and "--save-columns 要和 --columns 一起用" in result.output


def test_saved_mapping_serves_the_folder(tmp_path):
    """Fixed once with inspect --save-columns (by column letter), the map is saved by header
    text, so a file of the folder with the columns in another order is read right too; merge
    and validate of the folder use it and say so."""
    folder = tmp_path / "各科室"
    folder.mkdir()
    first = unknown_headers(folder / "2024年历城区任务分工.xlsx")
    unknown_headers(folder / "2024年历城区任务分工（补充）.xlsx", order=(0, 1, 3, 2, 5, 4))   # 推进举措 in D
    saved = run("inspect", first, "--columns", "C=具体要求,D=牵头单位", "--save-columns")
    assert saved.exit_code == 0
    assert f"已保存列对应：{folder / SAVED_NAME}" in saved.output
    data = json.loads((folder / SAVED_NAME).read_text(encoding="utf-8"))
    assert data["列对应"] == {"推进举措": "具体要求", "责任股室": "牵头单位"}

    shown = run("inspect", folder / "2024年历城区任务分工（补充）.xlsx").output
    assert f"列对应（哪一列读作哪个字段），按 {folder / SAVED_NAME} 指定" in shown
    assert "具体要求    D     推进举措            按列对应“推进举措=具体要求”指定" in shown

    checked = run("validate", *sorted(folder.glob("*.xlsx")))
    assert checked.output.count(f"本表的列按 {folder / SAVED_NAME} 读取：推进举措→具体要求、责任股室→牵头单位。") == 2

    out = tmp_path / "汇总.xlsx"
    merged = run("merge", folder, "-o", out)
    assert merged.exit_code == 1, merged.output          # the example sheet's own errors (README: 1 = errors)
    assert "2 个错误" in merged.output
    assert f"列对应：2 个文件按指定的列读取（{folder / SAVED_NAME}）" in merged.output
    assert "已跳过" not in merged.output        # the map itself is no input
    ws = openpyxl.load_workbook(out)["汇总"]
    rows = list(ws.iter_rows(values_only=True))
    head = rows[0]
    got = sorted((r[head.index("具体要求")], r[head.index("牵头单位")]) for r in rows[1:])
    assert got == sorted([(t[2], t[3]) for t in TASKS] * 2)
    issues = [r for r in openpyxl.load_workbook(out)["问题清单"].iter_rows(values_only=True)]
    assert sum("columns-given" in r for r in issues) == 2

    # deleting the file gives the folder back to the reader
    (folder / SAVED_NAME).unlink()
    assert all(t.requirement is None for t in read_plan(first).tasks)


def test_a_broken_saved_mapping_is_named(tmp_path):
    path = unknown_headers(tmp_path / "a.xlsx")
    (tmp_path / SAVED_NAME).write_text('{"列对应": {"推进举措": "具体要求x"}}', encoding="utf-8")
    result = run("inspect", path)
    assert result.exit_code == 2
    assert f"列对应文件无法读取：{tmp_path / SAVED_NAME}（“推进举措=具体要求x”中的“具体要求x”不是可以读的字段" in result.output
    (tmp_path / SAVED_NAME).write_text("{", encoding="utf-8")
    with pytest.raises(ColumnsError, match="不是有效的 JSON"):
        read_plan(path)


# ---------------------------------------------------------------- the reader unsure

def doubts(path) -> set[tuple[str, str]]:
    return {(f.code, f.cell) for f in validate_plan(read_plan(path)) if f.code.startswith("columns-")}


def test_requirement_column_of_numbers(tmp_path):
    """A target ledger: 目标任务 (a requirement word) holds the targets as numbers, the
    measures are in 具体措施 to its right, which the reader leaves (one requirement column)."""
    rows = [TITLE, ["序号", "任务名称", "目标任务", "具体措施", "责任单位", "完成时限"]]
    rows += [[i, "营商环境", v, f"第{i}项措施：落实惠企政策，做好解读。", "区财政局", "2024年12月底前"]
             for i, v in enumerate([95, "98%", 3000, 12.5, 100], start=1)]
    assert doubts(write_xlsx(tmp_path / "a.xlsx", {"S": rows})) == {("columns-unsure-requirement", "C2")}
    fixed = read_plan(tmp_path / "a.xlsx", columns=parse_columns("目标任务=不读,具体措施=具体要求"))
    assert [t.requirement for t in fixed.tasks][0] == "第1项措施：落实惠企政策，做好解读。"


def test_unit_column_of_sentences(tmp_path):
    """责任主体 holds what each unit must do; the units are under 承办科室, unknown."""
    rows = [TITLE, ["序号", "工作任务", "具体要求", "责任主体", "承办科室", "完成时限"]]
    rows += [[i, "政策公开", "集中发布惠企政策清单。", "压实主体责任，建立工作台账，按月调度推进落实情况并及时报送", unit,
              "2024年12月底前"] for i, unit in enumerate(["区财政局", "区审计局", "区司法局", "区民政局"], start=1)]
    path = write_xlsx(tmp_path / "a.xlsx", {"S": rows})
    assert doubts(path) == {("columns-unsure-units", "D2")}
    plan = read_plan(path, columns=parse_columns("责任主体=不读,承办科室=责任单位"))
    assert [t.leads_written for t in plan.tasks] == [("区财政局",), ("区审计局",), ("区司法局",), ("区民政局",)]


def test_deadline_column_not_found(tmp_path):
    """计划完成 holds the deadlines (real dates and phrases); no header word says so."""
    rows = [TITLE, ["序号", "工作任务", "具体要求", "责任单位", "计划完成"]]
    rows += [[i, "政策公开", "集中发布惠企政策清单。", "区财政局", d]
             for i, d in enumerate([dt.date(2024, 6, 30), "2024年9月底前", "12月底前", dt.date(2024, 3, 31)], 1)]
    path = write_xlsx(tmp_path / "a.xlsx", {"S": rows})
    assert doubts(path) == {("columns-unsure-deadline", "E2")}
    plan = read_plan(path, columns=parse_columns("E=完成时限"))
    assert [t.due for t in plan.tasks] == [dt.date(2024, 6, 30), dt.date(2024, 9, 30), dt.date(2024, 12, 31),
                                           dt.date(2024, 3, 31)]


def test_no_doubts_on_the_examples():
    for path in (TIANQIAO, CHANGQING):
        assert doubts(path) == set()


def test_readme_example_runs_as_shown(tmp_path, monkeypatch):
    """README's 列对应 example: each command run on a copy of docs/列对应示例, each line shown
    (… stands for lines left out) is a line of its real output, in order."""
    import re
    import shlex
    import shutil

    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("### 读错了列怎么办：列对应", 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    shutil.copytree(ROOT / "docs" / "列对应示例", tmp_path / "示例")
    monkeypatch.chdir(tmp_path / "示例")
    commands = re.split(r"^\$ xltools ", block, flags=re.M)[1:]
    assert len(commands) == 4
    for text in commands:
        command, *shown = text.rstrip("\n").split("\n")
        result = run(*shlex.split(command))
        output = result.output.splitlines()
        at = 0
        for line in shown:
            if line in ("…", ""):
                continue
            assert line in output[at:], (command, line)
            at = output.index(line, at) + 1


def test_unit_column_mostly_empty(tmp_path):
    """责任单位 is there but nearly empty: the units were typed into 备注, which is read as
    the progress.  Said once for the column (besides each task's missing-units error)."""
    rows = [TITLE, ["序号", "具体要求", "责任单位", "完成时限", "备注"]]
    rows += [[i, "集中发布惠企政策清单。", "区财政局" if i == 1 else None, "2024年12月底前", unit]
             for i, unit in enumerate(["区财政局", "区审计局", "区司法局", "区民政局", "区商务局"], start=1)]
    path = write_xlsx(tmp_path / "a.xlsx", {"S": rows})
    assert doubts(path) == {("columns-unsure-no-units", "C2")}
    plan = read_plan(path, columns=parse_columns("责任单位=不读,备注=牵头单位"))
    assert [t.leads_written for t in plan.tasks] == [(u,) for u in ("区财政局", "区审计局", "区司法局", "区民政局",
                                                                      "区商务局")]
    assert not [f for f in validate_plan(plan) if f.code in ("missing-units", "columns-unsure-no-units")]
