"""The master as LibreOffice sees it: LibreOffice computes the 预警 formulas and the 统计
counts, applies the row colours and prints the workbook.  Its results must equal what
xltools.warning computes in Python."""
from __future__ import annotations

import csv
import datetime as dt
import os
import re
import shutil
import subprocess
import uuid
import zlib
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from xltools import read_plan
from xltools.work.flag import flag_file
from xltools.work.merge import merge
from xltools.schema import MASTER_COLUMNS, WARNING_STATES
from xltools.rules.units import UnitRegistry, lead_groups, units_of
from xltools.rules.divisions import in_official_order
from xltools.rules.warning import UNJUDGED, WARNING_WORDS, warning_of

from conftest import CHANGQING, TIANQIAO

SOFFICE = shutil.which("soffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")

COL = {c.key: i for i, c in enumerate(MASTER_COLUMNS)}
# comma, double quote, UTF-8, from line 1, formatted as shown, every sheet to its own file (-1, LO ≥ 7.2)
CSV_ALL_SHEETS = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1'
HYPERLINK = '=HYPERLINK("http://x","y")'
DDE = "=cmd|' /C calc'!A0"
RGB = {"red": (0xFF, 0xC7, 0xCE), "yellow": (0xFF, 0xEB, 0x9C), "grey": (0xE7, 0xE6, 0xE6)}


def soffice(src: Path, fmt: str, outdir: Path) -> None:
    """One conversion with a private profile: parallel or repeated runs never clash."""
    profile = Path("/tmp") / f"lo_profile_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--calc",
                        "--convert-to", fmt, "--outdir", str(outdir), str(src)],
                       check=True, capture_output=True, timeout=180)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def sheets_as_csv(src: Path, outdir: Path) -> dict[str, list[list[str]]]:
    soffice(src, CSV_ALL_SHEETS, outdir)
    out = {}
    for f in outdir.glob(f"{src.stem}-*.csv"):
        with open(f, encoding="utf-8", newline="") as fh:
            out[f.stem[len(src.stem) + 1:]] = list(csv.reader(fh))
    assert out, f"LibreOffice wrote no CSV for {src}"
    return out


def pdf_fill_colours(pdf: Path) -> set[tuple[int, int, int]]:
    """Every fill colour ("r g b rg") drawn in the PDF's content streams, as 0–255."""
    colours = set()
    data = pdf.read_bytes()
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            text = zlib.decompress(m.group(1))
        except zlib.error:
            continue
        for r, g, b in re.findall(rb"([\d.]+) ([\d.]+) ([\d.]+) rg", text):
            colours.add(tuple(round(float(x) * 255) for x in (r, g, b)))
    return colours


