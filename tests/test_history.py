"""Versions, history, undo and the merge preview (issue 24, points 1 and 2).

Real files: the examples merged, the master edited the way a clerk's Excel does
(openpyxl), the wrong folder merged, the master read back with python-calamine and
openpyxl and compared sheet by sheet, cell by cell."""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import openpyxl
import pytest
import python_calamine as pc
from click.testing import CliRunner

from conftest import CHANGQING, TIANQIAO, write_xlsx
from test_merge import district_book

from xltools.cli.app import cli
from xltools.work.flag import flag_file
from xltools.work.history import HistoryError, history, undo
from xltools.work.merge import REMOVE_LIMIT, MergeRefused, merge
from xltools.write import versions
from xltools.write.files import OutputLocked, atomic_write

AS_OF = dt.date(2024, 12, 20)
CHANGE_HEAD = ["变更类型", "任务编号", "区县", "序号", "列", "原值", "新值"]


# ------------------------------------------------------------------ helpers

def run(*args) -> "click.testing.Result":
    return CliRunner().invoke(cli, [str(a) for a in args])


def calamine_cells(path: Path) -> dict[str, list[list]]:
    wb = pc.CalamineWorkbook.from_path(str(path))
    try:
        return {name: wb.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in wb.sheet_names}
    finally:
        wb.close()


def openpyxl_cells(path: Path) -> dict[str, list[tuple]]:
    """Every sheet's cells as stored (formulas as their text)."""
    wb = openpyxl.load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def contents(path: Path) -> tuple:
    """A workbook's content as two independent readers see it."""
    return calamine_cells(path), openpyxl_cells(path)


def type_progress(master: Path, row: int, text: str) -> str:
    """What a clerk does in Excel: type 进展情况 on a row and save; the task's key."""
    wb = openpyxl.load_workbook(master)
    ws = wb["汇总"]
    head = [c.value for c in ws[1]]
    ws.cell(row, head.index("进展情况") + 1, text)
    key = ws.cell(row, head.index("任务编号") + 1).value
    wb.save(master)
    return key


def changes(path: Path) -> list[list]:
    rows = calamine_cells(path)["变更"]
    top = next(i for i, r in enumerate(rows) if r[:len(CHANGE_HEAD)] == CHANGE_HEAD)
    return [[v if v != "" else None for v in r[:len(CHANGE_HEAD)]] for r in rows[top + 1:]]


@pytest.fixture
def folders(tmp_path) -> tuple[Path, Path]:
    """The office's folder (both districts) and a wrong one (one district only)."""
    right, wrong = tmp_path / "各区县", tmp_path / "长清区旧表"
    right.mkdir()
    wrong.mkdir()
    for p in (TIANQIAO, CHANGQING):
        shutil.copy(p, right / p.name)
    shutil.copy(CHANGQING, wrong / CHANGQING.name)
    return right, wrong


# ------------------------------------------------------------------ the bad day, on the command line

