"""A bad day at the office, scripted (issue 24, done-when): every mistake people really
make with the tracking loop, one after another on one master, and after each of them
the check that matters — every value anyone typed is still in the current file, or one
`undo` away.

    python scripts/bad_day.py 文件夹            # runs the day in that folder, prints each step

The day: the examples merged; a clerk types progress into the master; the wrong folder
merged (refused, then forced with --replace, then undone); split over returns units
already filled; a damaged return collected; a district file unreadable (0 bytes) in a
re-merge, and one deleted while the merge reads; flag and a person's save during a
merge; a return from another master collected (and undone); a full disk (the write and
the version both raise ENOSPC); a kill (SIGKILL) in the middle of each command.

Importable: `run_day(folder)` returns the steps (name, exit code, values lost); the test
(tests/test_bad_day.py) runs it in a temporary folder.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402
import python_calamine as pc  # noqa: E402
from click.testing import CliRunner  # noqa: E402

from xltools.cli.app import cli  # noqa: E402
from xltools.errors import XltoolsError  # noqa: E402
from xltools.work.history import _to_undo  # noqa: E402
from xltools.write import files as files_module, versions  # noqa: E402

EXAMPLES = ROOT / "examples"
TIANQIAO = EXAMPLES / "2024年天桥区政务公开重点工作任务分工.xlsx"
CHANGQING = EXAMPLES / "2022年长清区政务公开重点工作任务分解表.xlsx"
AS_OF = "2024-12-20"


@dataclass
class Typed:
    """A value a person typed: into the master's row `key`, column `column`; or into a
    return (`where`), to reach the master once collected."""
    key: str
    column: str
    value: str
    where: Path | None = None


@dataclass
class Step:
    name: str
    code: int | None                   # the command's exit code (None: killed, or a library call that returned)
    lost: list[Typed] = field(default_factory=list)
    note: str = ""
    output: str = ""                   # all a command printed (stdout and stderr)


@dataclass
class Day:
    folder: Path
    master: Path
    typed: list[Typed] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)

    # -------------------------------------------------------------- reading the master

    def values(self, path: Path) -> dict[tuple[str, str], object]:
        """(task key, column) → value of a master's 汇总 sheet ({} when unreadable)."""
        try:
            wb = pc.CalamineWorkbook.from_path(str(path))
            try:
                rows = wb.get_sheet_by_name("汇总").to_python()
            finally:
                wb.close()
        except Exception:
            return {}
        head = [str(v) for v in rows[0]]
        at = head.index("任务编号")
        return {(str(r[at]), head[c]): r[c] for r in rows[1:] for c in range(len(head)) if r[at]}

    def lost(self) -> list[Typed]:
        """Typed values neither in the master now nor in the file one undo would put
        back (a return's value counts while its return still holds it)."""
        now = self.values(self.master)
        previous = _to_undo(versions.versions(self.master))
        before = self.values(previous.file) if previous else {}
        out = []
        for v in self.typed:
            if now.get((v.key, v.column)) == v.value or before.get((v.key, v.column)) == v.value:
                continue
            if v.where is not None and v.where.exists() and v.value in _texts(v.where):
                continue
            out.append(v)
        return out

    # -------------------------------------------------------------- running things

    def cli(self, name: str, *args, note: str = "") -> Step:
        result = CliRunner().invoke(cli, [str(a) for a in args], env={"XLTOOLS_LANG": "zh"})
        step = self.record(name, result.exit_code, note or result.output.strip().splitlines()[-1:] and
                           result.output.strip().splitlines()[-1])
        step.output = result.output
        return step

    def call(self, name: str, fn, note: str = "") -> Step:
        """A library call; its exit code as the CLI would give it."""
        try:
            fn()
            code = 0
        except XltoolsError as exc:
            code, note = exc.exit_code, note or exc.message()
        return self.record(name, code, note)

    def record(self, name: str, code: int | None, note: str = "") -> Step:
        step = Step(name, code, self.lost(), str(note or ""))
        self.steps.append(step)
        return step

    def type_into_master(self, n: int, text: str, column: str = "进展情况") -> Typed:
        """A person types into the master in Excel and saves (no xltools involved)."""
        wb = openpyxl.load_workbook(self.master)
        ws = wb["汇总"]
        head = [c.value for c in ws[1]]
        keys = [ws.cell(r, head.index("任务编号") + 1).value for r in range(2, ws.max_row + 1)]
        taken = {v.key for v in self.typed}
        row = 2 + [i for i, k in enumerate(keys) if k and k not in taken][n]
        ws.cell(row, head.index(column) + 1).value = text
        wb.save(self.master)
        typed = Typed(str(ws.cell(row, head.index("任务编号") + 1).value), column, text)
        self.typed.append(typed)
        return typed


def _texts(path: Path) -> set[str]:
    try:
        wb = openpyxl.load_workbook(path, read_only=True)
    except Exception:
        return set()
    try:
        return {str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None}
    finally:
        wb.close()


