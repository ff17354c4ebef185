"""Re-merging into an existing master: what people typed there survives, by task key,
and 变更 says what changed.  Real files in and out; the master is edited the way a
clerk's Excel would (openpyxl), read back with python-calamine, and LibreOffice
computes the 预警 of the result."""
from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
import python_calamine as pc
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st
from openpyxl.utils import get_column_letter

from xltools.write import xlsx as writer
from xltools.cli.merge import merge_command
from xltools.write.files import OutputLocked
from xltools.write.master import MasterError
from xltools.work.merge import merge
from xltools.schema import MASTER_COLUMNS

from conftest import CHANGQING, TIANQIAO
from test_master_libreoffice import SOFFICE, sheets_as_csv
from test_merge import district_book, sha

AS_OF = dt.date(2025, 1, 5)          # the 2024 tasks "2024年12月底前" are overdue on this day
HEADERS = [c.zh for c in MASTER_COLUMNS]
H = {c.key: c.zh for c in MASTER_COLUMNS}
CHANGE_HEAD = ["变更类型", "任务编号", "区县", "序号", "列", "原值", "新值"]
HUAIYIN = "2024年槐荫区政务公开重点工作任务分解表"


# ------------------------------------------------------------------ helpers

def sheet(path: Path, name: str) -> list[list]:
    wb = pc.CalamineWorkbook.from_path(str(path))
    try:
        return wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
    finally:
        wb.close()


def by_key(path: Path) -> dict[str, dict]:
    """汇总 as {任务编号: {header: value}} ('' read as None)."""
    rows = sheet(path, "汇总")
    head = rows[0]
    return {r[head.index("任务编号")]: {h: (v if v != "" else None) for h, v in zip(head, r)} for r in rows[1:]}


def changes(path: Path) -> list[list]:
    """The change lines of 变更 (below its header)."""
    rows = sheet(path, "变更")
    top = next(i for i, r in enumerate(rows) if r[:len(CHANGE_HEAD)] == CHANGE_HEAD)
    return [[v if v != "" else None for v in r[:len(CHANGE_HEAD)]] for r in rows[top + 1:]]


def note(path: Path) -> tuple[str, str]:
    """(上次合并时间, 变更情况) at the top of 变更."""
    rows = sheet(path, "变更")
    return rows[0][1], rows[1][1]


def merged_at(path: Path) -> str:
    return sheet(path, "合并记录")[0][1]


def computed(path: Path, tmp: Path) -> tuple[dict[str, str], dict[str, str]]:
    """As LibreOffice computes the master: ({任务编号: 预警}, {统计 total row: header → value})."""
    sheets = sheets_as_csv(path, tmp / f"csv-{path.stem}")
    rows, stats = sheets["汇总"], sheets["统计"]
    head = rows[0]
    total = next(r for r in stats if r[0] == "合计")
    return {r[head.index("任务编号")]: r[head.index("预警")] for r in rows[1:]}, dict(zip(stats[0], total))


class Clerk:
    """Edits the master as a user does in Excel: by header, on the row of a task."""

    def __init__(self, path: Path):
        self.path = path
        self.wb = openpyxl.load_workbook(path)
        self.ws = self.wb["汇总"]

    def col(self, header: str) -> int:
        for c in range(1, self.ws.max_column + 1):
            if self.ws.cell(1, c).value == header:
                return c
        raise KeyError(header)

    def row(self, key: str) -> int:
        kc = self.col("任务编号")
        return next(r for r in range(2, self.ws.max_row + 1) if self.ws.cell(r, kc).value == key)

    def add_column(self, header: str, width: float | None = None, before: str | None = None) -> None:
        if before is None:
            c = self.ws.max_column + 1
        else:
            c = self.col(before)
            self.ws.insert_cols(c)
        self.ws.cell(1, c, header)
        if width:
            self.ws.column_dimensions[get_column_letter(c)].width = width

    def type(self, key: str, header: str, value) -> None:
        cell = self.ws.cell(self.row(key), self.col(header), value)
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # typed as text ('=…), not a formula

    def save(self) -> None:
        self.wb.save(self.path)


@pytest.fixture
def returns(tmp_path) -> Path:
    folder = tmp_path / "returns"
    folder.mkdir()
    for p in (TIANQIAO, CHANGQING):
        shutil.copy(p, folder / p.name)
    return folder


