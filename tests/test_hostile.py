"""Hostile and damaged inputs (issue 10): never a broken master, never a stuck office.

Every case comes from tests/hostile.py (made by code).  Each test runs the real command
(in a subprocess where a crash, a signal or privileges are involved), checks the Chinese
message and the exit code, that no input changed, and that the master opens in openpyxl
(and in LibreOffice) with every row.
"""
from __future__ import annotations

import csv
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import hostile
from lo import convert, needs_soffice
from xltools.cli.app import cli
from xltools.write.cells import MAX_CELL, utf16_len

ROOT = Path(__file__).resolve().parent.parent
SETPRIV = shutil.which("setpriv")


# ------------------------------------------------------------------ helpers

def run(*args) -> "subprocess.CompletedProcess[str]":
    """The command in-process, through click."""
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT), "XLTOOLS_LANG": "zh"}


def _unprivileged() -> list[str]:
    """A prefix that makes the command subject to file permissions even when the tests run as root."""
    if os.geteuid() != 0:
        return []
    if SETPRIV is None:
        pytest.skip("running as root without setpriv: file permissions cannot be tested")
    return [SETPRIV, "--bounding-set=-dac_override,-dac_read_search"]


def cli_process(*args, unprivileged: bool = False, timeout: int = 300) -> subprocess.CompletedProcess:
    prefix = _unprivileged() if unprivileged else []
    proc = subprocess.run(prefix + [sys.executable, "-m", "xltools.cli", *map(str, args)], cwd=ROOT, env=_env(),
                          capture_output=True, text=True, timeout=timeout)
    assert "Traceback" not in proc.stdout + proc.stderr
    return proc


