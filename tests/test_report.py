"""The circular (xltools report) and the reminders (xltools remind), checked the way the
office would: a master merged from the bundled examples (with a few tasks marked done
and a few dates moved, as clerks do), the documents converted to PDF by LibreOffice,
their text read back with pdftotext, and every number compared with what LibreOffice
itself computes in the master's 预警 column, row by row — never with our own totals."""
from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import matplotlib
import openpyxl
import pytest
from click.testing import CliRunner

from conftest import EXAMPLES, ROOT, TIANQIAO
from lo import SOFFICE, convert, needs_soffice
from xltools import schema
from xltools.cli.app import cli
from xltools.rules.units import UnitRegistry, recipients, units_of
from xltools.rules.warning import WARNING_WORDS
from xltools.work.loop import MasterTable
from xltools.work.merge import merge
from matplotlib import font_manager

from xltools.work.report import read_report, report, task_state
from xltools.write import document
from xltools.write.circular import chart_font_for, chart_text

docx = pytest.importorskip("docx")
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")

AS_OF = dt.date(2024, 12, 20)
SOON = 8
REPLY = dt.date(2024, 12, 27)              # AS_OF + 7 days, the default
DONE = {("天桥区", 1): "已完成", ("天桥区", 2): "已完成", ("天桥区", 3): "完成", ("长清区", 2): " 已完成 ",
        ("长清区", 3): "进行中"}
MOVED = {("天桥区", 5): dt.date(2024, 12, 25), ("天桥区", 6): dt.date(2024, 12, 28),   # due soon
         ("天桥区", 9): dt.date(2024, 11, 30)}                                          # overdue, 20 days
LABEL = {v: k for k, v in WARNING_WORDS.items()}       # 预警 shows 无法判断 too


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


@pytest.fixture(scope="module")
def master(tmp_path_factory) -> Path:
    """The examples merged as of AS_OF with 8 临期 days, then edited as a clerk would."""
    out = tmp_path_factory.mktemp("master") / "汇总.xlsx"
    merge(sorted(EXAMPLES.glob("*.xlsx")), out, as_of=AS_OF, soon_days=SOON)
    wb = openpyxl.load_workbook(out)
    ws = wb["汇总"]
    col = {c.value: c.column for c in ws[1]}
    for r in range(2, ws.max_row + 1):
        place = (ws.cell(r, col["区县"]).value, ws.cell(r, col["序号"]).value)
        if place in DONE:
            ws.cell(r, col["状态"], DONE[place])
        if place in MOVED:
            ws.cell(r, col["截止日期"], MOVED[place]).number_format = "yyyy-mm-dd"
    wb.save(out)
    return out


