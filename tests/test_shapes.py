"""Text boxes and other drawn shapes (what a clerk draws with Insert > Text Box / Shapes:
a note "已报区政府" beside the table) stay in a workbook every command saves through
openpyxl, which keeps only pictures and charts: flag on a district's own sheet, collect
and remind --sheet on a master (write/drawings.py).  Real files: the shapes are Excel's
XML as XlsxWriter writes it; the results are read back with lxml from the zip, their
cells with calamine, checked against the OOXML schema and opened in LibreOffice."""
from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import shutil
import struct
import zipfile
from pathlib import Path

import pytest
import python_calamine as pc
from click.testing import CliRunner
from lxml import etree
from openxml_audit import OpenXmlValidator

from lo import convert, needs_soffice
from test_collect_excel_saved import master_and_return  # noqa: F401  (a fixture: a master and a filled return)
from xltools.cli.app import cli
from xltools.work.flag import flag_file
from xltools.work.loop import collect

xlsxwriter = pytest.importorskip("xlsxwriter")

XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_R = "http://schemas.openxmlformats.org/package/2006/relationships"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
ANCHORS = tuple(f"{{{XDR}}}{n}" for n in ("twoCellAnchor", "oneCellAnchor", "absoluteAnchor"))
NOTE, HEADING, LINKED = "已报区政府", "此表由办公室填写，请勿改动格式", "详见区政府网站"
AS_OF = dt.date(2024, 5, 1)


# ------------------------------------------------------------------ reading a package back

def _target(source: str, target: str) -> str:
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(
        posixpath.join(posixpath.dirname(source), target))


def _rels(z: zipfile.ZipFile, part: str) -> dict[str, etree._Element]:
    folder, _, name = part.rpartition("/")
    rels = f"{folder}/_rels/{name}.rels"
    return {r.get("Id"): r for r in etree.fromstring(z.read(rels))} if rels in z.namelist() else {}


def sheet_part(z: zipfile.ZipFile, sheet: str) -> str:
    book = etree.fromstring(z.read("xl/workbook.xml"))
    rid = next(s.get(f"{{{R}}}id") for s in book.iter(f"{{{MAIN}}}sheet") if s.get("name") == sheet)
    return _target("xl/workbook.xml", _rels(z, "xl/workbook.xml")[rid].get("Target"))


def drawing(path: Path, sheet: str) -> dict:
    """The drawing of `sheet` as Excel finds it: the sheet's <drawing r:id> and its
    relationship; its text shapes as (text, anchor's from cell), its pictures (their
    image part), its charts, its shapes' links, every drawing id, and its root element."""
    with zipfile.ZipFile(path) as z:
        part = sheet_part(z, sheet)
        ids = re.findall(rb'<drawing\b[^>]*\br:id="([^"]+)"', z.read(part))
        assert len(ids) == 1, f"{sheet}: {len(ids)} <drawing> elements"
        rel = _rels(z, part)[ids[0].decode()]
        assert rel.get("Type") == R + "/drawing"
        name = _target(part, rel.get("Target"))
        root = etree.fromstring(z.read(name))
        rels = _rels(z, name)
        types = z.read("[Content_Types].xml").decode()
        assert f'PartName="/{name}"' in types
        out = {"texts": [], "pictures": [], "charts": 0, "links": [], "ids": [], "root": root}
        for anchor in (a for a in root if a.tag in ANCHORS):
            start = anchor.find(f"{{{XDR}}}from")
            at = (int(start.findtext(f"{{{XDR}}}col")), int(start.findtext(f"{{{XDR}}}row"))) if start is not None else None
            for sp in anchor.iter(f"{{{XDR}}}sp"):
                text = "".join(t.text or "" for t in sp.iter(f"{{{A}}}t"))
                if text:
                    out["texts"].append((text, at))
            for blip in anchor.iter(f"{{{A}}}blip"):
                image = _target(name, rels[blip.get(f"{{{R}}}embed")].get("Target"))
                assert z.read(image)[:4] == b"\x89PNG"
                assert image.rpartition(".")[2] in types or f'PartName="/{image}"' in types
                out["pictures"].append(image)
            out["charts"] += sum(1 for el in anchor.iter(f"{{{A}}}graphicData") if el.get("uri", "").endswith("/chart"))
            for link in anchor.iter(f"{{{A}}}hlinkClick"):
                rel_ = rels[link.get(f"{{{R}}}id")]
                out["links"].append((rel_.get("Target"), rel_.get("TargetMode")))
            out["ids"] += [el.get("id") for el in anchor.iter(f"{{{XDR}}}cNvPr")]
        return out


