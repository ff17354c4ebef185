"""The loop as offices run it (issue 9), with real files: the master merged from the two
example plans, split into returns, the returns edited with openpyxl as a unit would in
Excel (or after removing the protection), collected, and the master read back."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from conftest import CHANGQING, TIANQIAO
from loop_fixtures import HEAD_ROW, copy_loop, fill, head_of, set_master, split_master, task_rows
from lo import SOFFICE, convert
from xltools.rules.units import UnitRegistry
from xltools.work import collect as collect_module
from xltools.work.merge import merge
from xltools.work.loop import LOG_SHEET, OPEN_SHEET, collect, split
from xltools.write import versions
from xltools.write.templates import GUIDE_SHEET, PROGRESS_SHEET, SENT_SHEET

D = dt.date


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A master whose task 长清区 13 (two leads) is prefilled 进行中, and its returns."""
    def prefill(master):
        set_master(master, {("长清区", 13): {"状态": "进行中", "进展情况": "正在梳理"}})

    base = tmp_path_factory.mktemp("loop")
    return base, split_master(base, [TIANQIAO, CHANGQING], prefill)


@pytest.fixture
def loop(built, tmp_path):
    """A fresh copy of the master and its returns for each test."""
    return copy_loop(*built, tmp_path)


def master_rows(path):
    ws = openpyxl.load_workbook(path)["汇总"]
    head = [c.value for c in ws[1]]
    return {(r[head.index("区县")], r[head.index("序号")]): dict(zip(head, r))
            for r in ws.iter_rows(min_row=2, values_only=True)}


def log_rows(path):
    ws = openpyxl.load_workbook(path)[LOG_SHEET]
    head = [c.value for c in ws[1]]
    return [dict(zip(head, r)) for r in ws.iter_rows(min_row=2, values_only=True)]


def test_a_joint_task_reported_done_by_one_lead_waits_for_the_other(loop):
    master, out, files = loop
    # 长清区 13 is led by 区行政审批局 and 区司法局; both returns went out with 进行中
    for label in ("长清区-区行政审批局", "长清区-区司法局"):
        ws = openpyxl.load_workbook(files[label])[PROGRESS_SHEET]
        head = head_of(ws)
        row = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, head["序号"]).value == 13)
        assert ws.cell(row, head["状态"]).value == "进行中"
    fill(files["长清区-区行政审批局"], 13, 状态="已办结", 完成日期=D(2022, 9, 1))
    result = collect([out], master, now=dt.datetime(2022, 10, 1, 9, 0))
    row = master_rows(master)["长清区", 13]
    assert (row["状态"], row["进展情况"], row["完成日期"]) == ("进行中", "正在梳理", None)   # complete when both say so
    assert result.count("conflict") == 0 and result.updated == 0 and result.open_conflicts == 0
    assert "2个牵头单位中1个已报完成（区行政审批局）" in result.message()
    fill(files["长清区-区司法局"], 13, 状态="已完成", 完成日期=D(2022, 8, 20))
    result = collect([out], master, now=dt.datetime(2022, 10, 1, 9, 0))
    row = master_rows(master)["长清区", 13]
    assert (row["状态"], row["完成日期"]) == ("已完成", dt.datetime(2022, 9, 1))     # the later of the two
    assert row["报送单位"] in ("区行政审批局", "区司法局") and result.updated == 2


