#!/usr/bin/env python3
"""Time `split` and `collect` of this checkout against a baseline revision, in one run.

    python scripts/benchmark_loop.py                      # baseline: origin/main
    python scripts/benchmark_loop.py --baseline-ref HEAD~3 --repeat 3

The master is merged once from the two examples (天桥 2024, 长清 2022).  Each revision
then runs as its own subprocess (its own xltools first on sys.path):

  split    the master into returns, by lead unit;
  collect  every return back (the returns untouched: reading, matching, writing the
           master and its log is the work).

This checkout runs twice: with --keep-collective semantics (the 48 returns the baseline
makes, the like-for-like comparison) and with its default (collective units expanded to
their members: more returns).  Runs alternate and the fastest of each is kept; the
figures depend on the machine and on what else it is doing, the ratios less so.
Nothing here is a test.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

JOB = textwrap.dedent('''\
    import json, shutil, sys, time
    from pathlib import Path
    root, master, folder, keep = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4] == "1"
    sys.path.insert(0, root)
    from xltools.work.loop import collect, split
    shutil.rmtree(folder, ignore_errors=True)
    work = folder.parent / ("master-" + folder.name + ".xlsx")
    shutil.copy(master, work)
    kw = {"keep_collective": True} if keep else {}
    t0 = time.perf_counter()
    summary = split(work, folder, **kw)
    t1 = time.perf_counter()
    collect([folder], work)
    t2 = time.perf_counter()
    print(json.dumps({"returns": len(summary.files), "split": t1 - t0, "collect": t2 - t1}))
''')


def run(checkout: Path, master: Path, folder: Path, keep: bool) -> dict:
    out = subprocess.run([sys.executable, "-c", JOB, str(checkout), str(master), str(folder), "1" if keep else "0"],
                         capture_output=True, text=True, cwd=checkout, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--baseline-ref", default="origin/main", help="git revision to compare with")
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="xltools_bench_loop_") as tmp:
        tmp = Path(tmp)
        baseline = tmp / "baseline"
        baseline.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.baseline_ref], capture_output=True,
                                 check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(baseline)], input=archive, check=True)
        master = tmp / "汇总.xlsx"
        sys.path.insert(0, str(ROOT))
        from xltools.work.merge import merge
        merge([EXAMPLES / "2024年天桥区政务公开重点工作任务分工.xlsx",
               EXAMPLES / "2022年长清区政务公开重点工作任务分解表.xlsx"], master)
        runs = {"baseline": (baseline, False), "this, keep collective": (ROOT, True), "this, default": (ROOT, False)}
        best: dict[str, dict] = {}
        for _ in range(args.repeat):
            for name, (checkout, keep) in runs.items():
                r = run(checkout, master, tmp / ("returns-" + name.replace(" ", "_").replace(",", "")), keep)
                if name not in best or r["split"] + r["collect"] < best[name]["split"] + best[name]["collect"]:
                    best[name] = r
        base = best["baseline"]
        print(f"baseline: {args.baseline_ref}; fastest of {args.repeat} alternating runs")
        print(f"{'run':24} {'returns':>7} {'split s':>8} {'collect s':>9} {'per return ms':>13} {'vs baseline':>11}")
        for name, r in best.items():
            per = (r["split"] + r["collect"]) / r["returns"] * 1000
            base_per = (base["split"] + base["collect"]) / base["returns"] * 1000
            print(f"{name:24} {r['returns']:7d} {r['split']:8.2f} {r['collect']:9.2f} {per:13.1f} "
                  f"{base_per / per:10.2f}x")
        shutil.rmtree(baseline, ignore_errors=True)


if __name__ == "__main__":
    main()