def values(path: Path) -> dict[str, list[list]]:
    book = pc.CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def kept(before: list[list], after: list[list]) -> list[tuple]:
    """Every cell typed before, changed or gone after: (row, column, before, after)."""
    return [(r, c, v, after[r][c] if r < len(after) and c < len(after[r]) else None)
            for r, row in enumerate(before) for c, v in enumerate(row)
            if v not in ("", None) and (r >= len(after) or c >= len(after[r]) or after[r][c] != v)]


def schema_errors(path: Path) -> list[str]:
    """What the OOXML schema finds in the parts carrying the shapes (drawings, relationships,
    content types, worksheets).  Inline strings are our writer's way (a compatibility note);
    openpyxl's styles.xml of a workbook XlsxWriter made is not this change's to judge."""
    result = OpenXmlValidator().validate(path)
    return [f"{e.part_uri} {e.path}: {e.description}" for e in result.errors
            if e.id != "Excel_InlineStrCells" and not e.part_uri.endswith("/styles.xml")]


def lo_texts(path: Path, outdir: Path) -> str:
    """The text of every drawing after LibreOffice opened the file and saved it again."""
    out = convert(path, "xlsx", outdir)
    with zipfile.ZipFile(out) as z:
        return "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/drawings/drawing"))


# ------------------------------------------------------------------ the files

def png(colour=(200, 30, 30)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 20), colour).save(out, "PNG")
    return out.getvalue()


def wmf() -> bytes:
    """A placeable Windows metafile, the smallest there is (a picture openpyxl cannot keep)."""
    head = struct.pack("<IHhhhhHI", 0x9AC6CDD7, 0, 0, 0, 200, 100, 1440, 0)
    check = 0
    for i in range(0, 20, 2):
        check ^= struct.unpack("<H", head[i:i + 2])[0]
    end = struct.pack("<IH", 3, 0)
    return head + struct.pack("<H", check) + struct.pack("<HHHIHIH", 1, 9, 0x300, (18 + len(end)) // 2, 0, 3, 0) + end


@pytest.fixture
def office_sheet(tmp_path) -> Path:
    """A district's own task sheet as a clerk keeps it: the table, a text box with a note
    and a picture beside it, and a second sheet with a text box only (with a link)."""
    image = tmp_path / "章.png"
    image.write_bytes(png())
    path = tmp_path / "2024年任务分解.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("任务分解")
    for r, row in enumerate([["序号", "工作任务", "责任单位", "完成时限", "备注"],
                             [1, "编制并公开财政预算", "区财政局", "2024年6月底前", "已报"],
                             [2, "公开重大行政决策", "区政府办公室", "2024年12月底前", None],
                             [3, "更新政务公开专栏", "区政务服务中心", "2024年3月底前", "逾期说明"]]):
        ws.write_row(r, 0, row)
    ws.insert_textbox("G2", NOTE, {"width": 200, "height": 60})
    ws.insert_image("G8", str(image))
    info = wb.add_worksheet("说明")
    info.write("A1", "填表说明：完成时限按区政府通知填写")
    info.insert_textbox("C3", HEADING, {"width": 300, "height": 40})
    info.insert_textbox("C8", LINKED, {"url": "https://www.example.gov.cn/zwgk"})
    wb.close()
    return path


def add_drawing(book: Path, sheet: str, tmp_path: Path) -> None:
    """Give `sheet` of `book` (a master our writer made) a drawing as Excel writes one: a
    text box and a picture (XlsxWriter's XML grafted in by hand, part by part)."""
    image = tmp_path / "印章.png"
    image.write_bytes(png((30, 30, 200)))
    donor = tmp_path / "donor.xlsx"
    wb = xlsxwriter.Workbook(str(donor))
    ws = wb.add_worksheet()
    ws.insert_textbox("V2", NOTE, {"width": 200, "height": 60})
    ws.insert_image("V8", str(image))
    wb.close()
    with zipfile.ZipFile(donor) as d:
        parts = {"xl/drawings/drawing90.xml": d.read("xl/drawings/drawing1.xml"),
                 "xl/drawings/_rels/drawing90.xml.rels": d.read("xl/drawings/_rels/drawing1.xml.rels")
                 .replace(b"../media/image1.png", b"../media/image90.png"),
                 "xl/media/image90.png": d.read("xl/media/image1.png")}
    tmp = book.with_suffix(".tmp")
    with zipfile.ZipFile(book) as z, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
        part = sheet_part(z, sheet)
        rels = f"{part.rpartition('/')[0]}/_rels/{part.rpartition('/')[2]}.rels"
        link = (b'<Relationship Id="rIdNote" Type="%s/drawing" Target="../drawings/drawing90.xml"/>' % R.encode())
        for info in z.infolist():
            data = z.read(info)
            if info.filename == part:
                data = data.replace(b"</worksheet>", b'<drawing xmlns:r="%s" r:id="rIdNote"/></worksheet>' % R.encode())
            elif info.filename == rels:
                data = data.replace(b"</Relationships>", link + b"</Relationships>")
            elif info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Default Extension="png" ContentType="image/png"/>'
                                    b'<Override PartName="/xl/drawings/drawing90.xml" ContentType='
                                    b'"application/vnd.openxmlformats-officedocument.drawing+xml"/></Types>')
            out.writestr(info, data)
        if rels not in z.namelist():
            out.writestr(rels, b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="%s">'
                         % PKG_R.encode() + link + b"</Relationships>")
        for name, data in parts.items():
            out.writestr(name, data)
    shutil.move(tmp, book)


