"""Collect checks what units typed (issue 24 points 4 and 8): returns made by split, then
edited with openpyxl as a unit would in Excel (impossible dates, text in the date cell,
办结, 已完成 without a date, merged cells, re-sorted rows, a return from another master
or year); the master read back with python-calamine."""
from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest
import python_calamine as pc
from click.testing import CliRunner

from conftest import CHANGQING, TIANQIAO
from loop_fixtures import copy_loop, edit, split_master, task_rows
from xltools.cli.app import cli
from xltools.work import collect as collect_module
from xltools.read import limits
from xltools.work.loop import LOG_SHEET, collect, split
from xltools.work.merge import merge
from xltools.work.returns import IDENTITY_SHEET, master_identity
from xltools.write.templates import PROGRESS_SHEET, SENT_SHEET

D = dt.date
NOW = dt.datetime(2024, 6, 5, 8, 0)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("checks")
    return base, split_master(base, [TIANQIAO])


@pytest.fixture
def loop(built, tmp_path):
    return copy_loop(*built, tmp_path)


def calamine_rows(path, sheet="汇总"):
    rows = pc.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def master_by_seq(path):
    return {r["序号"]: r for r in calamine_rows(path)}


def test_what_a_unit_typed_wrong_is_listed_not_written(loop):
    master, out, files = loop
    path = next(p for label, p in files.items() if "区财政局" in label)
    typed = {}

    def mistakes(ws, head, rows):
        a, b, c, d, e, f, g = list(rows)[:7]
        typed.update(a=a, b=b, c=c, d=d, e=e, f=f, g=g)
        cell = lambda seq, name: ws.cell(rows[seq], head[name])   # noqa: E731
        cell(a, "状态").value, cell(a, "完成日期").value = "办结", "2024年2月30日"     # no such day
        cell(b, "进展情况").value, cell(b, "完成日期").value = "正在推进", "已于5月完成"  # words in the date cell
        cell(c, "状态").value = "已完成"                                              # done, but when?
        cell(d, "状态").value = "搁置"                                                # not a status word
        cell(e, "状态").value, cell(e, "完成日期").value = "办结", D(2024, 5, 31)       # clear: 已完成
        # 进展情况 and 完成日期 merged: the progress text lands in 完成日期 too
        cell(f, "状态").value, cell(f, "进展情况").value = "进行中", "已完成初稿，正在征求意见"
        ws.merge_cells(start_row=rows[f], start_column=head["进展情况"], end_row=rows[f],
                       end_column=head["完成日期"])
        # rows re-sorted: the last two tasks swapped (matched by key, reported)
        last, before = list(rows.values())[-1], list(rows.values())[-2]
        for col in range(1, ws.max_column + 1):
            x, y = ws.cell(last, col), ws.cell(before, col)
            x.value, y.value = y.value, x.value
        cell(g, "进展情况").value = "按序时推进"

    edit(path, mistakes)
    before = master_by_seq(master)
    result = collect([path], master, now=NOW)
    after = master_by_seq(master)
    a, b, c, d, e, f, g = (typed[k] for k in "abcdefg")

    # nothing wrong was written
    for seq in (a, b, c, d):
        assert (after[seq]["状态"], after[seq]["完成日期"]) == (before[seq]["状态"], before[seq]["完成日期"]), seq
    assert after[b]["进展情况"] == "正在推进"                           # the good value of the same row is taken
    # e is led by 区政府各部门（单位）: 区财政局's clear 已完成 waits for every department split sent it to
    assert "各部门" in after[e]["牵头单位"]
    assert (after[e]["状态"], after[e]["完成日期"]) == (before[e]["状态"], before[e]["完成日期"])
    assert e in {x.params["seq"] for x in result.findings_of("collect-leads-done-partly")}
    assert after[f]["状态"] == "进行中" and after[f]["进展情况"] in ("", None) and after[f]["完成日期"] in ("", None)
    assert after[g]["进展情况"] == "按序时推进"                          # found by key after the re-sort

    # each listed with file, cell, value and reason
    ws = openpyxl.load_workbook(path)[PROGRESS_SHEET]
    head, rows = task_rows(ws)
    by_code = {f.code: f for f in result.findings}
    expected = {"collect-impossible-date": (a, "完成日期", "2024年2月30日", "不是有效日期（2月30日）"),
                "collect-not-a-date": (b, "完成日期", "已于5月完成", "不是日期"),
                "collect-unknown-status": (d, "状态", "搁置", "不是可选的写法"),
                "collect-status-mapped": (e, "状态", "办结", "按“已完成”处理")}
    for code, (seq, column, value, reason) in expected.items():
        finding = by_code[code]
        assert finding.cell == f"{ws.cell(rows[seq], head[column]).column_letter}{rows[seq]}", code
        assert finding.value == value and reason in finding.message() and finding.file == str(path)
        assert finding.params["seq"] == seq and finding.params["task"]
    done_without = {f.params["seq"]: f for f in result.findings_of("collect-done-without-date")}
    assert set(done_without) == {a, c}                                 # 办结 with an impossible date, 已完成 alone
    merged = result.findings_of("collect-merged-cells")
    assert {x.params["column"].render("zh") for x in merged} == {"进展情况", "完成日期"}
    assert all(x.params["range"] == f"{ws.cell(rows[f], head['进展情况']).coordinate}:"
                                     f"{ws.cell(rows[f], head['完成日期']).coordinate}" for x in merged)
    assert result.count("collect-rows-moved") == 1 and result.problems

    # 收集记录 says the same, in Chinese, each line naming the task
    log = calamine_rows(master, LOG_SHEET)
    bad = next(r for r in log if r["报送内容"] == "2024年2月30日")
    assert bad["类型"] == "未写入（错误）" and bad["序号"] == a and bad["单元格"] == by_code["collect-impossible-date"].cell
    assert bad["文件"] == path.name and "不写入汇总表" in bad["说明"] and bad["任务"] and bad["区县"] == "天桥区"
    assert any(r["报送内容"] == "搁置" for r in log) and any(r["报送内容"] == "已于5月完成" for r in log)

    # the CLI prints the errors with file, cell and task, and exits 1
    res = CliRunner().invoke(cli, ["collect", str(path), "--into", str(master)])
    assert res.exit_code == 1, res.output
    assert f"{path.name} {by_code['collect-impossible-date'].cell}" in res.output and "2024年2月30日" in res.output
    assert f"天桥区 第 {a} 项" in res.output and "Traceback" not in res.output


