#!/usr/bin/env python3
"""Time `xltools merge` against the plain pandas script a clerk might write.

    python scripts/benchmark_merge.py                    # 30 and 300 files
    python scripts/benchmark_merge.py --files 3000       # the large run (≈170k rows)
    python scripts/benchmark_merge.py --files 30 300 3000 --workdir /tmp/bench --keep

For each size N it generates N district workbooks from the two examples (which
scripts/build_examples.py builds from scripts/seed_tables/): each copy gets its own
district name in the title, the notice and the file name, so every task has its own key.
Then, in this one run, it times

  baseline  a plain script: pandas.read_excel(f, sheet_name=…, header=N) per file
            (openpyxl engine, the default) + pd.concat + DataFrame.to_excel(out);
  xltools   `xltools merge DIR -o out.xlsx` (reading, checking, 汇总 with live 预警,
            统计, 问题清单, 合并记录).

Each runs as its own subprocess, with this checkout's xltools, compiled to bytecode first
as `pip install` does (an editable checkout under PYTHONDONTWRITEBYTECODE would compile
its source again on every run, which no installed copy does).  Wall time is measured
around the subprocess, CPU time is the kernel's (user + system, workers included).
Peak memory is the largest total over the whole process tree (xltools reads with a
process pool) of each process's proportional set size (PSS: shared pages split between
the processes sharing them), sampled from /proc every 20 ms, or the kernel's ru_maxrss
(RSS of the largest single process) when that is larger; both are printed per run.  With --repeat the runs
alternate and the fastest of each is kept.  Nothing here is a test: the figures
depend on the machine and on what else it is doing.
"""
from __future__ import annotations

import argparse
import compileall
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
# (file, the district written in it, task sheet, 0-based header row for pandas)
TEMPLATES = [
    (EXAMPLES / "2024年天桥区政务公开重点工作任务分工.xlsx", "天桥区", "任务分工", 2),
    (EXAMPLES / "2022年长清区政务公开重点工作任务分解表.xlsx", "长清区", "任务分解表", 3),
]
# Districts are real county-level divisions of the national list (区, 县, 县级市, 旗), so
# titles, units (县财政局, 市政府各部门) and the district checks are those of real sheets.
BASELINE = textwrap.dedent('''\
    """What a clerk might write: read every task sheet with pandas, stack them, save."""
    import glob, os, sys
    import pandas as pd

    folder, out = sys.argv[1], sys.argv[2]
    frames = []
    for f in sorted(glob.glob(os.path.join(folder, "*.xlsx"))):
        sheet, header = ("任务分工", 2) if "任务分工" in f else ("任务分解表", 3)
        df = pd.read_excel(f, sheet_name=sheet, header=header)
        df["来源文件"] = os.path.basename(f)
        frames.append(df)
    pd.concat(frames, ignore_index=True).to_excel(out, index=False)
    ''')

FLOOR = textwrap.dedent('''\
    """The floor: read every task sheet's cells with python-calamine, write the same rows with
    XlsxWriter in constant_memory mode.  Nothing is parsed or checked."""
    import glob, os, sys
    import python_calamine as pc
    import xlsxwriter

    folder, out = sys.argv[1], sys.argv[2]
    book = xlsxwriter.Workbook(out, {"constant_memory": True})
    ws = book.add_worksheet("汇总")
    r = 0
    for f in sorted(glob.glob(os.path.join(folder, "*.xlsx"))):
        sheet, header = ("任务分工", 3) if "任务分工" in f else ("任务分解表", 4)
        wb = pc.CalamineWorkbook.from_path(f)
        for row in wb.get_sheet_by_name(sheet).to_python()[header:]:
            r += 1
            ws.write_row(r, 0, list(row) + [os.path.basename(f)])
        wb.close()
    book.close()
    ''')


# The writers alone, on the same rows: xltools' master writer (timed inside a merge) and
# XlsxWriter in constant_memory mode writing every sheet of that master (values read
# back with python-calamine, one wrapped-and-bordered format as our cells have).
WRITER_OURS = textwrap.dedent('''\
    import json, sys, time
    from pathlib import Path
    import xltools.write.master as m
    from xltools.work.merge import merge
    took = {}
    write = m.MasterWorkbook.write          # what a merge calls, through its one lock
    def timed(self, path):
        t, c = time.perf_counter(), time.process_time()
        write(self, path)
        took.update(wall=time.perf_counter() - t, cpu=time.process_time() - c)
    m.MasterWorkbook.write = timed
    out = Path(sys.argv[2])
    out.unlink(missing_ok=True)
    merge([Path(sys.argv[1])], out)
    print(json.dumps(took))
    ''')
