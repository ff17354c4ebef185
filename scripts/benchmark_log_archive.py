#!/usr/bin/env python3
"""Time a collection into a master whose 收集记录 is long, with and without the archive.

    python scripts/benchmark_log_archive.py                     # a 200,000-line log
    python scripts/benchmark_log_archive.py --lines 190000 260000

For each size: a master merged from an example plan and split, its log grown to that many
lines (weekly collections of 4,000 lines each, written as collect writes them), one
return collected into a copy of it twice: once with the archive off (ARCHIVE_AT past the
log) and once as shipped, the oldest collections moved into 汇总-收集记录存档.xlsx.  The
time of the move itself (work/log_archive.archive_old_lines) is printed apart.  A log past
the read limit (200,000 rows) is not read for comparison: its collections are found in
its rows' text.  Nothing here is a test: the figures depend on the machine.
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402

from xltools.work import collect as collecting, log_archive  # noqa: E402
from xltools.work.collect_log import LogBook, _Halves  # noqa: E402
from xltools.work.loop import collect, split  # noqa: E402
from xltools.work.merge import merge  # noqa: E402
from xltools.write import splice  # noqa: E402
from xltools.write.templates import PROGRESS_SHEET, workbook_bytes  # noqa: E402

PLAN = ROOT / "examples" / "2024年天桥区政务公开重点工作任务分工.xlsx"
HEAD_ROW = 3


def grow_log(master: Path, lines: int, per_round: int = 4000) -> None:
    """Append `lines` log lines to the master's 收集记录, weekly rounds, as LogBook writes them."""
    package, kept = splice.take_rows(master.read_bytes())
    wb = openpyxl.load_workbook(io.BytesIO(package))
    book = LogBook(wb, "zh", collecting._log_seen(master), kept)
    start = dt.datetime(2023, 1, 2, 9, 0)
    made = []
    for i in range(lines):
        w = i // per_round
        made.append([start + dt.timedelta(days=7 * w), "已更新" if i % 3 else "未写入（错误）",
                     f"天桥区-2024-{i % 2000:03d}-abcdef", "天桥区", i % 2000, "以“项目深化年”和“24…", "进展情况",
                     f"第 {w - 1} 周的进展 {i}", f"第 {w} 周的进展，按计划推进中，已完成阶段性任务 {i}", "区财政局",
                     dt.date(2023, 1, 1) + dt.timedelta(days=7 * w), "区财政局.xlsx", f"J{i % 200 + 4}",
                     "状态“搁置”不是可选的写法，不写入汇总表。" if i % 3 == 0 else None])
    book.rows.append_later(len(made), lambda first: _Halves(made, book.looks, first))
    master.write_bytes(splice.put_rows(workbook_bytes(wb), kept))


def report(path: Path, text: str) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[PROGRESS_SHEET]
    ws.protection.sheet = False
    head = {ws.cell(HEAD_ROW, c).value: c for c in range(1, ws.max_column + 1)}
    rows = [r for r in range(HEAD_ROW + 1, ws.max_row + 1) if ws.cell(r, head["任务编号"]).value]
    for r in rows[:3]:
        ws.cell(r, head["进展情况"]).value = f"{text} {r}"
    wb.save(path)


def timed_collect(base: Path, grown: Path, ret: Path, archive_at: int) -> tuple[float, float, object]:
    master = base / "汇总.xlsx"
    shutil.copy(grown, master)
    for old in log_archive.archives(master):
        old.unlink()
    log_archive.ARCHIVE_AT = archive_at
    report(ret, f"测量 {time.time()}")
    spent = []
    moving = collecting.archive_old_lines

    def moved(*args):
        t = time.perf_counter()
        try:
            return moving(*args)
        finally:
            spent.append(time.perf_counter() - t)
    collecting.archive_old_lines = moved
    try:
        t = time.perf_counter()
        summary = collect([ret], master, now=dt.datetime.now().replace(microsecond=0))
        return time.perf_counter() - t, sum(spent), summary.archived
    finally:
        collecting.archive_old_lines = moving


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, nargs="+", default=[200_000])
    args = parser.parse_args()
    shipped = log_archive.ARCHIVE_AT
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        merge([PLAN], base / "汇总.xlsx")
        summary = split(base / "汇总.xlsx", base / "下发")
        ret = next(path for label, path, _, _ in summary.files if "区财政局" in label)
        for lines in args.lines:
            grown = base / f"grown-{lines}.xlsx"
            shutil.copy(base / "汇总.xlsx", grown)
            grow_log(grown, lines)
            off, _, _ = timed_collect(base, grown, ret, 10 ** 9)
            on, move, archived = timed_collect(base, grown, ret, shipped)
            print(f"{lines:>9,} lines: collect {off:5.1f} s without the archive, {on:5.1f} s with it "
                  f"(the move {move:4.1f} s: {archived.lines if archived else 0:,} lines out, "
                  f"{archived.kept if archived else lines:,} kept)")


if __name__ == "__main__":
    main()
