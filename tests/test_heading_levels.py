"""Plans of three and four heading levels (蒙阴县: 一、 / （一） / 1. headings over the tasks
（1）…; 1 / 1.1 / 1.1.1; 第一部分 / 一、 / （一）; 第一章 / 第一节; mixed): every level's text
reaches the master (工作任务, and 具体任务 holding the levels below it joined by ／) and the
units' returns, every requirement row is a task, no heading row is one.  Real .xlsx in and
out, read back with python-calamine.  Failed before the fix: the third level and below were
overwritten by the next (the 汇总 held two of them), and 第一部分 / 第一章 rows were tasks."""
from __future__ import annotations

import datetime as dt
import itertools

import pytest
from python_calamine import CalamineWorkbook

from conftest import write_xlsx
from xltools.read import read_plan
from xltools.rules.numbering import CHAPTER_PART, CN, PART, heading_label, label
from xltools.work.merge import merge
from xltools.work.split import split

CN_DIGITS = "一二三四五六七八九十"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"


def _cn(p): return f"{CN_DIGITS[p[-1] - 1]}、"
def _cn_paren(p): return f"（{CN_DIGITS[p[-1] - 1]}）"
def _arabic(p): return f"{p[-1]}."
def _paren(p): return f"（{p[-1]}）"
def _circled(p): return CIRCLED[p[-1] - 1]
def _dotted(p): return ".".join(map(str, p))
def _part(p): return f"第{CN_DIGITS[p[-1] - 1]}部分"
def _chapter(p): return f"第{CN_DIGITS[p[-1] - 1]}章"
def _chapter_part(p): return f"第{CN_DIGITS[p[-1] - 1]}节"


# numbering scheme → the label of each level (the headings', then the task's), from its path
SCHEMES = {
    "一、/（一）/1./（1）": (_cn, _cn_paren, _arabic, _paren),
    "一、/（一）/1./（1）/①": (_cn, _cn_paren, _arabic, _paren, _circled),
    "1/1.1/1.1.1/1.1.1.1": (_dotted,) * 4,
    "1/1.1/1.1.1/（1）": (_dotted, _dotted, _dotted, _paren),
    "第一部分/一、/（一）/1.": (_part, _cn, _cn_paren, _arabic),
    "第一部分/一、/（一）/1./（1）": (_part, _cn, _cn_paren, _arabic, _paren),
    "第一章/第一节/一、/1.": (_chapter, _chapter_part, _cn, _arabic),
    "一、/1./（1）/①": (_cn, _arabic, _paren, _circled),
    "一、/（一）/1.1/①": (_cn, _cn_paren, _dotted, _circled),
}
HEADERS = {"req": ["序号", "工作任务", "具体要求", "责任单位", "完成时限"],   # the task's text in 具体要求
           "one": ["序号", "具体要求", "责任单位", "完成时限"],              # one text column
           "ledger": ["序号", "工作任务", "责任单位", "完成时限"]}          # no 具体要求: a ledger
UNITS = ["县发展改革局", "县财政局", "县教育和体育局", "县民政局", "县司法局", "县医疗保障局"]
DEADLINES = ["2025年6月底前", "2025年12月底前", "每季度末", "2025年9月底前"]
TITLE = "项标题工作"   # in every heading's title, in no task's text