WRITER_XLSXWRITER = textwrap.dedent('''\
    import json, sys, time
    import python_calamine as pc
    import xlsxwriter
    wb = pc.CalamineWorkbook.from_path(sys.argv[1])
    sheets = {n: wb.get_sheet_by_name(n).to_python() for n in wb.sheet_names}
    t, c = time.perf_counter(), time.process_time()
    book = xlsxwriter.Workbook(sys.argv[2], {"constant_memory": True})
    cell = book.add_format({"text_wrap": True, "border": 1})
    for name, rows in sheets.items():
        ws = book.add_worksheet(name)
        for r, row in enumerate(rows):
            ws.write_row(r, 0, row, cell)
    book.close()
    print(json.dumps({"wall": time.perf_counter() - t, "cpu": time.process_time() - c,
                      "cells": sum(len(row) for rows in sheets.values() for row in rows)}))
    ''')


def writers(n: int, folder: Path, workdir: Path, master: Path) -> dict:
    """Seconds (wall, cpu) of each writer on the same rows."""
    import json
    ours, theirs = workdir / "writer_ours.py", workdir / "writer_xlsxwriter.py"
    ours.write_text(WRITER_OURS, encoding="utf-8")
    theirs.write_text(WRITER_XLSXWRITER, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    out = {}
    for name, cmd in (("xltools", [sys.executable, str(ours), str(folder), str(workdir / f"writer-{n}.xlsx")]),
                      ("xlsxwriter", [sys.executable, str(theirs), str(master), str(workdir / f"xw-{n}.xlsx")])):
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env)
        out[name] = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"  writers  xltools {out['xltools']['wall']:.1f} s (cpu {out['xltools']['cpu']:.1f} s)  xlsxwriter "
          f"constant_memory {out['xlsxwriter']['wall']:.1f} s (cpu {out['xlsxwriter']['cpu']:.1f} s), "
          f"{out['xlsxwriter']['cells']:,} cells", flush=True)
    return out


def districts() -> list:
    """Real county-level divisions, in a fixed order, the two examples' own first."""
    from xltools.rules import divisions
    table = divisions._table()[0]
    own = [table["天桥区"][0], table["长清区"][0]]
    rest = sorted((d for ds in table.values() for d in ds if d not in own), key=lambda d: (d.province, d.city, d.name))
    random.Random(2260).shuffle(rest)   # provinces and levels mixed, the same every run
    return own + rest


# What real files add to the examples, a few per file, varying from file to file:
# collective-name variants, units the registry does not know (some shared by many files,
# some of one district only), deadlines without a year, a few errors.
COLLECTIVE_VARIANTS = ["各镇（街道）党（工）委", "{L}直各有关部门、单位", "其他相关部门", "各街镇", "{L}政府各部门、单位"]
UNKNOWN_SHARED = ["{L}融媒体服务中心", "{L}机关事务服务中心", "{L}城市更新发展中心"]


def _vary(xml: str, i: int, level: str, short: str) -> str:
    """The sheet XML of file i with its district's level on the units and realistic noise."""
    def units(m: re.Match) -> str:   # 区财政局、区审计局 → 县财政局、县审计局 inside cell text only
        return m.group(1) + re.sub(r"(^|[、，,\n（(])区(?=[\u4e00-\u9fff])", rf"\g<1>{level}", m.group(2)) + m.group(3)
    xml = re.sub(r"(<t[^>]*>)([^<]*)(</t>)", units, xml)
    swaps = [("各街道办事处", COLLECTIVE_VARIANTS[i % len(COLLECTIVE_VARIANTS)].format(L=level)),
             (f"{level}财政局", f"{level}财政局、" + UNKNOWN_SHARED[i % len(UNKNOWN_SHARED)].format(L=level)),
             (f"{level}审计局", f"{level}审计局、{level}{short}发展服务中心"),          # one district's own body
             (f"{level}统计局", f"{level}统计局局"),                                      # a typo: an error
             ("2024年12月底前", "12月底前"), ("2022年12月底前", "12月底前")]
    for old, new in swaps:
        xml = xml.replace(old, new, 1 + i % 3)
    return xml


