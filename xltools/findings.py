"""Findings are data: a stable code, a position the user can find, a message and a
suggestion in the user's language."""
from __future__ import annotations

import functools
import json
import os
import string
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from xltools.errors import Words
from xltools.texts import FINDINGS, t

SEVERITIES = ("error", "warning", "info")


# Under test (XLTOOLS_STRICT=1, set by tests/conftest.py) a finding made without a
# parameter its texts need fails where it is made; for a clerk it shows "?" instead.
STRICT = os.environ.get("XLTOOLS_STRICT") == "1"
_DEFAULTS = ("value", "year")        # filled in when absent: the cell's value, the plan year


@functools.lru_cache(maxsize=None)
def needed_params(code: str) -> frozenset[str]:
    """The parameters the message and suggestion of `code` name, in both languages."""
    _, zh, en = FINDINGS[code]
    return frozenset(name for text in (*zh, *en) for _, name, _, _ in string.Formatter().parse(text)
                     if name) - set(_DEFAULTS)


@dataclass(frozen=True)
class Finding:
    """One problem, from any layer (read, check, merge, collect, the Excel actions): a
    code of the one table (texts/findings.py), which gives its severity and its texts;
    the texts are made only when shown."""
    code: str
    file: str
    sheet: str | None = None
    cell: str | None = None          # A1 reference as Excel shows it
    value: str | None = None
    params: dict = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self):
        if self.code not in FINDINGS:
            raise KeyError(f"finding code {self.code!r} is not in texts/findings.py")
        if STRICT and not needed_params(self.code) <= self.params.keys():
            missing = sorted(needed_params(self.code) - self.params.keys())
            raise TypeError(f"finding {self.code!r} made without {missing}")

    @property
    def severity(self) -> str:
        return FINDINGS[self.code][0]

    @property
    def row(self) -> int | None:
        digits = "".join(ch for ch in (self.cell or "") if ch.isdigit())
        return int(digits) if digits else None

    def _texts(self, lang: str) -> tuple[str, str]:
        _, zh, en = FINDINGS[self.code]
        return en if lang == "en" else zh

    def _format(self, template: str, lang: str) -> str:
        # a parameter that is itself words (errors.Words, a column name) is rendered in the message's language
        params = {k: (v.render(lang) if hasattr(v, "render") else v) for k, v in self.params.items()}
        params = {"value": self.value or "", **params}
        if not params.get("year"):      # no plan year: an example without one ("12月底前"), never "年12月底前"
            template = template.replace("{year}年", "").replace("{year}", "")
        return template.format_map(_Params(params))

    def message(self, lang: str = "zh") -> str:
        return self._format(self._texts(lang)[0], lang)

    def suggestion(self, lang: str = "zh") -> str:
        return self._format(self._texts(lang)[1], lang)

    def note(self, lang: str = "zh") -> str:
        """The finding as a cell's note (批注) says it: severity, message, then what to do."""
        return (t("labelled", lang, label=t("severity-" + self.severity, lang), text=self.message(lang)) + "\n"
                + t("note-suggestion", lang, suggestion=self.suggestion(lang)))

    def to_dict(self, lang: str = "zh") -> dict:
        return {"code": self.code, "severity": self.severity, "file": self.file, "sheet": self.sheet,
                "cell": self.cell, "value": self.value, "message": self.message(lang),
                "suggestion": self.suggestion(lang)}


def task_named(seq, row) -> Words:
    """How a finding names its task: 第 3 项 by its number, 第 5 行的任务 where it has none."""
    return Words("task-seq", seq=seq) if seq not in (None, "") else Words("task-row", row=row)


class _Params(dict):
    def __missing__(self, key: str) -> str:
        return "?"   # STRICT catches this under test


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    tasks: int = 0
    unreadable: list = field(default_factory=list)  # XltoolsError for each file that could not be read

    def extend(self, findings: Iterable[Finding]) -> None:
        self.findings.extend(findings)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def valid(self) -> bool:
        return self.count("error") == 0 and not self.unreadable

    def by_code(self) -> Counter:
        return Counter(f.code for f in self.findings)

    def filter(self, code: str | None = None, severity: str | None = None) -> list[Finding]:
        return [f for f in self.findings
                if (code is None or f.code == code) and (severity is None or f.severity == severity)]

    def only(self, *severities: str) -> "Report":
        """The same report limited to some severities (notes are hidden by default)."""
        return Report([f for f in self.findings if f.severity in severities], self.files, self.tasks,
                      list(self.unreadable))

    def to_dict(self, lang: str = "zh") -> dict:
        return {"valid": self.valid,
                "stats": {"files": self.files, "tasks": self.tasks, "errors": self.count("error"),
                          "warnings": self.count("warning"), "infos": self.count("info")},
                "unreadable": [{"file": e.params.get("file"), "message": e.message(lang)} for e in self.unreadable],
                "findings": [f.to_dict(lang) for f in self.findings]}

    def to_json(self, lang: str = "zh") -> str:
        return json.dumps(self.to_dict(lang), ensure_ascii=False, indent=2)

    def summary(self, lang: str = "zh") -> str:
        text = t("cli-summary", lang, files=self.files, tasks=self.tasks, errors=self.count("error"),
                 warnings=self.count("warning"), infos=self.count("info"))
        if self.unreadable:
            text += t("cli-summary-unreadable", lang, n=len(self.unreadable))
        return text
