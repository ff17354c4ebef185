"""merge / MasterWorkbook / warning / commands: real .xlsx in, real .xlsx out, read back
with python-calamine and openpyxl.  Expected counts come from read_plan itself, so these
tests pin the merge's behaviour, not the reader's."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import click
import openpyxl
import pytest
import python_calamine as pc
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

from xltools import read_plan
from xltools.cli.merge import flag_command, merge_command
from xltools.rules.deadlines import DeadlineKind, parse_deadline
from xltools.rules.text import text_width
from xltools.write.files import OutputLocked, output_lock
from xltools.work.flag import flag_file
from xltools.write.master import SOURCE_WIDTH, MasterError
from xltools.work.merge import NothingToMerge, collect_inputs, is_empty_task, merge, task_key
from xltools.schema import MASTER_COLUMNS, WARNING_STATES
from xltools.rules.units import normalize_unit, split_units
from xltools.rules.warning import row_colours, warning_formula, warning_of, warning_state
from xltools.write.cells import formula_rule

from conftest import CHANGQING, TIANQIAO

D = dt.date
HEADERS = [c.zh for c in MASTER_COLUMNS]
COL = {c.key: i for i, c in enumerate(MASTER_COLUMNS)}
LETTER = {c.key: openpyxl.utils.get_column_letter(i + 1) for i, c in enumerate(MASTER_COLUMNS)}
HYPERLINK = '=HYPERLINK("http://x","y")'
DDE = "=cmd|' /C calc'!A0"


# ------------------------------------------------------------------ helpers

def district_book(path: Path, rows: list[list], title="2024年天桥区政务公开重点工作任务分解表",
                  header=("序号", "工作任务", "具体要求", "责任单位", "完成时限", "状态")) -> Path:
    """A district workbook: title, header, rows.  Strings are written as text, even
    those starting with "=" (that is how a district's hostile cell arrives)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务分解表"
    ws.append([title])
    ws.append(list(header))
    for row in rows:
        ws.append([None] * len(header))
        r = ws.max_row
        for c, v in enumerate(row, start=1):
            cell = ws.cell(r, c)
            cell.value = v
            if isinstance(v, str) and v.startswith("="):
                cell.data_type = "s"
    wb.save(path)
    return path


def master_rows(path: Path) -> list[list]:
    """汇总 as a second reader sees it (python-calamine: values, no formulas)."""
    wb = pc.CalamineWorkbook.from_path(str(path))
    rows = wb.get_sheet_by_name("汇总").to_python()
    wb.close()
    return rows


def stable(rows: list[list]) -> list[list]:
    """汇总 without what legitimately depends on where the master lives (link text)."""
    return [[v for i, v in enumerate(r) if i != COL["source_file"]] for r in rows]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def expected_counts(paths) -> tuple[int, int]:
    """(tasks read, tasks that are only a number) — from read_plan, not hard-coded."""
    tasks = [t for p in paths for t in read_plan(p).tasks]
    return len(tasks), sum(1 for t in tasks if is_empty_task(t))


@pytest.fixture
def examples(tmp_path) -> list[Path]:
    folder = tmp_path / "returns"
    folder.mkdir()
    return [Path(shutil.copy(p, folder / p.name)) for p in (TIANQIAO, CHANGQING)]


# ------------------------------------------------------------------ warning logic

AS_OF = D(2024, 12, 20)


@pytest.mark.parametrize("due, status, kind, ongoing, expected", [
    (D(2024, 12, 31), None, DeadlineKind.DATE, False, "soon"),        # 11 days left
    (D(2025, 1, 4), None, DeadlineKind.DATE, False, "soon"),          # exactly 15 days: still soon
    (D(2025, 1, 5), None, DeadlineKind.DATE, False, "ok"),            # 16 days
    (D(2024, 12, 20), None, DeadlineKind.DATE, False, "soon"),        # due today is not overdue
    (D(2024, 12, 19), None, DeadlineKind.DATE, False, "overdue"),
    (D(2024, 12, 19), "已完成", DeadlineKind.DATE, False, "done"),
    (D(2024, 12, 19), " DONE ", DeadlineKind.DATE, False, "done"),
    (D(2024, 12, 19), "进行中", DeadlineKind.DATE, False, "overdue"),
    (D(2024, 9, 30), None, DeadlineKind.DATE, True, "ongoing"),       # 9月底前完成，长期坚持, after the date
    (D(2024, 12, 31), None, DeadlineKind.DATE, True, "soon"),         # … before the date
    (None, None, DeadlineKind.ONGOING, True, "ongoing"),
    (D(2024, 12, 1), None, DeadlineKind.RECURRING, True, "ongoing"),  # recurring: never overdue
    (None, "是", DeadlineKind.ONGOING, True, "done"),
    (None, None, DeadlineKind.UNKNOWN, False, None),                  # nothing to judge: blank
    (None, None, DeadlineKind.DATE, True, "ongoing"),                 # 9月底前完成，长期坚持 without a year
])
def test_warning_state(due, status, kind, ongoing, expected):
    assert warning_state(due, status, kind, ongoing, AS_OF, 15) == expected


def test_warning_of_parsed_deadlines():
    assert warning_of(parse_deadline("长期坚持"), None, as_of=AS_OF) == "ongoing"
    assert warning_of(parse_deadline("2024年12月底前"), None, as_of=AS_OF) == "soon"
    assert warning_of(parse_deadline("2024年12月底前"), None, as_of=D(2025, 1, 5)) == "overdue"
    assert warning_of(parse_deadline("2024年9月底前完成，长期坚持"), None, as_of=AS_OF) == "ongoing"
    assert warning_of(None, "已完成", as_of=AS_OF) == "done"


def test_formula_text():
    f = warning_formula(7, "I", "J", as_of=AS_OF, soon_days=10)
    assert f.startswith("=IF(OR(") and "TRIM(J7)=" in f and "DATE(2024,12,20)" in f and "<=10" in f
    assert "TODAY()" in warning_formula(2, "I", "J")
    assert ";" not in f  # comma separators, as the file format stores them
    ongoing = warning_formula(3, "I", "J", kind=DeadlineKind.ONGOING, ongoing=True)
    assert "逾期" not in ongoing and "持续推进" in ongoing
    assert "逾期" not in warning_formula(3, "I", None, kind=DeadlineKind.DATE, ongoing=True)
    assert "TRIM" not in warning_formula(3, "I", None)  # no status column: no done test


def test_conditional_rule_formulas():
    rules = row_colours("L", 2)
    formulas = [r.formula for r in rules]
    assert formulas == ['$L2="已完成"', '$L2="逾期"', '$L2="临期"']  # done wins over overdue
    assert all(not f.startswith("=") for f in formulas)
    assert [(r.fill, r.font) for r in rules][1] == ("FFC7CE", "9C0006")
    assert all(formula_rule(r).stopIfTrue for r in rules)
    extra = row_colours("L", 2, {"ongoing": ("DDEBF7", None)})
    assert (extra[-1].formula, extra[-1].font) == ('$L2="持续推进"', None)


# ------------------------------------------------------------------ merging the examples

def test_merge_examples(examples, tmp_path):
    out = tmp_path / "master.xlsx"
    before = {p: sha(p) for p in examples}
    summary = merge([examples[0].parent], out, as_of=AS_OF)
    rows_in, empty = expected_counts(examples)

    assert summary.rows_in == rows_in
    assert summary.rows_rejected == empty
    assert summary.rows_merged == rows_in - empty
    assert summary.rows_in == summary.rows_merged + summary.rows_rejected
    assert len(summary.files_read) == 2 and not summary.files_failed
    assert {p: sha(p) for p in examples} == before  # inputs never modified

    rows = master_rows(out)
    assert rows[0] == HEADERS
    assert len(rows) - 1 == summary.rows_merged
    # every non-empty task is in 汇总, by source file and row
    merged = {(Path(r[COL["source_file"]]).name, int(r[COL["source_row"]])) for r in rows[1:]}
    for p in examples:
        for task in read_plan(p).tasks:
            assert ((p.name, task.row) in merged) != is_empty_task(task)
    # sorted by district, file, row; keys unique
    keys = [(r[COL["district"]], r[COL["source_file"]], int(r[COL["source_row"]])) for r in rows[1:]]
    assert keys == sorted(keys)
    assert len({r[COL["key"]] for r in rows[1:]}) == len(rows) - 1
    assert {r[COL["district"]] for r in rows[1:]} == {"天桥区", "长清区"}


def test_master_shows_the_units_as_the_district_wrote_them(examples, tmp_path):
    """A suggestion or a registry name never becomes data: every unit in 汇总 stands in
    the source cell it came from, and 统计 counts a unit once however it is written."""
    out = tmp_path / "master.xlsx"
    merge([examples[0].parent], out, as_of=AS_OF)
    rows = master_rows(out)[1:]
    by = {(r[COL["district"]], int(r[COL["seq"]])): r for r in rows}
    assert by["长清区", 17][COL["lead"]] == "区住建局" and by["长清区", 17][COL["support"]] == "各街镇"
    assert by["长清区", 51][COL["lead"]] == "区文旅局（图书馆）、区档案局"     # not 区文化和旅游局、区档案馆
    # the units' cells as read (units_text: the cells' text joined, nothing resolved)
    written = {(p.name, t.row): normalize_unit(t.units_text) for p in examples for t in read_plan(p).tasks}
    for r in rows:
        cell = written[Path(r[COL["source_file"]]).name, int(r[COL["source_row"]])]
        for col in ("lead", "support"):   # as written, but for spacing and bracket width
            for unit in split_units(r[COL[col]]).all:
                assert unit in cell, (r[COL["district"]], r[COL["seq"]], unit)
    stats = openpyxl.load_workbook(out)["统计"]
    start = next(c.row for c in stats["A"] if c.value == "牵头单位")
    listed = [stats.cell(r, 1).value for r in range(start + 1, stats.max_row + 1) if stats.cell(r, 1).value]
    housing = [u for u in listed if u in ("区住建局（长清区）", "区住房和城乡建设局（长清区）")]
    assert len(housing) == 1, housing


def test_master_sheet_format(examples, tmp_path):
    out = tmp_path / "master.xlsx"
    summary = merge(examples, out, as_of=AS_OF)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["汇总", "统计", "变更", "问题清单", "合并记录", "汇总表标识"]  # the last hidden: the id returns carry
    ws = wb["汇总"]
    n = summary.rows_merged + 1
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{LETTER[MASTER_COLUMNS[-1].key]}{n}"
    assert ws.print_title_rows == "$1:$1"
    # 汇总's twenty columns print on A3 (write/printing.py); the other sheets on A4
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A3)
    assert int(wb["问题清单"].page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    longest_key = max(text_width(str(ws.cell(r, COL["key"] + 1).value)) for r in range(2, n + 1))
    for col in MASTER_COLUMNS:
        width = ws.column_dimensions[LETTER[col.key]].width
        # keys are never wrapped: 任务编号 is as wide as the longest one, no wider
        if col.key == "source_file":      # the file's name on one line, up to SOURCE_WIDTH
            assert col.width <= width <= SOURCE_WIDTH
            continue
        assert width == (longest_key + 2 if col.key == "key" else col.width), col.key
    assert ws.cell(2, COL["requirement"] + 1).alignment.wrap_text

    dated = [r for r in range(2, n + 1) if ws.cell(r, COL["due"] + 1).value is not None]
    assert dated
    for r in dated:
        cell = ws.cell(r, COL["due"] + 1)
        assert isinstance(cell.value, dt.datetime) and cell.is_date and "yy" in cell.number_format
        warning = ws.cell(r, COL["warning"] + 1)
        assert warning.data_type == "f" and "DATE(2024,12,20)" in warning.value
    link = ws.cell(2, COL["source_file"] + 1).hyperlink
    assert link is not None and not link.target.startswith(("/", "file:"))  # relative to the master
    assert (out.parent / link.target).resolve() in {p.resolve() for p in examples}
    for r in range(2, n + 1):  # every row links to its own file (one link per file's rows)
        cell = ws.cell(r, COL["source_file"] + 1)
        # the file's name shown (a path does not fit the column nor print), the link its path
        assert cell.hyperlink is not None and Path(cell.hyperlink.target).name == cell.value, r

    cf = {str(c.sqref): [r.formula[0] for r in c.rules] for c in ws.conditional_formatting}
    assert cf == {f"A2:{LETTER[MASTER_COLUMNS[-1].key]}{n}": [f'${LETTER["warning"]}2="{WARNING_STATES[s]}"'
                                            for s in ("done", "overdue", "soon")]}

    stats = wb["统计"]   # counts as formulas over 汇总, boxed; the total row and the unit table's header stand out
    total = next(r for r in range(2, stats.max_row + 1) if stats.cell(r, 1).value == "合计")
    assert stats.cell(2, 2).data_type == "f" and stats.cell(2, 2).value.startswith("=COUNTIFS('汇总'!")
    assert stats.cell(2, 1).border.left.style == "thin" and not stats.cell(2, 1).font.bold
    assert stats.cell(total, 1).font.bold and stats.cell(total, 2).value == f"=SUM(B2:B{total - 1})"
    head = stats.cell(total + 3, 1)
    assert head.value == "牵头单位" and head.font.bold and head.fill.fgColor.rgb.endswith("DDEBF7")
    assert stats.cell(total + 4, 2).value.startswith("=SUMPRODUCT(")


def test_warning_formula_is_live_without_as_of(examples, tmp_path):
    out = tmp_path / "master.xlsx"
    merge(examples[:1], out)
    ws = openpyxl.load_workbook(out)["汇总"]
    assert "TODAY()" in ws.cell(2, COL["warning"] + 1).value


def test_issue_and_log_sheets(examples, tmp_path):
    bad = examples[0].parent / "损坏的.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    out = tmp_path / "master.xlsx"
    summary = merge([examples[0].parent], out)
    assert [Path(f).name for f, _ in summary.files_failed] == ["损坏的.xlsx"]
    wb = openpyxl.load_workbook(out)
    issues = list(wb["问题清单"].iter_rows(min_row=2, values_only=True))
    codes = [r[4] for r in issues]
    assert codes.count("rejected-empty-task") == summary.rows_rejected
    assert "unreadable-file" in codes
    assert all(r[5] and r[6] for r in issues)  # every issue has a message and a suggestion
    log = [r for r in wb["合并记录"].iter_rows(values_only=True) if r[0] and str(r[0]).endswith(".xlsx")]
    by_name = {Path(r[0]).name: r for r in log}
    assert by_name["损坏的.xlsx"][2] == "读取失败" and by_name["损坏的.xlsx"][9]
    for p in examples:
        row = by_name[p.name]
        assert row[7] == sha(p) and row[6] == p.stat().st_size
        assert row[3] == len(read_plan(p).tasks) == row[4] + row[5]


def test_merge_twice_and_any_order_gives_the_same_master(examples, tmp_path):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    merge(examples, a, as_of=AS_OF)
    first = master_rows(a)
    merge(examples, a, as_of=AS_OF)
    assert master_rows(a) == first
    merge(list(reversed(examples)), b, as_of=AS_OF)
    assert master_rows(b) == first


def test_formula_injection_stays_text(tmp_path):
    src = district_book(tmp_path / "天桥区.xlsx", [
        [1, "一、重点工作", HYPERLINK, "区政府办公室", "2024年12月底前", None],
        [2, "一、重点工作", DDE, "区财政局", "长期坚持", "+SUM(1)"],
        [3, "@SUM(A1)", "-正常内容", "区财政局", "2024年12月底前", "已完成"],
    ])
    out = tmp_path / "master.xlsx"
    merge([src], out, as_of=AS_OF)
    ws = openpyxl.load_workbook(out)["汇总"]
    texts = {}
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and cell.value[:1] in "=+-@" and cell.column != COL["warning"] + 1:
                assert cell.data_type == "s", cell.coordinate
                texts[cell.value] = cell
    assert {HYPERLINK, DDE, "+SUM(1)", "@SUM(A1)", "-正常内容"} <= set(texts)
    assert all(c.quotePrefix for c in texts.values())


# ------------------------------------------------------------------ inputs and locks

def test_collect_inputs_skips_with_reasons(tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / ".git").mkdir()
    good = district_book(folder / "sub" / "a.xlsx", [[1, "x", "y", "区财政局", "2024年12月底前", None]])
    for name in ("~$a.xlsx", ".hidden.xlsx", "notes.txt", "scan.pdf", "copy.xlsx.bak", "master.xlsx"):
        (folder / name).write_bytes(b"x")
    (folder / ".git" / "x.xlsx").write_bytes(b"x")
    files, skipped = collect_inputs([folder, good], output=folder / "master.xlsx")
    assert files == [good]
    reasons = {p.name: r for p, r in skipped}
    assert set(reasons) == {"~$a.xlsx", ".hidden.xlsx", "notes.txt", "scan.pdf", "copy.xlsx.bak", "master.xlsx",
                            "a.xlsx"}
    assert "锁定" in reasons["~$a.xlsx"] and "汇总表本身" in reasons["master.xlsx"] and "重复" in reasons["a.xlsx"]


def test_master_inside_input_folder_is_not_merged_again(examples):
    out = examples[0].parent / "汇总.xlsx"
    first = merge([examples[0].parent], out, as_of=AS_OF)
    second = merge([examples[0].parent], out, as_of=AS_OF)
    assert second.rows_in == first.rows_in
    assert any(Path(f).name == "汇总.xlsx" for f, _ in second.files_skipped)
    assert not list(examples[0].parent.glob(".~xltools-*"))  # no temp file left behind


def test_output_locks(examples, tmp_path):
    out = tmp_path / "master.xlsx"
    (tmp_path / "~$master.xlsx").write_bytes(b"")
    with pytest.raises(OutputLocked) as err:
        merge(examples, out)
    assert "~$master.xlsx" in err.value.message("zh") and "关闭" in err.value.message("zh")
    assert err.value.exit_code == 2 and "Close" in err.value.message("en")
    (tmp_path / "~$master.xlsx").unlink()
    with output_lock(out):
        with pytest.raises(OutputLocked) as err:
            merge(examples, out)
        assert "另一个 xltools 操作（合并、收集、标记预警或写催办）正在写入" in err.value.message("zh")
    assert not (tmp_path / "master.xlsx.lock").exists()
    merge(examples, out)  # the lock is released, also after a failed merge
    with pytest.raises(NothingToMerge):
        merge([tmp_path / "missing.xlsx"], out)
    assert not (tmp_path / "master.xlsx.lock").exists()
    with pytest.raises(MasterError):
        merge(examples, tmp_path / "master.xls")


def test_district_override_and_unknown_district(tmp_path):
    src = district_book(tmp_path / "returns.xlsx", [[1, "x", "y", "区财政局", "2024年12月底前", None]],
                        title="政务公开重点工作任务分解表")
    out = tmp_path / "master.xlsx"
    merge([src], out, year=2024)
    assert master_rows(out)[1][COL["district"]] == "地区未注明"
    issues = list(openpyxl.load_workbook(out)["问题清单"].iter_rows(min_row=2, values_only=True))
    assert "unknown-district" in [r[4] for r in issues]
    merge([src], out, year=2024, districts={"returns.xlsx": "历下区"}, replace=True)  # new keys: the old task removed
    row = master_rows(out)[1]
    assert row[COL["district"]] == "历下区" and row[COL["key"]].startswith("历下区-2024-001-")


def test_parallel_read_and_progress(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    names = ["天桥区", "历下区", "长清区", "章丘区", "槐荫区", "市中区"]
    for i, name in enumerate(names):
        district_book(folder / f"{name}.xlsx", [[k, "一、工作", f"{name}任务{k}", "区财政局", "2024年12月底前", None]
                                                for k in range(1, i + 2)],
                      title=f"2024年{name}政务公开重点工作任务分解表")
    seen = []
    summary = merge([folder], tmp_path / "m.xlsx", jobs=3, progress=lambda d, t, p: seen.append((d, t)))
    assert sorted(seen) == [(i, 6) for i in range(1, 7)]
    assert summary.rows_merged == sum(range(1, 7))
    serial = merge([folder], tmp_path / "s.xlsx", jobs=1)
    assert stable(master_rows(tmp_path / "m.xlsx")) == stable(master_rows(tmp_path / "s.xlsx"))
    assert serial.rows_merged == summary.rows_merged


def test_merge_gives_back_the_collector_settings(tmp_path):
    """The add-in merges inside Excel's Python: a merge (even a failed one) leaves its
    garbage-collector thresholds and the writer's cell caches as it found them."""
    import gc
    from xltools.write import xlsx as writer
    folder = tmp_path / "in"
    folder.mkdir()
    district_book(folder / "天桥区.xlsx", [[1, "一、工作", "任务", "区财政局", "2024年12月底前", None]],
                  title="2024年天桥区政务公开重点工作任务分解表")
    before = gc.get_threshold()
    gc.set_threshold(900, 11, 12)
    try:
        merge([folder], tmp_path / "m.xlsx", jobs=1)
        assert gc.get_threshold() == (900, 11, 12)
        assert writer._text_cell.cache_info().currsize == 0 and writer._cell_lines.cache_info().currsize == 0
        with pytest.raises(NothingToMerge):
            merge([tmp_path / "m.xlsx.none"], tmp_path / "n.xlsx", jobs=1)
        assert gc.get_threshold() == (900, 11, 12)
    finally:
        gc.set_threshold(*before)


def test_task_key_is_stable_under_spacing():
    from xltools.model import Task
    a = Task(row=5, seq=3, requirement="加强 政务公开，做好解读。")
    b = Task(row=9, seq=3, requirement="加强政务公开,做好解读")
    assert task_key("天桥区", 2024, a) == task_key("天桥区", 2024, b)
    assert task_key("天桥区", 2024, a).startswith("天桥区-2024-003-")


def test_duplicate_tasks_get_distinct_keys(tmp_path):
    rows = [[1, "一、工作", "同一任务", "区财政局", "2024年12月底前", None]]
    a = district_book(tmp_path / "a.xlsx", rows)
    b = district_book(tmp_path / "b.xlsx", rows)
    out = tmp_path / "m.xlsx"
    merge([a, b], out)
    keys = [r[COL["key"]] for r in master_rows(out)[1:]]
    assert len(set(keys)) == 2 and keys[1] == keys[0] + "~2"


# ------------------------------------------------------------------ property: row conservation

UNITS = ["区政府办公室", "区财政局", "区教育和体育局", "各街道办事处", "区政府各部门、各街道办事处"]
DEADLINES = ["2024年12月底前", "长期坚持", "9月底前", "全年", "每月25日前", "尽快", None]
TEXTS = ["做好政策解读", "加强信息公开", HYPERLINK, "推进专区建设，提升服务水平。", "=1+1"]

row_strategy = st.one_of(
    st.tuples(st.sampled_from(TEXTS), st.sampled_from(UNITS), st.sampled_from(DEADLINES),
              st.sampled_from([None, "已完成", "进行中"])),
    st.just(None))  # a numbered row with nothing else
book_strategy = st.lists(row_strategy, min_size=1, max_size=6)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(books=st.lists(book_strategy, min_size=1, max_size=3), reverse=st.booleans())
def test_rows_are_conserved(tmp_path_factory, books, reverse):
    folder = tmp_path_factory.mktemp("prop")
    paths = []
    for i, book in enumerate(books):
        rows = [[k, "一、工作"] + ([None] * 4 if spec is None else list(spec)) for k, spec in enumerate(book, 1)]
        paths.append(district_book(folder / f"区{i}.xlsx", rows))
    before = [sha(p) for p in paths]
    readable = []
    for p in paths:
        try:
            readable.append(read_plan(p))
        except Exception:
            pass
    if not readable:
        with pytest.raises(NothingToMerge):
            merge(paths, folder / "out" / "m.xlsx")
        return
    tasks = [t for plan in readable for t in plan.tasks]
    summary = merge(paths, folder / "out" / "m.xlsx", as_of=AS_OF)
    assert summary.rows_in == len(tasks) == summary.rows_merged + summary.rows_rejected
    assert summary.rows_rejected == sum(1 for t in tasks if is_empty_task(t))
    rows = master_rows(folder / "out" / "m.xlsx")
    assert len(rows) - 1 == summary.rows_merged
    assert [sha(p) for p in paths] == before
    again = merge(list(reversed(paths)) if reverse else paths, folder / "out" / "m2.xlsx", as_of=AS_OF)
    assert again.rows_merged == summary.rows_merged
    assert stable(master_rows(folder / "out" / "m2.xlsx")) == stable(rows)


# ------------------------------------------------------------------ command line

def test_cli_merge_exit_codes_and_text(examples, tmp_path):
    runner = CliRunner()
    out = tmp_path / "m.xlsx"
    res = runner.invoke(merge_command, [str(examples[1]), "-o", str(out), "--as-of", "2024-12-20"])
    _, empty = expected_counts(examples[1:])
    assert res.exit_code == (1 if empty else 0), res.output
    assert "已合并到" in res.output and "预警（截至2024年12月20日，共" in res.output and "Traceback" not in res.output

    res = runner.invoke(merge_command, [str(examples[0].parent), "-o", str(out), "--json", "--lang", "en"])
    data = json.loads(res.stdout)
    rows_in, empty = expected_counts(examples)
    assert data["rows"] == {"in": rows_in, "merged": rows_in - empty, "rejected": empty, "deduped": 0,
                           "kept": 0}
    assert res.exit_code == (1 if empty else 0)
    assert [r["reason"] for r in data["rejected"]][:1] == ["Task 42 has only a number and no content; not merged."]

    res = runner.invoke(merge_command, [str(examples[0].parent), "-o", str(out)])
    rejected = [line for line in res.stdout.splitlines() if line.strip().startswith("剔除：")]
    assert len(rejected) == empty and all(line.endswith("项只有序号，没有任务内容，未汇总。") for line in rejected), rejected
    assert set(data["warnings"]) == set(WARNING_STATES) | {"unjudged"}
    assert sum(data["warnings"].values()) == data["rows"]["merged"]  # every task in exactly one state

    res = runner.invoke(merge_command, [str(examples[1]), "-o", str(out), "--lang", "en", "--replace"])
    assert res.stdout.startswith("Merged into") and "[1/1]" in res.stderr  # progress lines on stderr


def test_cli_merge_failures_are_one_line(examples, tmp_path):
    runner = CliRunner()
    out = tmp_path / "m.xlsx"
    (tmp_path / "empty.xlsx").write_bytes(b"")
    res = runner.invoke(merge_command, [str(tmp_path / "empty.xlsx"), "-o", str(out)])
    assert res.exit_code == 2 and "错误：没有可合并的任务表" in res.output and "Traceback" not in res.output
    res = runner.invoke(merge_command, [str(examples[1]), str(tmp_path / "nothing.xlsx"), "-o", str(out)])
    assert res.exit_code == 2 and "Traceback" not in res.output and not out.exists()
    assert res.output == f"错误：找不到要合并的文件或文件夹：{tmp_path / 'nothing.xlsx'}。为免删去其中的任务，没有合并，汇总表未改动。" \
                         "请检查路径（共享盘是否连通）。\n"
    (tmp_path / "~$m.xlsx").write_bytes(b"")
    res = runner.invoke(merge_command, [str(examples[1]), "-o", str(out)])
    assert res.exit_code == 2 and res.output.strip().count("\n") == 0 and "关闭" in res.output
    (tmp_path / "~$m.xlsx").unlink()
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"garbage")
    res = runner.invoke(merge_command, [str(examples[1]), str(bad), "-o", str(out)])
    assert res.exit_code == 1 and "无法读取" in res.output
    res = runner.invoke(merge_command, [str(examples[1]), "-o", str(out), "--district", "nonsense"])
    assert res.exit_code == 2 and "文件名=区县" in res.output
    res = runner.invoke(merge_command, [str(examples[1]), "-o", str(out), "--as-of", "2024-13-01"])
    assert res.exit_code == 2


def test_cli_documents_itself():
    from xltools.texts import TEXTS
    for command in (merge_command, flag_command):
        assert "help-" + command.name in TEXTS and all(p.help for p in command.params if isinstance(p, click.Option))
    assert merge_command.name == "merge" and flag_command.name == "flag"


# ------------------------------------------------------------------ flag

def test_flag_in_place_is_idempotent(tmp_path):
    src = district_book(tmp_path / "天桥区.xlsx", [
        [1, "一、工作", "要求一", "区财政局", "2024年12月底前", None],
        [2, "一、工作", "要求二", "区财政局", "长期坚持", None],
        [3, "一、工作", "要求三", "区财政局", "2024年6月底前", "已完成"],
    ])
    original = sha(src)
    first = flag_file(src, as_of=AS_OF)
    assert sha(first.backup) == original and first.backup.name.endswith(".bak")
    assert first.sheets == [("任务分解表", 3)]
    second = flag_file(src, as_of=AS_OF)
    ws = openpyxl.load_workbook(src)["任务分解表"]
    header = [c.value for c in ws[2]]
    assert header == ["序号", "工作任务", "具体要求", "责任单位", "完成时限", "状态", "截止日期", "预警"]
    assert ws["G3"].is_date and ws["G4"].value is None
    assert ws["H3"].value.startswith("=IF(OR(TRIM(F3)=") and "DATE(2024,12,20)" in ws["H3"].value
    rules = [r.formula[0] for c in ws.conditional_formatting for r in c.rules]
    assert rules == ['$H3="已完成"', '$H3="逾期"', '$H3="临期"']  # not doubled by the second run
    assert second.backup != first.backup and sha(first.backup) == original
    # a merge of the folder does not read the backups
    files, _ = collect_inputs([tmp_path])
    assert files == [src]


def test_flag_cli(tmp_path):
    src = district_book(tmp_path / "天桥区.xlsx", [[1, "一、工作", "要求一", "区财政局", "2024年12月底前", None]])
    res = CliRunner().invoke(flag_command, [str(src), "--as-of", "2024-12-20"])
    assert res.exit_code == 0 and "已在" in res.output and ".bak" in res.output
    res = CliRunner().invoke(flag_command, [str(tmp_path / "x.csv")])
    assert res.exit_code == 2 and "xlsx" in res.output


def test_master_cells_are_placed_by_order_and_read_alike(examples, tmp_path):
    """汇总's data cells carry no r="…" (one element per value, made once for every row
    that holds it): both readers must still put every value in its own column."""
    import re
    import zipfile
    out = tmp_path / "master.xlsx"
    merge(examples, out, as_of=AS_OF)
    with zipfile.ZipFile(out) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml").decode("utf-8")
    data = xml[xml.index('<row r="2"'):]
    assert '<c r="' not in data and data.count("<c ") > 100
    by_calamine = master_rows(out)
    wb = openpyxl.load_workbook(out)
    by_openpyxl = [[c.value for c in row] for row in wb["汇总"].iter_rows()]
    assert len(by_openpyxl) == len(by_calamine) > 50
    for a, b in zip(by_calamine[1:], by_openpyxl[1:]):
        assert re.fullmatch(r".+-\d{4}-[^-]+-[0-9a-f]{6}(~\d+)?", b[COL["key"]])
        assert a[COL["key"]] == b[COL["key"]] and a[COL["requirement"]] == (b[COL["requirement"]] or "")
        assert str(b[COL["warning"]]).startswith("=")   # the live 预警 formula sits in its column
        assert isinstance(b[COL["due"]], (dt.datetime, type(None)))
