"""Every word a user sees, in Chinese (default) and English, with one lookup `t`.

The texts live per layer (files, cli, excel, loop, merge, templates, report) and findings in
`findings`; messages are str.format templates.  A key is defined once: the modules are
checked for clashes when this package is imported.
"""
from __future__ import annotations

import os
import re

from xltools.texts import bundle, cli, excel, files, findings, history, loop, merge, report, templates, ui
from xltools.texts.findings import FINDINGS
from xltools.texts.numerals import in_arabic

LANGS = ("zh", "en")
# The language of what goes to other offices (通报, 催办单, 报送表): their readers', Chinese,
# whatever language the clerk works in; 通报 and 催办单 can be asked for in English.
DOC_LANG = "zh"


def _combine(*modules) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for module in modules:
        clash = out.keys() & module.TEXTS.keys()
        if clash:
            raise RuntimeError(f"text keys defined twice: {sorted(clash)}")
        out.update(module.TEXTS)
    return out


TEXTS = _combine(files, cli, excel, findings, history, loop, merge, templates, report, bundle, ui)

__all__ = ["DOC_LANG", "FINDINGS", "LANGS", "TEXTS", "t", "capital"]


_STRICT = os.environ.get("XLTOOLS_STRICT") == "1"


def t(key: str, lang: str = "zh", /, **params) -> str:
    """The text `key` in `lang`.  A parameter the text names but the caller did not give
    fails under test (XLTOOLS_STRICT=1); a clerk sees "?" in its place."""
    zh, en = TEXTS[key]
    template = en if lang == "en" else zh
    if lang == "en" and "seq" in params:     # 一 is no number to an English reader: 1
        params["seq"] = in_arabic(params["seq"])
    if " {" in template and "} " in template:
        template = _INLINE.sub(lambda m: _inline(m, params), template)
    if _STRICT:
        return template.format(**params)
    return template.format_map(_Missing(params))


# A field set between Chinese words with a space on each side, as an Arabic number is
# (第 {seq} 项): a value in Chinese (一, （二）) is set without them (第一项).
_CJK = "\u2e80-\U0010ffff"
_INLINE = re.compile(f"(?<=[{_CJK}]) \\{{(\\w+)\\}} (?=[{_CJK}])")


def _inline(m: re.Match, params: dict) -> str:
    value = str(params.get(m.group(1), ""))
    chinese = bool(value) and all(ord(ch) >= 0x2E80 for ch in value)
    return "{" + m.group(1) + "}" if chinese else m.group(0)


class _Missing(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def capital(text: str) -> str:
    """A text as a heading of a table begins it (overdue → Overdue); Chinese as it is."""
    return text[:1].upper() + text[1:]
