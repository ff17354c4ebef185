#!/usr/bin/env python3
"""Time `xltools collect` per row against `xltools merge` per row, in one run.

    python scripts/benchmark_collect.py                        # 2,000 and 20,000 rows
    python scripts/benchmark_collect.py --rows 2000 20000 100000 --old main

Issue 24 point 9: the documented row limits hold for collect as for merge, at the same
speed per row.  For each size R this script

  1. generates ⌈R / 61⌉ district workbooks as scripts/benchmark_merge.py does (61 tasks
     each) and times `xltools merge DIR -o master.xlsx` on them: merge's seconds per row;
  2. writes one return (with --returns N: N returns) holding every task of that master, as split writes it (progress
     sheet, hidden 下发底稿 with the values as sent), filled in as a unit would: every
     row's 进展情况, its 状态 (已完成 with a 完成日期 on a quarter of the rows) and, on
     every 50th row, 已完成 without a date (refused and listed);
  3. times `xltools collect RETURN --into COPY-OF-MASTER`: collect's seconds per row;
  4. with --again, the next round as well: the same tasks reported again (most rows'
     进展情况 changed) and collected into the master collected once, whose 收集记录
     already holds every line of the first round.

With --old REV the collect of that revision (`git archive`) runs too, on the same
inputs, alternating with this checkout's: before and after in one run on one machine.
Each command is its own subprocess (benchmark_merge.run: wall time, CPU of the process
tree, peak memory); with --repeat the fastest run of each is kept.  Nothing here is a
test: the figures depend on the machine and on what else it is doing, the ratio of
collect to merge much less.
"""
from __future__ import annotations

import argparse
import compileall
import datetime as dt
import math
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import benchmark_merge as bm  # noqa: E402  (generate, run, machine, _rows)

TASKS_PER_FILE = 61           # the two examples alternate: 61 tasks per file on average
UNIT = "区财政局"


def make_returns(master: Path, folder: Path, returns: int = 1, week: int = 1) -> int:
    """The master's tasks, filled in, in `returns` returns (one unit's each, as split
    writes them); returns their task rows."""
    from xltools.work.returns import MasterTable

    rows = MasterTable.read(master).rows
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    size = math.ceil(len(rows) / returns)
    for n, start in enumerate(range(0, len(rows), size), 1):
        make_return(rows[start:start + size], master, folder / f"return-{n}.xlsx", start, week)
    return len(rows)


def make_return(rows: list[dict], master: Path, path: Path, first: int = 0, week: int = 1) -> None:
    """One return holding `rows` (tasks of the master), filled in."""
    from xltools import schema
    from xltools.rules.units import UnitRegistry
    from xltools.work.returns import master_identity
    from xltools.work.split import SPARE_ROWS, Part, _sent
    from xltools.write.templates import (PROGRESS_LAYOUT, PROGRESS_SHEET, progress_template, save_workbook,
                                         sent_sheet, write_rows)

    wb = progress_template(UnitRegistry.default(), unit=UNIT, year=2024, lang="zh",
                           last_row=PROGRESS_LAYOUT.first_row + len(rows) + SPARE_ROWS)
    keys = [c.key for c in PROGRESS_LAYOUT.columns]
    write_rows(wb[PROGRESS_SHEET], PROGRESS_LAYOUT, [{**{k: r.get(k) for k in keys}, **filled(first + i, week)}
                                                     for i, r in enumerate(rows)])
    source = {"master": master_identity(master), "master_name": master.name, "split": uuid.uuid4().hex}
    sent_sheet(wb, UNIT, [_sent(Part(r, "lead")) for r in rows], source)
    save_workbook(wb, path, stamp=None, keep_version=False)
    assert schema.STATUS.key in keys


def filled(i: int, week: int = 1) -> dict:
    """What a unit types into task row i (in the week-th round of reporting)."""
    if i % 50 == 0:
        return {"status": "已完成", "progress": f"已完成，材料已报送（第{i}项）"}          # no date: refused, listed
    if i % 4 == 0:
        return {"status": "已完成", "progress": f"已按要求完成第{i}项任务",
                "done_date": dt.datetime(2024, 1 + i % 12, 1 + i % 28)}
    return {"status": "进行中", "progress": f"正在推进，已完成阶段性工作{(i + week - 1) % 7 + 1}项"}


def checkout(rev: str, into: Path) -> Path:
    """The tree of a revision, to run its xltools."""
    into.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "xltools"], capture_output=True,
                             check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    compileall.compile_dir(into / "xltools", quiet=1)
    return into


