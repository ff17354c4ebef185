"""The add-in file: command registry ↔ ribbon XML ↔ VBA callback ↔ built xltools.xlam.

Offline checks with programs nobody here wrote: Microsoft's RibbonX schema (xmlschema),
olevba (oletools) reading our VBA back out of the binary, LibreOffice importing the
built add-in with its VBA.  The binary formats themselves: test_vba_binary.py.
"""
from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SCHEMAS
from lo import SOFFICE, needs_soffice
from ole import needs_oletools, olevba, olevba_modules
from xltools.excel import actions, addin, commands, ribbon, udfs
from xltools.excel.vba_binary import VBAProject

ROOT = Path(__file__).resolve().parent.parent
MACROS = ROOT / "macros"
CUSTOMUI_NS = "{http://schemas.microsoft.com/office/2006/01/customui}"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return addin.build(tmp_path_factory.mktemp("addin") / "xltools.xlam")


# ------------------------------------------------------------------ registry and ribbon XML

def test_generated_macros_are_up_to_date():
    """macros/ is generated: run `python -m xltools.excel.ribbon` after changing commands.py."""
    assert (MACROS / "customUI.xml").read_text(encoding="utf-8") == ribbon.ribbon_xml()
    assert (MACROS / "xltools_ribbon.bas").read_bytes() == ribbon.callback_bas().encode("utf-8")


# Microsoft's RibbonX schemas, one per customUI namespace (Office 2007, Office 2010 on)
SCHEMA_FOR = {"http://schemas.microsoft.com/office/2006/01/customui": "customUI.xsd",
              "http://schemas.microsoft.com/office/2009/07/customui": "customui14.xsd"}


