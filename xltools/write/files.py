"""Writing files safely: atomic replacement, and refusing to write a workbook that is
open in Excel/WPS/LibreOffice or being written by another xltools run."""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from xltools.errors import XltoolsError


class OutputLocked(XltoolsError):
    """The output is open in Excel/WPS or another run is writing it."""


def atomic_write(path: Path, write: Callable[[str], None]) -> None:
    """Write beside the target and rename: a crash never leaves half a workbook, and a
    reader sees either the old or the new file.  The temp name is hidden (".~"), so a
    merge scanning the folder meanwhile skips it."""
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".~xltools-", suffix=path.suffix, dir=path.parent)
    except OSError as exc:  # read-only or missing folder, no permission, disk full
        raise OutputLocked("file-not-writable", file=str(path), reason=exc.strerror or str(exc)) from None
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as exc:  # Windows: the target is open in Excel; or the disk is full
        Path(tmp).unlink(missing_ok=True)
        raise OutputLocked("file-not-writable", file=str(path), reason=exc.strerror or str(exc)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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


@contextmanager
def output_lock(path: str | Path) -> Iterator[Path]:
    """Hold <output>.lock (created exclusively) for the whole merge: two merges into the
    same master must not interleave."""
    path = Path(path)
    lock = path.with_name(path.name + ".lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        raise OutputLocked("output-busy", file=str(path), lock=lock.name) from None
    except OSError as exc:
        raise OutputLocked("output-not-writable", file=str(path), reason=exc.strerror or str(exc)) from None
    try:
        os.write(fd, f"{os.getpid()}\n".encode())
    finally:
        os.close(fd)
    try:
        yield lock
    finally:
        lock.unlink(missing_ok=True)
