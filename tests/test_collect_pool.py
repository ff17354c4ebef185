"""Collect reads its returns as merge reads its files (work/pool.py): in reading
processes, while the master is read here.  What it writes must not depend on that, and
a return that kills its reading process is listed as unreadable while the others are
collected."""
from __future__ import annotations

import datetime as dt
import os
import shutil

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from loop_fixtures import led_alone
from test_loop import COL, D, fill, master, master_cells  # noqa: F401  (master: the fixture)
from xltools.work import collect as collect_module
from xltools.aside import Aside
from xltools.work import pool
from xltools.work.loop import LOG_SHEET, collect, split

NOW = dt.datetime(2024, 6, 1, 9, 0)


@pytest.fixture
def returned(master, tmp_path):
    """A master split by lead unit and eight of its returns filled in as units would."""
    out = tmp_path / "下发"
    files = {label: path for label, path, _, _ in split(master, out).files}
    cells = master_cells(master)
    # tasks a unit leads alone (led_alone) and none supports: a supporting unit's 已完成 completes
    # nothing (test_collect_leads)
    head = cells[0]
    supported = {row[head.index("任务编号")] for row in cells[1:] if row[head.index("配合单位")]}
    chosen, used = [], set()
    for label in sorted(files):
        ws = openpyxl.load_workbook(files[label])["进展报送"]
        column = next(c for c in range(1, ws.max_column + 1) if ws.cell(3, c).value == "任务编号")
        alone = led_alone(files[label]) - supported
        key = next((k for r in range(4, ws.max_row + 1) if (k := ws.cell(r, column).value) and k not in used
                    and k in alone), None)
        if key is None:
            continue
        i = len(chosen)
        used.add(key)
        chosen.append(label)
        fill(files[label], key, "已完成" if i % 2 else "进行中", f"第{i}份报送的进展", D(2022, 9, 1 + i) if i % 2 else None)
        if len(chosen) == 8:
            break
    return master, [files[label] for label in chosen], cells


def sheets(path):
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def test_returns_read_in_processes_give_what_one_process_gives(returned, tmp_path, monkeypatch):
    master, returns, before = returned
    alone = tmp_path / "一个进程.xlsx"
    shutil.copy(master, alone)
    pools = []
    real = pool.ProcessPoolExecutor

    def counted(*args, **kwargs):
        pools.append(kwargs.get("max_workers"))
        return real(*args, **kwargs)

    monkeypatch.setattr(pool, "ProcessPoolExecutor", counted)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    in_pool = collect(returns, master, now=NOW)
    assert pools == [2], "eight returns are read in two processes"

    monkeypatch.setattr(collect_module, "_workers", lambda files: 0)
    here = collect(returns, alone, now=NOW)
    assert pools == [2]
    assert in_pool.updated == here.updated == 8 + 8 + 4      # 状态 and 进展 of each; 完成日期 on the 已完成 half
    assert [c.to_dict() for c in in_pool.changes] == [c.to_dict() for c in here.changes]
    assert sheets(master) == sheets(alone)
    after = master_cells(master)
    assert after != before and sheets(master)[LOG_SHEET]


def test_a_large_return_is_read_beside_the_master(returned, monkeypatch):
    master, returns, _ = returned
    monkeypatch.setattr(collect_module, "LARGE_RETURNS", 1)      # any return counts as large
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert collect_module._workers(returns[:1]) == 1 and collect_module._workers([]) == 0
    pools = []
    real = pool.ProcessPoolExecutor
    monkeypatch.setattr(pool, "ProcessPoolExecutor", lambda *a, **k: pools.append(k["max_workers"]) or real(*a, **k))
    summary = collect(returns[:1], master, now=NOW)
    assert pools == [1] and summary.files == returns[:1] and summary.updated >= 2


def test_a_return_that_kills_its_reading_process_is_listed_and_the_others_collected(returned, monkeypatch):
    master, returns, _ = returned
    killer = returns[3]
    real = collect_module._read

    def dies_on_one(path, *part):
        if path == killer:
            os._exit(9)          # a crash inside a native reader
        return real(path, *part)

    monkeypatch.setattr(collect_module, "_read", dies_on_one)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    summary = collect(returns, master, now=NOW)
    assert [path for path, _ in summary.failed] == [killer]
    assert "读取该文件的进程意外退出" in summary.failed[0][1]
    assert summary.files == [p for p in returns if p != killer]
    assert summary.updated == 8 + 8 + 4 - (2 if returns.index(killer) % 2 == 0 else 3)
    assert summary.exit_code == 1


