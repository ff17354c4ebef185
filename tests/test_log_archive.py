"""The archive of 收集记录 (work/log_archive.py): a long log's oldest collections move into
汇总-收集记录存档.xlsx beside the master.  Real masters merged from a seed plan and split,
a unit's return edited week after week and collected, the limit made small; the master
and the archive read back with openpyxl."""
from __future__ import annotations

import datetime as dt
from collections import Counter

import openpyxl
import pytest
from click.testing import CliRunner

from conftest import TIANQIAO
from loop_fixtures import copy_loop, edit, split_master
from test_master_package import problems, rows_out_of_order
from xltools.cli.app import cli
from xltools.work import collect as collect_module, log_archive
from xltools.work.history import undo
from xltools.work.loop import LOG_SHEET, collect
from xltools.work.merge import collect_inputs

NOW = dt.datetime(2024, 3, 4, 9, 0)
NOTE = "已存档"


def sheets_valid(path):
    """The worksheets (the rows moved, renumbered, restyled) as the Open XML SDK's schema
    wants them, rows in order (styles.xml is openpyxl's, as in every collected master)."""
    return [p for p in problems(path) if p.startswith("/xl/worksheets/")] == [] and rows_out_of_order(path) == []


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("archive")
    return base, split_master(base, [TIANQIAO])


@pytest.fixture
def loop(built, tmp_path, monkeypatch):
    monkeypatch.setattr(log_archive, "ARCHIVE_AT", 12)       # about three weeks of this return's lines
    monkeypatch.setattr(log_archive, "KEEP_ROUNDS", 2)
    master, out, files = copy_loop(*built, tmp_path)
    return master, next(p for label, p in files.items() if "区财政局" in label)


def report(ret, n):
    """The unit reports three tasks' progress anew, and the same wrong status as every week."""
    def change(ws, head, rows):
        seqs = list(rows)
        for s in seqs[:3]:
            ws.cell(rows[s], head["进展情况"]).value = f"第 {n} 周：{s}"
        ws.cell(rows[seqs[4]], head["状态"]).value = "搁置"
    edit(ret, change)


def week(master, ret, n):
    report(ret, n)
    return collect([ret], master, now=NOW + dt.timedelta(days=7 * n))


def rows_of(path):
    wb = openpyxl.load_workbook(path)
    return [list(r) for r in wb[LOG_SHEET].iter_rows(values_only=True)] if LOG_SHEET in wb.sheetnames else []


def lines(path):
    """The log's lines (not its head, nor the note saying where older lines went)."""
    return [tuple(r) for r in rows_of(path)[1:] if r[1] != NOTE]


def test_old_collections_move_whole_into_the_archive_and_none_is_lost(loop):
    master, ret = loop
    written, moved_seen = [], 0
    for n in range(6):
        before = lines(master)
        archived_before = lines(log_archive.archive_path(master)) if log_archive.archives(master) else []
        result = week(master, ret, n)
        after = lines(master)
        new = [line for line in after if line not in before]
        written += new
        if result.archived:
            moved_seen += 1
            archive = log_archive.archive_path(master)
            assert result.archived.files == [archive]
            # the lines moved are exactly the lines gone from the master, values as they were, in order
            gone = [line for line in before if line not in after]
            assert lines(archive)[len(archived_before):] == gone and len(gone) == result.archived.lines
            assert result.archived.kept == len(after)
            # whole collections: a time in the archive has no line left in the master, but the
            # error found again each week (kept for comparison: it is not written again)
            times = {line[0] for line in gone}
            left = [line for line in after if line[0] in times]
            assert all(line[1] == "未写入（错误）" and "搁置" in str(line[8]) for line in left)
            assert any("搁置" in str(line[8]) for line in after)
            # the latest two collections stay whole
            assert {NOW + dt.timedelta(days=7 * k) for k in (n - 1, n)} <= {line[0] for line in after}
            # the note on top of the master's log names the archive
            note = rows_of(master)[1]
            assert note[1] == NOTE and archive.name in note[13] and note[11] == archive.name
            assert f"{result.archived.lines} 行" in note[13]
            assert "已移至" in result.message() and archive.name in result.message()
        assert len(after) <= log_archive.ARCHIVE_AT
    assert moved_seen == 2
    archive = log_archive.archive_path(master)
    everything = lines(master) + lines(archive)
    # none lost, none twice: the master and the archive hold each line written once
    assert Counter(everything) == Counter(written) and len(set(everything)) == len(everything)
    # the wrong status, reported every week, was logged once in all
    assert sum("搁置" in str(line[8]) for line in everything) == 1
    head = rows_of(archive)[0]
    assert head == rows_of(master)[0]
    ws = openpyxl.load_workbook(archive)[LOG_SHEET]
    assert ws.freeze_panes == "A2" and ws["A2"].number_format == "yyyy-mm-dd hh:mm" and ws["A1"].font.bold
    assert ws.auto_filter.ref == f"A1:N{ws.max_row}"
    # a folder collected from holds the archive too: it is no return
    files, skipped = collect_inputs([master.parent])
    assert archive not in files and any(path == archive for path, _ in skipped)


