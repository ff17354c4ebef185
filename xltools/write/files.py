"""Writing files safely: atomic replacement, and refusing to write a workbook that is
open in Excel/WPS/LibreOffice or being written by another xltools run.

Every command that replaces or edits a workbook does it through `editing(path)`: the one
lock (<name>.lock, with process and computer), the file's identity recorded when it is
read, and a replacement that happens only if nobody changed the file meanwhile."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import socket
import sys
import tempfile
import time
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from xltools.errors import XltoolsError
from xltools.write import versions


class OutputLocked(XltoolsError):
    """The output is open in Excel/WPS or another run is writing it."""


def atomic_write(path: Path, write: Callable[[str], None], keep_version: bool = True,
                 before_replace: Callable[[str], None] | None = None) -> None:
    """Write beside the target and rename: a crash never leaves half a workbook, and a
    reader sees either the old or the new file.  The temp name is hidden (".~"), so a
    merge scanning the folder meanwhile skips it.  `before_replace(temp)` runs when the
    new file is complete, just before it replaces the old one (it may refuse by raising).
    The workbook being replaced is kept as a version (versions.keep) just before the
    rename, so every writer can be undone; keep_version=False only for files that are
    rebuilt from the source (the templates)."""
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
        if before_replace is not None:
            before_replace(tmp)
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

LOCK_SUFFIX = ".lock"


def lock_path(path: str | Path) -> Path:
    """The lock xltools holds while it writes `path` (output_lock): <name>.lock beside it."""
    path = Path(path)
    return path.with_name(path.name + LOCK_SUFFIX)


def is_lock(path: str | Path) -> bool:
    """Whether `path` is a lock xltools holds while writing a workbook (汇总.xlsx.lock): never
    an input, nor a file to tell the clerk about (it goes when the run ends)."""
    name = Path(path).name
    return name.endswith(LOCK_SUFFIX) and bool(Path(name[:-len(LOCK_SUFFIX)]).suffix)


def check_not_open(path: Path) -> None:
    """Excel and WPS leave ~$<name> beside an open workbook, LibreOffice .~lock.<name>#:
    replacing the file under them would lose the clerk's edits."""
    for lock in (path.with_name("~$" + path.name), path.with_name(f".~lock.{path.name}#")):
        if lock.exists():
            raise OutputLocked("output-open", file=str(path), lock=lock.name)


@contextmanager
def output_lock(path: str | Path, notes: list[tuple[str, dict]] | None = None) -> Iterator[Path]:
    """Hold <file>.lock for the whole command: two runs that write the same workbook must
    not interleave.  The lock says which process on which computer holds it.  A lock left
    by a process of this computer that is gone (killed, power cut), or one that says
    nothing (a full disk left it empty), is taken over at once and ("lock-taken-over" /
    "lock-empty-taken-over", params) is added to `notes`; a live holder, or one on another
    computer (we cannot know), stops us with its process and computer named."""
    path = Path(path)
    lock = lock_path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    for attempt in (1, 2):
        try:
            _create_lock(lock)
            break
        except FileExistsError:
            owner = _stale_owner(lock)
            if attempt == 2 or owner is None:
                raise OutputLocked("output-busy", file=str(path), lock=lock.name, **_holder(lock)) from None
            if not owner:
                continue  # the holder finished meanwhile
            try:
                lock.unlink(missing_ok=True)
            except OSError:
                raise OutputLocked("output-busy", file=str(path), lock=lock.name, **_holder(lock)) from None
            if notes is not None:
                key = "lock-taken-over" if owner["pid"] else "lock-empty-taken-over"
                notes.append((key, {"lock": lock.name, **owner}))
        except OSError as exc:
            raise OutputLocked("output-not-writable", file=str(path), folder=str(path.parent), lock=lock.name,
                               reason=exc.strerror or str(exc)) from None
    try:
        yield lock
    finally:
        lock.unlink(missing_ok=True)


def _create_lock(lock: Path) -> None:
    """Create `lock` holding our process and computer, or raise FileExistsError.  The
    content is written to a temp file first and linked into place, so no other run ever
    sees the lock empty (and a full disk fails here, leaving no lock at all); where links
    are not allowed (some shares) the lock is created exclusively and then written."""
    content = f"{os.getpid()}\n{socket.gethostname()}\n".encode()
    fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(), suffix=".lock", dir=lock.parent)
    try:
        try:
            os.write(fd, content)
        finally:
            os.close(fd)
        try:
            os.link(tmp, lock)
            return
        except FileExistsError:
            raise
        except OSError:
            pass  # no hard links here: the exclusive create below
    finally:
        Path(tmp).unlink(missing_ok=True)
    fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    try:
        os.write(fd, content)
    except OSError:
        os.close(fd)
        lock.unlink(missing_ok=True)
        raise
    os.close(fd)


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
    """The owner of a lock that may be taken over (its process is gone, or it names no
    process at all: an empty or garbled lock), {} when the lock is gone, else None."""
    try:
        lock.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError:
        return None  # not ours to read: not ours to take
    owner = _holder(lock)
    if owner["pid"].isdigit():
        if owner["host"] != socket.gethostname() or pid_alive(int(owner["pid"])):
            return None  # alive here, or another computer's: we cannot know, so we wait
        return owner
    return {"pid": "", "host": owner["host"]}