def test_wrong_folder_is_refused_then_replaced_and_undone(folders, tmp_path):
    right, wrong = folders
    master = tmp_path / "out" / "汇总.xlsx"
    assert run("merge", right, "-o", master, "--as-of", AS_OF).exit_code in (0, 1)
    assert not versions.versions(master)                               # a new file: nothing to keep
    key = type_progress(master, 2, "已完成初稿，待审定")
    typed = master.read_bytes()
    before = contents(master)

    refused = run("merge", wrong, "-o", master, "--as-of", AS_OF)
    assert refused.exit_code == 2 and "Traceback" not in refused.output
    assert "合并将从汇总表" in refused.output and "因此没有写入" in refused.output
    assert "（已填写：进展情况）" in refused.output                        # the task people worked on, named
    assert "天桥区 第 1 项：" in refused.output and "--replace" in refused.output
    assert master.read_bytes() == typed                                # byte for byte
    assert not versions.versions(master)                               # and no version made
    assert sorted(os.listdir(master.parent)) == [".xltools-versions", "汇总.xlsx"] or \
        sorted(os.listdir(master.parent)) == ["汇总.xlsx"]

    replaced = run("merge", wrong, "-o", master, "--as-of", AS_OF, "--replace")
    assert replaced.exit_code in (0, 1), replaced.output
    assert "原汇总表已保存为旧版本" in replaced.output
    assert key not in [r[15] for r in calamine_cells(master)["汇总"]]

    listed = run("history", master)
    assert listed.exit_code == 0
    lines = listed.output.splitlines()
    assert lines[1].startswith("1. ") and "合并之前" in lines[1] and "删除 122 项" not in lines[1]
    removed = sum(1 for r in before[0]["汇总"][1:] if r[0] == "天桥区")
    assert f"删除 {removed} 项" in lines[1]

    undone = run("undo", master)
    assert undone.exit_code == 0 and undone.output.startswith("已撤销合并：")
    assert contents(master) == before and master.read_bytes() == typed  # the typed progress is back
    after = history(master).versions
    assert [v.command for v in after] == ["undo", "merge"]              # the undo is a version too

    # undo of the undo: the replaced master comes back, then the typed one again
    replaced_state = contents(after[0].file)
    assert run("undo", master, "--version", 1).exit_code == 0
    assert contents(master) == replaced_state
    assert run("undo", master).exit_code == 0                          # Ctrl-Z: the last command undone
    assert contents(master) == before


def test_undo_twice_goes_two_commands_back(folders, tmp_path):
    right, wrong = folders
    master = tmp_path / "汇总.xlsx"
    merge([right], master, as_of=AS_OF)
    first = contents(master)
    type_progress(master, 3, "推进中")
    typed = contents(master)
    flag_file(master, as_of=dt.date(2025, 3, 1))
    flagged = contents(master)
    merge([wrong], master, as_of=AS_OF, replace=True)
    assert len(history(master).versions) == 2

    undo(master)
    assert contents(master) == flagged
    undo(master)
    assert contents(master) == typed
    with pytest.raises(HistoryError) as exc:                           # the first merge made the file
        undo(master)
    assert "没有可以撤销的操作" in exc.value.message()
    assert first != typed
    result = run("undo", master)
    assert result.exit_code == 2 and result.output.count("\n") == 1


def test_history_json_and_words(folders, tmp_path):
    right, _ = folders
    master = tmp_path / "汇总.xlsx"
    assert "没有保存的旧版本" in run("history", master).output
    merge([right], master, as_of=AS_OF)
    merge([right], master, as_of=AS_OF)
    data = json.loads(run("history", master, "--json").output)
    (v,) = data["versions"]
    assert v["n"] == 1 and v["command"] == "merge" and v["changes"] == {"tasks": 122, "added": 0, "removed": 0,
                                                                        "changed": 0}
    assert v["computer"] and Path(v["file"]).parent == master.parent / ".xltools-versions" / "汇总.xlsx"
    assert openpyxl.load_workbook(v["file"]).sheetnames[0] == "汇总"
    english = run("history", master, "--lang", "en").output
    assert "before merge" in english and "0 tasks added, 0 removed, 0 changed" in english


# ------------------------------------------------------------------ preview before harm

def test_dry_run_reports_what_the_real_run_does(folders, tmp_path):
    right, wrong = folders
    master = tmp_path / "汇总.xlsx"
    merge([right], master, as_of=AS_OF)
    type_progress(master, 5, "已报送材料")
    typed = master.read_bytes()
    listing = sorted(os.listdir(tmp_path))

    dry = run("merge", wrong, "-o", master, "--as-of", AS_OF, "--dry-run", "--json")
    assert dry.exit_code == 2, dry.output          # the refusal's code: the real run is refused
    preview = json.loads(dry.output)["preview"]
    assert json.loads(dry.output)["dry_run"] is True
    assert master.read_bytes() == typed and sorted(os.listdir(tmp_path)) == listing   # no lock, no version, no temp
    text = run("merge", wrong, "-o", master, "--as-of", AS_OF, "--dry-run")
    assert text.stdout.startswith("预览（没有写入任何文件）") and "实际运行时需加 --replace" in text.stdout

    summary = merge([wrong], master, as_of=AS_OF, replace=True)
    lines = changes(master)
    removed_keys = list(dict.fromkeys(line[1] for line in lines if line[0] == "删除"))
    assert preview["removed"] == summary.changes.removed == len(removed_keys)
    assert [r["key"] for r in preview["removed_tasks"]] == removed_keys
    assert preview["added"] == sum(1 for line in lines if line[0] == "新增")
    assert preview["changed"] == len({line[1] for line in lines if line[0] == "修改"})
    filled = [r for r in preview["removed_tasks"] if r["filled"]]
    assert [r["filled"] for r in filled] == [["进展情况"]]
    assert [line[5] for line in lines if line[0] == "删除" and line[4] == "进展情况"] == ["已报送材料"]