def bench(target: int, workdir: Path, repeat: int, old: Path | None, returns: int = 1, again: bool = False) -> dict:
    n = math.ceil(target / TASKS_PER_FILE)
    folder, master = workdir / f"in-{n}", workdir / f"master-{n}.xlsx"
    shutil.rmtree(folder, ignore_errors=True)
    bm.generate(n, folder)
    merge_cmd = [sys.executable, "-m", "xltools.cli", "merge", str(folder), "-o", str(master)]
    ret = workdir / f"returns-{n}"
    results: dict[str, dict] = {}
    runs = {"merge": None, "collect": ROOT, **({"collect (old)": old} if old else {})}
    if again:   # the next round: the same tasks reported again into the master collected once
        runs.update({"again": ROOT, **({"again (old)": old} if old else {})})
    for attempt in range(repeat):   # alternate, so a busy moment hurts each alike; keep the fastest
        for name, tree in runs.items():
            if name == "merge":
                master.unlink(missing_ok=True)
                r = bm.run(merge_cmd, workdir / f"merge-{n}.log")
                r["rows"] = bm._rows(master)
                if attempt == 0:
                    r_rows = make_returns(master, ret, returns)
                    shutil.copy(master, workdir / f"pristine-{n}.xlsx")
            else:
                into = workdir / f"collected-{n}.xlsx"
                shutil.copy(workdir / (f"once-{n}.xlsx" if name.startswith("again") else f"pristine-{n}.xlsx"), into)
                source = workdir / f"returns-{n}-week2" if name.startswith("again") else ret
                # the revision's xltools first on the path (benchmark_merge.run puts ROOT after PYTHONPATH)
                cmd = [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(tree)!r}); "
                       "from xltools.cli.app import main; sys.argv[0] = 'xltools'; main()",
                       "collect", str(source), "--into", str(into)]
                r = bm.run(cmd, workdir / f"{name.replace(' ', '_')}-{n}.log")
                r["rows"] = r_rows
                if again and attempt == 0 and name == "collect":
                    shutil.copy(into, workdir / f"once-{n}.xlsx")
                    make_returns(master, workdir / f"returns-{n}-week2", returns, week=2)
                if r["rc"] not in (0, 1):
                    print((workdir / f"{name.replace(' ', '_')}-{n}.log").read_text(errors="replace")[-2000:])
            print(f"  {name:14} {r['rows']:>8,} rows {r['wall']:7.1f} s  cpu {r['cpu']:6.1f} s  "
                  f"peak {bm._mb(r['peak']):>9}  {r['wall'] / r['rows'] * 1e6:8.0f} µs/row  exit {r['rc']}", flush=True)
            if name not in results or r["wall"] < results[name]["wall"]:
                results[name] = r
    shutil.rmtree(folder, ignore_errors=True)
    return results


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, nargs="+", default=[2000, 20000], help="rows per size (default: 2000 20000)")
    ap.add_argument("--old", default=None, help="also time the collect of this git revision (before/after)")
    ap.add_argument("--workdir", type=Path, default=None, help="where to generate (default: a temp folder)")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each, alternating; the fastest is reported")
    ap.add_argument("--returns", type=int, default=1, help="the tasks spread over this many returns (default: 1)")
    ap.add_argument("--again", action="store_true",
                    help="also time a second round of returns collected into the master collected once "
                         "(its 收集记录 already long)")
    args = ap.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="xltools-bench-collect-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(bm.machine())
    compileall.compile_dir(ROOT / "xltools", quiet=1)
    old = checkout(args.old, workdir / "old") if args.old else None
    table = []
    for target in args.rows:
        print(f"\n{target:,} rows", flush=True)
        table.append(bench(target, workdir, args.repeat, old, args.returns, args.again))
    # wall time per row, and CPU seconds per row (the steadier one on a shared machine; merge's
    # CPU is that of its reading processes too)
    head = "| rows | merge | µs/row (CPU) | collect | µs/row (CPU) | collect / merge per row (CPU) |"
    if old:
        head += f" collect {args.old} | µs/row (CPU) | / merge per row (CPU) |"

    def per_row(r: dict) -> str:
        return f"{r['wall'] / r['rows'] * 1e6:.0f} ({r['cpu'] / r['rows'] * 1e6:.0f})"

    def ratio(r: dict, m: dict) -> str:
        return f"{(r['wall'] / r['rows']) / (m['wall'] / m['rows']):.2f} ({(r['cpu'] / r['rows']) / (m['cpu'] / m['rows']):.2f})"

    rounds = [("collect", "")] + ([("again", "again: the second round, into the master collected once")]
                                  if args.again else [])
    for name, title in rounds:
        print("\n" + (title + "\n" if title else "") + head + "\n" + "|---:" * (head.count("|") - 1) + "|")
        for r in table:
            m, c = r["merge"], r[name]
            line = f"| {c['rows']:,} | {m['wall']:.1f} s | {per_row(m)} | {c['wall']:.1f} s | {per_row(c)} | {ratio(c, m)} |"
            if old:
                o = r[f"{name} (old)"]
                line += f" {o['wall']:.1f} s | {per_row(o)} | {ratio(o, m)} |"
            print(line)
    print(f"\nfiles in {workdir}")


if __name__ == "__main__":
    main()