# ------------------------------------------------------------------ editing a workbook in place

RESULT_MARK = ".xltools-结果-"   # <name>.xltools-结果-<time>.xlsx: a result kept beside a changed file
ARCHIVE_MARK = "-收集记录存档"    # <name>-收集记录存档.xlsx: a master's old 收集记录 lines (work/log_archive.py)


@dataclass(frozen=True)
class FileIdentity:
    """What a file was when it was read: a changed file has another size or hash."""
    size: int
    mtime_ns: int
    sha256: str

    @classmethod
    def of(cls, path: Path) -> "FileIdentity | None":
        """The file as it is now; None when there is no file."""
        try:
            st = os.stat(path)
            return cls(st.st_size, st.st_mtime_ns, sha256_of(path))
        except FileNotFoundError:
            return None

    def same_content(self, other: "FileIdentity | None") -> bool:
        return other is not None and (self.size, self.sha256) == (other.size, other.sha256)


def sha256_of(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class FileChanged(OutputLocked):
    """The workbook was changed by someone else after we read it: it is not replaced,
    our result is kept beside it."""


class Editing:
    """A workbook held by `editing`: read it after `mark_read()`, replace it by `replace()`."""

    def __init__(self, path: Path, notes: list[tuple[str, dict]]):
        self.path, self.notes = path, notes
        self.read_as: FileIdentity | None = None
        self.mark_read()

    def mark_read(self) -> None:
        """Record the file as it is now.  Call it just before reading the file (a change
        after this is caught; one before it is simply what we read)."""
        try:
            self.read_as = FileIdentity.of(self.path)
        except OSError:
            self.read_as = None  # unreadable now: whatever is there at the end counts as changed

    def replace(self, write: Callable[[str], None]) -> Path:
        """Write the new workbook (`write(temp path)`) and put it in place, unless the
        file was changed since it was read: then it stays as the other person left it,
        our result is kept as <name>.xltools-结果-<time><suffix> beside it, and
        FileChanged says so."""
        check_not_open(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(self.path, write, before_replace=self._check_unchanged)
        return self.path

    def _check_unchanged(self, temp: str) -> None:
        try:
            now = FileIdentity.of(self.path)
            if now is None and self.read_as is None or self.read_as is not None and self.read_as.same_content(now):
                return
        except OSError:
            pass  # cannot be checked: treated as changed
        kept = result_name(self.path)
        try:
            os.replace(temp, kept)
        except OSError as exc:
            raise FileChanged("file-changed-not-kept", file=str(self.path), reason=exc.strerror or str(exc)) from None
        raise FileChanged("file-changed", file=str(self.path), kept=kept.name)


def result_name(path: Path) -> Path:
    """<name>.xltools-结果-<time><suffix>, not yet taken."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    kept, n = path.with_name(f"{path.stem}{RESULT_MARK}{stamp}{path.suffix}"), 1
    while kept.exists():
        n += 1
        kept = path.with_name(f"{path.stem}{RESULT_MARK}{stamp}-{n}{path.suffix}")
    return kept


def check_editable(path: str | Path) -> None:
    """Raise what `editing(path)` would raise on entering, taking nothing: the workbook
    open in Excel/WPS, or its lock held by a run that is alive (or on another computer).
    A dry run calls it to say what the real run would do."""
    path = Path(path)
    check_not_open(path)
    lock = lock_path(path)
    if lock.exists() and _stale_owner(lock) is None:
        raise OutputLocked("output-busy", file=str(path), lock=lock.name, **_holder(lock))


@contextmanager
def editing(path: str | Path, notes: list[tuple[str, dict]] | None = None) -> Iterator[Editing]:
    """The one way to replace or edit a workbook in place (merge, collect, flag, remind
    --sheet, the Excel actions): refuse when it is open in Excel/WPS, hold its lock for the
    whole command, record the file as it is (size, time, hash), and let `replace()` put
    the new file in place only if nobody changed it meanwhile.  Notes about locks taken
    over go to `notes` (see `output_lock`)."""
    path = Path(path)
    notes = notes if notes is not None else []
    check_not_open(path)
    with output_lock(path, notes):
        yield Editing(path, notes)