def generate(n: int, folder: Path) -> int:
    """N workbooks; returns the total size in bytes.  The examples store their text
    inline in the sheet XML, so string replacements rename the district, its city and
    the level of its units, and add what real files have (see _vary)."""
    folder.mkdir(parents=True, exist_ok=True)
    parts = []
    for path, old, _, _ in TEMPLATES:
        with zipfile.ZipFile(path) as zf:
            parts.append([(info, zf.read(info.filename)) for info in zf.infolist()])
    names = districts()
    total = 0
    for i in range(n):
        t = i % len(TEMPLATES)
        path, old, _, _ = TEMPLATES[t]
        d = names[i % len(names)]
        name = path.name.replace(old, d.name).replace(".xlsx", f"-{i:04d}.xlsx")
        out = folder / name
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            for info, data in parts[t]:
                if info.filename.startswith("xl/worksheets/"):
                    xml = data.decode("utf-8").replace("济南市" + old, d.city + d.name).replace(old, d.name)
                    data = _vary(xml.replace(old[:-1], d.name[:-1]), i, d.level, d.name[:-1]).encode("utf-8")
                zf.writestr(info, data)
        total += out.stat().st_size
    return total


# ------------------------------------------------------------------ measuring a process tree

_PAGE = os.sysconf("SC_PAGE_SIZE")


def _memory(pid: int, rss_pages: int) -> int:
    """Proportional set size (bytes): shared pages split between the processes sharing
    them, so forked workers are not counted twice.  RSS where the kernel has no PSS."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return rss_pages * _PAGE


def _tree_memory(root: int) -> int:
    """Memory (bytes) of `root` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2:].split()
        pid, ppid = int(entry), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(fields[21])
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        if pid in rss:
            total += _memory(pid, rss[pid])
        todo += children.get(pid, [])
    return total


SAMPLE_EVERY = 0.25     # seconds between samples of the process tree's memory


def run(cmd: list[str], log: Path) -> dict:
    """Run a command; wall time, peak tree RSS, ru_maxrss and exit code."""
    with open(log, "wb") as out:
        start = time.perf_counter()
        # this checkout's xltools, whatever else is installed
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, env=env)
        peak, sampled = 0, 0.0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            # reading a process's PSS walks its page tables and holds up its own memory
            # work: a large process sampled every 20 ms ran 11% slower (collect, 20,000 rows)
            if time.perf_counter() - sampled >= SAMPLE_EVERY:
                peak, sampled = max(peak, _tree_memory(proc.pid)), time.perf_counter()
            time.sleep(0.02)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    maxrss = usage.ru_maxrss * 1024
    # the sampler may miss a short peak that the kernel's maximum did not: report the larger
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak": max(peak, maxrss), "tree": peak,
            "maxrss": maxrss, "rc": proc.returncode}


def _mb(n: int) -> str:
    return f"{n / 2**20:,.0f} MB"


_COUNT_ROWS = ("import sys, python_calamine as pc; wb = pc.CalamineWorkbook.from_path(sys.argv[1]); "
               "print(len(wb.get_sheet_by_name(wb.sheet_names[0]).to_python()) - 1)")


def _rows(path: Path) -> int:
    """Rows of the output's first sheet, counted in a process of its own: read here, the
    sheet would grow this process, and every later run's ru_maxrss would start from its
    size (Linux keeps the parent's maximum across fork and exec)."""
    done = subprocess.run([sys.executable, "-c", _COUNT_ROWS, str(path)], capture_output=True, text=True, check=True)
    return int(done.stdout)


def _report(name: str, r: dict) -> None:
    print(f"  {name:8} {r['wall']:7.1f} s  cpu {r['cpu']:6.1f} s  peak {_mb(r['peak']):>9}  (tree PSS "
          f"{_mb(r['tree'])}, largest process {_mb(r['maxrss'])})  rows {r['rows']}  exit {r['rc']}", flush=True)