def huaiyin(folder: Path, requirements: dict[int, str], status: dict[int, str] | None = None) -> Path:
    """A small district file: 序号 → 具体要求 (and 状态)."""
    status = status or {}
    rows = [[n, "一、工作", text, "区财政局", "2024年12月底前", status.get(n)] for n, text in requirements.items()]
    return district_book(folder / f"{HUAIYIN}.xlsx", rows, title=HUAIYIN)


# ------------------------------------------------------------------ first merge

def test_first_merge_says_so(returns, tmp_path):
    out = tmp_path / "master.xlsx"
    summary = merge([returns], out, as_of=AS_OF)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["汇总", "统计", "变更", "问题清单", "合并记录", "汇总表标识"]
    assert summary.changes.first and summary.changes.tasks == summary.rows_merged
    previous, text = note(out)
    assert previous == "无（首次合并）" and text == f"首次合并：共 {summary.rows_merged} 项任务。"
    assert changes(out) == []
    assert summary.to_dict()["changes"] == {"first": True, "previous_merge": None, "tasks": summary.rows_merged,
                                            "added": 0, "removed": 0, "changed": 0}


# ------------------------------------------------------------------ what people typed survives

def test_typed_values_survive_and_libreoffice_says_done(returns, tmp_path):
    out = tmp_path / "master.xlsx"
    merge([returns], out, as_of=AS_OF)
    first, first_time = by_key(out), merged_at(out)
    keys = list(first)
    overdue = [k for k in keys if first[k][H["deadline"]] == "2024年12月底前"]
    done_key, progress_key, note_keys = overdue[0], overdue[1], [keys[5], keys[-1]]

    clerk = Clerk(out)
    clerk.add_column("责任人", before=H["deadline"])                # between our columns
    clerk.type(note_keys[0], "责任人", "张三")
    clerk.add_column("督办意见", width=33)                           # after them
    clerk.type(note_keys[0], "督办意见", "请于月底前报送佐证材料")
    clerk.type(note_keys[1], "督办意见", "=已督办两次")           # text a formula would be made of
    clerk.type(progress_key, H["progress"], "已完成初稿，正在征求意见")
    clerk.type(done_key, H["status"], "已完成")
    clerk.save()

    summary = merge([returns], out, as_of=AS_OF)
    rows = sheet(out, "汇总")
    assert rows[0] == HEADERS[:HEADERS.index(H["deadline"])] + ["责任人"] + \
        HEADERS[HEADERS.index(H["deadline"]):] + ["督办意见"]
    again = by_key(out)
    assert set(again) == set(first)                                   # same tasks, same keys
    assert again[note_keys[0]]["督办意见"] == "请于月底前报送佐证材料" and again[note_keys[0]]["责任人"] == "张三"
    assert again[note_keys[1]]["督办意见"] == "=已督办两次"
    assert again[progress_key][H["progress"]] == "已完成初稿，正在征求意见"
    assert again[done_key][H["status"]] == "已完成"
    assert sum(1 for r in again.values() if r["督办意见"]) == 2
    assert summary.kept_columns == ["责任人", "督办意见"]
    assert not summary.changes.first and summary.changes.to_dict()["added"] == 0
    assert changes(out) == [] and note(out) == (first_time, "与上次合并相比没有变化。")
    assert summary.warnings["done"] == 1

    ws = openpyxl.load_workbook(out)["汇总"]
    widths = {ws.cell(1, c).value: ws.column_dimensions[get_column_letter(c)].width
              for c in range(1, ws.max_column + 1)}
    assert widths["督办意见"] == 33 and widths[H["requirement"]] == 50
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if cell.value == "=已督办两次":
                assert cell.data_type == "s" and cell.quotePrefix      # still text, never a formula

    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    # LibreOffice computes 预警 with the columns moved by 责任人: 已完成 for the task
    # marked done, and everything else as before the edit.
    fresh = tmp_path / "fresh.xlsx"
    merge([returns], fresh, as_of=AS_OF)                              # the same tasks, nothing typed
    (before, stats_before), (after, stats) = computed(fresh, tmp_path), computed(out, tmp_path)
    assert before[done_key] == "逾期" and after[done_key] == "已完成"
    assert (stats_before["已完成"], stats["已完成"]) == ("0", "1")        # 统计 follows the moved columns
    assert int(stats["逾期"]) == int(stats_before["逾期"]) - 1 and stats["合计"] == stats_before["合计"]
    assert {k: v for k, v in after.items() if k != done_key} == {k: v for k, v in before.items() if k != done_key}
    assert after[progress_key] == "逾期"                               # progress text does not mean done