def plan_rows(scheme: str | tuple, placement: str, columns: str, fan: int = 2):
    """A county's plan: `fan` headings under each heading, `fan` tasks under each deepest one.
    placement "seq": the heading's number in 序号, its title beside it; "band": number and
    title in one cell merged across the table; "text": that cell not merged (a csv).
    Returns rows, merges and the truth: each task's row, requirement and the titles of the
    headings over it; the heading rows."""
    labels = SCHEMES.get(scheme) or scheme
    depth, head = len(labels) - 1, HEADERS[columns]
    width, task_col, last = len(head), 2 if columns == "req" else 1, "ABCDE"[len(head) - 1]
    rows = [["蒙阴县2025年政务公开重点工作任务分解表"] + [None] * (width - 1), head]
    merges, tasks, headings, n = [f"A1:{last}1"], [], [], 0

    def walk(level, path, above):
        nonlocal n
        for k in range(1, fan + 1):
            n += 1
            lab = labels[level](path + (k,))
            if level < depth:
                title = f"第{n}{TITLE}{'甲乙丙丁'[level]}"
                if placement == "seq":
                    rows.append([lab, title] + [None] * (width - 2))
                else:
                    space = " " if lab.startswith("第") or lab[-1].isdigit() else ""
                    rows.append([f"{lab}{space}{title}"] + [None] * (width - 1))
                    if placement == "band":
                        merges.append(f"A{len(rows)}:{last}{len(rows)}")
                headings.append(len(rows))
                walk(level + 1, path + (k,), above + [title])
            else:
                row = [lab] + [None] * (width - 1)
                row[task_col] = f"落实第{n}项任务的具体要求。"
                row[-2], row[-1] = UNITS[n % len(UNITS)], DEADLINES[n % len(DEADLINES)]
                rows.append(row)
                tasks.append((len(rows), row[task_col], above))
    walk(0, (), [])
    return rows, merges, tasks, headings


def _sheet(path, name=None):
    wb = CalamineWorkbook.from_path(str(path))
    return (wb.get_sheet_by_name(name) if name else wb.get_sheet_by_index(0)).to_python()


CASES = [(s, p, c) for (s, p), c in zip(itertools.product(SCHEMES, ["seq", "band", "text"]),
                                         itertools.cycle(HEADERS))]


@pytest.mark.parametrize("scheme,placement,columns", CASES)
def test_every_heading_level_reaches_the_master_and_the_returns(tmp_path, scheme, placement, columns):
    rows, merges, tasks, headings = plan_rows(scheme, placement, columns)
    plan = write_xlsx(tmp_path / "蒙阴县2025年政务公开重点工作任务分解表.xlsx", {"Sheet1": rows}, {"Sheet1": merges})
    read = {t.row: t for t in read_plan(plan).tasks}
    assert sorted(read) == [row for row, _, _ in tasks]      # every requirement row a task, no heading row
    assert not set(read) & set(headings)
    master = tmp_path / "汇总.xlsx"
    merge([plan], master, as_of=dt.date(2025, 7, 15))
    body = _sheet(master, "汇总")
    head = body[0]
    by_row = {int(r[head.index("来源行")]): r for r in body[1:]}
    split(master, tmp_path / "returns")
    returned = ["".join(map(str, r)) for f in (tmp_path / "returns").rglob("*.xlsx") for r in _sheet(f)]
    for row, requirement, above in tasks:
        shown = by_row[row]
        levels = [shown[head.index("工作任务")], *str(shown[head.index("具体任务")]).split(" ／ ")]
        # each heading over the task once, highest first: 工作任务, then 具体任务's parts
        assert [next((h for h in above if h in x), None) for x in levels if TITLE in x] == above
        assert requirement in "".join(map(str, shown))
        line, = (x for x in returned if requirement in x)
        assert all(h in line for h in above) and line.count(TITLE) == len(above)


