"""Nothing typed is lost and no merge dies for one file (issue 24 points 6–7, issue 27
point 6): a reading process that dies costs its file only; a district file that cannot
be read keeps its tasks (typed values too) until it reads again; every writer takes the
same lock and replaces a workbook only if nobody changed it since it was read.  Real
files in and out, read back with openpyxl."""
from __future__ import annotations

import faulthandler
import os
import resource
import socket
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import xltools.read
from xltools.cli.app import cli
from xltools.work import merge as merge_module
from xltools.work import pool as pool_module
from xltools.work.flag import flag_file
from xltools.work.merge import NothingToMerge, collect_inputs, merge
from xltools.work.returns import MasterTable
from xltools.write.files import FileChanged, OutputLocked, editing, output_lock

from test_merge import district_book, sha

DISTRICTS = ["天桥区", "历下区", "市中区", "槐荫区", "历城区", "长清区", "章丘区", "济阳区"]


def district_file(folder: Path, district: str, tasks: int = 3, word: str = "公开") -> Path:
    rows = [[n, f"{district}第{n}项{word}工作", f"做好{district}第{n}项{word}", "区财政局", "2024年12月底前", None]
            for n in range(1, tasks + 1)]
    return district_book(folder / f"2024年{district}任务.xlsx", rows,
                         title=f"2024年{district}政务公开重点工作任务分解表")


def sheet_rows(path: Path, name: str) -> list[dict]:
    """A sheet of the master as {header: value} rows (openpyxl, the second reader)."""
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = list(wb[name].iter_rows(values_only=True))
    finally:
        wb.close()
    head = rows[0]
    return [dict(zip(head, r)) for r in rows[1:] if any(v is not None for v in r)]


def issues(path: Path) -> list[dict]:
    return sheet_rows(path, "问题清单")


def log(path: Path) -> dict[str, dict]:
    """合并记录's file lines, by file name (openpyxl in full mode: in read-only mode it
    stops at the empty <row> the frame writer leaves before the pasted rows)."""
    rows = list(openpyxl.load_workbook(path)["合并记录"].iter_rows(values_only=True))
    top = next(i for i, r in enumerate(rows) if r and r[0] == "文件")
    return {Path(str(r[0])).name: dict(zip(rows[top], r)) for r in rows[top + 1:] if r and r[0]}


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


# ------------------------------------------------------------------ a reading process that dies

@pytest.fixture
def aborting_reader(monkeypatch):
    """read_plan that kills its process (as a crash inside a native reader would) on files
    named 坏*.xlsx — only in a reading process: the test's own process must survive."""
    parent, real = os.getpid(), xltools.read.read_plan

    def read_plan(path, *args, **kwargs):
        if Path(path).name.startswith("坏"):
            if os.getpid() == parent:
                raise AssertionError("a file that kills its reader was read in the merge's own process")
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))   # no core file
            faulthandler.disable()                              # nor pytest's stack dump of the child
            os.abort()
        return real(path, *args, **kwargs)

    monkeypatch.setattr(xltools.read, "read_plan", read_plan)


def test_a_reader_that_aborts_costs_only_its_file(tmp_path, aborting_reader):
    folder = tmp_path / "各区"
    folder.mkdir()
    for district in DISTRICTS:
        district_file(folder, district, tasks=4)
    (folder / "坏1.xlsx").write_bytes((folder / "2024年天桥区任务.xlsx").read_bytes())
    (folder / "坏2.xlsx").write_bytes((folder / "2024年历下区任务.xlsx").read_bytes())
    out = tmp_path / "汇总.xlsx"
    result = run("merge", folder, "-o", out)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    rows = sheet_rows(out, "汇总")
    assert len(rows) == 4 * len(DISTRICTS)                                   # every other file's every row
    assert {r["区县"] for r in rows} == set(DISTRICTS)
    dead = "读取该文件的进程意外退出（可能文件已损坏）"
    for name in ("坏1.xlsx", "坏2.xlsx"):
        assert log(out)[name]["结果"] == "读取失败" and dead in log(out)[name]["原因"]
        assert any(i["文件"].endswith(name) and i["级别"] == "错误" and dead in i["说明"] for i in issues(out))
        assert f"无法读取：{folder / name}：{dead}" in result.output
    assert all(line["结果"] == "已合并" for name, line in log(out).items() if not name.startswith("坏"))


