"""Wall and CPU seconds of `xltools merge` for two versions of the code on the same inputs,
one after the other, so that both meet the same machine load.

    python scripts/benchmark_compare.py INPUTS --old a2ec3aa [--new HEAD] [--rounds 2]

INPUTS is a folder of district files (`scripts/benchmark_merge.py --keep --workdir W`
leaves W/in-300 and W/in-3000).  Each version is checked out in a temporary worktree and
run as its own process tree; CPU is user + system of that tree.
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def worktree(rev: str, parent: Path) -> Path:
    path = parent / rev.replace("/", "_")
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(path), rev], check=True)
    # compiled to bytecode, as `pip install` leaves it (PYTHONDONTWRITEBYTECODE would make
    # every run compile the sources again)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(path / "xltools")], check=True)
    return path


def merge_once(tree: Path, inputs: Path, out: Path) -> tuple[float, float, int]:
    out.unlink(missing_ok=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", "from xltools.cli import main; main()", "merge", str(inputs),
                           "-o", str(out)], env={**os.environ, "PYTHONPATH": str(tree)}, cwd=tree,
                          capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), done.returncode


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("inputs", type=Path)
    ap.add_argument("--old", required=True)
    ap.add_argument("--new", default="HEAD")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        trees = {rev: worktree(rev, Path(tmp)) for rev in (args.old, args.new)}
        try:
            for _ in range(args.rounds):
                for rev, tree in trees.items():
                    wall, cpu, code = merge_once(tree, args.inputs.resolve(), Path(tmp) / "master.xlsx")
                    print(f"{rev:12s} wall {wall:7.1f} s  cpu {cpu:7.1f} s  exit {code}  "
                          f"load {os.getloadavg()[0]:.1f}", flush=True)
        finally:
            for tree in trees.values():
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)


if __name__ == "__main__":
    main()
