"""Every word a user sees, in Chinese (default) and English, with one lookup `t`.

The texts live per layer (files, cli, excel, loop, merge, templates, report) and findings in
`findings`; messages are str.format templates.  A key is defined once: the modules are
checked for clashes when this package is imported.
"""
from __future__ import annotations

import os

from xltools.texts import bundle, cli, excel, files, findings, history, loop, merge, report, templates, ui
from xltools.texts.findings import FINDINGS

LANGS = ("zh", "en")


def _combine(*modules) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for module in modules:
        clash = out.keys() & module.TEXTS.keys()
        if clash:
            raise RuntimeError(f"text keys defined twice: {sorted(clash)}")
        out.update(module.TEXTS)
    return out


TEXTS = _combine(files, cli, excel, findings, history, loop, merge, templates, report, bundle, ui)

__all__ = ["FINDINGS", "LANGS", "TEXTS", "t"]


_STRICT = os.environ.get("XLTOOLS_STRICT") == "1"


def t(key: str, lang: str = "zh", /, **params) -> str:
    """The text `key` in `lang`.  A parameter the text names but the caller did not give
    fails under test (XLTOOLS_STRICT=1); a clerk sees "?" in its place."""
    zh, en = TEXTS[key]
    template = en if lang == "en" else zh
    if _STRICT:
        return template.format(**params)
    return template.format_map(_Missing(params))


class _Missing(dict):
    def __missing__(self, key: str) -> str:
        return "?"
