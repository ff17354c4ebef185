#!/usr/bin/env python3
"""Build the example task-breakdown workbooks from the seed tables.

    python scripts/build_examples.py [OUT_DIR]        (default: examples/)

Reads scripts/seed_tables/tianqiao_2024.tsv and changqing_2022.tsv (one line per sheet
row: kind H/T/C/E, seq, section, subsection, requirement, units, deadline; lines starting
with "#" are comments) and writes each table as the district office keeps it: a notice
sheet, the task sheet (附件 line, title, header, rows with merged task cells, footer) and,
for 长清, an instructions sheet. openpyxl only; the output is deterministic (fixed
document properties and zip timestamps), so rebuilding gives identical files.
"""
import datetime
import io
import sys
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.writer.excel import ExcelWriter

HERE = Path(__file__).resolve().parent
TABLES = HERE / "seed_tables"
FIELDS = ["kind", "seq", "section", "subsection", "requirement", "units", "deadline"]
FIXED_TIME = datetime.datetime(2024, 1, 1)
WIDTHS = {"A": 6, "B": 14, "C": 18, "D": 60, "E": 24, "F": 14}

THIN = Side(style="thin")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CELL_ALIGN = Alignment(wrap_text=True, vertical="top")
BOLD = Font(bold=True)

DISTRICTS = [
    dict(
        tsv="tianqiao_2024.tsv",
        out="2024年天桥区政务公开重点工作任务分工.xlsx",
        notice=[
            "济天政办发〔2024〕5号",
            "济南市天桥区人民政府办公室关于印发2024年济南市天桥区政务公开工作要点的通知",
            "各街道办事处，区政府各部门：",
            "《2024年济南市天桥区政务公开工作要点》已经区政府同意，现印发给你们，请认真贯彻落实。",
            "济南市天桥区人民政府办公室",
            "2024年6月25日",
        ],
        sheet="任务分工",
        title="2024年济南市天桥区政务公开重点工作任务分工",
        title_row=2,
        header_row=3,
        requirement_header="具体要求",
        merge_units=False,
        footer=[
            "抄送：区委办公室，区人大常委会办公室，区政协办公室，区纪委，区法院，区检察院。",
            "济南市天桥区人民政府办公室　　2024年6月25日印发",
        ],
        instructions=None,
    ),
    dict(
        tsv="changqing_2022.tsv",
        out="2022年长清区政务公开重点工作任务分解表.xlsx",
        notice=[
            "济长政办发〔2022〕2号",
            "济南市长清区人民政府办公室关于印发2022年长清区政务公开工作要点的通知",
            "各街道办事处、镇人民政府，区政府各部门：",
            "《2022年长清区政务公开工作要点》已经区政府同意，现印发给你们，请认真贯彻落实。",
            "济南市长清区人民政府办公室",
            "2022年6月10日",
        ],
        sheet="任务分解表",
        title="2022年长清区政务公开重点工作任务分解表",
        title_row=3,
        header_row=4,
        requirement_header="具  体  要  求",
        merge_units=True,
        footer=[
            "抄送：区委各部门，区人大常委会办公室，区政协办公室，区监委，区人武部，区法院，区检察院。",
            "济南市长清区人民政府办公室　　2022年6月10日印发",
        ],
        instructions=[
            "请各责任单位对照任务分解表，于每月25日前向区政府办公室报送本单位任务进展情况。",
            "责任单位名称以区政府办公室公布的单位名单为准，多个单位之间用顿号分隔。",
            "已完成的任务请注明完成时间并附佐证材料，未完成的任务请说明原因和下一步措施。",
        ],
    ),
]


def read_tsv(path):
    rows, header = [], None
    for line in path.read_text(encoding="utf-8").split("\n"):
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        if header is None:
            if fields != FIELDS:
                raise ValueError(f"{path}: unexpected header {fields}")
            header = fields
            continue
        if len(fields) != len(FIELDS) or fields[0] not in "HTCE":
            raise ValueError(f"{path}: bad line {line!r}")
        rows.append(dict(zip(FIELDS, fields)))
    return rows