def validate_ribbon(xml: str | bytes) -> None:
    """Against Microsoft's schema of the XML's own namespace (tests/data/schemas)."""
    import xml.etree.ElementTree as ET

    xmlschema = pytest.importorskip("xmlschema")
    namespace = ET.fromstring(xml).tag[1:].split("}")[0]
    xsd = SCHEMAS / SCHEMA_FOR[namespace]
    xmlschema.XMLSchema(str(xsd)).validate(xml if isinstance(xml, str) else xml.decode("utf-8"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_ribbon_xml_validates_against_microsoft_schema(lang):
    validate_ribbon(ribbon.ribbon_xml(lang))


def test_the_schema_check_can_fail():
    bad = ribbon.ribbon_xml().replace('size="large"', 'size="huge"', 1)
    with pytest.raises(Exception, match="huge"):
        validate_ribbon(bad)


def test_every_tag_resolves_to_an_action_and_every_action_has_a_button():
    import xml.etree.ElementTree as ET

    root = ET.fromstring((MACROS / "customUI.xml").read_bytes())
    buttons = list(root.iter(CUSTOMUI_NS + "button"))
    assert len(buttons) == len(commands.COMMANDS)
    for button in buttons:
        command = commands.command_for(button.get("tag"))
        assert command is not None, button.get("tag")
        assert command.action in actions.ACTIONS.values()
        assert button.get("onAction") == ribbon.CALLBACK
        assert button.get("id") == command.id and button.get("label") == command.label_zh
        assert button.get("imageMso") == command.image_mso
    assert {c.action for c in commands.COMMANDS} == set(actions.ACTIONS.values())
    for attr in ("id", "tag", "label_zh", "label_en"):
        values = [getattr(c, attr) for c in commands.COMMANDS]
        assert len(values) == len(set(values)), attr
    assert {c.group for c in commands.COMMANDS} <= {g.id for g in commands.GROUPS}
    tab = next(root.iter(CUSTOMUI_NS + "tab"))
    assert tab.get("label") == "任务工具"
    # the buttons, by their Chinese labels
    assert {c.label_zh for c in commands.COMMANDS} == {"校验本表", "标记逾期", "合并汇总", "新建计划", "拆分下发",
                                                      "收集进展", "生成通报", "生成催办单", "单位名录", "撤销上次操作"}


def test_the_callback_passes_the_tag_to_the_dispatcher():
    bas = (MACROS / "xltools_ribbon.bas").read_bytes().decode("utf-8")
    assert bas.startswith(f'Attribute VB_Name = "{ribbon.CALLBACK_MODULE}"\r\n')
    assert "Public Sub OnAction(control As IRibbonControl)" in bas
    assert "RunPython \"import xltools.excel; xltools.excel.run('\" & control.Tag & \"')\"" in bas
    assert "\r\n" in bas and "\n" not in bas.replace("\r\n", "")   # VBA line ends


def test_no_xlwings_file_is_kept_in_the_repository():
    kept = [p for p in ROOT.rglob("*") if p.suffix.lower() in (".xlam", ".xlsm", ".bin")
            and not any(part.startswith(".") for part in p.relative_to(ROOT).parts)]   # .git, README's .venv
    assert kept == []
    assert {p.name for p in MACROS.iterdir()} <= {"customUI.xml", "xltools_ribbon.bas"}


def test_the_docs_list_exactly_the_registrys_buttons():
    """docs/excel-addin.md describes each button in its own words, but lists the same
    buttons in the same groups and order as commands.COMMANDS (zh table, en summary)."""
    doc = (ROOT / "docs" / "excel-addin.md").read_text(encoding="utf-8")
    table = doc.split("## 按钮", 1)[1].split("\n## ", 1)[0]
    rows = [[cell.strip() for cell in line.strip("|").split("|")][:2] for line in table.splitlines()
            if line.startswith("| ") and "**" in line]
    groups = {g.id: g.label_zh for g in commands.GROUPS}
    assert rows == [[groups[c.group], f"**{c.label_zh}**"] for c in commands.COMMANDS]
    english = doc.split("## English summary", 1)[1]
    assert re.findall(r"\*\*([A-Z][a-z][^*]*)\*\*", english) == [c.label_en for c in commands.COMMANDS]


def test_every_function_and_command_line_is_documented():
    doc = (ROOT / "docs" / "excel-addin.md").read_text(encoding="utf-8")
    for f in udfs.UDFS:
        assert f"`={f.__name__}(" in doc, f.__name__
    for line in ("xltools addin install", "xltools addin build", "python -m xltools.excel.ribbon",
                 "python scripts/excel_smoke_test.py", "XLSTART", "受信任位置", "WPS", "macOS"):
        assert line in doc, line


# ------------------------------------------------------------------ the built add-in

def test_build_replaces_the_ribbon_part(built):
    with zipfile.ZipFile(built) as z, zipfile.ZipFile(addin.template_path()) as tz:
        assert z.read(addin.CUSTOMUI_PART).decode("utf-8") == ribbon.ribbon_xml()
        assert sorted(z.namelist()) == sorted(tz.namelist())
        # the package relationship to the ribbon part is the template's, unchanged
        assert z.read("_rels/.rels") == tz.read("_rels/.rels")
        assert z.read("[Content_Types].xml") == tz.read("[Content_Types].xml")
        assert b'name="_xltools.conf"' in z.read("xl/workbook.xml")


def test_built_ribbon_part_validates_against_microsoft_schema(built):
    with zipfile.ZipFile(built) as z:
        validate_ribbon(z.read(addin.CUSTOMUI_PART))


@needs_oletools
def test_olevba_reads_our_callback_back(built):
    modules = olevba_modules(built)
    assert ribbon.CALLBACK_MODULE in modules and addin.FUNCTIONS_MODULE in modules
    assert addin.TEMPLATE_RIBBON_MODULE not in modules
    assert modules[ribbon.CALLBACK_MODULE] == ribbon.callback_bas()
    assert modules[addin.FUNCTIONS_MODULE] == udfs.vba_wrappers(addin.FUNCTIONS_MODULE)
    # xlwings' own module is kept, with our project name (config file ~/.xltools/xltools.conf)
    assert 'Public Const PROJECT_NAME As String = "xltools"' in modules["xlwings"]
    assert "Public Function RunPython(PythonCommand As String)" in modules["xlwings"]
    for f in udfs.UDFS:
        assert f"Function {f.__name__}(" in modules[addin.FUNCTIONS_MODULE]
        assert f'XLPy.CallUDF("xltools.excel.udfs", "{f.__name__}"' in modules[addin.FUNCTIONS_MODULE]


@needs_oletools
def test_olevba_reads_the_project_name(built):
    parser = olevba.VBA_Parser(str(built))
    try:
        subfiles = parser.ole_subfiles or [parser]
        names = []
        for ole in subfiles:
            for vba_root, project_path, dir_path in ole.find_vba_projects():
                project = olevba.VBA_Project(ole.ole_file, vba_root, project_path, dir_path, relaxed=False)
                project.parse_project_stream()
                names.append(project.projectname)
    finally:
        parser.close()
    assert names == [addin.PROJECT_NAME]


@needs_soffice
def test_libreoffice_imports_the_addin_with_its_vba(built, tmp_path):
    import shutil
    import subprocess
    import uuid

    profile = Path("/tmp") / f"xltools_lo_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        # .xlam is not in LibreOffice's type detection: name the import filter
        subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{profile}",
                        "--infilter=Calc MS Excel 2007 VBA XML", "--convert-to", "ods", "--outdir", str(tmp_path),
                        str(built)], check=True, capture_output=True, timeout=180)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    ods = tmp_path / "xltools.ods"
    assert ods.exists()
    with zipfile.ZipFile(ods) as z:
        basic = {n for n in z.namelist() if n.startswith(f"Basic/{addin.PROJECT_NAME}/")}
        modules = {name: _libreoffice_module(z.read(f"Basic/{addin.PROJECT_NAME}/{name}.xml"))
                   for name in (ribbon.CALLBACK_MODULE, addin.FUNCTIONS_MODULE, "xlwings")}
    assert f"Basic/{addin.PROJECT_NAME}/{addin.TEMPLATE_RIBBON_MODULE}.xml" not in basic
    assert modules[ribbon.CALLBACK_MODULE] == _without_attributes(ribbon.callback_bas())
    assert modules[addin.FUNCTIONS_MODULE] == _without_attributes(udfs.vba_wrappers(addin.FUNCTIONS_MODULE))
    assert 'Public Const PROJECT_NAME As String = "xltools"' in modules["xlwings"]


