"""`xltools history` and `xltools undo`: the versions every writer keeps
(write/versions.py), listed, and put back.

Undo works like Excel's Ctrl-Z: each undo puts back the file from before the latest
command not yet undone, so undoing twice goes two commands back.  Undo is itself a
write, so the file it replaces is kept as a version (recorded as an undo of the version
it put back): `undo --version N` on that version undoes the undo.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from xltools.errors import XltoolsError
from xltools.texts import t
from xltools.write import versions as kept
from xltools.write.files import atomic_write, check_not_open, output_lock
from xltools.write.versions import Version

__all__ = ["History", "UndoResult", "history", "undo", "HistoryError", "describe_version", "before_last"]


class HistoryError(XltoolsError):
    """Nothing to undo, or no such version."""


def _when(version: Version) -> str:
    return version.time.strftime("%Y-%m-%d %H:%M:%S")


def _command(version: Version, lang: str) -> str:
    key = "op-" + (version.command or "other")
    return t(key if key in _known() else "op-other", lang)


def _known() -> set[str]:
    from xltools.texts import TEXTS
    return set(TEXTS)


def describe_version(version: Version, lang: str = "zh", by_id: dict[str, Version] | None = None) -> str:
    """What the command after this version changed, in words ("" when not recorded)."""
    params = dict(version.changes)
    if version.command == "undo":
        restored = (by_id or {}).get(version.restores or "")
        params["time"] = _when(restored) if restored else (version.restores or "?")
    elif not params:
        return ""
    key = "what-" + version.command
    if key not in _known():
        return ""
    return t(key, lang, **params)


@dataclass
class History:
    file: Path
    versions: list[Version]            # newest first; number n in the list is versions[n-1]

    def lines(self, lang: str = "zh") -> list[str]:
        if not self.versions:
            return [t("hist-none", lang, file=self.file)]
        by_id = {v.id: v for v in self.versions}
        out = [t("hist-title", lang, file=self.file)]
        for n, v in enumerate(self.versions, 1):
            what = describe_version(v, lang, by_id)
            out.append(t("hist-line", lang, n=n, time=_when(v), command=_command(v, lang), user=v.user or "?",
                         computer=v.computer or "?", size=t("hist-size", lang, kb=max(1, round(v.size / 1024))),
                         what=t("hist-what", lang, command=_command(v, lang), what=what) if what else ""))
        out.append(t("hist-hint", lang, file=self.file))
        return out

    def to_dict(self, lang: str = "zh") -> dict:
        by_id = {v.id: v for v in self.versions}
        return {"file": str(self.file),
                "versions": [{"n": n, **v.to_dict(), "what": describe_version(v, lang, by_id)}
                             for n, v in enumerate(self.versions, 1)]}


def history(path: str | Path) -> History:
    """The versions kept of `path`, newest first."""
    path = Path(path)
    return History(path, kept.versions(path))


@dataclass
class UndoResult:
    file: Path
    restored: Version                  # the version put back
    kept: Version | None               # the file as it was before the undo (None: there was no file)
    number: int | None = None          # the version as history numbered it, when one was asked for

    def message(self, lang: str = "zh") -> str:
        """"已撤销合并" for the last command undone; a version asked for is named by its number
        (it may be the one kept before an undo: never "已撤销撤销")."""
        params = dict(command=_command(self.restored, lang), file=self.file, time=_when(self.restored))
        if self.number is not None:
            return t("undo-restored", lang, n=self.number, **params)
        return t("undo-done", lang, **params)

    def to_dict(self) -> dict:
        return {"file": str(self.file), "restored": self.restored.to_dict(),
                "kept": self.kept.to_dict() if self.kept else None}


def _to_undo(all_versions: list[Version]) -> Version | None:
    """The version from before the latest command not yet undone: an undo's own record
    says which version it put back, and the commands before that one come next."""
    index = {v.id: n for n, v in enumerate(all_versions)}
    n = 0
    while n < len(all_versions) and all_versions[n].command == "undo":
        restored = index.get(all_versions[n].restores or "")
        if restored is None or restored < n:
            return None
        n = restored + 1
    return all_versions[n] if n < len(all_versions) else None


def before_last(path: str | Path, command: str) -> Version | None:
    """The version from before the latest `command` (merge, collect …) still in effect: undone
    commands are passed over as undo counts them; None when no such command was kept."""
    all_versions = kept.versions(Path(path))
    index = {v.id: n for n, v in enumerate(all_versions)}
    n = 0
    while n < len(all_versions):
        v = all_versions[n]
        if v.command == "undo":
            restored = index.get(v.restores or "")
            if restored is None or restored < n:
                return None
            n = restored + 1
        elif v.command == command:
            return v
        else:
            n += 1
    return None


def _pick(path: Path, all_versions: list[Version], version: str | int | None) -> Version:
    if version is None:
        found = _to_undo(all_versions)
        if found is None:
            raise HistoryError("undo-nothing", file=str(path))
        return found
    text = str(version).strip()
    if text.isdigit() and 1 <= int(text) <= len(all_versions):
        return all_versions[int(text) - 1]
    for v in all_versions:
        if v.id == text:
            return v
    raise HistoryError("undo-no-version", file=str(path), version=text)


def undo(path: str | Path, version: str | int | None = None) -> UndoResult:
    """Put back the file from before the last command (or the version numbered or named
    `version`, as history lists it).  The file replaced becomes a version itself."""
    path = Path(path)
    if not kept.versioned(path):
        raise HistoryError("undo-not-workbook", file=str(path))
    if not path.exists() and not kept.versions(path):   # a deleted file with versions can still be put back
        raise HistoryError("file-not-found", file=str(path))
    check_not_open(path)
    with output_lock(path):
        all_versions = kept.versions(path)
        target = _pick(path, all_versions, version)
        before = {v.id for v in kept.versions(path)}
        with kept.operation("undo", restores=target.id):
            atomic_write(path, lambda tmp: shutil.copyfile(target.file, tmp))
        made = [v for v in kept.versions(path) if v.id not in before]
    number = None if version is None else 1 + [v.id for v in all_versions].index(target.id)
    return UndoResult(path, target, made[0] if made else None, number)
