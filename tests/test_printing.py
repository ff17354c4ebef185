"""The printed master, as LibreOffice prints it: the master (after collect and remind
--sheet, so 收集记录 and 催办 are there too) converted to PDF, and the words' positions read
back with pdftotext -bbox.  The page header (title, 预警基准日) sits in a band of its own
above the rows, every column of 汇总 is on the first page, and every sheet we write prints
landscape, one page wide, with its heading row and a header naming it.  汇总 prints on A3,
at a size people can read."""
from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from conftest import CHANGQING, TIANQIAO
from lo import convert, needs_soffice
from xltools import schema
from xltools.work.loop import collect, split
from xltools.work.merge import merge
from xltools.work.report import remind
from xltools.write import printing

AS_OF = dt.date(2024, 12, 20)
pytestmark = [needs_soffice,
              pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")]


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float                         # from the top of the page, points
    x1: float
    y1: float


@dataclass
class Page:
    width: float
    height: float
    words: list[Word]

    def text(self) -> str:
        return "".join(w.text for w in self.words)

    def find(self, text: str) -> list[Word]:
        return [w for w in self.words if w.text == text]


def pages_of(pdf: Path) -> list[Page]:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    pages = []
    for m in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S):
        words = [Word(html.unescape(t), float(a), float(b), float(c), float(d)) for a, b, c, d, t in
                 re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
                            m.group(3))]
        pages.append(Page(float(m.group(1)), float(m.group(2)), words))
    return pages


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> tuple[Path, list[Page]]:
    d = tmp_path_factory.mktemp("print")
    master = d / "汇总.xlsx"
    merge([TIANQIAO, CHANGQING], master, as_of=AS_OF)
    summary = split(master, d / "下发")
    path = next(p for label, p, _, _ in summary.files if "区财政局" in label)
    wb = openpyxl.load_workbook(path)
    ws = wb["进展报送"]
    head = {ws.cell(3, c).value: c for c in range(1, ws.max_column + 1)}
    row = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, head["任务编号"]).value)
    ws.cell(row, head["进展情况"]).value = "已公开"
    wb.save(path)
    collect([path], master)
    remind(master, d / "催办", as_of=AS_OF, sheet=True)
    return master, pages_of(convert(master, "pdf", d))


def test_every_sheet_we_write_has_its_print_setup(printed):
    master, _ = printed
    wb = openpyxl.load_workbook(master)
    assert {"汇总", "统计", "问题清单", "合并记录", "收集记录", "催办"} <= set(wb.sheetnames)
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        assert ws.page_setup.orientation == "landscape", ws.title
        paper = printing.MASTER_PAPER if ws.title == "汇总" else printing.A4
        assert int(ws.page_setup.paperSize) == paper, ws.title
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0) and ws.sheet_properties.pageSetUpPr.fitToPage
        m = ws.page_margins
        assert m.header < m.top and m.footer < m.bottom, ws.title
        assert (m.top, m.header) == (printing.TOP, printing.HEADER), ws.title
        assert ws.print_title_rows or ws.title == "统计", ws.title     # 统计 holds two tables: no one heading


def header_overlap(first: Page) -> tuple[float, float]:
    """(bottom of the title and date, top of 汇总's heading row) on a page."""
    band = first.find("济南市任务汇总表") + [w for w in first.words if w.text.startswith("预警基准日")]
    header_row = [w for c in schema.MASTER_COLUMNS for w in first.find(c.zh)]
    return max(w.y1 for w in band), min(w.y0 for w in header_row)


def test_a_header_margin_as_deep_as_the_top_margin_is_caught(printed, tmp_path):
    """The check is not blind: the old setup (header margin = top margin) prints the title on the rows."""
    master, _ = printed
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(master) as src, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<pageMargins [^>]*/>', b'<pageMargins left="0.4" right="0.4" top="0.5" bottom="0.5" '
                              b'header="0.5" footer="0.5"/>', data)
            dst.writestr(name, data)
    band_bottom, rows_top = header_overlap(pages_of(convert(bad, "pdf", tmp_path))[0])
    assert band_bottom >= rows_top


def test_title_and_date_are_in_the_header_band_above_the_rows(printed):
    _, pages = printed
    first = pages[0]
    assert first.width > first.height                                   # landscape
    band_bottom, rows_top = header_overlap(first)
    assert band_bottom < rows_top
    title = first.find("济南市任务汇总表")
    date = [w for w in first.words if w.text.startswith("预警基准日") and "2024-12-20" in w.text]
    assert title and date
    header_row = [w for c in schema.MASTER_COLUMNS for w in first.find(c.zh)]
    top_of_rows = min(w.y0 for w in header_row)
    band = title + date
    assert max(w.y1 for w in band) < top_of_rows, (band, top_of_rows)   # no overlap with the first row
    # and within the top margin, below the header margin
    assert all(printing.HEADER * 72 - 2 <= w.y0 and w.y1 <= printing.TOP * 72 + 2 for w in band)