def test_two_leads_disagreeing_is_a_conflict_that_stays_open_until_resolved(loop):
    master, out, files = loop
    fill(files["长清区-区行政审批局"], 13, 状态="暂缓", 进展情况="等待上级批复")
    fill(files["长清区-区司法局"], 13, 状态="长期推进")
    first = collect([out], master, now=dt.datetime(2022, 10, 1, 9, 0))
    row = master_rows(master)["长清区", 13]
    assert (row["状态"], row["进展情况"]) == ("进行中", "正在梳理")   # nothing written: not the progress without the status
    said = {(f.params["unit"], f.params["said"].render("zh")) for f in first.findings if f.code == "collect-conflict"}
    assert said == {("区行政审批局", "状态：暂缓；进展情况：等待上级批复"), ("区司法局", "状态：长期推进")}
    assert first.open_conflicts == 1 and first.problems
    log = [e for e in log_rows(master) if e["类型"] == "警告"]
    assert sorted(e["报送内容"] for e in log) == ["状态：暂缓；进展情况：等待上级批复", "状态：长期推进"]  # who said what
    assert OPEN_SHEET in openpyxl.load_workbook(master).sheetnames

    # only one of the two returns collected again: the conflict is reported again, not written
    again = collect([files["长清区-区行政审批局"]], master)
    assert master_rows(master)["长清区", 13]["状态"] == "进行中"
    assert again.open_conflicts == 1 and again.count("collect-conflict") == 2

    # the second lead agrees (in its own words, without the progress): resolved, and written whole
    fill(files["长清区-区司法局"], 13, 状态="缓办")
    resolved = collect([files["长清区-区司法局"]], master)
    row = master_rows(master)["长清区", 13]
    assert (row["状态"], row["进展情况"]) == ("暂缓", "等待上级批复")
    assert resolved.open_conflicts == 0 and resolved.count("conflict-resolved") == 2    # the status, the progress held with it
    assert OPEN_SHEET not in openpyxl.load_workbook(master).sheetnames


def test_a_refused_value_still_makes_a_conflict(loop):
    """Issue 24: two leads report on 长清区 13; one typed a status outside the list, which
    is refused and listed.  The two still disagree: nothing of the task is written (not
    the other lead's status and progress), both are named, and the conflict stays open,
    the refused value with it, until they agree."""
    master, out, files = loop
    fill(files["长清区-区行政审批局"], 13, 状态="暂缓", 进展情况="等待上级批复")
    fill(files["长清区-区司法局"], 13, 状态="搁置")
    first = collect([out], master, now=dt.datetime(2022, 10, 1, 9, 0))
    row = master_rows(master)["长清区", 13]
    assert (row["状态"], row["进展情况"]) == ("进行中", "正在梳理")
    assert [f.params["unit"] for f in first.findings if f.code == "collect-unknown-status"] == ["区司法局"]
    said = {(f.params["unit"], f.params["said"].render("zh")) for f in first.findings if f.code == "collect-conflict"}
    assert said == {("区行政审批局", "状态：暂缓；进展情况：等待上级批复"), ("区司法局", "状态：搁置")}
    assert first.open_conflicts == 1 and first.updated == 0
    log = [e for e in log_rows(master) if e["类型"] == "警告"]
    assert "状态：搁置" in [e["报送内容"] for e in log]

    # the refused value is kept with the open conflict: collecting the other lead alone writes nothing
    again = collect([files["长清区-区行政审批局"]], master)
    assert master_rows(master)["长清区", 13]["状态"] == "进行中" and again.open_conflicts == 1

    # the unit corrects its status: they agree, and the task is written whole
    fill(files["长清区-区司法局"], 13, 状态="暂缓")
    resolved = collect([files["长清区-区司法局"]], master)
    row = master_rows(master)["长清区", 13]
    assert (row["状态"], row["进展情况"]) == ("暂缓", "等待上级批复")
    assert resolved.open_conflicts == 0 and OPEN_SHEET not in openpyxl.load_workbook(master).sheetnames


