"""Returns are precious (issue 24 point 3): split never overwrites a return a unit filled
in, nor any file it did not write; it replaces and cleans only its own untouched files,
and `split --dry-run` says exactly what the real run then does.

Real files: the examples merged, split, returns filled with openpyxl as a unit's Excel
would, split again; the folders compared file by file and read back with openpyxl."""
from __future__ import annotations

import json
import os
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from conftest import CHANGQING, TIANQIAO
from xltools.cli.app import cli
from xltools.work import sentfolder
from xltools.work.loop import LoopError, split
from xltools.work.merge import merge


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


@pytest.fixture(scope="module")
def master(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("master") / "汇总.xlsx"
    merge([TIANQIAO, CHANGQING], path)
    return path


def visible(folder: Path) -> dict[str, bytes]:
    """The files a person sees in `folder` (not its sub-folders), with their bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and not p.name.startswith(".")}


def fill(path: Path, text: str) -> str:
    """A unit types its progress into the first task row of its return and saves; the key."""
    wb = openpyxl.load_workbook(path)
    ws = wb["进展报送"]
    head = {ws.cell(3, c).value: c for c in range(1, ws.max_column + 1)}
    row = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, head["任务编号"]).value)
    ws.cell(row, head["进展情况"]).value = text
    wb.save(path)
    return ws.cell(row, head["任务编号"]).value


def typed(path: Path) -> list:
    ws = openpyxl.load_workbook(path)["进展报送"]
    head = {ws.cell(3, c).value: c for c in range(1, ws.max_column + 1)}
    return [ws.cell(r, head["进展情况"]).value for r in range(4, ws.max_row + 1) if ws.cell(r, head["进展情况"]).value]


def test_split_again_over_filled_returns_keeps_them_byte_for_byte(master, tmp_path):
    out = tmp_path / "下发"
    first = split(master, out)
    names = sorted(p.name for _, p, _, _ in first.files)
    assert sorted(visible(out)) == names and (out / sentfolder.MANIFEST).is_file()
    filled = [out / names[0], out / names[3]]
    fill(filled[0], "已完成初稿，报区政府审定")
    fill(filled[1], "正在推进")
    before = visible(out)

    again = split(master, out)
    assert visible(out) == before                                   # every file of the folder, byte for byte
    assert typed(filled[0]) == ["已完成初稿，报区政府审定"] and typed(filled[1]) == ["正在推进"]
    new = again.folder
    assert new.parent == out and new.name.startswith("下发-") and again.plan.new_folder
    assert sorted(visible(new)) == names                            # the whole split, and nothing else
    assert sorted(again.plan.protected) == sorted(p.name for p in filled)
    line = again.message().splitlines()[0]
    assert line.startswith(f"{out} 中有 2 个文件在拆分后被改动过或不是拆分生成的（") and filled[0].name in line
    assert line.endswith(f"本次报送表写入新文件夹 {new.name}。")

    third = split(master, out)                                       # the same day: the untouched sub-folder again
    assert third.folder == new and visible(out) == before


def test_a_rerun_over_untouched_returns_replaces_them_and_leaves_no_stale_file(master, tmp_path):
    out = tmp_path / "下发"
    by_district = split(master, out, by="district")                 # 2 returns, then 147: 149 files before
    by_lead = split(master, out, by="lead-unit")
    assert len(by_district.files) == 2 and len(by_lead.files) > 100
    assert by_lead.folder == out and not by_lead.plan.protected
    assert sorted(visible(out)) == sorted(p.name for _, p, _, _ in by_lead.files)   # no mix of the two runs
    assert sorted(by_lead.cleaned) == sorted(p.name for _, p, _, _ in by_district.files)
    back = split(master, out, by="district")
    assert sorted(visible(out)) == sorted(p.name for _, p, _, _ in by_district.files)
    assert len(back.cleaned) == len(by_lead.files)
    manifest = json.loads((out / sentfolder.MANIFEST).read_text(encoding="utf-8"))["files"]
    assert sorted(manifest) == sorted(visible(out))


def test_a_touched_folder_gets_no_mix_either(master, tmp_path):
    out = tmp_path / "下发"
    by_district = split(master, out, by="district")
    fill(by_district.files[0][1], "已完成")
    by_lead = split(master, out, by="lead-unit")
    assert sorted(visible(by_lead.folder)) == sorted(p.name for _, p, _, _ in by_lead.files)
    assert sorted(visible(out)) == sorted(p.name for _, p, _, _ in by_district.files)  # nothing cleaned beside a return


def test_a_file_split_did_not_write_is_protected(master, tmp_path):
    out = tmp_path / "下发"
    out.mkdir()
    (out / "区财政局（已填报）.xlsx").write_bytes(b"returned by mail")
    summary = split(master, out)
    assert summary.plan.protected == ["区财政局（已填报）.xlsx"] and summary.folder != out
    assert visible(out) == {"区财政局（已填报）.xlsx": b"returned by mail"}


def test_no_new_folder_refuses_in_one_line_and_writes_nothing(master, tmp_path):
    out = tmp_path / "下发"
    first = split(master, out)
    fill(first.files[1][1], "已完成")
    before = visible(out)
    result = run("split", master, "-o", out, "--no-new-folder")
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    assert result.output.startswith(f"错误：没有写入：{out} 中有 1 个文件在拆分后被改动过或不是拆分生成的（"
                                    f"{first.files[1][1].name}）")
    assert visible(out) == before and [p for p in out.iterdir() if p.is_dir()] == []
    with pytest.raises(LoopError):
        split(master, out, no_new_folder=True)


def test_a_return_changed_while_split_runs_is_not_overwritten(master, tmp_path, monkeypatch):
    out = tmp_path / "下发"
    first = split(master, out)
    victim = first.files[2][1]
    planned = sentfolder.plan_folder

    def plan_then_someone_saves(*args, **kwargs):
        plan = planned(*args, **kwargs)
        fill(victim, "刚刚保存")               # a unit's save between split's look and its write
        return plan

    monkeypatch.setattr("xltools.work.split.plan_folder", plan_then_someone_saves)
    with pytest.raises(LoopError) as err:
        split(master, out)
    assert err.value.key == "split-file-changed"
    assert typed(victim) == ["刚刚保存"]
    assert not [n for n in os.listdir(out) if n.startswith(".~xltools-")]


# ------------------------------------------------------------------ --dry-run equals the real run

def _scenario(master: Path, out: Path, case: str) -> None:
    if case == "empty":
        return
    first = split(master, out, by="district" if case == "other-split" else "lead-unit")
    if case == "filled":
        fill(first.files[0][1], "已完成")
    if case == "foreign":
        (out / "说明.txt").write_text("请各单位按时报送", encoding="utf-8")


@pytest.mark.parametrize("case", ["empty", "same", "other-split", "filled", "foreign"])
def test_dry_run_says_what_the_real_run_does(master, tmp_path, case):
    out = tmp_path / "下发"
    _scenario(master, out, case)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} if out.exists() else {}
    result = run("split", master, "-o", out, "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    preview = json.loads(result.output)
    after_preview = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} if out.exists() else {}
    assert after_preview == before and preview["dry_run"] is True            # nothing written, nothing removed

    real = run("split", master, "-o", out, "--json")
    assert real.exit_code == 0, real.output
    done = json.loads(real.output)
    assert preview["plan"] == done["plan"] and preview["files"] == done["files"]
    folder = Path(done["plan"]["folder"])
    assert sorted(visible(folder)) == sorted(done["plan"]["write"])
    for name in done["plan"]["clean"]:
        assert not (folder / name).exists()
    for name in done["plan"]["protected"]:
        assert (out / name).read_bytes() == before[out / name]
    assert (folder != out) == bool(done["plan"]["protected"]) == (case in ("filled", "foreign"))


def test_dry_run_in_words(master, tmp_path):
    out = tmp_path / "下发"
    first = split(master, out, by="district")
    fill(first.files[0][1], "已完成")
    result = run("split", master, "-o", out, "--dry-run")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{out} 中有 1 个文件在拆分后被改动过或不是拆分生成的")
    assert lines[1].startswith("预览（没有写入任何文件）：将在 ") and "下发-" in lines[1]
    assert f"  不动：{first.files[0][1].name}" in lines
