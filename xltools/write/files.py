"""Writing files safely: atomic replacement, and refusing to write a workbook that is
open in Excel/WPS/LibreOffice or being written by another xltools run."""
from __future__ import annotations

import os
import socket
import sys
import tempfile
import time
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Callable, Iterator

from xltools.errors import XltoolsError
from xltools.write import versions


class OutputLocked(XltoolsError):
    """The output is open in Excel/WPS or another run is writing it."""


def atomic_write(path: Path, write: Callable[[str], None], keep_version: bool = True) -> None:
    """Write beside the target and rename: a crash never leaves half a workbook, and a
    reader sees either the old or the new file.  The temp name is hidden (".~"), so a
    merge scanning the folder meanwhile skips it.  The workbook being replaced is kept as
    a version (versions.keep) just before the rename, so every writer can be undone;
    keep_version=False only for files that are rebuilt from the source (the templates)."""
    path = Path(path)
    sweep_temp(path.parent)
    try:
        fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(), suffix=path.suffix, dir=path.parent)
    except OSError as exc:  # read-only or missing folder, no permission, disk full
        raise OutputLocked("file-not-writable", file=str(path), reason=exc.strerror or str(exc)) from None
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask())
    except OSError as exc:  # the disk is full
        Path(tmp).unlink(missing_ok=True)
        raise OutputLocked("file-not-writable", file=str(path), reason=exc.strerror or str(exc)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _replace_keeping(tmp, path, keep_version)


def _replace_keeping(tmp: str, path: Path, keep_version: bool) -> None:
    """Keep the old file as a version, then rename the new one over it; neither or both."""
    kept = None
    try:
        if keep_version:
            try:
                kept = versions.keep(path)
            except OSError as exc:  # no version, no replacement: the old file stays as it is
                raise OutputLocked("version-not-kept", file=str(path), folder=str(versions.folder_of(path).parent),
                                   reason=exc.strerror or str(exc)) from None
        os.replace(tmp, path)
    except OSError as exc:  # Windows: the target is open in Excel
        versions.discard(kept)
        Path(tmp).unlink(missing_ok=True)
        raise OutputLocked("file-not-writable", file=str(path), reason=exc.strerror or str(exc)) from None
    except BaseException:
        versions.discard(kept)
        Path(tmp).unlink(missing_ok=True)
        raise
    if kept is not None:
        with suppress(OSError):
            versions.prune(path)


TEMP_PREFIX = ".~xltools-"
_LEGACY_TEMP_AGE = 3600        # a temp name without owner (older versions): removed after an hour


def _host() -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in socket.gethostname())[:40] or "host"


def _temp_prefix() -> str:
    """.~xltools-<host>-<pid>-: the next run can tell whether its writer is still alive."""
    return f"{TEMP_PREFIX}{_host()}-{os.getpid()}-"


def pid_alive(pid: int) -> bool:
    """Is process `pid` running on this computer?"""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        import ctypes
        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        ctypes.windll.kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, someone else's
    return True


def sweep_temp(folder: Path) -> list[str]:
    """Remove temp files an interrupted run of ours left in `folder` (its process is gone);
    the names removed."""
    removed = []
    try:
        names = [n for n in os.listdir(folder) if n.startswith(TEMP_PREFIX)]
    except OSError:
        return removed
    host = _host()
    for name in names:
        owner = name[len(TEMP_PREFIX):].rsplit("-", 2)
        path = Path(folder) / name
        try:
            if len(owner) == 3 and owner[1].isdigit():
                if owner[0] != host or pid_alive(int(owner[1])):
                    continue  # another computer's run, or one still writing
            elif time.time() - path.stat().st_mtime < _LEGACY_TEMP_AGE:
                continue
            path.unlink()
            removed.append(name)
        except OSError:
            continue
    return removed


def atomic_save(wb, path: Path) -> None:
    """`atomic_write` of an openpyxl workbook."""
    atomic_write(path, wb.save)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask



# ------------------------------------------------------------------ locks

def check_not_open(path: Path) -> None:
    """Excel and WPS leave ~$<name> beside an open workbook, LibreOffice .~lock.<name>#:
    replacing the file under them would lose the clerk's edits."""
    for lock in (path.with_name("~$" + path.name), path.with_name(f".~lock.{path.name}#")):
        if lock.exists():
            raise OutputLocked("output-open", file=str(path), lock=lock.name)


_EMPTY_LOCK_AGE = 600         # a lock without its owner written (crashed at once): stale after 10 minutes


@contextmanager
def output_lock(path: str | Path, notes: list[tuple[str, dict]] | None = None) -> Iterator[Path]:
    """Hold <output>.lock (created exclusively) for the whole merge: two merges into the
    same master must not interleave.  The lock says which process on which computer holds
    it; a lock left by a process of this computer that is gone (killed, power cut) is
    taken over, and ("lock-taken-over", params) is added to `notes`."""
    path = Path(path)
    lock = path.with_name(path.name + ".lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    for attempt in (1, 2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            break
        except FileExistsError:
            owner = _stale_owner(lock)
            if attempt == 2 or owner is None:
                raise OutputLocked("output-busy", file=str(path), lock=lock.name, **_holder(lock)) from None
            lock.unlink(missing_ok=True)
            if notes is not None:
                notes.append(("lock-taken-over", {"lock": lock.name, **owner}))
        except OSError as exc:
            raise OutputLocked("output-not-writable", file=str(path), reason=exc.strerror or str(exc)) from None
    try:
        os.write(fd, f"{os.getpid()}\n{socket.gethostname()}\n".encode())
    finally:
        os.close(fd)
    try:
        yield lock
    finally:
        lock.unlink(missing_ok=True)


def _holder(lock: Path) -> dict:
    """pid and host written in a lock file ("" when unreadable)."""
    try:
        lines = lock.read_text(encoding="utf-8", errors="replace").split("\n")
    except OSError:
        return {"pid": "", "host": ""}
    pid = lines[0].strip() if lines else ""
    host = lines[1].strip() if len(lines) > 1 and lines[1].strip() else socket.gethostname()  # older locks: pid only
    return {"pid": pid, "host": host}


def _stale_owner(lock: Path) -> dict | None:
    """The owner of a lock whose process is gone (so it may be taken over), else None."""
    owner = _holder(lock)
    if owner["pid"].isdigit():
        if owner["host"] != socket.gethostname() or pid_alive(int(owner["pid"])):
            return None  # alive here, or another computer's: we cannot know, so we wait
        return owner
    try:
        old = time.time() - lock.stat().st_mtime > _EMPTY_LOCK_AGE
    except OSError:
        return None
    return owner if old else None