def test_a_ledgers_own_text_follows_its_headings_in_the_sub_task(tmp_path):
    # 蒙阴县: 序号 | 工作任务 only, 一、 / （一） / 1. headings over （1）（2）
    rows = [["蒙阴县2025年政务公开重点工作任务分解表"], ["序号", "工作任务", "责任单位", "完成时限"],
            ["一、", "深化重点领域信息公开", None, None],
            ["（一）", "经济领域", None, None],
            ["1.", "公开重点项目信息", None, None],
            ["（1）", "公开项目审批结果。", "县行政审批服务局", "每季度末"],
            ["（2）", "公开项目建设进度。", "县发展改革局", "2025年第三季度"],
            ["（二）", "社会领域", None, None],
            ["1.", "公开教育招生政策。", "县教育和体育局", "2025年上半年"]]
    plan = write_xlsx(tmp_path / "蒙阴县2025年政务公开重点工作任务分解表.xlsx", {"Sheet1": rows}, {"Sheet1": ["A1:D1"]})
    master = tmp_path / "汇总.xlsx"
    merge([plan], master, as_of=dt.date(2025, 7, 15))
    body = _sheet(master, "汇总")
    head = body[0]
    got = [(r[head.index("工作任务")], r[head.index("具体任务")]) for r in body[1:]]
    assert got == [("深化重点领域信息公开", "经济领域 ／ 公开重点项目信息 ／ 公开项目审批结果。"),
                   ("深化重点领域信息公开", "经济领域 ／ 公开重点项目信息 ／ 公开项目建设进度。"),
                   ("深化重点领域信息公开", "社会领域 ／ 公开教育招生政策。")]


def test_re_merging_keeps_every_key_and_level(tmp_path):
    """The joined 具体任务 read back from a master is not joined again; the task keys of a
    three-level plan are the keys its two levels gave (made of the requirement), and a
    re-merge of the same plan changes nothing."""
    rows, merges, tasks, _ = plan_rows("一、/（一）/1./（1）", "seq", "req")
    plan = write_xlsx(tmp_path / "蒙阴县2025年政务公开重点工作任务分解表.xlsx", {"Sheet1": rows}, {"Sheet1": merges})
    master = tmp_path / "汇总.xlsx"
    merge([plan], master, as_of=dt.date(2025, 7, 15))
    first = _sheet(master, "汇总")
    merge([plan], master, as_of=dt.date(2025, 7, 15))
    assert _sheet(master, "汇总") == first
    again = tmp_path / "汇总2.xlsx"
    merge([master], again, as_of=dt.date(2025, 7, 15))
    head, second = first[0], _sheet(again, "汇总")
    cols = [head.index(h) for h in ("任务编号", "工作任务", "具体任务", "具体要求")]
    assert [[r[c] for c in cols] for r in second[1:]] == [[r[c] for c in cols] for r in first[1:]]


def test_a_two_level_master_is_as_before(tmp_path):
    """一、 over （一） over the tasks: 工作任务 and 具体任务 hold one level each, no ／, each the
    heading's title without its number (as where the number has a cell of its own)."""
    rows, merges, tasks, _ = plan_rows((_cn, _cn_paren, _arabic), "band", "req")
    plan = write_xlsx(tmp_path / "蒙阴县2025年政务公开重点工作任务分解表.xlsx", {"Sheet1": rows}, {"Sheet1": merges})
    master = tmp_path / "汇总.xlsx"
    merge([plan], master, as_of=dt.date(2025, 7, 15))
    body = _sheet(master, "汇总")
    head = body[0]
    subs = [r[head.index("具体任务")] for r in body[1:]]
    assert len(subs) == len(tasks) and all(s.startswith("第") and "／" not in s for s in subs)
    assert [(r[head.index("工作任务")], r[head.index("具体任务")]) for r in body[1:]] == \
        [tuple(above) for _, _, above in tasks]


def test_parts_and_chapters_are_numbers_above_the_sections():
    assert (label("第一部分").rank, label("第二章").path, label("第3节").rank) == (PART, (2,), CHAPTER_PART)
    assert label("第一部分").heads(label("一、")) and label("第一章").heads(label("第一节"))
    assert label("第一节").heads(label("第一条")) and label("第一条").rank == CN
    assert [heading_label(x) and heading_label(x).text for x in
            ("第一部分 总体要求", "（一）加强", "1.1 完善", "1 总体要求", "①做好", "2024年完成", "一、")] == \
        ["第一部分", "（一）", "1.1", "1", "①", None, None]