# ------------------------------------------------------------------ flag

def test_flag_keeps_text_boxes_and_pictures(office_sheet):
    before = values(office_sheet)
    result = flag_file(office_sheet, as_of=AS_OF)
    assert result.changed and result.drawings == [] and not result.problems
    table = drawing(office_sheet, "任务分解")
    assert table["texts"] == [(NOTE, (6, 1))]             # G2, as drawn
    assert len(table["pictures"]) == 1                    # the picture openpyxl keeps, still there
    notes = drawing(office_sheet, "说明")                  # openpyxl wrote no drawing here: the original, whole
    assert notes["texts"] == [(HEADING, (2, 2)), (LINKED, (2, 7))]
    assert notes["links"] == [("https://www.example.gov.cn/zwgk", "External")]
    for d in (table, notes):
        assert len(d["ids"]) == len(set(d["ids"]))        # drawing ids unique
    after = values(office_sheet)
    assert after["任务分解"][0][5:7] == ["截止日期", "预警"]   # flag did its work
    assert {s: kept(before[s], after[s]) for s in before} == {"任务分解": [], "说明": []}
    assert schema_errors(office_sheet) == []


def test_flag_again_keeps_one_of_each(office_sheet):
    flag_file(office_sheet, as_of=AS_OF)
    def both() -> list[dict]:
        return [{k: v for k, v in drawing(office_sheet, s).items() if k != "root"} for s in ("任务分解", "说明")]

    once = both()
    again = flag_file(office_sheet, as_of=AS_OF + dt.timedelta(days=60), soon_days=3)   # saved again
    assert again.changed
    assert both() == once                                   # nothing doubled, nothing lost
    data = office_sheet.read_bytes()
    assert not flag_file(office_sheet, as_of=AS_OF + dt.timedelta(days=60), soon_days=3).changed
    assert office_sheet.read_bytes() == data


def test_a_picture_that_cannot_be_kept_is_named(tmp_path):
    """openpyxl drops a WMF picture from a drawing it writes (one with another picture):
    the text box beside it is kept and the command says what was not, on which sheet, and
    where it still is."""
    path = tmp_path / "任务.xlsx"
    (tmp_path / "logo.wmf").write_bytes(wmf())
    (tmp_path / "章.png").write_bytes(png())
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("任务分解")
    ws.write_row(0, 0, ["序号", "工作任务", "责任单位", "完成时限"])
    ws.write_row(1, 0, [1, "编制并公开财政预算", "区财政局", "2024年6月底前"])
    ws.insert_textbox("F2", NOTE)
    ws.insert_image("F8", str(tmp_path / "logo.wmf"))
    ws.insert_image("F12", str(tmp_path / "章.png"))
    wb.close()
    with pytest.warns(UserWarning):
        out = CliRunner().invoke(cli, ["flag", str(path), "--as-of", AS_OF.isoformat()])
    assert out.exit_code == 1, out.output                  # done, with a problem said
    assert "任务.xlsx › 任务分解  工作表“任务分解”中有 1 个图形（图片、图表或形状）未能保留" in out.output
    assert f"xltools undo {path}" in out.output
    drawn = drawing(path, "任务分解")
    assert drawn["texts"] == [(NOTE, (5, 1))] and len(drawn["pictures"]) == 1


