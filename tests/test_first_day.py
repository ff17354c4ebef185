"""What a clerk meets on the first day (issue 13): summary numbers that add up with the
master, Chinese everywhere (help and usage errors included), no surprises from re-runs,
file names or folders.  The CLI runs through click's CliRunner; workbooks are read back
with openpyxl / python-calamine, and opened in LibreOffice where it computes or prints."""
from __future__ import annotations

import csv
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from conftest import CHANGQING, EXAMPLES, LIXIA_TEXT, ROOT, TIANQIAO, ZHANGQIU_TEXT
from lo import SOFFICE, convert, needs_soffice
from xltools.cli.app import cli
from xltools.read.registry import load_registry
from xltools.rules.warning import COUNTED_STATES, count_states
from xltools.schema import MASTER_COLUMNS, WARNING_STATES
from xltools.texts import t

COL = {c.key: i for i, c in enumerate(MASTER_COLUMNS)}
# comma, double quote, UTF-8, from line 1, formatted as shown, every sheet to its own file
CSV_ALL_SHEETS = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1'


LAST = openpyxl.utils.get_column_letter(len(MASTER_COLUMNS))   # the master's last column


def _soffice(src: Path, fmt: str, outdir: Path) -> None:
    """One LibreOffice conversion (every sheet to its own CSV file) with a private profile."""
    profile = outdir / "lo-profile"
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--calc", "--convert-to", fmt,
                    "--outdir", str(outdir), str(src)], check=True, capture_output=True, timeout=180)


def run(*args, env=None):
    result = CliRunner().invoke(cli, [str(a) for a in args], env=env)
    assert "Traceback" not in result.output
    return result


def lines(result) -> list[str]:
    return result.output.splitlines()


def line_with(result, start: str) -> str:
    found = [ln for ln in lines(result) if ln.startswith(start)]
    assert found, result.output
    return found[0]


# ------------------------------------------------------------------ numbers that add up

def test_count_states_puts_every_task_in_exactly_one_state():
    counts = count_states(["overdue", None, "soon", "overdue", None, "ongoing"])
    assert counts == {"overdue": 2, "soon": 1, "ok": 0, "done": 0, "ongoing": 1, "unjudged": 2}
    assert tuple(counts) == COUNTED_STATES
    # the words the terminal uses in Chinese are the words the 预警 formula writes
    assert all(t("state-" + k, "zh") == v for k, v in WARNING_STATES.items())


@pytest.fixture(scope="module")
def merged(tmp_path_factory):
    out = tmp_path_factory.mktemp("first") / "汇总.xlsx"
    result = run("merge", EXAMPLES, "-o", out, "--as-of", "2024-12-20")
    return out, result