def bench(n: int, workdir: Path, keep: bool, repeat: int, remerge: bool) -> dict:
    folder = workdir / f"in-{n}"
    if folder.exists():
        shutil.rmtree(folder)
    t0 = time.perf_counter()
    size = generate(n, folder)
    print(f"\n{n} files generated in {time.perf_counter() - t0:.1f} s ({_mb(size)}) → {folder}", flush=True)
    script = workdir / "baseline_concat.py"
    script.write_text(BASELINE, encoding="utf-8")
    floor = workdir / "floor_calamine_xlsxwriter.py"
    floor.write_text(FLOOR, encoding="utf-8")
    master = workdir / f"master-{n}.xlsx"
    commands = {
        "baseline": ([sys.executable, str(script), str(folder), str(workdir / f"baseline-{n}.xlsx")],
                     workdir / f"baseline-{n}.xlsx"),
        "floor": ([sys.executable, str(floor), str(folder), str(workdir / f"floor-{n}.xlsx")],
                  workdir / f"floor-{n}.xlsx"),
        "xltools": ([sys.executable, "-m", "xltools.cli", "merge", str(folder), "-o", str(master)], master),
    }
    results: dict[str, dict] = {}
    for _ in range(repeat):  # alternate, so a busy moment hurts both alike; keep the fastest
        for name, (cmd, out) in commands.items():
            if out.exists():
                out.unlink()  # a fresh merge, not a re-merge
            r = run(cmd, workdir / f"{name}-{n}.log")
            r["rows"] = _rows(out) if out.exists() else None
            _report(name, r)
            if r["rc"] not in (0, 1):  # 1 = merged with rejected rows or unreadable files
                print((workdir / f"{name}-{n}.log").read_text(errors="replace")[-2000:])
            best = results.get(name)
            if best is None or r["wall"] < best["wall"]:
                results[name] = {**r, "peak": max(r["peak"], best["peak"]) if best else r["peak"]}
            elif r["peak"] > best["peak"]:
                best["peak"] = r["peak"]
    if master.exists():
        results["writers"] = writers(n, folder, workdir, master)
    if remerge:
        # the same inputs into the master just written: reads it, keeps, compares (变更)
        r = run(commands["xltools"][0], workdir / f"remerge-{n}.log")
        r["rows"] = _rows(master)
        results["remerge"] = r
        _report("re-merge", r)
    if not keep:
        shutil.rmtree(folder)
    return results


def machine() -> str:
    mem = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())
    cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
    return (f"{os.cpu_count()} CPUs ({cpu.group(1).strip() if cpu else platform.processor()}), "
            f"{int(mem.group(1)) / 2**20:.1f} GB RAM, Python {platform.python_version()}, {platform.system()}")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, nargs="+", default=[30, 300], help="numbers of files (default: 30 300)")
    ap.add_argument("--workdir", type=Path, default=None, help="where to generate (default: a temp folder)")
    ap.add_argument("--keep", action="store_true", help="keep the generated inputs")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each, alternating; the fastest is reported")
    ap.add_argument("--remerge", action="store_true", help="also time merging the same inputs into the master again")
    args = ap.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="xltools-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(machine())
    compileall.compile_dir(ROOT / "xltools", quiet=1)  # as installed: the pandas script's libraries are too
    table = [(n, bench(n, workdir, args.keep, args.repeat, args.remerge)) for n in args.files]
    print("\n| files | rows | plain script | peak | floor | peak | xltools | peak | xltools/plain | xltools/floor |"
          " master writer | XlsxWriter | writer ratio |" + (" re-merge time | re-merge peak |" if args.remerge else ""))
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|" + ("---:|---:|" if args.remerge else ""))
    for n, r in table:
        b, f, x = r["baseline"], r["floor"], r["xltools"]
        line = (f"| {n:,} | {x['rows'] or 0:,} | {b['wall']:.1f} s | {_mb(b['peak'])} | {f['wall']:.1f} s | "
                f"{_mb(f['peak'])} | {x['wall']:.1f} s | {_mb(x['peak'])} | {x['wall'] / b['wall']:.2f} | "
                f"{x['wall'] / f['wall']:.2f} |")
        w = r.get("writers")
        line += (f" {w['xltools']['wall']:.1f} s | {w['xlsxwriter']['wall']:.1f} s | "
                 f"{w['xltools']['wall'] / w['xlsxwriter']['wall']:.2f} |") if w else " | | |"
        if "remerge" in r:
            line += f" {r['remerge']['wall']:.1f} s | {_mb(r['remerge']['peak'])} |"
        print(line)
    print(f"\noutputs in {workdir}")


if __name__ == "__main__":
    main()