def put(ws, ref, value):
    """Write a value; text is always stored as text (never as a formula)."""
    cell = ws[ref]
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


def display_units(row):
    """About a third of the multi-unit cells are typed one unit per line."""
    units = row["units"]
    if row["kind"] == "T" and "、" in units and int(row["seq"]) % 3 == 0:
        return units.replace("、", "\n")
    return units


def vertical_merges(ws, rows, first, col, field, extend_kinds):
    """Merge col from each row holding a value down over the following rows of
    extend_kinds whose field is blank; a non-empty field, an H row or the end stops it.
    A continuation row (C) holds only the tail of the task above: it never starts a merge."""
    for i, row in enumerate(rows):
        if row["kind"] != "T" or not row[field]:
            continue
        j = i
        while j + 1 < len(rows) and rows[j + 1]["kind"] in extend_kinds and not rows[j + 1][field]:
            j += 1
        if j > i:
            ws.merge_cells(f"{col}{first + i}:{col}{first + j}")


def write_header(ws, r, texts):
    for col, text in zip("ABCDEF", texts):
        put(ws, f"{col}{r}", text or None)
    ws.merge_cells(f"B{r}:C{r}")
    for col in "ABCDEF":
        ws[f"{col}{r}"].font = BOLD


def build(d, out_dir):
    rows = read_tsv(TABLES / d["tsv"])
    wb = Workbook()
    notice = wb.active
    notice.title = "通知"
    notice.column_dimensions["A"].width = 90
    for i, line in enumerate(d["notice"], 1):
        put(notice, f"A{i}", line)

    ws = wb.create_sheet(d["sheet"])
    for col, width in WIDTHS.items():
        ws.column_dimensions[col].width = width
    put(ws, "A1", "附件")
    t = d["title_row"]
    put(ws, f"A{t}", d["title"])
    ws.merge_cells(f"A{t}:F{t}")
    ws[f"A{t}"].font = Font(bold=True, size=16)
    ws[f"A{t}"].alignment = Alignment(horizontal="center", vertical="center")

    h = d["header_row"]
    write_header(ws, h, ["序号", "工作任务", None, d["requirement_header"], "责任单位", "完成时限"])
    first = h + 1
    for i, row in enumerate(rows):
        r = first + i
        if row["kind"] == "H":
            write_header(ws, r, [row[f] for f in FIELDS[1:]])
            continue
        values = [int(row["seq"]) if row["seq"] else None, row["section"], row["subsection"],
                  row["requirement"], display_units(row), row["deadline"]]
        for col, value in zip("ABCDEF", values):
            if value not in (None, ""):
                put(ws, f"{col}{r}", value)
    last = first + len(rows) - 1

    vertical_merges(ws, rows, first, "B", "section", "TEC")
    vertical_merges(ws, rows, first, "C", "subsection", "TEC")
    if d["merge_units"]:
        vertical_merges(ws, rows, first, "E", "units", "T")
        vertical_merges(ws, rows, first, "F", "deadline", "T")

    for r in range(h, last + 1):
        for col in "ABCDEF":
            cell = ws[f"{col}{r}"]
            cell.alignment = CELL_ALIGN
            cell.border = GRID

    for i, line in enumerate(d["footer"]):
        put(ws, f"A{last + 2 + i}", line)

    if d["instructions"]:
        info = wb.create_sheet("填报说明")
        info.column_dimensions["A"].width = 90
        for i, line in enumerate(d["instructions"], 1):
            put(info, f"A{i}", line)

    wb.properties.creator = "xltools"
    wb.properties.lastModifiedBy = "xltools"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    path = out_dir / d["out"]
    path.write_bytes(deterministic_bytes(wb))
    return path


def deterministic_bytes(wb):
    """Serialise without openpyxl's save() (which stamps the current time) and with
    fixed zip member timestamps."""
    raw = io.BytesIO()
    ExcelWriter(wb, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()


def main(argv):
    out_dir = Path(argv[1]) if len(argv) > 1 else Path("examples")
    out_dir.mkdir(parents=True, exist_ok=True)
    for d in DISTRICTS:
        print(build(d, out_dir))


if __name__ == "__main__":
    main(sys.argv)