def test_a_district_dropping_a_task_passes_but_typed_work_stops_it(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    title = "2024年槐荫区政务公开重点工作任务分解表"
    rows = [[n, "一、工作", f"要求{n}", "区财政局", "2024年12月底前", None] for n in range(1, 21)]
    district_book(folder / f"{title}.xlsx", rows, title=title)
    master = tmp_path / "汇总.xlsx"
    merge([folder], master, as_of=AS_OF)

    district_book(folder / f"{title}.xlsx", rows[:-1], title=title)   # one task of 20 dropped: 5 %
    summary = merge([folder], master, as_of=AS_OF)
    assert summary.preview.removed == 1 and not summary.preview.harmful

    district_book(folder / f"{title}.xlsx", rows[:-3], title=title)   # two more: 2 of 19 is over 10 %
    with pytest.raises(MergeRefused):
        merge([folder], master, as_of=AS_OF)

    merge([folder], master, as_of=AS_OF, replace=True)
    type_progress(master, 2, "x")                                      # 要求1 filled in
    district_book(folder / f"{title}.xlsx", rows[1:17], title=title)
    before = master.read_bytes()
    with pytest.raises(MergeRefused) as exc:
        merge([folder], master, as_of=AS_OF)
    assert exc.value.preview.removed == 1 and exc.value.preview.filled[0].seq == 1
    assert master.read_bytes() == before
    asked = []
    merge([folder], master, as_of=AS_OF, confirm=lambda p: asked.append(p.removed) or True)   # the Excel dialog
    assert asked == [1] and REMOVE_LIMIT == 5


# ------------------------------------------------------------------ the version itself

def test_a_version_is_the_old_file_hard_linked(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"one")
    inode = path.stat().st_ino
    atomic_write(path, lambda tmp: Path(tmp).write_bytes(b"two"))
    (v,) = versions.versions(path)
    assert v.file.read_bytes() == b"one" and v.file.stat().st_ino == inode    # no bytes copied
    assert path.read_bytes() == b"two"


def test_without_hard_links_the_old_file_is_copied(tmp_path, monkeypatch):
    def no_link(*args):
        raise OSError(1, "Operation not permitted")
    monkeypatch.setattr(os, "link", no_link)
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"one")
    atomic_write(path, lambda tmp: Path(tmp).write_bytes(b"two"))
    (v,) = versions.versions(path)
    assert v.file.read_bytes() == b"one" and path.read_bytes() == b"two"


def test_no_version_no_replacement(tmp_path, monkeypatch):
    def cannot(*args):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "link", cannot)
    monkeypatch.setattr(shutil, "copy2", cannot)
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"one")
    with pytest.raises(OutputLocked) as exc:
        atomic_write(path, lambda tmp: Path(tmp).write_bytes(b"two"))
    assert "无法在" in exc.value.message() and "没有修改它" in exc.value.message()
    assert path.read_bytes() == b"one" and [p.name for p in tmp_path.iterdir() if p.is_file()] == ["a.xlsx"]