def test_every_column_of_the_master_is_on_page_one(printed):
    _, pages = printed
    first = pages[0]
    text = first.text()
    missing = [c.zh for c in schema.MASTER_COLUMNS if c.zh not in text]
    assert missing == []
    assert all(0 <= w.x0 and w.x1 <= first.width for w in first.words)


def test_each_sheet_prints_landscape_with_its_name_in_the_header(printed):
    master, pages = printed
    heads = {"统计": "区县", "问题清单": "文件", "收集记录": None, "催办": "区县"}
    wb = openpyxl.load_workbook(master)
    for sheet in heads:
        ours = [p for p in pages if any(w.text == sheet and w.y1 <= printing.TOP * 72 + 2 for w in p.words)]
        assert ours, f"no page of {sheet} names it in the header"
        assert all(p.width > p.height for p in ours), sheet
        first_row = [c.value for c in wb[sheet][1] if c.value]
        top_of_rows = min((w.y0 for w in ours[0].words if w.text in first_row), default=None)
        assert top_of_rows is not None, sheet
        header = [w for w in ours[0].words if w.text == sheet and w.y1 <= printing.TOP * 72 + 2]
        assert max(w.y1 for w in header) < top_of_rows, sheet


def calibri_stand_in() -> str:
    """The font LibreOffice prints Calibri (our workbooks' font) with here."""
    out = subprocess.run(["fc-match", "-f", "%{family}", "Calibri"], capture_output=True, text=True)
    return out.stdout.split(",")[0] if out.returncode == 0 else ""


def chinese_size(word: Word) -> float:
    """The size of a word of Chinese characters in points: each character is one em wide."""
    return (word.x1 - word.x0) / len(word.text)


def test_the_master_prints_at_a_size_people_can_read(printed):
    """汇总's twenty columns on one A4 width printed at about 40 % (11 pt text as 4.5 pt);
    on A3 with the tracing columns narrower they print at two thirds or more.  LibreOffice
    takes Calibri's column widths from the font it prints Calibri with: Carlito has Calibri's
    widths (what Excel prints); DejaVu Sans, where Carlito is not installed, has wider digits,
    so every column comes out wider and the page about a fifth smaller than in Excel."""
    _, pages = printed
    first = pages[0]
    assert (round(first.width), round(first.height)) == (1191, 842)            # A3 landscape
    rows_top = max(w.y1 for c in schema.MASTER_COLUMNS for w in first.find(c.zh))
    data = [w for w in first.words if w.y0 > rows_top and len(w.text) >= 4
            and all("\u4e00" <= ch <= "\u9fff" for ch in w.text)]
    assert len(data) > 20
    size = min(map(chinese_size, data))
    # pt; 4.5 and 3.5 on A4.  With DejaVu, LibreOffice's fit-to-width zoom also moves with the
    # rows' heights, by a few per cent for the same columns (5.70 and 5.47 pt measured)
    least = 7.0 if calibri_stand_in() == "Carlito" else 5.25
    assert size >= least, (calibri_stand_in(), size)
    # the page header is read first: its title is no smaller than the rows
    assert min(map(chinese_size, first.find("济南市任务汇总表"))) >= size


# ------------------------------------------------------------------ 汇总's row heights

def master_pages(pages: list[Page]) -> list[Page]:
    """The pages of 汇总: the header names the sheet."""
    return [p for p in pages if any(w.text == "汇总" and w.y1 <= printing.TOP * 72 + 2 for w in p.words)]


@dataclass
class PrintedRow:
    key: str
    top: float                        # the row's first line (its text is top-aligned)
    bottom: float                     # the next row's first line, or the foot of the rows
    words: list[Word]


def printed_rows(page: Page, keys: set[str]) -> list[PrintedRow]:
    """汇总's rows on a page, found by their 任务编号 (one word, on one line)."""
    tops = sorted((w for w in page.words if w.text in keys), key=lambda w: w.y0)
    foot = footer_top(page)
    out = []
    for i, w in enumerate(tops):
        bottom = tops[i + 1].y0 if i + 1 < len(tops) else foot
        out.append(PrintedRow(w.text, w.y0, bottom, [x for x in page.words if w.y0 - 2 <= x.y0 < bottom - 2]))
    return out


