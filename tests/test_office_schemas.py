"""Every kind of file xltools writes, validated against the OOXML schemas the way Excel and
Word hold them (openxml-audit: the Open XML SDK's schema and semantic checks in Python).

The kinds: the master (merge), the master after collect (收集记录) and remind --sheet (催办),
the returns (split), the plan and progress templates (new-plan, and the copies kept in
workbook_templates/), a new plan carried from last year's, a flagged district sheet
(.xlsx and .xlsm), the unit registry, the Excel add-in (.xlam), the circular and the
reminders (.docx), and the checked copy with its 校验结果 sheet (what the 校验本表 button
writes, the page's download).  Each is made by the command a clerk runs, then validated.

Readers we can run (openpyxl, calamine, LibreOffice) cope with what Excel refuses or
"repairs", so the schema is the judge.  What the validator reports and Excel and Word
accept is named in ALLOWED, each with why; anything else fails the test."""
from __future__ import annotations

import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
import xlwings
from openxml_audit import OpenXmlValidator

from conftest import CHANGQING, ROOT, TIANQIAO
from xltools.cli.app import cli
from xltools.aside import Aside
from xltools.work import collect as collect_module, collect_log
from xltools.write import splice
from xltools.write.annotated import annotated_copy

AS_OF = "2024-12-20"
QUICKSTART = Path(xlwings.__file__).parent / "quickstart.xlsm"


@dataclass(frozen=True)
class Allowed:
    """A finding the validator makes that Excel or Word accept, and why."""
    why: str
    id: str = ""                      # the validator's rule id ("" for schema findings)
    part: str = ""                    # regular expressions over the finding; "" matches all
    path: str = ""
    description: str = ""

    def matches(self, e) -> bool:
        return ((not self.id or e.id == self.id) and re.search(self.part, e.part_uri or "") is not None
                and re.search(self.path, e.path or "") is not None
                and re.search(self.description, e.description or "") is not None)


ALLOWED = (
    Allowed("Our package writer keeps text inline (<c t=\"inlineStr\">): rows stay fast and small, and "
            "Excel moves the strings into a shared table when it saves.  The SDK notes it as a "
            "compatibility warning; ECMA-376 §18.3.1.4 allows inline strings.",
            id="Excel_InlineStrCells"),
    Allowed("openpyxl writes a <font>'s children as name, charset, family, b, i, …, sz, color (its fixed "
            "serialisation order).  ECMA-376's sml.xsd declares CT_Font as <xsd:choice "
            "maxOccurs=\"unbounded\">, any order; only the SDK's generated schema makes it a sequence.  "
            "Excel opens openpyxl's files without repair; nothing of ours chooses this order, so it is "
            "allowed only there (styles.xml, inside a font), not fixed by rewriting openpyxl's output.",
            part=r"^/xl/styles\.xml$", path=r"/font\[\d+\]$",
            description=r"^Unexpected element '(b|i|strike|condense|extend|outline|shadow|u|vertAlign|sz|color|"
                        r"name|family|charset|scheme)' found$"),
)


def findings(path: Path) -> list:
    return OpenXmlValidator().validate(path).errors


def problems(path: Path, used: set[int] | None = None) -> list[str]:
    """The validator's findings that ALLOWED does not name (`used` collects the allowances that matched)."""
    out = []
    for e in findings(path):
        hit = next((i for i, a in enumerate(ALLOWED) if a.matches(e)), None)
        if hit is None:
            out.append(f"{path.name} {e.part_uri} {e.path}: {e.description}")
        elif used is not None:
            used.add(hit)
    return out


def run(*args) -> None:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output