def test_history_is_bounded(tmp_path, monkeypatch):
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"0")
    for n in range(1, versions.MAX_VERSIONS + 5):
        atomic_write(path, lambda tmp, n=n: Path(tmp).write_bytes(str(n).encode()))
    kept = versions.versions(path)
    assert len(kept) == versions.MAX_VERSIONS
    assert kept[0].file.read_bytes() == str(versions.MAX_VERSIONS + 3).encode()       # the newest stays
    assert len(list(versions.folder_of(path).iterdir())) == 2 * versions.MAX_VERSIONS  # no stray records
    old = dt.datetime.now() + dt.timedelta(days=versions.MAX_AGE_DAYS + 1)
    versions.prune(path, now=old)
    assert len(versions.versions(path)) == 1                                           # by age: all but the newest


def test_documents_and_templates_are_not_versioned(tmp_path):
    doc = tmp_path / "通报.docx"
    doc.write_bytes(b"one")
    atomic_write(doc, lambda tmp: Path(tmp).write_bytes(b"two"))
    book = tmp_path / "模板.xlsx"
    book.write_bytes(b"one")
    atomic_write(book, lambda tmp: Path(tmp).write_bytes(b"two"), keep_version=False)
    assert not (tmp_path / versions.FOLDER).exists()


def test_collect_and_remind_record_what_they_changed(folders, tmp_path):
    from xltools.work.report import remind
    right, _ = folders
    master = tmp_path / "汇总.xlsx"
    merge([right], master, as_of=AS_OF)
    summary = remind(master, tmp_path / "催办", as_of=dt.date(2025, 1, 5), sheet=True)
    (v,) = history(master).versions
    assert v.command == "remind" and v.changes == {"units": len(summary.files)}
    assert "写入催办表之前" in history(master).lines()[1]

    from xltools.work.loop import collect, split
    returns = tmp_path / "下发"
    split(master, returns)
    first = sorted(returns.glob("*.xlsx"))[0]
    wb = openpyxl.load_workbook(first)
    ws = wb.worksheets[0]
    header = next(r for r in range(1, 20) if "状态" in [c.value for c in ws[r]])
    heads = [c.value for c in ws[header]]
    row = next(r for r in range(header + 1, ws.max_row + 1) if ws.cell(r, heads.index("任务编号") + 1).value)
    ws.cell(row, heads.index("状态") + 1, "进行中")
    wb.save(first)
    before = master.read_bytes()
    done = collect([returns], master)
    latest = history(master).versions[0]
    assert latest.command == "collect" and latest.file.read_bytes() == before
    assert latest.changes == {"updated": done.updated, "files": len(done.files), "conflicts": 0} and done.updated >= 1
    assert f"写入 {done.updated} 个单元格" in history(master).lines()[1]


def test_versions_folder_is_never_merged(folders, tmp_path):
    right, _ = folders
    master = right / "汇总.xlsx"
    merge([right], master, as_of=AS_OF)
    summary = merge([right], master, as_of=AS_OF)
    assert versions.versions(master) and len(summary.files_read) == 2


# The property (random merge/collect/flag/save/undo sequences) is tests/test_undo_property.py.


# ------------------------------------------------------------------ the Excel buttons

from test_excel_actions import alerts, master_book, open_book, xw  # noqa: E402,F401  (xw: the fixture)


def test_merge_button_asks_and_undo_button_puts_back(xw, monkeypatch, tmp_path):
    from xltools.excel import actions, plans
    folder = tmp_path / "各区县"
    folder.mkdir()
    for p in (TIANQIAO, CHANGQING):
        shutil.copy(p, folder / p.name)
    master = folder / "汇总表.xlsx"
    merge([folder], master)
    type_progress(master, 2, "已完成初稿")
    typed = master.read_bytes()
    (folder / TIANQIAO.name).unlink()                               # a district's file moved away by mistake

    questions = []
    monkeypatch.setattr(plans, "confirm", lambda book, text, title: questions.append(text) or False)
    book = open_book(xw, TIANQIAO, "任务分工", monkeypatch)
    assert actions.perform(book, actions.merge_folder, folder=folder) is None
    (question,) = questions
    assert question.startswith("合并将从汇总表中删除") and "（已填写：进展情况）" in question and "确定要删除吗" in question
    assert alerts(book)[-1][0] == f"没有写入：汇总表 {master} 保持原样。"
    assert master.read_bytes() == typed

    monkeypatch.setattr(plans, "confirm", lambda book, text, title: True)
    summary = actions.perform(book, actions.merge_folder, folder=folder)
    assert summary is not None and summary.preview.removed > 0 and master.read_bytes() != typed

    book = master_book(xw, master, monkeypatch)
    result = actions.perform(book, actions.undo_last)
    assert result is not None and master.read_bytes() == typed
    assert alerts(book)[-1][0].startswith("已撤销合并：")