def start(*args) -> subprocess.Popen:
    """The command in its own process group, as a terminal runs it (Ctrl-C reaches the whole group)."""
    return subprocess.Popen([sys.executable, "-m", "xltools.cli", *map(str, args)], cwd=ROOT, env=_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def digests(folder: Path) -> dict[str, str]:
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink() and os.access(path, os.R_OK):
            out[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def master_rows(path: Path) -> list[tuple]:
    """汇总's task rows, read by openpyxl (which refuses XML it cannot parse)."""
    wb = openpyxl.load_workbook(path)
    return [r for r in wb["汇总"].iter_rows(min_row=2, values_only=True) if any(v is not None for v in r)]


def issues(path: Path, code: str | None = None) -> list[tuple]:
    wb = openpyxl.load_workbook(path)
    rows = list(wb["问题清单"].iter_rows(min_row=2, values_only=True))
    return [r for r in rows if code is None or r[4] == code]


def log_rows(path: Path) -> list[tuple]:
    ws = openpyxl.load_workbook(path)["合并记录"]
    return list(ws.iter_rows(min_row=7, values_only=True))


def lo_rows(master: Path, outdir: Path) -> list[list[str]]:
    """汇总 as LibreOffice reads it (it stops at the first cell its XML parser rejects)."""
    out = convert(master, "csv:Text - txt - csv (StarCalc):44,34,76", outdir)
    with open(out, encoding="utf-8") as fh:
        return [r for r in csv.reader(fh)][1:]


def children(pid: int) -> set[int]:
    out = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.add(int(entry.name))
    return out


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def wait_for_progress(proc: subprocess.Popen) -> None:
    """Until the merge has read its first file (progress lines go to stderr, one per file)."""
    line = proc.stderr.readline()
    assert line.startswith("["), line


# ------------------------------------------------------------------ characters and text the master cannot hold

@pytest.mark.parametrize("case", ["illegal_chars_csv", "illegal_chars_xlsx"])
def test_xml_illegal_characters_are_removed_with_a_finding(tmp_path, case):
    folder = tmp_path / "in"
    folder.mkdir()
    source = hostile.CASES[case](folder)
    before = digests(folder)
    master = tmp_path / "汇总.xlsx"
    result = run("merge", folder, "-o", master)
    assert result.exit_code == 0, result.output
    assert digests(folder) == before
    rows = master_rows(master)                   # openpyxl refused the master before
    requirement = [r[4] for r in rows]
    assert "公开预算信息" in requirement
    found = issues(master, "illegal-characters")
    assert found and found[0][2] == "C3"
    assert "U+FFFE、U+FFFF" in found[0][5] and "Excel 不允许的字符" in found[0][5]
    if case == "illegal_chars_csv":
        assert "公开决算\n信息" in requirement      # a vertical tab (Word's line break) becomes a line break
        assert [f[2] for f in found] == ["C3", "C4"]
    assert len(rows) == (4 if case == "illegal_chars_csv" else 3)
    assert source.exists()


def test_collect_after_illegal_characters(tmp_path):
    """collect used to fail with 内部出错 on such a master."""
    folder = tmp_path / "in"
    folder.mkdir()
    hostile.make_illegal_chars_csv(folder)
    master = tmp_path / "汇总.xlsx"
    assert run("merge", folder, "-o", master).exit_code == 0
    assert run("split", master, "--by", "lead-unit", "-o", tmp_path / "returns").exit_code == 0
    result = run("collect", tmp_path / "returns", "--into", master)
    assert result.exit_code in (0, 1), result.output
    assert "内部出错" not in result.output
    assert len(master_rows(master)) == 4


def test_over_long_text_is_cut_in_the_master_and_kept_whole_in_the_issue_list(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    hostile.make_long_text(folder)
    before = digests(folder)
    master = tmp_path / "汇总.xlsx"
    result = run("merge", folder, "-o", master)
    assert result.exit_code == 0, result.output
    assert digests(folder) == before
    rows = master_rows(master)
    assert len(rows) == 3
    long_han, ext_b = rows[0][4], rows[1][4]
    assert len(long_han) == MAX_CELL and utf16_len(ext_b) <= MAX_CELL  # Excel counts UTF-16 units
    assert utf16_len(ext_b) == MAX_CELL - 1                             # a surrogate pair is never split
    cut = issues(master, "text-too-long")
    assert [c[2] for c in cut] == ["C3", "C4"]
    assert "40000 个字符" in cut[0][5] and "32767" in cut[0][5]
    parts = issues(master, "text-too-long-part")
    assert "".join(p[5] for p in parts if p[2] == "C3") == "长" * 39_999 + "尾"    # whole, with its last character
    assert "".join(p[5] for p in parts if p[2] == "C4") == "\U00020000" * 20_000


# ------------------------------------------------------------------ a far-away stray cell

@pytest.mark.parametrize("ref", ["XFD1048576", "GR200000"])
def test_stray_cell_far_away_is_ignored_with_a_note(tmp_path, ref):
    """python-calamine allocated the whole range up to the stray value (512 GB for
    XFD1048576: abort, exit 134).  Run under a 3 GB address-space limit to keep it so."""
    folder = tmp_path / "in"
    folder.mkdir()
    hostile.make_stray_cell(folder, ref)
    hostile.book(folder / "2024年长清区任务.xlsx", title="2024年长清区政务公开重点工作任务分解表")
    before = digests(folder)
    master = tmp_path / "汇总.xlsx"
    import resource

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))

    proc = subprocess.run([sys.executable, "-m", "xltools.cli", "merge", str(folder), "-o", str(master)], cwd=ROOT,
                          env=_env(), capture_output=True, text=True, timeout=300, preexec_fn=limit)
    assert proc.returncode == 0, proc.stderr
    assert "读取 2 个文件" in proc.stdout
    assert digests(folder) == before
    assert len(master_rows(master)) == 6
    note, = issues(master, "stray-cells")
    assert note[2] == ref and "已忽略" in note[5] and "5 行、5 列" in note[5]
    assert not master.with_name(master.name + ".lock").exists()
    valid = cli_process("validate", folder / f"2024年天桥区任务-{ref}.xlsx")
    assert valid.returncode == 0 and f"任务分解表!{ref}" in valid.stdout


# ------------------------------------------------------------------ size limits, before reading

@pytest.mark.parametrize("case, words", [("ratio_bomb", "文件压缩比异常，未读取"),
                                          ("declared_huge", "文件解压后太大，未读取")])
def test_zip_limits_refuse_before_reading(tmp_path, case, words):
    folder = tmp_path / "in"
    folder.mkdir()
    bad = hostile.CASES[case](folder)
    hostile.book(folder / "2024年长清区任务.xlsx", title="2024年长清区政务公开重点工作任务分解表")
    before = digests(folder)
    valid = run("validate", bad)
    assert valid.exit_code == 2 and words in valid.output and "另存为 .xlsx" in valid.output
    master = tmp_path / "汇总.xlsx"
    result = run("merge", folder, "-o", master)
    assert result.exit_code == 1, result.output                   # the good file merged, the bad one listed
    assert words in result.output
    assert digests(folder) == before
    assert len(master_rows(master)) == 3
    assert any(r and r[2] == "读取失败" and words in (r[9] or "") for r in log_rows(master))


# ------------------------------------------------------------------ files the merge cannot read: it goes on

def test_unreadable_entries_are_listed_and_the_merge_goes_on(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    hostile.book(folder / "2024年长清区任务.xlsx", title="2024年长清区政务公开重点工作任务分解表")
    hostile.make_symlink_loop(folder)
    hostile.make_directory_xlsx(folder)
    locked = hostile.make_unreadable(folder)
    before = digests(folder)
    out = tmp_path / "out"
    out.mkdir()
    master = out / "汇总.xlsx"
    proc = cli_process("merge", folder, "-o", master, unprivileged=True)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "内部出错" not in proc.stdout + proc.stderr
    assert "循环的快捷方式" in proc.stdout
    assert "是一个文件夹，不是表格文件" in proc.stdout
    assert f"没有权限读取文件：{locked}" in proc.stdout
    assert digests(folder) == before
    assert len(master_rows(master)) == 3
    failed = [r for r in log_rows(master) if r and r[2] == "读取失败"]
    assert len(failed) == 4                       # loop-a, loop-b, the folder, the locked file


def test_no_permission_is_said_in_chinese(tmp_path):
    """The reader's own message (a folder merge shows it; validate/inspect/flag stop earlier, at
    click's readability check, whose messages are another issue's)."""
    locked = hostile.make_unreadable(tmp_path)
    code = ("import sys; from xltools import validate; r = validate([sys.argv[1]]); "
            "print(r.unreadable[0].message()); print(r.unreadable[0].exit_code)")
    proc = subprocess.run(_unprivileged() + [sys.executable, "-c", code, str(locked)], cwd=ROOT, env=_env(),
                          capture_output=True, text=True, timeout=120)
    assert proc.stdout.splitlines() == [
        f"没有权限读取文件：{locked}。请让文件的所有者或管理员给你读取权限，或把文件复制到你有权限的文件夹。", "2"]


# ------------------------------------------------------------------ masters and hidden sheets among the inputs

def test_an_older_master_in_the_folder_is_skipped_unless_named(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    hostile.book(folder / "2024年天桥区任务.xlsx")
    old = folder / "汇总-旧.xlsx"
    assert run("merge", folder / "2024年天桥区任务.xlsx", "-o", old).exit_code == 0
    before = digests(folder)
    master = tmp_path / "汇总.xlsx"
    result = run("merge", folder, "-o", master)
    assert result.exit_code == 0, result.output
    assert "这是 xltools 的汇总表" in result.output
    assert len(master_rows(master)) == 3                  # not doubled
    assert digests(folder) == before
    assert any(r and r[0] == "in/汇总-旧.xlsx" and r[2] == "已跳过" for r in log_rows(master))
    named = run("merge", folder / "2024年天桥区任务.xlsx", old, "-o", tmp_path / "两份.xlsx")
    assert "这是 xltools 的汇总表" not in named.output
    assert len(master_rows(tmp_path / "两份.xlsx")) == 6   # named: merged as asked (each row flagged as a duplicate)


def test_hidden_sheets_are_read_with_a_note_or_skipped(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    hostile.make_hidden_sheets(folder)
    master = tmp_path / "汇总.xlsx"
    assert run("merge", folder, "-o", master).exit_code == 0
    assert len(master_rows(master)) == 5
    notes = issues(master, "sheet-hidden-read")
    assert sorted(n[1] for n in notes) == ["深度隐藏", "隐藏"]
    assert run("merge", folder, "-o", master, "--skip-hidden", "--replace").exit_code == 0
    assert len(master_rows(master)) == 3
    assert sorted(n[1] for n in issues(master, "sheet-hidden-skipped")) == ["深度隐藏", "隐藏"]


# ------------------------------------------------------------------ a killed merge does not block the office

def test_a_lock_left_by_a_dead_process_is_taken_over(tmp_path):
    hostile.book(tmp_path / "2024年天桥区任务.xlsx")
    master = tmp_path / "out" / "汇总.xlsx"
    master.parent.mkdir()
    lock = master.with_name("汇总.xlsx.lock")
    pid = dead_pid()
    lock.write_text(f"{pid}\n{socket.gethostname()}\n")
    result = run("merge", tmp_path / "2024年天桥区任务.xlsx", "-o", master)
    assert result.exit_code == 0, result.output
    assert f"上次写入的 xltools 操作（本机进程 {pid}）没有正常结束" in result.output
    assert not lock.exists()
    assert any(r[4] == "lock-taken-over" for r in issues(master))


def test_a_lock_of_a_live_process_is_respected(tmp_path):
    hostile.book(tmp_path / "2024年天桥区任务.xlsx")
    master = tmp_path / "汇总.xlsx"
    lock = master.with_name("汇总.xlsx.lock")
    lock.write_text(f"{os.getpid()}\n{socket.gethostname()}\n")
    result = run("merge", tmp_path / "2024年天桥区任务.xlsx", "-o", master)
    assert result.exit_code == 2
    assert f"另一个 xltools 操作（合并、收集、标记预警或写催办）正在写入 {master}（发现 汇总.xlsx.lock：计算机 {socket.gethostname()} 上的进程 {os.getpid()}）" \
        in result.output
    assert lock.exists() and not master.exists()


def test_temp_files_of_an_interrupted_write_are_removed_at_the_next_start(tmp_path):
    hostile.book(tmp_path / "2024年天桥区任务.xlsx")
    out = tmp_path / "out"
    out.mkdir()
    host = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in socket.gethostname())[:40]
    stale = out / f".~xltools-{host}-{dead_pid()}-abcd.xlsx"
    stale.write_bytes(b"half a workbook")
    live = out / f".~xltools-{host}-{os.getpid()}-efgh.xlsx"     # a run still writing: left alone
    live.write_bytes(b"being written")
    result = run("merge", tmp_path / "2024年天桥区任务.xlsx", "-o", out / "汇总.xlsx")
    assert result.exit_code == 0, result.output
    assert f"删除了被中断的写入留下的临时文件 {stale.name}" in result.output
    assert not stale.exists() and live.exists()


def test_sigterm_stops_the_merge_cleanly(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    hostile.make_many(folder)
    master = tmp_path / "汇总.xlsx"
    hostile.book(tmp_path / "first.xlsx")
    assert run("merge", tmp_path / "first.xlsx", "-o", master).exit_code == 0
    old = digests(tmp_path)[str(master)]
    before = digests(folder)
    proc = start("merge", folder, "-o", master)
    wait_for_progress(proc)
    workers = children(proc.pid)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143
    assert "已停止：收到终止信号（SIGTERM）" in err and "Traceback" not in err
    assert not master.with_name("汇总.xlsx.lock").exists()
    assert not list(tmp_path.glob(".~xltools-*"))
    assert digests(tmp_path)[str(master)] == old and digests(folder) == before
    _gone(workers)


def test_sigkill_leaves_no_worker_behind_and_the_next_merge_runs(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    hostile.make_many(folder)
    master = tmp_path / "汇总.xlsx"
    proc = start("merge", folder, "-o", master)
    wait_for_progress(proc)
    workers = children(proc.pid)
    assert workers, "the merge reads in worker processes"
    proc.kill()
    proc.wait()
    _gone(workers)
    assert master.with_name("汇总.xlsx.lock").exists()      # SIGKILL: no chance to clean up…
    again = cli_process("merge", folder, "-o", master)
    assert again.returncode == 0, again.stdout + again.stderr  # …but the next merge takes the lock over
    assert "没有正常结束" in again.stdout
    assert len(master_rows(master)) == 12 * 1500


def test_ctrl_c_exits_130_in_chinese(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    hostile.make_many(folder)
    proc = start("merge", folder, "-o", tmp_path / "汇总.xlsx")
    wait_for_progress(proc)
    workers = children(proc.pid)
    os.killpg(proc.pid, signal.SIGINT)                   # what Ctrl-C in a terminal does
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "已取消（Ctrl-C）" in err
    assert "Aborted!" not in out + err and "Traceback" not in out + err
    assert not (tmp_path / "汇总.xlsx.lock").exists()
    _gone(workers)


def _gone(pids: set[int], within: float = 10) -> None:
    deadline = time.time() + within
    while time.time() < deadline:
        alive = {p for p in pids if Path(f"/proc/{p}").exists() and "(Z)" not in _state(p)}
        if not alive:
            return
        time.sleep(0.2)
    raise AssertionError(f"worker processes still running: {alive}")


def _state(pid: int) -> str:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return "(Z)" if stat.rsplit(")", 1)[1].split()[0] == "Z" else stat
    except OSError:
        return "(Z)"


# ------------------------------------------------------------------ flag

def test_flag_shows_no_raw_xml_parser_message(tmp_path):
    path = hostile.make_broken_xml(tmp_path)
    before = digests(tmp_path)
    result = run("flag", path)
    assert result.exit_code == 2
    assert "文件内部结构有错误" in result.output and "文件未被修改" in result.output
    assert "not well-formed" not in result.output and "line 1" not in result.output
    assert digests(tmp_path) == before
    broken = hostile.make_broken_sheet_xml(tmp_path)
    result = run("flag", broken)
    assert result.exit_code == 2 and "文件内部结构有错误" in result.output and "syntax error" not in result.output


def test_flag_in_a_read_only_folder_says_so(tmp_path):
    folder = tmp_path / "readonly"
    folder.mkdir()
    path = hostile.book(folder / "2024年天桥区任务.xlsx")
    before = digests(folder)
    folder.chmod(0o555)
    try:
        proc = cli_process("flag", path, unprivileged=True)
    finally:
        folder.chmod(0o755)
    assert proc.returncode == 2
    assert f"无法写入 {path}：无法在文件夹 {folder} 中建立锁定文件 {path.name}.lock" in proc.stderr
    assert "Excel" not in proc.stderr.split("。")[0]
    assert digests(folder) == before


# ------------------------------------------------------------------ LibreOffice reads every row

@needs_soffice
@pytest.mark.parametrize("case, rows", [("illegal_chars_csv", 4), ("illegal_chars_xlsx", 3), ("long_text", 3),
                                        ("stray_cell", 3)])
def test_master_opens_in_libreoffice_with_every_row(tmp_path, case, rows):
    folder = tmp_path / "in"
    folder.mkdir()
    hostile.CASES[case](folder)
    master = tmp_path / "汇总.xlsx"
    assert run("merge", folder, "-o", master).exit_code == 0
    read = lo_rows(master, tmp_path)
    assert len(read) == rows
    assert all(r[0] == "天桥区" and r[4] for r in read)   # 区县 … 具体要求 in every row, none lost