def test_merge_twice_with_edits_changes_nothing_and_order_does_not_matter(returns, tmp_path):
    huaiyin(returns, {1: "要求一", 2: "要求二", 3: "要求三"})
    out = tmp_path / "master.xlsx"
    merge([returns], out, as_of=AS_OF)
    keys = list(by_key(out))
    clerk = Clerk(out)
    clerk.add_column("督办意见")
    clerk.type(keys[0], "督办意见", "已约谈")
    clerk.type(keys[-1], "督办意见", dt.date(2025, 1, 20))          # a date stays a date
    clerk.type(keys[3], H["status"], "进行中")
    clerk.save()
    copy = tmp_path / "copy.xlsx"
    shutil.copy(out, copy)

    merge([returns], out, as_of=AS_OF)
    second = sheet(out, "汇总")
    merge([returns], out, as_of=AS_OF)
    assert sheet(out, "汇总") == second                              # merging twice changes nothing
    assert changes(out) == []
    merge(sorted(returns.glob("*.xlsx"), reverse=True), copy, as_of=AS_OF)   # another order, same result
    assert sheet(copy, "汇总") == second
    row = by_key(out)
    assert row[keys[-1]]["督办意见"] == dt.date(2025, 1, 20) and row[keys[0]]["督办意见"] == "已约谈"
    assert row[keys[3]][H["status"]] == "进行中"


# ------------------------------------------------------------------ 变更

def test_district_edits_show_in_changes(returns, tmp_path):
    """长清区 edits one requirement (task 65), deletes a row (task 63) and adds one (67)."""
    out = tmp_path / "master.xlsx"
    merge([returns], out, as_of=AS_OF)
    before = {v["序号"]: k for k, v in by_key(out).items() if v["区县"] == "长清区"}
    old_text, gone_text = (by_key(out)[before[n]][H["requirement"]] for n in (65, 63))
    clerk = Clerk(out)
    clerk.add_column("督办意见")
    clerk.type(before[65], "督办意见", "重点督办")
    clerk.save()
    time_of_first = merged_at(out)

    source = returns / CHANGQING.name
    wb = openpyxl.load_workbook(source)
    ws = wb["任务分解表"]
    assert [ws.cell(r, 1).value for r in (76, 78, 80)] == [63, 65, None]
    new_text = old_text + "并在区政府门户网站公开。"
    ws["D78"] = new_text
    for col in "ADEF":                          # row 76 emptied: task 63 is gone
        ws[f"{col}76"] = None
    for col, value in zip("ADEF", (67, "建立政务公开工作月报制度。", "区政府办公室", "2022年年底前")):
        ws[f"{col}80"] = value                  # the empty row above the footer: a new task
    wb.save(source)

    summary = merge([returns], out, as_of=AS_OF)
    lines = changes(out)
    assert sorted(line[0] for line in lines) == ["修改", "删除", "新增"]
    added, removed, changed = ({tuple(x[1:]) for x in lines if x[0] == kind} for kind in ("新增", "删除", "修改"))
    after = {v["序号"]: k for k, v in by_key(out).items() if v["区县"] == "长清区"}
    assert changed == {(before[65], "长清区", 65, H["requirement"], old_text, new_text)}
    assert after[65] == before[65]                                    # an edited task keeps its key
    assert by_key(out)[before[65]]["督办意见"] == "重点督办"           # … and what was typed about it
    assert removed == {(before[63], "长清区", 63, H["requirement"], gone_text, None)}
    assert 63 not in after and added == {(after[67], "长清区", 67, H["requirement"], None, "建立政务公开工作月报制度。")}
    assert note(out) == (time_of_first, "与上次合并相比：新增 1 项，删除 1 项，修改 1 项。")
    assert (summary.changes.added, summary.changes.removed, summary.changes.changed) == (1, 1, 1)
    merge([returns], out, as_of=AS_OF)
    assert changes(out) == []                                          # and then it is quiet again


