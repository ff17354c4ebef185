"""The folder split writes the returns into, and what a re-run may do there.

Returns are precious: a unit's filled return, or any file split did not write, is
never overwritten or removed.  Split keeps a manifest of what it wrote (name, size,
SHA-256) in the folder, as a hidden file.  A re-run replaces and cleans only files that
are exactly as it wrote them; when the folder holds anything else (a changed return, a
file split did not write), the new returns go into a new dated sub-folder, or split
refuses (no_new_folder), naming the files it protected.

`plan_folder` decides, without writing; `SentFolder` writes what the plan says, keeping
the manifest up to date after each file, so a run killed half way leaves a manifest
that knows every file it wrote.
"""
from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from xltools.texts import t
from xltools.work.returns import LoopError
from xltools.write.files import FileIdentity, OutputLocked, atomic_write, sha256_of

MANIFEST = ".xltools-split.json"
NEW_FOLDER = "下发-{day}"             # the dated sub-folder; -2, -3 … when taken
_SHOWN = 10                          # protected files named in the message (then "等 N 个")


@dataclass
class FolderPlan:
    """What split will do in `folder`: write `write` (names), remove `clean` (its own
    untouched files of an earlier run), leave `protected` alone (in `base`, the folder
    asked for).  `folder` is `base`, or a new dated sub-folder when something is protected."""
    base: Path
    folder: Path
    write: list[str] = field(default_factory=list)
    clean: list[str] = field(default_factory=list)
    protected: list[str] = field(default_factory=list)
    manifest: dict[str, dict] = field(default_factory=dict)   # the folder's manifest as read

    @property
    def new_folder(self) -> bool:
        return self.folder != self.base

    def to_dict(self) -> dict:
        return {"folder": str(self.folder), "new_folder": self.new_folder, "write": list(self.write),
                "clean": list(self.clean), "protected": list(self.protected)}

    def protected_line(self, lang: str = "zh") -> str:
        """One line naming the files protected and where the new returns go."""
        sep = "、" if lang == "zh" else ", "
        names = sep.join(self.protected[:_SHOWN])
        if len(self.protected) > _SHOWN:
            names += t("split-protected-more", lang, n=len(self.protected))
        return t("split-protected", lang, folder=self.base, n=len(self.protected), files=names,
                 new=self.folder.name)


def read_manifest(folder: Path) -> dict[str, dict]:
    """name → {"size", "sha256"} of the files split wrote into `folder` ({} when none, or
    when the manifest is unreadable: then every file there counts as not ours)."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        files = data["files"]
        return {str(k): {"size": int(v["size"]), "sha256": str(v["sha256"])} for k, v in files.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _visible_files(folder: Path) -> list[str]:
    """The files in `folder` a person may have put or changed (hidden ones are ours or
    the system's: the manifest, .xltools-versions, temp files)."""
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise OutputLocked("file-not-writable", file=str(folder), reason=exc.strerror or str(exc)) from None
    return sorted(e.name for e in entries if not e.name.startswith(".") and not e.is_dir())


def untouched(folder: Path, name: str, manifest: dict[str, dict]) -> bool:
    """Is `name` exactly as split wrote it (size and hash as in the manifest)?"""
    entry = manifest.get(name)
    if entry is None:
        return False
    try:
        path = folder / name
        return path.stat().st_size == entry["size"] and sha256_of(path) == entry["sha256"]
    except OSError:
        return False


def _plan_in(base: Path, folder: Path, names: list[str]) -> FolderPlan:
    manifest = read_manifest(folder)
    plan = FolderPlan(base, folder, write=list(names), manifest=manifest)
    wanted = set(names)
    for name in _visible_files(folder):
        if untouched(folder, name, manifest):
            if name not in wanted:
                plan.clean.append(name)
        else:
            plan.protected.append(name)
    return plan


def plan_folder(base: str | Path, names: list[str], *, no_new_folder: bool = False,
                day: dt.date | None = None) -> FolderPlan:
    """Where split writes `names` (file names) and what it cleans, asked for `base`.
    Raises LoopError when files are protected and no_new_folder."""
    base = Path(base)
    plan = _plan_in(base, base, names)
    if not plan.protected:
        return plan
    if no_new_folder:
        raise LoopError("split-protected-refused", folder=str(base), n=len(plan.protected),
                        files=plan.protected[:_SHOWN])
    stem = NEW_FOLDER.format(day=(day or dt.date.today()).isoformat())
    n = 1
    while True:   # a same-day sub-folder holding only our untouched files is used again
        sub = base / (stem if n == 1 else f"{stem}-{n}")
        inner = _plan_in(base, sub, names)
        if not inner.protected:
            inner.protected = plan.protected
            return inner
        n += 1


class SentFolder:
    """Writes a plan's files, each only if the file there is still what the plan saw,
    and keeps the manifest in step."""

    def __init__(self, plan: FolderPlan):
        self.plan = plan
        self.folder = plan.folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.manifest = {k: v for k, v in plan.manifest.items() if (self.folder / k).exists()}

    def check(self, name: str) -> None:
        """Refuse to replace `name` if someone changed it (or put it there) since the plan."""
        path = self.folder / name
        if path.exists() and not untouched(self.folder, name, self.plan.manifest):
            raise LoopError("split-file-changed", file=str(path))

    def wrote(self, name: str) -> None:
        """`name` is written: record it."""
        identity = FileIdentity.of(self.folder / name)
        if identity is not None:
            self.manifest[name] = {"size": identity.size, "sha256": identity.sha256}
            self._save()

    def clean(self) -> list[str]:
        """Remove the untouched files of an earlier run the new one did not write again."""
        removed = []
        for name in self.plan.clean:
            if untouched(self.folder, name, self.plan.manifest):
                try:
                    (self.folder / name).unlink()
                except OSError:
                    continue
                removed.append(name)
                self.manifest.pop(name, None)
        self._save()
        return removed

    def _save(self) -> None:
        data = {"files": dict(sorted(self.manifest.items()))}
        text = json.dumps(data, ensure_ascii=False, indent=1)
        atomic_write(self.folder / MANIFEST, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"),
                     keep_version=False)
