"""Versions: the file a command replaces is kept beside it, so that any command can be
undone (`xltools undo`).

`files.atomic_write` calls `keep` just before it renames the new file over the old one,
so every writer of a workbook (merge, collect, flag, remind --sheet, new-plan, the Excel
buttons, undo itself) keeps a version without having to remember it.  A version is the
old file itself, hard-linked into the hidden folder before the rename (no bytes copied:
the rename gives the old name a new file and leaves the old one to the link), or copied
where the file system has no hard links.

Layout, beside the file:

    .xltools-versions/汇总.xlsx/20261203-102031-123456.xlsx    the file as it was
    .xltools-versions/汇总.xlsx/20261203-102031-123456.json    when, which command, who,
                                                               what the command changed

The folder name is ASCII (any share, any code page) and starts with a dot: merge and
collect never read hidden folders; on Windows it is also marked hidden.  History is
bounded: the newest MAX_VERSIONS, none older than MAX_AGE_DAYS, at most MAX_BYTES in all
(the newest version is always kept).
"""
from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import shutil
import socket
import sys
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

FOLDER = ".xltools-versions"
VERSIONED_SUFFIXES = (".xlsx", ".xlsm")      # the workbooks xltools writes (documents are made from them)
MAX_VERSIONS = 20
MAX_AGE_DAYS = 90
MAX_BYTES = 1 << 30

_OPERATION: ContextVar[dict | None] = ContextVar("xltools_operation", default=None)


@dataclass
class Version:
    """One kept file: `file` as it was before `command` replaced it at `time`."""
    id: str                                   # 20261203-102031-123456: sorts by time
    file: Path                                # the kept copy
    time: dt.datetime
    command: str = ""
    user: str = ""
    computer: str = ""
    size: int = 0
    changes: dict[str, Any] = field(default_factory=dict)   # what the command changed (counts)
    restores: str | None = None               # an undo: the id of the version it put back

    def to_dict(self) -> dict:
        return {"id": self.id, "file": str(self.file), "time": self.time.isoformat(timespec="seconds"),
                "command": self.command, "user": self.user, "computer": self.computer, "size": self.size,
                "changes": self.changes, "restores": self.restores}


# ------------------------------------------------------------------ what the running command is

@contextmanager
def operation(command: str, **details) -> Iterator[dict]:
    """Name the command whose writes follow (merge, collect …): the versions it makes
    say so.  `describe` adds what it changed once that is known (before it saves)."""
    record = {"command": command, **details}
    token = _OPERATION.set(record)
    try:
        yield record
    finally:
        _OPERATION.reset(token)


def describe(**changes) -> None:
    """What the running command changed (counts), for the version it is about to make."""
    record = _OPERATION.get()
    if record is not None:
        record.setdefault("changes", {}).update(changes)


# ------------------------------------------------------------------ keeping

def folder_of(path: Path) -> Path:
    return path.parent / FOLDER / path.name


def versioned(path: Path) -> bool:
    return path.suffix.lower() in VERSIONED_SUFFIXES


def keep(path: Path, now: dt.datetime | None = None) -> Version | None:
    """Keep `path` as it is now (it is about to be replaced) as its newest version; None
    when there is nothing to keep.  Raises OSError when the version cannot be written:
    the caller then leaves the file alone."""
    path = Path(path)
    if not versioned(path) or not path.is_file():
        return None
    folder = folder_of(path)
    _make_folder(folder)
    now = now or dt.datetime.now()
    vid = now.strftime("%Y%m%d-%H%M%S-%f")
    while (folder / (vid + path.suffix)).exists() or (folder / (vid + ".json")).exists():
        now += dt.timedelta(microseconds=1)
        vid = now.strftime("%Y%m%d-%H%M%S-%f")
    target = folder / (vid + path.suffix)
    try:
        os.link(path, target)        # the old file itself: nothing copied
    except OSError:
        shutil.copy2(path, target)   # FAT, some network shares: a copy
    record = _OPERATION.get() or {}
    version = Version(vid, target, now.replace(microsecond=0), command=record.get("command", ""),
                      user=_user(), computer=socket.gethostname(), size=target.stat().st_size,
                      changes=dict(record.get("changes", {})), restores=record.get("restores"))
    try:
        _meta(target).write_text(json.dumps(version.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
    except OSError:
        target.unlink(missing_ok=True)
        raise
    return version


def discard(version: Version | None) -> None:
    """The replacement failed: the version it made is not a version of anything."""
    if version is not None:
        with suppress(OSError):
            _meta(version.file).unlink(missing_ok=True)
        with suppress(OSError):
            version.file.unlink(missing_ok=True)


def _make_folder(folder: Path) -> None:
    top = folder.parent
    new = not top.exists()
    folder.mkdir(parents=True, exist_ok=True)
    if new and sys.platform == "win32":
        with suppress(Exception):
            import ctypes
            ctypes.windll.kernel32.SetFileAttributesW(str(top), 0x2)   # FILE_ATTRIBUTE_HIDDEN


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment (a service)
        return ""


def _meta(file: Path) -> Path:
    return file.with_suffix(".json")


# ------------------------------------------------------------------ listing and pruning

def versions(path: Path) -> list[Version]:
    """The kept versions of `path`, newest first."""
    path = Path(path)
    folder = folder_of(path)
    out = []
    try:
        names = os.listdir(folder)
    except OSError:
        return out
    for name in names:
        if not name.endswith(".json"):
            continue
        meta = folder / name
        try:
            data = json.loads(meta.read_text(encoding="utf-8"))
            file = folder / (meta.stem + path.suffix)
            if not file.is_file():
                continue
            out.append(Version(meta.stem, file, dt.datetime.fromisoformat(data["time"]), data.get("command", ""),
                               data.get("user", ""), data.get("computer", ""), int(data.get("size", 0)),
                               dict(data.get("changes") or {}), data.get("restores")))
        except (OSError, ValueError, KeyError, TypeError):
            continue  # a record someone edited or half wrote: not offered
    out.sort(key=lambda v: v.id, reverse=True)
    return out


def prune(path: Path, now: dt.datetime | None = None) -> list[str]:
    """Drop the versions beyond MAX_VERSIONS, older than MAX_AGE_DAYS or beyond
    MAX_BYTES in all; the newest always stays.  The ids dropped."""
    now = now or dt.datetime.now()
    dropped, total = [], 0
    for n, version in enumerate(versions(path)):
        total += version.size
        if n == 0:
            continue
        if (n >= MAX_VERSIONS or now - version.time > dt.timedelta(days=MAX_AGE_DAYS) or total > MAX_BYTES):
            discard(version)
            dropped.append(version.id)
    return dropped
