"""The one column schema: what a task table holds, by meaning.

Reader, validator, writers, templates and ribbon all take their column names from
here, so a header is never spelled twice in the code base.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str                      # stable identifier used in code and JSON
    zh: str                       # header written in our own workbooks
    en: str
    synonyms: tuple[str, ...] = ()  # headers offices actually use (normalized form)
    width: int = 12               # column width in our own workbooks

    def header(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


# Columns a district sheet may hold (read by meaning).  Order = order in our templates.
SEQ = Column("seq", "序号", "No.", ("序号", "编号", "序", "No", "NO"), 6)
SECTION = Column("section", "工作任务", "Task", ("工作任务", "重点任务", "任务名称", "主要任务", "重点工作",
                                                "工作事项", "一级任务", "任务", "项目"), 14)
SUBSECTION = Column("subsection", "具体任务", "Sub-task", ("二级任务", "子任务", "具体任务", "任务分项"), 14)
REQUIREMENT = Column("requirement", "具体要求", "Requirement", ("具体要求", "工作内容", "具体措施", "任务内容",
                                                             "工作措施", "主要内容", "工作要求", "具体内容",
                                                             "目标任务", "工作目标", "工作举措", "落实措施",
                                                             "具体工作", "任务措施", "工作任务安排", "工作安排",
                                                             "任务安排", "主要措施"), 50)
UNITS = Column("units", "责任单位", "Responsible units", ("责任单位", "责任部门", "承办单位", "责任主体",
                                                        "负责单位", "落实单位", "责任科室", "责任处室",
                                                        "承办处室", "部门分工", "单位分工", "分工"), 22)
LEAD = Column("lead", "牵头单位", "Lead units", ("牵头单位", "牵头部门", "主责单位", "牵头", "主办单位", "牵头责任单位"),
              18)
SUPPORT = Column("support", "配合单位", "Supporting units", ("配合单位", "配合部门", "协办单位", "协同单位",
                                                           "配合", "参与单位", "配合责任单位"), 20)
DEADLINE = Column("deadline", "完成时限", "Deadline", ("完成时限", "完成时间", "时间节点", "截止时间", "完成期限",
                                                    "时限要求", "时限", "完成节点", "时间安排", "时间要求", "进度安排"), 14)
# A 督查 ledger names the leader in charge (责任领导): a column of its own, never a unit.
LEADER = Column("leader", "责任领导", "Leader in charge", ("责任领导", "分管领导", "牵头领导", "包保领导", "责任县领导",
                                                         "责任区领导", "分管省领导", "分管市领导", "分管县领导",
                                                         "分管区领导", "领导"), 9)
# The due date as a real date, next to the deadline as written (our own workbooks); a
# sheet whose only deadline column is 截止日期 has it read as the deadline.
DUE = Column("due", "截止日期", "Due date", ("截止日期",), 12)
# A combined sheet (a master, a city-wide 台账) names each row's district.
DISTRICT = Column("district", "区县", "District", ("区县", "区域", "县区", "所属区县"), 8)
STATUS = Column("status", "状态", "Status", ("完成状态", "是否完成", "状态", "办理状态"), 10)
# 备注 is a remark of the district's (需附联系人名单), not progress a unit's return may overwrite:
# it is kept as a column of its own (the district's columns in 汇总)
PROGRESS = Column("progress", "进展情况", "Progress", ("进展情况", "完成情况", "工作进展", "推进情况",
                                                    "落实情况", "进度情况"), 26)
DONE_DATE = Column("done_date", "完成日期", "Completed on", ("完成日期", "实际完成时间", "实际完成日期", "办结时间",
                                                           "办结日期"), 12)
TASK_KEY = Column("key", "任务编号", "Task key", ("任务编号", "任务键"), 30)   # 土默特左旗-2024-007-3fa2c1 on one line

TASK_COLUMNS: tuple[Column, ...] = (SEQ, SECTION, SUBSECTION, REQUIREMENT, UNITS, LEAD, SUPPORT,
                                    DEADLINE, STATUS, PROGRESS, DONE_DATE, TASK_KEY)
BY_KEY = {c.key: c for c in TASK_COLUMNS}
READ_COLUMNS = TASK_COLUMNS + (DUE, DISTRICT, LEADER)   # what the reader recognises by header
READ_BY_KEY = {c.key: c for c in READ_COLUMNS}

# Status values offered in templates and understood when reading.
STATUS_VALUES = ("未开始", "进行中", "已完成", "长期推进", "暂缓")
DONE_WORDS = ("已完成", "完成", "是", "已办结", "办结", "done", "Done", "DONE", "√", "✓")
# What units type instead of the vocabulary, mapped to it (collect, 填表说明).  Compared
# without spaces, case-folded.
STATUS_VARIANTS: dict[str, tuple[str, ...]] = {
    "未开始": ("未启动", "尚未开始", "未开展", "没开始"),
    "进行中": ("正在推进", "推进中", "正在进行", "在办", "办理中", "正在办理", "未完成", "部分完成", "序时推进",
             "按序时推进", "持续推进中"),
    "已完成": ("完成", "已办结", "办结", "已完成。", "全部完成", "已落实", "是", "done", "√", "✓"),
    "长期推进": ("长期坚持", "持续推进", "常态化", "常态化推进", "长期", "持续开展"),
    "暂缓": ("暂停", "缓办", "暂缓推进"),     # not 延期: late, or put off? the unit is asked
}
_STATUS_OF = {re.sub(r"\s+", "", w).casefold(): value for value, words in STATUS_VARIANTS.items()
              for w in (value, *words)}


@functools.lru_cache(maxsize=4096)      # asked for every value collect compares
def status_value(text) -> str | None:
    """The status vocabulary word a typed status means (已办结 → 已完成), or None when it
    is none of the known spellings."""
    return _STATUS_OF.get(re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text or ""))).casefold())


def status_guess(text) -> str | None:
    """The status a typed word outside the list probably means, one character off a
    spelling of it (以完成, 进行终: a slip of the input method), as a suggestion only;
    None when no one status is that close."""
    from rapidfuzz.distance import Levenshtein

    typed = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text or ""))).casefold()
    if len(typed) < 3:
        return None
    for words in (STATUS_VALUES, _STATUS_OF):      # the list's own words first (以完成: 已完成, not 未完成)
        near = {_STATUS_OF[w] for w in words if len(w) >= 3 and Levenshtein.distance(typed, w) <= 1}
        if near:
            return near.pop() if len(near) == 1 else None
    return None


def task_text(values) -> object:
    """The words that name a task (in reports, logs and messages): its 具体要求, else its
    具体任务, else its 工作任务 (a ledger's one text column); None when it has none."""
    return next((values[c.key] for c in (REQUIREMENT, SUBSECTION, SECTION)
                 if values.get(c.key) is not None and str(values[c.key]).strip()), None)


def normalize_header(text) -> str:
    """Header text as compared: no spaces (offices write 具  体  要  求), half-width, no
    trailing notes in brackets or after a colon, no '*' marks of required fields."""
    s = unicodedata.normalize("NFKC", str(text or ""))
    s = re.sub(r"\s+", "", s).strip("*＊:：")
    s = re.sub(r"[（(][^）)]*[）)]$", "", s)
    return s


_SYNONYMS: list[tuple[str, str]] = sorted(
    ((normalize_header(syn), col.key) for col in READ_COLUMNS for syn in col.synonyms),
    key=lambda pair: -len(pair[0]))


@functools.lru_cache(maxsize=4096)  # the same few header texts, asked for every row of every file
def header_match(text) -> tuple[str, str, bool] | None:
    """How a header cell is read: (column key, the header word it matched, whether the
    whole header is that word), or None.  Long headers are data, not headers."""
    s = normalize_header(text)
    if not s or len(s) > 16:
        return None
    for syn, key in _SYNONYMS:
        if s == syn:
            return key, syn, True
    for syn, key in _SYNONYMS:
        if len(syn) >= 2 and (s.startswith(syn) or s.endswith(syn)):
            return key, syn, False
    return None


def column_for_header(text) -> str | None:
    """The column key a header cell means, or None."""
    match = header_match(text)
    return match[0] if match else None


# Two meanings in one header cell: 工作任务及具体要求, 责任单位及完成时限, 牵头单位/配合单位.
_JOINED = re.compile("[及和与暨、/]")


@functools.lru_cache(maxsize=4096)
def columns_for_header(text) -> tuple[str, ...]:
    """The column keys a header cell means, in the cell's order: one key, two for a
    combined header (责任单位及完成时限 → units, deadline), () for none."""
    s = normalize_header(text)
    if s and len(s) <= 24 and _JOINED.search(s) and not any(s == syn for syn, _ in _SYNONYMS):
        parts = [p for p in _JOINED.split(s) if p]
        keys = tuple(column_for_header(p) for p in parts)
        if len(keys) >= 2 and all(keys) and len(set(keys)) == len(keys):
            return keys
    key = column_for_header(text)
    return (key,) if key else ()


def field_named(name) -> str | None:
    """The column key a clerk's field name means (--columns 具体措施=具体要求): our header
    (具体要求), its English (Requirement), the key (requirement) or a header word offices
    use (工作内容); None for anything else."""
    s = normalize_header(name)
    for col in READ_COLUMNS:
        if s in (col.zh, col.key) or s.casefold() == normalize_header(col.en).casefold():
            return col.key
    return next((key for syn, key in _SYNONYMS if s == syn), None)


# Columns our own master workbook adds.  MASTER_COLUMNS is the 汇总 sheet, in order.
WARNING = Column("warning", "预警", "Due status", (), 9)
SOURCE_FILE = Column("source_file", "来源文件", "Source file", (), 14)
SOURCE_SHEET = Column("source_sheet", "来源工作表", "Source sheet", (), 8)
SOURCE_ROW = Column("source_row", "来源行", "Source row", (), 7)

# Who reported and when: collect fills them from the units' returns; in an online form's
# export they are the unit's answer (填写单位) and the service's 提交时间 (SUBMITTED_AT).
REPORTED_BY = Column("reported_by", "报送单位", "Reported by", ("报送单位", "填报单位", "填写单位", "单位名称", "所在单位",
                                                            "报送部门", "填报部门", "所在部门", "部门名称", "单位"), 12)
REPORTED_AT = Column("reported_at", "报送时间", "Reported at", ("报送时间", "报送日期", "填报日期"), 16)

# Tracking columns (完成日期, 报送单位, 报送时间) come last: `collect` fills them from the units' returns.
MASTER_COLUMNS: tuple[Column, ...] = (DISTRICT, SEQ, SECTION, SUBSECTION, REQUIREMENT, LEAD, SUPPORT, DEADLINE, DUE,
                                      STATUS, PROGRESS, WARNING, SOURCE_FILE, SOURCE_SHEET, SOURCE_ROW, TASK_KEY,
                                      DONE_DATE, REPORTED_BY, REPORTED_AT, LEADER)

# Warning states shown in 预警 (formula results) and their default colours (fill, font).
WARNING_STATES = {"overdue": "逾期", "soon": "临期", "ok": "正常", "done": "已完成", "ongoing": "持续推进"}
# … and what 预警 shows where no due date can be judged (尽快, 开学前): counted as such everywhere
WARNING_UNJUDGED = "无法判断"
DEFAULT_COLOURS = {"overdue": ("FFC7CE", "9C0006"), "soon": ("FFEB9C", "9C5700"), "done": ("E7E6E6", "7F7F7F")}
# Bars of the charts (统计's and the circular's): strong enough for a chart (the row fills are
# pale), grey for the tasks that cannot be judged.
CHART_COLOURS = {"overdue": "C00000", "soon": "FFC000", "ok": "70AD47", "done": "A5A5A5", "ongoing": "5B9BD5",
                 "unjudged": "D9D9D9"}
DEFAULT_SOON_DAYS = 15


# An online collection form's export (金山表单/WPS 收集表, 腾讯收集表, 问卷星): one row per
# submission, the service's columns (who submitted, when, its number, how long it took)
# around the form's questions.  A person and a phone number are never units.
SUBMITTED_AT = Column("submitted_at", "提交时间", "Submitted at", ("提交时间", "提交答卷时间", "填写时间", "填报时间",
                                                               "提交日期", "答题时间"), 16)
SUBMITTER = Column("submitter", "提交者", "Submitted by", ("提交者", "提交人", "填写人", "填报人", "填表人", "填写者",
                                                        "提交者昵称", "昵称", "微信昵称", "联系人", "姓名"), 10)
PHONE = Column("phone", "联系电话", "Phone", ("联系电话", "手机号", "手机号码", "手机", "电话", "联系方式"), 14)
# what a service adds that says nothing about the task: the submission's own number, the
# time it took, where it came from
FORM_META = Column("form_meta", "", "", ("序号", "编号", "答卷编号", "答题序号", "所用时间", "填写时长", "答题时长", "来源",
                                         "来源详情", "来自IP", "IP", "IP地址", "填写设备", "操作系统", "浏览器", "填写地区",
                                         "ID", "总分", "修改时间", "更新时间"))
FORM_COLUMNS: tuple[Column, ...] = (REPORTED_BY, SUBMITTED_AT, SUBMITTER, PHONE, FORM_META)
_FORM_HEADERS = {normalize_header(syn): col.key for col in FORM_COLUMNS for syn in col.synonyms}


@functools.lru_cache(maxsize=4096)      # the same few headers, in every file of a merge
def form_column_for_header(text) -> str | None:
    """The column key a header of a form's export means among the service's own columns
    and the reporting unit: its words, or a question ending in them ("您所在单位", "本单位
    联系电话"); the task's questions are read by `column_for_header`."""
    s = normalize_header(text)
    if s in _FORM_HEADERS:
        return _FORM_HEADERS[s]
    return next((key for syn, key in _FORM_HEADERS.items() if len(syn) >= 3 and s.endswith(syn) and len(s) <= 16),
                None)


# Workbooks xltools writes, by their task sheet and the sheets that mark them as ours: a
# master (汇总, with 合并记录 or 问题清单) and a progress return (进展报送, with 下发底稿).
# Only the task sheet of such a workbook holds tasks: its other sheets (统计, 变更, 问题清单,
# 收集记录, 催办 …) are never read as tasks.  The writers' names are these (tested).
MASTER_BOOK: tuple[str, tuple[str, ...]] = ("汇总", ("合并记录", "问题清单"))
RETURN_BOOK: tuple[str, tuple[str, ...]] = ("进展报送", ("下发底稿",))
WRITTEN_BOOKS: tuple[tuple[str, tuple[str, ...]], ...] = (MASTER_BOOK, RETURN_BOOK)