@pytest.fixture(scope="module")
def live(master, tmp_path_factory) -> list[dict[str, str]]:
    """The 汇总 sheet as LibreOffice computes it (预警 formulas evaluated), one dict per row."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    out = convert(master, "csv:Text - txt - csv (StarCalc):44,34,76,1", tmp_path_factory.mktemp("csv"))
    with open(out, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 122
    return rows


def state_of(row: dict[str, str]) -> str:
    return LABEL[row["预警"]]


def expected_counts(live) -> dict[str, Counter]:
    by = defaultdict(Counter)
    for row in live:
        by[row["区县"]][state_of(row)] += 1
        by["合计"][state_of(row)] += 1
    return by


def pdf_text(path: Path, layout: bool = True) -> str:
    args = ["pdftotext"] + (["-layout"] if layout else []) + [str(path), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def circular(master, tmp_path_factory) -> tuple[Path, Path]:
    """通报.docx written by the command (no --as-of: the master's own day) and its PDF."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    folder = tmp_path_factory.mktemp("circular")
    out = folder / "通报.docx"
    result = run("report", master, "-o", out)
    assert result.exit_code == 0, result.output
    return out, convert(out, "pdf", folder)


# ------------------------------------------------------------------ the state of each task

@needs_soffice
def test_every_task_has_the_state_the_live_formula_computes(master, live):
    rows = {r[schema.TASK_KEY.key]: r for r in MasterTable.read(master).rows}
    assert len(rows) == len(live)
    for row in live:
        assert task_state(rows[row["任务编号"]], AS_OF, SOON) == state_of(row), row["任务编号"]
    # the edits are seen: done words, a moved date
    states = Counter(state_of(r) for r in live)
    assert states["done"] == 4 and states["overdue"] > 0 and states["soon"] > 0 and states["ok"] > 0
    assert states["unjudged"] == 1                          # 天桥区 28 has no deadline
    assert sum(states.values()) == 122


def test_as_of_and_soon_days_default_to_the_masters(master):
    data = read_report(master)
    assert (data.as_of, data.soon_days) == (AS_OF, SOON)
    later = read_report(master, as_of=dt.date(2025, 1, 2), soon_days=0)
    assert (later.as_of, later.soon_days) == (dt.date(2025, 1, 2), 0)
    assert Counter(x.state for x in later.lines)["overdue"] > Counter(x.state for x in data.lines)["overdue"]


# ------------------------------------------------------------------ the circular

@needs_soffice
@needs_pdftotext
def test_circular_summary_adds_up_to_the_master(circular, live):
    _, pdf = circular
    text = squeeze(pdf_text(pdf, layout=False))
    n = expected_counts(live)["合计"]
    assert "关于" in text and "落实情况的通报" in text and "（截至2024年12月20日）" in text
    m = re.search(r"截至2024年12月20日，.*?共(\d+)项任务，已完成(\d+)项，正在推进(\d+)项（其中正常(\d+)项、临期(\d+)项、"
                  r"持续推进(\d+)项），逾期(\d+)项，无法判断(\d+)项", text)
    assert m, text[:400]
    total, done, progress, ok, soon, ongoing, overdue, unknown = map(int, m.groups())
    assert (total, done, ok, soon, ongoing, overdue, unknown) == (
        len(live), n["done"], n["ok"], n["soon"], n["ongoing"], n["overdue"], n["unjudged"])
    assert progress == ok + soon + ongoing and total == done + progress + overdue + unknown
    assert f"完成率{100 * n['done'] / len(live):.1f}%" in text
    assert f"“临期”指{SOON}天内" in text


@needs_soffice
@needs_pdftotext
def test_circular_district_table_matches_the_master(circular, live):
    _, pdf = circular
    lines = pdf_text(pdf).splitlines()
    for name, n in expected_counts(live).items():
        pattern = re.compile(rf"^\s*{name}\s+" + r"\s+".join([r"(\d+)"] * 7) + r"\s+([\d.]+)%\s*$")
        found = [pattern.match(line) for line in lines if pattern.match(line)]
        assert len(found) == 1, name
        numbers = [int(x) for x in found[0].groups()[:7]]
        total = sum(n.values())
        assert numbers == [total, n["done"], n["ok"], n["soon"], n["ongoing"], n["overdue"], n["unjudged"]], name
        assert float(found[0].group(8)) == round(100 * n["done"] / total, 1)


def lead_units(live, reached: bool = False) -> list[list[tuple[str, str]]]:
    """Each row's lead units as (shown, counted): a collective by its registry members,
    counted by the registry entry each names, shown as its district first wrote that
    entry itself (else as the collective's expansion first named it); `reached`: only
    units a reminder can be addressed to (no collectives)."""
    first: dict[tuple[str, str], str] = {}
    written: dict[tuple[str, str], str] = {}
    rows = []
    for row in live:
        registry = UnitRegistry.default(row["区县"])
        own = units_of(row["牵头单位"], registry)
        for u in own:
            written.setdefault((row["区县"], u.counted), u.written)
        rows.append((row["区县"], recipients(own, registry)))
    out = []
    for district, named in rows:
        out.append([(written.get((district, u.counted)) or first.setdefault((district, u.counted), u.written),
                     u.counted) for u in named if not (reached and u.kind == "集体称谓")])
    return out


@needs_soffice
def test_circular_unit_table_counts_every_lead_unit(circular, live):
    path, _ = circular
    expected = defaultdict(Counter)
    for row, units in zip(live, lead_units(live)):
        for unit in [shown for shown, _ in units] or ["未明确牵头单位"]:
            expected[f"{unit}（{row['区县']}）"][state_of(row)] += 1
    table = docx.Document(str(path)).tables[1]
    head = [c.text for c in table.rows[0].cells]
    assert head == ["牵头单位", "任务数", "已完成", "正常", "临期", "持续推进", "逾期", "无法判断", "完成率"]
    got = {}
    for row in table.rows[1:]:
        cells = [c.text for c in row.cells]
        # a name that does not fit on a line breaks before its district only, never inside
        assert all(line.startswith("（") for line in cells[0].split("\n")[1:]), cells[0]
        got[cells[0].replace("\n", "")] = [int(x) for x in cells[1:8]]
    assert got == {name: [sum(n.values()), n["done"], n["ok"], n["soon"], n["ongoing"], n["overdue"], n["unjudged"]]
                   for name, n in expected.items()}
    overdue = [v[5] for v in got.values()]
    assert overdue == sorted(overdue, reverse=True)        # the units with most overdue tasks first


@needs_soffice
@needs_pdftotext
def test_circular_lists_every_overdue_task_with_its_days(circular, live):
    path, pdf = circular
    expected = Counter()
    for row in live:
        if state_of(row) == "overdue":
            due = dt.date.fromisoformat(row["截止日期"])
            expected[(row["区县"], int(row["序号"]), (AS_OF - due).days)] += 1
    assert expected[("天桥区", 9, 20)] == 1
    table = docx.Document(str(path)).tables[2]
    assert [c.text for c in table.rows[0].cells] == ["区县", "序号", "工作任务", "牵头单位", "完成时限", "逾期天数"]
    from_docx = Counter((r.cells[0].text, int(r.cells[1].text), int(r.cells[5].text)) for r in table.rows[1:])
    assert from_docx == expected
    listed = [(r.cells[0].text, int(r.cells[1].text)) for r in table.rows[1:]]
    for district in {d for d, _ in listed}:       # in each district, in the order of its numbers
        seqs = [s for d, s in listed if d == district]
        assert seqs == sorted(seqs)
    # in the PDF each row's first line holds district, 序号 … days overdue
    text = pdf_text(pdf)
    section = text[text.index("三、逾期任务清单"):text.index("四、各区县任务状态图")]
    row = re.compile(r"^\s*(天桥区|长清区)\s+(\d+)\s+\S.*?\s(\d+)\s*$")
    from_pdf = Counter((m.group(1), int(m.group(2)), int(m.group(3))) for m in map(row.match, section.splitlines())
                       if m)
    assert from_pdf == expected


@needs_soffice
@needs_pdftotext
def test_circular_is_a4_portrait_with_page_numbers_and_official_fonts(circular):
    path, pdf = circular
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert (round(width), round(height)) == (595, 842)                  # A4 portrait, in points
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages >= 2
    text = pdf_text(pdf)
    for n in (1, 2, pages):
        assert re.search(rf"—\s*{n}\s*—", text), n
    doc = docx.Document(str(path))
    section = doc.sections[0]
    assert [round(x / 36000) for x in (section.top_margin, section.bottom_margin, section.left_margin,
                                       section.right_margin)] == [37, 35, 28, 26]
    body = doc.styles["Normal"].element.rPr.rFonts.get(docx.oxml.ns.qn("w:eastAsia"))
    assert body in [names[0] for names in document.FONTS["body"]]
    title_run = doc.paragraphs[0].runs[0]
    assert title_run.font.size.pt == document.ER_HAO


@needs_soffice
def test_chart_is_in_when_a_chinese_font_is_here(circular):
    path, pdf = circular
    if document.find_cjk_font() is None:
        pytest.skip("no CJK font here (.ci/run installs fonts-noto-cjk)")
    assert len(docx.Document(str(path)).inline_shapes) == 1
    images = subprocess.run(["pdfimages", "-list", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert len(images.strip().splitlines()) >= 3                          # header, rule, one image
    assert "未找到可显示中文的字体" not in squeeze(pdf_text(pdf, layout=False))


@needs_soffice
@needs_pdftotext
def test_without_a_chinese_font_the_circular_says_so_and_has_no_chart(master, tmp_path, monkeypatch):
    monkeypatch.setattr(document, "find_cjk_font", lambda *text: None)
    out = tmp_path / "通报.docx"
    result = run("report", master, "-o", out)
    assert result.exit_code == 0
    assert "注意：本机没有中文字体，通报中未生成图表。" in result.output
    assert len(docx.Document(str(out)).inline_shapes) == 0
    text = squeeze(pdf_text(convert(out, "pdf", tmp_path), layout=False))
    assert "本机未找到可显示中文的字体，未生成图表" in text


DEJAVU = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"   # ships with matplotlib


def noto_cjk() -> str:
    files = sorted({f.fname for f in font_manager.fontManager.ttflist if f.name.startswith("Noto Sans CJK")})
    if not files:
        pytest.skip("Noto CJK is not installed (.ci/run installs fonts-noto-cjk)")
    return files[0]


def test_the_font_check_reads_the_glyphs_of_the_chart(master):
    circular = read_report(master, as_of=AS_OF).circular("zh")
    text = chart_text(circular)
    for word in ("天桥区", "长清区", "逾期", "临期", "任务数"):
        assert word in text
    # DejaVu Sans draws the digits and Latin letters but no Chinese: it fails the check.
    assert DEJAVU.exists()
    assert document.missing_glyphs(DEJAVU, "0123456789 Tasks") == ""
    missing = document.missing_glyphs(DEJAVU, text)
    assert {"逾", "期", "临", "天", "桥", "区"} <= set(missing)
    assert chart_font_for(circular, "zh", str(DEJAVU)) is None
    assert chart_font_for(circular, "en", str(DEJAVU)) is None     # in English too: the districts are Chinese
    assert document.missing_glyphs(DEJAVU.with_name("no-such-font.ttf"), "A") == "A"
    # Noto Sans CJK has every glyph of the chart.
    noto = noto_cjk()
    assert document.missing_glyphs(noto, text) == ""
    assert chart_font_for(circular, "zh", noto) == noto


def test_a_computer_with_only_a_latin_font_writes_no_chart_and_says_so(master, tmp_path, monkeypatch):
    """matplotlib's fallback font (DejaVu Sans) is all a bare computer has: it is not taken."""
    only = [f for f in font_manager.fontManager.ttflist if Path(f.fname).name == DEJAVU.name]
    assert only
    monkeypatch.setattr(font_manager.fontManager, "ttflist", only)
    document.find_cjk_font.cache_clear()
    try:
        assert document.find_cjk_font("逾期临期天桥区") is None
        assert document.find_cjk_font("Tasks 0123") == only[0].fname
        out = tmp_path / "通报.docx"
        result = run("report", master, "-o", out)
    finally:
        document.find_cjk_font.cache_clear()
    assert result.exit_code == 0
    assert "注意：本机没有中文字体，通报中未生成图表。" in result.output
    doc = docx.Document(str(out))
    assert len(doc.inline_shapes) == 0
    assert any(p.text.startswith("本机未找到可显示中文的字体，未生成图表") for p in doc.paragraphs)


def test_a_chinese_font_gives_the_chart(master, tmp_path):
    out = tmp_path / "通报.docx"
    assert report(master, out, as_of=AS_OF, chart_font=noto_cjk()).chart is True
    assert len(docx.Document(str(out)).inline_shapes) == 1
    assert report(master, out, as_of=AS_OF, chart_font=str(DEJAVU)).chart is False
    assert len(docx.Document(str(out)).inline_shapes) == 0


@needs_soffice
@needs_pdftotext
def test_circular_in_english(master, live, tmp_path):
    out = tmp_path / "circular.docx"
    result = run("report", master, "-o", out, "--doc-lang", "en", "--plan", "the 2024 plan")
    assert result.exit_code == 0 and result.output.startswith(f"已生成通报 {out}：共 122 项任务")
    text = " ".join(pdf_text(convert(out, "pdf", tmp_path), layout=False).split())
    n = expected_counts(live)["合计"]
    assert "Circular on the progress of the 2024 plan" in text and "(as of 2024-12-20)" in text
    assert f"there are 122 tasks in the 2024 plan: {n['done']} done" in text
    assert f"{n['overdue']} overdue and {n['unjudged']} that cannot be judged" in text
    assert "3. Overdue tasks" in text and "4. Task states by district" in text
    assert not re.search("[\u4e00-\u9fff]", text.replace("天桥区", "").replace("长清区", "").split(
        "1. Tasks by district")[0])              # the prose is English: only the places are Chinese


def test_report_json_and_counts_add_up(master, tmp_path):
    result = run("report", master, "-o", tmp_path / "x.docx", "--json", "--as-of", "2025-01-02")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["as_of"] == "2025-01-02" and data["total"] == 122 == sum(data["states"].values())
    assert set(data["states"]) == {"done", "ok", "soon", "ongoing", "overdue", "unjudged"}


# ------------------------------------------------------------------ the reminders

def test_no_reminder_is_addressed_to_a_collective(master, tmp_path):
    """区政府各部门 reaches every department the registry lists (as split does); a
    collective whose members the registry does not list gets no letter, and is named."""
    from xltools.rules.units import is_collective
    copy = tmp_path / "汇总.xlsx"
    shutil.copy(master, copy)
    result = run("remind", copy, "-o", tmp_path / "催办", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    units = [f["unit"].split("-")[-1] for f in data["files"]]
    assert units and not [u for u in units if is_collective(u)]
    assert "区政府各部门" not in units and "区财政局" in " ".join(units)
    assert all(is_collective(u["unit"]) for u in data["unreached"])
    text = run("remind", copy, "-o", tmp_path / "催办2").output
    assert all(f"“{u['unit']}”是集体称谓" in text for u in data["unreached"])


def convert_all(files: list[Path], outdir: Path) -> None:
    """Many documents in one LibreOffice run (one start-up, not one per file)."""
    profile = outdir / "lo_profile"
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to", "pdf",
                    "--outdir", str(outdir)] + [str(f) for f in files], check=True, capture_output=True, timeout=600)
    shutil.rmtree(profile, ignore_errors=True)


@needs_soffice
@needs_pdftotext
def test_one_reminder_per_lead_unit_with_its_overdue_and_soon_tasks(master, live, tmp_path):
    copy = tmp_path / "汇总.xlsx"
    shutil.copy(master, copy)
    folder = tmp_path / "催办单"
    result = run("remind", copy, "-o", folder, "--sheet")
    assert result.exit_code == 0, result.output
    assert f"（截至 2024-12-20，反馈期限 {REPLY.isoformat()}）" in result.output
    expected: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for row, units in zip(live, lead_units(live, reached=True)):
        if state_of(row) in ("overdue", "soon"):
            due = dt.date.fromisoformat(row["截止日期"])
            days = (AS_OF - due).days if state_of(row) == "overdue" else (due - AS_OF).days
            for unit, _ in units:
                expected[(row["区县"], unit)][(int(row["序号"]), state_of(row), days)] += 1
    files = sorted(folder.glob("*.docx"))
    assert len(files) == len(expected)
    convert_all(files, tmp_path / "pdf")
    for (district, unit), tasks in expected.items():
        path = folder / f"催办单-{district}-{unit}.docx"
        assert path.exists(), path
        table = docx.Document(str(path)).tables[0]
        head = [c.text for c in table.rows[0].cells]
        assert head == ["序号", "工作任务", "完成时限", "截止日期", "预警", "逾期天数", "剩余天数"]
        got = Counter()
        for r in table.rows[1:]:
            cells = [c.text for c in r.cells]
            state = LABEL[cells[4]]
            got[(int(cells[0]), state, int(cells[5] if state == "overdue" else cells[6]))] += 1
        assert got == tasks, unit
        text = squeeze(pdf_text(tmp_path / "pdf" / (path.stem + ".pdf"), layout=False))
        overdue = sum(n for (_, s, _), n in tasks.items() if s == "overdue")
        soon = sum(tasks.values()) - overdue
        assert text.startswith("催办单") and f"（{district}）" in text and f"{unit}：" in text
        year = {"天桥区": 2024, "长清区": 2022}[district]
        # its own plan, by its title as read (2024年济南市天桥区…)
        assert re.search(f"截至2024年12月20日，你单位牵头的{year}年[^，]{{0,6}}{district}政务公开重点工作任务", text), text and f"逾期{overdue}项、临期（{SOON}天内到期）{soon}项" in text
        assert "请抓紧推进，于2024年12月27日前" in text
    # the same lines in the master's 催办 sheet, read back by a second reader
    import python_calamine as pc

    sheet = pc.CalamineWorkbook.from_path(str(copy)).get_sheet_by_name("催办").to_python()
    assert sheet[0][:4] == ["区县", "牵头单位", "序号", "工作任务"]
    got = Counter((r[0], r[1], int(r[2]), LABEL[r[6]]) for r in sheet[1:])
    assert got == Counter({(d, u, seq, s): n for (d, u), tasks in expected.items()
                           for (seq, s, _), n in tasks.items()})
    assert {r[9].date() if isinstance(r[9], dt.datetime) else r[9] for r in sheet[1:]} == {REPLY}
    assert MasterTable.read(copy).rows == MasterTable.read(master).rows    # the tasks are untouched


def test_remind_with_nothing_due_writes_nothing(master, tmp_path):
    result = run("remind", master, "-o", tmp_path / "out", "--as-of", "2020-01-01", "--soon-days", "0")
    assert result.exit_code == 0
    assert result.output.startswith("截至 2020-01-01，没有逾期或临期的任务，未生成催办单。")
    assert not list(tmp_path.rglob("*.docx"))


# ------------------------------------------------------------------ bad input

def test_bad_input_is_one_chinese_line_and_exit_2(master, tmp_path):
    plan = EXAMPLES / "2024年天桥区政务公开重点工作任务分工.xlsx"
    result = run("report", plan, "-o", tmp_path / "x.docx")
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [f"错误：{plan} 不是 xltools 生成的汇总表（找不到“汇总”工作表或“任务编号”列）。"
                                                  "请先用 xltools merge 生成汇总表。"]
    result = run("report", master, "-o", tmp_path / "x.pdf")
    assert result.exit_code == 2 and result.output.strip() == f"错误：通报应保存为 .docx 文件：{tmp_path / 'x.pdf'}"
    empty = tmp_path / "空.xlsx"
    wb = openpyxl.load_workbook(master)
    wb["汇总"].delete_rows(2, 200)
    wb.save(empty)
    result = run("remind", empty, "-o", tmp_path / "r")
    assert result.exit_code == 2
    assert result.output.strip() == f"错误：{empty} 的“汇总”工作表中没有任务，无法生成通报或催办单。"
    assert not (tmp_path / "x.docx").exists()


def test_the_console_script_gives_no_traceback(tmp_path):
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"not a workbook")
    done = subprocess.run([sys.executable, "-m", "xltools.cli", "report", str(bad), "-o", str(tmp_path / "x.docx")],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith("错误：") and len(done.stderr.strip().splitlines()) == 1


def test_state_words_are_the_masters():
    from xltools.texts import t

    assert {k: t("state-" + k) for k in schema.WARNING_STATES} == schema.WARNING_STATES


# ------------------------------------------------------------------ the ribbon buttons
# xlwings' remote engine (the only Excel stand-in), set up as tests/test_excel_actions.py does.
import test_excel_actions as tea  # noqa: E402
from test_excel_actions import xw  # noqa: E402,F401  (the fixture)


def test_buttons_write_the_circular_and_the_reminders(xw, master, monkeypatch, tmp_path):
    copy = tmp_path / "汇总表.xlsx"
    shutil.copy(master, copy)
    book = tea.master_book(xw, copy, monkeypatch)
    tea.run("report")
    out = tmp_path / "汇总表_督办通报.docx"
    assert out.exists() and tea.of(book, "save")
    ((text, _, mode),) = tea.alerts(book)
    n = Counter(x.state for x in read_report(copy).lines)
    assert mode == "info" and text.startswith(f"已生成通报：{out}\n截至2024-12-20，共 122 项任务，已完成 {n['done']} 项")
    assert len(docx.Document(str(out)).tables) == 3

    book = tea.master_book(xw, copy, monkeypatch)
    tea.run("remind")
    folder = tmp_path / "汇总表_催办单"
    files = sorted(folder.glob("*.docx"))
    assert files
    texts = [text for text, _, _ in tea.alerts(book)]
    assert texts[-1] == f"已生成 {len(files)} 份催办单，保存在 {folder}；本表已加上“催办”工作表。"
    assert "催办" in openpyxl.load_workbook(copy, read_only=True).sheetnames


def test_the_report_button_needs_a_saved_master(xw, monkeypatch):
    book = tea.open_book(xw, tea.TIANQIAO, "任务分工", monkeypatch)
    tea.run("report")
    ((text, _, mode),) = tea.alerts(book)
    assert mode == "critical" and "请先保存当前工作簿，再使用“生成通报”" in text


def test_readme_shows_a_circulars_first_page():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "![通报第一页](docs/circular-page1.png)" in readme
    png = (ROOT / "docs" / "circular-page1.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert abs(height / width - 297 / 210) < 0.01                       # an A4 portrait page


# ------------------------------------------------------------------ how it prints (newuser3 finding 11)
# A province's ledger, a city department's plan and a town's plan with no district, merged:
# the 通报 is checked as LibreOffice lays it out (pdftotext -layout) and as Word reads it (the XML).

LONG_DEADLINE = "2021年2月公布预算信息，2021年8月公布上年度决算信息"
PROVINCE = [("提高新冠肺炎疫情信息发布规范化水平，强化政府内部信息整合", "宣传处", "2021年8月底前", None),
            ("积极推进部门所属单位预算、决算及相关报表公开", "财务处", LONG_DEADLINE, None),
            ("做好政府信息公开年度报告编制发布工作", "办公室", "2021年1月底前", "已完成"),
            ("推进医疗机构院务公开", "医政医管处", "长期坚持", None),
            ("加强基层卫生政务公开标准化规范化建设", "基层处", "长期坚持", None),
            ("公开突发公共卫生事件应急预案", "应急处", "2021年12月底前", None),
            ("公开卫生健康监督执法信息", "监督处", "2021年12月底前", None),
            ("公开疾病预防控制信息", "疾控处", "2021年11月底前", None)]      # 1 done of 8: 12.5%
CITY = [("及时发布疫情防控政策措施和工作进展", "局防控办", "2021年6月底前"),
        ("公开医疗服务项目和收费标准", "局医政医管科", "2021年12月底前"),
        ("做好政务公开专栏内容保障", "局办公室", "长期坚持")]
TOWN = [("推进白仙山水库工程政策处理", "白仙山水库工程政策处理工作领导小组", "2024年6月底前"),
        ("完成乡村振兴示范带建设", "乡村振兴办", "2024年12月底前")]
PLAN_FILES = ("广东省卫生健康委2021年政务公开工作重点任务台账", "江门市卫生健康局2021年政务公开工作要点分工方案",
              "2024年度重点工作计划二季度执行情况")      # a town's plan with its name left out: no place


@pytest.fixture(scope="module")
def places(tmp_path_factory) -> Path:
    """汇总.xlsx of a province's, a city's and a town's plans (the town's names no place)."""
    from conftest import write_xlsx
    d = tmp_path_factory.mktemp("places")
    head = ["序号", "工作任务", "责任处室", "完成时限"]
    sheets = ([[PLAN_FILES[0]], head + ["状态"]] + [[i, *row] for i, row in enumerate(PROVINCE, 1)],
              [[PLAN_FILES[1]], head] + [[i, *row] for i, row in enumerate(CITY, 1)],
              [[PLAN_FILES[2]], head] + [[i, *row] for i, row in enumerate(TOWN, 1)])
    paths = [write_xlsx(d / f"{name}.xlsx", {"Sheet1": rows}) for name, rows in zip(PLAN_FILES, sheets)]
    merge(paths, d / "汇总.xlsx", as_of=dt.date(2021, 9, 15))
    return d / "汇总.xlsx"


@pytest.fixture(scope="module")
def places_circular(places) -> tuple[Path, Path]:
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    out = places.parent / "通报.docx"
    result = run("report", places, "-o", out)
    assert result.exit_code == 0, result.output
    return out, convert(out, "pdf", places.parent)


def test_several_plans_are_named_by_their_years_never_by_their_files(places):
    data = read_report(places)
    assert data.plan == "2021—2024年度重点工作任务"
    assert read_report(places, lang="en").plan == "the 2021–2024 key work plans"
    assert {r.name for r in data.circular().by_district} == {"广东省", "江门市", "地区未注明"}
    # each district's own plan (what its reminders name) is still its title
    assert data.plan_of["广东省"] == PLAN_FILES[0] and data.plan_of["江门市"] == PLAN_FILES[1]


def test_the_first_table_is_named_by_what_its_rows_are(places, master):
    from xltools.work.report import area_level
    assert read_report(places).circular().level == "area"                 # a province and a city
    assert read_report(master, as_of=AS_OF).circular().level == "county"  # 天桥区, 长清区
    assert area_level(["天桥区", "地区未注明"]) == "county" and area_level(["曲阜市", "嘉祥县"]) == "county"
    assert area_level(["巴州区曾口镇", "天桥区"]) == "area"                   # a town is no 区县
    assert area_level(["市卫健委", "广东省"]) == "body"                       # not a place at all


@needs_soffice
@needs_pdftotext
def test_circular_of_a_province_and_a_city_prints_well(places_circular):
    path, pdf = places_circular
    layout = pdf_text(pdf)
    lines = [line.strip() for line in layout.splitlines() if line.strip()]
    # the title: the plans' years, on lines of which none is a lone character or two
    title_end = next(i for i, line in enumerate(lines) if line.startswith("（截至"))
    title = lines[:title_end]
    assert squeeze("".join(title)) == "关于2021—2024年度重点工作任务落实情况的通报"
    assert all(len(squeeze(line)) > 3 for line in title), title
    assert not any(word in "".join(title) for word in ("台账", "方案", "计划", "广东省", "、"))
    # the section and its column say 地区: 广东省 and 江门市 are not 区县
    assert "一、各地区任务完成情况" in layout and "四、各地区任务状态图" in layout and "各区县" not in layout
    doc = docx.Document(str(path))
    assert doc.tables[0].rows[0].cells[0].text == "地区" and doc.tables[2].rows[0].cells[0].text == "地区"
    # 完成率: "12.5%" whole, never a "%" alone on a line of its own
    assert "12.5%" in layout and "100.0%" in layout                       # 广东省 办公室: 1 of 1 done
    assert not [line for line in layout.splitlines() if re.search(r"(^|\s)%(\s|$)", line)]
    # 完成时限 of the overdue list: the long wording whole, on a few lines (it took six)
    overdue = next(r for r in doc.tables[2].rows[1:] if r.cells[4].text == LONG_DEADLINE)
    width_mm = overdue.cells[4].width / 36000
    assert width_mm >= 30
    assert document.text_mm(LONG_DEADLINE) / (width_mm - 2 * document.CELL_MARGIN_MM) <= 4
    assert overdue.cells[4].text == LONG_DEADLINE                         # as written, not cut


def test_no_table_row_breaks_across_pages_and_headers_repeat(places, tmp_path):
    import zipfile
    from lxml import etree
    out = tmp_path / "通报.docx"
    report(places, out, chart_font=None)
    with zipfile.ZipFile(out) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    tables = root.findall(".//w:tbl", ns)
    assert len(tables) == 3
    for tbl in tables:
        rows = tbl.findall("w:tr", ns)
        assert rows and all(r.find("w:trPr/w:cantSplit", ns) is not None for r in rows)
        assert rows[0].find("w:trPr/w:tblHeader", ns) is not None            # repeated on each page
        assert all(r.find("w:trPr/w:tblHeader", ns) is None for r in rows[1:])
        # the widths add up to the text block: nothing sticks out of the page
        grid = [int(c.get(f"{{{ns['w']}}}w")) for c in tbl.findall("w:tblGrid/w:gridCol", ns)]
        assert abs(sum(grid) / 1440 * 25.4 - document.TEXT_MM) < 1


def test_the_circular_of_places_is_schema_valid(places, tmp_path):
    from test_office_schemas import problems
    out = tmp_path / "通报.docx"
    report(places, out, chart_font=None)
    assert problems(out) == []


@pytest.mark.parametrize("title", [
    "关于2021—2024年度重点工作任务落实情况的通报",
    "关于2024年天桥区、2022年长清区工作任务落实情况的通报",
    "关于2024年济南市天桥区政务公开重点工作任务分工落实情况的通报",
    "关于泗洲头镇2024年度重点工作计划二季度执行情况、2023年巴州区曾口镇、2021年广东省、2021年江门市工作任务落实情况的通报",
    "关于" + "重点" * 40 + "的通报"])
def test_a_long_title_is_broken_into_even_lines(title):
    lines = document.title_lines(title)
    assert "".join(lines) == title
    assert all(document.text_mm(line, document.ER_HAO) <= document.TEXT_MM for line in lines)
    if len(lines) > 1:
        shortest, longest = (f(document.text_mm(x, document.ER_HAO) for x in lines) for f in (min, max))
        assert shortest >= 0.3 * longest and all(len(line) >= 4 for line in lines)


@needs_soffice
@needs_pdftotext
def test_circular_of_places_in_english(places, tmp_path):
    out = tmp_path / "circular.docx"
    assert run("report", places, "-o", out, "--doc-lang", "en").exit_code == 0
    text = " ".join(pdf_text(convert(out, "pdf", tmp_path), layout=False).split())
    assert "Circular on the progress of the 2021–2024 key work plans" in text
    assert "1. Tasks by area" in text and "4. Task states by area" in text


def test_report_and_remind_take_the_clerks_registry(tmp_path):
    """A unit the clerk added to the 单位名录 is one of 区政府各部门（单位）'s members: with
    --registry the reminders reach it and the circular counts it, as split would send to it."""
    from click.testing import CliRunner
    from xltools.cli.app import cli
    from xltools.work.merge import merge as merge_plans

    master = tmp_path / "汇总.xlsx"
    merge_plans([TIANQIAO], master, as_of=dt.date(2025, 1, 10))
    runner = CliRunner()
    registry = tmp_path / "名录.csv"
    assert runner.invoke(cli, ["units", "export", str(registry), "--district", "天桥区"]).exit_code == 0
    with open(registry, "a", encoding="utf-8") as f:
        f.write("天桥区,区新设服务局,,部门,县级\n")
    plain = runner.invoke(cli, ["remind", str(master), "-o", str(tmp_path / "内置"), "--as-of", "2025-01-10"])
    given = runner.invoke(cli, ["remind", str(master), "-o", str(tmp_path / "名录"), "--as-of", "2025-01-10",
                                "--registry", str(registry)])
    assert plain.exit_code == given.exit_code == 0, given.output
    assert not any("区新设服务局" in p.name for p in (tmp_path / "内置").glob("*.docx"))
    assert any("区新设服务局" in p.name for p in (tmp_path / "名录").glob("*.docx"))
    out = runner.invoke(cli, ["report", str(master), "-o", str(tmp_path / "通报.docx"), "--as-of", "2025-01-10",
                              "--registry", str(registry), "--json"])
    assert out.exit_code == 0, out.output
    import docx
    table = next(tb for tb in docx.Document(str(tmp_path / "通报.docx")).tables if tb.rows[0].cells[0].text == "牵头单位")
    assert "区新设服务局" in [r.cells[0].text for r in table.rows[1:]]