def test_a_lead_done_with_an_impossible_date_is_refused_and_the_other_waits(loop):
    """Of two leads, one says 已完成 on an impossible day: its 已完成 is refused at once (no
    valid date), the other's 已完成 waits; corrected, the task is complete on the later day."""
    master, out, files = loop
    fill(files["长清区-区行政审批局"], 13, 状态="已完成", 完成日期=D(2022, 9, 1))
    fill(files["长清区-区司法局"], 13, 状态="已完成", 完成日期="2022年9月31日")
    first = collect([out], master, now=dt.datetime(2022, 10, 1, 9, 0))
    row = master_rows(master)["长清区", 13]
    assert (row["状态"], row["完成日期"]) == ("进行中", None) and first.updated == 0
    assert [f.params["unit"] for f in first.findings if f.code == "collect-impossible-date"] == ["区司法局"]
    assert [f.params["unit"] for f in first.findings if f.code == "collect-done-without-date"] == ["区司法局"]
    assert [f.params["unit"] for f in first.findings if f.code == "collect-leads-done-partly"] == ["区行政审批局"]
    fill(files["长清区-区司法局"], 13, 完成日期=D(2022, 9, 20))
    collect([files["长清区-区司法局"]], master)
    row = master_rows(master)["长清区", 13]
    assert (row["状态"], row["完成日期"]) == ("已完成", dt.datetime(2022, 9, 20))
    assert OPEN_SHEET not in openpyxl.load_workbook(master).sheetnames


def test_a_collective_lead_reaches_every_member(loop):
    master, out, files = loop
    rows = master_rows(master)
    task = next(r for (d, _), r in rows.items() if d == "长清区" and r["牵头单位"] == "各街镇")
    members = UnitRegistry.default().for_district("长清区").names(("镇", "街道"))
    assert len(members) == 10
    for member in members:
        ws = openpyxl.load_workbook(files[f"长清区-{member}"])[PROGRESS_SHEET]
        head = head_of(ws)
        keys = [ws.cell(r, head["任务编号"]).value for r in range(4, ws.max_row + 1)]
        assert task["任务编号"] in keys, member
        headings = [ws.cell(r, 1).value for r in range(4, ws.max_row + 1) if ws.cell(r, 1).value
                    and not ws.cell(r, head["任务编号"]).value]
        assert any("“各街镇”牵头的任务" in h for h in headings), member
    assert "长清区-各街镇" not in files
    # a member's report is collected as a lead's
    fill(files["长清区-文昌街道"], task["序号"], 进展情况="已完成街道自查")
    result = collect([out], master)
    assert master_rows(master)["长清区", task["序号"]]["进展情况"] == "已完成街道自查"
    assert result.count("conflict") == 0


def test_a_collective_without_members_gets_one_return_and_a_note(tmp_path, built):
    base, _ = built
    registry = UnitRegistry([u for u in UnitRegistry.default() if u.district != "长清区"])
    summary = split(base / "汇总.xlsx", tmp_path / "下发", registry=registry)
    files = {label: path for label, path, _, _ in summary.files}
    assert "长清区-各街镇" in files and not any("文昌街道" in label for label in files)
    assert ("长清区", "各街镇", ("镇", "街道")) in summary.no_members
    assert "在单位名录中添加" in summary.message()
    guide = openpyxl.load_workbook(files["长清区-各街镇"])[GUIDE_SHEET]
    assert any("各街镇" in str(c.value) and "单位名录" in str(c.value) for row in guide.iter_rows() for c in row)
    kept = split(base / "汇总.xlsx", tmp_path / "原样", keep_collective=True)
    assert "长清区-各街镇" in {label for label, _, _, _ in kept.files}