def test_log_rows_made_aside_give_what_one_process_gives(returned, tmp_path, monkeypatch):
    """收集记录's lines made into rows in a forked process (a large log) are the lines
    made here, in the same rows, numbered after the log's earlier lines."""
    from xltools.work import collect_log

    master, returns, _ = returned
    here = tmp_path / "此进程.xlsx"
    shutil.copy(master, here)
    forks = []
    real = Aside.__init__

    def counted(self, fn, *args, worth=True):
        if fn is collect_log._rows_xml:          # the log's rows (not the check of the parts)
            forks.append(worth)
        real(self, fn, *args, worth=worth)

    monkeypatch.setattr(Aside, "__init__", counted)
    monkeypatch.setattr(collect_log, "ASIDE_LINES", 1)
    first = collect(returns[:4], master, now=NOW)
    monkeypatch.setattr(collect_log, "ASIDE_LINES", 10 ** 9)
    assert collect(returns[:4], here, now=NOW).updated == first.updated > 0
    for path, lines in ((master, 1), (here, 10 ** 9)):     # then lines after the earlier ones
        monkeypatch.setattr(collect_log, "ASIDE_LINES", lines)
        collect(returns[4:], path, now=NOW + dt.timedelta(hours=1))
    assert forks == [True, True, False, True, True, False]     # aside: two halves at once
    assert sheets(master) == sheets(here)
    log = sheets(master)[LOG_SHEET]
    assert len(log) == 1 + sum(1 for row in log[1:] if row[0]) > 2 * 8     # no gap, no row lost
    assert {row[0] for row in log[1:]} == {NOW, NOW + dt.timedelta(hours=1)}


def _fails():
    raise ValueError("未能算出")


def test_aside_is_worked_out_here_when_its_process_dies_or_fails():
    assert Aside(sum, [1, 2, 3]).result() == 6
    assert Aside(sum, [1, 2], worth=False).process is None
    dying = Aside(os._exit, 3)          # the forked process dies: worked out here (os._exit
    dying.fn = lambda code: code * 2         # stands in for what the process could not finish)
    assert dying.result() == 6
    with pytest.raises(ValueError, match="未能算出"):
        Aside(_fails).result()          # its error is raised here, as without the process