def fill_return(day: Day, path: Path, text: str) -> Typed | None:
    """A unit types its progress into a task of its return that nobody typed into yet."""
    wb = openpyxl.load_workbook(path)
    ws = wb["进展报送"]
    head = {ws.cell(3, c).value: c for c in range(1, ws.max_column + 1)}
    taken = {v.key for v in day.typed}
    for r in range(4, ws.max_row + 1):
        key = ws.cell(r, head["任务编号"]).value
        if key and str(key) not in taken:
            ws.cell(r, head["进展情况"]).value = text
            wb.save(path)
            typed = Typed(str(key), "进展情况", text, where=path)
            day.typed.append(typed)
            return typed
    return None


# ------------------------------------------------------------------ faults

@contextlib.contextmanager
def full_disk():
    """Every write of a new file by atomic_write, and every version kept, fails with
    ENOSPC, as on a full disk."""
    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    class Full:
        """os for write/files.py and write/versions.py, with a full disk."""
        def __getattr__(self, name):
            return no_space if name in ("chmod", "link") else getattr(os, name)

    saved = files_module.os, versions.os, versions.shutil.copy2
    files_module.os, versions.os = Full(), Full()
    versions.shutil.copy2 = no_space
    try:
        yield
    finally:
        files_module.os, versions.os, versions.shutil.copy2 = saved