def test_without_a_process_pool_one_bad_file_still_loses_only_itself(tmp_path, monkeypatch):
    """A sandbox without processes: read here, and a fatal error of one file stays its own."""
    class NoPool:
        def __init__(self, *a, **k):
            raise OSError(38, "Function not implemented")

    real = xltools.read.read_plan

    def read_plan(path, *args, **kwargs):
        if Path(path).name.startswith("坏"):
            raise MemoryError()
        return real(path, *args, **kwargs)

    monkeypatch.setattr(pool_module, "ProcessPoolExecutor", NoPool)
    monkeypatch.setattr(xltools.read, "read_plan", read_plan)
    for district in DISTRICTS[:5]:
        district_file(tmp_path, district)
    (tmp_path / "坏.xlsx").write_bytes((tmp_path / "2024年天桥区任务.xlsx").read_bytes())
    summary = merge([tmp_path], tmp_path / "out" / "汇总.xlsx")
    assert summary.rows_merged == 15 and [Path(f).name for f, _ in summary.files_failed] == ["坏.xlsx"]


def test_a_pool_that_cannot_start_its_processes_falls_back_to_this_process(tmp_path, monkeypatch):
    def dies_at_start(*args):
        os._exit(3)

    monkeypatch.setattr(pool_module, "_worker_start", dies_at_start)
    for district in DISTRICTS[:6]:
        district_file(tmp_path, district)
    summary = merge([tmp_path], tmp_path / "out" / "汇总.xlsx", jobs=2)
    assert summary.rows_merged == 18 and not summary.files_failed


# ------------------------------------------------------------------ a district that could not be read keeps its tasks

def type_into_master(out: Path, district: str, progress: str) -> None:
    """What people do in the master: 状态 and 进展情况 on one district's tasks, and a
    column of their own (督办意见)."""
    wb = openpyxl.load_workbook(out)
    ws = wb["汇总"]
    head = [c.value for c in ws[1]]
    col = {h: i + 1 for i, h in enumerate(head)}
    ws.cell(1, ws.max_column + 1, "督办意见")
    extra = ws.max_column
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, col["区县"]).value == district:
            ws.cell(r, col["状态"], "正在推进")
            ws.cell(r, col["进展情况"], f"{progress}{ws.cell(r, col['序号']).value}")
            ws.cell(r, extra, "请加快")
    wb.save(out)


def test_an_unreadable_district_keeps_its_tasks_and_typed_values_until_it_reads_again(tmp_path):
    folder = tmp_path / "各区"
    folder.mkdir()
    files = {d: district_file(folder, d, tasks=3) for d in DISTRICTS[:3]}
    out = tmp_path / "汇总.xlsx"
    assert run("merge", folder, "-o", out).exit_code == 0
    type_into_master(out, "历下区", "已完成调研")
    good = files["历下区"].read_bytes()
    files["历下区"].write_bytes(b"")                      # still being copied to the share: 0 bytes

    result = run("merge", folder, "-o", out)
    assert result.exit_code == 1, result.output
    assert "无法读取的文件在汇总表中原有的 3 项任务照旧保留" in result.output
    rows = sheet_rows(out, "汇总")
    lixia = [r for r in rows if r["区县"] == "历下区"]
    assert len(rows) == 9 and len(lixia) == 3
    assert [(r["状态"], r["进展情况"], r["督办意见"]) for r in lixia] == \
        [("正在推进", f"已完成调研{n}", "请加快") for n in (1, 2, 3)]
    assert {r["具体要求"] for r in lixia} == {f"做好历下区第{n}项公开" for n in (1, 2, 3)}
    assert all(r["来源文件"] == "2024年历下区任务.xlsx" for r in lixia)       # its name; 合并记录 has the path
    assert {r["source_file"] for r in MasterTable.read(out).rows if r["district"] == "历下区"} == {
        "各区/2024年历下区任务.xlsx"}
    kept = [i for i in issues(out) if i["代码"] == "not-refreshed"]
    assert len(kept) == 1 and kept[0]["级别"] == "警告" and kept[0]["文件"] == "各区/2024年历下区任务.xlsx"
    assert "保留了它上次合并的 3 项任务" in kept[0]["说明"] and "未更新" in kept[0]["说明"]
    assert "空的" in kept[0]["说明"]                         # the reason it could not be read
    line = log(out)["2024年历下区任务.xlsx"]
    assert line["结果"] == "读取失败" and "保留了它上次的 3 项任务" in line["原因"] and "未更新" in line["原因"]
    assert not [c for c in sheet_rows(out, "变更") if c.get("变更类型") == "删除"]

    # fixed (and edited meanwhile): refreshed from the file, the typed values still there
    files["历下区"].write_bytes(good)
    district_file(folder, "历下区", tasks=3, word="公开")
    wb = openpyxl.load_workbook(files["历下区"])
    wb.active.cell(3, 5, "2024年11月底前")
    wb.save(files["历下区"])
    result = run("merge", folder, "-o", out)
    assert result.exit_code == 0, result.output
    lixia = [r for r in sheet_rows(out, "汇总") if r["区县"] == "历下区"]
    assert [(r["完成时限"], r["进展情况"], r["督办意见"]) for r in lixia] == \
        [("2024年11月底前", "已完成调研1", "请加快"), ("2024年12月底前", "已完成调研2", "请加快"),
         ("2024年12月底前", "已完成调研3", "请加快")]
    assert not [i for i in issues(out) if i["代码"] == "not-refreshed"]
    assert log(out)["2024年历下区任务.xlsx"]["结果"] == "已合并"