def test_a_return_from_another_master_or_year_is_refused_by_name(loop, tmp_path):
    master, out, files = loop
    other = tmp_path / "别处" / "另一份汇总.xlsx"
    merge([TIANQIAO], other)                                     # the same tasks, another master
    older = tmp_path / "往年" / "汇总2022.xlsx"
    merge([CHANGQING], older)                                    # another year
    assert master_identity(other) and master_identity(other) != master_identity(master)
    theirs = split(other, tmp_path / "别处下发")
    stranger = next(p for label, p, _, _ in theirs.files if "区财政局" in label)
    edit(stranger, lambda ws, head, rows: setattr(ws.cell(rows[next(iter(rows))], head["进展情况"]), "value", "外来"))
    last_year = split(older, tmp_path / "往年下发").files[0][1]
    edit(last_year, lambda ws, head, rows: setattr(ws.cell(rows[next(iter(rows))], head["进展情况"]), "value", "往年"))
    before = calamine_rows(master)

    result = collect([stranger, last_year], master, now=NOW)
    assert calamine_rows(master) == before                       # not one cell taken
    (wrong_master,) = result.findings_of("collect-other-master")
    assert "另一份汇总.xlsx" in wrong_master.message() and "“汇总.xlsx”" in wrong_master.message()
    (wrong_year,) = result.findings_of("collect-other-year")
    assert "2022" in wrong_year.message() and "2024" in wrong_year.message() and "汇总2022.xlsx" in wrong_year.message()
    assert {p.name for p, _ in result.failed} == {stranger.name, last_year.name} and not result.files
    res = CliRunner().invoke(cli, ["collect", str(stranger), "--into", str(master)])
    assert res.exit_code == 1 and "另一份汇总表“另一份汇总.xlsx”" in res.output