def test_large_returns_read_in_two_parts_give_what_one_read_gives(returned, tmp_path, monkeypatch):
    """A large return's 下发底稿 is read here, after the master, while a reading process
    reads its tasks: the two parts joined are the return read whole — the unit typed,
    else the one it was sent to; a return made before 下发底稿 matched by the master."""
    master, returns, _ = returned
    wb = openpyxl.load_workbook(returns[0])         # 报送单位 left blank: the unit it was sent to
    ws = wb["进展报送"]
    label = next(c for row in ws.iter_rows(max_row=8) for c in row if str(c.value or "").startswith("报送单位"))
    typed = next(c for c in ws[label.row][label.column:] if c.value not in (None, ""))
    typed.value = None
    wb.save(returns[0])
    wb = openpyxl.load_workbook(returns[1])         # made before there was a 下发底稿
    del wb["下发底稿"]
    wb.save(returns[1])
    whole = tmp_path / "整份读.xlsx"
    shutil.copy(master, whole)
    monkeypatch.setattr(collect_module, "LARGE_RETURNS", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert collect_module._sent_apart(returns, 2) == set(range(len(returns)))
    assert collect_module._sent_apart(returns, 0) == set()
    here = []
    real = collect_module._read

    def seen(path, part="whole"):       # in this process (what reading processes do is theirs)
        here.append((path, part))
        return real(path, part)
    monkeypatch.setattr(collect_module, "_read", seen)
    apart = collect(returns, master, now=NOW)
    assert sorted(here) == sorted((p, "sent") for p in returns)       # the tasks were read in processes
    monkeypatch.setattr(collect_module, "_sent_apart", lambda files, workers: set())
    at_once = collect(returns, whole, now=NOW)
    assert apart.updated == at_once.updated == 8 + 8 + 4
    assert [c.to_dict() for c in apart.changes] == [c.to_dict() for c in at_once.changes]
    assert sheets(master) == sheets(whole)
    sent_to = openpyxl.load_workbook(returns[0])["下发底稿"].cell(1, 2).value
    assert sent_to and {c.unit for c in apart.changes if c.file == str(returns[0])} == {sent_to}


def test_log_rows_are_the_cells_of_each_value_however_often_it_repeats():
    """收集记录's rows are made column by column, a repeated value's cell once: each row
    holds the cell of each of its values (1, 1.0 and True are three different cells)."""
    import openpyxl as xl

    from xltools.rules.text import row_height
    from xltools.work import collect_log
    from xltools.write.splice import Formats, cell

    formats = Formats(xl.Workbook())
    looks = [formats.family(0), formats.family(formats.like(0, "yyyy-mm-dd"))]
    lines = [[1, NOW], [1.0, NOW], [True, dt.date(2024, 5, 1)], ["1", NOW], [None, None], ["=1+1", NOW]]
    made = collect_log._rows_xml(lines, looks, 7).decode()
    one_line = row_height(1)      # short values: one line each (a long note makes its row taller)
    rows = [f'<row r="{r}" ht="{one_line}" customHeight="1">{"".join(cell(v, f) for v, f in zip(values, looks))}</row>'
            for r, values in enumerate(lines, 7)]
    assert made == "".join(rows)
    assert len(set(rows[0].split("<c")[1:2] + rows[1].split("<c")[1:2] + rows[2].split("<c")[1:2])) == 3


def _formats(path):
    """Every cell of 汇总 as shown: value and number format (a look numbered wrongly shows a
    date as a number, or text as a date)."""
    ws = openpyxl.load_workbook(path)["汇总"]
    return [[(c.value, c.number_format, c.alignment.wrap_text, c.font.b) for c in row] for row in ws.iter_rows()]


@pytest.mark.parametrize("fork", [True, False])
def test_tasks_decided_in_two_halves_give_what_one_process_gives(master, tmp_path, monkeypatch, fork):
    """Many tasks: the second half is decided in a forked process while this one decides
    the first (collect.apply); the cells it sets, in the looks it made (renumbered here),
    its changes, findings and open conflicts are those of one process, in order.  Without
    a fork (Windows) the second half is decided here after the first."""
    from test_loop import key_of

    before = master_cells(master)
    k = {(d, n): key_of(before, d, n) for d, n in [("长清区", 12), ("长清区", 13), ("长清区", 14), ("长清区", 17),
                                                   ("天桥区", 19), ("天桥区", 3)]}
    wb = openpyxl.load_workbook(master)     # 完成日期 in a look of its own on a task of each half: a date
    ws = wb["汇总"]                         # format made for each, numbered apart in each process
    for (district, seq), font in (((("长清区", 17)), openpyxl.styles.Font(b=True, color="C00000")),
                                  ((("天桥区", 19)), openpyxl.styles.Font(i=True, color="0000C0"))):
        row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, COL["任务编号"]).value == k[district, seq])
        ws.cell(row, COL["完成日期"]).font = font
    wb.save(master)
    files = {label: path for label, path, _, _ in split(master, tmp_path / "下发").files}
    fill(files["长清区-区住建局"], k["长清区", 17], "已完成", "已公开项目清单", D(2022, 8, 15))
    fill(files["长清区-文昌街道"], k["长清区", 17], "进行中", "配合提供材料")      # a supporter disagrees
    fill(files["长清区-区行政审批局"], k["长清区", 13], "暂缓", "等待批复")
    fill(files["长清区-区司法局"], k["长清区", 13], "进行中")                     # two leads disagree: held
    fill(files["长清区-区政府办公室"], k["长清区", 12], "已完成", "已完成初稿")    # 已完成 without a date
    fill(files["长清区-区政府办公室"], k["长清区", 14], progress="已集中公开", requirement="改过的要求")
    fill(files["天桥区-区财政局"], k["天桥区", 19], "已完成", "目录已公开", D(2024, 5, 31))
    fill(files["天桥区-区财政局"], k["天桥区", 3], "进行中", "=1+1")               # text that looks like a formula
    copies = {name: tmp_path / f"{name}.xlsx" for name in ("一个进程", "两半")}
    for path in copies.values():
        shutil.copy(master, path)
    forks = []
    real = Aside.__init__

    def counted(self, fn, *args, worth=True):
        if getattr(fn, "__name__", "") == "_apply_part":
            forks.append(worth)
        real(self, fn, *args, worth=worth)

    monkeypatch.setattr(Aside, "__init__", counted)
    monkeypatch.setattr(collect_module, "APPLY_ASIDE", 10 ** 9)
    one = collect([tmp_path / "下发"], copies["一个进程"], now=NOW)
    monkeypatch.setattr(collect_module, "APPLY_ASIDE", 2)
    if not fork:
        monkeypatch.setattr("multiprocessing.get_all_start_methods", lambda: ["spawn"])
    two = collect([tmp_path / "下发"], copies["两半"], now=NOW)
    assert forks == [True]
    assert [c.to_dict() for c in two.changes] == [c.to_dict() for c in one.changes] and len(one.changes) >= 9
    assert [f.to_dict() for f in two.findings] == [f.to_dict() for f in one.findings]
    assert two.open_conflicts == one.open_conflicts == 1
    assert {"collect-conflict", "collect-done-without-date", "collect-text-edited"} <= {f.code for f in two.findings}
    assert sheets(copies["两半"]) == sheets(copies["一个进程"])
    assert _formats(copies["两半"]) == _formats(copies["一个进程"])
    done = next(row for row in _formats(copies["两半"]) if row[COL["任务编号"] - 1][0] == k["天桥区", 19])
    assert done[COL["完成日期"] - 1][0] == dt.datetime(2024, 5, 31) and "yy" in done[COL["完成日期"] - 1][1]
    own = next(row for row in _formats(copies["两半"]) if row[COL["任务编号"] - 1][0] == k["长清区", 17])
    assert own[COL["完成日期"] - 1][0] == dt.datetime(2022, 8, 15) and "yy" in own[COL["完成日期"] - 1][1]
    assert own[COL["完成日期"] - 1][3] and not done[COL["完成日期"] - 1][3]       # each its own look