def test_a_kept_same_as_above_deadline_is_warned_as_the_row_above(tmp_path):
    """A re-merge that keeps an unreadable district's rows writes their 预警 again: a
    完成时限 saying 同上 is judged by the deadline of the row above in that district's
    sheet (rules.deadlines.deadline_texts, as the reader and the circular take it), and
    still says 同上."""
    import re
    import datetime as dt

    folder = tmp_path / "各区"
    folder.mkdir()
    district_file(folder, "天桥区", tasks=1)
    lixia = district_book(folder / "2024年历下区任务.xlsx",
                          [[1, "甲", "做好甲", "区财政局", "2024年6月底前", None],
                           [2, "乙", "做好乙", "区财政局", "同上", None],
                           [3, "丙", "做好丙", "区财政局", "长期坚持", None],
                           [4, "丁", "做好丁", "区财政局", "同上", None]],
                          title="2024年历下区政务公开重点工作任务分解表")
    out = tmp_path / "汇总.xlsx"

    def warnings() -> list[tuple[str, str]]:
        """历下区's (完成时限, 预警 formula with its own row number taken out), openpyxl."""
        ws = openpyxl.load_workbook(out)["汇总"]
        col = {c.value: c.column for c in ws[1]}
        return [(ws.cell(r, col["完成时限"]).value, re.sub(rf"(?<=[A-Z]){r}\b", "#", ws.cell(r, col["预警"]).value))
                for r in range(2, ws.max_row + 1) if ws.cell(r, col["区县"]).value == "历下区"]

    merge([folder], out, as_of=dt.date(2024, 6, 20))
    fresh = warnings()
    lixia.write_bytes(b"")                                   # unreadable now: its rows are kept
    summary = merge([folder], out, as_of=dt.date(2024, 6, 20))
    assert summary.rows_kept == 4
    kept = warnings()
    assert [text for text, _ in kept] == ["2024年6月底前", "同上", "长期坚持", "同上"]   # as the district wrote it
    assert kept[1][1] == kept[0][1] and kept[3][1] == kept[2][1]                 # judged as the row above
    assert kept[3][1].endswith('"持续推进")') and 'ISNUMBER(I#)' in kept[1][1]
    assert kept == fresh                                                         # as when the file was read


def test_a_file_deleted_mid_merge_keeps_its_tasks_and_a_file_gone_from_the_inputs_loses_them(tmp_path, monkeypatch):
    folder = tmp_path / "各区"
    folder.mkdir()
    files = {d: district_file(folder, d) for d in DISTRICTS[:3]}
    out = tmp_path / "汇总.xlsx"
    merge([folder], out)
    type_into_master(out, "市中区", "进展")
    real = merge_module.collect_inputs

    def listed_then_deleted(*args, **kwargs):
        found = real(*args, **kwargs)
        files["市中区"].unlink()                          # deleted after the folder was listed
        return found

    monkeypatch.setattr(merge_module, "collect_inputs", listed_then_deleted)
    summary = merge([folder], out)
    assert summary.rows_kept == 3 and summary.rows_merged == 6
    assert [r["进展情况"] for r in sheet_rows(out, "汇总") if r["区县"] == "市中区"] == ["进展1", "进展2", "进展3"]
    monkeypatch.undo()
    # now it is gone from the inputs: its tasks go, but only when the clerk confirms it
    # (people typed progress into them: the preview refuses first, the file unchanged)
    before = out.read_bytes()
    with pytest.raises(merge_module.MergeRefused):
        merge([folder], out)
    assert out.read_bytes() == before
    summary = merge([folder], out, replace=True)
    assert summary.rows_kept == 0 and summary.changes.removed == 3
    assert {r["区县"] for r in sheet_rows(out, "汇总")} == {"天桥区", "历下区"}


