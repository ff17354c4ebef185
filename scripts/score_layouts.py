#!/usr/bin/env python3
"""Measure how general the reader is: generate task sheets whose layout features are chosen
at random (scripts/layouts/), read each with xltools, and count per feature.

    python scripts/score_layouts.py --sheets 2000 --seed 1 [--jobs N] [--json report.json]
                                    [--formats xlsx,csv-utf8,csv-gbk,xls,ods] [--keep DIR]

Prints the overall read rate, false errors per sheet, planted problems found, and the
per-feature table (weakest first; ✗ marks a feature below 97% of tasks right), with up to
three examples of what went wrong in each weak feature.  The .xls and .ods are written by
LibreOffice (soffice) when it is installed, else as .xlsx.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))   # this checkout's xltools

from layouts import write_sheets  # noqa: E402
from layouts.generate import sheets_of  # noqa: E402
from layouts.generate import FORMATS  # noqa: E402
from layouts.score import THRESHOLD_OVERALL, MAX_FALSE_ERRORS, aggregate, passes, rate, score_file, table  # noqa: E402


def run_chunk(seed: int, start: int, stop: int, workdir: str, formats: dict | None, keep: bool) -> list[dict]:
    """Generate sheets start..stop-1, write them, score them (in a worker process)."""
    out = Path(workdir) / f"{start:05d}"
    truths = write_sheets([s for i in range(start, stop) for s in sheets_of(seed, i, formats)], out, start)
    results = []
    for t in truths:
        truth = asdict(t)
        if keep:
            (out / (t.file + ".truth.json")).write_text(json.dumps(truth, ensure_ascii=False, indent=1),
                                                       encoding="utf-8")
        results.append(score_file(out / t.file, truth))
    if not keep:
        shutil.rmtree(out, ignore_errors=True)
    return results


def score(sheets: int, seed: int, jobs: int = 0, formats: dict | None = None, keep: Path | None = None,
          chunk: int = 50) -> list[dict]:
    """Score `sheets` generated sheets; one result per sheet (see layouts.score.score_file)."""
    workdir = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="xltools-layouts-"))
    workdir.mkdir(parents=True, exist_ok=True)
    spans = [(a, min(a + chunk, sheets)) for a in range(0, sheets, chunk)]
    try:
        if jobs == 1:
            parts = [run_chunk(seed, a, b, str(workdir), formats, keep is not None) for a, b in spans]
        else:
            with ProcessPoolExecutor(jobs or os.cpu_count()) as pool:
                parts = list(pool.map(run_chunk, *zip(*[(seed, a, b, str(workdir), formats, keep is not None)
                                                        for a, b in spans])))
    finally:
        if keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    return [r for part in parts for r in part]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sheets", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=0, help="worker processes (default: one per CPU)")
    ap.add_argument("--formats", default=None, help="comma-separated subset of " + ",".join(FORMATS))
    ap.add_argument("--json", type=Path, default=None, help="write the per-feature report (and every sheet's result)")
    ap.add_argument("--keep", type=Path, default=None, help="keep the generated files and their truth here")
    args = ap.parse_args(argv)
    formats = {f: FORMATS[f] for f in args.formats.split(",")} if args.formats else None
    t0 = time.perf_counter()
    results = score(args.sheets, args.seed, args.jobs, formats, args.keep)
    took = time.perf_counter() - t0
    agg = aggregate(results)
    o = agg["overall"]
    weak = [n for n, c in agg["features"].items() if not passes(c)]
    print(f"{len(results)} sheets, {o['tasks']} tasks, seed {args.seed}: {took:.0f} s ({os.cpu_count()} CPUs)")
    print(f"tasks right {o['right']}/{o['tasks']} = {rate(o):.3f} (requirement {o['req'] / o['tasks']:.3f}, units "
          f"{o['units'] / o['tasks']:.3f}, due {o['due'] / o['tasks']:.3f}); bar {THRESHOLD_OVERALL}")
    print(f"units shown that the district did not write: {o['tasks'] - o['written']} tasks")
    print(f"false errors {o['false_errors']} = {o['false_errors'] / len(results):.2f} per sheet (bar {MAX_FALSE_ERRORS}); "
          f"extra tasks {o['extra']}; planted problems found {o['found']}/{o['planted']}; "
          f"unreadable files {sum(1 for r in results if r['unreadable'])}")
    print(f"features below 97%: {len(weak)} of {len(agg['features'])}\n")
    print(table(agg))
    print("\nwhat goes wrong, weakest features first:")
    for name, c in sorted(agg["features"].items(), key=lambda kv: rate(kv[1])):
        if not passes(c):
            print(f"  {name} ({rate(c):.3f})")
            for e in c["examples"]:
                print(f"      {e}")
    if args.json:
        args.json.write_text(json.dumps({"seed": args.seed, "sheets": len(results), "seconds": round(took, 1),
                                         **agg, "results": results}, ensure_ascii=False, indent=1),
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
