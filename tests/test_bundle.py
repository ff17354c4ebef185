"""The offline installer (xltools bundle).  Building needs the network (tests marked
`network`: they run in CI, which has it); installing must not: the Linux bundle is
installed by its own install.sh into a fresh virtual environment with the index switched
off and every proxy pointing nowhere, then runs `merge` on the examples.  Windows cannot
run here: its bundle is proven complete with pip's dry run for win_amd64 and each
supported Python, and its scripts are read."""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from conftest import EXAMPLES
from xltools.cli.app import cli
from xltools.work.bundle import PLATFORMS, SUPPORTED_PYTHONS, closure, scripts

HOST = f"{sys.version_info[0]}.{sys.version_info[1]}"
# pip with nothing but what the command line gives: no config files, no find-links, no index, no network
OFFLINE = {"PIP_CONFIG_FILE": os.devnull, "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": "", "PIP_EXTRA_INDEX_URL": "",
           "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "ALL_PROXY": "http://127.0.0.1:9",
           "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9", "NO_PROXY": "", "no_proxy": ""}


def run(*args, env=None):
    result = CliRunner(env=env).invoke(cli, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def offline_env(**extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_") and k != "PYTHONPATH"}
    return {**env, **OFFLINE, **extra}


# ---------------------------------------------------------------- no network needed

def fake_wheel(folder: Path, name: str, version: str, requires=(), tag="py3-none-any", python=None) -> Path:
    path = folder / f"{name.replace('-', '_')}-{version}-{tag}.whl"
    meta = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    meta += "".join(f"Requires-Dist: {r}\n" for r in requires)
    meta += f"Requires-Python: {python}\n" if python else ""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(f"{name.replace('-', '_')}-{version}.dist-info/METADATA", meta)
    return path


def test_requirements_are_judged_by_the_target_not_by_this_computer(tmp_path):
    """pip judges markers by the computer it runs on: the closure judges them by the target."""
    fake_wheel(tmp_path, "xltools-renwu", "0.1.0", ["click>=8", "tomli; python_version < '3.11'"])
    fake_wheel(tmp_path, "click", "8.1.0", ['colorama; platform_system == "Windows"'])
    fake_wheel(tmp_path, "click", "9.0.0", python=">=3.12")               # too new for 3.10 and 3.11
    fake_wheel(tmp_path, "tomli", "2.0.0")
    fake_wheel(tmp_path, "winonly", "1.0", tag="cp311-cp311-win_amd64")
    win, linux = PLATFORMS["win_amd64"], PLATFORMS["linux"]
    needed, missing = closure(win, "3.10", tmp_path)
    assert missing == ["colorama"]
    assert needed == {"xltools_renwu-0.1.0-py3-none-any.whl", "click-8.1.0-py3-none-any.whl",
                      "tomli-2.0.0-py3-none-any.whl"}
    fake_wheel(tmp_path, "colorama", "0.4.6")
    assert closure(win, "3.11", tmp_path)[1] == []
    assert "tomli-2.0.0-py3-none-any.whl" not in closure(win, "3.11", tmp_path)[0]
    assert "click-9.0.0-py3-none-any.whl" in closure(win, "3.12", tmp_path)[0]
    assert closure(linux, "3.10", tmp_path) == ({"xltools_renwu-0.1.0-py3-none-any.whl", "click-8.1.0-py3-none-any.whl",
                                                 "tomli-2.0.0-py3-none-any.whl"}, [])


def test_windows_scripts_need_no_admin_and_no_network():
    files = scripts(PLATFORMS["win_amd64"], SUPPORTED_PYTHONS)
    assert set(files) == {"安装.bat", "卸载.bat", "install.ps1", "uninstall.ps1", "安装说明.txt"}
    for name in ("安装.bat", "卸载.bat"):
        bat = files[name]
        assert bat.isascii() and b"\r\n" in bat and b"\n" not in bat.replace(b"\r\n", b"")   # cmd reads CRLF, ASCII
        assert b'-ExecutionPolicy Bypass -File "%~dp0' in bat
    install = files["install.ps1"]
    assert install.startswith(b"\xef\xbb\xbf")          # PowerShell 5.1 reads UTF-8 only with a BOM
    text = install[3:].decode("utf-8")
    assert "\r\n" in text
    assert "$env:LOCALAPPDATA 'xltools'" in text and "'venv'" in text
    assert "-m pip install --no-index --find-links \"$wheels\" xltools-renwu" in text
    assert "$env:PIP_NO_INDEX = '1'" in text
    assert "& $exe @pre -m venv \"$venv\"" in text and "'Scripts\\xltools.exe') addin install" in text
    assert "$versions = @('3.13', '3.12', '3.11', '3.10')" in text
    for admin in ("RunAs", "-Verb", "HKLM", "Program Files", "Set-ExecutionPolicy", "Invoke-WebRequest", "http"):
        assert admin not in text, admin
    assert "没有找到 Python 3.10/3.11/3.12/3.13" in text
    # 任务工具.bat on the desktop for WPS offices: written before the add-in (which needs Excel), ASCII for cmd
    assert "GetFolderPath('Desktop')" in text and "'任务工具.bat'" in text
    assert text.index("'任务工具.bat'") < text.index("xltools.exe') addin install")
    assert '`"%LOCALAPPDATA%\\xltools\\venv\\Scripts\\xltools.exe`" ui' in text and "[Text.Encoding]::ASCII" in text
    uninstall = files["uninstall.ps1"][3:].decode("utf-8")
    assert "Remove-Item -LiteralPath $root -Recurse" in uninstall and "XLSTART\\xltools.xlam" in uninstall
    notes = files["安装说明.txt"]
    assert notes.startswith(b"\xef\xbb\xbf") and "双击“安装.bat”".encode() in notes
    assert "--no-index --find-links wheels xltools-renwu".encode() in notes


def test_linux_scripts_quote_their_paths():
    files = scripts(PLATFORMS["linux"], (HOST,), "en")
    install = files["install.sh"].decode("utf-8")
    assert install.startswith("#!/bin/sh\n") and "set -eu" in install
    assert '--no-index --find-links "$here/wheels" xltools-renwu' in install
    assert '"$python" -m venv --clear "$venv"' in install and "sudo" not in install
    assert 'Exec="%s" ui' in install and "'任务工具.desktop'" in install
    assert "'任务工具.desktop'" in files["uninstall.sh"].decode("utf-8")
    assert files["安装说明.txt"].decode("utf-8").startswith("xltools offline installer (Linux x86-64)")


def test_bundle_usage_and_errors(tmp_path):
    result = run("bundle", "--platform", "mac", "-o", tmp_path / "x")
    assert result.exit_code == 2 and "win_amd64" in result.output and len(result.output.strip().splitlines()) == 1
    busy = tmp_path / "满的"
    busy.mkdir()
    (busy / "别的文件.txt").write_text("x", encoding="utf-8")
    result = run("bundle", "--platform", "linux", "-o", busy)
    assert result.exit_code == 2
    assert result.output.strip() == f"错误：输出文件夹 {busy} 已存在且不是 xltools 安装包：请换一个文件夹名或先清空它。"
    assert (busy / "别的文件.txt").exists()


def test_without_network_it_says_so(tmp_path):
    env = {**{k: None for k in os.environ if k.startswith("PIP_")}, **offline_env(), "PIP_RETRIES": "0",
           "PIP_TIMEOUT": "3", "PIP_FIND_LINKS": None, "PIP_EXTRA_INDEX_URL": None, "PIP_NO_INDEX": None}
    result = run("bundle", "--platform", "linux", "--python", HOST, "-o", tmp_path / "包", env=env)
    assert result.exit_code == 2, result.output
    line = result.output.strip().splitlines()[-1]
    assert line.startswith("错误：无法连接软件包索引（PyPI 或 pip 配置的镜像），生成安装包需要网络")
    assert not (tmp_path / "包").exists() and not list(tmp_path.glob(".xltools-bundle-*"))


# ---------------------------------------------------------------- built from the network

network = pytest.mark.network


@pytest.fixture(scope="module")
def windows_bundle(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("win") / "离线安装包"
    result = run("bundle", "--platform", "win_amd64", "-o", out)
    assert result.exit_code == 0, result.output
    assert f"离线安装包已生成：{out}" in result.output
    return out


@network
def test_windows_bundle_holds_everything(windows_bundle):
    names = {p.name for p in windows_bundle.iterdir()}
    assert names == {"wheels", "xltools.xlam", "安装.bat", "卸载.bat", "install.ps1", "uninstall.ps1", "安装说明.txt"}
    wheels = sorted(p.name for p in (windows_bundle / "wheels").iterdir())
    assert any(w.startswith("xltools_renwu-") and w.endswith("-py3-none-any.whl") for w in wheels)
    for python in SUPPORTED_PYTHONS:   # Windows-only requirements pip on Linux leaves out
        cp = "cp" + python.replace(".", "")
        assert any(w.startswith("pywin32-") and f"-{cp}-{cp}-win_amd64" in w for w in wheels), python
        assert any(w.startswith("numpy-") and f"-{cp}-" in w for w in wheels), python
    assert not [w for w in wheels if "linux" in w or "macosx" in w]
    with zipfile.ZipFile(windows_bundle / "xltools.xlam") as z:
        assert "xl/vbaProject.bin" in z.namelist()
    with zipfile.ZipFile(windows_bundle.with_name("离线安装包.zip")) as z:
        listed = set(z.namelist())
    assert "离线安装包/安装.bat" in listed and "离线安装包/xltools.xlam" in listed
    assert {f"离线安装包/wheels/{w}" for w in wheels} <= listed


@pytest.fixture(scope="module")
def current_pip(tmp_path_factory) -> Path:
    """A pip of today: pip 23.2 checks Requires-Python against the Python it runs on even
    with --python-version (its dry run then refuses contourpy for 3.12)."""
    venv = tmp_path_factory.mktemp("pip") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--upgrade-deps", str(venv)], check=True, capture_output=True)
    return venv / "bin" / "python"


@network
@pytest.mark.parametrize("python", SUPPORTED_PYTHONS)
def test_windows_bundle_is_complete_for_each_python(windows_bundle, current_pip, python, tmp_path):
    done = subprocess.run([str(current_pip), "-m", "pip", "install", "--dry-run", "--no-index", "--find-links",
                           str(windows_bundle / "wheels"), "--platform", "win_amd64", "--python-version", python,
                           "--only-binary=:all:", "--target", str(tmp_path / "t"), "xltools-renwu"],
                          capture_output=True, text=True, env=offline_env())
    assert done.returncode == 0, done.stderr
    assert "Would install" in done.stdout and "xltools-renwu-" in done.stdout and "xlwings-" in done.stdout


@network
def test_linux_bundle_installs_and_runs_without_network(tmp_path):
    out = tmp_path / "linux包"
    result = run("bundle", "--platform", "linux", "--python", HOST, "-o", out)
    assert result.exit_code == 0, result.output
    home = tmp_path / "home"
    home.mkdir()
    env = offline_env(HOME=str(home), PYTHON=sys.executable)
    done = subprocess.run(["sh", str(out / "install.sh")], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "安装完成" in done.stdout
    launcher = home / ".local" / "bin" / "xltools"
    assert (home / ".local" / "share" / "xltools" / "venv" / "bin" / "xltools").exists()
    merged = tmp_path / "汇总.xlsx"
    ran = subprocess.run([str(launcher), "merge", str(EXAMPLES), "-o", str(merged)], capture_output=True, text=True,
                         env=env, cwd=tmp_path)
    assert ran.returncode == 1, ran.stdout + ran.stderr          # the examples' known gaps (README)
    rows = CalamineWorkbook.from_path(str(merged)).get_sheet_by_name("汇总").to_python()
    assert rows[0][0] == "区县" and {r[0] for r in rows[1:]} == {"天桥区", "长清区"}
    # the installed program is the bundle's, not this checkout
    where = subprocess.run([str(home / ".local/share/xltools/venv/bin/python"), "-c",
                            "import xltools; print(xltools.__file__)"], capture_output=True, text=True, env=env,
                           cwd=tmp_path)
    assert str(home) in where.stdout
    entry = home / ".local/share/applications/任务工具.desktop"         # the local page's launcher
    assert f'Exec="{home}/.local/share/xltools/venv/bin/xltools" ui' in entry.read_text(encoding="utf-8")
    gone = subprocess.run(["sh", str(out / "uninstall.sh")], capture_output=True, text=True, env=env)
    assert gone.returncode == 0 and not launcher.exists() and not (home / ".local/share/xltools").exists()
    assert not entry.exists()