def test_a_return_without_its_key_column_reordered_and_with_variants(loop):
    """The unit removed the protection, deleted 任务编号, sorted the rows backwards,
    inserted a row above the header and typed its own words."""
    master, out, files = loop
    path = files["天桥区-区财政局"]
    wb = openpyxl.load_workbook(path)
    ws = wb[PROGRESS_SHEET]
    ws.protection.sheet = False
    for merged in list(ws.merged_cells.ranges):   # openpyxl moves no merged ranges when rows/columns move
        ws.unmerge_cells(str(merged))
    head = head_of(ws)
    tasks = [r for r in range(4, ws.max_row + 1) if ws.cell(r, head["任务编号"]).value]
    seqs = [ws.cell(r, head["序号"]).value for r in tasks]
    width = ws.max_column
    values = [[ws.cell(r, c).value for c in range(1, width + 1)] for r in tasks]
    for r, row in zip(tasks, reversed(values)):         # re-ordered rows
        for c, v in enumerate(row, 1):
            ws.cell(r, c).value = v
    ws.delete_cols(head["任务编号"])
    ws.insert_rows(1)
    wb.save(path)
    first, second = seqs[0], seqs[1]
    fill_shifted(path, first, 状态="已办结", 完成日期="2024.5.31")
    fill_shifted(path, second, 状态="办理中", 进展情况="正在编制")
    fill_shifted(path, seqs[2], 状态="搁置")                            # no status word: kept as typed, reported
    fill_shifted(path, seqs[3], 具体要求="一段完全不同的文字，对不上任何任务", 进展情况="写在对不上的行里")
    result = collect([path], master)
    rows = master_rows(master)
    assert (rows["天桥区", first]["状态"], rows["天桥区", first]["完成日期"]) == ("已完成", dt.datetime(2024, 5, 31))
    assert (rows["天桥区", second]["状态"], rows["天桥区", second]["进展情况"]) == ("进行中", "正在编制")
    assert rows["天桥区", seqs[2]]["状态"] is None                       # 搁置: meaning unclear, not written
    (unclear,) = result.findings_of("collect-unknown-status")
    assert unclear.value == "搁置" and "可选的写法" in unclear.message()
    assert openpyxl.load_workbook(path)[unclear.sheet][unclear.cell].value == "搁置"     # the cell as Excel shows it
    assert rows["天桥区", seqs[3]]["进展情况"] is None
    unmatched = result.findings_of("collect-missing-key")
    assert [f.params["seq"] for f in unmatched] == [seqs[3]] and "相似度" in unmatched[0].message()
    assert unmatched[0].params["said"].values == {"progress": "写在对不上的行里"}
    assert {f.code for f in result.findings} >= {"collect-matched-by-text", "collect-status-mapped",
                                                 "collect-rows-moved"}
    assert result.count("collect-unknown-key") == 0


def test_a_row_the_unit_inserted_under_a_task_is_its_own_row_not_the_task_tail(loop):
    """A unit inserts a row under one of its tasks and types a task of its own and its
    progress there.  The row has no 任务编号: it is not the rest of the task above (no
    "changed 具体要求" warning, no progress glued on), it is listed with what it holds."""
    master, out, files = loop
    path = files["天桥区-区财政局"]
    wb = openpyxl.load_workbook(path)
    ws = wb[PROGRESS_SHEET]
    ws.protection.sheet = False
    for merged in list(ws.merged_cells.ranges):   # openpyxl moves no merged ranges when rows move
        ws.unmerge_cells(str(merged))
    head, rows = task_rows(ws)
    seq = min(rows, key=rows.get)
    ws.cell(rows[seq], head["进展情况"]).value = "已召开专题会"
    ws.insert_rows(rows[seq] + 1)
    ws.cell(rows[seq] + 1, head["具体要求"]).value = "本单位自行增加的督办事项"
    ws.cell(rows[seq] + 1, head["进展情况"]).value = "已完成初稿"
    wb.save(path)
    result = collect([path], master)
    book = CalamineWorkbook.from_path(str(master))
    grid = book.get_sheet_by_name("汇总").to_python()
    top = grid[0]
    row = next(r for r in grid[1:] if (r[top.index("区县")], r[top.index("序号")]) == ("天桥区", seq))
    assert row[top.index("进展情况")] == "已召开专题会"
    assert result.count("collect-text-edited") == 0
    (added,) = result.findings_of("collect-missing-key")
    assert added.cell == f"B{rows[seq] + 1}" and added.params["said"].values == {"progress": "已完成初稿"}
    assert "None" not in added.message() and "也没有序号" in added.message()
    log = book.get_sheet_by_name(LOG_SHEET).to_python()
    assert any("已完成初稿" in str(v) for r in log for v in r)