def test_merge_warning_line_reconciles_with_the_master(merged):
    out, result = merged
    assert result.exit_code == 1  # the two rejected rows of 天桥区
    assert line_with(result, "预警") == ("预警（截至2024年12月20日，共 122 项）：逾期 63 项，临期 50 项，正常 0 项，已完成 0 项，"
                                          "持续推进 8 项，无法判断 1 项。")
    assert "汇总 122 项" in line_with(result, "任务：")
    rows = list(openpyxl.load_workbook(out, read_only=True)["汇总"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 122


@needs_soffice
def test_stats_sheet_as_libreoffice_computes_it_matches_the_summary_line(merged, tmp_path):
    out, result = merged
    src = tmp_path / "m.xlsx"
    shutil.copy(out, src)
    _soffice(src, CSV_ALL_SHEETS, tmp_path)
    with open(tmp_path / "m-统计.csv", encoding="utf-8", newline="") as fh:
        stats = list(csv.reader(fh))
    header = stats[0]
    total = next(r for r in stats if r and r[0] == "合计")
    numbers = dict(re.findall(r"([\u4e00-\u9fff]+) (\d+) 项", line_with(result, "预警").split("：", 1)[1]))
    for key in COUNTED_STATES:
        label = t("state-" + key, "zh")
        assert int(total[header.index(label)]) == int(numbers[label]), label
    assert int(total[header.index("合计")]) == 122


def test_issue_counts_match_validate(merged):
    _, result = merged
    issues = line_with(result, "问题清单共")
    assert issues == "问题清单共 37 条：3 个错误，2 个警告，32 条提示。请在汇总表的“问题清单”工作表中查看。"
    checked = run("validate", CHANGQING, TIANQIAO)
    assert lines(checked)[-1] == "共检查 2 个文件、124 项任务：3 个错误，2 个警告。"
    notes = run("validate", CHANGQING, TIANQIAO, "--notes")
    assert sum(1 for ln in lines(notes) if ln.startswith("[提示]")) == 32


def test_issue_sheet_holds_what_the_line_says(merged):
    out, _ = merged
    rows = list(openpyxl.load_workbook(out)["问题清单"].iter_rows(min_row=2, values_only=True))
    severities = [r[3] for r in rows if r[0]]
    assert (len(severities), severities.count("错误"), severities.count("警告"), severities.count("提示")) == \
        (37, 3, 2, 32)


# ------------------------------------------------------------------ duplicates across files

@pytest.fixture
def copies(tmp_path):
    folder = tmp_path / "交回"
    folder.mkdir()
    for name in ("a.xlsx", "b.xlsx", "c.xlsx"):
        shutil.copy(TIANQIAO, folder / name)
    return folder


def test_duplicates_are_named_in_the_summary(copies, tmp_path):
    out = tmp_path / "m.xlsx"
    result = run("merge", copies, "-o", out)
    text = result.output
    assert "重复任务：2 个文件中的 112 项任务与其他文件完全相同（可能重复报送了同一文件）：" in text
    assert "  交回/b.xlsx 与 交回/a.xlsx 相同：56 项" in text
    assert "  交回/c.xlsx 与 交回/a.xlsx 相同：56 项" in text
    assert "  已加后缀区分；如只需保留一份，请加 --dedupe 重新合并。" in text
    assert len(list(openpyxl.load_workbook(out, read_only=True)["汇总"].iter_rows(min_row=2))) == 168


def test_dedupe_keeps_one_copy_and_records_the_rest(copies, tmp_path):
    out = tmp_path / "m.xlsx"
    result = run("merge", copies, "-o", out, "--dedupe", "--as-of", "2024-12-20")
    assert result.exit_code == 1  # the rejected empty rows remain
    assert "任务：读入 174 项，汇总 56 项，剔除 6 项，去掉重复 112 项。" in result.output
    assert "  已按 --dedupe 只保留一份，去掉的 112 项记在“问题清单”中。" in result.output
    wb = openpyxl.load_workbook(out)
    master = list(wb["汇总"].iter_rows(min_row=2, values_only=True))
    assert len(master) == 56
    assert {Path(r[COL["source_file"]]).name for r in master} == {"a.xlsx"}
    dropped = [r for r in wb["问题清单"].iter_rows(min_row=2, values_only=True) if r[4] == "duplicate-dropped"]
    assert len(dropped) == 112 and {r[0] for r in dropped} == {"交回/b.xlsx", "交回/c.xlsx"}
    assert dropped[0][5].startswith("与 交回/a.xlsx 任务分工!A") and "按 --dedupe 只保留那一份" in dropped[0][5]
    # the summary line counts exactly the tasks kept
    assert "共 56 项" in line_with(result, "预警")


# ------------------------------------------------------------------ units export / learn

def test_units_export_csv_is_a_csv_the_registry_option_reads(tmp_path):
    out = tmp_path / "名录.csv"
    result = run("units", "export", out, "--district", "天桥区")
    assert result.exit_code == 0
    assert result.output.startswith(f"单位名录已保存到 {out}（")
    raw = out.read_bytes()
    assert raw.startswith("\ufeff区县,单位名称,简称或别名,类别,级别".encode("utf-8"))  # BOM: Excel shows the Chinese
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert len(rows) > 50 and all(len(r) == 5 for r in rows)
    assert load_registry(out).resolve("泺口街道") is not None
    checked = run("validate", TIANQIAO, "--registry", out)
    assert lines(checked)[-1] == "共检查 1 个文件、58 项任务：3 个错误，2 个警告。"


def test_units_export_refuses_a_suffix_it_cannot_write(tmp_path):
    result = run("units", "export", tmp_path / "名录.ods")
    assert result.exit_code == 2
    assert result.output == f"错误：单位名录只能保存为 .xlsx（在 Excel 中编辑）或 .csv：{tmp_path / '名录.ods'}。请换一个文件名。\n"
    assert not (tmp_path / "名录.ods").exists()


def test_units_learn_passes_over_a_text_without_tasks_and_writes_the_registry(tmp_path):
    out = tmp_path / "名录.xlsx"
    result = run("units", "learn", LIXIA_TEXT, ZHANGQIU_TEXT, TIANQIAO, "-o", out)
    assert result.exit_code == 1  # one file could not be learnt from
    assert f"跳过：文件 {LIXIA_TEXT} 中没有找到任务表" in result.output
    assert f"单位名录已写入 {out}，其中新增 " in result.output
    reg = load_registry(out)
    assert reg.resolve("区人社局") is not None and len(reg) >= 100


def test_units_learn_with_nothing_readable_says_so(tmp_path):
    result = run("units", "learn", LIXIA_TEXT, "-o", tmp_path / "名录.xlsx")
    assert result.exit_code == 2
    assert "所有单位名称都已在名录中" not in result.output
    assert not (tmp_path / "名录.xlsx").exists()


# ------------------------------------------------------------------ validate and inspect

def test_validate_does_not_count_a_missing_file_as_checked(tmp_path):
    result = run("validate", tmp_path / "nosuch.xlsx")
    assert result.exit_code == 2
    assert lines(result) == [f"错误：找不到文件：{tmp_path / 'nosuch.xlsx'}。请检查路径是否正确。",
                             "共检查 0 个文件、0 项任务：0 个错误，0 个警告。另有 1 个文件无法读取，未检查。"]
    both = run("validate", tmp_path / "nosuch.xlsx", TIANQIAO, "--json")
    assert '"files": 1' in both.output


def test_inspect_names_deadline_kinds_in_chinese():
    zh = run("inspect", TIANQIAO)
    column = [ln.split()[-1] for ln in lines(zh) if ln[:1].isdigit()]
    assert "长期" in column
    assert not {"ongoing", "unknown", "recurring", "relative", "date"} & set(column)
    en = run("inspect", TIANQIAO, "--lang", "en")
    assert "ongoing" in [ln.split()[-1] for ln in lines(en) if ln[:1].isdigit()]


# ------------------------------------------------------------------ help and usage errors

def test_help_is_chinese_by_default_and_english_on_request():
    zh = run("--help")
    assert zh.exit_code == 0
    assert zh.output.startswith("用法：xltools [选项] 命令 [参数]...")
    assert "选项:" in zh.output and "命令:" in zh.output and "显示本帮助并退出。" in zh.output
    assert "显示版本号并退出。" in zh.output
    assert not re.search(r"Usage|Options|Commands|Show this message", zh.output)
    for args, env in ((("--lang", "en", "--help"), None), (("--help",), {"XLTOOLS_LANG": "en"})):
        en = run(*args, env=env)
        assert en.exit_code == 0, en.output
        assert en.output.startswith("Usage: xltools [OPTIONS] COMMAND [ARGS]...")
        assert "Show this message and exit." in en.output and "用法" not in en.output


@pytest.mark.parametrize("path", [("merge",), ("units", "export"), ("addin", "build"), ("flag",)])
def test_every_level_takes_lang_en(path):
    zh = run(*path, "--help")
    assert zh.output.startswith(f"用法：xltools {' '.join(path)} [选项]")
    assert "[默认：" in zh.output or path != ("merge",)
    for args in ((*path, "--lang", "en", "--help"), ("--lang", "en", *path, "--help")):
        en = run(*args)
        assert en.exit_code == 0
        assert en.output.startswith(f"Usage: xltools {' '.join(path)} [OPTIONS]"), args
        assert not re.search(r"[\u4e00-\u9fff]{6}", en.output.split("Options:")[1]), en.output


USAGE_ERRORS = [
    (("inspect",), "错误：缺少参数 FILE。运行“xltools inspect --help”查看用法。"),
    (("inspect", "--sheet"), "错误：选项 --sheet 后面要写一个值。运行“xltools inspect --help”查看用法。"),
    (("merge", "--as-of", "x", "a.xlsx", "-o", "m.xlsx"),
     "错误：--as-of 的值无效：日期应写成 2024-12-20。运行“xltools merge --help”查看用法。"),
    (("merge", "a.xlsx"), "错误：缺少选项 -o/--output。运行“xltools merge --help”查看用法。"),
    (("validate", "--as-of", "1", "x"), "错误：没有 --as-of 这个选项。是不是要写 --json？运行“xltools validate --help”查看用法。"),
    (("split", "nosuch.xlsx", "-o", "out"),
     "错误：MASTER 的值无效：找不到“nosuch.xlsx”。运行“xltools split --help”查看用法。"),
    (("split", "--by", "xx", "nosuch.xlsx", "-o", "out"),
     "错误：--by 的值无效：“xx”不在可选值 lead-unit、unit、district 中。运行“xltools split --help”查看用法。"),
    (("merge", "--soon-days", "-4", "a", "-o", "m.xlsx"),
     "错误：--soon-days 的值无效：-4 超出范围 0<=x<=3650。运行“xltools merge --help”查看用法。"),
    (("merge", "--soon-days", "zz", "a", "-o", "m.xlsx"),
     "错误：--soon-days 的值无效：“zz”不是整数。运行“xltools merge --help”查看用法。"),
    (("inspect", "a", "b"), "错误：多余的参数：b。运行“xltools inspect --help”查看用法。"),
    (("nosuch",), "错误：没有 nosuch 这个命令。运行“xltools --help”查看用法。"),
    (("--versio",), "错误：没有 --versio 这个选项。是不是要写 --version？运行“xltools --help”查看用法。"),
    (("units", "export"), "错误：缺少参数 OUTPUT。运行“xltools units export --help”查看用法。"),
    (("addin", "build", "--nope"), "错误：没有 --nope 这个选项。运行“xltools addin build --help”查看用法。"),
    (("collect", "nosuch", "--into", "m.xlsx"),
     "错误：--into 的值无效：找不到“m.xlsx”。运行“xltools collect --help”查看用法。"),
    (("new-plan", "--year", "2025", "-o", "p.xlsx"),
     "错误：缺少选项 --district。运行“xltools new-plan --help”查看用法。"),
]


@pytest.mark.parametrize("args, expected", USAGE_ERRORS)
def test_usage_errors_are_one_chinese_line_with_exit_2(args, expected, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    assert result.exit_code == 2
    assert result.output == expected + "\n"


def test_usage_errors_in_english_on_request(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("merge", "--lang", "en", "--as-of", "x", "a", "-o", "m.xlsx")
    assert result.exit_code == 2
    assert result.output == ("Error: Invalid value for --as-of: write the date as 2024-12-20. "
                             "Run 'xltools merge --help' for usage.\n")
    result = run("inspect", env={"XLTOOLS_LANG": "en"})
    assert result.output == "Error: Missing argument FILE. Run 'xltools inspect --help' for usage.\n"


def test_usage_error_reason_follows_a_later_lang_option(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("merge", "--district", "bad", "a", "-o", "m.xlsx", "--lang", "en")
    assert result.output == ("Error: Invalid value for --district: write FILE=DISTRICT, e.g. tianqiao.xlsx=天桥区. "
                             "Run 'xltools merge --help' for usage.\n")


def test_group_without_command_shows_its_help():
    result = run("units")
    assert result.exit_code == 2
    assert result.output.startswith("用法：xltools units [选项] 命令 [参数]...")


# ------------------------------------------------------------------ English status words, Chinese reasons

def test_merge_in_english_prints_english_state_words(tmp_path):
    result = run("merge", CHANGQING, "-o", tmp_path / "m.xlsx", "--as-of", "2024-12-20", "--lang", "en")
    line = line_with(result, "Due status")
    m = re.fullmatch(r"Due status \(as of 2024-12-20, (\d+) tasks\): overdue (\d+), due soon (\d+), on track (\d+), "
                     r"done (\d+), ongoing (\d+), not judged (\d+)\.", line)
    assert m, line
    total, *counts = map(int, m.groups())
    assert total == sum(counts) == 66
    assert not re.search(r"[\u4e00-\u9fff]", line)


def test_reasons_inside_chinese_messages_are_chinese(tmp_path):
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"\0not a workbook\xff")
    zh = run("inspect", bad)
    assert zh.output == f"错误：文件已损坏或格式不对，无法读取：{bad}（文件内容不是任何一种表格格式）。请用 Excel 打开后另存为 .xlsx 再试。\n"
    en = run("inspect", bad, "--lang", "en")
    assert "(its content is no spreadsheet format)" in en.output
    from xltools.excel.addin import AddinError, startup_dir
    with pytest.raises(AddinError) as exc:
        startup_dir("linux")
    assert "（Excel 不能在 linux 上运行）" in exc.value.message("zh")
    assert "(Excel does not run on linux)" in exc.value.message("en")


def test_no_english_reason_literals_are_left_in_code():
    """The issue's examples: reasons passed into messages are text keys, not English."""
    for path in (ROOT / "xltools").rglob("*.py"):
        if "texts" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r'reason=f?"[A-Za-z]', text), path


# ------------------------------------------------------------------ flag re-runs

def _cf_ranges(path: Path, sheet: str) -> list[str]:
    return [str(cf.sqref) for cf in openpyxl.load_workbook(path)[sheet].conditional_formatting]


def test_flag_rerun_changes_nothing_and_says_so(tmp_path):
    src = tmp_path / "天桥.xlsx"
    shutil.copy(TIANQIAO, src)
    first = run("flag", src)
    assert first.exit_code == 0 and "加上截止日期和预警（58 项任务）" in first.output
    assert len(list(tmp_path.glob("*.bak"))) == 1
    before = src.read_bytes()
    again = run("flag", src)
    assert again.exit_code == 0
    assert again.output == f"{src} 的工作表“任务分工”中截止日期和预警已是最新（58 项任务），文件未改动，也没有另做备份。\n"
    assert len(list(tmp_path.glob("*.bak"))) == 1 and src.read_bytes() == before


def test_flag_on_a_master_keeps_the_colouring_over_every_column(tmp_path):
    assert LAST > "L"  # the 预警 column is not the last one
    master = tmp_path / "汇总.xlsx"
    run("merge", EXAMPLES, "-o", master)
    assert _cf_ranges(master, "汇总") == [f"A2:{LAST}123"]
    result = run("flag", master)
    assert "已是最新" in result.output and not list(tmp_path.glob("*.bak"))
    run("flag", master, "--as-of", "2024-12-20")  # a change: rewritten, still over A:S
    assert _cf_ranges(master, "汇总") == [f"A2:{LAST}123"]
    ws = openpyxl.load_workbook(master)["汇总"]
    assert ws["L2"].value.startswith("=IF(") and "DATE(2024,12,20)" in ws["L2"].value
    # 长清区 2022 rows keep their own year (read from their task key), not the master's
    due = {r[COL["key"]]: r[COL["due"]] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert {v.year for k, v in due.items() if k.startswith("长清区") and v} == {2022}


# ------------------------------------------------------------------ addin, districts

def test_addin_build_into_a_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("addin", "build", "-o", "addin_en/")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "addin_en" / "xltools.xlam").is_file()
    assert result.output == "已生成加载项：addin_en/xltools.xlam\n"
    run("addin", "build", "-o", "other.xlam")
    assert (tmp_path / "other.xlam").is_file()


@pytest.mark.parametrize("name, message", [
    ("火星区", "错误：“火星区”不是全国行政区划（GB/T 2260）中的区县名称。是不是要写："),
    ("天桥", "错误：“天桥”不是全国行政区划（GB/T 2260）中的区县名称。是不是要写：天桥区？"),
])
def test_district_checked_against_the_national_list(name, message, tmp_path):
    plan = run("new-plan", "--year", "2025", "--district", name, "-o", tmp_path / "p.xlsx")
    assert plan.exit_code == 2 and plan.output.startswith(message)
    assert not (tmp_path / "p.xlsx").exists()
    export = run("units", "export", tmp_path / "u.xlsx", "--district", name)
    assert export.exit_code == 2 and export.output.startswith(message)
    english = run("units", "export", tmp_path / "u.xlsx", "--district", name, "--lang", "en")
    assert english.output.startswith(f"Error: '{name}' is not a county-level division of the national list")
    assert "、" not in english.output
    ok = run("new-plan", "--year", "2025", "--district", "天桥区", "-o", tmp_path / "p.xlsx")
    assert ok.exit_code == 0 and (tmp_path / "p.xlsx").exists()


# ------------------------------------------------------------------ print-out, quick start

def test_master_page_setup(merged):
    out, _ = merged
    ws = openpyxl.load_workbook(out)["汇总"]
    assert ws.oddHeader.center.text == "济南市任务汇总表 — &A"
    assert ws.oddHeader.right.text == "预警基准日：2024-12-20"
    assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"
    key = openpyxl.utils.get_column_letter(COL["key"] + 1)
    assert not ws[f"{key}2"].alignment.wrap_text
    longest = max(len(str(c.value)) for c in ws[key][1:])
    assert ws.column_dimensions[key].width >= longest + 2


@needs_soffice
def test_master_prints_title_date_and_page_numbers(merged, tmp_path):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out, _ = merged
    src = tmp_path / "m.xlsx"
    shutil.copy(out, src)
    pdf = convert(src, "pdf", tmp_path)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = re.findall(r"第 (\d+) 页，共 (\d+) 页", text)
    assert pages and pages[0] == ("1", pages[0][1]) and int(pages[0][1]) > 1
    assert "济南市任务汇总表" in text and "预警基准日：2024-12-20" in text


def test_readme_quick_start_writes_into_an_ignored_folder():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"xltools merge examples -o (\S+)", readme)
    assert m, "README has no quick-start merge"
    target = m.group(1)
    assert "/" in target
    if shutil.which("git") and (ROOT / ".git").exists():
        ignored = subprocess.run(["git", "check-ignore", "-q", target], cwd=ROOT)
        assert ignored.returncode == 0, f"{target} would be left untracked in the repository"
