"""Worksheet functions (Windows Excel): thin wrappers over the library.

    =XT_DEADLINE(F4)            → the due date of 完成时限 text ("" when there is none)
    =XT_DEADLINE(F4, 2024, "2024-06-25")   with the plan year and the issue date
    =XT_DEADLINE_KIND(F4)       → 日期 / 长期 / 定期 / 相对时限 / 无法识别
    =XT_UNITS(E4)               → canonical unit names, joined with 、
    =XT_UNIT_CHECK(E4)          → "" or the problem and the suggestion
    =XT_WARNING(G4, H4)         → 逾期 / 临期 / 正常 / 已完成 / 持续推进 ("" when undecidable)

Ranges in, arrays out: given a range, each function returns an array of the same shape
(Excel 365 spills it).  xlwings' decorators only attach metadata, and are no-ops off
Windows, so this module imports anywhere and the functions are tested as plain Python.
`vba_wrappers` writes the VBA stubs that `xltools addin build` puts into the add-in,
the same stubs xlwings' "Import Functions" would generate.
"""
from __future__ import annotations

import datetime as dt
import inspect
from typing import Any, Callable

import xlwings as xw

from xltools import schema
from xltools.rules.deadlines import DeadlineKind, parse_deadline
from xltools.findings import Finding
from xltools.check.validate import unknown_unit
from xltools.rules.units import join_units, units_of
from xltools.rules.warning import UNJUDGED, WARNING_WORDS, warning_of
from xltools.texts import t

MODULE = __name__
CATEGORY = t("udf-category")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def _map(fn: Callable[[Any], Any], value: Any, blank: Any = None) -> Any:
    """Apply fn to a scalar, or to every cell of a 1-D or 2-D range (same shape out);
    with `blank`, an empty cell gives `blank` without calling fn."""
    if isinstance(value, (list, tuple)):
        return [_map(fn, v, blank) for v in value]
    if blank is not None and _blank(value):
        return blank
    return fn(value)


def _map2(fn: Callable[[Any, Any], Any], a: Any, b: Any) -> Any:
    """Like _map over two aligned arguments; a single value pairs with every cell."""
    if isinstance(a, (list, tuple)):
        if isinstance(b, (list, tuple)):
            return [_map2(fn, x, y) for x, y in zip(a, list(b) + [None] * (len(a) - len(b)))]
        return [_map2(fn, x, b) for x in a]
    if isinstance(b, (list, tuple)):
        return [_map2(fn, a, y) for y in b]
    return fn(a, b)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _as_year(value: Any) -> int | None:
    if _blank(value):
        return None
    try:
        year = int(float(value))
    except (TypeError, ValueError):
        return None
    return year if 1990 <= year <= 2100 else None


def _as_date(value: Any) -> dt.date | None:
    """A cell holding a date: a real date, an Excel serial number or date text."""
    if _blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _EXCEL_EPOCH + dt.timedelta(days=int(value)) if 1 <= value <= 2958465 else None
    return parse_deadline(str(value)).due


def _registry():
    from xltools.excel.actions import user_registry
    return user_registry()


# ---------------------------------------------------------------- the functions

def help_text(name: str, arg: str | None = None, lang: str = "zh") -> str:
    """What Excel's function wizard shows for a function, or for one of its arguments."""
    return t(f"udf-{name}" + (f"-{arg}" if arg else ""), lang, days=schema.DEFAULT_SOON_DAYS)


def udf(*, ranges: tuple[str, ...] = (), volatile: bool = False) -> Callable[[Callable], Callable]:
    """xlwings' decorators for a worksheet function, with its help (texts/excel.py) and its
    volatility kept on the function (`volatile`), so that vba_wrappers can write them into the
    add-in off Windows too (where xlwings' decorators attach nothing).  `ranges`: the
    arguments that take a range as a 2-D list."""
    def wrap(fn: Callable) -> Callable:
        name = fn.__name__
        for arg in inspect.signature(fn).parameters:
            fn = xw.arg(arg, doc=help_text(name, arg), **({"ndim": 2} if arg in ranges else {}))(fn)
        fn = xw.func(category=CATEGORY, volatile=volatile)(fn)
        fn.volatile = volatile
        return fn
    return wrap


@udf(ranges=("text",))
def XT_DEADLINE(text, year=None, issued=None):
    """完成时限 → 截止日期（无法确定时为空）。"""
    y, issued_on = _as_year(year), _as_date(issued)

    def one(value):
        due = parse_deadline(value if not _blank(value) else None, y, issued_on).due
        return due if due is not None else ""
    return _map(one, text)


_KIND_KEYS = {DeadlineKind.DATE: "kind-date", DeadlineKind.ONGOING: "kind-ongoing",
              DeadlineKind.RECURRING: "kind-recurring", DeadlineKind.RELATIVE: "kind-relative",
              DeadlineKind.UNKNOWN: "kind-unknown"}


@udf(ranges=("text",))
def XT_DEADLINE_KIND(text):
    """完成时限的类别：日期、长期、定期、相对时限或无法识别。"""
    return _map(lambda value: t(_KIND_KEYS[parse_deadline(value).kind]), text, blank="")


