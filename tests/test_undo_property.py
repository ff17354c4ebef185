"""Property (issue 24, done-when): for random sequences of merge, collect, flag, a
person's save and undo on generated masters, every undo puts back exactly the file as
it was before the command it undoes: every sheet, every cell, as openpyxl and
python-calamine read it.

The district files are generated from the seeds' own words (units and deadlines of
天桥区's and 长清区's tables, a collective that split expands), small so that a run of
the whole property stays well under a minute."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from test_history import calamine_cells, contents, type_progress
from test_merge import district_book
from xltools.work.flag import flag_file
from xltools.work.history import HistoryError, undo
from xltools.work.loop import collect, split
from xltools.work.merge import merge
from xltools.write import versions

AS_OF = dt.date(2024, 12, 20)
TITLE = "2024年槐荫区政务公开重点工作任务分解表"
UNITS = ["区财政局", "区政府办公室", "区教育和体育局", "区住建局牵头，各街道配合", "区卫健局、区医保局"]
DEADLINES = ["2024年12月底前", "2024年6月底前", "长期坚持", "2024年9月底前完成，长期坚持", "全年"]
STATUSES = ["已完成", "正在推进", "办结", None]

steps = st.lists(st.one_of(
    st.tuples(st.just("merge"), st.sets(st.integers(1, 8), min_size=1)),
    st.tuples(st.just("collect"), st.integers(0, 99)),
    st.tuples(st.just("flag"), st.integers(0, 60)),
    st.tuples(st.just("type"), st.integers(0, 7)),
    st.tuples(st.just("undo"), st.none())), min_size=1, max_size=6)


def report_in(returns: Path, n: int) -> None:
    """A unit fills the first task of its return (status and progress) and saves it."""
    files = sorted(returns.glob("*.xlsx"))
    wb = openpyxl.load_workbook(files[n % len(files)])
    ws = wb["进展报送"]
    head = {ws.cell(3, c).value: c for c in range(1, ws.max_column + 1)}
    row = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, head["任务编号"]).value)
    ws.cell(row, head["状态"]).value = STATUSES[n % len(STATUSES)]
    ws.cell(row, head["进展情况"]).value = f"第{n}次报送的进展"
    wb.save(files[n % len(files)])


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps)
@example([("merge", {1, 2, 3, 4, 5}), ("collect", 1), ("flag", 30), ("undo", None), ("collect", 2), ("undo", None),
          ("undo", None)])
def test_undo_restores_the_previous_file_after_any_command(tmp_path_factory, ops):
    tmp = tmp_path_factory.mktemp("undo")
    folder, master = tmp / "in", tmp / "汇总.xlsx"
    folder.mkdir()
    stack: list[tuple] = []              # the file as it was before each command not yet undone
    for i, (op, arg) in enumerate(ops):
        made = len(versions.versions(master))
        before = contents(master) if master.exists() else None
        if op == "merge":
            rows = [[n, "一、政务公开", f"第{n}项要求", UNITS[n % len(UNITS)], DEADLINES[n % len(DEADLINES)], None]
                    for n in sorted(arg)]
            district_book(folder / f"{TITLE}.xlsx", rows, title=TITLE)
            merge([folder], master, as_of=AS_OF, replace=True)
        elif op == "collect" and master.exists():
            returns = tmp / f"下发{i}"
            split(master, returns)
            report_in(returns, arg)
            collect([returns], master)
        elif op == "flag" and master.exists():
            flag_file(master, as_of=AS_OF + dt.timedelta(days=arg))
        elif op == "type" and master.exists():
            n_rows = len(calamine_cells(master)["汇总"]) - 1
            type_progress(master, 2 + arg % n_rows, f"进展{arg}")       # a person's save: no version
            continue
        elif op == "undo":
            if not stack:
                with pytest.raises(HistoryError):
                    undo(master)
                continue
            undo(master)
            assert contents(master) == stack.pop()                     # every sheet, every cell
            continue
        if len(versions.versions(master)) > made:                      # the command replaced the file
            assert before is not None
            stack.append(before)
