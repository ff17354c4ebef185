"""Build and install the Excel add-in (xltools.xlam).

`build` starts from the custom-add-in template shipped inside the installed xlwings
package (the file `xlwings quickstart NAME --addin --ribbon` copies), and writes
xltools.xlam with

* our ribbon: the template's customUI part is replaced by ribbon.ribbon_xml(), made from
  the button registry (commands.py);
* our VBA: the template's VBA project (vba_binary.VBAProject) gets the project name
  "xltools", the template's ribbon module replaced by ribbon.callback_bas() (one generic
  callback), a module of worksheet-function wrappers generated from udfs.UDFS, and
  PROJECT_NAME in xlwings' own module set to "xltools" (so its config file is
  ~/.xltools/xltools.conf).  The template's VBA project holds no compiled code (its
  _VBA_PROJECT stream is the 7-byte "version independent" form), so Excel compiles the
  sources on first load;
* the template's (inactive) config sheet renamed to _xltools.conf.

No xlwings file is stored in this repository: the template is read from the installed
package every time.  `install` builds into Excel's add-in start-up folder and writes the
interpreter into xlwings' per-project config file.
"""
from __future__ import annotations

import io
import os
import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from xltools.errors import Words, XltoolsError
from xltools.excel.ribbon import CALLBACK_MODULE, callback_bas, ribbon_xml
from xltools.excel.vba_binary import VBAProject
from xltools.write.files import atomic_write

ADDIN_NAME = "xltools.xlam"
PROJECT_NAME = "xltools"
FUNCTIONS_MODULE = "XltoolsFunctions"  # worksheet-function wrappers (Windows)
TEMPLATE_RIBBON_MODULE = "RibbonMyAddin"
TEMPLATE_FILE = "quickstart_addin_ribbon.xlam"
CUSTOMUI_PART = "customUI/customUI.xml"
VBA_PART = "xl/vbaProject.bin"


class AddinError(XltoolsError):
    """A build or install problem a person can act on (text in texts/excel.py)."""


# ====================================================================== build

def template_path() -> Path:
    import xlwings
    path = Path(xlwings.__file__).parent / TEMPLATE_FILE
    if not path.exists():
        raise AddinError("addin-no-template", file=str(path), version=xlwings.__version__)
    return path


def build_vba_project(template_bin: bytes) -> bytes:
    from xltools.excel.udfs import HELP_SUB, vba_wrappers   # loads xlwings: only when building

    project = VBAProject(template_bin)
    names = project.module_names()
    for needed in ("xlwings", TEMPLATE_RIBBON_MODULE):
        if needed not in names:
            raise AddinError("addin-bad-template", file=TEMPLATE_FILE, reason=Words("reason-no-vba-module", name=needed))
    xlwings_src = project.source("xlwings")
    patched, n = re.subn(r'(?m)^(Public Const PROJECT_NAME As String = )"[^"]*"', rf'\1"{PROJECT_NAME}"', xlwings_src)
    if n != 1:
        raise AddinError("addin-bad-template", file=TEMPLATE_FILE, reason=Words("reason-no-constant", name="PROJECT_NAME"))
    project.set_source("xlwings", patched)
    project.remove(TEMPLATE_RIBBON_MODULE)
    project.add(CALLBACK_MODULE, callback_bas())
    project.add(FUNCTIONS_MODULE, vba_wrappers(FUNCTIONS_MODULE))
    # The function wizard's help is given to Excel when the add-in opens (it is not stored in the file).
    project.set_source("ThisWorkbook", workbook_open(project.source("ThisWorkbook"), f"{FUNCTIONS_MODULE}.{HELP_SUB}"))
    # The project ID stays the template's: the protection fields (CMG/DPB/GC) are
    # encrypted with a key derived from it (MS-OVBA 2.4.3).
    project.set_name(PROJECT_NAME)
    return project.to_bytes()


def workbook_open(source: str, call: str) -> str:
    """ThisWorkbook's source with a Workbook_Open that calls `call` (the template has none)."""
    if "Workbook_Open" in source:
        raise AddinError("addin-bad-template", file=TEMPLATE_FILE, reason=Words("reason-has-procedure", name="Workbook_Open"))
    return source.rstrip("\r\n") + f"\r\nPrivate Sub Workbook_Open()\r\n    {call}\r\nEnd Sub\r\n"


def _addin_target(output: str | Path | None) -> Path:
    if not output:
        return Path.cwd() / ADDIN_NAME
    path = Path(output)
    if path.is_dir() or str(output).endswith(("/", "\\")) or path.suffix.lower() != ".xlam":
        return path / ADDIN_NAME
    return path


def build(output: str | Path | None = None, template: str | Path | None = None) -> Path:
    """Write xltools.xlam (to `output`, a file or folder) and return its path.  A name
    that is not an .xlam file (addin_en/, addin_en) is a folder, made if need be."""
    template = Path(template) if template else template_path()
    output = _addin_target(output)
    with zipfile.ZipFile(template) as zin:
        names = zin.namelist()
        for part in (CUSTOMUI_PART, VBA_PART, "xl/workbook.xml"):
            if part not in names:
                raise AddinError("addin-bad-template", file=str(template), reason=Words("reason-no-part", name=part))
        parts = {name: zin.read(name) for name in names}
    parts[CUSTOMUI_PART] = ribbon_xml().encode("utf-8")
    parts[VBA_PART] = build_vba_project(parts[VBA_PART])
    parts["xl/workbook.xml"] = re.sub(rb'name="_[^"]*\.conf"', f'name="_{PROJECT_NAME}.conf"'.encode(),
                                      parts["xl/workbook.xml"])
    parts["docProps/core.xml"] = _core_props(parts.get("docProps/core.xml", b""))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in names:  # [Content_Types].xml first, as in the template
            zout.writestr(name, parts[name])
    output.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(output, lambda tmp: Path(tmp).write_bytes(buf.getvalue()))
    return output


