"""The scripted bad day (issue 24, done-when): scripts/bad_day.py run in a temporary
folder.  After every step, and at the end, every value anyone typed (into the master or
into a return) is in the current master, one `undo` away, or still in its return; each
step ends with the exit code README's table gives it."""
from __future__ import annotations

import importlib.util
import sys

import openpyxl

from conftest import ROOT


def load_script():
    spec = importlib.util.spec_from_file_location("bad_day", ROOT / "scripts" / "bad_day.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bad_day"] = module
    spec.loader.exec_module(module)
    return module


def test_a_bad_day_loses_nothing_anyone_typed(tmp_path):
    bad_day = load_script()
    day = bad_day.run_day(tmp_path / "办公室", kills=1)
    steps = {s.name: s for s in day.steps}
    lost = {s.name: [v.value for v in s.lost] for s in day.steps if s.lost}
    assert lost == {}, lost
    assert day.lost() == [] and len(day.typed) >= 6

    code = {name: s.code for name, s in steps.items()}
    assert code["首次合并"] == 1                                   # the examples' own defects
    assert code["合并了错误的文件夹"] == 2 and code["加 --replace 强行替换"] in (0, 1) and code["撤销"] == 0
    assert code["拆分下发"] == 0 and code["在已交回的报送表上再次拆分"] == 0
    assert "被改动了" not in steps["在已交回的报送表上再次拆分"].note  # the filled returns, byte for byte
    # collect goes on past a damaged return and one from another master, naming each:
    # done, with problems (README: 1), never a stop (2) nor a silent success (0)
    damaged = steps["收集时有一个报送表已损坏"]
    assert damaged.code == 1, damaged.output
    assert "区教育和体育局.xlsx" in damaged.output and "报送表无法读取" in damaged.output
    assert code["区县文件只有 0 字节时再合并"] == 1 and code["合并时区县文件被删除"] in (0, 1, 2)
    assert code["合并时另一个人运行 flag"] in (0, 1) and "flag 的退出码 2" in steps["合并时另一个人运行 flag"].note
    assert code["合并时有人在 Excel 中保存了汇总表"] == 2
    foreign = steps["收集了另一个汇总表的报送表"]
    other = sorted((day.folder / "另一个汇总表" / "下发").glob("*.xlsx"))[0]
    assert foreign.code == 1, foreign.output
    assert f"  {other.name}：" in foreign.output and "整份未收集" in foreign.output
    assert "撤销收集" not in steps                                  # nothing of it was written
    assert code["磁盘已满时标记预警"] == 2 and code["磁盘已满时合并"] == 2
    assert "被改动了" not in steps["磁盘已满时合并"].note and "锁文件" not in steps["磁盘已满时合并"].note
    assert sum(1 for name in steps if "被强行结束" in name) == 6
    assert code["强行结束之后再合并"] in (0, 1)                     # a killed run's lock is taken over

    # the master at the end of the day opens and holds what was typed into it
    ws = openpyxl.load_workbook(day.master)["汇总"]
    texts = {c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)}
    assert "合并期间在 Excel 中保存的进展" in texts and "已完成初稿，待审定" in texts