def footer_top(page: Page) -> float:
    """Where the page footer (第 1 页，共 N 页) starts: the rows print above it.  Not the
    bottom margin: LibreOffice, fitting the columns to the width, prints the last row of a
    page a little into the margin (the zoom applies to the rows, not to the margin)."""
    page_word = [w for w in page.words if w.text == "第" and w.y0 > page.height - printing.BOTTOM * 72]
    assert page_word, "no page footer"
    return min(w.y0 for w in page_word)


def requirements_by_key(master: Path) -> dict[str, str]:
    ws = openpyxl.load_workbook(master, read_only=True)["汇总"]
    rows = ws.iter_rows(values_only=True)
    head = {v: i for i, v in enumerate(next(rows))}
    return {r[head[schema.TASK_KEY.zh]]: r[head[schema.REQUIREMENT.zh]] for r in rows if r[head[schema.TASK_KEY.zh]]}


def requirement_span(page: Page) -> tuple[float, float]:
    """Left and right edge of 具体要求 on a page, from the centres of its heading and the
    next one (headings are centred; the columns' widths from the schema)."""
    here, there = page.find(schema.REQUIREMENT.zh)[0], page.find(schema.LEAD.zh)[0]
    a, b = (here.x0 + here.x1) / 2, (there.x0 + there.x1) / 2
    half = (b - a) * schema.REQUIREMENT.width / (schema.REQUIREMENT.width + schema.LEAD.width)
    return a - half, a + half


def clipped(master: Path, pages: list[Page]) -> list[str]:
    """Keys of the rows whose 具体要求 does not print whole inside its row."""
    requirements = requirements_by_key(master)
    out = []
    for page in master_pages(pages):
        left, right = requirement_span(page)
        for row in printed_rows(page, set(requirements)):
            words = sorted((w for w in row.words if left <= w.x0 < right), key=lambda w: (round(w.y0), w.x0))
            if "".join(w.text for w in words) != re.sub(r"\s", "", requirements[row.key] or ""):
                out.append(row.key)
    return out


def test_the_master_prints_its_rows_no_taller_than_their_text(printed):
    """A row is as high as its tallest wrapped cell.  来源文件 (a link to the file, a long
    path in a narrow column) prints on one line and does not count: counted as wrapped text
    it made every row some lines taller than its text, 14 tasks to an A3 page, 9 pages of
    汇总 for the examples' 122 tasks."""
    master, pages = printed
    ours = master_pages(pages)
    requirements = requirements_by_key(master)
    assert len(requirements) > 100
    ws = openpyxl.load_workbook(master)["汇总"]
    source = next(c for c in ws[1] if c.value == schema.SOURCE_FILE.zh)
    assert ws.cell(2, source.column).hyperlink and not ws.cell(2, source.column).alignment.wrap_text
    rows = [row for page in ours for row in printed_rows(page, set(requirements))]
    assert sorted(r.key for r in rows) == sorted(requirements)            # every task printed, once
    assert len(ours) <= 7, len(ours)                                      # the old estimate: 9
    assert all(len(printed_rows(p, set(requirements))) >= 18 for p in ours[:-1])   # the old rows: 14 (12 in Carlito)
    # the space below a row's last line of text: less than a line on average (the estimate
    # rounds up, never down), where the old rows left three
    size = min(chinese_size(w) for w in ours[0].words if len(w.text) >= 4 and
               all("\u4e00" <= ch <= "\u9fff" for ch in w.text) and w.y0 > printing.TOP * 72 + 2)
    line = 15 * size / 11                                                  # LINE_HEIGHT, as printed
    inner = [r for p in ours for r in printed_rows(p, set(requirements))[:-1]]   # the last row on a page ends at the foot
    slack = [r.bottom - max(w.y1 for w in r.words) for r in inner]
    assert min(slack) >= 0 and sum(slack) / len(slack) < line, (line, sorted(slack))


def test_no_requirement_is_clipped_by_its_row(printed):
    master, pages = printed
    assert clipped(master, pages) == []


def test_a_row_lower_than_its_text_is_caught(printed, tmp_path):
    """The check is not blind: rows one line high clip the long requirements."""
    master, _ = printed
    low = tmp_path / "low.xlsx"
    with zipfile.ZipFile(master) as src, zipfile.ZipFile(low, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'(<row r="(?:[2-9]|1\d)" ht=")[\d.]+"', rb'\g<1>18"', data)
            dst.writestr(name, data)
    assert len(clipped(low, pages_of(convert(low, "pdf", tmp_path)))) >= 5