@needs_soffice
def test_libreoffice_still_shows_the_shapes_of_a_flagged_sheet(office_sheet, tmp_path):
    flag_file(office_sheet, as_of=AS_OF)
    text = lo_texts(office_sheet, tmp_path / "lo")
    assert NOTE in text and HEADING in text and LINKED in text


# ------------------------------------------------------------------ collect and remind --sheet

def test_collect_keeps_the_masters_text_box(master_and_return, tmp_path):  # noqa: F811
    master, ret = master_and_return
    add_drawing(master, "汇总", tmp_path)
    drawn = drawing(master, "汇总")
    assert drawn["texts"] == [(NOTE, (21, 1))] and len(drawn["pictures"]) == 1
    before = values(master)
    done = collect([ret], master)
    assert done.updated >= 1 and not done.findings_of("drawing-not-kept")
    after = drawing(master, "汇总")
    assert after["texts"] == [(NOTE, (21, 1))] and len(after["pictures"]) == 1
    assert drawing(master, "统计")["charts"] == 1            # the master's own chart, untouched
    now = values(master)
    reported = [r for r, row in enumerate(now["汇总"]) if "已完成一半，正在公示" in row]
    assert len(reported) == 1                                 # collect did its work
    assert {r for r, _, _, _ in kept(before["汇总"], now["汇总"])} <= set(reported)   # and only in the row reported
    assert all(kept(before[s], now[s]) == [] for s in before if s not in ("汇总", "收集记录"))
    assert schema_errors(master) == []


@needs_soffice
def test_remind_sheet_keeps_the_masters_text_box(master_and_return, tmp_path):  # noqa: F811
    master, _ = master_and_return
    add_drawing(master, "汇总", tmp_path)
    before = values(master)
    out = CliRunner().invoke(cli, ["remind", str(master), "-o", str(tmp_path / "催办"), "--sheet",
                                   "--as-of", "2024-12-20"])
    assert out.exit_code == 0, out.output
    assert "催办" in values(master)
    drawn = drawing(master, "汇总")
    assert drawn["texts"] == [(NOTE, (21, 1))] and len(drawn["pictures"]) == 1
    assert kept(before["汇总"], values(master)["汇总"]) == []
    assert schema_errors(master) == []
    assert NOTE in lo_texts(master, tmp_path / "lo")


# ------------------------------------------------------------------ groups, connectors, a picture fill

def _box(id_: int, name: str, text: str, x: int, fill: str = "") -> str:
    return (f'<xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="{id_}" name="{name}"/><xdr:cNvSpPr/></xdr:nvSpPr>'
            f'<xdr:spPr><a:xfrm><a:off x="{x}" y="0"/><a:ext cx="1000000" cy="500000"/></a:xfrm>'
            f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>{fill}</xdr:spPr>'
            f'<xdr:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr lang="zh-CN"/><a:t>{text}</a:t></a:r></a:p>'
            f'</xdr:txBody></xdr:sp>')


def _cell(tag: str, col: int, row: int) -> str:
    return (f"<xdr:{tag}><xdr:col>{col}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{row}</xdr:row>"
            f"<xdr:rowOff>0</xdr:rowOff></xdr:{tag}>")


_GROUP_XFRM = ('<xdr:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2500000" cy="500000"/><a:chOff x="0" y="0"/>'
               '<a:chExt cx="2500000" cy="500000"/></a:xfrm></xdr:grpSpPr>')