def test_what_a_unit_typed_in_a_column_it_added_is_in_the_log(loop):
    """A unit adds a column 单位备注 to its return and types there.  The master has no such
    column: the note is not written, but it is not dropped in silence either: a warning
    names the cell and the note is in 收集记录, once however often the return is collected."""
    master, out, files = loop
    path = files["天桥区-区财政局"]
    wb = openpyxl.load_workbook(path)
    ws = wb[PROGRESS_SHEET]
    ws.protection.sheet = False
    head, rows = task_rows(ws)
    seq = min(rows, key=rows.get)
    extra = ws.max_column + 1
    ws.cell(HEAD_ROW, extra).value = "单位备注"
    ws.cell(rows[seq], extra).value = "联系人已调整为办公室主任"
    ws.cell(rows[seq], head["进展情况"]).value = "已召开专题会"
    wb.save(path)
    for _ in range(2):
        result = collect([path], master)
        (note,) = result.findings_of("collect-own-column")
        assert note.cell == f"{ws.cell(rows[seq], extra).column_letter}{rows[seq]}"
        assert "单位备注" in note.message() and "联系人已调整为办公室主任" in note.message()
    book = CalamineWorkbook.from_path(str(master))
    log = book.get_sheet_by_name(LOG_SHEET).to_python()
    assert [r for r in log if "联系人已调整为办公室主任" in r and "单位备注" in r].__len__() == 1
    grid = book.get_sheet_by_name("汇总").to_python()
    assert any("已召开专题会" in r for r in grid)


def test_a_note_typed_below_the_tasks_is_in_the_log(loop):
    """Under its tasks a unit types a note in the first column (其他说明：…).  It is no
    task and matches none: it is listed, with the note, not dropped in silence."""
    master, out, files = loop
    path = files["天桥区-区财政局"]
    wb = openpyxl.load_workbook(path)
    ws = wb[PROGRESS_SHEET]
    below = ws.max_row + 2
    ws.cell(below, 1).value = "其他说明：本季度另开展政策宣传进社区活动5场。"
    wb.save(path)
    result = collect([path], master)
    (note,) = result.findings_of("collect-missing-key")
    assert note.params["said"].values == {"seq": "其他说明：本季度另开展政策宣传进社区活动5场。"}
    assert note.params["task"].startswith("其他说明") and note.cell.endswith(str(below))
    log = CalamineWorkbook.from_path(str(master)).get_sheet_by_name(LOG_SHEET).to_python()
    assert any("本季度另开展政策宣传进社区活动5场" in str(v) for r in log for v in r)


def fill_shifted(path, seq, **values):
    """fill() for a return whose header moved down a row and lost its key column."""
    wb = openpyxl.load_workbook(path)
    ws = wb[PROGRESS_SHEET]
    head = {ws.cell(HEAD_ROW + 1, c).value: c for c in range(1, ws.max_column + 1)}
    row = next(r for r in range(HEAD_ROW + 2, ws.max_row + 1) if ws.cell(r, head["序号"]).value == seq)
    for name, value in values.items():
        ws.cell(row, head[name]).value = value
    wb.save(path)


def workbook_values(path):
    wb = openpyxl.load_workbook(path)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