def test_removed_task_keeps_what_was_typed_about_it(returns, tmp_path):
    out = tmp_path / "master.xlsx"
    huaiyin(returns, {1: "要求一", 2: "要求二"})
    merge([returns], out, as_of=AS_OF)
    key = next(k for k, v in by_key(out).items() if v["区县"] == "槐荫区" and v["序号"] == 2)
    clerk = Clerk(out)
    clerk.add_column("督办意见")
    clerk.type(key, "督办意见", "已约谈两次")
    clerk.type(key, H["progress"], "完成一半")
    clerk.save()
    huaiyin(returns, {1: "要求一"})
    merge([returns], out, as_of=AS_OF, replace=True)       # a filled-in task removed: only when told
    assert key not in by_key(out)
    assert changes(out) == [["删除", key, "槐荫区", 2, H["requirement"], "要求二", None],
                            ["删除", key, "槐荫区", 2, H["progress"], "完成一半", None],
                            ["删除", key, "槐荫区", 2, "督办意见", "已约谈两次", None]]


def test_input_wins_over_the_master_and_the_old_value_is_noted(returns, tmp_path):
    out = tmp_path / "master.xlsx"
    huaiyin(returns, {1: "要求一", 2: "要求二"})
    merge([returns], out, as_of=AS_OF)
    key = next(k for k, v in by_key(out).items() if v["区县"] == "槐荫区" and v["序号"] == 1)
    clerk = Clerk(out)
    clerk.type(key, H["status"], "进行中")
    clerk.save()
    huaiyin(returns, {1: "要求一", 2: "要求二"}, status={1: "已完成"})
    merge([returns], out, as_of=AS_OF)
    assert by_key(out)[key][H["status"]] == "已完成"
    assert changes(out) == [["修改", key, "槐荫区", 1, H["status"], "进行中", "已完成"]]


def test_other_sheets_and_collected_columns_are_kept(returns, tmp_path):
    """`collect` writes 完成日期/报送单位/报送时间 and a 收集记录 sheet into the master."""
    out = tmp_path / "master.xlsx"
    merge([returns], out, as_of=AS_OF)
    key = next(iter(by_key(out)))
    clerk = Clerk(out)
    clerk.type(key, H["done_date"], dt.date(2024, 12, 1))
    clerk.type(key, H["reported_by"], "区财政局")
    clerk.type(key, H["reported_at"], dt.datetime(2024, 12, 2, 9, 30))
    log = clerk.wb.create_sheet("收集记录")
    log.append(["时间", "类型", "任务编号"])
    log.append([dt.datetime(2024, 12, 2, 9, 30), "更新", key])
    clerk.save()
    summary = merge([returns], out, as_of=AS_OF)
    row = by_key(out)[key]
    assert row[H["done_date"]] == dt.date(2024, 12, 1) and row[H["reported_by"]] == "区财政局"
    assert row[H["reported_at"]] == dt.datetime(2024, 12, 2, 9, 30)
    assert openpyxl.load_workbook(out).sheetnames[-1] == "收集记录" and summary.kept_sheets == ["收集记录"]
    assert sheet(out, "收集记录") == [["时间", "类型", "任务编号"], [dt.datetime(2024, 12, 2, 9, 30), "更新", key]]
    assert changes(out) == []


# ------------------------------------------------------------------ safety

def test_a_failed_write_leaves_the_old_master_intact(returns, tmp_path, monkeypatch):
    out = tmp_path / "master.xlsx"
    merge([returns], out, as_of=AS_OF)
    clerk = Clerk(out)
    clerk.add_column("督办意见")
    clerk.type(next(iter(by_key(out))), "督办意见", "不能丢")
    clerk.save()
    before = sha(out)
    real, calls = writer.cell_xml, []

    def failing(*args):
        calls.append(1)
        if len(calls) > 500:                                          # midway through 汇总
            raise OSError("disk full")
        return real(*args)

    monkeypatch.setattr(writer, "cell_xml", failing)
    with pytest.raises(OutputLocked):                                 # a clear "cannot write" error
        merge([returns], out, as_of=AS_OF)
    assert sha(out) == before
    assert not list(tmp_path.glob(".~xltools-*")) and not (tmp_path / "master.xlsx.lock").exists()
    monkeypatch.undo()
    merge([returns], out, as_of=AS_OF)
    assert "不能丢" in {v["督办意见"] for v in by_key(out).values()}