def test_a_vanished_input_folder_stops_the_merge_before_anything_is_written(tmp_path):
    a, b = tmp_path / "一组", tmp_path / "二组"
    a.mkdir(), b.mkdir()
    district_file(a, "天桥区"), district_file(b, "历下区")
    out = tmp_path / "汇总.xlsx"
    assert run("merge", a, b, "-o", out).exit_code == 0
    before = sha(out)
    for f in b.iterdir():
        f.unlink()
    b.rmdir()                                             # the share went away
    result = run("merge", a, b, "-o", out)
    assert result.exit_code == 2
    assert result.output == f"错误：找不到要合并的文件或文件夹：{b}。为免删去其中的任务，没有合并，汇总表未改动。" \
                            "请检查路径（共享盘是否连通）。\n"
    assert sha(out) == before and not (tmp_path / "汇总.xlsx.lock").exists()
    with pytest.raises(NothingToMerge):
        merge([b], out)


# ------------------------------------------------------------------ one lock, and no stale copy over a newer file

def test_flag_during_a_merge_is_refused_and_loses_nothing(tmp_path):
    out = tmp_path / "汇总.xlsx"
    merge([district_file(tmp_path, "天桥区")], out)
    before = sha(out)
    with output_lock(out):                                # a merge is writing the master
        result = run("flag", out)
        with pytest.raises(OutputLocked):
            flag_file(out)
    assert result.exit_code == 2
    assert result.output.startswith(f"错误：另一个 xltools 操作（合并、收集、标记预警或写催办）正在写入 {out}")
    assert f"计算机 {socket.gethostname()} 上的进程 {os.getpid()}" in result.output
    assert sha(out) == before and not list(tmp_path.glob("*.bak"))


def test_flag_keeps_its_result_beside_a_file_changed_after_it_was_read(tmp_path, monkeypatch):
    from xltools.work import flag as flag_module

    path = district_file(tmp_path, "天桥区")
    real = flag_module._flag_sheet

    def person_saves_meanwhile(ws, *args):
        wb = openpyxl.load_workbook(path)
        wb.active.cell(3, 6, "已完成")                     # someone's 状态, saved in Excel meanwhile
        wb.save(path)
        return real(ws, *args)

    monkeypatch.setattr(flag_module, "_flag_sheet", person_saves_meanwhile)
    result = run("flag", path)
    assert result.exit_code == 2, result.output
    kept = list(tmp_path.glob("2024年天桥区任务.xltools-结果-*.xlsx"))
    assert len(kept) == 1
    assert result.output == (f"错误：{path} 在本次读取之后被修改过（可能有人在 Excel/WPS 中保存了它）。为免覆盖别人的修改，"
                             f"没有替换它；本次的结果保存在它旁边的 {kept[0].name}。请核对两者，在最新的文件上重新运行。\n")
    assert openpyxl.load_workbook(path).active.cell(3, 6).value == "已完成"          # the person's save stands
    assert "预警" not in [c.value for c in openpyxl.load_workbook(path).active[2]]
    assert "预警" in [c.value for c in openpyxl.load_workbook(kept[0]).active[2]]      # our result, beside it
    # a later merge of the folder does not take the kept result for a district's file
    files, skipped = collect_inputs([tmp_path])
    assert kept[0] not in files and any(p == kept[0] for p, _ in skipped)