@pytest.mark.parametrize("log_aside", [False, True], ids=["log-read-here", "log-read-aside"])
def test_collecting_twice_changes_nothing_and_nothing_is_lost(loop, log_aside, monkeypatch):
    """Also with the log already in the master read in a process of its own (as a long one is)."""
    if log_aside:
        monkeypatch.setattr(collect_module, "LOG_ASIDE", 0)
    master, out, files = loop
    # 13: one lead's 已完成 waits for the other's (kept in the hidden sheet), and their progress is a conflict
    typed = [("长清区-区行政审批局", 13, "状态", "已完成"), ("长清区-区司法局", 13, "状态", "暂缓"),
             ("长清区-区行政审批局", 13, "完成日期", D(2024, 5, 20)),
             ("长清区-区行政审批局", 13, "进展情况", "已梳理完毕"), ("长清区-区司法局", 13, "进展情况", "暂缓办理"),
             ("天桥区-区财政局", 19, "进展情况", "目录已公开"), ("天桥区-区财政局", 19, "完成日期", D(2024, 5, 31)),
             ("长清区-区政府办公室", 12, "进展情况", "已完成初稿")]
    for label, seq, column, value in typed:
        fill(files[label], seq, **{column: value})
    wb = openpyxl.load_workbook(files["天桥区-区财政局"])
    ws = wb[PROGRESS_SHEET]
    ws["F2"] = D(2024, 6, 3)                                # the 报送日期 the unit typed
    wb.save(files["天桥区-区财政局"])
    first = collect([out], master, now=dt.datetime(2024, 6, 5, 8, 0))
    once, data, kept = workbook_values(master), master.read_bytes(), len(versions.versions(master))
    assert first.open_conflicts == 1 and not first.unchanged
    second = collect([out], master, now=dt.datetime(2024, 6, 6, 8, 0))
    assert workbook_values(master) == once                 # every sheet, every cell
    # nothing new (the open conflict as it was): the file not even rewritten, no version kept
    assert second.unchanged and master.read_bytes() == data and len(versions.versions(master)) == kept
    assert "未改动" in second.message() and "not changed" in second.message("en")
    rows, log = master_rows(master), log_rows(master)
    assert rows["天桥区", 19]["报送时间"] == dt.datetime(2024, 6, 3)
    shown = " ".join(str(e["报送内容"]) for e in log)
    for label, seq, column, value in typed:
        district = label.split("-")[0]
        in_master = rows[district, seq][column] in (value, dt.datetime.combine(value, dt.time())
                                                    if isinstance(value, dt.date) else value)
        assert in_master or str(value) in shown, (label, column, value)
    fill(files["长清区-区政府办公室"], 12, 进展情况="已定稿")       # a week later: one thing new
    third = collect([out], master, now=dt.datetime(2024, 6, 12, 8, 0))
    after = log_rows(master)
    assert third.updated == 1 and not third.unchanged
    assert after[:len(log)] == log and [e["报送内容"] for e in after[len(log):]] == ["已定稿"]   # no line twice


def test_log_is_chinese_formatted_and_prints(loop, tmp_path):
    master, out, files = loop
    fill(files["长清区-区行政审批局"], 13, 状态="已完成", 进展情况="全部办结" * 20, 完成日期=D(2024, 5, 31))
    fill(files["长清区-区司法局"], 13, 状态="暂缓")
    collect([out], master, now=dt.datetime(2024, 6, 5, 8, 0))
    wb = openpyxl.load_workbook(master)
    ws = wb[LOG_SHEET]
    assert [c.value for c in ws[1]] == ["收集时间", "类型", "任务编号", "区县", "序号", "任务", "列", "原值", "报送内容",
                                        "报送单位", "报送时间", "文件", "单元格", "说明"]
    text = " ".join(str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None)
    assert "status" not in text and "progress" not in text and "状态：已完成" in text
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.column_dimensions["A"].width >= 16 and ws.cell(2, 1).number_format == "yyyy-mm-dd hh:mm"
    if SOFFICE and shutil.which("pdftotext") and shutil.which("pdfinfo"):
        for name in wb.sheetnames:
            if name != LOG_SHEET:
                del wb[name]
        only = tmp_path / "log.xlsx"
        wb.save(only)
        pdf = convert(only, "pdf", tmp_path)
        printed = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        assert "###" not in printed and "2024-06-05 08:00" in printed
        w, h = map(float, next(x for x in info.splitlines() if x.startswith("Page size")).split()[2:5:2])
        assert w > h                                      # landscape