def test_returns_made_before_identities_still_collect(tmp_path):
    """A master merged before ids (no 汇总表标识) and a return split from it: collected
    as before; the collection gives the master its id, which the next split carries."""
    master = tmp_path / "汇总.xlsx"
    merge([TIANQIAO], master)
    wb = openpyxl.load_workbook(master)
    del wb[IDENTITY_SHEET]
    wb.save(master)
    assert master_identity(master) is None
    path = next(p for label, p, _, _ in split(master, tmp_path / "下发").files if "区财政局" in label)
    sent = openpyxl.load_workbook(path)[SENT_SHEET]
    assert sent["C1"].value == "master" and sent["D1"].value is None and sent["F1"].value == "汇总.xlsx"
    # and one from before 下发底稿 named its master at all: only the unit on row 1
    wb = openpyxl.load_workbook(path)
    for c in range(3, 9):
        wb[SENT_SHEET].cell(1, c).value = None
    wb.save(path)
    edit(path, lambda ws, head, rows: setattr(ws.cell(rows[next(iter(rows))], head["进展情况"]), "value", "照常收集"))
    result = collect([path], master, now=NOW)
    assert result.updated == 1 and not result.failed
    assert "照常收集" in [r["进展情况"] for r in calamine_rows(master)]
    made = master_identity(master)
    assert made
    again = next(p for label, p, _, _ in split(master, tmp_path / "再下发").files if "区财政局" in label)
    assert openpyxl.load_workbook(again)[SENT_SHEET]["D1"].value == made
    merge([TIANQIAO], master)                                         # a re-merge keeps it
    assert master_identity(master) == made


def test_dry_run_lists_exactly_what_the_run_then_does(loop):
    master, out, files = loop
    path = next(p for label, p in files.items() if "区财政局" in label)

    def report(ws, head, rows):
        seqs = list(rows)
        ws.cell(rows[seqs[0]], head["状态"]).value = "已完成"
        ws.cell(rows[seqs[0]], head["完成日期"]).value = D(2024, 5, 20)
        ws.cell(rows[seqs[1]], head["进展情况"]).value = "正在编制"
        ws.cell(rows[seqs[2]], head["完成日期"]).value = "2024年2月30日"
    edit(path, report)
    unchanged = master.read_bytes()
    dry = collect([out], master, now=NOW, dry_run=True)
    assert master.read_bytes() == unchanged and dry.dry_run and dry.updated == 3
    res = CliRunner().invoke(cli, ["collect", str(out), "--into", str(master), "--dry-run", "--json"])
    assert res.exit_code == 1 and master.read_bytes() == unchanged      # the bad date: exit 1, nothing written
    shown = json.loads(res.output)
    assert shown["dry_run"] and shown["changes"] == dry.to_dict()["changes"]
    text = CliRunner().invoke(cli, ["collect", str(out), "--into", str(master), "--dry-run"]).output
    assert "预演，未写入任何文件" in text and "正在编制" in text and "→" in text

    real = collect([out], master, now=NOW)
    assert real.to_dict()["changes"] == dry.to_dict()["changes"]
    assert [f.to_dict() for f in real.findings] == [f.to_dict() for f in dry.findings]
    # and the master holds exactly those changes
    rows = {r["任务编号"]: r for r in calamine_rows(master)}
    headers = {"status": "状态", "progress": "进展情况", "done_date": "完成日期"}
    for change in dry.changes:
        value = rows[change.key][headers[change.column]]
        assert value == change.new


def test_collect_holds_the_row_limits_like_merge(loop, monkeypatch):
    master, out, files = loop
    big = next(p for label, p in files.items() if "区财政局" in label)
    small = next(p for label, p in files.items() if "区财政局" not in label)
    wb = openpyxl.load_workbook(big)
    ws = wb[PROGRESS_SHEET]
    for r in range(1, 400):
        ws.cell(ws.max_row + 1, 2).value = f"多出来的第 {r} 行"
    wb.save(big)
    edit(small, lambda ws, head, rows: setattr(ws.cell(rows[next(iter(rows))], head["进展情况"]), "value", "照常"))
    monkeypatch.setattr(limits, "MAX_ROWS", 300)
    monkeypatch.setattr(limits, "TRUST_CELLS", 10)             # every sheet scanned, as a big one would be
    result = collect([big, small], master, now=NOW)
    (refused,) = result.findings_of("collect-unreadable")
    assert refused.file == str(big) and "300" in refused.message()
    assert result.updated == 1 and result.files == [small]