# ------------------------------------------------------------------ README: 出错了怎么办

def test_readme_examples_run(tmp_path):
    """The commands of README's 出错了怎么办, run as written (from the repository root's
    examples), with the exit codes and results they promise."""
    import re
    import subprocess
    import sys

    from conftest import ROOT
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## 出错了怎么办", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    codes, outputs = [], []
    for line in block.strip().splitlines():
        command = line.split("#", 1)[0].split()
        assert command[0] == "xltools"
        done = subprocess.run([sys.executable, "-m", "xltools.cli", *command[1:]], cwd=tmp_path, capture_output=True,
                              text=True, env={**os.environ, "PYTHONPATH": str(ROOT), "XLTOOLS_LANG": "zh"})
        codes.append(done.returncode)
        outputs.append(done.stdout + done.stderr)
    assert codes == [1, 2, 2, 0, 0, 0], outputs          # the dry run exits as the refused run does
    assert "删除 56 项" in outputs[1] and "将删除 56 项任务" not in outputs[2] and "删除 56 项任务" in outputs[2]
    assert "这次合并：新增 0 项、删除 56 项" in outputs[4]
    master = tmp_path / "出错示例" / "汇总.xlsx"
    assert len(calamine_cells(master)["汇总"]) == 123                   # the 122 tasks are back


# ------------------------------------------------------------------ undo's words (newuser3 finding 13)

def test_undo_version_of_an_undo_is_not_worded_twice(folders, tmp_path):
    right, wrong = folders
    master = tmp_path / "汇总.xlsx"
    assert run("merge", right, "-o", master, "--as-of", AS_OF).exit_code in (0, 1)
    merged = contents(master)
    assert run("merge", wrong, "-o", master, "--as-of", AS_OF, "--replace").exit_code in (0, 1)
    replaced = contents(master)
    assert run("undo", master).output.startswith("已撤销合并：")
    assert contents(master) == merged
    assert [v.command for v in history(master).versions] == ["undo", "merge"]

    again = run("undo", master, "--version", 1)                       # the file kept before that undo
    assert again.exit_code == 0, again.output
    assert "撤销撤销" not in again.output and "已撤销" not in again.output
    assert again.output.startswith("已恢复第 1 个旧版本：") and "（撤销之前的文件）" in again.output
    assert contents(master) == replaced                                # and it is that file
    english = run("undo", master, "--version", 3, "--lang", "en")      # the merge's, numbered as history lists it
    assert english.exit_code == 0 and english.output.startswith("Put back version 3:")
    assert "(the file before merge)" in english.output and "Undid undo" not in english.output
    assert contents(master) == merged


def test_undo_of_a_file_that_does_not_exist_says_so(tmp_path):
    missing = tmp_path / "nosuch.xlsx"
    for lang, words in (("zh", "找不到文件"), ("en", "File not found")):
        result = run("undo", missing, "--lang", lang)
        assert result.exit_code == 2 and "Traceback" not in result.output
        assert words in result.output and "nosuch.xlsx" in result.output
        assert "没有可以撤销" not in result.output and "Nothing to undo" not in result.output
    assert not missing.exists() and not (tmp_path / versions.FOLDER).exists()
    # a file that exists but has no versions still says there is nothing to undo
    write_xlsx(missing, {"汇总": [["任务编号"], ["x"]]})
    result = run("undo", missing)
    assert result.exit_code == 2 and "没有可以撤销的操作" in result.output