def kill_midway(args: list[str], cwd: Path, watch: list[Path], delay: float) -> int | None:
    """Run `xltools args` in its own process and SIGKILL it `delay` seconds after it has
    started writing (a lock or temp file of ours appears in a `watch` folder), so that
    the kill lands in the middle of the work, not during Python's start-up.  None when it
    was killed; its exit code when it finished first."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XLTOOLS_LANG": "zh"}
    proc = subprocess.Popen([sys.executable, "-m", "xltools.cli", *map(str, args)], cwd=cwd, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)

    def writing() -> bool:
        for folder in watch:
            with contextlib.suppress(OSError):
                if any(n.endswith(".lock") or n.startswith(files_module.TEMP_PREFIX) for n in os.listdir(folder)):
                    return True
        return False

    deadline = time.monotonic() + 120
    while proc.poll() is None and not writing() and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        proc.wait(timeout=delay)
        return proc.returncode
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)      # the command and the readers it started
        proc.wait()
        return None


@contextlib.contextmanager
def saved_while_merging(day: "Day", text: str):
    """A person saves the master in Excel after the merge has read it, before it writes."""
    from xltools.work import merge as merge_module
    read = merge_module.read_previous

    def read_then_save(path, *args, **kwargs):
        previous = read(path, *args, **kwargs)
        day.type_into_master(20, text)
        return previous

    merge_module.read_previous = read_then_save
    try:
        yield
    finally:
        merge_module.read_previous = read


# ------------------------------------------------------------------ the day

def run_day(folder: str | Path, *, seed: int = 24, kills: int = 1, quiet: bool = True) -> Day:
    """Run the bad day in `folder` (made if missing); the steps with what each lost."""
    from xltools.work.merge import merge

    rng = random.Random(seed)
    folder = Path(folder).resolve()
    right, wrong = folder / "各区县", folder / "长清区旧表"
    for f in (right, wrong):
        f.mkdir(parents=True, exist_ok=True)
    for p in (TIANQIAO, CHANGQING):
        shutil.copy(p, right / p.name)
    shutil.copy(CHANGQING, wrong / CHANGQING.name)
    master = folder / "汇总" / "汇总.xlsx"
    master.parent.mkdir(exist_ok=True)
    day = Day(folder, master)

    day.cli("首次合并", "merge", right, "-o", master, "--as-of", AS_OF)
    for n, text in enumerate(["已完成初稿，待审定", "已召开推进会", "因疫情延期，计划12月完成"]):
        day.type_into_master(n * 7, text)
    day.record("文员在汇总表中填写进展", None)

    # the wrong folder: refused, forced, undone
    day.cli("合并了错误的文件夹", "merge", wrong, "-o", master, "--as-of", AS_OF)
    day.cli("加 --replace 强行替换", "merge", wrong, "-o", master, "--as-of", AS_OF, "--replace")
    day.cli("撤销", "undo", master)

    # split over returns that units already filled
    returns = folder / "下发"
    day.cli("拆分下发", "split", master, "-o", returns)
    sent = sorted(returns.glob("*.xlsx"))
    filled = [t for t in (fill_return(day, sent[0], "区财政局：已完成"), fill_return(day, sent[3], "正在推进，完成 80%"))
              if t]
    kept = {t.where: t.where.read_bytes() for t in filled}
    step = day.cli("在已交回的报送表上再次拆分", "split", master, "-o", returns)
    step.note += "" if all(p.read_bytes() == b for p, b in kept.items()) else "；已交回的报送表被改动了！"

    # a damaged return among the good ones
    inbox = folder / "收到的报送表"
    inbox.mkdir(exist_ok=True)
    for t in filled:
        shutil.copy(t.where, inbox / t.where.name)
    (inbox / "区教育和体育局.xlsx").write_bytes(sent[1].read_bytes()[:3000])
    day.cli("收集时有一个报送表已损坏", "collect", inbox, "--into", master)

    # a district file unreadable (still being copied: 0 bytes), then one deleted while merging
    saved = (right / TIANQIAO.name).read_bytes()
    (right / TIANQIAO.name).write_bytes(b"")
    day.cli("区县文件只有 0 字节时再合并", "merge", right, "-o", master, "--as-of", AS_OF)
    (right / TIANQIAO.name).write_bytes(saved)

    def delete_while_reading(done, total, path):
        victim = right / CHANGQING.name
        if victim.exists():
            victim.unlink()

    day.call("合并时区县文件被删除", lambda: merge([right], master, as_of=dt.date(2024, 12, 20),
                                          progress=delete_while_reading))
    shutil.copy(CHANGQING, right / CHANGQING.name)

    # flag and a person's save while a merge runs (from the merge's own progress hook)
    from xltools.work.flag import flag_file
    flag_codes = []

    def flag_meanwhile(done, total, path):
        if not flag_codes:
            try:
                flag_file(master, as_of=dt.date(2025, 1, 5))
                flag_codes.append(0)
            except XltoolsError as exc:
                flag_codes.append(exc.exit_code)

    day.call("合并时另一个人运行 flag", lambda: merge([right], master, as_of=dt.date(2024, 12, 20),
                                             progress=flag_meanwhile))
    day.steps[-1].note += f"（flag 的退出码 {flag_codes[0] if flag_codes else '?'}）"
    with saved_while_merging(day, "合并期间在 Excel 中保存的进展"):
        day.call("合并时有人在 Excel 中保存了汇总表", lambda: merge([right], master, as_of=dt.date(2024, 12, 20)))
    for stray in master.parent.glob("*.xltools-结果-*.xlsx"):
        stray.unlink()           # the office reads the message and drops the result kept beside

    # a return from another master (last year's 长清区 plan)
    other = folder / "另一个汇总表"
    other.mkdir(exist_ok=True)
    CliRunner().invoke(cli, ["merge", str(wrong), "-o", str(other / "汇总.xlsx"), "--year", "2023"])
    CliRunner().invoke(cli, ["split", str(other / "汇总.xlsx"), "-o", str(other / "下发")])
    foreign = sorted((other / "下发").glob("*.xlsx"))[0]
    wb = openpyxl.load_workbook(foreign)
    ws = wb["进展报送"]
    head = {ws.cell(3, c).value: c for c in range(1, ws.max_column + 1)}
    for r in range(4, ws.max_row + 1):
        if ws.cell(r, head["任务编号"]).value:
            ws.cell(r, head["进展情况"]).value = "去年的报送"
    wb.save(foreign)
    step = day.cli("收集了另一个汇总表的报送表", "collect", foreign, "--into", master)
    if step.lost:                        # written over typed values: the clerk undoes it at once
        day.cli("撤销收集", "undo", master)

    # a full disk
    before = master.read_bytes()
    with full_disk():
        day.cli("磁盘已满时标记预警", "flag", master, "--as-of", "2025-01-05")
        day.cli("磁盘已满时合并", "merge", right, "-o", master, "--as-of", AS_OF)
    day.steps[-1].note += "" if master.read_bytes() == before else "；磁盘已满时汇总表被改动了！"
    day.steps[-1].note += "" if not list(master.parent.glob("*.lock")) else "；留下了锁文件！"

    # a kill in the middle of each command
    commands = [["merge", right, "-o", master, "--as-of", AS_OF],
                ["collect", inbox, "--into", master],
                ["flag", master, "--as-of", "2025-01-06"],
                ["remind", master, "-o", folder / "催办", "--sheet", "--as-of", "2025-01-05"],
                ["split", master, "-o", returns],
                ["undo", master]]
    for args in commands:
        for _ in range(kills):
            delay = rng.uniform(0.0, 1.0)
            code = kill_midway(args, folder, [master.parent, returns, folder / "催办"], delay)
            day.record(f"{args[0]} 开始写入后 {delay:.2f} 秒被强行结束", code,
                       "已结束" if code is not None else "被 SIGKILL")
    day.cli("强行结束之后再合并", "merge", right, "-o", master, "--as-of", AS_OF)

    if not quiet:
        for s in day.steps:
            print(f"{s.name}：退出码 {s.code}；丢失 {len(s.lost)} 个值 {s.note}")
    return day


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("用法：python scripts/bad_day.py 文件夹")
    result = run_day(sys.argv[1], quiet=False)
    lost = result.lost()
    print(f"最后：{len(result.typed)} 个填写的值，丢失 {len(lost)} 个。")
    sys.exit(1 if lost else 0)