def _core_props(xml: bytes) -> bytes:
    if not xml:
        return xml
    xml = re.sub(rb"<dc:title\s*/>|<dc:title>[^<]*</dc:title>", "<dc:title>xltools 任务工具</dc:title>".encode(), xml)
    xml = re.sub(rb"<dc:creator>[^<]*</dc:creator>", b"<dc:creator>xltools</dc:creator>", xml)
    return re.sub(rb"<cp:lastModifiedBy>[^<]*</cp:lastModifiedBy>", b"<cp:lastModifiedBy>xltools</cp:lastModifiedBy>",
                  xml)


# ====================================================================== install

def startup_dir(platform: str | None = None, home: Path | None = None) -> Path:
    """Where Excel loads add-ins from at start-up, without asking Excel.

    Windows: %APPDATA%\\Microsoft\\Excel\\XLSTART (every .xlam there is opened at start-up).
    macOS: the Excel sandbox's Startup.localized folder."""
    platform = platform or sys.platform
    home = home or Path.home()
    if platform.startswith("win"):
        appdata = os.environ.get("APPDATA")
        base = Path(appdata) if appdata else home / "AppData" / "Roaming"
        return base / "Microsoft" / "Excel" / "XLSTART"
    if platform == "darwin":
        return (home / "Library" / "Group Containers" / "UBF8T346G9.Office" / "User Content.localized"
                / "Startup.localized" / "Excel")
    raise AddinError("addin-no-startup", reason=Words("reason-no-excel", platform=platform), file=ADDIN_NAME)


def config_path(platform: str | None = None, home: Path | None = None) -> Path:
    """xlwings' per-project user config (GetConfigFilePath in its VBA, PROJECT_NAME=xltools)."""
    platform = platform or sys.platform
    home = home or Path.home()
    if platform == "darwin":
        return home / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / f"{PROJECT_NAME}.conf"
    base = Path(os.environ.get("USERPROFILE") or home) if platform.startswith("win") else home
    return base / f".{PROJECT_NAME}" / f"{PROJECT_NAME}.conf"


def interpreter(platform: str | None = None) -> str:
    """The Python that has xltools installed (pythonw.exe on Windows: no console window)."""
    platform = platform or sys.platform
    exe = Path(sys.executable)
    if platform.startswith("win") and exe.name.lower() == "python.exe" and (exe.parent / "pythonw.exe").exists():
        return str(exe.parent / "pythonw.exe")
    return str(exe)


def write_config(path: Path, settings: dict[str, str]) -> Path:
    """Set keys in an xlwings .conf file ("KEY","value" per line), keeping other keys."""
    lines = []
    if path.exists():
        keys = {f'"{k}"' for k in settings}
        lines = [line for line in path.read_text(encoding="utf-8").splitlines()
                 if line.strip() and line.split(",")[0] not in keys]
    lines += [f'"{k}","{v}"' for k, v in settings.items()]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@dataclass
class Installed:
    addin: Path
    config: Path
    python: str


def excel_startup_dir(platform: str | None = None) -> Path:
    """Excel's own answer when Excel is here (xlwings asks it, as `xlwings addin install`
    does), else the usual location."""
    platform = platform or sys.platform
    if platform == sys.platform and (platform.startswith("win") or platform == "darwin"):
        try:
            from xlwings.cli import get_addin_dir
            return Path(get_addin_dir())
        except Exception:
            pass
    return startup_dir(platform)


def _close_open_copies() -> None:
    """Excel keeps a loaded add-in open (and locked on Windows): close it before replacing it."""
    try:
        import xlwings as xw
        for app in xw.apps:
            try:
                app.books[ADDIN_NAME].close()
            except Exception:
                pass
    except Exception:
        pass


def install(directory: str | Path | None = None, *, platform: str | None = None,
            python: str | None = None) -> Installed:
    """Build xltools.xlam into Excel's start-up folder and point the add-in at this Python."""
    platform = platform or sys.platform
    target = Path(directory) if directory else excel_startup_dir(platform)
    python = python or interpreter(platform)
    if platform == sys.platform and (platform.startswith("win") or platform == "darwin"):
        _close_open_copies()
    addin = build(target / ADDIN_NAME)
    key = "INTERPRETER_MAC" if platform == "darwin" else "INTERPRETER_WIN"
    config = write_config(config_path(platform), {key: python})
    if platform == "darwin" and sys.platform == "darwin":
        _install_mac_runpython()
    return Installed(addin, config, python)


def _install_mac_runpython() -> None:
    """RunPython on macOS needs xlwings' AppleScript in Excel's script folder
    (what `xlwings runpython install` does)."""
    from xlwings.cli import runpython_install
    runpython_install(None)