MADE_ASIDE: set[str] = set()      # what the aside collection made in processes of their own


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, Path]:
    """One file of every kind, each made as a clerk makes it."""
    d = tmp_path_factory.mktemp("kinds")
    inputs = d / "区县"
    inputs.mkdir()
    for p in (TIANQIAO, CHANGQING):
        shutil.copy(p, inputs / p.name)
    kinds: dict[str, Path] = {}
    master = d / "汇总.xlsx"
    run("merge", inputs, "-o", master, "--as-of", AS_OF)
    shutil.copy(master, d / "merged.xlsx")
    kinds["master"] = d / "merged.xlsx"
    run("split", master, "-o", d / "下发")
    returns = sorted((d / "下发").glob("*.xlsx"))
    kinds["return"] = next(p for p in returns if "区财政局" in p.name)
    wb = openpyxl.load_workbook(kinds["return"])          # a unit fills its return in
    ws = wb["进展报送"]
    head = {ws.cell(3, c).value: c for c in range(1, ws.max_column + 1)}
    row = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, head["任务编号"]).value)
    ws.cell(row, head["状态"]).value = "已完成"
    ws.cell(row, head["进展情况"]).value = "已按要求公开"
    wb.save(kinds["return"])
    # the same collection with every part made in a process of its own, as a large master's are
    # (the rows checked and settled aside, the log's lines made aside, the log read aside)
    aside = d / "汇总-aside.xlsx"
    shutil.copy(kinds["master"], aside)
    other = next(p for p in returns if p != kinds["return"] and "街道" in p.name)
    wb = openpyxl.load_workbook(other)
    ws = wb["进展报送"]
    ws.cell(next(r for r in range(4, ws.max_row + 1) if ws.cell(r, head["任务编号"]).value),
            head["进展情况"]).value = "另一单位的进展"
    wb.save(other)
    class Counted(Aside):
        def __init__(self, fn, *args, **kw):
            super().__init__(fn, *args, **kw)
            if self.process is not None:
                MADE_ASIDE.add(fn.__name__)

    with pytest.MonkeyPatch.context() as mp:
        for module in (splice, collect_module, collect_log):
            mp.setattr(module, "Aside", Counted)
        mp.setattr(splice, "CHECK_ASIDE", 0)
        mp.setattr(collect_module, "LOG_ASIDE", 0)
        mp.setattr(collect_log, "ASIDE_LINES", 0)
        run("collect", kinds["return"], "--into", aside)
        run("collect", other, "--into", aside)        # into a master whose 收集记录 is there already
    kinds["master-collected-aside"] = aside
    run("collect", kinds["return"], "--into", master)
    run("remind", master, "-o", d / "催办", "--as-of", AS_OF, "--sheet")
    kinds["master-collected-reminded"] = master
    # 区财政局's: its 已完成 without a date was not taken, which its reminder says (h-remind)
    kinds["reminder"] = d / "催办" / f"催办单-{kinds['return'].stem}.docx"
    run("report", master, "-o", d / "通报.docx", "--as-of", AS_OF)
    kinds["circular"] = d / "通报.docx"
    run("new-plan", "--year", 2025, "--district", "天桥区", "-o", d / "计划.xlsx")
    kinds["new-plan"] = d / "计划.xlsx"
    run("new-plan", "--year", 2025, "--district", "天桥区", "--from", TIANQIAO, "-o", d / "续.xlsx")
    kinds["new-plan-from"] = d / "续.xlsx"
    for name in ("任务分解表模板.xlsx", "进展报送模板.xlsx"):
        kinds[f"template {name}"] = ROOT / "workbook_templates" / name
    shutil.copy(TIANQIAO, d / "flag.xlsx")
    run("flag", d / "flag.xlsx", "--as-of", AS_OF)
    kinds["flagged"] = d / "flag.xlsx"
    book = openpyxl.load_workbook(QUICKSTART, keep_vba=True)   # a macro workbook with a district sheet
    sheet = book.create_sheet("任务")
    for values in (["2024年天桥区重点任务"], ["序号", "具体要求", "责任单位", "完成时限", "状态"],
                   [1, "公开预算。", "区财政局", "2024年6月底前", None], [2, "公开决算。", "区财政局", "长期坚持", None]):
        sheet.append(values)
    book.save(d / "flag.xlsm")
    run("flag", d / "flag.xlsm", "--as-of", AS_OF)
    kinds["flagged .xlsm"] = d / "flag.xlsm"
    shutil.copy(CHANGQING, d / "校验.xlsx")                # the page's 校验 download, the 校验本表 button's writer
    _, kinds["checked copy"] = annotated_copy(d / "校验.xlsx", output=d / "校验-结果.xlsx")
    run("units", "export", d / "名录.xlsx")
    kinds["registry"] = d / "名录.xlsx"
    run("addin", "build", "-o", d / "xltools.xlam")
    kinds["add-in"] = d / "xltools.xlam"
    return kinds


