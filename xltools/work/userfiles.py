"""The per-user files (~/.xltools, XLTOOLS_HOME overrides): the clerk's 单位名录 and
settings, shared by the ribbon and the local page."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

__all__ = ["user_dir", "registry_path", "user_registry"]


def user_dir() -> Path:
    return Path(os.environ.get("XLTOOLS_HOME") or Path.home() / ".xltools")


def registry_path() -> Path:
    return user_dir() / "单位名录.xlsx"


_REGISTRY_CACHE: dict[str, Any] = {}


def user_registry():
    """The clerk's own 单位名录 when there is one (单位名录 button), else the built-in list."""
    from xltools.read.registry import load_registry
    from xltools.rules.units import UnitRegistry

    path = registry_path()
    if not path.exists():
        return UnitRegistry.default()
    key = (str(path), path.stat().st_mtime_ns)
    if _REGISTRY_CACHE.get("key") != key:
        _REGISTRY_CACHE.update(key=key, registry=load_registry(path))
    return _REGISTRY_CACHE["registry"]
