"""A city's master handled by a clerk who works in English and colleagues who work in
Chinese (trial 2, findings 8, 9, 13, 14 and 15): the master's sheets keep their Chinese
names, what goes to the units stays Chinese unless asked otherwise, every sheet and
document is in one language, English documents are laid out for English, 无法判断 is
shown where it is counted, districts come in their official order, and xltools' own
sheets print whole.  Real files in (five district plans of 湖州市, written with openpyxl
in the offices' layout), real files out, read back with openpyxl, python-docx and
LibreOffice."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from conftest import write_xlsx
from lo import convert, needs_soffice
from xltools.cli.app import cli
from xltools.texts import t
from xltools.work.report import read_report
from xltools.work.returns import MasterTable

docx = pytest.importorskip("docx")
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")

AS_OF = "2026-12-07"
HEAD = ["序号", "工作任务", "具体要求", "牵头单位", "配合单位", "完成时限"]
# file name → (title, rows): given here in the order of their characters, which is not the official one
PLANS = {
    "南浔区2026年数字政府任务清单.xlsx": ("南浔区2026年数字政府建设工作任务清单", [
        [1, "数字基础设施", "建成区级城市大脑驾驶舱，接入应用场景20个", "区大数据中心", "区经信局", "2026年9月30日前"],
        [2, "数字治理", "推进基层智治综合应用贯通", "区委政法委", "", "长期坚持"]]),
    "2026年吴兴区数字政府建设任务分解表.xlsx": ("2026年吴兴区数字政府建设重点任务分解表", [
        [1, "一、夯实数字底座", "完成区级政务云资源整合迁移，迁移率达到100%。", "区数据局", "区财政局", "2026年6月底前"],
        [2, "一、夯实数字底座", "推进电子政务外网乡镇（街道）全覆盖", "区数据局、各镇（街道）", "", "2026年9月底前"],
        [3, "二、提升政务服务", "推进“高效办成一件事”，新增集成办事项10项", "区行政审批局", "", "2026年12月15日前"]]),
    "安吉县2026年数字政府建设工作要点.xlsx": ("2026年安吉县数字政府建设工作要点任务分解表", [
        ["一", "数据要素", "制定公共数据授权运营实施细则", "县数据局、县财政局", "", "2026年4月底前"],
        ["二", "政务服务", "建立数字政府项目全流程管理制度", "县政务服务中心", "", "尽快"]]),
    "德清县2026年数字政府督查台账.xlsx": ("德清县2026年数字政府建设重点任务督查台账", [
        [1, "数字经济", "推进地理信息小镇扩容，新引进企业30家", "县经信局", "", "2026年11月30日前"]]),
    "长兴县2026年数字政府建设任务分解.xlsx": ("长兴县2026年数字政府建设任务分解", [
        [1, "数字社会", "推进“浙里康养”应用，覆盖全县养老机构", "县民政局", "", "2026年10月底前"]]),
}
OFFICIAL = ["吴兴区", "南浔区", "德清县", "长兴县", "安吉县"]       # GB/T 2260: 330502, 330503, 330521, 330522, 330523


def run(*args, lang: str = "zh"):
    result = CliRunner().invoke(cli, [str(a) for a in args] + ["--lang", lang])
    assert "Traceback" not in result.output, result.output
    return result


def write_city(folder: Path, names=None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names or PLANS:
        title, rows = PLANS[name]
        write_xlsx(folder / name, {"Sheet1": [[title], HEAD] + rows})
    return folder


@pytest.fixture(scope="module")
def city(tmp_path_factory) -> Path:
    """districts/ and 汇总/m.xlsx merged by a clerk working in English."""
    root = tmp_path_factory.mktemp("city")
    write_city(root / "districts")
    result = run("merge", root / "districts", "-o", root / "汇总" / "m.xlsx", "--as-of", AS_OF, lang="en")
    assert result.exit_code == 1, result.output        # 尽快 is reported: a problem, the merge is done
    return root / "汇总" / "m.xlsx"


def copy_of(master: Path, tmp_path: Path) -> Path:
    """The master and its district files, as they lie beside each other."""
    shutil.copytree(master.parent.parent / "districts", tmp_path / "districts")
    (tmp_path / "汇总").mkdir()
    return Path(shutil.copy2(master, tmp_path / "汇总" / master.name))


# ------------------------------------------------------------------ 1. the master's sheet names

def test_the_masters_sheets_keep_their_chinese_names_in_every_language(city, tmp_path):
    master = copy_of(city, tmp_path)
    assert run("remind", master, "-o", tmp_path / "en", "--sheet", lang="en").exit_code == 0
    assert run("remind", master, "-o", tmp_path / "zh", "--sheet").exit_code == 0
    wb = openpyxl.load_workbook(master)
    assert wb.sheetnames == ["汇总", "统计", "变更", "问题清单", "合并记录", "汇总表标识", "催办"]
    assert [c.value for c in wb["催办"][1]][:4] == ["区县", "牵头单位", "序号", "工作任务"]   # the last run's words


def test_an_english_runs_old_reminders_sheet_is_replaced_not_doubled(city, tmp_path):
    master = copy_of(city, tmp_path)
    assert run("remind", master, "-o", tmp_path / "r", "--sheet", lang="en").exit_code == 0
    wb = openpyxl.load_workbook(master)
    wb["催办"].title = "Reminders"                     # what an English run wrote before
    wb.move_sheet("Reminders", offset=-3)
    before = wb.sheetnames.index("Reminders")
    wb.save(master)
    assert run("remind", master, "-o", tmp_path / "r2", "--sheet").exit_code == 0
    names = openpyxl.load_workbook(master).sheetnames
    assert "Reminders" not in names and names.count("催办") == 1 and names.index("催办") == before


def test_a_sheet_of_the_offices_called_reminders_is_kept(city, tmp_path):
    master = copy_of(city, tmp_path)
    wb = openpyxl.load_workbook(master)
    wb.create_sheet("Reminders").append(["Who to call", "When"])
    wb.save(master)
    assert run("remind", master, "-o", tmp_path / "r", "--sheet").exit_code == 0
    wb = openpyxl.load_workbook(master)
    assert {"Reminders", "催办"} <= set(wb.sheetnames) and wb["Reminders"]["A1"].value == "Who to call"


# ------------------------------------------------------------------ 2. documents for the units

def sheet_text(path: Path, *sheets: str) -> list:
    wb = openpyxl.load_workbook(path)
    return [[c.value for c in row] for name in sheets for row in wb[name].iter_rows()]


def test_returns_are_chinese_whatever_the_clerks_language(city, tmp_path):
    master = copy_of(city, tmp_path)
    en = run("split", master, "-o", tmp_path / "en", lang="en")
    zh = run("split", master, "-o", tmp_path / "zh")
    assert en.exit_code == zh.exit_code == 0, en.output
    assert "Wrote" in en.output or "return" in en.output.lower()          # the clerk reads English
    files = sorted(p.name for p in (tmp_path / "zh").glob("*.xlsx"))
    assert files == sorted(p.name for p in (tmp_path / "en").glob("*.xlsx")) and len(files) >= 9
    for name in files:                    # the same form, word for word, title, labels and 填表说明
        assert sheet_text(tmp_path / "en" / name, "进展报送", "填表说明") == \
            sheet_text(tmp_path / "zh" / name, "进展报送", "填表说明"), name
    guide = " ".join(str(v) for row in sheet_text(tmp_path / "en" / files[0], "填表说明") for v in row if v)
    assert "How to fill" not in guide and "填表说明" in guide


def test_the_return_guide_asks_to_fill_only_what_is_unlocked(city, tmp_path):
    master = copy_of(city, tmp_path)
    assert run("split", master, "-o", tmp_path / "out").exit_code == 0
    rows = {r[0]: r[1] for r in sheet_text(next((tmp_path / "out").glob("*.xlsx")), "填表说明") if r[0]}
    assert rows["序号"] == rows["牵头单位"] == t("col-sent")                      # locked: nothing to choose
    assert "从下拉列表选择" in rows["状态"] and "已锁定" in rows["任务编号"]


def docx_text(path: Path) -> str:
    doc = docx.Document(str(path))
    return "\n".join([p.text for p in doc.paragraphs] + [c.text for tb in doc.tables for r in tb.rows
                                                         for c in r.cells])


def test_the_circular_and_reminders_are_chinese_unless_asked(city, tmp_path):
    master = copy_of(city, tmp_path)
    assert run("report", master, "-o", tmp_path / "zh.docx", lang="en").exit_code == 0
    assert run("report", master, "-o", tmp_path / "en.docx", "--doc-lang", "en").exit_code == 0
    title = docx.Document(str(tmp_path / "zh.docx")).paragraphs[0].text.replace("\n", "")
    assert title == "关于湖州市2026年度重点工作任务落实情况的通报"                  # names the city
    title = docx.Document(str(tmp_path / "en.docx")).paragraphs[0].text.replace("\n", " ")
    assert title == "Circular on the progress of the 2026 key work plan of 湖州市"
    # one language: the English document's Chinese is the names of places, units, tasks and deadlines
    prose = "\n".join(p.text for p in docx.Document(str(tmp_path / "en.docx")).paragraphs)
    assert not re.sub("湖州市", "", prose).count("年") and not re.search("[，。：（）]", prose)
    result = run("remind", master, "-o", tmp_path / "r", lang="en")
    assert result.exit_code == 0 and "reminder(s)" in result.output
    assert {p.name.split("-")[0] for p in (tmp_path / "r").glob("*.docx")} == {"催办单"}
    assert run("remind", master, "-o", tmp_path / "r_en", "--doc-lang", "en").exit_code == 0
    letter = docx_text(next((tmp_path / "r_en").glob("reminder-吴兴区-区数据局*.docx")))
    assert "the tasks of the plan '2026年吴兴区数字政府建设重点任务分解表' that your unit leads include 2 " \
           "overdue" in letter and "Due status" in letter


# ------------------------------------------------------------------ 3, 5. one language per sheet and line

def test_stats_headings_are_in_one_language(city, tmp_path):
    ws = openpyxl.load_workbook(city)["统计"]
    assert [c.value for c in ws[1]] == ["District", "Overdue", "Due soon", "On track", "Done", "Ongoing",
                                        "Not judged", "Total"]
    unit_head = next(r for r in ws.iter_rows(values_only=True) if r[0] == "Lead unit")
    assert unit_head[:4] == ("Lead unit", "Tasks", "Overdue", "Due soon")
    # the formulas still compare with 预警's own words
    assert '"逾期"' in ws["B2"].value and '"临期"' in ws["C2"].value
    # each printed page in its sheet's language: 统计 English, 汇总 (the schema's Chinese headings) Chinese
    assert ws.oddHeader.center.text == "湖州市 task master — Statistics"      # the city of its counties
    assert ws.oddHeader.right.text == "Due status as of: 2026-12-07" and ws.oddFooter.center.text == "Page &P of &N"
    tasks = openpyxl.load_workbook(city)["汇总"]
    assert tasks.oddHeader.center.text == "湖州市任务汇总表 — &A" and tasks.oddFooter.center.text == "第 &P 页，共 &N 页"
    master = copy_of(city, tmp_path)
    assert run("merge", master.parent.parent / "districts", "-o", master, "--as-of", AS_OF).exit_code == 1
    assert [c.value for c in openpyxl.load_workbook(master)["统计"][1]] == \
        ["区县", "逾期", "临期", "正常", "已完成", "持续推进", "无法判断", "合计"]


def test_the_merge_summary_says_due_status_and_its_date(city, tmp_path):
    master = copy_of(city, tmp_path)
    districts = master.parent.parent / "districts"
    english = run("merge", districts, "-o", master, "--as-of", AS_OF, lang="en").output
    assert "Due status (as of 2026-12-07, 9 tasks): overdue" in english and "Warnings (" not in english
    assert "1 error(s), 0 warning(s)" in english                  # "warning" means one thing only
    chinese = run("merge", districts, "-o", master, "--as-of", AS_OF).output
    assert "预警（截至2026年12月7日，共 9 项）：" in chinese and "个警告" in chinese
    live = run("merge", districts, "-o", master).output
    today = dt.date.today()
    assert f"预警（截至{today.year}年{today.month}月{today.day}日，共 9 项）" in live


def test_a_task_numbered_in_chinese_is_named_without_spaces():
    assert t("collect-task", "zh", district="安吉县", seq="一", words="制定…") == "安吉县 第一项“制定…”"
    assert t("collect-task", "zh", district="安吉县", seq="（二）", words="x") == "安吉县 第（二）项“x”"
    assert t("collect-task", "zh", district="天桥区", seq=19, words="x") == "天桥区 第 19 项“x”"


# ------------------------------------------------------------------ 6. 无法判断 shown where it is counted

@needs_soffice
def test_unjudged_is_shown_in_the_master_and_charted(city, tmp_path):
    import csv
    out = convert(city, "csv:Text - txt - csv (StarCalc):44,34,76,1", tmp_path)
    with open(out, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_deadline = {r["完成时限"]: r["预警"] for r in rows}
    assert by_deadline["尽快"] == "无法判断" and by_deadline["长期坚持"] == "持续推进"
    assert all(r["预警"] for r in rows)                                  # no task left blank
    ws = openpyxl.load_workbook(city)["汇总"]
    head = [c.value for c in ws[1]]
    formula = ws.cell(2, head.index("预警") + 1).value
    assert formula.startswith("=IF(") and formula.endswith('"无法判断"))')    # live, not a value
    with zipfile.ZipFile(city) as z:
        chart = z.read(next(n for n in z.namelist() if n.startswith("xl/charts/chart"))).decode()
    assert chart.count("<c:ser>") == 6 and "统计'!$G$1" in chart             # every counted state: 无法判断 too


# ------------------------------------------------------------------ 7. order and print

def test_districts_come_in_their_official_order_whatever_the_files_order(city, tmp_path):
    ws = openpyxl.load_workbook(city)["汇总"]
    districts = list(dict.fromkeys(r[0] for r in ws.iter_rows(min_row=2, values_only=True)))
    assert districts == OFFICIAL
    stats = openpyxl.load_workbook(city)["统计"]
    assert [stats.cell(r, 1).value for r in range(2, 7)] == OFFICIAL
    assert [r.name for r in read_report(city).circular().by_district] == OFFICIAL
    # the order the files come in does not matter, and a plan that names no place comes after
    shuffled = write_city(tmp_path / "d", reversed(list(PLANS)))
    write_xlsx(shuffled / "0_专项.xlsx", {"Sheet1": [["数字经济专项工作任务"], HEAD,
                                                   [1, "数字经济", "建设产业大脑", "市经信局", "", "2026年12月底前"]]})
    out = tmp_path / "m.xlsx"
    run("merge", shuffled, "-o", out, "--as-of", AS_OF)
    got = list(dict.fromkeys(r[0] for r in openpyxl.load_workbook(out)["汇总"].iter_rows(min_row=2, values_only=True)))
    assert got == OFFICIAL + [t("district-unknown-label")]


def test_the_source_file_shows_its_name_and_links_its_path(city, tmp_path):
    ws = openpyxl.load_workbook(city)["汇总"]
    col = [c.value for c in ws[1]].index("来源文件") + 1
    for r in range(2, ws.max_row + 1):
        cell = ws.cell(r, col)
        assert cell.value in PLANS and cell.hyperlink.target == f"../districts/{cell.value}"
    # what reads the master back has the path: the circular and the returns name each plan by its title
    plans = read_report(city).plan_of
    assert plans["吴兴区"] == "2026年吴兴区数字政府建设重点任务分解表" and plans["安吉县"].startswith("2026年安吉县")
    # two files of one name in two folders: each shown with the folder that tells them apart
    for year in ("2025", "2026"):
        (tmp_path / year).mkdir()
        write_xlsx(tmp_path / year / "吴兴区.xlsx", {"Sheet1": [[f"{year}年吴兴区任务"], HEAD,
                                                          [1, "一", "建设", "区数据局", "", f"{year}年12月底前"]]})
    out = tmp_path / "汇总" / "two.xlsx"
    run("merge", tmp_path / "2025", tmp_path / "2026", "-o", out)
    ws = openpyxl.load_workbook(out)["汇总"]
    col = [c.value for c in ws[1]].index("来源文件") + 1
    assert {ws.cell(r, col).value for r in (2, 3)} == {"2025/吴兴区.xlsx", "2026/吴兴区.xlsx"}
    assert {r["source_file"] for r in MasterTable.read(out).rows} == {"../2025/吴兴区.xlsx", "../2026/吴兴区.xlsx"}


def pdf_text(path: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(path), "-"], check=True, capture_output=True, text=True).stdout


@needs_soffice
@needs_pdftotext
def test_english_documents_break_no_word_and_no_name_that_fits(city, tmp_path):
    master = copy_of(city, tmp_path)
    assert run("report", master, "-o", tmp_path / "c.docx", "--doc-lang", "en").exit_code == 0
    assert run("remind", master, "-o", tmp_path / "r", "--doc-lang", "en").exit_code == 0
    for path in [tmp_path / "c.docx", *(tmp_path / "r").glob("*.docx")]:
        written = docx_text(path)
        printed = pdf_text(convert(path, "pdf", tmp_path), "-layout")
        # every Latin word printed is a word written: none broken (Warn / ing, overd / ue)
        assert set(re.findall("[A-Za-z]+", printed)) <= set(re.findall("[A-Za-z]+", written)), path.name
        # every line of a name cell (a name, or a name and its district) prints on one line
        lines = [re.sub(r"\s", "", x) for x in printed.splitlines()]
        for table in docx.Document(str(path)).tables:
            named = [i for i, c in enumerate(table.rows[0].cells) if c.text in ("District", "Lead unit")]
            for row in table.rows[1:]:
                for line in (x for i in named for x in row.cells[i].text.split("\n")):
                    assert any(re.sub(r"\s", "", line) in x for x in lines), (path.name, line)
    headings = [c.text for c in docx.Document(str(tmp_path / "c.docx")).tables[0].rows[0].cells]
    assert headings == ["District", "Tasks", "Done", "On track", "Due soon", "Ongoing", "Overdue", "Not judged",
                        "% done"]


@needs_soffice
@needs_pdftotext
def test_the_collection_log_prints_its_notes_whole(city, tmp_path):
    master = copy_of(city, tmp_path)
    assert run("split", master, "-o", tmp_path / "out").exit_code == 0
    back = tmp_path / "back"
    back.mkdir()
    unit = tmp_path / "out" / "吴兴区-区数据局.xlsx"
    wb = openpyxl.load_workbook(unit)
    ws = wb["进展报送"]
    head = next(r for r in ws.iter_rows() if any(c.value == "状态" for c in r))
    status = next(c.column for c in head if c.value == "状态")
    first = head[0].row + 1
    ws.cell(first, status, "以完成")                  # a typo collect cannot read: a long note in 收集记录
    wb.save(back / unit.name)
    result = run("collect", back, "--into", master)
    assert result.exit_code == 1, result.output
    log = openpyxl.load_workbook(master)["收集记录"]
    notes = [(r, log.cell(r, log.max_column).value) for r in range(2, log.max_row + 1) if log.cell(r, log.max_column).value]
    assert notes and all(log.row_dimensions[r].height >= 30 for r, note in notes if len(note) > 40)
    printed = re.sub(r"\s", "", pdf_text(convert(master, "pdf", tmp_path)))
    for _, note in notes:                         # whole, not cut at the cell's edge: its end prints too
        squeezed = re.sub(r"\s", "", note)
        assert squeezed[:8] in printed and squeezed[-8:] in printed, note