def district_book(path: Path, rows: list[list]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务分解表"
    ws.append(["2024年历城区政务公开重点工作任务分解表"])
    ws.append(["序号", "工作任务", "具体要求", "责任单位", "完成时限", "状态", "进展情况"])
    for row in rows:
        ws.append([None] * 7)
        for c, v in enumerate(row, start=1):
            cell = ws.cell(ws.max_row, c)
            cell.value = v
            if isinstance(v, str) and v.startswith("="):
                cell.data_type = "s"
    wb.save(path)
    return path


# requirement text → what LibreOffice must show in 预警, per as-of date
KNOWN = [
    (["年底任务", "区财政局", "2024年12月底前", None], {"2024-12-20": "临期", "2025-01-05": "逾期"}),
    (["长期任务", "区财政局", "长期坚持", None], {"2024-12-20": "持续推进", "2025-01-05": "持续推进"}),
    (["已办完的任务", "区财政局", "2024年6月底前", "已完成"], {"2024-12-20": "已完成", "2025-01-05": "已完成"}),
    (["先完成后坚持", "区民政局", "2024年9月底前完成，长期坚持", None],
     {"2024-12-20": "持续推进", "2025-01-05": "持续推进"}),
    (["每月报送", "区民政局", "每月25日前", None], {"2024-12-20": "持续推进", "2025-01-05": "持续推进"}),
    (["时限不明", "区民政局", "尽快", None], {"2024-12-20": "无法判断", "2025-01-05": "无法判断"}),
    (["两周内", "区民政局", "2025年1月4日前", None], {"2024-12-20": "临期", "2025-01-05": "逾期"}),
    (["远期", "区民政局", "2025年6月底前", "进行中"], {"2024-12-20": "正常", "2025-01-05": "正常"}),
    # a staged deadline is due at its last stage: an earlier stage passed is not overdue
    (["分阶段", "区民政局", "6月底前完成方案，12月底前全面完成", None], {"2024-12-20": "临期", "2025-01-05": "逾期"}),
    (["分阶段跨年", "区民政局", "2024年10月底前制定方案；2025年6月底前完成", None],
     {"2024-12-20": "正常", "2025-01-05": "正常"}),
    (["分阶段后坚持", "区民政局", "2024年6月底前启动、9月底前完成，长期坚持", None],
     {"2024-12-20": "持续推进", "2025-01-05": "持续推进"}),
    # a range is due at its end
    (["月份范围", "区财政局", "2024年10月—12月", None], {"2024-12-20": "临期", "2025-01-05": "逾期"}),
    (["跨年范围", "区财政局", "2024年12月至2025年3月", None], {"2024-12-20": "正常", "2025-01-05": "正常"}),
    (["起止颠倒", "区财政局", "2024年12月—6月", None], {"2024-12-20": "无法判断", "2025-01-05": "无法判断"}),
    (["尽早", "区财政局", "尽早", None], {"2024-12-20": "无法判断", "2025-01-05": "无法判断"}),
]
# requirement text → the 截止日期 the master holds (a real date: the last stage, the range's end)
DUE_SHOWN = {"分阶段": dt.date(2024, 12, 31), "分阶段跨年": dt.date(2025, 6, 30), "月份范围": dt.date(2024, 12, 31),
             "跨年范围": dt.date(2025, 3, 31), "起止颠倒": None, "尽早": None}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("inputs")
    rows = [[i, "一、工作", req, unit, deadline, status, None] for i, (req, unit, deadline, status) in
            enumerate((k[0] for k in KNOWN), start=1)]
    rows.append([len(rows) + 1, "一、工作", HYPERLINK, "区财政局", "2024年12月底前", None, DDE])
    return [district_book(folder / "2024年历城区任务分解表.xlsx", rows),
            Path(shutil.copy(TIANQIAO, folder / TIANQIAO.name)),
            Path(shutil.copy(CHANGQING, folder / CHANGQING.name))]


@pytest.fixture(scope="module", params=["2024-12-20", "2025-01-05"])
def computed(request, inputs, tmp_path_factory):
    """(as_of, the master, every sheet as LibreOffice computed it)."""
    as_of = dt.date.fromisoformat(request.param)
    out = tmp_path_factory.mktemp("master") / "master.xlsx"
    merge(inputs, out, as_of=as_of)
    return as_of, out, sheets_as_csv(out, out.parent / "csv")


def test_libreoffice_warnings_equal_python(computed, inputs):
    as_of, _, sheets = computed
    rows = sheets["汇总"]
    assert rows[0] == [c.zh for c in MASTER_COLUMNS]
    tasks = {(p.name, t.row): t for p in inputs for t in read_plan(p).tasks}
    assert len(rows) > 100
    for row in rows[1:]:
        task = tasks[(Path(row[COL["source_file"]]).name, int(row[COL["source_row"]]))]
        state = warning_of(task.deadline, task.status, as_of=as_of, soon_days=15)
        assert row[COL["warning"]] == WARNING_WORDS[state or UNJUDGED], row
    shown = {row[COL["requirement"]]: row[COL["warning"]] for row in rows[1:]}
    for (req, *_), expected in KNOWN:
        assert shown[req] == expected[as_of.isoformat()], req
    # the long-term rows of the real examples are never overdue
    for row in rows[1:]:
        if row[COL["deadline"]] == "长期坚持":
            assert row[COL["warning"]] == "持续推进"


def test_staged_and_range_due_dates_are_real_dates(computed):
    """openpyxl, a second reader, sees the last stage / the range's end as a date cell."""
    _, out, _ = computed
    ws = openpyxl.load_workbook(out)["汇总"]
    due = {row[COL["requirement"]].value: row[COL["due"]].value for row in ws.iter_rows(min_row=2)}
    for req, day in DUE_SHOWN.items():
        shown = due[req]
        assert (shown.date() if isinstance(shown, dt.datetime) else shown) == day, req


def test_libreoffice_counts_in_stats(computed):
    _, _, sheets = computed
    master, stats = sheets["汇总"][1:], sheets["统计"]
    header = stats[0]
    by_district = Counter((r[COL["district"]], r[COL["warning"]]) for r in master)
    totals = Counter(r[COL["district"]] for r in master)
    districts = in_official_order(r[COL["district"]] for r in master)   # 天桥区 370105, 历城区 370112 …
    for row in stats[1:1 + len(districts)]:
        district = row[0]
        for label in WARNING_STATES.values():
            assert int(row[header.index(label)]) == by_district[(district, label)], (district, label)
        assert int(row[-1]) == totals[district]
        assert int(row[-2]) == by_district[(district, "无法判断")]
    assert [r[0] for r in stats[1:1 + len(districts)]] == districts
    # overdue by lead unit and district, matching whole names in 、-joined cells: counted by
    # recipient (a collective by its members, rules.units.lead_groups), by the registry entry a
    # unit names (区住建局 = 区住房和城乡建设局), listed as first written
    start = next(i for i, r in enumerate(stats) if r[0] == "牵头单位")
    registry = UnitRegistry.default()
    groups = lead_groups([(r[COL["district"]], units_of(r[COL["lead"]], registry.for_district(r[COL["district"]])))
                          for r in master], registry)
    overdue = {g.label(True): sum(master[i][COL["warning"]] == "逾期" for i in g.rows) for g in groups}
    listed = {r[0]: int(r[2]) for r in stats[start + 1:] if r and r[0]}
    assert listed == overdue
    assert "区财政局（天桥区）" in listed and "区政府各部门（单位）（天桥区）" not in listed   # its members, not itself


def test_injected_formulas_stay_literal_text(computed):
    _, _, sheets = computed
    cells = {v for row in sheets["汇总"] for v in row}
    assert HYPERLINK in cells and DDE in cells


def test_pdf_prints_with_row_colours(tmp_path, inputs):
    """Colours as LibreOffice renders them: yellow before the date, red after, grey for
    done, and a long-term task never red."""
    def colours(rows, as_of, name):
        src = district_book(tmp_path / f"{name}.xlsx", rows)
        out = tmp_path / name / "master.xlsx"
        merge([src], out, as_of=as_of)
        soffice(out, "pdf", out.parent)
        pdf = out.parent / "master.pdf"
        assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 1000
        return pdf_fill_colours(pdf)

    due = [[1, "一、工作", "年底任务", "区财政局", "2024年12月底前", None, None]]
    assert RGB["yellow"] in colours(due, dt.date(2024, 12, 20), "soon")
    late = colours(due, dt.date(2025, 1, 5), "late")
    assert RGB["red"] in late and RGB["yellow"] not in late
    ongoing = [[1, "一、工作", "长期任务", "区财政局", "2024年9月底前完成，长期坚持", None, None],
               [2, "一、工作", "长期任务二", "区财政局", "长期坚持", None, None]]
    assert RGB["red"] not in colours(ongoing, dt.date(2025, 1, 5), "ongoing")
    done = [[1, "一、工作", "已办完", "区财政局", "2024年6月底前", "已完成", None]]
    assert RGB["grey"] in colours(done, dt.date(2025, 1, 5), "done")


def test_pdf_of_the_examples_is_not_empty(inputs, tmp_path):
    out = tmp_path / "master.xlsx"
    merge(inputs, out, as_of=dt.date(2025, 1, 5))
    soffice(out, "pdf", out.parent)
    pdf = out.parent / "master.pdf"
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000
    assert RGB["red"] in pdf_fill_colours(pdf)


def test_flagged_sheet_computes_in_libreoffice(tmp_path):
    src = Path(shutil.copy(TIANQIAO, tmp_path / TIANQIAO.name))
    as_of = dt.date(2025, 1, 5)
    flag_file(src, as_of=as_of)
    plan = read_plan(src)
    sheet = plan.sheets[0]
    rows = sheets_as_csv(src, tmp_path / "csv")[sheet.sheet]
    header = rows[sheet.header_row - 1]
    warn = header.index("预警")
    for task in sheet.tasks:
        state = warning_of(task.deadline, task.status, as_of=as_of)
        assert rows[task.row - 1][warn] == WARNING_WORDS[state or UNJUDGED], task.row
