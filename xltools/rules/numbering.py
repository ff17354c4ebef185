"""Task numbers as offices write them: 一、 （一） 1 1. 1、 1.1 1.1.1 （1） ①, 第一条 第1条 第一项
一是, 第一部分 第一章 第一节, as text or as numbers (1, 1.0, and 1.1 typed as a number).

A label has a rank in the official hierarchy of document numbering (第一部分/第一章 above 第一节
above 一、 above （一） above 1 above （1） above ①; 第一条/第一项 rank with 一、, 一是 with （一）)
and a path (1.2.3 → (1, 2, 3)).  A label is deeper than another when its
form ranks below the other's, or the form is the same and its path continues the other's:
1 → 1.1 → 1.1.1, 一、 → （一） → 1.  A numbered row that is followed by deeper-numbered rows
heads their group (the reader decides with the row's contents: a heading has no units and
no deadline).
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from xltools.texts.numerals import cn_number

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳㉑㉒㉓㉔㉕㉖㉗㉘㉙㉚㉛㉜㉝㉞㉟㊱㊲㊳㊴㊵㊶㊷㊸㊹㊺㊻㊼㊽㊾㊿"
# ranks, highest first: 第一部分/第一章, 第一节, then the numbers a task may have
PART, CHAPTER_PART = -2, -1
CN, CN_PAREN, ARABIC, PAREN, CIRCLE = range(5)

_CN_NUM = "[零〇一二两三四五六七八九十百]+"
_FORMS = (
    # 第一部分 第一章 第一编 第一篇, and 第一节 below them: the parts of a long plan, above its 一、
    (PART, re.compile(rf"^第({_CN_NUM}|\d{{1,3}})(?:部分|章|编|篇)[、.,:]?$")),
    (CHAPTER_PART, re.compile(rf"^第({_CN_NUM}|\d{{1,3}})节[、.,:]?$")),
    # 第一条 第1条 第一项 第1项: an article of the plan, the top level (above 1 and 1.1)
    (CN, re.compile(rf"^第({_CN_NUM}|\d{{1,3}})[条项][、.,:]?$")),
    (CN, re.compile(rf"^第?({_CN_NUM})[、.,]?$")),                   # 一、  一.  第一
    (CN_PAREN, re.compile(rf"^({_CN_NUM})是[、.,:]?$")),             # 一是 二是: the level of （一）
    (CN_PAREN, re.compile(rf"^\(({_CN_NUM})\)[、.,]?$")),            # （一）
    (PAREN, re.compile(r"^\((\d{1,3})\)[、.,]?$|^(\d{1,3})\)$")),      # （1）  1）
    (ARABIC, re.compile(r"^(\d{1,4}(?:\.\d{1,3}){0,4})[.、,]?$")),     # 1  1.  1、  1.1  1.1.1
)


@dataclass(frozen=True, slots=True)
class Label:
    rank: int                 # PART, CHAPTER_PART, CN, CN_PAREN, ARABIC, PAREN or CIRCLE
    path: tuple[int, ...]     # 1.2.3 → (1, 2, 3); every other form has one number
    text: str                 # as written, without the trailing 、/. ("1.1", "（一）", "①")
    # the task's 序号: a whole number as a number (1, 1., （1）, ①, 一、 → 1), a number of
    # several levels as written ("1.1")
    seq: int | str = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "seq", self.path[0] if len(self.path) == 1 else self.text)

    def heads(self, other: "Label") -> bool:
        """Is `other` numbered one level or more below this label (1 → 1.1, 一、 → （一））?
        Dotted numbers must continue this one's path (1 → 1.1, not 2.1)."""
        if other.rank != self.rank:
            return other.rank > self.rank
        n = len(self.path)
        return len(other.path) > n and other.path[:n] == self.path


def label(value) -> Label | None:
    """The label a 序号 cell holds, or None when it is no number (text, a date, empty)."""
    if value is None or value.__class__ is bool:
        return None
    if isinstance(value, float):
        if not value.is_integer():
            return _label(repr(value)) if 0 < value < 10000 else None   # 1.1 typed as a number
        value = int(value)
    if isinstance(value, int):
        return _whole(value) if value >= 0 else None
    return _label(value) if isinstance(value, str) and len(value) <= 16 else None


@functools.lru_cache(maxsize=1024)
def order(seq) -> tuple:
    """Sort key of a 序号 as written: 1.2 before 1.10, 2 before 10, （二） after （一）;
    anything that is no number after every number, by its text."""
    found = label(seq)
    return (0, found.path, "") if found else (1, (), str(seq or ""))


@functools.lru_cache(maxsize=1024)
def _whole(n: int) -> Label:
    return Label(ARABIC, (n,), str(n))


@functools.lru_cache(maxsize=4096)
def _label(written: str) -> Label | None:
    s = written.strip()
    if len(s) == 1 and s in CIRCLED:
        return Label(CIRCLE, (CIRCLED.index(s) + 1,), s)
    t = re.sub(r"\s+", "", unicodedata.normalize("NFKC", s)).replace("．", ".")
    for rank, form in _FORMS:
        m = form.match(t)
        if not m:
            continue
        number = next(g for g in m.groups() if g is not None)
        if rank <= CN_PAREN:
            n = int(number) if number.isdigit() else cn_number(number)
            return None if not n else Label(rank, (n,), s.rstrip("、.．,，:："))
        path = tuple(int(p) for p in number.split("."))
        if rank == ARABIC and len(path) == 2 and re.fullmatch(r"\d+\.0+", number):
            path = path[:1]   # 3.0: a whole number a script or WPS saved as text
        text = number if len(path) > 1 else s.rstrip("、.．,，")
        return Label(rank, path, text)
    return None


# A number at the start of a task's text, where no 序号 column holds it: "1.积极推进…",
# "（1）…", "①…" (a number and then the text; "1.1" is no such start).
NUMBER_START = re.compile(r"^((?:\d{1,3}\s*[.．、](?![\d.．])|[（(]\s*\d{1,3}\s*[)）]|\d{1,3}[)）]|[\u2460-\u2473]))\s*\S")


def leading_label(text) -> Label | None:
    """The number a task's text begins with ("1.积极推进…" → 1), or None."""
    m = NUMBER_START.match(text) if isinstance(text, str) else None
    return label(m[1]) if m else None


# The number a heading's text begins with, where the heading is one text ("（一）加强…",
# "1.1 完善…", "1 总体要求", "第一部分 总体要求"), followed by its title.
HEADING_START = re.compile(
    rf"^(第(?:{_CN_NUM}|\d{{1,3}})(?:部分|章|编|篇|节|条|项)|{_CN_NUM}\s*[、.．]|{_CN_NUM}是|[（(]\s*{_CN_NUM}\s*[)）]"
    r"|\d{1,3}(?:\s*[.．]\s*\d{1,3}){1,4}(?![\d.．])|\d{1,3}(?=\s+[^\d\s.．、])|\d{1,3}\s*[.．、](?![\d.．])"
    r"|[（(]\s*\d{1,3}\s*[)）]|\d{1,3}[)）]|[\u2460-\u2473])\s*\S")


def heading_label(text) -> Label | None:
    """The number a heading's text begins with ("（一）加强…" → （一）, "1.1 完善…" → 1.1), or None."""
    m = HEADING_START.match(text.strip()) if isinstance(text, str) else None
    return label(m[1]) if m else None


_QUANTITY = re.compile(r"[万亿千百%‰倍]")   # 1.5万亩…: a quantity, not a heading's number
_ARTICLE = re.compile(r"^第.*[条项]$")        # 第一条, 第1项: an article's number, part of its words
# the count a group row ends with: 数字经济（共3项） 重点项目(10项) 民生实事（共十项任务）
_COUNT_END = re.compile(rf"\s*[（(]\s*共?\s*(?:\d+|{_CN_NUM})\s*[项条个件](?:任务|工作)?\s*[)）]$")


def heading_title(text):
    """A heading as a master shows it, whatever a district's numbering: its title, without
    the number it begins with (一、 （一） 1. 1.1 第一部分 一是) and the count it ends with
    (（共3项）).  As written when nothing else is left, and anything but text as it is."""
    if not isinstance(text, str):
        return text
    title = text.strip()
    m = HEADING_START.match(title)
    if m is not None and not _QUANTITY.match(title, m.end(1)) and not _ARTICLE.match(m[1]):
        title = title[m.end(1):].lstrip(" \u3000、.．，,:：")
    title = _COUNT_END.sub("", title).strip()
    return title or text