@udf(ranges=("text",))
def XT_UNITS(text):
    """责任单位 → 规范的单位全称（用“、”分隔；名录中没有的按原样保留）。"""
    registry = _registry()
    return _map(lambda value: join_units(u.counted for u in units_of(value, registry)) or "", text, blank="")


@udf(ranges=("text",))
def XT_UNIT_CHECK(text):
    """责任单位是否都在单位名录中：没有问题为空，否则给出问题和建议。"""
    registry = _registry()

    def one(value):
        problems = []
        for unit in units_of(value, registry):
            if unit.entry is None:
                code, params = unknown_unit(unit.written, registry)
                f = Finding(code, "", value=unit.written, params=params)
                problems.append(f"{f.message()}{f.suggestion()}")
        return "\n".join(problems)
    return _map(one, text, blank="")


@udf(ranges=("due", "status"), volatile=True)   # reads today: recomputed on every calculation
def XT_WARNING(due, status=None, as_of=None, soon_days=None):
    """预警：逾期、临期、正常、已完成、持续推进，没有可判断的日期时为“无法判断”（与“预警”列相同）。"""
    day = _as_date(as_of) or dt.date.today()
    days = schema.DEFAULT_SOON_DAYS if _blank(soon_days) else int(float(soon_days))

    def one(value, state):
        if _blank(value) and _blank(state):
            return ""
        if isinstance(value, (dt.date, int, float)) and not isinstance(value, bool):
            deadline = parse_deadline(_as_date(value))
        else:
            deadline = parse_deadline(None if _blank(value) else str(value), as_of=day)
        return WARNING_WORDS[warning_of(deadline, state, as_of=day, soon_days=days) or UNJUDGED]
    return _map2(one, due, status)


UDFS: tuple[Callable, ...] = (XT_DEADLINE, XT_DEADLINE_KIND, XT_UNITS, XT_UNIT_CHECK, XT_WARNING)


# ---------------------------------------------------------------- VBA stubs for the add-in

HELP_SUB = "RegisterFunctionHelp"   # called by the add-in's Workbook_Open (addin.py)


def vba_text(text: str) -> str:
    """A VBA expression for any text, whatever the code page Excel reads the module in
    (the add-in's project is cp1252, where Chinese cannot be written): its UTF-16 code
    units in hex, turned back into the text by the module's U()."""
    return 'U("' + text.encode("utf-16-be").hex().upper() + '")'


def vba_wrappers(module_name: str = "XltoolsFunctions", lang: str = "zh") -> str:
    """The VBA module that makes the functions callable from cells of any workbook while
    the add-in is loaded (Windows): one stub per function, calling xlwings' COM server
    the way xlwings' own generated stubs do in an add-in (ActiveWorkbook), volatile
    (Application.Volatile) where the function reads today's date; and RegisterFunctionHelp,
    which gives Excel's function wizard each function's description, its arguments' help and
    its category (Application.MacroOptions, as xlwings' "Import Functions" does)."""
    lines = [f'Attribute VB_Name = "{module_name}"',
             "' Generated by `xltools addin build` from xltools/excel/udfs.py. Do not edit.",
             "Option Explicit", ""]
    for f in UDFS:
        params = inspect.signature(f).parameters.values()
        sig = ", ".join(("Optional " if p.default is not inspect.Parameter.empty else "") + p.name for p in params)
        args = ", ".join(p.name for p in inspect.signature(f).parameters.values())
        name = f.__name__
        lines += [f"Function {name}({sig})"]
        if f.volatile:
            lines += ["    Application.Volatile"]
        lines += ['    #If App = "Microsoft Excel" Then',
                  "        If TypeOf Application.Caller Is Range Then On Error GoTo failed",
                  f'        {name} = XLPy.CallUDF("{MODULE}", "{name}", Array({args}), ActiveWorkbook, '
                  "Application.Caller)",
                  "        Exit Function",
                  "    #Else",
                  f'        {name} = XLPy.CallUDF("{MODULE}", "{name}", Array({args}))',
                  "        Exit Function",
                  "    #End If",
                  "failed:",
                  f"    {name} = Err.Description",
                  "End Function", ""]
    lines += [f"Public Sub {HELP_SUB}()",
              "    ' A failure here must not stop the add-in from loading: the functions work without help.",
              "    On Error Resume Next",
              "    Dim helpCategory As String",
              f"    helpCategory = {vba_text(t('udf-category', lang))}"]
    for f in UDFS:
        name = f.__name__
        helps = ", ".join(vba_text(help_text(name, arg, lang)) for arg in inspect.signature(f).parameters)
        lines += [f"    Application.MacroOptions Macro:=\"'\" & ThisWorkbook.Name & \"'!{name}\", _",
                  f"        Description:={vba_text(help_text(name, lang=lang))}, _",
                  "        Category:=helpCategory, _",
                  f"        ArgumentDescriptions:=Array({helps})"]
    lines += ["End Sub", "",
              "Private Function U(ByVal codes As String) As String",
              "    ' The text of UTF-16 code units written as hex, four digits each (see vba_text).",
              "    Dim i As Long",
              "    For i = 1 To Len(codes) Step 4",
              '        U = U & ChrW(CLng("&H" & Mid(codes, i, 4) & "&"))',
              "    Next i",
              "End Function", ""]
    return "\r\n".join(lines)