KINDS = ["master", "master-collected-reminded", "master-collected-aside", "return", "new-plan", "new-plan-from",
         "template 任务分解表模板.xlsx", "template 进展报送模板.xlsx", "flagged", "flagged .xlsm", "registry",
         "add-in", "circular", "reminder", "checked copy"]


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_file_is_schema_valid(made, kind):
    assert problems(made[kind]) == []


def test_the_kinds_are_what_they_claim(made):
    """The files hold what makes each kind: the sheets added to the master, a VBA project, a table."""
    assert set(made) == set(KINDS)
    names = openpyxl.load_workbook(made["master-collected-reminded"]).sheetnames
    assert {"收集记录", "催办"} <= set(names)
    assert {"_log_seen", "_rows_well_formed", "_edited_xml", "_rows_xml", "_check_all"} <= MADE_ASIDE
    assert "另一单位的进展" in [c.value for row in openpyxl.load_workbook(made["master-collected-aside"])["汇总"].iter_rows()
                                for c in row]
    assert "进展报送" in openpyxl.load_workbook(made["return"]).sheetnames
    checked = openpyxl.load_workbook(made["checked copy"])
    assert "校验结果" in checked.sheetnames and checked["校验结果"].max_row > 1   # findings listed, cells marked
    with zipfile.ZipFile(made["add-in"]) as z:
        assert "xl/vbaProject.bin" in z.namelist()
    with zipfile.ZipFile(made["flagged .xlsm"]) as z:
        assert "macroEnabled" in z.read("[Content_Types].xml").decode()
    with zipfile.ZipFile(made["reminder"]) as z:
        assert "未被采纳" in z.read("word/document.xml").decode()
    with zipfile.ZipFile(made["circular"]) as z:
        document = z.read("word/document.xml").decode()
        assert "<w:tbl>" in document and "stylesWithEffects" not in " ".join(z.namelist())


def test_every_allowance_is_needed(made):
    """An allowance no file needs any more is removed, not kept "just in case"."""
    used: set[int] = set()
    for kind in KINDS:
        problems(made[kind], used)
    assert used == set(range(len(ALLOWED)))


def test_the_check_is_not_blind(made, tmp_path):
    """What the issue found (Word's tblLayout after tblLook), a font child the allowance does
    not name, and a worksheet element out of order are each caught."""
    def rewritten(src: Path, part: str, change) -> Path:
        out = tmp_path / f"{len(list(tmp_path.iterdir()))}{src.suffix}"
        with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
            for name in zin.namelist():
                data = zin.read(name)
                zout.writestr(name, change(data.decode("utf-8")).encode("utf-8") if name == part else data)
        return out

    late_layout = rewritten(made["circular"], "word/document.xml",
                            lambda x: x.replace("</w:tblPr>", '<w:tblLayout w:type="fixed"/></w:tblPr>', 1))
    assert any("tblLayout" in p for p in problems(late_layout))
    bad_font = rewritten(made["return"], "xl/styles.xml", lambda x: x.replace("<font>", "<font><bogus/>", 1))
    assert problems(bad_font)

    def margins_first(x: str) -> str:
        tag = re.search(r"<pageMargins [^>]*/>", x).group()
        return x.replace(tag, "").replace("<sheetData>", tag + "<sheetData>", 1)
    assert problems(rewritten(made["new-plan"], "xl/worksheets/sheet1.xml", margins_first))