def test_undo_then_collect_does_not_write_archived_lines_twice(loop):
    master, ret = loop
    for n in range(4):
        result = week(master, ret, n)
    assert result.archived
    archive = log_archive.archive_path(master)
    archived = lines(archive)
    undo(master)                        # the master with the moved lines again
    restored = lines(master)
    assert set(archived) <= set(restored)
    result = week(master, ret, 4)
    assert result.archived and result.archived.lines == len(archived)    # the same lines again: all there
    assert lines(archive) == archived
    for n in (5, 6):
        week(master, ret, n)
    now = lines(archive)
    assert now[:len(archived)] == archived and len(now) > len(archived) and len(set(now)) == len(now)
    everything = lines(master) + now
    assert len(set(everything)) == len(everything) and set(restored) <= set(everything)


def test_a_log_too_long_to_read_is_archived_too(loop, monkeypatch):
    """A log past the read limit (collect-log-long: its lines compared with none) moves its
    oldest collections out all the same, found in its rows' text."""
    from xltools.read import limits

    master, ret = loop
    monkeypatch.setattr(log_archive, "ARCHIVE_AT", 10 ** 6)
    for n in range(2):
        week(master, ret, n)
    wb = openpyxl.load_workbook(master)                  # weeks of collections, saved by openpyxl: a long log
    ws = wb[LOG_SHEET]
    line = [c.value for c in ws[2]]
    for n in range(230):
        ws.append([NOW + dt.timedelta(days=7 * (2 + n // 40))] + line[1:8] + [f"第 {n} 条"] + line[9:])
    wb.save(master)
    before = lines(master)
    monkeypatch.setattr(limits, "MAX_ROWS", 200)             # 汇总 and the return's sheets are shorter, the log longer
    monkeypatch.setattr(limits, "TRUST_CELLS", 10)
    monkeypatch.setattr(collect_module, "LOG_PART_READ", 0)  # read as a sheet (a log of too many bytes)
    monkeypatch.setattr(log_archive, "ARCHIVE_AT", 12)
    result = week(master, ret, 9)
    assert result.count("collect-log-long") == 1 and result.archived
    monkeypatch.setattr(limits, "MAX_ROWS", 10 ** 6)
    archive = log_archive.archive_path(master)
    after, archived = lines(master), lines(archive)
    assert archived == before[:len(archived)] and len(after) + len(archived) > len(before)
    assert Counter(archived + after) == Counter(set(archived + after))
    assert set(before) <= set(archived + after)
    assert {line[0] for line in archived}.isdisjoint(line[0] for line in after)     # whole collections
    assert rows_of(master)[1][1] == NOTE
    for path in (master, archive):          # rows openpyxl wrote (each cell numbered) moved and renumbered
        assert sheets_valid(path)


def test_a_full_archive_is_followed_by_a_second(loop, monkeypatch):
    master, ret = loop
    for n in range(4):
        week(master, ret, n)
    first = lines(log_archive.archive_path(master))
    monkeypatch.setattr(log_archive, "EXCEL_ROWS", len(first) + 2)      # no room for the next move
    for n in range(4, 6):
        result = week(master, ret, n)
    second = log_archive.archive_path(master, 2)
    assert second.name == "汇总-收集记录存档2.xlsx"
    assert result.archived.files == [log_archive.archive_path(master), second]
    assert lines(log_archive.archive_path(master)) == first and lines(second)
    assert rows_of(second)[0] == rows_of(master)[0]
    assert "汇总-收集记录存档.xlsx" in rows_of(master)[1][13] and second.name in rows_of(master)[1][13]
    for path in (master, log_archive.archive_path(master), second):       # what Excel opens without repair
        assert sheets_valid(path)


@pytest.mark.parametrize("blocked", ["folder", "open"])
def test_an_archive_that_cannot_be_written_leaves_the_lines_in_the_master(loop, blocked):
    master, ret = loop
    archive = log_archive.archive_path(master)
    if blocked == "folder":
        archive.mkdir()                                      # a folder where the archive would be
    else:
        (archive.parent / ("~$" + archive.name)).write_bytes(b"")   # Excel has it open
    before = []
    for n in range(3):
        week(master, ret, n)
        before = lines(master)
    result = week(master, ret, 3)
    assert result.archived is None and result.exit_code == 1
    (failed,) = result.findings_of("collect-archive-failed")
    assert archive.name in failed.message() and "仍留在汇总表中" in failed.message()
    after = lines(master)
    assert set(before) <= set(after) and len(after) > log_archive.ARCHIVE_AT      # nothing moved, nothing lost
    assert all(r[1] != NOTE for r in rows_of(master)[1:])
    assert not archive.is_file()
    # the command line says it and exits non-zero
    report(ret, 4)
    run = CliRunner().invoke(cli, ["collect", str(ret), "--into", str(master)])
    assert run.exit_code == 1 and archive.name in run.output and "无法写入" in run.output, run.output
    assert set(after) <= set(lines(master))


def test_the_command_line_says_how_many_lines_moved_and_where(loop):
    master, ret = loop
    for n in range(3):
        week(master, ret, n)
    report(ret, 3)
    run = CliRunner().invoke(cli, ["collect", str(ret), "--into", str(master)])
    archive = log_archive.archive_path(master)
    assert archive.is_file(), run.output
    moved = len(lines(archive))
    assert f"较早的 {moved} 行已移至同一文件夹中的“{archive.name}”" in run.output
    run = CliRunner().invoke(cli, ["collect", str(ret), "--into", str(master), "--lang", "en"])
    assert "moved" not in run.output          # nothing new: nothing moved either


def test_a_refusal_not_answered_yet_stays_for_remind(built, tmp_path, monkeypatch):
    """A unit's report refused (搁置 is no status) and not sent again: its line stays in the
    master when its collection moves out, so remind still names it."""
    from xltools.work.collect_log import refusals

    monkeypatch.setattr(log_archive, "ARCHIVE_AT", 12)
    monkeypatch.setattr(log_archive, "KEEP_ROUNDS", 2)
    master, _, files = copy_loop(*built, tmp_path)
    once = next(p for label, p in files.items() if "区财政局" in label)
    weekly = next(p for label, p in files.items() if "区财政局" not in label)
    week(master, once, 0)
    refused = refusals(rows_of(master))
    assert refused
    for n in range(1, 6):
        def change(ws, head, rows, n=n):
            for s in list(rows)[:3]:
                ws.cell(rows[s], head["进展情况"]).value = f"第 {n} 周：{s}"
        edit(weekly, change)
        result = collect([weekly], master, now=NOW + dt.timedelta(days=7 * n))
    archive = log_archive.archive_path(master)
    assert result.archived or archive.is_file()
    assert any(line[0] == NOW for line in lines(archive))          # its collection moved …
    assert refusals(rows_of(master)) == refused                     # … but not the refusal
    assert not any("搁置" in str(line[8]) for line in lines(archive))


def test_lines_of_a_master_saved_by_excel_move_with_what_excel_wrote(loop):
    """Excel writes x14ac:dyDescent on every row, declared on the sheet's root: the rows moved
    carry it into the archive, which must declare it too (else Excel cannot open it)."""
    from test_collect_excel_saved import as_excel_saves, rewrite_sheets

    master, ret = loop
    for n in range(3):
        week(master, ret, n)
    rewrite_sheets(master, as_excel_saves)
    before = lines(master)
    for n in range(3, 5):
        result = week(master, ret, n)
        assert not result.findings_of("collect-archive-failed")
    archive = log_archive.archive_path(master)
    archived = lines(archive)
    assert archived and [line for line in before if line in archived] == [line for line in archived if line in before]
    assert set(before) <= set(archived + lines(master)) and len(set(archived)) == len(archived)
    for path in (master, archive):
        assert sheets_valid(path)