def test_english_log(loop):
    master, out, files = loop
    fill(files["长清区-区行政审批局"], 13, 状态="长期推进")
    fill(files["长清区-区司法局"], 13, 状态="暂缓")
    collect([out], master, lang="en")
    ws = openpyxl.load_workbook(master)[LOG_SHEET]
    assert ws["B1"].value == "Kind" and any("Status: 暂缓" == r[8] for r in ws.iter_rows(values_only=True))
    assert any("differs from another unit" in str(r[13]) for r in ws.iter_rows(values_only=True))


def test_a_return_is_what_its_guide_says(built):
    base, summary = built
    path = next(p for label, p, _, _ in summary.files if label == "天桥区-区财政局")
    wb = openpyxl.load_workbook(path)
    ws = wb[PROGRESS_SHEET]
    assert ws["I2"].value == "2024年济南市天桥区政务公开重点工作任务分工"      # the plan's own title
    head = head_of(ws)
    assert "具体任务" in head and any(ws.cell(r, head["具体任务"]).value for r in range(4, ws.max_row + 1))
    assert not ws["A1"].protection.locked and "截至" in ws["A1"].value
    assert not ws["C2"].protection.locked and not ws["F2"].protection.locked
    row = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, head["任务编号"]).value)
    for name, c in head.items():
        assert ws.cell(row, c).protection.locked is (name not in ("状态", "进展情况", "完成日期")), name
    assert ws.protection.sheet and ws.protection.formatCells is False      # formatting allowed, as the guide says
    guide = " ".join(str(c.value) for r in wb[GUIDE_SHEET].iter_rows() for c in r if c.value)
    assert "截至" in guide and "调整字体" in guide and "已办结" in guide   # the status variants are listed
    sent = wb[SENT_SHEET]
    assert sent.sheet_state == "hidden" and sent.protection.sheet


def test_progress_in_natural_file_order_and_cli_options(built, tmp_path):
    from click.testing import CliRunner
    from xltools.cli.app import cli

    base, summary = built
    returns = tmp_path / "交回"
    returns.mkdir()
    source = next(p for label, p, _, _ in summary.files if label == "天桥区-区财政局")
    for n in (10, 2, 1):
        shutil.copy(source, returns / f"区{n}.xlsx")
    master = tmp_path / "汇总.xlsx"
    shutil.copy(base / "汇总.xlsx", master)
    seen = []
    collect([returns], master, progress=lambda i, n, path: seen.append((i, n, path.name)))
    assert seen == [(1, 3, "区1.xlsx"), (2, 3, "区2.xlsx"), (3, 3, "区10.xlsx")]

    runner = CliRunner()
    result = runner.invoke(cli, ["split", str(master), "-o", str(tmp_path / "原样"), "--keep-collective"])
    assert result.exit_code == 0, result.output
    assert "长清区-各街镇" in result.output and "[1/48]" in result.output   # one progress line per file
    result = runner.invoke(cli, ["collect", str(returns), "--into", str(master), "--lang", "en"])
    assert result.exit_code == 0 and "Collected 3 return(s)" in result.output


def test_a_ledgers_task_is_named_by_its_own_words(tmp_path):
    """A ledger without 具体要求 (its task's words in 工作任务): collect's lines name the task
    by those words, as the circular does — not 第 1 项“”."""
    plan = tmp_path / "2024年天桥区政务公开工作台账.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "工作任务", "牵头单位", "完成时限"])
    ws.append([1, "推进政府信息公开目录动态更新", "区财政局", "2024年12月底前"])
    ws.append([2, "加强政策解读回应关切工作", "区财政局", "2024年10月底前"])
    wb.save(plan)
    master = tmp_path / "汇总.xlsx"
    merge([plan], master)
    summary = split(master, tmp_path / "下发")
    path = summary.files[0][1]
    fill(path, 1, 状态="已完成")                          # no 完成日期: not written, said
    result = collect([path], master, dry_run=True)
    said, = result.findings_of("collect-done-without-date")
    assert said.params["task"].startswith("推进政府信息公开") and "推进政府信息公开" in result.message()