def test_a_master_saved_by_a_person_during_a_merge_is_not_overwritten(tmp_path, monkeypatch):
    folder = tmp_path / "各区"
    folder.mkdir()
    for d in DISTRICTS[:2]:
        district_file(folder, d)
    out = tmp_path / "汇总.xlsx"
    merge([folder], out)
    district_file(folder, "市中区")                        # a new district for this merge
    real = merge_module._count_issues

    def person_saves_meanwhile(*args):
        type_into_master(out, "天桥区", "刚填写的进展")     # Excel saves the master after the merge read it
        return real(*args)

    monkeypatch.setattr(merge_module, "_count_issues", person_saves_meanwhile)
    with pytest.raises(FileChanged) as err:
        merge([folder], out)
    theirs = sha(out)
    kept = list(tmp_path.glob("汇总.xltools-结果-*.xlsx"))
    assert len(kept) == 1 and kept[0].name in err.value.message("zh") and err.value.exit_code == 2
    assert [r["进展情况"] for r in sheet_rows(out, "汇总") if r["区县"] == "天桥区"] == \
        ["刚填写的进展1", "刚填写的进展2", "刚填写的进展3"]                         # the person's file, untouched
    assert {r["区县"] for r in sheet_rows(kept[0], "汇总")} == {"天桥区", "历下区", "市中区"}
    assert not out.with_name("汇总.xlsx.lock").exists() and sha(out) == theirs
    monkeypatch.undo()
    summary = merge([folder], out)                       # run again on the newest file: both kept
    assert summary.rows_merged == 9
    assert [r["进展情况"] for r in sheet_rows(out, "汇总") if r["区县"] == "天桥区"] == \
        ["刚填写的进展1", "刚填写的进展2", "刚填写的进展3"]
    assert kept[0].name in {s[0] for s in [(p.name, r) for p, r in collect_inputs([tmp_path], out)[1]]}


@pytest.mark.parametrize("command", ["merge", "flag", "collect"])
def test_an_empty_lock_is_taken_over_at_once(tmp_path, command):
    out = tmp_path / "汇总.xlsx"
    merge([district_file(tmp_path, "天桥区")], out)
    lock = out.with_name("汇总.xlsx.lock")
    lock.write_bytes(b"")                                  # a full disk left it empty
    args = {"merge": ("merge", tmp_path / "2024年天桥区任务.xlsx", "-o", out), "flag": ("flag", out),
            "collect": ("collect", tmp_path / "2024年天桥区任务.xlsx", "--into", out)}[command]
    result = run(*args)
    assert result.exit_code in (0, 1), result.output
    assert "另一个" not in result.output and not lock.exists()
    if command == "merge":
        assert "发现空的锁定文件 汇总.xlsx.lock（没有写明进程，多为磁盘已满时留下），本次接管了它。" in result.output
        assert any(i["代码"] == "lock-empty-taken-over" for i in issues(out))


def test_a_live_lock_is_named_and_a_dead_one_taken_over(tmp_path):
    path = tmp_path / "a.xlsx"
    notes: list = []
    path.with_name("a.xlsx.lock").write_text(f"{os.getpid()}\n{socket.gethostname()}\n")
    with pytest.raises(OutputLocked) as err:
        with editing(path):
            pass
    assert f"进程 {os.getpid()}" in err.value.message("zh")
    child = os.fork()
    if child == 0:
        os._exit(0)
    os.waitpid(child, 0)
    path.with_name("a.xlsx.lock").write_text(f"{child}\n{socket.gethostname()}\n")
    with editing(path, notes) as held:
        assert path.with_name("a.xlsx.lock").read_text() == f"{os.getpid()}\n{socket.gethostname()}\n"
        held.replace(lambda tmp: Path(tmp).write_bytes(b"new"))
    assert notes == [("lock-taken-over", {"lock": "a.xlsx.lock", "pid": str(child), "host": socket.gethostname()})]
    assert path.read_bytes() == b"new" and not path.with_name("a.xlsx.lock").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".~xltools-")]


def test_a_file_created_meanwhile_is_not_replaced(tmp_path):
    path = tmp_path / "新.xlsx"
    with editing(path) as held:
        path.write_bytes(b"someone else's")
        with pytest.raises(FileChanged):
            held.replace(lambda tmp: Path(tmp).write_bytes(b"ours"))
    assert path.read_bytes() == b"someone else's"
    assert [p.read_bytes() for p in tmp_path.glob("新.xltools-结果-*.xlsx")] == [b"ours"]


def test_remind_sheet_checks_the_lock_before_writing_any_reminder(tmp_path):
    from xltools.work.report import remind

    out = tmp_path / "汇总.xlsx"
    merge([district_file(tmp_path, "天桥区")], out)
    before = sha(out)
    with output_lock(out):
        with pytest.raises(OutputLocked):
            remind(out, tmp_path / "催办", sheet=True)
    assert sha(out) == before and not (tmp_path / "催办").exists()