def _libreoffice_module(xml: bytes) -> str:
    """A module's source as LibreOffice imported it: its two header lines (module type,
    Option VBASupport) dropped."""
    import xml.etree.ElementTree as ET

    text = ET.fromstring(xml).text
    assert text.startswith("Rem Attribute VBA_ModuleType=VBAModule\nOption VBASupport 1\n")
    return text.split("\n", 2)[2]


def _without_attributes(vba: str) -> str:
    """VBA source as a Basic IDE shows it: no Attribute lines, LF line ends."""
    return "".join(line + "\n" for line in vba.split("\r\n") if not line.startswith("Attribute "))


def test_vba_project_edits_round_trip(built):
    with zipfile.ZipFile(built) as z:
        project = VBAProject(z.read(addin.VBA_PART))
    assert project.name == "xltools"
    assert project.module_names() == ["ThisWorkbook", "Dictionary", "Sheet2", "xlwings", ribbon.CALLBACK_MODULE,
                                      addin.FUNCTIONS_MODULE]
    assert project.source(ribbon.CALLBACK_MODULE) == ribbon.callback_bas()
    assert 'Module=XltoolsRibbon\r\n' in project.project_text and "RibbonMyAddin" not in project.project_text


def test_build_refuses_a_template_that_is_not_the_expected_one(tmp_path):
    bad = tmp_path / "bad.xlam"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(addin.AddinError) as err:
        addin.build(tmp_path / "out.xlam", template=bad)
    assert "customUI" in err.value.message()


# ------------------------------------------------------------------ worksheet-function stubs

def test_vba_stubs_follow_the_python_signatures():
    vba = udfs.vba_wrappers()
    assert vba.startswith('Attribute VB_Name = "XltoolsFunctions"')
    assert "Function XT_DEADLINE(text, Optional year, Optional issued)" in vba
    assert "Function XT_WARNING(due, Optional status, Optional as_of, Optional soon_days)" in vba
    assert "Function XT_UNITS(text)" in vba


# ------------------------------------------------------------------ install and the command line

@pytest.mark.parametrize("platform, parts", [
    ("win32", ("AppData", "Roaming", "Microsoft", "Excel", "XLSTART")),
    ("darwin", ("Library", "Group Containers", "UBF8T346G9.Office", "User Content.localized", "Startup.localized",
                "Excel")),
])
def test_startup_folder(platform, parts, tmp_path, monkeypatch):
    monkeypatch.delenv("APPDATA", raising=False)
    assert addin.startup_dir(platform, home=tmp_path) == tmp_path.joinpath(*parts)


@pytest.mark.parametrize("platform, parts", [
    ("win32", (".xltools", "xltools.conf")),
    ("darwin", ("Library", "Containers", "com.microsoft.Excel", "Data", "xltools.conf")),
])
def test_config_file_is_where_xlwings_vba_looks(platform, parts, tmp_path, monkeypatch):
    monkeypatch.delenv("USERPROFILE", raising=False)
    assert addin.config_path(platform, home=tmp_path) == tmp_path.joinpath(*parts)


