"""Reading many files in a pool of processes: merge's district files, collect's returns.

`read_all(read, args, …)` calls `read(*a)` for every `a`, in reading processes when it
is asked to (else in this one), and hands each result to `done(i, result)` in this
process as it comes.  `read` never raises: a file's problem is its result.  While the
pool reads, `meanwhile()` runs here once (collect reads the master then).

A process that dies (a crash inside a native reader, the memory killer) breaks the
pool: the files begun in it are read again one at a time, each in a process of its
own, so the one that kills its process is listed by `lost(a, reason)`; the files not
yet begun go on in a new pool.  Where no pool can start at all (a sandbox, a frozen
app), the files are read in this process.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable

from xltools.texts import t as _t

PARALLEL_FROM = 4          # below this many files, process start-up costs more than it saves
GC_THRESHOLD = (50_000, 50, 100)  # Python's default: (700, 10, 10); see merge.fewer_collections

_STARTED = None   # in a reading process: a byte per file, set when the file is begun (shared with the parent)

Done = Callable[[int, Any], None]
Lost = Callable[[tuple, str], Any]


def workers_for(total: int, jobs: int | None = None) -> int:
    """How many reading processes for `total` files (0: read them in this process)."""
    workers = jobs or min(os.cpu_count() or 1, total)
    return workers if workers > 1 and total > PARALLEL_FROM else 0


def read_all(read: Callable[..., Any], args: list[tuple], done: Done, lost: Lost, lang: str, workers: int,
             meanwhile: Callable[[], None] | None = None) -> None:
    """`read(*a)` for each of `args` in `workers` processes (0: here), `done(i, result)`
    as each finishes; `meanwhile()` once, while the processes read."""
    finished: set[int] = set()
    ran = False

    def mark(i: int, result: Any) -> None:
        finished.add(i)
        done(i, result)

    def during() -> None:
        nonlocal ran
        if not ran:
            ran = True
            if meanwhile is not None:
                meanwhile()

    if workers > 0:
        preload()
        try:
            _read_in_processes(read, args, workers, mark, lost, lang, during)
        except _NoPool:
            pass  # no process pool can start here: read the rest in this process
    during()
    for i, a in enumerate(args):
        if i not in finished:
            mark(i, read(*a))  # never raises: a file's problem stays that file's


def preload() -> None:
    """Forked reading processes (Linux) start with what this process holds: import the
    reader and build the built-in registry here once, not again in every process."""
    if multiprocessing.get_start_method() != "fork":
        return
    from xltools.read import read_plan  # noqa: F401
    from xltools.read.loaders import preload as preload_loaders
    from xltools.check.validate import validate_plan  # noqa: F401
    from xltools.rules.units import UnitRegistry
    preload_loaders()
    UnitRegistry.default()   # built once (kept by the class), not again in every process


def _worker_start(parent: int, started=None) -> None:
    """In each reading process: Ctrl-C is the parent's to handle (no traceback per
    worker), and the process ends when its parent does, even killed with SIGKILL."""
    global _STARTED
    _STARTED = started
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.set_threshold(*GC_THRESHOLD)  # a spawned process (Windows) does not inherit the parent's
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)

    def watch() -> None:  # other systems: notice the parent is gone
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _stop(pool: ProcessPoolExecutor) -> None:
    """Interrupted (Ctrl-C, SIGTERM): end the reading processes now, not after their files."""
    pool.shutdown(wait=False, cancel_futures=True)
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()


def _read_marked(read: Callable[..., Any], index: int, *args) -> Any:
    """`read` in a pool, saying first which file it begins: should the process die, the
    parent knows the file it died on."""
    _STARTED[index] = 1
    return read(*args)


class _NoPool(Exception):
    """No process pool can run here (a sandbox, a frozen app)."""


def _read_in_processes(read, args: list[tuple], workers: int, done: Done, lost: Lost, lang: str,
                       during: Callable[[], None]) -> None:
    """Read every file in a pool of processes, a broken pool's files again (module text).
    _NoPool when no pool can start at all (or breaks before any file is begun)."""
    started = multiprocessing.RawArray("b", len(args))
    todo = list(range(len(args)))
    while todo:
        left, broken = _pool_round(read, args, todo, workers, started, done, lost, lang, during)
        if not broken:
            return
        begun = bytes(started)  # once: the broken pool's processes are gone, nothing sets it now
        suspects, todo = [i for i in left if begun[i]], [i for i in left if not begun[i]]
        if not suspects:
            raise _NoPool("the process pool broke before reading any file")
        for i in suspects:
            done(i, _read_alone(read, args[i], lost, lang))


def _pool_round(read, args: list[tuple], todo: list[int], workers: int, started, done: Done, lost: Lost, lang: str,
                during: Callable[[], None]) -> tuple[list[int], bool]:
    """One pool over the files `todo`: the files it did not read, and whether it broke."""
    try:
        pool = ProcessPoolExecutor(max_workers=min(workers, len(todo)), initializer=_worker_start,
                                   initargs=(os.getpid(), started))
    except (OSError, NotImplementedError) as exc:
        raise _NoPool(str(exc)) from exc
    left, broken = set(todo), False
    futures: dict = {}
    try:
        try:
            for i in todo:
                futures[pool.submit(_read_marked, read, i, *args[i])] = i
            during()
            for future in as_completed(futures):
                i = futures[future]
                result = _result_of(future, args[i], lost, lang)
                left.discard(i)
                done(i, result)
        except (BrokenProcessPool, OSError, NotImplementedError) as exc:
            if not futures and not isinstance(exc, BrokenProcessPool):
                raise _NoPool(str(exc)) from exc  # processes cannot be started here
            broken = True  # a process died (its pipes may break before the pool says so)
            for future, i in futures.items():  # files finished before the break
                if i in left and future.done() and not future.cancelled() and future.exception() is None:
                    left.discard(i)
                    done(i, future.result())
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown()  # broken: the pool ends its processes itself; wait, so that none begins a file after this
    return [i for i in todo if i in left], broken


def _result_of(future, a: tuple, lost: Lost, lang: str) -> Any:
    """A finished reading's result; BrokenProcessPool passes on (the pool is gone)."""
    try:
        return future.result()
    except BrokenProcessPool:
        raise
    except Exception as exc:  # the result could not come back (not picklable …): that file's problem
        return lost(a, _t("internal-error", lang, error=f"{type(exc).__name__}: {exc}"))


def _read_alone(read, a: tuple, lost: Lost, lang: str) -> Any:
    """One file in a process of its own: if that one dies too, the file is what kills it."""
    try:
        solo = ProcessPoolExecutor(max_workers=1, initializer=_worker_start, initargs=(os.getpid(),))
        future = solo.submit(read, *a)
    except (OSError, NotImplementedError, BrokenProcessPool):  # not in this process: it may be fatal here too
        return lost(a, _t("reason-worker-died", lang))
    try:
        result = _result_of(future, a, lost, lang)
    except BrokenProcessPool:
        result = lost(a, _t("reason-worker-died", lang))
    except BaseException:
        _stop(solo)
        raise
    solo.shutdown()
    return result
