"""collect compares its new 收集记录 lines with those already in the master, so that a
problem collected again is not written again: the log read from its part as collect
writes it (collect_log.seen_in_xml, a few lines of every thousand parsed) is the log
read as a sheet; a log saved by another program is read as a sheet.  A change is
written whenever it is made, a problem or a note once."""
from __future__ import annotations

import datetime as dt
import shutil
import zipfile

import openpyxl
import pytest
import python_calamine as pc

from conftest import TIANQIAO
from lo import convert, needs_soffice
from loop_fixtures import copy_loop, edit, set_master, split_master, task_rows
from xltools.read.limits import worksheet_parts
from xltools.texts import t
from xltools.work import collect as collect_module, collect_log
from xltools.work.loop import LOG_SHEET, collect
from xltools.write.templates import PROGRESS_SHEET

NOW = dt.datetime(2024, 6, 5, 8, 0)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("seen")
    return base, split_master(base, [TIANQIAO])


def log_part(master):
    with zipfile.ZipFile(master) as zf:
        return zf.read(worksheet_parts(zf)[LOG_SHEET])


def log_rows(master):
    return pc.CalamineWorkbook.from_path(str(master)).get_sheet_by_name(LOG_SHEET).to_python()


def as_sheet(master) -> collect_log.Seen:
    """The log's header and the identities of its lines that are no change, read as a sheet."""
    from xltools.work.collect import _master_sheets

    rows = _master_sheets(master, (LOG_SHEET,))[LOG_SHEET]
    changes = {t("log-kind-" + k, lang) for k in ("updated", "conflict-resolved") for lang in ("zh", "en")}
    return collect_log.Seen(rows[0], {collect_log.identity(r) for r in rows[1:] if r[1] not in changes})


def reported(path, seqs, day):
    """A unit's return filled in: 已完成 without a date, a progress text and a status with
    XML's own characters and spaces around them, an impossible date, and its 报送日期."""
    a, b, c = seqs

    def change(ws, head, rows):
        ws.cell(rows[a], head["状态"]).value = "已完成"
        ws.cell(rows[b], head["进展情况"]).value = "  已对接 <省平台> & “数据”  "
        ws.cell(rows[c], head["完成日期"]).value = "2024年2月30日"
        ws.cell(rows[c], head["状态"]).value = "  待定 <A&B>"        # a status not in the list, as typed
        label = next(x for row in ws.iter_rows(max_row=8) for x in row if str(x.value or "").startswith("报送日期"))
        cell = next((x for x in ws[label.row][label.column:] if x.value in (None, "")), None)
        cell.value = day
    edit(path, change)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_log_read_from_its_part_is_the_log_read_as_a_sheet(built, tmp_path, lang):
    master, _, files = copy_loop(*built, tmp_path)
    paths = list(files.values())[:3]
    for n, path in enumerate(paths):
        seqs = sorted(task_rows(openpyxl.load_workbook(path)[PROGRESS_SHEET])[1])[:3]
        reported(path, seqs, dt.datetime(2024, 6, 3, 9, 30) if n % 2 else dt.date(2024, 6, 3 + n))
        collect([path], master, now=NOW + dt.timedelta(hours=n), lang=lang)
    seen = collect_log.seen_in_xml(log_part(master))
    sheet = as_sheet(master)
    assert seen is not None and seen.head == sheet.head and set(seen.lines) == sheet.lines
    whole = collect_module._log_read(master)           # every line, where it is, each collection's rows
    assert all(whole.lines[d] == r for d, r in seen.lines.items()) and seen.partial and not whole.partial
    assert [r[:2] for r in seen.rounds] == [r[:2] for r in whole.rounds] and len(seen.rounds) == len(paths)
    problems = [r for r in log_rows(master)[1:] if r[1] not in {t("log-kind-updated", lang)}]
    assert len(seen.lines) == len(problems) >= 3 * len(paths)
    # what a line says is compared, not its bytes: one value changed, another line
    changed = log_part(master).replace("2024年2月30日".encode(), "2024年2月31日".encode(), 1)
    assert len(collect_log.seen_in_xml(changed).lines.keys() & seen.lines.keys()) == len(seen.lines) - 1


def test_a_problem_is_written_once_a_change_whenever_it_is_made(built, tmp_path):
    master, _, files = copy_loop(*built, tmp_path)
    path = next(iter(files.values()))
    seqs = sorted(task_rows(openpyxl.load_workbook(path)[PROGRESS_SHEET])[1])[:3]
    reported(path, seqs, dt.date(2024, 6, 3))
    first = collect([path], master, now=NOW)
    lines = len(log_rows(master))
    assert first.updated and first.count("collect-done-without-date") == 1
    again = collect([path], master, now=NOW + dt.timedelta(days=1))      # nothing new: nothing written
    assert again.unchanged and len(log_rows(master)) == lines
    # the office types the old progress back into the master: the unit's report is taken again, and said
    set_master(master, {("天桥区", seqs[1]): {"进展情况": None}})
    third = collect([path], master, now=NOW + dt.timedelta(days=2))
    log = log_rows(master)
    head_row = log[0]
    progress = [r for r in log[1:] if r[head_row.index("类型")] == "已更新" and r[head_row.index("列")] == "进展情况"
                and "省平台" in str(r[head_row.index("报送内容")])]
    assert third.updated == 1 and len(progress) == 2           # the change of each time
    done = [r for r in log[1:] if "完成日期" in str(r[head_row.index("说明")]) and r[head_row.index("类型")] != "已更新"
            and r[head_row.index("报送内容")] == "已完成"]
    assert len(done) == 1                                      # the same problem: once


@needs_soffice
def test_a_log_saved_by_another_program_is_read_as_a_sheet(built, tmp_path):
    master, _, files = copy_loop(*built, tmp_path)
    path = next(iter(files.values()))
    seqs = sorted(task_rows(openpyxl.load_workbook(path)[PROGRESS_SHEET])[1])[:3]
    reported(path, seqs, dt.date(2024, 6, 3))
    collect([path], master, now=NOW)
    saved = convert(master, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo")      # shared strings, its own markup
    assert b't="s"' in log_part(saved) and collect_log.seen_in_xml(log_part(saved)) is None
    shutil.copy(saved, master)
    lines = len(log_rows(master))
    problems = collect([path], master, now=NOW + dt.timedelta(days=1))
    assert problems.count("collect-done-without-date") == 1      # said again, not written again
    assert len(log_rows(master)) == lines