def test_a_workbook_that_is_not_a_master_is_not_overwritten(returns, tmp_path):
    theirs = district_book(tmp_path / "汇总表.xlsx", [[1, "一、工作", "要求", "区财政局", "2024年12月底前", None]])
    before = sha(theirs)
    with pytest.raises(MasterError) as err:
        merge([returns], theirs)
    assert "不是 xltools 汇总表" in err.value.message("zh") and "not an xltools master" in err.value.message("en")
    assert sha(theirs) == before
    res = CliRunner().invoke(merge_command, [str(returns), "-o", str(theirs)])
    assert res.exit_code == 2 and res.output.count("\n") == 1 and "换一个" in res.output
    # a sheet called 汇总 is not enough
    wb = openpyxl.load_workbook(theirs)
    wb.active.title = "汇总"
    wb.save(theirs)
    with pytest.raises(MasterError):
        merge([returns], theirs)
    garbage = tmp_path / "坏的.xlsx"
    garbage.write_bytes(b"PK\x03\x04 not a workbook")
    with pytest.raises(MasterError) as err:
        merge([returns], garbage)
    assert "无法读取" in err.value.message("zh") and garbage.read_bytes() == b"PK\x03\x04 not a workbook"


def test_an_open_master_is_not_replaced(returns, tmp_path):
    out = tmp_path / "master.xlsx"
    merge([returns], out)
    (tmp_path / ".~lock.master.xlsx#").write_text("clerk")
    before = sha(out)
    with pytest.raises(OutputLocked):
        merge([returns], out)
    assert sha(out) == before


# ------------------------------------------------------------------ command line

def test_cli_reports_changes_and_kept_columns(returns, tmp_path):
    out = tmp_path / "master.xlsx"
    runner = CliRunner()
    res = runner.invoke(merge_command, [str(returns), "-o", str(out)])
    assert "变更：首次合并：共" in res.stdout
    clerk = Clerk(out)
    clerk.add_column("督办意见")
    clerk.save()
    res = runner.invoke(merge_command, [str(returns), "-o", str(out)])
    assert "变更：与上次合并相比没有变化。" in res.stdout and "保留了汇总表中手工添加的列：督办意见。" in res.stdout
    res = runner.invoke(merge_command, [str(returns), "-o", str(out), "--json"])
    data = json.loads(res.stdout)
    assert data["changes"]["first"] is False and data["changes"]["added"] == 0
    assert data["kept_columns"] == ["督办意见"] and data["kept_sheets"] == []


# ------------------------------------------------------------------ property: what is typed is kept

edit = st.tuples(st.integers(0, 10_000), st.sampled_from(["督办意见", H["status"], H["progress"]]),
                 st.sampled_from(["已约谈", "已完成", "进行中", "=1+1", " 前后有空格 ", "第二行\n第三行"]))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(edit, min_size=1, max_size=6), reverse=st.booleans())
def test_typed_values_are_kept_whatever_they_are(tmp_path_factory, edits, reverse):
    folder = tmp_path_factory.mktemp("prop")
    inputs = [huaiyin(folder, {n: f"要求{n}" for n in range(1, 6)}),
              district_book(folder / "2024年天桥区任务.xlsx", [[n, "一、工作", f"天桥要求{n}", "区财政局", "长期坚持", None]
                                                           for n in range(1, 4)])]
    out = folder / "out" / "master.xlsx"
    merge(inputs, out, as_of=AS_OF)
    keys = sorted(by_key(out))
    clerk = Clerk(out)
    clerk.add_column("督办意见")
    typed = {}
    for i, header, value in edits:
        key = keys[i % len(keys)]
        clerk.type(key, header, value)
        typed[(key, header)] = value
    clerk.save()
    merge(list(reversed(inputs)) if reverse else inputs, out, as_of=AS_OF)
    rows = by_key(out)
    for (key, header), value in typed.items():
        assert rows[key][header] == value
    assert changes(out) == []