def test_a_master_whose_log_grew_past_the_read_limit_is_read_and_collected_again(loop, monkeypatch):
    """At the documented limit a collection writes ~2 log lines per task: the master's other
    sheets are still read (another sheet's size does not matter), and collecting again
    writes its lines, said not compared; past Excel's last row nothing is written."""
    from xltools.errors import XltoolsError
    from xltools.read import read_plan
    from xltools.work import collect_log
    from xltools.work.returns import MasterTable

    master, out, files = loop
    label, first = next(iter(files.items()))
    head_seq = next(iter(task_rows(openpyxl.load_workbook(first)[PROGRESS_SHEET])[1]))
    edit(first, lambda ws, head, rows: setattr(ws.cell(rows[head_seq], head["进展情况"]), "value", "第一轮"))
    collect([first], master, now=NOW)
    wb = openpyxl.load_workbook(master)                          # weeks of collections: a long log
    ws = wb[LOG_SHEET]
    line = [c.value for c in ws[2]]
    for n in range(300):
        ws.append(line[:8] + [f"第 {n} 周"] + line[9:])
    wb.save(master)
    lines = len(calamine_rows(master, LOG_SHEET))
    tasks = len(MasterTable.read(master).rows)
    assert tasks < 200 < lines
    monkeypatch.setattr(limits, "MAX_ROWS", 200)                 # the log is now "too long"; 汇总 is not
    monkeypatch.setattr(limits, "TRUST_CELLS", 10)               # every sheet scanned, as a big one would be
    assert len(MasterTable.read(master).rows) == tasks and len(read_plan(master, "汇总").tasks) == tasks
    edit(first, lambda ws, head, rows: setattr(ws.cell(rows[head_seq], head["进展情况"]), "value", "第二轮"))
    # the log is read from its part (seen_in_xml) up to LOG_PART_READ bytes, whatever its rows: past
    # that it is read as a sheet, whose limit it passes
    monkeypatch.setattr(collect_module, "LOG_PART_READ", 0)
    again = collect([first], master, now=NOW + dt.timedelta(days=7))
    assert again.updated == 1 and again.count("collect-log-long") == 1
    monkeypatch.setattr(limits, "MAX_ROWS", 10 ** 6)
    log = calamine_rows(master, LOG_SHEET)
    assert len(log) > lines and any(r["报送内容"] == "第二轮" for r in log)
    assert any("不再与已有" in str(r["说明"]) or "没有与已有" in str(r["说明"]) for r in log)
    # the next collection would pass Excel's last row: refused, the master as it was
    edit(first, lambda ws, head, rows: setattr(ws.cell(rows[head_seq], head["进展情况"]), "value", "第三轮"))
    monkeypatch.setattr(collect_log, "EXCEL_ROWS", len(log) + 1)   # the header and the lines fill the sheet
    before = master.read_bytes()
    with pytest.raises(XltoolsError) as refused:
        collect([first], master, now=NOW + dt.timedelta(days=14))
    assert refused.value.key == "collect-log-full" and master.read_bytes() == before
    assert "Excel" in refused.value.message() and "剪切" in refused.value.message()


def test_an_unreadable_returns_reason_is_said_in_the_findings_language_and_survives_pickling(loop):
    import pickle

    master, out, files = loop
    empty = next(iter(files.values()))
    empty.write_bytes(b"")                                        # a return saved as nothing
    (refused,) = collect([empty], master, now=NOW).findings_of("collect-unreadable")
    zh, en = refused.message("zh"), refused.message("en")
    assert "报送表无法读取：文件是空的" in zh
    assert "The return cannot be read: The file is empty" in en and "文件是空的" not in en
    again = pickle.loads(pickle.dumps(refused))                  # as a reading process sends it back
    assert (again.message("zh"), again.message("en")) == (zh, en)


def test_new_plan_from_a_master_with_a_reminder_sheet_reads_only_its_tasks(tmp_path):
    from xltools.read import read_plan
    from xltools.work.newplan import new_plan
    from xltools.work.report import remind

    master = tmp_path / "汇总.xlsx"
    merge([TIANQIAO], master)
    tasks = len(read_plan(master).tasks)
    remind(master, tmp_path / "催办", as_of=D(2025, 1, 5), sheet=True)
    assert "催办" in openpyxl.load_workbook(master).sheetnames
    assert len(read_plan(master).tasks) == tasks                 # 催办, 统计, 问题清单 … are not task sheets
    summary = new_plan(tmp_path / "2025.xlsx", year=2025, district="天桥区", from_plan=master)
    assert summary.tasks == tasks


def test_the_written_books_are_named_as_their_writers_name_them():
    from xltools.schema import WRITTEN_BOOKS
    from xltools.write.master import SHEET_ISSUES, SHEET_LOG, SHEET_MASTER

    assert WRITTEN_BOOKS == ((SHEET_MASTER, (SHEET_LOG, SHEET_ISSUES)), (PROGRESS_SHEET, (SENT_SHEET,)))