# as Excel writes them: a group of two boxes joined by an arrow, a box filled with a picture,
# and a group holding a picture and its caption
DRAWN = (
    f'<xdr:twoCellAnchor>{_cell("from", 8, 10)}{_cell("to", 12, 14)}<xdr:grpSp>'
    '<xdr:nvGrpSpPr><xdr:cNvPr id="10" name="Group 9"/><xdr:cNvGrpSpPr/></xdr:nvGrpSpPr>' + _GROUP_XFRM
    + _box(11, "Rectangle 10", "第一步：起草", 0) + _box(12, "Rectangle 11", "第二步：审核", 1500000)
    + '<xdr:cxnSp macro=""><xdr:nvCxnSpPr><xdr:cNvPr id="13" name="Straight Arrow Connector 12"/><xdr:cNvCxnSpPr>'
    '<a:stCxn id="11" idx="3"/><a:endCxn id="12" idx="1"/></xdr:cNvCxnSpPr></xdr:nvCxnSpPr><xdr:spPr><a:xfrm>'
    '<a:off x="1000000" y="250000"/><a:ext cx="500000" cy="0"/></a:xfrm><a:prstGeom prst="straightConnector1">'
    '<a:avLst/></a:prstGeom><a:ln><a:tailEnd type="triangle"/></a:ln></xdr:spPr></xdr:cxnSp>'
    '</xdr:grpSp><xdr:clientData/></xdr:twoCellAnchor>'
    f'<xdr:oneCellAnchor>{_cell("from", 8, 2)}<xdr:ext cx="1000000" cy="500000"/>'
    + _box(14, "Rectangle 13", "盖章页", 0, '<a:blipFill><a:blip xmlns:r="%s" r:embed="rIdFill"/><a:stretch>'
           '<a:fillRect/></a:stretch></a:blipFill>' % R)
    + '<xdr:clientData/></xdr:oneCellAnchor>'
    f'<xdr:twoCellAnchor>{_cell("from", 8, 18)}{_cell("to", 12, 22)}<xdr:grpSp>'
    '<xdr:nvGrpSpPr><xdr:cNvPr id="15" name="Group 14"/><xdr:cNvGrpSpPr/></xdr:nvGrpSpPr>' + _GROUP_XFRM
    + '<xdr:pic><xdr:nvPicPr><xdr:cNvPr id="16" name="Picture 15"/><xdr:cNvPicPr/></xdr:nvPicPr><xdr:blipFill>'
    '<a:blip xmlns:r="%s" r:embed="rIdFill"/><a:stretch><a:fillRect/></a:stretch></xdr:blipFill><xdr:spPr><a:xfrm>'
    '<a:off x="0" y="0"/><a:ext cx="1000000" cy="500000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
    '</xdr:spPr></xdr:pic>' % R
    + _box(17, "TextBox 16", "附图：公开栏照片", 1500000)
    + '</xdr:grpSp><xdr:clientData/></xdr:twoCellAnchor>')


def test_groups_connectors_and_a_picture_fill_are_kept(office_sheet):
    tmp = office_sheet.with_suffix(".tmp")
    with zipfile.ZipFile(office_sheet) as z, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
        for info in z.infolist():
            data = z.read(info)
            if info.filename == "xl/drawings/drawing1.xml":
                data = data.replace(b"</xdr:wsDr>", DRAWN.encode() + b"</xdr:wsDr>")
            elif info.filename == "xl/drawings/_rels/drawing1.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdFill" Type="%s/image" '
                                    b'Target="../media/fill.png"/></Relationships>' % R.encode())
            out.writestr(info, data)
        out.writestr("xl/media/fill.png", png((20, 160, 20)))
    shutil.move(tmp, office_sheet)
    before = drawing(office_sheet, "任务分解")
    assert len(before["texts"]) == 5 and len(before["pictures"]) == 3
    flag_file(office_sheet, as_of=AS_OF)
    after = drawing(office_sheet, "任务分解")
    assert sorted(after["texts"]) == sorted(before["texts"])
    assert len(after["pictures"]) == 3                     # the picture, the fill, the group's picture
    assert len(after["ids"]) == len(set(after["ids"])) == len(before["ids"])
    root = after["root"]                                    # the arrow still joins the two boxes it joined
    boxes = {sp.findtext(f".//{{{A}}}t"): sp.find(f".//{{{XDR}}}cNvPr").get("id") for sp in root.iter(f"{{{XDR}}}sp")}
    arrow = next(root.iter(f"{{{XDR}}}cxnSp"))
    assert (arrow.find(f".//{{{A}}}stCxn").get("id"), arrow.find(f".//{{{A}}}endCxn").get("id")) == \
        (boxes["第一步：起草"], boxes["第二步：审核"])
    assert schema_errors(office_sheet) == []
    assert flag_file(office_sheet, as_of=AS_OF + dt.timedelta(days=60)).changed      # saved again: nothing doubled
    again = drawing(office_sheet, "任务分解")
    assert sorted(again["texts"]) == sorted(before["texts"]) and len(again["pictures"]) == 3
