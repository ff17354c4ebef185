"""A dry run says what the real run does (issue 24, point 2 and done-when), down to its
exit code; and `validate` on a return says what collect would refuse of it, found by
collect's own checks (issue 24, point 4).  Real workbooks in (merge of the example plan,
returns made by split and filled with openpyxl as a unit would in Excel), the commands run
through the CLI, their JSON and text compared; what was written read back with
python-calamine."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import socket

import openpyxl
import pytest
import python_calamine as pc
from click.testing import CliRunner

from conftest import CHANGQING, TIANQIAO
from xltools.cli.app import cli
from xltools.work.loop import split
from xltools.work.merge import merge
from xltools.write.templates import PROGRESS_SHEET

AS_OF = "2024-12-20"
HEAD_ROW = 3


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], env={"XLTOOLS_LANG": "zh"})


def both(*args):
    """The dry run, then the real run, of the same command on the same files."""
    return run(*args, "--dry-run"), run(*args)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("dry")
    master = base / "汇总.xlsx"
    merge([TIANQIAO], master, as_of=dt.date(2024, 12, 20))
    summary = split(master, base / "下发")
    return base, {label: path for label, path, _, _ in summary.files}


@pytest.fixture
def loop(built, tmp_path):
    base, files = built
    master = tmp_path / "汇总" / "汇总.xlsx"
    master.parent.mkdir()
    shutil.copy(base / "汇总.xlsx", master)
    shutil.copytree(base / "下发", tmp_path / "下发")
    return master, {label: tmp_path / "下发" / path.name for label, path in files.items()}


def type_progress(master, n: int, text: str) -> None:
    """A clerk types progress into the n-th task of the master (in Excel)."""
    wb = openpyxl.load_workbook(master)
    ws = wb["汇总"]
    head = [c.value for c in ws[1]]
    ws.cell(2 + n, head.index("进展情况") + 1).value = text
    wb.save(master)


def counts(text: str) -> tuple[str, ...]:
    """新增 / 删除 / 修改 as a line says them."""
    found = re.search(r"新增 (\d+) 项，删除 (\d+) 项，修改 (\d+) 项", text)
    assert found, text
    return found.groups()


def unit_return(returns: dict, unit: str):
    return next(path for label, path in returns.items() if unit in label)


def lines_of(text: str, mark: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if mark in line]


# ------------------------------------------------------------------ merge

def test_merge_dry_run_exits_as_the_real_run_and_previews_its_changes(loop, tmp_path):
    master, _ = loop
    other = tmp_path / "另一个汇总表.xlsx"

    # a first merge with the example's own defects: done, with problems (1), the same rows rejected
    dry, real = both("merge", TIANQIAO, "-o", other, "--as-of", AS_OF)
    assert dry.exit_code == real.exit_code == 1, (dry.output, real.output)
    assert dry.stdout.startswith("预览（没有写入任何文件）：将新建汇总表，共 56 项任务。")
    assert "首次合并：共 56 项任务" in real.output
    assert lines_of(dry.output, "剔除：") == lines_of(real.output, "剔除：") != []
    assert "合并后问题清单将有 26 条：3 个错误" in dry.output and "问题清单共 26 条：3 个错误" in real.output

    # merging again, nothing changed: the same counts and the same code
    dry, real = both("merge", TIANQIAO, "-o", other, "--as-of", AS_OF, "--json")
    before, after = json.loads(dry.output), json.loads(real.output)
    assert dry.exit_code == real.exit_code == before["exit_code"] == after["exit_code"] == 1
    assert before["dry_run"] is True and before["refused"] is None
    for part in ("rows", "issue_counts", "files", "rejected"):
        assert before[part] == after[part], part
    assert {k: before["changes"][k] for k in ("tasks", "added", "removed", "changed")} == \
           {k: after["changes"][k] for k in ("tasks", "added", "removed", "changed")}


def test_merge_dry_run_of_a_harmful_merge_exits_2_like_the_refusal(loop):
    master, _ = loop
    type_progress(master, 3, "已报送材料")
    typed = master.read_bytes()

    dry, real = both("merge", CHANGQING, "-o", master, "--as-of", AS_OF)
    assert dry.exit_code == real.exit_code == 2, (dry.output, real.output)
    assert master.read_bytes() == typed
    assert "实际运行时需加 --replace" in dry.output and "因此没有写入" in real.output
    refused = [line for line in lines_of(real.output, " 第 ") if "项：" in line]
    assert refused and all(line in dry.output for line in refused)       # the tasks the refusal names
    assert "（已填写：进展情况）" in dry.output

    dry = run("merge", CHANGQING, "-o", master, "--as-of", AS_OF, "--dry-run", "--json")
    assert dry.exit_code == 2 and json.loads(dry.output)["refused"]["error"] == "merge-would-remove"

    # told to replace: both go ahead, with the same code and the counts the dry run said
    dry, real = both("merge", CHANGQING, "-o", master, "--as-of", AS_OF, "--replace")
    assert dry.exit_code == real.exit_code != 2, (dry.output, real.output)
    assert counts(dry.output) == counts(real.output)
    assert "已报送材料" not in {v for row in pc.CalamineWorkbook.from_path(str(master))
                                .get_sheet_by_name("汇总").to_python() for v in row}


@pytest.mark.parametrize("held", ["lock", "excel"])
def test_merge_and_collect_dry_runs_stop_like_the_real_run_on_a_held_master(loop, held):
    master, returns = loop
    lock = master.with_name(master.name + ".lock") if held == "lock" else master.with_name("~$" + master.name)
    lock.write_text(f"{os.getpid()}\n{socket.gethostname()}\n" if held == "lock" else "")   # a live holder
    before = master.read_bytes()
    ret = unit_return(returns, "区财政局")

    for args in (("merge", TIANQIAO, "-o", master, "--as-of", AS_OF), ("collect", ret, "--into", master)):
        dry, real = both(*args)
        assert dry.exit_code == real.exit_code == 2, (args[0], dry.output, real.output)
        assert lock.name in dry.output and lock.name in real.output
        assert "实际运行时会停止，不写入任何文件" in dry.output
        assert dry.stdout.startswith("预"), dry.output       # the preview is still shown
    assert master.read_bytes() == before
    lock.unlink()


# ------------------------------------------------------------------ collect and split

def test_collect_dry_run_exits_as_the_real_run(loop):
    master, returns = loop
    ret = unit_return(returns, "区财政局")
    dry, real = both("collect", ret, "--into", master)     # nothing typed: nothing to write, no problem
    assert dry.exit_code == real.exit_code == 0, (dry.output, real.output)

    fill(ret, {0: {"进展情况": "已完成预算公开"}, 1: {"状态": "搁置"}})
    dry, real = both("collect", ret, "--into", master)
    assert dry.exit_code == real.exit_code == 1, (dry.output, real.output)
    problems = lines_of(dry.output, "搁置")
    assert problems and problems == lines_of(real.output, "搁置")


def test_split_dry_run_exits_as_the_real_run(loop, tmp_path):
    master, _ = loop
    folder = tmp_path / "新下发"
    dry, real = both("split", master, "-o", folder)
    assert dry.exit_code == real.exit_code == 0, (dry.output, real.output)
    assert lines_of(dry.output, "→") == lines_of(real.output, "→") != []

    (folder / "别人的文件.xlsx").write_bytes(b"not ours")
    dry, real = both("split", master, "-o", folder, "--no-new-folder")
    assert dry.exit_code == real.exit_code == 2, (dry.output, real.output)
    assert dry.output == real.output and "别人的文件.xlsx" in real.output


# ------------------------------------------------------------------ validate on a return

def fill(path, values: dict[int, dict[str, object]], *, merge_cells: list[tuple[int, str, str]] = (),
         swap: tuple[int, int] | None = None):
    """Type into a return as a unit does in Excel: values by task (0-based) and header,
    cells merged (task, first header, last header), two task rows swapped whole.  Gives
    where(task, header): the cell as Excel names it."""
    from openpyxl.utils import get_column_letter

    wb = openpyxl.load_workbook(path)
    ws = wb[PROGRESS_SHEET]
    ws.protection.sheet = False
    head = {ws.cell(HEAD_ROW, c).value: c for c in range(1, ws.max_column + 1)}
    rows = [r for r in range(HEAD_ROW + 1, ws.max_row + 1) if ws.cell(r, head["任务编号"]).value]
    for n, typed in values.items():
        for header, value in typed.items():
            ws.cell(rows[n], head[header]).value = value
    for n, first, last in merge_cells:
        ws.merge_cells(start_row=rows[n], start_column=head[first], end_row=rows[n], end_column=head[last])
    if swap:
        a, b = (rows[n] for n in swap)
        for c in range(1, ws.max_column + 1):
            ws.cell(a, c).value, ws.cell(b, c).value = ws.cell(b, c).value, ws.cell(a, c).value
    wb.save(path)
    return lambda n, header: f"{get_column_letter(head[header])}{rows[n]}"


def collect_findings(findings: list[dict]) -> set[tuple]:
    return {(f["code"], f["severity"], f["cell"], f["value"]) for f in findings if f["code"].startswith("collect-")}


def test_validate_on_a_return_finds_what_collect_refuses(loop):
    master, returns = loop
    label, ret = next((label, p) for label, p in returns.items() if "街道" in label)
    where = fill(ret, {0: {"完成日期": "2024年2月30日"},              # impossible
                     1: {"完成日期": "已于5月完成"},                # text in the date cell
                     2: {"状态": "已完成"},                        # 已完成 without a date
                     3: {"状态": "搁置"},                          # outside the list, unclear
                     4: {"状态": "办结", "完成日期": dt.datetime(2024, 6, 30)},   # mapped: noted, taken
                     5: {"进展情况": "进展和日期写在了合并的单元格中"},
                     6: {"进展情况": "正常推进"}},
               merge_cells=[(5, "进展情况", "完成日期")], swap=(7, 8))

    checked = run("validate", ret, "--notes", "--json")
    assert checked.exit_code == 1, checked.output
    found = collect_findings(json.loads(checked.output)["findings"])
    dry = run("collect", ret, "--into", master, "--dry-run", "--json")
    assert dry.exit_code == 1, dry.output
    # a task led by a collective (各街道办事处): the return's 下发底稿 lists every member it went to, so
    # validate, like collect, says its 已完成 waits for them
    refused = collect_findings(json.loads(dry.output)["findings"])

    assert found == refused                               # same codes, cells, values: same reasons
    assert {(code, cell, value) for code, severity, cell, value in found if severity == "error"} == {
        ("collect-impossible-date", where(0, "完成日期"), "2024年2月30日"),
        ("collect-not-a-date", where(1, "完成日期"), "已于5月完成"),
        ("collect-done-without-date", where(2, "状态"), "已完成"),
        ("collect-unknown-status", where(3, "状态"), "搁置"),
        ("collect-merged-cells", where(5, "进展情况"), "进展和日期写在了合并的单元格中"),
        ("collect-merged-cells", where(5, "完成日期"), "进展和日期写在了合并的单元格中")}   # the reader fills merges
    assert {code for code, severity, *_ in found if severity == "info"} == {"collect-status-mapped",
                                                                            "collect-rows-moved",
                                                                            "collect-leads-done-partly"}

    # the text a unit reads: Chinese, each problem at its cell; the master untouched by both
    text = run("validate", ret)
    assert text.exit_code == 1
    for cell, words in ((where(0, "完成日期"), "不是有效日期（2月30日）"), (where(3, "状态"), "状态“搁置”不是可选的写法"),
                        (where(2, "状态"), "没有有效的完成日期")):
        assert any(f"!{cell}" in line and words in line for line in text.output.splitlines()), (cell, text.output)
    assert "办结" not in text.output                          # a note, shown with --notes


def test_validate_on_an_untouched_return_adds_nothing_and_a_plan_is_checked_as_before(loop):
    _, returns = loop
    ret = unit_return(returns, "区财政局")
    assert collect_findings(json.loads(run("validate", ret, "--notes", "--json").output)["findings"]) == set()
    plan = json.loads(run("validate", TIANQIAO, "--notes", "--json").output)
    assert collect_findings(plan["findings"]) == set() and plan["stats"]["files"] == 1