def test_install_writes_addin_and_interpreter(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    conf = tmp_path / ".xltools" / "xltools.conf"
    conf.parent.mkdir()
    conf.write_text('"SHOW CONSOLE","True"\n"INTERPRETER_WIN","old"\n', encoding="utf-8")
    done = addin.install(tmp_path / "XLSTART", platform="win32", python=r"C:\Python311\pythonw.exe")
    assert done.addin == tmp_path / "XLSTART" / "xltools.xlam" and zipfile.is_zipfile(done.addin)
    assert done.config == conf
    assert conf.read_text(encoding="utf-8").splitlines() == ['"SHOW CONSOLE","True"',
                                                              r'"INTERPRETER_WIN","C:\Python311\pythonw.exe"']


def test_cli_build_and_install(tmp_path, monkeypatch):
    from xltools.cli.addin import addin_group

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    runner = CliRunner()
    (tmp_path / "out").mkdir()
    result = runner.invoke(addin_group, ["build", "-o", str(tmp_path / "out")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.output == f"已生成加载项：{tmp_path / 'out' / 'xltools.xlam'}\n"
    result = runner.invoke(addin_group, ["install", "--dir", str(tmp_path / "start"), "--lang", "en"],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"Add-in installed: {tmp_path / 'start' / 'xltools.xlam'}" in result.output
    assert (tmp_path / "start" / "xltools.xlam").exists()
    help_text = runner.invoke(addin_group, ["--help"]).output
    assert "build" in help_text and "install" in help_text


def test_cli_build_reports_a_missing_template(tmp_path, monkeypatch):
    from xltools.cli.addin import addin_group

    monkeypatch.setattr(addin, "TEMPLATE_FILE", "no-such-template.xlam")
    result = CliRunner().invoke(addin_group, ["build", "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output.startswith("错误：在已安装的 xlwings") and "pip install -U xlwings" in result.output
    assert "Traceback" not in result.output


def test_cli_build_reports_an_addin_it_cannot_replace(tmp_path, monkeypatch):
    """Windows keeps a loaded add-in locked: one Chinese line naming the file."""
    from xltools.cli.addin import addin_group

    def locked(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    result = CliRunner().invoke(addin_group, ["build", "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output.startswith(f"错误：无法写入 {tmp_path / 'xltools.xlam'}") and "Traceback" not in result.output
    assert [p.name for p in tmp_path.iterdir()] == []       # no temp file left behind


def _reads_today() -> set[str]:
    """The worksheet functions whose code reads today's date."""
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(udfs))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef) and node.name.startswith("XT_")
            and ("today()" in ast.unparse(node) or "_today(" in ast.unparse(node))}


def _stubs(vba: str) -> dict[str, str]:
    return dict(re.findall(r"(?ms)^Function (XT_\w+)\(.*?$(.*?)^End Function", vba))


@needs_oletools
def test_a_worksheet_function_that_reads_today_is_volatile(built):
    """Excel keeps a function's last answer until its arguments change unless it is
    volatile: a 预警 computed from today's date would stay at yesterday's (DOMAIN.md).  In
    the add-in, the function Excel calls is the VBA stub: it must call Application.Volatile."""
    reads_today = _reads_today()
    assert "XT_WARNING" in reads_today
    stubs = _stubs(olevba_modules(built)[addin.FUNCTIONS_MODULE])
    assert set(stubs) == {f.__name__ for f in udfs.UDFS}
    volatile = {name for name, body in stubs.items() if "Application.Volatile" in body}
    assert volatile == reads_today == {f.__name__ for f in udfs.UDFS if f.volatile}


def _text(hex_units: str) -> str:
    """What the module's U() makes of its argument: UTF-16 code units, four hex digits each."""
    return bytes.fromhex(hex_units).decode("utf-16-be")


@needs_oletools
def test_the_function_wizard_gets_chinese_help_and_a_category(built):
    """Excel's 插入函数 dialog shows a function's description, its arguments' help and its
    category only when Application.MacroOptions gives them (xlwings' Import Functions does it
    for a workbook; the add-in does it in Workbook_Open).  The texts are written as code
    units, so the module stays ASCII and no code page can garble them."""
    import inspect

    modules = olevba_modules(built)
    vba = modules[addin.FUNCTIONS_MODULE]
    assert vba.isascii() and max(map(len, vba.splitlines())) <= 1023      # VBA's longest line
    category = re.search(r'helpCategory = U\("([0-9A-F]+)"\)', vba).group(1)
    assert _text(category) == "xltools 任务工具"
    calls = re.findall(r'Application\.MacroOptions Macro:="\'" & ThisWorkbook\.Name & "\'!(\w+)", _\s+'
                       r'Description:=U\("([0-9A-F]+)"\), _\s+Category:=helpCategory, _\s+'
                       r'ArgumentDescriptions:=Array\(([^\r\n]*)\)', vba)
    assert [c[0] for c in calls] == [f.__name__ for f in udfs.UDFS]
    han = re.compile(r"[\u4e00-\u9fff]")
    for (name, description, args), f in zip(calls, udfs.UDFS):
        helps = [_text(h) for h in re.findall(r'U\("([0-9A-F]+)"\)', args)]
        params = list(inspect.signature(f).parameters)
        assert len(helps) == len(params), name
        assert _text(description) == udfs.help_text(name) and han.search(_text(description)), name
        assert all(han.search(h) and len(h) <= 255 for h in helps), (name, helps)
        assert helps == [udfs.help_text(name, p) for p in params]
    assert "省略为今天" in udfs.help_text("XT_WARNING", "as_of")
    assert "Private Sub Workbook_Open()\r\n    XltoolsFunctions.RegisterFunctionHelp\r\n" in \
        modules["ThisWorkbook"].replace("\n", "\r\n").replace("\r\r", "\r")
